/* test_train.c - unit tests of train.h: the optimiser steps, what an epoch
 * reports, the training loop's statuses and history, determinism, and the
 * xor benchmark of the original project. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "network.h"
#include "plain.h"
#include "rng.h"
#include "testutil.h"
#include "train.h"

/* dLoss/dparams of net on data, computed apart from any Trainer. */
static void full_batch_gradient(const Network *net, const Dataset *data, double *grad)
{
    Workspace *ws = workspace_new(net, data->n, ENGINE_FAST);
    double *dout = malloc(sizeof(double) * (size_t)data->n);
    assert_true(ws && dout);
    network_set_inputs(ws, data->x, data->n);
    mse_backward(dout, network_forward(net, ws), data->y, data->n, 1);
    network_backward(net, ws, dout, grad);
    free(dout);
    workspace_free(ws);
}

/* A small network and the linear data set, both from seed. */
static void make_problem(Network *net, Dataset *data, Activation act, uint64_t seed)
{
    const int hidden[2] = {4, 3};
    Rng rng;
    rng_seed(&rng, seed);
    assert_int_equal(dataset_linear(data, DATASET_LINEAR_ROWS, &rng), 0);
    assert_int_equal(network_init(net, hidden, 2, 1, act, act, INIT_UNIFORM, &rng), 0);
}

static double *copy_params(const Network *net)
{
    double *p = malloc(sizeof(double) * net->n_params);
    assert_non_null(p);
    memcpy(p, net->params, sizeof(double) * net->n_params);
    return p;
}

/* ------------------------------------------------------------------------ */
/* Names and defaults                                                       */

static void optimizer_parse_accepts_names_and_rejects_others(void **state)
{
    (void)state;
    Optimizer opt = OPT_MOMENTUM;
    assert_int_equal(optimizer_parse("sgd", &opt), 0);
    assert_int_equal(opt, OPT_SGD);
    assert_int_equal(optimizer_parse("momentum", &opt), 0);
    assert_int_equal(opt, OPT_MOMENTUM);
    assert_string_equal(optimizer_name(OPT_SGD), "sgd");
    assert_string_equal(optimizer_name(OPT_MOMENTUM), "momentum");
    const char *names[] = {"nesterov", "rmsprop", "adam"};
    const Optimizer kinds[] = {OPT_NESTEROV, OPT_RMSPROP, OPT_ADAM};
    for (int k = 0; k < 3; k++) {
        assert_int_equal(optimizer_parse(names[k], &opt), 0);
        assert_int_equal(opt, kinds[k]);
        assert_string_equal(optimizer_name(kinds[k]), names[k]);
    }
    const char *bad[] = {"", "SGD", "adagrad", "momentum ", "mom", "Adam"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        opt = OPT_SGD;
        assert_int_equal(optimizer_parse(bad[k], &opt), -1);
        assert_int_equal(opt, OPT_SGD);
    }
}

static void default_config_is_the_original_projects(void **state)
{
    (void)state;
    TrainConfig cfg = train_config_default();
    assert_int_equal(cfg.epochs, 100000);
    assert_true(cfg.lr == 0.1);
    assert_int_equal(cfg.optimizer, OPT_SGD);
    assert_true(cfg.momentum == 0.9);
}

/* ------------------------------------------------------------------------ */
/* One epoch                                                                */

static void sgd_epoch_subtracts_lr_times_gradient(void **state)
{
    (void)state;
    Network net;
    Dataset data;
    make_problem(&net, &data, ACT_TANH, 1);
    double *before = copy_params(&net), *grad = malloc(sizeof(double) * net.n_params);
    assert_non_null(grad);
    full_batch_gradient(&net, &data, grad);

    TrainConfig cfg = train_config_default();
    cfg.lr = 0.3;
    Trainer t;
    assert_int_equal(trainer_init(&t, &net, &data, &cfg), 0);
    double loss, acc;
    trainer_epoch(&t, &loss, &acc);
    assert_int_equal(t.epoch, 1);
    int moved = 0;
    for (int p = 0; p < net.n_params; p++) {
        assert_close(net.params[p], before[p] - 0.3 * grad[p], 1e-12);
        moved += net.params[p] != before[p];
    }
    assert_true(moved > net.n_params / 2);

    trainer_free(&t);
    free(before);
    free(grad);
    network_free(&net);
    dataset_free(&data);
}

/* v1 = -lr g(w0),          w1 = w0 + v1
 * v2 = 0.9 v1 - lr g(w1),  w2 = w1 + v2 */
static void momentum_two_epochs_follow_velocity_rule(void **state)
{
    (void)state;
    const double lr = 0.3, beta = 0.9;
    Network net;
    Dataset data;
    make_problem(&net, &data, ACT_SIGMOID, 2);
    int np = net.n_params;
    double *w0 = copy_params(&net), *g = malloc(sizeof(double) * np);
    double *v1 = malloc(sizeof(double) * np), *w1 = malloc(sizeof(double) * np);
    assert_non_null(g);
    assert_non_null(v1);
    assert_non_null(w1);

    TrainConfig cfg = train_config_default();
    cfg.lr = lr;
    cfg.optimizer = OPT_MOMENTUM;
    cfg.momentum = beta;
    Trainer t;
    assert_int_equal(trainer_init(&t, &net, &data, &cfg), 0);
    double loss, acc;

    full_batch_gradient(&net, &data, g);
    trainer_epoch(&t, &loss, &acc);
    for (int p = 0; p < np; p++) {
        v1[p] = -lr * g[p];
        w1[p] = w0[p] + v1[p];
        assert_close(net.params[p], w1[p], 1e-12);
    }

    full_batch_gradient(&net, &data, g);
    trainer_epoch(&t, &loss, &acc);
    for (int p = 0; p < np; p++)
        assert_close(net.params[p], w1[p] + (beta * v1[p] - lr * g[p]), 1e-12);
    assert_int_equal(t.epoch, 2);

    trainer_free(&t);
    free(w0);
    free(g);
    free(v1);
    free(w1);
    network_free(&net);
    dataset_free(&data);
}

/* The loss and accuracy of an epoch are those of the parameters before its
 * update: the first epoch reports the freshly initialised network's. */
static void epoch_reports_loss_and_accuracy_before_its_update(void **state)
{
    (void)state;
    Network net;
    Dataset data;
    make_problem(&net, &data, ACT_SIGMOID, 3);
    double *pred = malloc(sizeof(double) * data.n);
    assert_non_null(pred);
    assert_int_equal(network_predict(&net, &data, ENGINE_FAST, LOSS_MSE, pred, NULL), 0);
    double loss0 = mse_forward(pred, data.y, data.n, 1), acc0 = accuracy(pred, data.y, data.n, 1);

    TrainConfig cfg = train_config_default();
    Trainer t;
    assert_int_equal(trainer_init(&t, &net, &data, &cfg), 0);
    double loss, acc;
    trainer_epoch(&t, &loss, &acc);
    assert_close(loss, loss0, 1e-14);
    assert_close(acc, acc0, 0);

    assert_int_equal(network_predict(&net, &data, ENGINE_FAST, LOSS_MSE, pred, NULL),
                     0); /* after epoch 1's update */
    double loss1 = mse_forward(pred, data.y, data.n, 1);
    trainer_epoch(&t, &loss, &acc);
    assert_close(loss, loss1, 1e-14);
    assert_true(loss1 < loss0); /* a small gradient step goes downhill */

    trainer_free(&t);
    free(pred);
    network_free(&net);
    dataset_free(&data);
}

/* network_predict gives every point's output, as one forward pass does. */
static void network_predict_matches_forward_pass(void **state)
{
    (void)state;
    Network net;
    Dataset data;
    make_problem(&net, &data, ACT_TANH, 4);
    double *pred = malloc(sizeof(double) * data.n);
    assert_non_null(pred);
    assert_int_equal(network_predict(&net, &data, ENGINE_FAST, LOSS_MSE, pred, NULL), 0);
    Workspace *ws = workspace_new(&net, 1, ENGINE_PLAIN);
    assert_non_null(ws);
    for (int k = 0; k < data.n; k++) {
        network_set_inputs(ws, data.x + 2 * k, 1);
        assert_close(pred[k], network_forward(&net, ws)[0], 1e-14);
    }
    workspace_free(ws);
    free(pred);
    network_free(&net);
    dataset_free(&data);
}

/* ------------------------------------------------------------------------ */
/* The training loop                                                        */

typedef struct {
    long stop_at; /* return false at this epoch */
    long calls;
    long last_epoch;
    bool epochs_in_order;
    const History *hist;
    bool values_match_history;
} StopCtx;

static bool stop_observer(long epoch, double loss, double acc, void *ctx)
{
    StopCtx *s = ctx;
    s->calls++;
    s->epochs_in_order &= epoch == s->last_epoch + 1;
    s->last_epoch = epoch;
    s->values_match_history &= s->hist->n == epoch && s->hist->loss[epoch - 1] == loss &&
                               s->hist->accuracy[epoch - 1] == acc;
    return epoch < s->stop_at;
}

static void train_runs_every_epoch_and_reports_done(void **state)
{
    (void)state;
    Network net;
    Dataset data;
    make_problem(&net, &data, ACT_SIGMOID, 5);
    TrainConfig cfg = train_config_default();
    cfg.epochs = 50;
    History h;
    assert_int_equal(history_alloc(&h, cfg.epochs), 0);
    StopCtx s = {
        .stop_at = 1000, .epochs_in_order = true, .hist = &h, .values_match_history = true};
    assert_int_equal(train(&net, &data, &cfg, &h, stop_observer, &s), TRAIN_DONE);
    assert_int_equal(h.n, 50);
    assert_int_equal(s.calls, 50);
    assert_true(s.epochs_in_order);
    assert_true(s.values_match_history);
    assert_true(h.loss[49] < h.loss[0]);
    history_free(&h);
    network_free(&net);
    dataset_free(&data);
}

static void observer_returning_false_stops_at_that_epoch(void **state)
{
    (void)state;
    Network net;
    Dataset data;
    make_problem(&net, &data, ACT_SIGMOID, 6);
    TrainConfig cfg = train_config_default();
    cfg.epochs = 1000;
    History h;
    assert_int_equal(history_alloc(&h, cfg.epochs), 0);
    StopCtx s = {.stop_at = 37, .epochs_in_order = true, .hist = &h, .values_match_history = true};
    assert_int_equal(train(&net, &data, &cfg, &h, stop_observer, &s), TRAIN_STOPPED);
    assert_int_equal(h.n, 37);
    assert_int_equal(s.calls, 37);
    assert_int_equal(s.last_epoch, 37);
    assert_true(s.epochs_in_order);
    assert_true(s.values_match_history);
    history_free(&h);
    network_free(&net);
    dataset_free(&data);
}

/* A linear network (activation none) on the linear data: gradient descent
 * with lr >= 100 overshoots more each epoch until the loss overflows, to
 * inf or straight to NaN depending on the rate; both must end the run. */
static void huge_learning_rate_diverges_and_history_ends_there(void **state)
{
    (void)state;
    const double rates[] = {1e2, 1e3, 1e4, 1e6};
    for (size_t r = 0; r < sizeof rates / sizeof *rates; r++) {
        Network net;
        Dataset data;
        make_problem(&net, &data, ACT_NONE, 7);
        TrainConfig cfg = train_config_default();
        cfg.epochs = 1000;
        cfg.lr = rates[r];
        History h;
        assert_int_equal(history_alloc(&h, cfg.epochs), 0);
        assert_int_equal(train(&net, &data, &cfg, &h, NULL, NULL), TRAIN_DIVERGED);
        assert_in_range(h.n, 2, cfg.epochs - 1);
        assert_false(isfinite(h.loss[h.n - 1]));
        for (long e = 0; e < h.n - 1; e++)
            assert_true(isfinite(h.loss[e]));
        history_free(&h);
        network_free(&net);
        dataset_free(&data);
    }
}

/* Weights thrown beyond max_param by an update end the run at that epoch,
 * even when the loss stays finite (sigmoid units saturate): with every
 * optimiser, full batch and mini-batches. */
static void weights_beyond_max_param_diverge_at_the_epoch_of_the_update(void **state)
{
    (void)state;
    for (int o = 0; o < OPT_COUNT; o++) {
        for (int batch = 0; batch <= 10; batch += 10) {
            Network net;
            Dataset data;
            make_problem(&net, &data, ACT_SIGMOID, 3);
            TrainConfig cfg = train_config_default();
            cfg.epochs = 50;
            cfg.optimizer = (Optimizer)o;
            cfg.lr = o == OPT_RMSPROP || o == OPT_ADAM ? 1e120 : 1e300;
            cfg.batch_size = batch;
            cfg.max_param = 1e100;
            History h;
            assert_int_equal(history_alloc(&h, cfg.epochs), 0);
            assert_int_equal(train(&net, &data, &cfg, &h, NULL, NULL), TRAIN_DIVERGED);
            assert_int_equal(h.n, 1);
            int beyond = 0;
            for (int p = 0; p < net.n_params; p++)
                beyond |= !(fabs(net.params[p]) <= 1e100);
            assert_true(beyond);
            history_free(&h);
            network_free(&net);
            dataset_free(&data);
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Determinism                                                              */

/* Seeded data and network, 300 epochs of momentum on tanh 4-3. */
static void seeded_run(uint64_t seed, History *h, Network *net)
{
    Dataset data;
    make_problem(net, &data, ACT_TANH, seed);
    TrainConfig cfg = train_config_default();
    cfg.epochs = 300;
    cfg.optimizer = OPT_MOMENTUM;
    assert_int_equal(history_alloc(h, cfg.epochs), 0);
    assert_int_equal(train(net, &data, &cfg, h, NULL, NULL), TRAIN_DONE);
    dataset_free(&data);
}

static void same_seed_gives_bit_identical_run(void **state)
{
    (void)state;
    History a, b;
    Network na, nb;
    seeded_run(42, &a, &na);
    seeded_run(42, &b, &nb);
    assert_int_equal(a.n, 300);
    assert_int_equal(b.n, 300);
    assert_memory_equal(a.loss, b.loss, sizeof(double) * a.n);
    assert_memory_equal(a.accuracy, b.accuracy, sizeof(double) * a.n);
    assert_int_equal(na.n_params, nb.n_params);
    assert_memory_equal(na.params, nb.params, sizeof(double) * na.n_params);
    history_free(&a);
    history_free(&b);
    network_free(&na);
    network_free(&nb);
}

static void different_seed_gives_different_run(void **state)
{
    (void)state;
    History a, b;
    Network na, nb;
    seeded_run(42, &a, &na);
    seeded_run(43, &b, &nb);
    assert_memory_not_equal(a.loss, b.loss, sizeof(double) * a.n);
    assert_memory_not_equal(na.params, nb.params, sizeof(double) * na.n_params);
    history_free(&a);
    history_free(&b);
    network_free(&na);
    network_free(&nb);
}

/* ------------------------------------------------------------------------ */
/* The xor benchmark: 100000 epochs of sgd, lr 0.1, 2-16-16-1, seed 0       */

static TrainStatus train_xor(Activation act, History *h)
{
    const int hidden[2] = {16, 16};
    Rng rng;
    rng_seed(&rng, 0);
    Dataset data;
    Network net;
    assert_int_equal(dataset_xor(&data), 0);
    assert_int_equal(network_init(&net, hidden, 2, 1, act, act, INIT_UNIFORM, &rng), 0);
    TrainConfig cfg = train_config_default(); /* 100000 epochs, sgd, lr 0.1 */
    assert_int_equal(history_alloc(h, cfg.epochs), 0);
    TrainStatus status = train(&net, &data, &cfg, h, NULL, NULL);
    network_free(&net);
    dataset_free(&data);
    return status;
}

static void xor_sigmoid_16_16_reaches_full_accuracy(void **state)
{
    (void)state;
    History h;
    assert_int_equal(train_xor(ACT_SIGMOID, &h), TRAIN_DONE);
    assert_int_equal(h.n, 100000);
    long first = -1;
    for (long e = 0; e < h.n && first < 0; e++)
        if (h.accuracy[e] == 1.0)
            first = e + 1;
    assert_true(first > 0);
    assert_true(h.accuracy[h.n - 1] == 1.0);
    assert_true(h.loss[h.n - 1] < h.loss[0]);
    history_free(&h);
}

/* With no activation the network is affine in its input, and no line
 * separates (0,0), (1,1) (label 0) from (0,1), (1,0) (label 1). */
static void xor_linear_network_never_reaches_full_accuracy(void **state)
{
    (void)state;
    History h;
    train_xor(ACT_NONE, &h);
    assert_true(h.n > 0);
    for (long e = 0; e < h.n; e++)
        assert_true(h.accuracy[e] < 1.0);
    history_free(&h);
}

/* ------------------------------------------------------------------------ */
/* Each optimiser's first three updates, by hand                            */

/* One parameter from 1.0, lr 0.1, gradients 0.5, -1 and 2 in turn; a second
 * parameter whose gradient is always 0 must not move.
 *   sgd:      p = 1 - 0.05 = 0.95, + 0.1 = 1.05, - 0.2 = 0.85
 *   momentum (beta 0.9): v = -0.05, p = 0.95; v = -0.045 + 0.1 = 0.055,
 *             p = 1.005; v = 0.0495 - 0.2 = -0.1505, p = 0.8545
 *   nesterov: v as momentum; p = 1 + 0.9(-0.05) - 0.05 = 0.905,
 *             + 0.9(0.055) + 0.1 = 1.0545, + 0.9(-0.1505) - 0.2 = 0.71905
 *   rmsprop (rho 0.9): s = 0.025, p = 1 - 0.05 / 0.1581139 = 0.6837722;
 *             s = 0.0225 + 0.1 = 0.1225 = 0.35^2, p += 0.1 / 0.35 -> 0.9694865;
 *             s = 0.11025 + 0.4 = 0.51025, p -= 0.2 / 0.7143178 -> 0.6894991
 *   adam (0.9, 0.999): m = 0.05, v = 0.00025, corrected 0.5 and 0.25,
 *             p = 1 - 0.1 (0.5 / 0.5) = 0.9;
 *             m = -0.055, v = 0.00124975, corrected -0.2894737 and 0.6251876,
 *             p = 0.9 + 0.1 (0.2894737 / 0.7906881) = 0.9366104;
 *             m = 0.1505, v = 0.0052485, corrected 0.5553506 and 1.7512510,
 *             p = 0.9366104 - 0.1 (0.5553506 / 1.3233484) = 0.8946448 */
static void optimizers_first_three_updates_match_hand_values(void **state)
{
    (void)state;
    const double grads[3] = {0.5, -1.0, 2.0}, lr = 0.1, eps = 1e-8;
    const double expected[5][3] = {
        {0.95, 1.05, 0.85},          {0.95, 1.005, 0.8545},
        {0.905, 1.0545, 0.71905},    {0.6837722, 0.9694865, 0.6894991},
        {0.9, 0.9366104, 0.8946448},
    };
    for (int o = 0; o < 5; o++) {
        double p[2] = {1.0, 0.25}, s0[2] = {0}, s1[2] = {0};
        for (int t = 0; t < 3; t++) {
            double g[2] = {grads[t], 0.0};
            switch (o) {
            case 0:
                sgd_update(p, g, 2, lr, DBL_MAX);
                break;
            case 1:
                momentum_update(p, s0, g, 2, lr, 0.9, DBL_MAX);
                break;
            case 2:
                nesterov_update(p, s0, g, 2, lr, 0.9, DBL_MAX);
                break;
            case 3:
                rmsprop_update(p, s0, g, 2, lr, 0.9, eps, DBL_MAX);
                break;
            case 4:
                adam_update(p, s0, s1, g, 2, lr, 0.9, 0.999, eps, t + 1, DBL_MAX);
                break;
            }
            assert_close(p[0], expected[o][t], 1e-7);
            assert_true(p[1] == 0.25);
        }
    }
}

/* Weight decay adds l2 w to each weight's gradient and leaves the biases'
 * alone; training with it reports the data's loss (the same as without it
 * at the first epoch, before any update). */
static void l2_adds_to_weight_gradients_only(void **state)
{
    (void)state;
    Network net;
    Dataset data;
    make_problem(&net, &data, ACT_SIGMOID, 5);
    double *grad = network_params_like(&net), *with = network_params_like(&net);
    assert_true(grad && with);
    l2_backward(&net, with, 0.5);
    double *dW[NET_MAX_LAYERS], *db[NET_MAX_LAYERS];
    network_views(&net, with, dW, db);
    for (int l = 0; l < net.n_layers; l++) {
        for (int k = 0; k < net.sizes[l + 1] * net.sizes[l]; k++)
            assert_true(dW[l][k] == 0.5 * net.W[l][k]);
        for (int k = 0; k < net.sizes[l + 1]; k++)
            assert_true(db[l][k] == 0.0);
    }
    TrainConfig cfg = train_config_default(), decayed = cfg;
    decayed.l2 = 0.01;
    Trainer a, b;
    Network copy;
    assert_int_equal(network_alloc(&copy, (const int[]){4, 3}, 2, 1, ACT_SIGMOID, ACT_SIGMOID), 0);
    memcpy(copy.params, net.params, sizeof(double) * net.n_params);
    assert_int_equal(trainer_init(&a, &net, &data, &cfg), 0);
    assert_int_equal(trainer_init(&b, &copy, &data, &decayed), 0);
    double la, lb, acc;
    trainer_epoch(&a, &la, &acc);
    trainer_epoch(&b, &lb, &acc);
    assert_true(la == lb);
    assert_false(memcmp(net.params, copy.params, sizeof(double) * net.n_params) == 0);
    trainer_free(&a);
    trainer_free(&b);
    free(grad);
    free(with);
    network_free(&copy);
    network_free(&net);
    dataset_free(&data);
}

/* Clipping scales a gradient longer than the limit down to it, direction
 * kept, and leaves a shorter one alone; an sgd epoch with clip c then moves
 * the parameters by exactly lr c when their gradient is longer than c. */
static void clip_scales_long_gradients_to_the_limit(void **state)
{
    (void)state;
    double g[2] = {3.0, 4.0}; /* length 5 */
    clip_norm(g, 2, 1.0);
    assert_close(g[0], 0.6, 1e-15);
    assert_close(g[1], 0.8, 1e-15);
    double kept[2] = {g[0], g[1]};
    clip_norm(g, 2, 10.0);
    assert_true(g[0] == kept[0] && g[1] == kept[1]);

    Network net;
    Dataset data;
    make_problem(&net, &data, ACT_SIGMOID, 8);
    double *before = copy_params(&net);
    TrainConfig cfg = train_config_default();
    cfg.clip = 1e-4; /* far below this gradient's length */
    Trainer t;
    assert_int_equal(trainer_init(&t, &net, &data, &cfg), 0);
    double loss, acc, moved = 0.0;
    trainer_epoch(&t, &loss, &acc);
    for (int p = 0; p < net.n_params; p++)
        moved += (net.params[p] - before[p]) * (net.params[p] - before[p]);
    assert_close(sqrt(moved), cfg.lr * cfg.clip, 1e-9);
    trainer_free(&t);
    free(before);
    network_free(&net);
    dataset_free(&data);
}

/* The schedules' rates, by their formulas at chosen epochs. */
static void schedules_give_the_documented_rates(void **state)
{
    (void)state;
    TrainConfig c = train_config_default();
    c.lr = 0.2, c.epochs = 1000, c.lr_step = 100, c.lr_gamma = 0.5;
    assert_true(train_learning_rate(&c, 0) == 0.2 && train_learning_rate(&c, 999) == 0.2);
    c.schedule = SCHEDULE_STEP;
    assert_close(train_learning_rate(&c, 99), 0.2, 1e-15);
    assert_close(train_learning_rate(&c, 100), 0.1, 1e-15);
    assert_close(train_learning_rate(&c, 250), 0.05, 1e-15);
    c.schedule = SCHEDULE_COSINE;
    assert_close(train_learning_rate(&c, 0), 0.2, 1e-15);
    assert_close(train_learning_rate(&c, 500), 0.1, 1e-15);
    assert_true(train_learning_rate(&c, 999) < 1e-5);
    c.schedule = SCHEDULE_INVERSE;
    assert_close(train_learning_rate(&c, 100), 0.1, 1e-15);
    assert_close(train_learning_rate(&c, 300), 0.05, 1e-15);
}

/* Mini-batches: the same seed shuffles the same way (the same run twice),
 * another seed another way; the loss recorded is the whole set's after the
 * epoch's updates; batches of every size (10, and 32 leaving a last batch
 * of 4) learn the linear set. */
static void minibatch_epochs_record_the_whole_sets_loss_after_updating(void **state)
{
    (void)state;
    const int sizes[2] = {10, 32};
    for (int s = 0; s < 2; s++) {
        Network net, again;
        Dataset data;
        make_problem(&net, &data, ACT_SIGMOID, 6);
        assert_int_equal(network_alloc(&again, (const int[]){4, 3}, 2, 1, ACT_SIGMOID, ACT_SIGMOID),
                         0);
        memcpy(again.params, net.params, sizeof(double) * net.n_params);
        TrainConfig cfg = train_config_default();
        cfg.batch_size = sizes[s];
        cfg.lr = 0.5;
        Trainer t, u, other;
        Network third;
        assert_int_equal(network_alloc(&third, (const int[]){4, 3}, 2, 1, ACT_SIGMOID, ACT_SIGMOID),
                         0);
        memcpy(third.params, net.params, sizeof(double) * net.n_params);
        TrainConfig reseeded = cfg;
        reseeded.seed = 1;
        assert_int_equal(trainer_init(&other, &third, &data, &reseeded), 0);
        assert_int_equal(trainer_init(&t, &net, &data, &cfg), 0);
        assert_int_equal(trainer_init(&u, &again, &data, &cfg), 0);
        double l_other, a_other, l_first, a_first, loss2, acc2;
        trainer_epoch(&other, &l_other, &a_other);
        trainer_epoch(&t, &l_first, &a_first);
        trainer_epoch(&u, &loss2, &acc2);
        assert_true(l_first == loss2 && l_first != l_other); /* the shuffles */
        trainer_free(&other);
        network_free(&third);
        double loss = 0, acc = 0, first = 0;
        for (int e = 1; e < 1000; e++) {
            trainer_epoch(&t, &loss, &acc);
            trainer_epoch(&u, &loss2, &acc2);
            assert_true(loss == loss2);
            first = e == 1 ? l_first : first;
        }
        double *pred = malloc(sizeof(double) * data.n), after;
        assert_non_null(pred);
        assert_int_equal(network_predict(&net, &data, ENGINE_FAST, LOSS_MSE, pred, &after), 0);
        assert_true(after == loss); /* the whole set, after the last update */
        assert_true(loss < first / 4 && acc >= 0.9);
        assert_int_equal(t.opt.steps, 1000 * ((data.n + sizes[s] - 1) / sizes[s]));
        trainer_free(&t);
        trainer_free(&u);
        free(pred);
        network_free(&net);
        network_free(&again);
        dataset_free(&data);
    }
}

/* Each early stop ends the history at the epoch that met it. */
static void early_stops_end_the_history_where_they_are_met(void **state)
{
    (void)state;
    for (int kind = 0; kind < 3; kind++) {
        Network net;
        Dataset data;
        make_problem(&net, &data, ACT_SIGMOID, 7);
        TrainConfig cfg = train_config_default();
        cfg.epochs = 20000;
        if (kind == 0)
            cfg.stop_loss = 0.1;
        else if (kind == 1)
            cfg.stop_accuracy = 0.9;
        else
            cfg.patience = 5, cfg.lr = 50.0; /* bounces: soon no lower loss */
        History h;
        assert_int_equal(history_alloc(&h, cfg.epochs), 0);
        TrainStatus st = train(&net, &data, &cfg, &h, NULL, NULL);
        assert_true(h.n < cfg.epochs);
        long last = h.n - 1;
        if (kind == 0) {
            assert_int_equal(st, TRAIN_REACHED_LOSS);
            assert_true(h.loss[last] <= 0.1);
            for (long e = 0; e < last; e++)
                assert_true(h.loss[e] > 0.1);
        } else if (kind == 1) {
            assert_int_equal(st, TRAIN_REACHED_ACCURACY);
            assert_true(h.accuracy[last] >= 0.9);
            for (long e = 0; e < last; e++)
                assert_true(h.accuracy[e] < 0.9);
        } else {
            assert_int_equal(st, TRAIN_NO_PROGRESS);
            double best = INFINITY;
            long best_at = 0;
            for (long e = 0; e <= last; e++)
                if (h.loss[e] < best)
                    best = h.loss[e], best_at = e;
            assert_int_equal(last - best_at, 5);
        }
        history_free(&h);
        network_free(&net);
        dataset_free(&data);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(optimizer_parse_accepts_names_and_rejects_others),
        cmocka_unit_test(optimizers_first_three_updates_match_hand_values),
        cmocka_unit_test(l2_adds_to_weight_gradients_only),
        cmocka_unit_test(clip_scales_long_gradients_to_the_limit),
        cmocka_unit_test(schedules_give_the_documented_rates),
        cmocka_unit_test(minibatch_epochs_record_the_whole_sets_loss_after_updating),
        cmocka_unit_test(early_stops_end_the_history_where_they_are_met),
        cmocka_unit_test(default_config_is_the_original_projects),
        cmocka_unit_test(sgd_epoch_subtracts_lr_times_gradient),
        cmocka_unit_test(momentum_two_epochs_follow_velocity_rule),
        cmocka_unit_test(epoch_reports_loss_and_accuracy_before_its_update),
        cmocka_unit_test(network_predict_matches_forward_pass),
        cmocka_unit_test(train_runs_every_epoch_and_reports_done),
        cmocka_unit_test(observer_returning_false_stops_at_that_epoch),
        cmocka_unit_test(huge_learning_rate_diverges_and_history_ends_there),
        cmocka_unit_test(weights_beyond_max_param_diverge_at_the_epoch_of_the_update),
        cmocka_unit_test(same_seed_gives_bit_identical_run),
        cmocka_unit_test(different_seed_gives_different_run),
        cmocka_unit_test(xor_sigmoid_16_16_reaches_full_accuracy),
        cmocka_unit_test(xor_linear_network_never_reaches_full_accuracy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
