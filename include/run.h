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
#include "model_io.h"
#include "network.h"
#include "train.h"

/* The settings of one run; settings.h has the table that reads, describes
 * and defaults every field. */
typedef struct {
    char label[64];             /* legend text in comparisons, e.g. "LR: 0.01" */
    const DatasetInfo *dataset; /* a built-in data set, unless data_path is set */
    char data_path[1024];       /* a CSV data set, or "" */
    int points;                 /* of the built-in data set; 0: its own number */
    double noise;               /* sd of the normal offset that moves each point */
    double test_fraction;       /* of the points held out for testing; < 0: the set's own */
    char load_model[1024];      /* start from this saved model, or "" */
    int hidden[NET_MAX_HIDDEN_LAYERS];
    int n_hidden;
    Activation activation;    /* of the hidden layers */
    int output_activation;    /* of the output layer: an Activation, or RUN_SAME_ACTIVATION */
    Init init;                /* how the weights start */
    TrainConfig train;        /* train.seed: the data set from its stream 0, weights from 1 */
    unsigned long long given; /* bit i: row i of the settings table was set, not defaulted */
} RunSpec;

#define RUN_SAME_ACTIVATION (-1)

/* The fraction of the points held out for testing: spec's, or its data set's. */
double run_test_fraction(const RunSpec *spec);
/* The output layer's activation that spec asks for. */
Activation run_output_activation(const RunSpec *spec);
/* "16,16" */
void run_hidden_text(const int *hidden, int n_hidden, char *buf, size_t len);

typedef struct {
    Dataset data;
    Network net;
    ModelOrigin origin; /* the loss and initialisation, for its model file */
    History hist;
    double *output;    /* the trained network's output for every point */
    double final_loss; /* and their loss */
    TrainStatus status;
    double seconds; /* training time */
} RunResult;

/* Loads or makes the data set and the network. Returns 0, or -1 with a
 * message (bad CSV or model file, out of memory). */
int run_prepare(const RunSpec *spec, RunResult *res, char *err, size_t errlen);
/* Trains, then computes the outputs of the final network. */
TrainStatus run_train(const RunSpec *spec, RunResult *res, TrainObserver observer, void *ctx);
void run_result_free(RunResult *res);
/* How the run ended early, "stopped at epoch 5123: loss 0.001 reached", or
 * "" if it did not stop early. */
void run_early_stop_text(const RunResult *res, char *buf, size_t len);

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
