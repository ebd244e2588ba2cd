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
#include "io_status.h"
#include "model_io.h"
#include "network.h"
#include "plot.h"
#include "train.h"

/* The settings of one run; settings.h has the table that reads, describes
 * and defaults every field. */
typedef struct {
    char label[64];             /* legend text in comparisons, e.g. "LR: 0.01" */
    const DatasetInfo *dataset; /* a built-in data set, unless data_path is set */
    char data_path[1024];       /* a CSV data set, or "" */
    char test_path[1024];       /* a CSV of held-out points, or "" */
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
/* The network's outputs for data under spec: 1 for two classes (the
 * probability of class 1), else (or with loss ce) one per class. */
int run_outputs(const RunSpec *spec, const Dataset *data);
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
    ModelOrigin origin; /* the loss and initialisation, for its model file */
    History hist;
    double *output;                    /* the trained network's output for every point */
    double final_loss, final_accuracy; /* of output: the network as trained (or loaded) */
    Dataset test;                      /* the held-out points (test.n 0: none) */
    double *test_output;               /* the network's output for each of them */
    double test_loss, test_accuracy;
    TrainStatus status;
    double seconds;          /* training time */
    const char *bad_setting; /* after run_prepare's bad input: the setting at fault
                              * ("points", "batch-size") where one is, else NULL */
} RunResult;

/* Loads or makes the data set and the network. Returns IO_OK, or with a
 * message IO_BAD_INPUT (a bad CSV or model file) or IO_FAILED (out of memory,
 * a read error): see io_status.h. */
int run_prepare(const RunSpec *spec, RunResult *res, char *err, size_t errlen);
/* A loaded model must agree with the shape, activation and output activation
 * of spec where they were given (run_spec_given); key_prefix is put before
 * the setting's name in the message ("--" on the command line). Returns 0, or
 * -1 with a message. */
int run_check_model(const RunSpec *spec, const Network *net, const char *key_prefix, char *err,
                    size_t errlen);
/* Takes the shape and activations of a loaded model into spec, so that a
 * run's description says what it trained. */
void run_adopt_model(RunSpec *spec, const Network *net);
/* Trains, then computes the outputs of the final network. A run whose final
 * network has a NaN or infinite loss, or weights that model_read would
 * refuse, is TRAIN_DIVERGED too, even if no epoch's loss was. */
TrainStatus run_train(const RunSpec *spec, RunResult *res, TrainObserver observer, void *ctx);
/* The outputs, loss and accuracy of the network in res on its data and test
 * points (what run_train does once trained); res->status becomes
 * TRAIN_DIVERGED as there, or TRAIN_NOMEM. Returns res->status. */
TrainStatus run_evaluate(const RunSpec *spec, RunResult *res);
/* What went wrong with a TRAIN_DIVERGED run of `epochs` epochs: "the loss
 * became NaN at epoch 5", "the weights grew beyond +-1e+100 ... in the update
 * of epoch 2". Training stops early with a finite loss for the weights alone,
 * so a history that does so tells it even without the model (nnlab report). */
void run_divergence_text(const RunResult *res, long epochs, char *buf, size_t len);
/* The loss and accuracy to report: those of the last epoch, or with no
 * epochs (a loaded model only predicting) those of the network's outputs. */
double run_reported_loss(const RunResult *res);
double run_reported_accuracy(const RunResult *res);
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

/* Figures, into path (.png or .svg): curves of loss and accuracy; a run's
 * learning curve; its ground truth beside its prediction. Each is drawn in a
 * child process, so that a drawing library that exits or crashes (PLplot
 * exits on some errors, cairo and pango abort when memory runs out) cannot
 * take the run's results with it; its temporary file is removed. Return 0,
 * or -1 with a one-line message. */
/* A map of what the network learned, over the plane around its points; or
 * one map per run, side by side, each under its title. */
int run_plot_boundary(const char *path, const RunResult *res, const char *note, char *err,
                      size_t errlen);
int run_plot_boundaries(const char *path, const RunResult *const *res, const char *const *titles,
                        int n, const char *note, char *err, size_t errlen);
/* The network as a graph: a node for every unit (its colour the bias), a line
 * for every weight (its width |w|, its colour the sign), the layers named
 * under their columns. A layer of more than 32 units is summed up by the 32
 * whose weights in and out weigh most, as its label says. */
int run_plot_network(const char *path, const RunResult *res, const char *note, char *err,
                     size_t errlen);
/* Heatmaps side by side, each under its title (a sweep over two settings). */
int run_plot_heatmaps(const char *path, const PlotHeatmap *maps, const char *const *titles, int n,
                      const char *note, char *err, size_t errlen);
/* The boundary map (on a grid of cells x cells) and the network figure's
 * graph of net, each drawn into a panel of a figure made elsewhere, such as a
 * live window: net may be a copy of res's network taken while it trains, and
 * only res's points are read. Return 0, or -1 if out of memory. */
int run_draw_map(PlotFigure *fig, int panel, const RunResult *res, const Network *net, int cells,
                 const char *title);
int run_draw_network(PlotFigure *fig, int panel, const Network *net);
/* The same with another x axis than the epochs, "Update". */
int run_plot_curves_over(const char *path, const PlotCurve *curves, int n, const char *xlabel,
                         const char *note, char *err, size_t errlen);
int run_plot_curves(const char *path, const PlotCurve *curves, int n, const char *note, char *err,
                    size_t errlen);
int run_plot_learning_curve(const char *path, const RunResult *res, const char *note, char *err,
                            size_t errlen);
int run_plot_prediction(const char *path, const RunResult *res, const char *note, char *err,
                        size_t errlen);

/* The files of one run in a folder: first the results, model.txt,
 * predictions.csv and history.csv (a diverged run: history.csv only), so that
 * no failing figure can cost them; then the figures learning_curve (not
 * with no epoch trained: there is no curve), prediction, boundary and
 * network (a diverged run: learning_curve only) in the chosen formats,
 * with note on them. Return 0, or -1 with a message. */
int run_write_data(const char *dir, const RunResult *res, char *err, size_t errlen);
int run_write_figures(const char *dir, const RunResult *res, int formats, const char *note,
                      char *err, size_t errlen);
/* Once every file of the run is written: removes from dir the files of those
 * names that this run did not write (an earlier run's model.txt beside a
 * diverged run's history, its PNGs after --format svg), so that the folder is
 * wholly this run's. */
void run_remove_stale(const char *dir, const RunResult *res, int formats);

/* A folder being written holds a file RUN_MARKER saying so, from before the
 * first file goes in until the last is written; it stays if the run is
 * interrupted or a write fails, with text that says why and that the folder
 * may hold an earlier run's files beside this one's. */
#define RUN_MARKER "INCOMPLETE"
/* Writes dir/RUN_MARKER with text. Returns IO_OK, or with a message
 * IO_BAD_INPUT (the folder cannot be written to: read-only, not ours) or
 * IO_FAILED (no space left, too many open files). */
int run_mark_incomplete(const char *dir, const char *text, char *err, size_t errlen);
void run_unmark(const char *dir);
/* mkdir -p path, noting in created (len bytes) the highest folder it made
 * ("" if none), so that run_unmake_dir can take back what it made if the
 * command fails before writing anything. Returns 0, or -1 with a message. */
int run_make_dir(const char *path, char *created, size_t len, char *err, size_t errlen);
void run_unmake_dir(const char *path, const char *created);

#endif
