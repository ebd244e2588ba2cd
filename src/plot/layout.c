/* layout.c - the page of a figure: the note line, where each panel of the rows x cols
 * grid sits, and a panel's axes: title, grid, axis labels and plain tick numbers (no
 * "x10^5" factor), the y axis on a log scale if asked.
 *
 * Margins are in pixels, since the text they make room for has a size in pixels: a cell
 * of the grid keeps PANEL_TOP_PX above its panel for the title, PANEL_BOTTOM_PX below for
 * the x numbers and label, and at least PANEL_LEFT_MIN_PX on the left, more when long
 * y numbers need it. (On the 1200x500 page of two panels these are the margins the
 * figures always had.) PLplot's plssub would clip text at the panel's edge and reset the
 * character size, hence one page (pladv(0) once) and a viewport per panel.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "figure.h"

/* Character sizes, as plschr scales of the default height, which stream_begin (target.c)
 * keeps at 17 px on every page (the font's em is about 1.3 times that). */
#define TEXT_SCALE 0.66  /* tick numbers and axis labels: a 14.5 px font */
#define TITLE_SCALE 0.76 /* panel titles and the note line */
#define MARGIN 0.05      /* of the data range on each side, as matplotlib does */

#define NOTE_PX 20             /* the band the note line adds at the top of the page */
#define NOTE_Y_PX 22.5         /* from the top of the page to the note's reference point */
#define PANEL_TOP_PX 60        /* from the top of a cell to its panel: the title */
#define PANEL_BOTTOM_PX 65     /* from the bottom of a cell: x numbers and label */
#define PANEL_LEFT_MIN_PX 90   /* from the left of a cell: y numbers and label */
#define PANEL_RIGHT_GAP_PX 36  /* from the right of a cell that has a neighbour there */
#define PANEL_RIGHT_EDGE_PX 42 /* from the right edge of the page */

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

/* Ranges narrower than this are taken as a point: PLplot's scale from world to page, the
 * page's size over the range, would overflow (a range of 1e-310, subnormal coordinates,
 * drew nothing at all). */
#define RANGE_MIN_WIDTH 1e-250

/* Widens [*lo, *hi] by margin (of its width) each side; a degenerate range first becomes 1 wide. */
static void pad_range(double *lo, double *hi, double margin)
{
    if (!isfinite(*lo) || !isfinite(*hi) || !isfinite(*hi - *lo)) {
        *lo = 0.0;
        *hi = 1.0;
    }
    if (!(*hi - *lo > RANGE_MIN_WIDTH)) {
        *lo -= 0.5;
        *hi += 0.5;
    }
    double pad = (*hi - *lo) * margin;
    *lo -= pad;
    *hi += pad;
}

#define DIGIT_WIDTH 0.82 /* a digit's advance in character heights (DejaVu Sans, cairo) */
#define YLABEL_GAP 1.8   /* character heights from the axis to the y tick numbers' far end */

/* Panel `index` of f's layout, showing the data range of axes. Needs the stream (for the
 * character size). False, with the figure failed, if the axes cannot be drawn. */
static bool panel_make(PlotFigure *f, int index, const PlotAxes *axes, Panel *out)
{
    const PlotLayout *l = &f->layout;
    if (index < 0 || index >= l->rows * l->cols) {
        figure_fail(f, "panel %d of a %dx%d layout", index, l->rows, l->cols);
        return false;
    }
    double x0 = axes->x0, x1 = axes->x1, y0 = axes->y0, y1 = axes->y1;
    if (axes->log_y) {
        if (!(y0 > 0.0) || !(y1 > 0.0)) {
            figure_fail(f, "a log scale from %g to %g", y0, y1);
            return false;
        }
        y0 = log10(y0);
        y1 = log10(y1);
    }

    /* the cell, in pixels from the bottom left of the page, below the note */
    int row = index / l->cols, col = index % l->cols;
    double w = l->width, h = l->height;
    double top = h - (l->note ? NOTE_PX : 0);
    double cells_w = w - l->legend_px; /* the panels' part of the page, left of the strip */
    double cx0 = cells_w * col / l->cols, cx1 = cells_w * (col + 1) / l->cols;
    double cy0 = top * (l->rows - row - 1) / l->rows, cy1 = top * (l->rows - row) / l->rows;
    double right = (col == l->cols - 1 ? PANEL_RIGHT_EDGE_PX : PANEL_RIGHT_GAP_PX) +
                   (axes->legend_px > 0 ? axes->legend_px : 0);

    Panel p = {.vx1 = (cx1 - right) / w,
               .vy0 = (cy0 + PANEL_BOTTOM_PX) / h,
               .vy1 = (cy1 - PANEL_TOP_PX) / h,
               .log_y = axes->log_y};
    pad_range(&x0, &x1, axes->tight ? 0.0 : MARGIN);
    pad_range(&y0, &y1, axes->tight ? 0.0 : MARGIN);
    p.wx0 = x0;
    p.wx1 = x1;
    p.wy0 = y0;
    p.wy1 = y1;
    double xstep = nice_step(x0, x1, 5);
    if (axes->epochs && xstep < 1.0)
        xstep = 1.0;
    p.x = tick_format(x0, x1, xstep, axes->epochs ? 1e9 : 1e6);
    p.y = tick_format(y0, y1, nice_step(y0, y1, 6), 1e6);
    if (axes->log_y)
        p.y = (TickFormat){.step = fmax(1.0, nice_step(y0, y1, 6)), .powers = true};
    p.y_chars = widest_tick(&p.y, y0, y1) + (axes->log_y ? 2 : 0); /* "e+" are wider */

    /* room on the left for the tick numbers and the y label beside them */
    PLFLT def_mm, char_mm, px0, px1, py0, py1;
    plschr(0, TEXT_SCALE);
    plgchr(&def_mm, &char_mm);
    plgspa(&px0, &px1, &py0, &py1);
    double char_px = char_mm * h / (py1 - py0);
    double need = ((YLABEL_GAP + DIGIT_WIDTH * p.y_chars + 1.2) * char_px + 6.0) / w;
    p.vx0 = cx0 / w + fmax(PANEL_LEFT_MIN_PX / w, need);
    /* fewer x ticks while their numbers would run into each other (140000 on a narrow
     * panel): a wider 1-2-5 step each time */
    for (int target = 4; target >= 1; target--) {
        double ticks = floor(x1 / p.x.step) - ceil(x0 / p.x.step) + 1;
        double number_px = (DIGIT_WIDTH * widest_tick(&p.x, x0, x1) + 1.0) * char_px;
        if (ticks * number_px <= (p.vx1 - p.vx0) * w)
            break;
        double wider = fmax(nice_step(x0, x1, target), p.x.step);
        p.x = tick_format(x0, x1, wider, axes->epochs ? 1e9 : 1e6);
    }
    if (!(p.vx1 > p.vx0 && p.vy1 > p.vy0)) {
        figure_fail(f, "panel %d has no room on a %dx%d page of %dx%d panels", index, l->width,
                    l->height, l->rows, l->cols);
        return false;
    }
    *out = p;
    return true;
}

/* Text as PLplot should draw it: '#' (PLplot's escape character) doubled, control
 * characters made spaces, cut to fit out without splitting a UTF-8 sequence. */
void escape_text(const char *in, char *out, size_t outlen)
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
static void panel_frame(const Panel *p, const PlotAxes *axes)
{
    char title[MAX_TEXT], xlabel[MAX_TEXT], ylabel[MAX_TEXT];
    escape_text(axes->title, title, sizeof title);
    escape_text(axes->xlabel, xlabel, sizeof xlabel);
    escape_text(axes->ylabel, ylabel, sizeof ylabel);
    plvpor(p->vx0, p->vx1, p->vy0, p->vy1);
    plwind(p->wx0, p->wx1, p->wy0, p->wy1);
    plwidth(1.0);
    plschr(0, TEXT_SCALE);
    if (axes->bare) {
        plcol0(COL_INK);
        plschr(0, TITLE_SCALE);
        plmtex("t", 0.9, 0.5, 0.5, title);
        plschr(0, TEXT_SCALE);
        return;
    }
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

/* The note's width is estimated (PLplot exports no text measure): NOTE_CHAR_WIDTH is a
 * character's average advance in character heights, a little over what DejaVu Sans gives a
 * note of words, numbers and commas (0.67), so that an estimate that fits does fit. */
#define NOTE_CHAR_WIDTH 0.72
#define NOTE_SIDE_PX 12     /* kept free at either edge of the page */
#define NOTE_MIN_SCALE 0.60 /* the smallest one-line note (10 px); longer ones wrap */
#define NOTE_LEADING 1.9    /* between a wrapped note's two lines, in character heights */
#define NOTE_DROP_PX 3      /* a wrapped note's middle below the one line's place */
#define CHAR_PX 17.0        /* the default character height (stream_begin, target.c) */

/* Characters of UTF-8 text: its bytes but continuation bytes. */
static int text_chars(const char *s, size_t n)
{
    int chars = 0;
    for (size_t i = 0; i < n && s[i]; i++)
        chars += ((unsigned char)s[i] & 0xC0) != 0x80;
    return chars;
}

/* The largest scale up to TITLE_SCALE at which `chars` characters fit across the page. */
static double note_scale(const PlotFigure *f, int chars)
{
    double room = f->layout.width - 2.0 * NOTE_SIDE_PX;
    double wide = chars * NOTE_CHAR_WIDTH * CHAR_PX; /* at scale 1 */
    return wide > 0 ? fmin(TITLE_SCALE, room / wide) : TITLE_SCALE;
}

/* Where to wrap note (n bytes) into two lines: the byte that starts the second line after
 * the separator (", " or " - ") or else the space nearest the middle; *cut is where the
 * first line ends. Returns 0 if there is no space to wrap at. */
static size_t note_wrap(const char *note, size_t n, size_t *cut)
{
    size_t best = 0, best_cut = 0;
    int total = text_chars(note, n), best_longer = total + 1;
    for (int pass = 0; pass < 2 && !best; pass++) /* separators first, then any space */
        for (size_t i = 1; i + 1 < n; i++) {
            size_t end, start;
            if (pass == 0 && note[i] == ' ' && note[i - 1] == ',')
                end = i, start = i + 1; /* the comma stays on the first line */
            else if (pass == 0 && i + 2 < n && strncmp(note + i, " - ", 3) == 0)
                end = i, start = i + 3;
            else if (pass == 1 && note[i] == ' ')
                end = i, start = i + 1;
            else
                continue;
            int first = text_chars(note, end), second = text_chars(note + start, n - start);
            int longer = first > second ? first : second;
            if (longer < best_longer)
                best_longer = longer, best = start, best_cut = end;
        }
    *cut = best_cut;
    return best;
}

/* The note line, centred above the panels. A note too long for the page at TITLE_SCALE is
 * drawn smaller, down to NOTE_MIN_SCALE; one longer still wraps onto two lines at a
 * separator (about the one line's place, in the room above the panels' titles), each
 * as large as both can be, rather than run off both edges of the page. */
void page_note(const PlotFigure *f)
{
    if (!f->layout.note)
        return;
    const char *note = f->layout.note;
    size_t n = strlen(note), cut = 0, next = 0;
    double h = f->layout.height, scale = note_scale(f, text_chars(note, n));
    if (scale < NOTE_MIN_SCALE)
        next = note_wrap(note, n, &cut);
    plvpor(0.0, 1.0, 0.0, 1.0);
    plwind(0.0, 1.0, 0.0, 1.0);
    plcol0(COL_NOTE);
    if (!next) {
        plschr(0, scale);
        plptex(0.5, (h - NOTE_Y_PX) / h, 1.0, 0.0, 0.5, note);
    } else {
        char first[MAX_NOTE];
        snprintf(first, sizeof first, "%.*s", (int)cut, note);
        scale = fmin(note_scale(f, text_chars(note, cut)),
                     note_scale(f, text_chars(note + next, n - next)));
        double half = NOTE_LEADING * CHAR_PX * scale / 2.0; /* px from the one line's place */
        plschr(0, scale);
        double mid = h - NOTE_Y_PX - NOTE_DROP_PX;
        plptex(0.5, (mid + half) / h, 1.0, 0.0, 0.5, first);
        plptex(0.5, (mid - half) / h, 1.0, 0.0, 0.5, note + next);
    }
    plschr(0, TITLE_SCALE); /* as the note always left it */
}

void plot_panel(PlotFigure *fig, int index, const PlotAxes *axes)
{
    if (!fig || fig->failure[0])
        return;
    panel_forget(fig);
    fig->in_panel = false;
    if (!axes) {
        figure_fail(fig, "plot_panel: no axes given");
        return;
    }
    if (!panel_make(fig, index, axes, &fig->panel))
        return;
    panel_frame(&fig->panel, axes);
    fig->in_panel = true;
}
