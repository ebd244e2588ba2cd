/* runner.h - what the commands that run and report experiments share (src/cli only):
 * the runs as jobs, the runner's options, and the writing of an experiment's outputs
 * (cmd_run.c), the heatmaps of a grid (sweep.c) and the reading back of runs
 * (cmd_report.c).
 */
#ifndef NNLAB_RUNNER_H
#define NNLAB_RUNNER_H

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "experiment.h"
#include "farm.h"

typedef struct {
    char out_dir[1024];  /* figures and README.md */
    char runs_dir[1024]; /* each run's history.csv, predictions.csv, model.txt */
    int formats;
    int jobs;
    int quiet;
    const char *seeds; /* --seeds N or a list, or NULL */
    const char *band;  /* --band sd or iqr, or NULL */
    int shard, shards; /* --shard I/N: only the runs j with j % N == I - 1; 0/0: all */
    int live;          /* --live: a window shows the runs as they train (live.h) */
    int mpi;           /* --mpi */
    Farm *farm;        /* with --mpi, the MPI job (farm.h); NULL without */
} RunnerOptions;

/* One run of the experiment and what became of it. */
typedef struct {
    RunSpec spec;
    RunResult res;
    int prepared; /* res holds its data and network */
    int started;  /* it was trained (or read back): not kept from starting by an interrupt */
    int missing;  /* not here: another shard's (run --shard), or not in --runs (report) */
} Job;

/* Whether job has results: it was started, and had the memory to train. */
static inline int trained(const Job *job) { return job->started && job->res.status != TRAIN_NOMEM; }

/* The first epoch (from 1) at accuracy 1.0, or 0 if none. */
static inline long epochs_to_perfect(const History *h)
{
    for (long e = 0; e < h->n; e++)
        if (h->accuracy[e] == 1.0)
            return e + 1;
    return 0;
}

/* The q-quantile of sorted v[0..n), interpolated linearly between the two
 * nearest ranks (numpy's default, R's type 7). */
static inline double quantile(const double *sorted, int n, double q)
{
    double pos = q * (n - 1);
    int i = (int)pos;
    return i + 1 < n ? sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
}

static inline int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The jobs of exp's runs (experiment_runs), each with its spec and nothing
 * else; NULL after printing why, with *status set to the exit status. */
Job *runner_make_jobs(const Experiment *exp, const char *source, const char *cmd, int *n_jobs,
                      int *status);
/* The name of run j's folder under --runs: DATASET[_KEY-VALUE[_KEY2-VALUE2]][_seed-S]. */
void runner_run_dir_name(const Experiment *exp, int j, char *buf, size_t len);

/* What runner_finish does besides drawing the figures and the README. */
enum {
    RUNNER_WRITE_RUNS = 1, /* write each trained run's files into its folder (run, compare) */
    RUNNER_DRAW = 2,       /* the figures and README.md, then the stale outputs removed */
};

/* After the jobs are trained (or read back): their files, the figures, the
 * README, the markers of incomplete folders, the messages of diverged runs.
 * Frees the jobs' results. Returns the exit status. */
int runner_finish(const Experiment *exp, const char *source, Job *jobs, int n_jobs,
                  const RunnerOptions *o, const CliContext *ctx, const char *cmd, int what);

/* The options that run, compare and report share (--out, --runs, --jobs,
 * --format, --seeds, --band, --quiet, --shard): returns 1 if name was one, 0
 * if not, -1 with a message on a bad value. */
int runner_option(const char *name, const char *arg, RunnerOptions *o, char *err, size_t errlen);
/* The experiment file at path, with --seeds and --band applied and the
 * default folders plots/NAME and runs/NAME filled in. Returns the
 * experiment (free it), or NULL after printing why with *status set. */
Experiment *runner_load(const char *path, RunnerOptions *o, const char *cmd, int *status);

/* sweep.c: the heatmaps of a grid's data set d, jobs[0..n) its runs, into
 * --out as DATASET_sweep.{png,svg}; its statistics into --runs as
 * DATASET_sweep.csv. Returns 0, or -1 with a message. */
int sweep_draw(const Experiment *exp, int d, const Job *jobs, int n, const RunnerOptions *o,
               const char *note, char *err, size_t errlen);
/* sweep.c: the README's tables of the grid's statistics, one per data set. */
void sweep_write_tables(FILE *fp, const Experiment *exp, const Job *jobs, int n_jobs);

#endif
