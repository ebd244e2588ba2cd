/* cmd_report.c - `nnlab report FILE`: an experiment's figures and README drawn again from
 * the runs saved in its --runs folder, without training: each run's history.csv read back,
 * its model.txt loaded and evaluated on its data set, which is made again from the run's
 * settings (or read from its file) as run made it. Runs not there are named as missing. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "runner.h"
#include "settings.h"

/* How a run read back ended: what run_train would have said, from its
 * history and settings. A run without a model diverged (run writes no model
 * for it); a history shorter than the epochs ended early, or was interrupted. */
static TrainStatus status_of(const RunSpec *spec, const History *h, int has_model)
{
    if (!has_model)
        return TRAIN_DIVERGED;
    if (h->n >= spec->train.epochs || h->n == 0)
        return TRAIN_DONE;
    const TrainConfig *cfg = &spec->train;
    if (cfg->stop_loss >= 0.0 && h->loss[h->n - 1] <= cfg->stop_loss)
        return TRAIN_REACHED_LOSS;
    if (h->accuracy[h->n - 1] >= cfg->stop_accuracy)
        return TRAIN_REACHED_ACCURACY;
    if (cfg->patience > 0)
        return TRAIN_NO_PROGRESS;
    return TRAIN_STOPPED;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Reads run job back from folder dir: job->missing if dir has no history.csv.
 * Returns IO_OK, or with a message IO_BAD_INPUT (a history or model that does
 * not fit the run's settings) or IO_FAILED. */
static int read_run(Job *job, const char *dir, char *err, size_t errlen)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/history.csv", dir);
    if (!exists(path)) {
        job->missing = 1;
        return IO_OK;
    }
    RunSpec spec = job->spec;
    spec.load_model[0] = '\0'; /* the run's own model replaces whatever it started from */
    int rc = run_prepare(&spec, &job->res, err, errlen);
    if (rc != IO_OK)
        return rc;
    job->prepared = 1;
    if ((rc = csv_read_history(path, &job->res.hist, err, errlen)) != IO_OK)
        return rc;
    snprintf(path, sizeof path, "%s/model.txt", dir);
    int has_model = exists(path);
    if (has_model) {
        Network net;
        if ((rc = model_read(path, &net, &job->res.origin, err, errlen)) != IO_OK)
            return rc;
        network_free(&job->res.net);
        job->res.net = net;
        /* the messages name the model checked: the run's own */
        RunSpec saved = job->spec;
        snprintf(saved.load_model, sizeof saved.load_model, "%.*s",
                 (int)sizeof saved.load_model - 1, path);
        if (run_check_model(&saved, &net, "", err, errlen) != 0)
            return IO_BAD_INPUT;
        run_adopt_model(&job->spec, &net);
        if (run_evaluate(&job->spec, &job->res) == TRAIN_NOMEM) {
            snprintf(err, errlen, "%.900s: out of memory", dir);
            return IO_FAILED;
        }
    }
    job->res.status = status_of(&job->spec, &job->res.hist, has_model);
    job->started = 1;
    return IO_OK;
}

static const char report_usage[] =
    "usage: nnlab report FILE.ini [options]\n"
    "\n"
    "Draws the figures and README.md of the experiment in FILE.ini from the runs that\n"
    "nnlab run saved (each run's history.csv and model.txt), without training; the\n"
    "runs not there are named as missing, and the rest are drawn.\n"
    "\n"
    "  --out DIR      figures and README.md (default plots/NAME)\n"
    "  --runs DIR     the runs' folders, as nnlab run wrote them (default runs/NAME)\n"
    "  --format LIST  png, svg or png,svg (default png,svg)\n"
    "  --seeds N      the seeds the runs were made with, as for nnlab run\n"
    "  --band KIND    sd or iqr, as for nnlab run\n"
    "  --quiet        print only errors\n"
    "  --help         this text\n"
    "\n"
    "Exit status: 0 all runs drawn; 4 some runs missing or interrupted (the rest drawn,\n"
    "README.md marked incomplete); 3 a run had diverged; 2 bad input (a run folder that\n"
    "does not fit the experiment); 1 a write failed.\n";

static const struct option report_options[] = {
    {"out", required_argument, NULL, 0},    {"runs", required_argument, NULL, 0},
    {"format", required_argument, NULL, 0}, {"seeds", required_argument, NULL, 0},
    {"band", required_argument, NULL, 0},   {"quiet", no_argument, NULL, 0},
    {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
};

int cmd_report(int argc, char **argv, const CliContext *ctx)
{
    RunnerOptions o = {.formats = RUN_PNG | RUN_SVG, .jobs = 1};
    char err[1024];
    const char *name, *arg;
    int started = 0;
    CliNext next;
    while ((next = cli_next_option(argc, argv, report_options, &started, &name, &arg)) != CLI_END) {
        if (next == CLI_HELP) {
            fputs(report_usage, stdout);
            return EXIT_OK;
        }
        if (next == CLI_BAD)
            return EXIT_USAGE;
        if (runner_option(name, arg, &o, err, sizeof err) < 0) {
            fprintf(stderr, "nnlab report: %s\n", err);
            return EXIT_USAGE;
        }
    }
    if (argc - optind != 1) {
        fprintf(stderr, "nnlab report: expected one experiment file (see nnlab report --help)\n");
        return EXIT_USAGE;
    }
    const char *path = argv[optind];
    int rc, n_jobs = 0;
    Experiment *exp = runner_load(path, &o, "report", &rc);
    if (!exp)
        return rc;
    Job *jobs = runner_make_jobs(exp, path, "report", &n_jobs, &rc);
    struct stat st;
    if (jobs && stat(o.runs_dir, &st) != 0) {
        fprintf(stderr, "nnlab report: --runs: %s: %s; nnlab run writes the runs there\n",
                o.runs_dir, strerror(errno));
        rc = EXIT_USAGE;
        free(jobs);
        jobs = NULL;
    }
    for (int j = 0; jobs && j < n_jobs; j++) {
        char run_name[256], dir[1300];
        runner_run_dir_name(exp, j, run_name, sizeof run_name);
        snprintf(dir, sizeof dir, "%s/%s", o.runs_dir, run_name);
        int status = read_run(&jobs[j], dir, err, sizeof err);
        if (status != IO_OK) {
            fprintf(stderr, "nnlab report: %s\n", err);
            for (int k = 0; k <= j; k++)
                if (jobs[k].prepared)
                    run_result_free(&jobs[k].res);
            free(jobs);
            jobs = NULL;
            rc = status == IO_FAILED ? EXIT_RUNTIME : EXIT_USAGE;
        }
    }
    char created[4096];
    if (jobs && run_make_dir(o.out_dir, created, sizeof created, err, sizeof err) != 0) {
        fprintf(stderr, "nnlab report: --out: %s\n", err);
        rc = EXIT_USAGE;
    } else if (jobs) {
        static const char text[] = "nnlab report is writing this folder: until it has finished, "
                                   "its files may be partly an earlier report's.\n";
        if (run_mark_incomplete(o.out_dir, text, err, sizeof err) != IO_OK) {
            fprintf(stderr, "nnlab report: --out: %s\n", err);
            rc = EXIT_RUNTIME;
        } else {
            rc = runner_finish(exp, path, jobs, n_jobs, &o, ctx, "report", RUNNER_DRAW);
            jobs = NULL; /* freed by runner_finish */
        }
    }
    if (jobs) {
        for (int j = 0; j < n_jobs; j++)
            if (jobs[j].prepared)
                run_result_free(&jobs[j].res);
        free(jobs);
    }
    free(exp);
    return rc;
}
