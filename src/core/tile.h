/* tile.h - what the two files of dense kernels share, fast.c (the narrow
 * layers) and gemm.c (the wide ones): how their tile functions are
 * declared, and the activation's derivative they apply inside the input
 * gradient's tiles. Private to src/core; included after vecmath.h, once per
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

#endif
