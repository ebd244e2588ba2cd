/* test_fuzz_regressions.c - the saved fuzz inputs, and the reader bugs fuzzing
 * found, each pinned by the message it now gives.
 *
 * The harnesses of tests/fuzz/ are compiled in here without libFuzzer: every
 * file of tests/fuzz/corpus/NAME and tests/fuzz/regressions/NAME goes through
 * fuzz_NAME, which aborts when a reader breaks a promise; under
 * `make test SANITIZE=1` the sanitizers watch as they do while fuzzing. The
 * inputs are read from tests/fuzz, so run this from the top folder (as
 * `make test` does). A crash here does not say which input; after
 * `make fuzz-build`, build/fuzz/fuzz_NAME run on the files names each input
 * before it runs it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_NO_ENTRY
#include "fuzz/fuzz_csv.c"
#include "fuzz/fuzz_experiment.c"
#include "fuzz/fuzz_model.c"

typedef int (*FuzzTarget)(const uint8_t *data, size_t size);

/* The whole of path in a malloc'd buffer (*size bytes). */
static uint8_t *read_input(const char *path, size_t *size)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        fail_msg("%s: cannot read: %s", path, strerror(errno));
    size_t cap = 4096, n = 0, got;
    uint8_t *buf = malloc(cap);
    assert_non_null(buf);
    while ((got = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    assert_false(ferror(fp));
    fclose(fp);
    *size = n;
    return buf;
}

/* Feeds every file of dir (hidden ones aside) to target; returns the count. */
static int run_folder(const char *dir, FuzzTarget target)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0)
        fail_msg("%s: cannot list: %s (run from the top folder)", dir, strerror(errno));
    int count = 0;
    for (int i = 0; i < n; i++) {
        if (names[i]->d_name[0] != '.') {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
            size_t size;
            uint8_t *data = read_input(path, &size);
            target(data, size);
            free(data);
            count++;
        }
        free(names[i]);
    }
    free(names);
    return count;
}

static void run_saved_inputs(const char *name, FuzzTarget target)
{
    char dir[256];
    snprintf(dir, sizeof dir, "tests/fuzz/corpus/%s", name);
    int corpus = run_folder(dir, target);
    snprintf(dir, sizeof dir, "tests/fuzz/regressions/%s", name);
    int regressions = run_folder(dir, target);
    print_message("%s: %d corpus inputs, %d regression inputs\n", name, corpus, regressions);
    assert_true(corpus > 0); /* an empty corpus would make this test vacuous */
}

static void csv_saved_inputs_keep_every_promise(void **state)
{
    (void)state;
    run_saved_inputs("csv", fuzz_csv);
}

static void model_saved_inputs_keep_every_promise(void **state)
{
    (void)state;
    run_saved_inputs("model", fuzz_model);
}

static void experiment_saved_inputs_keep_every_promise(void **state)
{
    (void)state;
    run_saved_inputs("experiment", fuzz_experiment);
}

/* ------------------------------------------------------------------------ */
/* The bugs, one test each: text (size bytes, zero bytes allowed) read as the
 * file "t.EXT" must fail with exactly the message expected.                  */

static void expect_csv_error(const char *text, size_t size, const char *expected)
{
    FILE *fp = fuzz_open((const uint8_t *)text, size);
    Dataset d;
    char err[FUZZ_ERRLEN] = "";
    assert_int_equal(csv_read_dataset_file(fp, "t.csv", &d, err, sizeof err), -1);
    fclose(fp);
    assert_string_equal(err, expected);
}

static void expect_model_error(const char *text, size_t size, const char *expected)
{
    FILE *fp = fuzz_open((const uint8_t *)text, size);
    Network net;
    char err[FUZZ_ERRLEN] = "";
    assert_int_equal(model_read_file(fp, "t.txt", &net, NULL, err, sizeof err), -1);
    fclose(fp);
    assert_null(net.params);
    assert_string_equal(err, expected);
}

static void expect_experiment_error(const char *text, const char *expected)
{
    FILE *fp = fuzz_open((const uint8_t *)text, strlen(text));
    Experiment exp;
    char err[FUZZ_ERRLEN] = "";
    assert_int_equal(experiment_load_file(fp, "t.ini", &exp, err, sizeof err), -1);
    fclose(fp);
    assert_string_equal(err, expected);
}

/* A [vary] value of 64 characters or more was refused with a message built
 * from an uninitialised buffer ("lr: " and then stack garbage). */
static void experiment_too_long_varied_value_has_its_own_message(void **state)
{
    (void)state;
    expect_experiment_error(
        "[vary]\nlr = 0.1, 0.1000000000000000000000000000000000000000000000000000000000000001\n",
        "t.ini:2: lr: values of at most 63 characters are accepted");
}

/* "datasets = xor, xor" and "lr = 0.1, 0.1" were accepted: two runs writing
 * the same folder at once (runs/NAME/xor, runs/NAME/xor_lr-0.1). */
static void experiment_data_set_named_twice_is_refused(void **state)
{
    (void)state;
    expect_experiment_error("[experiment]\ndatasets = xor, xor\n",
                            "t.ini:2: datasets: \"xor\" is listed twice");
}

static void experiment_varied_value_listed_twice_is_refused(void **state)
{
    (void)state;
    expect_experiment_error("[experiment]\ntitle = t\n[vary]\nlr = 0.1, 0.01, 0.1\n",
                            "t.ini:4: lr: \"0.1\" is listed twice");
}

/* A zero byte cut a CSV line short unseen: "0,0,1\0junk" was the point
 * (0,0,1), and a zero byte at the start of an over-long line let the rest of
 * that line through as new lines. */
static void csv_zero_byte_is_refused(void **state)
{
    (void)state;
    static const char text[] = "x1,x2,label\n0,0,1\n0,1,0\0junk\n";
    expect_csv_error(text, sizeof text - 1, "t.csv:3: not a text file (has a zero byte)");
}

static void csv_zero_byte_cannot_hide_a_long_line(void **state)
{
    (void)state;
    char text[CSV_MAX_LINE + 64];
    memset(text, '7', sizeof text);
    text[0] = '\0';
    memcpy(text + sizeof text - 10, "0.5,0.5,1\n", 10);
    expect_csv_error(text, sizeof text, "t.csv:1: not a text file (has a zero byte)");
}

/* The line length limit is as before: CSV_MAX_LINE characters, '\n' aside. */
static void csv_line_of_max_length_is_read_one_more_is_refused(void **state)
{
    (void)state;
    char text[CSV_MAX_LINE + 2];
    memset(text, ' ', sizeof text);
    memcpy(text, "0.25,0.5,1", 10);
    text[CSV_MAX_LINE] = '\n';
    FILE *fp = fuzz_open((const uint8_t *)text, CSV_MAX_LINE + 1);
    Dataset d;
    char err[FUZZ_ERRLEN];
    assert_int_equal(csv_read_dataset_file(fp, "t.csv", &d, err, sizeof err), 0);
    fclose(fp);
    assert_int_equal(d.n, 1);
    assert_true(d.x[0] == 0.25 && d.x[1] == 0.5 && d.y[0] == 1.0);
    dataset_free(&d);

    text[CSV_MAX_LINE] = ' ';
    text[CSV_MAX_LINE + 1] = '\n';
    expect_csv_error(text, sizeof text, "t.csv:1: line longer than 1024 characters");
}

/* A token too long after the last layer was taken for the end of the file,
 * so the model was accepted with junk after it. */
#define SMALL_MODEL                                                                                \
    "nnlab-model 1\nactivation tanh\nlayers 2 1 1\n"                                               \
    "layer 1 weights 1 2\n0.5 -0.5\nlayer 1 bias 1\n0.25\n"                                        \
    "layer 2 weights 1 1\n2\nlayer 2 bias 1\n-1\n"

static void model_long_token_after_last_layer_is_refused(void **state)
{
    (void)state;
    static const char text[] = SMALL_MODEL
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n";
    expect_model_error(text, sizeof text - 1, "t.txt:12: token longer than 63 characters");
}

static void model_zero_byte_is_refused(void **state)
{
    (void)state;
    static const char text[] = SMALL_MODEL "\0junk";
    expect_model_error(text, sizeof text - 1, "t.txt:12: not a text file (has a zero byte)");
    static const char inside[] = "nnlab-model 1\0 junk\n";
    expect_model_error(inside, sizeof inside - 1, "t.txt:1: not a text file (has a zero byte)");
}

static void model_small_model_is_read(void **state)
{
    (void)state;
    FILE *fp = fuzz_open((const uint8_t *)SMALL_MODEL, strlen(SMALL_MODEL));
    Network net;
    char err[FUZZ_ERRLEN];
    assert_int_equal(model_read_file(fp, "t.txt", &net, NULL, err, sizeof err), 0);
    fclose(fp);
    assert_int_equal(net.n_layers, 2);
    assert_int_equal(net.hidden_act, ACT_TANH);
    assert_int_equal(net.output_act, ACT_TANH); /* a version 1 file: the output as the hidden */
    const double expected[] = {0.5, -0.5, 0.25, 2, -1};
    assert_int_equal(net.n_params, 5);
    for (int k = 0; k < 5; k++)
        assert_true(net.params[k] == expected[k]);
    network_free(&net);
}

/* The limits of experiment files, which fuzzing with inputs of a few KB
 * does not reach. */
static void experiment_file_limits_are_kept(void **state)
{
    (void)state;
    size_t size = EXP_MAX_FILE_BYTES + 1;
    char *text = malloc(size + 1);
    assert_non_null(text);
    for (size_t k = 0; k < size; k++)
        text[k] = k % 64 == 63 ? '\n' : ';';
    text[size] = '\0';
    expect_experiment_error(text, "t.ini: larger than 65536 bytes");
    text[size - 1] = '\0'; /* exactly EXP_MAX_FILE_BYTES of comments: fine */
    FILE *fp = fuzz_open((const uint8_t *)text, size - 1);
    Experiment exp;
    char err[FUZZ_ERRLEN];
    assert_int_equal(experiment_load_file(fp, "t.ini", &exp, err, sizeof err), 0);
    fclose(fp);
    free(text);

    static const char zero[] = "[train]\nlr = 0.1\0\n";
    fp = fuzz_open((const uint8_t *)zero, sizeof zero - 1);
    assert_int_equal(experiment_load_file(fp, "t.ini", &exp, err, sizeof err), -1);
    fclose(fp);
    assert_string_equal(err, "t.ini: not a text file (has a zero byte)");
}

/* The path functions open the file and name it in every message, as before. */
static void path_readers_name_the_missing_file(void **state)
{
    (void)state;
    char err[FUZZ_ERRLEN];
    Dataset d;
    Network net;
    Experiment exp;
    assert_int_equal(csv_read_dataset("/nonexistent/d.csv", &d, err, sizeof err), -1);
    assert_string_equal(err, "/nonexistent/d.csv: cannot read: No such file or directory");
    assert_int_equal(model_read("/nonexistent/m.txt", &net, NULL, err, sizeof err), -1);
    assert_string_equal(err, "/nonexistent/m.txt: cannot read: No such file or directory");
    assert_int_equal(experiment_load("/nonexistent/e.ini", &exp, err, sizeof err), -1);
    assert_string_equal(err, "/nonexistent/e.ini: cannot read: No such file or directory");
}

static void experiment_load_names_the_experiment_after_its_file(void **state)
{
    (void)state;
    char err[FUZZ_ERRLEN];
    Experiment exp;
    assert_int_equal(experiment_load("experiments/different_lr.ini", &exp, err, sizeof err), 0);
    assert_string_equal(exp.name, "different_lr");
    assert_string_equal(exp.vary_key, "lr");
    assert_int_equal(exp.n_values, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_saved_inputs_keep_every_promise),
        cmocka_unit_test(model_saved_inputs_keep_every_promise),
        cmocka_unit_test(experiment_saved_inputs_keep_every_promise),
        cmocka_unit_test(experiment_too_long_varied_value_has_its_own_message),
        cmocka_unit_test(experiment_data_set_named_twice_is_refused),
        cmocka_unit_test(experiment_varied_value_listed_twice_is_refused),
        cmocka_unit_test(csv_zero_byte_is_refused),
        cmocka_unit_test(csv_zero_byte_cannot_hide_a_long_line),
        cmocka_unit_test(csv_line_of_max_length_is_read_one_more_is_refused),
        cmocka_unit_test(model_long_token_after_last_layer_is_refused),
        cmocka_unit_test(model_zero_byte_is_refused),
        cmocka_unit_test(model_small_model_is_read),
        cmocka_unit_test(experiment_file_limits_are_kept),
        cmocka_unit_test(path_readers_name_the_missing_file),
        cmocka_unit_test(experiment_load_names_the_experiment_after_its_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
