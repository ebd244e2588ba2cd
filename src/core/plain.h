/* plain.h - the textbook engine (plain.c): each piece of backpropagation as
 * a pair of plain loops. Private to src/core and its tests; network.h is
 * what the rest of the program sees. Arrays are row-major, one row per
 * point; shapes are given as (rows, columns).
 */
#ifndef NNLAB_PLAIN_H
#define NNLAB_PLAIN_H

#include "network.h"

/* a = f(z) elementwise over count values; a may be z. */
void activation_forward(double *a, const double *z, int count, Activation act);
/* dz = da f'(z) elementwise, with f'(z) written in terms of a = f(z); dz may be da. */
void activation_backward(double *dz, const double *da, const double *a, int count,
                         Activation act);

/* A point's k outputs made probabilities: a (n, k) = softmax of each row of
 * z (n, k); a may be z. dz = dLoss/dz from da = dLoss/da; dz may be da. */
void softmax_forward(double *a, const double *z, int n, int k);
void softmax_backward(double *dz, const double *da, const double *a, int n, int k);

/* out (n, outs) = inp (n, ins) W^T + b, W (outs, ins), b (outs). */
void dense_forward(double *out, const double *inp, const double *W, const double *b, int n,
                   int ins, int outs);
/* From dout (n, outs) = dLoss/dout: dW (outs, ins), db (outs) and, unless
 * NULL, dinp (n, ins), each set (not added to). */
void dense_backward(double *dinp, double *dW, double *db, const double *dout, const double *inp,
                    const double *W, int n, int ins, int outs);

/* The textbook engine's workspace for up to max_rows points. */
typedef struct {
    int max_rows, n;
    double *a[NET_MAX_LAYERS + 1]; /* a[0] the inputs (n, 2), a[l] layer l's outputs (n, sizes[l]) */
    double *z;                     /* the output layer's pre-activations (n, K) */
    double *delta, *below;         /* (n, widest layer): dLoss/dz of a layer and of the one below */
} PlainPass;

int plain_pass_alloc(PlainPass *p, const Network *net, int max_rows);
void plain_pass_free(PlainPass *p);
void plain_set_inputs(PlainPass *p, const double *x, int n);
const double *plain_forward(const Network *net, PlainPass *p);
/* From d = dLoss/doutputs, or with is_dz dLoss/dz of the output layer. */
void plain_backward(const Network *net, PlainPass *p, const double *d, int is_dz, double *grad);

/* One optimiser step over count parameters (see plain.c for the rules).
 * Returns whether a parameter after the step is beyond +-max_abs or not a
 * number (DBL_MAX: whether one is not finite). */
int sgd_update(double *params, const double *grad, int count, double lr, double max_abs);
int momentum_update(double *params, double *velocity, const double *grad, int count, double lr,
                    double beta, double max_abs);
int nesterov_update(double *params, double *velocity, const double *grad, int count, double lr,
                    double beta, double max_abs);
int rmsprop_update(double *params, double *mean_sq, const double *grad, int count, double lr,
                   double rho, double eps, double max_abs);
int adam_update(double *params, double *m, double *v, const double *grad, int count, double lr,
                double beta1, double beta2, double eps, long t, double max_abs);
/* grad scaled down to length max_norm if it is longer. */
void clip_norm(double *grad, int count, double max_norm);
/* grad += l2 W for every weight (not the biases) of net. */
void l2_backward(const Network *net, double *grad, double l2);

#endif
