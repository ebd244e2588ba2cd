/* cmd_run.c - `nnlab run FILE` and `nnlab compare --vary ...`: the runs of an
 * experiment, trained in parallel threads and drawn one figure at a time. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic_file.h"
#include "cli.h"
#include "experiment.h"
#include "plot.h"
#include "settings.h"

#define MAX_JOBS 64

typedef struct {
    char out_dir[1024];  /* figures and README.md */
    char runs_dir[1024]; /* each run's history.csv, predictions.csv, model.txt */
    int formats;
    int jobs;
    int quiet;
} RunnerOptions;

/* One run of the experiment and what became of it. */
typedef struct {
    RunSpec spec;
    RunResult res;
    int prepared;
    char err[512];
} Job;

/* Shared by the worker threads; next and printing are under lock. */
typedef struct {
    Job *jobs;
    int n_jobs;
    int next;
    int quiet;
    pthread_mutex_t lock;
    volatile sig_atomic_t *stop_signal;
} Pool;

static bool keep_going(long epoch, double loss, double acc, void *ctx)
{
    (void)epoch, (void)loss, (void)acc;
    return !*(volatile sig_atomic_t *)ctx;
}

static void *worker(void *arg)
{
    Pool *pool = arg;
    for (;;) {
        pthread_mutex_lock(&pool->lock);
        int i = pool->next++;
        pthread_mutex_unlock(&pool->lock);
        if (i >= pool->n_jobs)
            return NULL;
        Job *job = &pool->jobs[i];
        if (run_prepare(&job->spec, &job->res, job->err, sizeof job->err) != 0)
            continue;
        job->prepared = 1;
        run_train(&job->spec, &job->res, keep_going, (void *)pool->stop_signal);
        if (!pool->quiet) {
            const History *h = &job->res.hist;
            char about[512];
            run_spec_describe(&job->spec, about, sizeof about);
            pthread_mutex_lock(&pool->lock);
            printf("%-60s loss %.6f  accuracy %.2f  (%.1f s)\n", about,
                   h->n ? h->loss[h->n - 1] : 0.0, h->n ? h->accuracy[h->n - 1] : 0.0,
                   job->res.seconds);
            fflush(stdout);
            pthread_mutex_unlock(&pool->lock);
        }
    }
}

/* Trains every job on up to n_threads threads. Each run is independent and
 * single-threaded, so results do not depend on the thread count. */
static void train_all(Job *jobs, int n_jobs, int n_threads, int quiet,
                      volatile sig_atomic_t *stop_signal)
{
    Pool pool = {.jobs = jobs, .n_jobs = n_jobs, .quiet = quiet, .stop_signal = stop_signal};
    pthread_mutex_init(&pool.lock, NULL);
    pthread_t threads[MAX_JOBS];
    int started = 0;
    if (n_threads > n_jobs)
        n_threads = n_jobs;
    for (; started < n_threads - 1; started++)
        if (pthread_create(&threads[started], NULL, worker, &pool) != 0)
            break;
    worker(&pool); /* the calling thread works too */
    for (int t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    pthread_mutex_destroy(&pool.lock);
}

/* ------------------------------------------------------------------------ */
/* Outputs                                                                  */

static const char *const format_ext[] = {"png", "svg"};

static long epochs_to_perfect(const History *h)
{
    for (long e = 0; e < h->n; e++)
        if (h->accuracy[e] == 1.0)
            return e + 1;
    return 0;
}

static const char *status_note(const Job *job)
{
    switch (job->res.status) {
    case TRAIN_DIVERGED:
        return " - diverged";
    case TRAIN_STOPPED:
        return " - interrupted";
    default:
        return "";
    }
}

/* The figures of data set d, whose runs are jobs[0..n). */
static int draw_dataset(const Experiment *exp, const char *dataset, Job *jobs, int n,
                        const RunnerOptions *o, char *err, size_t errlen)
{
    char path[4096], about[512], comparison_note[640], run_note[640];
    PlotCurve curves[EXP_MAX_VALUES];
    int interrupted = 0;
    for (int v = 0; v < n; v++) {
        const History *h = &jobs[v].res.hist;
        curves[v] = (PlotCurve){jobs[v].spec.label, h->loss, h->accuracy, h->n};
        interrupted |= jobs[v].res.status == TRAIN_STOPPED;
    }
    /* the comparison names what its runs share; the single-run figures, all of that run */
    run_spec_describe_except(&jobs[0].spec, exp->vary_key[0] ? exp->vary_key : NULL, about,
                             sizeof about);
    snprintf(comparison_note, sizeof comparison_note, "%s%s", about,
             interrupted ? " - interrupted" : "");
    const Job *shown = &jobs[exp->prediction_of];
    run_spec_describe(&shown->spec, about, sizeof about);
    snprintf(run_note, sizeof run_note, "%s%s", about, status_note(shown));

    for (int f = 0; f < 2; f++) {
        if (!(o->formats & (1 << f)))
            continue;
        if (exp->figures & FIG_COMPARISON) {
            snprintf(path, sizeof path, "%s/%s_comparison.%s", o->out_dir, dataset, format_ext[f]);
            if (plot_curves(path, curves, n, comparison_note, err, errlen) != 0)
                return -1;
        }
        if (exp->figures & FIG_LEARNING_CURVE) {
            snprintf(path, sizeof path, "%s/%s_learning_curve.%s", o->out_dir, dataset,
                     format_ext[f]);
            if (run_plot_learning_curve(path, &shown->res, run_note, err, errlen) != 0)
                return -1;
        }
        if ((exp->figures & FIG_PREDICTION) && shown->res.status != TRAIN_DIVERGED) {
            snprintf(path, sizeof path, "%s/%s_prediction.%s", o->out_dir, dataset, format_ext[f]);
            if (run_plot_prediction(path, &shown->res, run_note, err, errlen) != 0)
                return -1;
        }
    }
    return 0;
}

/* README.md of the experiment: its figures and a table of its runs. Links
 * are relative to the README's own folder. */
static int write_report(const Experiment *exp, const char *source, Job *jobs, int n_jobs,
                        const RunnerOptions *o, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/README.md", o->out_dir);
    AtomicFile af;
    if (atomic_file_open(&af, path, err, errlen) != 0)
        return -1;
    FILE *fp = af.fp;
    fprintf(fp, "## %s\n\n", exp->title);
    if (exp->description[0])
        fprintf(fp, "%s\n\n", exp->description);
    if (source)
        fprintf(fp, "Experiment file: `%s`.\n\n", source);
    const char *ext = o->formats & RUN_PNG ? "png" : "svg";
    int per = experiment_runs_per_dataset(exp);
    static const struct {
        int bit;
        const char *name;
    } figs[] = {
        {FIG_COMPARISON, "comparison"},
        {FIG_LEARNING_CURVE, "learning_curve"},
        {FIG_PREDICTION, "prediction"},
    };
    for (int d = 0; d < exp->n_datasets; d++) {
        const char *ds = experiment_dataset_name(exp, d);
        for (size_t f = 0; f < sizeof figs / sizeof figs[0]; f++)
            if (exp->figures & figs[f].bit)
                fprintf(fp, "![%s, %s](%s_%s.%s)\n", ds, figs[f].name, ds, figs[f].name, ext);
        fprintf(fp, "\n");
    }
    fprintf(fp, "| data set | run | epochs | final loss | final accuracy | first epoch at accuracy "
                "1.0 |\n");
    fprintf(fp, "|---|---|---:|---:|---:|---:|\n");
    for (int j = 0; j < n_jobs; j++) {
        const Job *job = &jobs[j];
        const History *h = &job->res.hist;
        char about[512], first[32];
        run_spec_describe_except(&job->spec, "dataset", about, sizeof about);
        long e = epochs_to_perfect(h);
        snprintf(first, sizeof first, e ? "%ld" : "never", e);
        fprintf(fp, "| %s | %s%s | %ld | %.6g | %.2f | %s |\n",
                experiment_dataset_name(exp, j / per), about, status_note(job), h->n,
                h->n ? h->loss[h->n - 1] : 0.0, h->n ? h->accuracy[h->n - 1] : 0.0, first);
    }
    fprintf(fp, "\n");
    return atomic_file_commit(&af, err, errlen);
}

static void run_dir_name(const Experiment *exp, int j, char *buf, size_t len)
{
    int per = experiment_runs_per_dataset(exp);
    const char *ds = experiment_dataset_name(exp, j / per);
    if (exp->vary_key[0])
        snprintf(buf, len, "%s_%s-%s", ds, exp->vary_key, exp->values[j % per]);
    else
        snprintf(buf, len, "%s", ds);
}

/* Trains the runs of exp, writes their data, figures and README; returns the
 * exit status. */
static int run_experiment(const Experiment *exp, const char *source, const RunnerOptions *o,
                          const CliContext *ctx, const char *cmd)
{
    char err[1024], dir[4096];
    Job *jobs = calloc(EXP_MAX_RUNS, sizeof *jobs);
    RunSpec specs[EXP_MAX_RUNS];
    if (!jobs) {
        fprintf(stderr, "nnlab %s: out of memory\n", cmd);
        return EXIT_RUNTIME;
    }
    int n_jobs = experiment_runs(exp, specs);
    for (int j = 0; j < n_jobs; j++)
        jobs[j].spec = specs[j];
    int rc = EXIT_OK;
    if (make_dirs(o->out_dir, err, sizeof err) != 0 || make_dirs(o->runs_dir, err, sizeof err)) {
        fprintf(stderr, "nnlab %s: --out: %s\n", cmd, err);
        free(jobs);
        return EXIT_USAGE;
    }
    train_all(jobs, n_jobs, o->jobs, o->quiet, ctx->stop_signal);

    for (int j = 0; j < n_jobs && rc == EXIT_OK; j++) {
        if (!jobs[j].prepared) {
            fprintf(stderr, "nnlab %s: %s\n", cmd, jobs[j].err);
            rc = EXIT_USAGE;
        } else if (jobs[j].res.status == TRAIN_NOMEM) {
            fprintf(stderr, "nnlab %s: out of memory\n", cmd);
            rc = EXIT_RUNTIME;
        }
    }
    int per = experiment_runs_per_dataset(exp);
    for (int j = 0; j < n_jobs && rc == EXIT_OK; j++) {
        char name[256];
        run_dir_name(exp, j, name, sizeof name);
        snprintf(dir, sizeof dir, "%s/%s", o->runs_dir, name);
        if (make_dirs(dir, err, sizeof err) != 0 ||
            run_write_outputs(dir, &jobs[j].res, 0, NULL, err, sizeof err) != 0) {
            fprintf(stderr, "nnlab %s: %s\n", cmd, err);
            rc = EXIT_RUNTIME;
        }
    }
    double draw_start = run_clock();
    for (int d = 0; d < exp->n_datasets && rc == EXIT_OK; d++) {
        if (draw_dataset(exp, experiment_dataset_name(exp, d), jobs + d * per, per, o, err,
                         sizeof err) != 0) {
            fprintf(stderr, "nnlab %s: %s\n", cmd, err);
            rc = EXIT_RUNTIME;
        }
    }
    double draw_seconds = run_clock() - draw_start;
    if (rc == EXIT_OK && write_report(exp, source, jobs, n_jobs, o, err, sizeof err) != 0) {
        fprintf(stderr, "nnlab %s: %s\n", cmd, err);
        rc = EXIT_RUNTIME;
    }
    for (int j = 0; j < n_jobs; j++) {
        if (rc == EXIT_OK && jobs[j].res.status == TRAIN_DIVERGED) {
            fprintf(stderr, "nnlab %s: run %d (%s) diverged: its loss became NaN or infinite\n",
                    cmd, j + 1, jobs[j].spec.label);
            rc = EXIT_DIVERGED;
        }
        if (jobs[j].prepared)
            run_result_free(&jobs[j].res);
    }
    if (*ctx->stop_signal) {
        fprintf(stderr, "nnlab %s: interrupted; the figures show the runs so far\n", cmd);
        rc = 128 + *ctx->stop_signal;
    } else if (rc == EXIT_OK && !o->quiet) {
        printf("Drew the figures in %.2f s. Wrote %s/README.md and its figures; run data in %s\n",
               draw_seconds, o->out_dir, o->runs_dir);
    }
    free(jobs);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Options                                                                  */

static int default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (int)n;
}

/* Runner options shared by run and compare; returns 1 if name was one, 0 if
 * not, -1 on a bad value. */
static int runner_option(const char *name, const char *arg, RunnerOptions *o, char *err,
                         size_t errlen)
{
    if (strcmp(name, "out") == 0 || strcmp(name, "runs") == 0) {
        char *dst = name[0] == 'o' ? o->out_dir : o->runs_dir;
        if (!arg[0] || strlen(arg) >= sizeof o->out_dir) {
            snprintf(err, errlen, "--%s: a folder name of 1 to %zu characters is accepted", name,
                     sizeof o->out_dir - 1);
            return -1;
        }
        strcpy(dst, arg);
    } else if (strcmp(name, "jobs") == 0) {
        char *end;
        long n = strtol(arg, &end, 10);
        if (*arg == '\0' || *end != '\0' || n < 1 || n > MAX_JOBS) {
            snprintf(err, errlen, "--jobs: \"%s\" is not a whole number from 1 to %d", arg,
                     MAX_JOBS);
            return -1;
        }
        o->jobs = (int)n;
    } else if (strcmp(name, "format") == 0) {
        if (!(o->formats = run_parse_formats(arg))) {
            snprintf(err, errlen, "--format: \"%s\" is not png, svg or png,svg", arg);
            return -1;
        }
    } else if (strcmp(name, "quiet") == 0) {
        o->quiet = 1;
    } else {
        return 0;
    }
    return 1;
}

static const char run_usage[] =
    "usage: nnlab run FILE.ini [options]\n"
    "\n"
    "Runs the experiment described in FILE.ini (see experiments/), training its runs\n"
    "in parallel, and draws its figures and a README.md with a table of the runs.\n"
    "\n"
    "  --out DIR      figures and README.md (default plots/NAME)\n"
    "  --runs DIR     history.csv, predictions.csv and model.txt of each run\n"
    "                 (default runs/NAME)\n"
    "  --jobs N       runs trained at once (default: the number of cores)\n"
    "  --format LIST  png, svg or png,svg (default png,svg)\n"
    "  --quiet        print only errors\n"
    "  --help         this text\n";

static const struct option run_options[] = {
    {"out", required_argument, NULL, 0},
    {"runs", required_argument, NULL, 0},
    {"jobs", required_argument, NULL, 0},
    {"format", required_argument, NULL, 0},
    {"quiet", no_argument, NULL, 0},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

int cmd_run(int argc, char **argv, const CliContext *ctx)
{
    RunnerOptions o = {.formats = RUN_PNG | RUN_SVG, .jobs = default_jobs()};
    char err[1024];
    const char *name, *arg;
    int started = 0;
    CliNext next;
    while ((next = cli_next_option(argc, argv, run_options, &started, &name, &arg)) != CLI_END) {
        if (next == CLI_HELP) {
            fputs(run_usage, stdout);
            return EXIT_OK;
        }
        if (next == CLI_BAD)
            return EXIT_USAGE;
        if (runner_option(name, arg, &o, err, sizeof err) < 0) {
            fprintf(stderr, "nnlab run: %s\n", err);
            return EXIT_USAGE;
        }
    }
    if (argc - optind != 1) {
        fprintf(stderr, "nnlab run: expected one experiment file (see nnlab run --help)\n");
        return EXIT_USAGE;
    }
    const char *path = argv[optind];
    Experiment *exp = malloc(sizeof *exp);
    if (!exp) {
        fprintf(stderr, "nnlab run: out of memory\n");
        return EXIT_RUNTIME;
    }
    int rc = experiment_load(path, exp, err, sizeof err);
    if (rc != IO_OK) {
        fprintf(stderr, "nnlab run: %s\n", err);
        free(exp);
        return rc == IO_FAILED ? EXIT_RUNTIME : EXIT_USAGE;
    }
    if ((!o.out_dir[0] || !o.runs_dir[0]) && !exp->name[0]) {
        char shown[1024];
        run_printable(path, shown, sizeof shown);
        fprintf(stderr,
                "nnlab run: %s: this file's name cannot name the folders plots/NAME and "
                "runs/NAME: %s is accepted (or give --out and --runs)\n",
                shown, RUN_NAME_RULE);
        free(exp);
        return EXIT_USAGE;
    }
    if (!o.out_dir[0])
        snprintf(o.out_dir, sizeof o.out_dir, "plots/%s", exp->name);
    if (!o.runs_dir[0])
        snprintf(o.runs_dir, sizeof o.runs_dir, "runs/%s", exp->name);
    if (run_check_figure_folder(o.out_dir, err, sizeof err) != 0) {
        fprintf(stderr, "nnlab run: --out: %s\n", err);
        free(exp);
        return EXIT_USAGE;
    }
    rc = run_experiment(exp, path, &o, ctx, "run");
    free(exp);
    return rc;
}

static void print_compare_usage(FILE *fp)
{
    char keys[512];
    setting_keys(SETTING_VARIES, keys, sizeof keys);
    fprintf(fp,
            "usage: nnlab compare --vary SETTING=V1,V2,... [settings] [options]\n"
            "\n"
            "Trains one network per value of SETTING, all else equal, and draws their curves\n"
            "together. Hidden layers of several sizes are written 4x4 in the list. SETTING is\n"
            "one of: %s.\n"
            "\n"
            "  --vary SETTING=LIST      e.g. lr=0.1,0.01,0.001 or activation=sigmoid,tanh,relu\n"
            "  --out DIR                figures, README.md and run data (default "
            "runs/compare-SETTING)\n"
            "  --jobs N                 runs trained at once (default: the number of cores)\n"
            "  --format LIST            png, svg or png,svg (default png,svg)\n"
            "  --quiet                  print only errors\n"
            "  --help                   this text\n"
            "\n"
            "settings, as for nnlab train:\n",
            keys);
    settings_usage(fp);
    fputs("\ndata sets:\n", fp);
    datasets_usage(fp);
}

/* compare's own options; the settings' come from settings.h. */
static const struct option compare_own_options[] = {
    {"vary", required_argument, NULL, 0},
    {"out", required_argument, NULL, 0},
    {"jobs", required_argument, NULL, 0},
    {"format", required_argument, NULL, 0},
    {"quiet", no_argument, NULL, 0},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

int cmd_compare(int argc, char **argv, const CliContext *ctx)
{
    RunnerOptions o = {.formats = RUN_PNG | RUN_SVG, .jobs = default_jobs()};
    RunSpec base = run_spec_default();
    const char *vary = NULL;
    char err[1024], msg[900];
    const char *name, *arg;
    int started = 0;
    CliNext next;
    struct option compare_options[CLI_MAX_OPTIONS];
    cli_options(compare_options, compare_own_options);
    while ((next = cli_next_option(argc, argv, compare_options, &started, &name, &arg)) !=
           CLI_END) {
        if (next == CLI_HELP) {
            print_compare_usage(stdout);
            return EXIT_OK;
        }
        if (next == CLI_BAD)
            return EXIT_USAGE;
        int r = runner_option(name, arg, &o, err, sizeof err);
        if (r == 0 && strcmp(name, "vary") == 0) {
            if (vary) {
                fprintf(stderr, "nnlab compare: --vary: only one setting may be varied\n");
                return EXIT_USAGE;
            }
            vary = arg;
        } else if (r == 0 && run_spec_set(&base, name, arg, msg, sizeof msg) != 0) {
            snprintf(err, sizeof err, "--%s: %s", name, msg);
            r = -1;
        }
        if (r < 0) {
            fprintf(stderr, "nnlab compare: %s\n", err);
            return EXIT_USAGE;
        }
    }
    if (optind < argc || !vary) {
        fprintf(stderr, "nnlab compare: %s (see nnlab compare --help)\n",
                vary ? "unexpected argument" : "--vary SETTING=V1,V2,... is required");
        return EXIT_USAGE;
    }
    Experiment *exp = malloc(sizeof *exp);
    if (!exp) {
        fprintf(stderr, "nnlab compare: out of memory\n");
        return EXIT_RUNTIME;
    }
    if (run_spec_given(&base, "dataset") && run_spec_given(&base, "data")) {
        fprintf(stderr, "nnlab compare: --dataset and --data are both given: one data set is "
                        "accepted\n");
        free(exp);
        return EXIT_USAGE;
    }
    if (experiment_from_spec(exp, &base, "compare", msg, sizeof msg) != 0) {
        fprintf(stderr, "nnlab compare: %s\n", msg);
        free(exp);
        return EXIT_USAGE;
    }
    if (experiment_set_vary(exp, vary, msg, sizeof msg) != 0) {
        fprintf(stderr, "nnlab compare: --vary: %s\n", msg);
        free(exp);
        return EXIT_USAGE;
    }
    if (!o.out_dir[0])
        snprintf(o.out_dir, sizeof o.out_dir, "runs/compare-%s", exp->vary_key);
    if (!o.runs_dir[0])
        snprintf(o.runs_dir, sizeof o.runs_dir, "%s", o.out_dir);
    if (run_check_figure_folder(o.out_dir, err, sizeof err) != 0) {
        fprintf(stderr, "nnlab compare: --out: %s\n", err);
        free(exp);
        return EXIT_USAGE;
    }
    int rc = run_experiment(exp, NULL, &o, ctx, "compare");
    free(exp);
    return rc;
}
