/* window.c - a figure in a window on the X display, redrawn frame by frame.
 *
 * The window is our own, and PLplot's xcairo driver draws into it (its "external_drawable"
 * mode, handed the window by PLESC_DEVINIT right after plinit): xcairo's own window reads
 * no events but while it waits for a key, so a window of our own is what lets us read keys
 * and learn that its user closed it while the program goes on. xcairo renders each frame
 * off-screen and copies it into the window at plflush, so a frame never shows half-drawn.
 *
 * A frame: plot_frame_begin clears the page and draws the note, the panels are drawn with
 * the primitives as on a file, plot_frame_show puts it on the screen. Between frames,
 * plot_window_event waits for a key or the window's closing.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include "figure.h"

struct PlotWindow {
    Display *display;
    Window window;
    Atom wm_protocols, wm_delete;
    int (*old_handler)(Display *, XErrorEvent *);
    XIOErrorHandler old_io_handler;
    int lost; /* the connection to the display is gone (see connection_lost) */
};

/* What xcairo's PLESC_DEVINIT takes (its driver defines it; no header of PLplot does). */
typedef struct {
    Display *display;
    Drawable drawable;
} XcairoDrawable;


/* Once the window is gone (destroyed by someone else), drawing into it raises X errors,
 * whose default handler ends the program: they are ignored instead, the closing having
 * been seen as an event. */
static int ignore_x_error(Display *display, XErrorEvent *event)
{
    (void)display, (void)event;
    return 0;
}

/* A lost connection to the display (the window's client killed, as xkill does, or the X
 * server gone) is an I/O error, whose default handlers end the program at once, before a
 * run is saved. Xlib lets both handlers return instead (libX11 1.7 and later: the first
 * is the process's, the second the display's): every call on the display then fails
 * without waiting, the window reports itself closed, and the run stops and is saved as
 * when its user closes the window. */
static int ignore_io_error(Display *display)
{
    (void)display;
    return 0;
}

static void connection_lost(Display *display, void *window)
{
    (void)display;
    ((PlotWindow *)window)->lost = 1;
}

static void window_free(PlotWindow *w)
{
    if (!w)
        return;
    if (w->display) {
        XDestroyWindow(w->display, w->window);
        XCloseDisplay(w->display);
        XSetErrorHandler(w->old_handler);
        XSetIOErrorHandler(w->old_io_handler);
    }
    free(w);
}

static void window_attach(PlotFigure *f)
{
    XcairoDrawable drawable = {f->window->display, f->window->window};
    pl_cmd(PLESC_DEVINIT, &drawable);
}

static int window_finish(PlotFigure *f, int rc, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    window_free(f->window);
    f->window = NULL;
    return rc;
}

/* A window of the layout's size, not resizable (the drawing has the layout's size). */
static PlotWindow *window_new(const char *title, const PlotLayout *layout, char *err, size_t errlen)
{
    const char *name = getenv("DISPLAY");
    if (!name || !*name) {
        plot_fail(err, errlen, "no display to open a window on: DISPLAY is not set");
        return NULL;
    }
    PlotWindow *w = calloc(1, sizeof *w);
    if (!w) {
        plot_fail(err, errlen, "out of memory for a window");
        return NULL;
    }
    if (!(w->display = XOpenDisplay(NULL))) {
        plot_fail(err, errlen, "cannot open the X display \"%.100s\" (DISPLAY)", name);
        free(w);
        return NULL;
    }
    Display *d = w->display;
    w->old_handler = XSetErrorHandler(ignore_x_error);
    w->old_io_handler = XSetIOErrorHandler(ignore_io_error);
    XSetIOErrorExitHandler(d, connection_lost, w);
    int screen = DefaultScreen(d);
    w->window = XCreateSimpleWindow(d, RootWindow(d, screen), 0, 0, (unsigned)layout->width,
                                    (unsigned)layout->height, 0, BlackPixel(d, screen),
                                    WhitePixel(d, screen));
    XStoreName(d, w->window, title);
    XSizeHints *hints = XAllocSizeHints();
    if (hints) {
        hints->flags = PMinSize | PMaxSize;
        hints->min_width = hints->max_width = layout->width;
        hints->min_height = hints->max_height = layout->height;
        XSetWMNormalHints(d, w->window, hints);
        XFree(hints);
    }
    XSelectInput(d, w->window, KeyPressMask | ExposureMask | StructureNotifyMask);
    w->wm_protocols = XInternAtom(d, "WM_PROTOCOLS", False);
    w->wm_delete = XInternAtom(d, "WM_DELETE_WINDOW", False);
    XSetWMProtocols(d, w->window, &w->wm_delete, 1);
    XMapWindow(d, w->window);
    XSync(d, False);
    return w;
}

PlotFigure *plot_open_window(const char *title, const PlotLayout *layout, char *err, size_t errlen)
{
    if (layout_check(layout, "window", err, errlen) != 0)
        return NULL;
    if (!device_available("xcairo")) {
        plot_fail(err, errlen,
             "PLplot has no 'xcairo' driver for a window (install the Debian package "
             "plplot-driver-cairo)");
        return NULL;
    }
    if (!font_available()) {
        plot_fail(err, errlen,
             "no DejaVu Sans font for the window's text (install the Debian package "
             "fonts-dejavu-core)");
        return NULL;
    }
    PlotWindow *w = window_new(title ? title : "nnlab", layout, err, errlen);
    if (!w)
        return NULL;
    PlotFigure *f = figure_new(layout);
    if (!f) {
        window_free(w);
        plot_fail(err, errlen, "out of memory for a window");
        return NULL;
    }
    f->window = w;
    f->finish = window_finish;
    f->drvopt = "external_drawable";
    f->attach = window_attach;
    f->name = "window";
    if (stream_begin(f, "xcairo", NULL, err, errlen) != 0) {
        window_free(w);
        free(f);
        return NULL;
    }
    return f;
}

void plot_frame_begin(PlotFigure *fig, const char *note)
{
    if (!fig)
        return;
    if (!fig->window) {
        figure_fail(fig, "plot_frame_begin: not a window");
        return;
    }
    plsstrm(fig->stream);
    panel_forget(fig);
    fig->in_panel = false;
    if (note && note[0]) {
        escape_text(note, fig->note, sizeof fig->note);
        fig->layout.note = fig->note;
    } else {
        fig->layout.note = NULL;
    }
    plclear();
    page_note(fig);
}

int plot_frame_show(PlotFigure *fig, char *err, size_t errlen)
{
    if (!fig || !fig->window)
        return plot_fail(err, errlen, "plot_frame_show: not a window");
    plsstrm(fig->stream);
    if (!fig->window->lost) /* else nowhere to show it */
        plflush();
    int rc = 0;
    if (fig->pl_code != 0)
        rc = plot_fail(err, errlen, "window: PLplot: %s", fig->pl_msg);
    else if (fig->failure[0])
        rc = plot_fail(err, errlen, "window: %s", fig->failure);
    /* the next frame starts afresh */
    fig->pl_code = 0;
    fig->failure[0] = '\0';
    return rc;
}

PlotEvent plot_window_event(PlotFigure *fig, double seconds)
{
    PlotEvent none = {.kind = PLOT_EVENT_NONE};
    if (!fig || !fig->window)
        return none;
    PlotWindow *w = fig->window;
    Display *d = w->display;
    for (;;) {
        while (!w->lost && XPending(d)) {
            XEvent e;
            XNextEvent(d, &e);
            if (e.type == KeyPress) {
                PlotEvent key = {.kind = PLOT_EVENT_KEY};
                KeySym sym;
                int n = XLookupString(&e.xkey, key.key, sizeof key.key - 1, &sym, NULL);
                if (n > 0) {
                    key.key[n] = '\0';
                    return key;
                }
            } else if ((e.type == ClientMessage && e.xclient.message_type == w->wm_protocols &&
                        (Atom)e.xclient.data.l[0] == w->wm_delete) ||
                       e.type == DestroyNotify) {
                return (PlotEvent){.kind = PLOT_EVENT_CLOSED};
            } else if (e.type == Expose && e.xexpose.count == 0) {
                plsstrm(fig->stream);
                plflush(); /* the last frame again, from xcairo's off-screen copy */
            }
        }
        if (w->lost)
            return (PlotEvent){.kind = PLOT_EVENT_CLOSED};
        if (seconds <= 0)
            return none;
        struct pollfd p = {.fd = ConnectionNumber(d), .events = POLLIN};
        if (poll(&p, 1, (int)(seconds * 1000.0 + 0.5)) <= 0)
            return none;
        seconds = 0; /* what came is read; the caller asks again for the rest of its wait */
    }
}
