/* test_settings.c - the table of settings (settings.h): every row complete,
 * the defaults those of the original project, values read, refused,
 * described and named as the rows say. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "settings.h"

/* Every row has a key, a help line and a title, parses its own default,
 * and a row that names runs can describe them. */
static void every_row_is_complete(void **state)
{
    (void)state;
    int n;
    const Setting *table = settings_table(&n);
    assert_true(n >= 26);
    for (int i = 0; i < n; i++) {
        const Setting *s = &table[i];
        assert_true(s->key && s->key[0] && s->arg && s->help && s->help[0]);
        assert_true(s->title && s->title[0] && s->set);
        assert_ptr_equal(setting_find(s->key), s);
        assert_string_equal(setting_title(s->key), s->title);
        if (s->flags & SETTING_IN_NAME)
            assert_non_null(s->describe);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(s->key, table[j].key);
        if (s->fallback) {
            RunSpec spec = run_spec_default();
            char err[256];
            assert_int_equal(run_spec_set(&spec, s->key, s->fallback, err, sizeof err), 0);
        }
    }
    assert_null(setting_find("learning_rate"));
    assert_string_equal(setting_title("nope"), "nope");
}

/* The original's run: linear, 2-16-16-1 sigmoid, lr 0.1, sgd, 100000 epochs, seed 0. */
static void defaults_are_the_original_projects(void **state)
{
    (void)state;
    RunSpec s = run_spec_default();
    assert_string_equal(s.dataset->name, "linear");
    assert_string_equal(s.data_path, "");
    assert_string_equal(s.load_model, "");
    assert_int_equal(s.n_hidden, 2);
    assert_int_equal(s.hidden[0], 16);
    assert_int_equal(s.hidden[1], 16);
    assert_int_equal(s.activation, ACT_SIGMOID);
    assert_int_equal(run_output_activation(&s), ACT_SIGMOID);
    assert_true(s.train.lr == 0.1);
    assert_int_equal(s.train.optimizer, OPT_SGD);
    assert_true(s.train.momentum == 0.9);
    assert_int_equal(s.train.epochs, 100000);
    assert_int_equal(s.train.engine, ENGINE_FAST);
    assert_int_equal(s.train.loss, LOSS_MSE);
    assert_int_equal(s.init, INIT_UNIFORM);
    assert_int_equal(s.train.batch_size, 0);
    assert_true(s.train.l2 == 0.0);
    assert_int_equal(s.train.schedule, SCHEDULE_CONSTANT);
    assert_true(s.train.stop_loss < 0 && s.train.stop_accuracy > 1 && s.train.patience == 0);
    assert_true(s.train.beta1 == 0.9 && s.train.beta2 == 0.999 && s.train.eps == 1e-8);
    assert_true(s.train.rho == 0.9);
    assert_int_equal((int)s.train.seed, 0);
    assert_int_equal(s.given, 0);
    char text[512];
    run_spec_describe(&s, text, sizeof text);
    assert_string_equal(text, "linear, sigmoid, lr 0.1, hidden 16,16, sgd, 100000 epochs, seed 0");
    run_spec_name(&s, text, sizeof text);
    assert_string_equal(text, "linear_sigmoid_lr0.1_hidden16,16_sgd_seed0");
}

/* Values set through the table land in their fields and mark the setting
 * given; the output activation follows the hidden one until set. */
static void values_are_set_and_marked_given(void **state)
{
    (void)state;
    RunSpec s = run_spec_default();
    char err[256];
    assert_int_equal(run_spec_set(&s, "activation", "tanh", err, sizeof err), 0);
    assert_int_equal(run_output_activation(&s), ACT_TANH);
    assert_false(run_spec_given(&s, "output-activation"));
    assert_int_equal(run_spec_set(&s, "output-activation", "sigmoid", err, sizeof err), 0);
    assert_int_equal(run_output_activation(&s), ACT_SIGMOID);
    assert_int_equal(run_spec_set(&s, "engine", "plain", err, sizeof err), 0);
    assert_int_equal(s.train.engine, ENGINE_PLAIN);
    /* threads: the cores by default, never part of a run's description */
    assert_int_equal(s.train.threads, train_cores_available());
    assert_false(run_spec_given(&s, "threads"));
    assert_int_equal(run_spec_set(&s, "threads", "3", err, sizeof err), 0);
    assert_int_equal(s.train.threads, 3);
    assert_true(run_spec_given(&s, "threads"));
    assert_int_equal(run_spec_set(&s, "hidden", "32,16,8", err, sizeof err), 0);
    assert_int_equal(s.n_hidden, 3);
    assert_int_equal(run_spec_set(&s, "dataset", "xor", err, sizeof err), 0);
    assert_int_equal(run_spec_set(&s, "optimizer", "momentum", err, sizeof err), 0);
    assert_int_equal(run_spec_set(&s, "momentum", "0.5", err, sizeof err), 0);
    assert_true(run_spec_given(&s, "activation") && run_spec_given(&s, "engine"));
    assert_false(run_spec_given(&s, "lr"));
    assert_false(run_spec_given(&s, "no-such-setting"));
    char text[512];
    run_spec_describe(&s, text, sizeof text);
    assert_string_equal(text, "xor, tanh, sigmoid output, lr 0.1, hidden 32,16,8, momentum, "
                              "beta 0.5, 100000 epochs, seed 0, plain engine");
    run_spec_describe_except(&s, "output-activation", text, sizeof text);
    assert_null(strstr(text, "output"));
    run_spec_name(&s, text, sizeof text);
    assert_string_equal(text,
                        "xor_tanh_sigmoid-output_lr0.1_hidden32,16,8_momentum_beta0.5_seed0_plain-"
                        "engine");
    const char *more[][2] = {{"loss", "bce"},        {"init", "he"},          {"l2", "0.001"},
                             {"batch-size", "10"},   {"lr-schedule", "step"}, {"lr-step", "500"},
                             {"stop-accuracy", "1"}, {"patience", "50"},      {"optimizer", "adam"},
                             {"beta1", "0.8"}};
    for (size_t k = 0; k < sizeof more / sizeof *more; k++)
        assert_int_equal(run_spec_set(&s, more[k][0], more[k][1], err, sizeof err), 0);
    run_spec_describe(&s, text, sizeof text);
    assert_string_equal(text,
                        "xor, tanh, sigmoid output, bce loss, he init, lr 0.1, lr x0.5 every "
                        "500 epochs, hidden 32,16,8, adam, beta1 0.8, l2 0.001, batch 10, "
                        "100000 epochs, stop at accuracy 1, patience 50, seed 0, plain engine");
    /* same: back to following the hidden activation */
    assert_int_equal(run_spec_set(&s, "output-activation", "same", err, sizeof err), 0);
    assert_int_equal(run_output_activation(&s), ACT_TANH);
}

/* A refused value leaves one message saying what is accepted, and the
 * field as it was. */
static void bad_values_are_refused_with_what_is_accepted(void **state)
{
    (void)state;
    const char *cases[][3] = {
        {"dataset", "swirl",
         "unknown data set \"swirl\" (linear, xor, circle, quadrants, gauss, spiral, moons, spiral3 or blobs3)"},
        {"activation", "softmax",
         "not a hidden activation \"softmax\" (sigmoid, tanh, relu or none; softmax is for the output)"},
        {"output-activation", "x",
         "unknown activation \"x\" (sigmoid, tanh, relu, none or softmax, or same)"},
        {"optimizer", "adagrad",
         "unknown optimizer \"adagrad\" (sgd, momentum, nesterov, rmsprop or adam)"},
        {"engine", "gpu", "unknown engine \"gpu\" (fast or plain)"},
        {"lr", "0", "\"0\" is not a finite number greater than 0"},
        {"momentum", "1", "\"1\" is not a number from 0 up to (not including) 1"},
        {"epochs", "-1", "\"-1\" is not a whole number from 0 to 10000000"},
        {"no-such", "1",
         "unknown setting (dataset, points, noise, test-fraction, data, test-data, activation, "
         "output-activation, loss, init, lr, lr-schedule, lr-step, lr-gamma, hidden, optimizer, "
         "momentum, beta1, beta2, rho, eps, l2, clip, batch-size, epochs, stop-loss, "
         "stop-accuracy, patience, seed, load-model, engine, threads)"},
        {"threads", "0", "\"0\" is not a whole number from 1 to 64, or cores"},
        {"threads", "two", "\"two\" is not a whole number from 1 to 64, or cores"},
        {"noise", "-0.1", "\"-0.1\" is not a number from 0 to 10"},
        {"test-fraction", "1", "\"1\" is not default or a number from 0 up to 1"},
        {"points", "2000000", "\"2000000\" is not a whole number from 0 to 1000000"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        RunSpec s = run_spec_default(), before = s;
        char err[512] = "";
        if (run_spec_set(&s, cases[k][0], cases[k][1], err, sizeof err) != -1)
            fail_msg("%s = %s accepted", cases[k][0], cases[k][1]);
        assert_string_equal(err, cases[k][2]);
        assert_memory_equal(&s, &before, sizeof s);
    }
}

/* The keys that may be varied are the rows flagged so: not the data, the
 * data set or a model. */
static void varied_keys_come_from_the_flags(void **state)
{
    (void)state;
    char keys[512];
    setting_keys(SETTING_VARIES, keys, sizeof keys);
    assert_string_equal(keys,
                        "points, noise, test-fraction, activation, output-activation, loss, "
                        "init, lr, lr-schedule, "
                        "lr-step, lr-gamma, hidden, optimizer, momentum, beta1, beta2, rho, "
                        "eps, l2, clip, batch-size, epochs, stop-loss, stop-accuracy, patience, "
                        "seed, engine");
}

/* The usage text has a line for every setting, with its default. */
static void usage_lists_every_setting_with_its_default(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_non_null(fp);
    settings_usage(fp);
    fclose(fp);
    int n;
    const Setting *table = settings_table(&n);
    for (int i = 0; i < n; i++) {
        char option[64];
        snprintf(option, sizeof option, "  --%s %s ", table[i].key, table[i].arg);
        const char *at = strstr(text, option);
        if (!at)
            fail_msg("no line for --%s in:\n%s", table[i].key, text);
        if (table[i].fallback) {
            char fallback[64];
            snprintf(fallback, sizeof fallback, "(default %s)\n", table[i].fallback);
            const char *end = strstr(at, fallback);
            assert_non_null(end);
            /* the default closes this setting's lines, before the next option */
            const char *next = strstr(at + 3, "  --");
            assert_true(!next || end < next);
        }
    }
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_row_is_complete),
        cmocka_unit_test(defaults_are_the_original_projects),
        cmocka_unit_test(values_are_set_and_marked_given),
        cmocka_unit_test(bad_values_are_refused_with_what_is_accepted),
        cmocka_unit_test(varied_keys_come_from_the_flags),
        cmocka_unit_test(usage_lists_every_setting_with_its_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
