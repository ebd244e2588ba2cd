/* network.c - dense layers, activations and mean squared error, forward and
 * backward, for a whole batch at once.
 *
 * Arrays of activations and their gradients are (width, n): row j holds unit
 * j for every sample, so the samples are the contiguous axis and every inner
 * loop runs over them a vector at a time. The dense kernels work on tiles of
 * TILE_ROWS rows by TILE_SAMPLES samples whose partial sums stay in vector
 * registers for the whole reduction, then are stored once; that, not the
 * arithmetic, is what makes them fast.
 *
 * The vectors are those of vecmath.h: four doubles where the target has AVX
 * (NATIVE=1 here), two elsewhere (SSE2, NEON), one register either way.
 * Results depend on that width only through the order in which the weight
 * gradients add up their terms.
 */
#include "network.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fastmath.h"
#include "names.h"
#include "vecmath.h"

/* Two doubles, for the last steps of the sums of lanes below. */
typedef double pair __attribute__((vector_size(2 * sizeof(double))));

/* The sum of a vector's lanes, halving the vector each step:
 * (v0 + v2) + (v1 + v3) for four lanes. */
static inline double vec_sum(vec v)
{
#if VLEN == 4
    pair half = __builtin_shufflevector(v, v, 0, 1) + __builtin_shufflevector(v, v, 2, 3);
#else
    pair half = v;
#endif
    return half[0] + half[1];
}

/* Tile sizes of the dense kernels, chosen so that the partial sums of a tile
 * (TILE_ROWS x TILE_VECS vectors) plus the operands of one step fit in the
 * 16 vector registers of AVX2. */
#define TILE_ROWS 4
#define TILE_VECS 2
#define TILE_SAMPLES (TILE_VECS * VLEN)
#define WGRAD_MAX_COLS 8 /* weight-gradient columns of a single-row tile */
/* The tile functions take their tile shape as arguments that are constants
 * at every call; they must be inlined for the partial sums to live in
 * registers, which the compiler's size heuristics do not always see. */
#define TILE_KERNEL static inline __attribute__((always_inline))

/* ------------------------------------------------------------------------ */
/* Activations                                                              */

static const char *const act_names[ACT_COUNT] = {
    [ACT_SIGMOID] = "sigmoid", [ACT_TANH] = "tanh", [ACT_RELU] = "relu", [ACT_NONE] = "none"};

const char *activation_name(Activation act) { return act_names[act]; }

int activation_parse(const char *name, Activation *act)
{
    int i = name_index(act_names, ACT_COUNT, name);
    if (i < 0)
        return -1;
    *act = (Activation)i;
    return 0;
}

/* a = f(z) in place over count values. */
void activation_forward(double *a, int count, Activation act)
{
    switch (act) {
    case ACT_SIGMOID:
        fastmath_sigmoid(a, a, count);
        break;
    case ACT_TANH:
        fastmath_tanh(a, a, count);
        break;
    case ACT_RELU:
#pragma omp simd
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
#pragma omp simd
        for (int k = 0; k < count; k++)
            d[k] *= a[k] * (1.0 - a[k]);
        break;
    case ACT_TANH:
#pragma omp simd
        for (int k = 0; k < count; k++)
            d[k] *= 1.0 - a[k] * a[k];
        break;
    case ACT_RELU:
#pragma omp simd
        for (int k = 0; k < count; k++)
            d[k] = a[k] > 0.0 ? d[k] : 0.0;
        break;
    case ACT_NONE:
        break;
    }
}

/* ------------------------------------------------------------------------ */
/* Dense layer: out = W inp + bias                                          */

/* One tile of dense_forward: rows o0 .. o0+rows-1 of out, samples
 * k0 .. k0+vecs*VLEN-1. rows is TILE_ROWS, or 1 for the last rows of a
 * layer whose width is not a multiple of it; vecs is TILE_VECS, or 1 for a
 * last vector of samples. Both are constants after inlining, so acc lives
 * in registers. */
TILE_KERNEL void dense_forward_tile(double *out, const double *inp, const double *W,
                                    const double *bias, int n, int in, int o0, int rows, int k0,
                                    int vecs)
{
    vec acc[TILE_ROWS][TILE_VECS];
    for (int r = 0; r < rows; r++)
        for (int v = 0; v < vecs; v++)
            acc[r][v] = vec_splat(bias[o0 + r]);
    for (int i = 0; i < in; i++) {
        vec x[TILE_VECS];
        for (int v = 0; v < vecs; v++)
            x[v] = vec_load(inp + (size_t)i * n + k0 + v * VLEN);
        for (int r = 0; r < rows; r++) {
            double w = W[(size_t)(o0 + r) * in + i];
            for (int v = 0; v < vecs; v++)
                acc[r][v] += w * x[v];
        }
    }
    for (int r = 0; r < rows; r++)
        for (int v = 0; v < vecs; v++)
            vec_store(out + (size_t)(o0 + r) * n + k0 + v * VLEN, acc[r][v]);
}

/* The tiles of one span of samples starting at k0, vecs vectors wide,
 * over all out_units rows. */
TILE_KERNEL void dense_forward_span(double *out, const double *inp, const double *W,
                                    const double *bias, int n, int in, int out_units, int k0,
                                    int vecs)
{
    int o0 = 0;
    for (; o0 + TILE_ROWS <= out_units; o0 += TILE_ROWS)
        dense_forward_tile(out, inp, W, bias, n, in, o0, TILE_ROWS, k0, vecs);
    for (; o0 < out_units; o0++)
        dense_forward_tile(out, inp, W, bias, n, in, o0, 1, k0, vecs);
}

/* out is (out_units, n), inp is (in, n), W is (out_units, in), bias is (out_units).
 * The samples go by whole tiles, then a vector, then one by one for the
 * last few of a row that is not a multiple of VLEN long (never in a Batch,
 * whose rows are padded). */
void dense_forward(double *out, const double *inp, const double *W, const double *bias, int n,
                   int in, int out_units)
{
    int k0 = 0;
    for (; k0 + TILE_SAMPLES <= n; k0 += TILE_SAMPLES)
        dense_forward_span(out, inp, W, bias, n, in, out_units, k0, TILE_VECS);
    for (; k0 + VLEN <= n; k0 += VLEN)
        dense_forward_span(out, inp, W, bias, n, in, out_units, k0, 1);
    for (int k = k0; k < n; k++)
        for (int o = 0; o < out_units; o++) {
            double z = bias[o];
            for (int i = 0; i < in; i++)
                z += W[(size_t)o * in + i] * inp[(size_t)i * n + k];
            out[(size_t)o * n + k] = z;
        }
}

/* {sum of a's lanes, sum of b's lanes}. The lanes of a and b are first
 * interleaved and added pairwise (one vector addition serving both sums),
 * then the pairs are summed. */
static inline void vec_sum2(double *out, vec a, vec b)
{
#if VLEN == 4
    vec even = __builtin_shufflevector(a, b, 0, 4, 2, 6),
        odd = __builtin_shufflevector(a, b, 1, 5, 3, 7);
    vec s = even + odd; /* a0+a1, b0+b1, a2+a3, b2+b3 */
    pair sum = __builtin_shufflevector(s, s, 0, 1) + __builtin_shufflevector(s, s, 2, 3);
#else
    pair sum = __builtin_shufflevector(a, b, 0, 2) + __builtin_shufflevector(a, b, 1, 3);
#endif
    memcpy(out, &sum, sizeof sum);
}

/* One tile of the weight gradient over the first n_vec samples:
 * dW[o][i] = sum over k of dout[o][k] inp[i][k] for rows o0 .. o0+rows-1
 * and columns i0 .. i0+cols-1. Each partial sum is a vector of VLEN samples'
 * worth, added across at the end. rows and cols are constants after
 * inlining, and cols is even. */
TILE_KERNEL void weight_grad_tile(double *dW, const double *dout, const double *inp, int n,
                                  int n_vec, int in, int o0, int rows, int i0, int cols)
{
    vec acc[TILE_ROWS][WGRAD_MAX_COLS];
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
            acc[r][c] = (vec){0};
    for (int k = 0; k < n_vec; k += VLEN) {
        vec x[WGRAD_MAX_COLS];
        for (int c = 0; c < cols; c++)
            x[c] = vec_load(inp + (size_t)(i0 + c) * n + k);
        for (int r = 0; r < rows; r++) {
            vec g = vec_load(dout + (size_t)(o0 + r) * n + k);
            for (int c = 0; c < cols; c++)
                acc[r][c] += g * x[c];
        }
    }
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c += 2)
            vec_sum2(dW + (size_t)(o0 + r) * in + i0 + c, acc[r][c], acc[r][c + 1]);
}

/* dbias[o] = sum over the first n_vec samples of dout[o][k], for rows
 * o0 .. o0+rows-1 side by side so that their sums are independent chains. */
TILE_KERNEL void bias_grad_rows(double *dbias, const double *dout, int n, int n_vec, int o0,
                                int rows)
{
    vec acc[TILE_ROWS];
    for (int r = 0; r < rows; r++)
        acc[r] = (vec){0};
    for (int k = 0; k < n_vec; k += VLEN)
        for (int r = 0; r < rows; r++)
            acc[r] += vec_load(dout + (size_t)(o0 + r) * n + k);
    for (int r = 0; r < rows; r++)
        dbias[o0 + r] = vec_sum(acc[r]);
}

/* The weight and bias gradients of rows o0 .. o0+rows-1, first n_vec
 * samples. A single row (the output layer) takes wider column tiles, so that
 * it too has eight independent sums in flight. */
TILE_KERNEL void weight_grad_rows(double *dW, double *dbias, const double *dout, const double *inp,
                                  int n, int n_vec, int in, int o0, int rows)
{
    bias_grad_rows(dbias, dout, n, n_vec, o0, rows);
    int cols = rows == 1 ? WGRAD_MAX_COLS : 2;
    int i0 = 0;
    for (; i0 + cols <= in; i0 += cols)
        weight_grad_tile(dW, dout, inp, n, n_vec, in, o0, rows, i0, cols);
    for (; i0 + 2 <= in; i0 += 2)
        weight_grad_tile(dW, dout, inp, n, n_vec, in, o0, rows, i0, 2);
    if (i0 < in) { /* an odd last column */
        for (int r = 0; r < rows; r++) {
            const double *g = dout + (size_t)(o0 + r) * n, *x = inp + (size_t)i0 * n;
            vec acc = (vec){0};
            for (int k = 0; k < n_vec; k += VLEN)
                acc += vec_load(g + k) * vec_load(x + k);
            dW[(size_t)(o0 + r) * in + i0] = vec_sum(acc);
        }
    }
}

/* d f'(z) for a = f(z), a vector of samples at once: activation_backward
 * for the vectors of a tile. */
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
        break;
    }
    return d;
}

/* One tile of the input gradient: dinp[i][k] = sum over o of W[o][i] dout[o][k],
 * for rows i0 .. i0+rows-1 and samples k0 .. k0+vecs*VLEN-1 - the forward
 * tile with W transposed - then times f'(z) of the layer below, whose
 * output is a (in, n), as it goes out. act is a constant after inlining.
 * dinp may be a itself: each value of a is read just before the gradient
 * takes its place. */
TILE_KERNEL void input_grad_tile(double *dinp, const double *dout, const double *W, const double *a,
                                 int n, int in, int out_units, int i0, int rows, int k0, int vecs,
                                 Activation act)
{
    vec acc[TILE_ROWS][TILE_VECS];
    for (int r = 0; r < rows; r++)
        for (int v = 0; v < vecs; v++)
            acc[r][v] = (vec){0};
    for (int o = 0; o < out_units; o++) {
        vec g[TILE_VECS];
        for (int v = 0; v < vecs; v++)
            g[v] = vec_load(dout + (size_t)o * n + k0 + v * VLEN);
        for (int r = 0; r < rows; r++) {
            double w = W[(size_t)o * in + i0 + r];
            for (int v = 0; v < vecs; v++)
                acc[r][v] += w * g[v];
        }
    }
    for (int r = 0; r < rows; r++)
        for (int v = 0; v < vecs; v++) {
            size_t at = (size_t)(i0 + r) * n + k0 + v * VLEN;
            vec_store(dinp + at, derivative_times(acc[r][v], vec_load(a + at), act));
        }
}

/* The tiles of one span of samples starting at k0, vecs vectors wide,
 * over all in rows. */
TILE_KERNEL void input_grad_span(double *dinp, const double *dout, const double *W,
                                 const double *a, int n, int in, int out_units, int k0, int vecs,
                                 Activation act)
{
    int i0 = 0;
    for (; i0 + TILE_ROWS <= in; i0 += TILE_ROWS)
        input_grad_tile(dinp, dout, W, a, n, in, out_units, i0, TILE_ROWS, k0, vecs, act);
    for (; i0 < in; i0++)
        input_grad_tile(dinp, dout, W, a, n, in, out_units, i0, 1, k0, vecs, act);
}

/* dinp (in, n) = (W^T dout) f'(z), where a = f(z) is (in, n): the gradient
 * of the layer below's pre-activations, or with ACT_NONE of its outputs.
 * dinp may be a (see input_grad_tile). The samples go as in dense_forward. */
TILE_KERNEL void input_grad(double *dinp, const double *dout, const double *W, const double *a,
                            int n, int in, int out_units, Activation act)
{
    int k0 = 0;
    for (; k0 + TILE_SAMPLES <= n; k0 += TILE_SAMPLES)
        input_grad_span(dinp, dout, W, a, n, in, out_units, k0, TILE_VECS, act);
    for (; k0 + VLEN <= n; k0 += VLEN)
        input_grad_span(dinp, dout, W, a, n, in, out_units, k0, 1, act);
    for (int k = k0; k < n; k++)
        for (int i = 0; i < in; i++) {
            double s = 0.0;
            for (int o = 0; o < out_units; o++)
                s += W[(size_t)o * in + i] * dout[(size_t)o * n + k];
            size_t at = (size_t)i * n + k;
            double a_at = a[at];
            activation_backward(&s, &a_at, 1, act);
            dinp[at] = s;
        }
}

/* The weight and bias gradients of a dense layer (see dense_backward). */
static void weight_grad(double *dW, double *dbias, const double *dout, const double *inp, int n,
                        int in, int out_units)
{
    int n_vec = n - n % VLEN;
    int o0 = 0;
    for (; o0 + TILE_ROWS <= out_units; o0 += TILE_ROWS)
        weight_grad_rows(dW, dbias, dout, inp, n, n_vec, in, o0, TILE_ROWS);
    for (; o0 < out_units; o0++)
        weight_grad_rows(dW, dbias, dout, inp, n, n_vec, in, o0, 1);
    for (int k = n_vec; k < n; k++) /* the samples past the last whole vector */
        for (int o = 0; o < out_units; o++) {
            double g = dout[(size_t)o * n + k];
            dbias[o] += g;
            for (int i = 0; i < in; i++)
                dW[(size_t)o * in + i] += g * inp[(size_t)i * n + k];
        }
}

/* dense_backward followed by activation_backward of the layer below, in one
 * pass: dinp (in, n) becomes dLoss/dz of that layer, z its pre-activations
 * and a = f(z) its outputs, which are also this layer's inputs inp. The one
 * branch on the activation is taken here, once per layer; each case runs
 * its own compiled copy of the tiles. */
static void dense_activation_backward(double *dinp, double *dW, double *dbias, const double *dout,
                                      const double *inp, const double *W, int n, int in,
                                      int out_units, Activation act)
{
    weight_grad(dW, dbias, dout, inp, n, in, out_units);
    if (!dinp)
        return;
    switch (act) {
    case ACT_SIGMOID:
        input_grad(dinp, dout, W, inp, n, in, out_units, ACT_SIGMOID);
        break;
    case ACT_TANH:
        input_grad(dinp, dout, W, inp, n, in, out_units, ACT_TANH);
        break;
    case ACT_RELU:
        input_grad(dinp, dout, W, inp, n, in, out_units, ACT_RELU);
        break;
    case ACT_NONE:
        input_grad(dinp, dout, W, inp, n, in, out_units, ACT_NONE);
        break;
    }
}

/* dout is (out_units, n), dLoss/d(out). Sets dW (out_units, in) and
 * dbias (out_units); sets dinp (in, n) = W^T dout unless dinp is NULL
 * (the first layer has no use for the gradient of the inputs). dinp may be
 * inp itself, which it then replaces. */
void dense_backward(double *dinp, double *dW, double *dbias, const double *dout, const double *inp,
                    const double *W, int n, int in, int out_units)
{
    dense_activation_backward(dinp, dW, dbias, dout, inp, W, n, in, out_units, ACT_NONE);
}

/* ------------------------------------------------------------------------ */
/* Loss: mean squared error over n predictions                              */

double mse_forward(const double *pred, const double *y, int n)
{
    double sum = 0.0;
#pragma omp simd reduction(+ : sum)
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

/* Room for count doubles starting on a cache line (64 bytes), so that the
 * kernels' vector loads of a row's first samples never straddle two lines:
 * with malloc's 16-byte alignment they did, and an epoch took 1.06x longer. */
static double *alloc_lines(size_t count)
{
    size_t line = 64, bytes = count * sizeof(double);
    return aligned_alloc(line, (bytes + line - 1) / line * line);
}

int batch_alloc(Batch *b, const Network *net, int n)
{
    memset(b, 0, sizeof *b);
    b->n = n;
    b->stride = (n + NET_BATCH_ALIGN - 1) / NET_BATCH_ALIGN * NET_BATCH_ALIGN;
    int ok = 1;
    for (int l = 0; l <= net->n_layers; l++)
        ok &= (b->act[l] = alloc_lines((size_t)net->sizes[l] * b->stride)) != NULL;
    ok &= (b->dout = alloc_lines((size_t)NET_OUTPUTS * b->stride)) != NULL;
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
    free(b->dout);
    free(b->grad);
    memset(b, 0, sizeof *b);
}

/* The padding repeats the last sample: its activations are then as finite
 * as that sample's, and a zero gradient times them is zero. */
void batch_set_inputs(Batch *b, const double *x)
{
    for (int k = 0; k < b->stride; k++) {
        int from = k < b->n ? k : b->n - 1;
        b->act[0][k] = x[2 * from];
        b->act[0][b->stride + k] = x[2 * from + 1];
    }
}

const double *network_forward(const Network *net, Batch *b)
{
    for (int l = 0; l < net->n_layers; l++) {
        int in = net->sizes[l], out = net->sizes[l + 1];
        dense_forward(b->act[l + 1], b->act[l], net->params + network_weight_offset(net, l),
                      net->params + network_bias_offset(net, l), b->stride, in, out);
        activation_forward(b->act[l + 1], out * b->stride, net->activation);
    }
    return b->act[net->n_layers];
}

void network_backward(const Network *net, Batch *b, const double *y)
{
    int L = net->n_layers;
    double *d = b->dout; /* dLoss/dz of layer l, z its pre-activations */
    mse_backward(d, b->act[L], y, b->n);
    for (int k = b->n; k < b->stride; k++) /* the padding adds nothing */
        d[k] = 0.0;
    activation_backward(d, b->act[L], NET_OUTPUTS * b->stride, net->activation);
    for (int l = L - 1; l >= 0; l--) {
        int in = net->sizes[l], out = net->sizes[l + 1];
        /* Layer l's inputs act[l] are needed for nothing once this layer is
         * done, so the gradient passed down takes their place. */
        double *dinp = l > 0 ? b->act[l] : NULL;
        dense_activation_backward(
            dinp, b->grad + network_weight_offset(net, l), b->grad + network_bias_offset(net, l), d,
            b->act[l], net->params + network_weight_offset(net, l), b->stride, in, out,
            net->activation);
        d = dinp;
    }
}
