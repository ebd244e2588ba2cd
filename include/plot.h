/* plot.h - figures of a training run, drawn from plain arrays with PLplot.
 *
 * This is the only module that talks to PLplot, and it knows nothing of
 * networks: it draws curves and labelled points. Every figure is 1200x500 px,
 * two panels side by side, written to a .png (cairo driver) or .svg (svg driver)
 * chosen by the path's extension. Files are written atomically: a temporary
 * in the same directory, renamed into place only when complete, so a failed
 * call leaves no file behind and an older file at path untouched.
 *
 * Not thread-safe (PLplot keeps one global current stream): draw one figure at
 * a time. Each call uses a stream of its own and restores the caller's stream.
 */
#ifndef NNLAB_PLOT_H
#define NNLAB_PLOT_H

#include <stddef.h>

#define PLOT_WIDTH 1200 /* px, every figure */
#define PLOT_HEIGHT 500
#define PLOT_ENVELOPE_COLUMNS 500 /* about one per pixel column of a panel */

typedef struct {
    const char *label;      /* legend text such as "LR: 0.01"; NULL or "" means no legend entry */
    const double *loss;     /* n values, for epochs 1..n (NULL: not drawn) */
    const double *accuracy; /* n values in [0,1] (NULL: not drawn) */
    long n;
} PlotCurve;

/* Figure 1 and 2: "Learning Curve" (loss vs epoch) and "Accuracy Curve" (accuracy vs epoch)
 * side by side, one coloured curve per element of curves; a legend inside each panel when
 * any curve has a label. note, if not NULL/empty, is a line of text above the panels that
 * says what run it is. NaN and inf break a curve and are left out of the axis ranges.
 * Returns 0, or -1 with a one-line message in err. */
int plot_curves(const char *path, const PlotCurve *curves, int n_curves, const char *note,
                char *err, size_t errlen);

/* Figure 3: "Ground truth" and "Prediction result" scatter panels side by side: points x
 * (n rows of x1,x2, row-major), class 0 red, class 1 blue, filled round markers. truth and
 * predicted hold 0.0 / 1.0 labels (n each; >= 0.5 counts as 1, NaN is not drawn).
 * Returns 0, or -1 with a one-line message in err. */
int plot_predictions(const char *path, const double *x, const double *truth,
                     const double *predicted, int n, const char *note, char *err, size_t errlen);

/* Reduces v (n values) for drawing to a min/max envelope over `columns` equal runs of
 * consecutive values: each run keeps its smallest and largest finite value and, if it has
 * any, its first non-finite value as a NaN (a break in the line), in their original order.
 * xs[k] = i + 1 for the kept v[i] (the epoch, when v[0] is epoch 1), ys[k] its value.
 * With n <= columns every value is kept. xs and ys need room for
 * PLOT_ENVELOPE_MAX(n, columns) values. Returns the number kept. */
#define PLOT_ENVELOPE_MAX(n, columns) ((n) < 3 * (columns) ? (n) : 3 * (columns))
long plot_envelope(const double *v, long n, long columns, double *xs, double *ys);

#endif
