/* plain.c - backpropagation as a textbook writes it: the plain engine.
 *
 * Read this file first. Training a network is four steps, repeated:
 *
 *   forward    each layer computes its outputs from its inputs;
 *   loss       how far the outputs are from the labels;
 *   backward   each layer, from the last to the first, turns the gradient of
 *              the loss with respect to its outputs into the gradient with
 *              respect to its inputs and its parameters (the chain rule);
 *   update     the optimiser moves every parameter against its gradient.
 *
 * So every piece below is a pair, X_forward and, right under it, X_backward.
 * A batch of n points goes through at once: a layer's values for the batch
 * are an (n, width) array, one row per point. Nothing here is clever: plain
 * loops, libm's exp and tanh. fast.c computes the same faster, and the tests
 * require the two to agree epoch by epoch.
 */
#include "plain.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Activation: a = f(z), elementwise                                        */

static double f(double z, Activation act)
{
    switch (act) {
    case ACT_SIGMOID:
        return 1.0 / (1.0 + exp(-z));
    case ACT_TANH:
        return tanh(z);
    case ACT_RELU:
        return z > 0.0 ? z : 0.0;
    case ACT_NONE:
    case ACT_SOFTMAX: /* not elementwise: softmax_forward */
        break;
    }
    return z;
}

/* f'(z), written in terms of a = f(z), so that z need not be kept:
 * sigmoid' = a (1 - a), tanh' = 1 - a^2, relu' = 1 where a > 0. */
static double f_prime(double a, Activation act)
{
    switch (act) {
    case ACT_SIGMOID:
        return a * (1.0 - a);
    case ACT_TANH:
        return 1.0 - a * a;
    case ACT_RELU:
        return a > 0.0 ? 1.0 : 0.0;
    case ACT_NONE:
    case ACT_SOFTMAX: /* not elementwise: softmax_backward */
        break;
    }
    return 1.0;
}

void activation_forward(double *a, const double *z, int count, Activation act)
{
    for (int k = 0; k < count; k++)
        a[k] = f(z[k], act);
}

/* dLoss/dz = dLoss/da * da/dz */
void activation_backward(double *dz, const double *da, const double *a, int count, Activation act)
{
    for (int k = 0; k < count; k++)
        dz[k] = da[k] * f_prime(a[k], act);
}

/* ------------------------------------------------------------------------ */
/* Softmax: a point's k outputs made k probabilities, a = e^z / sum of e^z  */

/* z (n, k) -> a (n, k); a may be z. e^(z - m), m the row's largest z, gives
 * the same a (the factor e^-m cancels) without overflowing for large z. */
void softmax_forward(double *a, const double *z, int n, int k)
{
    for (int p = 0; p < n; p++) {
        const double *zp = z + (size_t)p * k;
        double *ap = a + (size_t)p * k;
        double m = zp[0], sum = 0.0;
        for (int c = 1; c < k; c++)
            m = zp[c] > m ? zp[c] : m;
        for (int c = 0; c < k; c++)
            sum += (ap[c] = exp(zp[c] - m));
        for (int c = 0; c < k; c++)
            ap[c] /= sum;
    }
}

/* Every a[j] of a point depends on every z[c]: da[j]/dz[c] = a[j] (1 - a[c])
 * if j = c, else -a[j] a[c]. With da = dL/da, the chain rule gives
 * dz[c] = sum over j of da[j] (da[j]/dz[c] of the softmax)
 * = a[c] (da[c] - sum over j of da[j] a[j]). dz may be da. */
void softmax_backward(double *dz, const double *da, const double *a, int n, int k)
{
    for (int p = 0; p < n; p++) {
        const double *dap = da + (size_t)p * k, *ap = a + (size_t)p * k;
        double dot = 0.0;
        for (int j = 0; j < k; j++)
            dot += dap[j] * ap[j];
        for (int c = 0; c < k; c++)
            dz[(size_t)p * k + c] = ap[c] * (dap[c] - dot);
    }
}

/* ------------------------------------------------------------------------ */
/* Dense layer: out = inp W^T + b                                           */

/* inp (n, ins), W (outs, ins), b (outs) -> out (n, outs):
 * out[k][o] = b[o] + sum over i of W[o][i] inp[k][i] */
void dense_forward(double *out, const double *inp, const double *W, const double *b, int n, int ins,
                   int outs)
{
    for (int k = 0; k < n; k++)
        for (int o = 0; o < outs; o++) {
            double z = b[o];
            for (int i = 0; i < ins; i++)
                z += W[o * ins + i] * inp[k * ins + i];
            out[k * outs + o] = z;
        }
}

/* dout (n, outs) = dLoss/dout. Each out[k][o] depends on W[o][i] through
 * inp[k][i], on b[o] with slope 1 and on inp[k][i] through W[o][i], so
 *   dW (outs, ins) = dout^T inp:  dW[o][i] = sum over k of dout[k][o] inp[k][i]
 *   db (outs)      = sum of the rows of dout
 *   dinp (n, ins)  = dout W:      dinp[k][i] = sum over o of dout[k][o] W[o][i] */
void dense_backward(double *dinp, double *dW, double *db, const double *dout, const double *inp,
                    const double *W, int n, int ins, int outs)
{
    for (int o = 0; o < outs; o++) {
        db[o] = 0.0;
        for (int i = 0; i < ins; i++)
            dW[o * ins + i] = 0.0;
    }
    for (int k = 0; k < n; k++)
        for (int o = 0; o < outs; o++) {
            double d = dout[k * outs + o];
            db[o] += d;
            for (int i = 0; i < ins; i++)
                dW[o * ins + i] += d * inp[k * ins + i];
        }
    if (!dinp)
        return;
    for (int k = 0; k < n; k++)
        for (int i = 0; i < ins; i++) {
            double s = 0.0;
            for (int o = 0; o < outs; o++)
                s += dout[k * outs + o] * W[o * ins + i];
            dinp[k * ins + i] = s;
        }
}

/* ------------------------------------------------------------------------ */
/* Loss: mean squared error, (1/(n k)) sum of (t - out)^2 over n k outputs */
/* t is the target of an output: y itself with one output, else one-hot:   */
/* 1 for the output of the point's class y, 0 for the others.              */

static double target(const double *y, int point, int c, int k)
{
    return k == 1 ? y[point] : (double)(c == (int)y[point]);
}

double mse_forward(const double *out, const double *y, int n, int k)
{
    double sum = 0.0;
    if (k == 1) {
        /* the compiler may add in vector lanes: the same sum, in another order */
#pragma omp simd reduction(+ : sum)
        for (int p = 0; p < n; p++) {
            double e = y[p] - out[p];
            sum += e * e;
        }
    } else {
        for (int p = 0; p < n; p++)
            for (int c = 0; c < k; c++) {
                double e = target(y, p, c, k) - out[(size_t)p * k + c];
                sum += e * e;
            }
    }
    return sum / ((double)n * k);
}

/* dout = dLoss/dout = 2 (out - t) / (n k), for `rows` points of a batch of n
 * (the loss is the batch's mean, so each point's share has n in it). */
static void mse_rows(double *dout, const double *out, const double *y, int rows, int n, int k)
{
    if (k == 1) { /* the same values, a loop the compiler can vectorise */
#pragma omp simd
        for (int p = 0; p < rows; p++)
            dout[p] = 2.0 * (out[p] - y[p]) / (double)n;
        return;
    }
    for (int p = 0; p < rows; p++)
        for (int c = 0; c < k; c++) {
            size_t i = (size_t)p * k + c;
            dout[i] = 2.0 * (out[i] - target(y, p, c, k)) / ((double)n * k);
        }
}

void mse_backward(double *dout, const double *out, const double *y, int n, int k)
{
    mse_rows(dout, out, y, n, n, k);
}

/* ------------------------------------------------------------------------ */
/* Loss: binary cross-entropy of a sigmoid output p = s(z),                 */
/* -(1/n) sum of y log p + (1 - y) log(1 - p)                               */

/* From z rather than p, for log p is -inf once p rounds to 0 (and log(1 - p)
 * once p rounds to 1). With log s(z) = -log(1 + e^-z), each term is
 * log(1 + e^z) - y z = max(z, 0) - y z + log(1 + e^-|z|), finite for any z. */
double bce_forward(const double *z, const double *y, int n)
{
    double sum = 0.0;
    for (int k = 0; k < n; k++)
        sum += fmax(z[k], 0.0) - y[k] * z[k] + log1p(exp(-fabs(z[k])));
    return sum / n;
}

/* dz[k] = dLoss/dz[k] = (p[k] - y[k]) / n: the sigmoid's derivative p (1 - p)
 * cancels the loss's 1 / (p (1 - p)), so neither is computed (nor divided by
 * where it is 0). */
static void bce_rows(double *dz, const double *out, const double *y, int rows, int n)
{
    for (int k = 0; k < rows; k++)
        dz[k] = (out[k] - y[k]) / n;
}

void bce_backward(double *dz, const double *out, const double *y, int n)
{
    bce_rows(dz, out, y, n, n);
}

/* ------------------------------------------------------------------------ */
/* Loss: cross-entropy of k softmax outputs p = softmax(z),                 */
/* -(1/n) sum over points of log p[y], the log probability of the right class */

/* From z, as bce: log p[y] = z[y] - log sum over j of e^z[j]
 * = z[y] - m - log sum of e^(z[j] - m), m the largest z: finite for any z. */
double ce_forward(const double *z, const double *y, int n, int k)
{
    double sum = 0.0;
    for (int p = 0; p < n; p++) {
        const double *zp = z + (size_t)p * k;
        double m = zp[0], s = 0.0;
        for (int c = 1; c < k; c++)
            m = zp[c] > m ? zp[c] : m;
        for (int c = 0; c < k; c++)
            s += exp(zp[c] - m);
        sum += m + log(s) - zp[(int)y[p]];
    }
    return sum / n;
}

/* dz = dLoss/dz = (p - onehot(y)) / n: as with bce, the softmax's Jacobian
 * and the loss's 1 / p cancel. */
static void ce_rows(double *dz, const double *out, const double *y, int rows, int n, int k)
{
    for (int p = 0; p < rows; p++)
        for (int c = 0; c < k; c++) {
            size_t i = (size_t)p * k + c;
            dz[i] = (out[i] - target(y, p, c, k)) / n;
        }
}

void ce_backward(double *dz, const double *out, const double *y, int n, int k)
{
    ce_rows(dz, out, y, n, n, k);
}

int loss_backward(Loss loss, double *d, const double *out, const double *y, int rows, int n, int k)
{
    switch (loss) {
    case LOSS_BCE:
        bce_rows(d, out, y, rows, n);
        return 1;
    case LOSS_CE:
        ce_rows(d, out, y, rows, n, k);
        return 1;
    case LOSS_MSE:
        break;
    }
    mse_rows(d, out, y, rows, n, k);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Accuracy: the fraction of points whose predicted class is their label    */

int predicted_class(const double *out, int k)
{
    if (k == 1)
        return out[0] > 0.5;
    int best = 0;
    for (int c = 1; c < k; c++)
        best = out[c] > out[best] ? c : best;
    return best;
}

double accuracy(const double *out, const double *y, int n, int k)
{
    int correct = 0;
    if (k == 1) { /* the loop below for one output (its class: out > 0.5, the
                   * label's: y > 0.5), without a call a point: one vectorised loop */
#pragma omp simd reduction(+ : correct)
        for (int p = 0; p < n; p++)
            correct += (out[p] > 0.5) == (y[p] > 0.5);
        return (double)correct / n;
    }
    for (int p = 0; p < n; p++)
        correct += predicted_class(out + (size_t)p * k, k) == (int)y[p];
    return (double)correct / n;
}

/* ------------------------------------------------------------------------ */
/* The network: the layers' pairs chained                                   */

/* a[l+1] = f(a[l] W[l]^T + b[l]) for each layer in turn; returns a[L]. */
const double *plain_forward(const Network *net, PlainPass *p)
{
    int L = net->n_layers;
    for (int l = 0; l < L; l++) {
        int ins = net->sizes[l], outs = net->sizes[l + 1];
        int last = l == L - 1;
        double *z = last ? p->z : p->a[l + 1]; /* the output's z is kept for the loss */
        dense_forward(z, p->a[l], net->W[l], net->b[l], p->n, ins, outs);
        if (last && net->output_act == ACT_SOFTMAX)
            softmax_forward(p->a[l + 1], z, p->n, outs);
        else
            activation_forward(p->a[l + 1], z, p->n * outs, last ? net->output_act : net->hidden_act);
    }
    return p->a[L];
}

/* From d (n, K) = dLoss/da[L] (or, is_dz, dLoss/dz of the output layer),
 * down the layers: delta = dLoss/dz of layer l (z its pre-activations)
 * gives that layer's parameter gradients and dLoss/da[l], which the
 * activation below turns into its delta. */
void plain_backward(const Network *net, PlainPass *p, const double *d, int is_dz, double *grad)
{
    int L = net->n_layers, n = p->n, outs = net->sizes[L];
    double *dW[NET_MAX_LAYERS], *db[NET_MAX_LAYERS];
    network_views(net, grad, dW, db);
    double *delta = p->delta, *below = p->below;
    if (is_dz)
        memcpy(delta, d, (size_t)n * outs * sizeof *d);
    else if (net->output_act == ACT_SOFTMAX)
        softmax_backward(delta, d, p->a[L], n, outs);
    else
        activation_backward(delta, d, p->a[L], n * outs, net->output_act);
    for (int l = L - 1; l >= 0; l--) {
        int ins = net->sizes[l];
        double *dinp = l > 0 ? below : NULL; /* nothing below the inputs */
        dense_backward(dinp, dW[l], db[l], delta, p->a[l], net->W[l], n, ins, net->sizes[l + 1]);
        if (l > 0) {
            activation_backward(below, below, p->a[l], n * ins, net->hidden_act);
            double *t = delta;
            delta = below, below = t;
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Optimisers: one step against the gradient of count parameters            */
/* Each returns whether a parameter after the step is beyond +-max_abs or   */
/* not a number (NaN fails every comparison), found in the step's own pass  */
/* rather than in another over the parameters.                              */

/* params <- params - lr grad */
int sgd_update(double *params, const double *grad, int count, double lr, double max_abs)
{
    int out = 0;
    for (int p = 0; p < count; p++) {
        params[p] -= lr * grad[p];
        out |= !(fabs(params[p]) <= max_abs);
    }
    return out;
}

/* velocity <- beta velocity - lr grad;  params <- params + velocity */
int momentum_update(double *params, double *velocity, const double *grad, int count, double lr,
                    double beta, double max_abs)
{
    int out = 0;
    for (int p = 0; p < count; p++) {
        velocity[p] = beta * velocity[p] - lr * grad[p];
        params[p] += velocity[p];
        out |= !(fabs(params[p]) <= max_abs);
    }
    return out;
}

/* Nesterov's momentum, as momentum but the step taken from where the
 * velocity is about to carry the parameters (Sutskever et al., 2013). Their
 * form takes the gradient at the look-ahead point w + beta v:
 *     v <- beta v - lr grad(w + beta v);  w <- w + v.
 * Keeping the look-ahead point itself in params instead (params = w + beta v,
 * as Bengio et al., 2013, rewrite it), the gradient is the one at params and
 * the update becomes
 *     v <- beta v - lr grad(params);  params <- params + beta v - lr grad(params). */
int nesterov_update(double *params, double *velocity, const double *grad, int count, double lr,
                    double beta, double max_abs)
{
    int out = 0;
    for (int p = 0; p < count; p++) {
        velocity[p] = beta * velocity[p] - lr * grad[p];
        params[p] += beta * velocity[p] - lr * grad[p];
        out |= !(fabs(params[p]) <= max_abs);
    }
    return out;
}

/* RMSprop (Hinton, 2012): each parameter's step divided by a running root
 * mean square of its gradients.
 * mean_sq <- rho mean_sq + (1 - rho) grad^2;  params <- params - lr grad / (sqrt(mean_sq) + eps) */
int rmsprop_update(double *params, double *mean_sq, const double *grad, int count, double lr,
                   double rho, double eps, double max_abs)
{
    int out = 0;
    for (int p = 0; p < count; p++) {
        mean_sq[p] = rho * mean_sq[p] + (1.0 - rho) * grad[p] * grad[p];
        params[p] -= lr * grad[p] / (sqrt(mean_sq[p]) + eps);
        out |= !(fabs(params[p]) <= max_abs);
    }
    return out;
}

/* Adam (Kingma and Ba, 2015), update number t from 1: running means of the
 * gradient (m) and of its square (v), each divided by 1 - beta^t so that
 * their start at 0 does not shrink the first steps.
 * m <- beta1 m + (1 - beta1) grad;  v <- beta2 v + (1 - beta2) grad^2
 * params <- params - lr (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps) */
int adam_update(double *params, double *m, double *v, const double *grad, int count, double lr,
                double beta1, double beta2, double eps, long t, double max_abs)
{
    double c1 = 1.0 - pow(beta1, (double)t), c2 = 1.0 - pow(beta2, (double)t);
    int out = 0;
    for (int p = 0; p < count; p++) {
        m[p] = beta1 * m[p] + (1.0 - beta1) * grad[p];
        v[p] = beta2 * v[p] + (1.0 - beta2) * grad[p] * grad[p];
        params[p] -= lr * (m[p] / c1) / (sqrt(v[p] / c2) + eps);
        out |= !(fabs(params[p]) <= max_abs);
    }
    return out;
}

/* Gradient clipping: a gradient longer than max_norm (its length the
 * square root of the sum of its squares) is scaled down to that length,
 * keeping its direction, so that one huge step cannot throw the parameters
 * far away. */
void clip_norm(double *grad, int count, double max_norm)
{
    double sum = 0.0;
    for (int p = 0; p < count; p++)
        sum += grad[p] * grad[p];
    double norm = sqrt(sum);
    if (norm > max_norm)
        for (int p = 0; p < count; p++)
            grad[p] *= max_norm / norm;
}

/* Weight decay: the gradient of (l2 / 2) times the sum of every weight
 * squared (not the biases) is l2 times each weight, added to its gradient. */
void l2_backward(const Network *net, double *grad, double l2)
{
    double *dW[NET_MAX_LAYERS], *db[NET_MAX_LAYERS];
    network_views(net, grad, dW, db);
    for (int l = 0; l < net->n_layers; l++)
        for (int k = 0; k < net->sizes[l + 1] * net->sizes[l]; k++)
            dW[l][k] += l2 * net->W[l][k];
}

/* ------------------------------------------------------------------------ */
/* Room for a batch's values                                                */

int plain_pass_alloc(PlainPass *p, const Network *net, int max_rows)
{
    memset(p, 0, sizeof *p);
    p->max_rows = p->n = max_rows;
    int widest = 0, ok = 1;
    for (int l = 0; l <= net->n_layers; l++) {
        ok &= (p->a[l] = calloc((size_t)max_rows * net->sizes[l], sizeof(double))) != NULL;
        widest = net->sizes[l] > widest ? net->sizes[l] : widest;
    }
    ok &= (p->z = calloc((size_t)max_rows * network_outputs(net), sizeof(double))) != NULL;
    ok &= (p->delta = calloc((size_t)max_rows * widest, sizeof(double))) != NULL;
    ok &= (p->below = calloc((size_t)max_rows * widest, sizeof(double))) != NULL;
    if (!ok) {
        plain_pass_free(p);
        return -1;
    }
    return 0;
}

void plain_pass_free(PlainPass *p)
{
    for (int l = 0; l <= NET_MAX_LAYERS; l++)
        free(p->a[l]);
    free(p->z);
    free(p->delta);
    free(p->below);
    memset(p, 0, sizeof *p);
}

void plain_set_inputs(PlainPass *p, const double *x, int n)
{
    p->n = n;
    memcpy(p->a[0], x, (size_t)n * NET_INPUTS * sizeof *x);
}
