/* test_readers.c - what the readers of user files refuse rather than guess
 * (CSV line ends and first rows, models cut short), and that no model is
 * written that could not be read back. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "model_io.h"

/* text read as the file "t.csv": the status, and d or the message */
static int read_csv(const char *text, size_t size, Dataset *d, char *err, size_t errlen)
{
    FILE *fp = fmemopen((void *)(uintptr_t)text, size, "r");
    assert_non_null(fp);
    int rc = csv_read_dataset_file(fp, "t.csv", d, err, errlen);
    fclose(fp);
    return rc;
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
    assert_string_equal(err, "t.csv:3: label must be 0 or 1"); /* lines counted as lines */
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
    assert_int_equal(model_read_file(fp, "t.txt", &net, err, sizeof err), IO_OK);
    fclose(fp);
    assert_true(net.params[4] == -1.125);
    network_free(&net);
    static const char cut[] = SMALL_MODEL;
    fp = fmemopen((void *)(uintptr_t)cut, strlen(cut), "r");
    assert_int_equal(model_read_file(fp, "t.txt", &net, err, sizeof err), IO_BAD_INPUT);
    fclose(fp);
    assert_null(net.params);
    assert_string_equal(err, "t.txt:11: the file ends inside the number \"-1.125\" (cut short?); a "
                             "model file ends with a line end");
}

/* A network whose weights model_read refuses is never written. */
static void model_write_refuses_what_model_read_would(void **state)
{
    (void)state;
    int hidden[] = {2};
    Network net;
    char err[256];
    assert_int_equal(network_alloc(&net, hidden, 1, ACT_SIGMOID, ACT_SIGMOID), 0);
    assert_true(model_loadable(&net));
    const double bad[] = {NAN, INFINITY, 2 * MODEL_MAX_ABS, -2 * MODEL_MAX_ABS};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        net.params[1] = bad[i];
        assert_false(model_loadable(&net));
        assert_int_equal(model_write("/nonexistent/never.txt", &net, err, sizeof err), -1);
        assert_non_null(strstr(err, "not all finite numbers within +-1e+100"));
    }
    network_free(&net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_every_line_end_ends_a_line),
        cmocka_unit_test(csv_first_line_is_a_header_only_without_numbers),
        cmocka_unit_test(model_number_cut_off_at_the_end_is_refused),
        cmocka_unit_test(model_write_refuses_what_model_read_would),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
