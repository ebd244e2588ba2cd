/* train.c - the training loop: epochs of gradient descent, full batch or
 * mini-batches, with the configured loss, optimiser and schedule. */
#include "train.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "parallel.h"
#include "plain.h"

#define PI 3.14159265358979323846

static const char *const opt_names[OPT_COUNT] = {[OPT_SGD] = "sgd",
                                                 [OPT_MOMENTUM] = "momentum",
                                                 [OPT_NESTEROV] = "nesterov",
                                                 [OPT_RMSPROP] = "rmsprop",
                                                 [OPT_ADAM] = "adam"};
static const char *const schedule_names[SCHEDULE_COUNT] = {[SCHEDULE_CONSTANT] = "constant",
                                                           [SCHEDULE_STEP] = "step",
                                                           [SCHEDULE_COSINE] = "cosine",
                                                           [SCHEDULE_INVERSE] = "inverse"};

const char *optimizer_name(Optimizer opt) { return opt_names[opt]; }
const char *schedule_name(Schedule schedule) { return schedule_names[schedule]; }

int optimizer_parse(const char *name, Optimizer *opt)
{
    int i = name_index(opt_names, OPT_COUNT, name);
    if (i >= 0)
        *opt = (Optimizer)i;
    return i < 0 ? -1 : 0;
}

int schedule_parse(const char *name, Schedule *schedule)
{
    int i = name_index(schedule_names, SCHEDULE_COUNT, name);
    if (i >= 0)
        *schedule = (Schedule)i;
    return i < 0 ? -1 : 0;
}

TrainConfig train_config_default(void)
{
    return (TrainConfig){.epochs = 100000,
                         .lr = 0.1,
                         .optimizer = OPT_SGD,
                         .momentum = 0.9,
                         .beta1 = 0.9,
                         .beta2 = 0.999,
                         .rho = 0.9,
                         .eps = 1e-8,
                         .loss = LOSS_MSE,
                         .schedule = SCHEDULE_CONSTANT,
                         .lr_step = 10000,
                         .lr_gamma = 0.5,
                         .stop_loss = -1.0,
                         .stop_accuracy = 2.0,
                         .engine = ENGINE_FAST,
                         .threads = 1,
                         .max_param = DBL_MAX};
}

double train_learning_rate(const TrainConfig *cfg, long e)
{
    switch (cfg->schedule) {
    case SCHEDULE_CONSTANT:
        break;
    case SCHEDULE_STEP:
        return cfg->lr * pow(cfg->lr_gamma, (double)(e / cfg->lr_step));
    case SCHEDULE_COSINE:
        return cfg->lr * 0.5 * (1.0 + cos(PI * (double)e / (double)cfg->epochs));
    case SCHEDULE_INVERSE:
        return cfg->lr / (1.0 + (double)e / (double)cfg->lr_step);
    }
    return cfg->lr;
}

int history_alloc(History *h, long capacity)
{
    h->n = 0;
    h->capacity = capacity;
    h->test_loss = h->test_accuracy = NULL;
    h->loss = malloc((size_t)(capacity + 1) * sizeof *h->loss);
    h->accuracy = malloc((size_t)(capacity + 1) * sizeof *h->accuracy);
    if (!h->loss || !h->accuracy) {
        history_free(h);
        return -1;
    }
    return 0;
}

int history_alloc_test(History *h, long capacity)
{
    if (history_alloc(h, capacity) != 0)
        return -1;
    h->test_loss = malloc((size_t)(capacity + 1) * sizeof *h->test_loss);
    h->test_accuracy = malloc((size_t)(capacity + 1) * sizeof *h->test_accuracy);
    if (!h->test_loss || !h->test_accuracy) {
        history_free(h);
        return -1;
    }
    return 0;
}

void history_free(History *h)
{
    free(h->loss);
    free(h->accuracy);
    free(h->test_loss);
    free(h->test_accuracy);
    h->loss = h->accuracy = h->test_loss = h->test_accuracy = NULL;
    h->n = h->capacity = 0;
}

/* How many parameter-shaped arrays each optimiser keeps. */
static const int opt_slots[OPT_COUNT] = {
    [OPT_SGD] = 0, [OPT_MOMENTUM] = 1, [OPT_NESTEROV] = 1, [OPT_RMSPROP] = 1, [OPT_ADAM] = 2};

int trainer_init(Trainer *t, Network *net, const Dataset *data, const TrainConfig *cfg)
{
    memset(t, 0, sizeof *t);
    t->net = net;
    t->data = data;
    t->cfg = *cfg;
    t->opt.kind = cfg->optimizer;
    t->batch = cfg->batch_size > 0 && cfg->batch_size < data->n ? cfg->batch_size : data->n;
    t->best_loss = INFINITY;
    rng_seed_stream(&t->shuffle, cfg->seed, 2);
    int ok = (t->ws = workspace_new_threads(net, data->n, cfg->engine, cfg->threads)) != NULL;
    ok = ok && (t->grad = network_params_like(net)) != NULL;
    for (int s = 0; ok && s < opt_slots[cfg->optimizer]; s++)
        ok = (t->opt.slot[s] = network_params_like(net)) != NULL;
    if (ok && t->batch < data->n) {
        ok = (t->bx = malloc((size_t)t->batch * NET_INPUTS * sizeof *t->bx)) != NULL &&
             (t->by = malloc((size_t)t->batch * sizeof *t->by)) != NULL &&
             (t->order = malloc((size_t)data->n * sizeof *t->order)) != NULL;
        for (int k = 0; ok && k < data->n; k++)
            t->order[k] = k;
    }
    if (!ok) {
        trainer_free(t);
        return -1;
    }
    network_set_inputs(t->ws, data->x, data->n);
    return 0;
}

int trainer_set_test(Trainer *t, const Dataset *test)
{
    t->test = test;
    if (!test)
        return 0;
    if (!(t->test_ws = workspace_new_threads(t->net, test->n, t->cfg.engine, t->cfg.threads)))
        return -1;
    network_set_inputs(t->test_ws, test->x, test->n);
    return 0;
}

void trainer_free(Trainer *t)
{
    workspace_free(t->ws);
    workspace_free(t->test_ws);
    free(t->grad);
    free(t->bx);
    free(t->by);
    free(t->order);
    for (int s = 0; s < OPT_MAX_SLOTS; s++)
        free(t->opt.slot[s]);
    memset(t, 0, sizeof *t);
}

/* One update of the parameters by the configured optimiser (plain.c);
 * returns whether it left one beyond +-cfg->max_param or not a number. */
static int optimizer_step(OptimizerState *opt, const TrainConfig *cfg, double lr, Network *net,
                          const double *grad)
{
    double *p = net->params, **s = opt->slot, max = cfg->max_param;
    int count = net->n_params;
    opt->steps++;
    switch (opt->kind) {
    case OPT_SGD:
        return sgd_update(p, grad, count, lr, max);
    case OPT_MOMENTUM:
        return momentum_update(p, s[0], grad, count, lr, cfg->momentum, max);
    case OPT_NESTEROV:
        return nesterov_update(p, s[0], grad, count, lr, cfg->momentum, max);
    case OPT_RMSPROP:
        return rmsprop_update(p, s[0], grad, count, lr, cfg->rho, cfg->eps, max);
    case OPT_ADAM:
        return adam_update(p, s[0], s[1], grad, count, lr, cfg->beta1, cfg->beta2, cfg->eps,
                           opt->steps, max);
    }
    return 0;
}

/* The loss of the outputs out of ws's last forward pass (n points, k each). */
static double loss_of(Loss loss, const Workspace *ws, const double *out, const double *y, int n,
                      int k)
{
    switch (loss) {
    case LOSS_BCE:
        return bce_forward(network_logits(ws), y, n);
    case LOSS_CE:
        return ce_forward(network_logits(ws), y, n, k);
    case LOSS_MSE:
        break;
    }
    return mse_forward(out, y, n, k);
}

/* The test set's loss and accuracy now, a forward pass only. */
static void evaluate_test(Trainer *t)
{
    if (!t->test)
        return;
    int k = network_outputs(t->net);
    const double *out = network_forward(t->net, t->test_ws);
    t->test_loss = loss_of(t->cfg.loss, t->test_ws, out, t->test->y, t->test->n, k);
    t->test_accuracy = accuracy(out, t->test->y, t->test->n, k);
}

/* Forward and backward over the points set in t->ws, labels y: the outputs,
 * and the gradient of the loss, with L2 and clipping, in t->grad. */
static const double *forward_backward(Trainer *t, const double *y)
{
    const double *out = network_forward_backward(t->net, t->ws, t->cfg.loss, y, t->grad);
    if (t->cfg.l2 > 0.0)
        l2_backward(t->net, t->grad, t->cfg.l2);
    if (t->cfg.clip > 0.0)
        clip_norm(t->grad, t->net->n_params, t->cfg.clip);
    return out;
}

/* One update on each mini-batch of a shuffled order of the points. */
static void minibatch_updates(Trainer *t, double lr)
{
    const Dataset *d = t->data;
    for (int k = d->n - 1; k > 0; k--) { /* Fisher-Yates */
        int j = (int)(rng_uniform(&t->shuffle) * (k + 1));
        int tmp = t->order[k];
        t->order[k] = t->order[j], t->order[j] = tmp;
    }
    for (int start = 0; start < d->n; start += t->batch) {
        int n = d->n - start < t->batch ? d->n - start : t->batch;
        for (int k = 0; k < n; k++) {
            int i = t->order[start + k];
            t->bx[2 * k] = d->x[2 * i], t->bx[2 * k + 1] = d->x[2 * i + 1];
            t->by[k] = d->y[i];
        }
        network_set_inputs(t->ws, t->bx, n);
        forward_backward(t, t->by);
        t->params_out |= optimizer_step(&t->opt, &t->cfg, lr, t->net, t->grad);
    }
    network_set_inputs(t->ws, d->x, d->n);
}

void trainer_epoch(Trainer *t, double *loss, double *acc)
{
    const double *y = t->data->y;
    int n = t->data->n, k = network_outputs(t->net);
    double lr = train_learning_rate(&t->cfg, t->epoch);
    t->params_out = 0;
    if (t->batch < n) { /* updates, then the whole set's loss and accuracy */
        minibatch_updates(t, lr);
        const double *out = network_forward(t->net, t->ws);
        *loss = loss_of(t->cfg.loss, t->ws, out, y, n, k);
        *acc = accuracy(out, y, n, k);
        evaluate_test(t);
    } else { /* forward and backward, the loss of that forward pass, update */
        const double *out = forward_backward(t, y);
        *loss = loss_of(t->cfg.loss, t->ws, out, y, n, k);
        *acc = accuracy(out, y, n, k);
        evaluate_test(t); /* with the same parameters */
        t->params_out = optimizer_step(&t->opt, &t->cfg, lr, t->net, t->grad);
    }
    t->epoch++;
}

/* Whether the epoch just recorded ends the run early, and how. */
static TrainStatus early_stop(Trainer *t, double loss, double acc)
{
    if (t->cfg.stop_loss >= 0.0 && loss <= t->cfg.stop_loss)
        return TRAIN_REACHED_LOSS;
    if (acc >= t->cfg.stop_accuracy)
        return TRAIN_REACHED_ACCURACY;
    if (loss < t->best_loss) {
        t->best_loss = loss;
        t->best_epoch = t->epoch;
    } else if (t->cfg.patience > 0 && t->epoch - t->best_epoch >= t->cfg.patience) {
        return TRAIN_NO_PROGRESS;
    }
    return TRAIN_DONE;
}

TrainStatus train(Network *net, const Dataset *data, const TrainConfig *cfg, History *hist,
                  TrainObserver observer, void *ctx)
{
    return train_tested(net, data, NULL, cfg, hist, observer, ctx);
}

TrainStatus train_tested(Network *net, const Dataset *data, const Dataset *test,
                         const TrainConfig *cfg, History *hist, TrainObserver observer, void *ctx)
{
    Trainer t;
    if (hist->n + cfg->epochs > hist->capacity || (test && !hist->test_loss) ||
        trainer_init(&t, net, data, cfg) != 0)
        return TRAIN_NOMEM;
    if (trainer_set_test(&t, test) != 0) {
        trainer_free(&t);
        return TRAIN_NOMEM;
    }
    TrainStatus status = TRAIN_DONE;
    for (long e = 0; e < cfg->epochs && status == TRAIN_DONE; e++) {
        double loss, acc;
        trainer_epoch(&t, &loss, &acc);
        hist->loss[hist->n] = loss;
        hist->accuracy[hist->n] = acc;
        if (test) {
            hist->test_loss[hist->n] = t.test_loss;
            hist->test_accuracy[hist->n] = t.test_accuracy;
        }
        hist->n++;
        if (!isfinite(loss) || t.params_out)
            status = TRAIN_DIVERGED;
        else if ((status = early_stop(&t, loss, acc)) == TRAIN_DONE && observer &&
                 !observer(hist->n, loss, acc, ctx))
            status = TRAIN_STOPPED;
    }
    trainer_free(&t);
    return status;
}

int train_cores_available(void) { return par_cores_available(); }

int network_predict(const Network *net, const Dataset *data, Engine engine, Loss loss, double *out,
                    double *loss_value)
{
    Workspace *ws = workspace_new(net, data->n, engine);
    if (!ws)
        return -1;
    network_set_inputs(ws, data->x, data->n);
    int k = network_outputs(net);
    memcpy(out, network_forward(net, ws), (size_t)data->n * k * sizeof *out);
    if (loss_value)
        *loss_value = loss_of(loss, ws, out, data->y, data->n, k);
    workspace_free(ws);
    return 0;
}
