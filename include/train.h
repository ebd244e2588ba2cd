/* train.h - training a network, epoch by epoch.
 *
 * One epoch is one pass over the data set. Full batch (the original): one
 * forward pass over all of it, the loss, backward, one optimiser step; the
 * loss and accuracy recorded for the epoch are those of that forward pass,
 * i.e. of the parameters before the epoch's update. Mini-batches: the
 * points in an order shuffled anew each epoch (from the run's seed, stream
 * 2), one step per batch of batch_size points (the last batch may be
 * smaller); the loss and accuracy recorded are the whole data set's, after
 * the epoch's last update. The loss recorded is always the data's alone,
 * without the L2 penalty.
 *
 * No I/O here: a caller that wants to print, draw or stop early passes an
 * observer, called after every epoch.
 */
#ifndef NNLAB_TRAIN_H
#define NNLAB_TRAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "dataset.h"
#include "network.h"

#define TRAIN_MAX_EPOCHS 10000000 /* the history of a run takes 16 bytes an epoch */
#define TRAIN_MAX_THREADS 64

/* The update rules are in plain.c. */
typedef enum { OPT_SGD, OPT_MOMENTUM, OPT_NESTEROV, OPT_RMSPROP, OPT_ADAM } Optimizer;
#define OPT_COUNT 5
/* The learning rate of epoch e (from 0) of E: constant; step: lr gamma^floor(e / lr_step);
 * cosine: lr (1 + cos(pi e / E)) / 2; inverse: lr / (1 + e / lr_step). */
typedef enum { SCHEDULE_CONSTANT, SCHEDULE_STEP, SCHEDULE_COSINE, SCHEDULE_INVERSE } Schedule;
#define SCHEDULE_COUNT 4

const char *optimizer_name(Optimizer opt);
int optimizer_parse(const char *name, Optimizer *opt);
const char *schedule_name(Schedule schedule);
int schedule_parse(const char *name, Schedule *schedule);

typedef struct {
    long epochs;
    double lr; /* learning rate, eta */
    Optimizer optimizer;
    double momentum;     /* beta of momentum and nesterov */
    double beta1, beta2; /* adam's decay rates of its two moments */
    double rho;          /* rmsprop's decay rate of the squared gradient */
    double eps;          /* adam's and rmsprop's guard against division by 0 */
    double l2;           /* weight decay: (l2 / 2) sum of the weights squared, biases not */
    double clip;         /* the gradient's largest length (L2 norm); 0: not clipped */
    Loss loss;
    int batch_size; /* points per update; 0 (or at least the data's): full batch */
    Schedule schedule;
    long lr_step;         /* epochs: step's period; inverse's lr is halved there */
    double lr_gamma;      /* step's factor */
    double stop_loss;     /* end at the first epoch whose loss <= this; < 0: never */
    double stop_accuracy; /* end at the first epoch whose accuracy >= this; > 1: never */
    long patience;        /* end after this many epochs without a lower loss; 0: never */
    Engine engine;        /* which engine computes the passes (network.h) */
    int threads;          /* the fast engine's threads in a pass (1 by default); same results */
    uint64_t seed;        /* the mini-batches' shuffles come from its stream 2 */
    double max_param;     /* the run diverges at an epoch whose update leaves a parameter beyond
                           * +-this or not a number; DBL_MAX: not finite */
} TrainConfig;

/* The defaults of the original project: 100000 epochs, lr 0.1, sgd, mse,
 * full batch, no L2, no schedule, no early stop; beta 0.9 for momentum,
 * adam's 0.9, 0.999 and 1e-8, rmsprop's rho 0.9; the fast engine; max_param
 * DBL_MAX. */
TrainConfig train_config_default(void);
/* The learning rate of epoch e (counted from 0) under cfg's schedule. */
double train_learning_rate(const TrainConfig *cfg, long e);

/* Per-epoch record, epoch e (counted from 1) at index e - 1. */
typedef struct {
    long n; /* epochs recorded */
    long capacity;
    double *loss;
    double *accuracy;
    double *test_loss, *test_accuracy; /* of the held-out points, or NULL if there are none */
} History;

/* Room for capacity epochs (_test: and for the test set's values). */
int history_alloc(History *h, long capacity);
int history_alloc_test(History *h, long capacity);
void history_free(History *h);

/* An optimiser's state: as many arrays shaped like the parameters as the
 * configured optimiser keeps (momentum: slot[0] the velocity), zero at the
 * start; the unused slots NULL. */
#define OPT_MAX_SLOTS 2
typedef struct {
    Optimizer kind;
    double *slot[OPT_MAX_SLOTS];
    long steps; /* updates made */
} OptimizerState;

/* Everything one training run needs besides the network it changes. */
typedef struct {
    Network *net;
    const Dataset *data;
    TrainConfig cfg;
    int batch;       /* points per update: cfg.batch_size, or all of them */
    Workspace *ws;   /* room for a batch, and for the whole data set */
    double *grad;    /* dLoss/dparams, shaped like params */
    double *bx, *by; /* a mini-batch's points (batch, 2) and labels (batch) */
    int *order;      /* the points' order this epoch (n) */
    Rng shuffle;
    OptimizerState opt;
    long epoch;     /* epochs done */
    int params_out; /* an update of the last epoch left a parameter beyond +-cfg.max_param */
    double best_loss;
    long best_epoch;     /* for patience: the lowest loss so far, and its epoch */
    const Dataset *test; /* held-out points evaluated each epoch, or NULL */
    Workspace *test_ws;
    double test_loss, test_accuracy; /* the last epoch's, on test */
} Trainer;

int trainer_init(Trainer *t, Network *net, const Dataset *data, const TrainConfig *cfg);
void trainer_free(Trainer *t);
/* Held-out points to evaluate at every epoch, with the same parameters as
 * the epoch's loss. Returns 0, or -1 if out of memory. */
int trainer_set_test(Trainer *t, const Dataset *test);
/* One epoch; reports its loss and accuracy (see the top of this file), and
 * leaves the test set's in t->test_loss and t->test_accuracy, and whether
 * its update(s) left a parameter out of bounds in t->params_out. */
void trainer_epoch(Trainer *t, double *loss, double *acc);

/* Called after every epoch with the number of epochs in the history so far
 * (the epoch just done, counted from 1); return false to stop the run there. */
typedef bool (*TrainObserver)(long epoch, double loss, double accuracy, void *ctx);

typedef enum {
    TRAIN_DONE,     /* all epochs ran */
    TRAIN_STOPPED,  /* the observer asked to stop */
    TRAIN_DIVERGED, /* the loss became NaN or infinite, or the epoch's update left a parameter
                     * beyond +-max_param or not a number; history ends at that epoch */
    TRAIN_NOMEM,
    TRAIN_REACHED_LOSS,     /* stop_loss reached: the history ends there */
    TRAIN_REACHED_ACCURACY, /* stop_accuracy reached */
    TRAIN_NO_PROGRESS,      /* patience epochs without a lower loss */
} TrainStatus;

/* Runs cfg->epochs epochs of training on data, appending to hist; returns
 * TRAIN_NOMEM at once if hist has no room for them. observer may be NULL. */
TrainStatus train(Network *net, const Dataset *data, const TrainConfig *cfg, History *hist,
                  TrainObserver observer, void *ctx);
/* The same, recording the loss and accuracy of test (may be NULL) too:
 * hist must then have room for them (history_alloc_test). */
TrainStatus train_tested(Network *net, const Dataset *data, const Dataset *test,
                         const TrainConfig *cfg, History *hist, TrainObserver observer, void *ctx);

/* The cores this process may run on: the command line's default threads. */
int train_cores_available(void);

/* Forward only, with engine: writes the network's outputs for every point of
 * data into out (data->n, network_outputs) and, unless loss_value is NULL, their loss there.
 * Returns 0, or -1 if out of memory. */
int network_predict(const Network *net, const Dataset *data, Engine engine, Loss loss, double *out,
                    double *loss_value);

#endif
