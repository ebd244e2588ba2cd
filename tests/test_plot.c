/* test_plot.c - the rendering module: envelope reduction, PNG/SVG figures, atomic writes.
 *
 * Figures are checked by what a reader would see, not by PLplot's calls: a PNG is decoded
 * (libpng) and its pixels counted by colour, an SVG is checked with xmllint and searched
 * for its text. The svg driver writes every character of a text as a numeric reference
 * (&#x4c;&#x6f;...) inside <tspan>s, so text is searched after decoding those and dropping
 * the tags. Each test works in a fresh temporary directory, removed afterwards unless
 * NNLAB_KEEP_TEST_FIGURES is set (to look at the figures).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <png.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "plot.h"
#include "rng.h"

/* ---- helpers ---------------------------------------------------------------------------- */

/* Read by LeakSanitizer (make test SANITIZE=1), ignored otherwise: fontconfig, which cairo
 * uses for PNG text, keeps its font caches until the process ends. Not our leaks. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libfontconfig.so\n"; }

typedef struct {
    char dir[64];
    char path[256];
} Tmp;

static int tmp_setup(void **state)
{
    Tmp *t = calloc(1, sizeof *t);
    if (!t)
        return -1;
    snprintf(t->dir, sizeof t->dir, "/tmp/nnlab-test-plot-XXXXXX");
    if (!mkdtemp(t->dir)) {
        free(t);
        return -1;
    }
    *state = t;
    return 0;
}

/* Removes path and, if it is a directory (not a link to one), everything in it. */
static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    DIR *d = S_ISDIR(st.st_mode) ? opendir(path) : NULL;
    if (d) {
        struct dirent *e;
        char sub[512];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            remove_tree(sub);
        }
        closedir(d);
    }
    remove(path);
}

static int tmp_teardown(void **state)
{
    Tmp *t = *state;
    if (!getenv("NNLAB_KEEP_TEST_FIGURES"))
        remove_tree(t->dir);
    free(t);
    return 0;
}

static const char *tmp_file(Tmp *t, const char *name)
{
    snprintf(t->path, sizeof t->path, "%s/%s", t->dir, name);
    return t->path;
}

/* Entries of the test directory, "." and ".." aside. */
static int dir_entries(const Tmp *t)
{
    DIR *d = opendir(t->dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static char *read_all(const char *path, long *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (len)
        *len = n;
    return buf;
}

/* Width and height from the IHDR chunk, read by hand (independent of libpng). */
static void png_size(const char *path, unsigned *w, unsigned *h)
{
    long n;
    unsigned char *b = (unsigned char *)read_all(path, &n);
    assert_true(n > 24);
    assert_memory_equal(b, "\x89PNG\r\n\x1a\n", 8);
    assert_memory_equal(b + 12, "IHDR", 4);
    *w = (unsigned)b[16] << 24 | (unsigned)b[17] << 16 | (unsigned)b[18] << 8 | b[19];
    *h = (unsigned)b[20] << 24 | (unsigned)b[21] << 16 | (unsigned)b[22] << 8 | b[23];
    free(b);
}

typedef struct {
    unsigned w, h;
    unsigned char *rgb; /* (h, w, 3) */
} Image;

static Image png_load(const char *path)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    assert_true(png_image_begin_read_from_file(&img, path));
    img.format = PNG_FORMAT_RGB;
    Image out = {img.width, img.height, malloc(PNG_IMAGE_SIZE(img))};
    assert_non_null(out.rgb);
    assert_true(png_image_finish_read(&img, NULL, out.rgb, 0, NULL));
    return out;
}

typedef enum { PIX_NONWHITE, PIX_RED, PIX_BLUE, PIX_ORANGE } PixelKind;

/* Colour classes with room for antialiasing: the centre of a marker or line is exact. */
static bool pixel_is(const unsigned char *p, PixelKind kind)
{
    int r = p[0], g = p[1], b = p[2];
    switch (kind) {
    case PIX_NONWHITE:
        return r < 250 || g < 250 || b < 250;
    case PIX_RED:
        return r > 180 && g < 90 && b < 90; /* #d62728 */
    case PIX_BLUE:
        return r < 80 && g > 90 && g < 150 && b > 150; /* #1f77b4 */
    case PIX_ORANGE:
        return r > 220 && g > 100 && g < 160 && b < 60; /* #ff7f0e */
    }
    return false;
}

/* Pixels of a kind in columns [x0, x1) of the image; optionally their centroid. */
static long count_pixels(const Image *im, PixelKind kind, unsigned x0, unsigned x1, double *cx,
                         double *cy)
{
    long n = 0;
    double sx = 0, sy = 0;
    for (unsigned y = 0; y < im->h; y++)
        for (unsigned x = x0; x < x1 && x < im->w; x++)
            if (pixel_is(im->rgb + 3 * ((size_t)y * im->w + x), kind)) {
                n++;
                sx += x;
                sy += y;
            }
    if (cx)
        *cx = n ? sx / n : NAN;
    if (cy)
        *cy = n ? sy / n : NAN;
    return n;
}

/* The text of an SVG from PLplot's svg driver: tags dropped (a </text> becomes a newline),
 * character references and the usual entities decoded to UTF-8. */
static char *svg_text(const char *path)
{
    char *raw = read_all(path, NULL);
    char *out = malloc(strlen(raw) + 1);
    assert_non_null(out);
    size_t k = 0;
    for (const char *s = raw; *s;) {
        if (*s == '<') {
            if (strncmp(s, "</text>", 7) == 0)
                out[k++] = '\n';
            const char *end = strchr(s, '>');
            s = end ? end + 1 : s + strlen(s);
        } else if (strncmp(s, "&#x", 3) == 0 || strncmp(s, "&#", 2) == 0) {
            char *end;
            bool hex = s[2] == 'x';
            unsigned long cp = strtoul(s + (hex ? 3 : 2), &end, hex ? 16 : 10);
            if (cp < 0x80) {
                out[k++] = (char)cp;
            } else if (cp < 0x800) {
                out[k++] = (char)(0xc0 | cp >> 6);
                out[k++] = (char)(0x80 | (cp & 0x3f));
            } else {
                out[k++] = (char)(0xe0 | cp >> 12);
                out[k++] = (char)(0x80 | ((cp >> 6) & 0x3f));
                out[k++] = (char)(0x80 | (cp & 0x3f));
            }
            s = *end == ';' ? end + 1 : end;
        } else if (strncmp(s, "&amp;", 5) == 0) {
            out[k++] = '&';
            s += 5;
        } else if (strncmp(s, "&lt;", 4) == 0) {
            out[k++] = '<';
            s += 4;
        } else if (strncmp(s, "&gt;", 4) == 0) {
            out[k++] = '>';
            s += 4;
        } else {
            out[k++] = *s++;
        }
    }
    out[k] = '\0';
    free(raw);
    return out;
}

static void assert_well_formed_xml(const char *path)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "xmllint --noout '%s' 2>/dev/null", path);
    int status = system(cmd);
    if (status != 0)
        fail_msg("xmllint rejects %s (status %d)", path, status);
}

static void assert_contains(const char *haystack, const char *needle)
{
    if (!strstr(haystack, needle))
        fail_msg("text \"%s\" not found in the figure", needle);
}

/* A learning run of n epochs: loss falls from `start` with noise, accuracy climbs to 1. */
static void fake_run(double *loss, double *acc, long n, double start, double speed, Rng *rng)
{
    for (long i = 0; i < n; i++) {
        double t = (double)i / (n > 1 ? n - 1 : 1);
        loss[i] = start * exp(-speed * t) + 0.01 * rng_uniform(rng);
        acc[i] = fmin(1.0, 0.5 + 0.5 * (1.0 - exp(-speed * t)) + 0.02 * rng_uniform(rng));
    }
}

/* The 21-point XOR layout of the original project: (0.1i, 0.1i) class 0 and
 * (0.1i, 1 - 0.1i) class 1, sharing the centre. Returns the number of points. */
static int xor_points(double *x, double *y)
{
    int n = 0;
    for (int i = 0; i <= 10; i++) {
        x[2 * n] = 0.1 * i;
        x[2 * n + 1] = 0.1 * i;
        y[n++] = 0.0;
    }
    for (int i = 0; i <= 10; i++) {
        if (i == 5)
            continue;
        x[2 * n] = 0.1 * i;
        x[2 * n + 1] = 1.0 - 0.1 * i;
        y[n++] = 1.0;
    }
    return n;
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- envelope --------------------------------------------------------------------------- */

static void test_envelope_keeps_extremes_of_every_column(void **state)
{
    (void)state;
    const long n = 100003, columns = 500;
    double *v = malloc((size_t)n * sizeof *v);
    double *xs = malloc(PLOT_ENVELOPE_MAX(n, columns) * sizeof *xs);
    double *ys = malloc(PLOT_ENVELOPE_MAX(n, columns) * sizeof *ys);
    assert_true(v && xs && ys);
    Rng rng;
    rng_seed(&rng, 7);
    for (long i = 0; i < n; i++)
        v[i] = sin(i * 1e-4) + rng_uniform(&rng) - 0.5;
    v[31337] = 25.0; /* a one-epoch spike must survive */
    v[77777] = -25.0;

    long m = plot_envelope(v, n, columns, xs, ys);
    assert_true(m >= columns && m <= PLOT_ENVELOPE_MAX(n, columns));
    for (long k = 1; k < m; k++)
        assert_true(xs[k] > xs[k - 1]); /* in order, no repeats */

    long k = 0;
    for (long c = 0; c < columns; c++) {
        long lo = c * n / columns, hi = (c + 1) * n / columns;
        double vmin = INFINITY, vmax = -INFINITY;
        for (long i = lo; i < hi; i++) {
            vmin = fmin(vmin, v[i]);
            vmax = fmax(vmax, v[i]);
        }
        bool has_min = false, has_max = false;
        for (; k < m && xs[k] <= (double)hi; k++) {
            assert_true(xs[k] >= (double)(lo + 1)); /* xs are epochs: index + 1 */
            assert_true(ys[k] == v[(long)xs[k] - 1]);
            has_min |= ys[k] == vmin;
            has_max |= ys[k] == vmax;
        }
        if (!has_min || !has_max)
            fail_msg("column %ld lost its min %g or max %g", c, vmin, vmax);
    }
    assert_int_equal(k, m);
    free(v);
    free(xs);
    free(ys);
}

static void test_envelope_keeps_short_series_whole(void **state)
{
    (void)state;
    const double v[7] = {0.3, 0.2, NAN, 0.25, 0.1, INFINITY, 0.05};
    double xs[7], ys[7];
    long m = plot_envelope(v, 7, 500, xs, ys);
    assert_int_equal(m, 7);
    for (int i = 0; i < 7; i++) {
        assert_true(xs[i] == i + 1.0);
        if (isfinite(v[i]))
            assert_true(ys[i] == v[i]);
        else
            assert_true(isnan(ys[i])); /* inf becomes a break, like NaN */
    }
}

static void test_envelope_marks_non_finite_runs(void **state)
{
    (void)state;
    /* 4 columns of 5: finite; one NaN inside; all non-finite; an inf at the start */
    const double finite[5] = {1, 5, 3, 2, 4}, one_nan[5] = {1, 9, NAN, 0, 2};
    const double none[5] = {NAN, INFINITY, NAN, -INFINITY, NAN},
                 inf_first[5] = {INFINITY, 3, 1, 2, 2};
    double v[20];
    memcpy(v, finite, sizeof finite);
    memcpy(v + 5, one_nan, sizeof one_nan);
    memcpy(v + 10, none, sizeof none);
    memcpy(v + 15, inf_first, sizeof inf_first);
    double xs[12], ys[12];
    long m = plot_envelope(v, 20, 4, xs, ys);
    /* column 0: min 1 (epoch 1), max 5 (epoch 2) */
    /* column 1: max 9 (7), NaN (8), min 0 (9) */
    /* column 2: one NaN (11) */
    /* column 3: NaN (16), min 1 (18), max 3 (17) -> in order 16, 17, 18 */
    const double want_x[] = {1, 2, 7, 8, 9, 11, 16, 17, 18};
    const double want_y[] = {1, 5, 9, NAN, 0, NAN, NAN, 3, 1};
    assert_int_equal(m, 9);
    for (int k = 0; k < 9; k++) {
        assert_true(xs[k] == want_x[k]);
        if (isnan(want_y[k]))
            assert_true(isnan(ys[k]));
        else
            assert_true(ys[k] == want_y[k]);
    }
}

static void test_envelope_of_nothing(void **state)
{
    (void)state;
    double v[3] = {1, 2, 3}, xs[3], ys[3];
    assert_int_equal(plot_envelope(v, 0, 500, xs, ys), 0);
    assert_int_equal(plot_envelope(v, 3, 0, xs, ys), 0);
    assert_int_equal(plot_envelope(NULL, 3, 10, xs, ys), 0);
    assert_int_equal(plot_envelope(v, 1, 500, xs, ys), 1);
    assert_true(xs[0] == 1.0 && ys[0] == 1.0);
}

/* ---- curves ----------------------------------------------------------------------------- */

static void test_curves_png_has_size_and_both_curves_in_both_panels(void **state)
{
    Tmp *t = *state;
    enum { N = 2000 };
    static double loss[2][N], acc[2][N];
    Rng rng;
    rng_seed(&rng, 1);
    fake_run(loss[0], acc[0], N, 0.3, 8.0, &rng);
    fake_run(loss[1], acc[1], N, 0.25, 2.0, &rng);
    PlotCurve c[2] = {
        {"LR: 0.1", loss[0], acc[0], N, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL},
        {"LR: 0.01", loss[1], acc[1], N, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL,
         NULL}};
    char err[256] = "";
    const char *path = tmp_file(t, "curves.png");
    if (plot_curves(path, c, 2, "xor, sigmoid, lr 0.1, hidden 16", err, sizeof err) != 0)
        fail_msg("plot_curves: %s", err);

    unsigned w, h;
    png_size(path, &w, &h);
    assert_int_equal(w, 1200);
    assert_int_equal(h, 500);
    Image im = png_load(path);
    long ink = count_pixels(&im, PIX_NONWHITE, 0, w, NULL, NULL);
    assert_true(ink > (long)w * h / 50);   /* not blank */
    assert_true(ink < (long)w * h / 2);    /* white background */
    for (int half = 0; half < 2; half++) { /* each colour of the cycle in each panel */
        unsigned x0 = half * w / 2, x1 = x0 + w / 2;
        assert_true(count_pixels(&im, PIX_BLUE, x0, x1, NULL, NULL) > 300);
        assert_true(count_pixels(&im, PIX_ORANGE, x0, x1, NULL, NULL) > 300);
    }
    free(im.rgb);
    assert_int_equal(dir_entries(t), 1); /* no temporary left behind */
}

static void test_curves_svg_is_xml_with_titles_labels_and_note(void **state)
{
    Tmp *t = *state;
    enum { N = 50000 };
    static double loss[3][N], acc[3][N];
    Rng rng;
    rng_seed(&rng, 2);
    for (int k = 0; k < 3; k++)
        fake_run(loss[k], acc[k], N, 0.3, 1.0 + 3 * k, &rng);
    /* a label with XML and PLplot specials: both must come out as written */
    PlotCurve c[3] = {
        {"LR: 0.1", loss[0], acc[0], N, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL},
        {"a<b & c#d", loss[1], acc[1], N, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL,
         NULL},
        {"", loss[2], acc[2], N, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL}};
    char err[256] = "";
    const char *path = tmp_file(t, "curves.svg");
    if (plot_curves(path, c, 3, "interrupted at epoch 5234", err, sizeof err) != 0)
        fail_msg("plot_curves: %s", err);
    assert_well_formed_xml(path);
    char *text = svg_text(path);
    const char *want[] = {
        "Learning Curve", "Accuracy Curve", "Epoch",     "Loss",
        "Accuracy",       "LR: 0.1",        "a<b & c#d", "interrupted at epoch 5234",
        "50000"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_contains(text, want[i]);
    /* axis numbers plainly, no "x10^4" factor (PLplot writes it as 10 with a superscript) */
    assert_null(strstr(text, "(x10"));
    assert_null(strstr(text, "10\n4"));
    free(text);
    assert_int_equal(dir_entries(t), 1);
}

/* A band (mean -+ sd over seeds) is shaded in a tint of its curve's colour
 * under the lines, inside the axes: the same curves without it leave that
 * area white, and the loss axis grows to hold the band's top. */
static void test_curves_band_is_shaded_under_its_curve(void **state)
{
    Tmp *t = *state;
    enum { N = 400 };
    static double loss[N], acc[N], lo[N], hi[N], acc_lo[N], acc_hi[N];
    for (int i = 0; i < N; i++) {
        loss[i] = 0.03, lo[i] = 0.01, hi[i] = 0.09;
        acc[i] = 0.7, acc_lo[i] = 0.5, acc_hi[i] = 0.9;
    }
    PlotCurve plain = {.label = "relu", .loss = loss, .accuracy = acc, .n = N};
    PlotCurve band = plain;
    band.label = "relu, mean \u00b1 sd of 10 seeds";
    band.loss_lo = lo, band.loss_hi = hi, band.accuracy_lo = acc_lo, band.accuracy_hi = acc_hi;
    char err[256] = "";
    if (plot_curves(tmp_file(t, "plain.png"), &plain, 1, NULL, err, sizeof err) != 0)
        fail_msg("plot_curves: %s", err);
    Image a = png_load(tmp_file(t, "plain.png"));
    if (plot_curves(tmp_file(t, "band.png"), &band, 1, NULL, err, sizeof err) != 0)
        fail_msg("plot_curves: %s", err);
    Image b = png_load(tmp_file(t, "band.png"));
    long ink_a = count_pixels(&a, PIX_NONWHITE, 0, a.w, NULL, NULL);
    long ink_b = count_pixels(&b, PIX_NONWHITE, 0, b.w, NULL, NULL);
    /* two bands of about a third of each panel's height, most of its width */
    assert_true(ink_b - ink_a > (long)b.w * b.h / 8);
    free(a.rgb);
    free(b.rgb);
    const char *svg = tmp_file(t, "band.svg");
    if (plot_curves(svg, &band, 1, NULL, err, sizeof err) != 0)
        fail_msg("plot_curves: %s", err);
    char *text = svg_text(svg);
    assert_contains(text, "relu, mean \u00b1 sd of 10 seeds");
    assert_contains(text, "0.08"); /* the loss axis reaches the band's top, 0.09 */
    free(text);
    assert_int_equal(dir_entries(t), 3);
}

/* A loss that blows up is drawn on a log scale with power-of-ten ticks; an
 * ordinary falling loss (0.25 down to 1e-9) keeps the plain linear axis. */
static void test_diverging_loss_gets_a_log_scale(void **state)
{
    Tmp *t = *state;
    double loss[5] = {0.47, 1.2e10, 3.0e64, INFINITY, NAN}, acc[5] = {0.45, 0.55, 0.45, 0.55, 0.5};
    PlotCurve c = {NULL, loss, acc, 4, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL};
    char err[256] = "";
    const char *path = tmp_file(t, "diverged.svg");
    if (plot_curves(path, &c, 1, NULL, err, sizeof err) != 0)
        fail_msg("plot_curves: %s", err);
    char *text = svg_text(path);
    assert_contains(text, "Loss (log scale)");
    assert_contains(text, "1e+60");
    free(text);

    enum { N = 1000 };
    static double fall[N], fall_acc[N];
    for (int k = 0; k < N; k++) {
        fall[k] = 0.25 * pow(4e-9, (double)k / (N - 1));
        fall_acc[k] = 1.0;
    }
    PlotCurve d = {NULL, fall, fall_acc, N, 0,    NULL, NULL, NULL,
                   NULL, NULL, NULL,     0, NULL, NULL, NULL};
    path = tmp_file(t, "falling.svg");
    if (plot_curves(path, &d, 1, NULL, err, sizeof err) != 0)
        fail_msg("plot_curves: %s", err);
    text = svg_text(path);
    assert_null(strstr(text, "log scale"));
    assert_contains(text, "0.25");
    free(text);
}

static void test_long_noisy_comparison_svg_stays_small(void **state)
{
    Tmp *t = *state;
    const long n = 500000;
    double *loss[3], *acc[3];
    Rng rng;
    rng_seed(&rng, 3);
    PlotCurve c[3];
    const char *labels[3] = {"LR: 0.1", "LR: 0.01", "LR: 0.001"};
    for (int k = 0; k < 3; k++) {
        loss[k] = malloc((size_t)n * sizeof(double));
        acc[k] = malloc((size_t)n * sizeof(double));
        assert_true(loss[k] && acc[k]);
        for (long i = 0; i < n; i++) { /* noise at every epoch: the worst case for size */
            loss[k][i] = 0.25 * exp(-(k + 1) * 3.0 * i / n) + 0.05 * rng_uniform(&rng);
            acc[k][i] = fmin(1.0, 0.5 + 0.5 * i / n + 0.1 * rng_uniform(&rng));
        }
        c[k] = (PlotCurve){labels[k], loss[k], acc[k], n, 0,    NULL, NULL, NULL,
                           NULL,      NULL,    NULL,   0, NULL, NULL, NULL};
    }
    char err[256] = "";
    double t0 = seconds();
    char svg[256], png[256];
    snprintf(svg, sizeof svg, "%s", tmp_file(t, "long.svg"));
    snprintf(png, sizeof png, "%s", tmp_file(t, "long.png"));
    if (plot_curves(svg, c, 3, NULL, err, sizeof err) != 0)
        fail_msg("plot_curves: %s", err);
    double t1 = seconds();
    long svg_size = file_size(svg);
    if (plot_curves(png, c, 3, NULL, err, sizeof err) != 0)
        fail_msg("plot_curves: %s", err);
    double t2 = seconds();
    print_message("3 x %ld epochs: svg %.3f s %ld bytes, png %.3f s %ld bytes\n", n, t1 - t0,
                  svg_size, t2 - t1, file_size(png));
    assert_true(svg_size > 0 && svg_size < 300 * 1024);
    assert_well_formed_xml(svg);
    char *text = svg_text(svg);
    assert_contains(text, "500000"); /* the last epoch tick, written plainly */
    free(text);
    for (int k = 0; k < 3; k++) {
        free(loss[k]);
        free(acc[k]);
    }
}

static void test_non_finite_values_render(void **state)
{
    Tmp *t = *state;
    enum { N = 3000 };
    static double loss[N], acc[N], bad_loss[N], bad_acc[N];
    Rng rng;
    rng_seed(&rng, 4);
    fake_run(loss, acc, N, 0.3, 4.0, &rng);
    for (long i = 0; i < N; i++) { /* a diverging run: finite, then inf, then NaN */
        bad_loss[i] = i < 1000 ? 0.2 + 1e-4 * i : i < 1500 ? INFINITY : NAN;
        bad_acc[i] = i < 1000 ? 0.6 : NAN;
    }
    loss[10] = NAN;
    loss[20] = -INFINITY;
    acc[30] = INFINITY;
    PlotCurve c[3] = {
        {"ok", loss, acc, N, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL},
        {"diverged", bad_loss, bad_acc, N, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL,
         NULL},
        {"all NaN", bad_loss + 1500, bad_acc + 1500, N - 1500, 0, NULL, NULL, NULL, NULL, NULL,
         NULL, 0, NULL, NULL, NULL}};
    char err[256] = "";
    const char *names[2] = {"nan.png", "nan.svg"};
    for (int f = 0; f < 2; f++) {
        const char *path = tmp_file(t, names[f]);
        if (plot_curves(path, c, 3, "a diverging run", err, sizeof err) != 0)
            fail_msg("plot_curves %s: %s", names[f], err);
    }
    Image im = png_load(tmp_file(t, "nan.png"));
    assert_true(count_pixels(&im, PIX_BLUE, 0, im.w / 2, NULL, NULL) > 300);
    free(im.rgb);
    assert_well_formed_xml(tmp_file(t, "nan.svg"));
    char *text = svg_text(tmp_file(t, "nan.svg"));
    assert_null(strstr(text, "nan")); /* no tick written from a NaN range */
    assert_null(strstr(text, "inf"));
    assert_contains(text, "0.30"); /* the loss axis follows the finite values (max ~0.31) */
    free(text);
}

static void test_long_unicode_text_is_cut_cleanly(void **state)
{
    Tmp *t = *state;
    /* 1 + 2 * 300 bytes: any cut at a fixed byte count lands inside some character */
    char label[700] = "x";
    for (int i = 0; i < 300; i++)
        strcat(label, "\xc3\xa9"); /* U+00E9 */
    const double v[2] = {0.3, 0.2};
    PlotCurve c = {label, v, v, 2, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL};
    char err[256] = "";
    const char *path = tmp_file(t, "long-label.svg");
    if (plot_curves(path, &c, 1, label, err, sizeof err) != 0)
        fail_msg("plot_curves: %s", err);
    assert_well_formed_xml(path);
    char *text = svg_text(path);
    assert_contains(text, "x\xc3\xa9\xc3\xa9\xc3\xa9");
    free(text);
}

static void test_short_and_empty_curves_render(void **state)
{
    Tmp *t = *state;
    const double one_loss = 0.5, one_acc = 0.75;
    PlotCurve one = {NULL, &one_loss, &one_acc, 1, 0,    NULL, NULL, NULL,
                     NULL, NULL,      NULL,     0, NULL, NULL, NULL}; /* no label: no legend line */
    PlotCurve none = {"no epoch", NULL, NULL, 0, 0,    NULL, NULL, NULL,
                      NULL,       NULL, NULL, 0, NULL, NULL, NULL};
    char err[256] = "";
    if (plot_curves(tmp_file(t, "one.png"), &one, 1, NULL, err, sizeof err) != 0)
        fail_msg("n = 1: %s", err);
    Image im = png_load(t->path);
    /* a single epoch has no line to draw: it shows as a dot */
    assert_true(count_pixels(&im, PIX_BLUE, 0, im.w / 2, NULL, NULL) > 5);
    free(im.rgb);
    if (plot_curves(tmp_file(t, "none.png"), &none, 1, NULL, err, sizeof err) != 0)
        fail_msg("n = 0: %s", err);
    if (plot_curves(tmp_file(t, "nocurves.svg"), NULL, 0, NULL, err, sizeof err) != 0)
        fail_msg("no curves: %s", err);
    assert_well_formed_xml(t->path);
    assert_int_equal(dir_entries(t), 3);
}

/* ---- predictions ------------------------------------------------------------------------ */

/* With class names, a legend in the ground truth's panel names the colours, in room left
 * above the points: on a grid of points over the whole square, where any place in it would
 * cover some, the ground truth's panel has every marker the prediction's has, plus the
 * legend's one disc of each colour. */
static void test_predictions_legend_names_the_classes_and_hides_no_point(void **state)
{
    Tmp *t = *state;
    enum { SIDE = 7, N = SIDE * SIDE };
    double x[2 * N], y[N];
    int count[2] = {0, 0};
    for (int i = 0; i < N; i++) {
        x[2 * i] = (i % SIDE) / (SIDE - 1.0), x[2 * i + 1] = (i / SIDE) / (SIDE - 1.0);
        y[i] = x[2 * i] > x[2 * i + 1];
        count[(int)y[i]]++;
    }
    const char *names[2] = {"class 0", "class 1"};
    char err[256] = "";
    const char *files[2] = {"named.png", "named.svg"};
    for (int k = 0; k < 2; k++)
        if (plot_predictions(tmp_file(t, files[k]), x, y, y, N, names, NULL, err, sizeof err) !=
            0)
            fail_msg("plot_predictions: %s", err);
    char *text = svg_text(tmp_file(t, "named.svg"));
    assert_contains(text, "class 0");
    assert_contains(text, "class 1");
    free(text);
    Image im = png_load(tmp_file(t, "named.png"));
    unsigned half = im.w / 2;
    const PixelKind kinds[2] = {PIX_RED, PIX_BLUE};
    for (int c = 0; c < 2; c++) {
        long truth = count_pixels(&im, kinds[c], 0, half, NULL, NULL);
        long predicted = count_pixels(&im, kinds[c], half, im.w, NULL, NULL);
        double marker = (double)predicted / count[c], extra = (truth - predicted) / marker;
        if (extra < 0.5 || extra > 1.5)
            fail_msg("class %d: the ground truth shows %.2f markers more than the prediction "
                     "(1: the legend's disc, every point shown)",
                     c, extra);
    }
    free(im.rgb);
}

/* Points whose coordinates differ by a subnormal amount (1e-310) are drawn, as one spot:
 * PLplot's scale over so narrow a range overflowed, and the panels stayed empty. */
static void test_predictions_of_subnormal_coordinates_are_drawn(void **state)
{
    Tmp *t = *state;
    double x[4] = {1e-310, 0.0, 0.0, 1e-310}, truth[2] = {0.0, 1.0};
    char err[256] = "";
    if (plot_predictions(tmp_file(t, "tiny.png"), x, truth, truth, 2, NULL, NULL, err,
                         sizeof err) != 0)
        fail_msg("plot_predictions: %s", err);
    Image im = png_load(t->path);
    long red = count_pixels(&im, PIX_RED, 0, im.w, NULL, NULL);
    long blue = count_pixels(&im, PIX_BLUE, 0, im.w, NULL, NULL);
    free(im.rgb);
    if (red + blue < 2 * 60) /* the two panels' one spot each, the top marker wholly seen */
        fail_msg("%ld red and %ld blue px: the points are not drawn", red, blue);
}

static void test_predictions_png_shows_classes_where_the_points_are(void **state)
{
    Tmp *t = *state;
    double x[42], truth[21], pred[21];
    int n = xor_points(x, truth);
    memcpy(pred, truth, sizeof pred);
    char err[256] = "";
    const char *path = tmp_file(t, "pred.png");
    if (plot_predictions(path, x, truth, pred, n, NULL, "xor", err, sizeof err) != 0)
        fail_msg("plot_predictions: %s", err);
    unsigned w, h;
    png_size(path, &w, &h);
    assert_int_equal(w, 1200);
    assert_int_equal(h, 500);
    Image im = png_load(path);
    for (int half = 0; half < 2; half++) {
        unsigned x0 = half * w / 2, x1 = x0 + w / 2;
        double rx, ry, bx, by;
        long red = count_pixels(&im, PIX_RED, x0, x1, &rx, &ry);
        long blue = count_pixels(&im, PIX_BLUE, x0, x1, &bx, &by);
        /* 11 red and 10 blue markers of ~90 px each */
        assert_true(red > 11 * 40 && red < 11 * 200);
        assert_true(blue > 10 * 40 && blue < 10 * 200);
        /* both diagonals cross at the centre: the centroids nearly coincide, and the red
         * points (on x1 = x2) are not the blue ones (on x1 + x2 = 1) */
        assert_true(fabs(rx - bx) < 30 && fabs(ry - by) < 30);
    }
    free(im.rgb);
}

/* A row of three cells: value 1 at the darkest blue, 0.5 halfway along the map, and a
 * marked cell grey whatever its value, left to right, each a third of the panel wide;
 * annotations on them, and a PNG of the heatmap page's size. */
static void test_heatmap_cells_in_their_colours_and_order(void **state)
{
    Tmp *t = *state;
    const double v[3] = {1.0, 0.5, 0.9};
    const bool marked[3] = {false, false, true};
    const char *text[3] = {"10/10", "5/10", "0/10"}, *xt[3] = {"2", "4", "8"}, *yt[1] = {"0.1"};
    PlotHeatmap map = {.v = v,
                       .nx = 3,
                       .ny = 1,
                       .xticks = xt,
                       .yticks = yt,
                       .xlabel = "Hidden",
                       .ylabel = "LR",
                       .text = text,
                       .marked = marked,
                       .lo = 0.0,
                       .hi = 1.0};
    const char *title = "Seeds";
    char err[256] = "";
    const char *path = tmp_file(t, "heat.png");
    if (plot_heatmaps(path, &map, &title, 1, NULL, err, sizeof err) != 0)
        fail_msg("plot_heatmaps: %s", err);
    unsigned w, h;
    png_size(path, &w, &h);
    assert_int_equal(w, 640);
    assert_int_equal(h, 600);
    Image im = png_load(path);
    /* along a row of pixels above the annotations: where each colour is, and how much */
    const unsigned colours[3] = {0x08306b, 0x6baed6, 0xd9d9d9};
    double centre[3] = {0};
    long count[3] = {0};
    unsigned y = 150;
    for (unsigned x = 0; x < w; x++) {
        const unsigned char *p = im.rgb + 3 * ((size_t)y * w + x);
        unsigned rgb = (unsigned)p[0] << 16 | (unsigned)p[1] << 8 | p[2];
        for (int k = 0; k < 3; k++)
            if (rgb == colours[k]) {
                centre[k] += x;
                count[k]++;
            }
    }
    for (int k = 0; k < 3; k++) {
        assert_true(count[k] > 120 && count[k] < 220); /* a third of a ~500 px panel */
        centre[k] /= count[k];
    }
    assert_true(centre[0] < centre[1] && centre[1] < centre[2]);
    free(im.rgb);
    /* a grid of no cells is refused */
    map.nx = 0;
    assert_int_equal(plot_heatmaps(tmp_file(t, "none.png"), &map, &title, 1, NULL, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "grid of 1 to 64 cells"));
}

static void test_predictions_png_geometry_follows_the_data(void **state)
{
    Tmp *t = *state;
    /* class 1 (blue) in the top-left corner, class 0 (red) bottom-right */
    enum { N = 40 };
    double x[2 * N], y[N];
    Rng rng;
    rng_seed(&rng, 5);
    for (int i = 0; i < N; i++) {
        bool one = i % 2;
        x[2 * i] = one ? 0.2 * rng_uniform(&rng) : 0.8 + 0.2 * rng_uniform(&rng);
        x[2 * i + 1] = one ? 0.8 + 0.2 * rng_uniform(&rng) : 0.2 * rng_uniform(&rng);
        y[i] = one;
    }
    char err[256] = "";
    const char *path = tmp_file(t, "geom.png");
    if (plot_predictions(path, x, y, y, N, NULL, NULL, err, sizeof err) != 0)
        fail_msg("plot_predictions: %s", err);
    Image im = png_load(path);
    for (int half = 0; half < 2; half++) {
        unsigned x0 = half * im.w / 2, x1 = x0 + im.w / 2;
        double rx, ry, bx, by;
        assert_true(count_pixels(&im, PIX_RED, x0, x1, &rx, &ry) > 200);
        assert_true(count_pixels(&im, PIX_BLUE, x0, x1, &bx, &by) > 200);
        assert_true(bx < rx - 200); /* blue left of red: x1 grows to the right */
        assert_true(by < ry - 200); /* blue above red: x2 grows upwards (rows go down) */
    }
    free(im.rgb);
}

static void test_predictions_all_zero_shows_no_blue_on_the_right(void **state)
{
    Tmp *t = *state;
    double x[42], truth[21], pred[21] = {0};
    int n = xor_points(x, truth);
    char err[256] = "";
    const char *path = tmp_file(t, "zero.png");
    if (plot_predictions(path, x, truth, pred, n, NULL, NULL, err, sizeof err) != 0)
        fail_msg("plot_predictions: %s", err);
    Image im = png_load(path);
    assert_true(count_pixels(&im, PIX_BLUE, 0, im.w / 2, NULL, NULL) > 400);
    assert_int_equal(count_pixels(&im, PIX_BLUE, im.w / 2, im.w, NULL, NULL), 0);
    assert_true(count_pixels(&im, PIX_RED, im.w / 2, im.w, NULL, NULL) > 21 * 40);
    free(im.rgb);
}

static void test_predictions_svg_is_xml_with_titles(void **state)
{
    Tmp *t = *state;
    double x[42], truth[21], pred[21];
    int n = xor_points(x, truth);
    for (int i = 0; i < n; i++)
        pred[i] = 1.0 - truth[i];
    pred[3] = NAN; /* not drawn, not fatal */
    x[8] = INFINITY;
    char err[256] = "";
    const char *path = tmp_file(t, "pred.svg");
    if (plot_predictions(path, x, truth, pred, n, NULL, "xor, none, lr 0.1", err, sizeof err) != 0)
        fail_msg("plot_predictions: %s", err);
    assert_well_formed_xml(path);
    char *text = svg_text(path);
    const char *want[] = {"Ground truth", "Prediction result", "x1", "x2", "xor, none, lr 0.1"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_contains(text, want[i]);
    free(text);
    if (plot_predictions(tmp_file(t, "empty.png"), NULL, NULL, NULL, 0, NULL, NULL, err, sizeof err))
        fail_msg("no points: %s", err);
}

/* ---- figures drawn with the primitives ---------------------------------------------------- */

static const unsigned char *pixel(const Image *im, unsigned x, unsigned y)
{
    return im->rgb + 3 * ((size_t)y * im->w + x);
}

static bool near_rgb(const unsigned char *p, unsigned rgb, int tol)
{
    int want[3] = {(int)(rgb >> 16) & 0xff, (int)(rgb >> 8) & 0xff, (int)rgb & 0xff};
    for (int i = 0; i < 3; i++)
        if (abs(p[i] - want[i]) > tol)
            return false;
    return true;
}

/* colour c over white at opacity a, or mixed a : 1 - a with white */
static unsigned over_white(unsigned c, double a)
{
    unsigned out = 0;
    for (int shift = 16; shift >= 0; shift -= 8)
        out = out << 8 | (unsigned)lround(a * ((c >> shift) & 0xff) + (1.0 - a) * 255.0);
    return out;
}

/* The ink of axes and text, or its antialiased edge: a grey darker than the grid. */
static bool is_ink(const unsigned char *p)
{
    return p[0] < 170 && abs(p[0] - p[1]) < 12 && abs(p[1] - p[2]) < 12;
}

typedef struct {
    unsigned left, right, top, bottom; /* pixel rows and columns of the panel's frame */
} Frame;

/* The frame of the one panel inside [x0,x1) x [y0,y1) of the image: the outermost columns
 * and rows of ink longer than a third of the region (text and ticks are shorter). */
static Frame frame_find(const Image *im, unsigned x0, unsigned x1, unsigned y0, unsigned y1)
{
    Frame f = {x1, x0, y1, y0};
    for (unsigned x = x0; x < x1; x++) {
        unsigned n = 0;
        for (unsigned y = y0; y < y1; y++)
            n += is_ink(pixel(im, x, y));
        if (n > (y1 - y0) / 3) {
            f.left = x < f.left ? x : f.left;
            f.right = x;
        }
    }
    for (unsigned y = y0; y < y1; y++) {
        unsigned n = 0;
        for (unsigned x = x0; x < x1; x++)
            n += is_ink(pixel(im, x, y));
        if (n > (x1 - x0) / 3) {
            f.top = y < f.top ? y : f.top;
            f.bottom = y;
        }
    }
    if (!(f.right > f.left + 50 && f.bottom > f.top + 50))
        fail_msg("no panel frame in [%u,%u) x [%u,%u)", x0, x1, y0, y1);
    return f;
}

/* The pixel column and row of the point at fractions (fx, fy) of the frame's width and
 * height (fy from the bottom): where data lands on tight axes. */
static unsigned frame_col(const Frame *f, double fx)
{
    return f->left + (unsigned)lround(fx * (f->right - f->left));
}

static unsigned frame_row(const Frame *f, double fy)
{
    return f->bottom - (unsigned)lround(fy * (f->bottom - f->top));
}

static PlotFigure *open_figure(const char *path, int width, int height, int rows, int cols,
                               bool fields)
{
    PlotLayout l = {.width = width, .height = height, .rows = rows, .cols = cols, .fields = fields};
    char err[256] = "";
    PlotFigure *f = plot_open_file(path, &l, err, sizeof err);
    if (!f)
        fail_msg("plot_open_file %s: %s", path, err);
    return f;
}

static void close_figure(PlotFigure *f)
{
    char err[256] = "";
    if (plot_close(f, err, sizeof err) != 0)
        fail_msg("plot_close: %s", err);
}

/* Axes whose data range fills the frame exactly. */
static PlotAxes tight_axes(const char *title, double x0, double x1, double y0, double y1)
{
    return (PlotAxes){.title = title,
                      .xlabel = "x",
                      .ylabel = "y",
                      .x0 = x0,
                      .x1 = x1,
                      .y0 = y0,
                      .y1 = y1,
                      .tight = true};
}

/* A band from 0.25 to 0.75 under its line at 0.5: inside, the tint of the line's colour
 * at the band's opacity (but on grid lines and the line); outside, no tint. One epoch of
 * 100000 reaches 0.95, and the reduced band still shows it. */
static void test_band_is_a_tint_between_its_curves_under_its_line(void **state)
{
    Tmp *t = *state;
    /* between the grid lines at 60000 and 80000, inside a run of 200 epochs */
    enum { N = 100000, SPIKE = 70077 };
    double *lo = malloc(N * sizeof *lo), *hi = malloc(N * sizeof *hi);
    double *mid = malloc(N * sizeof *mid);
    assert_true(lo && hi && mid);
    for (int i = 0; i < N; i++) {
        lo[i] = 0.25;
        hi[i] = 0.75;
        mid[i] = 0.5;
    }
    hi[SPIKE] = 0.95;
    unsigned blue = plot_cycle_colour(0), tint = over_white(blue, 0.25);
    PlotFigure *f = open_figure(tmp_file(t, "band.png"), 600, 400, 1, 1, false);
    PlotAxes axes = tight_axes("band", 1, N, 0, 1);
    plot_panel(f, 0, &axes);
    plot_band(f, lo, hi, N, blue, 0);
    plot_line(f, mid, N, (PlotStyle){.colour = blue});
    close_figure(f);

    Image im = png_load(t->path);
    Frame fr = frame_find(&im, 0, im.w, 0, im.h);
    unsigned col = frame_col(&fr, 0.37); /* between the grid lines at 20000 and 40000 */
    long inside = 0, tinted_inside = 0;
    for (unsigned y = fr.top + 2; y + 2 <= fr.bottom; y++) {
        double v = (double)(fr.bottom - y) / (fr.bottom - fr.top);
        const unsigned char *p = pixel(&im, col, y);
        bool on_grid_or_line = fabs(v - 0.4) < 0.02 || fabs(v - 0.5) < 0.02 || fabs(v - 0.6) < 0.02;
        if (v > 0.27 && v < 0.73 && !on_grid_or_line) {
            inside++;
            tinted_inside += near_rgb(p, tint, 4);
        } else if (v < 0.23 || v > 0.77) {
            if (near_rgb(p, tint, 12))
                fail_msg("tint outside the band at %.3f (row %u)", v, y);
        }
    }
    assert_true(inside > 80);
    assert_int_equal(tinted_inside, inside);
    assert_true(near_rgb(pixel(&im, col, frame_row(&fr, 0.5)), blue, 40)); /* the line on top */

    /* the spike: a column of (antialiased) tint at 0.9 near its epoch; none elsewhere */
    unsigned spike = frame_col(&fr, (SPIKE + 1.0 - 1.0) / (N - 1.0)), row = frame_row(&fr, 0.9);
    bool found = false;
    for (unsigned x = spike - 3; x <= spike + 3; x++) {
        const unsigned char *p = pixel(&im, x, row);
        found |= p[2] > p[0] + 8; /* bluer than white or grey */
    }
    assert_true(found);
    assert_true(near_rgb(pixel(&im, col, row), 0xffffff, 0));
    free(im.rgb);
    free(lo);
    free(hi);
    free(mid);
    assert_int_equal(dir_entries(t), 1);
}

/* Runs of a colour along one row of the frame, and how many of its pixels have it. */
static int colour_runs(const Image *im, const Frame *fr, unsigned row, PixelKind kind, long *count)
{
    int runs = 0;
    bool in = false;
    *count = 0;
    for (unsigned x = fr->left + 3; x + 3 <= fr->right; x++) {
        bool is = pixel_is(pixel(im, x, row), kind);
        runs += is && !in;
        *count += is;
        in = is;
    }
    return runs;
}

/* The same level line, solid and dashed: the dashed one has gaps all along. */
static void test_dashed_line_has_gaps(void **state)
{
    Tmp *t = *state;
    double v[100];
    for (int i = 0; i < 100; i++)
        v[i] = 0.5;
    for (int dashed = 0; dashed < 2; dashed++) {
        const char *name = dashed ? "dashed.png" : "solid.png";
        PlotFigure *f = open_figure(tmp_file(t, name), 600, 400, 1, 1, false);
        PlotAxes axes = tight_axes(name, 1, 100, 0, 1);
        plot_panel(f, 0, &axes);
        plot_line(f, v, 100, (PlotStyle){.colour = plot_cycle_colour(1), .dashed = dashed});
        close_figure(f);
        Image im = png_load(t->path);
        Frame fr = frame_find(&im, 0, im.w, 0, im.h);
        /* the line's row: the one with the most orange */
        unsigned row = 0;
        long best = -1, count;
        for (unsigned y = fr.top; y < fr.bottom; y++) {
            colour_runs(&im, &fr, y, PIX_ORANGE, &count);
            if (count > best) {
                best = count;
                row = y;
            }
        }
        int runs = colour_runs(&im, &fr, row, PIX_ORANGE, &count);
        double share = (double)count / (fr.right - fr.left - 5);
        print_message("%s: %d runs of orange over %.0f%% of the row\n", name, runs, 100 * share);
        if (dashed) {
            assert_true(runs >= 20);
            assert_true(share > 0.3 && share < 0.7);
        } else {
            assert_int_equal(runs, 1);
            assert_true(share > 0.98);
        }
        free(im.rgb);
    }
}

/* A probability field that steps from 0 to 1 at x = 0.5: the left half in class 0's red
 * tint, the right half in class 1's blue one, and the 0.5 contour between them. Few cells,
 * so that a cell drawn off its centre (by half a cell, 26 px) shows. */
static void test_field_of_a_step_is_red_left_blue_right_with_the_contour_between(void **state)
{
    Tmp *t = *state;
    enum { G = 10 };
    static double v[G * G];
    for (int j = 0; j < G; j++)
        for (int i = 0; i < G; i++)
            v[j * G + i] = i >= G / 2; /* x_i = i / (G - 1): the step between 4/9 and 5/9 */
    PlotField field = {.v = v,
                       .nx = G,
                       .ny = G,
                       .k = 1,
                       .x0 = 0,
                       .x1 = 1,
                       .y0 = 0,
                       .y1 = 1,
                       .kind = PLOT_FIELD_PROBABILITY};
    PlotFigure *f = open_figure(tmp_file(t, "step.png"), 600, 500, 1, 1, true);
    PlotAxes axes = tight_axes("step", 0, 1, 0, 1);
    plot_panel(f, 0, &axes);
    plot_field(f, &field);
    plot_contour(f, &field, 0.5);
    close_figure(f);

    Image im = png_load(t->path);
    Frame fr = frame_find(&im, 0, im.w, 0, im.h);
    /* a sure cell is halfway from white to its class colour */
    unsigned red = over_white(plot_class_colour(0), 0.5),
             blue = over_white(plot_class_colour(1), 0.5);
    for (double fy = 0.05; fy < 0.96; fy += 0.1) {
        unsigned row = frame_row(&fr, fy);
        for (double fx = 0.03; fx < 0.47; fx += 0.04) {
            assert_true(near_rgb(pixel(&im, frame_col(&fr, fx), row), red, 1));
            assert_true(near_rgb(pixel(&im, frame_col(&fr, 1 - fx), row), blue, 1));
        }
        /* the contour: ink within two pixels of the middle, and nowhere else on the row */
        unsigned mid = frame_col(&fr, 0.5);
        bool ink_mid = false;
        for (unsigned x = fr.left + 3; x + 3 <= fr.right; x++) {
            bool ink = is_ink(pixel(&im, x, row));
            if (ink && (x + 2 < mid || x > mid + 2))
                fail_msg("ink at column %u of a row whose contour is at %u", x, mid);
            ink_mid |= ink;
        }
        assert_true(ink_mid);
    }
    free(im.rgb);
}

/* Where a contour is drawn: around a disc, a closed line at its radius (no gap at any
 * angle); through a single saddle cell, the two lines that keep the centre's side joined.
 * Ink near a point of the frame, in fractions of it, within r pixels. */
static bool ink_near(const Image *im, const Frame *fr, double fx, double fy, int r)
{
    int cx = (int)frame_col(fr, fx), cy = (int)frame_row(fr, fy);
    for (int y = cy - r; y <= cy + r; y++)
        for (int x = cx - r; x <= cx + r; x++)
            if (is_ink(pixel(im, (unsigned)x, (unsigned)y)))
                return true;
    return false;
}

static void test_contour_closes_loops_and_splits_saddles(void **state)
{
    Tmp *t = *state;
    /* few cells (25 px), so that a missing segment leaves a visible gap (at radius 0.32 the
     * segment that closes the loop is a cell long); the value falls linearly with the
     * radius, so that the crossings lie on the circle */
    enum { G = 20 };
    static double disc[G * G];
    for (int j = 0; j < G; j++)
        for (int i = 0; i < G; i++)
            disc[j * G + i] = 0.82 - hypot(i / (G - 1.0) - 0.5, j / (G - 1.0) - 0.5);
    /* one cell; corners (0,0) 1, (1,0) 0, (1,1) 0.9, (0,1) 0.2: the mean, 0.525, is above
     * 0.5, so the lines cut off the corners below: (1,0) and (0,1) */
    double saddle[4] = {1.0, 0.0, 0.2, 0.9};
    PlotField fields[2] = {
        {.v = disc, .nx = G, .ny = G, .k = 1, .x1 = 1, .y1 = 1, .kind = PLOT_FIELD_PROBABILITY},
        {.v = saddle, .nx = 2, .ny = 2, .k = 1, .x1 = 1, .y1 = 1, .kind = PLOT_FIELD_PROBABILITY},
    };
    const char *names[2] = {"disc.png", "saddle.png"};
    for (int k = 0; k < 2; k++) {
        PlotFigure *f = open_figure(tmp_file(t, names[k]), 600, 560, 1, 1, true);
        PlotAxes axes = tight_axes(names[k], 0, 1, 0, 1);
        plot_panel(f, 0, &axes);
        plot_contour(f, &fields[k], 0.5);
        close_figure(f);
    }
    Image im = png_load(tmp_file(t, "disc.png"));
    Frame fr = frame_find(&im, 0, im.w, 0, im.h);
    for (int deg = 0; deg < 360; deg++) {
        double a = deg * 3.14159265358979 / 180, c = cos(a), s = sin(a);
        if (!ink_near(&im, &fr, 0.5 + 0.32 * c, 0.5 + 0.32 * s, 3))
            fail_msg("no contour at %d degrees", deg);
        assert_false(ink_near(&im, &fr, 0.5 + 0.22 * c, 0.5 + 0.22 * s, 3));
        assert_false(ink_near(&im, &fr, 0.5 + 0.42 * c, 0.5 + 0.42 * s, 3));
    }
    free(im.rgb);
    im = png_load(tmp_file(t, "saddle.png"));
    fr = frame_find(&im, 0, im.w, 0, im.h);
    /* the right lines: (0.5, 0) - (1, 0.56) and (0.43, 1) - (0, 0.625); the wrong ones
     * would join (0.5, 0) - (0, 0.625) and (1, 0.56) - (0.43, 1) */
    assert_true(ink_near(&im, &fr, 0.75, 0.278, 3));
    assert_true(ink_near(&im, &fr, 0.214, 0.8125, 3));
    assert_false(ink_near(&im, &fr, 0.25, 0.3125, 6));
    assert_false(ink_near(&im, &fr, 0.714, 0.778, 6));
    free(im.rgb);
}

/* NaN cells stay blank, and no contour is drawn into or around them. */
static void test_field_leaves_nan_cells_blank(void **state)
{
    Tmp *t = *state;
    enum { G = 10 };
    double v[G * G];
    for (int j = 0; j < G; j++)
        for (int i = 0; i < G; i++)
            v[j * G + i] = j < G / 2 ? 1.0 : NAN; /* cells below y = 0.5 sure of class 1 */
    PlotField field = {
        .v = v, .nx = G, .ny = G, .k = 1, .x1 = 1, .y1 = 1, .kind = PLOT_FIELD_PROBABILITY};
    PlotFigure *f = open_figure(tmp_file(t, "nan-field.png"), 600, 500, 1, 1, true);
    PlotAxes axes = tight_axes("nan", 0, 1, 0, 1);
    plot_panel(f, 0, &axes);
    plot_field(f, &field);
    plot_contour(f, &field, 0.5);
    close_figure(f);
    Image im = png_load(t->path);
    Frame fr = frame_find(&im, 0, im.w, 0, im.h);
    unsigned blue = over_white(plot_class_colour(1), 0.5);
    for (double fx = 0.05; fx < 1; fx += 0.1) {
        assert_true(near_rgb(pixel(&im, frame_col(&fr, fx), frame_row(&fr, 0.2)), blue, 1));
        const unsigned char *p = pixel(&im, frame_col(&fr, fx), frame_row(&fr, 0.75));
        assert_true(near_rgb(p, 0xffffff, 0) || near_rgb(p, 0xe3e3e3, 1)); /* page or grid */
    }
    for (unsigned y = fr.top + 3; y + 3 <= fr.bottom; y++)
        for (unsigned x = fr.left + 3; x + 3 <= fr.right; x++)
            if (is_ink(pixel(&im, x, y)))
                fail_msg("ink at (%u, %u) inside the frame", x, y);
    free(im.rgb);
}

/* The 16 classes a network can have each get a colour of their own (classes 4, 8 and 12
 * were class 0's red again), far enough apart to tell (more than 40 of 255 per channel,
 * as a Euclidean RGB distance); the first four are the red, blue, orange and cyan figures
 * of up to four classes always had, so that those figures do not change. */
static void test_class_colours_are_16_distinct_keeping_the_first_four(void **state)
{
    (void)state;
    const unsigned first[4] = {0xd62728, 0x1f77b4, 0xff7f0e, 0x17becf};
    for (int k = 0; k < 4; k++)
        assert_int_equal(plot_class_colour(k), first[k]);
    for (int a = 0; a < 16; a++)
        for (int b = a + 1; b < 16; b++) {
            unsigned x = plot_class_colour(a), y = plot_class_colour(b);
            double d2 = 0;
            for (int shift = 0; shift <= 16; shift += 8) {
                double d = (double)((x >> shift) & 0xff) - (double)((y >> shift) & 0xff);
                d2 += d * d;
            }
            if (sqrt(d2) <= 40.0)
                fail_msg("classes %d and %d: %06x and %06x, %.1f apart", a, b, x, y, sqrt(d2));
        }
}

/* Three classes, each sure in a third of the plane: three tints, two boundaries. */
static void test_class_field_tints_each_class_region(void **state)
{
    Tmp *t = *state;
    enum { G = 150, K = 3 };
    static double v[G * G * K];
    for (int j = 0; j < G; j++)
        for (int i = 0; i < G; i++)
            for (int c = 0; c < K; c++)
                v[(j * G + i) * K + c] = c == 3 * i / G;
    PlotField field = {.v = v,
                       .nx = G,
                       .ny = G,
                       .k = K,
                       .x0 = 0,
                       .x1 = 1,
                       .y0 = 0,
                       .y1 = 1,
                       .kind = PLOT_FIELD_CLASSES};
    PlotFigure *f = open_figure(tmp_file(t, "classes.png"), 600, 500, 1, 1, true);
    PlotAxes axes = tight_axes("classes", 0, 1, 0, 1);
    plot_panel(f, 0, &axes);
    plot_field(f, &field);
    plot_contour(f, &field, 0.5);
    close_figure(f);

    Image im = png_load(t->path);
    Frame fr = frame_find(&im, 0, im.w, 0, im.h);
    unsigned row = frame_row(&fr, 0.5);
    for (int c = 0; c < K; c++)
        assert_true(near_rgb(pixel(&im, frame_col(&fr, (c + 0.5) / K), row),
                             over_white(plot_class_colour(c), 0.5), 1));
    int boundaries = 0;
    bool in = false;
    for (unsigned x = fr.left + 3; x + 3 <= fr.right; x++) {
        bool ink = is_ink(pixel(&im, x, row));
        boundaries += ink && !in;
        in = ink;
    }
    assert_int_equal(boundaries, 2);
    free(im.rgb);
}

/* A realistic map: a 200x200 field, its contour, 100 training and 100 test points (the
 * linear set's size) and a legend. The SVG embeds the field as one image (PLplot's svg
 * driver would write 40000 cells, 10 MB) and stays under 300 KB. (Each marker is a polygon
 * of its own, about 0.6 KB of SVG: ten times the points would not fit.) */
static void test_field_svg_of_200x200_stays_small(void **state)
{
    Tmp *t = *state;
    enum { G = 200, P = 100 };
    static double v[G * G], xy[2 * P], test_xy[2 * P];
    static int cls[P], test_cls[P];
    for (int j = 0; j < G; j++)
        for (int i = 0; i < G; i++) {
            double x = (double)i / (G - 1) - 0.5, y = (double)j / (G - 1) - 0.5;
            v[j * G + i] = 1.0 / (1.0 + exp(-40.0 * x * y + 2.0 * sin(6.0 * x)));
        }
    Rng rng;
    rng_seed(&rng, 9);
    for (int i = 0; i < P; i++) {
        for (int d = 0; d < 2; d++) {
            xy[2 * i + d] = rng_uniform(&rng);
            test_xy[2 * i + d] = rng_uniform(&rng);
        }
        cls[i] = (xy[2 * i] > 0.5) == (xy[2 * i + 1] > 0.5);
        test_cls[i] = (test_xy[2 * i] > 0.5) == (test_xy[2 * i + 1] > 0.5);
    }
    const char *names[2] = {"class 0", "class 1"};
    PlotField field = {.v = v,
                       .nx = G,
                       .ny = G,
                       .k = 1,
                       .x0 = 0,
                       .x1 = 1,
                       .y0 = 0,
                       .y1 = 1,
                       .kind = PLOT_FIELD_PROBABILITY};
    const char *files[2] = {"map.svg", "map.png"};
    long size[2];
    for (int k = 0; k < 2; k++) {
        char path[256];
        snprintf(path, sizeof path, "%s", tmp_file(t, files[k]));
        PlotFigure *f = open_figure(path, 600, 520, 1, 1, true);
        PlotAxes axes = tight_axes("lr 0.1", 0, 1, 0, 1);
        plot_panel(f, 0, &axes);
        plot_field(f, &field);
        plot_contour(f, &field, 0.5);
        plot_points(f, &(PlotPoints){.xy = xy, .cls = cls, .n = P, .k = 2, .names = names});
        plot_points(
            f, &(PlotPoints){.xy = test_xy, .cls = test_cls, .n = P, .k = 2, .outlined = true});
        plot_legend(f);
        close_figure(f);
        size[k] = file_size(path);
    }
    print_message("200x200 map, 2 x %d points: svg %ld bytes, png %ld bytes\n", P, size[0],
                  size[1]);
    assert_true(size[0] > 0 && size[0] < 300 * 1024);
    const char *svg = tmp_file(t, "map.svg");
    assert_well_formed_xml(svg);
    char *raw = read_all(svg, NULL);
    assert_non_null(strstr(raw, "<image"));
    assert_null(strstr(strstr(raw, "<image") + 1, "<image")); /* one image: the field */
    free(raw);
}

/* Points of class k only in panel k of a 2x2 grid: each class's colour is in its own
 * quarter of the page and nowhere else; the titles are the panels' (SVG text). */
static void test_grid_2x2_puts_each_panel_in_its_quarter(void **state)
{
    Tmp *t = *state;
    enum { P = 30 };
    double xy[2 * P];
    int cls[4][P];
    Rng rng;
    rng_seed(&rng, 11);
    for (int i = 0; i < P; i++) {
        xy[2 * i] = 0.3 + 0.4 * rng_uniform(&rng);
        xy[2 * i + 1] = 0.3 + 0.4 * rng_uniform(&rng);
        for (int k = 0; k < 4; k++)
            cls[k][i] = k;
    }
    const char *titles[4] = {"run a", "run b", "run c", "run #d"};
    const char *files[2] = {"grid.png", "grid.svg"};
    for (int k = 0; k < 2; k++) {
        PlotFigure *f = open_figure(tmp_file(t, files[k]), 800, 700, 2, 2, false);
        for (int panel = 0; panel < 4; panel++) {
            PlotAxes axes = tight_axes(titles[panel], 0, 1, 0, 1);
            plot_panel(f, panel, &axes);
            plot_points(f, &(PlotPoints){.xy = xy, .cls = cls[panel], .n = P, .k = 4});
        }
        close_figure(f);
    }
    Image im = png_load(tmp_file(t, "grid.png"));
    unsigned hw = im.w / 2, hh = im.h / 2;
    for (int panel = 0; panel < 4; panel++) {
        unsigned want = plot_class_colour(panel);
        long counts[4] = {0};
        for (unsigned y = 0; y < im.h; y++)
            for (unsigned x = 0; x < im.w; x++)
                if (near_rgb(pixel(&im, x, y), want, 2))
                    counts[(y >= hh) * 2 + (x >= hw)]++;
        for (int q = 0; q < 4; q++)
            if (q == panel ? counts[q] < P * 40 : counts[q] != 0)
                fail_msg("class %d: %ld pixels in quarter %d", panel, counts[q], q);
        /* and inside that quarter, within the panel's frame */
        Frame fr = frame_find(&im, (panel % 2) * hw, (panel % 2) * hw + hw, (panel / 2) * hh,
                              (panel / 2) * hh + hh);
        double cx, cy;
        long n = 0;
        cx = cy = 0;
        for (unsigned y = fr.top; y <= fr.bottom; y++)
            for (unsigned x = fr.left; x <= fr.right; x++)
                if (near_rgb(pixel(&im, x, y), want, 2)) {
                    n++;
                    cx += x;
                    cy += y;
                }
        assert_int_equal(n, counts[panel]);
        /* the points sit around the middle of the frame */
        assert_true(fabs(cx / n - (fr.left + fr.right) / 2.0) < 0.1 * (fr.right - fr.left));
        assert_true(fabs(cy / n - (fr.top + fr.bottom) / 2.0) < 0.1 * (fr.bottom - fr.top));
    }
    free(im.rgb);
    char *text = svg_text(tmp_file(t, "grid.svg"));
    for (int panel = 0; panel < 4; panel++)
        assert_contains(text, titles[panel]);
    free(text);
}

/* Training points are discs, test points rings: the centre of a ring is not its colour;
 * the legend names the classes, and the test points in one entry. */
static void test_points_filled_and_outlined_with_class_legend(void **state)
{
    Tmp *t = *state;
    double train[2] = {0.25, 0.5}, test[2] = {0.75, 0.5};
    int one = 1;
    const char *names[2] = {"negative", "positive"};
    const char *files[2] = {"points.png", "points.svg"};
    for (int k = 0; k < 2; k++) {
        PlotFigure *f = open_figure(tmp_file(t, files[k]), 600, 400, 1, 1, false);
        PlotAxes axes = tight_axes("points", 0, 1, 0, 1);
        plot_panel(f, 0, &axes);
        plot_points(f, &(PlotPoints){.xy = train, .cls = &one, .n = 1, .k = 2, .names = names});
        plot_points(f, &(PlotPoints){
                           .xy = test, .cls = &one, .n = 1, .k = 2, .name = "every test point",
                           .outlined = true});
        plot_legend(f);
        close_figure(f);
    }
    Image im = png_load(tmp_file(t, "points.png"));
    Frame fr = frame_find(&im, 0, im.w, 0, im.h);
    unsigned row = frame_row(&fr, 0.5), blue = plot_class_colour(1);
    assert_true(near_rgb(pixel(&im, frame_col(&fr, 0.25), row), blue, 2));
    assert_true(near_rgb(pixel(&im, frame_col(&fr, 0.75), row), 0xffffff, 2));
    /* the ring: blue 5 px left and right of its centre */
    unsigned c = frame_col(&fr, 0.75);
    bool left = false, right = false;
    for (unsigned d = 3; d <= 7; d++) {
        left |= pixel_is(pixel(&im, c - d, row), PIX_BLUE);
        right |= pixel_is(pixel(&im, c + d, row), PIX_BLUE);
    }
    assert_true(left && right);
    free(im.rgb);
    char *text = svg_text(tmp_file(t, "points.svg"));
    assert_contains(text, "negative");
    assert_contains(text, "positive");
    assert_contains(text, "every test point"); /* one entry for points without class names */
    free(text);
}

/* The legend's place counts a hidden marker as worse than a short stretch of line: with a
 * legend as wide as the panel, its top places would hide some of the 9 markers along the
 * top, its middle and bottom places 0.2 of the panel's width of line each. A marker counted
 * as 5 px of line put the legend over the markers (the moons' map hid 8 points of a moon);
 * now it goes over the line at the bottom and every marker shows. */
static void test_legend_hides_a_short_line_rather_than_points(void **state)
{
    Tmp *t = *state;
    enum { M = 9 };
    double xy[2 * M];
    int cls[M];
    for (int i = 0; i < M; i++)
        xy[2 * i] = 0.1 + 0.1 * i, xy[2 * i + 1] = 0.93, cls[i] = 1;
    const char *names[2] = {"class 0, a label long enough to make the legend span the panel",
                            "class 1, a label long enough to make the legend span the panel"};
    double middle[3] = {NAN, 0.5, 0.5}, bottom[3] = {NAN, 0.07, 0.07}; /* x = 0.4 to 0.6 */
    PlotFigure *f = open_figure(tmp_file(t, "legend.png"), 600, 400, 1, 1, false);
    PlotAxes axes = tight_axes("legend", 0, 1, 0, 1);
    plot_panel(f, 0, &axes);
    plot_line(f, middle, 3, (PlotStyle){.colour = 0x000000, .x_step = 0.2});
    plot_line(f, bottom, 3, (PlotStyle){.colour = 0x000000, .x_step = 0.2});
    plot_points(f, &(PlotPoints){.xy = xy, .cls = cls, .n = M, .k = 2, .names = names});
    plot_legend(f);
    close_figure(f);

    Image im = png_load(t->path);
    Frame fr = frame_find(&im, 0, im.w, 0, im.h);
    for (int i = 0; i < M; i++)
        if (!near_rgb(pixel(&im, frame_col(&fr, xy[2 * i]), frame_row(&fr, xy[2 * i + 1])),
                      plot_class_colour(1), 2))
            fail_msg("the marker at x = %.1f is hidden", xy[2 * i]);
    free(im.rgb);
}

/* Ink in rows [y0, y1) and columns [x0, x1) of the image. */
static long ink_in(const Image *im, unsigned x0, unsigned x1, unsigned y0, unsigned y1)
{
    long n = 0;
    for (unsigned y = y0; y < y1 && y < im->h; y++)
        for (unsigned x = x0; x < x1 && x < im->w; x++)
            n += pixel_is(pixel(im, x, y), PIX_NONWHITE);
    return n;
}

/* A note too long for one line of the page (here 235 characters, which ran off both edges
 * of a 1200 px page) is wrapped onto two lines at a separator and stays inside the page; a
 * note that fits a little smaller (140 characters) stays one line inside the page. Both
 * stay above the panels' titles. */
static void test_long_note_fits_the_page(void **state)
{
    Tmp *t = *state;
    const double v[2] = {0.3, 0.2};
    PlotCurve c = {"run", v, v, 2, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL};
    char note[512] = "";
    for (int i = 0; strlen(note) < 220; i++)
        snprintf(note + strlen(note), sizeof note - strlen(note), "%ssetting %d value %d",
                 i ? ", " : "", i, 1000 + i);
    size_t lengths[2] = {strlen(note), 140};
    for (int k = 0; k < 2; k++) {
        note[lengths[k]] = '\0';
        char err[256] = "";
        if (plot_curves(tmp_file(t, "note.png"), &c, 1, note, err, sizeof err) != 0)
            fail_msg("plot_curves: %s", err);
        Image im = png_load(t->path);
        /* the note's band: the 55 rows above the panels' titles (whose ink starts 58 px
         * from the top of this page), and no ink within 4 px of either edge of the page */
        unsigned band = 55;
        assert_int_equal(ink_in(&im, 0, im.w, band, band + 3), 0);
        long left = ink_in(&im, 0, 4, 0, band), right = ink_in(&im, im.w - 4, im.w, 0, band);
        long upper = ink_in(&im, 0, im.w, 0, 22), lower = ink_in(&im, 0, im.w, 26, band);
        if (left || right)
            fail_msg("%zu characters: the note runs off the page (%ld px of ink at the left "
                     "edge, %ld at the right)",
                     lengths[k], left, right);
        if (k == 0 && (upper < 500 || lower < 500))
            fail_msg("%zu characters: not two lines (%ld px of ink above, %ld below)",
                     lengths[k], upper, lower);
        free(im.rgb);
    }
    /* a note of about 400 characters is drawn whole, not cut at a buffer's end */
    note[0] = '\0';
    for (int i = 0; strlen(note) < 380; i++)
        snprintf(note + strlen(note), sizeof note - strlen(note), "%ssetting %d value %d",
                 i ? ", " : "", i, 1000 + i);
    snprintf(note + strlen(note), sizeof note - strlen(note), ", last setting 7");
    char err[256] = "";
    if (plot_curves(tmp_file(t, "note.svg"), &c, 1, note, err, sizeof err) != 0)
        fail_msg("plot_curves: %s", err);
    char *text = svg_text(t->path);
    assert_non_null(strstr(text, "last setting 7"));
    free(text);
}

/* A legend of 32 entries (16 classes, and their test points named each) takes more columns
 * rather than run off the page: one column of 32 entries is taller than the panel. */
static void test_legend_of_many_entries_takes_columns(void **state)
{
    Tmp *t = *state;
    enum { K = 16 };
    double xy[2 * K];
    int cls[K];
    char name[K][16], tested_name[K][24];
    const char *names[K], *tested[K];
    for (int c = 0; c < K; c++) {
        double a = 2 * 3.141592653589793 * c / K;
        xy[2 * c] = 0.5 + 0.4 * cos(a), xy[2 * c + 1] = 0.5 + 0.4 * sin(a);
        cls[c] = c;
        snprintf(name[c], sizeof name[c], "class %d", c);
        snprintf(tested_name[c], sizeof tested_name[c], "class %d, test", c);
        names[c] = name[c], tested[c] = tested_name[c];
    }
    PlotFigure *f = open_figure(tmp_file(t, "legend.png"), 900, 760, 1, 1, false);
    PlotAxes axes = tight_axes(NULL, 0, 1, 0, 1);
    plot_panel(f, 0, &axes);
    plot_points(f, &(PlotPoints){.xy = xy, .cls = cls, .n = K, .k = K, .names = names});
    plot_points(f, &(PlotPoints){
                       .xy = xy, .cls = cls, .n = K, .k = K, .names = tested, .outlined = true});
    plot_legend(f);
    close_figure(f);
    Image im = png_load(t->path);
    /* no title and no note: the page's first and last 12 rows are blank unless the legend
     * runs off the panel there */
    long top = ink_in(&im, 0, im.w, 0, 12), bottom = ink_in(&im, 0, im.w, im.h - 12, im.h);
    free(im.rgb);
    if (top || bottom)
        fail_msg("%ld px of ink in the page's first 12 rows, %ld in its last: the legend runs "
                 "off the page",
                 top, bottom);
}

/* A map's data that fills its panel: a 2x2 field of 0.5 in field, a side x side grid of
 * points over [0, 1]^2 in xy, class 1 below the diagonal (cls). */
static void filled_map_data(double *field, double *xy, int *cls, int side)
{
    for (int i = 0; i < 4; i++)
        field[i] = 0.5;
    for (int i = 0; i < side * side; i++) {
        xy[2 * i] = (i % side) / (side - 1.0), xy[2 * i + 1] = (i / side) / (side - 1.0);
        cls[i] = xy[2 * i] > xy[2 * i + 1];
    }
}

/* The maps' legend goes beside them, in a strip at the page's right, and hides no point:
 * two maps whose points fill their panels show as much of each class's colour as with no
 * legend at all, and the strip holds the legend. */
static void test_maps_legend_beside_hides_no_point(void **state)
{
    Tmp *t = *state;
    enum { SIDE = 9, N = SIDE * SIDE };
    double field[2 * 2], xy[2 * N];
    int cls[N];
    filled_map_data(field, xy, cls, SIDE);
    const char *names[2] = {"class 0", "class 1"};
    PlotMap maps[2];
    for (int m = 0; m < 2; m++)
        maps[m] = (PlotMap){.title = m ? "b" : "a",
                            .field = {.v = field, .nx = 2, .ny = 2, .k = 1, .x0 = -0.1,
                                      .x1 = 1.1, .y0 = -0.1, .y1 = 1.1,
                                      .kind = PLOT_FIELD_PROBABILITY},
                            .train = {.xy = xy, .cls = cls, .n = N, .k = 2}};
    char err[256] = "";
    if (plot_maps(tmp_file(t, "plain.png"), maps, 2, NULL, err, sizeof err) != 0)
        fail_msg("plot_maps: %s", err);
    Image plain = png_load(t->path);
    maps[0].train.names = maps[1].train.names = names;
    if (plot_maps(tmp_file(t, "named.png"), maps, 2, NULL, err, sizeof err) != 0)
        fail_msg("plot_maps: %s", err);
    Image named = png_load(t->path);
    const PixelKind kinds[2] = {PIX_RED, PIX_BLUE};
    unsigned maps_w = plain.w - 42; /* the panels: the last ends 42 px before the strip */
    for (int c = 0; c < 2; c++) {
        long a = count_pixels(&plain, kinds[c], 0, maps_w, NULL, NULL);
        long b = count_pixels(&named, kinds[c], 0, maps_w, NULL, NULL);
        if (labs(a - b) > 40) /* a marker is about 95 px; edges may shade a little apart */
            fail_msg("class %d: %ld px in the maps without a legend, %ld with one", c, a, b);
    }
    assert_true(named.w > plain.w);
    assert_true(ink_in(&named, plain.w, named.w, 0, named.h) > 100);
    free(plain.rgb);
    free(named.rgb);
}

/* A map panel drawn with its own legend (as the live window's, in a 2x2 page) keeps the
 * legend in a strip of its cell beside the map, over no point and inside the cell: points
 * filling the map show as much colour as with no legend, plus the legend's own markers,
 * and the cell to its right stays blank. */
static void test_map_panel_legend_beside_in_its_cell(void **state)
{
    Tmp *t = *state;
    enum { SIDE = 9, N = SIDE * SIDE, W = 1400, H = 880 };
    double field[2 * 2], xy[2 * N];
    int cls[N];
    filled_map_data(field, xy, cls, SIDE);
    const char *names[2] = {"class 0", "class 1"};
    PlotMap map = {.title = "map",
                   .field = {.v = field, .nx = 2, .ny = 2, .k = 1, .x0 = -0.1, .x1 = 1.1,
                             .y0 = -0.1, .y1 = 1.1, .kind = PLOT_FIELD_PROBABILITY},
                   .train = {.xy = xy, .cls = cls, .n = N, .k = 2}};
    Image im[2];
    for (int named = 0; named < 2; named++) {
        map.train.names = named ? names : NULL;
        PlotFigure *f = open_figure(tmp_file(t, named ? "named.png" : "plain.png"), W, H, 2, 2,
                                    true);
        plot_map_panel(f, 2, &map, named);
        close_figure(f);
        im[named] = png_load(t->path);
    }
    const PixelKind kinds[2] = {PIX_RED, PIX_BLUE};
    for (int c = 0; c < 2; c++) {
        /* the bottom left cell holds the map and, with names, its legend */
        long plain = 0, named = 0;
        for (int half = 0; half < 2; half++) {
            Image *m = &im[half];
            long n = 0;
            for (unsigned y = H / 2; y < H; y++)
                for (unsigned x = 0; x < W / 2; x++)
                    n += pixel_is(pixel(m, x, y), kinds[c]);
            *(half ? &named : &plain) = n;
        }
        /* each class's legend marker adds some colour; a legend over points would hide a
         * few markers of about 95 px each */
        if (named < plain || named > plain + 400)
            fail_msg("class %d: %ld px in the cell without a legend, %ld with one beside", c,
                     plain, named);
    }
    assert_int_equal(ink_in(&im[1], W / 2, W, H / 2, H), 0);
    assert_true(ink_in(&im[1], 0, W / 2, H / 2, H) > ink_in(&im[0], 0, W / 2, H / 2, H) + 100);
    free(im[0].rgb);
    free(im[1].rgb);
}

/* ---- layered graphs ---------------------------------------------------------------------- */

/* One polyline of an SVG of PLplot's svg driver: its stroke, width, fill and points. */
typedef struct {
    unsigned stroke, fill; /* 0xRRGGBB; fill ~0u for "none" */
    double width;
    int n;             /* points */
    double x[2], y[2]; /* the first two, y upwards (the driver flips the page) */
} SvgLine;

/* The value of attribute name="..." inside [from, to), or NULL. */
static const char *svg_attribute(const char *from, const char *to, const char *name)
{
    char key[32];
    snprintf(key, sizeof key, " %s=\"", name);
    const char *at = strstr(from, key);
    return at && at < to ? at + strlen(key) : NULL;
}

/* Every <polyline> of the SVG at path, into lines (at most max). Returns the count. */
static int svg_polylines(const char *path, SvgLine *lines, int max)
{
    char *raw = read_all(path, NULL);
    int n = 0;
    for (const char *s = strstr(raw, "<polyline"); s && n < max; s = strstr(s + 1, "<polyline")) {
        const char *end = strstr(s, "/>");
        assert_non_null(end);
        SvgLine l = {.fill = ~0u};
        const char *v;
        if ((v = svg_attribute(s, end, "stroke")) && *v == '#')
            l.stroke = (unsigned)strtoul(v + 1, NULL, 16);
        if ((v = svg_attribute(s, end, "fill")) && *v == '#')
            l.fill = (unsigned)strtoul(v + 1, NULL, 16);
        if ((v = svg_attribute(s, end, "stroke-width")))
            l.width = strtod(v, NULL);
        if ((v = svg_attribute(s, end, "points"))) {
            char *next;
            for (;;) {
                double x = strtod(v, &next);
                if (next == v || *next != ',')
                    break;
                double y = strtod(next + 1, &next);
                if (l.n < 2)
                    l.x[l.n] = x, l.y[l.n] = y;
                l.n++;
                v = next;
            }
        }
        lines[n++] = l;
    }
    free(raw);
    return n;
}

/* A 2-2-1 graph of known weights: some positive, some negative, one large. */
static const int tiny_sizes[3] = {2, 2, 1};
static const double tiny_w0[4] = {1.0, -1.0, 0.5, -4.0}; /* [o * 2 + i]: input i -> hidden o */
static const double tiny_w1[2] = {2.0, -0.5};            /* hidden i -> the output */
static const double tiny_b1[2] = {0.5, -1.0}, tiny_b2[1] = {2.0};

static void draw_tiny_graph(const char *path)
{
    const double *node[3] = {NULL, tiny_b1, tiny_b2}, *edge[2] = {tiny_w0, tiny_w1};
    const char *labels[3] = {"inputs", "hidden\n2 units", "output"};
    PlotGraph g = {
        .n_columns = 3, .sizes = tiny_sizes, .node = node, .edge = edge, .labels = labels};
    char err[256] = "";
    if (plot_layered_graph(path, &g, "tiny", NULL, err, sizeof err) != 0)
        fail_msg("plot_layered_graph: %s", err);
}

/* Every weight is one line from its node to its node: blue if > 0, red if < 0, wider for
 * a larger |w|; the nodes are filled by their bias (the largest, 2, in full blue; -1 half
 * way to red; the inputs white). Read from the SVG's polylines. */
static void test_graph_draws_each_weight_in_its_sign_colour_and_width(void **state)
{
    Tmp *t = *state;
    const char *path = tmp_file(t, "tiny.svg");
    draw_tiny_graph(path);
    assert_well_formed_xml(path);
    enum { MAX = 200 };
    static SvgLine all[MAX];
    int n = svg_polylines(path, all, MAX);
    unsigned blue = plot_class_colour(1), red = plot_class_colour(0);

    /* the lines: two points, no fill; the columns at three x, the output node in the middle */
    SvgLine lines[8];
    int m = 0, fills[3] = {0, 0, 0};
    for (int k = 0; k < n; k++) {
        if (all[k].fill == ~0u && all[k].n == 2 && m < 8)
            lines[m++] = all[k];
        fills[0] += all[k].fill == 0xffffff;
        fills[1] += all[k].fill == blue;
        fills[2] += all[k].fill == over_white(red, 0.5);
    }
    assert_int_equal(m, 6);
    double x_hidden = lines[0].x[0], y_mid = NAN;
    for (int k = 0; k < m; k++) /* the largest start: the hidden column */
        x_hidden = fmax(x_hidden, lines[k].x[0]);
    for (int k = 0; k < m; k++) /* its lines end at the output node, in the middle */
        if (lines[k].x[0] == x_hidden)
            y_mid = lines[k].y[1];
    assert_false(isnan(y_mid));
    int n_blue = 0, n_red = 0;
    double w_of[6], width_of[6];
    for (int k = 0; k < m; k++) {
        const SvgLine *l = &lines[k];
        bool second = l->x[0] == x_hidden; /* hidden -> output */
        int i = l->y[0] > y_mid ? 0 : 1;   /* node 0 is on top */
        int o = second ? 0 : l->y[1] > y_mid ? 0 : 1;
        double w = second ? tiny_w1[i] : tiny_w0[o * 2 + i];
        if (l->stroke != (w > 0 ? blue : red))
            fail_msg("the line of weight %g is #%06x", w, l->stroke);
        n_blue += l->stroke == blue;
        n_red += l->stroke == red;
        w_of[k] = fabs(w), width_of[k] = l->width;
    }
    assert_int_equal(n_blue, 3);
    assert_int_equal(n_red, 3);
    /* a larger |w| is a wider line; equal |w|, equal lines */
    for (int a = 0; a < m; a++)
        for (int b = 0; b < m; b++)
            if (w_of[a] < w_of[b] && !(width_of[a] < width_of[b]))
                fail_msg("|w| %g is drawn %g wide, |w| %g %g", w_of[a], width_of[a], w_of[b],
                         width_of[b]);
            else if (w_of[a] == w_of[b])
                assert_true(width_of[a] == width_of[b]);
    /* the nodes: 2 white inputs, the output in full blue, hidden node 1 half-way to red */
    assert_int_equal(fills[0], 2);
    assert_int_equal(fills[1], 1);
    assert_int_equal(fills[2], 1);
    char *text = svg_text(path);
    assert_contains(text, "tiny");
    assert_contains(text, "hidden\n"); /* a label of two lines, each a text */
    assert_contains(text, "2 units");
    free(text);
}

/* The same graph as a PNG: the opaque red of the widest weight (-4) is one horizontal band
 * between the lower input and the lower hidden node, left of the full blue output node. */
static void test_graph_png_shows_the_largest_weight_red_and_the_largest_bias_blue(void **state)
{
    Tmp *t = *state;
    const char *path = tmp_file(t, "tiny.png");
    draw_tiny_graph(path);
    Image im = png_load(path);
    double red_x, red_y, blue_x, blue_y;
    long reds = count_pixels(&im, PIX_RED, 0, im.w, &red_x, &red_y);
    long blues = count_pixels(&im, PIX_BLUE, 0, im.w, &blue_x, &blue_y);
    print_message("red %ld px at (%.0f, %.0f), blue %ld px at (%.0f, %.0f)\n", reds, red_x, red_y,
                  blues, blue_x, blue_y);
    assert_true(reds > 1000);  /* a line 8 px wide and some 300 px long */
    assert_true(blues > 300);  /* a disc of 16 px radius */
    assert_true(blues < 1500); /* and no wide blue line */
    assert_true(red_x < im.w / 2.0 && blue_x > im.w * 0.7);
    assert_true(red_y > blue_y); /* below the middle, where the output node is */
    unsigned top = im.h, bottom = 0;
    for (unsigned y = 0; y < im.h; y++)
        for (unsigned x = 0; x < im.w; x++)
            if (pixel_is(pixel(&im, x, y), PIX_RED)) {
                top = y < top ? y : top;
                bottom = y > bottom ? y : bottom;
            }
    assert_true(bottom - top < 20); /* horizontal, and the only opaque red */
    free(im.rgb);
}

/* A graph that cannot be drawn fails its figure, which writes nothing. */
static void test_graph_of_an_empty_column_is_refused(void **state)
{
    Tmp *t = *state;
    int sizes[2] = {2, 0};
    double w[1] = {1.0};
    const double *node[2] = {NULL, NULL}, *edge[1] = {w};
    PlotGraph g = {.n_columns = 2, .sizes = sizes, .node = node, .edge = edge};
    char err[256] = "";
    assert_int_equal(plot_layered_graph(tmp_file(t, "bad.png"), &g, NULL, NULL, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "column 2 has 0 nodes"));
    assert_int_equal(dir_entries(t), 0);
}

/* Each page size keeps 17 px text: the x label's ink is as tall on a small page as on the
 * 1200x500 one (PLplot alone would scale it with width + height). */
static long label_height(const char *path, unsigned w, unsigned h)
{
    PlotFigure *f = open_figure(path, (int)w, (int)h, 1, 1, false);
    PlotAxes axes = {.xlabel = "Hxg", .x0 = 0, .x1 = 1, .y0 = 0, .y1 = 1};
    plot_panel(f, 0, &axes);
    close_figure(f);
    Image im = png_load(path);
    /* the label is centred under the frame, below the tick numbers */
    Frame fr = frame_find(&im, 0, im.w, 0, im.h);
    unsigned mid = (fr.left + fr.right) / 2;
    long top = -1, bottom = -1;
    for (unsigned y = fr.bottom + 30; y < im.h; y++)
        for (unsigned x = mid - 20; x < mid + 20; x++)
            if (is_ink(pixel(&im, x, y))) {
                top = top < 0 ? (long)y : top;
                bottom = (long)y;
            }
    free(im.rgb);
    return bottom - top;
}

static void test_text_keeps_its_size_on_any_page(void **state)
{
    Tmp *t = *state;
    char small[256];
    snprintf(small, sizeof small, "%s", tmp_file(t, "small.png"));
    long h_small = label_height(small, 500, 420);
    long h_ref = label_height(tmp_file(t, "ref.png"), 1200, 500);
    long h_big = label_height(tmp_file(t, "big.png"), 1600, 1200);
    print_message("x label height: %ld px (500x420), %ld (1200x500), %ld (1600x1200)\n", h_small,
                  h_ref, h_big);
    assert_true(h_ref > 10);
    assert_true(labs(h_small - h_ref) <= 1 && labs(h_big - h_ref) <= 1);
}

/* A primitive that fails marks the figure: plot_close reports it and writes nothing. */
static void test_failed_primitives_write_nothing(void **state)
{
    Tmp *t = *state;
    char err[256];
    double v[3] = {1, 2, 3};
    PlotAxes axes = tight_axes("x", 0, 1, 0, 1);
    PlotField field = {.v = v, .nx = 1, .ny = 3, .k = 1, .x1 = 1, .y1 = 1};

    PlotFigure *f = open_figure(tmp_file(t, "a.png"), 600, 400, 1, 2, false);
    plot_panel(f, 2, &axes); /* a 1x2 layout has panels 0 and 1 */
    plot_line(f, v, 3, (PlotStyle){0});
    assert_int_equal(plot_close(f, err, sizeof err), -1);
    assert_non_null(strstr(err, "a.png"));
    assert_non_null(strstr(err, "panel 2"));

    f = open_figure(tmp_file(t, "b.png"), 600, 400, 1, 1, false);
    plot_line(f, v, 3, (PlotStyle){0});
    assert_int_equal(plot_close(f, err, sizeof err), -1);
    assert_non_null(strstr(err, "before plot_panel"));

    f = open_figure(tmp_file(t, "c.svg"), 600, 400, 1, 1, false);
    plot_panel(f, 0, &axes);
    field.nx = 2;
    field.ny = 2;
    plot_field(f, &field); /* the layout did not announce fields */
    assert_int_equal(plot_close(f, err, sizeof err), -1);
    assert_non_null(strstr(err, "PlotLayout.fields"));

    f = open_figure(tmp_file(t, "d.png"), 600, 400, 1, 1, true);
    plot_panel(f, 0, &axes);
    field.nx = 1; /* a field needs two cells each way */
    plot_field(f, &field);
    assert_int_equal(plot_close(f, err, sizeof err), -1);

    f = open_figure(tmp_file(t, "e.png"), 600, 400, 1, 1, false);
    plot_panel(f, 0, &axes);
    plot_discard(f);

    PlotLayout none = {.width = 600, .height = 400, .rows = 0, .cols = 1};
    assert_null(plot_open_file(tmp_file(t, "f.png"), &none, err, sizeof err));
    assert_non_null(strstr(err, "f.png"));
    assert_int_equal(dir_entries(t), 0);
}

/* ---- failures and atomic writes --------------------------------------------------------- */

static void test_unknown_extension_fails_and_writes_nothing(void **state)
{
    Tmp *t = *state;
    const double v = 0.5;
    PlotCurve c = {NULL, &v, &v, 1, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL};
    const char *names[] = {"fig.pdf", "fig", "fig.png.txt"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char err[256] = "";
        assert_int_equal(plot_curves(tmp_file(t, names[i]), &c, 1, NULL, err, sizeof err), -1);
        assert_true(strlen(err) > 10);
        assert_non_null(strstr(err, ".png")); /* says what would work */
        assert_null(strchr(err, '\n'));
    }
    char err[256] = "";
    assert_int_equal(plot_predictions(tmp_file(t, "p.jpg"), &v, &v, &v, 0, NULL, NULL, err, sizeof err),
                     -1);
    assert_true(strlen(err) > 10);
    assert_int_equal(dir_entries(t), 0);
}

static void test_missing_directory_fails_and_leaves_no_temporary(void **state)
{
    Tmp *t = *state;
    const double v = 0.5;
    PlotCurve c = {"x", &v, &v, 1, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL};
    char err[256] = "";
    assert_int_equal(plot_curves(tmp_file(t, "nope/fig.png"), &c, 1, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "nope/fig.png"));
    err[0] = '\0';
    assert_int_equal(
        plot_predictions(tmp_file(t, "nope/p.svg"), &v, &v, &v, 0, NULL, NULL, err, sizeof err), -1);
    assert_true(strlen(err) > 0);
    assert_int_equal(dir_entries(t), 0);
}

static void test_failed_rename_removes_temporary_and_keeps_target(void **state)
{
    Tmp *t = *state;
    /* the target is a non-empty directory: everything works up to the rename */
    const char *target = tmp_file(t, "busy.png");
    assert_int_equal(mkdir(target, 0755), 0);
    char inner[300];
    snprintf(inner, sizeof inner, "%s/keep", target);
    FILE *f = fopen(inner, "w");
    assert_non_null(f);
    fclose(f);
    const double v = 0.5;
    PlotCurve c = {"x", &v, &v, 1, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL};
    char err[256] = "";
    assert_int_equal(plot_curves(target, &c, 1, NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "busy.png"));
    assert_int_equal(dir_entries(t), 1); /* the directory, and no temporary */
    struct stat st;
    assert_int_equal(stat(inner, &st), 0);
    remove(inner);
}

/* Run in a fresh process (PLplot reads its driver directory once per process): draws
 * with PLPLOT_DRV_DIR pointing at a directory that lacks the cairo driver. Prints the
 * error message; exit 0 if PNG fails naming the package and SVG still works. */
static int child_without_cairo(const char *drvdir, const char *outdir)
{
    setenv("PLPLOT_DRV_DIR", drvdir, 1);
    const double v[2] = {0.3, 0.2};
    PlotCurve c = {"x", v, v, 2, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL};
    char png[300], svg[300], err[256] = "";
    snprintf(png, sizeof png, "%s/nocairo.png", outdir);
    snprintf(svg, sizeof svg, "%s/nocairo.svg", outdir);
    int rc = plot_curves(png, &c, 1, NULL, err, sizeof err);
    printf("%s\n", err);
    if (rc != -1 || !strstr(err, "plplot-driver-cairo") || access(png, F_OK) == 0)
        return 1;
    return plot_curves(svg, &c, 1, NULL, err, sizeof err) == 0 ? 0 : 2;
}

static void test_missing_cairo_driver_names_the_package(void **state)
{
    Tmp *t = *state;
    char drvdir[256] = "";
    FILE *p = popen("pkg-config --variable=drvdir plplot 2>/dev/null", "r");
    if (p) {
        if (!fgets(drvdir, sizeof drvdir, p))
            drvdir[0] = '\0';
        pclose(p);
    }
    drvdir[strcspn(drvdir, "\n")] = '\0';
    if (!drvdir[0])
        skip();
    /* a driver directory with only the svg (and null) drivers of this PLplot */
    char fake[128], from[512], to[512];
    snprintf(fake, sizeof fake, "%s/drivers", t->dir);
    assert_int_equal(mkdir(fake, 0755), 0);
    const char *files[] = {"svg.so", "svg.driver_info", "null.so", "null.driver_info"};
    for (int i = 0; i < 4; i++) {
        snprintf(from, sizeof from, "%s/%s", drvdir, files[i]);
        snprintf(to, sizeof to, "%s/%s", fake, files[i]);
        assert_int_equal(symlink(from, to), 0);
    }
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        execl("/proc/self/exe", "test_plot", "--child-without-cairo", fake, t->dir, (char *)NULL);
        _exit(127);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    for (int i = 0; i < 4; i++) {
        snprintf(to, sizeof to, "%s/%s", fake, files[i]);
        unlink(to);
    }
    rmdir(fake);
    assert_int_equal(dir_entries(t), 1); /* nocairo.svg only */
}

static void test_rewrite_replaces_old_file(void **state)
{
    Tmp *t = *state;
    const char *path = tmp_file(t, "again.svg");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("old", f);
    fclose(f);
    const double v[2] = {0.4, 0.3};
    PlotCurve c = {"second", v, v, 2, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL};
    char err[256] = "";
    /* a failing call leaves the old file alone */
    assert_int_equal(plot_curves(path, NULL, 1, NULL, err, sizeof err), -1);
    assert_int_equal(file_size(path), 3);
    if (plot_curves(path, &c, 1, NULL, err, sizeof err) != 0)
        fail_msg("plot_curves: %s", err);
    assert_true(file_size(path) > 1000);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    char *text = svg_text(path);
    assert_contains(text, "second");
    free(text);
    assert_int_equal(dir_entries(t), 1);
}

static void test_bad_arguments_are_refused(void **state)
{
    Tmp *t = *state;
    const double v = 0.5;
    PlotCurve neg = {"x", &v, &v, -1, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL};
    char err[256] = "";
    assert_int_equal(plot_curves(tmp_file(t, "a.png"), &neg, 1, NULL, err, sizeof err), -1);
    assert_int_equal(plot_curves(tmp_file(t, "a.png"), NULL, 2, NULL, err, sizeof err), -1);
    assert_int_equal(plot_curves(tmp_file(t, "a.png"), &neg, -1, NULL, err, sizeof err), -1);
    assert_int_equal(plot_curves(NULL, &neg, 0, NULL, err, sizeof err), -1);
    assert_int_equal(plot_predictions(tmp_file(t, "b.png"), NULL, &v, &v, 1, NULL, NULL, err, sizeof err),
                     -1);
    assert_int_equal(plot_predictions(tmp_file(t, "b.png"), &v, &v, &v, -1, NULL, NULL, NULL, 0), -1);
    assert_int_equal(dir_entries(t), 0);
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--child-without-cairo") == 0)
        return child_without_cairo(argv[2], argv[3]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_envelope_keeps_extremes_of_every_column),
        cmocka_unit_test(test_envelope_keeps_short_series_whole),
        cmocka_unit_test(test_envelope_marks_non_finite_runs),
        cmocka_unit_test(test_envelope_of_nothing),
#define FIGURE_TEST(f) cmocka_unit_test_setup_teardown(f, tmp_setup, tmp_teardown)
        FIGURE_TEST(test_heatmap_cells_in_their_colours_and_order),
        FIGURE_TEST(test_curves_png_has_size_and_both_curves_in_both_panels),
        FIGURE_TEST(test_curves_svg_is_xml_with_titles_labels_and_note),
        FIGURE_TEST(test_curves_band_is_shaded_under_its_curve),
        FIGURE_TEST(test_long_noisy_comparison_svg_stays_small),
        FIGURE_TEST(test_non_finite_values_render),
        FIGURE_TEST(test_diverging_loss_gets_a_log_scale),
        FIGURE_TEST(test_long_unicode_text_is_cut_cleanly),
        FIGURE_TEST(test_long_note_fits_the_page),
        FIGURE_TEST(test_legend_of_many_entries_takes_columns),
        FIGURE_TEST(test_maps_legend_beside_hides_no_point),
        FIGURE_TEST(test_map_panel_legend_beside_in_its_cell),
        FIGURE_TEST(test_short_and_empty_curves_render),
        FIGURE_TEST(test_predictions_png_shows_classes_where_the_points_are),
        FIGURE_TEST(test_predictions_of_subnormal_coordinates_are_drawn),
        FIGURE_TEST(test_predictions_legend_names_the_classes_and_hides_no_point),
        FIGURE_TEST(test_predictions_png_geometry_follows_the_data),
        FIGURE_TEST(test_predictions_all_zero_shows_no_blue_on_the_right),
        FIGURE_TEST(test_predictions_svg_is_xml_with_titles),
        FIGURE_TEST(test_band_is_a_tint_between_its_curves_under_its_line),
        FIGURE_TEST(test_dashed_line_has_gaps),
        FIGURE_TEST(test_field_of_a_step_is_red_left_blue_right_with_the_contour_between),
        FIGURE_TEST(test_contour_closes_loops_and_splits_saddles),
        FIGURE_TEST(test_field_leaves_nan_cells_blank),
        cmocka_unit_test(test_class_colours_are_16_distinct_keeping_the_first_four),
        FIGURE_TEST(test_class_field_tints_each_class_region),
        FIGURE_TEST(test_field_svg_of_200x200_stays_small),
        FIGURE_TEST(test_grid_2x2_puts_each_panel_in_its_quarter),
        FIGURE_TEST(test_points_filled_and_outlined_with_class_legend),
        FIGURE_TEST(test_legend_hides_a_short_line_rather_than_points),
        FIGURE_TEST(test_graph_draws_each_weight_in_its_sign_colour_and_width),
        FIGURE_TEST(test_graph_png_shows_the_largest_weight_red_and_the_largest_bias_blue),
        FIGURE_TEST(test_graph_of_an_empty_column_is_refused),
        FIGURE_TEST(test_text_keeps_its_size_on_any_page),
        FIGURE_TEST(test_failed_primitives_write_nothing),
        FIGURE_TEST(test_unknown_extension_fails_and_writes_nothing),
        FIGURE_TEST(test_missing_directory_fails_and_leaves_no_temporary),
        FIGURE_TEST(test_failed_rename_removes_temporary_and_keeps_target),
        FIGURE_TEST(test_missing_cairo_driver_names_the_package),
        FIGURE_TEST(test_rewrite_replaces_old_file),
        FIGURE_TEST(test_bad_arguments_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
