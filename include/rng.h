/* rng.h - a small seeded random number generator (PCG32, XSH-RR variant).
 *
 * Every random draw in nnlab goes through an Rng passed in explicitly, so a
 * seed fully determines a run on every machine. There is no hidden state.
 */
#ifndef NNLAB_RNG_H
#define NNLAB_RNG_H

#include <stdint.h>

typedef struct {
    uint64_t state;
    uint64_t inc; /* stream selector, always odd */
} Rng;

void rng_seed(Rng *rng, uint64_t seed);
/* Independent sequences from one seed: stream 0 is rng_seed's. */
void rng_seed_stream(Rng *rng, uint64_t seed, uint64_t stream);
uint32_t rng_u32(Rng *rng);
/* Uniform in [0, 1) with 53 random bits. */
double rng_uniform(Rng *rng);
/* Standard normal (Box-Muller, one of the pair per call). */
double rng_normal(Rng *rng);

#endif
