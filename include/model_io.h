/* model_io.h - saving and loading a network as plain text.
 *
 * The format, one item a line ('#' starts a comment, blank space is free):
 *
 *     nnlab-model 2
 *     activation sigmoid        <- of the hidden layers
 *     output-activation sigmoid <- of the output layer (version 1 files: as the hidden)
 *     loss mse                  <- what it was trained with (version 1: mse)
 *     init uniform              <- how its weights started (version 1: uniform)
 *     layers 2 16 16 1          <- inputs, hidden sizes, outputs: 1 for two classes, K for K
 *     layer 1 weights 16 2      <- then 16 rows of 2 numbers: W[o][i], input i of unit o
 *     ...
 *     layer 1 bias 16           <- then 16 numbers
 *     ...
 *     layer 2 weights 16 16
 *     ...
 *
 * Numbers are written with %.17g, so a model read back predicts bit for bit
 * what the saved one did. The first size is always 2 and the last 1 to
 * NET_MAX_OUTPUTS; the hidden sizes follow the limits of network.h. Weights must be finite and
 * within +-MODEL_MAX_ABS.
 */
#ifndef NNLAB_MODEL_IO_H
#define NNLAB_MODEL_IO_H

#include <stddef.h>
#include <stdio.h>

#include "io_status.h"
#include "network.h"

#define MODEL_MAX_ABS 1e100

/* What a model was made with besides its layers, which predicting does not
 * need: kept with it, so a reader knows. (An optimiser's state is not kept:
 * training resumed from a model starts its optimiser afresh.) */
typedef struct {
    Loss loss;
    Init init;
} ModelOrigin;

/* Whether model_read would take net's weights back: all finite, within
 * +-MODEL_MAX_ABS. */
int model_loadable(const Network *net);
/* Returns 0, or -1 with a message naming the file in err; a model that is not
 * model_loadable is never written. */
int model_write(const char *path, const Network *net, const ModelOrigin *origin, char *err,
                size_t errlen);
/* Allocates net and fills origin (unless NULL); on failure leaves nothing
 * allocated and returns, with "FILE:LINE: what is wrong" in err,
 * IO_BAD_INPUT (a malformed file: a number cut off at the end of the file
 * among others; a folder) or IO_FAILED (out of memory, a read error): see
 * io_status.h. */
int model_read(const char *path, Network *net, ModelOrigin *origin, char *err, size_t errlen);
/* The same from an open stream (left open); name stands for the file in err. */
int model_read_file(FILE *fp, const char *name, Network *net, ModelOrigin *origin, char *err,
                    size_t errlen);

#endif
