/* plot.c - the figures of nnlab, drawn with PLplot: learning/accuracy curves
 * and ground-truth/prediction scatter panels.
 *
 * The only file that includes plplot.h. It draws arrays and knows nothing of
 * networks or training. Layout of every figure: a 1200x500 page, an optional
 * note line at the top, two panels side by side, each with a title, grid,
 * axis labels and plain tick numbers (no "x10^5" factor). Curves are drawn from
 * their plot_envelope (envelope.c), about one min/max pair per pixel column; a
 * legend goes where it covers the least of them, like matplotlib's loc="best".
 *
 * Writing a figure (figure_begin / figure_end):
 *   - the driver comes from the extension (.png pngcairo, .svg svg) and is
 *     looked up with plgDevs before plinit, which would otherwise prompt on
 *     stdin for a device; PNG also needs a font on disk, since cairo silently
 *     draws boxes without one;
 *   - PLplot renders into path.tmp.XXXXXX (atomic_file_open_name, same
 *     directory) in a stream of its own; only a complete, non-empty file is
 *     committed (atomic_file_commit). SIGINT/SIGTERM wait until then, so no
 *     temporary is left behind.
 *   - plsError makes PLplot put its recoverable errors into the figure rather
 *     than on stderr, so they become our error message.
 */
#include "plot.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <plplot.h>

#include "atomic_file.h"

/* ---- look ------------------------------------------------------------------------------- */

/* cmap0: set before plinit. Index 0 is the page background, 1 the axes and text. */
enum { COL_BG, COL_INK, COL_GRID, COL_FRAME, COL_NOTE, COL_CLASS0, COL_CLASS1, COL_CYCLE };
#define N_CYCLE 10
#define N_COLOURS (COL_CYCLE + N_CYCLE)

static const PLINT fixed_colours[COL_CYCLE] = {
    [COL_BG] = 0xffffff,     /* page */
    [COL_INK] = 0x222222,    /* axes, ticks, text */
    [COL_GRID] = 0xe3e3e3,   /* grid lines */
    [COL_FRAME] = 0xcccccc,  /* legend frame */
    [COL_NOTE] = 0x444444,   /* the note line above the panels */
    [COL_CLASS0] = 0xd62728, /* tab:red */
    [COL_CLASS1] = 0x1f77b4, /* tab:blue */
};
/* matplotlib's tab10 colour cycle, for curves (cmap0 from COL_CYCLE on) */
static const PLINT cycle_colours[N_CYCLE] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                             0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};

/* Character sizes, as plschr scales of PLplot's default height (6 mm = 17 px here;
 * the font's em is about 1.3 times that). */
#define TEXT_SCALE 0.66        /* tick numbers and axis labels: a 14.5 px font */
#define TITLE_SCALE 0.76       /* panel titles and the note line */
#define LEGEND_TEXT_SCALE 0.66 /* legend labels */
#define LINE_WIDTH 2.0         /* curves */
#define DOT_RADIUS_PX 2.5      /* an isolated finite point of a curve (no line to draw) */
#define MARKER_RADIUS_PX 5.5   /* scatter markers */
#define CIRCLE_SIDES 16        /* polygon of a marker: at 5.5 px radius it looks round */
#define PI 3.14159265358979323846
#define LOG_SCALE_RATIO 1e6 /* growth of a loss beyond which its axis is logarithmic */
#define MARGIN 0.05         /* of the data range on each side, as matplotlib does */
#define MAX_TEXT 256        /* bytes of a label or note we draw; longer text is cut */

/* Panels in normalized page coordinates: the left one in [0, 0.5], the right one in
 * [0.5, 1]. Their left edges move right when long tick numbers need the room. */
static const double PANEL_RIGHT[2] = {0.47, 0.965};
#define PANEL_LEFT_MIN 0.075 /* from the start of the panel's half of the page */
#define PANEL_Y0 0.13
#define PANEL_Y1_NOTE 0.84 /* top of the panels when a note line sits above them */
#define PANEL_Y1 0.88

/* Fonts that fontconfig's "sans" resolves to on Debian (and where others keep it). */
static const char *const FONT_FILES[] = {
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
};

/* ---- errors ----------------------------------------------------------------------------- */

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

/* ---- figure: file, stream, driver ------------------------------------------------------- */

typedef struct {
    const char *path;
    AtomicFile file; /* PLplot writes file.tmp by name; file.fd stays open for the checks */
    bool png;
    PLINT prev_stream;
    PLINT pl_code;     /* set by PLplot (plsError) when an operation aborts */
    char pl_msg[1024]; /* PLplot needs >= 160 bytes */
} Figure;

static bool device_available(const char *name)
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

static bool font_available(void)
{
    for (size_t i = 0; i < sizeof FONT_FILES / sizeof FONT_FILES[0]; i++)
        if (access(FONT_FILES[i], R_OK) == 0)
            return true;
    return false;
}

/* Checks driver and font, makes the temporary file and starts a PLplot stream on it. */
static int figure_begin(Figure *f, const char *path, char *err, size_t errlen)
{
    f->path = path;
    f->pl_code = 0;
    f->pl_msg[0] = '\0';
    if (!path || !*path)
        return fail(err, errlen, "plot: no output file name");
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        dot = "";
    const char *device;
    if (strcasecmp(dot, ".png") == 0) {
        f->png = true;
        device = "pngcairo";
    } else if (strcasecmp(dot, ".svg") == 0) {
        f->png = false;
        device = "svg";
    } else {
        return fail(err, errlen, "%s: unknown figure format '%s' (use .png or .svg)", path, dot);
    }
    if (!device_available(device))
        return fail(err, errlen, "%s: PLplot has no '%s' driver (install the Debian package %s)",
                    path, device, f->png ? "plplot-driver-cairo" : "libplplot17");
    if (f->png && !font_available())
        return fail(err, errlen,
                    "%s: no DejaVu Sans font for PNG text (install the Debian package "
                    "fonts-dejavu-core)",
                    path);

    if (atomic_file_open_name(&f->file, path, err, errlen) != 0)
        return -1;

    PLINT stream;
    plgstrm(&f->prev_stream);
    plmkstrm(&stream);
    if (stream < 0) {
        plsstrm(f->prev_stream);
        atomic_file_abort(&f->file);
        return fail(err, errlen, "%s: PLplot has no free stream", path);
    }
    plsError(&f->pl_code, f->pl_msg);
    plsdev(device);
    plsfnam(f->file.tmp);
    plspage(0, 0, PLOT_WIDTH, PLOT_HEIGHT, 0, 0);
    PLINT r[N_COLOURS], g[N_COLOURS], b[N_COLOURS];
    for (int i = 0; i < N_COLOURS; i++) {
        PLINT rgb = i < COL_CYCLE ? fixed_colours[i] : cycle_colours[i - COL_CYCLE];
        r[i] = (rgb >> 16) & 0xff;
        g[i] = (rgb >> 8) & 0xff;
        b[i] = rgb & 0xff;
    }
    plscmap0n(N_COLOURS);
    plscmap0(r, g, b, N_COLOURS);
    plinit();
    plsfont(PL_FCI_SANS, PL_FCI_UPRIGHT, PL_FCI_MEDIUM);
    pladv(0);
    return 0;
}

/* Ends the stream and moves the file into place if it is complete; else removes it. */
static int figure_end(Figure *f, char *err, size_t errlen)
{
    plend1();
    plsstrm(f->prev_stream);
    int rc = 0;
    if (f->pl_code != 0)
        rc = fail(err, errlen, "%s: PLplot: %s", f->path, f->pl_msg);

    /* PLplot reports little, so look at what it wrote: whole, non-empty, properly ended. */
    struct stat st;
    int fd = f->file.fd;
    if (rc == 0 && fstat(fd, &st) != 0)
        rc = fail(err, errlen, "%s: cannot write: %s", f->path, strerror(errno));
    if (rc == 0 && st.st_size == 0)
        rc = fail(err, errlen, "%s: PLplot wrote nothing", f->path);
    if (rc == 0) {
        static const unsigned char png_end[8] = {'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
        char tail[64] = {0};
        off_t want = st.st_size < 63 ? st.st_size : 63;
        ssize_t got = pread(fd, tail, (size_t)want, st.st_size - want);
        bool whole = got == want && (f->png ? want >= 8 && memcmp(tail + want - 8, png_end, 8) == 0
                                            : strstr(tail, "</svg>") != NULL);
        if (!whole)
            rc = fail(err, errlen, "%s: PLplot wrote an incomplete file", f->path);
    }
    /* the one commit of the project: fsync, close, rename, signals (atomic_file.c) */
    if (rc == 0)
        return atomic_file_commit(&f->file, err, errlen);
    atomic_file_abort(&f->file);
    return rc;
}

/* ---- axes ------------------------------------------------------------------------------- */

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
    double wx0, wx1, wy0, wy1; /* world window */
    TickFormat x, y;           /* x.step, y.step: major tick spacing */
    int y_chars;               /* widest y tick number, in characters */
} Panel;

/* A 1-2-5 step giving about `target` intervals over [lo, hi]. */
static double nice_step(double lo, double hi, int target)
{
    double raw = (hi - lo) / target;
    if (!(raw > 0) || !isfinite(raw))
        return 1.0;
    double mag = pow(10.0, floor(log10(raw)));
    double norm = raw / mag;
    double m = norm < 1.5 ? 1 : norm < 3.0 ? 2 : norm < 7.0 ? 5 : 10;
    return m * mag;
}

/* Plain numbers (0.25, 100000) unless they would be long: then 2.5e-05, 3e+12. */
static TickFormat tick_format(double lo, double hi, double step, double plain_below)
{
    TickFormat f = {.step = step};
    double big = fmax(fabs(lo), fabs(hi));
    int step_exp = (int)floor(log10(step) + 1e-9);
    f.general = big >= plain_below || step < 1e-4;
    if (f.general) {
        int big_exp = big > 0 ? (int)floor(log10(big)) : step_exp;
        f.digits = big_exp - step_exp + 1;
        f.digits = f.digits < 2 ? 2 : f.digits > 15 ? 15 : f.digits;
    } else {
        f.digits = step_exp < 0 ? -step_exp : 0;
    }
    return f;
}

static void tick_text(const TickFormat *f, double value, char *out, size_t outlen)
{
    if (f->powers) {
        snprintf(out, outlen, "%g", pow(10.0, round(value)));
        return;
    }
    if (fabs(value) < f->step * 1e-6)
        value = 0.0; /* no "-0.00" from rounding */
    snprintf(out, outlen, f->general ? "%.*g" : "%.*f", f->digits, value);
}

static void tick_label(PLINT axis, PLFLT value, char *label, PLINT length, PLPointer data)
{
    const Panel *p = data;
    tick_text(axis == PL_Y_AXIS ? &p->y : &p->x, value, label, (size_t)length);
}

/* Widest tick number of [lo, hi], in characters. */
static int widest_tick(const TickFormat *f, double lo, double hi)
{
    int widest = 1;
    char buf[64];
    for (double t = ceil(lo / f->step) * f->step; t <= hi + f->step * 1e-9; t += f->step) {
        tick_text(f, t, buf, sizeof buf);
        int len = (int)strlen(buf);
        widest = len > widest ? len : widest;
    }
    return widest;
}

/* Widens [*lo, *hi] by MARGIN on each side; a degenerate range first becomes 1 wide. */
static void pad_range(double *lo, double *hi)
{
    if (!isfinite(*lo) || !isfinite(*hi) || !isfinite(*hi - *lo)) {
        *lo = 0.0;
        *hi = 1.0;
    }
    if (!(*hi > *lo)) {
        *lo -= 0.5;
        *hi += 0.5;
    }
    double pad = (*hi - *lo) * MARGIN;
    *lo -= pad;
    *hi += pad;
}

#define DIGIT_WIDTH 0.82 /* a digit's advance in character heights (DejaVu Sans, cairo) */
#define YLABEL_GAP 1.8   /* character heights from the axis to the y tick numbers' far end */

/* Panel `side` (0 left, 1 right) of a figure whose panels end at `top`, showing the data
 * range [x0,x1]x[y0,y1]. integer_x: x counts epochs, so ticks fall on whole numbers.
 * log_y: y0, y1 and the data drawn are log10 of the values, ticked at whole powers of 10.
 * Needs the stream (for the character size): call after figure_begin. */
static Panel panel_make(int side, double top, bool integer_x, double x0, double x1, double y0,
                        double y1, bool log_y)
{
    Panel p = {.vx1 = PANEL_RIGHT[side], .vy0 = PANEL_Y0, .vy1 = top};
    pad_range(&x0, &x1);
    pad_range(&y0, &y1);
    p.wx0 = x0;
    p.wx1 = x1;
    p.wy0 = y0;
    p.wy1 = y1;
    double xstep = nice_step(x0, x1, 5);
    if (integer_x && xstep < 1.0)
        xstep = 1.0;
    p.x = tick_format(x0, x1, xstep, integer_x ? 1e9 : 1e6);
    p.y = tick_format(y0, y1, nice_step(y0, y1, 6), 1e6);
    if (log_y)
        p.y = (TickFormat){.step = fmax(1.0, nice_step(y0, y1, 6)), .powers = true};
    p.y_chars = widest_tick(&p.y, y0, y1) + (log_y ? 2 : 0); /* "e+" are wider than digits */

    /* room on the left for the tick numbers and the y label beside them */
    PLFLT def_mm, char_mm, px0, px1, py0, py1;
    plschr(0, TEXT_SCALE);
    plgchr(&def_mm, &char_mm);
    plgspa(&px0, &px1, &py0, &py1);
    double char_px = char_mm * PLOT_HEIGHT / (py1 - py0);
    double need = ((YLABEL_GAP + DIGIT_WIDTH * p.y_chars + 1.2) * char_px + 6.0) / PLOT_WIDTH;
    p.vx0 = 0.5 * side + fmax(PANEL_LEFT_MIN, need);
    return p;
}

/* Text as PLplot should draw it: '#' (PLplot's escape character) doubled, control
 * characters made spaces, cut to fit out without splitting a UTF-8 sequence. */
static void escape_text(const char *in, char *out, size_t outlen)
{
    size_t k = 0;
    for (; in && *in && k + 2 < outlen; in++) {
        unsigned char ch = (unsigned char)*in;
        if (ch == '#')
            out[k++] = '#';
        out[k++] = ch < 0x20 || ch == 0x7f ? ' ' : *in;
    }
    if (in && *in) {
        /* cut short: drop a last multi-byte character that did not fit whole */
        size_t lead = k;
        while (lead > 0 && ((unsigned char)out[lead - 1] & 0xc0) == 0x80)
            lead--;
        if (lead > 0 && (unsigned char)out[lead - 1] >= 0xc0) {
            unsigned char c = (unsigned char)out[lead - 1];
            size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
            if (k - (lead - 1) < len)
                k = lead - 1;
        }
    }
    out[k] = '\0';
}

/* Grid, frame, ticks, plain numbers, title and axis labels of one panel. */
static void panel_frame(const Panel *p, const char *title, const char *xlabel, const char *ylabel)
{
    plvpor(p->vx0, p->vx1, p->vy0, p->vy1);
    plwind(p->wx0, p->wx1, p->wy0, p->wy1);
    plwidth(1.0);
    plschr(0, TEXT_SCALE);
    plcol0(COL_GRID);
    plbox("g", p->x.step, 0, "g", p->y.step, 0);

    plcol0(COL_INK);
    plbox("bc", 0, 0, "bc", 0, 0);
    /* PLplot only reads the panel during this plbox */
    plslabelfunc(tick_label, (PLPointer)p);
    /* ticks outside on the bottom and left only, y numbers upright */
    plbox("bntio", p->x.step, 0, "bntivo", p->y.step, 0);
    plslabelfunc(NULL, NULL);

    plmtex("b", 3.3, 0.5, 0.5, xlabel);
    plmtex("l", YLABEL_GAP + DIGIT_WIDTH * p->y_chars, 0.5, 0.5, ylabel);
    plschr(0, TITLE_SCALE);
    plmtex("t", 0.9, 0.5, 0.5, title);
    plschr(0, TEXT_SCALE);
}

static void draw_note(const char *note)
{
    if (!note || !*note)
        return;
    char text[MAX_TEXT];
    escape_text(note, text, sizeof text);
    plvpor(0.0, 1.0, 0.0, 1.0);
    plwind(0.0, 1.0, 0.0, 1.0);
    plschr(0, TITLE_SCALE);
    plcol0(COL_NOTE);
    plptex(0.5, 0.955, 1.0, 0.0, 0.5, text);
}

/* A filled circle of radius r_px pixels around world point (x, y). */
static void fill_circle(const Panel *p, double x, double y, double r_px)
{
    double rx = r_px * (p->wx1 - p->wx0) / ((p->vx1 - p->vx0) * PLOT_WIDTH);
    double ry = r_px * (p->wy1 - p->wy0) / ((p->vy1 - p->vy0) * PLOT_HEIGHT);
    PLFLT cx[CIRCLE_SIDES], cy[CIRCLE_SIDES];
    for (int k = 0; k < CIRCLE_SIDES; k++) {
        double a = 2.0 * PI * k / CIRCLE_SIDES;
        cx[k] = x + rx * cos(a);
        cy[k] = y + ry * sin(a);
    }
    plfill(CIRCLE_SIDES, cx, cy);
}

/* ---- curves ----------------------------------------------------------------------------- */

/* The reduced points of one curve in one panel. */
typedef struct {
    double *xs, *ys;
    long m;
} Series;

/* Draws the finite runs of a series as lines; a run of one point as a dot. */
static void draw_series(const Panel *p, const Series *s, int colour)
{
    plcol0(colour);
    plwidth(LINE_WIDTH);
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
            fill_circle(p, s->xs[start], s->ys[start], DOT_RADIUS_PX);
        start = end;
    }
    plwidth(1.0);
}

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

/* Pixels of drawn curve inside a box given in fractions of the panel. */
static double curve_overlap(const Panel *p, const Series *series, int n_series, double fx0,
                            double fx1, double fy0, double fy1)
{
    /* everything in pixels from the panel's corner, so that x and y lengths compare */
    double w_px = (p->vx1 - p->vx0) * PLOT_WIDTH, h_px = (p->vy1 - p->vy0) * PLOT_HEIGHT;
    double sx = w_px / (p->wx1 - p->wx0), sy = h_px / (p->wy1 - p->wy0);
    double bx0 = fx0 * w_px, bx1 = fx1 * w_px, by0 = fy0 * h_px, by1 = fy1 * h_px;
    double total = 0.0;
    for (int c = 0; c < n_series; c++) {
        const Series *s = &series[c];
        for (long k = 0; k < s->m; k++) {
            if (!isfinite(s->ys[k]))
                continue;
            bool next = k + 1 < s->m && isfinite(s->ys[k + 1]);
            if (!next && k > 0 && isfinite(s->ys[k - 1]))
                continue; /* the end of a run, already drawn as part of the segment before */
            long e = next ? k + 1 : k;
            total += clipped_length((s->xs[k] - p->wx0) * sx, (s->ys[k] - p->wy0) * sy,
                                    (s->xs[e] - p->wx0) * sx, (s->ys[e] - p->wy0) * sy, bx0, bx1,
                                    by0, by1);
        }
    }
    return total;
}

#define LEGEND_OFFSET 0.025    /* from the panel edge, fractions of the panel */
#define LEGEND_LINE 0.07       /* length of the sample line, fraction of the panel width */
#define LEGEND_SPACING 2.0     /* character heights from entry to entry */
#define LEGEND_TEXT_OFFSET 0.5 /* gap between line and text, in PLplot's character widths */
#define LEGEND_CHAR_WIDTH 0.85 /* average advance of a label character / character height */

typedef struct {
    PLINT position; /* PL_POSITION_* of pllegend */
    double x, y;    /* its offsets */
} LegendPlace;

/* Like matplotlib's loc="best": of the usual places, in matplotlib's order of preference,
 * the first that covers the least drawn curve. The legend's height follows pllegend's own
 * formula; its width is an estimate (PLplot does not export its text measure), which is
 * why a place is given by the edges PLplot aligns to, never by a computed left edge. */
static LegendPlace legend_place(const Panel *p, const Series *series, int n_series, int entries,
                                int widest_label)
{
    PLFLT def_mm, char_mm, px0, px1, py0, py1;
    plgchr(&def_mm, &char_mm);
    plgspa(&px0, &px1, &py0, &py1);
    double page_w = px1 - px0, page_h = py1 - py0; /* mm */
    double vp_w = p->vx1 - p->vx0, vp_h = p->vy1 - p->vy0;
    /* pllegend's character width is the character height as a fraction of the page
     * height, used as a fraction of the page width */
    double char_frac = char_mm / page_h;
    double text_w = LEGEND_CHAR_WIDTH * widest_label * def_mm * LEGEND_TEXT_SCALE / page_w;
    double w = ((0.8 + LEGEND_TEXT_OFFSET) * char_frac + text_w) / vp_w + LEGEND_LINE;
    double h = entries * LEGEND_SPACING * char_frac / vp_h;

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
    /* a margin around the box, so a curve grazing its edge counts too */
    double mx = 4.0 / (vp_w * PLOT_WIDTH), my = 4.0 / (vp_h * PLOT_HEIGHT);
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
        double overlap =
            curve_overlap(p, series, n_series, fx0 - mx, fx0 + w + mx, fy0 - my, fy0 + h + my);
        if (overlap < best_overlap - 0.5) {
            best_overlap = overlap;
            best = places[i];
        }
    }
    return best;
}

/* The legend of one curve panel: one entry per labelled curve. */
static void draw_legend(const Panel *p, const PlotCurve *curves, const Series *series, int n_curves)
{
    int entries = 0, widest = 0;
    for (int c = 0; c < n_curves; c++)
        if (curves[c].label && curves[c].label[0]) {
            entries++;
            int len = (int)strlen(curves[c].label);
            widest = len > widest ? len : widest;
        }
    if (entries == 0)
        return;

    PLINT *opts = malloc((size_t)entries * sizeof *opts);
    PLINT *text_colors = malloc((size_t)entries * sizeof *text_colors);
    PLINT *line_colors = malloc((size_t)entries * sizeof *line_colors);
    PLINT *line_styles = malloc((size_t)entries * sizeof *line_styles);
    PLFLT *line_widths = malloc((size_t)entries * sizeof *line_widths);
    const char **texts = malloc((size_t)entries * sizeof *texts);
    char *text_buf = malloc((size_t)entries * MAX_TEXT);
    if (opts && text_colors && line_colors && line_styles && line_widths && texts && text_buf) {
        int k = 0;
        for (int c = 0; c < n_curves; c++) {
            if (!curves[c].label || !curves[c].label[0])
                continue;
            opts[k] = PL_LEGEND_LINE;
            text_colors[k] = COL_INK;
            line_colors[k] = COL_CYCLE + c % N_CYCLE;
            line_styles[k] = 1;
            line_widths[k] = LINE_WIDTH;
            escape_text(curves[c].label, text_buf + (size_t)k * MAX_TEXT, MAX_TEXT);
            texts[k] = text_buf + (size_t)k * MAX_TEXT;
            k++;
        }
        LegendPlace place = legend_place(p, series, n_curves, entries, widest);
        PLFLT width, height; /* pllegend crashes if these are NULL */
        plwidth(1.0);
        pllegend(&width, &height, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX,
                 place.position | PL_POSITION_INSIDE | PL_POSITION_VIEWPORT, place.x, place.y,
                 LEGEND_LINE, COL_BG, COL_FRAME, 1, 0, 0, entries, opts, LEGEND_TEXT_OFFSET,
                 LEGEND_TEXT_SCALE, LEGEND_SPACING, 0.0, text_colors, texts, NULL, NULL, NULL, NULL,
                 line_colors, line_styles, line_widths, NULL, NULL, NULL, NULL);
    }
    /* out of memory: the figure goes without its legend rather than fail */
    free(opts);
    free(text_colors);
    free(line_colors);
    free(line_styles);
    free(line_widths);
    free(texts);
    free(text_buf);
}

/* Smallest and largest finite value over one field of all curves; false if none. */
static bool curves_range(const PlotCurve *curves, int n_curves, bool accuracy, double *lo,
                         double *hi)
{
    bool any = false;
    for (int c = 0; c < n_curves; c++) {
        const double *v = accuracy ? curves[c].accuracy : curves[c].loss;
        for (long i = 0; v && i < curves[c].n; i++) {
            if (!isfinite(v[i]))
                continue;
            if (!any || v[i] < *lo)
                *lo = v[i];
            if (!any || v[i] > *hi)
                *hi = v[i];
            any = true;
        }
    }
    return any;
}

int plot_curves(const char *path, const PlotCurve *curves, int n_curves, const char *note,
                char *err, size_t errlen)
{
    if (n_curves < 0 || (n_curves > 0 && !curves))
        return fail(err, errlen, "%s: no curves given", path ? path : "plot");
    long longest = 0;
    for (int c = 0; c < n_curves; c++) {
        if (curves[c].n < 0)
            return fail(err, errlen, "%s: curve %d has %ld points", path ? path : "plot", c + 1,
                        curves[c].n);
        longest = curves[c].n > longest ? curves[c].n : longest;
    }

    /* reduced curves of both panels: [panel][curve], each up to 3 points a column */
    size_t cap = 3 * PLOT_ENVELOPE_COLUMNS;
    size_t slots = 2 * (size_t)(n_curves > 0 ? n_curves : 1);
    double *buf = malloc(2 * slots * cap * sizeof *buf);
    Series *series = malloc(slots * sizeof *series);
    if (!buf || !series) {
        free(buf);
        free(series);
        return fail(err, errlen, "%s: out of memory", path ? path : "plot");
    }
    for (int panel = 0; panel < 2; panel++)
        for (int c = 0; c < n_curves; c++) {
            size_t k = (size_t)panel * (size_t)n_curves + (size_t)c;
            Series *s = &series[k];
            s->xs = buf + 2 * k * cap;
            s->ys = s->xs + cap;
            const double *v = panel == 0 ? curves[c].loss : curves[c].accuracy;
            s->m = plot_envelope(v, curves[c].n, PLOT_ENVELOPE_COLUMNS, s->xs, s->ys);
        }

    /* epochs 1..longest; loss from 0 (or below) to its largest finite value; accuracy up to 1 */
    double top = note && *note ? PANEL_Y1_NOTE : PANEL_Y1;
    double x0 = 1.0, x1 = (double)(longest > 1 ? longest : 1);
    double llo = 0.0, lhi = 1.0, alo = 0.0, ahi = 1.0;
    /* A loss that grows to LOG_SCALE_RATIO times where it started (a diverging run) is
     * drawn on a log scale, where every epoch before the blow-up stays visible. */
    bool log_loss = false;
    if (curves_range(curves, n_curves, false, &llo, &lhi)) {
        for (int c = 0; c < n_curves; c++)
            if (curves[c].loss && curves[c].n > 0 && isfinite(curves[c].loss[0]) &&
                lhi > LOG_SCALE_RATIO * curves[c].loss[0])
                log_loss = llo > 0.0;
        if (log_loss) {
            llo = log10(llo);
            lhi = log10(lhi);
            for (int c = 0; c < n_curves; c++)
                for (long k = 0; k < series[c].m; k++)
                    series[c].ys[k] = series[c].ys[k] > 0.0 ? log10(series[c].ys[k]) : NAN;
        }
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
    static const char *const titles[2] = {"Learning Curve", "Accuracy Curve"};
    static const char *const ylabels[2] = {"Loss", "Accuracy"};

    Figure fig;
    if (figure_begin(&fig, path, err, errlen) != 0) {
        free(buf);
        free(series);
        return -1;
    }
    Panel panels[2] = {panel_make(0, top, true, x0, x1, llo, lhi, log_loss),
                       panel_make(1, top, true, x0, x1, alo, ahi, false)};
    draw_note(note);
    for (int panel = 0; panel < 2; panel++) {
        const Panel *p = &panels[panel];
        const Series *s = series + (size_t)panel * (size_t)n_curves;
        panel_frame(p, titles[panel], "Epoch",
                    panel == 0 && log_loss ? "Loss (log scale)" : ylabels[panel]);
        for (int c = 0; c < n_curves; c++)
            draw_series(p, &s[c], COL_CYCLE + c % N_CYCLE);
        plcol0(COL_INK);
        draw_legend(p, curves, s, n_curves);
    }
    int rc = figure_end(&fig, err, errlen);
    free(buf);
    free(series);
    return rc;
}

/* ---- predictions ------------------------------------------------------------------------ */

static void draw_points(const Panel *p, const double *x, const double *label, int n)
{
    for (int cls = 0; cls < 2; cls++) {
        plcol0(cls == 0 ? COL_CLASS0 : COL_CLASS1);
        for (int i = 0; i < n; i++) {
            double l = label[i], x1 = x[2 * i], x2 = x[2 * i + 1];
            if (isnan(l) || !isfinite(x1) || !isfinite(x2) || (l >= 0.5) != (cls == 1))
                continue;
            fill_circle(p, x1, x2, MARKER_RADIUS_PX);
        }
    }
}

int plot_predictions(const char *path, const double *x, const double *truth,
                     const double *predicted, int n, const char *note, char *err, size_t errlen)
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
    double top = note && *note ? PANEL_Y1_NOTE : PANEL_Y1;

    Figure fig;
    if (figure_begin(&fig, path, err, errlen) != 0)
        return -1;
    Panel panels[2] = {panel_make(0, top, false, lo[0], hi[0], lo[1], hi[1], false),
                       panel_make(1, top, false, lo[0], hi[0], lo[1], hi[1], false)};
    draw_note(note);
    panel_frame(&panels[0], "Ground truth", "x1", "x2");
    draw_points(&panels[0], x, truth, n);
    panel_frame(&panels[1], "Prediction result", "x1", "x2");
    draw_points(&panels[1], x, predicted, n);
    return figure_end(&fig, err, errlen);
}
