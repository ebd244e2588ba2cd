/* cmd_run.c - `nnlab run FILE` and `nnlab compare --vary ...`: the runs of an
 * experiment, trained in parallel threads and drawn one figure at a time. */
#include <dirent.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"
#include "cli.h"
#include "experiment.h"
#include "numparse.h"
#include "live.h"
#include "farm.h"
#include "plot.h"
#include "runner.h"
#include "settings.h"

#define MAX_JOBS 64
#define STR_(x) #x
#define STR(x) STR_(x)

/* Shared by the worker threads; next and printing are under lock. */
typedef struct {
    Job *jobs;
    int n_jobs;
    int next;
    int quiet;
    pthread_mutex_t lock;
    volatile sig_atomic_t *stop_signal;
    Live *live; /* or NULL */
} Pool;

static bool keep_going(long epoch, double loss, double acc, void *ctx)
{
    (void)epoch, (void)loss, (void)acc;
    return !*(volatile sig_atomic_t *)ctx;
}

/* How a run ended, as the report's table words it: " - interrupted", or "" for
 * a run that trained all its epochs. */
static const char *status_note(const Job *job)
{
    if (job->missing)
        return " - missing";
    if (!job->started)
        return " - not started";
    switch (job->res.status) {
    case TRAIN_DIVERGED:
        return " - diverged";
    case TRAIN_STOPPED:
        return " - interrupted";
    case TRAIN_REACHED_LOSS:
    case TRAIN_REACHED_ACCURACY:
    case TRAIN_NO_PROGRESS:
        return " - stopped early";
    case TRAIN_NOMEM:
        return " - out of memory";
    default:
        return "";
    }
}

/* A run's line as it finishes; one that did not train all its epochs says
 * how it ended and at which epoch. */
static void print_run(const Job *job)
{
    char about[512], line[640];
    run_spec_describe(&job->spec, about, sizeof about);
    if (job->started && job->res.status != TRAIN_DONE && job->res.status != TRAIN_NOMEM)
        snprintf(line, sizeof line, "%s%s at epoch %ld", about, status_note(job),
                 job->res.hist.n);
    else
        snprintf(line, sizeof line, "%s%s", about, status_note(job));
    printf("%-60s loss %.6f  accuracy %.2f  (%.1f s)\n", line, run_reported_loss(&job->res),
           run_reported_accuracy(&job->res), job->res.seconds);
    fflush(stdout);
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
        if (job->missing) /* another shard's */
            continue;
        if (*pool->stop_signal)
            continue; /* interrupted: the runs not yet begun are not begun */
        job->started = 1;
        if (pool->live)
            live_train(pool->live, i, &job->spec, &job->res, keep_going, (void *)pool->stop_signal);
        else
            run_train(&job->spec, &job->res, keep_going, (void *)pool->stop_signal);
        if (!pool->quiet) {
            pthread_mutex_lock(&pool->lock);
            print_run(job);
            pthread_mutex_unlock(&pool->lock);
        }
    }
}

/* Trains every job on up to n_threads threads. Each run is independent,
 * and its own threads (--threads) do not change its results either, so
 * results do not depend on the thread count. Runs trained side by side get
 * one thread each unless their settings say otherwise: the cores are
 * already busy with the other runs. */
static void train_all(Job *jobs, int n_jobs, int n_threads, int quiet,
                      volatile sig_atomic_t *stop_signal, Live *live)
{
    Pool pool = {
        .jobs = jobs, .n_jobs = n_jobs, .quiet = quiet, .stop_signal = stop_signal, .live = live};
    pthread_mutex_init(&pool.lock, NULL);
    pthread_t threads[MAX_JOBS];
    int started = 0;
    if (n_threads > n_jobs)
        n_threads = n_jobs;
    for (int j = 0; j < n_jobs && n_threads > 1; j++)
        if (!run_spec_given(&jobs[j].spec, "threads"))
            jobs[j].spec.train.threads = 1;
    for (; started < n_threads - 1; started++)
        if (pthread_create(&threads[started], NULL, worker, &pool) != 0)
            break;
    worker(&pool); /* the calling thread works too */
    for (int t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    pthread_mutex_destroy(&pool.lock);
}

static void print_farmed(int run, void *jobs) { print_run((Job *)jobs + run); }

/* --mpi: every rank says whether it is ready (status 0); if all are,
 * *farmed has the runs for farm_train. Returns the worst status. */
static int join_farm(Farm *farm, Job *jobs, int n_jobs, int status, FarmRun **farmed,
                     const char *cmd)
{
    *farmed = status ? NULL : malloc((size_t)n_jobs * sizeof **farmed);
    if (!status && !*farmed) {
        fprintf(stderr, "nnlab %s: out of memory\n", cmd);
        status = EXIT_RUNTIME;
    }
    for (int j = 0; j < n_jobs && *farmed; j++)
        (*farmed)[j] = (FarmRun){&jobs[j].spec, &jobs[j].res, &jobs[j].started};
    int all = farm_agree(farm, status);
    if (all && !status && farm_leads(farm))
        fprintf(stderr, "nnlab %s: another MPI rank could not start (its message above)\n", cmd);
    if (all && *farmed) {
        for (int j = 0; j < n_jobs; j++)
            run_result_free(&jobs[j].res);
        free(*farmed);
        *farmed = NULL;
    }
    return all;
}

/* ------------------------------------------------------------------------ */
/* Outputs                                                                  */

static const char *const format_ext[] = {"png", "svg"};

/* The figures of an experiment, FIG_* bits, and their names. */
static const struct {
    int bit;
    const char *name;
} figure_kinds[] = {
    {FIG_COMPARISON, "comparison"},
    {FIG_UPDATES, "updates"},
    {FIG_LEARNING_CURVE, "learning_curve"},
    {FIG_PREDICTION, "prediction"},
    {FIG_BOUNDARY, "boundary"},
    {FIG_NETWORK, "network"},
    {FIG_SWEEP, "sweep"},
};
#define N_FIGURE_KINDS 7

/* Without a varied setting, each data set's one run goes into one boundary
 * figure of them all, boundary.png, rather than one figure each. */
static int boundary_of_all(const Experiment *exp)
{
    return (exp->figures & FIG_BOUNDARY) && !exp->vary_key[0] && exp->n_datasets > 1;
}

/* The boundary maps of runs jobs[0..n) (those trained), each under title(job). */
static int draw_boundaries(const char *path, Job *jobs, int n, int by_dataset,
                           const Experiment *exp, const char *note, char *err, size_t errlen)
{
    const RunResult *res[EXP_MAX_SETTINGS];
    const char *titles[EXP_MAX_SETTINGS];
    int m = 0, seeds = experiment_seeds_per_setting(exp);
    for (int j = 0; j < n; j += seeds) /* with seeds, each setting's first seed's */
        if (trained(&jobs[j]) && jobs[j].res.status != TRAIN_DIVERGED) {
            res[m] = &jobs[j].res;
            titles[m++] = by_dataset ? experiment_dataset_name(exp, j / seeds) : jobs[j].spec.label;
        }
    return m ? run_plot_boundaries(path, res, titles, m, note, err, errlen) : 0;
}

/* ------------------------------------------------------------------------ */
/* Seeds: each setting's runs summed up                                     */

/* The curves of one setting over its seeds: at each epoch, over the runs
 * that reached that epoch with a finite value (runs may stop early or
 * diverge), the mean and the sample standard deviation, or (band iqr) the
 * median and the quartiles. */
typedef struct {
    long n;                                          /* epochs: the longest run's */
    double *count;                                   /* runs at each epoch */
    double *loss_mean, *loss_sd, *loss_lo, *loss_hi; /* iqr: the median, -, Q1 and Q3 */
    double *acc_mean, *acc_sd, *acc_lo, *acc_hi;
    double *test_loss, *test_acc; /* means (iqr: medians), or NULL without test points */
    char label[128];              /* "Activation: relu, mean ± sd of 10 seeds" */
    int n_runs;                   /* the runs drawn as thin lines (runs_lines), or 0 */
    const double *run_loss[EXP_MAX_SEEDS], *run_acc[EXP_MAX_SEEDS];
    long run_n[EXP_MAX_SEEDS];
} SeedBand;

static void seed_band_free(SeedBand *b)
{
    free(b->count);
    memset(b, 0, sizeof *b);
}

/* The values of one field of the histories. */
static const double *history_field(const History *h, int field)
{
    return field == 0   ? h->loss
           : field == 1 ? h->accuracy
           : field == 2 ? h->test_loss
                        : h->test_accuracy;
}

/* mean[e] and sd[e] of value(run, e) over the runs jobs[0..n) that reached
 * epoch e with a finite value; count[e] how many did. */
static void band_stats(const Job *jobs, int n, long epochs, int field, double *count, double *mean,
                       double *sd)
{
    for (long e = 0; e < epochs; e++) {
        double sum = 0, sq = 0;
        long k = 0;
        for (int r = 0; r < n; r++) {
            const double *v = history_field(&jobs[r].res.hist, field);
            if (!trained(&jobs[r]) || !v || e >= jobs[r].res.hist.n || !isfinite(v[e]))
                continue;
            sum += v[e];
            k++;
        }
        double m = k ? sum / (double)k : NAN;
        for (int r = 0; r < n && k > 1; r++) {
            const double *v = history_field(&jobs[r].res.hist, field);
            if (trained(&jobs[r]) && v && e < jobs[r].res.hist.n && isfinite(v[e]))
                sq += (v[e] - m) * (v[e] - m);
        }
        if (count)
            count[e] = (double)k;
        mean[e] = m;
        if (sd)
            sd[e] = k > 1 ? sqrt(sq / (double)(k - 1)) : k ? 0.0 : NAN;
    }
}

/* median[e], and q1[e] and q3[e] (unless NULL), of value(run, e) over the
 * same runs as band_stats's (at most EXP_MAX_SEEDS). */
static void band_quartiles(const Job *jobs, int n, long epochs, int field, double *median,
                           double *q1, double *q3)
{
    double v_e[EXP_MAX_SEEDS];
    for (long e = 0; e < epochs; e++) {
        int k = 0;
        for (int r = 0; r < n && k < EXP_MAX_SEEDS; r++) {
            const double *v = history_field(&jobs[r].res.hist, field);
            if (trained(&jobs[r]) && v && e < jobs[r].res.hist.n && isfinite(v[e]))
                v_e[k++] = v[e];
        }
        qsort(v_e, (size_t)k, sizeof *v_e, compare_doubles);
        median[e] = k ? quantile(v_e, k, 0.5) : NAN;
        if (q1)
            q1[e] = k ? quantile(v_e, k, 0.25) : NAN;
        if (q3)
            q3[e] = k ? quantile(v_e, k, 0.75) : NAN;
    }
}

/* The band of the seeds' runs jobs[0..n) of one setting, as exp->band says.
 * Returns 0, or -1 if out of memory. */
static int seed_band_make(const Experiment *exp, const Job *jobs, int n, SeedBand *b)
{
    memset(b, 0, sizeof *b);
    int tested = 0, runs = 0;
    for (int r = 0; r < n; r++)
        if (trained(&jobs[r])) {
            b->n = jobs[r].res.hist.n > b->n ? jobs[r].res.hist.n : b->n;
            tested |= jobs[r].res.hist.test_loss != NULL;
            if (exp->runs_lines) {
                b->run_loss[b->n_runs] = jobs[r].res.hist.loss;
                b->run_acc[b->n_runs] = jobs[r].res.hist.accuracy;
                b->run_n[b->n_runs++] = jobs[r].res.hist.n;
            }
            runs++;
        }
    size_t len = (size_t)(b->n > 0 ? b->n : 1);
    b->count = malloc((tested ? 11 : 9) * len * sizeof *b->count);
    if (!b->count)
        return -1;
    double **arrays[] = {&b->loss_mean, &b->loss_sd, &b->loss_lo, &b->loss_hi,   &b->acc_mean,
                         &b->acc_sd,    &b->acc_lo,  &b->acc_hi,  &b->test_loss, &b->test_acc};
    for (int a = 0; a < (tested ? 10 : 8); a++)
        *arrays[a] = b->count + (size_t)(a + 1) * len;
    band_stats(jobs, n, b->n, 0, b->count, b->loss_mean, b->loss_sd);
    band_stats(jobs, n, b->n, 1, NULL, b->acc_mean, b->acc_sd);
    if (exp->band == EXP_BAND_IQR) {
        band_quartiles(jobs, n, b->n, 0, b->loss_mean, b->loss_lo, b->loss_hi);
        band_quartiles(jobs, n, b->n, 1, b->acc_mean, b->acc_lo, b->acc_hi);
        if (tested) {
            band_quartiles(jobs, n, b->n, 2, b->test_loss, NULL, NULL);
            band_quartiles(jobs, n, b->n, 3, b->test_acc, NULL, NULL);
        }
    } else {
        if (tested) {
            band_stats(jobs, n, b->n, 2, NULL, b->test_loss, NULL);
            band_stats(jobs, n, b->n, 3, NULL, b->test_acc, NULL);
        }
        /* the band within what a loss (>= 0) and an accuracy (0 to 1) can be */
        for (long e = 0; e < b->n; e++) {
            b->loss_lo[e] = fmax(b->loss_mean[e] - b->loss_sd[e], 0.0);
            b->loss_hi[e] = b->loss_mean[e] + b->loss_sd[e];
            b->acc_lo[e] = fmax(b->acc_mean[e] - b->acc_sd[e], 0.0);
            b->acc_hi[e] = fmin(b->acc_mean[e] + b->acc_sd[e], 1.0);
        }
    }
    const char *label = jobs[0].spec.label;
    snprintf(b->label, sizeof b->label, "%s%s%s of %d seed%s", label, label[0] ? ", " : "",
             exp->band == EXP_BAND_IQR ? "median and IQR" : "mean \u00b1 sd", runs,
             runs == 1 ? "" : "s");
    return 0;
}

/* runs/NAME/DATASET_bands.csv: what the figures of a seeded data set draw,
 * each setting's mean and sd by epoch, so that they can be checked against
 * the runs' history.csv files. */
static int write_bands(const char *path, const Experiment *exp, const SeedBand *bands, int n_bands,
                       char *err, size_t errlen)
{
    AtomicFile af;
    if (atomic_file_open(&af, path, err, errlen) != 0)
        return -1;
    int iqr = exp->band == EXP_BAND_IQR;
    fprintf(af.fp, iqr ? "setting,epoch,runs,loss_median,loss_q1,loss_q3,accuracy_median,"
                         "accuracy_q1,accuracy_q3\n"
                       : "setting,epoch,runs,loss_mean,loss_sd,accuracy_mean,accuracy_sd\n");
    for (int v = 0; v < n_bands; v++) {
        const SeedBand *b = &bands[v];
        const char *setting = exp->vary_key[0] ? exp->values[v] : "-";
        for (long e = 0; e < b->n; e++)
            if (iqr)
                fprintf(af.fp, "%s,%ld,%.0f,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g\n", setting, e + 1,
                        b->count[e], b->loss_mean[e], b->loss_lo[e], b->loss_hi[e], b->acc_mean[e],
                        b->acc_lo[e], b->acc_hi[e]);
            else
                fprintf(af.fp, "%s,%ld,%.0f,%.17g,%.17g,%.17g,%.17g\n", setting, e + 1, b->count[e],
                        b->loss_mean[e], b->loss_sd[e], b->acc_mean[e], b->acc_sd[e]);
    }
    return atomic_file_commit(&af, err, errlen);
}

/* The figures of one data set, whose runs are jobs[0..n): those of the runs
 * that were trained. Sets *drawn to the FIG_* bits of the figures drawn. */
static int draw_dataset(const Experiment *exp, const char *dataset, Job *jobs, int n,
                        const RunnerOptions *o, int *drawn, char *err, size_t errlen)
{
    char path[4096], about[512], comparison_note[640], run_note[640];
    PlotCurve curves[EXP_MAX_VALUES], by_update[EXP_MAX_VALUES];
    SeedBand bands[EXP_MAX_VALUES];
    long update_run_n[EXP_MAX_VALUES][EXP_MAX_SEEDS]; /* the single runs cut as by_update is */
    int interrupted = 0, missing = 0, n_curves = 0, seeds = experiment_seeds_per_setting(exp);
    int rc = 0;
    *drawn = 0;
    /* a run not there for nnlab report is missing; one not started by nnlab run, interrupted */
    for (int j = 0; j < n; j++) {
        missing += jobs[j].missing;
        interrupted |= (!jobs[j].started && !jobs[j].missing) ||
                       (jobs[j].started && jobs[j].res.status == TRAIN_STOPPED);
    }
    if (exp->n_seeds) { /* each setting's mean and band over its seeds */
        for (int v = 0; v < n / seeds; v++)
            if (seed_band_make(exp, jobs + v * seeds, seeds, &bands[v]) != 0) {
                for (int k = 0; k < v; k++)
                    seed_band_free(&bands[k]);
                snprintf(err, errlen, "%s: out of memory for the seeds' means", dataset);
                return -1;
            }
        snprintf(path, sizeof path, "%s/%s_bands.csv", o->runs_dir, dataset);
        rc = write_bands(path, exp, bands, n / seeds, err, errlen);
    }
    for (int v = 0; v < n / seeds; v++) {
        const Job *job = &jobs[v * seeds];
        const History *h = &job->res.hist;
        if (exp->n_seeds) {
            const SeedBand *b = &bands[v];
            int any = 0;
            for (int r = 0; r < seeds; r++)
                any |= trained(&job[r]);
            if (!any)
                continue;
            curves[n_curves] = (PlotCurve){.label = b->label,
                                           .loss = b->loss_mean,
                                           .accuracy = b->acc_mean,
                                           .n = b->n,
                                           .test_loss = b->test_loss,
                                           .test_accuracy = b->test_acc,
                                           .loss_lo = b->loss_lo,
                                           .loss_hi = b->loss_hi,
                                           .accuracy_lo = b->acc_lo,
                                           .accuracy_hi = b->acc_hi,
                                           .n_runs = b->n_runs,
                                           .run_loss = b->run_loss,
                                           .run_accuracy = b->run_acc,
                                           .run_n = b->run_n};
        } else {
            if (!trained(job))
                continue;
            curves[n_curves] = (PlotCurve){.label = job->spec.label,
                                           .loss = h->loss,
                                           .accuracy = h->accuracy,
                                           .n = h->n,
                                           .test_loss = h->test_loss,
                                           .test_accuracy = h->test_accuracy};
        }
        /* an epoch is one update of the full batch, ceil(points / batch) of mini-batches */
        int points = job->res.data.n, batch = job->spec.train.batch_size;
        by_update[n_curves] = curves[n_curves];
        by_update[n_curves].x_step = batch > 0 && batch < points ? (points + batch - 1) / batch : 1;
        by_update[n_curves].run_n = update_run_n[n_curves];
        n_curves++;
    }
    /* by update, every run over the updates of the one that made fewest; the band and the
     * single runs of a setting by epoch too, an epoch being x_step updates */
    double common = INFINITY;
    for (int v = 0; v < n_curves; v++)
        common = fmin(common, (double)by_update[v].n * by_update[v].x_step);
    for (int v = 0; v < n_curves; v++) {
        by_update[v].n = (long)ceil(common / by_update[v].x_step);
        for (int r = 0; r < by_update[v].n_runs; r++)
            update_run_n[v][r] = curves[v].run_n[r] < by_update[v].n ? curves[v].run_n[r]
                                                                      : by_update[v].n;
    }
    const Job *shown = &jobs[exp->prediction_of * seeds];
    int figures = exp->figures;
    if (!n_curves)
        figures = 0;
    if (!trained(shown))
        figures &= ~(FIG_LEARNING_CURVE | FIG_PREDICTION | FIG_NETWORK);
    if (shown->res.status == TRAIN_DIVERGED)
        figures &= ~(FIG_PREDICTION | FIG_NETWORK); /* weights that are no longer numbers */
    /* the comparison names what its runs share; the single-run figures, all of that run */
    char varied[512];
    experiment_varied_keys(exp, varied, sizeof varied);
    if (exp->n_seeds) /* the seeds are told in the legend */
        snprintf(varied + strlen(varied), sizeof varied - strlen(varied), "%sseed",
                 varied[0] ? "," : "");
    run_spec_describe_except(&jobs[0].spec, varied[0] ? varied : NULL, about, sizeof about);
    char not_all[64] = "";
    if (missing)
        snprintf(not_all, sizeof not_all, " - %d of %d runs missing", missing, n);
    snprintf(comparison_note, sizeof comparison_note, "%s%s%s", about,
             interrupted ? " - interrupted" : "", not_all);
    run_spec_describe(&shown->spec, about, sizeof about);
    snprintf(run_note, sizeof run_note, "%s%s", about, status_note(shown));

    for (int f = 0; f < 2 && rc == 0; f++) {
        if (!(o->formats & (1 << f)))
            continue;
        for (int k = 0; k < N_FIGURE_KINDS && rc == 0; k++) {
            if (!(figures & figure_kinds[k].bit))
                continue;
            snprintf(path, sizeof path, "%s/%s_%s.%s", o->out_dir, dataset, figure_kinds[k].name,
                     format_ext[f]);
            if (figure_kinds[k].bit == FIG_BOUNDARY) {
                if (!boundary_of_all(exp))
                    rc = draw_boundaries(path, jobs, n, 0, exp, comparison_note, err, errlen);
                continue;
            }
            rc = figure_kinds[k].bit == FIG_COMPARISON
                     ? run_plot_curves(path, curves, n_curves, comparison_note, err, errlen)
                 : figure_kinds[k].bit == FIG_UPDATES
                     ? run_plot_curves_over(path, by_update, n_curves, "Update", comparison_note,
                                            err, errlen)
                 : figure_kinds[k].bit == FIG_LEARNING_CURVE
                     ? run_plot_learning_curve(path, &shown->res, run_note, err, errlen)
                 : figure_kinds[k].bit == FIG_NETWORK
                     ? run_plot_network(path, &shown->res, run_note, err, errlen)
                     : run_plot_prediction(path, &shown->res, run_note, err, errlen);
        }
    }
    if (exp->n_seeds)
        for (int v = 0; v < n / seeds; v++)
            seed_band_free(&bands[v]);
    if (rc != 0)
        return -1;
    *drawn = figures & ~(boundary_of_all(exp) ? FIG_BOUNDARY : 0);
    return 0;
}

/* "0.0123 ± 0.004" of the k values v, or "-" if none. */
static void mean_sd_text(const double *v, int k, char *buf, size_t len)
{
    double sum = 0, sq = 0;
    for (int i = 0; i < k; i++)
        sum += v[i];
    double mean = k ? sum / k : 0;
    for (int i = 0; i < k; i++)
        sq += (v[i] - mean) * (v[i] - mean);
    if (k)
        snprintf(buf, len, "%.4g \u00b1 %.2g", mean, k > 1 ? sqrt(sq / (k - 1)) : 0.0);
    else
        snprintf(buf, len, "-");
}

/* The table of a seeded experiment: for each setting, over its seeds' runs
 * jobs (seeds of them in a row), how many reached accuracy 1.0 and when, and
 * the final loss (and test accuracy). */
static void write_seed_table(FILE *fp, const Experiment *exp, const Job *jobs, int n_jobs,
                             int tested)
{
    int seeds = experiment_seeds_per_setting(exp), per = experiment_runs_per_dataset(exp);
    double epochs[EXP_MAX_SEEDS], loss[EXP_MAX_SEEDS], test[EXP_MAX_SEEDS];
    fprintf(fp,
            "Each setting over its seeds: how many runs reached accuracy 1.0 (at any epoch), the "
            "median and interquartile range of the first epoch at accuracy 1.0 of those that "
            "did, and the mean \u00b1 sample standard deviation of the final loss%s.\n\n",
            tested ? " and of the accuracy on the held-out test points" : "");
    fprintf(fp,
            "| data set | setting | seeds | reached accuracy 1.0 | first epoch at accuracy "
            "1.0: median (IQR) | final loss: mean \u00b1 sd |%s\n",
            tested ? " test accuracy: mean \u00b1 sd |" : "");
    fprintf(fp, "|---|---|---:|---|---:|---:|%s\n", tested ? "---:|" : "");
    for (int first = 0; first < n_jobs; first += seeds) {
        int runs = 0, reached = 0, n_loss = 0, n_test = 0, diverged = 0;
        for (int r = first; r < first + seeds; r++) {
            const Job *job = &jobs[r];
            if (!trained(job))
                continue;
            runs++;
            long e = epochs_to_perfect(&job->res.hist);
            if (e)
                epochs[reached++] = (double)e;
            diverged += job->res.status == TRAIN_DIVERGED;
            double l = run_reported_loss(&job->res);
            if (job->res.status != TRAIN_DIVERGED && isfinite(l))
                loss[n_loss++] = l;
            if (job->res.test.n && job->res.status != TRAIN_DIVERGED)
                test[n_test++] = job->res.test_accuracy;
        }
        char when[96], loss_text[64], test_text[64], diverged_text[32] = "";
        qsort(epochs, (size_t)reached, sizeof *epochs, compare_doubles);
        if (reached)
            snprintf(when, sizeof when, "%.0f (%.0f\u2013%.0f)", quantile(epochs, reached, 0.5),
                     quantile(epochs, reached, 0.25), quantile(epochs, reached, 0.75));
        else
            snprintf(when, sizeof when, "never");
        mean_sd_text(loss, n_loss, loss_text, sizeof loss_text);
        mean_sd_text(test, n_test, test_text, sizeof test_text);
        if (diverged)
            snprintf(diverged_text, sizeof diverged_text, " (%d diverged)", diverged);
        const char *label = jobs[first].spec.label;
        fprintf(fp, "| %s | %s | %d | %d of %d seeds | %s | %s%s |",
                experiment_dataset_name(exp, first / per), label[0] ? label : "-", runs, reached,
                runs, when, loss_text, diverged_text);
        if (tested)
            fprintf(fp, " %s |", test_text);
        fputc('\n', fp);
    }
    fprintf(fp, "\nEvery run:\n\n");
}

/* README.md of the experiment: its figures and a table of its runs. Links
 * are relative to the README's own folder. drawn[d]: the figures of data set
 * d that are there; incomplete: why the experiment is not whole, or NULL;
 * earlier: some files may be an earlier run's (a failure, an interrupt),
 * rather than only some runs missing (nnlab report). */
static int write_report(const Experiment *exp, const char *source, Job *jobs, int n_jobs,
                        const int *drawn, const char *incomplete, int earlier,
                        const RunnerOptions *o, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/README.md", o->out_dir);
    AtomicFile af;
    if (atomic_file_open(&af, path, err, errlen) != 0)
        return -1;
    FILE *fp = af.fp;
    fprintf(fp, "## %s\n\n", exp->title);
    if (incomplete && !earlier)
        fprintf(fp, "**Incomplete**: %s.\n\n", incomplete);
    else if (incomplete)
        fprintf(fp,
                "**Incomplete**: %s. The figures and files of this folder and of `%s` may be "
                "partly an earlier run's (see the file " RUN_MARKER " in each).\n\n",
                incomplete, o->runs_dir);
    if (exp->description[0])
        fprintf(fp, "%s\n\n", exp->description);
    if (source)
        fprintf(fp, "Experiment file: `%s`.\n\n", source);
    const char *ext = o->formats & RUN_PNG ? "png" : "svg";
    int per = experiment_runs_per_dataset(exp);
    if (boundary_of_all(exp))
        fprintf(fp, "![boundary](boundary.%s)\n\n", ext);
    for (int d = 0; d < exp->n_datasets; d++) {
        const char *ds = experiment_dataset_name(exp, d);
        for (int k = 0; k < N_FIGURE_KINDS; k++)
            if (drawn[d] & figure_kinds[k].bit)
                fprintf(fp, "![%s, %s](%s_%s.%s)\n", ds, figure_kinds[k].name, ds,
                        figure_kinds[k].name, ext);
        fprintf(fp, "\n");
    }
    int tested = 0; /* test columns when any run has held-out points */
    for (int j = 0; j < n_jobs; j++)
        tested |= trained(&jobs[j]) && jobs[j].res.test.n > 0;
    if (exp->vary_key2[0])
        sweep_write_tables(fp, exp, jobs, n_jobs);
    if (exp->n_seeds)
        write_seed_table(fp, exp, jobs, n_jobs, tested);
    fprintf(fp,
            "| data set | run | epochs | final loss | final accuracy | first epoch at accuracy "
            "1.0 |%s\n",
            tested ? " test loss | test accuracy |" : "");
    fprintf(fp, "|---|---|---:|---:|---:|---:|%s\n", tested ? "---:|---:|" : "");
    for (int j = 0; j < n_jobs; j++) {
        const Job *job = &jobs[j];
        const History *h = &job->res.hist;
        char about[512], first[32];
        run_spec_describe_except(&job->spec, "dataset", about, sizeof about);
        long e = epochs_to_perfect(h);
        snprintf(first, sizeof first, e ? "%ld" : h->n ? "never" : "-", e);
        if (trained(job))
            fprintf(fp, "| %s | %s%s | %ld | %.6g | %.2f | %s |",
                    experiment_dataset_name(exp, j / per), about, status_note(job), h->n,
                    run_reported_loss(&job->res), run_reported_accuracy(&job->res), first);
        else
            fprintf(fp, "| %s | %s%s | 0 | - | - | - |", experiment_dataset_name(exp, j / per),
                    about, status_note(job));
        if (tested && trained(job) && job->res.test.n && job->res.status != TRAIN_DIVERGED)
            fprintf(fp, " %.6g | %.2f |", job->res.test_loss, job->res.test_accuracy);
        else if (tested)
            fprintf(fp, " - | - |");
        fputc('\n', fp);
    }
    fprintf(fp, "\n");
    return atomic_file_commit(&af, err, errlen);
}

void runner_run_dir_name(const Experiment *exp, int j, char *buf, size_t len)
{
    int d, v, v2, seed;
    experiment_run_at(exp, j, &d, &v, &v2, &seed);
    const char *ds = experiment_dataset_name(exp, d);
    int used = exp->vary_key[0] ? snprintf(buf, len, "%s_%s-%s", ds, exp->vary_key, exp->values[v])
                                : snprintf(buf, len, "%s", ds);
    /* a grid's second setting, DATASET_KEY-VALUE_KEY2-VALUE2 */
    if (exp->vary_key2[0] && used >= 0 && (size_t)used < len)
        used += snprintf(buf + used, len - used, "_%s-%s", exp->vary_key2, exp->values2[v2]);
    /* each seed's run of a setting in a folder of its own, DATASET[_KEY-VALUE]_seed-S */
    if (exp->n_seeds && used >= 0 && (size_t)used < len)
        snprintf(buf + used, len - used, "_seed-%ld", exp->seeds[seed]);
}

/* Whether name could be a data set's name in an output's name. */
static int dataset_like(const char *name, size_t n)
{
    char buf[RUN_NAME_MAX + 1], out[RUN_NAME_MAX + 1];
    if (n == 0 || n >= sizeof buf)
        return 0;
    memcpy(buf, name, n);
    buf[n] = '\0';
    return run_name_from_path(buf, out, sizeof out) == 0;
}

/* Whether name is what run_dir_name gives for a varied setting and a data
 * set, or for a built-in data set alone (not any word: "notes"). */
static int run_dir_like(const char *name)
{
    if (dataset_find(name))
        return 1;
    int n_settings;
    const Setting *table = settings_table(&n_settings);
    for (const char *u = strchr(name, '_'); u; u = strchr(u + 1, '_'))
        for (int i = 0; i < n_settings; i++) {
            size_t k = strlen(table[i].key);
            if (strncmp(u + 1, table[i].key, k) == 0 && u[1 + k] == '-' && u[2 + k] &&
                dataset_like(name, (size_t)(u - name)))
                return 1;
        }
    return 0;
}

/* Once an experiment is written whole: removes from its folders the figures
 * and the run folders of earlier runs that this one did not write (data sets
 * dropped, values changed, a format no longer drawn), so that they are wholly
 * this run's. Only names nnlab gives are looked at (figures of the built-in
 * data sets and of this run's data file), and a run folder goes only if it
 * holds nothing but a run's files. */
static void remove_stale(const Experiment *exp, const Job *jobs, int n_jobs, const int *drawn,
                         const RunnerOptions *o, int runs_too)
{
    char path[4096], name[4096];
    DIR *dir = opendir(o->out_dir);
    for (struct dirent *e; dir && (e = readdir(dir));) {
        /* DATA_FIGURE.EXT */
        for (int k = 0; k < N_FIGURE_KINDS; k++)
            for (int f = 0; f < 2; f++) {
                snprintf(name, sizeof name, "_%s.%s", figure_kinds[k].name, format_ext[f]);
                size_t n = strlen(e->d_name), tail = strlen(name);
                if (n <= tail || n - tail > RUN_NAME_MAX || strcmp(e->d_name + n - tail, name) != 0)
                    continue;
                char ds[RUN_NAME_MAX + 1];
                snprintf(ds, sizeof ds, "%.*s", (int)(n - tail), e->d_name);
                if (!dataset_find(ds) && strcmp(ds, exp->data_name) != 0)
                    continue; /* not a name nnlab gives: someone else's file */
                int written = 0;
                for (int d = 0; d < exp->n_datasets; d++)
                    written |= (drawn[d] & figure_kinds[k].bit) && (o->formats & (1 << f)) &&
                               strlen(experiment_dataset_name(exp, d)) == n - tail &&
                               strncmp(experiment_dataset_name(exp, d), e->d_name, n - tail) == 0;
                snprintf(path, sizeof path, "%s/%s", o->out_dir, e->d_name);
                if (!written)
                    unlink(path);
            }
    }
    if (dir)
        closedir(dir);

    /* the seeds' means of an earlier seeded run, DATASET_bands.csv, and the
     * statistics of an earlier grid, DATASET_sweep.csv: of this run's data
     * sets, those it no longer writes; of others (data sets dropped), all,
     * with their run folders below */
    static const char *const tables[] = {"_bands.csv", "_sweep.csv"};
    int wrote[2] = {exp->n_seeds && !exp->vary_key2[0], exp->vary_key2[0] != '\0'};
    dir = opendir(o->runs_dir);
    for (struct dirent *e; dir && (e = readdir(dir));)
        for (int t = 0; t < 2; t++) {
            size_t n = strlen(e->d_name), tail = strlen(tables[t]);
            if (n <= tail || n - tail > RUN_NAME_MAX || strcmp(e->d_name + n - tail, tables[t]) != 0)
                continue;
            char ds[RUN_NAME_MAX + 1];
            snprintf(ds, sizeof ds, "%.*s", (int)(n - tail), e->d_name);
            if (!dataset_find(ds) && strcmp(ds, exp->data_name) != 0)
                continue; /* not a name nnlab gives: someone else's file */
            int current = 0;
            for (int d = 0; d < exp->n_datasets; d++)
                current |= strcmp(experiment_dataset_name(exp, d), ds) == 0;
            struct stat st;
            snprintf(path, sizeof path, "%s/%s", o->runs_dir, e->d_name);
            if ((current ? !wrote[t] : runs_too) && lstat(path, &st) == 0 && S_ISREG(st.st_mode))
                unlink(path);
        }
    if (dir)
        closedir(dir);
    if (!runs_too) /* nnlab report reads the runs and leaves them as they are */
        return;

    static const char *const run_files[] = {"history.csv", "predictions.csv",
                                            "test_predictions.csv", "model.txt"};
    enum { N_RUN_FILES = sizeof run_files / sizeof run_files[0] };
    dir = opendir(o->runs_dir);
    for (struct dirent *e; dir && (e = readdir(dir));) {
        int ours = 0;
        for (int j = 0; j < n_jobs && !ours; j++) {
            runner_run_dir_name(exp, j, name, sizeof name);
            ours = trained(&jobs[j]) && strcmp(name, e->d_name) == 0;
        }
        if (ours || e->d_name[0] == '.' || !run_dir_like(e->d_name))
            continue;
        snprintf(path, sizeof path, "%s/%s", o->runs_dir, e->d_name);
        DIR *run = opendir(path);
        int only_run_files = run != NULL;
        for (struct dirent *f; run && (f = readdir(run));) {
            int known = strcmp(f->d_name, ".") == 0 || strcmp(f->d_name, "..") == 0;
            for (int i = 0; i < N_RUN_FILES; i++)
                known |= strcmp(f->d_name, run_files[i]) == 0;
            only_run_files &= known;
        }
        if (run)
            closedir(run);
        if (!only_run_files)
            continue;
        for (int i = 0; i < N_RUN_FILES; i++) {
            char file[4200];
            snprintf(file, sizeof file, "%s/%s", path, run_files[i]);
            unlink(file);
        }
        rmdir(path);
    }
    if (dir)
        closedir(dir);
}

/* Before anything is trained or written: every run's data and model read,
 * every loaded model checked against its run's settings. Returns 0, or an
 * exit status after printing why (and freeing what was prepared). */
static int prepare_all(const Experiment *exp, Job *jobs, int n_jobs, const char *source,
                       const char *cmd)
{
    char err[1024];
    for (int j = 0; j < n_jobs; j++) {
        if (jobs[j].missing) /* another shard's */
            continue;
        int rc = run_prepare(&jobs[j].spec, &jobs[j].res, err, sizeof err);
        jobs[j].prepared = rc == IO_OK;
        if (rc == IO_OK && jobs[j].spec.load_model[0]) {
            if (run_check_model(&jobs[j].spec, &jobs[j].res.net, source ? "" : "--", err,
                                sizeof err) != 0)
                rc = IO_BAD_INPUT;
            else
                run_adopt_model(&jobs[j].spec, &jobs[j].res.net);
        }
        if (rc != IO_OK) {
            /* a setting of the file at fault: its line, as for the file's other errors */
            int line = source && jobs[j].res.bad_setting
                           ? experiment_setting_line(exp, j, jobs[j].res.bad_setting)
                           : 0;
            if (line)
                fprintf(stderr, "nnlab %s: %s:%d: %s\n", cmd, source, line, err);
            else
                fprintf(stderr, "nnlab %s: %s%s%s\n", cmd, source ? source : "",
                        source ? ": " : "", err);
            for (int k = 0; k <= j; k++)
                if (jobs[k].prepared) {
                    run_result_free(&jobs[k].res);
                    jobs[k].prepared = 0;
                }
            return rc == IO_FAILED ? EXIT_RUNTIME : EXIT_USAGE;
        }
    }
    return 0;
}

/* The output folders, made (or found) and marked as being written. Returns 0,
 * or an exit status after printing why, having taken back what it made. */
static int open_outputs(const RunnerOptions *o, const char *cmd, char created[2][4096])
{
    static const char text[] = "nnlab is writing this folder: until it has finished, its files "
                               "may be partly an earlier run's.\n";
    const char *dirs[2] = {o->out_dir, o->runs_dir};
    const char *option[2] = {"--out", "--runs"};
    int same = strcmp(o->out_dir, o->runs_dir) == 0;
    char err[1024];
    int rc = 0;
    created[0][0] = created[1][0] = '\0';
    for (int i = 0; i < 2 - same && rc == 0; i++) {
        int status = IO_BAD_INPUT;
        if (run_make_dir(dirs[i], created[i], sizeof created[i], err, sizeof err) != 0 ||
            (status = run_mark_incomplete(dirs[i], text, err, sizeof err)) != IO_OK) {
            fprintf(stderr, "nnlab %s: %s: %s\n", cmd, option[i], err);
            rc = status == IO_FAILED ? EXIT_RUNTIME : EXIT_USAGE;
        }
    }
    if (rc != 0)
        for (int i = 1; i >= 0; i--) {
            run_unmark(dirs[i]);
            run_unmake_dir(dirs[i], created[i]);
        }
    return rc;
}

static const char *signal_name(int sig)
{
    return sig == SIGINT    ? "SIGINT"
           : sig == SIGTERM ? "SIGTERM"
           : sig == SIGHUP  ? "SIGHUP"
           : sig == SIGPIPE ? "SIGPIPE"
                            : "a signal";
}

/* --seeds: the seeds of every setting, in place of the file's seed or seeds.
 * Returns 0, or -1 with a message. */
static int take_seeds(Experiment *exp, const char *seeds, char *err, size_t errlen)
{
    char msg[300];
    int varies_seed = strcmp(exp->vary_key, "seed") == 0;
    for (int k = 0; k < exp->n_value_settings; k++)
        varies_seed |= strcmp(exp->value_settings[k].key, "seed") == 0;
    if (varies_seed) {
        snprintf(err, errlen, "--seeds: the seed is varied already (by [vary] or --vary)");
        return -1;
    }
    if (experiment_set_seeds(exp, seeds, msg, sizeof msg) != 0) {
        snprintf(err, errlen, "--seeds: %s", msg);
        return -1;
    }
    return 0;
}

Job *runner_make_jobs(const Experiment *exp, const char *source, const char *cmd, int *n_jobs,
                      int *status)
{
    char err[1024];
    int n_runs = experiment_count_runs(exp, err, sizeof err);
    if (!n_runs) {
        fprintf(stderr, "nnlab %s: %s%s%s\n", cmd, source ? source : "", source ? ": " : "", err);
        *status = EXIT_USAGE;
        return NULL;
    }
    Job *jobs = calloc((size_t)n_runs, sizeof *jobs);
    RunSpec *specs = malloc((size_t)n_runs * sizeof *specs);
    if (!jobs || !specs) {
        fprintf(stderr, "nnlab %s: out of memory\n", cmd);
        free(jobs);
        free(specs);
        *status = EXIT_RUNTIME;
        return NULL;
    }
    *n_jobs = experiment_runs(exp, specs);
    for (int j = 0; j < *n_jobs; j++)
        jobs[j].spec = specs[j];
    free(specs);
    return jobs;
}

/* --shard I/N: the runs of other shards are left out (neither prepared nor
 * trained); returns the number of this shard's runs. */
static int keep_shard(Job *jobs, int n_jobs, const RunnerOptions *o)
{
    int kept = 0;
    for (int j = 0; j < n_jobs; j++) {
        jobs[j].missing = o->shards && j % o->shards != o->shard - 1;
        kept += !jobs[j].missing;
    }
    return kept;
}

/* Trains the runs of exp, writes their data, figures and README; returns the
 * exit status. With --shard, trains and writes only its own runs' data. */
static int run_experiment(const Experiment *exp, const char *source, const RunnerOptions *o,
                          const CliContext *ctx, const char *cmd)
{
    int n_jobs = 0, rc = 0;
    Job *jobs = runner_make_jobs(exp, source, cmd, &n_jobs, &rc);
    if (!jobs)
        return rc;
    int kept = keep_shard(jobs, n_jobs, o);
    /* an MPI worker prepares each run as it is handed out (farm.h) */
    rc = o->farm && !farm_leads(o->farm) ? 0 : prepare_all(exp, jobs, n_jobs, source, cmd);
    FarmRun *farmed = NULL;
    if (o->farm && (rc = join_farm(o->farm, jobs, n_jobs, rc, &farmed, cmd)) == 0 &&
        !farm_leads(o->farm)) { /* an MPI worker: trains what rank 0 hands out, writes nothing */
        farm_train(o->farm, farmed, n_jobs, NULL, NULL, ctx->stop_signal);
        for (int j = 0; j < n_jobs; j++)
            run_result_free(&jobs[j].res);
        free(farmed);
        free(jobs);
        return EXIT_OK;
    }
    char created[2][4096], err[1024];
    if (rc == 0 && *ctx->stop_signal) {
        fprintf(stderr, "nnlab %s: interrupted before training; nothing was written\n", cmd);
        rc = 128 + *ctx->stop_signal;
    }
    if (rc == 0 && o->shards) {
        /* shards may share --runs and run at once: each writes its runs' folders only
         * (each run's files atomically, history.csv last), and marks nothing */
        if (run_make_dir(o->runs_dir, created[1], sizeof created[1], err, sizeof err) != 0) {
            fprintf(stderr, "nnlab %s: --runs: %s\n", cmd, err);
            rc = EXIT_USAGE;
        }
    } else if (rc == 0) {
        rc = open_outputs(o, cmd, created);
    }
    Live *live = NULL;
    if (rc == 0 && o->live) {
        /* run: the experiment's name; compare: the settings varied */
        char what[sizeof exp->name + sizeof exp->vary_key + sizeof exp->vary_key2];
        if (strcmp(cmd, "compare") == 0)
            snprintf(what, sizeof what, "%s%s%s", exp->vary_key, exp->vary_key2[0] ? " x " : "",
                     exp->vary_key2);
        else
            snprintf(what, sizeof what, "%s", exp->name);
        char title[600];
        snprintf(title, sizeof title, "nnlab %s%s%s: %d run%s", cmd, what[0] ? " " : "", what,
                 n_jobs, n_jobs == 1 ? "" : "s");
        LiveSetup setup = {.title = title,
                           .n_runs = n_jobs,
                           .png_dir = o->out_dir,
                           .stop_signal = ctx->stop_signal,
                           .say = cli_say_live};
        if (!(live = live_start(&setup, err, sizeof err))) {
            fprintf(stderr, "nnlab %s: --live: %s\n", cmd, err);
            for (int i = 1; i >= (o->shards ? 1 : 0); i--) { /* as open_outputs does */
                run_unmark(i ? o->runs_dir : o->out_dir);
                run_unmake_dir(i ? o->runs_dir : o->out_dir, created[i]);
            }
            rc = EXIT_USAGE;
        }
    }
    if (rc != 0) {
        for (int j = 0; j < n_jobs; j++)
            if (jobs[j].prepared)
                run_result_free(&jobs[j].res);
        free(farmed);
        free(jobs);
        return rc;
    }

    if (farmed) {
        FarmStats st = farm_train(o->farm, farmed, n_jobs, o->quiet ? NULL : print_farmed, jobs,
                                  ctx->stop_signal);
        if (!o->quiet && st.runs && !st.workers)
            printf("Trained on rank 0 alone: %.2f ms of training a run.\n",
                   1e3 * st.training / st.runs);
        else if (!o->quiet && st.runs)
            printf("Trained on %d MPI rank%s: %.2f ms of training a run, and %.3f ms more from "
                   "handing it out to having its result.\n",
                   st.ranks, st.ranks == 1 ? "" : "s", 1e3 * st.training / st.runs,
                   1e3 * st.beyond / st.runs);
    } else {
        train_all(jobs, n_jobs, o->jobs, o->quiet, ctx->stop_signal, live);
    }
    live_stop(live);
    free(farmed);
    rc = runner_finish(exp, source, jobs, n_jobs, o, ctx, cmd,
                       RUNNER_WRITE_RUNS | (o->shards ? 0 : RUNNER_DRAW));
    if (o->shards && rc == EXIT_OK && !o->quiet)
        printf("Shard %d of %d: trained %d of the %d runs into %s; nnlab report draws them once "
               "every shard is done\n",
               o->shard, o->shards, kept, n_jobs, o->runs_dir);
    return rc;
}

/* The runs' files, each in its folder under --runs. Returns 0, or -1 with
 * the first failure in failure. */
static int write_runs(const Experiment *exp, Job *jobs, int n_jobs, const RunnerOptions *o,
                      const char *cmd, char *failure, size_t failure_len)
{
    char err[1024], dir[4096];
    for (int j = 0; j < n_jobs; j++) {
        Job *job = &jobs[j];
        if (!job->started)
            continue;
        if (job->res.status == TRAIN_NOMEM) {
            if (!failure[0]) {
                snprintf(failure, failure_len, "out of memory training run %d", j + 1);
                fprintf(stderr, "nnlab %s: %s\n", cmd, failure);
            }
            continue;
        }
        char name[256];
        runner_run_dir_name(exp, j, name, sizeof name);
        snprintf(dir, sizeof dir, "%s/%s", o->runs_dir, name);
        if (make_dirs(dir, err, sizeof err) != 0 ||
            run_write_data(dir, &job->res, err, sizeof err) != 0) {
            if (!failure[0]) { /* the first tells why; the others are likely the same */
                fprintf(stderr, "nnlab %s: %s\n", cmd, err);
                snprintf(failure, failure_len, "%s", err);
            }
        } else {
            run_remove_stale(dir, &job->res, 0);
        }
    }
    return failure[0] ? -1 : 0;
}

/* Every figure of the experiment; drawn[d] gets the FIG_* bits of data set
 * d's. Returns 0, or -1 with the first failure in failure. */
static int draw_all(const Experiment *exp, Job *jobs, int n_jobs, const RunnerOptions *o,
                    const char *cmd, int *drawn, char *failure, size_t failure_len)
{
    char err[1024];
    int per = experiment_runs_per_dataset(exp);
    for (int d = 0; d < exp->n_datasets && !failure[0]; d++) {
        int rc;
        if (exp->vary_key2[0]) { /* a grid: its heatmaps */
            char varied[128], note[640];
            snprintf(varied, sizeof varied, "%s,%s,seed", exp->vary_key, exp->vary_key2);
            run_spec_describe_except(&jobs[d * per].spec, varied, note, sizeof note);
            rc = sweep_draw(exp, d, jobs + d * per, per, o, note, err, sizeof err);
            drawn[d] = rc == 0 ? FIG_SWEEP : 0;
        } else {
            rc = draw_dataset(exp, experiment_dataset_name(exp, d), jobs + d * per, per, o,
                              &drawn[d], err, sizeof err);
        }
        if (rc != 0) {
            fprintf(stderr, "nnlab %s: %s\n", cmd, err);
            snprintf(failure, failure_len, "%s", err);
        }
    }
    if (boundary_of_all(exp) && !failure[0]) {
        char note[640];
        run_spec_describe_except(&jobs[0].spec, "dataset", note, sizeof note);
        for (int f = 0; f < 2 && !failure[0]; f++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/boundary.%s", o->out_dir, format_ext[f]);
            if ((o->formats & (1 << f)) &&
                draw_boundaries(path, jobs, n_jobs, 1, exp, note, err, sizeof err) != 0) {
                fprintf(stderr, "nnlab %s: %s\n", cmd, err);
                snprintf(failure, failure_len, "%s", err);
            }
        }
    }
    return failure[0] ? -1 : 0;
}

/* Says which runs nnlab report found missing, at most the first 20 by name;
 * and, if stopped, which had been interrupted (by an earlier nnlab run). */
static void print_missing(const Experiment *exp, const Job *jobs, int n_jobs, int missing,
                          int stopped, const RunnerOptions *o, const char *cmd)
{
    int shown = 0;
    for (int j = 0; j < n_jobs && shown < 20; j++) {
        char name[256];
        runner_run_dir_name(exp, j, name, sizeof name);
        if (jobs[j].missing)
            fprintf(stderr, "nnlab %s: missing run %d of %d: %s/%s\n", cmd, j + 1, n_jobs,
                    o->runs_dir, name);
        else if (stopped && jobs[j].started && jobs[j].res.status == TRAIN_STOPPED)
            fprintf(stderr, "nnlab %s: interrupted run %d of %d: %s/%s (%ld of %ld epochs)\n",
                    cmd, j + 1, n_jobs, o->runs_dir, name, jobs[j].res.hist.n,
                    jobs[j].spec.train.epochs);
        else
            continue;
        shown++;
    }
    if (missing + stopped > shown)
        fprintf(stderr, "nnlab %s: and %d more %s runs\n", cmd, missing + stopped - shown,
                !stopped ? "missing" : !missing ? "interrupted" : "missing or interrupted");
}

int runner_finish(const Experiment *exp, const char *source, Job *jobs, int n_jobs,
                  const RunnerOptions *o, const CliContext *ctx, const char *cmd, int what)
{
    char err[1024], dir[4096], failure[1100] = "";
    int rc = EXIT_OK;
    /* the runs' results first: a figure that fails must not cost them */
    if (what & RUNNER_WRITE_RUNS)
        write_runs(exp, jobs, n_jobs, o, cmd, failure, sizeof failure);
    int not_started = 0, missing = 0, stopped = 0;
    for (int j = 0; j < n_jobs; j++) {
        not_started += !jobs[j].started && !jobs[j].missing;
        missing += jobs[j].missing;
        stopped += jobs[j].started && jobs[j].res.status == TRAIN_STOPPED;
    }
    int per = experiment_runs_per_dataset(exp);
    int drawn[EXP_MAX_DATASETS] = {0};
    double draw_start = run_clock();
    if (what & RUNNER_DRAW)
        draw_all(exp, jobs, n_jobs, o, cmd, drawn, failure, sizeof failure);
    double draw_seconds = run_clock() - draw_start;

    char incomplete[1400] = "";
    if (failure[0])
        snprintf(incomplete, sizeof incomplete, "nnlab %s could not write everything: %s", cmd,
                 failure);
    else if (*ctx->stop_signal)
        snprintf(incomplete, sizeof incomplete,
                 "interrupted by %s; %d of %d runs had not started and were not trained, and "
                 "their files were left as they were",
                 signal_name(*ctx->stop_signal), not_started, n_jobs);
    else if ((missing || stopped) && (what & RUNNER_DRAW)) {
        /* nnlab report of runs an interrupted nnlab run left: what that run would have said */
        char gone[700] = "", cut_short[200] = "";
        if (missing)
            snprintf(gone, sizeof gone, "%d of the %d runs are missing from %.500s (marked missing "
                     "below)%s", missing, n_jobs, o->runs_dir, stopped ? ", and " : "");
        if (stopped)
            snprintf(cut_short, sizeof cut_short,
                     "%d of the %d runs were interrupted before their last epoch (marked "
                     "interrupted below)",
                     stopped, n_jobs);
        snprintf(incomplete, sizeof incomplete, "%s%s; the figures and tables are of %s", gone,
                 cut_short,
                 !stopped ? "the others"
                 : missing ? "the others, as far as they trained"
                           : "the epochs they trained");
    }
    if (!(what & RUNNER_DRAW)) {
        rc = failure[0] ? EXIT_RUNTIME : EXIT_OK;
    } else if (write_report(exp, source, jobs, n_jobs, drawn, incomplete[0] ? incomplete : NULL,
                            failure[0] || *ctx->stop_signal, o, err, sizeof err) != 0) {
        if (!failure[0])
            fprintf(stderr, "nnlab %s: %s\n", cmd, err);
        if (!incomplete[0])
            snprintf(incomplete, sizeof incomplete, "nnlab %s could not write everything: %s", cmd,
                     err);
        snprintf(dir, sizeof dir, "%s/README.md", o->out_dir);
        unlink(dir); /* an earlier run's report would tell of other runs */
    }
    if (!(what & RUNNER_DRAW)) {
        /* a shard: no figures, no markers (see run_experiment) */
    } else if (incomplete[0]) {
        char text[1500];
        snprintf(text, sizeof text, "%s.\nThe files here may be partly an earlier run's.\n",
                 incomplete);
        run_mark_incomplete(o->out_dir, text, err, sizeof err);
        if (what & RUNNER_WRITE_RUNS)
            run_mark_incomplete(o->runs_dir, text, err, sizeof err);
        rc = failure[0] || *ctx->stop_signal || !(missing || stopped) ? EXIT_RUNTIME
                                                                       : EXIT_MISSING;
    } else {
        remove_stale(exp, jobs, n_jobs, drawn, o, what & RUNNER_WRITE_RUNS);
        run_unmark(o->out_dir);
        if (what & RUNNER_WRITE_RUNS)
            run_unmark(o->runs_dir);
    }
    if ((missing || (stopped && !*ctx->stop_signal)) && (what & RUNNER_DRAW))
        print_missing(exp, jobs, n_jobs, missing, *ctx->stop_signal ? 0 : stopped, o, cmd);

    for (int j = 0; j < n_jobs; j++) {
        if (rc == EXIT_OK && trained(&jobs[j]) && jobs[j].res.status == TRAIN_DIVERGED) {
            char why[256];
            run_divergence_text(&jobs[j].res, jobs[j].spec.train.epochs, why, sizeof why);
            fprintf(stderr, "nnlab %s: run %d (%s) diverged: %s\n", cmd, j + 1,
                    jobs[j].spec.label[0] ? jobs[j].spec.label
                                          : experiment_dataset_name(exp, j / per),
                    why);
            rc = EXIT_DIVERGED;
        }
        if (jobs[j].prepared || jobs[j].started)
            run_result_free(&jobs[j].res);
    }
    if (*ctx->stop_signal && !(what & RUNNER_DRAW)) {
        fprintf(stderr,
                "nnlab %s: interrupted; %d of this shard's runs had not started; those trained "
                "are in %s\n",
                cmd, not_started, o->runs_dir);
        rc = 128 + *ctx->stop_signal;
    } else if (*ctx->stop_signal) {
        fprintf(stderr,
                "nnlab %s: interrupted; %d of %d runs had not started; the figures show the "
                "runs so far and %s/" RUN_MARKER " says the folder is incomplete\n",
                cmd, not_started, n_jobs, o->out_dir);
        rc = 128 + *ctx->stop_signal;
    } else if (rc == EXIT_OK && !o->quiet && (what & RUNNER_DRAW)) {
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

/* --shard I/N, or slurm: I = SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN + 1
 * (MIN 0 if unset) and N = SLURM_ARRAY_TASK_COUNT, so that --array=0-3 and
 * --array=1-4 both make shards 1/4 to 4/4. Returns 0, or -1 with a message. */
static int parse_shard(const char *arg, RunnerOptions *o, char *err, size_t errlen)
{
    long i = 0, n = 0;
    if (strcmp(arg, "slurm") == 0) {
        const char *id = getenv("SLURM_ARRAY_TASK_ID"), *count = getenv("SLURM_ARRAY_TASK_COUNT");
        const char *min = getenv("SLURM_ARRAY_TASK_MIN"), *step = getenv("SLURM_ARRAY_TASK_STEP");
        long first = 0, by = 1;
        if (!id || !count || parse_long(id, 0, 100000000L, &i) != 0 ||
            parse_long(count, 1, EXP_MAX_RUNS, &n) != 0 ||
            (min && parse_long(min, 0, 100000000L, &first) != 0) ||
            (step && (parse_long(step, 1, 1, &by) != 0))) {
            snprintf(err, errlen,
                     "--shard slurm: SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT (1 to %d) "
                     "of a job array with a step of 1 are needed",
                     EXP_MAX_RUNS);
            return -1;
        }
        i = i - first + 1;
    } else {
        char *slash = strchr(arg, '/'), num[32];
        if (!slash || (size_t)(slash - arg) >= sizeof num)
            i = n = 0;
        else {
            snprintf(num, sizeof num, "%.*s", (int)(slash - arg), arg);
            if (parse_long(num, 1, EXP_MAX_RUNS, &i) != 0 ||
                parse_long(slash + 1, 1, EXP_MAX_RUNS, &n) != 0)
                i = n = 0;
        }
    }
    if (i < 1 || n < 1 || i > n) {
        snprintf(err, errlen,
                 "--shard: \"%s\" is not I/N with 1 <= I <= N <= %d (such as 1/4), or slurm", arg,
                 EXP_MAX_RUNS);
        if (strcmp(arg, "slurm") == 0)
            snprintf(err, errlen, "--shard slurm: task %ld of %ld is not within the array", i, n);
        return -1;
    }
    o->shard = (int)i;
    o->shards = (int)n;
    return 0;
}

int runner_option(const char *name, const char *arg, RunnerOptions *o, char *err, size_t errlen)
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
    } else if (strcmp(name, "seeds") == 0) {
        o->seeds = arg;
    } else if (strcmp(name, "band") == 0) {
        char msg[300];
        Experiment scratch;
        if (experiment_set_band(&scratch, arg, msg, sizeof msg) != 0) {
            snprintf(err, errlen, "--band: %s", msg);
            return -1;
        }
        o->band = arg;
    } else if (strcmp(name, "shard") == 0) {
        if (parse_shard(arg, o, err, errlen) != 0)
            return -1;
    } else if (strcmp(name, "live") == 0) {
        o->live = 1;
    } else if (strcmp(name, "mpi") == 0) {
        o->mpi = 1;
    } else {
        return 0;
    }
    return 1;
}

Experiment *runner_load(const char *path, RunnerOptions *o, const char *cmd, int *status)
{
    char err[1024];
    Experiment *exp = malloc(sizeof *exp);
    *status = EXIT_USAGE;
    if (!exp) {
        fprintf(stderr, "nnlab %s: out of memory\n", cmd);
        *status = EXIT_RUNTIME;
        return NULL;
    }
    int rc = experiment_load(path, exp, err, sizeof err);
    if (rc != IO_OK) {
        fprintf(stderr, "nnlab %s: %s\n", cmd, err);
        free(exp);
        *status = rc == IO_FAILED ? EXIT_RUNTIME : EXIT_USAGE;
        return NULL;
    }
    if (o->seeds && take_seeds(exp, o->seeds, err, sizeof err) != 0) {
        fprintf(stderr, "nnlab %s: %s\n", cmd, err);
        free(exp);
        return NULL;
    }
    if (o->band)
        experiment_set_band(exp, o->band, err, sizeof err); /* checked as an option */
    if ((!o->out_dir[0] || !o->runs_dir[0]) && !exp->name[0]) {
        char shown[1024];
        run_printable(path, shown, sizeof shown);
        fprintf(stderr,
                "nnlab %s: %s: this file's name cannot name the folders plots/NAME and "
                "runs/NAME: %s is accepted (or give --out and --runs)\n",
                cmd, shown, RUN_NAME_RULE);
        free(exp);
        return NULL;
    }
    if (!o->out_dir[0])
        snprintf(o->out_dir, sizeof o->out_dir, "plots/%s", exp->name);
    if (!o->runs_dir[0])
        snprintf(o->runs_dir, sizeof o->runs_dir, "runs/%s", exp->name);
    if (run_check_figure_folder(o->out_dir, err, sizeof err) != 0) {
        fprintf(stderr, "nnlab %s: --out: %s\n", cmd, err);
        free(exp);
        return NULL;
    }
    return exp;
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
    "  --seeds N      run every setting with seeds 0..N-1 (or a list, 0,3,7), in place of\n"
    "                 the file's seed or seeds; at most " STR(EXP_MAX_SEEDS) " seeds and " STR(
        EXP_MAX_RUNS) " runs\n"
                      "  --band KIND    with seeds: sd (mean -+ 1 sd, the default) or iqr (the\n"
                      "                 median and the interquartile range), in place of the "
                      "file's\n"
                      "  --shard I/N    train only the I-th of N slices of the runs (run j, "
                      "counted\n"
                      "                 from 0, when j % N = I - 1) and write their data, without\n"
                      "                 figures; nnlab report draws them. slurm: I and N from\n"
                      "                 SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN + 1 and\n"
                      "                 SLURM_ARRAY_TASK_COUNT\n"
                      "  --mpi          under mpirun: rank 0 hands the runs out to the other ranks\n"
                      "                 and writes every output (a build with make MPI=1)\n"
                      "  --quiet        print only errors\n"
                      "  --live         show the runs in a window as they train (keys: space\n"
                      "                 pauses, q stops as Ctrl-C does, s saves a PNG)\n"
                      "  --help         this text\n";

static const struct option run_options[] = {
    {"out", required_argument, NULL, 0},   {"runs", required_argument, NULL, 0},
    {"jobs", required_argument, NULL, 0},  {"format", required_argument, NULL, 0},
    {"seeds", required_argument, NULL, 0}, {"quiet", no_argument, NULL, 0},
    {"band", required_argument, NULL, 0},  {"shard", required_argument, NULL, 0},
    {"live", no_argument, NULL, 0},        {"mpi", no_argument, NULL, 0},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

int cmd_run(int argc, char **argv, const CliContext *ctx)
{
    RunnerOptions o = {.formats = RUN_PNG | RUN_SVG};
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
    if (o.live && live_check(err, sizeof err) != 0) {
        fprintf(stderr, "nnlab run: --live: %s\n", err);
        return EXIT_USAGE;
    }
    if (o.mpi && (!farm_available() || o.jobs || o.shards || o.live)) {
        fprintf(stderr, "nnlab run: --mpi: %s\n",
                o.jobs ? "--jobs is for one machine: with --mpi each rank trains one run at a "
                         "time, and mpirun -np chooses the ranks"
                : o.shards ? "--shard is for machines without MPI: with --mpi rank 0 hands every "
                             "run out"
                : o.live   ? "--live is for one machine"
                           : "this nnlab was built without MPI (build it with make MPI=1)");
        return EXIT_USAGE;
    }
    if (!o.jobs)
        o.jobs = default_jobs();
    const char *path = argv[optind];
    int rc;
    Experiment *exp = runner_load(path, &o, "run", &rc);
    if (!exp)
        return rc;
    if (o.mpi && farm_init(&o.farm, err, sizeof err) != 0) {
        fprintf(stderr, "nnlab run: %s\n", err);
        free(exp);
        return EXIT_RUNTIME;
    }
    rc = run_experiment(exp, path, &o, ctx, "run");
    if (o.farm)
        rc = farm_finish(o.farm, rc);
    free(exp);
    return rc;
}

static void print_compare_usage(FILE *fp)
{
    char keys[512];
    setting_keys(SETTING_VARIES, keys, sizeof keys);
    fprintf(fp,
            "usage: nnlab compare --vary SETTING=V1,V2,... [--vary SETTING2=...] [settings]\n"
            "                     [options]\n"
            "\n"
            "Trains one network per value of SETTING, all else equal, and draws their curves\n"
            "together. Hidden layers of several sizes are written 4x4 in the list. SETTING is\n"
            "one of: %s.\n"
            "A second --vary makes a grid: every value of the first with every value of the\n"
            "second, drawn as heatmaps (the sweep figure; see --sweep-statistic).\n"
            "\n"
            "  --vary SETTING=LIST      e.g. lr=0.1,0.01,0.001 or activation=sigmoid,tanh,relu\n"
            "  --out DIR                figures, README.md and run data (default\n"
            "                           runs/compare-SETTING, or runs/compare-SETTING-SETTING2)\n"
            "  --jobs N                 runs trained at once (default: the number of cores)\n"
            "  --format LIST            png, svg or png,svg (default png,svg)\n"
            "  --seeds N                run every value with seeds 0..N-1 (or a list, 0,3,7)\n"
            "                           and draw their means with bands of -+1 sd\n"
            "  --band KIND              with seeds: sd (mean -+ 1 sd, the default) or iqr\n"
            "                           (the median and the interquartile range)\n"
            "  --sweep-statistic LIST   a grid's heatmaps: any of success_rate (the default),\n"
            "                           median_epochs, final_loss, test_accuracy\n"
            "  --quiet                  print only errors\n"
            "  --live                   show the runs in a window as they train (keys: space\n"
            "                           pauses, q stops as Ctrl-C does, s saves a PNG)\n"
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
    {"seeds", required_argument, NULL, 0},
    {"quiet", no_argument, NULL, 0},
    {"band", required_argument, NULL, 0},
    {"sweep-statistic", required_argument, NULL, 0},
    {"live", no_argument, NULL, 0},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

int cmd_compare(int argc, char **argv, const CliContext *ctx)
{
    RunnerOptions o = {.formats = RUN_PNG | RUN_SVG, .jobs = default_jobs()};
    RunSpec base = run_spec_default();
    const char *vary = NULL, *vary2 = NULL, *statistics = NULL;
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
            if (vary2) {
                fprintf(stderr, "nnlab compare: --vary: at most two settings may be varied "
                                "(one, or a grid of two)\n");
                return EXIT_USAGE;
            }
            *(vary ? &vary2 : &vary) = arg;
        } else if (r == 0 && strcmp(name, "sweep-statistic") == 0) {
            statistics = arg;
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
    if (o.live && live_check(err, sizeof err) != 0) {
        fprintf(stderr, "nnlab compare: --live: %s\n", err);
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
    const char *failed = NULL; /* the option */
    if (experiment_set_vary(exp, vary, msg, sizeof msg) != 0) {
        failed = "--vary";
    } else if (statistics && !vary2) {
        failed = "--sweep-statistic";
        snprintf(msg, sizeof msg, "the heatmaps of a grid: it needs a second --vary");
    } else if (statistics && experiment_set_statistics(exp, statistics, msg, sizeof msg) != 0) {
        failed = "--sweep-statistic";
    } else if (vary2) {
        int r = experiment_set_grid(exp, vary2, msg, sizeof msg);
        failed = r == -1 ? "--vary" : r == -2 ? "--sweep-statistic" : NULL;
    }
    if (failed) {
        fprintf(stderr, "nnlab compare: %s: %s\n", failed, msg);
        free(exp);
        return EXIT_USAGE;
    }
    int varies_fraction =
        !strcmp(exp->vary_key, "test-fraction") || !strcmp(exp->vary_key2, "test-fraction");
    if (run_spec_given(&base, "test-data") &&
        (run_spec_given(&base, "test-fraction") || varies_fraction)) {
        fprintf(stderr,
                "nnlab compare: --test-data and %s are both given: one of them is accepted\n",
                varies_fraction ? "--vary test-fraction" : "--test-fraction");
        free(exp);
        return EXIT_USAGE;
    }
    /* the report's heading, which a file's title gives for run */
    if (vary2)
        snprintf(exp->title, sizeof exp->title, "%s and %s, a grid", setting_title(exp->vary_key),
                 setting_title(exp->vary_key2));
    else
        snprintf(exp->title, sizeof exp->title, "%s compared", setting_title(exp->vary_key));
    if (o.seeds && run_spec_given(&base, "seed")) {
        fprintf(stderr, "nnlab compare: --seed and --seeds are both given: --seed is for one "
                        "run a value, --seeds for several\n");
        free(exp);
        return EXIT_USAGE;
    }
    if (o.seeds && take_seeds(exp, o.seeds, err, sizeof err) != 0) {
        fprintf(stderr, "nnlab compare: %s\n", err);
        free(exp);
        return EXIT_USAGE;
    }
    if (o.band)
        experiment_set_band(exp, o.band, err, sizeof err); /* checked as an option */
    if (!o.out_dir[0])
        snprintf(o.out_dir, sizeof o.out_dir, "runs/compare-%s%s%s", exp->vary_key,
                 exp->vary_key2[0] ? "-" : "", exp->vary_key2);
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
