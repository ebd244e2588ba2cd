/* figure.h - what the files of the plotting module share; private to src/plot.
 *
 *   target.c    where a figure goes: a PLplot stream on a file, opened and committed
 *   window.c    or a window on the X display, redrawn frame by frame, and its keys
 *   layout.c    the page: the note line, where each panel sits, axes, ticks, frames
 *   draw.c      the primitives: lines, bands, fields, contours, points, graphs, legends
 *   envelope.c  the reduction of long series to what a pixel column shows
 *   contour.c   the lines where a grid of values crosses a level
 *               (these two are plain arithmetic, no PLplot: geometry.h)
 *   heatmap.c   the heatmap primitive: a grid of coloured, annotated cells
 *   figures.c   plot_curves, plot_predictions, plot_maps and plot_layered_graph,
 *               written on plot.h alone
 *
 * A PlotFigure is one PLplot stream on one target, the layout it was opened with, the
 * panel being drawn and what that panel holds (what the legend names and must not hide).
 */
#ifndef NNLAB_PLOT_FIGURE_H
#define NNLAB_PLOT_FIGURE_H

#include <stdbool.h>
#include <stddef.h>

#include <plplot.h>

#include "atomic_file.h"
#include "plot.h"

/* cmap0, set before plinit: index 0 is the page background, 1 the axes and text; the
 * primitives' colours take the slots from COL_FREE on as they first need them. */
enum { COL_BG, COL_INK, COL_GRID, COL_FRAME, COL_NOTE, COL_FREE, N_COLOURS = 64 };

#define MAX_TEXT 256 /* bytes of a label we draw; longer text is cut */
/* bytes of a note (escaped): a run's description of many settings runs past 300, and
 * page_note fits it, on two lines if need be */
#define MAX_NOTE 1024

/* How the tick numbers of one axis are written: "%.*f" with fixed decimals, or "%.*g"
 * when the numbers are too large or too small to read that way. */
typedef struct {
    double step;
    bool general;
    int digits;  /* decimals for %f, significant digits for %g */
    bool powers; /* the axis is log10 of the data: a tick at t reads 10^t, as %g */
} TickFormat;

typedef struct {
    double vx0, vx1, vy0, vy1; /* viewport, normalized page coordinates */
    double wx0, wx1, wy0, wy1; /* world window (log10 of y when log_y) */
    TickFormat x, y;           /* x.step, y.step: major tick spacing */
    int y_chars;               /* widest y tick number, in characters */
    bool log_y;
} Panel;

/* Points as drawn in world coordinates: m of them, NaN ys breaking the line. A point alone
 * between NaNs is a dot; if marker_cost > 0 it is a scatter marker of marker_radius px,
 * which the legend avoids more than a line: hiding it costs marker_cost px of line. */
typedef struct {
    double *xs, *ys;
    long m;
    double marker_cost, marker_radius;
} Series;

typedef enum { ENTRY_LINE, ENTRY_DASHED, ENTRY_DISC, ENTRY_RING } EntryKind;

typedef struct {
    EntryKind kind;
    PLINT colour;        /* cmap0 index */
    int length;          /* of the label as given, in bytes (for the legend's width) */
    char text[MAX_TEXT]; /* the label as PLplot should draw it (escape_text) */
} LegendEntry;

typedef struct PlotWindow PlotWindow; /* window.c's */

struct PlotFigure {
    /* the target: filled by plot_open_*, ended by finish after plend1 */
    int (*finish)(PlotFigure *f, int rc, char *err, size_t errlen); /* rc < 0: discard */
    AtomicFile file;                                                /* a file target */
    bool png;                                                       /* its format */
    PlotWindow *window;                                             /* a window target */
    const char *drvopt;            /* the driver's options (plsetopt "drvopt"), or NULL */
    void (*attach)(PlotFigure *f); /* called right after plinit, before anything is drawn */
    const char *name;              /* what messages call the figure: the file's path */
    PLINT stream, prev_stream;
    PLINT pl_code;     /* set by PLplot (plsError) when an operation aborts */
    char pl_msg[1024]; /* PLplot needs >= 160 bytes */
    char failure[256]; /* the first failure of a primitive; "" if none */

    PlotLayout layout; /* layout.note is note below, or NULL */
    char note[MAX_NOTE];

    unsigned slot_rgb[N_COLOURS]; /* cmap0 slots COL_FREE..n_slots-1: colour and opacity */
    double slot_alpha[N_COLOURS];
    int n_slots;

    bool in_panel; /* a panel is chosen, and not failed */
    Panel panel;
    Series *drawn; /* lines, contours and points of the panel, for the legend's place */
    int n_drawn, cap_drawn;
    LegendEntry *entries;
    int n_entries, cap_entries;
    int legend_columns; /* entries side by side in the legend (0 or 1: one column) */
};

/* target.c: a new figure with a copy of the layout (NULL if out of memory); its stream
 * started on driver `device` writing to `file` (NULL for none): 0, or -1 with a message. */
PlotFigure *figure_new(const PlotLayout *layout);
int stream_begin(PlotFigure *f, const char *device, const char *file, char *err, size_t errlen);
/* target.c: whether PLplot has the driver `name`; whether the cairo drivers have a font;
 * whether layout is one to draw (0, or -1 with a message naming `name`). */
bool device_available(const char *name);
bool font_available(void);
int layout_check(const PlotLayout *l, const char *name, char *err, size_t errlen);
/* target.c: records the first failure of a primitive (printf-style, no path). */
void figure_fail(PlotFigure *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes a one-line message into err (if there is one) and returns -1. */
int plot_fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* layout.c: draws the layout's note line above the panels (at the start of a page). */
void page_note(const PlotFigure *f);
/* layout.c: text as PLplot should draw it: '#' (its escape character) doubled, control
 * characters made spaces, cut to fit out without splitting a UTF-8 sequence. */
void escape_text(const char *in, char *out, size_t outlen);

/* draw.c: the cmap0 index of colour rgb (0xRRGGBB) at opacity alpha, set up on first use;
 * once the slots run out, the last is set again (fine for what is drawn at once). */
PLINT figure_colour(PlotFigure *f, unsigned rgb, double alpha);
/* draw.c: forgets what the current panel holds (lines, points, legend entries). */
void panel_forget(PlotFigure *f);

#endif
