/* dataset.c - the built-in toy data sets of the original project. */
#include "dataset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int xor_points(Dataset *d, int points, Rng *rng)
{
    (void)points, (void)rng; /* always the same 21 */
    return dataset_xor(d);
}

static const DatasetInfo table[] = {
    {"linear", "random points in [0,1)^2, label 0 if x1 > x2, else 1", DATASET_LINEAR_ROWS,
     dataset_linear},
    {"xor", "points on the two diagonals of [0,1]^2, one class each", DATASET_XOR_ROWS, xor_points},
};

const DatasetInfo *dataset_table(int *count)
{
    *count = (int)(sizeof table / sizeof table[0]);
    return table;
}

const DatasetInfo *dataset_find(const char *name)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(name, table[i].name) == 0)
            return &table[i];
    return NULL;
}

void dataset_names(char *buf, size_t len, const char *last_sep)
{
    int n = (int)(sizeof table / sizeof table[0]);
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s",
                                 i == 0       ? ""
                                 : i == n - 1 ? last_sep
                                              : ", ",
                                 table[i].name);
}
