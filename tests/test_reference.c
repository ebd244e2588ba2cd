/* test_reference.c - the fast engine against the plain one.
 *
 * The fast engine's kernels are tiled, vectorised and fused, and its sigmoid
 * and tanh are its own (fastmath.h). None of that may change what training
 * computes beyond rounding. So every configuration here is trained twice,
 * once by each engine (network.h): the plain engine of src/core/plain.c is
 * the textbook - a batch of plain loops, libm's exp and tanh - and the two
 * loss histories must agree to 1e-9 relative over 10,000 epochs, on every
 * pair of hidden and output activations, both optimisers, both built-in
 * data sets and odd shapes; the accuracies exactly.
 *
 * Also here: repeated runs (and runs on several threads at once) are
 * bit-identical; the dense kernels match naive loops on every tile edge;
 * fastmath's exp, sigmoid and tanh are within a few ulps of a long double
 * libm and right at the special values. No timing: see `make bench`.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "fast.h"
#include "fastmath.h"
#include "network.h"
#include "plain.h"
#include "rng.h"
#include "testutil.h"
#include "train.h"

static const Activation all_activations[ACT_HIDDEN_COUNT] = {ACT_SIGMOID, ACT_TANH, ACT_RELU, ACT_NONE};

/* ------------------------------------------------------------------------ */
/* The fast engine against the plain one                                    */

/* Losses are compared relative to their size, down to 1e-6; below that, to
 * 1e-6 in absolute terms. A loss is a mean of squared errors e^2, and near
 * zero its relative rounding error grows like (that of e) / e: two exact
 * implementations part there however carefully either is written. */
#define LOSS_FLOOR 1e-6

typedef struct {
    const char *data; /* a data set of dataset.h */
    int n_points;     /* linear only; xor has its 21 */
    int n_hidden;
    int hidden[2];
    Activation act, out_act;
    Optimizer opt;
    long epochs;
    uint64_t seed;
    /* besides the defaults (0: the default's) */
    double lr;
    Loss loss;
    int batch_size;
    double l2;
    Schedule schedule;
    int outputs; /* 0: 1, the two classes' single output */
} RefCase;

typedef struct {
    Dataset data;
    Network fast, plain; /* the same initial network, for each engine */
    TrainConfig fast_cfg, plain_cfg;
} Pair;

static void pair_init(Pair *p, const RefCase *c)
{
    Rng rng; /* the data set, then the weights */
    rng_seed(&rng, c->seed);
    const DatasetInfo *d = dataset_find(c->data);
    assert_non_null(d);
    assert_int_equal(d->generate(&p->data, c->n_points ? c->n_points : d->points, &rng), 0);
    int k = c->outputs ? c->outputs : 1;
    assert_int_equal(
        network_init(&p->fast, c->hidden, c->n_hidden, k, c->act, c->out_act, INIT_UNIFORM, &rng),
        0);
    assert_int_equal(network_alloc(&p->plain, c->hidden, c->n_hidden, k, c->act, c->out_act), 0);
    memcpy(p->plain.params, p->fast.params, sizeof(double) * p->fast.n_params);
    p->fast_cfg = train_config_default();
    p->fast_cfg.epochs = c->epochs;
    p->fast_cfg.optimizer = c->opt;
    p->fast_cfg.lr = c->lr > 0 ? c->lr : p->fast_cfg.lr;
    p->fast_cfg.loss = c->loss;
    p->fast_cfg.batch_size = c->batch_size;
    p->fast_cfg.l2 = c->l2;
    p->fast_cfg.schedule = c->schedule;
    p->fast_cfg.seed = c->seed;
    p->plain_cfg = p->fast_cfg;
    p->plain_cfg.engine = ENGINE_PLAIN;
}

static void pair_free(Pair *p)
{
    network_free(&p->fast);
    network_free(&p->plain);
    dataset_free(&p->data);
}

/* What went wrong first, if anything: the checks below note a disagreement
 * here and stop, and the test fails only once its buffers are freed, so that
 * a failure is not followed by leak reports. */
typedef struct {
    char what[512];
} Verdict;

static void describe_case(const Pair *p, char *buf, size_t len)
{
    snprintf(buf, len, "%s hidden, %s output, %s, %d points", activation_name(p->fast.hidden_act),
             activation_name(p->fast.output_act), optimizer_name(p->fast_cfg.optimizer), p->data.n);
}

static bool epoch_agrees(const Pair *p, long e, double loss, double acc, double ref_loss,
                         double ref_acc, double tol, Verdict *v)
{
    if (rel_err_floor(loss, ref_loss, LOSS_FLOOR) <= tol && acc == ref_acc)
        return true;
    char about[256];
    describe_case(p, about, sizeof about);
    snprintf(v->what, sizeof v->what, "%s, epoch %ld: fast loss %.17g accuracy %g, plain %.17g %g",
             about, e + 1, loss, acc, ref_loss, ref_acc);
    return false;
}

/* Parameters relative to their size, down to 0.01 (they start in
 * [-0.5, 0.5) and move by sums of terms of about that size). rmsprop and
 * adam divide each step by its gradient's own size, so a small gradient's
 * relative rounding error (up to 1e-11 where its terms cancel) moves the
 * parameter by lr times that however small the gradient: for them the
 * floor is 1, an absolute tolerance. */
static bool params_agree(const Pair *p, double tol, Verdict *v)
{
    Optimizer opt = p->fast_cfg.optimizer;
    double floor = opt == OPT_RMSPROP || opt == OPT_ADAM ? 1.0 : 0.01;
    for (int k = 0; k < p->plain.n_params; k++)
        if (!(rel_err_floor(p->fast.params[k], p->plain.params[k], floor) <= tol)) {
            char about[256];
            describe_case(p, about, sizeof about);
            snprintf(v->what, sizeof v->what, "%s: parameter %d is %.17g, plain %.17g", about, k,
                     p->fast.params[k], p->plain.params[k]);
            return false;
        }
    return true;
}

/* Each engine on its own from the same start for c->epochs epochs: every
 * epoch's loss within 1e-9 relative, the accuracy exact, and the final
 * parameters within 1e-9. A run that diverges (the linear network with
 * momentum on xor does) must diverge at the same epoch with both. */
static void check_free_running(const RefCase *c)
{
    Pair p;
    pair_init(&p, c);
    History h, ref;
    assert_int_equal(history_alloc(&h, c->epochs), 0);
    assert_int_equal(history_alloc(&ref, c->epochs), 0);
    TrainStatus st = train(&p.fast, &p.data, &p.fast_cfg, &h, NULL, NULL);
    TrainStatus ref_st = train(&p.plain, &p.data, &p.plain_cfg, &ref, NULL, NULL);
    Verdict v = {""};
    if ((st != TRAIN_DONE && st != TRAIN_DIVERGED) || st != ref_st || h.n != ref.n)
        snprintf(v.what, sizeof v.what, "fast: status %d after %ld epochs, plain: %d after %ld",
                 (int)st, h.n, (int)ref_st, ref.n);
    else if (st == TRAIN_DONE && h.n != c->epochs)
        snprintf(v.what, sizeof v.what, "train() ran %ld epochs of %ld", h.n, c->epochs);
    else
        for (long e = 0; e < h.n - (st == TRAIN_DIVERGED); e++)
            if (!epoch_agrees(&p, e, h.loss[e], h.accuracy[e], ref.loss[e], ref.accuracy[e], 1e-9,
                              &v))
                break;
    if (!v.what[0] && st == TRAIN_DONE)
        params_agree(&p, 1e-9, &v);
    history_free(&h);
    history_free(&ref);
    pair_free(&p);
    if (v.what[0])
        fail_msg("%s", v.what);
}

/* Every epoch of the fast engine against one epoch of the plain one from
 * the same parameters (and optimiser state): no room for differences to
 * build up, so the tolerance is 1e-12, and chaotic runs are covered too. */
static void check_epoch_by_epoch(const RefCase *c)
{
    Pair p;
    pair_init(&p, c);
    Trainer t, ref;
    assert_int_equal(trainer_init(&t, &p.fast, &p.data, &p.fast_cfg), 0);
    assert_int_equal(trainer_init(&ref, &p.plain, &p.data, &p.plain_cfg), 0);
    size_t bytes = sizeof(double) * (size_t)p.fast.n_params;
    Verdict v = {""};
    for (long e = 0; e < c->epochs; e++) {
        memcpy(p.plain.params, p.fast.params, bytes);
        for (int s = 0; s < OPT_MAX_SLOTS; s++)
            if (t.opt.slot[s])
                memcpy(ref.opt.slot[s], t.opt.slot[s], bytes);
        double loss, acc, ref_loss, ref_acc;
        trainer_epoch(&t, &loss, &acc);
        trainer_epoch(&ref, &ref_loss, &ref_acc);
        if (!isfinite(loss) && !isfinite(ref_loss))
            break; /* both diverged here */
        if (!epoch_agrees(&p, e, loss, acc, ref_loss, ref_acc, 1e-12, &v) ||
            !params_agree(&p, 1e-12, &v))
            break;
    }
    trainer_free(&t);
    trainer_free(&ref);
    pair_free(&p);
    if (v.what[0])
        fail_msg("%s", v.what);
}

/* Training is chaotic for many initial networks: a difference in the last
 * bit grows until two runs part. xor with tanh and plain gradient descent
 * does so for 13 of the first 15 seeds (seed 42: by epoch ~1670), and relu
 * with momentum where a unit's input crosses 0. Two correct engines part
 * there however carefully either is written, so no engine can be held to
 * 1e-9 there over 10,000 epochs; for seed 9 no configuration below is
 * chaotic. The epoch-by-epoch checks cover seed 42 and its chaos. */
#define CALM_SEED 9
#define CHAOTIC_SEED 42

/* The reference configuration and its variants: 2-16-16-1 on the
 * 100-point linear set and on the 21-point xor set, every activation (the
 * output's the same), the original's optimisers. */
static void fast_matches_plain_for_10000_epochs(void **state)
{
    (void)state;
    const Optimizer opts[] = {OPT_SGD, OPT_MOMENTUM};
    for (int o = 0; o < 2; o++)
        for (int a = 0; a < ACT_HIDDEN_COUNT; a++) {
            Activation act = all_activations[a];
            RefCase lin = {.data = "linear",
                           .n_points = 100,
                           .n_hidden = 2,
                           .hidden = {16, 16},
                           .act = act,
                           .out_act = act,
                           .opt = opts[o],
                           .epochs = 10000,
                           .seed = CALM_SEED};
            RefCase xor = {.data = "xor",
                           .n_points = 0,
                           .n_hidden = 2,
                           .hidden = {16, 16},
                           .act = act,
                           .out_act = act,
                           .opt = opts[o],
                           .epochs = 10000,
                           .seed = CALM_SEED};
            check_free_running(&lin);
            check_free_running(&xor);
        }
}

/* The other optimisers, each at the learning rate of its experiment, on
 * runs that are not chaotic. Those are fewer: rmsprop and adam scale each
 * parameter's step by the size of its own gradient, so near a minimum they
 * keep stepping about lr back and forth whatever the gradient, and most of
 * their runs part after a few hundred epochs (their epoch-by-epoch checks
 * below cover those). The seeds here were found by running both engines
 * (relu under rmsprop and adam, on the first 16 seeds, either dies at once,
 * which would compare nothing, or parts). */
static void every_optimizer_matches_plain_for_10000_epochs(void **state)
{
    (void)state;
    const struct {
        Optimizer opt;
        double lr;
        Activation act;
        const char *data;
        uint64_t seed;
    } cases[] = {
        {OPT_NESTEROV, 0.1, ACT_SIGMOID, "linear", 0},
        {OPT_NESTEROV, 0.1, ACT_SIGMOID, "xor", 0},
        {OPT_NESTEROV, 0.1, ACT_TANH, "linear", 0},
        {OPT_NESTEROV, 0.1, ACT_RELU, "linear", 2},
        {OPT_RMSPROP, 0.001, ACT_SIGMOID, "linear", 5},
        {OPT_RMSPROP, 0.001, ACT_SIGMOID, "xor", 10},
        {OPT_ADAM, 0.001, ACT_SIGMOID, "linear", 0},
        {OPT_ADAM, 0.001, ACT_SIGMOID, "xor", 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        RefCase c = {.data = cases[k].data,
                     .n_points = 0,
                     .n_hidden = 2,
                     .hidden = {16, 16},
                     .act = cases[k].act,
                     .out_act = cases[k].act,
                     .opt = cases[k].opt,
                     .epochs = 10000,
                     .seed = cases[k].seed,
                     .lr = cases[k].lr};
        check_free_running(&c);
    }
}

/* Binary cross-entropy on a sigmoid output under every hidden activation;
 * mini-batches of 10 and of 32 (the last batch 4), each engine shuffling
 * the same way; weight decay; the schedules. */
static void losses_batches_decay_and_schedules_match_plain_for_10000_epochs(void **state)
{
    (void)state;
    for (int a = 0; a < ACT_HIDDEN_COUNT; a++) {
        Activation act = all_activations[a];
        RefCase bce = {.data = "linear",
                       .n_points = 100,
                       .n_hidden = 2,
                       .hidden = {16, 16},
                       .act = act,
                       .out_act = ACT_SIGMOID,
                       .opt = OPT_SGD,
                       .epochs = 10000,
                       .seed = CALM_SEED,
                       .lr = 0.1,
                       .loss = LOSS_BCE};
        check_free_running(&bce);
    }
    const int batches[] = {10, 32};
    const Optimizer opts[] = {OPT_SGD, OPT_ADAM};
    const double lrs[] = {0.1, 0.001};
    for (int b = 0; b < 2; b++)
        for (int o = 0; o < 2; o++) {
            RefCase mb = {.data = "linear",
                          .n_points = 100,
                          .n_hidden = 2,
                          .hidden = {16, 16},
                          .act = ACT_SIGMOID,
                          .out_act = ACT_SIGMOID,
                          .opt = opts[o],
                          .epochs = 10000,
                          .seed = 0,
                          .lr = lrs[o],
                          .loss = LOSS_MSE,
                          .batch_size = batches[b]};
            check_free_running(&mb);
        }
    RefCase l2 = {.data = "xor",
                  .n_points = 0,
                  .n_hidden = 2,
                  .hidden = {16, 16},
                  .act = ACT_TANH,
                  .out_act = ACT_TANH,
                  .opt = OPT_MOMENTUM,
                  .epochs = 10000,
                  .seed = CALM_SEED,
                  .lr = 0.05,
                  .loss = LOSS_MSE,
                  .batch_size = 0,
                  .l2 = 1e-3};
    check_free_running(&l2);
    for (int sch = SCHEDULE_STEP; sch < SCHEDULE_COUNT; sch++) {
        RefCase c = {.data = "linear",
                     .n_points = 100,
                     .n_hidden = 2,
                     .hidden = {16, 16},
                     .act = ACT_SIGMOID,
                     .out_act = ACT_SIGMOID,
                     .opt = OPT_SGD,
                     .epochs = 10000,
                     .seed = CALM_SEED,
                     .lr = 0.1,
                     .loss = LOSS_MSE,
                     .batch_size = 0,
                     .l2 = 0,
                     .schedule = (Schedule)sch};
        check_free_running(&c);
    }
}

/* Every pair of a hidden activation and a different output activation,
 * over 10000 epochs on the linear set; the calm seed keeps every pair's
 * run from parting by chaos. */
static void fast_matches_plain_with_separate_output_activation(void **state)
{
    (void)state;
    for (int a = 0; a < ACT_HIDDEN_COUNT; a++)
        for (int o = 0; o < ACT_HIDDEN_COUNT; o++) {
            if (a == o)
                continue; /* covered above */
            RefCase c = {.data = "linear",
                         .n_points = 100,
                         .n_hidden = 2,
                         .hidden = {16, 16},
                         .act = all_activations[a],
                         .out_act = all_activations[o],
                         .opt = OPT_SGD,
                         .epochs = 10000,
                         .seed = CALM_SEED};
            check_free_running(&c);
        }
}

/* Every optimiser from chaotic starts, sgd, momentum and nesterov at the
 * original's learning rate (which sends some runs to infinity: both
 * engines must get there at the same epoch), rmsprop and adam at their
 * experiment's; on both losses and with mini-batches. (At lr 0.1 the
 * adaptive optimisers' steps are 0.1 or more whatever a gradient's size, so
 * a gradient's relative rounding error, up to 1e-12 where its terms cancel,
 * moves a parameter by 1e-13: as far from 1e-12 as one epoch allows.) */
/* K classes: softmax outputs with ce and with mse, sigmoid outputs with
 * mse against one-hot targets, full batch and mini-batches with adam, and
 * two classes as two softmax outputs. */
static void k_classes_match_plain_for_10000_epochs(void **state)
{
    (void)state;
    for (int a = 0; a < ACT_HIDDEN_COUNT; a++) {
        RefCase ce = {.data = "spiral3",
                      .n_hidden = 2,
                      .hidden = {16, 16},
                      .act = all_activations[a],
                      .out_act = ACT_SOFTMAX,
                      .opt = OPT_SGD,
                      .epochs = 10000,
                      .seed = CALM_SEED,
                      .lr = 0.1,
                      .loss = LOSS_CE,
                      .outputs = 3};
        check_free_running(&ce);
    }
    RefCase cases[] = {
        {.data = "blobs3", .n_hidden = 1, .hidden = {8}, .act = ACT_TANH, .out_act = ACT_SOFTMAX,
         .opt = OPT_SGD, .epochs = 10000, .seed = CALM_SEED, .lr = 0.1, .loss = LOSS_MSE,
         .outputs = 3},
        {.data = "blobs3", .n_hidden = 2, .hidden = {5, 3}, .act = ACT_SIGMOID,
         .out_act = ACT_SIGMOID, .opt = OPT_SGD, .epochs = 10000, .seed = CALM_SEED, .lr = 0.5,
         .loss = LOSS_MSE, .outputs = 3},
        {.data = "spiral3", .n_hidden = 2, .hidden = {16, 16}, .act = ACT_TANH,
         .out_act = ACT_SOFTMAX, .opt = OPT_ADAM, .epochs = 2000, .seed = CALM_SEED, .lr = 0.001,
         .loss = LOSS_CE, .batch_size = 32, .outputs = 3},
        {.data = "moons", .n_hidden = 2, .hidden = {16, 16}, .act = ACT_RELU,
         .out_act = ACT_SOFTMAX, .opt = OPT_SGD, .epochs = 10000, .seed = CALM_SEED, .lr = 0.1,
         .loss = LOSS_CE, .outputs = 2},        /* chunks of several blocks (parallel.h), each block's rows of outputs */
        {.data = "spiral3", .n_points = 30000, .n_hidden = 2, .hidden = {16, 16},
         .act = ACT_TANH, .out_act = ACT_SOFTMAX, .opt = OPT_SGD, .epochs = 20,
         .seed = CALM_SEED, .lr = 0.1, .loss = LOSS_CE, .outputs = 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        check_free_running(&cases[i]);
}

static void every_epoch_of_fast_matches_plain(void **state)
{
    (void)state;
    for (int o = 0; o < OPT_COUNT; o++)
        for (int a = 0; a < ACT_HIDDEN_COUNT; a++) {
            Activation act = all_activations[a];
            Optimizer opt = (Optimizer)o;
            double lr = opt == OPT_RMSPROP || opt == OPT_ADAM ? 0.001 : 0.1;
            RefCase lin = {.data = "linear",
                           .n_points = 100,
                           .n_hidden = 2,
                           .hidden = {16, 16},
                           .act = act,
                           .out_act = act,
                           .opt = opt,
                           .epochs = 1000,
                           .seed = CHAOTIC_SEED,
                           .lr = lr};
            RefCase xor = {.data = "xor",
                           .n_points = 0,
                           .n_hidden = 2,
                           .hidden = {16, 16},
                           .act = act,
                           .out_act = act,
                           .opt = opt,
                           .epochs = 2000,
                           .seed = CHAOTIC_SEED,
                           .lr = lr};
            RefCase bce = {.data = "xor",
                           .n_points = 0,
                           .n_hidden = 2,
                           .hidden = {16, 16},
                           .act = act,
                           .out_act = ACT_SIGMOID,
                           .opt = opt,
                           .epochs = 1000,
                           .seed = CHAOTIC_SEED,
                           .lr = lr,
                           .loss = LOSS_BCE};
            RefCase mb = {.data = "linear",
                          .n_points = 100,
                          .n_hidden = 2,
                          .hidden = {16, 16},
                          .act = act,
                          .out_act = act,
                          .opt = opt,
                          .epochs = 300,
                          .seed = CHAOTIC_SEED,
                          .lr = lr / 10,
                          .loss = LOSS_MSE,
                          .batch_size = 16}; /* 7 steps an epoch */
            check_epoch_by_epoch(&lin);
            check_epoch_by_epoch(&xor);
            check_epoch_by_epoch(&bce);
            check_epoch_by_epoch(&mb);
        }
    RefCase chaos = {.data = "xor",
                     .n_points = 0,
                     .n_hidden = 2,
                     .hidden = {16, 16},
                     .act = ACT_TANH,
                     .out_act = ACT_TANH,
                     .opt = OPT_SGD,
                     .epochs = 10000,
                     .seed = CHAOTIC_SEED};
    check_epoch_by_epoch(&chaos);
}

/* Widths that leave partial register tiles, and sample counts below, at and
 * just past a tile, most of them padded in the batch, on every activation,
 * with the output's the same and sigmoid. */
static void every_epoch_of_fast_matches_plain_on_odd_shapes(void **state)
{
    (void)state;
    const int points[] = {1, 3, 7, 8, 9, 13, 37};
    for (size_t k = 0; k < sizeof points / sizeof *points; k++)
        for (int a = 0; a < ACT_HIDDEN_COUNT; a++) {
            Activation act = all_activations[a];
            RefCase two = {.data = "linear",
                           .n_points = points[k],
                           .n_hidden = 2,
                           .hidden = {7, 5},
                           .act = act,
                           .out_act = act,
                           .opt = OPT_SGD,
                           .epochs = 200,
                           .seed = CHAOTIC_SEED};
            RefCase one = {.data = "linear",
                           .n_points = points[k],
                           .n_hidden = 1,
                           .hidden = {1, 0},
                           .act = act,
                           .out_act = ACT_SIGMOID,
                           .opt = OPT_MOMENTUM,
                           .epochs = 200,
                           .seed = CHAOTIC_SEED};
            check_epoch_by_epoch(&two);
            check_epoch_by_epoch(&one);
        }
}

/* Layers wide enough to go by gemm.c (fast.c's WIDE_MIN_UNITS and more on
 * both sides), next to narrow ones that do not, with enough points for
 * several chunks, and then for several blocks a chunk (parallel.h), on
 * every activation; full batch and mini-batches. */
static void every_epoch_of_fast_matches_plain_on_wide_layers(void **state)
{
    (void)state;
    for (int a = 0; a < ACT_HIDDEN_COUNT; a++) {
        Activation act = all_activations[a];
        RefCase wide = {.data = "linear",
                        .n_points = 300,
                        .n_hidden = 2,
                        .hidden = {64, 136},
                        .act = act,
                        .out_act = act,
                        .opt = OPT_SGD,
                        .epochs = 100,
                        .seed = CHAOTIC_SEED};
        RefCase mb = wide;
        mb.batch_size = 50;
        mb.epochs = 20;
        RefCase many = wide; /* chunks of several blocks (parallel.h) */
        many.n_points = 4000;
        many.hidden[1] = 72;
        many.epochs = 5;
        /* gemm.c past a block of terms and of columns: the forward pass
         * over 300 inputs, the input gradient over 392 outputs (its sums
         * waiting in the pass's scratch), 392 columns */
        RefCase deep = wide;
        deep.hidden[0] = 300;
        deep.hidden[1] = 392;
        deep.epochs = 5;
        check_epoch_by_epoch(&wide);
        check_epoch_by_epoch(&mb);
        check_epoch_by_epoch(&many);
        check_epoch_by_epoch(&deep);
    }
}

/* Every variant of the kernels this build has and this processor runs
 * (AVX-512, AVX2, SSE2 in a NATIVE=0 build; kernels.c), not only the one
 * runs get: epochs of full-batch sgd, each variant's pass beside the plain
 * engine's from the same start, the losses within 1e-9 relative and the
 * parameters within 1e-9 after every epoch; narrow layers and wide ones, one
 * sigmoid output and three softmax ones (rows padded to the vector width). */
static void every_variant_of_the_kernels_matches_plain(void **state)
{
    (void)state;
    const FastKernels *variants[4];
    int n_variants = fast_kernels_usable(variants, 4);
    assert_true(n_variants >= 1);
    const int shapes[][2] = {{16, 16}, {5, 7}, {64, 72}};
    for (int v = 0; v < n_variants; v++)
        for (size_t sh = 0; sh < 2 * sizeof shapes / sizeof *shapes; sh++) {
            int k = sh % 2 ? 3 : 1;
            Activation out = k > 1 ? ACT_SOFTMAX : ACT_SIGMOID;
            Rng rng;
            rng_seed(&rng, 7);
            Dataset d;
            Network fast, plain;
            assert_int_equal(dataset_linear(&d, 150, &rng), 0);
            Rng init = rng;
            assert_int_equal(
                network_init(&fast, shapes[sh / 2], 2, k, ACT_TANH, out, INIT_UNIFORM, &init), 0);
            init = rng;
            assert_int_equal(
                network_init(&plain, shapes[sh / 2], 2, k, ACT_TANH, out, INIT_UNIFORM, &init), 0);
            FastPass fp;
            PlainPass pp;
            assert_int_equal(fast_pass_alloc_with(&fp, &fast, d.n, variants[v]), 0);
            assert_int_equal(plain_pass_alloc(&pp, &plain, d.n), 0);
            fast_set_inputs(&fp, d.x, d.n);
            plain_set_inputs(&pp, d.x, d.n);
            double *fgrad = network_params_like(&fast), *pgrad = network_params_like(&plain);
            double *fd = malloc(sizeof(double) * (size_t)d.n * k),
                   *pd = malloc(sizeof(double) * (size_t)d.n * k);
            assert_true(fgrad && pgrad && fd && pd);
            for (int e = 0; e < 200; e++) {
                const double *fo = fast_forward(&fast, &fp), *po = plain_forward(&plain, &pp);
                double fl = mse_forward(fo, d.y, d.n, k), pl = mse_forward(po, d.y, d.n, k);
                if (fabs(fl - pl) > 1e-9 * fabs(pl))
                    fail_msg("%s kernels, hidden %d-%d, epoch %d: loss %.17g, plain %.17g",
                             variants[v]->name, shapes[sh / 2][0], shapes[sh / 2][1], e + 1, fl, pl);
                mse_backward(fd, fo, d.y, d.n, k);
                mse_backward(pd, po, d.y, d.n, k);
                fast_backward(&fast, &fp, fd, 0, fgrad);
                plain_backward(&plain, &pp, pd, 0, pgrad);
                sgd_update(fast.params, fgrad, fast.n_params, 0.1, DBL_MAX);
                sgd_update(plain.params, pgrad, plain.n_params, 0.1, DBL_MAX);
                for (int i = 0; i < fast.n_params; i++)
                    if (fabs(fast.params[i] - plain.params[i]) >
                        1e-9 * (fabs(plain.params[i]) + 1e-3))
                        fail_msg(
                            "%s kernels, hidden %d-%d, epoch %d: parameter %d %.17g, plain %.17g",
                            variants[v]->name, shapes[sh / 2][0], shapes[sh / 2][1], e + 1, i,
                            fast.params[i], plain.params[i]);
            }
            free(fd);
            free(pd);
            free(fgrad);
            free(pgrad);
            fast_pass_free(&fp);
            plain_pass_free(&pp);
            network_free(&fast);
            network_free(&plain);
            dataset_free(&d);
        }
}

/* ------------------------------------------------------------------------ */
/* Determinism                                                              */

typedef struct {
    uint64_t seed;
    Activation act;
    int width; /* of both hidden layers */
    bool xor;  /* the xor set (21 points), else linear (100) */
    double *loss; /* (epochs) */
    double *params;
    int n_params;
} Run;

#define DET_EPOCHS 2000

static void *run_training(void *arg)
{
    Run *r = arg;
    Rng rng;
    rng_seed(&rng, r->seed);
    Dataset d;
    Network net;
    const int hidden[2] = {r->width, r->width};
    History h;
    if ((r->xor ? dataset_xor(&d) : dataset_linear(&d, DATASET_LINEAR_ROWS, &rng)) != 0 ||
        network_init(&net, hidden, 2, 1, r->act, r->act, INIT_UNIFORM, &rng) != 0 ||
        history_alloc(&h, DET_EPOCHS) != 0)
        return NULL;
    TrainConfig cfg = train_config_default();
    cfg.epochs = DET_EPOCHS;
    train(&net, &d, &cfg, &h, NULL, NULL);
    memcpy(r->loss, h.loss, sizeof(double) * DET_EPOCHS);
    r->n_params = net.n_params;
    r->params = malloc(sizeof(double) * net.n_params);
    if (r->params)
        memcpy(r->params, net.params, sizeof(double) * net.n_params);
    history_free(&h);
    network_free(&net);
    dataset_free(&d);
    return r;
}

static void assert_runs_identical(const Run *a, const Run *b)
{
    assert_non_null(a->params);
    assert_non_null(b->params);
    assert_int_equal(a->n_params, b->n_params);
    assert_memory_equal(a->loss, b->loss, sizeof(double) * DET_EPOCHS);
    assert_memory_equal(a->params, b->params, sizeof(double) * a->n_params);
}

/* Trains runs[0] and runs[1] one after the other, then runs[2] and runs[3]
 * (the same two) on two threads at once. */
static void train_alone_then_together(Run runs[4])
{
    assert_non_null(run_training(&runs[0]));
    assert_non_null(run_training(&runs[1]));
    pthread_t t[2];
    for (int j = 0; j < 2; j++)
        assert_int_equal(pthread_create(&t[j], NULL, run_training, &runs[2 + j]), 0);
    for (int j = 0; j < 2; j++) {
        void *ret;
        assert_int_equal(pthread_join(t[j], &ret), 0);
        assert_non_null(ret);
    }
}

/* Same seed, same build: the same bits, whether runs follow each other or
 * run on two threads at once (no shared state anywhere in training). */
static void runs_are_bit_identical_sequentially_and_on_threads(void **state)
{
    (void)state;
    for (int a = 0; a < ACT_HIDDEN_COUNT; a++) {
        double losses[4][DET_EPOCHS];
        Run runs[4];
        for (int j = 0; j < 4; j++)
            runs[j] = (Run){.seed = 7, .act = all_activations[a], .width = 16, .loss = losses[j]};
        train_alone_then_together(runs);
        for (int j = 1; j < 4; j++)
            assert_runs_identical(&runs[0], &runs[j]);
        for (int j = 0; j < 4; j++)
            free(runs[j].params);
    }
}

/* The same with layers wide enough for the wide layers' kernels, and two
 * different runs at once, as `nnlab run --jobs 2` trains them: whatever those
 * kernels share between callers (a library's buffers) must not let one
 * run's products leak into the other's. */
static void wide_runs_side_by_side_are_bit_identical_to_runs_alone(void **state)
{
    (void)state;
    for (int round = 0; round < 3; round++) {
        double losses[4][DET_EPOCHS];
        Run runs[4];
        for (int j = 0; j < 4; j++)
            runs[j] = (Run){.seed = 7 + (uint64_t)round,
                            .act = ACT_SIGMOID,
                            .width = j % 2 ? 64 : 96,
                            .xor = j % 2,
                            .loss = losses[j]};
        train_alone_then_together(runs);
        assert_runs_identical(&runs[0], &runs[2]);
        assert_runs_identical(&runs[1], &runs[3]);
        for (int j = 0; j < 4; j++)
            free(runs[j].params);
    }
}

/* One run of `epochs` epochs with `threads` threads: its loss history and
 * final parameters into loss and params (n_params). */
static void train_with_threads(const RefCase *c, int threads, double *loss, double *params)
{
    Rng rng;
    rng_seed(&rng, c->seed);
    Dataset d;
    Network net;
    History h;
    assert_int_equal(dataset_find(c->data)->generate(&d, c->n_points, &rng), 0);
    assert_int_equal(network_init(&net, c->hidden, c->n_hidden, c->outputs ? c->outputs : 1, c->act,
                                  c->out_act, INIT_UNIFORM, &rng),
                     0);
    assert_int_equal(history_alloc(&h, c->epochs), 0);
    TrainConfig cfg = train_config_default();
    cfg.epochs = c->epochs;
    cfg.loss = c->loss;
    cfg.optimizer = c->opt;
    cfg.lr = c->lr > 0 ? c->lr : cfg.lr;
    cfg.batch_size = c->batch_size;
    cfg.seed = c->seed;
    cfg.threads = threads;
    assert_int_equal(train(&net, &d, &cfg, &h, NULL, NULL), TRAIN_DONE);
    memcpy(loss, h.loss, sizeof(double) * (size_t)c->epochs);
    memcpy(params, net.params, sizeof(double) * (size_t)net.n_params);
    history_free(&h);
    network_free(&net);
    dataset_free(&d);
}

/* The threads of a run share its points out, and add their gradients up in
 * an order fixed by the number of points alone (parallel.h): the same bits
 * with 1, 2 or 3 threads, full batch and mini-batches, narrow layers and
 * wide ones (gemm.c), points enough for several chunks (and, in the first
 * and the wide one, several blocks a chunk), one output and three softmax
 * ones. */
static void threads_give_the_same_history_bit_for_bit(void **state)
{
    (void)state;
    const RefCase cases[] = {
        {.data = "spiral3", /* 8 chunks of 3 blocks */
         .n_points = 30000,
         .n_hidden = 2,
         .hidden = {16, 16},
         .act = ACT_TANH,
         .out_act = ACT_SOFTMAX,
         .opt = OPT_SGD,
         .epochs = 20,
         .seed = 6,
         .loss = LOSS_CE,
         .outputs = 3},
        {.data = "linear",
         .n_points = 20000,
         .n_hidden = 2,
         .hidden = {16, 16},
         .act = ACT_SIGMOID,
         .out_act = ACT_SIGMOID,
         .opt = OPT_SGD,
         .epochs = 40,
         .seed = 3},
        {.data = "linear",
         .n_points = 1000,
         .n_hidden = 2,
         .hidden = {64, 72},
         .act = ACT_TANH,
         .out_act = ACT_SIGMOID,
         .opt = OPT_ADAM,
         .epochs = 10,
         .seed = 4,
         .lr = 0.001},
        {.data = "linear", /* gemm.c: chunks of 375 points, blocks of 256 and 119 */
         .n_points = 3000,
         .n_hidden = 2,
         .hidden = {136, 300},
         .act = ACT_SIGMOID,
         .out_act = ACT_SIGMOID,
         .opt = OPT_SGD,
         .epochs = 3,
         .seed = 8},
        {.data = "linear",
         .n_points = 4000,
         .n_hidden = 2,
         .hidden = {40, 24},
         .act = ACT_RELU,
         .out_act = ACT_SIGMOID,
         .opt = OPT_MOMENTUM,
         .epochs = 5,
         .seed = 5,
         .batch_size = 1500},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        const RefCase *c = &cases[k];
        int n_params = 0;
        for (int l = 0, in = NET_INPUTS; l <= c->n_hidden; l++) {
            int out = l < c->n_hidden ? c->hidden[l] : c->outputs ? c->outputs : 1;
            n_params += out * (in + 1);
            in = out;
        }
        double *loss[3], *params[3];
        for (int t = 0; t < 3; t++) {
            loss[t] = malloc(sizeof(double) * (size_t)c->epochs);
            params[t] = malloc(sizeof(double) * (size_t)n_params);
            assert_true(loss[t] && params[t]);
            train_with_threads(c, t + 1, loss[t], params[t]);
        }
        for (int t = 1; t < 3; t++) {
            assert_memory_equal(loss[0], loss[t], sizeof(double) * (size_t)c->epochs);
            assert_memory_equal(params[0], params[t], sizeof(double) * (size_t)n_params);
        }
        for (int t = 0; t < 3; t++) {
            free(loss[t]);
            free(params[t]);
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Dense kernels on every tile edge                                         */

/* A sum and the sum of its terms' magnitudes, which bounds the rounding
 * error of any order of summation: by (terms) eps sum|t|. */
typedef struct {
    double value, magnitude;
} Sum;

static void sum_add(Sum *s, double term)
{
    s->value += term;
    s->magnitude += fabs(term);
}

/* got must equal the sum up to rounding: within 1e-13 of its magnitude
 * (a few hundred terms' worth of eps), where a wrong or missing term would
 * be off by about the size of a term. */
static void assert_sum(double got, Sum s)
{
    if (!(fabs(got - s.value) <= 1e-13 * s.magnitude))
        fail_msg("%.17g, expected %.17g (terms up to %.3g in all)", got, s.value, s.magnitude);
}

/* One dense layer of in -> out units (rows padded to ld_in, ld_out) over n
 * random points through kernels k (NULL: this build's fast_dense_*): its
 * forward pass, weight, bias and input gradients against naive sums. The
 * padding of the inputs holds a value that would show if a kernel let it. */
static void check_dense_layer(const FastKernels *k, int in, int out, int ld_in, int ld_out, int n,
                              Rng *rng)
{
    double *inp0 = malloc(sizeof(double) * in * n), *dout0 = malloc(sizeof(double) * out * n);
    double *W = malloc(sizeof(double) * out * in), *bias = malloc(sizeof(double) * out);
    double *z = malloc(sizeof(double) * (ld_out * n + 1));
    double *dinp = malloc(sizeof(double) * (ld_in * n + 1));
    double *dW = malloc(sizeof(double) * out * in), *db = malloc(sizeof(double) * out);
    assert_true(inp0 && dout0 && W && bias && z && dinp && dW && db);
    fill_uniform(inp0, in * n, -1, 1, rng);
    fill_uniform(W, out * in, -1, 1, rng);
    fill_uniform(bias, out, -1, 1, rng);
    fill_uniform(dout0, out * n, -1, 1, rng);
    double *inp = with_rows(inp0, n, in, ld_in, 7.0);
    double *dout = with_rows(dout0, n, out, ld_out, 7.0);
    assert_true(inp && dout);
    Dense d;
    if (k) {
        assert_int_equal(k->dense_alloc(&d, in, out, ld_in, ld_out), 0);
        k->dense_prepare(&d, W, bias);
        k->dense_forward(z, inp, &d, n);
        k->dense_backward(dinp, dW, db, dout, inp, &d, n);
    } else {
        assert_int_equal(fast_dense_alloc(&d, in, out, ld_in, ld_out), 0);
        fast_dense_prepare(&d, W, bias);
        fast_dense_forward(z, inp, &d, n);
        fast_dense_backward(dinp, dW, db, dout, inp, &d, n);
    }
    for (int o = 0; o < out; o++) {
        Sum sb = {0};
        for (int p = 0; p < n; p++) {
            Sum s = {bias[o], fabs(bias[o])};
            for (int i = 0; i < in; i++)
                sum_add(&s, W[o * in + i] * inp0[p * in + i]);
            assert_sum(z[p * ld_out + o], s);
            sum_add(&sb, dout0[p * out + o]);
        }
        assert_sum(db[o], sb);
        for (int i = 0; i < in; i++) {
            Sum s = {0};
            for (int p = 0; p < n; p++)
                sum_add(&s, dout0[p * out + o] * inp0[p * in + i]);
            assert_sum(dW[o * in + i], s);
        }
    }
    for (int p = 0; p < n; p++)
        for (int i = 0; i < in; i++) {
            Sum s = {0};
            for (int o = 0; o < out; o++)
                sum_add(&s, W[o * in + i] * dout0[p * out + o]);
            assert_sum(dinp[p * ld_in + i], s);
        }
    if (k)
        k->dense_free(&d);
    else
        fast_dense_free(&d);
    free(inp0), free(dout0), free(W), free(bias), free(z), free(dinp), free(dW), free(db);
    free(inp), free(dout);
}

/* Every sample count from 1 to 40 (below, at and past whole tiles of
 * samples, and the last few together) by widths around the tile sizes, a
 * single output both alone and in a padded row; the padding of the arrays
 * holds a value that would show if a kernel let it. */
static void dense_kernels_match_naive_loops_on_every_edge(void **state)
{
    (void)state;
    const int widths[] = {1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33, 64};
    const int nw = sizeof widths / sizeof *widths;
    Rng rng;
    rng_seed(&rng, 5);
    for (int n = 1; n <= 40; n++)
        for (int wi = 0; wi < nw; wi++)
            for (int wo = 0; wo <= nw; wo++) {
                /* the extra last case: one output, unpadded */
                int in = widths[wi], out = wo < nw ? widths[wo] : 1;
                int ld_in = net_round_up(in), ld_out = wo < nw ? net_round_up(out) : 1;
                check_dense_layer(NULL, in, out, ld_in, ld_out, n, &rng);
            }
}

/* The products of wide layers (gemm.c) against naive loops, with every
 * variant of the kernels the processor runs: widths that leave the tiles'
 * rows, vectors and panels partial (64 to 300, padded and not), more than a
 * block of columns (392) and of terms (300 and more: the forward pass over
 * 392 inputs, the input gradient over 520 outputs, the weight gradient over
 * 300 points), and point counts below, at and past a tile of rows. The
 * padding of the inputs holds a value that would show if a kernel let it. */
static void wide_kernels_match_naive_loops_on_every_edge(void **state)
{
    (void)state;
    const int shapes[][2] = {{64, 64},  {65, 71},  {100, 136}, {255, 257},
                             {300, 64}, {64, 300}, {392, 520}, {520, 392}};
    const int points[] = {1, 5, 8, 13, 300};
    const FastKernels *variants[4];
    int n_variants = fast_kernels_usable(variants, 4);
    Rng rng;
    rng_seed(&rng, 11);
    for (int v = 0; v < n_variants; v++)
        for (size_t sh = 0; sh < sizeof shapes / sizeof *shapes; sh++)
            for (size_t pi = 0; pi < sizeof points / sizeof *points; pi++) {
                int in = shapes[sh][0], out = shapes[sh][1], n = points[pi];
                int ld_in = net_round_up(in), ld_out = net_round_up(out);
                check_dense_layer(variants[v], in, out, ld_in, ld_out, n, &rng);
            }
}

/* ------------------------------------------------------------------------ */
/* fastmath against libm                                                    */

/* |got - want| in units of the last place of want rounded to double; the
 * unit below the smallest normal is the smallest subnormal. */
static double ulps(double got, long double want)
{
    double w = (double)want;
    if (isnan(w))
        return isnan(got) ? 0.0 : INFINITY;
    if (isinf(w) || isinf(got))
        return got == w ? 0.0 : INFINITY;
    double ulp = fabs(w) < DBL_MIN ? 0x1p-1074 : nextafter(fabs(w), INFINITY) - fabs(w);
    return (double)(fabsl((long double)got - want) / ulp);
}

typedef enum { F_EXP, F_SIGMOID, F_TANH } Fn;

static void fast(Fn f, double *out, const double *in, int count)
{
    if (f == F_EXP)
        fastmath_exp(out, in, count);
    else if (f == F_SIGMOID)
        fastmath_sigmoid(out, in, count);
    else
        fastmath_tanh(out, in, count);
}

/* The exact value, as near as long double gets: 64 significant bits on
 * x86-64, enough to judge a double's ulps. */
static long double exact(Fn f, double x)
{
    long double lx = x;
    if (f == F_EXP)
        return expl(lx);
    if (f == F_SIGMOID)
        return 1.0L / (1.0L + expl(-lx));
    return tanhl(lx);
}

static const char *const fn_names[] = {"exp", "sigmoid", "tanh"};

/* Largest error in ulps over count arguments lo + (hi - lo) j / (count - 1),
 * and over the same count of small arguments +-m 2^-e down to the
 * subnormals; fails above max_ulps. */
static void check_ulps(Fn f, double lo, double hi, double max_ulps)
{
    enum { COUNT = 200001 };
    double *x = malloc(sizeof(double) * COUNT), *y = malloc(sizeof(double) * COUNT);
    assert_true(x && y);
    for (int pass = 0; pass < 2; pass++) {
        for (int j = 0; j < COUNT; j++)
            x[j] = pass == 0 ? lo + (hi - lo) * j / (COUNT - 1.0)
                             : (j % 2 ? -1 : 1) * ldexp(1.0 + (j % 997) / 997.0, -(j % 1080));
        fast(f, y, x, COUNT);
        for (int j = 0; j < COUNT; j++) {
            double e = ulps(y[j], exact(f, x[j]));
            if (!(e <= max_ulps))
                fail_msg("%s(%.17g) = %.17g, exact %.20Lg: %.2f ulps", fn_names[f], x[j], y[j],
                         exact(f, x[j]), e);
        }
    }
    free(x);
    free(y);
}

static void fastmath_exp_is_within_2_ulps(void **state)
{
    (void)state;
    check_ulps(F_EXP, -760.0, 720.0, 2.0);
    check_ulps(F_EXP, -1.0, 1.0, 2.0);
}

static void fastmath_sigmoid_is_within_3_ulps(void **state)
{
    (void)state;
    check_ulps(F_SIGMOID, -760.0, 760.0, 3.0);
    check_ulps(F_SIGMOID, -40.0, 40.0, 3.0);
}

static void fastmath_tanh_is_within_4_ulps(void **state)
{
    (void)state;
    check_ulps(F_TANH, -25.0, 25.0, 4.0);
    check_ulps(F_TANH, -1.0, 1.0, 4.0);
}

static double fast1(Fn f, double x)
{
    double y;
    fast(f, &y, &x, 1);
    return y;
}

/* Exact where the answer is exact, the right limits, NaN through. */
static void fastmath_special_values(void **state)
{
    (void)state;
    for (int f = F_EXP; f <= F_TANH; f++)
        assert_true(isnan(fast1(f, NAN)));

    assert_true(fast1(F_EXP, 0.0) == 1.0);
    assert_true(fast1(F_EXP, -0.0) == 1.0);
    assert_true(fast1(F_EXP, INFINITY) == INFINITY);
    assert_true(fast1(F_EXP, -INFINITY) == 0.0);
    assert_true(fast1(F_EXP, 1e300) == INFINITY);
    assert_true(fast1(F_EXP, -1e300) == 0.0);
    assert_true(fast1(F_EXP, 709.79) == INFINITY); /* just past DBL_MAX */
    assert_true(isfinite(fast1(F_EXP, 709.78)));
    assert_true(fast1(F_EXP, 0x1p-1074) == 1.0);
    /* subnormal results, rounded once */
    for (double x = -708.5; x > -746.0; x -= 0.37) {
        double y = fast1(F_EXP, x);
        assert_true(y < DBL_MIN);
        assert_true(ulps(y, expl(x)) <= 1.0);
    }
    assert_true(fast1(F_EXP, -745.2) == 0.0);

    assert_true(fast1(F_SIGMOID, 0.0) == 0.5);
    assert_true(fast1(F_SIGMOID, -0.0) == 0.5);
    assert_true(fast1(F_SIGMOID, INFINITY) == 1.0);
    assert_true(fast1(F_SIGMOID, -INFINITY) == 0.0);
    assert_true(fast1(F_SIGMOID, 40.0) == 1.0);
    assert_true(fast1(F_SIGMOID, 1e300) == 1.0);
    assert_true(fast1(F_SIGMOID, -1e300) == 0.0);
    assert_true(fast1(F_SIGMOID, -740.0) > 0.0); /* e^-740, subnormal */
    assert_true(fast1(F_SIGMOID, -740.0) < DBL_MIN);
    assert_true(fast1(F_SIGMOID, -746.0) == 0.0);

    assert_true(fast1(F_TANH, 0.0) == 0.0 && !signbit(fast1(F_TANH, 0.0)));
    assert_true(fast1(F_TANH, -0.0) == 0.0 && signbit(fast1(F_TANH, -0.0)));
    assert_true(fast1(F_TANH, INFINITY) == 1.0);
    assert_true(fast1(F_TANH, -INFINITY) == -1.0);
    assert_true(fast1(F_TANH, 20.0) == 1.0);
    assert_true(fast1(F_TANH, -1e300) == -1.0);
    assert_true(fast1(F_TANH, 1e-300) == 1e-300);
    assert_true(fast1(F_TANH, -0x1p-1074) == -0x1p-1074);
    for (double x = 0.1; x < 30.0; x *= 1.7) /* odd */
        assert_true(fast1(F_TANH, -x) == -fast1(F_TANH, x));
}

/* A value does not depend on where it sits in the array (vector body or
 * scalar remainder) nor on the array's length, and out may be in. */
static void fastmath_value_does_not_depend_on_position(void **state)
{
    (void)state;
    enum { N = 37 };
    Rng rng;
    rng_seed(&rng, 9);
    double x[N], all[N], inplace[N];
    fill_uniform(x, N, -30, 30, &rng);
    for (int f = F_EXP; f <= F_TANH; f++) {
        fast(f, all, x, N);
        memcpy(inplace, x, sizeof x);
        fast(f, inplace, inplace, N);
        assert_memory_equal(all, inplace, sizeof all);
        for (int k = 0; k < N; k++) {
            double one = fast1(f, x[k]);
            assert_memory_equal(&one, &all[k], sizeof one);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fast_matches_plain_for_10000_epochs),
        cmocka_unit_test(fast_matches_plain_with_separate_output_activation),
        cmocka_unit_test(every_optimizer_matches_plain_for_10000_epochs),
        cmocka_unit_test(losses_batches_decay_and_schedules_match_plain_for_10000_epochs),
        cmocka_unit_test(k_classes_match_plain_for_10000_epochs),
        cmocka_unit_test(every_epoch_of_fast_matches_plain),
        cmocka_unit_test(every_epoch_of_fast_matches_plain_on_odd_shapes),
        cmocka_unit_test(every_epoch_of_fast_matches_plain_on_wide_layers),
        cmocka_unit_test(every_variant_of_the_kernels_matches_plain),
        cmocka_unit_test(runs_are_bit_identical_sequentially_and_on_threads),
        cmocka_unit_test(wide_runs_side_by_side_are_bit_identical_to_runs_alone),
        cmocka_unit_test(threads_give_the_same_history_bit_for_bit),
        cmocka_unit_test(dense_kernels_match_naive_loops_on_every_edge),
        cmocka_unit_test(wide_kernels_match_naive_loops_on_every_edge),
        cmocka_unit_test(fastmath_exp_is_within_2_ulps),
        cmocka_unit_test(fastmath_sigmoid_is_within_3_ulps),
        cmocka_unit_test(fastmath_tanh_is_within_4_ulps),
        cmocka_unit_test(fastmath_special_values),
        cmocka_unit_test(fastmath_value_does_not_depend_on_position),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
