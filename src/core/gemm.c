/* gemm.c - the matrix products of wide dense layers, blocked for the caches.
 *
 * A dense layer's passes are three matrix products (fast.c, product()):
 *
 *   forward          out (n, out)  = inp (n, in)      W^T (in, out)  + bias
 *   weight gradient  dW (out, in)  = dout^T (out, n)  inp (n, in)
 *   input gradient   dinp (n, in)  = dout (n, out)    W (out, in)    times f'
 *
 * product() keeps a tile of sums in registers and reads its operands where
 * they lie. With hundreds of units a side that is not enough: a tile reads
 * a column strip of R, one row of it every row length apart, which the
 * caches serve poorly, and the whole of R no longer fits in the first-level
 * cache. The products here compute the same sums, C = L R, in the order the
 * BLAS libraries use:
 *
 *   - R is read from panels: its columns in groups of GEMM_COLS, a tile's
 *     width, each group's rows one after the other, so that a tile reads R
 *     as one contiguous stream. The weights are put in panels once a pass
 *     (gemm_prepare), the inputs of the weight gradient GEMM_DEPTH rows at
 *     a time. The weight gradient's L, dout transposed, is packed too, in
 *     panels of GEMM_ROWS, and its rows summed on the way: the bias
 *     gradient. Where the activations' rows are short (GEMM_IN_PLACE_LD),
 *     the weight gradient reads both of its operands where they lie
 *     instead, and sums dout's columns in a pass of their own.
 *   - C goes GEMM_BLOCK_COLS columns at a time, and their sums GEMM_DEPTH
 *     terms at a time. A tile's GEMM_DEPTH columns of L (GEMM_ROWS rows of
 *     them, 16 KB) stay in the first-level cache while the tile moves
 *     across the block's columns, whose panels (GEMM_DEPTH by
 *     GEMM_BLOCK_COLS, 768 KB) stay in the second-level cache while the
 *     tile moves down the rows of L. A tile's sums are stored after each
 *     GEMM_DEPTH terms and loaded again for the next, from the block of C,
 *     which stays in the second-level cache too.
 *   - A tile is GEMM_ROWS rows by GEMM_VECS vectors of sums: 24 of the 32
 *     vector registers with AVX-512, 12 of 16 with AVX2 or SSE2, the rest
 *     holding the GEMM_VECS vectors of R that each step loads. Each step
 *     multiplies them by GEMM_ROWS values of L, one at a time, and adds.
 *
 * Each sum still runs over its terms in order, from the bias or zero, one
 * multiply-add at a time: a sum stored and loaded again is the same number.
 * So the blocking changes nothing in the results: the sums are product()'s,
 * in product()'s order wherever product() keeps one chain a sum (every tile
 * of 8 sums or more, which a wide layer's tiles are; product()'s smaller
 * tiles split their sums into partial sums, gemm's never do); only the
 * vector width (and FMA, see fast.c) counts.
 *
 * This file is compiled once per vector width, as fast.c is (fast.h).
 */
#include "fast.h"

#include <string.h>

#include "tile.h"
#include "vecmath.h"

/* The tile, the depth of a block of terms and the columns of a block; see
 * the top of the file. */
#if VLEN == 8
#define GEMM_ROWS 8
#else
#define GEMM_ROWS 4
#endif
#define GEMM_VECS 3
#define GEMM_COLS (GEMM_VECS * VLEN)
#define GEMM_DEPTH 256
#define GEMM_BLOCK_COLS (16 * GEMM_COLS)
/* The weight gradient's operands, activations and their gradients, are read
 * where they lie if the rows of both are at most this many values apart,
 * and put in panels only beyond: with rows of 64 and 256 units the packing
 * cost more than it saved the tiles, with 512 and 1024 it saved more. */
#define GEMM_IN_PLACE_LD 256


static inline int min_int(int a, int b) { return a < b ? a : b; }

/* ------------------------------------------------------------------------ */
/* Panels                                                                   */

/* A (depth, cols) matrix in panels of `wide` columns (GEMM_COLS for a
 * right operand, GEMM_ROWS for the weight gradient's left one): the panel
 * of columns c .. c + width - 1 (width `wide`, or what is left for the
 * last) starts at panels + c * depth and holds those columns of row k at
 * + k * width. A block of columns from c0 may be in panels of its own, the
 * panel of column c then at panels + (c - c0) * depth. */
static inline int panel_width(int wide, int cols, int c) { return min_int(wide, cols - c); }

/* Rows k0 .. k0 + depth - 1 and columns c0 .. c1 - 1 of B (rows ldb apart)
 * into panels of `wide` columns, from c0; B has `valid` columns, the rest
 * are zero. Unless sums is NULL, each column's values are also added to
 * sums[column], in order of rows.
 *
 * A panel at a time, down its rows, so that the writes go to one place
 * after the other. Row by row across all panels would write to panels that
 * lie depth * wide values apart, a multiple of 4 KB with a block of
 * GEMM_DEPTH rows: every write then falls in the same set of the
 * first-level cache, which cannot hold them, and the packing took a fifth
 * of a weight gradient's time. The sums of a panel's columns stay in
 * registers down its rows. */
static void pack_rows(double *panels, int wide, const double *B, size_t ldb, int k0, int depth,
                      int c0, int c1, int valid, double *sums)
{
    for (int c = c0; c < c1; c += wide) {
        int width = panel_width(wide, c1, c), copy = min_int(width, valid - c);
        int whole = copy > 0 ? copy / VLEN : 0, rest = copy - whole * VLEN;
        double *panel = panels + (size_t)(c - c0) * depth;
        const double *from = B + (size_t)k0 * ldb + c;
        enum { MAX_VECS = (GEMM_COLS > GEMM_ROWS ? GEMM_COLS : GEMM_ROWS) / VLEN };
        vec sum[MAX_VECS] = {{0}};
        for (int v = 0; v < whole; v++)
            sum[v] = sums ? vec_load(sums + c + v * VLEN) : (vec){0};
        for (int k = 0; k < depth; k++, from += ldb) {
            double *to = panel + (size_t)k * width;
            for (int v = 0; v < whole; v++) {
                vec x = vec_load(from + v * VLEN);
                vec_store(to + v * VLEN, x);
                if (sums)
                    sum[v] += x;
            }
            for (int j = whole * VLEN; j < whole * VLEN + rest; j++) {
                to[j] = from[j];
                if (sums)
                    sums[c + j] += from[j];
            }
            for (int j = copy > 0 ? copy : 0; j < width; j++)
                to[j] = 0.0;
        }
        if (sums)
            for (int v = 0; v < whole; v++)
                vec_store(sums + c + v * VLEN, sum[v]);
    }
}

/* W (rows, depth; rows ldw apart) transposed into GEMM_COLS panels of the
 * (depth, cols) matrix W^T: column c of the panels is row c of W, zero
 * from `rows` on. TRANSPOSE_DEPTH rows of a panel at a time, which stay in
 * the cache until the panel's every column has been written into them;
 * with AVX, four rows of W by four of its columns at once, transposed in
 * registers, and the rest one value at a time. */
#define TRANSPOSE_DEPTH 64
static void pack_transposed(double *panels, const double *W, size_t ldw, int rows, int depth,
                            int cols)
{
    for (int c = 0; c < cols; c += GEMM_COLS) {
        int width = panel_width(GEMM_COLS, cols, c);
        double *panel = panels + (size_t)c * depth;
        for (int k0 = 0; k0 < depth; k0 += TRANSPOSE_DEPTH) {
            int k1 = min_int(depth, k0 + TRANSPOSE_DEPTH), j = 0;
#if defined(__AVX__)
            for (; j + 4 <= width && c + j + 4 <= rows; j += 4) {
                const double *w = W + (size_t)(c + j) * ldw;
                int k = k0;
                for (; k + 4 <= k1; k += 4)
                    transpose_4x4(panel + (size_t)k * width + j, (size_t)width, w + k, ldw);
                for (; k < k1; k++)
                    for (int r = 0; r < 4; r++)
                        panel[(size_t)k * width + j + r] = w[(size_t)r * ldw + k];
            }
#endif
            for (; j < width; j++)
                for (int k = k0; k < k1; k++)
                    panel[(size_t)k * width + j] =
                        c + j < rows ? W[(size_t)(c + j) * ldw + k] : 0.0;
        }
    }
}

/* sums[j] += column j of B's rows k0 .. k0 + depth - 1 (rows ldb apart), for
 * j < cols, each down the rows in order: the sums pack_rows takes, for an
 * operand read in place. Four vectors of sums at a time, so that their
 * chains of additions overlap. */
TILE_KERNEL void column_group_sums(double *sums, const double *B, size_t ldb, int k0, int depth,
                                   int vecs)
{
    vec s[4];
    for (int v = 0; v < vecs; v++)
        s[v] = vec_load(sums + v * VLEN);
    for (int k = k0; k < k0 + depth; k++)
        for (int v = 0; v < vecs; v++)
            s[v] += vec_load(B + (size_t)k * ldb + v * VLEN);
    for (int v = 0; v < vecs; v++)
        vec_store(sums + v * VLEN, s[v]);
}

static void column_sums(double *sums, const double *B, size_t ldb, int k0, int depth, int cols)
{
    int j = 0;
    for (; j + 4 * VLEN <= cols; j += 4 * VLEN)
        column_group_sums(sums + j, B + j, ldb, k0, depth, 4);
    for (; j + VLEN <= cols; j += VLEN)
        column_group_sums(sums + j, B + j, ldb, k0, depth, 1);
    for (; j < cols; j++)
        for (int k = k0; k < k0 + depth; k++)
            sums[j] += B[(size_t)k * ldb + j];
}

void gemm_prepare(Dense *d)
{
    /* forward: WT (in, ld_out) in panels, the bias padded with zeros after it */
    pack_transposed(d->WT, d->W, (size_t)d->in, d->out, d->in, d->ld_out);
    double *bias_row = d->WT + (size_t)d->in * d->ld_out;
    memcpy(bias_row, d->bias, (size_t)d->out * sizeof *bias_row);
    memset(bias_row + d->out, 0, (size_t)(d->ld_out - d->out) * sizeof *bias_row);
    /* input gradient: W (out, ld_in) in panels, zero past in */
    pack_rows(d->W_padded, GEMM_COLS, d->W, (size_t)d->in, 0, d->out, 0, d->ld_in, d->in, NULL);
}

/* ------------------------------------------------------------------------ */
/* Tiles                                                                    */

/* The first `count` lanes of p, or into p: a row's last, partial vector. */
TILE_KERNEL vec load_lanes(const double *p, int count)
{
    vec v = {0};
    for (int j = 0; j < count; j++)
        v[j] = p[j];
    return v;
}

TILE_KERNEL void store_lanes(double *p, vec v, int count)
{
    for (int j = 0; j < count; j++)
        p[j] = v[j];
}

/* What a product does besides the sums, constants after inlining: start
 * from the bias (the forward pass: the row after R's panels), and at the
 * end multiply by f'(z) of the values of C being replaced (the input
 * gradient, act_below other than ACT_NONE). whole: C's rows are whole
 * vectors long, so that no store needs to check. */
typedef struct {
    int bias, whole;
    Activation act_below;
    int in_place; /* the weight gradient reads its operands where they lie (GEMM_IN_PLACE_LD) */
} Epilogue;

/* Where the sums of a block of terms go: `first` starts them (from zero or
 * the bias), else they are loaded from P; `last` finishes them into C,
 * else they are stored into P for the next block. P is C itself but where
 * C replaces the values that the end multiplies by f' (see gemm_input_grad). */
typedef struct {
    double *C, *P;
    size_t ldc, ldp;
    int cols; /* C's, of which a tile keeps those below */
    const double *bias;
    int first, last;
} Target;

/* One tile: C's rows r0 .. r0 + rows - 1 by the vecs vectors of columns
 * from c, += L (rows, kc) R (kc, vecs * VLEN), with L read at
 * L[r * l_row + k * l_col] and R's kc rows r_row values apart: a panel's
 * (r_row its width) or the array's own. rows and vecs are constants after
 * inlining, so acc lives in registers. */
TILE_KERNEL void gemm_tile(const Target *t, int r0, int c, const double *L, size_t l_row,
                           size_t l_col, const double *R, size_t r_row, int kc, int rows, int vecs,
                           Epilogue e)
{
    vec acc[GEMM_ROWS][GEMM_VECS];
    int lanes = t->cols - c; /* of the last vector, if below VLEN */
    for (int r = 0; r < rows; r++)
        for (int v = 0; v < vecs; v++) {
            const double *p = t->P + (size_t)(r0 + r) * t->ldp + c + v * VLEN;
            if (t->first)
                acc[r][v] = e.bias ? vec_load(t->bias + c + v * VLEN) : (vec){0};
            else if (e.whole || lanes - v * VLEN >= VLEN)
                acc[r][v] = vec_load(p);
            else
                acc[r][v] = load_lanes(p, lanes - v * VLEN);
        }
#pragma GCC unroll 2 /* two steps a turn: fewer loop instructions, loads issued sooner */
    for (int k = 0; k < kc; k++) {
        vec x[GEMM_VECS];
        for (int v = 0; v < vecs; v++)
            x[v] = vec_load(R + (size_t)k * r_row + v * VLEN);
        for (int r = 0; r < rows; r++) {
            double l = L[(size_t)r * l_row + (size_t)k * l_col];
            for (int v = 0; v < vecs; v++)
                acc[r][v] += l * x[v];
        }
    }
    for (int r = 0; r < rows; r++)
        for (int v = 0; v < vecs; v++) {
            double *to = t->last ? t->C + (size_t)(r0 + r) * t->ldc + c + v * VLEN
                                 : t->P + (size_t)(r0 + r) * t->ldp + c + v * VLEN;
            vec z = acc[r][v];
            if (t->last && e.act_below != ACT_NONE)
                z = derivative_times(z, vec_load(to), e.act_below);
            if (e.whole || lanes - v * VLEN >= VLEN)
                vec_store(to, z);
            else
                store_lanes(to, z, lanes - v * VLEN);
        }
}

/* Where the tiles find R: in panels, those of columns c0 on, each depth
 * rows long, of which they read rows k0 on (see panel_width); or, in place
 * (Epilogue.in_place), rows k0 on of the array at `panels`, ld apart. */
typedef struct {
    const double *panels;
    int c0, depth, k0;
    size_t ld;
} PanelsAt;

/* The tiles of rows r0 .. r0 + rows - 1 across the panels of columns c0 ..
 * c1 - 1: panels of GEMM_VECS vectors, and the last one's fewer. */
TILE_KERNEL void gemm_row_tiles(const Target *t, int r0, int rows, int c0, int c1, const double *L,
                                size_t l_row, size_t l_col, PanelsAt R, int kc, Epilogue e)
{
    for (int c = c0; c < c1; c += GEMM_COLS) {
        int width = panel_width(GEMM_COLS, c1, c);
        size_t r_row = e.in_place ? R.ld : (size_t)width;
        const double *panel = e.in_place
                                  ? R.panels + (size_t)R.k0 * R.ld + c
                                  : R.panels + (size_t)(c - R.c0) * R.depth + (size_t)R.k0 * width;
        if (width == GEMM_COLS)
            gemm_tile(t, r0, c, L, l_row, l_col, panel, r_row, kc, rows, GEMM_VECS, e);
        else if (width == 2 * VLEN)
            gemm_tile(t, r0, c, L, l_row, l_col, panel, r_row, kc, rows, 2, e);
        else
            gemm_tile(t, r0, c, L, l_row, l_col, panel, r_row, kc, rows, 1, e);
    }
}

/* gemm_row_tiles with its number of rows a constant. */
TILE_KERNEL void gemm_rows(const Target *t, int r0, int rows, int c0, int c1, const double *L,
                           size_t l_row, size_t l_col, PanelsAt R, int kc, Epilogue e)
{
#define ROWS_CASE(count)                                                                           \
    case count:                                                                                    \
        gemm_row_tiles(t, r0, count, c0, c1, L, l_row, l_col, R, kc, e);                           \
        break;
    switch (rows) {
#if GEMM_ROWS > 4
        ROWS_CASE(8)
        ROWS_CASE(7)
        ROWS_CASE(6)
        ROWS_CASE(5)
#endif
        ROWS_CASE(4)
        ROWS_CASE(3)
        ROWS_CASE(2)
        ROWS_CASE(1)
    }
#undef ROWS_CASE
}

/* ------------------------------------------------------------------------ */
/* The products                                                             */

/* An operand of a product: panels of all its rows (the weights, on the
 * right), or an array (rows ld apart) that the product puts in panels a
 * block at a time into `room`, or reads where it lies (Epilogue.in_place).
 * The left operand, L, is read where it lies unless it has room: the
 * weight gradient's, dout transposed, whose rows are columns of dout. */
typedef struct {
    const double *panels; /* (depth, cols) in panels, or NULL */
    const double *rows;   /* else (depth, cols), rows ld apart; for L, (rows, depth) */
    size_t ld;
    double *room; /* a block in panels: GEMM_DEPTH rows of R, or of L transposed */
    double *sums; /* if L has room and this: L's row sums, added up as it is read */
} Operand;

/* C (rows, cols) = L (rows, depth) R (depth, cols), R's columns rounded up
 * to whole vectors; L is read at L.rows[r * L.ld + j], or, if it has room,
 * at L.rows[j * L.ld + r] (L^T is the array) or from its panels. See Target and Epilogue for
 * the rest. A block of GEMM_BLOCK_COLS columns at a time, and in it
 * GEMM_DEPTH terms at a time, so that the block of C stays in the
 * second-level cache while its sums take all the terms. */
TILE_KERNEL void gemm(Target t, Operand L, Operand R, int depth, int rows, Epilogue e)
{
    int cols_r = (t.cols + VLEN - 1) / VLEN * VLEN;
    for (int c0 = 0; c0 < cols_r; c0 += GEMM_BLOCK_COLS) {
        int c1 = min_int(cols_r, c0 + GEMM_BLOCK_COLS);
        for (int k0 = 0; k0 < depth; k0 += GEMM_DEPTH) {
            int kc = min_int(GEMM_DEPTH, depth - k0);
            t.first = k0 == 0;
            t.last = k0 + kc == depth;
            PanelsAt at = {R.panels, 0, depth, k0, 0};
            if (e.in_place) {
                at = (PanelsAt){R.rows, c0, kc, k0, R.ld};
                if (L.sums && c0 == 0)
                    column_sums(L.sums, L.rows, L.ld, k0, kc, rows);
            } else {
                if (!R.panels) {
                    pack_rows(R.room, GEMM_COLS, R.rows, R.ld, k0, kc, c0, c1, c1, NULL);
                    at = (PanelsAt){R.room, c0, kc, 0, 0};
                }
                if (L.room && (c0 == 0 || depth > GEMM_DEPTH)) /* once, if it all fits */
                    pack_rows(L.room, GEMM_ROWS, L.rows, L.ld, k0, kc, 0, rows, rows,
                              c0 == 0 ? L.sums : NULL);
            }
            for (int r0 = 0; r0 < rows; r0 += GEMM_ROWS) {
                int nr = min_int(GEMM_ROWS, rows - r0);
                if (L.room && e.in_place)
                    gemm_rows(&t, r0, nr, c0, c1, L.rows + (size_t)k0 * L.ld + r0, 1, L.ld, at, kc,
                              e);
                else if (L.room)
                    gemm_rows(&t, r0, nr, c0, c1, L.room + (size_t)r0 * kc, 1, (size_t)nr, at, kc,
                              e);
                else
                    gemm_rows(&t, r0, nr, c0, c1, L.rows + (size_t)r0 * L.ld + k0, L.ld, 1, at, kc,
                              e);
            }
        }
    }
}

/* out (n, ld_out) = inp (n, in) W^T + bias, every column up to ld_out (the
 * padding's weights and bias are zero). */
void gemm_forward(double *out, const double *inp, const Dense *d, int n)
{
    Target t = {.C = out,
                .P = out,
                .ldc = (size_t)d->ld_out,
                .ldp = (size_t)d->ld_out,
                .cols = d->ld_out,
                .bias = d->WT + (size_t)d->in * d->ld_out};
    Operand L = {.rows = inp, .ld = (size_t)d->ld_in}, R = {.panels = d->WT};
    gemm(t, L, R, d->in, n, (Epilogue){.bias = 1, .whole = 1, .act_below = ACT_NONE});
}

/* dW (out, in) = dout^T (out, n) inp (n, in) and dbias (out) = the sums of
 * dout's columns, both set. The sums are taken as dout is read (packed or in place), each
 * over the points in order, as a product by a row of ones would. */
void gemm_weight_grad(double *dW, double *dbias, const double *dout, const double *inp,
                      const Dense *d, int n)
{
    Target t = {.C = dW, .P = dW, .ldc = (size_t)d->in, .ldp = (size_t)d->in, .cols = d->in};
    memset(dbias, 0, (size_t)d->out * sizeof *dbias);
    Operand L = {.rows = dout, .ld = (size_t)d->ld_out, .room = d->panels_room, .sums = dbias},
            R = {.rows = inp,
                 .ld = (size_t)d->ld_in,
                 .room = d->panels_room + (size_t)GEMM_DEPTH * d->ld_out};
    int whole = d->in % VLEN == 0; /* else rows of dW end in part of a vector */
    if (d->ld_in <= GEMM_IN_PLACE_LD && d->ld_out <= GEMM_IN_PLACE_LD) {
        if (whole)
            gemm(t, L, R, n, d->out, (Epilogue){.whole = 1, .act_below = ACT_NONE, .in_place = 1});
        else
            gemm(t, L, R, n, d->out, (Epilogue){.whole = 0, .act_below = ACT_NONE, .in_place = 1});
    } else if (whole) {
        gemm(t, L, R, n, d->out, (Epilogue){.whole = 1, .act_below = ACT_NONE});
    } else {
        gemm(t, L, R, n, d->out, (Epilogue){.whole = 0, .act_below = ACT_NONE});
    }
}

/* dinp (n, ld_in) = dout (n, out) W (out, ld_in), times f'(z) of the layer
 * below, whose outputs a = f(z) are dinp's old values: dinp may be the
 * layer's inputs, which it then replaces. Until the last block of terms the
 * sums wait in `partial` (n, ld_in): dinp itself where there is one block,
 * or where its old values are not needed. */
TILE_KERNEL void input_grad(double *dinp, const double *dout, const Dense *d, int n,
                            double *partial, Activation act_below)
{
    Target t = {.C = dinp,
                .P = partial,
                .ldc = (size_t)d->ld_in,
                .ldp = (size_t)d->ld_in,
                .cols = d->ld_in};
    Operand L = {.rows = dout, .ld = (size_t)d->ld_out}, R = {.panels = d->W_padded};
    gemm(t, L, R, d->out, n, (Epilogue){.whole = 1, .act_below = act_below});
}

void gemm_input_grad(double *dinp, const double *dout, const Dense *d, int n, Activation act_below)
{
    double *partial = d->out > GEMM_DEPTH && act_below != ACT_NONE ? d->scratch : dinp;
    switch (act_below) {
    case ACT_SIGMOID:
        input_grad(dinp, dout, d, n, partial, ACT_SIGMOID);
        break;
    case ACT_TANH:
        input_grad(dinp, dout, d, n, partial, ACT_TANH);
        break;
    case ACT_RELU:
        input_grad(dinp, dout, d, n, partial, ACT_RELU);
        break;
    case ACT_NONE:
    case ACT_SOFTMAX: /* never a hidden layer's */
        input_grad(dinp, dout, d, n, partial, ACT_NONE);
        break;
    }
}

size_t gemm_panels_room(int ld_in, int ld_out)
{
    return (size_t)GEMM_DEPTH * (size_t)(ld_in + ld_out);
}
