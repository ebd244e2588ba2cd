/* test_farm_message.c - unit tests of farm.h's message of a run's result
 * (src/mpi/message.c): what a worker sends, rank 0 takes back bit for bit
 * into the run it prepared, and a message that does not fit is refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "farm.h"
#include "settings.h"

static RunSpec spec_of(const char *hidden, const char *stop_accuracy)
{
    RunSpec spec = run_spec_default();
    char err[256];
    const char *settings[][2] = {
        {"dataset", "circle"},
        {"points", "60"},
        {"test-fraction", "0.25"},
        {"hidden", hidden},
        {"epochs", "40"},
        {"seed", "3"},
        {"lr", "0.3"},
        {"stop-accuracy", stop_accuracy},
    };
    for (size_t k = 0; k < sizeof settings / sizeof settings[0]; k++)
        if (run_spec_set(&spec, settings[k][0], settings[k][1], err, sizeof err) != 0)
            fail_msg("%s = %s: %s", settings[k][0], settings[k][1], err);
    return spec;
}

static void prepare(const RunSpec *spec, RunResult *res)
{
    char err[256];
    if (run_prepare(spec, res, err, sizeof err) != 0)
        fail_msg("run_prepare: %s", err);
}

static void *message_of(const RunResult *res, int index, size_t *size)
{
    *size = farm_message_size(res);
    void *buf = malloc(*size);
    assert_non_null(buf);
    farm_pack(res, index, buf);
    return buf;
}

static void assert_same_doubles(const double *a, const double *b, long n)
{
    assert_true(n == 0 || (a && b));
    if (n)
        assert_memory_equal(a, b, (size_t)n * sizeof(double));
}

/* A result trained here and one received into a run prepared apart. */
static void round_trip(const char *stop_accuracy, TrainStatus status)
{
    RunSpec spec = spec_of("6x5", stop_accuracy);
    RunResult sent, got;
    prepare(&spec, &sent);
    prepare(&spec, &got);
    assert_int_equal(run_train(&spec, &sent, NULL, NULL), status);
    assert_true(sent.test.n > 0 && sent.hist.n > 0);
    /* the prepared run does not already hold what training gives */
    assert_true(
        memcmp(sent.net.params, got.net.params, (size_t)sent.net.n_params * sizeof(double)) != 0);

    size_t size;
    void *buf = message_of(&sent, 7, &size);
    long k = sent.net.sizes[sent.net.n_layers];
    size_t doubles = FARM_SCALARS + 4 * (size_t)sent.hist.n + (size_t)(sent.data.n * k) +
                     (size_t)(sent.test.n * k) + (size_t)sent.net.n_params;
    assert_int_equal(size, FARM_HEADER_WORDS * sizeof(int64_t) + doubles * sizeof(double));
    assert_int_equal(farm_message_run(buf, size), 7);

    char err[512];
    if (farm_unpack(buf, size, &got, err, sizeof err) != 0)
        fail_msg("farm_unpack: %s", err);
    assert_int_equal(got.status, status);
    assert_int_equal(got.hist.n, sent.hist.n);
    assert_same_doubles(got.hist.loss, sent.hist.loss, sent.hist.n);
    assert_same_doubles(got.hist.accuracy, sent.hist.accuracy, sent.hist.n);
    assert_same_doubles(got.hist.test_loss, sent.hist.test_loss, sent.hist.n);
    assert_same_doubles(got.hist.test_accuracy, sent.hist.test_accuracy, sent.hist.n);
    assert_same_doubles(got.output, sent.output, sent.data.n * k);
    assert_same_doubles(got.test_output, sent.test_output, sent.test.n * k);
    assert_same_doubles(got.net.params, sent.net.params, sent.net.n_params);
    double a[5] = {sent.seconds, sent.final_loss, sent.final_accuracy, sent.test_loss,
                   sent.test_accuracy};
    double b[5] = {got.seconds, got.final_loss, got.final_accuracy, got.test_loss,
                   got.test_accuracy};
    assert_memory_equal(a, b, sizeof a);
    free(buf);
    run_result_free(&sent);
    run_result_free(&got);
}

static void a_trained_run_comes_back_bit_for_bit(void **state)
{
    (void)state;
    round_trip("off", TRAIN_DONE);
}

static void an_early_stop_keeps_its_status_and_shorter_history(void **state)
{
    (void)state;
    round_trip("0.5", TRAIN_REACHED_ACCURACY);
}

static void a_run_out_of_memory_sends_its_status_alone(void **state)
{
    (void)state;
    RunSpec spec = spec_of("6x5", "off");
    RunResult sent, got;
    prepare(&spec, &sent);
    prepare(&spec, &got);
    sent.status = TRAIN_NOMEM;
    size_t size;
    void *buf = message_of(&sent, 0, &size);
    assert_int_equal(size, FARM_HEADER_WORDS * sizeof(int64_t) + FARM_SCALARS * sizeof(double));
    char err[512];
    assert_int_equal(farm_unpack(buf, size, &got, err, sizeof err), 0);
    assert_int_equal(got.status, TRAIN_NOMEM);
    assert_int_equal(got.hist.n, 0);
    free(buf);
    run_result_free(&sent);
    run_result_free(&got);
}

static void a_message_that_does_not_fit_is_refused(void **state)
{
    (void)state;
    RunSpec spec = spec_of("6x5", "off"), other = spec_of("6", "off");
    RunResult sent, got;
    prepare(&spec, &sent);
    prepare(&other, &got);
    assert_int_equal(run_train(&spec, &sent, NULL, NULL), TRAIN_DONE);
    size_t size;
    unsigned char *buf = message_of(&sent, 2, &size);
    char err[512] = "";

    /* another network's result */
    assert_int_equal(farm_unpack(buf, size, &got, err, sizeof err), -1);
    assert_non_null(strstr(err, "does not fit"));
    run_result_free(&got);

    prepare(&spec, &got);
    double before = got.net.params[0];
    /* cut short, or one byte too many */
    err[0] = '\0';
    assert_int_equal(farm_unpack(buf, size - sizeof(double), &got, err, sizeof err), -1);
    assert_true(err[0] != '\0');
    unsigned char *longer = malloc(size + 1);
    assert_non_null(longer);
    memcpy(longer, buf, size);
    longer[size] = 0;
    assert_int_equal(farm_unpack(longer, size + 1, &got, err, sizeof err), -1);
    free(longer);
    /* not a result at all */
    buf[0] ^= 1;
    assert_int_equal(farm_message_run(buf, size), -1);
    assert_int_equal(farm_unpack(buf, size, &got, err, sizeof err), -1);
    assert_int_equal(farm_message_run(buf, 3), -1);
    /* refused messages leave the run as prepared */
    assert_true(got.net.params[0] == before);
    assert_int_equal(got.hist.n, 0);

    free(buf);
    run_result_free(&sent);
    run_result_free(&got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_trained_run_comes_back_bit_for_bit),
        cmocka_unit_test(an_early_stop_keeps_its_status_and_shorter_history),
        cmocka_unit_test(a_run_out_of_memory_sends_its_status_alone),
        cmocka_unit_test(a_message_that_does_not_fit_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
