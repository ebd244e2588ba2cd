/* run.c - one training run: data and network in, files and figures out. */
#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "atomic_file.h"
#include "csv.h"
#include "model_io.h"
#include "plot.h"
#include "settings.h"

double run_test_fraction(const RunSpec *spec)
{
    if (spec->test_fraction >= 0)
        return spec->test_fraction;
    return spec->data_path[0] ? 0.0 : spec->dataset->test_fraction;
}

Activation run_output_activation(const RunSpec *spec)
{
    if (spec->output_activation != RUN_SAME_ACTIVATION)
        return (Activation)spec->output_activation;
    return spec->train.loss == LOSS_CE ? ACT_SOFTMAX : spec->activation;
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

/* ------------------------------------------------------------------------ */
/* A run                                                                    */

/* The held-out points: read from spec's test CSV, or split off res->data
 * (stream 3 of the seed) when spec asks for a fraction of it. */
static int split_test(const RunSpec *spec, RunResult *res, char *err, size_t errlen)
{
    int rc = IO_OK;
    if (spec->test_path[0]) {
        if ((rc = csv_read_dataset(spec->test_path, &res->test, err, errlen)) != IO_OK)
            return rc;
        for (int k = 0; k < res->test.n; k++) {
            int seen = 0, label = (int)res->test.y[k];
            for (int j = 0; j < res->data.n && !seen; j++)
                seen = (int)res->data.y[j] == label;
            if (!seen) {
                snprintf(err, errlen, "%s: class %d of the test data is not in the training data",
                         spec->test_path, label);
                return IO_BAD_INPUT;
            }
        }
    } else if (run_test_fraction(spec) > 0) {
        Rng rng;
        rng_seed_stream(&rng, spec->train.seed, 3);
        Dataset all = res->data;
        if (dataset_split(&all, run_test_fraction(spec), &rng, &res->data, &res->test) != 0) {
            res->data = all;
            snprintf(err, errlen, "test-fraction %g leaves no point to train on (or no memory)",
                     run_test_fraction(spec));
            return IO_BAD_INPUT;
        }
        dataset_free(&all);
    }
    return rc;
}

/* A CSV's classes must be 0 to K - 1, each with a point to learn it from
 * when there are more than two (with two, the original's, one may be missing:
 * the single output then learns the one). */
static int check_classes(const RunSpec *spec, const Dataset *d, char *err, size_t errlen)
{
    int classes = dataset_classes(d);
    for (int c = 0; classes > 2 && c < classes; c++) {
        int seen = 0;
        for (int k = 0; k < d->n && !seen; k++)
            seen = (int)d->y[k] == c;
        if (!seen) {
            snprintf(err, errlen, "%s: no point of class %d: the labels of %d classes are 0 to %d",
                     spec->data_path, c, classes, classes - 1);
            return -1;
        }
    }
    return 0;
}

int run_outputs(const RunSpec *spec, const Dataset *data)
{
    int classes = dataset_classes(data);
    return classes > 2 || spec->train.loss == LOSS_CE ? classes : 1;
}

/* The loss and the output layer must suit each other and the classes. */
static int check_loss(const RunSpec *spec, const Network *net, char *err, size_t errlen)
{
    int k = network_outputs(net);
    Activation out = net->output_act;
    if (spec->train.loss == LOSS_BCE && k != 1)
        snprintf(err, errlen, "loss bce needs two classes; with %d, use ce", k);
    else if (spec->train.loss == LOSS_BCE && out != ACT_SIGMOID)
        snprintf(err, errlen, "loss bce needs a sigmoid output, not %s (see output-activation)",
                 activation_name(out));
    else if (spec->train.loss == LOSS_CE && out != ACT_SOFTMAX)
        snprintf(err, errlen, "loss ce needs a softmax output, not %s (see output-activation)",
                 activation_name(out));
    else if (out == ACT_SOFTMAX && k == 1)
        snprintf(err, errlen, "a softmax output needs a class per output: use loss ce");
    else
        return 0;
    return -1;
}

int run_prepare(const RunSpec *spec, RunResult *res, char *err, size_t errlen)
{
    memset(res, 0, sizeof *res);
    Rng data_rng, init_rng;
    rng_seed_stream(&data_rng, spec->train.seed, 0);
    rng_seed_stream(&init_rng, spec->train.seed, 1);

    int rc = IO_OK;
    if (spec->data_path[0]) {
        if ((rc = csv_read_dataset(spec->data_path, &res->data, err, errlen)) != IO_OK)
            return rc;
    } else {
        const DatasetInfo *set = spec->dataset;
        if (set->fixed && spec->points && spec->points != set->points) {
            snprintf(err, errlen, "points: %s always has its %d points", set->name, set->points);
            res->bad_setting = "points";
            return IO_BAD_INPUT;
        }
        int points = spec->points ? spec->points : set->points;
        if (dataset_generate(set, &res->data, points, spec->noise, &data_rng) != 0) {
            snprintf(err, errlen, "out of memory for the data set %s", set->name);
            return IO_FAILED;
        }
    }
    if (spec->data_path[0] && check_classes(spec, &res->data, err, errlen) != 0)
        rc = IO_BAD_INPUT;
    if (rc != IO_OK || (rc = split_test(spec, res, err, errlen)) != IO_OK) {
        run_result_free(res);
        return rc;
    }
    int outputs = run_outputs(spec, &res->data);
    if (spec->load_model[0]) {
        if ((rc = model_read(spec->load_model, &res->net, NULL, err, errlen)) == IO_OK &&
            network_outputs(&res->net) != outputs) {
            snprintf(err, errlen, "%.300s has %d outputs, but the data's %d classes take %d",
                     spec->load_model, network_outputs(&res->net), dataset_classes(&res->data),
                     outputs);
            rc = IO_BAD_INPUT;
        }
    } else if (network_init(&res->net, spec->hidden, spec->n_hidden, outputs, spec->activation,
                            run_output_activation(spec), spec->init, &init_rng) != 0) {
        snprintf(err, errlen, "out of memory for the network");
        rc = IO_FAILED;
    }
    res->origin = (ModelOrigin){spec->train.loss, spec->init};
    if (rc == IO_OK && check_loss(spec, &res->net, err, errlen) != 0) {
        rc = IO_BAD_INPUT;
    } else if (rc == IO_OK && spec->train.batch_size > res->data.n) {
        snprintf(err, errlen,
                 "batch-size %d is more than the data set's %d points (0 is the full batch)",
                 spec->train.batch_size, res->data.n);
        res->bad_setting = "batch-size";
        rc = IO_BAD_INPUT;
    }
    if (rc == IO_OK && ((res->test.n ? history_alloc_test(&res->hist, spec->train.epochs)
                                     : history_alloc(&res->hist, spec->train.epochs)) != 0 ||
                        !(res->output = malloc((size_t)res->data.n * outputs * sizeof(double))) ||
                        (res->test.n && !(res->test_output = malloc((size_t)res->test.n * outputs *
                                                                    sizeof(double)))))) {
        snprintf(err, errlen, "out of memory for %ld epochs of history", spec->train.epochs);
        rc = IO_FAILED;
    }
    if (rc != IO_OK)
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

int run_check_model(const RunSpec *spec, const Network *net, const char *key_prefix, char *err,
                    size_t errlen)
{
    int same = net->n_layers - 1 == spec->n_hidden;
    for (int l = 0; same && l < spec->n_hidden; l++)
        same = net->sizes[l + 1] == spec->hidden[l];
    if (run_spec_given(spec, "hidden") && !same) {
        char want[128], have[128];
        run_hidden_text(spec->hidden, spec->n_hidden, want, sizeof want);
        run_hidden_text(net->sizes + 1, net->n_layers - 1, have, sizeof have);
        snprintf(err, errlen, "%shidden %s does not match the hidden layers %s of %.300s",
                 key_prefix, want, have, spec->load_model);
        return -1;
    }
    const struct {
        const char *key;
        Activation want, have;
    } acts[] = {{"activation", spec->activation, net->hidden_act},
                {"output-activation", run_output_activation(spec), net->output_act}};
    for (int i = 0; i < 2; i++)
        if (run_spec_given(spec, acts[i].key) && acts[i].want != acts[i].have) {
            snprintf(err, errlen, "%s%s %s does not match %s %s of %.300s", key_prefix, acts[i].key,
                     activation_name(acts[i].want), acts[i].key, activation_name(acts[i].have),
                     spec->load_model);
            return -1;
        }
    return 0;
}

void run_adopt_model(RunSpec *spec, const Network *net)
{
    spec->n_hidden = net->n_layers - 1;
    memcpy(spec->hidden, net->sizes + 1, sizeof(int) * (size_t)spec->n_hidden);
    spec->activation = net->hidden_act;
    spec->output_activation = (int)net->output_act;
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
    res->status = train_tested(&res->net, &res->data, res->test.n ? &res->test : NULL, &spec->train,
                               &res->hist, observer, ctx);
    res->seconds = run_clock() - start;
    if (res->status == TRAIN_NOMEM)
        return res->status;
    return run_evaluate(spec, res);
}

TrainStatus run_evaluate(const RunSpec *spec, RunResult *res)
{
    if (res->test.n) {
        if (network_predict(&res->net, &res->test, spec->train.engine, spec->train.loss,
                            res->test_output, &res->test_loss) != 0)
            return res->status = TRAIN_NOMEM;
        res->test_accuracy =
            accuracy(res->test_output, res->test.y, res->test.n, network_outputs(&res->net));
    }
    if (network_predict(&res->net, &res->data, spec->train.engine, spec->train.loss, res->output,
                        &res->final_loss) != 0)
        return res->status = TRAIN_NOMEM;
    res->final_accuracy =
        accuracy(res->output, res->data.y, res->data.n, network_outputs(&res->net));
    /* the last epoch's update may have spoilt the network after its loss was taken */
    if (!isfinite(res->final_loss) || !model_loadable(&res->net))
        res->status = TRAIN_DIVERGED;
    return res->status;
}

void run_divergence_text(const RunResult *res, long epochs, char *buf, size_t len)
{
    const History *h = &res->hist;
    double last = h->n ? h->loss[h->n - 1] : 0.0;
    if (h->n && !isfinite(last))
        snprintf(buf, len, "the loss became %s at epoch %ld", isnan(last) ? "NaN" : "infinite",
                 h->n);
    else if ((h->n && h->n < epochs) || !model_loadable(&res->net))
        snprintf(buf, len,
                 "the weights grew beyond +-%g or stopped being numbers in the update of epoch "
                 "%ld",
                 MODEL_MAX_ABS, h->n);
    else if (h->n)
        snprintf(buf, len, "the loss became %s after the update of epoch %ld, the last",
                 isnan(res->final_loss) ? "NaN" : "infinite", h->n);
    else
        snprintf(buf, len, "the loss of the loaded model is %s",
                 isnan(res->final_loss) ? "NaN" : "infinite");
}

double run_reported_loss(const RunResult *res)
{
    return res->hist.n ? res->hist.loss[res->hist.n - 1] : res->final_loss;
}

double run_reported_accuracy(const RunResult *res)
{
    return res->hist.n ? res->hist.accuracy[res->hist.n - 1] : res->final_accuracy;
}

void run_result_free(RunResult *res)
{
    dataset_free(&res->test);
    free(res->test_output);
    res->test_output = NULL;
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

/* ------------------------------------------------------------------------ */
/* Figures, each drawn in a child process                                   */

typedef struct {
    const char *path;
    const PlotCurve *curves; /* curves, or else the prediction of res */
    int n_curves;
    const RunResult *res;
    const char *note;
    const char *xlabel;  /* of the curves: NULL for "Epoch" */
    const PlotMap *maps; /* or else maps */
    int n_maps;
    const PlotGraph *graph; /* or else a network as a graph, under title */
    const char *title;
    const PlotHeatmap *heatmaps; /* or else heatmaps under their titles */
    const char *const *titles;
    int n_heatmaps;
} Drawing;

/* At most RUN_DRAW_MAX points of a data set are drawn, so that a figure stays
 * small and quick to draw whatever the data's size. Of more, RUN_DRAW_MAX
 * chosen at random rather than every k-th: labels that repeat with the
 * period k (0,1,0,1,...) would otherwise show one class only. The choice
 * comes from a fixed seed on a stream of its own (the run's seeds use
 * streams 0 to 3), so that it is the same on every run, machine and thread
 * count, and the same for every figure of one data set. */
#define RUN_DRAW_MAX 2000
#define RUN_DRAW_SEED 0
#define RUN_DRAW_STREAM 4

/* The number of points of n drawn. */
static int draw_count(int n) { return n > RUN_DRAW_MAX ? RUN_DRAW_MAX : n; }

/* Which of n points are drawn: draw_count(n) indices into chosen, in
 * increasing order (selection sampling, Knuth's Algorithm S: each index is
 * kept with probability (still wanted) / (still left), so every subset of
 * that size is as likely). Returns the count. */
static int draw_choose(int n, int *chosen)
{
    int want = draw_count(n), got = 0;
    if (want == n) {
        for (int i = 0; i < n; i++)
            chosen[i] = i;
        return n;
    }
    Rng rng;
    rng_seed_stream(&rng, RUN_DRAW_SEED, RUN_DRAW_STREAM);
    for (int i = 0; i < n && got < want; i++)
        if ((double)(n - i) * rng_uniform(&rng) < (double)(want - got))
            chosen[got++] = i;
    return got;
}

/* What a figure says of the points drawn: "" when all are. */
static void draw_note(int n, char *buf, size_t len)
{
    if (draw_count(n) < n)
        snprintf(buf, len, "%d of the %d points drawn, chosen at random", draw_count(n), n);
    else if (len > 0)
        buf[0] = '\0';
}

/* The classes' names in a legend: "class 0", "class 1", ... each followed by suffix. */
typedef struct {
    char text[NET_MAX_OUTPUTS][24];
    const char *names[NET_MAX_OUTPUTS];
} ClassNames;

static void class_names(ClassNames *c, int classes, const char *suffix)
{
    for (int k = 0; k < classes && k < NET_MAX_OUTPUTS; k++) {
        snprintf(c->text[k], sizeof c->text[k], "class %d%s", k, suffix);
        c->names[k] = c->text[k];
    }
}

static int draw(const Drawing *d, char *err, size_t errlen)
{
    if (d->heatmaps)
        return plot_heatmaps(d->path, d->heatmaps, d->titles, d->n_heatmaps, d->note, err, errlen);
    if (d->graph)
        return plot_layered_graph(d->path, d->graph, d->title, d->note, err, errlen);
    if (d->maps)
        return plot_maps(d->path, d->maps, d->n_maps, d->note, err, errlen);
    if (d->curves)
        return plot_curves_over(d->path, d->curves, d->n_curves, d->xlabel ? d->xlabel : "Epoch",
                                d->note, err, errlen);
    const Dataset *data = &d->res->data;
    int n = data->n, m = draw_count(n);
    double *xy = malloc((size_t)m * 2 * sizeof *xy), *truth = malloc((size_t)m * sizeof *truth),
           *predicted = malloc((size_t)m * sizeof *predicted);
    int *chosen = malloc((size_t)(m > 0 ? m : 1) * sizeof *chosen);
    int rc = -1;
    int K = network_outputs(&d->res->net);
    if (!xy || !truth || !predicted || !chosen) {
        snprintf(err, errlen, "%s: out of memory", d->path);
    } else {
        draw_choose(n, chosen);
        for (int j = 0; j < m; j++) {
            int k = chosen[j];
            xy[2 * j] = data->x[2 * k], xy[2 * j + 1] = data->x[2 * k + 1];
            truth[j] = data->y[k];
            predicted[j] = predicted_class(d->res->output + (size_t)k * K, K);
        }
        char note[1024], drawn[128];
        draw_note(n, drawn, sizeof drawn);
        snprintf(note, sizeof note, "%s%s%s", d->note ? d->note : "",
                 d->note && d->note[0] && drawn[0] ? " - " : "", drawn);
        ClassNames classes;
        class_names(&classes, K > 1 ? K : 2, "");
        rc = plot_predictions(d->path, xy, truth, predicted, m, classes.names, note, err, errlen);
    }
    free(xy), free(truth), free(predicted), free(chosen);
    return rc;
}

/* Removes what is left of path.tmp.XXXXXX, the temporary of a figure whose
 * drawing died before it could remove it. */
static void remove_temporaries(const char *path)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
    DIR *folder = opendir(dir);
    if (!folder)
        return;
    size_t n = strlen(base);
    for (struct dirent *e; (e = readdir(folder));) {
        if (strncmp(e->d_name, base, n) == 0 && strncmp(e->d_name + n, ".tmp.", 5) == 0 &&
            strlen(e->d_name + n + 5) == 6) {
            char tmp[4400];
            snprintf(tmp, sizeof tmp, "%s/%s", dir, e->d_name);
            unlink(tmp);
        }
    }
    closedir(folder);
}

/* The marker before our own message in what the child writes. */
#define CHILD_MESSAGE "\n\001nnlab: "

static int draw_in_child(const Drawing *d, char *err, size_t errlen)
{
    int fds[2];
    fflush(stdout);
    fflush(stderr);
    if (pipe(fds) != 0) {
        snprintf(err, errlen, "%s: cannot draw: %s", d->path, strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "%s: cannot draw: %s", d->path, strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        /* the drawing's own output (PLplot's messages) comes to the parent */
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0)
            dup2(null, STDIN_FILENO);
        dup2(fds[1], STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        char msg[1024];
        int rc = draw(d, msg, sizeof msg);
        if (rc != 0) {
            fflush(stderr);
            dprintf(fds[1], "%s%s", CHILD_MESSAGE, msg);
        }
        _exit(rc ? 1 : 0); /* no atexit handlers, no stdio buffers of the parent's */
    }
    close(fds[1]);
    /* the last part of what the child wrote */
    char out[4096];
    size_t used = 0;
    for (;;) {
        if (used == sizeof out - 1) {
            memmove(out, out + sizeof out / 2, used - sizeof out / 2);
            used -= sizeof out / 2;
        }
        ssize_t got = read(fds[0], out + used, sizeof out - 1 - used);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        used += (size_t)got;
    }
    out[used] = '\0';
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            status = -1;
            break;
        }
    if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;

    const char *ours = strstr(out, CHILD_MESSAGE);
    if (ours && WIFEXITED(status) && WEXITSTATUS(status) == 1) {
        snprintf(err, errlen, "%s", ours + strlen(CHILD_MESSAGE));
    } else {
        /* the library ended the process: say how, with its last line */
        char how[64], last[512] = "";
        if (status != -1 && WIFSIGNALED(status))
            snprintf(how, sizeof how, "killed by signal %d, %s", WTERMSIG(status),
                     strsignal(WTERMSIG(status)));
        else
            snprintf(how, sizeof how, "ended with status %d",
                     status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        char *save = NULL;
        for (char *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
            if (strspn(line, " \t\r*") < strlen(line) && !strstr(line, "PLPLOT ERROR") &&
                strcmp(line, "Program aborted") != 0)
                snprintf(last, sizeof last, ": %s", line);
        snprintf(err, errlen,
                 "%s: the drawing library failed (%s)%s; short of memory (ulimit -v) or file "
                 "descriptors (ulimit -n)?",
                 d->path, how, last);
    }
    remove_temporaries(d->path);
    return -1;
}

/* While the child draws, SIGINT and SIGTERM wait in the parent as they do while
 * a temporary file is open (atomic_file.h): a second Ctrl-C ends nnlab once
 * the figure is whole or its temporary removed, never with the child left
 * drawing. */
static int draw_isolated(const Drawing *d, char *err, size_t errlen)
{
    sigset_t saved;
    atomic_signals_hold(&saved);
    int rc = draw_in_child(d, err, errlen);
    atomic_signals_release(&saved);
    return rc;
}

int run_plot_curves(const char *path, const PlotCurve *curves, int n, const char *note, char *err,
                    size_t errlen)
{
    Drawing d = {.path = path, .curves = curves, .n_curves = n, .note = note};
    return draw_isolated(&d, err, errlen);
}

int run_plot_heatmaps(const char *path, const PlotHeatmap *maps, const char *const *titles, int n,
                      const char *note, char *err, size_t errlen)
{
    Drawing d = {.path = path, .heatmaps = maps, .titles = titles, .n_heatmaps = n, .note = note};
    return draw_isolated(&d, err, errlen);
}

/* ---- maps of what a network learned -------------------------------------- */

#define MAP_CELLS 200 /* a side of the grid of points a map evaluates the network at */

/* One run's map and the arrays it points into. */
/* Up to this many classes a map's legend names each class's test points ("class 2, test");
 * with more, one entry ("test points") stands for them all. */
#define RUN_TEST_NAMED_CLASSES 4

typedef struct {
    PlotMap map;
    double *field; /* (side, side, K): the network's outputs at each grid point */
    double *xy;    /* the training points drawn, then the test points drawn (draw_choose) */
    int *cls;      /* their classes */
    char title[256];
    ClassNames names, tested; /* the legend's */
} RunMap;

static void run_map_free(RunMap *m)
{
    free(m->field);
    free(m->xy);
    free(m->cls);
}

/* The network's output over a grid of side x side points a little larger than
 * res's points, with the points on it. Returns 0, or -1 if out of memory. */
static int run_map_make(const RunResult *res, const char *title, int side, RunMap *m)
{
    memset(m, 0, sizeof *m);
    const Dataset *sets[2] = {&res->data, &res->test};
    double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
    for (int s = 0; s < 2; s++)
        for (int k = 0; k < sets[s]->n; k++)
            for (int i = 0; i < 2; i++)
                if (isfinite(sets[s]->x[2 * k + i])) {
                    lo[i] = fmin(lo[i], sets[s]->x[2 * k + i]);
                    hi[i] = fmax(hi[i], sets[s]->x[2 * k + i]);
                }
    for (int i = 0; i < 2; i++) { /* a tenth wider each side, and at least 0.2 across */
        if (!(hi[i] >= lo[i]))
            lo[i] = 0.0, hi[i] = 1.0;
        double pad = fmax(0.1 * (hi[i] - lo[i]), 0.1);
        lo[i] -= pad, hi[i] += pad;
    }
    /* the points drawn are chosen among the training points and then the test
     * points as one list, so that each set keeps its share */
    int cells = side * side, all = res->data.n + res->test.n, m_all = draw_count(all);
    int K = network_outputs(&res->net), classes = K > 1 ? K : 2;
    double *grid = malloc((size_t)cells * 2 * sizeof *grid);
    int *chosen = malloc((size_t)(m_all + 1) * sizeof *chosen);
    m->field = malloc((size_t)cells * K * sizeof *m->field);
    m->cls = malloc((size_t)(m_all + 1) * sizeof *m->cls);
    m->xy = malloc((size_t)(m_all + 1) * 2 * sizeof *m->xy);
    Workspace *ws = grid && chosen && m->field && m->cls && m->xy
                        ? workspace_new(&res->net, cells, ENGINE_FAST)
                        : NULL;
    if (!ws) {
        free(grid);
        free(chosen);
        run_map_free(m);
        return -1;
    }
    for (int j = 0; j < side; j++)
        for (int i = 0; i < side; i++) {
            grid[2 * (j * side + i)] = lo[0] + (hi[0] - lo[0]) * i / (side - 1);
            grid[2 * (j * side + i) + 1] = lo[1] + (hi[1] - lo[1]) * j / (side - 1);
        }
    network_set_inputs(ws, grid, cells);
    memcpy(m->field, network_forward(&res->net, ws), (size_t)cells * K * sizeof *m->field);
    workspace_free(ws);
    free(grid);
    class_names(&m->names, classes, "");
    class_names(&m->tested, classes, ", test");
    int drawn[2] = {0, 0}; /* the training points drawn, the test points drawn */
    draw_choose(all, chosen);
    for (int c = 0; c < m_all; c++) {
        int s = chosen[c] >= res->data.n, k = s ? chosen[c] - res->data.n : chosen[c];
        m->xy[2 * c] = sets[s]->x[2 * k], m->xy[2 * c + 1] = sets[s]->x[2 * k + 1];
        m->cls[c] = isnan(sets[s]->y[k]) ? -1 : (int)sets[s]->y[k];
        drawn[s]++;
    }
    free(chosen);
    char note[128];
    draw_note(all, note, sizeof note);
    snprintf(m->title, sizeof m->title, "%s%s%s", title ? title : "",
             title && title[0] && note[0] ? ", " : "", note);
    m->map = (PlotMap){.title = m->title[0] ? m->title : NULL,
                       .field = {.v = m->field,
                                 .nx = side,
                                 .ny = side,
                                 .k = K,
                                 .x0 = lo[0],
                                 .x1 = hi[0],
                                 .y0 = lo[1],
                                 .y1 = hi[1],
                                 .kind = K > 1 ? PLOT_FIELD_CLASSES : PLOT_FIELD_PROBABILITY},
                       .train = {.xy = m->xy,
                                 .cls = m->cls,
                                 .n = drawn[0],
                                 .k = classes,
                                 .names = m->names.names},
                       .test = {.xy = m->xy + 2 * drawn[0],
                                .cls = m->cls + drawn[0],
                                .n = drawn[1],
                                .k = classes,
                                /* a ring a class up to 4 classes; beyond, one entry
                                 * for them all, so that the legend stays small */
                                .names = classes <= RUN_TEST_NAMED_CLASSES
                                             ? m->tested.names
                                             : NULL,
                                .name = "test points",
                                .outlined = true}};
    return 0;
}

int run_plot_boundaries(const char *path, const RunResult *const *res, const char *const *titles,
                        int n, const char *note, char *err, size_t errlen)
{
    RunMap *maps = calloc((size_t)n, sizeof *maps);
    PlotMap *plot = calloc((size_t)n, sizeof *plot);
    int made = 0, rc = -1;
    while (maps && plot && made < n &&
           run_map_make(res[made], titles[made], MAP_CELLS, &maps[made]) == 0) {
        plot[made] = maps[made].map;
        made++;
    }
    if (made == n) {
        Drawing d = {.path = path, .note = note, .maps = plot, .n_maps = n};
        rc = draw_isolated(&d, err, errlen);
    } else {
        snprintf(err, errlen, "%s: out of memory for the map", path);
    }
    while (made-- > 0)
        run_map_free(&maps[made]);
    free(maps);
    free(plot);
    return rc;
}

int run_plot_boundary(const char *path, const RunResult *res, const char *note, char *err,
                      size_t errlen)
{
    const char *title = NULL;
    return run_plot_boundaries(path, &res, &title, 1, note, err, errlen);
}

int run_draw_map(PlotFigure *fig, int panel, const RunResult *res, const Network *net, int cells,
                 const char *title)
{
    /* res's points, net's outputs: res's own network may be changing meanwhile */
    RunResult view = {.data = res->data, .test = res->test, .net = *net};
    RunMap m;
    if (run_map_make(&view, title, cells, &m) != 0)
        return -1;
    plot_map_panel(fig, panel, &m.map, true);
    run_map_free(&m);
    return 0;
}

/* ---- the network as a graph --------------------------------------------- */

/* The units of a layer wider than RUN_NET_SHOWN drawn: the RUN_NET_SHOWN with
 * the largest sum of |weight| in and out, in their order. */
#define RUN_NET_SHOWN 32

/* A network's layers as the columns of a layered graph, and the arrays they
 * point into. */
typedef struct {
    PlotGraph graph;
    int sizes[NET_MAX_LAYERS + 1];
    int *units[NET_MAX_LAYERS + 1]; /* the network's units drawn in each column */
    double *edge[NET_MAX_LAYERS];   /* the weights between the units drawn */
    double *node[NET_MAX_LAYERS + 1];
    char labels[NET_MAX_LAYERS + 1][160];
    const char *label_of[NET_MAX_LAYERS + 1];
    char title[256];
    bool summary;             /* some layer is wider than what is drawn of it */
    double widest, strongest; /* the largest |w| and |b| drawn */
} RunGraph;

static void run_graph_free(RunGraph *g)
{
    for (int c = 0; c <= NET_MAX_LAYERS; c++) {
        free(g->units[c]);
        free(g->node[c]);
        if (c < NET_MAX_LAYERS)
            free(g->edge[c]);
    }
}

/* The units of column c (layer c's outputs; 0: the inputs) to draw, into
 * g->units[c]: all, or those whose weights weigh most. */
static void graph_choose_units(const Network *net, int c, RunGraph *g)
{
    int n = net->sizes[c];
    if (n <= RUN_NET_SHOWN) {
        for (int k = 0; k < n; k++)
            g->units[c][k] = k;
        g->sizes[c] = n;
        return;
    }
    double *weight = g->node[c]; /* scratch (c > 0: the 2 inputs are all drawn), filled after */
    for (int k = 0; k < n; k++) {
        weight[k] = 0.0;
        for (int i = 0; c > 0 && i < net->sizes[c - 1]; i++) /* W[c-1] is (n, sizes[c-1]) */
            weight[k] += fabs(net->W[c - 1][(size_t)k * net->sizes[c - 1] + i]);
        for (int o = 0; c < net->n_layers && o < net->sizes[c + 1]; o++) /* W[c] (sizes[c+1], n) */
            weight[k] += fabs(net->W[c][(size_t)o * n + k]);
    }
    /* the RUN_NET_SHOWN heaviest, kept in the network's order: unit k is kept if fewer
     * than RUN_NET_SHOWN units outweigh it (ties to the earlier unit) */
    int kept = 0;
    for (int k = 0; k < n && kept < RUN_NET_SHOWN; k++) {
        int above = 0;
        for (int j = 0; j < n; j++)
            above += weight[j] > weight[k] || (weight[j] == weight[k] && j < k);
        if (above < RUN_NET_SHOWN)
            g->units[c][kept++] = k;
    }
    g->sizes[c] = kept;
    g->summary = true;
}

/* The graph of net: columns of the inputs, each hidden layer and the output,
 * its nodes' values the biases, its edges the weights. 0, or -1 if out of memory. */
static int run_graph_make(const Network *net, RunGraph *g)
{
    memset(g, 0, sizeof *g);
    int columns = net->n_layers + 1;
    for (int c = 0; c < columns; c++) /* the inputs have no biases: node[0] stays NULL */
        if (!(g->units[c] = malloc((size_t)net->sizes[c] * sizeof *g->units[c])) ||
            (c > 0 && !(g->node[c] = malloc((size_t)net->sizes[c] * sizeof *g->node[c])))) {
            run_graph_free(g);
            return -1;
        }
    for (int c = 0; c < columns; c++)
        graph_choose_units(net, c, g);
    double widest = 0.0, strongest = 0.0;
    for (int c = 0; c < columns; c++) {
        for (int k = 0; c > 0 && k < g->sizes[c]; k++) { /* layer c - 1's biases */
            g->node[c][k] = net->b[c - 1][g->units[c][k]];
            strongest = fmax(strongest, fabs(g->node[c][k]));
        }
        if (c + 1 == columns)
            break;
        int in = g->sizes[c], out = g->sizes[c + 1];
        if (!(g->edge[c] = malloc((size_t)in * (size_t)out * sizeof *g->edge[c]))) {
            run_graph_free(g);
            return -1;
        }
        for (int o = 0; o < out; o++)
            for (int i = 0; i < in; i++) {
                double w = net->W[c][(size_t)g->units[c + 1][o] * net->sizes[c] + g->units[c][i]];
                g->edge[c][(size_t)o * in + i] = w;
                widest = fmax(widest, fabs(w));
            }
    }
    for (int c = 0; c < columns; c++) {
        const char *act = activation_name(c == net->n_layers ? net->output_act : net->hidden_act);
        char units[96];
        snprintf(units, sizeof units, "%d units", net->sizes[c]);
        if (g->sizes[c] < net->sizes[c]) /* a summary, said under the column */
            snprintf(units, sizeof units, "%d of %d units:\nthose of largest |w| in and out",
                     g->sizes[c], net->sizes[c]);
        if (c == 0)
            snprintf(g->labels[c], sizeof g->labels[c], "inputs\nx1, x2");
        else if (c == net->n_layers && net->sizes[c] == 1)
            snprintf(g->labels[c], sizeof g->labels[c], "output\n%s", act);
        else if (c == net->n_layers)
            snprintf(g->labels[c], sizeof g->labels[c], "outputs (%s)\nclasses 0 to %d", act,
                     net->sizes[c] - 1);
        else
            snprintf(g->labels[c], sizeof g->labels[c], "hidden %d (%s)\n%s", c, act, units);
        g->label_of[c] = g->labels[c];
    }
    g->widest = widest, g->strongest = strongest;
    snprintf(g->title, sizeof g->title,
             "Weights: line width by |w| (widest %.3g); biases: node colour by |b| (darkest %.3g)",
             widest, strongest);
    g->graph = (PlotGraph){.n_columns = columns,
                           .sizes = g->sizes,
                           .node = (const double *const *)g->node,
                           .edge = (const double *const *)g->edge,
                           .labels = g->label_of,
                           .edge_names = {"weight < 0", "weight > 0"},
                           .node_names = {"bias < 0", "bias > 0"}};
    return 0;
}

int run_plot_network(const char *path, const RunResult *res, const char *note, char *err,
                     size_t errlen)
{
    RunGraph g;
    if (run_graph_make(&res->net, &g) != 0) {
        snprintf(err, errlen, "%s: out of memory for the network's figure", path);
        return -1;
    }
    Drawing d = {.path = path, .note = note, .graph = &g.graph, .title = g.title};
    int rc = draw_isolated(&d, err, errlen);
    run_graph_free(&g);
    return rc;
}

int run_draw_network(PlotFigure *fig, int panel, const Network *net)
{
    RunGraph g;
    if (run_graph_make(net, &g) != 0)
        return -1;
    /* the figure's title in fewer words, for a panel half as wide */
    snprintf(g.title, sizeof g.title, "Network: widest line |w| %.3g, darkest node |b| %.3g",
             g.widest, g.strongest);
    plot_graph_panel(fig, panel, &g.graph, g.title);
    run_graph_free(&g);
    return 0;
}

int run_plot_curves_over(const char *path, const PlotCurve *curves, int n, const char *xlabel,
                         const char *note, char *err, size_t errlen)
{
    Drawing d = {.path = path, .curves = curves, .n_curves = n, .note = note, .xlabel = xlabel};
    return draw_isolated(&d, err, errlen);
}

int run_plot_learning_curve(const char *path, const RunResult *res, const char *note, char *err,
                            size_t errlen)
{
    PlotCurve curve = {.loss = res->hist.loss,
                       .accuracy = res->hist.accuracy,
                       .n = res->hist.n,
                       .test_loss = res->hist.test_loss,
                       .test_accuracy = res->hist.test_accuracy};
    return run_plot_curves(path, &curve, 1, note, err, errlen);
}

int run_plot_prediction(const char *path, const RunResult *res, const char *note, char *err,
                        size_t errlen)
{
    Drawing d = {.path = path, .res = res, .note = note};
    return draw_isolated(&d, err, errlen);
}

/* ------------------------------------------------------------------------ */
/* A run's files                                                            */

static const char *const format_ext[] = {"png", "svg"};

/* dir/name.ext for each chosen format; draw() renders one file. */
static int write_figure(const char *dir, const char *name, int formats,
                        int (*draw_one)(const char *path, const RunResult *res, const char *note,
                                        char *err, size_t errlen),
                        const RunResult *res, const char *note, char *err, size_t errlen)
{
    for (int f = 0; f < 2; f++) {
        if (!(formats & (1 << f)))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.%s", dir, name, format_ext[f]);
        if (draw_one(path, res, note, err, errlen) != 0)
            return -1;
    }
    return 0;
}

int run_write_data(const char *dir, const RunResult *res, char *err, size_t errlen)
{
    /* each is written even if another could not be; the first failure is told */
    char path[4096], msg[1024];
    int failed = 0;
    if (res->status != TRAIN_DIVERGED) {
        snprintf(path, sizeof path, "%s/model.txt", dir);
        if (model_write(path, &res->net, &res->origin, msg, sizeof msg) != 0 && !failed++)
            snprintf(err, errlen, "%s", msg);
        snprintf(path, sizeof path, "%s/predictions.csv", dir);
        if (csv_write_predictions(path, &res->data, res->output, network_outputs(&res->net), msg,
                                  sizeof msg) != 0 && !failed++)
            snprintf(err, errlen, "%s", msg);
        snprintf(path, sizeof path, "%s/test_predictions.csv", dir);
        if (res->test.n &&
            csv_write_predictions(path, &res->test, res->test_output,
                                  network_outputs(&res->net), msg, sizeof msg) != 0 &&
            !failed++)
            snprintf(err, errlen, "%s", msg);
    }
    snprintf(path, sizeof path, "%s/history.csv", dir);
    if (csv_write_history(path, &res->hist, msg, sizeof msg) != 0 && !failed++)
        snprintf(err, errlen, "%s", msg);
    return failed ? -1 : 0;
}

int run_write_figures(const char *dir, const RunResult *res, int formats, const char *note,
                      char *err, size_t errlen)
{
    if (res->hist.n > 0 && write_figure(dir, "learning_curve", formats, run_plot_learning_curve,
                                        res, note, err, errlen) != 0)
        return -1;
    if (res->status == TRAIN_DIVERGED)
        return 0; /* the weights are no longer numbers: nothing more worth drawing */
    if (write_figure(dir, "prediction", formats, run_plot_prediction, res, note, err, errlen) != 0)
        return -1;
    if (write_figure(dir, "boundary", formats, run_plot_boundary, res, note, err, errlen) != 0)
        return -1;
    return write_figure(dir, "network", formats, run_plot_network, res, note, err, errlen);
}

void run_remove_stale(const char *dir, const RunResult *res, int formats)
{
    int whole = res->status != TRAIN_DIVERGED;
    const struct {
        const char *name;
        int written;
    } files[] = {
        {"model.txt", whole},
        {"predictions.csv", whole},
        {"test_predictions.csv", whole && res->test.n},
        {"history.csv", 1},
        {"learning_curve.png", res->hist.n > 0 && (formats & RUN_PNG)},
        {"learning_curve.svg", res->hist.n > 0 && (formats & RUN_SVG)},
        {"prediction.png", whole && (formats & RUN_PNG)},
        {"prediction.svg", whole && (formats & RUN_SVG)},
        {"boundary.png", whole && (formats & RUN_PNG)},
        {"boundary.svg", whole && (formats & RUN_SVG)},
        {"network.png", whole && (formats & RUN_PNG)},
        {"network.svg", whole && (formats & RUN_SVG)},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
        if (!files[i].written && lstat(path, &st) == 0 && S_ISREG(st.st_mode))
            unlink(path);
    }
}

/* ------------------------------------------------------------------------ */
/* Folders                                                                  */

int run_mark_incomplete(const char *dir, const char *text, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, RUN_MARKER);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    size_t len = strlen(text);
    int why = 0;
    if (fd < 0)
        why = errno;
    else if (write(fd, text, len) != (ssize_t)len)
        why = errno ? errno : ENOSPC;
    if (fd >= 0 && close(fd) != 0 && !why)
        why = errno;
    if (!why)
        return IO_OK;
    if (fd >= 0)
        unlink(path);
    snprintf(err, errlen, "cannot write %s: %s", path, strerror(why));
    return why == ENOSPC || why == EDQUOT || why == EFBIG || why == EIO || why == EMFILE ||
                   why == ENFILE || why == ENOMEM
               ? IO_FAILED
               : IO_BAD_INPUT;
}

void run_unmark(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, RUN_MARKER);
    unlink(path);
}

int run_make_dir(const char *path, char *created, size_t len, char *err, size_t errlen)
{
    /* the shortest prefix of path (at a '/') that is missing */
    char buf[4096];
    struct stat st;
    created[0] = '\0';
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (stat(buf, &st) != 0 && errno == ENOENT) {
            snprintf(created, len, "%s", buf);
            break;
        }
        *p = saved;
        if (saved == '\0')
            break;
    }
    if (make_dirs(path, err, errlen) == 0)
        return 0;
    run_unmake_dir(path, created);
    created[0] = '\0';
    return -1;
}

void run_unmake_dir(const char *path, const char *created)
{
    if (!created[0])
        return;
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    size_t top = strlen(created);
    /* rmdir path, then each parent down to created; a folder not empty stays */
    for (;;) {
        size_t n = strlen(buf);
        while (n > top && buf[n - 1] == '/')
            buf[--n] = '\0';
        if (n < top || rmdir(buf) != 0 || n == top)
            return;
        char *slash = strrchr(buf, '/');
        if (!slash)
            return;
        *slash = '\0';
    }
}
