/* cmd_train.c - `nnlab train`: one run, printed as it goes, saved to --out. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic_file.h"
#include "cli.h"
#include "model_io.h"
#include "settings.h"

/* train's own options; the settings' come from settings.h. */
static const struct option own_options[] = {
    {"out", required_argument, NULL, 0},    {"save-model", required_argument, NULL, 0},
    {"format", required_argument, NULL, 0}, {"quiet", no_argument, NULL, 0},
    {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
};

static void print_usage(FILE *fp)
{
    fputs("usage: nnlab train [options]\n"
          "\n"
          "Trains a 2 -> hidden -> 1 network with full-batch gradient descent on mean squared\n"
          "error, prints its progress and results, and saves them into --out.\n"
          "\n",
          fp);
    settings_usage(fp);
    fputs("  --out DIR                where outputs go (default runs/<settings>)\n"
          "  --format LIST            figure formats: png, svg or png,svg (default png,svg)\n"
          "  --save-model FILE        also save the trained model to FILE\n"
          "  --quiet                  print only the final result\n"
          "  --help                   this text\n"
          "\n"
          "data sets:\n",
          fp);
    datasets_usage(fp);
    fputs("\n"
          "Writes history.csv, predictions.csv, model.txt, learning_curve.{png,svg} and\n"
          "prediction.{png,svg} into --out. Exit status: 0 done, 1 run-time failure, 2 bad\n"
          "input, 3 the loss became NaN or infinite, 130/143 interrupted.\n",
          fp);
}

int train_option_apply(const char *name, const char *arg, RunSpec *spec, TrainOptions *opts,
                       char *err, size_t errlen)
{
    char msg[900];
    int rc = 0;
    if (strcmp(name, "out") == 0 || strcmp(name, "save-model") == 0) {
        char *dst = name[0] == 'o' ? opts->out_dir : opts->save_model;
        if (arg[0] == '\0' || strlen(arg) >= sizeof opts->out_dir) {
            snprintf(msg, sizeof msg, "a file name of 1 to %zu characters is accepted",
                     sizeof opts->out_dir - 1);
            rc = -1;
        } else {
            strcpy(dst, arg);
        }
    } else if (strcmp(name, "format") == 0) {
        if (!(opts->formats = run_parse_formats(arg))) {
            snprintf(msg, sizeof msg, "\"%s\" is not png, svg or png,svg", arg);
            rc = -1;
        }
    } else if (strcmp(name, "quiet") == 0) {
        opts->quiet = 1;
    } else {
        rc = run_spec_set(spec, name, arg, msg, sizeof msg);
    }
    if (rc != 0)
        snprintf(err, errlen, "--%s: %s", name, msg);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Reporting while training                                                 */

typedef struct {
    long total;       /* epochs asked for */
    int print_epochs; /* the original's line every 5000 epochs */
    int progress;     /* a progress bar on a terminal */
    int bar_shown;
    double start, last_draw;
    volatile sig_atomic_t *stop_signal;
} Reporter;

static void clear_bar(Reporter *r)
{
    if (r->bar_shown) {
        fputs("\r\033[K", stderr);
        r->bar_shown = 0;
    }
}

static void draw_bar(Reporter *r, long epoch, double loss, double acc, double now)
{
    enum { WIDTH = 24 };
    double done = (double)epoch / (double)r->total;
    double rate = epoch / (now - r->start > 1e-9 ? now - r->start : 1e-9);
    char bar[WIDTH + 1];
    for (int i = 0; i < WIDTH; i++)
        bar[i] = i < (int)(done * WIDTH) ? '#' : '.';
    bar[WIDTH] = '\0';
    fprintf(stderr,
            "\r\033[K[%s] %3.0f%%  epoch %ld/%ld  loss %.6f  acc %.2f  %.0f epochs/s  %.0fs left",
            bar, 100.0 * done, epoch, r->total, loss, acc, rate, (r->total - epoch) / rate);
    fflush(stderr);
    r->bar_shown = 1;
}

static bool report_epoch(long epoch, double loss, double acc, void *ctx)
{
    Reporter *r = ctx;
    if (*r->stop_signal)
        return false;
    if (r->print_epochs && epoch % 5000 == 0) {
        clear_bar(r);
        printf("Epoch %7ld, Loss %.10f, Accuracy %.2f\n", epoch, loss, acc);
        fflush(stdout);
    }
    if (r->progress && epoch % 64 == 0) {
        double now = run_clock();
        if (now - r->last_draw >= 0.1) {
            draw_bar(r, epoch, loss, acc, now);
            r->last_draw = now;
        }
    }
    return true;
}

/* ------------------------------------------------------------------------ */

static void print_results(const RunResult *res, int per_sample)
{
    const Dataset *d = &res->data;
    int correct = 0;
    for (int k = 0; k < d->n; k++) {
        int predicted = res->output[k] > 0.5;
        correct += predicted == (d->y[k] > 0.5);
        if (per_sample)
            printf("Sample %3d | Ground truth %d | Prediction %.16f |\n", k, (int)d->y[k],
                   res->output[k]);
    }
    double loss = mse_forward(res->output, d->y, d->n);
    printf("Loss %.10f, Testing accuracy %.2f (%d of %d correct)\n", loss, (double)correct / d->n,
           correct, d->n);
}

/* The model must agree with --hidden, --activation and --output-activation
 * where they are given. */
static int check_loaded_model(const RunSpec *spec, const Network *net, char *err, size_t errlen)
{
    int same = net->n_layers - 1 == spec->n_hidden;
    for (int l = 0; same && l < spec->n_hidden; l++)
        same = net->sizes[l + 1] == spec->hidden[l];
    if (run_spec_given(spec, "hidden") && !same) {
        char want[128], have[128];
        run_hidden_text(spec->hidden, spec->n_hidden, want, sizeof want);
        run_hidden_text(net->sizes + 1, net->n_layers - 1, have, sizeof have);
        snprintf(err, errlen, "--hidden %s does not match the hidden layers %s of %.300s", want,
                 have, spec->load_model);
        return -1;
    }
    const struct {
        const char *key;
        Activation want, have;
    } acts[] = {{"activation", spec->activation, net->hidden_act},
                {"output-activation", run_output_activation(spec), net->output_act}};
    for (int i = 0; i < 2; i++)
        if (run_spec_given(spec, acts[i].key) && acts[i].want != acts[i].have) {
            snprintf(err, errlen, "--%s %s does not match %s %s of %.300s", acts[i].key,
                     activation_name(acts[i].want), acts[i].key, activation_name(acts[i].have),
                     spec->load_model);
            return -1;
        }
    return 0;
}

int cmd_train(int argc, char **argv, const CliContext *ctx)
{
    RunSpec spec = run_spec_default();
    TrainOptions opts = {.formats = RUN_PNG | RUN_SVG};
    char err[1024];
    struct option train_options[CLI_MAX_OPTIONS];
    cli_options(train_options, own_options);

    const char *name, *arg;
    int started = 0;
    CliNext next;
    while ((next = cli_next_option(argc, argv, train_options, &started, &name, &arg)) != CLI_END) {
        if (next == CLI_HELP) {
            print_usage(stdout);
            return EXIT_OK;
        }
        if (next == CLI_BAD)
            return EXIT_USAGE;
        if (train_option_apply(name, arg, &spec, &opts, err, sizeof err) != 0) {
            fprintf(stderr, "nnlab train: %s\n", err);
            return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "nnlab train: unexpected argument \"%s\" (see nnlab train --help)\n",
                argv[optind]);
        return EXIT_USAGE;
    }

    if (run_spec_given(&spec, "dataset") && run_spec_given(&spec, "data")) {
        fprintf(stderr, "nnlab train: --dataset and --data are both given: one data set is "
                        "accepted\n");
        return EXIT_USAGE;
    }
    char data_name[RUN_NAME_MAX + 1];
    if (!opts.out_dir[0] && spec.data_path[0] &&
        run_name_from_path(spec.data_path, data_name, sizeof data_name) != 0) {
        char shown[1024];
        run_printable(spec.data_path, shown, sizeof shown);
        fprintf(stderr,
                "nnlab train: --data: \"%s\" cannot name the default --out folder: %s is "
                "accepted (or give --out)\n",
                shown, RUN_NAME_RULE);
        return EXIT_USAGE;
    }

    RunResult res;
    if (run_prepare(&spec, &res, err, sizeof err) != 0) {
        fprintf(stderr, "nnlab train: %s\n", err);
        return EXIT_USAGE;
    }
    if (spec.load_model[0]) {
        if (check_loaded_model(&spec, &res.net, err, sizeof err) != 0) {
            fprintf(stderr, "nnlab train: %s\n", err);
            run_result_free(&res);
            return EXIT_USAGE;
        }
        spec.n_hidden = res.net.n_layers - 1;
        memcpy(spec.hidden, res.net.sizes + 1, sizeof(int) * (size_t)spec.n_hidden);
        spec.activation = res.net.hidden_act;
        spec.output_activation = (int)res.net.output_act;
    }
    if (!opts.out_dir[0]) {
        char folder[512];
        run_spec_name(&spec, folder, sizeof folder);
        snprintf(opts.out_dir, sizeof opts.out_dir, "runs/%s", folder);
    }
    if (run_check_figure_folder(opts.out_dir, err, sizeof err) != 0 ||
        make_dirs(opts.out_dir, err, sizeof err) != 0) {
        fprintf(stderr, "nnlab train: --out: %s\n", err);
        run_result_free(&res);
        return EXIT_USAGE;
    }

    char about[512];
    run_spec_describe(&spec, about, sizeof about);
    if (!opts.quiet)
        printf("Training %s\n", about);
    Reporter rep = {.total = spec.train.epochs,
                    .print_epochs = !opts.quiet,
                    .progress = !opts.quiet && isatty(STDERR_FILENO) && spec.train.epochs > 0,
                    .start = run_clock(),
                    .stop_signal = ctx->stop_signal};
    TrainStatus status = run_train(&spec, &res, report_epoch, &rep);
    clear_bar(&rep);

    int rc = EXIT_OK;
    char note[640];
    snprintf(note, sizeof note, "%s", about);
    if (status == TRAIN_NOMEM) {
        fprintf(stderr, "nnlab train: out of memory\n");
        run_result_free(&res);
        return EXIT_RUNTIME;
    } else if (status == TRAIN_DIVERGED) {
        fprintf(stderr,
                "nnlab train: the loss became %s at epoch %ld; try a smaller --lr "
                "(history up to that epoch is in %s)\n",
                isnan(res.hist.loss[res.hist.n - 1]) ? "NaN" : "infinite", res.hist.n,
                opts.out_dir);
        snprintf(note, sizeof note, "%s - diverged at epoch %ld", about, res.hist.n);
        rc = EXIT_DIVERGED;
    } else if (status == TRAIN_STOPPED) {
        int sig = *ctx->stop_signal;
        fprintf(stderr, "nnlab train: interrupted at epoch %ld of %ld; saving what there is\n",
                res.hist.n, spec.train.epochs);
        snprintf(note, sizeof note, "%s - interrupted at epoch %ld", about, res.hist.n);
        rc = 128 + sig;
    }
    if (status != TRAIN_DIVERGED)
        print_results(&res, !opts.quiet);

    if (run_write_outputs(opts.out_dir, &res, opts.formats, note, err, sizeof err) != 0 ||
        (opts.save_model[0] && model_write(opts.save_model, &res.net, err, sizeof err) != 0)) {
        fprintf(stderr, "nnlab train: %s\n", err);
        rc = rc ? rc : EXIT_RUNTIME;
    } else if (!opts.quiet) {
        printf("Wrote %s/{history.csv,predictions.csv,model.txt,learning_curve,prediction}\n",
               opts.out_dir);
    }
    run_result_free(&res);
    return rc;
}
