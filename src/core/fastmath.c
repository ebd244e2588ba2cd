/* fastmath.c - vectorisable exp, sigmoid and tanh (see fastmath.h).
 *
 * All three start from the same reduction: for a (clamped) argument t,
 *
 *     t = n ln2 + r,   n an integer, |r| <= ln2/2,
 *     e^t = 2^n e^r,   e^r = P(r) / P(-r),
 *
 * where P/P(-r) is the [6/6] Pade approximant of e^r, whose error on that
 * interval is below 2^-62. Writing P(r) = E + r O with E and O even
 * polynomials, P(-r) = E - r O, so both come from the same few products.
 * A Pade approximant costs a division, but each function here needs one
 * division anyway and can fold the quotient into it: sigmoid and tanh are
 * each a single quotient of two linear combinations of P and Q.
 *
 * The scalar helpers below are static inline and have no calls and no
 * branches (the conditionals become vector selects, and isless/isgreater are
 * quiet comparisons that NaN fails), so each loop at the end of the file
 * compiles to SIMD code - given -fno-trapping-math (see the Makefile); GCC
 * keeps them scalar without it, correct but slow. This is not a general
 * libm: double precision only, and just what the activations need.
 */
#include "fastmath.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t bits_of(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static inline double double_of(uint64_t u)
{
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

/* Adding 1.5 * 2^52 to a double of magnitude below 2^51 rounds it to an
 * integer n and leaves n, as two's complement, in the low bits of the sum. */
#define ROUNDER 0x1.8p52
#define LOG2E 0x1.71547652b82fep+0
/* ln 2 = LN2_HI + LN2_LO to about 2^-100, LN2_HI with 42 significant bits so
 * that n * LN2_HI is exact for every |n| < 2^11. */
#define LN2_HI 0x1.62e42fefa38p-1
#define LN2_LO 0x1.ef35793c7673p-45

/* e^t = 2^n P / Q, see the top of the file. */
typedef struct {
    double kd; /* n + ROUNDER: n in the low bits */
    double n;
    double r;
    double rO; /* r O(r^2), the odd part of P */
    double P, Q;
} Reduced;

static inline Reduced reduce(double t)
{
    Reduced s;
    s.kd = t * LOG2E + ROUNDER;
    s.n = s.kd - ROUNDER;
    s.r = (t - s.n * LN2_HI) - s.n * LN2_LO;
    /* P(r) = sum_k (12-k)! 6! / (12! k! (6-k)!) r^k, k = 0..6 */
    double u = s.r * s.r;
    double E = 1.0 + u * (5.0 / 44.0 + u * (1.0 / 792.0 + u * (1.0 / 665280.0)));
    double O = 1.0 / 2.0 + u * (1.0 / 66.0 + u * (1.0 / 15840.0));
    s.rO = s.r * O;
    s.P = E + s.rO;
    s.Q = E - s.rO;
    return s;
}

/* 2^n from n + ROUNDER, for -1022 <= n <= 1023: n << 52 plus the exponent
 * bias. The ROUNDER bits themselves shift out. */
static inline double pow2_of(double kd) { return double_of((bits_of(kd) << 52) + bits_of(1.0)); }

/* e^x. Below -746 the result is 0 and above 710 infinite, so the argument
 * is clamped there (NaN passes the clamps). 2^n is applied as 2^n1 2^n2
 * with n1 near n/2, both factors normal even where e^x is subnormal or near
 * overflow, so that the result rounds once. */
static inline double exp1(double x)
{
    double t = isless(x, -746.0) ? -746.0 : x;
    t = isgreater(t, 710.0) ? 710.0 : t;
    Reduced s = reduce(t);
    double kd1 = s.n * 0.5 + ROUNDER;
    double kd2 = (s.n - (kd1 - ROUNDER)) + ROUNDER;
    return s.P / s.Q * pow2_of(kd1) * pow2_of(kd2);
}

/* 1 / (1 + e^-x) for x in [-750, 40], the range the clamp in
 * fastmath_sigmoid leaves. With t = -x and e^t = 2^n P / Q:
 *     1 / (1 + e^t) = Q / (Q + 2^n P)
 * so the one division of the Pade approximant is the only one. Both Q and
 * 2^n P are taken 2^64 times too small, which their ratio does not see:
 * 2^(n-64) stays a normal number over the whole range, and where the result
 * is subnormal (x in [-745, -708]) the division rounds it once. */
static inline double sigmoid_clamped(double x)
{
    Reduced s = reduce(-x);
    double Q = s.Q * 0x1p-64;
    double sP = s.P * double_of((bits_of(s.kd) << 52) + bits_of(0x1p-64)); /* P 2^(n-64) */
    return Q / (Q + sP);
}

/* tanh x for x in [-20, 20]; beyond, tanh x rounds to +-1, which is what this
 * gives at the ends, so fastmath_tanh clamps first.
 *     tanh|x| = (e^2|x| - 1) / (e^2|x| + 1),   e^2|x| = 2^n P / Q,
 *     e^2|x| - 1 = ((2^n - 1) P + 2 r O) / Q     (P - Q = 2 r O)
 *     e^2|x| + 1 = (2^n P + Q) / Q
 * The numerator has no cancellation, so small x keeps its relative accuracy;
 * 2^n - 1 is exact (n <= 58). */
static inline double tanh_clamped(double x)
{
    Reduced s = reduce(2.0 * fabs(x));
    double p2 = pow2_of(s.kd);
    double num = (p2 - 1.0) * s.P + 2.0 * s.rO;
    double den = p2 * s.P + s.Q;
    return copysign(num / den, x);
}

/* x clamped to [lo, hi]; NaN fails both comparisons and passes. Done in a
 * loop of its own, which measured 1.4x faster than clamping inside the
 * loops below: there the compiler turns each clamp into selects of constant
 * results at the end, and every value's chain of dependent operations grows
 * longer. */
static void clamp(double *out, const double *in, int count, double lo, double hi)
{
#pragma omp simd
    for (int k = 0; k < count; k++) {
        double x = in[k] < lo ? lo : in[k];
        out[k] = x > hi ? hi : x;
    }
}

void fastmath_exp(double *out, const double *in, int count)
{
#pragma omp simd
    for (int k = 0; k < count; k++)
        out[k] = exp1(in[k]);
}

void fastmath_sigmoid(double *out, const double *in, int count)
{
    clamp(out, in, count, -750.0, 40.0); /* 0 below, 1 above */
#pragma omp simd
    for (int k = 0; k < count; k++)
        out[k] = sigmoid_clamped(out[k]);
}

void fastmath_tanh(double *out, const double *in, int count)
{
    clamp(out, in, count, -20.0, 20.0);
#pragma omp simd
    for (int k = 0; k < count; k++)
        out[k] = tanh_clamped(out[k]);
}
