/* csv.h - the CSV files of nnlab.
 *
 * Data sets (read and written): one point a line, "x1,x2,label", label 0 or 1;
 * an optional header line first (three fields, none of them a number); blank
 * lines and lines starting with '#' are skipped. Lines end in "\n", "\r\n" or
 * a lone "\r". Coordinates must be
 * finite numbers within +-CSV_MAX_ABS; at most DATASET_MAX_ROWS points and
 * CSV_MAX_LINE characters a line; no zero bytes.
 *
 * Run outputs (written): history.csv "epoch,loss,accuracy" (then
 * ",test_loss,test_accuracy" when there are held-out points) and
 * predictions.csv "x1,x2,label,output,predicted". Numbers are the text of
 * %.17g (written by numfmt_g17, numformat.h), so a value read back is the
 * value written.
 */
#ifndef NNLAB_CSV_H
#define NNLAB_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "dataset.h"
#include "io_status.h"
#include "train.h"

#define CSV_MAX_LINE 1024
#define CSV_MAX_ABS 1e6

/* Returns 0, or with "FILE:LINE: what is wrong" in err IO_BAD_INPUT (a
 * missing or malformed file, a folder) or IO_FAILED (out of memory, a read
 * error): see io_status.h. */
int csv_read_dataset(const char *path, Dataset *d, char *err, size_t errlen);
/* The same from an open stream (left open); name stands for the file in err. */
int csv_read_dataset_file(FILE *fp, const char *name, Dataset *d, char *err, size_t errlen);
int csv_write_dataset(const char *path, const Dataset *d, char *err, size_t errlen);
int csv_write_history(const char *path, const History *h, char *err, size_t errlen);
/* output: the network's output for each point of d. */
int csv_write_predictions(const char *path, const Dataset *d, const double *output, char *err,
                          size_t errlen);

#endif
