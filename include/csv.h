/* csv.h - the CSV files of nnlab.
 *
 * Data sets (read and written): one point a line, "x1,x2,label", label the
 * class, 0 or 1 for two classes, 0 to K - 1 for K (at most NET_MAX_OUTPUTS);
 * an optional header line first (three fields, none of them a number); blank
 * lines and lines starting with '#' are skipped. Lines end in "\n", "\r\n" or
 * a lone "\r". Coordinates must be
 * finite numbers within +-CSV_MAX_ABS; at most DATASET_MAX_ROWS points and
 * CSV_MAX_LINE characters a line; no zero bytes.
 *
 * Run outputs (written): history.csv "epoch,loss,accuracy" (then
 * ",test_loss,test_accuracy" when there are held-out points) and
 * predictions.csv "x1,x2,label,output,predicted" (K classes: "x1,x2,label,
 * p0,...,pK-1,predicted", the K probabilities). Numbers are the text of
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
/* Reads back what csv_write_history wrote into h, allocated with room for
 * h->capacity epochs (and test columns if and only if h->test_loss). Returns
 * 0, or with "FILE:LINE: what is wrong" in err IO_BAD_INPUT (a missing or
 * malformed file, more epochs than room, test columns that do not match) or
 * IO_FAILED (a read error). */
int csv_read_history(const char *path, History *h, char *err, size_t errlen);
/* output (d->n, k): the network's k outputs for each point of d. */
int csv_write_predictions(const char *path, const Dataset *d, const double *output, int k,
                          char *err, size_t errlen);

#endif
