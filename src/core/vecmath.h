/* vecmath.h - one vector register of doubles, and exp, sigmoid and tanh on
 * it: the kernels behind fastmath.h, private to src/core. fastmath.c runs
 * them over arrays; network.c uses the vector type for its dense kernels.
 *
 * The vectors are GCC/Clang vector extensions, one register of the target:
 * eight doubles with AVX-512, four with AVX (AVX2), two elsewhere (SSE2,
 * NEON). The target is the file's: -march=native, or one of the kernel
 * variants a NATIVE=0 build compiles (see fast.h).
 *
 * All three functions start from the same reduction: for a (clamped)
 * argument t,
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
 * This is not a general libm: double precision only, and just what the
 * activations need. The operations are those of IEEE arithmetic with a*b+c
 * possibly fused (see FPFLAGS in the Makefile), never -ffast-math.
 */
#ifndef NNLAB_VECMATH_H
#define NNLAB_VECMATH_H

#include <string.h>

#if defined(__AVX__) || defined(__SSE2__)
#include <immintrin.h>
#endif

#if defined(__AVX512F__)
#define VLEN 8 /* 512-bit registers */
#elif defined(__AVX__)
#define VLEN 4 /* 256-bit registers */
#else
#define VLEN 2 /* SSE2, NEON and the like: 128-bit */
#endif
typedef double vec __attribute__((vector_size(VLEN * sizeof(double))));

/* What a comparison of two vecs gives: all ones in a true lane, else 0; also
 * the lanes of a vec as bits. */
typedef long long vec_mask __attribute__((vector_size(VLEN * sizeof(double))));

/* The same vector as it may sit in an array of doubles: any alignment of a
 * double, and allowed to alias one. */
typedef double vec_in_array
    __attribute__((vector_size(VLEN * sizeof(double)), aligned(sizeof(double)), may_alias));

static inline vec vec_load(const double *p) { return *(const vec_in_array *)p; }

static inline void vec_store(double *p, vec v) { *(vec_in_array *)p = v; }

/* x in every lane: one broadcast (0 + x would turn -0 into +0, and
 * setting the lanes in a loop compiled to a chain of shuffles). */
static inline vec vec_splat(double x)
{
#if VLEN == 8
    return (vec){x, x, x, x, x, x, x, x};
#elif VLEN == 4
    return (vec){x, x, x, x};
#else
    return (vec){x, x};
#endif
}

/* x clamped to [lo, hi] lane by lane; NaN passes. One instruction a side on
 * x86 (maxpd/minpd return their second operand when either is NaN), which
 * is why the kernels below can clamp inline: written as comparisons, GCC
 * turned the clamps into selects of constant results at the end of each
 * kernel (or, as vector masks, kept them in memory), and clamping in a pass
 * of its own cost a fifth of the sigmoid. */
static inline vec vec_clamp(vec x, double lo, double hi)
{
#if defined(__AVX512F__)
    x = _mm512_max_pd(_mm512_set1_pd(lo), x);
    return _mm512_min_pd(_mm512_set1_pd(hi), x);
#elif defined(__AVX__)
    x = _mm256_max_pd(_mm256_set1_pd(lo), x);
    return _mm256_min_pd(_mm256_set1_pd(hi), x);
#elif defined(__SSE2__)
    x = _mm_max_pd(_mm_set1_pd(lo), x);
    return _mm_min_pd(_mm_set1_pd(hi), x);
#else
    vec_mask below = (x < vec_splat(lo));
    vec_mask above = (x > vec_splat(hi));
    x = (vec)(((vec_mask)vec_splat(lo) & below) | ((vec_mask)x & ~below));
    return (vec)(((vec_mask)vec_splat(hi) & above) | ((vec_mask)x & ~above));
#endif
}

/* Adding ROUNDER = 1.5 * 2^52 to a double of magnitude below 2^51 rounds it
 * to an integer n and leaves n, as two's complement, in the low bits of the
 * sum. Adding ROUNDER + b instead, for an integer b, leaves n + b there: with
 * b = 1023 + e, the exponent bias plus e, shifting those bits up into the
 * exponent field gives 2^(n+e) in one instruction (vm_pow2). */
#define VM_ROUNDER 0x1.8p52
#define VM_ROUNDER_POW2(e) (VM_ROUNDER + (1023 + (e)))
#define VM_LOG2E 0x1.71547652b82fep+0
/* ln 2 = LN2_HI + LN2_LO to about 2^-100, LN2_HI with 42 significant bits so
 * that n * LN2_HI is exact for every |n| < 2^11. */
#define VM_LN2_HI 0x1.62e42fefa38p-1
#define VM_LN2_LO 0x1.ef35793c7673p-45

/* e^t = 2^n P / Q, see the top of the file. */
typedef struct {
    vec kd; /* t log2(e) + rounder rounded: n + b in the low bits */
    vec n;
    vec r;
    vec rO; /* r O(r^2), the odd part of P */
    vec P, Q;
} Reduced;

/* The reduction of t, with a rounder as above, and P and Q both times
 * `scale`, a power of two: exact, as the coefficients carry it. */
static inline Reduced vm_reduce(vec t, double rounder, double scale)
{
    Reduced s;
    s.kd = t * VM_LOG2E + rounder;
    s.n = s.kd - rounder;
    s.r = (t - s.n * VM_LN2_HI) - s.n * VM_LN2_LO;
    /* P(r) = sum_k (12-k)! 6! / (12! k! (6-k)!) r^k, k = 0..6 */
    vec u = s.r * s.r;
    vec E = scale + u * (scale * (5.0 / 44.0) +
                         u * (scale * (1.0 / 792.0) + u * (scale * (1.0 / 665280.0))));
    vec O = scale * (1.0 / 2.0) + u * (scale * (1.0 / 66.0) + u * (scale * (1.0 / 15840.0)));
    s.rO = s.r * O;
    s.P = E + s.rO;
    s.Q = E - s.rO;
    return s;
}

/* 2^(n+e) from kd = n + VM_ROUNDER_POW2(e), for -1022 <= n + e <= 1023:
 * the low bits n + 1023 + e become the exponent field, the rest shift out. */
static inline vec vm_pow2(vec kd) { return (vec)((vec_mask)kd << 52); }

/* e^x. Below -746 the result is 0 and above 710 infinite, so the argument
 * is clamped there (NaN passes the clamps). 2^n is applied as 2^n1 2^n2
 * with n1 near n/2, both factors normal even where e^x is subnormal or near
 * overflow, so that the result rounds once. */
static inline vec vm_exp(vec x)
{
    Reduced s = vm_reduce(vec_clamp(x, -746.0, 710.0), VM_ROUNDER, 1.0);
    vec kd1 = s.n * 0.5 + VM_ROUNDER_POW2(0);
    vec kd2 = (s.n - (kd1 - VM_ROUNDER_POW2(0))) + VM_ROUNDER_POW2(0);
    return s.P / s.Q * vm_pow2(kd1) * vm_pow2(kd2);
}

/* 1 / (1 + e^-x), x first clamped to [-750, 40]: 0 below, 1 above. With
 * t = -x and e^t = 2^n P / Q:
 *     1 / (1 + e^t) = Q / (Q + 2^n P)
 * so the one division of the Pade approximant is the only one. Both Q and
 * 2^n P are taken 2^64 times too small, which their ratio does not see:
 * P and Q come out of vm_reduce that way, and 2^n P by adding n to the
 * exponent of 2^-64 P, which stays a normal number over the whole range (n
 * from -58 to 1082; 2^n itself would overflow); where the result is
 * subnormal (x in [-745, -708]) the division rounds it once. */
static inline vec vm_sigmoid(vec x)
{
    Reduced s = vm_reduce(-vec_clamp(x, -750.0, 40.0), VM_ROUNDER, 0x1p-64);
    vec sP = (vec)((vec_mask)s.P + ((vec_mask)s.kd << 52)); /* P 2^(n-64) */
    return s.Q / (s.Q + sP);
}

/* tanh x, x first clamped to [-20, 20]: beyond, tanh x rounds to +-1, which is
 * what this gives there.
 *     tanh|x| = (e^2|x| - 1) / (e^2|x| + 1),   e^2|x| = 2^n P / Q,
 *     e^2|x| - 1 = ((2^n - 1) P + 2 r O) / Q     (P - Q = 2 r O)
 *     e^2|x| + 1 = (2^n P + Q) / Q
 * The numerator has no cancellation, so small x keeps its relative accuracy;
 * 2^n - 1 is exact (n <= 58). */
static inline vec vm_tanh(vec x)
{
    vec_mask sign = (vec_mask)vec_splat(-0.0);
    vec ax = (vec)((vec_mask)vec_clamp(x, -20.0, 20.0) & ~sign);
    Reduced s = vm_reduce(2.0 * ax, VM_ROUNDER_POW2(0), 1.0);
    vec p2 = vm_pow2(s.kd);
    vec num = (p2 - 1.0) * s.P + 2.0 * s.rO;
    vec den = p2 * s.P + s.Q;
    return (vec)((vec_mask)(num / den) | ((vec_mask)x & sign));
}

#endif
