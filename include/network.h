/* network.h - a fully connected network and its forward and backward passes.
 *
 * 2 inputs -> hidden layers -> outputs. Layer l is dense, z = W[l] a + b[l],
 * followed by an activation: the hidden one after hidden layers, the output
 * one after the last (by default the same, as in the original project).
 * Two classes take one output, the probability of class 1 (the original's),
 * or two with a softmax (cross-entropy); K > 2 classes take K outputs, one
 * per class, usually through a softmax.
 *
 * Two engines compute the passes: ENGINE_PLAIN, the textbook loops of
 * src/core/plain.c (read it first), and ENGINE_FAST, the vectorised kernels
 * of src/core/fast.c, which the tests hold to the plain one. A Workspace is
 * one engine's room for passing up to max_rows points through a network.
 * Arrays of points are row-major, one row per point. No I/O here.
 */
#ifndef NNLAB_NETWORK_H
#define NNLAB_NETWORK_H

#include "rng.h"

#define NET_INPUTS 2
#define NET_MAX_OUTPUTS 16 /* classes */
#define NET_MAX_HIDDEN_LAYERS 8
#define NET_MAX_LAYERS (NET_MAX_HIDDEN_LAYERS + 1) /* dense layers */
#define NET_MAX_WIDTH 1024                         /* units in one hidden layer */

/* softmax is an output activation only: a[c] = e^z[c] / sum over j of e^z[j]
 * across a point's outputs, so that they are K probabilities summing to 1. */
typedef enum { ACT_SIGMOID, ACT_TANH, ACT_RELU, ACT_NONE, ACT_SOFTMAX } Activation;
#define ACT_COUNT 5
#define ACT_HIDDEN_COUNT 4 /* those before ACT_SOFTMAX: a hidden layer's may be any of them */
typedef enum { ENGINE_FAST, ENGINE_PLAIN } Engine;
#define ENGINE_COUNT 2
/* Initial weights: uniform in [-0.5, 0.5) as the original (biases too); Glorot
 * uniform in +-sqrt(6 / (in + out)); He normal, sd sqrt(2 / in). Biases 0 but for uniform. */
typedef enum { INIT_UNIFORM, INIT_XAVIER, INIT_HE } Init;
#define INIT_COUNT 3
/* mse: mean of (out - y)^2 (y one-hot for K outputs). bce: binary cross-entropy
 * of one sigmoid output. ce: cross-entropy of K softmax outputs. */
typedef enum { LOSS_MSE, LOSS_BCE, LOSS_CE } Loss;
#define LOSS_COUNT 3

typedef struct {
    int n_layers;                  /* dense layers: hidden layers + 1 */
    int sizes[NET_MAX_LAYERS + 1]; /* sizes[0] = 2 inputs ... sizes[n_layers] outputs */
    Activation hidden_act, output_act;
    int n_params;
    double *params;            /* every weight and bias, in the order W[0], b[0], W[1], ... */
    double *W[NET_MAX_LAYERS]; /* views: W[l] (sizes[l+1], sizes[l]), W[l][o*in + i] is i -> o */
    double *b[NET_MAX_LAYERS]; /* b[l] (sizes[l+1]) */
} Network;

/* NULL if 1 to NET_MAX_HIDDEN_LAYERS hidden layers of 1 to NET_MAX_WIDTH units, else why not. */
const char *network_check_shape(const int *hidden, int n_hidden);
/* outputs (1 to NET_MAX_OUTPUTS) after the hidden layers. Zero parameters, or
 * (init) drawn as init says. Return 0, or -1 out of memory. */
int network_alloc(Network *net, const int *hidden, int n_hidden, int outputs,
                  Activation hidden_act, Activation output_act);
int network_init(Network *net, const int *hidden, int n_hidden, int outputs,
                 Activation hidden_act, Activation output_act, Init init, Rng *rng);
/* The network's outputs per point. */
static inline int network_outputs(const Network *net) { return net->sizes[net->n_layers]; }
void network_free(Network *net);
/* A zeroed block shaped like net->params (gradients, optimiser state), or NULL; free() it. */
double *network_params_like(const Network *net);
/* W[l] and b[l] views into such a block, as Network's into params. */
void network_views(const Network *net, double *block, double **W, double **b);

typedef struct Workspace Workspace;
/* NULL if out of memory. _threads: the fast engine shares each pass's
 * points among up to `threads` threads, with the same results for any
 * number (src/core/parallel.h); workspace_new uses one. */
Workspace *workspace_new(const Network *net, int max_rows, Engine engine);
Workspace *workspace_new_threads(const Network *net, int max_rows, Engine engine, int threads);
void workspace_free(Workspace *ws);

/* The points of the next passes: x (n, 2), n <= max_rows. */
void network_set_inputs(Workspace *ws, const double *x, int n);
/* Returns the outputs (n, K), K = network_outputs, valid until the next pass;
 * network_logits returns the output layer's pre-activations z (n, K) of that pass. */
const double *network_forward(const Network *net, Workspace *ws);
const double *network_logits(const Workspace *ws);
/* After network_forward: grad (shaped like params) = dLoss/dparams, from
 * dout (n, K) = dLoss/doutputs, or (_z) from dz (n, K) = dLoss/dz. */
void network_backward(const Network *net, Workspace *ws, const double *dout, double *grad);
void network_backward_z(const Network *net, Workspace *ws, const double *dz, double *grad);
/* network_forward, loss_backward of the whole batch against labels y (n)
 * and network_backward in one call: grad = dLoss/dparams, and the outputs
 * returned (network_logits valid too), the same values as the three calls.
 * The fast engine takes each block of points forward and back at once,
 * while its activations are still in the cache. */
const double *network_forward_backward(const Network *net, Workspace *ws, Loss loss,
                                       const double *y, double *grad);

/* The losses of n points' outputs out (n, k) (or their pre-activations z)
 * against their labels y (n): with k = 1, y is 0 or 1, the target of the one
 * output; with k > 1, y is the class 0..k-1, whose output's target is 1 and
 * the others' 0 (one-hot). Their gradients (n, k): mse's w.r.t. out, bce's
 * and ce's w.r.t. z. bce takes k = 1, ce k > 1 softmax outputs. */
double mse_forward(const double *out, const double *y, int n, int k);
void mse_backward(double *dout, const double *out, const double *y, int n, int k);
double bce_forward(const double *z, const double *y, int n);
void bce_backward(double *dz, const double *out, const double *y, int n);
double ce_forward(const double *z, const double *y, int n, int k);
void ce_backward(double *dz, const double *out, const double *y, int n, int k);
/* The gradient of `loss` for `rows` points of a batch of n (out, y and d
 * start at the first of them): the rows of what the function above gives
 * for the whole batch. Returns 1 where it is w.r.t. z (bce, ce), 0 where
 * w.r.t. the outputs (mse). */
int loss_backward(Loss loss, double *d, const double *out, const double *y, int rows, int n, int k);
/* Fraction of points classed right: with k = 1, (out > 0.5) == (y == 1);
 * with k > 1, the largest output's class (the first if tied) is y. */
double accuracy(const double *out, const double *y, int n, int k);
/* The class of a point's outputs out (k): as accuracy counts it. */
int predicted_class(const double *out, int k);

/* Names as the command line spells them; parse returns 0, or -1 if unknown. */
const char *activation_name(Activation act);
int activation_parse(const char *name, Activation *act);
const char *engine_name(Engine engine);
int engine_parse(const char *name, Engine *engine);
const char *init_name(Init init);
int init_parse(const char *name, Init *init);
const char *loss_name(Loss loss);
int loss_parse(const char *name, Loss *loss);

#endif
