/* train.c - the training loop: epochs of full-batch gradient descent. */
#include "train.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "plain.h"

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
    return (TrainConfig){
        .epochs = 100000, .lr = 0.1, .optimizer = OPT_SGD, .momentum = 0.9, .engine = ENGINE_FAST};
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

/* How many parameter-shaped arrays each optimiser keeps. */
static const int opt_slots[OPT_COUNT] = {[OPT_SGD] = 0, [OPT_MOMENTUM] = 1};

int trainer_init(Trainer *t, Network *net, const Dataset *data, const TrainConfig *cfg)
{
    memset(t, 0, sizeof *t);
    t->net = net;
    t->data = data;
    t->cfg = *cfg;
    t->opt.kind = cfg->optimizer;
    int ok = (t->ws = workspace_new(net, data->n, cfg->engine)) != NULL;
    ok = ok && (t->dout = malloc((size_t)data->n * NET_OUTPUTS * sizeof *t->dout)) != NULL;
    ok = ok && (t->grad = network_params_like(net)) != NULL;
    for (int s = 0; ok && s < opt_slots[cfg->optimizer]; s++)
        ok = (t->opt.slot[s] = network_params_like(net)) != NULL;
    if (!ok) {
        trainer_free(t);
        return -1;
    }
    network_set_inputs(t->ws, data->x, data->n);
    return 0;
}

void trainer_free(Trainer *t)
{
    workspace_free(t->ws);
    free(t->dout);
    free(t->grad);
    for (int s = 0; s < OPT_MAX_SLOTS; s++)
        free(t->opt.slot[s]);
    memset(t, 0, sizeof *t);
}

/* One update of the parameters by the configured optimiser (plain.c). */
static void optimizer_step(OptimizerState *opt, const TrainConfig *cfg, Network *net,
                           const double *grad)
{
    switch (opt->kind) {
    case OPT_SGD:
        sgd_update(net->params, grad, net->n_params, cfg->lr);
        break;
    case OPT_MOMENTUM:
        momentum_update(net->params, opt->slot[0], grad, net->n_params, cfg->lr, cfg->momentum);
        break;
    }
    opt->steps++;
}

/* forward, loss, backward, update */
void trainer_epoch(Trainer *t, double *loss, double *acc)
{
    Network *net = t->net;
    const double *y = t->data->y;
    int n = t->data->n;
    const double *out = network_forward(net, t->ws);
    *loss = mse_forward(out, y, n);
    *acc = accuracy(out, y, n);
    mse_backward(t->dout, out, y, n);
    network_backward(net, t->ws, t->dout, t->grad);
    optimizer_step(&t->opt, &t->cfg, net, t->grad);
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

int network_predict(const Network *net, const Dataset *data, Engine engine, double *out)
{
    Workspace *ws = workspace_new(net, data->n, engine);
    if (!ws)
        return -1;
    network_set_inputs(ws, data->x, data->n);
    memcpy(out, network_forward(net, ws), (size_t)data->n * sizeof *out);
    workspace_free(ws);
    return 0;
}
