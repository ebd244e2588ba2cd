/* test_readers.c - what the readers of user files refuse rather than guess
 * (CSV line ends and first rows, models cut short, experiment files' indented
 * lines, repeated keys, equal values and long titles), the names outputs may
 * take from files, and that no model is written that could not be read back. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "experiment.h"
#include "model_io.h"
#include "run.h"

/* text read as the file "t.csv": the status, and d or the message */
static int read_csv(const char *text, size_t size, Dataset *d, char *err, size_t errlen)
{
    FILE *fp = fmemopen((void *)(uintptr_t)text, size, "r");
    assert_non_null(fp);
    int rc = csv_read_dataset_file(fp, "t.csv", d, err, errlen);
    fclose(fp);
    return rc;
}

static int read_experiment(const char *text, Experiment *exp, char *err, size_t errlen)
{
    FILE *fp = fmemopen((void *)(uintptr_t)text, strlen(text), "r");
    assert_non_null(fp);
    int rc = experiment_load_file(fp, "t.ini", exp, err, errlen);
    fclose(fp);
    return rc;
}

static void expect_experiment_error(const char *text, const char *expected)
{
    Experiment *exp = malloc(sizeof *exp);
    char err[512] = "";
    assert_non_null(exp);
    assert_int_equal(read_experiment(text, exp, err, sizeof err), IO_BAD_INPUT);
    assert_string_equal(err, expected);
    free(exp);
}

/* A lone "\r" (old Mac files) ended no line: three points were one line, and
 * the first of them the only point read. */
static void csv_every_line_end_ends_a_line(void **state)
{
    (void)state;
    static const char *const texts[] = {"0,0,1\r0.5,0.5,0\r1,1,1\r", "0,0,1\r\n0.5,0.5,0\r\n1,1,1",
                                        "x1,x2,label\r0,0,1\n0.5,0.5,0\r\n1,1,1\r"};
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        Dataset d;
        char err[256];
        assert_int_equal(read_csv(texts[t], strlen(texts[t]), &d, err, sizeof err), IO_OK);
        assert_int_equal(d.n, 3);
        assert_true(d.x[2] == 0.5 && d.y[1] == 0.0 && d.x[4] == 1.0 && d.y[2] == 1.0);
        dataset_free(&d);
    }
    Dataset d;
    char err[256];
    static const char lines[] = "0,0,1\r\r0.5,0.5,x\r";
    assert_int_equal(read_csv(lines, strlen(lines), &d, err, sizeof err), IO_BAD_INPUT);
    /* lines counted as lines */
    assert_string_equal(err, "t.csv:3: label must be a class from 0 to 15 (0 or 1 for two)");
}

/* A first line whose first field was not a number was taken for a header
 * and skipped, so a point with a typo in it went missing unseen. */
static void csv_first_line_is_a_header_only_without_numbers(void **state)
{
    (void)state;
    Dataset d;
    char err[256];
    static const char typo[] = "O.1,0.2,1\n0.3,0.4,0\n";
    assert_int_equal(read_csv(typo, strlen(typo), &d, err, sizeof err), IO_BAD_INPUT);
    assert_string_equal(err, "t.csv:1: x1 and x2 must be finite numbers");
    static const char two[] = "x,y\n0.3,0.4,0\n";
    assert_int_equal(read_csv(two, strlen(two), &d, err, sizeof err), IO_BAD_INPUT);
    assert_string_equal(err, "t.csv:1: expected 3 fields \"x1,x2,label\", found 2");
    static const char header[] = "# points\n\nx1, x2 ,label\n0.3,0.4,0\n";
    assert_int_equal(read_csv(header, strlen(header), &d, err, sizeof err), IO_OK);
    assert_int_equal(d.n, 1);
    dataset_free(&d);
}

#define SMALL_MODEL                                                                                \
    "nnlab-model 1\nactivation tanh\nlayers 2 1 1\n"                                               \
    "layer 1 weights 1 2\n0.5 -0.5\nlayer 1 bias 1\n0.25\n"                                        \
    "layer 2 weights 1 1\n2\nlayer 2 bias 1\n-1.125"

/* A model file cut short inside its last number loaded with that number cut. */
static void model_number_cut_off_at_the_end_is_refused(void **state)
{
    (void)state;
    char err[256];
    Network net;
    static const char whole[] = SMALL_MODEL "\n";
    FILE *fp = fmemopen((void *)(uintptr_t)whole, strlen(whole), "r");
    assert_int_equal(model_read_file(fp, "t.txt", &net, NULL, err, sizeof err), IO_OK);
    fclose(fp);
    assert_true(net.params[4] == -1.125);
    network_free(&net);
    static const char cut[] = SMALL_MODEL;
    fp = fmemopen((void *)(uintptr_t)cut, strlen(cut), "r");
    assert_int_equal(model_read_file(fp, "t.txt", &net, NULL, err, sizeof err), IO_BAD_INPUT);
    fclose(fp);
    assert_null(net.params);
    assert_string_equal(err, "t.txt:11: the file ends inside the number \"-1.125\" (cut short?); a "
                             "model file ends with a line end");
}

/* Labels are classes 0 to NET_MAX_OUTPUTS - 1: whole numbers, nothing else. */
static void csv_labels_are_classes(void **state)
{
    (void)state;
    Dataset d;
    char err[256];
    static const char three[] = "0,0,0\n1,0,2\n0,1,1\n1,1,2.0\n";
    assert_int_equal(read_csv(three, strlen(three), &d, err, sizeof err), IO_OK);
    assert_int_equal(d.n, 4);
    assert_int_equal(dataset_classes(&d), 3);
    assert_true(d.y[1] == 2.0 && d.y[3] == 2.0);
    dataset_free(&d);
    const char *bad[] = {"0,0,1.5\n", "0,0,-1\n", "0,0,16\n", "0,0,nan\n", "0,0,1e300\n"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(read_csv(bad[i], strlen(bad[i]), &d, err, sizeof err), IO_BAD_INPUT);
        assert_string_equal(err, "t.csv:1: label must be a class from 0 to 15 (0 or 1 for two)");
    }
}

/* A network of K softmax outputs is saved with K as its last size and read
 * back the same; softmax is refused on hidden layers and on one output. */
static void model_with_k_outputs_round_trips(void **state)
{
    (void)state;
    Network net, back;
    Rng rng;
    rng_seed(&rng, 3);
    char err[256], path[] = "/tmp/nnlab-test-model-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(
        network_init(&net, (const int[]){4}, 1, 3, ACT_TANH, ACT_SOFTMAX, INIT_XAVIER, &rng), 0);
    const ModelOrigin origin = {LOSS_CE, INIT_XAVIER};
    ModelOrigin read_origin;
    assert_int_equal(model_write(path, &net, &origin, err, sizeof err), 0);
    assert_int_equal(model_read(path, &back, &read_origin, err, sizeof err), IO_OK);
    assert_int_equal(network_outputs(&back), 3);
    assert_int_equal(back.output_act, ACT_SOFTMAX);
    assert_int_equal(read_origin.loss, LOSS_CE);
    assert_memory_equal(back.params, net.params, sizeof(double) * (size_t)net.n_params);
    network_free(&back);
    network_free(&net);
    unlink(path);
    static const char *const bad[] = {
        "nnlab-model 2\nactivation softmax\noutput-activation softmax\nloss ce\ninit uniform\n"
        "layers 2 1 3\nlayer 1 weights 1 2\n",
        "nnlab-model 2\nactivation tanh\noutput-activation softmax\nloss ce\ninit uniform\n"
        "layers 2 1 1\nlayer 1 weights 1 2\n",
        "nnlab-model 2\nactivation tanh\noutput-activation sigmoid\nloss mse\ninit uniform\n"
        "layers 2 1 17\nlayer 1 weights 1 2\n"};
    static const char *const why[] = {"t.txt:6: softmax is an output activation of 2 or more "
                                      "outputs only",
                                      "t.txt:6: softmax is an output activation of 2 or more "
                                      "outputs only",
                                      "t.txt:6: layers must list 2, at least one hidden size, and "
                                      "the outputs (1 for two classes, K for K classes, at most 16)"};
    for (int i = 0; i < 3; i++) {
        FILE *fp = fmemopen((void *)(uintptr_t)bad[i], strlen(bad[i]), "r");
        assert_int_equal(model_read_file(fp, "t.txt", &back, NULL, err, sizeof err), IO_BAD_INPUT);
        fclose(fp);
        assert_string_equal(err, why[i]);
    }
}

/* A network whose weights model_read refuses is never written. */
static void model_write_refuses_what_model_read_would(void **state)
{
    (void)state;
    int hidden[] = {2};
    Network net;
    char err[256];
    assert_int_equal(network_alloc(&net, hidden, 1, 1, ACT_SIGMOID, ACT_SIGMOID), 0);
    assert_true(model_loadable(&net));
    const ModelOrigin origin = {LOSS_MSE, INIT_UNIFORM};
    const double bad[] = {NAN, INFINITY, 2 * MODEL_MAX_ABS, -2 * MODEL_MAX_ABS};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        net.params[1] = bad[i];
        assert_false(model_loadable(&net));
        assert_int_equal(model_write("/nonexistent/never.txt", &net, &origin, err, sizeof err), -1);
        assert_non_null(strstr(err, "not all finite numbers within +-1e+100"));
    }
    network_free(&net);
}

/* An indented line went on with any value: "epochs = 100000" then "    7"
 * trained 7 epochs; a key given twice took the last. */
static void experiment_indented_lines_and_repeated_keys(void **state)
{
    (void)state;
    expect_experiment_error("[train]\nepochs = 100000\n    7\n",
                            "t.ini:3: epochs: an indented line goes on with the value of epochs, "
                            "which is one value (only title and description go on over indented "
                            "lines)");
    expect_experiment_error("[vary]\nlr = 0.1,\n\t0.01\n",
                            "t.ini:3: lr: an indented line goes on with the value of lr, which is "
                            "one value (only title and description go on over indented lines)");
    expect_experiment_error("[train]\nepochs = 10\n[train.xor]\nepochs = 5\n[train]\nepochs = 7\n",
                            "t.ini:6: epochs is set twice in [train] (first on line 2): one value "
                            "is accepted");
    Experiment *exp = malloc(sizeof *exp);
    char err[256];
    assert_non_null(exp);
    assert_int_equal(read_experiment("[experiment]\ntitle = A\n  long title\ndescription = "
                                     "One\n  two\n\tthree\n",
                                     exp, err, sizeof err),
                     IO_OK);
    assert_string_equal(exp->title, "A long title");
    assert_string_equal(exp->description, "One two three");
    free(exp);
}

/* Values equal as numbers were two runs of one setting. */
static void experiment_equal_values_are_one_value(void **state)
{
    (void)state;
    expect_experiment_error("[vary]\nlr = 0.1, 0.01, 1e-1\n",
                            "t.ini:2: lr: \"1e-1\" is the same value as \"0.1\"");
    expect_experiment_error("[vary]\nepochs = 10, 010\n",
                            "t.ini:2: epochs: \"010\" is the same value as \"10\"");
    expect_experiment_error("[vary]\nhidden = 4x4, 8, 4,4\n", /* 4,4: two values, 4 and 4 */
                            "t.ini:2: hidden: \"4\" is the same value as \"4x4\"");
    expect_experiment_error("[vary]\nhidden = 16, 4, 16x16\n",
                            "t.ini:2: hidden: \"16x16\" is the same value as \"16\"");
    /* the same on sigmoid hidden layers, not on tanh ones */
    expect_experiment_error(
        "[vary]\noutput-activation = sigmoid, same\n",
        "t.ini:2: output-activation: \"same\" is the same value as \"sigmoid\"");
    Experiment *exp = malloc(sizeof *exp);
    char err[256];
    assert_non_null(exp);
    assert_int_equal(read_experiment("[train]\nactivation = tanh\n[vary]\noutput-activation = "
                                     "sigmoid, same\n",
                                     exp, err, sizeof err),
                     IO_OK);
    assert_int_equal(exp->n_values, 2);
    assert_int_equal(read_experiment("[experiment]\nprediction_of = 0.010\n[vary]\nlr = 0.1, "
                                     "0.01\n",
                                     exp, err, sizeof err),
                     IO_OK);
    assert_int_equal(exp->prediction_of, 1);
    free(exp);
}

/* A title cut at its limit could end in half a character. */
static void experiment_title_is_cut_between_characters(void **state)
{
    (void)state;
    char text[256] = "[experiment]\ntitle = ab";
    for (int i = 0; i < 29; i++)
        strcat(text, "caf\xc3\xa9 ");
    Experiment *exp = malloc(sizeof *exp);
    char err[256];
    assert_non_null(exp);
    assert_int_equal(read_experiment(text, exp, err, sizeof err), IO_OK);
    size_t n = strlen(exp->title);
    assert_true(n >= sizeof exp->title - 4 && n < sizeof exp->title);
    assert_true(((unsigned char)exp->title[n - 1] & 0xC0) != 0xC0); /* no lead byte alone */
    assert_true((unsigned char)exp->title[n - 1] != 0xc3);
    assert_true(strncmp(exp->title + n - 4, "caf", 3) == 0 || exp->title[n - 1] == ' ' ||
                strncmp(exp->title + n - 5, "caf\xc3\xa9", 5) == 0);
    free(exp);
}

/* data = replaces the data sets: with datasets, or in [train.NAME], it is refused. */
static void experiment_data_file_is_the_one_data_set(void **state)
{
    (void)state;
    expect_experiment_error("[experiment]\ndatasets = xor\n[train]\ndata = p.csv\n",
                            "t.ini:4: data: a data file and datasets (line 2) are both given; one "
                            "of them is accepted");
    expect_experiment_error("[train.xor]\ndata = p.csv\n",
                            "t.ini:2: data: a data file goes in [train], in place of the data "
                            "sets");
    expect_experiment_error("[train]\ndata = p.csv\n[train.xor]\nepochs = 5\n",
                            "t.ini:4: [train.xor] is for the data set xor, but the runs use the "
                            "data file of [train] (settings for every run go in [train])");
    expect_experiment_error("[train]\ndata = my points.csv\n",
                            "t.ini:2: data: \"my points.csv\" cannot name the figures and run "
                            "folders: " RUN_NAME_RULE " is accepted");
    Experiment *exp = malloc(sizeof *exp);
    char err[256];
    assert_non_null(exp);
    assert_int_equal(read_experiment("[train]\ndata = in/points.v2.csv\n", exp, err, sizeof err),
                     IO_OK);
    assert_int_equal(exp->n_datasets, 1);
    assert_string_equal(experiment_dataset_name(exp, 0), "points.v2");
    free(exp);
}

/* seeds = N runs every setting with seeds 0..N-1, a list with those seeds:
 * data set, then value, then seed; each run's own seed, its value's label. */
static void experiment_seeds_make_runs_per_seed(void **state)
{
    (void)state;
    Experiment *exp = malloc(sizeof *exp);
    RunSpec *runs = malloc(EXP_MAX_RUNS * sizeof *runs);
    char err[256];
    assert_non_null(exp);
    assert_non_null(runs);
    assert_int_equal(read_experiment("[experiment]\ndatasets = linear, xor\nseeds = 3\n"
                                     "[vary]\nlr = 0.1, 0.5\n",
                                     exp, err, sizeof err),
                     IO_OK);
    assert_int_equal(experiment_count_runs(exp, err, sizeof err), 12);
    assert_int_equal(experiment_runs_per_dataset(exp), 6);
    assert_int_equal(experiment_runs(exp, runs), 12);
    for (int r = 0; r < 12; r++) {
        assert_int_equal(runs[r].train.seed, r % 3);
        assert_ptr_equal(runs[r].dataset, dataset_find(r < 6 ? "linear" : "xor"));
        assert_string_equal(runs[r].label, r % 6 < 3 ? "LR: 0.1" : "LR: 0.5");
        assert_true(runs[r].train.lr == (r % 6 < 3 ? 0.1 : 0.5));
    }
    assert_int_equal(read_experiment("[experiment]\nseeds = 7, 0, 3\n", exp, err, sizeof err),
                     IO_OK);
    assert_int_equal(experiment_runs(exp, runs), 6);
    assert_int_equal(runs[0].train.seed, 7);
    assert_int_equal(runs[2].train.seed, 3);
    /* without seeds: one run per setting, with its own seed */
    assert_int_equal(read_experiment("[train]\nseed = 5\n", exp, err, sizeof err), IO_OK);
    assert_int_equal(exp->n_seeds, 0);
    assert_int_equal(experiment_runs(exp, runs), 2);
    assert_int_equal(runs[1].train.seed, 5);
    free(runs);
    free(exp);
    expect_experiment_error("[experiment]\nseeds = 0\n",
                            "t.ini:2: seeds: \"0\" is not a number of seeds from 1 to 100 or a "
                            "list of seeds");
    expect_experiment_error("[experiment]\nseeds = 4\n[vary]\nseed = 1, 2\n",
                            "t.ini:4: seed: [experiment] seeds gives the seeds of every run; "
                            "seed is accepted without seeds only");
}

/* Names of outputs taken from files' names are taken whole or refused. */
static void output_names_from_files(void **state)
{
    (void)state;
    char name[RUN_NAME_MAX + 1];
    assert_int_equal(run_name_from_path("experiments/different_lr.ini", name, sizeof name), 0);
    assert_string_equal(name, "different_lr");
    assert_int_equal(run_name_from_path("a.b-c_d", name, sizeof name), 0);
    assert_string_equal(name, "a");
    static const char *const refused[] = {
        "...ini",
        "..",
        ".",
        ".hidden.ini",
        "-x.ini",
        "a b.ini",
        "a%nb.ini",
        "a\nb.ini",
        "caf\xc3\xa9.ini",
        "caf\xe9.ini",
        "dir/",
        "",
        "a$b.ini",
        "a:b.ini",
        "0123456789012345678901234567890123456789012345678901234567890123.ini"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        assert_int_equal(run_name_from_path(refused[i], name, sizeof name), -1);
    assert_int_equal(
        run_name_from_path("012345678901234567890123456789012345678901234567890123456789012.ini",
                           name, sizeof name),
        0);
    char err[256], shown[64];
    assert_int_equal(run_check_figure_folder("plots/a%b/x", err, sizeof err), 0);
    assert_int_equal(run_check_figure_folder("plots/a%nb", err, sizeof err), -1);
    run_printable("a\nb\xe9\xc3\xa9!", shown, sizeof shown);
    assert_string_equal(shown, "a?b?\xc3\xa9!");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_every_line_end_ends_a_line),
        cmocka_unit_test(csv_first_line_is_a_header_only_without_numbers),
        cmocka_unit_test(model_number_cut_off_at_the_end_is_refused),
        cmocka_unit_test(model_write_refuses_what_model_read_would),
        cmocka_unit_test(csv_labels_are_classes),
        cmocka_unit_test(model_with_k_outputs_round_trips),
        cmocka_unit_test(experiment_indented_lines_and_repeated_keys),
        cmocka_unit_test(experiment_equal_values_are_one_value),
        cmocka_unit_test(experiment_title_is_cut_between_characters),
        cmocka_unit_test(experiment_data_file_is_the_one_data_set),
        cmocka_unit_test(experiment_seeds_make_runs_per_seed),
        cmocka_unit_test(output_names_from_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
