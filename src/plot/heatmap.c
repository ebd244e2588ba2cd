/* heatmap.c - the heatmap primitive: a grid of cells coloured by their values and
 * annotated, with the grid's own tick labels (the panel is drawn bare).
 *
 * Cells are filled rectangles, one colour each, so that an SVG stays a few kilobytes and
 * every cell is exactly the colour of its value. The colours run through matplotlib's
 * "Blues" (a sequential map that reads in grey too), and the text on a cell turns white
 * where the cell is dark.
 */
#include <math.h>
#include <string.h>

#include "figure.h"

#define CELL_TEXT_SCALE 0.72 /* annotations: a 16 px font */
#define TICK_TEXT_SCALE 0.66
#define MARKED_RGB 0xd9d9d9u /* a marked cell */
#define MARKED_TEXT_RGB 0x444444u
#define DARK_TEXT_ABOVE 0.55 /* colour positions beyond which the text is white */

/* matplotlib's Blues at 0, 1/4, 1/2, 3/4 and 1 */
static const unsigned blues[5] = {0xf7fbff, 0xc6dbef, 0x6baed6, 0x2171b5, 0x08306b};

/* The colour at position t in [0, 1] of the map. */
static unsigned blues_at(double t)
{
    t = fmin(fmax(t, 0.0), 1.0) * 4.0;
    int k = t >= 4.0 ? 3 : (int)t;
    double f = t - k;
    unsigned rgb = 0;
    for (int shift = 16; shift >= 0; shift -= 8) {
        double a = (blues[k] >> shift) & 0xff, b = (blues[k + 1] >> shift) & 0xff;
        rgb |= (unsigned)lround(a + f * (b - a)) << shift;
    }
    return rgb;
}

/* Where value v sits between map->lo (0) and map->hi (1); NaN if it has no colour. */
static double position(const PlotHeatmap *map, double v)
{
    if (!isfinite(v) || (map->log && !(v > 0.0)))
        return NAN;
    double lo = map->lo, hi = map->hi;
    if (map->log) {
        v = log10(v), lo = log10(lo), hi = log10(hi);
    }
    return hi == lo ? 1.0 : (v - lo) / (hi - lo);
}

static bool heatmap_usable(PlotFigure *f, const PlotHeatmap *m)
{
    if (!m || !m->v || m->nx < 1 || m->ny < 1 || m->nx > PLOT_HEATMAP_MAX_SIDE ||
        m->ny > PLOT_HEATMAP_MAX_SIDE) {
        figure_fail(f, "plot_heatmap: a grid of 1 to %d cells a side is needed",
                    PLOT_HEATMAP_MAX_SIDE);
        return false;
    }
    if (m->log && !(m->lo > 0.0 && m->hi > 0.0)) {
        figure_fail(f, "plot_heatmap: a log scale from %g to %g", m->lo, m->hi);
        return false;
    }
    return true;
}

void plot_heatmap(PlotFigure *fig, const PlotHeatmap *map)
{
    if (!fig || fig->failure[0])
        return;
    if (!fig->in_panel) {
        figure_fail(fig, "plot_heatmap before plot_panel");
        return;
    }
    if (!heatmap_usable(fig, map))
        return;
    char text[MAX_TEXT];
    int nx = map->nx, ny = map->ny;
    for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++) {
            int c = j * nx + i;
            double t = position(map, map->v[c]);
            bool marked = map->marked && map->marked[c];
            unsigned fill = marked ? MARKED_RGB : isnan(t) ? 0xffffffu : blues_at(t);
            PLFLT x[4] = {i - 0.5, i + 0.5, i + 0.5, i - 0.5};
            PLFLT y[4] = {j - 0.5, j - 0.5, j + 0.5, j + 0.5};
            plcol0(figure_colour(fig, fill, 1.0));
            plfill(4, x, y);
            if (!map->text || !map->text[c] || !map->text[c][0])
                continue;
            unsigned ink = marked ? MARKED_TEXT_RGB
                           : !isnan(t) && fmin(fmax(t, 0.0), 1.0) > DARK_TEXT_ABOVE ? 0xffffffu
                                                                                    : 0x000000u;
            escape_text(map->text[c], text, sizeof text);
            plcol0(figure_colour(fig, ink, 1.0));
            plschr(0, CELL_TEXT_SCALE);
            /* the text's middle on the cell's centre (the reference is its baseline) */
            plptex(i, j - 0.08, 1.0, 0.0, 0.5, text);
        }
    /* white lines between the cells, a frame around them */
    plcol0(COL_BG);
    plwidth(2.0);
    for (int i = 1; i < nx; i++)
        pljoin(i - 0.5, -0.5, i - 0.5, ny - 0.5);
    for (int j = 1; j < ny; j++)
        pljoin(-0.5, j - 0.5, nx - 0.5, j - 0.5);
    plcol0(COL_INK);
    plwidth(1.0);
    plbox("bc", 0, 0, "bc", 0, 0);
    /* tick labels under the columns and left of the rows, then the axis labels */
    plschr(0, TICK_TEXT_SCALE);
    size_t widest = 0;
    for (int i = 0; map->xticks && i < nx; i++) {
        escape_text(map->xticks[i], text, sizeof text);
        plmtex("b", 1.4, (i + 0.5) / nx, 0.5, text);
    }
    for (int j = 0; map->yticks && j < ny; j++) {
        escape_text(map->yticks[j], text, sizeof text);
        plmtex("lv", 0.7, (j + 0.5) / ny, 1.0, text);
        widest = strlen(text) > widest ? strlen(text) : widest;
    }
    escape_text(map->xlabel, text, sizeof text);
    plmtex("b", 3.2, 0.5, 0.5, text);
    escape_text(map->ylabel, text, sizeof text);
    plmtex("l", 2.2 + 0.62 * (double)widest, 0.5, 0.5, text);
}
