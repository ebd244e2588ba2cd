/* run.h - one training run, from its settings to its files.
 *
 * The glue between the training core (data, network, training loop), the
 * files (csv.h, model_io.h) and the figures (plot.h). Both `nnlab train` and
 * the experiment runner describe a run as a RunSpec and carry it out here.
 * Nothing here prints or exits: errors come back as messages.
 */
#ifndef NNLAB_RUN_H
#define NNLAB_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "network.h"
#include "train.h"

/* The settings of one run; settings.h has the table that reads, describes
 * and defaults every field. */
typedef struct {
    char label[64];             /* legend text in comparisons, e.g. "LR: 0.01" */
    const DatasetInfo *dataset; /* a built-in data set, unless data_path is set */
    char data_path[1024];       /* a CSV data set, or "" */
    char load_model[1024];      /* start from this saved model, or "" */
    int hidden[NET_MAX_HIDDEN_LAYERS];
    int n_hidden;
    Activation activation; /* of the hidden layers */
    int output_activation; /* of the output layer: an Activation, or RUN_SAME_ACTIVATION */
    TrainConfig train;
    uint64_t seed;  /* data set from stream 0 of the seed, weights from stream 1 */
    unsigned given; /* bit i: row i of the settings table was set, not defaulted */
} RunSpec;

#define RUN_SAME_ACTIVATION (-1)

/* The output layer's activation that spec asks for. */
Activation run_output_activation(const RunSpec *spec);
/* "16,16" */
void run_hidden_text(const int *hidden, int n_hidden, char *buf, size_t len);

/* Names of outputs taken from a file's name: an experiment's (plots/NAME,
 * runs/NAME), a data file's (train's default --out, DATA_comparison.png).
 * Such a name is refused, never cut or changed, so that two files never share
 * an output: names of dots only, with a slash, spaces, '%', control or
 * non-ASCII bytes - things that a shell, make, PLplot or Markdown reads
 * otherwise - and names too long to keep whole. */
#define RUN_NAME_MAX 63
#define RUN_NAME_RULE                                                                              \
    "a file name of letters, digits, '.', '_' and '-', not starting with '.' or '-', of at most "  \
    "63 characters before its extension"
/* The base name of path without its folder and its last extension
 * ("different_lr" of "experiments/different_lr.ini") into name (len bytes).
 * Returns 0, or -1 if the base name breaks the rule above. */
int run_name_from_path(const char *path, char *name, size_t len);
/* text with its control characters (a newline in a file name) and bytes that
 * are not UTF-8 shown as '?', for a message of one line. */
void run_printable(const char *text, char *buf, size_t len);
/* PLplot takes the first "%n" in a file name for a family member's number and
 * drops it (plsfnam): a figure of dir/... would be written elsewhere. Returns
 * 0, or -1 with a message if dir, the folder of figures, has "%n" in it. */
int run_check_figure_folder(const char *dir, char *err, size_t errlen);

typedef struct {
    Dataset data;
    Network net;
    History hist;
    double *output; /* the trained network's output for every point */
    TrainStatus status;
    double seconds; /* training time */
} RunResult;

/* Loads or makes the data set and the network. Returns 0, or -1 with a
 * message (bad CSV or model file, out of memory). */
int run_prepare(const RunSpec *spec, RunResult *res, char *err, size_t errlen);
/* Trains, then computes the outputs of the final network. */
TrainStatus run_train(const RunSpec *spec, RunResult *res, TrainObserver observer, void *ctx);
void run_result_free(RunResult *res);

/* Seconds on a monotonic clock, for timing runs and drawing. */
double run_clock(void);

/* Output formats of figures, a bit set. */
enum { RUN_PNG = 1, RUN_SVG = 2 };
/* Parses "png", "svg", "png,svg"; returns the bit set, or 0 if invalid. */
int run_parse_formats(const char *text);

/* The figures of one run, into path (.png or .svg): its learning curve
 * (loss and accuracy per epoch), and its ground truth beside its prediction. */
int run_plot_learning_curve(const char *path, const RunResult *res, const char *note, char *err,
                            size_t errlen);
int run_plot_prediction(const char *path, const RunResult *res, const char *note, char *err,
                        size_t errlen);

/* Writes history.csv, predictions.csv and model.txt into dir, and the
 * figures learning_curve.{png,svg} and prediction.{png,svg} in the chosen
 * formats; note is shown on the figures (or NULL). After a diverged run only
 * the history and its learning curve. Returns 0, or -1. */
int run_write_outputs(const char *dir, const RunResult *res, int formats, const char *note,
                      char *err, size_t errlen);

#endif
