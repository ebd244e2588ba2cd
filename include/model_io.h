/* model_io.h - saving and loading a network as plain text.
 *
 * The format, one item a line ('#' starts a comment, blank space is free):
 *
 *     nnlab-model 2
 *     activation sigmoid        <- of the hidden layers
 *     output-activation sigmoid <- of the output layer (version 1 files: as the hidden)
 *     loss mse                  <- what it was trained with (version 1: mse)
 *     init uniform              <- how its weights started (version 1: uniform)
 *     layers 2 16 16 1
 *     layer 1 weights 16 2      <- then 16 rows of 2 numbers: W[o][i], input i of unit o
 *     ...
 *     layer 1 bias 16           <- then 16 numbers
 *     ...
 *     layer 2 weights 16 16
 *     ...
 *
 * Numbers are written with %.17g, so a model read back predicts bit for bit
 * what the saved one did. The first size is always 2 and the last 1; the
 * hidden sizes follow the limits of network.h. Weights must be finite and
 * within +-MODEL_MAX_ABS.
 */
#ifndef NNLAB_MODEL_IO_H
#define NNLAB_MODEL_IO_H

#include <stddef.h>
#include <stdio.h>

#include "network.h"

#define MODEL_MAX_ABS 1e100

/* What a model was made with besides its layers, which predicting does not
 * need: kept with it, so a reader knows. (An optimiser's state is not kept:
 * training resumed from a model starts its optimiser afresh.) */
typedef struct {
    Loss loss;
    Init init;
} ModelOrigin;

/* Returns 0, or -1 with a message naming the file in err. */
int model_write(const char *path, const Network *net, const ModelOrigin *origin, char *err,
                size_t errlen);
/* Allocates net and fills origin (unless NULL); on failure leaves nothing
 * allocated and returns -1 with "FILE:LINE: what is wrong" in err. */
int model_read(const char *path, Network *net, ModelOrigin *origin, char *err, size_t errlen);
/* The same from an open stream (left open); name stands for the file in err. */
int model_read_file(FILE *fp, const char *name, Network *net, ModelOrigin *origin, char *err,
                    size_t errlen);

#endif
