/* sweep.c - a grid of two varied settings summed up: for each setting of the grid,
 * statistics over its seeds' runs, drawn as heatmaps (plot.h) and tabled in the README. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "atomic_file.h"
#include "runner.h"
#include "settings.h"

/* One setting of the grid over its seeds' runs. */
typedef struct {
    int runs;             /* trained */
    int reached;          /* of them, those that had accuracy 1.0 at some epoch */
    double median_epochs; /* the median first epoch at accuracy 1.0 of those; NaN if none */
    double final_loss;    /* mean over the runs that did not diverge; NaN if none */
    double test_accuracy; /* mean over the same runs, with held-out points; NaN if none */
} Cell;

static Cell cell_of(const Job *jobs, int seeds)
{
    Cell c = {0};
    double epochs[EXP_MAX_SEEDS], loss = 0, test = 0;
    int n_loss = 0, n_test = 0;
    for (int r = 0; r < seeds; r++) {
        const Job *job = &jobs[r];
        if (!trained(job))
            continue;
        c.runs++;
        long e = epochs_to_perfect(&job->res.hist);
        if (e)
            epochs[c.reached++] = (double)e;
        double l = run_reported_loss(&job->res);
        if (job->res.status != TRAIN_DIVERGED && isfinite(l)) {
            loss += l;
            n_loss++;
        }
        if (job->res.test.n && job->res.status != TRAIN_DIVERGED) {
            test += job->res.test_accuracy;
            n_test++;
        }
    }
    qsort(epochs, (size_t)c.reached, sizeof *epochs, compare_doubles);
    c.median_epochs = c.reached ? quantile(epochs, c.reached, 0.5) : NAN;
    c.final_loss = n_loss ? loss / n_loss : NAN;
    c.test_accuracy = n_test ? test / n_test : NAN;
    return c;
}

static double cell_value(const Cell *c, SweepStatistic s)
{
    switch (s) {
    case SWEEP_SUCCESS_RATE:
        return c->runs ? (double)c->reached / c->runs : NAN;
    case SWEEP_MEDIAN_EPOCHS:
        return c->median_epochs;
    case SWEEP_FINAL_LOSS:
        return c->final_loss;
    default:
        return c->test_accuracy;
    }
}

/* What a cell says, the same on the heatmap and in the README: "7/10",
 * "1234" or "never", "0.0123", "0.95"; "-" with no runs. */
static void cell_text(const Cell *c, SweepStatistic s, char *buf, size_t len)
{
    double v = cell_value(c, s);
    if (!c->runs)
        snprintf(buf, len, "-");
    else if (s == SWEEP_SUCCESS_RATE)
        snprintf(buf, len, "%d/%d", c->reached, c->runs);
    else if (s == SWEEP_MEDIAN_EPOCHS)
        snprintf(buf, len, c->reached ? "%.0f" : "never", v);
    else if (!isfinite(v))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, s == SWEEP_FINAL_LOSS ? "%.3g" : "%.2f", v);
}

static const char *statistic_title(SweepStatistic s)
{
    static const char *const titles[SWEEP_N_STATISTICS] = {
        "Seeds that reached accuracy 1.0 (grey: none)",
        "First epoch at accuracy 1.0, median (grey: never)",
        "Final loss, mean",
        "Test accuracy, mean"};
    return titles[s];
}

/* The cells of data set d's grid, cells[v1 * n2 + v2]. */
static void grid_cells(const Experiment *exp, const Job *jobs, Cell *cells)
{
    int seeds = experiment_seeds_per_setting(exp);
    for (int s = 0; s < exp->n_values * exp->n_values2; s++)
        cells[s] = cell_of(jobs + s * seeds, seeds);
}

/* runs/NAME/DATASET_sweep.csv: every statistic of every setting, in full. */
static int write_sweep_csv(const char *path, const Experiment *exp, const Cell *cells, char *err,
                           size_t errlen)
{
    AtomicFile af;
    if (atomic_file_open(&af, path, err, errlen) != 0)
        return -1;
    fprintf(af.fp, "%s,%s,runs,reached,median_epochs,final_loss_mean,test_accuracy_mean\n",
            exp->vary_key, exp->vary_key2);
    for (int s = 0; s < exp->n_values * exp->n_values2; s++) {
        const Cell *c = &cells[s];
        fprintf(af.fp, "%s,%s,%d,%d", exp->values[s / exp->n_values2],
                exp->values2[s % exp->n_values2], c->runs, c->reached);
        const double v[3] = {c->median_epochs, c->final_loss, c->test_accuracy};
        for (int k = 0; k < 3; k++)
            if (isfinite(v[k]))
                fprintf(af.fp, ",%.17g", v[k]);
            else
                fputs(",", af.fp);
        fputc('\n', af.fp);
    }
    return atomic_file_commit(&af, err, errlen);
}

/* The heatmap of one statistic: columns the second setting's values, rows
 * the first's (the first value at the bottom); arrays of nx * ny each. */
static void make_heatmap(const Experiment *exp, const Cell *cells, SweepStatistic s,
                         PlotHeatmap *map, double *v, char (*texts)[24], const char **text,
                         bool *marked)
{
    int nx = exp->n_values2, ny = exp->n_values;
    double lo = INFINITY, hi = -INFINITY;
    for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++) {
            const Cell *c = &cells[j * nx + i];
            int k = j * nx + i;
            v[k] = cell_value(c, s);
            cell_text(c, s, texts[k], sizeof texts[k]);
            text[k] = texts[k];
            /* greyed: a cell whose runs never fitted their training points, where
             * the count of those that did and the epoch they did it at say "none";
             * not the final loss and the test accuracy, which are worth reading
             * either way (on noisy data no run fits every training point) */
            marked[k] = c->runs > 0 && c->reached == 0 &&
                        (s == SWEEP_SUCCESS_RATE || s == SWEEP_MEDIAN_EPOCHS);
            if (isfinite(v[k]) && !marked[k]) {
                lo = fmin(lo, v[k]);
                hi = fmax(hi, v[k]);
            }
        }
    *map = (PlotHeatmap){.v = v, .nx = nx, .ny = ny, .text = text, .marked = marked};
    map->xlabel = setting_title(exp->vary_key2);
    map->ylabel = setting_title(exp->vary_key);
    if (s == SWEEP_SUCCESS_RATE || s == SWEEP_TEST_ACCURACY) { /* higher is darker */
        map->lo = s == SWEEP_SUCCESS_RATE ? 0.0 : 0.5;         /* test: chance to perfect */
        map->hi = 1.0;
    } else { /* fewer epochs, lower loss: darker; on a log scale when all are > 0 */
        map->lo = isfinite(hi) ? hi : 1.0;
        map->hi = isfinite(lo) ? lo : 1.0;
        map->log = map->hi > 0.0;
    }
}

int sweep_draw(const Experiment *exp, int d, const Job *jobs, int n, const RunnerOptions *o,
               const char *note, char *err, size_t errlen)
{
    (void)n;
    static const char *const ext[2] = {"png", "svg"};
    enum { CELLS = EXP_MAX_VALUES * EXP_MAX_VALUES };
    const char *dataset = experiment_dataset_name(exp, d);
    Cell cells[CELLS];
    grid_cells(exp, jobs, cells);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s_sweep.csv", o->runs_dir, dataset);
    if (write_sweep_csv(path, exp, cells, err, errlen) != 0)
        return -1;

    PlotHeatmap maps[SWEEP_N_STATISTICS];
    const char *titles[SWEEP_N_STATISTICS], *xticks[EXP_MAX_VALUES], *yticks[EXP_MAX_VALUES];
    double v[SWEEP_N_STATISTICS][CELLS];
    char texts[SWEEP_N_STATISTICS][CELLS][24];
    const char *text[SWEEP_N_STATISTICS][CELLS];
    bool marked[SWEEP_N_STATISTICS][CELLS];
    for (int i = 0; i < exp->n_values2; i++)
        xticks[i] = exp->values2[i];
    for (int j = 0; j < exp->n_values; j++)
        yticks[j] = exp->values[j];
    for (int k = 0; k < exp->n_statistics; k++) {
        make_heatmap(exp, cells, exp->statistics[k], &maps[k], v[k], texts[k], text[k], marked[k]);
        maps[k].xticks = xticks;
        maps[k].yticks = yticks;
        titles[k] = statistic_title(exp->statistics[k]);
    }
    char full_note[800];
    snprintf(full_note, sizeof full_note, "%s%s%d seed%s a setting", note, note[0] ? " - " : "",
             experiment_seeds_per_setting(exp), experiment_seeds_per_setting(exp) == 1 ? "" : "s");
    for (int f = 0; f < 2; f++) {
        if (!(o->formats & (1 << f)))
            continue;
        snprintf(path, sizeof path, "%s/%s_sweep.%s", o->out_dir, dataset, ext[f]);
        if (run_plot_heatmaps(path, maps, titles, exp->n_statistics, full_note, err, errlen) != 0)
            return -1;
    }
    return 0;
}

void sweep_write_tables(FILE *fp, const Experiment *exp, const Job *jobs, int n_jobs)
{
    int per = experiment_runs_per_dataset(exp);
    Cell cells[EXP_MAX_VALUES * EXP_MAX_VALUES];
    for (int d = 0; d < exp->n_datasets && d * per < n_jobs; d++) {
        grid_cells(exp, jobs + d * per, cells);
        for (int k = 0; k < exp->n_statistics; k++) {
            SweepStatistic s = exp->statistics[k];
            fprintf(fp, "%s, %s, over %d seed%s a setting:\n\n", experiment_dataset_name(exp, d),
                    statistic_title(s), experiment_seeds_per_setting(exp),
                    experiment_seeds_per_setting(exp) == 1 ? "" : "s");
            fprintf(fp, "| %s \\ %s |", setting_title(exp->vary_key),
                    setting_title(exp->vary_key2));
            for (int i = 0; i < exp->n_values2; i++)
                fprintf(fp, " %s |", exp->values2[i]);
            fprintf(fp, "\n|---|");
            for (int i = 0; i < exp->n_values2; i++)
                fprintf(fp, "---:|");
            fputc('\n', fp);
            for (int j = 0; j < exp->n_values; j++) {
                fprintf(fp, "| %s |", exp->values[j]);
                for (int i = 0; i < exp->n_values2; i++) {
                    char text[24];
                    cell_text(&cells[j * exp->n_values2 + i], s, text, sizeof text);
                    fprintf(fp, " %s |", text);
                }
                fputc('\n', fp);
            }
            fputc('\n', fp);
        }
    }
}
