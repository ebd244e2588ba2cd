/* train.h - full-batch gradient descent on a network, epoch by epoch.
 *
 * One epoch: forward over the whole data set, mean squared error, backward,
 * one optimiser step. The loss and accuracy of an epoch are those of the
 * forward pass, i.e. of the parameters before that epoch's update.
 *
 * No I/O here: a caller that wants to print, draw or stop early passes an
 * observer, called after every epoch.
 */
#ifndef NNLAB_TRAIN_H
#define NNLAB_TRAIN_H

#include <stdbool.h>

#include "dataset.h"
#include "network.h"

#define TRAIN_MAX_EPOCHS 10000000 /* the history of a run takes 16 bytes an epoch */

typedef enum { OPT_SGD, OPT_MOMENTUM } Optimizer;
#define OPT_COUNT 2

const char *optimizer_name(Optimizer opt);
int optimizer_parse(const char *name, Optimizer *opt);

typedef struct {
    long epochs;
    double lr; /* learning rate, eta */
    Optimizer optimizer;
    double momentum; /* beta of the momentum optimiser: v <- beta v - eta grad; w <- w + v */
    Engine engine;   /* which engine computes the passes (network.h) */
} TrainConfig;

/* The defaults of the original project: 100000 epochs, lr 0.1, sgd, beta 0.9;
 * the fast engine. */
TrainConfig train_config_default(void);

/* Per-epoch record, epoch e (counted from 1) at index e - 1. */
typedef struct {
    long n; /* epochs recorded */
    long capacity;
    double *loss;
    double *accuracy;
} History;

int history_alloc(History *h, long capacity);
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
    Workspace *ws;
    double *dout; /* dLoss/doutputs (n) */
    double *grad; /* dLoss/dparams, shaped like params */
    OptimizerState opt;
    long epoch; /* epochs done */
} Trainer;

int trainer_init(Trainer *t, Network *net, const Dataset *data, const TrainConfig *cfg);
void trainer_free(Trainer *t);
/* One epoch; reports the loss and accuracy of its forward pass. */
void trainer_epoch(Trainer *t, double *loss, double *acc);

/* Called after every epoch with the number of epochs in the history so far
 * (the epoch just done, counted from 1); return false to stop the run there. */
typedef bool (*TrainObserver)(long epoch, double loss, double accuracy, void *ctx);

typedef enum {
    TRAIN_DONE,     /* all epochs ran */
    TRAIN_STOPPED,  /* the observer asked to stop */
    TRAIN_DIVERGED, /* the loss became NaN or infinite; history ends at that epoch */
    TRAIN_NOMEM,
} TrainStatus;

/* Runs cfg->epochs epochs of training on data, appending to hist; returns
 * TRAIN_NOMEM at once if hist has no room for them. observer may be NULL. */
TrainStatus train(Network *net, const Dataset *data, const TrainConfig *cfg, History *hist,
                  TrainObserver observer, void *ctx);

/* Forward only, with engine: writes the network's output for every point of
 * data into out (data->n). Returns 0, or -1 if out of memory. */
int network_predict(const Network *net, const Dataset *data, Engine engine, double *out);

#endif
