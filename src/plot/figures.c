/* figures.c - the figures of a training run: learning/accuracy curves and ground-truth/
 * prediction scatter panels, on a 1200x500 page of two panels side by side.
 *
 * Written on plot.h alone, like any user of the module: it opens a target, draws panels
 * with the primitives and closes, and never sees PLplot or the device.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "plot.h"

#define LOG_SCALE_RATIO 1e6 /* growth of a loss beyond which its axis is logarithmic */

/* Writes a one-line message into err (if there is one) and returns -1. */
static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* ---- curves ------------------------------------------------------------------------------- */

/* Smallest and largest finite value over one field of all curves; false if none. */
static bool curves_range(const PlotCurve *curves, int n_curves, bool accuracy, double *lo,
                         double *hi)
{
    bool any = false;
    for (int c = 0; c < 4 * n_curves; c++) { /* each curve's training, test and band values */
        const PlotCurve *k = &curves[c / 4];
        const double *v = c % 4 == 1   ? (accuracy ? k->test_accuracy : k->test_loss)
                          : c % 4 == 2 ? (accuracy ? k->accuracy_lo : k->loss_lo)
                          : c % 4 == 3 ? (accuracy ? k->accuracy_hi : k->loss_hi)
                                       : (accuracy ? k->accuracy : k->loss);
        for (long i = 0; v && i < k->n; i++) {
            if (!isfinite(v[i]))
                continue;
            if (!any || v[i] < *lo)
                *lo = v[i];
            if (!any || v[i] > *hi)
                *hi = v[i];
            any = true;
        }
    }
    for (int c = 0; c < n_curves; c++) /* and the single runs drawn under them */
        for (int r = 0; r < curves[c].n_runs; r++) {
            const double *v = accuracy ? curves[c].run_accuracy[r] : curves[c].run_loss[r];
            for (long i = 0; v && i < curves[c].run_n[r]; i++)
                if (isfinite(v[i])) {
                    *lo = any ? fmin(*lo, v[i]) : v[i];
                    *hi = any ? fmax(*hi, v[i]) : v[i];
                    any = true;
                }
        }
    return any;
}

int plot_curves(const char *path, const PlotCurve *curves, int n_curves, const char *note,
                char *err, size_t errlen)
{
    return plot_curves_over(path, curves, n_curves, "Epoch", note, err, errlen);
}

/* The last x of a curve: its last value's. */
static double curve_end(const PlotCurve *c)
{
    return (double)c->n * (c->x_step > 0 ? c->x_step : 1.0);
}

/* The two panels' axes for curves, or false (with a message in err) if they are not curves. */
static bool curve_axes(const PlotCurve *curves, int n_curves, const char *xlabel, PlotAxes axes[2],
                       const char *name, char *err, size_t errlen)
{
    if (n_curves < 0 || (n_curves > 0 && !curves)) {
        fail(err, errlen, "%s: no curves given", name);
        return false;
    }
    double longest = 0;
    for (int c = 0; c < n_curves; c++) {
        if (curves[c].n < 0) {
            fail(err, errlen, "%s: curve %d has %ld points", name, c + 1, curves[c].n);
            return false;
        }
        longest = fmax(longest, curve_end(&curves[c]));
    }

    /* x from 1 to the longest curve's end; loss from 0 (or below) to its largest finite
     * value; accuracy up to 1 */
    double x0 = 1.0, x1 = longest > 1 ? longest : 1.0;
    double llo = 0.0, lhi = 1.0, alo = 0.0, ahi = 1.0;
    /* A loss that grows to LOG_SCALE_RATIO times where it started (a diverging run) is
     * drawn on a log scale, where every epoch before the blow-up stays visible. */
    bool log_loss = false;
    if (curves_range(curves, n_curves, false, &llo, &lhi)) {
        for (int c = 0; c < n_curves; c++)
            if (curves[c].loss && curves[c].n > 0 && isfinite(curves[c].loss[0]) &&
                lhi > LOG_SCALE_RATIO * curves[c].loss[0])
                log_loss = llo > 0.0;
        llo = log_loss ? llo : fmin(llo, 0.0);
        if (!(lhi > llo))
            lhi = llo + 1.0;
    }
    if (curves_range(curves, n_curves, true, &alo, &ahi)) {
        ahi = fmax(ahi, 1.0);
        if (!(ahi > alo))
            alo = ahi - 1.0;
    }
    if (x1 <= x0) {
        x0 -= 1.0;
        x1 += 1.0;
    }
    axes[0] = (PlotAxes){.title = "Learning Curve",
                         .xlabel = xlabel,
                         .ylabel = log_loss ? "Loss (log scale)" : "Loss",
                         .x0 = x0,
                         .x1 = x1,
                         .y0 = llo,
                         .y1 = lhi,
                         .epochs = true,
                         .log_y = log_loss};
    axes[1] = (PlotAxes){.title = "Accuracy Curve",
                         .xlabel = xlabel,
                         .ylabel = "Accuracy",
                         .x0 = x0,
                         .x1 = x1,
                         .y0 = alo,
                         .y1 = ahi,
                         .epochs = true};
    return true;
}

/* The curves in the panels of axes, first and first + 1. */
static void curves_draw(PlotFigure *fig, int first, const PlotAxes axes[2], const PlotCurve *curves,
                        int n_curves)
{
    for (int panel = 0; panel < 2; panel++) {
        plot_panel(fig, first + panel, &axes[panel]);
        for (int c = 0; c < n_curves; c++) { /* the bands first, under every line */
            const double *lo = panel == 0 ? curves[c].loss_lo : curves[c].accuracy_lo;
            const double *hi = panel == 0 ? curves[c].loss_hi : curves[c].accuracy_hi;
            if (lo && hi)
                plot_band(fig, lo, hi, curves[c].n, plot_cycle_colour(c), curves[c].x_step);
        }
        for (int c = 0; c < n_curves; c++) /* then the single runs, thin */
            for (int r = 0; r < curves[c].n_runs; r++) {
                const double *v = panel == 0 ? curves[c].run_loss[r] : curves[c].run_accuracy[r];
                PlotStyle style = {
                    .colour = plot_cycle_colour(c), .x_step = curves[c].x_step, .thin = true};
                if (v)
                    plot_line(fig, v, curves[c].run_n[r], style);
            }
        /* each run's solid line under its label, then the dashed test lines with
         * one legend entry for them all (on the first) */
        for (int pass = 0; pass < 2; pass++)
            for (int c = 0; c < n_curves; c++) {
                const PlotCurve *k = &curves[c];
                const double *test = panel == 0 ? k->test_loss : k->test_accuracy;
                bool labelled = k->label && k->label[0], first_test = true;
                for (int j = 0; j < c; j++)
                    first_test &= !(panel == 0 ? curves[j].test_loss : curves[j].test_accuracy);
                PlotStyle style = {.colour = plot_cycle_colour(c), .x_step = k->x_step};
                if (pass == 0) {
                    style.label = labelled ? k->label : test ? "train" : NULL;
                    plot_line(fig, panel == 0 ? k->loss : k->accuracy, k->n, style);
                } else if (test) {
                    style.label = !first_test ? NULL : labelled ? "dashed: test points" : "test";
                    style.dashed = true;
                    plot_line(fig, test, k->n, style);
                }
            }
        plot_legend(fig);
    }
}

int plot_curves_over(const char *path, const PlotCurve *curves, int n_curves, const char *xlabel,
                     const char *note, char *err, size_t errlen)
{
    PlotAxes axes[2];
    if (!curve_axes(curves, n_curves, xlabel, axes, path ? path : "plot", err, errlen))
        return -1;
    PlotLayout layout = {
        .width = PLOT_WIDTH, .height = PLOT_HEIGHT, .rows = 1, .cols = 2, .note = note};
    PlotFigure *fig = plot_open_file(path, &layout, err, errlen);
    if (!fig)
        return -1;
    curves_draw(fig, 0, axes, curves, n_curves);
    return plot_close(fig, err, errlen);
}

void plot_curve_panels(PlotFigure *fig, int first, const PlotCurve *curves, int n_curves,
                       const char *xlabel)
{
    PlotAxes axes[2];
    char err[256];
    if (!curve_axes(curves, n_curves, xlabel, axes, "plot_curve_panels", err, sizeof err)) {
        plot_panel(fig, first, NULL); /* fails the figure */
        return;
    }
    curves_draw(fig, first, axes, curves, n_curves);
}

/* ---- predictions -------------------------------------------------------------------------- */

/* A legend row's share of a prediction panel's height, and the gap it keeps from the
 * points (both a little over what plot_legend draws at PLOT_HEIGHT). */
#define PREDICTION_LEGEND_ROW 0.07
#define PREDICTION_LEGEND_GAP 0.06

int plot_predictions(const char *path, const double *x, const double *truth,
                     const double *predicted, int n, const char *const *names, const char *note,
                     char *err, size_t errlen)
{
    if (n < 0 || (n > 0 && (!x || !truth || !predicted)))
        return fail(err, errlen, "%s: no points given", path ? path : "plot");

    /* both panels share the range of the finite points */
    double lo[2] = {0.0, 0.0}, hi[2] = {1.0, 1.0};
    bool any = false;
    for (int i = 0; i < n; i++) {
        if (!isfinite(x[2 * i]) || !isfinite(x[2 * i + 1]))
            continue;
        for (int d = 0; d < 2; d++) {
            double v = x[2 * i + d];
            lo[d] = any ? fmin(lo[d], v) : v;
            hi[d] = any ? fmax(hi[d], v) : v;
        }
        any = true;
    }
    /* classes: the nearest whole number (a label >= 0.5 and < 1.5 is class 1), NaN and
     * negative labels none (-1) */
    int *cls = malloc(2 * (size_t)(n > 0 ? n : 1) * sizeof *cls), classes = 2;
    if (!cls)
        return fail(err, errlen, "%s: out of memory", path ? path : "plot");
    for (int i = 0; i < 2 * n; i++) {
        double v = i < n ? truth[i] : predicted[i - n];
        cls[i] = v >= -0.5 && v < 1e6 ? (int)floor(v + 0.5) : -1;
        classes = cls[i] + 1 > classes ? cls[i] + 1 : classes;
    }

    /* room above the points for the classes' legend, so that it hides none of them: a
     * row of it is about PREDICTION_LEGEND_ROW of the panel's height (four rows at most:
     * a legend of more classes takes columns) */
    if (names) {
        int rows = classes < 4 ? classes : 4;
        double share = PREDICTION_LEGEND_ROW * rows + PREDICTION_LEGEND_GAP;
        hi[1] += (hi[1] - lo[1] > 0 ? hi[1] - lo[1] : 1.0) * share / (1.0 - share);
    }
    PlotLayout layout = {
        .width = PLOT_WIDTH, .height = PLOT_HEIGHT, .rows = 1, .cols = 2, .note = note};
    PlotFigure *fig = plot_open_file(path, &layout, err, errlen);
    if (!fig) {
        free(cls);
        return -1;
    }
    static const char *const titles[2] = {"Ground truth", "Prediction result"};
    for (int panel = 0; panel < 2; panel++) {
        PlotAxes axes = {.title = titles[panel],
                         .xlabel = "x1",
                         .ylabel = "x2",
                         .x0 = lo[0],
                         .x1 = hi[0],
                         .y0 = lo[1],
                         .y1 = hi[1]};
        PlotPoints points = {.xy = x,
                             .cls = cls + (size_t)panel * (size_t)n,
                             .n = n,
                             .k = classes,
                             .names = panel == 0 ? names : NULL};
        plot_panel(fig, panel, &axes);
        plot_points(fig, &points);
        if (panel == 0 && names)
            plot_legend(fig);
    }
    free(cls);
    return plot_close(fig, err, errlen);
}

/* ---- maps --------------------------------------------------------------------------------- */

#define MAP_COLUMNS 4 /* maps in a row */
#define MAP_PANEL 430 /* px a map panel takes across, title and ticks included */
#define MAP_LEGEND_PX 170 /* the strip of the legend beside the maps ("class 2, test") */

int plot_maps(const char *path, const PlotMap *maps, int n_maps, const char *note, char *err,
              size_t errlen)
{
    if (n_maps < 1 || !maps)
        return fail(err, errlen, "%s: no maps given", path ? path : "plot");
    int cols = n_maps < MAP_COLUMNS ? n_maps : MAP_COLUMNS;
    int rows = (n_maps + cols - 1) / cols;
    bool top = note && note[0];
    /* one map alone gets room for a note of a run's whole description; the legend goes
     * beside the first row, where it hides no point of any map */
    bool legend = maps[0].train.names || maps[0].test.names || maps[0].test.name;
    int strip = legend ? MAP_LEGEND_PX : 0;
    PlotLayout layout = {.width = (cols == 1 ? 900 : cols * MAP_PANEL + 40) + strip,
                         .height = cols == 1 ? 760 : rows * (MAP_PANEL + 10) + (top ? 40 : 0),
                         .rows = rows,
                         .cols = cols,
                         .note = note,
                         .fields = true,
                         .legend_px = strip};
    PlotFigure *fig = plot_open_file(path, &layout, err, errlen);
    if (!fig)
        return -1;
    for (int m = 0; m < n_maps; m++) {
        plot_map_panel(fig, m, &maps[m], false);
        if (legend && m == cols - 1) /* the last of the first row: its legend is every map's */
            plot_legend_beside(fig);
    }
    return plot_close(fig, err, errlen);
}

void plot_map_panel(PlotFigure *fig, int index, const PlotMap *map, bool legend)
{
    const PlotField *f = &map->field;
    PlotAxes axes = {.title = map->title,
                     .xlabel = "x1",
                     .ylabel = "x2",
                     .x0 = f->x0,
                     .x1 = f->x1,
                     .y0 = f->y0,
                     .y1 = f->y1,
                     .tight = true,
                     .legend_px = legend ? MAP_LEGEND_PX : 0};
    plot_panel(fig, index, &axes);
    plot_field(fig, f);
    plot_contour(fig, f, 0.5);
    plot_points(fig, &map->train);
    if (map->test.n > 0)
        plot_points(fig, &map->test);
    if (legend)
        plot_legend_beside(fig);
}

/* ---- layered graphs ----------------------------------------------------------------------- */

#define GRAPH_PAGE_HEIGHT 700 /* px: a column of 32 nodes, 14 px apart */

int plot_layered_graph(const char *path, const PlotGraph *graph, const char *title,
                       const char *note, char *err, size_t errlen)
{
    if (!graph || graph->n_columns < 1)
        return fail(err, errlen, "%s: no graph given", path ? path : "plot");
    PlotLayout layout = {
        .width = PLOT_WIDTH, .height = GRAPH_PAGE_HEIGHT, .rows = 1, .cols = 1, .note = note};
    PlotFigure *fig = plot_open_file(path, &layout, err, errlen);
    if (!fig)
        return -1;
    plot_graph_panel(fig, 0, graph, title);
    return plot_close(fig, err, errlen);
}

void plot_graph_panel(PlotFigure *fig, int index, const PlotGraph *graph, const char *title)
{
    /* half a column of room each side; nodes between y = 0 and 1 */
    PlotAxes axes = {.title = title,
                     .x0 = -0.5,
                     .x1 = (graph ? graph->n_columns : 1) - 0.5,
                     .y0 = 0.0,
                     .y1 = 1.0,
                     .tight = true,
                     .bare = true};
    plot_panel(fig, index, &axes);
    plot_graph(fig, graph);
    plot_legend(fig);
}

/* ---- heatmaps ----------------------------------------------------------------------------- */

#define HEATMAP_PANEL 600 /* px a heatmap's panel takes across, its labels included */

int plot_heatmaps(const char *path, const PlotHeatmap *maps, const char *const *titles, int n,
                  const char *note, char *err, size_t errlen)
{
    if (n < 1 || !maps)
        return fail(err, errlen, "%s: no heatmaps given", path ? path : "plot");
    PlotLayout layout = {.width = n * HEATMAP_PANEL + 40,
                         .height = HEATMAP_PANEL + (note && note[0] ? 20 : 0),
                         .rows = 1,
                         .cols = n,
                         .note = note};
    PlotFigure *fig = plot_open_file(path, &layout, err, errlen);
    if (!fig)
        return -1;
    for (int m = 0; m < n; m++) {
        PlotAxes axes = {.title = titles ? titles[m] : NULL,
                         .x0 = -0.5,
                         .x1 = maps[m].nx - 0.5,
                         .y0 = -0.5,
                         .y1 = maps[m].ny - 0.5,
                         .tight = true,
                         .bare = true};
        plot_panel(fig, m, &axes);
        plot_heatmap(fig, &maps[m]);
    }
    return plot_close(fig, err, errlen);
}
