/* dataset.c - the built-in data sets: the original project's two, and the
 * classic 2-D problems of TensorFlow Playground and scikit-learn. */
#include "dataset.h"

#include <math.h>
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

/* ---- the classic 2-D problems, each about [-1, 1]^2, the points shared
 * evenly among the classes, class c taking points first(c) to first(c+1) - 1
 * (with two classes, class 1 takes the odd one) ------------------------------ */

#define TWO_PI 6.283185307179586476925

/* The first of the n points of class c of k. */
static int first(int c, int n, int k) { return (int)((long)c * n / k); }

/* Point i of n: its class of k. */
static int class_of_k(int i, int n, int k)
{
    int c = k - 1;
    while (first(c, n, k) > i)
        c--;
    return c;
}

static int class_of(int i, int n) { return class_of_k(i, n, 2); }

static void put(Dataset *d, int k, double x1, double x2, int label)
{
    d->x[2 * k] = x1;
    d->x[2 * k + 1] = x2;
    d->y[k] = label;
}

/* Class 1 inside radius 0.5, class 0 in the ring from 0.7 to 1: an angle
 * uniform in [0, 2 pi) and a radius uniform in the class's band. */
static int circle(Dataset *d, int n, Rng *rng)
{
    if (dataset_alloc(d, n) != 0)
        return -1;
    for (int k = 0; k < n; k++) {
        int c = class_of(k, n);
        double r = c ? 0.5 * rng_uniform(rng) : 0.7 + 0.3 * rng_uniform(rng);
        double t = TWO_PI * rng_uniform(rng);
        put(d, k, r * cos(t), r * sin(t), c);
    }
    return 0;
}

/* Playground's XOR: |x1| and |x2| uniform in [0.05, 1] (off the axes);
 * class 0 in the 1st and 3rd quadrants (x1 x2 > 0), class 1 in the others,
 * each quadrant of a class as likely. */
static int quadrants(Dataset *d, int n, Rng *rng)
{
    if (dataset_alloc(d, n) != 0)
        return -1;
    for (int k = 0; k < n; k++) { /* |x1|, |x2| uniform in [0.05, 1], signs by class */
        int c = class_of(k, n);
        double a1 = 0.05 + 0.95 * rng_uniform(rng), a2 = 0.05 + 0.95 * rng_uniform(rng);
        double s1 = rng_uniform(rng) < 0.5 ? -1.0 : 1.0, s2 = c ? -s1 : s1;
        put(d, k, s1 * a1, s2 * a2, c);
    }
    return 0;
}

/* Two normal blobs of standard deviation 0.2: class 1 around (0.4, 0.4),
 * class 0 around (-0.4, -0.4). */
static int gauss(Dataset *d, int n, Rng *rng)
{
    if (dataset_alloc(d, n) != 0)
        return -1;
    for (int k = 0; k < n; k++) {
        int c = class_of(k, n);
        double m = c ? 0.4 : -0.4;
        double x1 = m + 0.2 * rng_normal(rng), x2 = m + 0.2 * rng_normal(rng);
        put(d, k, x1, x2, c);
    }
    return 0;
}

/* Two interleaved arms: point j of its class's m, at t = j / m, lies at
 * radius t and angle 1.75 (2 pi) t, the second arm turned by pi. Fixed
 * positions: only --noise makes them random. */
static int spiral(Dataset *d, int n, Rng *rng)
{
    (void)rng;
    if (dataset_alloc(d, n) != 0)
        return -1;
    int m0 = n / 2;
    for (int k = 0; k < n; k++) {
        int c = class_of(k, n), m = c ? n - m0 : m0, j = c ? k - m0 : k;
        double t = (double)j / m, a = 1.75 * TWO_PI * t + (c ? TWO_PI / 2 : 0.0);
        put(d, k, t * sin(a), t * cos(a), c);
    }
    return 0;
}

/* scikit-learn's two moons, centred and scaled by 1/1.5: class 0 on the
 * upper half circle (cos s, sin s), class 1 on (1 - cos s, 0.5 - sin s),
 * s spaced evenly over [0, pi]; then x1 = (x1 - 0.5) / 1.5 and
 * x2 = (x2 - 0.25) / 1.5. */
static int moons(Dataset *d, int n, Rng *rng)
{
    (void)rng;
    if (dataset_alloc(d, n) != 0)
        return -1;
    int m0 = n / 2;
    for (int k = 0; k < n; k++) {
        int c = class_of(k, n), m = c ? n - m0 : m0, j = c ? k - m0 : k;
        double s = m > 1 ? TWO_PI / 2 * j / (m - 1) : 0.0;
        double x1 = c ? 1.0 - cos(s) : cos(s), x2 = c ? 0.5 - sin(s) : sin(s);
        put(d, k, (x1 - 0.5) / 1.5, (x2 - 0.25) / 1.5, c);
    }
    return 0;
}

/* cs231n's three arms: point j of its class c's m, at t = j / (m - 1), lies
 * at radius t and angle 4 (c + t) radians. Fixed positions, as spiral. */
static int spiral3(Dataset *d, int n, Rng *rng)
{
    (void)rng;
    if (dataset_alloc(d, n) != 0)
        return -1;
    for (int k = 0; k < n; k++) {
        int c = class_of_k(k, n, 3), m = first(c + 1, n, 3) - first(c, n, 3);
        double t = m > 1 ? (double)(k - first(c, n, 3)) / (m - 1) : 0.0, a = 4.0 * (c + t);
        put(d, k, t * sin(a), t * cos(a), c);
    }
    return 0;
}

/* Three normal blobs of standard deviation 0.25 around the corners of a
 * triangle: class c around 0.6 (sin, cos) of the angle c 2 pi / 3. */
static int blobs3(Dataset *d, int n, Rng *rng)
{
    if (dataset_alloc(d, n) != 0)
        return -1;
    for (int k = 0; k < n; k++) {
        int c = class_of_k(k, n, 3);
        double a = TWO_PI * c / 3;
        double x1 = 0.6 * sin(a) + 0.25 * rng_normal(rng), x2 = 0.6 * cos(a) + 0.25 * rng_normal(rng);
        put(d, k, x1, x2, c);
    }
    return 0;
}

static const DatasetInfo table[] = {
    {"linear", "random points in [0,1)^2, label 0 if x1 > x2, else 1", DATASET_LINEAR_ROWS, 0, 0.0,
     dataset_linear},
    {"xor", "points on the two diagonals of [0,1]^2, one class each", DATASET_XOR_ROWS, 1, 0.0,
     xor_points},
    {"circle", "a disc (class 1) inside a ring (class 0)", 200, 0, 0.5, circle},
    {"quadrants", "|x1|, |x2| uniform in [0.05,1], class 0 where x1 x2 > 0", 200, 0, 0.5, quadrants},
    {"gauss", "two normal blobs around (0.4,0.4) and (-0.4,-0.4)", 200, 0, 0.5, gauss},
    {"spiral", "two interleaved spiral arms", 200, 0, 0.5, spiral},
    {"moons", "scikit-learn's two interleaved half circles", 200, 0, 0.5, moons},
    {"spiral3", "three interleaved spiral arms, three classes", 300, 0, 0.5, spiral3},
    {"blobs3", "three normal blobs, three classes", 300, 0, 0.5, blobs3},
};

int dataset_classes(const Dataset *d)
{
    int classes = 2;
    for (int k = 0; k < d->n; k++)
        classes = (int)d->y[k] + 1 > classes ? (int)d->y[k] + 1 : classes;
    return classes;
}

int dataset_split(const Dataset *all, double fraction, Rng *rng, Dataset *train, Dataset *test)
{
    int n = all->n, classes = dataset_classes(all), n_test = 0, rc = -1;
    int *order = malloc((size_t)n * sizeof *order);
    char *in_test = calloc((size_t)n + 1, 1);
    memset(train, 0, sizeof *train);
    memset(test, 0, sizeof *test);
    if (!order || !in_test)
        goto done;
    for (int c = 0; c < classes; c++) {
        int m = 0;
        for (int k = 0; k < n; k++)
            if ((int)all->y[k] == c)
                order[m++] = k;
        for (int k = m - 1; k > 0; k--) { /* Fisher-Yates */
            int j = (int)(rng_uniform(rng) * (k + 1)), t = order[k];
            order[k] = order[j], order[j] = t;
        }
        int take = (int)lround(fraction * m);
        for (int k = 0; k < take; k++)
            in_test[order[k]] = 1;
        n_test += take;
    }
    if (n_test == n || dataset_alloc(train, n - n_test) != 0 || dataset_alloc(test, n_test) != 0)
        goto done;
    for (int k = 0, a = 0, b = 0; k < n; k++) {
        Dataset *to = in_test[k] ? test : train;
        int i = in_test[k] ? b++ : a++;
        to->x[2 * i] = all->x[2 * k], to->x[2 * i + 1] = all->x[2 * k + 1];
        to->y[i] = all->y[k];
    }
    rc = 0;
done:
    if (rc != 0) {
        dataset_free(train);
        dataset_free(test);
    }
    free(order);
    free(in_test);
    return rc;
}

int dataset_generate(const DatasetInfo *info, Dataset *d, int points, double noise, Rng *rng)
{
    if (info->generate(d, points, rng) != 0)
        return -1;
    if (noise > 0)
        for (int k = 0; k < 2 * d->n; k++)
            d->x[k] += noise * rng_normal(rng);
    return 0;
}

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
