/* dataset.c - the built-in toy data sets of the original project. */
#include "dataset.h"

#include <stdlib.h>
#include <string.h>

#include "names.h"

int dataset_alloc(Dataset *d, int n)
{
    d->n = n;
    d->x = calloc((size_t)n * 2 + 1, sizeof *d->x);
    d->y = calloc((size_t)n + 1, sizeof *d->y);
    if (!d->x || !d->y) {
        dataset_free(d);
        return -1;
    }
    return 0;
}

void dataset_free(Dataset *d)
{
    free(d->x);
    free(d->y);
    d->x = d->y = NULL;
    d->n = 0;
}

int dataset_linear(Dataset *d, int n, Rng *rng)
{
    if (dataset_alloc(d, n) != 0)
        return -1;
    for (int k = 0; k < n; k++) {
        double x1 = rng_uniform(rng);
        double x2 = rng_uniform(rng);
        d->x[2 * k] = x1;
        d->x[2 * k + 1] = x2;
        d->y[k] = x1 > x2 ? 0.0 : 1.0;
    }
    return 0;
}

int dataset_xor(Dataset *d)
{
    if (dataset_alloc(d, DATASET_XOR_ROWS) != 0)
        return -1;
    int k = 0;
    for (int i = 0; i <= 10; i++) {
        d->x[2 * k] = 0.1 * i;
        d->x[2 * k + 1] = 0.1 * i;
        d->y[k++] = 0.0;
        if (i == 5)
            continue; /* (0.5, 0.5) is already on the first diagonal */
        d->x[2 * k] = 0.1 * i;
        d->x[2 * k + 1] = 1.0 - 0.1 * i;
        d->y[k++] = 1.0;
    }
    return 0;
}

int dataset_generate(Dataset *d, DatasetKind kind, Rng *rng)
{
    switch (kind) {
    case DATASET_LINEAR:
        return dataset_linear(d, DATASET_LINEAR_ROWS, rng);
    case DATASET_XOR:
        return dataset_xor(d);
    }
    return -1;
}

static const char *const kind_names[] = {[DATASET_LINEAR] = "linear", [DATASET_XOR] = "xor"};

const char *dataset_kind_name(DatasetKind kind) { return kind_names[kind]; }

int dataset_kind_parse(const char *name, DatasetKind *kind)
{
    int i = name_index(kind_names, (int)(sizeof kind_names / sizeof *kind_names), name);
    if (i < 0)
        return -1;
    *kind = (DatasetKind)i;
    return 0;
}
