/* rng.c - PCG32 (O'Neill, "PCG: A Family of Simple Fast Space-Efficient
 * Statistically Good Algorithms for Random Number Generation", 2014). */
#include "rng.h"

#include <math.h>

#define TWO_PI 6.283185307179586476925

#define PCG_MULTIPLIER 6364136223846793005ULL

void rng_seed(Rng *rng, uint64_t seed) { rng_seed_stream(rng, seed, 0); }

void rng_seed_stream(Rng *rng, uint64_t seed, uint64_t stream)
{
    rng->state = 0;
    rng->inc = ((seed + stream * 0x9e3779b97f4a7c15ULL) << 1u) | 1u;
    rng_u32(rng);
    rng->state += 0x853c49e6748fea9bULL ^ seed;
    rng_u32(rng);
}

uint32_t rng_u32(Rng *rng)
{
    uint64_t old = rng->state;
    rng->state = old * PCG_MULTIPLIER + rng->inc;
    uint32_t xorshifted = (uint32_t)(((old >> 18u) ^ old) >> 27u);
    uint32_t rot = (uint32_t)(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((-rot) & 31u));
}

double rng_uniform(Rng *rng)
{
    uint64_t hi = rng_u32(rng) >> 5; /* 27 bits */
    uint64_t lo = rng_u32(rng) >> 6; /* 26 bits */
    return (double)((hi << 26) | lo) * (1.0 / 9007199254740992.0);
}

double rng_normal(Rng *rng)
{
    double u = 1.0 - rng_uniform(rng); /* in (0, 1]: log(u) is finite */
    double v = rng_uniform(rng);
    return sqrt(-2.0 * log(u)) * cos(TWO_PI * v);
}
