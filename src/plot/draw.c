/* draw.c - the primitives: what a panel shows, drawn in the world coordinates of the
 * panel last chosen, on whatever device the figure's target opened.
 *
 * Curves and bands are drawn from their envelope (envelope.c), about one min/max pair per
 * pixel column. Fields become one image (plfimagefr), its colours a cmap1 palette of the
 * field's own colours, so that any colour a cell needs is drawn exactly. What a panel
 * holds is remembered until the next panel: the legend names the labelled lines and
 * classes, and goes where it covers the least of the lines and points, like matplotlib's
 * loc="best".
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geometry.h"
#include "figure.h"

#define LINE_WIDTH 2.0       /* curves */
#define THIN_WIDTH 0.8       /* single runs under their summary */
#define THIN_ALPHA 0.45      /* and their opacity */
#define CONTOUR_WIDTH 2.0    /* a field's contour */
#define RING_WIDTH 1.5       /* outlined points */
#define DASH_STYLE 3         /* pllsty: 2 mm dashes, 2 mm gaps (7 px each here) */
#define DOT_RADIUS_PX 2.5    /* an isolated finite point of a curve (no line to draw) */
#define MARKER_RADIUS_PX 5.5 /* scatter markers */
/* What the legend's place counts a scatter marker it would hide as, in px of line: a
 * hidden data point is gone from the figure, while a line hidden over a stretch can still be
 * followed on either side of the legend. With 2 x 2.5 px (a dot's), eight points of a
 * moon cost less than the 100 px of boundary a corner of their own map held. */
#define MARKER_COST_PX 30.0
#define CIRCLE_SIDES 16      /* polygon of a marker: at 5.5 px radius it looks round */
#define PI 3.14159265358979323846
#define BAND_ALPHA 0.25     /* a band is its line's colour at this opacity */
#define FIELD_STRENGTH 0.5  /* a sure cell goes this far from white towards its class */
#define MAX_FIELD_SIDE 4000 /* cells along either side of a field */

/* matplotlib's tab10 colour cycle, for curves */
#define N_CYCLE 10
static const unsigned cycle_colours[N_CYCLE] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                                0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};
/* Classes, one colour each for the 16 a network can have (NET_MAX_OUTPUTS). The first four
 * are tab10's red, blue, orange and cyan: in simulations of protanopia, deuteranopia and
 * tritanopia (Machado et al. 2009, full severity), every two of them stay at least 26
 * CIELAB units apart, so two to four classes stay apart for the colour-blind; class 0 and
 * 1 are the red and blue the figures always had. No 16 colours can do that: classes 4 to
 * 9 take the rest of tab10 (green, purple, brown, pink, olive, grey), 10 to 15 an indigo,
 * salmon, dark teal, dark olive green, plum and lavender (tab20/tab20b's but the teal),
 * every two at least 24 CIELAB units (and 40 of 255 in RGB) apart for normal vision, none
 * lighter than L* 76 (a marker must show on white) nor near the contour's black. */
#define N_CLASS_COLOURS 16
static const unsigned class_colours[N_CLASS_COLOURS] = {
    0xd62728, 0x1f77b4, 0xff7f0e, 0x17becf, /* red, blue, orange, cyan */
    0x2ca02c, 0x9467bd, 0x8c564b, 0xe377c2, /* green, purple, brown, pink */
    0xbcbd22, 0x7f7f7f, 0x393b79, 0xff9896, /* olive, grey, indigo, salmon */
    0x006d6f, 0x637939, 0x7b4173, 0xc5b0d5, /* dark teal, dark olive green, plum, lavender */
};

unsigned plot_cycle_colour(int i) { return cycle_colours[(i % N_CYCLE + N_CYCLE) % N_CYCLE]; }

unsigned plot_class_colour(int k)
{
    return class_colours[(k % N_CLASS_COLOURS + N_CLASS_COLOURS) % N_CLASS_COLOURS];
}

/* ---- the figure's state: colours, what the panel holds ----------------------------------- */

/* The cmap0 index of colour rgb (0xRRGGBB) at opacity alpha, set up on first use. */
PLINT figure_colour(PlotFigure *f, unsigned rgb, double alpha)
{
    for (int i = COL_FREE; i < f->n_slots; i++)
        if (f->slot_rgb[i] == rgb && f->slot_alpha[i] == alpha)
            return i;
    /* a new slot; once all are taken, the last one is set again for each new colour (a
     * legend entry in that slot would then show the last colour set) */
    int i = f->n_slots < N_COLOURS ? f->n_slots++ : N_COLOURS - 1;
    f->slot_rgb[i] = rgb;
    f->slot_alpha[i] = alpha;
    plscol0a(i, (rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff, alpha);
    return i;
}

void panel_forget(PlotFigure *f)
{
    for (int i = 0; i < f->n_drawn; i++)
        free(f->drawn[i].xs);
    f->n_drawn = 0;
    f->n_entries = 0;
    f->legend_columns = 0;
}

/* True if a primitive can draw: a panel is chosen and nothing has failed. */
static bool drawable(PlotFigure *f, const char *what)
{
    if (!f || f->failure[0])
        return false;
    if (!f->in_panel)
        figure_fail(f, "%s before plot_panel", what);
    return f->in_panel;
}

/* A series of room for m points, in one block (xs is the block). */
static bool series_alloc(Series *s, long m)
{
    s->xs = malloc(2 * (size_t)(m > 0 ? m : 1) * sizeof *s->xs);
    s->ys = s->xs ? s->xs + (m > 0 ? m : 1) : NULL;
    s->m = 0;
    s->marker_cost = s->marker_radius = 0.0;
    return s->xs != NULL;
}

/* Keeps s (taking it over) as part of what the panel shows. */
static void keep_drawn(PlotFigure *f, Series s)
{
    if (f->n_drawn == f->cap_drawn) {
        int cap = f->cap_drawn ? 2 * f->cap_drawn : 8;
        Series *more = realloc(f->drawn, (size_t)cap * sizeof *more);
        if (!more) {
            free(s.xs);
            figure_fail(f, "out of memory");
            return;
        }
        f->drawn = more;
        f->cap_drawn = cap;
    }
    f->drawn[f->n_drawn++] = s;
}

static void add_entry(PlotFigure *f, EntryKind kind, PLINT colour, const char *label)
{
    if (!label || !label[0])
        return;
    if (f->n_entries == f->cap_entries) {
        int cap = f->cap_entries ? 2 * f->cap_entries : 8;
        LegendEntry *more = realloc(f->entries, (size_t)cap * sizeof *more);
        if (!more) {
            figure_fail(f, "out of memory");
            return;
        }
        f->entries = more;
        f->cap_entries = cap;
    }
    LegendEntry *e = &f->entries[f->n_entries++];
    e->kind = kind;
    e->colour = colour;
    e->length = (int)strlen(label);
    escape_text(label, e->text, sizeof e->text);
}

/* y as the panel draws it: log10 on a log scale (NaN for y <= 0). */
static double panel_y(const Panel *p, double y) { return !p->log_y ? y : y > 0.0 ? log10(y) : NAN; }

/* ---- shapes ------------------------------------------------------------------------------ */

/* The polygon of a circle of radius r_px pixels around world point (x, y): n + 1 points,
 * the last the first again. */
static void circle(const PlotFigure *f, double x, double y, double r_px, PLFLT cx[CIRCLE_SIDES + 1],
                   PLFLT cy[CIRCLE_SIDES + 1])
{
    const Panel *p = &f->panel;
    double rx = r_px * (p->wx1 - p->wx0) / ((p->vx1 - p->vx0) * f->layout.width);
    double ry = r_px * (p->wy1 - p->wy0) / ((p->vy1 - p->vy0) * f->layout.height);
    for (int k = 0; k < CIRCLE_SIDES; k++) {
        double a = 2.0 * PI * k / CIRCLE_SIDES;
        cx[k] = x + rx * cos(a);
        cy[k] = y + ry * sin(a);
    }
    cx[CIRCLE_SIDES] = cx[0];
    cy[CIRCLE_SIDES] = cy[0];
}

static void fill_circle(const PlotFigure *f, double x, double y, double r_px)
{
    PLFLT cx[CIRCLE_SIDES + 1], cy[CIRCLE_SIDES + 1];
    circle(f, x, y, r_px, cx, cy);
    plfill(CIRCLE_SIDES, cx, cy);
}

static void ring(const PlotFigure *f, double x, double y, double r_px)
{
    PLFLT cx[CIRCLE_SIDES + 1], cy[CIRCLE_SIDES + 1];
    circle(f, x, y, r_px, cx, cy);
    plwidth(RING_WIDTH);
    plline(CIRCLE_SIDES + 1, cx, cy);
    plwidth(1.0);
}

/* Draws the finite runs of a series as lines; a run of one point as a dot. */
static void draw_series(const PlotFigure *f, const Series *s, PLINT colour, bool dashed,
                        double width)
{
    plcol0(colour);
    plwidth(width);
    if (dashed)
        pllsty(DASH_STYLE);
    long start = 0;
    while (start < s->m) {
        if (!isfinite(s->ys[start])) {
            start++;
            continue;
        }
        long end = start;
        while (end < s->m && isfinite(s->ys[end]))
            end++;
        if (end - start >= 2)
            plline((PLINT)(end - start), s->xs + start, s->ys + start);
        else
            fill_circle(f, s->xs[start], s->ys[start], DOT_RADIUS_PX);
        start = end;
    }
    if (dashed)
        pllsty(1);
    plwidth(1.0);
}

/* ---- curves and bands -------------------------------------------------------------------- */

void plot_line(PlotFigure *fig, const double *v, long n, PlotStyle style)
{
    if (!drawable(fig, "plot_line"))
        return;
    if (n < 0 || (n > 0 && !v)) {
        figure_fail(fig, "plot_line: %ld values%s", n, v ? "" : " and no array");
        return;
    }
    Series s;
    if (!series_alloc(&s, PLOT_ENVELOPE_MAX(n, PLOT_ENVELOPE_COLUMNS))) {
        figure_fail(fig, "out of memory");
        return;
    }
    s.m = plot_envelope(v, n, PLOT_ENVELOPE_COLUMNS, s.xs, s.ys);
    for (long k = 0; k < s.m; k++) {
        s.xs[k] *= style.x_step > 0 ? style.x_step : 1.0;
        s.ys[k] = panel_y(&fig->panel, s.ys[k]);
    }
    PLINT colour = figure_colour(fig, style.colour, style.thin ? THIN_ALPHA : 1.0);
    draw_series(fig, &s, colour, style.dashed, style.thin ? THIN_WIDTH : LINE_WIDTH);
    keep_drawn(fig, s);
    add_entry(fig, style.dashed ? ENTRY_DASHED : ENTRY_LINE, colour, style.label);
}

void plot_band(PlotFigure *fig, const double *lo, const double *hi, long n, unsigned colour,
               double x_step)
{
    if (!drawable(fig, "plot_band"))
        return;
    if (n < 0 || (n > 0 && (!lo || !hi))) {
        figure_fail(fig, "plot_band: %ld values%s", n, lo && hi ? "" : " and no array");
        return;
    }
    long cap = BAND_ENVELOPE_MAX(n, PLOT_ENVELOPE_COLUMNS);
    cap = cap > 0 ? cap : 1;
    /* xs, ylo, yhi of the reduced band, then the polygon of one run (2 points a column) */
    double *buf = malloc(7 * (size_t)cap * sizeof *buf);
    if (!buf) {
        figure_fail(fig, "out of memory");
        return;
    }
    double *xs = buf, *ylo = xs + cap, *yhi = ylo + cap, *px = yhi + cap, *py = px + 2 * cap;
    long m = band_envelope(lo, hi, n, PLOT_ENVELOPE_COLUMNS, xs, ylo, yhi);
    for (long k = 0; k < m; k++) {
        xs[k] *= x_step > 0 ? x_step : 1.0;
        ylo[k] = panel_y(&fig->panel, ylo[k]);
        yhi[k] = panel_y(&fig->panel, yhi[k]);
    }
    plcol0(figure_colour(fig, colour, BAND_ALPHA));
    /* one polygon per finite run: along the top edge, then back along the bottom one */
    for (long start = 0, end; start < m; start = end) {
        end = start + 1;
        if (!isfinite(ylo[start]) || !isfinite(yhi[start]))
            continue;
        while (end < m && isfinite(ylo[end]) && isfinite(yhi[end]))
            end++;
        long len = end - start;
        if (len < 2)
            continue; /* one epoch: no area */
        for (long k = 0; k < len; k++) {
            px[k] = px[2 * len - 1 - k] = xs[start + k];
            py[k] = yhi[start + k];
            py[2 * len - 1 - k] = ylo[start + k];
        }
        plfill((PLINT)(2 * len), px, py);
    }
    free(buf);
}

/* ---- fields ------------------------------------------------------------------------------- */

/* The colour of one cell as 0xRRGGBB, or false for a blank (NaN) cell. */
static bool cell_colour(const PlotField *field, const double *v, unsigned *rgb)
{
    double c[3] = {1.0, 1.0, 1.0}; /* white */
    if (field->kind == PLOT_FIELD_RGB) {
        for (int i = 0; i < 3; i++) {
            if (isnan(v[i]))
                return false;
            c[i] = v[i];
        }
    } else {
        /* each class pulls white towards its colour by how far it beats chance (1/K); with
         * two classes that is red - white - blue, white at p = 0.5 */
        double two[2];
        int k = field->k;
        if (field->kind == PLOT_FIELD_PROBABILITY) {
            two[0] = 1.0 - v[0];
            two[1] = v[0];
            v = two;
            k = 2;
        }
        double chance = 1.0 / k;
        for (int cls = 0; cls < k; cls++) {
            if (isnan(v[cls]))
                return false;
            double w = FIELD_STRENGTH * fmax(0.0, (v[cls] - chance) / (1.0 - chance));
            unsigned col = plot_class_colour(cls);
            for (int i = 0; i < 3; i++)
                c[i] += w * ((double)((col >> (16 - 8 * i)) & 0xff) / 255.0 - 1.0);
        }
    }
    *rgb = 0;
    for (int i = 0; i < 3; i++)
        *rgb = *rgb << 8 | (unsigned)lround(255.0 * fmin(1.0, fmax(0.0, c[i])));
    return true;
}

static int compare_unsigned(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return (x > y) - (x < y);
}

/* False, with the figure failed, unless field can be drawn in the current panel. */
static bool field_usable(PlotFigure *f, const PlotField *field, const char *what)
{
    if (!drawable(f, what))
        return false;
    int want_k = !field                                  ? 0
                 : field->kind == PLOT_FIELD_PROBABILITY ? 1
                 : field->kind == PLOT_FIELD_RGB         ? 3
                                                         : (field->k >= 2 ? field->k : 0);
    if (!field || !field->v || field->nx < 2 || field->ny < 2 || field->nx > MAX_FIELD_SIDE ||
        field->ny > MAX_FIELD_SIDE || field->k != want_k || !(field->x1 > field->x0) ||
        !(field->y1 > field->y0) || !isfinite(field->x1 - field->x0) ||
        !isfinite(field->y1 - field->y0))
        figure_fail(f, "%s: not a field (%d x %d cells of %d values)", what, field ? field->nx : 0,
                    field ? field->ny : 0, field ? field->k : 0);
    else if (f->panel.log_y)
        figure_fail(f, "%s on a log scale", what);
    return !f->failure[0];
}

/* plfimagefr reads the cells through this: the cmap1 position of cell (ix, iy). */
typedef struct {
    const PLFLT *pos;
    int nx;
} CellPositions;

static PLFLT cell_position(PLPointer data, PLINT ix, PLINT iy)
{
    const CellPositions *c = data;
    return c->pos[(size_t)iy * (size_t)c->nx + (size_t)ix];
}

void plot_field(PlotFigure *fig, const PlotField *field)
{
    if (!field_usable(fig, field, "plot_field"))
        return;
    if (!fig->layout.fields) {
        figure_fail(fig, "plot_field: the layout holds no fields (PlotLayout.fields)");
        return;
    }
    size_t cells = (size_t)field->nx * (size_t)field->ny;
    unsigned *rgb = malloc(cells * sizeof *rgb), *palette = malloc(cells * sizeof *palette);
    PLFLT *pos = malloc(cells * sizeof *pos);
    PLINT *r = malloc(cells * sizeof *r), *g = malloc(cells * sizeof *g),
          *b = malloc(cells * sizeof *b);
    if (!rgb || !palette || !pos || !r || !g || !b) {
        figure_fail(fig, "out of memory");
        goto done;
    }
    /* the palette: the distinct colours of the cells, sorted */
    size_t n = 0;
    for (size_t i = 0; i < cells; i++) {
        bool filled = cell_colour(field, field->v + i * (size_t)field->k, &rgb[i]);
        pos[i] = filled ? 0.0 : -1.0; /* outside [0, 1]: plfimagefr leaves it blank */
        if (filled)
            palette[n++] = rgb[i];
    }
    qsort(palette, n, sizeof *palette, compare_unsigned);
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++)
        if (distinct == 0 || palette[i] != palette[distinct - 1])
            palette[distinct++] = palette[i];
    if (distinct == 0)
        goto done; /* every cell blank */
    for (size_t i = 0; i < distinct; i++) {
        r[i] = (palette[i] >> 16) & 0xff;
        g[i] = (palette[i] >> 8) & 0xff;
        b[i] = palette[i] & 0xff;
    }
    plscmap1n((PLINT)distinct);
    plscmap1(r, g, b, (PLINT)distinct);
    /* plcol1(t) takes palette entry floor(t * distinct): t at the middle of entry's share */
    for (size_t i = 0; i < cells; i++) {
        if (pos[i] < 0.0)
            continue;
        const unsigned *at = bsearch(&rgb[i], palette, distinct, sizeof *palette, compare_unsigned);
        pos[i] = ((double)(at - palette) + 0.5) / (double)distinct;
    }
    /* plfimagefr puts cell (i, j) between xmin + i dx and xmin + (i + 1) dx, with
     * dx = (xmax - xmin) / (nx - 1): shifted half a cell, each is centred on its point */
    double dx = (field->x1 - field->x0) / (field->nx - 1);
    double dy = (field->y1 - field->y0) / (field->ny - 1);
    CellPositions cp = {pos, field->nx};
    plf2ops_t ops = {.get = cell_position};
    plfimagefr(&ops, &cp, field->nx, field->ny, field->x0 - dx / 2, field->x1 - dx / 2,
               field->y0 - dy / 2, field->y1 - dy / 2, 0.0, 1.0, 0.0, 1.0, NULL, NULL);
    /* the frame again, over the edge cells that covered its inner half */
    plcol0(COL_INK);
    plbox("bc", 0, 0, "bc", 0, 0);
done:
    free(rgb);
    free(palette);
    free(pos);
    free(r);
    free(g);
    free(b);
}

/* What a contour is traced through: the field's value at grid point (i, j), whose
 * crossings of level are drawn. */
typedef struct {
    const PlotField *field;
    int cls; /* < 0: the probability itself; else class cls's lead over the likeliest other */
} ContourSource;

static double contour_value(int i, int j, const void *data)
{
    const ContourSource *s = data;
    const PlotField *f = s->field;
    const double *cell = f->v + ((size_t)j * (size_t)f->nx + (size_t)i) * (size_t)f->k;
    if (s->cls < 0)
        return cell[0];
    double other = -INFINITY;
    for (int c = 0; c < f->k; c++)
        if (c != s->cls)
            other = fmax(other, cell[c]);
    return cell[s->cls] - other;
}

typedef struct {
    PlotFigure *fig;
    const PlotField *field;
} ContourSink;

/* Draws a polyline of grid coordinates in the field's world coordinates, and keeps it
 * among what the panel shows (the legend avoids it). */
static void draw_grid_polyline(double *gx, double *gy, int n, void *data)
{
    const ContourSink *sink = data;
    const PlotField *f = sink->field;
    double dx = (f->x1 - f->x0) / (f->nx - 1), dy = (f->y1 - f->y0) / (f->ny - 1);
    for (int k = 0; k < n; k++) {
        gx[k] = f->x0 + gx[k] * dx;
        gy[k] = f->y0 + gy[k] * dy;
    }
    plline(n, gx, gy);
    Series s;
    if (!series_alloc(&s, n)) {
        figure_fail(sink->fig, "out of memory");
        return;
    }
    memcpy(s.xs, gx, (size_t)n * sizeof *gx);
    memcpy(s.ys, gy, (size_t)n * sizeof *gy);
    s.m = n;
    keep_drawn(sink->fig, s);
}

void plot_contour(PlotFigure *fig, const PlotField *field, double level)
{
    if (!field_usable(fig, field, "plot_contour"))
        return;
    if (field->kind == PLOT_FIELD_RGB) {
        figure_fail(fig, "plot_contour: an RGB field has no level");
        return;
    }
    plcol0(COL_INK);
    plwidth(CONTOUR_WIDTH);
    /* a class field: where each class stops being the likeliest (the last class's edges
     * are all some other class's edges too) */
    bool classes = field->kind == PLOT_FIELD_CLASSES;
    for (int c = 0; c < (classes ? field->k - 1 : 1); c++) {
        ContourSource source = {field, classes ? c : -1};
        ContourSink sink = {fig, field};
        if (contour_trace(contour_value, &source, field->nx, field->ny, classes ? 0.0 : level,
                          draw_grid_polyline, &sink) != 0)
            figure_fail(fig, "out of memory");
    }
    plwidth(1.0);
}

/* ---- points -------------------------------------------------------------------------------- */

void plot_points(PlotFigure *fig, const PlotPoints *points)
{
    if (!drawable(fig, "plot_points"))
        return;
    const PlotPoints *p = points;
    if (!p || p->n < 0 || p->k < 1 || (p->n > 0 && (!p->xy || !p->cls))) {
        figure_fail(fig, "plot_points: no points given");
        return;
    }
    /* the points drawn, each followed by a NaN, for the legend's place */
    Series s;
    if (!series_alloc(&s, 2 * (long)p->n)) {
        figure_fail(fig, "out of memory");
        return;
    }
    s.marker_cost = MARKER_COST_PX, s.marker_radius = MARKER_RADIUS_PX;
    for (int c = 0; c < p->k; c++) {
        PLINT colour = figure_colour(fig, plot_class_colour(c), 1.0);
        plcol0(colour);
        for (int i = 0; i < p->n; i++) {
            double x = p->xy[2 * i], y = panel_y(&fig->panel, p->xy[2 * i + 1]);
            if (p->cls[i] != c || !isfinite(x) || !isfinite(y))
                continue;
            if (p->outlined)
                ring(fig, x, y, MARKER_RADIUS_PX);
            else
                fill_circle(fig, x, y, MARKER_RADIUS_PX);
            s.xs[s.m] = s.xs[s.m + 1] = x;
            s.ys[s.m] = y;
            s.ys[s.m + 1] = NAN;
            s.m += 2;
        }
        if (p->names)
            add_entry(fig, p->outlined ? ENTRY_RING : ENTRY_DISC, colour, p->names[c]);
    }
    if (!p->names && p->name && p->n > 0)
        add_entry(fig, p->outlined ? ENTRY_RING : ENTRY_DISC, COL_INK, p->name);
    keep_drawn(fig, s);
}

/* ---- layered graphs ------------------------------------------------------------------------ */

#define GRAPH_MIN_SPACING 4    /* nodes: a column of fewer is spaced as if it had this many */
#define NODE_RADIUS_PX 16.0    /* at most; less when nodes are close */
#define NODE_RADIUS_SHARE 0.36 /* of the distance between two nodes' centres */
#define NODE_RING_WIDTH 1.0
#define EDGE_MIN_WIDTH 0.5     /* the line of a weight near 0 */
#define EDGE_MAX_WIDTH 8.0     /* of the largest |weight|, when nodes are far enough apart */
#define EDGE_WIDTH_SHARE 0.5   /* of the distance between nodes, at most */
#define EDGE_WIDTH_BUDGET 64.0 /* px: the widest line is at most this over the tallest column */
#define EDGE_ALPHA_MIN                                                                             \
    0.15               /* opacity of the thinnest line of a dense graph (0.35 of a sparse          \
                          one); the widest is opaque */
#define GRAPH_LEVELS 8 /* opacities of lines, and tints of nodes, are rounded to these */
#define TEXT_CHAR_WIDTH 0.85   /* average advance of a label character / character height */

typedef struct {
    double t; /* |weight| / largest |weight|, in [0, 1] */
    bool positive;
    double x0, y0, x1, y1;
} GraphEdge;

static int compare_edges(const void *a, const void *b)
{
    double ta = ((const GraphEdge *)a)->t, tb = ((const GraphEdge *)b)->t;
    return (ta > tb) - (ta < tb);
}

/* The legend's measures (plot_legend; plot_graph keeps a strip free for it) */
#define LEGEND_TEXT_SCALE 0.66   /* legend labels */
#define LEGEND_OFFSET 0.025      /* from the panel edge, fractions of the panel */
#define LEGEND_LINE 0.07         /* length of the sample line, fraction of the panel width */
#define LEGEND_DISC_PX 16.0      /* the sample's room in a legend of discs and rings only */
#define LEGEND_SPACING 2.0       /* character heights from entry to entry */
#define LEGEND_TEXT_OFFSET 0.5   /* gap between line and text, in PLplot's character widths */
#define LEGEND_CHAR_WIDTH 0.85   /* average advance of a label character / character height */
#define LEGEND_SYMBOL_SCALE 0.75 /* a disc the size of a marker */
#define LEGEND_MAX_HEIGHT 0.45   /* of the panel: a taller legend takes another column */
#define LEGEND_MAX_COLUMNS 4
#define LEGEND_BESIDE_GAP 0.03   /* plot_legend_beside: from the panel's right edge, of its width */

/* The y of node k of a column of n, nodes `spacing` apart, centred on `mid`, node 0 on top. */
static double node_y(int k, int n, double spacing, double mid)
{
    return mid + (n / 2.0 - k - 0.5) * spacing;
}

static void legend_size(const PlotFigure *f, int n, int columns, int widest, double *w, double *h,
                        double *text_scale);
static double legend_sample(const PlotFigure *f);

/* t in [0, 1] rounded to one of GRAPH_LEVELS levels (0 stays 0). */
static double graph_level(double t)
{
    return t > 0 ? fmax(1.0, ceil(t * GRAPH_LEVELS - 1e-9)) / GRAPH_LEVELS : 0.0;
}

static bool graph_usable(PlotFigure *fig, const PlotGraph *g)
{
    if (!g || g->n_columns < 1 || !g->sizes || (g->n_columns > 1 && !g->edge) || !g->node) {
        figure_fail(fig, "plot_graph: no graph given");
        return false;
    }
    for (int l = 0; l < g->n_columns; l++) {
        if (g->sizes[l] < 1 || g->sizes[l] > PLOT_GRAPH_MAX_NODES) {
            figure_fail(fig, "plot_graph: column %d has %d nodes (1 to %d)", l + 1, g->sizes[l],
                        PLOT_GRAPH_MAX_NODES);
            return false;
        }
        if (l + 1 < g->n_columns && !g->edge[l]) {
            figure_fail(fig, "plot_graph: no edges after column %d", l + 1);
            return false;
        }
    }
    return true;
}

void plot_graph(PlotFigure *fig, const PlotGraph *graph)
{
    if (!drawable(fig, "plot_graph") || !graph_usable(fig, graph))
        return;
    const PlotGraph *g = graph;
    const Panel *p = &fig->panel;
    int tallest = GRAPH_MIN_SPACING;
    long n_edges = 0, n_nodes = 0;
    double widest = 0.0, strongest = 0.0; /* the largest |weight| and |value| */
    for (int l = 0; l < g->n_columns; l++) {
        tallest = g->sizes[l] > tallest ? g->sizes[l] : tallest;
        n_nodes += g->sizes[l];
        for (int k = 0; g->node[l] && k < g->sizes[l]; k++)
            if (isfinite(g->node[l][k]))
                strongest = fmax(strongest, fabs(g->node[l][k]));
        if (l + 1 == g->n_columns)
            break;
        long n = (long)g->sizes[l] * g->sizes[l + 1];
        n_edges += n;
        for (long e = 0; e < n; e++)
            if (isfinite(g->edge[l][e]))
                widest = fmax(widest, fabs(g->edge[l][e]));
    }
    /* The legend goes in a strip along the top, two entries a row, where no node or line is:
     * a dense graph leaves no corner free. The nodes share the height below it. */
    fig->legend_columns = 2;
    int widest_name = 0;
    for (int sign = 0; sign < 2; sign++) {
        int e = g->edge_names[sign] ? (int)strlen(g->edge_names[sign]) : 0;
        int v = g->node_names[sign] ? (int)strlen(g->node_names[sign]) : 0;
        widest_name = e > widest_name ? e : widest_name;
        widest_name = v > widest_name ? v : widest_name;
    }
    double legend_w, legend_h, legend_scale;
    legend_size(fig, 4, fig->legend_columns, widest_name, &legend_w, &legend_h, &legend_scale);
    double top = p->wy1 - (legend_h + 2 * LEGEND_OFFSET) * (p->wy1 - p->wy0);
    double spacing = (top - p->wy0) / tallest, mid = 0.5 * (top + p->wy0);
    double spacing_px = spacing * (p->vy1 - p->vy0) * fig->layout.height / (p->wy1 - p->wy0);
    double radius_px = fmax(2.0, fmin(NODE_RADIUS_PX, NODE_RADIUS_SHARE * spacing_px));
    /* many lines into a node share the room around it: thinner when columns are tall */
    double max_width = fmax(1.5, fmin(fmin(EDGE_MAX_WIDTH, EDGE_WIDTH_SHARE * spacing_px),
                                      EDGE_WIDTH_BUDGET / tallest));

    /* Opacity grows with |weight| as t^fade: in a sparse graph (4 nodes a column) every line
     * can be seen (fade 1); in a dense one (16 and more) the many small weights recede behind
     * the few large (fade 2), else they hide them. */
    double fade = fmin(2.0, fmax(1.0, 1.0 + 0.5 * log2(tallest / (double)GRAPH_MIN_SPACING)));
    double alpha_min = EDGE_ALPHA_MIN + 0.2 * (2.0 - fade);
    GraphEdge *edges = malloc((size_t)(n_edges > 0 ? n_edges : 1) * sizeof *edges);
    Series s; /* the edges (3 points each) and the nodes (2 each), for the legend's place */
    if (!edges || !series_alloc(&s, 3 * n_edges + 2 * n_nodes)) {
        free(edges);
        figure_fail(fig, "out of memory");
        return;
    }
    long m = 0;
    for (int l = 0; l + 1 < g->n_columns; l++)
        for (int o = 0; o < g->sizes[l + 1]; o++)
            for (int i = 0; i < g->sizes[l]; i++) {
                double w = g->edge[l][(size_t)o * (size_t)g->sizes[l] + (size_t)i];
                if (!isfinite(w))
                    continue;
                edges[m++] = (GraphEdge){.t = widest > 0 ? fabs(w) / widest : 0.0,
                                         .positive = w > 0,
                                         .x0 = l,
                                         .y0 = node_y(i, g->sizes[l], spacing, mid),
                                         .x1 = l + 1,
                                         .y1 = node_y(o, g->sizes[l + 1], spacing, mid)};
            }
    /* the thinnest first, so that the weights that matter are on top */
    qsort(edges, (size_t)m, sizeof *edges, compare_edges);
    for (long e = 0; e < m; e++) {
        const GraphEdge *d = &edges[e];
        double alpha = alpha_min + (1.0 - alpha_min) * graph_level(pow(d->t, fade));
        plcol0(figure_colour(fig, plot_class_colour(d->positive), alpha));
        plwidth(EDGE_MIN_WIDTH + (max_width - EDGE_MIN_WIDTH) * d->t);
        PLFLT x[2] = {d->x0, d->x1}, y[2] = {d->y0, d->y1};
        plline(2, x, y);
        s.xs[s.m] = d->x0, s.ys[s.m] = d->y0;
        s.xs[s.m + 1] = d->x1, s.ys[s.m + 1] = d->y1;
        s.xs[s.m + 2] = d->x1, s.ys[s.m + 2] = NAN;
        s.m += 3;
    }
    plwidth(1.0);
    free(edges);

    /* the nodes over the ends of their lines: a tint of their value's sign, an ink ring */
    for (int l = 0; l < g->n_columns; l++)
        for (int k = 0; k < g->sizes[l]; k++) {
            double v = g->node[l] ? g->node[l][k] : 0.0;
            double level = isfinite(v) && strongest > 0 ? graph_level(fabs(v) / strongest) : 0.0;
            unsigned c = plot_class_colour(v > 0), rgb = 0;
            for (int shift = 16; shift >= 0; shift -= 8) /* c at `level` over white */
                rgb = rgb << 8 |
                      (unsigned)lround(level * ((c >> shift) & 0xff) + (1.0 - level) * 255.0);
            double x = l, y = node_y(k, g->sizes[l], spacing, mid);
            plcol0(figure_colour(fig, rgb, 1.0));
            fill_circle(fig, x, y, radius_px);
            plcol0(COL_INK);
            PLFLT cx[CIRCLE_SIDES + 1], cy[CIRCLE_SIDES + 1];
            circle(fig, x, y, radius_px, cx, cy);
            plwidth(NODE_RING_WIDTH);
            plline(CIRCLE_SIDES + 1, cx, cy);
            plwidth(1.0);
            s.xs[s.m] = s.xs[s.m + 1] = x;
            s.ys[s.m] = y;
            s.ys[s.m + 1] = NAN;
            s.m += 2;
        }
    keep_drawn(fig, s);

    /* the columns' labels under the panel, a line at a time; smaller when the longest line
     * would run into the next column's (a narrow panel, such as the live window's) */
    plcol0(COL_INK);
    size_t longest = 0;
    for (int l = 0; g->labels && l < g->n_columns; l++)
        for (const char *line = g->labels[l]; line && *line;) {
            const char *end = strchr(line, '\n');
            size_t len = end ? (size_t)(end - line) : strlen(line);
            longest = len > longest ? len : longest;
            line = end ? end + 1 : line + len;
        }
    PLFLT def_mm, char_mm, px0, px1, py0, py1;
    plgchr(&def_mm, &char_mm);
    plgspa(&px0, &px1, &py0, &py1);
    double column_mm = (p->vx1 - p->vx0) * (px1 - px0) / (p->wx1 - p->wx0);
    double label_mm = TEXT_CHAR_WIDTH * (double)longest * char_mm;
    double label_scale = label_mm > 0.95 * column_mm ? 0.95 * column_mm / label_mm : 1.0;
    double scale_now = char_mm / def_mm; /* the layout's text size */
    if (label_scale < 1.0)
        plschr(0.0, scale_now * (label_scale < 0.6 ? 0.6 : label_scale));
    for (int l = 0; g->labels && l < g->n_columns; l++) {
        const char *line = g->labels[l];
        double pos = (l - p->wx0) / (p->wx1 - p->wx0);
        for (int row = 0; line && *line && row < 3; row++) {
            const char *end = strchr(line, '\n');
            size_t len = end ? (size_t)(end - line) : strlen(line);
            char raw[MAX_TEXT], text[MAX_TEXT];
            snprintf(raw, sizeof raw, "%.*s", (int)(len < sizeof raw ? len : sizeof raw - 1), line);
            escape_text(raw, text, sizeof text);
            plmtex("b", 1.6 + 1.4 * row, pos, 0.5, text);
            line = end ? end + 1 : line + len;
        }
    }
    plschr(0.0, scale_now);
    for (int sign = 0; sign < 2; sign++)
        add_entry(fig, ENTRY_LINE, figure_colour(fig, plot_class_colour(sign), 1.0),
                  g->edge_names[sign]);
    for (int sign = 0; sign < 2; sign++)
        add_entry(fig, ENTRY_DISC, figure_colour(fig, plot_class_colour(sign), 1.0),
                  g->node_names[sign]);
}

/* ---- legend ------------------------------------------------------------------------------- */


/* Length in pixels of segment a-b inside the box [x0,x1]x[y0,y1], all in pixel
 * coordinates (Liang-Barsky clipping); a zero-length segment counts as a dot. */
static double clipped_length(double ax, double ay, double bx, double by, double x0, double x1,
                             double y0, double y1)
{
    double t0 = 0.0, t1 = 1.0;
    double dx = bx - ax, dy = by - ay;
    double p[4] = {-dx, dx, -dy, dy};
    double q[4] = {ax - x0, x1 - ax, ay - y0, y1 - ay};
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0.0) {
            if (q[i] < 0.0)
                return 0.0;
        } else {
            double t = q[i] / p[i];
            if (p[i] < 0.0)
                t0 = t > t0 ? t : t0;
            else
                t1 = t < t1 ? t : t1;
            if (t0 > t1)
                return 0.0;
        }
    }
    double len = (t1 - t0) * hypot(dx, dy);
    return len > 2.0 * DOT_RADIUS_PX ? len : 2.0 * DOT_RADIUS_PX;
}

/* Pixels of drawn lines and points inside a box given in fractions of the panel, a scatter
 * marker counting as its marker_cost. */
static double drawn_overlap(const PlotFigure *f, double fx0, double fx1, double fy0, double fy1)
{
    /* everything in pixels from the panel's corner, so that x and y lengths compare */
    const Panel *p = &f->panel;
    double w_px = (p->vx1 - p->vx0) * f->layout.width, h_px = (p->vy1 - p->vy0) * f->layout.height;
    double sx = w_px / (p->wx1 - p->wx0), sy = h_px / (p->wy1 - p->wy0);
    double bx0 = fx0 * w_px, bx1 = fx1 * w_px, by0 = fy0 * h_px, by1 = fy1 * h_px;
    double total = 0.0;
    for (int c = 0; c < f->n_drawn; c++) {
        const Series *s = &f->drawn[c];
        for (long k = 0; k < s->m; k++) {
            if (!isfinite(s->ys[k]))
                continue;
            bool next = k + 1 < s->m && isfinite(s->ys[k + 1]);
            if (!next && k > 0 && isfinite(s->ys[k - 1]))
                continue; /* the end of a run, already drawn as part of the segment before */
            if (!next && s->marker_cost > 0) { /* a marker: hidden if any of it is in the box */
                double x = (s->xs[k] - p->wx0) * sx, y = (s->ys[k] - p->wy0) * sy,
                       r = s->marker_radius;
                if (x > bx0 - r && x < bx1 + r && y > by0 - r && y < by1 + r)
                    total += s->marker_cost;
                continue;
            }
            long e = next ? k + 1 : k;
            total += clipped_length((s->xs[k] - p->wx0) * sx, (s->ys[k] - p->wy0) * sy,
                                    (s->xs[e] - p->wx0) * sx, (s->ys[e] - p->wy0) * sy, bx0, bx1,
                                    by0, by1);
        }
    }
    return total;
}

typedef struct {
    PLINT position; /* PL_POSITION_* of pllegend */
    double x, y;    /* its offsets */
} LegendPlace;

/* The room of an entry's sample, a fraction of the panel's width: a line's length, or where
 * every entry is a disc or a ring, just a marker's room, so that the names sit by their
 * markers rather than a line's length away. */
static double legend_sample(const PlotFigure *f)
{
    for (int k = 0; k < f->n_entries; k++)
        if (f->entries[k].kind == ENTRY_LINE || f->entries[k].kind == ENTRY_DASHED)
            return LEGEND_LINE;
    const Panel *p = &f->panel;
    return LEGEND_DISC_PX / ((p->vx1 - p->vx0) * f->layout.width);
}

/* The legend's size as fractions of the panel (w, h) and its text scale, for n entries in
 * `columns` columns whose longest label has `widest` bytes. The height follows pllegend's
 * own formula; the width is an estimate (PLplot does not export its text measure), which is
 * why a place is given by the edges PLplot aligns to, never by a computed left edge. Labels
 * wider than the panel get smaller text, down to 0.8 of its size (the width is
 * overestimated), rather than a box that runs over the panel's edge. */
static void legend_size(const PlotFigure *f, int n, int columns, int widest, double *w, double *h,
                        double *text_scale)
{
    double sample = legend_sample(f);
    const Panel *p = &f->panel;
    PLFLT def_mm, char_mm, px0, px1, py0, py1;
    plgchr(&def_mm, &char_mm);
    plgspa(&px0, &px1, &py0, &py1);
    double page_w = px1 - px0, page_h = py1 - py0; /* mm */
    double vp_w = p->vx1 - p->vx0, vp_h = p->vy1 - p->vy0;
    /* pllegend's character width is the character height as a fraction of the page
     * height, used as a fraction of the page width */
    double char_frac = char_mm / page_h;
    double text_w = LEGEND_CHAR_WIDTH * widest * def_mm * LEGEND_TEXT_SCALE / page_w / vp_w;
    double fixed = (0.8 + LEGEND_TEXT_OFFSET) * char_frac / vp_w + sample;
    int rows = (n + columns - 1) / columns;
    *w = columns * (fixed + text_w);
    *h = rows * LEGEND_SPACING * char_frac / vp_h;
    *text_scale = LEGEND_TEXT_SCALE;
    double room = (1.0 - 2 * LEGEND_OFFSET) / columns - fixed;
    if (*w > 1.0 - 2 * LEGEND_OFFSET && room > 0) {
        double shrink = fmax(room / text_w, 0.8);
        *text_scale *= shrink;
        *w = columns * (fixed + shrink * text_w);
    }
}

/* Like matplotlib's loc="best": of the usual places, in matplotlib's order of preference,
 * the first that covers the least drawn line. */
static LegendPlace legend_place(const PlotFigure *f, int columns, int widest, double *text_scale)
{
    const Panel *p = &f->panel;
    double vp_w = p->vx1 - p->vx0, vp_h = p->vy1 - p->vy0;
    double w, h;
    legend_size(f, f->n_entries, columns, widest, &w, &h, text_scale);
    const double o = LEGEND_OFFSET, mid = 0.5 - h / 2;

    const LegendPlace places[] = {
        {PL_POSITION_TOP | PL_POSITION_RIGHT, o, o},
        {PL_POSITION_TOP | PL_POSITION_LEFT, o, o},
        {PL_POSITION_BOTTOM | PL_POSITION_LEFT, o, o},
        {PL_POSITION_BOTTOM | PL_POSITION_RIGHT, o, o},
        {PL_POSITION_RIGHT, o, 0},
        {PL_POSITION_LEFT, o, 0},
        {PL_POSITION_BOTTOM, 0, o},
        {PL_POSITION_TOP, 0, o},
        {PL_POSITION_TOP, 0, mid}, /* centre: PLplot centres horizontally */
    };
    /* a margin around the box, so a line grazing its edge counts too */
    double mx = 4.0 / (vp_w * f->layout.width), my = 4.0 / (vp_h * f->layout.height);
    LegendPlace best = places[0];
    double best_overlap = INFINITY;
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
        PLINT pos = places[i].position;
        double fx0 = pos & PL_POSITION_LEFT    ? places[i].x
                     : pos & PL_POSITION_RIGHT ? 1.0 - places[i].x - w
                                               : 0.5 - w / 2;
        double fy0 = pos & PL_POSITION_BOTTOM ? places[i].y
                     : pos & PL_POSITION_TOP  ? 1.0 - places[i].y - h
                                              : 0.5 - h / 2;
        double overlap = drawn_overlap(f, fx0 - mx, fx0 + w + mx, fy0 - my, fy0 + h + my);
        if (overlap < best_overlap - 0.5) {
            best_overlap = overlap;
            best = places[i];
        }
    }
    return best;
}

/* The current panel's legend: inside it, where it covers least (plot_legend), or beside
 * it, to its right, in the room the layout keeps there (plot_legend_beside). */
static void draw_legend(PlotFigure *fig, bool beside)
{
    if (!drawable(fig, beside ? "plot_legend_beside" : "plot_legend") || fig->n_entries == 0)
        return;
    int n = fig->n_entries, widest = 0;
    bool symbols = false;
    for (int k = 0; k < n; k++) {
        widest = fig->entries[k].length > widest ? fig->entries[k].length : widest;
        symbols |= fig->entries[k].kind == ENTRY_DISC || fig->entries[k].kind == ENTRY_RING;
    }
    PLINT *opts = malloc((size_t)n * sizeof *opts);
    PLINT *colours = malloc((size_t)n * sizeof *colours);
    PLINT *text_colours = malloc((size_t)n * sizeof *text_colours);
    PLINT *styles = malloc((size_t)n * sizeof *styles);
    PLFLT *widths = malloc((size_t)n * sizeof *widths);
    PLFLT *scales = malloc((size_t)n * sizeof *scales);
    PLINT *numbers = malloc((size_t)n * sizeof *numbers);
    const char **texts = malloc((size_t)n * sizeof *texts);
    const char **marks = malloc((size_t)n * sizeof *marks);
    if (!opts || !colours || !text_colours || !styles || !widths || !scales || !numbers || !texts ||
        !marks) {
        figure_fail(fig, "out of memory");
        goto done;
    }
    for (int k = 0; k < n; k++) {
        const LegendEntry *e = &fig->entries[k];
        bool line = e->kind == ENTRY_LINE || e->kind == ENTRY_DASHED;
        opts[k] = line ? PL_LEGEND_LINE : PL_LEGEND_SYMBOL;
        colours[k] = e->colour;
        text_colours[k] = COL_INK;
        styles[k] = e->kind == ENTRY_DASHED ? DASH_STYLE : 1;
        widths[k] = LINE_WIDTH;
        scales[k] = LEGEND_SYMBOL_SCALE;
        numbers[k] = 1;
        texts[k] = e->text;
        marks[k] = e->kind == ENTRY_RING ? "\xe2\x97\x8b" : "\xe2\x97\x8f"; /* U+25CB, U+25CF */
    }
    plcol0(COL_INK);
    /* A legend of many entries (the classes of a map and their test points: up to 32) takes
     * more columns, so that it stays within a share of the panel's height rather than
     * covering the points and running off the page. */
    int columns = fig->legend_columns > 1 ? fig->legend_columns : 1;
    for (double w, h, s; !beside && columns < LEGEND_MAX_COLUMNS; columns++) {
        legend_size(fig, n, columns, widest, &w, &h, &s);
        if (h <= LEGEND_MAX_HEIGHT)
            break;
    }
    double text_scale = LEGEND_TEXT_SCALE;
    LegendPlace place = {PL_POSITION_OUTSIDE | PL_POSITION_RIGHT,
                         LEGEND_BESIDE_GAP, 0.0};
    if (!beside) {
        place = legend_place(fig, columns, widest, &text_scale);
        place.position |= PL_POSITION_INSIDE;
    }
    PLFLT width, height; /* pllegend crashes if these are NULL */
    plwidth(1.0);
    pllegend(&width, &height, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX | PL_LEGEND_ROW_MAJOR,
             place.position | PL_POSITION_VIEWPORT, place.x, place.y,
             legend_sample(fig), COL_BG, COL_FRAME, 1, (n + columns - 1) / columns, columns, n, opts, LEGEND_TEXT_OFFSET,
             text_scale, LEGEND_SPACING, 0.0, text_colours, texts, NULL, NULL, NULL, NULL,
             colours, styles, widths, symbols ? colours : NULL, symbols ? scales : NULL,
             symbols ? numbers : NULL, symbols ? marks : NULL);
done:
    free(opts);
    free(colours);
    free(text_colours);
    free(styles);
    free(widths);
    free(scales);
    free(numbers);
    free(texts);
    free(marks);
}

void plot_legend(PlotFigure *fig) { draw_legend(fig, false); }

void plot_legend_beside(PlotFigure *fig) { draw_legend(fig, true); }
