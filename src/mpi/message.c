/* message.c - one run's result as a message between the ranks (farm.h):
 * the sizes first, then the arrays. No MPI here, so that it is tested in
 * every build. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "farm.h"

/* The lengths of a result's arrays, from its own fields. */
typedef struct {
    int64_t epochs, test_columns, output, test_output, params;
} Lengths;

static int64_t outputs_of(const Network *net) { return net->sizes[net->n_layers]; }

static Lengths lengths_of(const RunResult *res)
{
    if (res->status == TRAIN_NOMEM) /* nothing to send but the status */
        return (Lengths){0, 0, 0, 0, 0};
    int64_t k = outputs_of(&res->net);
    return (Lengths){
        .epochs = res->hist.n,
        .test_columns = res->hist.test_loss != NULL,
        .output = (int64_t)res->data.n * k,
        .test_output = (int64_t)res->test.n * k,
        .params = res->net.n_params,
    };
}

static size_t doubles_of(const Lengths *l)
{
    return FARM_SCALARS + (size_t)l->epochs * (2 + 2 * (size_t)l->test_columns) +
           (size_t)l->output + (size_t)l->test_output + (size_t)l->params;
}

size_t farm_message_size(const RunResult *res)
{
    Lengths l = lengths_of(res);
    return FARM_HEADER_WORDS * sizeof(int64_t) + doubles_of(&l) * sizeof(double);
}

static unsigned char *put(unsigned char *p, const void *src, size_t bytes)
{
    if (bytes)
        memcpy(p, src, bytes);
    return p + bytes;
}

void farm_pack(const RunResult *res, int index, void *buf)
{
    Lengths l = lengths_of(res);
    int64_t header[FARM_HEADER_WORDS] = {
        FARM_MAGIC, index, res->status, l.epochs, l.test_columns, l.output, l.test_output, l.params,
    };
    double scalars[FARM_SCALARS] = {res->seconds, res->final_loss, res->final_accuracy,
                                    res->test_loss, res->test_accuracy};
    size_t e = (size_t)l.epochs * sizeof(double);
    unsigned char *p = buf;
    p = put(p, header, sizeof header);
    p = put(p, scalars, sizeof scalars);
    if (res->status == TRAIN_NOMEM)
        return;
    p = put(p, res->hist.loss, e);
    p = put(p, res->hist.accuracy, e);
    if (l.test_columns) {
        p = put(p, res->hist.test_loss, e);
        p = put(p, res->hist.test_accuracy, e);
    }
    p = put(p, res->output, (size_t)l.output * sizeof(double));
    p = put(p, res->test_output, (size_t)l.test_output * sizeof(double));
    put(p, res->net.params, (size_t)l.params * sizeof(double));
}

int farm_message_run(const void *buf, size_t len)
{
    int64_t header[FARM_HEADER_WORDS];
    if (len < sizeof header)
        return -1;
    memcpy(header, buf, sizeof header);
    if (header[0] != FARM_MAGIC || header[1] < 0 || header[1] > INT32_MAX)
        return -1;
    return (int)header[1];
}

static const unsigned char *get(const unsigned char *p, void *dst, size_t bytes)
{
    if (bytes)
        memcpy(dst, p, bytes);
    return p + bytes;
}

int farm_unpack(const void *buf, size_t len, RunResult *res, char *err, size_t errlen)
{
    int64_t header[FARM_HEADER_WORDS];
    double scalars[FARM_SCALARS];
    if (farm_message_run(buf, len) < 0 || len < sizeof header + sizeof scalars) {
        snprintf(err, errlen, "a message of %zu bytes that is not a run's result", len);
        return -1;
    }
    const unsigned char *p = get(buf, header, sizeof header);
    p = get(p, scalars, sizeof scalars);
    int64_t status = header[2];
    if (status < TRAIN_DONE || status > TRAIN_NO_PROGRESS) {
        snprintf(err, errlen, "run %lld: unknown status %lld", (long long)header[1],
                 (long long)status);
        return -1;
    }
    /* what this rank prepared for the run must be what was trained */
    RunResult shape = *res;
    shape.status = (TrainStatus)status;
    shape.hist.n = header[3];
    Lengths want = lengths_of(&shape);
    Lengths got = {header[3], header[4], header[5], header[6], header[7]};
    if (got.epochs < 0 || got.epochs > res->hist.capacity ||
        got.test_columns != want.test_columns || got.output != want.output ||
        got.test_output != want.test_output || got.params != want.params) {
        snprintf(err, errlen,
                 "run %lld: the result (%lld epochs, %lld outputs, %lld test outputs, %lld "
                 "parameters) does not fit the run prepared here (at most %ld epochs, %lld, "
                 "%lld, %lld)",
                 (long long)header[1], (long long)got.epochs, (long long)got.output,
                 (long long)got.test_output, (long long)got.params, res->hist.capacity,
                 (long long)want.output, (long long)want.test_output, (long long)want.params);
        return -1;
    }
    size_t expected = sizeof header + doubles_of(&got) * sizeof(double);
    if (len != expected) {
        snprintf(err, errlen, "run %lld: a message of %zu bytes where %zu were expected",
                 (long long)header[1], len, expected);
        return -1;
    }
    res->status = shape.status;
    res->seconds = scalars[0];
    res->final_loss = scalars[1];
    res->final_accuracy = scalars[2];
    res->test_loss = scalars[3];
    res->test_accuracy = scalars[4];
    if (res->status == TRAIN_NOMEM)
        return 0;
    size_t e = (size_t)got.epochs * sizeof(double);
    res->hist.n = got.epochs;
    p = get(p, res->hist.loss, e);
    p = get(p, res->hist.accuracy, e);
    if (got.test_columns) {
        p = get(p, res->hist.test_loss, e);
        p = get(p, res->hist.test_accuracy, e);
    }
    p = get(p, res->output, (size_t)got.output * sizeof(double));
    p = get(p, res->test_output, (size_t)got.test_output * sizeof(double));
    get(p, res->net.params, (size_t)got.params * sizeof(double));
    return 0;
}
