/* target.c - where a figure goes: a PLplot stream opened on a target, and closed.
 *
 * Every target shares stream_begin (a stream of its own, the colours, plinit, the note)
 * and plot_close (plend1, the caller's stream back); what is a target's own is chosen in
 * its plot_open_* and done after plend1 by its finish. A file target:
 *   - takes its driver from the extension: .png pngcairo; .svg svg, or svgcairo when the
 *     layout holds fields (one embedded image where svg writes every cell). The driver is
 *     looked up with plgDevs before plinit, which would otherwise prompt on stdin for a
 *     device; cairo also needs a font on disk, since it silently draws boxes without one;
 *   - has PLplot render into the temporary of an AtomicFile opened by name, and commits
 *     it (atomic_file_commit) only when PLplot wrote a whole, non-empty file.
 * A window (window.c) is one more target: xcairo drawing into a window of our own.
 * plsError makes PLplot put its recoverable errors into the figure rather than on stderr,
 * so they become our error message.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "figure.h"

/* The page and the text, as 0xRRGGBB. */
static const unsigned fixed_colours[COL_FREE] = {
    [COL_BG] = 0xffffff,    /* page */
    [COL_INK] = 0x222222,   /* axes, ticks, text */
    [COL_GRID] = 0xe3e3e3,  /* grid lines */
    [COL_FRAME] = 0xcccccc, /* legend frame */
    [COL_NOTE] = 0x444444,  /* the note line above the panels */
};

#define MIN_PAGE 100   /* px */
#define MAX_PAGE 10000 /* px */
#define MAX_GRID 16    /* panels a row or a column */

/* Fonts that fontconfig's "sans" resolves to on Debian (and where others keep it). */
static const char *const FONT_FILES[] = {
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
};

int plot_fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

void figure_fail(PlotFigure *f, const char *fmt, ...)
{
    if (f->failure[0])
        return; /* the first failure is the one to report */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->failure, sizeof f->failure, fmt, ap);
    va_end(ap);
    f->in_panel = false;
}

bool device_available(const char *name)
{
    const char *menus[128], *names[128];
    const char **pm = menus, **pn = names;
    int n = 128;
    plgDevs(&pm, &pn, &n);
    for (int i = 0; i < n; i++)
        if (names[i] && strcmp(names[i], name) == 0)
            return true;
    return false;
}

bool font_available(void)
{
    for (size_t i = 0; i < sizeof FONT_FILES / sizeof FONT_FILES[0]; i++)
        if (access(FONT_FILES[i], R_OK) == 0)
            return true;
    return false;
}

int layout_check(const PlotLayout *l, const char *name, char *err, size_t errlen)
{
    if (!l)
        return plot_fail(err, errlen, "%s: no layout given", name);
    if (l->width < MIN_PAGE || l->width > MAX_PAGE || l->height < MIN_PAGE || l->height > MAX_PAGE)
        return plot_fail(err, errlen, "%s: a page of %dx%d px (each side must be %d to %d)", name,
                    l->width, l->height, MIN_PAGE, MAX_PAGE);
    if (l->rows < 1 || l->rows > MAX_GRID || l->cols < 1 || l->cols > MAX_GRID)
        return plot_fail(err, errlen, "%s: a grid of %dx%d panels (1 to %d each way)", name, l->rows,
                    l->cols, MAX_GRID);
    return 0;
}

/* Starts the stream of a figure whose target is ready: driver `device` writing to `file`
 * (NULL for none), the page, the colours; then the note. Returns 0, or -1 with a message. */
int stream_begin(PlotFigure *f, const char *device, const char *file, char *err, size_t errlen)
{
    PLINT stream;
    plgstrm(&f->prev_stream);
    plmkstrm(&stream);
    if (stream < 0) {
        plsstrm(f->prev_stream);
        return plot_fail(err, errlen, "%s: PLplot has no free stream", f->name);
    }
    f->stream = stream;
    plsError(&f->pl_code, f->pl_msg);
    plsdev(device);
    if (f->drvopt)
        plsetopt("drvopt", f->drvopt);
    plspause(0); /* an interactive driver would wait for a key at the end of each page */
    if (file)
        plsfnam(file);
    plspage(0, 0, f->layout.width, f->layout.height, 0, 0);
    PLINT r[N_COLOURS], g[N_COLOURS], b[N_COLOURS];
    for (int i = 0; i < N_COLOURS; i++) {
        unsigned rgb = i < COL_FREE ? fixed_colours[i] : 0xffffff;
        r[i] = (rgb >> 16) & 0xff;
        g[i] = (rgb >> 8) & 0xff;
        b[i] = rgb & 0xff;
    }
    plscmap0n(N_COLOURS);
    plscmap0(r, g, b, N_COLOURS);
    f->n_slots = COL_FREE;
    plinit();
    if (f->attach)
        f->attach(f);
    /* PLplot's default character height is (width + height) / 100 px, so text would grow
     * and shrink with the page; it stays 17 px, as on the 1200x500 page, because the
     * layout's margins are in pixels too. */
    double grow = (double)(PLOT_WIDTH + PLOT_HEIGHT) / (f->layout.width + f->layout.height);
    if (grow != 1.0) {
        PLFLT def_mm, char_mm;
        plgchr(&def_mm, &char_mm);
        plschr(def_mm * grow, 1.0);
    }
    plsfont(PL_FCI_SANS, PL_FCI_UPRIGHT, PL_FCI_MEDIUM);
    pladv(0);
    page_note(f);
    return 0;
}

/* A new figure with a copy of the layout (and of its note). NULL if out of memory. */
PlotFigure *figure_new(const PlotLayout *layout)
{
    PlotFigure *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->layout = *layout;
    if (layout->note && layout->note[0]) {
        escape_text(layout->note, f->note, sizeof f->note);
        f->layout.note = f->note;
    } else {
        f->layout.note = NULL;
    }
    return f;
}

/* ---- file target ------------------------------------------------------------------------ */

/* After plend1: checks that PLplot wrote a whole file and commits it, or removes it. */
static int file_finish(PlotFigure *f, int rc, char *err, size_t errlen)
{
    /* PLplot reports little, so look at what it wrote: whole, non-empty, properly ended. */
    struct stat st;
    int fd = f->file.fd;
    if (rc == 0 && fstat(fd, &st) != 0)
        rc = plot_fail(err, errlen, "%s: cannot write: %s", f->name, strerror(errno));
    if (rc == 0 && st.st_size == 0)
        rc = plot_fail(err, errlen, "%s: PLplot wrote nothing", f->name);
    if (rc == 0) {
        static const unsigned char png_end[8] = {'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
        char tail[64] = {0};
        off_t want = st.st_size < 63 ? st.st_size : 63;
        ssize_t got = pread(fd, tail, (size_t)want, st.st_size - want);
        bool whole = got == want && (f->png ? want >= 8 && memcmp(tail + want - 8, png_end, 8) == 0
                                            : strstr(tail, "</svg>") != NULL);
        if (!whole)
            rc = plot_fail(err, errlen, "%s: PLplot wrote an incomplete file", f->name);
    }
    if (rc == 0)
        return atomic_file_commit(&f->file, err, errlen);
    atomic_file_abort(&f->file);
    return rc;
}

PlotFigure *plot_open_file(const char *path, const PlotLayout *layout, char *err, size_t errlen)
{
    if (!path || !*path) {
        plot_fail(err, errlen, "plot: no output file name");
        return NULL;
    }
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        dot = "";
    bool png = strcasecmp(dot, ".png") == 0;
    if (!png && strcasecmp(dot, ".svg") != 0) {
        plot_fail(err, errlen, "%s: unknown figure format '%s' (use .png or .svg)", path, dot);
        return NULL;
    }
    if (layout_check(layout, path, err, errlen) != 0)
        return NULL;
    const char *device = png ? "pngcairo" : layout->fields ? "svgcairo" : "svg";
    bool cairo = png || layout->fields;
    if (!device_available(device)) {
        plot_fail(err, errlen, "%s: PLplot has no '%s' driver (install the Debian package %s)", path,
             device, cairo ? "plplot-driver-cairo" : "libplplot17");
        return NULL;
    }
    if (cairo && !font_available()) {
        plot_fail(err, errlen,
             "%s: no DejaVu Sans font for the figure's text (install the Debian package "
             "fonts-dejavu-core)",
             path);
        return NULL;
    }

    PlotFigure *f = figure_new(layout);
    if (!f) {
        plot_fail(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    f->finish = file_finish;
    f->png = png;
    if (atomic_file_open_name(&f->file, path, err, errlen) != 0) {
        free(f);
        return NULL;
    }
    f->name = f->file.path;
    if (stream_begin(f, device, f->file.tmp, err, errlen) != 0) {
        atomic_file_abort(&f->file);
        free(f);
        return NULL;
    }
    return f;
}

/* ---- every target ----------------------------------------------------------------------- */

/* Ends the stream and the target; rc < 0 discards the figure. Frees f. */
static int figure_end(PlotFigure *f, int rc, char *err, size_t errlen)
{
    plend1();
    plsstrm(f->prev_stream);
    if (rc == 0 && f->pl_code != 0)
        rc = plot_fail(err, errlen, "%s: PLplot: %s", f->name, f->pl_msg);
    if (rc == 0 && f->failure[0])
        rc = plot_fail(err, errlen, "%s: %s", f->name, f->failure);
    rc = f->finish(f, rc, err, errlen);
    panel_forget(f);
    free(f->drawn);
    free(f->entries);
    free(f);
    return rc;
}

int plot_close(PlotFigure *fig, char *err, size_t errlen)
{
    if (!fig)
        return plot_fail(err, errlen, "plot: no figure to close");
    return figure_end(fig, 0, err, errlen);
}

void plot_discard(PlotFigure *fig)
{
    if (fig)
        figure_end(fig, -1, NULL, 0);
}
