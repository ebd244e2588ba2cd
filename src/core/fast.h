/* fast.h - the fast engine's layout: how its kernels keep a network's
 * passes in memory. Private to src/core (and the tests of the kernels);
 * network.h is what the rest of the program sees.
 *
 * The whole batch moves through the network at once, sample-major: a
 * layer's activations for n points are an (n, ld) array, row k holding
 * point k's units, and the inner loops run along the units. ld is the
 * layer's width rounded up to a multiple of NET_ROW_ALIGN (the extra units
 * are padding that meets zero weights), except for a single output, whose
 * n values are contiguous.
 */
#ifndef NNLAB_FAST_H
#define NNLAB_FAST_H

#include <stddef.h>

#include "network.h"

/* The kernels (fast.c, fastmath.c) are compiled once per vector width the
 * build supports, each copy under its own names: with -march=native once
 * (variant `native`), and in a NATIVE=0 build for x86-64 three times
 * (`avx512`, `avx2`, `sse2`), the Makefile defining KERNEL_VARIANT for each
 * compile. The functions below without a variant are kernels.c's: they pick
 * the widest variant the running processor has when a pass or a layer is
 * made, and keep that choice in it (FastPass.kernels, Dense.kernels). */
#ifdef KERNEL_VARIANT
#define KERNEL_NAME__(f, v) f##_##v
#define KERNEL_NAME_(f, v) KERNEL_NAME__(f, v)
#define KERNEL_NAME(f) KERNEL_NAME_(f, KERNEL_VARIANT)
#define KERNEL_STR_(v) #v
#define KERNEL_STR(v) KERNEL_STR_(v)
#define KERNEL_VARIANT_NAME KERNEL_STR(KERNEL_VARIANT)
#define fast_dense_alloc KERNEL_NAME(fast_dense_alloc)
#define fast_dense_free KERNEL_NAME(fast_dense_free)
#define fast_dense_prepare KERNEL_NAME(fast_dense_prepare)
#define fast_dense_forward KERNEL_NAME(fast_dense_forward)
#define fast_dense_backward KERNEL_NAME(fast_dense_backward)
#define fast_activation_forward KERNEL_NAME(fast_activation_forward)
#define fast_activation_backward KERNEL_NAME(fast_activation_backward)
#define fast_pass_alloc KERNEL_NAME(fast_pass_alloc)
#define fast_pass_free KERNEL_NAME(fast_pass_free)
#define fast_set_inputs KERNEL_NAME(fast_set_inputs)
#define fast_forward KERNEL_NAME(fast_forward)
#define fast_backward KERNEL_NAME(fast_backward)
#define fastmath_exp KERNEL_NAME(fastmath_exp)
#define fastmath_sigmoid KERNEL_NAME(fastmath_sigmoid)
#define fastmath_tanh KERNEL_NAME(fastmath_tanh)
#define gemm_prepare KERNEL_NAME(gemm_prepare)
#define gemm_forward KERNEL_NAME(gemm_forward)
#define gemm_weight_grad KERNEL_NAME(gemm_weight_grad)
#define gemm_input_grad KERNEL_NAME(gemm_input_grad)
#define gemm_panels_room KERNEL_NAME(gemm_panels_room)
#endif

/* Rows of hidden layers (and of the inputs) are padded to a multiple of
 * this many units, so that the kernels work in whole vectors: the widest
 * vector of the build's kernels (eight doubles with AVX-512, four with AVX,
 * two elsewhere). A build of several variants sets NNLAB_ROW_ALIGN for all
 * its files, so that every variant lays out a pass the same way. */
#if defined(NNLAB_ROW_ALIGN)
#define NET_ROW_ALIGN NNLAB_ROW_ALIGN
#elif defined(__AVX512F__)
#define NET_ROW_ALIGN 8
#elif defined(__AVX__)
#define NET_ROW_ALIGN 4
#else
#define NET_ROW_ALIGN 2
#endif

struct FastKernels;

/* count rounded up to a multiple of NET_ROW_ALIGN: the row length of a
 * hidden layer of count units. */
static inline int net_round_up(int count)
{
    return (count + NET_ROW_ALIGN - 1) / NET_ROW_ALIGN * NET_ROW_ALIGN;
}

/* A dense layer's weights as its kernels read them, rebuilt from the
 * parameters by fast_dense_prepare before each pass. ld_in and ld_out are
 * the row lengths of the layer's input and output arrays, at least in and
 * out: multiples of NET_ROW_ALIGN, except that a single output may have
 * ld_out 1. */
typedef struct {
    int in, out, ld_in, ld_out;
    const double *W, *bias; /* the parameters, (out, in) and (out) */
    double *WT;             /* (in + 1, ld_out): W transposed, then the bias; zero past out */
    double *W_padded;       /* (out, ld_in): room for W with its rows padded, if ld_in > in */
    double *dWT;            /* (in, ld_out): room for the weight gradient of a narrow input */
    /* A wide layer's (gemm.c): WT and W_padded hold the same values in
     * panels, and panels_room is room for a block of the weight gradient's
     * operands in panels. */
    double *panels_room;
    int shares_panels; /* WT and W_padded are another pass's (fast_dense_share_panels) */
    const struct FastKernels *kernels; /* the variant that made it */
    double *scratch; /* the pass's room for a wide layer's input gradient, or NULL */
} Dense;

/* Returns 0, or -1 if out of memory. */
int fast_dense_alloc(Dense *d, int in, int out, int ld_in, int ld_out);
void fast_dense_free(Dense *d);
/* Points d at W (out, in) and bias (out) and lays them out for the kernels. */
void fast_dense_prepare(Dense *d, const double *W, const double *bias);

/* inp is (n, ld_in) and out, dout (n, ld_out), with d prepared; the padding
 * of inp must be finite (the network's is 0 or f(0)), for it meets zero
 * weights. dW (out, in) and dbias (out) are set, not added to. dinp (n,
 * ld_in) = dout W is skipped if NULL, and may be inp itself, which it then
 * replaces. */
void fast_dense_forward(double *out, const double *inp, const Dense *d, int n);
void fast_dense_backward(double *dinp, double *dW, double *dbias, const double *dout,
                         const double *inp, const Dense *d, int n);
/* a = f(z) (a may be z); dz = da f'(z), where a = f(z) (dz may be da). */
void fast_activation_forward(double *a, const double *z, int count, Activation act);
void fast_activation_backward(double *dz, const double *da, const double *a, int count,
                              Activation act);

/* The products of a wide layer (gemm.c), blocked for the caches: what
 * fast_dense_forward and fast_dense_backward compute, each sum over its
 * terms in the same order. The layer's WT, W_padded (both always
 * allocated) and panels_room (gemm_panels_room(ld_in, ld_out) doubles) are
 * laid out for them: gemm_prepare, once fast_dense_prepare has set W and
 * bias, puts the weights in panels. gemm_weight_grad sets dW and dbias.
 * gemm_input_grad multiplies by f'(z) of the layer below, whose outputs
 * f(z) dinp holds and replaces; it needs d->scratch (n, ld_in) if out >
 * 256 (gemm.c's GEMM_DEPTH) and act_below is not ACT_NONE. */
void gemm_prepare(Dense *d);
void gemm_forward(double *out, const double *inp, const Dense *d, int n);
void gemm_weight_grad(double *dW, double *dbias, const double *dout, const double *inp,
                      const Dense *d, int n);
void gemm_input_grad(double *dinp, const double *dout, const Dense *d, int n, Activation act_below);
size_t gemm_panels_room(int ld_in, int ld_out);

/* The fast engine's workspace for passing up to max_rows points. */
typedef struct {
    int max_rows, n;            /* room, and the points set */
    int ld[NET_MAX_LAYERS + 1]; /* row length of act[l] */
    /* After fast_forward, act[0] holds the inputs (n, ld[0]) and act[l]
     * hidden layer l's outputs (n, ld[l]). fast_backward then overwrites
     * act[1] .. act[n_layers - 1] with dLoss/dz of those layers, z their
     * pre-activations. */
    double *act[NET_MAX_LAYERS + 1];
    /* The output layer's K values per point in rows without padding:
     * act[L] is only room for its z with padded rows, if K > 1. */
    double *logits;              /* pre-activations z (n, K) */
    double *out;                 /* outputs f(z) (n, K) */
    double *dout; /* dLoss/dz (n, K); the loss may first leave dLoss/doutputs here,
                   * which fast_backward turns into dLoss/dz in place */
    Dense layer[NET_MAX_LAYERS]; /* the weights of each layer, laid out for a pass */
    /* where each layer's weights and biases sit in params (and grad) */
    int w_off[NET_MAX_LAYERS], b_off[NET_MAX_LAYERS];
    const struct FastKernels *kernels; /* the variant that made it */
    double *scratch; /* (max_rows, widest input of a wide layer), see gemm_input_grad */
    /* Set where the layers are already laid out for the parameters of this
     * pass (fast_prepare; parallel.c does it for every chunk before its
     * blocks run): fast_forward then leaves them as they are. */
    int prepared;
} FastPass;

int fast_pass_alloc(FastPass *p, const Network *net, int max_rows);
void fast_pass_free(FastPass *p);
void fast_set_inputs(FastPass *p, const double *x, int n);
const double *fast_forward(const Network *net, FastPass *p);
/* The hidden layers' outputs in act are used up: each is overwritten by the
 * gradient that the layer above passes down, which halves the memory an
 * epoch goes through. The output row (fast_forward's result) is kept. */
void fast_backward(const Network *net, FastPass *p, const double *dout, int is_dz, double *grad);

/* Room for count doubles starting on a cache line, zeroed; free() it. */
double *fast_alloc_lines(size_t count);

/* One variant of the kernels: its functions above, and those of fastmath.h. */
typedef enum { KERNELS_AVX512, KERNELS_AVX2, KERNELS_SSE2, KERNELS_NATIVE } KernelIsa;
typedef struct FastKernels {
    const char *name; /* the variant: avx512, avx2, sse2 or native */
    KernelIsa isa;    /* what the processor must have to run it */
    int vlen;         /* doubles a vector */
    int (*dense_alloc)(Dense *d, int in, int out, int ld_in, int ld_out);
    void (*dense_free)(Dense *d);
    void (*dense_prepare)(Dense *d, const double *W, const double *bias);
    void (*dense_forward)(double *out, const double *inp, const Dense *d, int n);
    void (*dense_backward)(double *dinp, double *dW, double *dbias, const double *dout,
                           const double *inp, const Dense *d, int n);
    void (*activation_forward)(double *a, const double *z, int count, Activation act);
    void (*activation_backward)(double *dz, const double *da, const double *a, int count,
                                Activation act);
    int (*pass_alloc)(FastPass *p, const Network *net, int max_rows);
    void (*pass_free)(FastPass *p);
    void (*set_inputs)(FastPass *p, const double *x, int n);
    const double *(*forward)(const Network *net, FastPass *p);
    void (*backward)(const Network *net, FastPass *p, const double *dout, int is_dz, double *grad);
    void (*exp)(double *out, const double *in, int count);
    void (*sigmoid)(double *out, const double *in, int count);
    void (*tanh)(double *out, const double *in, int count);
} FastKernels;

/* The widest variant of this build that the running processor can run. */
const FastKernels *fast_kernels_best(void);
/* The build's variants the running processor can run, widest first: up to
 * max of them into list; returns how many. */
int fast_kernels_usable(const FastKernels **list, int max);
/* Lays out every layer of p for the parameters of net, as fast_forward
 * does unless p->prepared. */
void fast_prepare(const Network *net, FastPass *p);
/* Points the panels of a wide layer (WT, W_padded: gemm.c) at those of
 * `from`, the same layer in another pass, which lays them out for both:
 * d's own are freed, and fast_dense_prepare and fast_dense_free leave them
 * to from's. A narrow layer keeps its own. */
void fast_dense_share_panels(Dense *d, const Dense *from);
/* fast_pass_alloc with the given variant rather than the best. */
int fast_pass_alloc_with(FastPass *p, const Network *net, int max_rows, const FastKernels *k);

#endif
