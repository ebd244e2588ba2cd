/* fast.c - the fast engine: dense layers and activations, forward and
 * backward, for a whole batch at once, as vectorised kernels. plain.c says
 * what each computes; this file computes the same faster.
 *
 * Arrays of activations and their gradients are (n, ld), sample-major: row k
 * holds sample k's units, padded to ld (see fast.h), so that every inner
 * loop runs along the units a vector at a time and a batch of any size goes
 * in whole vectors. Every pass of a dense layer is the same matrix product,
 * product() below.
 *
 * The vectors are those of vecmath.h: eight doubles with AVX-512, four with
 * AVX, two elsewhere (SSE2, NEON), one register either way; this file is
 * compiled once per width the build supports (see fast.h). Results depend
 * on that width only through the order of a few sums: those in which the
 * output layer adds up its lanes, and those of the small tiles that keep 2
 * or 4 partial sums (product_tile: how many depends on the tile's size in
 * vectors); and, without FMA (SSE2), through a*b+c rounding twice.
 */
#include "fast.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fastmath.h"
#include "plain.h"
#include "tile.h"
#include "vecmath.h"

/* Two doubles, for the last steps of the sums of lanes below (four:
 * quad, tile.h). */
typedef double pair __attribute__((vector_size(2 * sizeof(double))));

/* The sum of a vector's lanes, halving the vector each step:
 * (v0 + v2) + (v1 + v3) for four lanes. */
static inline double vec_sum(vec v)
{
#if VLEN == 8
    quad quarter =
        __builtin_shufflevector(v, v, 0, 1, 2, 3) + __builtin_shufflevector(v, v, 4, 5, 6, 7);
    pair half = __builtin_shufflevector(quarter, quarter, 0, 1) +
                __builtin_shufflevector(quarter, quarter, 2, 3);
#elif VLEN == 4
    pair half = __builtin_shufflevector(v, v, 0, 1) + __builtin_shufflevector(v, v, 2, 3);
#else
    pair half = v;
#endif
    return half[0] + half[1];
}

/* Tile sizes of the dense kernels: up to TILE_SUMS vectors of partial sums,
 * as TILE_ROWS rows by TILE_SUMS / TILE_ROWS vectors or fewer rows by more,
 * so that the sums plus the operands of one step fit in the vector
 * registers (16 with AVX2, 32 with AVX-512), and enough independent sums
 * are in flight to keep both FMA units busy. */
#if VLEN == 8
#define TILE_ROWS 8
#define TILE_SUMS 16
#else
#define TILE_ROWS 4
#define TILE_SUMS 8
#endif

/* ------------------------------------------------------------------------ */
/* Activations                                                              */

/* a = f(z) over count values; a may be z. */
void fast_activation_forward(double *a, const double *z, int count, Activation act)
{
    switch (act) {
    case ACT_SIGMOID:
        fastmath_sigmoid(a, z, count);
        break;
    case ACT_TANH:
        fastmath_tanh(a, z, count);
        break;
    case ACT_RELU:
#pragma omp simd
        for (int k = 0; k < count; k++)
            a[k] = z[k] > 0.0 ? z[k] : 0.0;
        break;
    case ACT_NONE:
    case ACT_SOFTMAX: /* a row's, not a value's: fast_forward calls softmax_forward */
        if (a != z)
            memcpy(a, z, (size_t)count * sizeof *a);
        break;
    }
}

/* dz = da * f'(z), where a = f(z); dz may be da. Every derivative here can
 * be written in terms of the output a, so z need not be kept. */
void fast_activation_backward(double *dz, const double *da, const double *a, int count,
                              Activation act)
{
    switch (act) {
    case ACT_SIGMOID:
#pragma omp simd
        for (int k = 0; k < count; k++)
            dz[k] = da[k] * (a[k] * (1.0 - a[k]));
        break;
    case ACT_TANH:
#pragma omp simd
        for (int k = 0; k < count; k++)
            dz[k] = da[k] * (1.0 - a[k] * a[k]);
        break;
    case ACT_RELU:
#pragma omp simd
        for (int k = 0; k < count; k++)
            dz[k] = a[k] > 0.0 ? da[k] : 0.0;
        break;
    case ACT_NONE:
    case ACT_SOFTMAX: /* a row's: fast_backward calls softmax_backward */
        if (dz != da)
            memcpy(dz, da, (size_t)count * sizeof *dz);
        break;
    }
}

/* ------------------------------------------------------------------------ */
/* Dense layer: out = inp W^T + bias                                        */

/* Every pass of a dense layer is one matrix product, C = L R:
 *
 *   forward          out (n, out)  = inp (n, in)     W^T (in, out)  + bias
 *   input gradient   dinp (n, in)  = dout (n, out)   W (out, in)    times f'
 *   weight gradient  dW (out, in)  = dout^T (out, n) inp (n, in)
 *   bias gradient    dbias (1, out) = ones (1, n)    dout (n, out)
 *
 * and product() below computes them all. It reads L one value at a time,
 * at L[r * l_row + j * l_col], so that L may be an array or its transpose,
 * and R and C a vector at a time along their rows, which is why the
 * forward pass wants W transposed (dense_prepare keeps a copy). Each tile
 * of C keeps its TILE_SUMS vectors of partial sums in registers for the
 * whole sum over j and is stored once; that, not the arithmetic, is what
 * makes the kernels fast. */

/* v's first count lanes to p (count < VLEN: the end of a row of weights). */
static inline void store_lanes(double *p, vec v, int count)
{
    double lanes[VLEN];
    vec_store(lanes, v);
    memcpy(p, lanes, (size_t)(count < VLEN ? count : VLEN) * sizeof *p);
}

/* f(z) a vector at a time: fast_activation_forward's values, the same
 * operations, inside the forward pass's tiles. */
TILE_KERNEL vec activation_of(vec z, Activation act)
{
    switch (act) {
    case ACT_SIGMOID:
        return vm_sigmoid(z);
    case ACT_TANH:
        return vm_tanh(z);
    case ACT_RELU:
        return (vec)((vec_mask)z & (z > (vec){0}));
    case ACT_NONE:
    case ACT_SOFTMAX: /* never a hidden layer's */
        break;
    }
    return z;
}

/* What a product does besides the sums: start from a bias row (R's row
 * `depth`, the forward pass); at the end multiply by f'(z) of the values
 * of C being replaced (the input gradient, act_below other than ACT_NONE),
 * or store f(sum) rather than the sum (the forward pass of a hidden layer,
 * act other than ACT_NONE). The second saves a pass over the layer's
 * outputs, and more: sigmoid and tanh wait on the divider, which then
 * works while the next tiles' multiply-adds keep the FMA units busy.
 * whole says that C's rows are whole vectors long, so that no store needs
 * to check. Constants after inlining. */
typedef struct {
    int bias, whole;
    Activation act_below, act;
} Epilogue;

/* One tile of C = L R: rows r0 .. r0+rows-1, columns c0 .. c0+vecs*VLEN-1,
 * of which C keeps those below `cols`. rows and vecs are constants after
 * inlining, with rows * vecs <= TILE_SUMS, so acc lives in registers.
 *
 * A tile of fewer than 8 sums (one row of them: a bias gradient, the
 * output layer's weight gradient; or the first layer's two rows) would
 * wait on the latency of its additions, each sum one chain over j: it
 * keeps `chains` partial sums of each instead, of the j's alike mod
 * chains, and adds them up pairwise at the end. */
TILE_KERNEL void product_tile(double *C, size_t ldc, int cols, const double *L, size_t l_row,
                              size_t l_col, const double *R, size_t ldr, int depth, int r0,
                              int rows, int c0, int vecs, Epilogue e)
{
    enum { MAX_CHAINS = 4 };
    int chains = rows * vecs >= 8 ? 1 : rows * vecs >= 4 ? 2 : MAX_CHAINS;
    vec part[MAX_CHAINS][TILE_ROWS][TILE_SUMS];
    for (int s = 0; s < chains; s++)
        for (int r = 0; r < rows; r++)
            for (int v = 0; v < vecs; v++)
                part[s][r][v] = e.bias && s == 0
                                    ? vec_load(R + (size_t)depth * ldr + c0 + v * VLEN)
                                    : (vec){0};
    int j = 0;
    for (; j + chains <= depth; j += chains)
        for (int s = 0; s < chains; s++) {
            vec x[TILE_SUMS];
            for (int v = 0; v < vecs; v++)
                x[v] = vec_load(R + (size_t)(j + s) * ldr + c0 + v * VLEN);
            for (int r = 0; r < rows; r++) {
                double l = L[(size_t)(r0 + r) * l_row + (size_t)(j + s) * l_col];
                for (int v = 0; v < vecs; v++)
                    part[s][r][v] += l * x[v];
            }
        }
    for (; j < depth; j++) { /* the last depth % chains */
        for (int r = 0; r < rows; r++) {
            double l = L[(size_t)(r0 + r) * l_row + (size_t)j * l_col];
            for (int v = 0; v < vecs; v++)
                part[0][r][v] += l * vec_load(R + (size_t)j * ldr + c0 + v * VLEN);
        }
    }
    vec acc[TILE_ROWS][TILE_SUMS];
    for (int r = 0; r < rows; r++)
        for (int v = 0; v < vecs; v++)
            acc[r][v] = chains == 1   ? part[0][r][v]
                        : chains == 2 ? part[0][r][v] + part[1][r][v]
                                      : (part[0][r][v] + part[1][r][v]) +
                                            (part[2][r][v] + part[3][r][v]);
    for (int r = 0; r < rows; r++)
        for (int v = 0; v < vecs; v++) {
            int c = c0 + v * VLEN;
            double *to = C + (size_t)(r0 + r) * ldc + c;
            vec z = e.act_below == ACT_NONE
                        ? activation_of(acc[r][v], e.act)
                        : derivative_times(acc[r][v], vec_load(to), e.act_below);
            if (e.whole || cols - c >= VLEN)
                vec_store(to, z);
            else
                store_lanes(to, z, cols - c);
        }
}

/* The tiles of rows r0 .. r0+rows-1 across the columns: as many vectors a
 * tile as keep TILE_SUMS sums in flight (each a chain of depth dependent
 * additions), then tiles of half as many vectors and so on down to single
 * vectors up to cols (R's rows are long enough for the last one), so that
 * rows of a few vectors still get several sums a row. A tile's shape does
 * not change what it computes: each sum runs over j in order. */
TILE_KERNEL void product_rows(double *C, size_t ldc, int cols, const double *L, size_t l_row,
                              size_t l_col, const double *R, size_t ldr, int depth, int r0,
                              int rows, Epilogue e)
{
    int c0 = 0;
    if (rows * 8 <= TILE_SUMS)
        for (; c0 + 8 * VLEN <= cols; c0 += 8 * VLEN)
            product_tile(C, ldc, cols, L, l_row, l_col, R, ldr, depth, r0, rows, c0, 8, e);
    if (rows * 4 <= TILE_SUMS)
        for (; c0 + 4 * VLEN <= cols; c0 += 4 * VLEN)
            product_tile(C, ldc, cols, L, l_row, l_col, R, ldr, depth, r0, rows, c0, 4, e);
    for (; c0 + 2 * VLEN <= cols; c0 += 2 * VLEN)
        product_tile(C, ldc, cols, L, l_row, l_col, R, ldr, depth, r0, rows, c0, 2, e);
    for (; c0 < cols; c0 += VLEN)
        product_tile(C, ldc, cols, L, l_row, l_col, R, ldr, depth, r0, rows, c0, 1, e);
}

/* C (rows, cols; rows ldc apart) = L (rows, depth) R (depth, cols), L read at
 * L[r * l_row + j * l_col], R's rows ldr apart; see Epilogue. C may be
 * written over the values it multiplies by f'(z), never over L or R. The
 * rows go TILE_ROWS at a time, then the last few together. */
TILE_KERNEL void product(double *C, size_t ldc, int cols, const double *L, size_t l_row,
                         size_t l_col, const double *R, size_t ldr, int depth, int rows, Epilogue e)
{
    int r0 = 0;
    for (; r0 + TILE_ROWS <= rows; r0 += TILE_ROWS)
        product_rows(C, ldc, cols, L, l_row, l_col, R, ldr, depth, r0, TILE_ROWS, e);
    switch (rows - r0) {
#if TILE_ROWS > 4
    case 7:
        product_rows(C, ldc, cols, L, l_row, l_col, R, ldr, depth, r0, 7, e);
        break;
    case 6:
        product_rows(C, ldc, cols, L, l_row, l_col, R, ldr, depth, r0, 6, e);
        break;
    case 5:
        product_rows(C, ldc, cols, L, l_row, l_col, R, ldr, depth, r0, 5, e);
        break;
    case 4:
        product_rows(C, ldc, cols, L, l_row, l_col, R, ldr, depth, r0, 4, e);
        break;
#endif
    case 3:
        product_rows(C, ldc, cols, L, l_row, l_col, R, ldr, depth, r0, 3, e);
        break;
    case 2:
        product_rows(C, ldc, cols, L, l_row, l_col, R, ldr, depth, r0, 2, e);
        break;
    case 1:
        product_rows(C, ldc, cols, L, l_row, l_col, R, ldr, depth, r0, 1, e);
        break;
    }
}

/* Whether a layer's weight gradient is taken transposed (see weight_grad):
 * fewer inputs than a vector holds, and outputs to make vectors of. */
static int narrow_input(const Dense *d) { return d->in < VLEN && d->ld_out >= VLEN; }

/* Wide layers: both sides at least WIDE_MIN_UNITS. Their products go by
 * gemm.c, which blocks the matrices for the caches as product() does not:
 * with hundreds of units a side, the sums then run near the peak rather
 * than wait on memory. Below, a block's overhead is not paid back, and
 * product() is faster. */
#define WIDE_MIN_UNITS 64

static int wide_layer(const Dense *d)
{
    return d->in >= WIDE_MIN_UNITS && d->out >= WIDE_MIN_UNITS;
}

int fast_dense_alloc(Dense *d, int in, int out, int ld_in, int ld_out)
{
    memset(d, 0, sizeof *d);
    d->in = in, d->out = out, d->ld_in = ld_in, d->ld_out = ld_out;
    d->WT = fast_alloc_lines((size_t)(in + 1) * ld_out);
    if (narrow_input(d))
        d->dWT = fast_alloc_lines((size_t)in * ld_out);
    if (ld_in > in || wide_layer(d))
        d->W_padded = fast_alloc_lines((size_t)out * ld_in);
    if (wide_layer(d))
        d->panels_room = fast_alloc_lines(gemm_panels_room(ld_in, ld_out));
    if (!d->WT || (narrow_input(d) && !d->dWT) || ((ld_in > in || wide_layer(d)) && !d->W_padded) ||
        (wide_layer(d) && !d->panels_room)) {
        fast_dense_free(d);
        return -1;
    }
    return 0;
}

void fast_dense_free(Dense *d)
{
    if (!d->shares_panels) {
        free(d->WT);
        free(d->W_padded);
    }
    free(d->dWT);
    free(d->panels_room);
    memset(d, 0, sizeof *d);
}

/* T (cols, rows; rows ld_t apart) = A (rows, cols; rows ld_a apart)
 * transposed, by 4x4 blocks where both sizes allow. */
static void transpose(double *T, size_t ld_t, const double *A, size_t ld_a, int rows, int cols)
{
    int r0 = 0;
#if defined(__AVX__)
    if (cols == 2 && ld_a == 2) {
        /* Rows of two into two rows (the first layer's weights): unzipped,
         * a whole vector stored at a time, as the next pass loads them. */
        for (; r0 + 4 <= rows; r0 += 4) {
            quad a01 = quad_load(A + (size_t)r0 * 2), a23 = quad_load(A + (size_t)r0 * 2 + 4);
            quad a02 = __builtin_shufflevector(a01, a23, 0, 1, 4, 5), /* rows r0, r0+2 */
                a13 = __builtin_shufflevector(a01, a23, 2, 3, 6, 7);
            quad_store(T + r0, __builtin_shufflevector(a02, a13, 0, 4, 2, 6));
            quad_store(T + ld_t + r0, __builtin_shufflevector(a02, a13, 1, 5, 3, 7));
        }
    }
    for (; r0 + 4 <= rows; r0 += 4) {
        int c0 = 0;
        for (; c0 + 4 <= cols; c0 += 4)
            transpose_4x4(T + (size_t)c0 * ld_t + r0, ld_t, A + (size_t)r0 * ld_a + c0, ld_a);
        for (; c0 < cols; c0++)
            for (int r = r0; r < r0 + 4; r++)
                T[(size_t)c0 * ld_t + r] = A[(size_t)r * ld_a + c0];
    }
    if (rows == 2 && ld_t == 2) {
        /* Two rows into rows of two (the first layer's weight gradient):
         * zipped, and stored a whole vector at a time, for the optimiser
         * loads them right back that way, and a vector load of values just
         * stored one by one waits for the stores to finish (measured: 3% of
         * an xor epoch). */
        int c0 = 0;
        for (; c0 + 4 <= cols; c0 += 4) {
            quad a0 = quad_load(A + c0), a1 = quad_load(A + ld_a + c0);
            quad even = __builtin_shufflevector(a0, a1, 0, 4, 2, 6),
                 odd = __builtin_shufflevector(a0, a1, 1, 5, 3, 7);
            quad_store(T + (size_t)c0 * 2, __builtin_shufflevector(even, odd, 0, 1, 4, 5));
            quad_store(T + (size_t)(c0 + 2) * 2, __builtin_shufflevector(even, odd, 2, 3, 6, 7));
        }
        for (; c0 < cols; c0++)
            for (int r = 0; r < 2; r++)
                T[(size_t)c0 * 2 + r] = A[(size_t)r * ld_a + c0];
        return;
    }
#endif
    for (; r0 < rows; r0++)
        for (int c = 0; c < cols; c++)
            T[(size_t)c * ld_t + r0] = A[(size_t)r0 * ld_a + c];
}

void fast_dense_prepare(Dense *d, const double *W, const double *bias)
{
    d->W = W;
    d->bias = bias;
    if (wide_layer(d)) {
        if (!d->shares_panels)
            gemm_prepare(d);
    } else if (d->ld_out >= VLEN) { /* the forward pass goes by product() */
        transpose(d->WT, (size_t)d->ld_out, W, (size_t)d->in, d->out, d->in);
        double *bias_row = d->WT + (size_t)d->in * d->ld_out;
        int o = 0;
        for (; o + VLEN <= d->out; o += VLEN)
            vec_store(bias_row + o, vec_load(bias + o));
        for (; o < d->out; o++)
            bias_row[o] = bias[o];
    }
}

/* W (out, ld_in) for the kernels that read it a vector of inputs at a time:
 * W itself, or where its rows are shorter than ld_in, its copy padded with
 * zeros (made here, when needed: the first layer never is). */
static const double *padded_rows(const Dense *d)
{
    if (!d->W_padded)
        return d->W;
    for (int o = 0; o < d->out; o++)
        memcpy(d->W_padded + (size_t)o * d->ld_in, d->W + (size_t)o * d->in,
               (size_t)d->in * sizeof *d->W);
    return d->W_padded;
}

/* The sums of the lanes of VLEN vectors (TILE_ROWS of them, which with
 * AVX-512 and AVX2 is VLEN), each added up as vec_sum adds up one, into a
 * vector of VLEN sums: halving all of them at once, two vectors' halves
 * side by side in one, so that a step is one addition for two rows. */
#if VLEN == 8 && TILE_ROWS == 8
#define LANE_SUMS 1
static inline vec lane_sums(const vec *v)
{
    vec q[4], h[2];
    for (int i = 0; i < 4; i++) /* rows 2i, 2i+1: lanes l and l+4 added */
        q[i] = __builtin_shufflevector(v[2 * i], v[2 * i + 1], 0, 1, 2, 3, 8, 9, 10, 11) +
               __builtin_shufflevector(v[2 * i], v[2 * i + 1], 4, 5, 6, 7, 12, 13, 14, 15);
    for (int i = 0; i < 2; i++) /* then lanes l and l+2 of each quarter */
        h[i] = __builtin_shufflevector(q[2 * i], q[2 * i + 1], 0, 1, 4, 5, 8, 9, 12, 13) +
               __builtin_shufflevector(q[2 * i], q[2 * i + 1], 2, 3, 6, 7, 10, 11, 14, 15);
    return __builtin_shufflevector(h[0], h[1], 0, 2, 4, 6, 8, 10, 12, 14) +
           __builtin_shufflevector(h[0], h[1], 1, 3, 5, 7, 9, 11, 13, 15);
}
#elif VLEN == 4 && TILE_ROWS == 4
#define LANE_SUMS 1
static inline vec lane_sums(const vec *v)
{
    vec h[2];
    for (int i = 0; i < 2; i++) /* rows 2i, 2i+1: lanes l and l+2 added */
        h[i] = __builtin_shufflevector(v[2 * i], v[2 * i + 1], 0, 1, 4, 5) +
               __builtin_shufflevector(v[2 * i], v[2 * i + 1], 2, 3, 6, 7);
    return __builtin_shufflevector(h[0], h[1], 0, 2, 4, 6) +
           __builtin_shufflevector(h[0], h[1], 1, 3, 5, 7);
}
#else
#define LANE_SUMS 0
#endif

/* The forward pass of a layer with fewer outputs than a vector holds (the
 * output layer): each output a sum along a row of inp and of W, a vector at
 * a time, then across the lanes; TILE_ROWS samples side by side. A single
 * output (ld_out 1) stores its TILE_ROWS values as one vector. */
static void dense_forward_narrow(double *out, const double *inp, const Dense *d, int n)
{
    int ld_in = d->ld_in;
    const double *W = padded_rows(d);
    for (int o = 0; o < d->out; o++) {
        const double *w = W + (size_t)o * ld_in;
        int k0 = 0;
        for (; k0 + TILE_ROWS <= n; k0 += TILE_ROWS) {
            vec acc[TILE_ROWS] = {{0}};
            for (int i = 0; i < ld_in; i += VLEN)
                for (int r = 0; r < TILE_ROWS; r++)
                    acc[r] += vec_load(inp + (size_t)(k0 + r) * ld_in + i) * vec_load(w + i);
#if LANE_SUMS
            if (d->ld_out == 1) {
                vec_store(out + k0, vec_splat(d->bias[o]) + lane_sums(acc));
                continue;
            }
#endif
            for (int r = 0; r < TILE_ROWS; r++)
                out[(size_t)(k0 + r) * d->ld_out + o] = d->bias[o] + vec_sum(acc[r]);
        }
        for (; k0 < n; k0++) {
            vec acc = {0};
            for (int i = 0; i < ld_in; i += VLEN)
                acc += vec_load(inp + (size_t)k0 * ld_in + i) * vec_load(w + i);
            out[(size_t)k0 * d->ld_out + o] = d->bias[o] + vec_sum(acc);
        }
    }
}

/* out (n, ld_out) = inp (n, in) WT (in, ld_out), from the bias row of WT,
 * then f of it: a layer that goes by product(). */
TILE_KERNEL void product_forward(double *out, const double *inp, const Dense *d, int n,
                                 Activation act)
{
    product(out, (size_t)d->ld_out, d->ld_out, inp, (size_t)d->ld_in, 1, d->WT, (size_t)d->ld_out,
            d->in, n, (Epilogue){.bias = 1, .whole = 1, .act_below = ACT_NONE, .act = act});
}

void fast_dense_forward(double *out, const double *inp, const Dense *d, int n)
{
    if (wide_layer(d)) {
        gemm_forward(out, inp, d, n);
        return;
    }
    if (d->ld_out < VLEN) {
        dense_forward_narrow(out, inp, d, n);
        return;
    }
    product_forward(out, inp, d, n, ACT_NONE);
}

/* The forward pass of a hidden layer whose inputs still wait for their
 * activation f: the layer below stored its z and left f to this one, so
 * that the divisions of sigmoid and tanh (the divider takes 16 cycles a
 * vector of eight, and nothing else can use it) run while this layer's
 * multiply-adds keep the FMA units busy. Written one after the other, the
 * two do not overlap: the processor's window of instructions in flight
 * holds about one tile's worth. So they are interleaved by hand:
 *
 *   tile t of TILE_ROWS rows: out = inp W^T + bias over the layer's inputs
 *   j = 0 .. in-1, and at step j also f on vector j of inp's rows of tile
 *   t+1 (which tile t+1 reads next) and of out's rows of tile t-1 (the
 *   sums this layer stored a step before), each block of rows contiguous.
 *
 * One tile holds a whole row of outputs (ld_out <= TILE_SUMS / TILE_ROWS
 * vectors, pipelined_layer), and f is applied in place by the same
 * operations as fast_activation_forward: the values are those of the
 * layers done one after the other. */

/* f on vector k of a block of values, in place. */
TILE_KERNEL void activate_vector(double *block, int k, Activation act)
{
    vec_store(block + (size_t)k * VLEN, activation_of(vec_load(block + (size_t)k * VLEN), act));
}

/* Tile r0 .. r0+TILE_ROWS-1 of the pipelined pass (vecs vectors a row, a
 * constant after inlining): its sums stored as they are, while f goes over
 * the first n_before vectors of `before` and n_after of `after`. */
TILE_KERNEL void pipelined_tile(double *out, size_t ld_out, const double *inp, size_t ld_in,
                                const double *WT, int depth, int r0, int vecs, double *before,
                                int n_before, double *after, int n_after, Activation act_in,
                                Activation act)
{
    vec acc[TILE_ROWS][TILE_SUMS / TILE_ROWS];
    for (int r = 0; r < TILE_ROWS; r++)
        for (int v = 0; v < vecs; v++)
            acc[r][v] = vec_load(WT + (size_t)depth * ld_out + v * VLEN);
    for (int j = 0; j < depth; j++) {
        vec x[TILE_SUMS / TILE_ROWS];
        for (int v = 0; v < vecs; v++)
            x[v] = vec_load(WT + (size_t)j * ld_out + v * VLEN);
        for (int r = 0; r < TILE_ROWS; r++) {
            double l = inp[(size_t)(r0 + r) * ld_in + j];
            for (int v = 0; v < vecs; v++)
                acc[r][v] += l * x[v];
        }
        if (j < n_before)
            activate_vector(before, j, act);
        if (j < n_after)
            activate_vector(after, j, act_in);
    }
    for (int k = depth; k < n_before; k++)
        activate_vector(before, k, act);
    for (int k = depth; k < n_after; k++)
        activate_vector(after, k, act_in);
    for (int r = 0; r < TILE_ROWS; r++)
        for (int v = 0; v < vecs; v++)
            vec_store(out + (size_t)(r0 + r) * ld_out + v * VLEN, acc[r][v]);
}

/* Whether a layer can take the pipelined pass: it goes by product(), and
 * a tile holds a whole row of its outputs. */
static int pipelined_layer(const Dense *d)
{
    return d->ld_out >= VLEN && !wide_layer(d) && d->ld_out * TILE_ROWS <= TILE_SUMS * VLEN;
}

/* out (n, ld_out) = f(inp W^T + bias) after inp = f_in(inp) (n, ld_in), in
 * place: the layer of a pipelined pass (see above), vecs = ld_out / VLEN.
 * The rows left after the whole tiles go by product(), f in its stores. */
TILE_KERNEL void pipelined_rows(double *out, double *inp, const Dense *d, int n, int vecs,
                                Activation act_in, Activation act)
{
    size_t ld_in = (size_t)d->ld_in, ld_out = (size_t)d->ld_out;
    int tiles = n / TILE_ROWS, in_vecs = (int)(TILE_ROWS * ld_in / VLEN);
    int out_vecs = TILE_ROWS * vecs;
    int first = (tiles > 0 ? TILE_ROWS : n) * in_vecs / TILE_ROWS; /* tile 0's inputs */
    for (int k = 0; k < first; k++)
        activate_vector(inp, k, act_in);
    for (int t = 0; t < tiles; t++) {
        int r0 = t * TILE_ROWS, next_rows = n - (r0 + TILE_ROWS);
        next_rows = next_rows < TILE_ROWS ? next_rows : TILE_ROWS;
        pipelined_tile(out, ld_out, inp, ld_in, d->WT, d->in, r0, vecs,
                       out + (size_t)(r0 - TILE_ROWS) * ld_out, t > 0 ? out_vecs : 0,
                       inp + (size_t)(r0 + TILE_ROWS) * ld_in, next_rows * in_vecs / TILE_ROWS,
                       act_in, act);
    }
    if (tiles > 0)
        for (int k = 0; k < out_vecs; k++)
            activate_vector(out + (size_t)(tiles - 1) * TILE_ROWS * ld_out, k, act);
    int r0 = tiles * TILE_ROWS;
    if (r0 < n)
        product(out + r0 * ld_out, ld_out, d->ld_out, inp + r0 * ld_in, ld_in, 1, d->WT, ld_out,
                d->in, n - r0,
                (Epilogue){.bias = 1, .whole = 1, .act_below = ACT_NONE, .act = act});
}

/* pipelined_rows for the layer's width, f (sigmoid or tanh: see
 * fast_forward) and whether the outputs take f too or are left to the
 * layer above: each combination its own compiled copy. */
static void pipelined_forward(double *out, double *inp, const Dense *d, int n, Activation f,
                              int f_out)
{
#define PIPELINED(vecs, fin)                                                                       \
    do {                                                                                           \
        if (f_out)                                                                                 \
            pipelined_rows(out, inp, d, n, vecs, fin, fin);                                        \
        else                                                                                       \
            pipelined_rows(out, inp, d, n, vecs, fin, ACT_NONE);                                   \
    } while (0)
    int two = d->ld_out / VLEN == 2;
    if (f == ACT_TANH) {
        if (two)
            PIPELINED(2, ACT_TANH);
        else
            PIPELINED(1, ACT_TANH);
    } else {
        if (two)
            PIPELINED(2, ACT_SIGMOID);
        else
            PIPELINED(1, ACT_SIGMOID);
    }
#undef PIPELINED
}

/* fast_dense_forward, then fast_activation_forward over the count values
 * of out (whole rows, rounded up to whole vectors); in one pass where the
 * layer goes by product(). As in dense_activation_backward, each
 * activation runs its own compiled copy of the tiles. */
static void dense_activation_forward(double *out, const double *inp, const Dense *d, int n,
                                     int count, Activation act)
{
    if (wide_layer(d) || d->ld_out < VLEN) {
        fast_dense_forward(out, inp, d, n);
        fast_activation_forward(out, out, count, act);
        return;
    }
    switch (act) {
    case ACT_SIGMOID:
        product_forward(out, inp, d, n, ACT_SIGMOID);
        break;
    case ACT_TANH:
        product_forward(out, inp, d, n, ACT_TANH);
        break;
    case ACT_RELU:
        product_forward(out, inp, d, n, ACT_RELU);
        break;
    case ACT_NONE:
    case ACT_SOFTMAX: /* never a hidden layer's */
        product_forward(out, inp, d, n, ACT_NONE);
        break;
    }
}

/* dbias[o] = the sum of column o of dout (n, ld_out): a row of ones times
 * dout, or one column at a time below a vector's width. */
static void bias_grad(double *dbias, const double *dout, const Dense *d, int n)
{
    size_t ld = (size_t)d->ld_out;
    if (d->ld_out < VLEN) { /* four rows at once: four chains of additions */
        for (int o = 0; o < d->out; o++) {
            double s[4] = {0};
            int k = 0;
            for (; k + 4 <= n; k += 4)
                for (int j = 0; j < 4; j++)
                    s[j] += dout[(size_t)(k + j) * ld + o];
            for (; k < n; k++)
                s[0] += dout[(size_t)k * ld + o];
            dbias[o] = (s[0] + s[1]) + (s[2] + s[3]);
        }
        return;
    }
    static const double one = 1.0;
    product(dbias, 0, d->out, &one, 0, 0, dout, ld, n, 1,
            (Epilogue){.whole = 0, .act_below = ACT_NONE, .act = ACT_NONE});
}

/* The weight and bias gradients (see dense_backward). dW = dout^T inp goes
 * a vector of inputs at a time; a layer with fewer inputs than a vector
 * holds (the first) instead takes dW^T = inp^T dout, a vector of outputs at
 * a time, and transposes it into place. */
static void weight_grad(double *dW, double *dbias, const double *dout, const double *inp,
                        const Dense *d, int n)
{
    size_t ld_in = (size_t)d->ld_in, ld_out = (size_t)d->ld_out;
    if (narrow_input(d)) {
        product(d->dWT, ld_out, d->ld_out, inp, 1, ld_in, dout, ld_out, n, d->in,
                (Epilogue){.whole = 1, .act_below = ACT_NONE, .act = ACT_NONE});
        transpose(dW, (size_t)d->in, d->dWT, ld_out, d->in, d->out);
    } else if (d->in % VLEN == 0) {
        product(dW, (size_t)d->in, d->in, dout, 1, ld_out, inp, ld_in, n, d->out,
                (Epilogue){.whole = 1, .act_below = ACT_NONE, .act = ACT_NONE});
    } else { /* rows of dW end in part of a vector */
        product(dW, (size_t)d->in, d->in, dout, 1, ld_out, inp, ld_in, n, d->out,
                (Epilogue){.whole = 0, .act_below = ACT_NONE, .act = ACT_NONE});
    }
    bias_grad(dbias, dout, d, n);
}

/* dinp (n, ld_in) = dout (n, ld_out) W (out, ld_in), times f'(z) of the
 * layer below, whose outputs a = f(z) are inp: the gradient of that layer's
 * pre-activations (with ACT_NONE, of its outputs). dinp may be inp: each
 * value is read just before its gradient takes its place. */
TILE_KERNEL void input_grad(double *dinp, const double *dout, const Dense *d, int n,
                            Activation act_below)
{
    product(dinp, (size_t)d->ld_in, d->ld_in, dout, (size_t)d->ld_out, 1, padded_rows(d),
            (size_t)d->ld_in, d->out, n, (Epilogue){.whole = 1, .act_below = act_below, .act = ACT_NONE});
}

/* dense_backward followed by activation_backward of the layer below, in one
 * pass. The one branch on the activation is taken here, once per layer; each
 * case runs its own compiled copy of the tiles. */
static void dense_activation_backward(double *dinp, double *dW, double *dbias, const double *dout,
                                      const double *inp, const Dense *d, int n, Activation act)
{
    if (wide_layer(d)) {
        gemm_weight_grad(dW, dbias, dout, inp, d, n);
        if (dinp)
            gemm_input_grad(dinp, dout, d, n, act);
        return;
    }
    weight_grad(dW, dbias, dout, inp, d, n);
    if (!dinp)
        return;
    switch (act) {
    case ACT_SIGMOID:
        input_grad(dinp, dout, d, n, ACT_SIGMOID);
        break;
    case ACT_TANH:
        input_grad(dinp, dout, d, n, ACT_TANH);
        break;
    case ACT_RELU:
        input_grad(dinp, dout, d, n, ACT_RELU);
        break;
    case ACT_NONE:
    case ACT_SOFTMAX: /* never a hidden layer's */
        input_grad(dinp, dout, d, n, ACT_NONE);
        break;
    }
}

void fast_dense_backward(double *dinp, double *dW, double *dbias, const double *dout,
                         const double *inp, const Dense *d, int n)
{
    dense_activation_backward(dinp, dW, dbias, dout, inp, d, n, ACT_NONE);
}

/* ------------------------------------------------------------------------ */
/* The network: every layer's pass in turn                                  */

int fast_pass_alloc(FastPass *p, const Network *net, int max_rows)
{
    memset(p, 0, sizeof *p);
    p->max_rows = p->n = max_rows;
    int L = net->n_layers, ok = 1;
    for (int l = 0; l <= L; l++) {
        int width = net->sizes[l];
        /* one output: its n values in a row; K outputs: padded as any layer */
        p->ld[l] = l == L && width == 1 ? 1 : net_round_up(width);
        /* the activations go by whole vectors (activation_count) */
        ok &= (p->act[l] = fast_alloc_lines((size_t)net_round_up(max_rows * p->ld[l]))) != NULL;
    }
    for (int l = 0; l < L && ok; l++) {
        Dense *d = &p->layer[l];
        ok = fast_dense_alloc(d, net->sizes[l], net->sizes[l + 1], p->ld[l], p->ld[l + 1]) == 0;
        p->w_off[l] = (int)(net->W[l] - net->params);
        p->b_off[l] = (int)(net->b[l] - net->params);
    }
    /* room for the sums of a wide layer's input gradient (gemm_input_grad) */
    int widest = 0;
    for (int l = 1; l < L && ok; l++)
        if (wide_layer(&p->layer[l]) && p->ld[l] > widest)
            widest = p->ld[l];
    if (widest > 0 && ok)
        ok = (p->scratch = fast_alloc_lines((size_t)max_rows * (size_t)widest)) != NULL;
    for (int l = 1; l < L && ok; l++)
        if (wide_layer(&p->layer[l]))
            p->layer[l].scratch = p->scratch;
    size_t outputs = (size_t)net_round_up(max_rows * net->sizes[L]);
    ok &= (p->dout = fast_alloc_lines(outputs)) != NULL;
    ok &= (p->logits = fast_alloc_lines(outputs)) != NULL;
    ok &= (p->out = fast_alloc_lines(outputs)) != NULL;
    if (!ok) {
        fast_pass_free(p);
        return -1;
    }
    return 0;
}

void fast_pass_free(FastPass *p)
{
    for (int l = 0; l <= NET_MAX_LAYERS; l++)
        free(p->act[l]);
    for (int l = 0; l < NET_MAX_LAYERS; l++)
        if (p->layer[l].WT)
            fast_dense_free(&p->layer[l]);
    free(p->dout);
    free(p->logits);
    free(p->out);
    free(p->scratch);
    memset(p, 0, sizeof *p);
}

void fast_set_inputs(FastPass *p, const double *x, int n)
{
    p->n = n;
    for (int k = 0; k < n; k++)
        for (int i = 0; i < NET_INPUTS; i++)
            p->act[0][(size_t)k * p->ld[0] + i] = x[NET_INPUTS * k + i];
}

/* The values an activation goes over: n rows of ld, rounded up to whole
 * vectors (the room fast_pass_alloc leaves), so that no value takes the
 * slower way of a last partial vector. The extra values are never read. */
static int activation_count(const FastPass *p, int l) { return net_round_up(p->n * p->ld[l]); }

/* The output layer's z (n, ld) with its rows padded, as act[L] holds it,
 * to or from the (n, K) rows without padding that the callers see. */
static void unpad_rows(double *to, const double *from, int n, int k, int ld)
{
    for (int p = 0; p < n; p++)
        memcpy(to + (size_t)p * k, from + (size_t)p * ld, (size_t)k * sizeof *to);
}

static void pad_rows(double *to, const double *from, int n, int k, int ld)
{
    for (int p = 0; p < n; p++) {
        memcpy(to + (size_t)p * ld, from + (size_t)p * k, (size_t)k * sizeof *to);
        memset(to + (size_t)p * ld + k, 0, (size_t)(ld - k) * sizeof *to);
    }
}

const double *fast_forward(const Network *net, FastPass *p)
{
    int L = net->n_layers, K = net->sizes[L];
    Activation f = net->hidden_act;
    /* A hidden layer with sigmoid or tanh stores its z and leaves f to the
     * layer above where that is a hidden layer taking the pipelined pass
     * (see pipelined_rows): pending says act[l] waits for f. */
    int pending = 0;
    for (int l = 0; l < L; l++) {
        Dense *d = &p->layer[l];
        if (!p->prepared)
            fast_dense_prepare(d, net->params + p->w_off[l], net->params + p->b_off[l]);
        if (l + 1 < L) {
            int leave = (f == ACT_SIGMOID || f == ACT_TANH) && l + 2 < L &&
                        pipelined_layer(&p->layer[l + 1]);
            if (pending)
                pipelined_forward(p->act[l + 1], p->act[l], d, p->n, f, !leave);
            else
                dense_activation_forward(p->act[l + 1], p->act[l], d, p->n,
                                         activation_count(p, l + 1), leave ? ACT_NONE : f);
            pending = leave;
        } else if (p->ld[L] == K) { /* the output's z is kept for the loss */
            fast_dense_forward(p->logits, p->act[l], d, p->n);
        } else {
            fast_dense_forward(p->act[L], p->act[l], d, p->n);
            unpad_rows(p->logits, p->act[L], p->n, K, p->ld[L]);
        }
    }
    if (net->output_act == ACT_SOFTMAX)
        softmax_forward(p->out, p->logits, p->n, K);
    else
        fast_activation_forward(p->out, p->logits, net_round_up(p->n * K), net->output_act);
    return p->out;
}

void fast_backward(const Network *net, FastPass *p, const double *dout, int is_dz, double *grad)
{
    int L = net->n_layers, K = net->sizes[L];
    const double *d = dout; /* dLoss/dz of layer l, z its pre-activations */
    if (!is_dz) {
        if (net->output_act == ACT_SOFTMAX)
            softmax_backward(p->dout, dout, p->out, p->n, K);
        else
            fast_activation_backward(p->dout, dout, p->out, p->n * K, net->output_act);
        d = p->dout;
    }
    if (p->ld[L] != K) { /* the padding's gradient is 0: it has no loss */
        pad_rows(p->act[L], d, p->n, K, p->ld[L]);
        d = p->act[L];
    }
    for (int l = L - 1; l >= 0; l--) {
        /* Layer l's inputs act[l] are needed for nothing once this layer is
         * done, so the gradient passed down takes their place. */
        double *dinp = l > 0 ? p->act[l] : NULL;
        dense_activation_backward(dinp, grad + p->w_off[l], grad + p->b_off[l], d, p->act[l],
                                  &p->layer[l], p->n, net->hidden_act);
        d = dinp;
    }
}

const FastKernels KERNEL_NAME(fast_kernels) = {
    .name = KERNEL_VARIANT_NAME,
    .isa = KERNEL_ISA,
    .vlen = VLEN,
    .dense_alloc = fast_dense_alloc,
    .dense_free = fast_dense_free,
    .dense_prepare = fast_dense_prepare,
    .dense_forward = fast_dense_forward,
    .dense_backward = fast_dense_backward,
    .activation_forward = fast_activation_forward,
    .activation_backward = fast_activation_backward,
    .pass_alloc = fast_pass_alloc,
    .pass_free = fast_pass_free,
    .set_inputs = fast_set_inputs,
    .forward = fast_forward,
    .backward = fast_backward,
    .exp = fastmath_exp,
    .sigmoid = fastmath_sigmoid,
    .tanh = fastmath_tanh,
};
