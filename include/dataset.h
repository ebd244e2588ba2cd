/* dataset.h - labelled 2-D points for classification, and the table of
 * built-in data sets (their formulas are in dataset.c and the README).
 *
 * A data set is n points x (n rows of 2 values) with labels y, the classes
 * 0, 1, ... K - 1: two classes for most, three for spiral3 and blobs3.
 * The generators here are pure: no files (see csv.h for reading and writing).
 */
#ifndef NNLAB_DATASET_H
#define NNLAB_DATASET_H

#include <stddef.h>

#include "rng.h"

#define DATASET_MAX_ROWS 1000000 /* refuse larger inputs rather than allocate without bound */
#define DATASET_LINEAR_ROWS 100
#define DATASET_XOR_ROWS 21

typedef struct {
    int n;
    double *x; /* (n, 2) row-major: x[2*k] is x1, x[2*k+1] is x2 of point k */
    double *y; /* (n) labels: the classes 0.0, 1.0, ... */
} Dataset;

/* K, the number of classes: the largest label + 1, and at least 2. */
int dataset_classes(const Dataset *d);

/* Allocates room for n points (contents zero). Returns 0, or -1 if out of memory. */
int dataset_alloc(Dataset *d, int n);
void dataset_free(Dataset *d);

/* n points uniform in [0,1)^2; label 0 if x1 > x2, else 1. */
int dataset_linear(Dataset *d, int n, Rng *rng);
/* The 21-point "easy XOR": (0.1i, 0.1i) labelled 0 for i = 0..10, and
 * (0.1i, 1 - 0.1i) labelled 1 for i = 0..10 except i = 5 (the shared centre). */
int dataset_xor(Dataset *d);
/* One row of the table of built-in data sets: adding a data set is adding
 * a row (dataset.c) and its generator. */
typedef struct {
    const char *name;     /* as --dataset, experiments and folder names spell it */
    const char *help;     /* what it is, in a line */
    int points;           /* how many points it has by default */
    int fixed;            /* its points are always the same `points` */
    double test_fraction; /* of the points held out for testing, by default */
    /* Fills d with `points` points, drawing from rng (stream 0 of the run's
     * seed). Returns 0, or -1 if out of memory. */
    int (*generate)(Dataset *d, int points, Rng *rng);
} DatasetInfo;

/* all's points split in two, by class: of each class's m points,
 * round(fraction m) chosen at random (from rng) go to test, the others to
 * train, each set keeping all's order. Returns 0, or -1 if out of memory or
 * if train would be empty. */
int dataset_split(const Dataset *all, double fraction, Rng *rng, Dataset *train, Dataset *test);

/* info's generator, then, if noise > 0, every point moved by a normal offset
 * of standard deviation noise in each coordinate (labels stay). */
int dataset_generate(const DatasetInfo *info, Dataset *d, int points, double noise, Rng *rng);

/* The table: dataset_table(&count) returns its rows. */
const DatasetInfo *dataset_table(int *count);
/* The row named name, or NULL. */
const DatasetInfo *dataset_find(const char *name);
/* "linear or xor": the names, for messages and help. */
void dataset_names(char *buf, size_t len, const char *last_sep);

#endif
