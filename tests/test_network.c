/* test_network.c - unit tests of network.h and of both engines' pieces: the
 * layers of the plain engine (plain.h) and the kernels of the fast one
 * (fast.h), dense and activations, the loss, accuracy, parameter layout and
 * initialisation, and the whole forward/backward pass of each engine,
 * checked against hand-worked values and against finite differences of the
 * loss. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fast.h"
#include "network.h"
#include "plain.h"
#include "rng.h"
#include "testutil.h"

static const Activation all_activations[ACT_HIDDEN_COUNT] = {ACT_SIGMOID, ACT_TANH, ACT_RELU, ACT_NONE};

static const Engine all_engines[ENGINE_COUNT] = {ENGINE_FAST, ENGINE_PLAIN};

static double sigm(double z) { return 1.0 / (1.0 + exp(-z)); }

/* ------------------------------------------------------------------------ */
/* Dense layer                                                              */

/* inp (n=3, in=2) holds the samples (1,0), (2,1), (0,-1); W = [1 2; 3 4];
 * bias = (0.5, -1). By hand, out[k] = W inp[k] + bias:
 *   sample 0: (1*1 + 2*0 + 0.5, 3*1 + 4*0 - 1)  = (1.5, 2)
 *   sample 1: (1*2 + 2*1 + 0.5, 3*2 + 4*1 - 1)  = (4.5, 9)
 *   sample 2: (1*0 - 2*1 + 0.5, 3*0 - 4*1 - 1)  = (-1.5, -5)
 * The kernels' arrays have rows of NET_ROW_ALIGN units; the padding is
 * filled with a value that would show if a kernel used it. */
static const double hand_inp[6] = {1, 0, /**/ 2, 1, /**/ 0, -1};
static const double hand_W[4] = {1, 2, 3, 4};
static const double hand_bias[2] = {0.5, -1};
#define PADDING 7.0

static Dense hand_layer(void)
{
    Dense d;
    assert_int_equal(fast_dense_alloc(&d, 2, 2, net_round_up(2), net_round_up(2)), 0);
    fast_dense_prepare(&d, hand_W, hand_bias);
    return d;
}

static void dense_forward_matches_hand_values(void **state)
{
    (void)state;
    const double expected[6] = {1.5, 2, /**/ 4.5, 9, /**/ -1.5, -5};
    Dense d = hand_layer();
    int ld = net_round_up(2);
    double *inp = with_rows(hand_inp, 3, 2, ld, PADDING);
    double out[3 * NET_ROW_ALIGN];
    for (int k = 0; k < 3 * ld; k++)
        out[k] = 99; /* must be overwritten, not added to */
    fast_dense_forward(out, inp, &d, 3);
    for (int k = 0; k < 6; k++)
        assert_close(out[k / 2 * ld + k % 2], expected[k], 1e-15);
    free(inp);
    fast_dense_free(&d);
}

/* Same layer, dout (n=3, out=2) = [1 0.5; 0 2; -1 1]. By hand:
 *   dbias[o]   = sum_k dout[k][o]               = 0, 3.5
 *   dW[o][i]   = sum_k dout[k][o] inp[k][i]:
 *     dW00 = 1*1 + 0*2 + (-1)*0      = 1     dW01 = 1*0 + 0*1 + (-1)(-1) = 1
 *     dW10 = .5*1 + 2*2 + 1*0        = 4.5   dW11 = .5*0 + 2*1 + 1*(-1)  = 1
 *   dinp[k][i] = sum_o dout[k][o] W[o][i]:
 *     sample 0: (1*1 + .5*3, 1*2 + .5*4) = (2.5, 4)
 *     sample 1: (0*1 + 2*3,  0*2 + 2*4)  = (6, 8)
 *     sample 2: (-1*1 + 1*3, -1*2 + 1*4) = (2, 2) */
static const double hand_dout[6] = {1, 0.5, /**/ 0, 2, /**/ -1, 1};

static void check_hand_parameter_gradients(const double *dW, const double *dbias)
{
    const double exp_dW[4] = {1, 1, 4.5, 1}, exp_dbias[2] = {0, 3.5};
    for (int k = 0; k < 4; k++)
        assert_close(dW[k], exp_dW[k], 1e-15);
    for (int k = 0; k < 2; k++)
        assert_close(dbias[k], exp_dbias[k], 1e-15);
}

static void dense_backward_matches_hand_values(void **state)
{
    (void)state;
    const double exp_dinp[6] = {2.5, 4, /**/ 6, 8, /**/ 2, 2};
    Dense d = hand_layer();
    int ld = net_round_up(2);
    double *inp = with_rows(hand_inp, 3, 2, ld, PADDING);
    double *dout = with_rows(hand_dout, 3, 2, ld, PADDING);
    double dinp[3 * NET_ROW_ALIGN];
    for (int k = 0; k < 3 * ld; k++)
        dinp[k] = 99; /* overwritten, not accumulated */
    double dW[4] = {99, 99, 99, 99}, dbias[2] = {99, 99};
    fast_dense_backward(dinp, dW, dbias, dout, inp, &d, 3);
    check_hand_parameter_gradients(dW, dbias);
    for (int k = 0; k < 6; k++)
        assert_close(dinp[k / 2 * ld + k % 2], exp_dinp[k], 1e-15);
    free(inp), free(dout);
    fast_dense_free(&d);
}

static void dense_backward_without_dinp_still_sets_parameter_gradients(void **state)
{
    (void)state;
    Dense d = hand_layer();
    int ld = net_round_up(2);
    double *inp = with_rows(hand_inp, 3, 2, ld, PADDING);
    double *dout = with_rows(hand_dout, 3, 2, ld, PADDING);
    double dW[4] = {99, 99, 99, 99}, dbias[2] = {99, 99};
    fast_dense_backward(NULL, dW, dbias, dout, inp, &d, 3);
    check_hand_parameter_gradients(dW, dbias);
    free(inp), free(dout);
    fast_dense_free(&d);
}

/* The plain engine's dense pair on the same hand values, in unpadded rows. */
static void plain_dense_matches_hand_values(void **state)
{
    (void)state;
    const double exp_out[6] = {1.5, 2, /**/ 4.5, 9, /**/ -1.5, -5};
    const double exp_dinp[6] = {2.5, 4, /**/ 6, 8, /**/ 2, 2};
    double out[6], dinp[6], dW[4] = {99, 99, 99, 99}, dbias[2] = {99, 99};
    for (int k = 0; k < 6; k++)
        out[k] = dinp[k] = 99; /* overwritten, not added to */
    dense_forward(out, hand_inp, hand_W, hand_bias, 3, 2, 2);
    dense_backward(dinp, dW, dbias, hand_dout, hand_inp, hand_W, 3, 2, 2);
    for (int k = 0; k < 6; k++) {
        assert_close(out[k], exp_out[k], 1e-15);
        assert_close(dinp[k], exp_dinp[k], 1e-15);
    }
    check_hand_parameter_gradients(dW, dbias);
    double dW2[4], dbias2[2];
    dense_backward(NULL, dW2, dbias2, hand_dout, hand_inp, hand_W, 3, 2, 2);
    check_hand_parameter_gradients(dW2, dbias2);
}

/* got against ref, a sum of terms whose magnitudes add up to `scale`: any
 * order of adding them up lands within a few roundings of scale of any
 * other, however much the terms cancel. */
static void assert_sum_close(const char *what, double got, double ref, double scale)
{
    if (!(fabs(got - ref) <= 1e-12 * scale))
        fail_msg("%s = %.17g, expected %.17g (terms adding up to %.3g in magnitude)", what, got,
                 ref, scale);
}

/* Sizes that are not multiples of any vector width, so that unrolled or
 * blocked kernels must get their remainders right, and a single output both
 * in a padded row and alone (as the network's output layer has it);
 * compared with the textbook triple loops written out here. The last four
 * are wide layers (gemm.c), with more points than a block of terms: two
 * whose weight gradient reads its operands in place, two whose rows are too
 * long for that and go in panels (GEMM_IN_PLACE_LD), each with rows of
 * whole vectors or not. */
static void dense_layer_matches_reference_loops_on_odd_sizes(void **state)
{
    (void)state;
    const int shapes[][4] = {{1, 1, 1, 1},      {37, 5, 3, 4},     {7, 16, 16, 16},
                             {101, 3, 17, 20},  {64, 33, 9, 12},   {13, 16, 1, 1},
                             {13, 16, 1, 4},    {5, 2, 1, 1},      {300, 72, 100, 100},
                             {290, 70, 65, 65}, {270, 300, 70, 70}, {261, 264, 260, 260}};
    Rng rng;
    rng_seed(&rng, 11);
    for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++) {
        /* ld_out 1, or the row length asked for rounded up to whole vectors */
        int n = shapes[s][0], in = shapes[s][1], out = shapes[s][2],
            ld_out = shapes[s][3] == 1 ? 1 : net_round_up(shapes[s][3]);
        int ld_in = net_round_up(in);
        /* the values: inp (n, in), W (out, in), bias (out), dout (n, out) */
        double *inp0 = malloc(sizeof(double) * (size_t)(n * in)),
               *W = malloc(sizeof(double) * (size_t)(out * in)),
               *bias = malloc(sizeof(double) * (size_t)out),
               *dout0 = malloc(sizeof(double) * (size_t)(n * out));
        assert_true(inp0 && W && bias && dout0);
        fill_uniform(inp0, n * in, -1, 1, &rng);
        fill_uniform(W, out * in, -1, 1, &rng);
        fill_uniform(bias, out, -1, 1, &rng);
        fill_uniform(dout0, n * out, -1, 1, &rng);
        double *inp = with_rows(inp0, n, in, ld_in, PADDING);
        double *dout = with_rows(dout0, n, out, ld_out, PADDING);
        double *z = malloc(sizeof(double) * (size_t)(n * ld_out + 1)),
               *dinp = malloc(sizeof(double) * (size_t)(n * ld_in + 1)),
               *dW = malloc(sizeof(double) * (size_t)(out * in)),
               *dbias = malloc(sizeof(double) * (size_t)out);
        assert_true(inp && dout && z && dinp && dW && dbias);
        Dense d;
        assert_int_equal(fast_dense_alloc(&d, in, out, ld_in, ld_out), 0);
        fast_dense_prepare(&d, W, bias);

        fast_dense_forward(z, inp, &d, n);
        fast_dense_backward(dinp, dW, dbias, dout, inp, &d, n);

        for (int k = 0; k < n; k++)
            for (int o = 0; o < out; o++) {
                double ref = bias[o], scale = fabs(bias[o]);
                for (int i = 0; i < in; i++) {
                    ref += W[o * in + i] * inp0[k * in + i];
                    scale += fabs(W[o * in + i] * inp0[k * in + i]);
                }
                assert_sum_close("z", z[k * ld_out + o], ref, scale);
            }
        for (int o = 0; o < out; o++) {
            double ref_b = 0.0, scale_b = 0.0;
            for (int k = 0; k < n; k++) {
                ref_b += dout0[k * out + o];
                scale_b += fabs(dout0[k * out + o]);
            }
            assert_sum_close("dbias", dbias[o], ref_b, scale_b);
            for (int i = 0; i < in; i++) {
                double ref = 0.0, scale = 0.0;
                for (int k = 0; k < n; k++) {
                    ref += dout0[k * out + o] * inp0[k * in + i];
                    scale += fabs(dout0[k * out + o] * inp0[k * in + i]);
                }
                assert_sum_close("dW", dW[o * in + i], ref, scale);
            }
        }
        for (int k = 0; k < n; k++)
            for (int i = 0; i < in; i++) {
                double ref = 0.0, scale = 0.0;
                for (int o = 0; o < out; o++) {
                    ref += W[o * in + i] * dout0[k * out + o];
                    scale += fabs(W[o * in + i] * dout0[k * out + o]);
                }
                assert_sum_close("dinp", dinp[k * ld_in + i], ref, scale);
            }
        /* written over its own input (as network_backward does), the input
         * gradient comes out the same, bit for bit */
        double *in_place = with_rows(inp0, n, in, ld_in, PADDING);
        assert_non_null(in_place);
        fast_dense_backward(in_place, dW, dbias, dout, in_place, &d, n);
        for (int k = 0; k < n; k++)
            assert_memory_equal(in_place + k * ld_in, dinp + k * ld_in, sizeof(double) * in);
        free(in_place);
        fast_dense_free(&d);
        free(inp0), free(W), free(bias), free(dout0);
        free(inp), free(dout), free(z), free(dinp), free(dW), free(dbias);
    }
}

/* ------------------------------------------------------------------------ */
/* Activations                                                              */

static const double sample_z[] = {-3.0, -1.2, -0.4, 0.25, 0.9, 2.5};
#define N_SAMPLE_Z ((int)(sizeof sample_z / sizeof *sample_z))

/* a = f(z) over count values in place, by the engine's activation. */
static void act_forward(Engine e, double *v, int count, Activation act)
{
    if (e == ENGINE_FAST)
        fast_activation_forward(v, v, count, act);
    else
        activation_forward(v, v, count, act);
}

/* d = d f'(z) in place, where a = f(z), by the engine's activation. */
static void act_backward(Engine e, double *d, const double *a, int count, Activation act)
{
    if (e == ENGINE_FAST)
        fast_activation_backward(d, d, a, count, act);
    else
        activation_backward(d, d, a, count, act);
}

static void activation_forward_matches_closed_forms(void **state)
{
    (void)state;
    for (int e = 0; e < ENGINE_COUNT; e++)
        for (int a = 0; a < ACT_HIDDEN_COUNT; a++) {
            double v[N_SAMPLE_Z];
            memcpy(v, sample_z, sizeof v);
            act_forward(all_engines[e], v, N_SAMPLE_Z, all_activations[a]);
            for (int k = 0; k < N_SAMPLE_Z; k++) {
                double z = sample_z[k], expected = z;
                switch (all_activations[a]) {
                case ACT_SIGMOID:
                    expected = 1.0 / (1.0 + exp(-z));
                    break;
                case ACT_TANH:
                    expected = (exp(z) - exp(-z)) / (exp(z) + exp(-z));
                    break;
                case ACT_RELU:
                    expected = z > 0 ? z : 0.0;
                    break;
                case ACT_NONE:
                case ACT_SOFTMAX: /* not a hidden layer's: not in all_activations */
                    expected = z;
                    break;
                }
                assert_close(v[k], expected, 1e-14);
            }
        }
}

/* activation_backward multiplies d by f'(z), given a = f(z); f'(z) here is
 * the central difference of activation_forward itself. No z is near the
 * kink of relu at 0. */
static void activation_backward_matches_finite_differences(void **state)
{
    (void)state;
    const double h = 1e-5, upstream = 1.5;
    for (int e = 0; e < ENGINE_COUNT; e++)
        for (int a = 0; a < ACT_HIDDEN_COUNT; a++) {
            Activation act = all_activations[a];
            Engine engine = all_engines[e];
            double fz[N_SAMPLE_Z], d[N_SAMPLE_Z];
            memcpy(fz, sample_z, sizeof fz);
            act_forward(engine, fz, N_SAMPLE_Z, act);
            for (int k = 0; k < N_SAMPLE_Z; k++)
                d[k] = upstream;
            act_backward(engine, d, fz, N_SAMPLE_Z, act);
            for (int k = 0; k < N_SAMPLE_Z; k++) {
                double up = sample_z[k] + h, dn = sample_z[k] - h;
                act_forward(engine, &up, 1, act);
                act_forward(engine, &dn, 1, act);
                double slope = (up - dn) / (2 * h);
                assert_close(d[k], upstream * slope, 1e-8);
            }
        }
}

/* ------------------------------------------------------------------------ */
/* Loss and accuracy                                                        */

/* pred (0.2, 0.9, 0.5), y (0, 1, 1):
 *   mse   = (0.2^2 + 0.1^2 + 0.5^2) / 3 = (0.04 + 0.01 + 0.25) / 3 = 0.1
 *   dpred = 2 (pred - y) / 3 = (0.4/3, -0.2/3, -1/3) */
static void mse_matches_hand_values(void **state)
{
    (void)state;
    const double pred[3] = {0.2, 0.9, 0.5}, y[3] = {0, 1, 1};
    assert_close(mse_forward(pred, y, 3, 1), 0.1, 1e-14);
    double dpred[3];
    mse_backward(dpred, pred, y, 3, 1);
    assert_close(dpred[0], 0.4 / 3, 1e-14);
    assert_close(dpred[1], -0.2 / 3, 1e-14);
    assert_close(dpred[2], -1.0 / 3, 1e-14);
}

static void mse_of_perfect_prediction_is_zero(void **state)
{
    (void)state;
    const double y[4] = {0, 1, 1, 0};
    double dpred[4];
    assert_true(mse_forward(y, y, 4, 1) == 0.0);
    mse_backward(dpred, y, y, 4, 1);
    for (int k = 0; k < 4; k++)
        assert_true(dpred[k] == 0.0);
}

/* A prediction counts as class 1 only if strictly above 0.5. */
static void accuracy_thresholds_strictly_above_half(void **state)
{
    (void)state;
    /* pred:      0.5  0.5  0.51 0.49 0.9  0.1  1.0  0.0
     * predicted: 0    0    1    0    1    0    1    0
     * y:         0    1    1    0    0    1    1    0
     * correct:   yes  no   yes  yes  no   no   yes  yes  -> 5 / 8 */
    const double pred[8] = {0.5, 0.5, 0.51, 0.49, 0.9, 0.1, 1.0, 0.0};
    const double y[8] = {0, 1, 1, 0, 0, 1, 1, 0};
    assert_close(accuracy(pred, y, 8, 1), 5.0 / 8.0, 1e-15);
    assert_close(accuracy(pred, y, 1, 1), 1.0, 1e-15);     /* 0.5 vs label 0 */
    assert_close(accuracy(pred + 1, y + 1, 1, 1), 0.0, 0); /* 0.5 vs label 1 */
}

/* ------------------------------------------------------------------------ */
/* Names, shapes, layout, initialisation                                    */

static void activation_parse_accepts_names_and_rejects_others(void **state)
{
    (void)state;
    const char *names[ACT_COUNT] = {"sigmoid", "tanh", "relu", "none", "softmax"};
    for (int a = 0; a < ACT_COUNT; a++) {
        Activation act = (Activation)-1;
        assert_int_equal(activation_parse(names[a], &act), 0);
        assert_int_equal(act, a < ACT_HIDDEN_COUNT ? all_activations[a] : ACT_SOFTMAX);
        assert_string_equal(activation_name(act), names[a]);
    }
    const char *bad[] = {"", "Sigmoid", "TANH", "relu ", "linear", "Softmax", "sigm"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        Activation act = ACT_TANH;
        assert_int_equal(activation_parse(bad[k], &act), -1);
        assert_int_equal(act, ACT_TANH); /* untouched on failure */
    }
}

static void network_check_shape_enforces_limits(void **state)
{
    (void)state;
    int ok[NET_MAX_HIDDEN_LAYERS + 1];
    for (int l = 0; l <= NET_MAX_HIDDEN_LAYERS; l++)
        ok[l] = 4;
    const int zero[1] = {0}, negative[1] = {-3}, one[1] = {1};
    const int widest[1] = {NET_MAX_WIDTH}, too_wide[1] = {NET_MAX_WIDTH + 1};
    const int wide_last[3] = {4, 4, NET_MAX_WIDTH + 1};

    assert_null(network_check_shape(one, 1));
    assert_null(network_check_shape(widest, 1));
    assert_null(network_check_shape(ok, NET_MAX_HIDDEN_LAYERS));
    assert_non_null(network_check_shape(zero, 1));
    assert_non_null(network_check_shape(negative, 1));
    assert_non_null(network_check_shape(too_wide, 1));
    assert_non_null(network_check_shape(wide_last, 3));
    assert_non_null(network_check_shape(ok, NET_MAX_HIDDEN_LAYERS + 1));
    assert_non_null(network_check_shape(ok, 0));
}

/* 2 -> 5 -> 3 -> 2 -> 1: layer sizes W (out, in) + b (out):
 *   layer 0: 5*2 + 5 = 15, layer 1: 3*5 + 3 = 18, layer 2: 2*3 + 2 = 8,
 *   layer 3: 1*2 + 1 = 3; 44 in all. */
static void parameter_layout_is_weights_then_bias_layer_by_layer(void **state)
{
    (void)state;
    const int hidden[3] = {5, 3, 2};
    Network net;
    assert_int_equal(network_alloc(&net, hidden, 3, 1, ACT_TANH, ACT_SIGMOID), 0);
    assert_int_equal(net.n_layers, 4);
    assert_int_equal(net.hidden_act, ACT_TANH);
    assert_int_equal(net.output_act, ACT_SIGMOID);
    assert_int_equal(net.sizes[0], 2);
    assert_int_equal(net.sizes[4], 1);
    assert_int_equal(net.n_params, 44);
    const int w_off[4] = {0, 15, 33, 41}, b_off[4] = {10, 30, 39, 43};
    double *block = network_params_like(&net), *W[NET_MAX_LAYERS], *b[NET_MAX_LAYERS];
    assert_non_null(block);
    network_views(&net, block, W, b);
    for (int l = 0; l < 4; l++) {
        assert_int_equal(net.W[l] - net.params, w_off[l]);
        assert_int_equal(net.b[l] - net.params, b_off[l]);
        assert_int_equal(W[l] - block, w_off[l]);
        assert_int_equal(b[l] - block, b_off[l]);
    }
    for (int p = 0; p < net.n_params; p++)
        assert_true(block[p] == 0.0);
    free(block);
    for (int p = 0; p < net.n_params; p++)
        assert_true(net.params[p] == 0.0);
    network_free(&net);
}

static void network_init_draws_parameters_from_minus_half_to_half(void **state)
{
    (void)state;
    const int hidden[2] = {16, 16};
    for (uint64_t seed = 0; seed < 5; seed++) {
        Rng rng;
        rng_seed(&rng, seed);
        Network net;
        assert_int_equal(
            network_init(&net, hidden, 2, 1, ACT_SIGMOID, ACT_SIGMOID, INIT_UNIFORM, &rng), 0);
        assert_int_equal(net.n_params, 16 * 3 + 16 * 17 + 17);
        int negative = 0, positive = 0;
        for (int p = 0; p < net.n_params; p++) {
            assert_true(net.params[p] >= -0.5);
            assert_true(net.params[p] < 0.5);
            negative += net.params[p] < 0;
            positive += net.params[p] > 0;
        }
        /* 337 draws: both signs appear, roughly evenly */
        assert_in_range(negative, 100, 237);
        assert_in_range(positive, 100, 237);
        network_free(&net);
    }
}

/* ------------------------------------------------------------------------ */
/* Whole network, by hand                                                   */

/* 2 -> 2 -> 1, sigmoid, two samples; params in layout order
 *   W0 = [0.1 -0.2; 0.3 0.4], b0 = (0.05, -0.1), W1 = [0.5 -0.6], b1 = 0.2.
 * Sample A = (1, 0), label 1; sample B = (0, 1), label 0.
 * Hidden pre-activations z = W0 x + b0:
 *   A: (0.1 + 0.05, 0.3 - 0.1) = (0.15, 0.2)
 *   B: (-0.2 + 0.05, 0.4 - 0.1) = (-0.15, 0.3)
 * h = s(z) with s(z) = 1 / (1 + e^-z); output o = s(0.5 h1 - 0.6 h2 + 0.2).
 * Loss L = ((oA - 1)^2 + (oB - 0)^2) / 2.
 * Backward, n = 2, so dL/do = 2 (o - y) / 2 = o - y:
 *   e   = (o - y) o (1 - o)              dL/d(output pre-activation)
 *   dW1 = sum_samples e h,  db1 = sum_samples e
 *   g_j = e W1_j h_j (1 - h_j)           dL/d(hidden pre-activation j)
 *   dW0[j][i] = sum_samples g_j x_i,  db0[j] = sum_samples g_j */
static void tiny_sigmoid_network_matches_hand_computation(void **state)
{
    (void)state;
    for (int e = 0; e < ENGINE_COUNT; e++) {
        const int hidden[1] = {2};
        Network net;
        assert_int_equal(network_alloc(&net, hidden, 1, 1, ACT_SIGMOID, ACT_SIGMOID), 0);
        assert_int_equal(net.n_params, 9);
        const double params[9] = {0.1, -0.2, 0.3, 0.4, 0.05, -0.1, 0.5, -0.6, 0.2};
        memcpy(net.params, params, sizeof params);
        assert_true(net.W[1][1] == -0.6 && net.b[0][1] == -0.1); /* the views */

        const double x[4] = {1, 0, /* A */ 0, 1 /* B */}, y[2] = {1, 0};
        Workspace *ws = workspace_new(&net, 2, all_engines[e]);
        assert_non_null(ws);
        network_set_inputs(ws, x, 2);
        const double *out = network_forward(&net, ws);

        double hA1 = sigm(0.15), hA2 = sigm(0.2), hB1 = sigm(-0.15), hB2 = sigm(0.3);
        double oA = sigm(0.5 * hA1 - 0.6 * hA2 + 0.2), oB = sigm(0.5 * hB1 - 0.6 * hB2 + 0.2);
        assert_close(out[0], oA, 1e-14);
        assert_close(out[1], oB, 1e-14);
        assert_close(mse_forward(out, y, 2, 1), ((oA - 1) * (oA - 1) + oB * oB) / 2, 1e-14);

        double dout[2], grad[9];
        mse_backward(dout, out, y, 2, 1);
        network_backward(&net, ws, dout, grad);
        double eA = (oA - 1) * oA * (1 - oA), eB = (oB - 0) * oB * (1 - oB);
        double gA1 = eA * 0.5 * hA1 * (1 - hA1), gA2 = eA * -0.6 * hA2 * (1 - hA2);
        double gB1 = eB * 0.5 * hB1 * (1 - hB1), gB2 = eB * -0.6 * hB2 * (1 - hB2);
        /* in layout order: dW0 row 1, dW0 row 2, db0, dW1, db1 (x_A = (1, 0), x_B = (0, 1)) */
        const double expected[9] = {gA1 * 1 + gB1 * 0,   gA1 * 0 + gB1 * 1,   gA2 * 1 + gB2 * 0,
                                    gA2 * 0 + gB2 * 1,   gA1 + gB1,           gA2 + gB2,
                                    eA * hA1 + eB * hB1, eA * hA2 + eB * hB2, eA + eB};
        for (int p = 0; p < 9; p++)
            assert_close(grad[p], expected[p], 1e-12);

        workspace_free(ws);
        network_free(&net);
    }
}

/* The same network with a linear output (tanh hidden, none out): the output
 * is the pre-activation, and dL/dz of the output is dL/do itself. */
static void output_activation_is_separate_from_hidden(void **state)
{
    (void)state;
    for (int e = 0; e < ENGINE_COUNT; e++) {
        const int hidden[1] = {2};
        Network net;
        assert_int_equal(network_alloc(&net, hidden, 1, 1, ACT_TANH, ACT_NONE), 0);
        const double params[9] = {0.1, -0.2, 0.3, 0.4, 0.05, -0.1, 0.5, -0.6, 0.2};
        memcpy(net.params, params, sizeof params);
        const double x[2] = {1, 0}, y[1] = {1};
        Workspace *ws = workspace_new(&net, 1, all_engines[e]);
        assert_non_null(ws);
        network_set_inputs(ws, x, 1);
        const double *out = network_forward(&net, ws);
        double h1 = tanh(0.15), h2 = tanh(0.2), o = 0.5 * h1 - 0.6 * h2 + 0.2;
        assert_close(out[0], o, 1e-14);
        double dout[1], grad[9];
        mse_backward(dout, out, y, 1, 1);
        network_backward(&net, ws, dout, grad);
        double d = 2 * (o - 1); /* no output derivative */
        assert_close(grad[8], d, 1e-14);
        assert_close(grad[6], d * h1, 1e-14);
        assert_close(grad[4], d * 0.5 * (1 - h1 * h1), 1e-14); /* db0[0]: through tanh */
        workspace_free(ws);
        network_free(&net);
    }
}

/* fast_forward interleaves layers (a hidden layer's activation inside the
 * stores of its sums; with sigmoid and tanh, two hidden layers a tile of
 * rows at a time, the activations of one woven into the other's sums) and
 * must give the values of its kernels run one layer after the other:
 * dense_forward, then activation_forward, bit for bit. Every variant of
 * the kernels this processor runs; widths of one and two vectors, wide
 * layers (gemm.c) whose last panel is whole or one vector, two to four
 * hidden layers, and numbers of points below a tile, between tiles and of
 * whole tiles. */
static void forward_pass_equals_its_layers_one_after_the_other(void **state)
{
    (void)state;
    const int shapes[][5] = {{2, 16, 16}, {2, 8, 8},       {2, 16, 8},
                             {2, 5, 7},   {3, 16, 16, 16}, {4, 16, 16, 16, 16},
                             {2, 64, 72}, {3, 96, 200, 64}};
    const int points[] = {1, 5, 8, 21, 64, 103};
    const FastKernels *variants[4];
    int n_variants = fast_kernels_usable(variants, 4);
    for (int v = 0; v < n_variants; v++)
        for (size_t sh = 0; sh < sizeof shapes / sizeof *shapes; sh++)
            for (int a = 0; a < 3; a++)
                for (size_t pt = 0; pt < sizeof points / sizeof *points; pt++) {
                    const FastKernels *k = variants[v];
                    int n = points[pt], n_hidden = shapes[sh][0];
                    Rng rng;
                    rng_seed(&rng, 5 + (uint64_t)sh);
                    Network net;
                    assert_int_equal(network_init(&net, shapes[sh] + 1, n_hidden, 1,
                                                  all_activations[a], ACT_SIGMOID, INIT_UNIFORM,
                                                  &rng),
                                     0);
                    double *x = malloc(sizeof(double) * (size_t)(2 * n));
                    assert_non_null(x);
                    fill_uniform(x, 2 * n, -2, 2, &rng);
                    FastPass p;
                    assert_int_equal(fast_pass_alloc_with(&p, &net, n, k), 0);
                    k->set_inputs(&p, x, n);
                    const double *out = k->forward(&net, &p);

                    /* the same layers, prepared by the pass, one after the other */
                    int L = net.n_layers;
                    double *a_prev = p.act[0];
                    double *ref[NET_MAX_LAYERS + 1] = {0};
                    for (int l = 0; l < L; l++) {
                        ref[l + 1] = fast_alloc_lines((size_t)net_round_up(n * p.ld[l + 1]) + 8);
                        assert_non_null(ref[l + 1]);
                        k->dense_forward(ref[l + 1], a_prev, &p.layer[l], n);
                        if (l + 1 < L)
                            k->activation_forward(ref[l + 1], ref[l + 1],
                                                  net_round_up(n * p.ld[l + 1]),
                                                  net.hidden_act);
                        a_prev = ref[l + 1];
                    }
                    for (int l = 1; l < L; l++)
                        for (int r = 0; r < n; r++)
                            for (int u = 0; u < net.sizes[l]; u++) {
                                size_t i = (size_t)r * p.ld[l] + u;
                                if (p.act[l][i] != ref[l][i])
                                    fail_msg("%s, %s, hidden layers %d, n %d: layer %d row %d "
                                             "unit %d: %.17g, one after the other %.17g",
                                             k->name, activation_name(net.hidden_act), n_hidden,
                                             n, l, r, u, p.act[l][i], ref[l][i]);
                            }
                    for (int r = 0; r < n; r++) {
                        assert_true(p.logits[r] == ref[L][r]);
                        assert_close(out[r], sigm(ref[L][r]), 1e-14);
                    }
                    for (int l = 1; l <= L; l++)
                        free(ref[l]);
                    fast_pass_free(&p);
                    free(x);
                    network_free(&net);
                }
}

/* The batch is processed as a whole, yet every sample must come out as if
 * it had gone through alone. */
static void forward_of_batch_equals_forward_of_each_sample(void **state)
{
    (void)state;
    const int hidden[3] = {5, 3, 2};
    enum { N = 13 };
    Rng rng;
    rng_seed(&rng, 3);
    for (int e = 0; e < ENGINE_COUNT; e++)
        for (int a = 0; a < ACT_HIDDEN_COUNT; a++) {
            Network net;
            Activation act = all_activations[a];
            assert_int_equal(network_init(&net, hidden, 3, 1, act, act, INIT_UNIFORM, &rng), 0);
            double x[2 * N];
            fill_uniform(x, 2 * N, 0, 1, &rng);
            Workspace *all = workspace_new(&net, N, all_engines[e]),
                      *one = workspace_new(&net, 1, all_engines[e]);
            assert_true(all && one);
            network_set_inputs(all, x, N);
            const double *out = network_forward(&net, all);
            for (int k = 0; k < N; k++) {
                network_set_inputs(one, x + 2 * k, 1);
                assert_close(network_forward(&net, one)[0], out[k], 1e-14);
            }
            workspace_free(all);
            workspace_free(one);
            network_free(&net);
        }
}

/* network_forward_backward is network_forward, loss_backward of the whole
 * batch and network_backward, bit for bit: the outputs, the logits and the
 * gradient; for each loss (mse on one sigmoid output and on three softmax
 * ones, bce, ce), each engine, one and two threads, and point counts from
 * one block of one chunk to chunks of several blocks (parallel.h), on
 * narrow layers and on wide ones (gemm.c). The fused pass takes each block
 * forward and back in turn; nothing it computes may change with that. */
static void forward_backward_equals_its_three_calls(void **state)
{
    (void)state;
    struct {
        int hidden[2], outputs;
        Activation out_act;
        Loss loss;
    } nets[] = {{{16, 16}, 1, ACT_SIGMOID, LOSS_MSE},
                {{16, 16}, 1, ACT_SIGMOID, LOSS_BCE},
                {{12, 9}, 3, ACT_SOFTMAX, LOSS_CE},
                {{12, 9}, 3, ACT_SOFTMAX, LOSS_MSE},
                {{64, 72}, 1, ACT_SIGMOID, LOSS_MSE}};
    const int points[] = {1, 100, 3000, 9000};
    Rng rng;
    rng_seed(&rng, 11);
    for (size_t i = 0; i < sizeof nets / sizeof *nets; i++)
        for (size_t pi = 0; pi < sizeof points / sizeof *points; pi++)
            for (int e = 0; e < ENGINE_COUNT; e++)
                for (int threads = 1; threads <= 2; threads++) {
                    int n = points[pi], k = nets[i].outputs;
                    if (all_engines[e] == ENGINE_PLAIN && (threads > 1 || n > 3000))
                        continue; /* the plain engine has no threads; and is slow */
                    Network net;
                    assert_int_equal(network_init(&net, nets[i].hidden, 2, k, ACT_TANH,
                                                  nets[i].out_act, INIT_XAVIER, &rng),
                                     0);
                    double *x = malloc(sizeof *x * 2 * n), *y = malloc(sizeof *y * n);
                    double *d = malloc(sizeof *d * n * k), *out = malloc(sizeof *out * n * k);
                    double *logits = malloc(sizeof *logits * n * k);
                    double *grad = network_params_like(&net), *fused = network_params_like(&net);
                    assert_true(x && y && d && out && logits && grad && fused);
                    fill_uniform(x, 2 * n, -1, 1, &rng);
                    for (int p = 0; p < n; p++)
                        y[p] = (double)(int)(rng_uniform(&rng) * (k == 1 ? 2 : k));
                    Workspace *ws = workspace_new_threads(&net, n, all_engines[e], threads);
                    assert_non_null(ws);
                    network_set_inputs(ws, x, n);
                    memcpy(out, network_forward(&net, ws), sizeof *out * n * k);
                    memcpy(logits, network_logits(ws), sizeof *logits * n * k);
                    if (loss_backward(nets[i].loss, d, out, y, n, n, k))
                        network_backward_z(&net, ws, d, grad);
                    else
                        network_backward(&net, ws, d, grad);
                    const double *fused_out =
                        network_forward_backward(&net, ws, nets[i].loss, y, fused);
                    assert_memory_equal(fused_out, out, sizeof *out * n * k);
                    assert_memory_equal(network_logits(ws), logits, sizeof *logits * n * k);
                    assert_memory_equal(fused, grad, sizeof *grad * net.n_params);
                    workspace_free(ws);
                    free(x), free(y), free(d), free(out), free(logits), free(grad), free(fused);
                    network_free(&net);
                }
}

/* loss_backward over the rows of a batch, a part at a time, gives the rows of
 * mse_backward, bce_backward and ce_backward over the whole batch. */
static void loss_backward_of_parts_is_the_whole_batchs(void **state)
{
    (void)state;
    enum { N = 37, K = 3 };
    Rng rng;
    rng_seed(&rng, 5);
    double out[N * K], y1[N], y3[N], whole[N * K], parts[N * K];
    fill_uniform(out, N * K, 0, 1, &rng);
    for (int p = 0; p < N; p++)
        y1[p] = p % 2, y3[p] = p % 3;
    for (int l = 0; l < LOSS_COUNT; l++) {
        Loss loss = (Loss)l;
        int k = loss == LOSS_BCE ? 1 : K;
        const double *y = k == 1 ? y1 : y3;
        if (loss == LOSS_MSE)
            mse_backward(whole, out, y, N, k);
        else if (loss == LOSS_BCE)
            bce_backward(whole, out, y, N);
        else
            ce_backward(whole, out, y, N, k);
        for (int from = 0, rows = 1; from < N; from += rows, rows += 4) {
            rows = from + rows > N ? N - from : rows;
            assert_int_equal(loss_backward(loss, parts + from * k, out + from * k, y + from, rows,
                                           N, k),
                             loss != LOSS_MSE);
        }
        assert_memory_equal(parts, whole, sizeof(double) * N * k);
    }
}

/* ------------------------------------------------------------------------ */
/* Whole network, against finite differences                                */

/* Every parameter's gradient from network_backward is compared with the
 * central difference (L(p + h) - L(p - h)) / 2h of mse_forward(network_forward),
 * h = 1e-5, by the relative error |a - b| / max(|a|, |b|, GC_FLOOR) < 1e-6,
 * for both engines and every pair of hidden and output activations.
 *
 * Error budget: the truncation error is ~h^2 |L'''| / 6 ~ 1e-11 (zero for
 * relu and none, whose loss is quadratic in any one parameter) and the
 * rounding error ~eps |L| / h ~ 1e-11 (up to 9e-12 measured on gradients of
 * 1e-6). That absolute noise is why the floor is 1e-4 and not 1e-8: with a
 * 1e-8 floor a correct gradient of 4e-6 fails at relative error 1.1e-6.
 * Gradients below the floor are thus held to |a - b| < 1e-10, ten times the
 * noise and far below any error a wrong backward pass makes. Gradients that
 * are exactly zero (dead relu units) give 0 on both sides.
 *
 * relu: the loss is not differentiable where a pre-activation is 0, and a
 * central difference straddling such a kink measures the average of two
 * slopes. Moving one parameter by h moves any pre-activation by at most a
 * few h here (inputs < 1, weights < 0.5, widths <= 16), so configurations
 * with a pre-activation within RELU_MARGIN = 100 h of 0 are re-drawn; on the
 * others the loss is smooth on [p - h, p + h]. Configurations whose relu
 * output is 0 for every sample (all gradients zero: the check would test
 * nothing) are re-drawn too. */
#define GC_STEP 1e-5
#define GC_TOL 1e-6
#define GC_FLOOR 1e-4
#define RELU_MARGIN (100 * GC_STEP)
#define GC_MAX_DRAWS 100
#define GC_MAX_POINTS 13
#define GC_MAX_WIDTH 16

typedef struct {
    int n_hidden;
    int hidden[3];
    int n_points;
} GcShape;

static const GcShape gc_shapes[] = {
    {1, {3}, 7}, {2, {4, 4}, 7}, {3, {5, 3, 2}, 7}, {2, {16, 16}, 7}, {1, {1}, 1}, {2, {6, 5}, 13},
};

/* Smallest |pre-activation| of any unit for any point of x (n, 2), by the
 * plain engine's layers. */
static double min_abs_preactivation(const Network *net, const double *x, int n)
{
    double m = INFINITY, a[GC_MAX_POINTS * GC_MAX_WIDTH], z[GC_MAX_POINTS * GC_MAX_WIDTH];
    memcpy(a, x, sizeof(double) * 2 * (size_t)n);
    for (int l = 0; l < net->n_layers; l++) {
        int ins = net->sizes[l], outs = net->sizes[l + 1];
        dense_forward(z, a, net->W[l], net->b[l], n, ins, outs);
        for (int k = 0; k < n * outs; k++)
            m = fmin(m, fabs(z[k]));
        activation_forward(a, z, n * outs,
                           l == net->n_layers - 1 ? net->output_act : net->hidden_act);
    }
    return m;
}

static int relu_config_is_usable(const Network *net, Workspace *ws, const double *x, int n)
{
    const double *out = network_forward(net, ws);
    int any_alive = net->output_act != ACT_RELU;
    for (int k = 0; k < n; k++)
        any_alive |= out[k] > 0.0;
    return any_alive && min_abs_preactivation(net, x, n) > RELU_MARGIN;
}

/* Draws a network and data for shape s (re-drawing relu configurations as
 * described above) and returns the largest relative error over all params. */
/* The loss checked, with (l2 / 2) the sum of the weights squared added. */
static double gc_loss(const Network *net, Workspace *ws, Loss loss, double l2, const double *y,
                      int n)
{
    const double *out = network_forward(net, ws);
    int k = network_outputs(net);
    double value = loss == LOSS_BCE  ? bce_forward(network_logits(ws), y, n)
                   : loss == LOSS_CE ? ce_forward(network_logits(ws), y, n, k)
                                     : mse_forward(out, y, n, k);
    for (int l = 0; l < net->n_layers; l++)
        for (int i = 0; i < net->sizes[l + 1] * net->sizes[l]; i++)
            value += 0.5 * l2 * net->W[l][i] * net->W[l][i];
    return value;
}

/* k outputs: 1 for two classes, else k classes. */
static double gradient_check_k(const GcShape *s, Engine engine, Activation act, Activation out_act,
                               Loss loss, int k, double l2, uint64_t seed)
{
    Rng rng;
    rng_seed(&rng, seed);
    Network net;
    Workspace *ws;
    double x[2 * GC_MAX_POINTS], y[GC_MAX_POINTS], dout[GC_MAX_POINTS * NET_MAX_OUTPUTS];
    int n = s->n_points;
    assert_true(n <= GC_MAX_POINTS);
    for (int draw = 0;; draw++) {
        assert_true(draw < GC_MAX_DRAWS);
        assert_int_equal(
            network_init(&net, s->hidden, s->n_hidden, k, act, out_act, INIT_UNIFORM, &rng), 0);
        fill_uniform(x, 2 * n, 0, 1, &rng);
        for (int i = 0; i < n; i++)
            y[i] = (int)(rng_uniform(&rng) * (k > 1 ? k : 2));
        assert_non_null(ws = workspace_new(&net, n, engine));
        network_set_inputs(ws, x, n);
        if ((act != ACT_RELU && out_act != ACT_RELU) || relu_config_is_usable(&net, ws, x, n))
            break;
        workspace_free(ws);
        network_free(&net);
    }

    double *analytic = network_params_like(&net);
    assert_non_null(analytic);
    if (loss == LOSS_BCE) {
        bce_backward(dout, network_forward(&net, ws), y, n);
        network_backward_z(&net, ws, dout, analytic);
    } else if (loss == LOSS_CE) {
        ce_backward(dout, network_forward(&net, ws), y, n, k);
        network_backward_z(&net, ws, dout, analytic);
    } else {
        mse_backward(dout, network_forward(&net, ws), y, n, k);
        network_backward(&net, ws, dout, analytic);
    }
    if (l2 > 0)
        l2_backward(&net, analytic, l2);

    double worst = 0.0;
    int nonzero = 0;
    for (int p = 0; p < net.n_params; p++) {
        double saved = net.params[p];
        double up = saved + GC_STEP, dn = saved - GC_STEP;
        net.params[p] = up;
        double loss_up = gc_loss(&net, ws, loss, l2, y, n);
        net.params[p] = dn;
        double loss_dn = gc_loss(&net, ws, loss, l2, y, n);
        net.params[p] = saved;
        double numeric = (loss_up - loss_dn) / (up - dn);
        double err = rel_err_floor(numeric, analytic[p], GC_FLOOR);
        if (!(err < GC_TOL))
            fail_msg("%s engine, %s hidden, %d %s outputs, %s, l2 %g, hidden[0] %d, %d layers, "
                     "param %d of %d: backward %.12g, finite difference %.12g (relative error "
                     "%.3g)",
                     engine_name(engine), activation_name(act), k, activation_name(out_act),
                     loss_name(loss), l2, s->hidden[0], s->n_hidden, p, net.n_params, analytic[p],
                     numeric, err);
        worst = fmax(worst, err);
        nonzero += analytic[p] != 0.0;
    }
    assert_true(nonzero > 0); /* the comparison was not between zeros only */

    free(analytic);
    workspace_free(ws);
    network_free(&net);
    return worst;
}

static double gradient_check(const GcShape *s, Engine engine, Activation act, Activation out_act,
                             Loss loss, double l2, uint64_t seed)
{
    return gradient_check_k(s, engine, act, out_act, loss, 1, l2, seed);
}

/* Every shape, three seeds, both engines; act on the hidden layers with
 * every output activation. */
static void gradient_check_all_shapes(Activation act)
{
    for (int e = 0; e < ENGINE_COUNT; e++)
        for (int o = 0; o < ACT_HIDDEN_COUNT; o++)
            for (size_t s = 0; s < sizeof gc_shapes / sizeof *gc_shapes; s++)
                for (uint64_t seed = 1; seed <= 3; seed++)
                    assert_true(gradient_check(&gc_shapes[s], all_engines[e], act,
                                               all_activations[o], LOSS_MSE, 0.0,
                                               100 * seed + s) < GC_TOL);
}

static void backward_matches_finite_differences_sigmoid(void **state)
{
    (void)state;
    gradient_check_all_shapes(ACT_SIGMOID);
}

static void backward_matches_finite_differences_tanh(void **state)
{
    (void)state;
    gradient_check_all_shapes(ACT_TANH);
}

static void backward_matches_finite_differences_relu(void **state)
{
    (void)state;
    gradient_check_all_shapes(ACT_RELU);
}

static void backward_matches_finite_differences_none(void **state)
{
    (void)state;
    gradient_check_all_shapes(ACT_NONE);
}

/* Binary cross-entropy (its gradient taken w.r.t. the sigmoid output's
 * pre-activation) under every hidden activation, and weight decay, on both
 * engines. */
static void bce_and_l2_backward_match_finite_differences(void **state)
{
    (void)state;
    for (int e = 0; e < ENGINE_COUNT; e++)
        for (int a = 0; a < ACT_HIDDEN_COUNT; a++)
            for (size_t s = 0; s < sizeof gc_shapes / sizeof *gc_shapes; s++)
                for (uint64_t seed = 1; seed <= 3; seed++) {
                    assert_true(gradient_check(&gc_shapes[s], all_engines[e], all_activations[a],
                                               ACT_SIGMOID, LOSS_BCE, 0.0,
                                               100 * seed + s) < GC_TOL);
                    assert_true(gradient_check(&gc_shapes[s], all_engines[e], all_activations[a],
                                               all_activations[a], LOSS_MSE, 0.3,
                                               100 * seed + s) < GC_TOL);
                }
}

/* K outputs: softmax with cross-entropy (its gradient w.r.t. z), softmax
 * and sigmoid outputs under mse against one-hot targets (through the
 * softmax's backward), for 2, 3 and 5 classes, on both engines. */
static void k_outputs_backward_match_finite_differences(void **state)
{
    (void)state;
    static const int ks[] = {2, 3, 5};
    for (int e = 0; e < ENGINE_COUNT; e++)
        for (int a = 0; a < ACT_HIDDEN_COUNT; a++)
            for (size_t s = 0; s < sizeof gc_shapes / sizeof *gc_shapes; s++)
                for (size_t i = 0; i < sizeof ks / sizeof *ks; i++) {
                    uint64_t seed = 700 + 10 * s + i;
                    Activation hid = all_activations[a];
                    assert_true(gradient_check_k(&gc_shapes[s], all_engines[e], hid, ACT_SOFTMAX,
                                                 LOSS_CE, ks[i], 0.0, seed) < GC_TOL);
                    assert_true(gradient_check_k(&gc_shapes[s], all_engines[e], hid, ACT_SOFTMAX,
                                                 LOSS_MSE, ks[i], 0.0, seed) < GC_TOL);
                    assert_true(gradient_check_k(&gc_shapes[s], all_engines[e], hid, ACT_SIGMOID,
                                                 LOSS_MSE, ks[i], 0.2, seed) < GC_TOL);
                }
}

/* softmax: rows of probabilities, unchanged by a shift of z, finite for
 * huge z; ce by its definition -log p[y]; mse against one-hot targets;
 * accuracy by the largest output, the first of equals. */
static void softmax_ce_and_argmax_match_their_definitions(void **state)
{
    (void)state;
    const double z[6] = {1.0, 2.0, 3.0, -1.0, 0.0, 0.5};
    double a[6], shifted[6], b[6];
    softmax_forward(a, z, 2, 3);
    for (int p = 0; p < 2; p++) {
        double sum = 0.0, denom = 0.0;
        for (int c = 0; c < 3; c++)
            denom += exp(z[3 * p + c]);
        for (int c = 0; c < 3; c++) {
            assert_close(a[3 * p + c], exp(z[3 * p + c]) / denom, 1e-15);
            sum += a[3 * p + c];
            shifted[3 * p + c] = z[3 * p + c] + 700.0; /* e^703 overflows */
        }
        assert_close(sum, 1.0, 1e-15);
    }
    softmax_forward(b, shifted, 2, 3);
    for (int i = 0; i < 6; i++)
        assert_close(b[i], a[i], 1e-12);
    const double y[2] = {2, 0};
    double expected = -(log(a[2]) + log(a[3])) / 2;
    assert_close(ce_forward(z, y, 2, 3), expected, 1e-14);
    assert_close(ce_forward(shifted, y, 2, 3), expected, 1e-12);
    double dz[6];
    ce_backward(dz, a, y, 2, 3);
    assert_close(dz[2], (a[2] - 1.0) / 2, 1e-15);
    assert_close(dz[1], a[1] / 2, 1e-15);
    double mse = 0.0;
    for (int i = 0; i < 6; i++) {
        double t = i == 2 || i == 3 ? 1.0 : 0.0;
        mse += (a[i] - t) * (a[i] - t);
    }
    assert_close(mse_forward(a, y, 2, 3), mse / 6, 1e-15);
    const double out[9] = {0.2, 0.5, 0.3, 0.4, 0.4, 0.2, 0.1, 0.1, 0.8};
    assert_int_equal(predicted_class(out, 3), 1);
    assert_int_equal(predicted_class(out + 3, 3), 0); /* a tie: the first */
    assert_int_equal(predicted_class(out + 6, 3), 2);
    const double labels[3] = {1, 1, 2};
    assert_close(accuracy(out, labels, 3, 3), 2.0 / 3.0, 1e-15);
}

/* bce's value by its definition, -mean(y log p + (1 - y) log(1 - p)), where
 * that is accurate; finite and right where p rounds to 0 or 1. */
static void bce_matches_its_definition_and_stays_finite(void **state)
{
    (void)state;
    const double z[4] = {-2.0, 0.5, 3.0, 0.0}, y[4] = {0, 1, 0, 1};
    double expected = 0.0;
    for (int k = 0; k < 4; k++) {
        double p = sigm(z[k]);
        expected -= y[k] * log(p) + (1 - y[k]) * log(1 - p);
    }
    assert_close(bce_forward(z, y, 4), expected / 4, 1e-14);
    const double far[2] = {800.0, -800.0}, wrong[2] = {0, 1}, right[2] = {1, 0};
    assert_close(bce_forward(far, wrong, 2), 800.0, 1e-15); /* log(1 + e^800) - 0 */
    assert_true(bce_forward(far, right, 2) == 0.0);
    double dz[2];
    const double p[2] = {1.0, 0.0}; /* the sigmoids of far, rounded */
    bce_backward(dz, p, wrong, 2);
    assert_true(dz[0] == 0.5 && dz[1] == -0.5);
}

/* The engines' names, as --engine spells them. */
static void engine_parse_accepts_names_and_rejects_others(void **state)
{
    (void)state;
    Engine e = ENGINE_FAST;
    assert_int_equal(engine_parse("plain", &e), 0);
    assert_int_equal(e, ENGINE_PLAIN);
    assert_string_equal(engine_name(ENGINE_PLAIN), "plain");
    assert_int_equal(engine_parse("fast", &e), 0);
    assert_int_equal(e, ENGINE_FAST);
    assert_int_equal(engine_parse("Plain", &e), -1);
    assert_int_equal(engine_parse("", &e), -1);
    assert_int_equal(e, ENGINE_FAST);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dense_forward_matches_hand_values),
        cmocka_unit_test(dense_backward_matches_hand_values),
        cmocka_unit_test(dense_backward_without_dinp_still_sets_parameter_gradients),
        cmocka_unit_test(plain_dense_matches_hand_values),
        cmocka_unit_test(dense_layer_matches_reference_loops_on_odd_sizes),
        cmocka_unit_test(activation_forward_matches_closed_forms),
        cmocka_unit_test(activation_backward_matches_finite_differences),
        cmocka_unit_test(mse_matches_hand_values),
        cmocka_unit_test(mse_of_perfect_prediction_is_zero),
        cmocka_unit_test(accuracy_thresholds_strictly_above_half),
        cmocka_unit_test(activation_parse_accepts_names_and_rejects_others),
        cmocka_unit_test(network_check_shape_enforces_limits),
        cmocka_unit_test(parameter_layout_is_weights_then_bias_layer_by_layer),
        cmocka_unit_test(network_init_draws_parameters_from_minus_half_to_half),
        cmocka_unit_test(k_outputs_backward_match_finite_differences),
        cmocka_unit_test(softmax_ce_and_argmax_match_their_definitions),
        cmocka_unit_test(tiny_sigmoid_network_matches_hand_computation),
        cmocka_unit_test(output_activation_is_separate_from_hidden),
        cmocka_unit_test(forward_of_batch_equals_forward_of_each_sample),
        cmocka_unit_test(forward_pass_equals_its_layers_one_after_the_other),
        cmocka_unit_test(engine_parse_accepts_names_and_rejects_others),
        cmocka_unit_test(bce_and_l2_backward_match_finite_differences),
        cmocka_unit_test(bce_matches_its_definition_and_stays_finite),
        cmocka_unit_test(forward_backward_equals_its_three_calls),
        cmocka_unit_test(loss_backward_of_parts_is_the_whole_batchs),
        cmocka_unit_test(backward_matches_finite_differences_sigmoid),
        cmocka_unit_test(backward_matches_finite_differences_tanh),
        cmocka_unit_test(backward_matches_finite_differences_relu),
        cmocka_unit_test(backward_matches_finite_differences_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
