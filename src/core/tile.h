/* tile.h - what the two files of dense kernels share, fast.c (the narrow
 * layers) and gemm.c (the wide ones): how their tile functions are
 * declared, the activation's derivative they apply inside the input
 * gradient's tiles, and a 4x4 transpose in registers. Private to src/core; included after vecmath.h, once per
 * vector width like those files (fast.h).
 */
#ifndef NNLAB_TILE_H
#define NNLAB_TILE_H

#include "network.h"
#include "vecmath.h"

/* The tile functions take their tile shape as arguments that are constants
 * at every call; they must be inlined for the partial sums to live in
 * registers, which the compiler's size heuristics do not always see. */
#define TILE_KERNEL static inline __attribute__((always_inline))

/* d f'(z) for a = f(z), a vector at a time: activation_backward (plain.c)
 * inside the input gradient's tiles. */
TILE_KERNEL vec derivative_times(vec d, vec a, Activation act)
{
    switch (act) {
    case ACT_SIGMOID:
        return d * (a * (1.0 - a));
    case ACT_TANH:
        return d * (1.0 - a * a);
    case ACT_RELU:
        return (vec)((vec_mask)d & (a > (vec){0}));
    case ACT_NONE:
    case ACT_SOFTMAX: /* never a hidden layer's */
        break;
    }
    return d;
}

#if defined(__AVX__)
/* Four doubles, for the transposes of fast.c and gemm.c, which go by 4x4
 * blocks whatever the vector width. */
typedef double quad __attribute__((vector_size(4 * sizeof(double))));
typedef double quad_in_array
    __attribute__((vector_size(4 * sizeof(double)), aligned(sizeof(double)), may_alias));

static inline quad quad_load(const double *p) { return *(const quad_in_array *)p; }
static inline void quad_store(double *p, quad v) { *(quad_in_array *)p = v; }

/* The 4x4 block at a (rows lda apart) transposed into t (rows ldt apart):
 * row r of a becomes column r of t, in registers. */
static inline void transpose_4x4(double *t, size_t ldt, const double *a, size_t lda)
{
    quad a0 = quad_load(a), a1 = quad_load(a + lda), a2 = quad_load(a + 2 * lda),
         a3 = quad_load(a + 3 * lda);
    quad t0 = __builtin_shufflevector(a0, a1, 0, 4, 2, 6),
         t1 = __builtin_shufflevector(a0, a1, 1, 5, 3, 7),
         t2 = __builtin_shufflevector(a2, a3, 0, 4, 2, 6),
         t3 = __builtin_shufflevector(a2, a3, 1, 5, 3, 7);
    quad_store(t, __builtin_shufflevector(t0, t2, 0, 1, 4, 5));
    quad_store(t + ldt, __builtin_shufflevector(t1, t3, 0, 1, 4, 5));
    quad_store(t + 2 * ldt, __builtin_shufflevector(t0, t2, 2, 3, 6, 7));
    quad_store(t + 3 * ldt, __builtin_shufflevector(t1, t3, 2, 3, 6, 7));
}
#endif

#endif
