/* fuzz_experiment.c - fuzzes the experiment file parser, experiment_load_file
 * (our code around libinih), and experiment_runs on what it accepts.
 *
 * Checks beyond the sanitizers': an experiment read has 1 or 2 distinct data
 * sets, some figures, 1 to EXP_MAX_VALUES distinct values when a setting is
 * varied (each acceptable to run_spec_set) and a prediction_of among them,
 * terminated strings, and runs with settings the trainer accepts; a failure
 * says where in one line.
 */
#include <math.h>

#include "experiment.h"
#include "fuzz.h"

#define FUZZ_TERMINATED(field) FUZZ_CHECK(memchr(field, '\0', sizeof field) != NULL)

static void check_spec(const RunSpec *r)
{
    char text[512];
    FUZZ_TERMINATED(r->label);
    FUZZ_TERMINATED(r->data_path);
    FUZZ_TERMINATED(r->load_model);
    FUZZ_CHECK(network_check_shape(r->hidden, r->n_hidden) == NULL);
    FUZZ_CHECK((int)r->activation >= 0 && (int)r->activation < ACT_COUNT);
    FUZZ_CHECK(r->dataset && dataset_find(r->dataset->name) == r->dataset);
    FUZZ_CHECK(r->output_activation >= RUN_SAME_ACTIVATION && r->output_activation < ACT_COUNT);
    FUZZ_CHECK((int)r->train.engine >= 0 && (int)r->train.engine < ENGINE_COUNT);
    FUZZ_CHECK(isfinite(r->train.lr) && r->train.lr > 0.0);
    FUZZ_CHECK(r->train.momentum >= 0.0 && r->train.momentum < 1.0);
    FUZZ_CHECK(r->train.epochs >= 0 && r->train.epochs <= TRAIN_MAX_EPOCHS);
    FUZZ_CHECK((int)r->train.optimizer >= 0 && (int)r->train.optimizer < OPT_COUNT);
    run_spec_describe(r, text, sizeof text);
    FUZZ_TERMINATED(text);
}

int fuzz_experiment(const uint8_t *data, size_t size)
{
    FILE *fp = fuzz_open(data, size);
    Experiment *exp = malloc(sizeof *exp);
    FUZZ_CHECK(exp != NULL);
    char err[FUZZ_ERRLEN];
    fuzz_fill_err(err, sizeof err);
    int rc = experiment_load_file(fp, "fuzz.ini", exp, err, sizeof err);
    fclose(fp);
    if (rc != 0) {
        FUZZ_CHECK(rc == IO_BAD_INPUT || rc == IO_FAILED);
        fuzz_check_message(err, sizeof err, "fuzz.ini");
        free(exp);
        return 0;
    }
    FUZZ_CHECK(strcmp(exp->name, "fuzz") == 0);
    FUZZ_TERMINATED(exp->title);
    FUZZ_TERMINATED(exp->description);
    FUZZ_TERMINATED(exp->vary_key);
    FUZZ_CHECK(exp->title[0] != '\0');
    FUZZ_CHECK(exp->n_datasets >= 1 && exp->n_datasets <= EXP_MAX_DATASETS);
    for (int d = 0; d < exp->n_datasets; d++)
        for (int e = 0; e < d; e++)
            FUZZ_CHECK(exp->datasets[d] != exp->datasets[e]);
    FUZZ_CHECK(exp->figures != 0 && (exp->figures & ~(FIG_LEARNING_CURVE | FIG_PREDICTION |
                                                      FIG_COMPARISON | FIG_UPDATES | FIG_BOUNDARY |
                                                      FIG_NETWORK | FIG_SWEEP)) == 0);
    if (exp->vary_key2[0]) { /* a grid: of two settings, drawn as a sweep only */
        FUZZ_TERMINATED(exp->vary_key2);
        FUZZ_CHECK(exp->vary_key[0] && exp->figures == FIG_SWEEP);
        FUZZ_CHECK(exp->n_values2 >= 1 && exp->n_values2 <= EXP_MAX_VALUES);
        for (int v = 0; v < exp->n_values2; v++)
            for (int w = 0; w < v; w++)
                FUZZ_CHECK(strcmp(exp->values2[v], exp->values2[w]) != 0);
        FUZZ_CHECK(exp->n_statistics >= 1 && exp->n_statistics <= SWEEP_N_STATISTICS);
    } else {
        FUZZ_CHECK(!(exp->figures & FIG_SWEEP));
    }
    FUZZ_CHECK(exp->n_values >= 1 && exp->n_values <= EXP_MAX_VALUES);
    FUZZ_CHECK(exp->prediction_of >= 0 && exp->prediction_of < exp->n_values);
    if (exp->vary_key[0]) {
        for (int v = 0; v < exp->n_values; v++) {
            FUZZ_TERMINATED(exp->values[v]);
            FUZZ_CHECK(exp->values[v][0] != '\0');
            for (int w = 0; w < v; w++)
                FUZZ_CHECK(strcmp(exp->values[v], exp->values[w]) != 0);
        }
    } else {
        FUZZ_CHECK(exp->n_values == 1);
    }

    if (experiment_count_runs(exp, err, sizeof err) == 0) { /* too many runs: refused */
        FUZZ_CHECK(memchr(err, '\0', sizeof err) != NULL && strchr(err, '\n') == NULL);
        free(exp);
        return 0;
    }
    RunSpec *runs = malloc(EXP_MAX_RUNS * sizeof *runs);
    FUZZ_CHECK(runs != NULL);
    int n = experiment_runs(exp, runs);
    FUZZ_CHECK(n == exp->n_datasets * experiment_runs_per_dataset(exp) && n <= EXP_MAX_RUNS);
    for (int r = 0; r < n; r++) {
        check_spec(&runs[r]);
        FUZZ_CHECK(runs[r].dataset == exp->datasets[r / experiment_runs_per_dataset(exp)]);
    }
    free(runs);
    free(exp);
    return 0;
}

#ifndef FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return fuzz_experiment(data, size); }
#endif
