/* network.c - dense layers, activations and mean squared error, forward and
 * backward, for a whole batch at once. Shapes are given at the top of each
 * function; n is the number of samples, the contiguous (innermost) axis. */
#include "network.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Activations                                                              */

static const char *const act_names[ACT_COUNT] = {
    [ACT_SIGMOID] = "sigmoid", [ACT_TANH] = "tanh", [ACT_RELU] = "relu", [ACT_NONE] = "none"};

const char *activation_name(Activation act) { return act_names[act]; }

int activation_parse(const char *name, Activation *act)
{
    for (int i = 0; i < ACT_COUNT; i++) {
        if (strcmp(name, act_names[i]) == 0) {
            *act = (Activation)i;
            return 0;
        }
    }
    return -1;
}

/* a = f(z) in place over count values. */
void activation_forward(double *a, int count, Activation act)
{
    switch (act) {
    case ACT_SIGMOID:
        for (int k = 0; k < count; k++)
            a[k] = 1.0 / (1.0 + exp(-a[k]));
        break;
    case ACT_TANH:
        for (int k = 0; k < count; k++)
            a[k] = tanh(a[k]);
        break;
    case ACT_RELU:
        for (int k = 0; k < count; k++)
            a[k] = a[k] > 0.0 ? a[k] : 0.0;
        break;
    case ACT_NONE:
        break;
    }
}

/* d <- d * f'(z), in place, where a = f(z). Every derivative here can be
 * written in terms of the output a, so z need not be kept. */
void activation_backward(double *d, const double *a, int count, Activation act)
{
    switch (act) {
    case ACT_SIGMOID:
        for (int k = 0; k < count; k++)
            d[k] *= a[k] * (1.0 - a[k]);
        break;
    case ACT_TANH:
        for (int k = 0; k < count; k++)
            d[k] *= 1.0 - a[k] * a[k];
        break;
    case ACT_RELU:
        for (int k = 0; k < count; k++)
            d[k] = a[k] > 0.0 ? d[k] : 0.0;
        break;
    case ACT_NONE:
        break;
    }
}

/* ------------------------------------------------------------------------ */
/* Dense layer: out = W inp + bias                                          */

/* out is (out_units, n), inp is (in, n), W is (out_units, in), bias is (out_units). */
void dense_forward(double *out, const double *inp, const double *W, const double *bias, int n,
                   int in, int out_units)
{
    for (int o = 0; o < out_units; o++) {
        double *z = out + (size_t)o * n;
        const double *w = W + (size_t)o * in;
        for (int k = 0; k < n; k++)
            z[k] = bias[o];
        for (int i = 0; i < in; i++) {
            const double *x = inp + (size_t)i * n;
            for (int k = 0; k < n; k++)
                z[k] += w[i] * x[k];
        }
    }
}

/* dout is (out_units, n), dLoss/d(out). Sets dW (out_units, in) and
 * dbias (out_units); sets dinp (in, n) = W^T dout unless dinp is NULL
 * (the first layer has no use for the gradient of the inputs). */
void dense_backward(double *dinp, double *dW, double *dbias, const double *dout,
                    const double *inp, const double *W, int n, int in, int out_units)
{
    for (int o = 0; o < out_units; o++) {
        const double *g = dout + (size_t)o * n;
        double sum = 0.0;
        for (int k = 0; k < n; k++)
            sum += g[k];
        dbias[o] = sum;
        for (int i = 0; i < in; i++) {
            const double *x = inp + (size_t)i * n;
            double dot = 0.0;
            for (int k = 0; k < n; k++)
                dot += g[k] * x[k];
            dW[(size_t)o * in + i] = dot;
        }
    }
    if (!dinp)
        return;
    memset(dinp, 0, (size_t)in * n * sizeof *dinp);
    for (int o = 0; o < out_units; o++) {
        const double *g = dout + (size_t)o * n;
        const double *w = W + (size_t)o * in;
        for (int i = 0; i < in; i++) {
            double *dx = dinp + (size_t)i * n;
            for (int k = 0; k < n; k++)
                dx[k] += w[i] * g[k];
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Loss: mean squared error over n predictions                              */

double mse_forward(const double *pred, const double *y, int n)
{
    double sum = 0.0;
    for (int k = 0; k < n; k++) {
        double e = y[k] - pred[k];
        sum += e * e;
    }
    return sum / n;
}

/* dpred = dLoss/dpred = 2 (pred - y) / n */
void mse_backward(double *dpred, const double *pred, const double *y, int n)
{
    for (int k = 0; k < n; k++)
        dpred[k] = 2.0 * (pred[k] - y[k]) / n;
}

double accuracy(const double *pred, const double *y, int n)
{
    int correct = 0;
    for (int k = 0; k < n; k++)
        correct += (pred[k] > 0.5) == (y[k] > 0.5);
    return (double)correct / n;
}

/* ------------------------------------------------------------------------ */
/* The network                                                              */

#define STR_(x) #x
#define STR(x) STR_(x)

const char *network_check_shape(const int *hidden, int n_hidden)
{
    if (n_hidden < 1 || n_hidden > NET_MAX_HIDDEN_LAYERS)
        return "from 1 to " STR(NET_MAX_HIDDEN_LAYERS) " hidden layers are accepted";
    for (int l = 0; l < n_hidden; l++)
        if (hidden[l] < 1 || hidden[l] > NET_MAX_WIDTH)
            return "hidden layer sizes from 1 to " STR(NET_MAX_WIDTH) " are accepted";
    return NULL;
}

int network_weight_offset(const Network *net, int layer)
{
    int off = 0;
    for (int l = 0; l < layer; l++)
        off += net->sizes[l + 1] * (net->sizes[l] + 1);
    return off;
}

int network_bias_offset(const Network *net, int layer)
{
    return network_weight_offset(net, layer) + net->sizes[layer + 1] * net->sizes[layer];
}

int network_alloc(Network *net, const int *hidden, int n_hidden, Activation act)
{
    memset(net, 0, sizeof *net);
    net->n_layers = n_hidden + 1;
    net->sizes[0] = NET_INPUTS;
    for (int l = 0; l < n_hidden; l++)
        net->sizes[l + 1] = hidden[l];
    net->sizes[net->n_layers] = NET_OUTPUTS;
    net->activation = act;
    net->n_params = network_weight_offset(net, net->n_layers);
    net->params = calloc((size_t)net->n_params, sizeof *net->params);
    return net->params ? 0 : -1;
}

int network_init(Network *net, const int *hidden, int n_hidden, Activation act, Rng *rng)
{
    if (network_alloc(net, hidden, n_hidden, act) != 0)
        return -1;
    for (int p = 0; p < net->n_params; p++)
        net->params[p] = rng_uniform(rng) - 0.5;
    return 0;
}

void network_free(Network *net)
{
    free(net->params);
    net->params = NULL;
}

static int max_width(const Network *net)
{
    int w = 0;
    for (int l = 0; l <= net->n_layers; l++)
        if (net->sizes[l] > w)
            w = net->sizes[l];
    return w;
}

int batch_alloc(Batch *b, const Network *net, int n)
{
    memset(b, 0, sizeof *b);
    b->n = n;
    int ok = 1;
    for (int l = 0; l <= net->n_layers; l++)
        ok &= (b->act[l] = malloc((size_t)net->sizes[l] * n * sizeof(double))) != NULL;
    for (int j = 0; j < 2; j++)
        ok &= (b->delta[j] = malloc((size_t)max_width(net) * n * sizeof(double))) != NULL;
    ok &= (b->grad = calloc((size_t)net->n_params, sizeof(double))) != NULL;
    if (!ok) {
        batch_free(b);
        return -1;
    }
    return 0;
}

void batch_free(Batch *b)
{
    for (int l = 0; l <= NET_MAX_LAYERS; l++)
        free(b->act[l]);
    free(b->delta[0]);
    free(b->delta[1]);
    free(b->grad);
    memset(b, 0, sizeof *b);
}

void batch_set_inputs(Batch *b, const double *x)
{
    for (int k = 0; k < b->n; k++) {
        b->act[0][k] = x[2 * k];
        b->act[0][b->n + k] = x[2 * k + 1];
    }
}

const double *network_forward(const Network *net, Batch *b)
{
    for (int l = 0; l < net->n_layers; l++) {
        int in = net->sizes[l], out = net->sizes[l + 1];
        dense_forward(b->act[l + 1], b->act[l], net->params + network_weight_offset(net, l),
                      net->params + network_bias_offset(net, l), b->n, in, out);
        activation_forward(b->act[l + 1], out * b->n, net->activation);
    }
    return b->act[net->n_layers];
}

void network_backward(const Network *net, Batch *b, const double *y)
{
    int L = net->n_layers;
    double *d = b->delta[0]; /* dLoss/d(act[l+1]), then dLoss/dz of layer l */
    mse_backward(d, b->act[L], y, b->n);
    for (int l = L - 1; l >= 0; l--) {
        int in = net->sizes[l], out = net->sizes[l + 1];
        activation_backward(d, b->act[l + 1], out * b->n, net->activation);
        double *dinp = l > 0 ? b->delta[(L - l) & 1] : NULL;
        dense_backward(dinp, b->grad + network_weight_offset(net, l),
                       b->grad + network_bias_offset(net, l), d, b->act[l],
                       net->params + network_weight_offset(net, l), b->n, in, out);
        d = dinp;
    }
}
