/* testutil.h - small helpers shared by the cmocka unit tests.
 *
 * Include after <cmocka.h>. Everything here is static inline so that each
 * test program stays one translation unit with no globals.
 */
#ifndef NNLAB_TESTUTIL_H
#define NNLAB_TESTUTIL_H

#include <math.h>
#include <stdlib.h>

#include "network.h"
#include "rng.h"

/* |a - b| / max(|a|, |b|, floor): relative error, turning into an absolute
 * error (scaled by 1/floor) when both values are smaller than floor. */
static inline double rel_err_floor(double a, double b, double floor)
{
    double scale = fmax(fmax(fabs(a), fabs(b)), floor);
    return fabs(a - b) / scale;
}

static inline double rel_err(double a, double b) { return rel_err_floor(a, b, 1e-8); }

/* Fails the test, naming the expression and both values, unless actual is
 * within relative error tol of expected (NaN never is). */
#define assert_close(actual, expected, tol)                                                        \
    do {                                                                                           \
        double close_a_ = (actual), close_e_ = (expected), close_t_ = (tol);                       \
        double close_r_ = rel_err(close_a_, close_e_);                                             \
        if (!(close_r_ <= close_t_))                                                               \
            fail_msg("%s = %.17g, expected %.17g (relative error %.3g > %.3g)", #actual, close_a_, \
                     close_e_, close_r_, close_t_);                                                \
    } while (0)

/* A (count) array of uniform values in [lo, hi). */
static inline void fill_uniform(double *v, int count, double lo, double hi, Rng *rng)
{
    for (int k = 0; k < count; k++)
        v[k] = lo + (hi - lo) * rng_uniform(rng);
}

/* a (n, width) laid out as a kernel's (n, ld) array, newly allocated: the
 * values past width are `pad`, which the kernels must not let show. */
static inline double *with_rows(const double *a, int n, int width, int ld, double pad)
{
    double *p = malloc(sizeof(double) * (size_t)(n * ld + 1));
    if (p)
        for (int k = 0; k < n; k++)
            for (int j = 0; j < ld; j++)
                p[k * ld + j] = j < width ? a[k * width + j] : pad;
    return p;
}

#endif
