/* network.h - a fully connected network, its forward and backward passes.
 *
 * Shape: 2 inputs -> hidden layers -> 1 output. Every layer is dense
 * (z = W a + b) followed by the same activation, the output layer included,
 * as in the original project.
 *
 * Layout: the whole batch moves through the network at once, sample-major:
 * a layer's activations for n samples are an (n, ld) array, so row k holds
 * sample k's units and the inner loops run along the units. ld is the
 * layer's width rounded up to a multiple of NET_ROW_ALIGN (the extra units
 * are padding with zero weights), except for the single output, whose
 * n values are contiguous. Weights are (out, in) row-major, so W[o*in + i]
 * connects input i to output o.
 *
 * This module does no I/O and no printing; see model_io.h for files.
 */
#ifndef NNLAB_NETWORK_H
#define NNLAB_NETWORK_H

#include "rng.h"

#define NET_INPUTS 2
#define NET_OUTPUTS 1
#define NET_MAX_HIDDEN_LAYERS 8
#define NET_MAX_LAYERS (NET_MAX_HIDDEN_LAYERS + 1) /* weight layers */
#define NET_MAX_WIDTH 1024                         /* units in one hidden layer */

typedef enum { ACT_SIGMOID, ACT_TANH, ACT_RELU, ACT_NONE } Activation;
#define ACT_COUNT 4

const char *activation_name(Activation act);
/* Returns 0 and sets *act for "sigmoid", "tanh", "relu" or "none", else -1. */
int activation_parse(const char *name, Activation *act);

typedef struct {
    int n_layers;                  /* weight layers: hidden layers + 1 */
    int sizes[NET_MAX_LAYERS + 1]; /* sizes[0] = 2 inputs ... sizes[n_layers] = 1 output */
    Activation activation;         /* after every layer, the output included */
    int n_params;                  /* weights and biases of all layers */
    double *params;                /* layer by layer: W0 (s1, s0), b0 (s1), W1 (s2, s1), b1, ... */
} Network;

/* Allocates a 2 -> hidden[0] -> ... -> hidden[n_hidden-1] -> 1 network with
 * zero parameters. Sizes must already be valid (see network_check_shape).
 * Returns 0, or -1 if out of memory. */
int network_alloc(Network *net, const int *hidden, int n_hidden, Activation act);
/* network_alloc, then every weight and bias uniform in [-0.5, 0.5). */
int network_init(Network *net, const int *hidden, int n_hidden, Activation act, Rng *rng);
void network_free(Network *net);
/* Returns NULL if the hidden layer sizes are acceptable, else a message. */
const char *network_check_shape(const int *hidden, int n_hidden);

/* Where layer l's parameters sit inside a params-shaped buffer (the
 * parameters themselves, their gradients or an optimiser's state). */
int network_weight_offset(const Network *net, int layer);
int network_bias_offset(const Network *net, int layer);

/* Hidden layers' (and the inputs') rows are padded to a multiple of this
 * many units, so that the kernels work in whole vectors (four doubles with
 * AVX). */
#define NET_ROW_ALIGN 4

/* count rounded up to a multiple of NET_ROW_ALIGN: the row length of a
 * hidden layer of count units. */
static inline int net_round_up(int count)
{
    return (count + NET_ROW_ALIGN - 1) / NET_ROW_ALIGN * NET_ROW_ALIGN;
}

/* A dense layer's weights as its kernels read them, rebuilt from the
 * parameters by dense_prepare before each pass; the parameters themselves
 * keep the layout above. ld_in and ld_out are the row lengths of the
 * layer's input and output arrays, at least in and out: multiples of
 * NET_ROW_ALIGN, except that a single output may have ld_out 1. */
typedef struct {
    int in, out, ld_in, ld_out;
    const double *W, *bias; /* the parameters, (out, in) and (out) */
    double *WT;             /* (in + 1, ld_out): W transposed, then the bias; zero past out */
    double *W_padded;       /* (out, ld_in): room for W with its rows padded, if ld_in > in */
    double *dWT;            /* (in, ld_out): room for the weight gradient of a narrow input */
} Dense;

/* Returns 0, or -1 if out of memory. */
int dense_alloc(Dense *d, int in, int out, int ld_in, int ld_out);
void dense_free(Dense *d);
/* Points d at W (out, in) and bias (out) and lays them out for the kernels. */
void dense_prepare(Dense *d, const double *W, const double *bias);

/* Buffers for passing a batch of n samples through a network. */
typedef struct {
    int n;
    int ld[NET_MAX_LAYERS + 1]; /* row length of act[l] (see Layout above) */
    /* After network_forward, act[0] holds the inputs (n, ld[0]) and act[l]
     * layer l's outputs (n, ld[l]). network_backward then overwrites
     * act[1] .. act[n_layers - 1] with dLoss/dz of those layers, z their
     * pre-activations (see network_backward). */
    double *act[NET_MAX_LAYERS + 1];
    double *dout;                /* dLoss/dz of the output layer (n) */
    double *grad;                /* dLoss/dparams, shaped like Network.params */
    Dense layer[NET_MAX_LAYERS]; /* the weights of each layer, laid out for a pass */
    /* network_weight_offset and network_bias_offset of each layer, taken
     * once here: summed over the layers below at every pass, they cost an
     * xor epoch 4% */
    int w_off[NET_MAX_LAYERS], b_off[NET_MAX_LAYERS];
} Batch;

/* Returns 0, or -1 if out of memory. */
int batch_alloc(Batch *b, const Network *net, int n);
void batch_free(Batch *b);
/* Copies n points given row-major (n, 2) into act[0] (n, ld[0]). */
void batch_set_inputs(Batch *b, const double *x);

/* Forward pass; returns the outputs act[n_layers] (n values). */
const double *network_forward(const Network *net, Batch *b);
/* Backward pass after network_forward: fills b->grad with dLoss/dparams of the
 * mean squared error against labels y (n values). The hidden layers'
 * outputs in b->act are used up: each is overwritten by the gradient that
 * the layer above passes down, which halves the memory an epoch goes
 * through. The output row (network_forward's result) is kept. */
void network_backward(const Network *net, Batch *b, const double *y);

/* The layer pieces, each backward right under its forward. inp is (n, ld_in)
 * and out, dout (n, ld_out), with d prepared; the padding of inp must be
 * finite (the network's is 0 or f(0)), for it meets zero weights. dW (out,
 * in) and dbias (out) are set, not added to. dinp (n, ld_in) = dout W is
 * skipped if NULL, and may be inp itself, which it then replaces. */
void dense_forward(double *out, const double *inp, const Dense *d, int n);
void dense_backward(double *dinp, double *dW, double *dbias, const double *dout, const double *inp,
                    const Dense *d, int n);
void activation_forward(double *a, int count, Activation act);
void activation_backward(double *d, const double *a, int count, Activation act);
double mse_forward(const double *pred, const double *y, int n);
void mse_backward(double *dpred, const double *pred, const double *y, int n);

/* Fraction of samples with (pred > 0.5) == (y == 1). */
double accuracy(const double *pred, const double *y, int n);

#endif
