/* plot.h - figures drawn from plain arrays with PLplot.
 *
 * The only module that talks to PLplot, and it knows nothing of networks. A figure is
 * opened on a target (a .png or .svg file, or a window redrawn frame by frame), laid out
 * as a page of rows x cols panels under an optional note line, drawn panel by panel with
 * the primitives below, and closed. The drawing calls never know the target. A primitive that fails
 * (bad arguments, no memory) marks the figure; plot_close then reports the first failure and writes
 * nothing.
 *
 * Files are written atomically (atomic_file.h): a failed figure leaves no file behind
 * and an older file at the path untouched.
 *
 * Not thread-safe (PLplot keeps one global current stream): draw one figure at a time.
 * Each figure uses a stream of its own and restores the caller's stream when closed.
 */
#ifndef NNLAB_PLOT_H
#define NNLAB_PLOT_H

#include <stdbool.h>
#include <stddef.h>

#define PLOT_WIDTH 1200 /* px, the figures of plot_curves and plot_predictions */
#define PLOT_HEIGHT 500
#define PLOT_ENVELOPE_COLUMNS 500 /* about one per pixel column of a panel */

/* ---- figures, targets and layouts -------------------------------------------------------- */

typedef struct PlotFigure PlotFigure;

typedef struct {
    int width, height; /* px */
    int rows, cols;    /* panels, numbered row by row from the top left */
    const char *note;  /* a line of text above the panels; NULL or "" for none */
    bool fields;       /* some panel will hold a plot_field: an SVG is then drawn by cairo,
                          which embeds the field as one image (text becomes outlines) */
    int legend_px;     /* a strip this wide at the page's right, beside the panels, for
                          plot_legend_beside; 0: none */
} PlotLayout;

/* Opens a figure to be written to path, a .png or .svg file. NULL with a message in err. */
PlotFigure *plot_open_file(const char *path, const PlotLayout *layout, char *err, size_t errlen);
/* Ends the figure and frees it; a file is moved into place if all went well.
 * Returns 0, or -1 with a one-line message in err. */
int plot_close(PlotFigure *fig, char *err, size_t errlen);
/* Ends the figure without writing it, and frees it. */
void plot_discard(PlotFigure *fig);

/* A figure in a new window titled title on the X display that DISPLAY names (PLplot's
 * xcairo driver), of the layout's size. It is drawn frame by frame: plot_frame_begin
 * clears it and draws note above the panels, the panels are drawn as on a file, and
 * plot_frame_show puts the frame on the screen (0, or -1 with a message: what failed in
 * the frame). plot_close closes the window. NULL with a message if no window opens. */
PlotFigure *plot_open_window(const char *title, const PlotLayout *layout, char *err, size_t errlen);
void plot_frame_begin(PlotFigure *fig, const char *note);
int plot_frame_show(PlotFigure *fig, char *err, size_t errlen);

typedef enum { PLOT_EVENT_NONE, PLOT_EVENT_KEY, PLOT_EVENT_CLOSED } PlotEventKind;
typedef struct {
    PlotEventKind kind;
    char key[8]; /* PLOT_EVENT_KEY: the key's text, such as " " or "q" */
} PlotEvent;

/* What happened in the window: a key pressed, the window closed by its user, or nothing
 * within `seconds` (0: only what already happened). A window that was covered and shown
 * again is redrawn on the way. */
PlotEvent plot_window_event(PlotFigure *fig, double seconds);

/* ---- panels and primitives (drawn into the panel last chosen) ---------------------------- */

typedef struct {
    const char *title, *xlabel, *ylabel;
    double x0, x1, y0, y1; /* the data shown: widened by 5% each side unless tight */
    bool epochs;           /* x counts epochs: ticks on whole numbers */
    bool log_y;            /* y on a log10 scale, ticked at powers of 10 (y0 > 0; values as they
                              are, and those <= 0 are not drawn) */
    bool tight;            /* no widening: a field fills the frame */
    bool bare;             /* no frame, grid, ticks or axis labels, only the title: a
                              diagram such as plot_graph's */
    int legend_px;         /* a strip this wide kept free at the right of the panel's cell,
                              for its plot_legend_beside; 0: none */
} PlotAxes;

/* Chooses panel `index` of the layout and draws its frame, grid, ticks, title and labels;
 * what the panel before held is forgotten (its legend is drawn or not by then). */
void plot_panel(PlotFigure *fig, int index, const PlotAxes *axes);

/* Colours are 0xRRGGBB. Curves take matplotlib's tab10 cycle. Classes 0 to 15 each have a
 * colour of their own: first tab10's red, blue, orange and cyan, a subset that stays apart
 * for the colour-blind (protanopia, deuteranopia, tritanopia: checked in simulation, see
 * draw.c), then the rest of tab10 and six more (draw.c); class k > 15 repeats k % 16. */
unsigned plot_cycle_colour(int i);
unsigned plot_class_colour(int k);

typedef struct {
    unsigned colour;
    bool dashed;       /* e.g. a test curve beside its solid training curve */
    const char *label; /* legend entry; NULL or "" for none */
    double x_step;     /* plot_line's v[i] is at x = (i + 1) x_step; 0 means 1 (epochs) */
    bool thin;         /* one of many runs under their summary: a thin, faint line */
} PlotStyle;

/* A curve of n values v[i] at x = i + 1 (epochs; see x_step), reduced by plot_envelope
 * when long; NaN and inf break it, an isolated value shows as a dot. */
void plot_line(PlotFigure *fig, const double *v, long n, PlotStyle style);
/* A shaded band between lo[i] and hi[i] (n each, at x = (i + 1) x_step; x_step 0 means 1),
 * such as mean -+ sd, in a light tint of colour; reduced like plot_line. Draw it before its
 * line, which goes on top. */
void plot_band(PlotFigure *fig, const double *lo, const double *hi, long n, unsigned colour,
               double x_step);

typedef enum {
    PLOT_FIELD_PROBABILITY, /* k = 1, p of class 1: red (0) - white (0.5) - blue (1) */
    PLOT_FIELD_CLASSES,     /* k = K >= 2 class probabilities: white tinted towards each
                               class's colour by how far its probability beats 1/K */
    PLOT_FIELD_RGB,         /* k = 3: red, green, blue in [0,1] */
} PlotFieldKind;

typedef struct {
    const double *v;       /* (ny, nx, k): v[(j * nx + i) * k + c] at (x0 + i dx, y0 + j dy) */
    int nx, ny, k;         /* nx, ny >= 2 */
    double x0, x1, y0, y1; /* the first and last cell centres; cells are dx by dy */
    PlotFieldKind kind;
} PlotField;

/* Fills the field's cells with its colours (needs PlotLayout.fields); NaN cells stay blank. */
void plot_field(PlotFigure *fig, const PlotField *field);
/* A dark line where a probability field crosses level (0.5: the decision boundary), or
 * where a class field's most probable class changes (level unused). */
void plot_contour(PlotFigure *fig, const PlotField *field, double level);

typedef struct {
    const double *xy; /* (n, 2): point i at (xy[2i], xy[2i+1]) */
    const int *cls;   /* n classes in [0, k); other classes and non-finite points: not drawn */
    int n, k;
    const char *const *names; /* k class names for the legend, or NULL */
    const char *name;         /* if names is NULL: one legend entry for them all, in ink */
    bool outlined;            /* rings (test points) rather than discs (training points) */
} PlotPoints;

/* A layered graph: columns of nodes, each node with a value, and edges from every node of a
 * column to every node of the next, each with a weight. Column l is drawn at x = l of the
 * panel, its nodes one above the other (node 0 on top), evenly spaced and centred on
 * y = 0.5 between y = 0 and 1; its label goes under the panel (a '\n' starts a second line).
 * An edge is a line whose width grows with |weight| (the widest at the largest |weight| of
 * the graph) and whose colour gives the sign: plot_class_colour(1), blue, for > 0 and
 * plot_class_colour(0), red, for < 0; fainter when thinner, and drawn thinnest first. A node
 * is a circle filled from white towards the same blue (> 0) or red (< 0) by |value| against
 * the largest |value| of the graph, or white when its column has no values. Readable up to
 * a few dozen nodes a column: a caller with more should draw a summary. */
typedef struct {
    int n_columns;             /* >= 1 */
    const int *sizes;          /* n_columns: nodes in each column, >= 1 */
    const double *const *node; /* n_columns: column l's sizes[l] values, or NULL for none */
    const double *const *edge; /* n_columns - 1: edge[l] is (sizes[l+1], sizes[l]): its
                                  [o * sizes[l] + i] joins node i of l to node o of l + 1 */
    const char *const *labels; /* n_columns labels under the columns, or NULL */
    const char *edge_names[2], *node_names[2]; /* legend entries for < 0 and > 0, or NULL */
} PlotGraph;

#define PLOT_GRAPH_MAX_NODES 256 /* in one column */

/* Draws the graph in the current panel (best with bare axes from x -0.5 to n_columns - 0.5
 * and y 0 to 1, tight). */
void plot_graph(PlotFigure *fig, const PlotGraph *graph);

/* A heatmap: a grid of nx x ny cells, each filled with a colour for its value, from a pale
 * to a dark blue, and its annotation written on it; marked cells (such as settings that
 * never succeeded) are grey whatever their value, NaN cells white. Column i is drawn at
 * x = i, row j at y = j (row 0 at the bottom), with the tick labels under the columns and
 * left of the rows: best in bare, tight axes from -0.5 to nx - 0.5 and ny - 0.5. */
typedef struct {
    const double *v;                           /* (ny, nx): v[j * nx + i] is column i of row j */
    int nx, ny;                                /* 1 to PLOT_HEATMAP_MAX_SIDE each */
    const char *const *xticks, *const *yticks; /* nx and ny labels */
    const char *xlabel, *ylabel;
    const char *const *text; /* nx * ny annotations in v's order (NULL or "" for none), or NULL */
    const bool *marked;      /* nx * ny, or NULL */
    double lo, hi;           /* the values coloured palest and darkest (lo > hi: lower is darker);
                                values beyond are coloured as these */
    bool log;                /* colours by log10 of the value (lo, hi and values > 0) */
} PlotHeatmap;

#define PLOT_HEATMAP_MAX_SIDE 64

void plot_heatmap(PlotFigure *fig, const PlotHeatmap *map);

/* Scatter points in their class colours, class 0 first. */
void plot_points(PlotFigure *fig, const PlotPoints *points);
/* The legend of the panel's labelled lines and named classes, where it covers the least of
 * what is drawn (like matplotlib's loc="best"). Nothing if nothing is labelled. */
void plot_legend(PlotFigure *fig);
/* The same legend beside the panel, to its right, centred, where it covers nothing: for
 * the last panel of a row in the strip of PlotLayout.legend_px the page keeps there, for
 * any panel in the strip of its PlotAxes.legend_px. */
void plot_legend_beside(PlotFigure *fig);

/* ---- the program's figures: 1200x500 px, two panels side by side --------------------------- */

typedef struct {
    const char *label;      /* legend text such as "LR: 0.01"; NULL or "" means no legend entry */
    const double *loss;     /* n values, for epochs 1..n (NULL: not drawn) */
    const double *accuracy; /* n values in [0,1] (NULL: not drawn) */
    long n;
    double x_step; /* value i at x = (i + 1) x_step, e.g. updates an epoch; 0 means 1 */
    const double *test_loss, *test_accuracy; /* n values on held-out points, dashed (or NULL) */
    const double *loss_lo, *loss_hi; /* n values each: a band shaded under the loss curve, such
                                        as mean -+ sd over seeds (or NULL: none) */
    const double *accuracy_lo, *accuracy_hi; /* the same under the accuracy curve */
    int n_runs;                              /* single runs drawn thin under the curve, or 0 */
    const double *const *run_loss, *const *run_accuracy; /* n_runs curves of run_n[r] values */
    const long *run_n;
} PlotCurve;

/* "Learning Curve" (loss vs epoch) and "Accuracy Curve" (accuracy vs epoch), one coloured
 * curve per element of curves (bands shaded first, under every line; then the single runs,
 * thin, in their curve's colour; all at the curve's x_step), a legend in each
 * panel when any curve has a label; note, if not NULL/empty, says above the panels what run it is.
 * A loss that grows a millionfold is drawn on a log scale. Returns 0, or -1 with a one-line message
 * in err. */
int plot_curves(const char *path, const PlotCurve *curves, int n_curves, const char *note,
                char *err, size_t errlen);
/* The same with xlabel for the x axis ("Update") instead of "Epoch". */
int plot_curves_over(const char *path, const PlotCurve *curves, int n_curves, const char *xlabel,
                     const char *note, char *err, size_t errlen);

/* plot_curves' two panels, into panels first and first + 1 of fig. */
void plot_curve_panels(PlotFigure *fig, int first, const PlotCurve *curves, int n_curves,
                       const char *xlabel);

/* "Ground truth" and "Prediction result" scatter panels: points x (n rows of x1,x2,
 * row-major) in the colours of their classes. truth and predicted hold class labels 0.0,
 * 1.0, ... (n each; the nearest whole number counts, so >= 0.5 is 1 of two; NaN is not
 * drawn). names, if not NULL, names the classes (one for every class the labels hold) in a
 * legend of the ground truth's panel, which tells what the colours of both panels mean.
 * Returns 0, or -1 with a message in err. */
int plot_predictions(const char *path, const double *x, const double *truth,
                     const double *predicted, int n, const char *const *names, const char *note,
                     char *err, size_t errlen);

/* A map of what a network learned: a field over the plane with its contour,
 * the training points filled and the test points outlined, under a title. */
typedef struct {
    const char *title; /* the run's label, or NULL */
    PlotField field;
    PlotPoints train, test; /* test.n 0: none */
} PlotMap;

/* "boundary": the maps side by side, up to 4 a row, each panel square; a
 * legend beside the first row, right of the maps, names the classes; note, if
 * not NULL/empty, above them. Returns 0, or -1 with a one-line message in err. */
int plot_maps(const char *path, const PlotMap *maps, int n_maps, const char *note, char *err,
              size_t errlen);

/* One map of plot_maps into panel `index` of fig (whose layout holds fields); if legend,
 * the map keeps a strip of its cell at its right, where the classes' legend goes. */
void plot_map_panel(PlotFigure *fig, int index, const PlotMap *map, bool legend);

/* "network": a layered graph filling one panel under title, with a legend of the names
 * it gives; note, if not NULL/empty, above. 1200 px wide. Returns 0, or -1 with a one-line
 * message in err. */
int plot_layered_graph(const char *path, const PlotGraph *graph, const char *title,
                       const char *note, char *err, size_t errlen);

/* "sweep": heatmaps side by side, each in a square panel under its title (titles[i]);
 * note, if not NULL/empty, above them. Returns 0, or -1 with a one-line message in err. */
int plot_heatmaps(const char *path, const PlotHeatmap *maps, const char *const *titles, int n,
                  const char *note, char *err, size_t errlen);
/* plot_layered_graph's panel, into panel `index` of fig. */
void plot_graph_panel(PlotFigure *fig, int index, const PlotGraph *graph, const char *title);

/* Reduces v (n values) for drawing to a min/max envelope over `columns` equal runs of
 * consecutive values: each run keeps its smallest and largest finite value and, if it has
 * any, its first non-finite value as a NaN (a break in the line), in their original order.
 * xs[k] = i + 1 for the kept v[i] (the epoch, when v[0] is epoch 1), ys[k] its value.
 * With n <= columns every value is kept. xs and ys need room for
 * PLOT_ENVELOPE_MAX(n, columns) values. Returns the number kept. */
#define PLOT_ENVELOPE_MAX(n, columns) ((n) < 3 * (columns) ? (n) : 3 * (columns))
long plot_envelope(const double *v, long n, long columns, double *xs, double *ys);

#endif
