/* run.c - one training run: data and network in, files and figures out. */
#include "run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csv.h"
#include "model_io.h"
#include "plot.h"

double run_test_fraction(const RunSpec *spec)
{
    if (spec->test_fraction >= 0)
        return spec->test_fraction;
    return spec->data_path[0] ? 0.0 : spec->dataset->test_fraction;
}

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

int run_prepare(const RunSpec *spec, RunResult *res, char *err, size_t errlen)
{
    memset(res, 0, sizeof *res);
    Rng data_rng, init_rng;
    rng_seed_stream(&data_rng, spec->train.seed, 0);
    rng_seed_stream(&init_rng, spec->train.seed, 1);

    if (spec->data_path[0]) {
        if (csv_read_dataset(spec->data_path, &res->data, err, errlen) != 0)
            return -1;
    } else {
        const DatasetInfo *set = spec->dataset;
        if (set->fixed && spec->points && spec->points != set->points) {
            snprintf(err, errlen, "points: %s always has its %d points", set->name, set->points);
            return -1;
        }
        int points = spec->points ? spec->points : set->points;
        if (dataset_generate(set, &res->data, points, spec->noise, &data_rng) != 0) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    }
    int rc;
    if (spec->load_model[0])
        rc = model_read(spec->load_model, &res->net, NULL, err, errlen);
    else if ((rc = network_init(&res->net, spec->hidden, spec->n_hidden, spec->activation,
                                run_output_activation(spec), spec->init, &init_rng)) != 0)
        snprintf(err, errlen, "out of memory");
    res->origin = (ModelOrigin){spec->train.loss, spec->init};
    if (rc == 0 && spec->train.loss == LOSS_BCE && res->net.output_act != ACT_SIGMOID) {
        snprintf(err, errlen, "loss bce needs a sigmoid output, not %s (see output-activation)",
                 activation_name(res->net.output_act));
        rc = -1;
    } else if (rc == 0 && spec->train.batch_size > res->data.n) {
        snprintf(err, errlen,
                 "batch-size %d is more than the data set's %d points (0 is the full batch)",
                 spec->train.batch_size, res->data.n);
        rc = -1;
    }
    if (rc == 0 && (history_alloc(&res->hist, spec->train.epochs) != 0 ||
                    !(res->output = malloc((size_t)res->data.n * sizeof *res->output)))) {
        snprintf(err, errlen, "out of memory for %ld epochs of history", spec->train.epochs);
        rc = -1;
    }
    if (rc != 0)
        run_result_free(res);
    return rc;
}

void run_early_stop_text(const RunResult *res, char *buf, size_t len)
{
    const History *h = &res->hist;
    double loss = h->n ? h->loss[h->n - 1] : 0.0, acc = h->n ? h->accuracy[h->n - 1] : 0.0;
    switch (res->status) {
    case TRAIN_REACHED_LOSS:
        snprintf(buf, len, "stopped at epoch %ld: loss %.6g reached", h->n, loss);
        break;
    case TRAIN_REACHED_ACCURACY:
        snprintf(buf, len, "stopped at epoch %ld: accuracy %.6g reached", h->n, acc);
        break;
    case TRAIN_NO_PROGRESS:
        snprintf(buf, len, "stopped at epoch %ld: no lower loss for the patience's epochs", h->n);
        break;
    default:
        snprintf(buf, len, "%s", "");
    }
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
        network_predict(&res->net, &res->data, spec->train.engine, spec->train.loss, res->output,
                        &res->final_loss) != 0)
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
    PlotCurve curve = {.loss = res->hist.loss, .accuracy = res->hist.accuracy, .n = res->hist.n};
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
    if (model_write(path, &res->net, &res->origin, err, errlen) != 0)
        return -1;
    return write_figure(dir, "prediction", formats, run_plot_prediction, res, note, err, errlen);
}
