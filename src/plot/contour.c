/* contour.c - the lines where a grid of values crosses a level, as long polylines.
 *
 * Marching squares: in each cell the level crosses two of the four edges (or all four, at
 * a saddle), at a point found by linear interpolation along the edge. Two cells that share
 * an edge share its crossing, so the segments are joined through their edges into
 * polylines. PLplot's plcont draws one short line per cell instead: for one 200x200 map
 * about 400 separate paths in an SVG, with round caps at every joint.
 *
 * Edges are numbered: the horizontal edge from (i, j) to (i + 1, j) is j (nx - 1) + i;
 * the vertical one from (i, j) to (i, j + 1) is H + j nx + i, H the number of horizontal
 * edges. A crossing edge links to at most two others (one through each cell beside it).
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "geometry.h"

typedef struct {
    GridValue value;
    const void *data;
    int nx, ny;
    double level;
    double *gx, *gy; /* (edges) the crossing on each edge, NaN if none */
    int *link;       /* (edges, 2) the edges joined to each by a segment, -1 if none */
} Tracer;

/* Records where the level crosses the edge from grid point a to b, if it does. */
static void edge_crossing(Tracer *t, int edge, int ai, int aj, int bi, int bj)
{
    double a = t->value(ai, aj, t->data), b = t->value(bi, bj, t->data);
    t->gx[edge] = t->gy[edge] = NAN;
    if (isnan(a) || isnan(b) || (a >= t->level) == (b >= t->level))
        return;
    double s = (t->level - a) / (b - a);
    t->gx[edge] = ai + s * (bi - ai);
    t->gy[edge] = aj + s * (bj - aj);
}

static void join(Tracer *t, int a, int b)
{
    t->link[2 * a + (t->link[2 * a] >= 0)] = b;
    t->link[2 * b + (t->link[2 * b] >= 0)] = a;
}

/* The segments of cell (i, j). Two corners on each side, side by side: one segment
 * across. Else each segment cuts off a corner that lies on the other side of the level
 * from the cell's centre: the odd one out of 1 + 3, or at a saddle (diagonal corners
 * alike) the two unlike the mean of the four, so that the centre's side stays connected. */
static void cell_segments(Tracer *t, int i, int j)
{
    int nx = t->nx, h = (nx - 1) * t->ny;
    /* corners (i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1), counter-clockwise; edge[c]
     * runs from corner c to corner c + 1: bottom, right, top, left */
    double v[4] = {t->value(i, j, t->data), t->value(i + 1, j, t->data),
                   t->value(i + 1, j + 1, t->data), t->value(i, j + 1, t->data)};
    int edge[4] = {j * (nx - 1) + i, h + j * nx + i + 1, (j + 1) * (nx - 1) + i, h + j * nx + i};
    bool above[4];
    int n_above = 0;
    for (int c = 0; c < 4; c++) {
        if (isnan(v[c]))
            return;
        n_above += above[c] = v[c] >= t->level;
    }
    if (n_above == 0 || n_above == 4)
        return;
    if (n_above == 2 && above[0] != above[2]) {
        int crossed[2], n = 0;
        for (int c = 0; c < 4; c++)
            if (above[c] != above[(c + 1) % 4])
                crossed[n++] = edge[c];
        join(t, crossed[0], crossed[1]);
        return;
    }
    bool centre = n_above == 2 ? (v[0] + v[1] + v[2] + v[3]) / 4 >= t->level : n_above == 3;
    for (int c = 0; c < 4; c++)
        if (above[c] != centre)
            join(t, edge[c], edge[(c + 3) % 4]);
}

int contour_trace(GridValue value, const void *value_data, int nx, int ny, double level,
                  PolylineSink sink, void *sink_data)
{
    if (nx < 2 || ny < 2)
        return 0;
    int h = (nx - 1) * ny, edges = h + nx * (ny - 1);
    Tracer t = {value,
                value_data,
                nx,
                ny,
                level,
                malloc((size_t)edges * sizeof *t.gx),
                malloc((size_t)edges * sizeof *t.gy),
                malloc(2 * (size_t)edges * sizeof *t.link)};
    double *px = malloc(((size_t)edges + 1) * sizeof *px);
    double *py = malloc(((size_t)edges + 1) * sizeof *py);
    bool *seen = calloc((size_t)edges, sizeof *seen);
    int rc = -1;
    if (!t.gx || !t.gy || !t.link || !px || !py || !seen)
        goto done;
    for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++) {
            if (i + 1 < nx)
                edge_crossing(&t, j * (nx - 1) + i, i, j, i + 1, j);
            if (j + 1 < ny)
                edge_crossing(&t, h + j * nx + i, i, j, i, j + 1);
        }
    for (int e = 0; e < 2 * edges; e++)
        t.link[e] = -1;
    for (int j = 0; j + 1 < ny; j++)
        for (int i = 0; i + 1 < nx; i++)
            cell_segments(&t, i, j);

    /* open lines first, from an end (an edge with one link), then what is left: loops */
    for (int pass = 0; pass < 2; pass++)
        for (int start = 0; start < edges; start++) {
            bool end = t.link[2 * start] >= 0 && t.link[2 * start + 1] < 0;
            if (seen[start] || t.link[2 * start] < 0 || (pass == 0 && !end))
                continue;
            int n = 0, prev = -1, e = start;
            while (e >= 0 && !seen[e]) {
                seen[e] = true;
                px[n] = t.gx[e];
                py[n++] = t.gy[e];
                int next = t.link[2 * e] != prev ? t.link[2 * e] : t.link[2 * e + 1];
                prev = e;
                e = next;
            }
            if (e == start) { /* a loop: close it */
                px[n] = px[0];
                py[n++] = py[0];
            }
            if (n >= 2)
                sink(px, py, n, sink_data);
        }
    rc = 0;
done:
    free(t.gx);
    free(t.gy);
    free(t.link);
    free(px);
    free(py);
    free(seen);
    return rc;
}
