/* csv.c - reading data sets and writing run outputs as CSV. */
#include "csv.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "atomic_file.h"
#include "io_status.h"
#include "numformat.h"
#include "numparse.h"

/* Splits line at commas into at most max fields; returns the field count. */
static int split_fields(char *line, char **fields, int max)
{
    int n = 0;
    fields[n++] = line;
    for (char *p = line; *p; p++) {
        if (*p != ',')
            continue;
        if (n == max)
            return max + 1;
        *p = '\0';
        fields[n++] = p + 1;
    }
    return n;
}

/* True if s starts like a number of any kind, nan and inf included. */
static int looks_numeric(const char *s)
{
    char *end;
    strtod(s, &end);
    return end != s;
}

static int is_blank_or_comment(const char *s)
{
    s += strspn(s, " \t\r\n");
    return *s == '\0' || *s == '#';
}

/* A header: three fields, none of them a number ("x1,x2,label"). A first
 * line that has a number in it is data, and must be good data. */
static int is_header(char **fields, int n_fields)
{
    if (n_fields != 3)
        return 0;
    for (int i = 0; i < 3; i++)
        if (looks_numeric(fields[i]))
            return 0;
    return 1;
}

/* Reads one line into line (size bytes), without its line end: "\n", "\r\n"
 * or a lone "\r" (old Mac files), so that no line is ever run into the next
 * one. Returns its length, or LINE_EOF at end of input, LINE_TOO_LONG past
 * size - 1 characters (the rest of the line is left unread), LINE_ZERO_BYTE if
 * it holds a '\0' (which would cut the text short unseen). */
enum { LINE_EOF = -1, LINE_TOO_LONG = -2, LINE_ZERO_BYTE = -3 };
static int read_line(FILE *fp, char *line, int size)
{
    int len = 0, c;
    while ((c = getc(fp)) != EOF && c != '\n' && c != '\r') {
        if (c == '\0')
            return LINE_ZERO_BYTE;
        if (len == size - 1)
            return LINE_TOO_LONG;
        line[len++] = (char)c;
    }
    if (c == '\r') {
        int next = getc(fp);
        if (next != '\n' && next != EOF)
            ungetc(next, fp);
    }
    line[len] = '\0';
    return c == EOF && len == 0 ? LINE_EOF : len;
}

int csv_read_dataset_file(FILE *fp, const char *name, Dataset *d, char *err, size_t errlen)
{
    memset(d, 0, sizeof *d);
    int capacity = 256, n = 0, lineno = 0, seen_line = 0;
    double *x = malloc(2 * (size_t)capacity * sizeof *x);
    double *y = malloc((size_t)capacity * sizeof *y);
    char line[CSV_MAX_LINE + 1];
    int ok = x && y, len, rc = IO_BAD_INPUT;
    if (!ok) {
        snprintf(err, errlen, "%s: out of memory", name);
        rc = IO_FAILED;
    }

    while (ok && (len = read_line(fp, line, (int)sizeof line)) != LINE_EOF) {
        lineno++;
        if (len == LINE_TOO_LONG) {
            snprintf(err, errlen, "%s:%d: line longer than %d characters", name, lineno,
                     CSV_MAX_LINE);
            ok = 0;
            break;
        }
        if (len == LINE_ZERO_BYTE) {
            snprintf(err, errlen, "%s:%d: not a text file (has a zero byte)", name, lineno);
            ok = 0;
            break;
        }
        if (is_blank_or_comment(line))
            continue;
        char *f[3];
        int nf = split_fields(line, f, 3);
        double x1, x2, label;
        int first = !seen_line;
        seen_line = 1;
        if (first && is_header(f, nf))
            continue;
        if (nf != 3) {
            const char *found = nf > 3 ? "more" : nf == 2 ? "2" : "1";
            snprintf(err, errlen, "%s:%d: expected 3 fields \"x1,x2,label\", found %s", name,
                     lineno, found);
            ok = 0;
        } else if (parse_double(f[0], &x1) != 0 || parse_double(f[1], &x2) != 0) {
            snprintf(err, errlen, "%s:%d: x1 and x2 must be finite numbers", name, lineno);
            ok = 0;
        } else if (fabs(x1) > CSV_MAX_ABS || fabs(x2) > CSV_MAX_ABS) {
            snprintf(err, errlen, "%s:%d: coordinates within +-%g are accepted", name, lineno,
                     CSV_MAX_ABS);
            ok = 0;
        } else if (parse_double(f[2], &label) != 0 || label != floor(label) || label < 0 ||
                   label >= NET_MAX_OUTPUTS) {
            snprintf(err, errlen, "%s:%d: label must be a class from 0 to %d (0 or 1 for two)",
                     name, lineno, NET_MAX_OUTPUTS - 1);
            ok = 0;
        } else if (n == DATASET_MAX_ROWS) {
            snprintf(err, errlen, "%s:%d: more than %d rows", name, lineno, DATASET_MAX_ROWS);
            ok = 0;
        }
        if (!ok)
            break;
        if (n == capacity) {
            capacity *= 2;
            double *nx = realloc(x, 2 * (size_t)capacity * sizeof *x);
            if (nx)
                x = nx;
            double *ny = realloc(y, (size_t)capacity * sizeof *y);
            if (ny)
                y = ny;
            if (!nx || !ny) {
                snprintf(err, errlen, "%s: out of memory", name);
                ok = 0;
                rc = IO_FAILED;
                break;
            }
        }
        x[2 * n] = x1 + 0.0; /* + 0.0 turns -0 into 0 */
        x[2 * n + 1] = x2 + 0.0;
        y[n] = label + 0.0;
        n++;
    }
    if (ok && ferror(fp)) {
        snprintf(err, errlen, "%s: read error: %s", name, strerror(errno));
        ok = 0;
        rc = IO_FAILED;
    }
    if (ok && n == 0) {
        snprintf(err, errlen, "%s: no data rows (expected lines \"x1,x2,label\")", name);
        ok = 0;
    }
    if (!ok) {
        free(x);
        free(y);
        return rc;
    }
    d->n = n;
    d->x = x;
    d->y = y;
    return 0;
}

int csv_read_dataset(const char *path, Dataset *d, char *err, size_t errlen)
{
    memset(d, 0, sizeof *d);
    FILE *fp = fopen(path, "r");
    if (!fp) {
        int why = errno;
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(why));
        return io_open_status(why);
    }
    struct stat st;
    if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: is a folder; a CSV file of x1,x2,label lines is expected", path);
        fclose(fp);
        return IO_BAD_INPUT;
    }
    int rc = csv_read_dataset_file(fp, path, d, err, errlen);
    fclose(fp);
    return rc;
}

/* One row of an output file: built in memory, written by one fwrite. Fields
 * are separated by commas; a row longer than text is written in pieces. */
typedef struct {
    char text[CSV_MAX_LINE];
    size_t len;
    int fields;
} Row;

static void row_room(Row *r, FILE *fp)
{
    if (r->len + NUMFMT_MAX + 2 > sizeof r->text) {
        fwrite(r->text, 1, r->len, fp);
        r->len = 0;
    }
    if (r->fields++)
        r->text[r->len++] = ',';
}

static void row_real(Row *r, double v, FILE *fp)
{
    row_room(r, fp);
    r->len += (size_t)numfmt_g17(r->text + r->len, v);
}

static void row_long(Row *r, long v, FILE *fp)
{
    row_room(r, fp);
    r->len += (size_t)numfmt_long(r->text + r->len, v);
}

static void row_end(Row *r, FILE *fp)
{
    r->text[r->len++] = '\n';
    fwrite(r->text, 1, r->len, fp);
    r->len = 0;
    r->fields = 0;
}

int csv_write_dataset(const char *path, const Dataset *d, char *err, size_t errlen)
{
    AtomicFile af;
    if (atomic_file_open(&af, path, err, errlen) != 0)
        return -1;
    fprintf(af.fp, "x1,x2,label\n");
    Row row = {.len = 0};
    for (int k = 0; k < d->n; k++) {
        row_real(&row, d->x[2 * k], af.fp);
        row_real(&row, d->x[2 * k + 1], af.fp);
        row_long(&row, (int)d->y[k], af.fp);
        row_end(&row, af.fp);
    }
    return atomic_file_commit(&af, err, errlen);
}

int csv_write_history(const char *path, const History *h, char *err, size_t errlen)
{
    AtomicFile af;
    if (atomic_file_open(&af, path, err, errlen) != 0)
        return -1;
    fprintf(af.fp, h->test_loss ? "epoch,loss,accuracy,test_loss,test_accuracy\n"
                                : "epoch,loss,accuracy\n");
    Row row = {.len = 0};
    for (long e = 0; e < h->n; e++) {
        row_long(&row, e + 1, af.fp);
        row_real(&row, h->loss[e], af.fp);
        row_real(&row, h->accuracy[e], af.fp);
        if (h->test_loss) {
            row_real(&row, h->test_loss[e], af.fp);
            row_real(&row, h->test_accuracy[e], af.fp);
        }
        row_end(&row, af.fp);
    }
    return atomic_file_commit(&af, err, errlen);
}

int csv_write_predictions(const char *path, const Dataset *d, const double *output, int k,
                          char *err, size_t errlen)
{
    AtomicFile af;
    if (atomic_file_open(&af, path, err, errlen) != 0)
        return -1;
    if (k == 1) {
        fprintf(af.fp, "x1,x2,label,output,predicted\n");
    } else {
        fprintf(af.fp, "x1,x2,label");
        for (int c = 0; c < k; c++)
            fprintf(af.fp, ",p%d", c);
        fprintf(af.fp, ",predicted\n");
    }
    Row row = {.len = 0};
    for (int p = 0; p < d->n; p++) {
        const double *out = output + (size_t)p * k;
        row_real(&row, d->x[2 * p], af.fp);
        row_real(&row, d->x[2 * p + 1], af.fp);
        row_long(&row, (int)d->y[p], af.fp);
        for (int c = 0; c < k; c++)
            row_real(&row, out[c], af.fp);
        row_long(&row, predicted_class(out, k), af.fp);
        row_end(&row, af.fp);
    }
    return atomic_file_commit(&af, err, errlen);
}

/* One number of a history row: as %.17g wrote it, NaN and infinities included. */
static int history_number(const char *s, char **end, double *v)
{
    errno = 0;
    *v = strtod(s, end);
    return *end != s && (**end == ',' || **end == '\n' || **end == '\0') ? 0 : -1;
}

int csv_read_history(const char *path, History *h, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        int why = errno;
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(why));
        return io_open_status(why);
    }
    char line[CSV_MAX_LINE + 2];
    int tested = -1, rc = IO_OK;
    long row = 0;
    h->n = 0;
    if (fgets(line, sizeof line, fp)) {
        if (strcmp(line, "epoch,loss,accuracy\n") == 0)
            tested = 0;
        else if (strcmp(line, "epoch,loss,accuracy,test_loss,test_accuracy\n") == 0)
            tested = 1;
    }
    if (tested < 0 || (tested && !h->test_loss)) {
        snprintf(err, errlen,
                 tested < 0 ? "%s:1: not a history.csv written by nnlab"
                            : "%s:1: has test columns, but the run has no held-out points",
                 path);
        fclose(fp);
        return IO_BAD_INPUT;
    }
    while (rc == IO_OK && fgets(line, sizeof line, fp)) {
        row++;
        char *s = line, *end;
        double v[5];
        int fields = tested ? 5 : 3, ok = 1;
        for (int k = 0; k < fields && ok; k++) {
            ok = history_number(s, &end, &v[k]) == 0 && (*end == ',') == (k + 1 < fields);
            s = end + (*end == ',');
        }
        if (!ok || *s != '\n' || v[0] != (double)row) {
            snprintf(err, errlen, "%s:%ld: not the row of epoch %ld", path, row + 1, row);
            rc = IO_BAD_INPUT;
        } else if (row > h->capacity) {
            snprintf(err, errlen, "%s: more epochs than the run's %ld", path, h->capacity);
            rc = IO_BAD_INPUT;
        } else {
            h->loss[row - 1] = v[1];
            h->accuracy[row - 1] = v[2];
            if (tested) {
                h->test_loss[row - 1] = v[3];
                h->test_accuracy[row - 1] = v[4];
            }
            h->n = row;
        }
    }
    if (rc == IO_OK && ferror(fp)) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno ? errno : EIO));
        rc = IO_FAILED;
    }
    if (rc == IO_OK && tested == 0 && h->test_loss) {
        snprintf(err, errlen, "%s:1: has no test columns, but the run has held-out points", path);
        rc = IO_BAD_INPUT;
    }
    fclose(fp);
    return rc;
}
