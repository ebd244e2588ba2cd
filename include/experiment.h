/* experiment.h - experiments as data: INI files in experiments/.
 *
 *     [experiment]
 *     title = Learning rates            ; a heading for the report
 *     description = ...                 ; a sentence or two for the report,
 *         continued on indented lines
 *     datasets = linear, xor            ; the data sets to run on (dataset.h's table)
 *     figures = comparison              ; any of learning_curve, prediction, comparison,
 *                                       ; updates, boundary, network
 *     prediction_of = momentum          ; with [vary]: the value whose prediction is drawn
 *     seeds = 10                        ; every run with seeds 0..9 (or a list: 0, 3, 7);
 *                                       ; the figures then draw means with bands
 *     band = sd                         ; with seeds: mean -+ 1 sd (sd) or the median
 *                                       ; and the interquartile range (iqr)
 *     runs_lines = yes                  ; with seeds: every run as a thin line too
 *     sweep_statistic = success_rate    ; with two settings in [vary]: the heatmaps' statistics
 *
 *     [train]                           ; settings of every run, named as nnlab train's
 *     lr = 0.1                          ; options (the table of settings.h), each once;
 *     epochs = 100000                   ; data = FILE.csv in place of datasets
 *
 *     [train.xor]                       ; settings for one data set only, [train.NAME]
 *     epochs = 500000
 *
 *     [vary]                            ; one setting with its values, or two: a grid
 *     optimizer = sgd, adam             ; comma-separated (hidden layers as 4x4)
 *
 *     [vary.adam]                       ; settings of one value's runs only
 *     lr = 0.001
 *
 * Parsed with libinih; every error names the file and line. Only title and
 * description go on over indented lines; values of [vary] that make the same
 * runs (0.1 and 1e-1) are refused as listed twice.
 */
#ifndef NNLAB_EXPERIMENT_H
#define NNLAB_EXPERIMENT_H

#include <stddef.h>
#include <stdio.h>

#include "io_status.h"
#include "run.h"
#include "settings.h"

#define EXP_MAX_VALUES 8
#define EXP_MAX_DATASETS 8
#define EXP_MAX_SETTINGS (EXP_MAX_VALUES * EXP_MAX_DATASETS) /* runs of one seed */
#define EXP_MAX_SEEDS 100                                    /* seeds of each setting */
#define EXP_MAX_RUNS 1000 /* settings x seeds: all are held in memory until drawn */
#define EXP_MAX_FILE_BYTES 65536
#define EXP_MAX_VALUE_SETTINGS 32
#define EXP_MAX_SETTING_LINES 128 /* the lines of settings a file may have */

/* A setting of one varied value's runs, from [vary.VALUE]. */
typedef struct {
    int value; /* index into values */
    char key[32];
    char text[200];
} ValueSetting;

/* comparison: the runs' curves by epoch; updates: the same by update (for
 * mini-batches, which update several times an epoch); boundary: a map of
 * what each run learned, side by side (without a varied setting, one figure
 * of every data set's); network: the weights and biases of the run whose
 * prediction is drawn (prediction_of), as a graph. */
enum {
    FIG_LEARNING_CURVE = 1,
    FIG_PREDICTION = 2,
    FIG_COMPARISON = 4,
    FIG_UPDATES = 8,
    FIG_BOUNDARY = 16,
    FIG_NETWORK = 32,
    FIG_SWEEP = 64 /* a grid of two varied settings: heatmaps of statistics over it */
};

/* The statistics a sweep's heatmaps show, per setting of the grid over its
 * seeds' runs: how many reached accuracy 1.0, the median first epoch at
 * accuracy 1.0 of those that did, the mean final loss and test accuracy. */
typedef enum {
    SWEEP_SUCCESS_RATE,
    SWEEP_MEDIAN_EPOCHS,
    SWEEP_FINAL_LOSS,
    SWEEP_TEST_ACCURACY,
    SWEEP_N_STATISTICS
} SweepStatistic;

/* "success_rate", ...: the names of sweep_statistic. */
const char *experiment_statistic_name(SweepStatistic s);

/* What a seeded comparison draws for a setting: the mean with a band of -+1
 * sample standard deviation, or the median with the interquartile range. */
enum { EXP_BAND_SD, EXP_BAND_IQR };

typedef struct {
    char name[RUN_NAME_MAX + 1]; /* the file name without folder and .ini, or "" if it
                                  * cannot name folders (run_name_from_path) */
    char title[128];             /* both cut on a UTF-8 character's boundary */
    char description[2048];
    int n_datasets;
    const DatasetInfo *datasets[EXP_MAX_DATASETS];
    char data_name[RUN_NAME_MAX + 1]; /* with data = FILE: its one data set's name, from
                                       * the file's; "" for the built-in data sets */
    RunSpec base[EXP_MAX_DATASETS];   /* the settings of each data set's runs */
    char vary_key[32];                /* "" when nothing is varied */
    int n_values;
    char values[EXP_MAX_VALUES][64];
    int n_value_settings;
    ValueSetting value_settings[EXP_MAX_VALUE_SETTINGS];
    int figures;       /* FIG_* bits */
    int prediction_of; /* index into values of the run whose prediction is drawn */
    int n_seeds;       /* 0: one run per setting, with its own seed; else each setting is
                        * run once per seed, and the runs' folders are named by it */
    long seeds[EXP_MAX_SEEDS];
    char vary_key2[32]; /* a second varied setting, making a grid with the first, or "" */
    int n_values2;
    char values2[EXP_MAX_VALUES][64];
    int n_statistics; /* the sweep's heatmaps, side by side */
    SweepStatistic statistics[SWEEP_N_STATISTICS];
    int band;       /* EXP_BAND_*: the line and band of a seeded comparison */
    int runs_lines; /* a seeded comparison draws each run as a thin line under its band */
    /* where the file set each setting of the runs: [train], [train.NAME], [vary],
     * [vary.VALUE] (experiment_setting_line); none for nnlab compare's */
    int n_setting_lines;
    struct {
        char section[32], key[32];
        int line;
    } setting_lines[EXP_MAX_SETTING_LINES];
} Experiment;

/* Returns 0, or with "FILE:LINE: what is wrong and what is accepted" in err
 * IO_BAD_INPUT or IO_FAILED (out of memory, a read error): see io_status.h. */
int experiment_load(const char *path, Experiment *exp, char *err, size_t errlen);
/* The same from an open stream (left open); path names the file in err and
 * gives the experiment its name. */
int experiment_load_file(FILE *fp, const char *path, Experiment *exp, char *err, size_t errlen);

/* An experiment of one data set with base's settings (for nnlab compare).
 * Returns 0, or -1 with a message if base's data file's name cannot name
 * the outputs. */
int experiment_from_spec(Experiment *exp, const RunSpec *base, const char *name, char *err,
                         size_t errlen);
/* The name of data set d in file and folder names: the built-in set's, or
 * the data file's (data_name). */
const char *experiment_dataset_name(const Experiment *exp, int d);

/* The varied setting and its values from "key=v1,v2,..." (as nnlab compare's
 * --vary). Returns 0, or -1 with a message. */
int experiment_set_vary(Experiment *exp, const char *text, char *err, size_t errlen);
/* A second varied setting from "key=v1,v2,...", making a grid with the first
 * (as a second --vary of nnlab compare): its figure is the sweep, with the
 * statistics already set or success_rate. Returns 0; -1 with a message if
 * the setting cannot make a grid (seed, say), -2 if a statistic cannot be
 * measured (test_accuracy without held-out points). */
int experiment_set_grid(Experiment *exp, const char *text, char *err, size_t errlen);
/* The sweep's statistics from a list of their names (as sweep_statistic =
 * or --sweep-statistic). Returns 0, or -1 with a message. */
int experiment_set_statistics(Experiment *exp, const char *text, char *err, size_t errlen);

/* The seeds from "N" (seeds 0..N-1) or a list "0, 3, 7" (as seeds = or
 * --seeds). Returns 0, or -1 with a message. */
int experiment_set_seeds(Experiment *exp, const char *text, char *err, size_t errlen);
/* The band from "sd" or "iqr" (as band = or --band). Returns 0, or -1 with
 * a message. */
int experiment_set_band(Experiment *exp, const char *text, char *err, size_t errlen);
/* The number of runs, and 0 with a message if more than EXP_MAX_RUNS. */
int experiment_count_runs(const Experiment *exp, char *err, size_t errlen);

/* The runs of an experiment (runs has room for experiment_count_runs): for
 * each data set, for each setting (a value, or one; in a grid, each value of
 * the first setting with each of the second's), for each seed (or one). With
 * per = experiment_runs_per_dataset, run r is data set r / per, setting
 * (r % per) / seeds_per_setting, seed r % seeds_per_setting; setting s of a
 * grid is value s / n_values2 of the first and s % n_values2 of the second.
 * Returns the count. */
int experiment_runs(const Experiment *exp, RunSpec *runs);
int experiment_settings_per_dataset(const Experiment *exp);
int experiment_runs_per_dataset(const Experiment *exp);
int experiment_seeds_per_setting(const Experiment *exp);
/* Where run r is in that order: its data set, its value of the first varied setting and
 * of the second (0 for one not varied) and its seed's index (0 without seeds). */
void experiment_run_at(const Experiment *exp, int r, int *dataset, int *value, int *value2,
                       int *seed);
/* The line of the experiment file that gives run r (as experiment_runs numbers them) its
 * setting key: of [vary.VALUE] of its value, [vary], [train.NAME] of its data set or
 * [train], the first that sets it (the last such line of that section); 0 if none does. */
int experiment_setting_line(const Experiment *exp, int r, const char *key);
/* "optimizer,lr": the varied setting and those of [vary.VALUE] sections, or "". */
void experiment_varied_keys(const Experiment *exp, char *buf, size_t len);

#endif
