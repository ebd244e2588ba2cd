/* cmd_train.c - `nnlab train`: one run, printed as it goes, saved to --out. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"
#include "cli.h"
#include "live.h"
#include "model_io.h"
#include "settings.h"

/* train's own options; the settings' come from settings.h. */
static const struct option own_options[] = {
    {"out", required_argument, NULL, 0},
    {"save-model", required_argument, NULL, 0},
    {"format", required_argument, NULL, 0},
    {"quiet", no_argument, NULL, 0},
    {"live", no_argument, NULL, 0},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void print_usage(FILE *fp)
{
    fputs("usage: nnlab train [options]\n"
          "\n"
          "Trains a network of 2 inputs, hidden layers and one output (K for K > 2 classes,\n"
          "or with --loss ce) by gradient descent, by default the original's: full batch,\n"
          "mean squared error; prints its progress and results, and saves them into --out.\n"
          "\n",
          fp);
    settings_usage(fp);
    fputs("  --out DIR                where outputs go (default runs/<settings>)\n"
          "  --format LIST            figure formats: png, svg or png,svg (default png,svg)\n"
          "  --save-model FILE        also save the trained model to FILE\n"
          "  --quiet                  print only the final result\n"
          "  --live                   show the run in a window as it trains (keys: space\n"
          "                           pauses, q stops as Ctrl-C does, s saves a PNG)\n"
          "  --help                   this text\n"
          "\n"
          "data sets:\n",
          fp);
    datasets_usage(fp);
    fputs("\n"
          "Writes history.csv, predictions.csv (and test_predictions.csv), model.txt and the\n"
          "figures learning_curve, prediction, boundary and network (png, svg) into --out.\n"
          "Exit status: 0 done, 1 run-time failure, 2 bad input, 3 the loss became NaN or\n"
          "infinite or the weights grew beyond +-1e100 (the run stops at that epoch), 128 +\n"
          "the signal interrupted (130 SIGINT, 143 SIGTERM, 129 SIGHUP, 141 SIGPIPE).\n",
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
    } else if (strcmp(name, "live") == 0) {
        opts->live = 1;
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

/* Of a larger data set, the first TRAIN_PRINT_SAMPLES points are printed
 * one a line, and a line says where the others are: a million lines would
 * take longer to print than the run's training. */
#define TRAIN_PRINT_SAMPLES 1000

/* How many of d's points the outputs (d->n, k) class right. */
static int count_correct(const Dataset *d, const double *output, int k)
{
    int correct = 0;
    for (int p = 0; p < d->n; p++)
        correct += predicted_class(output + (size_t)p * k, k) == (int)d->y[p];
    return correct;
}

static void print_results(const RunResult *res, int per_sample)
{
    const Dataset *d = &res->data;
    int k = network_outputs(&res->net), correct = count_correct(d, res->output, k);
    for (int p = 0; per_sample && p < d->n && p < TRAIN_PRINT_SAMPLES; p++) {
        const double *out = res->output + (size_t)p * k;
        if (k == 1) /* the original's line */
            printf("Sample %3d | Ground truth %d | Prediction %.16f |\n", p, (int)d->y[p], out[0]);
        else
            printf("Sample %3d | Ground truth %d | Prediction %d (probability %.16f) |\n", p,
                   (int)d->y[p], predicted_class(out, k), out[predicted_class(out, k)]);
    }
    if (per_sample && d->n > TRAIN_PRINT_SAMPLES)
        printf("... and %d samples more: every point's prediction is in predictions.csv\n",
               d->n - TRAIN_PRINT_SAMPLES);
    if (!res->test.n) { /* the original's line: its "testing" is on the training points */
        printf("Loss %.10f, Testing accuracy %.2f (%d of %d correct)\n", res->final_loss,
               (double)correct / d->n, correct, d->n);
        return;
    }
    int right = count_correct(&res->test, res->test_output, k);
    printf("Train loss %.10f, accuracy %.2f (%d of %d correct)\n", res->final_loss,
           (double)correct / d->n, correct, d->n);
    printf("Test  loss %.10f, accuracy %.2f (%d of %d correct)\n", res->test_loss,
           res->test_accuracy, right, res->test.n);
}

/* --save-model must name a file in a folder that is there and takes a new
 * file (the model goes to a temporary beside it, then renamed): found before
 * training rather than after. */
static int check_save_model(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "--save-model: %.300s is %s; a file name is expected", path,
                 S_ISDIR(st.st_mode) ? "a folder" : "not a regular file");
        return -1;
    }
    char dir[1024];
    const char *slash = strrchr(path, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) + 1 : 1, slash ? path : ".");
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen,
                 "--save-model: %.300s: there is no folder %.300s to save the model in", path, dir);
        return -1;
    }
    AtomicFile probe; /* the write the model will make, given up at once */
    char msg[900];
    if (atomic_file_open(&probe, path, msg, sizeof msg) != 0) {
        snprintf(err, errlen, "--save-model: %s", msg);
        return -1;
    }
    atomic_file_abort(&probe);
    return 0;
}

/* Everything that can be checked before training: bad input found then costs
 * no training and leaves nothing behind. Returns 0, or an exit status after
 * printing why. */
static int check_before_training(RunSpec *spec, TrainOptions *opts, RunResult *res)
{
    char err[1024];
    if (run_spec_given(spec, "dataset") && run_spec_given(spec, "data")) {
        fprintf(stderr, "nnlab train: --dataset and --data are both given: one data set is "
                        "accepted\n");
        return EXIT_USAGE;
    }
    if (run_spec_given(spec, "test-data") && run_spec_given(spec, "test-fraction")) {
        fprintf(stderr, "nnlab train: --test-data and --test-fraction are both given: one of "
                        "them is accepted\n");
        return EXIT_USAGE;
    }
    char name[RUN_NAME_MAX + 1];
    if (!opts->out_dir[0] && spec->data_path[0] &&
        run_name_from_path(spec->data_path, name, sizeof name) != 0) {
        char shown[1024];
        run_printable(spec->data_path, shown, sizeof shown);
        fprintf(stderr,
                "nnlab train: --data: \"%s\" cannot name the default --out folder: %s is "
                "accepted (or give --out)\n",
                shown, RUN_NAME_RULE);
        return EXIT_USAGE;
    }
    if (opts->save_model[0] && check_save_model(opts->save_model, err, sizeof err) != 0) {
        fprintf(stderr, "nnlab train: %s\n", err);
        return EXIT_USAGE;
    }
    int rc = run_prepare(spec, res, err, sizeof err);
    if (rc != IO_OK) {
        fprintf(stderr, "nnlab train: %s\n", err);
        return rc == IO_FAILED ? EXIT_RUNTIME : EXIT_USAGE;
    }
    if (spec->load_model[0]) {
        if (run_check_model(spec, &res->net, "--", err, sizeof err) != 0) {
            fprintf(stderr, "nnlab train: %s\n", err);
            run_result_free(res);
            return EXIT_USAGE;
        }
        run_adopt_model(spec, &res->net);
    }
    if (!opts->out_dir[0]) {
        char folder[512];
        run_spec_name(spec, folder, sizeof folder);
        snprintf(opts->out_dir, sizeof opts->out_dir, "runs/%s", folder);
    }
    if (run_check_figure_folder(opts->out_dir, err, sizeof err) != 0) {
        fprintf(stderr, "nnlab train: --out: %s\n", err);
        run_result_free(res);
        return EXIT_USAGE;
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

    if (opts.live && live_check(err, sizeof err) != 0) {
        fprintf(stderr, "nnlab train: --live: %s\n", err);
        return EXIT_USAGE;
    }

    RunResult res;
    int rc = check_before_training(&spec, &opts, &res);
    if (rc != 0)
        return rc;

    /* The folder says it is being written until every file is in. */
    char created[4096];
    if (run_make_dir(opts.out_dir, created, sizeof created, err, sizeof err) != 0) {
        fprintf(stderr, "nnlab train: --out: %s\n", err);
        run_result_free(&res);
        return EXIT_USAGE;
    }
    if ((rc = run_mark_incomplete(opts.out_dir,
                                  "nnlab train is writing this folder: until it has finished, its "
                                  "files may be partly an earlier run's.\n",
                                  err, sizeof err)) != IO_OK) {
        fprintf(stderr, "nnlab train: --out: %s\n", err);
        run_unmake_dir(opts.out_dir, created);
        run_result_free(&res);
        return rc == IO_FAILED ? EXIT_RUNTIME : EXIT_USAGE;
    }

    char about[512];
    run_spec_describe(&spec, about, sizeof about);
    Live *live = NULL;
    char title[600];
    snprintf(title, sizeof title, "nnlab train: %s", about);
    LiveSetup setup = {.title = title,
                       .note = about,
                       .n_runs = 1,
                       .png_dir = opts.out_dir,
                       .stop_signal = ctx->stop_signal,
                       .say = cli_say_live};
    if (opts.live && !(live = live_start(&setup, err, sizeof err))) {
        fprintf(stderr, "nnlab train: --live: %s\n", err);
        run_unmark(opts.out_dir);
        run_unmake_dir(opts.out_dir, created);
        run_result_free(&res);
        return EXIT_USAGE;
    }
    if (!opts.quiet)
        printf("Training %s\n", about);
    Reporter rep = {.total = spec.train.epochs,
                    .print_epochs = !opts.quiet,
                    .progress = !opts.quiet && isatty(STDERR_FILENO) && spec.train.epochs > 0,
                    .start = run_clock(),
                    .stop_signal = ctx->stop_signal};
    TrainStatus status = live ? live_train(live, 0, &spec, &res, report_epoch, &rep)
                              : run_train(&spec, &res, report_epoch, &rep);
    live_stop(live);
    clear_bar(&rep);

    char note[800], why[256];
    snprintf(note, sizeof note, "%s", about);
    if (status == TRAIN_NOMEM) {
        /* nothing of this run was written: the folder is as it was */
        fprintf(stderr, "nnlab train: out of memory\n");
        run_unmark(opts.out_dir);
        run_unmake_dir(opts.out_dir, created);
        run_result_free(&res);
        return EXIT_RUNTIME;
    } else if (status == TRAIN_DIVERGED) {
        run_divergence_text(&res, spec.train.epochs, why, sizeof why);
        fprintf(stderr,
                "nnlab train: %s; try a smaller --lr (the history is in %s; no model is "
                "saved)\n",
                why, opts.out_dir);
        snprintf(note, sizeof note, "%s - diverged at epoch %ld", about, res.hist.n);
        rc = EXIT_DIVERGED;
    } else if (status == TRAIN_STOPPED) {
        int sig = *ctx->stop_signal;
        fprintf(stderr, "nnlab train: interrupted at epoch %ld of %ld; saving what there is\n",
                res.hist.n, spec.train.epochs);
        snprintf(note, sizeof note, "%s - interrupted at epoch %ld", about, res.hist.n);
        rc = 128 + sig;
    } else if (status != TRAIN_DONE) {
        run_early_stop_text(&res, why, sizeof why);
        if (!opts.quiet)
            printf("Early stop: %s\n", why);
        snprintf(note, sizeof note, "%s - %s", about, why);
    }
    if (status != TRAIN_DIVERGED)
        print_results(&res, !opts.quiet);

    /* The results first, --save-model whatever became of --out, the figures last. */
    char save_err[1024] = "";
    int wrote = run_write_data(opts.out_dir, &res, err, sizeof err) == 0;
    if (opts.save_model[0] && status != TRAIN_DIVERGED &&
        model_write(opts.save_model, &res.net, &res.origin, save_err, sizeof save_err) != 0)
        fprintf(stderr, "nnlab train: %s\n", save_err);
    wrote =
        wrote && run_write_figures(opts.out_dir, &res, opts.formats, note, err, sizeof err) == 0;
    if (!wrote) {
        char text[1400];
        fprintf(stderr, "nnlab train: %s\n", err);
        snprintf(text, sizeof text,
                 "nnlab train could not write every file of its run: %s\n"
                 "The files here may be partly an earlier run's.\n",
                 err);
        run_mark_incomplete(opts.out_dir, text, err, sizeof err);
    } else if (status == TRAIN_STOPPED) {
        char text[256];
        snprintf(text, sizeof text,
                 "nnlab train was interrupted at epoch %ld of %ld: the files here are of that "
                 "partial run.\n",
                 res.hist.n, spec.train.epochs);
        run_mark_incomplete(opts.out_dir, text, err, sizeof err);
    } else {
        run_remove_stale(opts.out_dir, &res, opts.formats);
        run_unmark(opts.out_dir);
    }
    if (!wrote || save_err[0])
        rc = rc ? rc : EXIT_RUNTIME;
    else if (!opts.quiet && status == TRAIN_DIVERGED) /* what run_write_data and _figures wrote */
        printf("Wrote %s/{history.csv%s}\n", opts.out_dir, res.hist.n ? ",learning_curve" : "");
    else if (!opts.quiet) /* no learning curve of no epochs (--epochs 0: only predicting) */
        printf("Wrote %s/{history.csv,predictions.csv,%smodel.txt,"
               "%sprediction,boundary,network}\n",
               opts.out_dir, res.test.n ? "test_predictions.csv," : "",
               res.hist.n ? "learning_curve," : "");
    run_result_free(&res);
    return rc;
}
