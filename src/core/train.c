/* train.c - the training loop: epochs of full-batch gradient descent. */
#include "train.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
static const char *const opt_names[OPT_COUNT] = {[OPT_SGD] = "sgd", [OPT_MOMENTUM] = "momentum"};

const char *optimizer_name(Optimizer opt) { return opt_names[opt]; }

int optimizer_parse(const char *name, Optimizer *opt)
{
    int i = name_index(opt_names, OPT_COUNT, name);
    if (i < 0)
        return -1;
    *opt = (Optimizer)i;
    return 0;
}

TrainConfig train_config_default(void)
{
    return (TrainConfig){.epochs = 100000, .lr = 0.1, .optimizer = OPT_SGD, .momentum = 0.9};
}

int history_alloc(History *h, long capacity)
{
    h->n = 0;
    h->capacity = capacity;
    h->loss = malloc((size_t)(capacity + 1) * sizeof *h->loss);
    h->accuracy = malloc((size_t)(capacity + 1) * sizeof *h->accuracy);
    if (!h->loss || !h->accuracy) {
        history_free(h);
        return -1;
    }
    return 0;
}

void history_free(History *h)
{
    free(h->loss);
    free(h->accuracy);
    h->loss = h->accuracy = NULL;
    h->n = h->capacity = 0;
}

int trainer_init(Trainer *t, Network *net, const Dataset *data, const TrainConfig *cfg)
{
    memset(t, 0, sizeof *t);
    t->net = net;
    t->data = data;
    t->cfg = *cfg;
    if (batch_alloc(&t->batch, net, data->n) != 0)
        return -1;
    batch_set_inputs(&t->batch, data->x);
    if (cfg->optimizer == OPT_MOMENTUM) {
        t->velocity = calloc((size_t)net->n_params, sizeof *t->velocity);
        if (!t->velocity) {
            trainer_free(t);
            return -1;
        }
    }
    return 0;
}

void trainer_free(Trainer *t)
{
    batch_free(&t->batch);
    free(t->velocity);
    t->velocity = NULL;
}

/* params (count) <- params - lr grad */
static void sgd_step(double *params, const double *grad, int count, double lr)
{
    for (int p = 0; p < count; p++)
        params[p] -= lr * grad[p];
}

/* v <- beta v - lr grad; params <- params + v */
static void momentum_step(double *params, double *v, const double *grad, int count, double lr,
                          double beta)
{
    for (int p = 0; p < count; p++) {
        v[p] = beta * v[p] - lr * grad[p];
        params[p] += v[p];
    }
}

void trainer_epoch(Trainer *t, double *loss, double *acc)
{
    Network *net = t->net;
    const double *y = t->data->y;
    const double *pred = network_forward(net, &t->batch);
    *loss = mse_forward(pred, y, t->batch.n);
    *acc = accuracy(pred, y, t->batch.n);
    network_backward(net, &t->batch, y);
    if (t->velocity)
        momentum_step(net->params, t->velocity, t->batch.grad, net->n_params, t->cfg.lr,
                      t->cfg.momentum);
    else
        sgd_step(net->params, t->batch.grad, net->n_params, t->cfg.lr);
    t->epoch++;
}

TrainStatus train(Network *net, const Dataset *data, const TrainConfig *cfg, History *hist,
                  TrainObserver observer, void *ctx)
{
    Trainer t;
    if (hist->n + cfg->epochs > hist->capacity || trainer_init(&t, net, data, cfg) != 0)
        return TRAIN_NOMEM;
    TrainStatus status = TRAIN_DONE;
    for (long e = 0; e < cfg->epochs; e++) {
        double loss, acc;
        trainer_epoch(&t, &loss, &acc);
        hist->loss[hist->n] = loss;
        hist->accuracy[hist->n] = acc;
        hist->n++;
        if (!isfinite(loss)) {
            status = TRAIN_DIVERGED;
            break;
        }
        if (observer && !observer(hist->n, loss, acc, ctx)) {
            status = TRAIN_STOPPED;
            break;
        }
    }
    trainer_free(&t);
    return status;
}

int network_predict(const Network *net, const Dataset *data, double *out)
{
    Batch b;
    if (batch_alloc(&b, net, data->n) != 0)
        return -1;
    batch_set_inputs(&b, data->x);
    memcpy(out, network_forward(net, &b), (size_t)data->n * sizeof *out);
    batch_free(&b);
    return 0;
}
