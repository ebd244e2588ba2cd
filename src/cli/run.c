/* run.c - one training run: data and network in, files and figures out. */
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csv.h"
#include "model_io.h"
#include "numparse.h"
#include "plot.h"

RunSpec run_spec_default(void)
{
    RunSpec s;
    memset(&s, 0, sizeof s);
    s.dataset = DATASET_LINEAR;
    s.hidden[0] = s.hidden[1] = RUN_DEFAULT_HIDDEN;
    s.n_hidden = 2;
    s.activation = ACT_SIGMOID;
    s.train = train_config_default();
    return s;
}

static int set_path(char *dst, size_t len, const char *value, char *err, size_t errlen)
{
    if (value[0] == '\0' || strlen(value) >= len) {
        snprintf(err, errlen, "a file name of 1 to %zu characters is accepted", len - 1);
        return -1;
    }
    strcpy(dst, value);
    return 0;
}

int run_spec_set(RunSpec *spec, const char *key, const char *value, char *err, size_t errlen)
{
    long v;
    double x;
    if (strcmp(key, "dataset") == 0) {
        if (dataset_kind_parse(value, &spec->dataset) == 0) {
            spec->data_path[0] = '\0';
            return 0;
        }
        snprintf(err, errlen, "unknown data set \"%s\" (linear or xor)", value);
    } else if (strcmp(key, "data") == 0) {
        return set_path(spec->data_path, sizeof spec->data_path, value, err, errlen);
    } else if (strcmp(key, "load-model") == 0) {
        return set_path(spec->load_model, sizeof spec->load_model, value, err, errlen);
    } else if (strcmp(key, "epochs") == 0) {
        if (parse_long(value, 0, TRAIN_MAX_EPOCHS, &v) == 0) {
            spec->train.epochs = v;
            return 0;
        }
        snprintf(err, errlen, "\"%s\" is not a whole number from 0 to %ld", value,
                 TRAIN_MAX_EPOCHS);
    } else if (strcmp(key, "lr") == 0) {
        if (parse_double(value, &x) == 0 && x > 0.0) {
            spec->train.lr = x;
            return 0;
        }
        snprintf(err, errlen, "\"%s\" is not a finite number greater than 0", value);
    } else if (strcmp(key, "momentum") == 0) {
        if (parse_double(value, &x) == 0 && x >= 0.0 && x < 1.0) {
            spec->train.momentum = x;
            return 0;
        }
        snprintf(err, errlen, "\"%s\" is not a number from 0 up to (not including) 1", value);
    } else if (strcmp(key, "hidden") == 0) {
        int n = parse_int_list(value, 1, NET_MAX_WIDTH, spec->hidden, NET_MAX_HIDDEN_LAYERS);
        if (n >= 1) {
            if (n == 1) /* one number: two layers of that size, as the original's hidden_size */
                spec->hidden[n++] = spec->hidden[0];
            spec->n_hidden = n;
            return 0;
        }
        snprintf(err, errlen,
                 "\"%s\" is not a size or a list of 1 to %d sizes from 1 to %d "
                 "(e.g. 16, 4,4 or 32,16,8)",
                 value, NET_MAX_HIDDEN_LAYERS, NET_MAX_WIDTH);
    } else if (strcmp(key, "activation") == 0) {
        if (activation_parse(value, &spec->activation) == 0)
            return 0;
        snprintf(err, errlen, "unknown activation \"%s\" (sigmoid, tanh, relu or none)", value);
    } else if (strcmp(key, "optimizer") == 0) {
        if (optimizer_parse(value, &spec->train.optimizer) == 0)
            return 0;
        snprintf(err, errlen, "unknown optimizer \"%s\" (sgd or momentum)", value);
    } else if (strcmp(key, "seed") == 0) {
        if (parse_long(value, 0, 2147483647L, &v) == 0) {
            spec->seed = (uint64_t)v;
            return 0;
        }
        snprintf(err, errlen, "\"%s\" is not a whole number from 0 to 2147483647", value);
    } else {
        snprintf(err, errlen, "unknown setting (%s)", RUN_SPEC_KEYS);
    }
    return -1;
}

void run_hidden_text(const int *hidden, int n_hidden, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int l = 0; l < n_hidden && used < len; l++)
        used += (size_t)snprintf(buf + used, len - used, l ? ",%d" : "%d", hidden[l]);
}

void run_spec_describe_except(const RunSpec *spec, const char *key, char *buf, size_t len)
{
    char hidden[128], lr[32], epochs[32], seed[32];
    run_hidden_text(spec->hidden, spec->n_hidden, hidden, sizeof hidden);
    snprintf(lr, sizeof lr, "lr %g", spec->train.lr);
    snprintf(epochs, sizeof epochs, "%ld epochs", spec->train.epochs);
    snprintf(seed, sizeof seed, "seed %llu", (unsigned long long)spec->seed);
    const char *parts[][2] = {
        {"dataset", spec->data_path[0] ? spec->data_path : dataset_kind_name(spec->dataset)},
        {"activation", activation_name(spec->activation)},
        {"lr", lr},
        {"hidden", hidden},
        {"optimizer", optimizer_name(spec->train.optimizer)},
        {"epochs", epochs},
        {"seed", seed},
    };
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof parts / sizeof parts[0] && used < len; i++) {
        if (key && strcmp(key, parts[i][0]) == 0)
            continue;
        const char *pre = used ? ", " : "";
        if (strcmp(parts[i][0], "hidden") == 0)
            used += (size_t)snprintf(buf + used, len - used, "%shidden %s", pre, parts[i][1]);
        else
            used += (size_t)snprintf(buf + used, len - used, "%s%s", pre, parts[i][1]);
    }
}

void run_spec_describe(const RunSpec *spec, char *buf, size_t len)
{
    run_spec_describe_except(spec, NULL, buf, len);
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
    } else if (dataset_generate(&res->data, spec->dataset, &data_rng) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc;
    if (spec->load_model[0])
        rc = model_read(spec->load_model, &res->net, err, errlen);
    else if ((rc = network_init(&res->net, spec->hidden, spec->n_hidden, spec->activation,
                                &init_rng)) != 0)
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
    if (res->status != TRAIN_NOMEM && network_predict(&res->net, &res->data, res->output) != 0)
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
