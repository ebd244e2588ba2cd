/* run.c - one training run: data and network in, files and figures out. */
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csv.h"
#include "model_io.h"
#include "plot.h"

Activation run_output_activation(const RunSpec *spec)
{
    return spec->output_activation == RUN_SAME_ACTIVATION ? spec->activation
                                                          : (Activation)spec->output_activation;
}

void run_hidden_text(const int *hidden, int n_hidden, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int l = 0; l < n_hidden && used < len; l++)
        used += (size_t)snprintf(buf + used, len - used, l ? ",%d" : "%d", hidden[l]);
}

/* ------------------------------------------------------------------------ */
/* Names                                                                    */

int run_name_from_path(const char *path, char *name, size_t len)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n == 0 || base[0] == '.' || base[0] == '-')
        return -1;
    for (const char *c = base; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '.' || *c == '_' || *c == '-'))
            return -1;
    const char *dot = strrchr(base, '.');
    size_t keep = dot ? (size_t)(dot - base) : n;
    if (keep > RUN_NAME_MAX || keep >= len)
        return -1;
    memcpy(name, base, keep);
    name[keep] = '\0';
    return 0;
}

/* The length of the UTF-8 character at s, or 0 if s holds none. */
static int utf8_length(const unsigned char *s)
{
    int n = s[0] < 0x80             ? 1
            : (s[0] & 0xE0) == 0xC0 ? 2
            : (s[0] & 0xF0) == 0xE0 ? 3
            : (s[0] & 0xF8) == 0xF0 ? 4
                                    : 0;
    if (n == 2 && s[0] < 0xC2) /* an overlong form of an ASCII character */
        return 0;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

void run_printable(const char *text, char *buf, size_t len)
{
    size_t used = 0;
    for (const unsigned char *s = (const unsigned char *)text; *s && used + 1 < len;) {
        int n = utf8_length(s);
        if (n == 0 || (n == 1 && (*s < 0x20 || *s == 0x7f)) || used + (size_t)n >= len) {
            buf[used++] = '?';
            s += n ? n : 1;
            continue;
        }
        memcpy(buf + used, s, (size_t)n);
        used += (size_t)n;
        s += n;
    }
    buf[used] = '\0';
}

int run_check_figure_folder(const char *dir, char *err, size_t errlen)
{
    if (!strstr(dir, "%n"))
        return 0;
    char shown[1024];
    run_printable(dir, shown, sizeof shown);
    snprintf(err, errlen,
             "\"%s\": PLplot reads \"%%n\" in a file name as a file number and would write the "
             "figures elsewhere; a folder name without \"%%n\" is accepted",
             shown);
    return -1;
}

int run_prepare(const RunSpec *spec, RunResult *res, char *err, size_t errlen)
{
    memset(res, 0, sizeof *res);
    Rng data_rng, init_rng;
    rng_seed_stream(&data_rng, spec->seed, 0);
    rng_seed_stream(&init_rng, spec->seed, 1);

    if (spec->data_path[0]) {
        if (csv_read_dataset(spec->data_path, &res->data, err, errlen) != 0)
            return -1;
    } else if (spec->dataset->generate(&res->data, spec->dataset->points, &data_rng) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc;
    if (spec->load_model[0])
        rc = model_read(spec->load_model, &res->net, err, errlen);
    else if ((rc = network_init(&res->net, spec->hidden, spec->n_hidden, spec->activation,
                                run_output_activation(spec), &init_rng)) != 0)
        snprintf(err, errlen, "out of memory");
    if (rc == 0 && (history_alloc(&res->hist, spec->train.epochs) != 0 ||
                    !(res->output = malloc((size_t)res->data.n * sizeof *res->output)))) {
        snprintf(err, errlen, "out of memory for %ld epochs of history", spec->train.epochs);
        rc = -1;
    }
    if (rc != 0)
        run_result_free(res);
    return rc;
}

double run_clock(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

TrainStatus run_train(const RunSpec *spec, RunResult *res, TrainObserver observer, void *ctx)
{
    double start = run_clock();
    res->status = train(&res->net, &res->data, &spec->train, &res->hist, observer, ctx);
    res->seconds = run_clock() - start;
    if (res->status != TRAIN_NOMEM &&
        network_predict(&res->net, &res->data, spec->train.engine, res->output) != 0)
        res->status = TRAIN_NOMEM;
    return res->status;
}

void run_result_free(RunResult *res)
{
    dataset_free(&res->data);
    network_free(&res->net);
    history_free(&res->hist);
    free(res->output);
    res->output = NULL;
}

int run_parse_formats(const char *text)
{
    char buf[64];
    if (strlen(text) >= sizeof buf)
        return 0;
    strcpy(buf, text);
    int formats = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (strcmp(tok, "png") == 0)
            formats |= RUN_PNG;
        else if (strcmp(tok, "svg") == 0)
            formats |= RUN_SVG;
        else
            return 0;
    }
    return formats;
}

/* dir/name.ext for each chosen format; draw() renders one file. */
static int write_figure(const char *dir, const char *name, int formats,
                        int (*draw)(const char *path, const RunResult *res, const char *note,
                                    char *err, size_t errlen),
                        const RunResult *res, const char *note, char *err, size_t errlen)
{
    static const char *const ext[] = {"png", "svg"};
    for (int f = 0; f < 2; f++) {
        if (!(formats & (1 << f)))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.%s", dir, name, ext[f]);
        if (draw(path, res, note, err, errlen) != 0)
            return -1;
    }
    return 0;
}

int run_plot_learning_curve(const char *path, const RunResult *res, const char *note, char *err,
                            size_t errlen)
{
    PlotCurve curve = {NULL, res->hist.loss, res->hist.accuracy, res->hist.n};
    return plot_curves(path, &curve, 1, note, err, errlen);
}

int run_plot_prediction(const char *path, const RunResult *res, const char *note, char *err,
                        size_t errlen)
{
    int n = res->data.n;
    double *predicted = malloc((size_t)n * sizeof *predicted);
    if (!predicted) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (int k = 0; k < n; k++)
        predicted[k] = res->output[k] > 0.5;
    int rc = plot_predictions(path, res->data.x, res->data.y, predicted, n, note, err, errlen);
    free(predicted);
    return rc;
}

int run_write_outputs(const char *dir, const RunResult *res, int formats, const char *note,
                      char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/history.csv", dir);
    if (csv_write_history(path, &res->hist, err, errlen) != 0)
        return -1;
    if (write_figure(dir, "learning_curve", formats, run_plot_learning_curve, res, note, err,
                     errlen) != 0)
        return -1;
    if (res->status == TRAIN_DIVERGED)
        return 0; /* the weights are no longer numbers: nothing more worth keeping */
    snprintf(path, sizeof path, "%s/predictions.csv", dir);
    if (csv_write_predictions(path, &res->data, res->output, err, errlen) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/model.txt", dir);
    if (model_write(path, &res->net, err, errlen) != 0)
        return -1;
    return write_figure(dir, "prediction", formats, run_plot_prediction, res, note, err, errlen);
}
