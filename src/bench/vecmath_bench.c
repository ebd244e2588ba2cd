/* vecmath_bench.c - `make bench-vecmath`: nnlab's vector exp, sigmoid and
 * tanh (fastmath.h, the AVX-512 kernels) against glibc's vector math library
 * (libmvec) and SLEEF on the same values, 8 doubles a call.
 *
 * Values are uniform in [-10, 10], where a network's pre-activations live;
 * 4096 of them, which stay in the L1/L2 cache, so that the functions' own
 * cost shows rather than memory's. Each function is timed REPEATS times,
 * the functions taking turns, and the median is printed in nanoseconds a
 * value, with the largest error against long double libm in units in the
 * last place. libmvec and SLEEF have no sigmoid: it is 1 / (1 + exp(-x))
 * with their exp, as a user of either would write it.
 *
 * Needs AVX-512F: on another processor it says so and exits.
 */
#include <immintrin.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "fastmath.h"

/* libmvec's AVX-512 entry points, as the x86-64 vector ABI names them, and
 * SLEEF's; called only from functions compiled for AVX-512, so that the ABI
 * of a build without it (which GCC warns about) does not matter. */
#pragma GCC diagnostic ignored "-Wpsabi"
__m512d _ZGVeN8v_exp(__m512d x);
__m512d _ZGVeN8v_tanh(__m512d x);
/* SLEEF's, as sleef.h declares them only to a build for AVX-512. */
__m512d Sleef_expd8_u10avx512f(__m512d x);
__m512d Sleef_tanhd8_u10avx512f(__m512d x);
__m512d Sleef_tanhd8_u35avx512f(__m512d x);

#define COUNT 4096
#define CALLS 2000 /* passes over the values a timing */
#define REPEATS 15

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef void (*ArrayFn)(double *out, const double *in, int count);

/* out[k] = f(in[k]), 8 at a time (count a multiple of 8). */
#define OVER_VECTORS(name, expr)                                                                   \
    __attribute__((target("avx512f"))) static void name(double *out, const double *in, int count)  \
    {                                                                                              \
        const __m512d one = _mm512_set1_pd(1.0), zero = _mm512_setzero_pd();                       \
        (void)one, (void)zero;                                                                     \
        for (int k = 0; k < count; k += 8) {                                                       \
            __m512d x = _mm512_loadu_pd(in + k);                                                   \
            _mm512_storeu_pd(out + k, expr);                                                       \
        }                                                                                          \
    }

OVER_VECTORS(mvec_exp, _ZGVeN8v_exp(x))
OVER_VECTORS(mvec_sigmoid,
             _mm512_div_pd(one, _mm512_add_pd(one, _ZGVeN8v_exp(_mm512_sub_pd(zero, x)))))
OVER_VECTORS(mvec_tanh, _ZGVeN8v_tanh(x))
OVER_VECTORS(sleef_exp, Sleef_expd8_u10avx512f(x))
OVER_VECTORS(sleef_sigmoid,
             _mm512_div_pd(one, _mm512_add_pd(one, Sleef_expd8_u10avx512f(_mm512_sub_pd(zero, x)))))
OVER_VECTORS(sleef_tanh_u10, Sleef_tanhd8_u10avx512f(x))
OVER_VECTORS(sleef_tanh_u35, Sleef_tanhd8_u35avx512f(x))

typedef enum { EXP, SIGMOID, TANH } Function;

typedef struct {
    const char *name;
    ArrayFn f;
    Function of;
} Entry;

static long double reference(Function of, double x)
{
    switch (of) {
    case EXP:
        return expl(x);
    case SIGMOID:
        return 1.0L / (1.0L + expl(-(long double)x));
    case TANH:
        return tanhl(x);
    }
    return 0.0L;
}

/* |got - ref| in units in the last place of ref rounded to double. */
static double ulps(double got, long double ref)
{
    double r = (double)ref, ulp = nextafter(fabs(r), INFINITY) - fabs(r);
    return (double)(fabsl((long double)got - ref) / ulp);
}

int main(void)
{
    if (!__builtin_cpu_supports("avx512f")) {
        puts("bench-vecmath: this processor has no AVX-512F; nothing compared");
        return 0;
    }
    const Entry entries[] = {
        {"nnlab exp", fastmath_exp, EXP},
        {"libmvec exp", mvec_exp, EXP},
        {"SLEEF exp (u10)", sleef_exp, EXP},
        {"nnlab sigmoid", fastmath_sigmoid, SIGMOID},
        {"libmvec 1/(1+exp(-x))", mvec_sigmoid, SIGMOID},
        {"SLEEF 1/(1+exp(-x))", sleef_sigmoid, SIGMOID},
        {"nnlab tanh", fastmath_tanh, TANH},
        {"libmvec tanh", mvec_tanh, TANH},
        {"SLEEF tanh (u10)", sleef_tanh_u10, TANH},
        {"SLEEF tanh (u35)", sleef_tanh_u35, TANH},
    };
    enum { N_ENTRIES = sizeof entries / sizeof *entries };
    static double in[COUNT], out[COUNT];
    unsigned state = 1;
    for (int k = 0; k < COUNT; k++) { /* a fixed LCG: the same values every run */
        state = state * 1664525u + 1013904223u;
        in[k] = 20.0 * ((double)(state >> 8) / (double)(1u << 24)) - 10.0;
    }
    double ns[N_ENTRIES][REPEATS];
    for (int r = 0; r < REPEATS; r++)
        for (int e = 0; e < N_ENTRIES; e++) {
            double t0 = now();
            for (int c = 0; c < CALLS; c++) {
                entries[e].f(out, in, COUNT);
                __asm__ volatile("" : : "r"(out) : "memory"); /* each call's results are used */
            }
            ns[e][r] = (now() - t0) / CALLS / COUNT * 1e9;
        }
    printf("%d values in [-10, 10], 8 doubles a call (AVX-512); median of %d timings\n", COUNT,
           REPEATS);
    printf("%-24s %12s %14s\n", "function", "ns a value", "max error ulp");
    for (int e = 0; e < N_ENTRIES; e++) {
        qsort(ns[e], REPEATS, sizeof(double), cmp_double);
        entries[e].f(out, in, COUNT);
        double worst = 0.0;
        for (int k = 0; k < COUNT; k++) {
            double u = ulps(out[k], reference(entries[e].of, in[k]));
            worst = u > worst ? u : worst;
        }
        printf("%-24s %12.3f %14.2f\n", entries[e].name, ns[e][REPEATS / 2], worst);
    }
    return 0;
}
