/* parallel.h - the fast engine on several threads: a batch's points in
 * chunks, each chunk a FastPass of its own, the gradients added up in chunk
 * order. Private to src/core; network.c uses it for ENGINE_FAST.
 *
 * How a batch of n points is cut depends on n alone: into
 * min(PAR_MAX_CHUNKS, ceil(n / PAR_CHUNK_ROWS)) chunks of nearly equal
 * size, consecutive points in each. Each chunk goes through the whole
 * network on its own, forward and backward, on whichever thread; its
 * gradient is its own, and the batch's is the sum of the chunks' gradients
 * in chunk order. So the threads change only which core computes a chunk,
 * never what is computed: the result is the same bits for any number of
 * threads.
 *
 * Within a chunk, the points go through the network a block of rows at a
 * time, forward and backward: a block of every layer's activations fits in
 * the core's cache (PAR_BLOCK_BYTES), so that a layer reads the rows the
 * layer before just wrote from the cache, not from memory (a million points
 * of 16 units a layer are 128 MB a layer). A training pass
 * (par_forward_backward) takes each block forward and back in turn, all of
 * a chunk's blocks through the same rows of activations, so that they
 * never leave the cache. A chunk's gradient is its
 * blocks' added up in order; blocks too are cut by n and the network alone.
 * With one chunk of one block (n at most PAR_CHUNK_ROWS and the block), a
 * pass is exactly a FastPass's. The layers are laid out for the parameters
 * (fast_prepare) once a pass, every chunk's before any block runs; the
 * wide layers' weights, in panels, once for all chunks (by chunk 0's).
 */
#ifndef NNLAB_PARALLEL_H
#define NNLAB_PARALLEL_H

#include "fast.h"

#define PAR_MAX_CHUNKS 8
#define PAR_CHUNK_ROWS 256 /* points a chunk holds at least, but for the last */
#define PAR_MAX_THREADS 64
#define PAR_BLOCK_BYTES (512 * 1024) /* a block's activations, all layers */
#define PAR_BLOCK_MIN_ROWS 256       /* but no fewer rows than this */

typedef struct {
    int threads;                /* threads a pass may use, the caller's included */
    int max_rows;               /* room */
    int n;                      /* the points set */
    int chunks;                 /* how many chunks those n points are in */
    int lo[PAR_MAX_CHUNKS + 1]; /* chunk c holds points lo[c] .. lo[c+1]-1 */
    int busy;                   /* threads the points set are worth (<= threads) */
    FastPass chunk[PAR_MAX_CHUNKS];
    int allocated;                /* chunk passes made */
    double *out, *logits;         /* (max_rows, K), no padding: the chunks' gathered */
    double *grad[PAR_MAX_CHUNKS]; /* the gradients of chunks 1.. (chunk 0's is the result's) */
    double *block_grad[PAR_MAX_CHUNKS]; /* each chunk's room for one block's gradient */
    int block_rows;                     /* rows of a block (the last of a chunk may be fewer) */
    int n_params;
    double madds_per_point; /* of a forward pass, to judge whether threads pay */
} ParallelPass;

/* Returns 0, or -1 if out of memory. threads >= 1. */
int par_pass_alloc(ParallelPass *p, const Network *net, int max_rows, int threads);
void par_pass_free(ParallelPass *p);
/* The points of the next passes: x (n, 2), n <= max_rows. */
void par_set_inputs(ParallelPass *p, const double *x, int n);
/* As fast_forward and fast_backward, for all n points; the outputs and the
 * logits are (n, K), without padding. */
const double *par_forward(const Network *net, ParallelPass *p);
const double *par_logits(const ParallelPass *p);
void par_backward(const Network *net, ParallelPass *p, const double *dout, int is_dz, double *grad);
/* par_forward, loss_backward for labels y (n) and par_backward in one pass
 * (network_forward_backward): each block forward and back in turn. */
const double *par_forward_backward(const Network *net, ParallelPass *p, Loss loss,
                                   const double *y, double *grad);

/* The cores this process may run on (its CPU affinity), at least 1. */
int par_cores_available(void);

#endif
