/* farm.c - the runs of an experiment across the ranks of an MPI job (farm.h).
 *
 * Two kinds of message: rank 0 sends a worker the index of its next run
 * (TAG_RUN, one int; NO_MORE_RUNS to let it go), and a worker sends back the
 * run's result (TAG_RESULT, message.c's bytes). Every rank waits for a
 * message by polling with sleeps rather than in a blocking call, which in
 * Open MPI spins and would take a core from the ranks that train when ranks
 * share cores (mpirun --oversubscribe); the sleeps grow from POLL_MIN to a
 * limit while nothing comes: rank 0, which waits through whole runs, wakes up
 * at most 1 / RANK0_POLL_MAX times a second; a worker, which waits only for
 * rank 0 to answer, looks again at least every WORKER_POLL_MAX. */
#include <limits.h>
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "farm.h"

enum { TAG_RUN = 1, TAG_RESULT = 2 };
#define NO_MORE_RUNS (-1)
#define POLL_MIN 20000         /* nanoseconds */
#define RANK0_POLL_MAX 1000000 /* 1 ms */
#define WORKER_POLL_MAX 200000 /* 0.2 ms */
#define ABORT_STATUS 1         /* cli.h's EXIT_RUNTIME */

/* The next, longer sleep. */
static long longer(long pause, long max) { return pause * 2 < max ? pause * 2 : max; }

/* Waits for req to complete. */
static void wait_sleeping(MPI_Request *req)
{
    long pause = POLL_MIN;
    for (;;) {
        int done = 0;
        MPI_Test(req, &done, MPI_STATUS_IGNORE);
        if (done)
            return;
        nanosleep(&(struct timespec){0, pause}, NULL);
        pause = longer(pause, WORKER_POLL_MAX);
    }
}

struct Farm {
    int rank, size;
    int agreed;   /* farm_agree was called */
    int status;   /* what it gave */
    int released; /* the workers were sent NO_MORE_RUNS */
};

int farm_available(void) { return 1; }

int farm_init(Farm **farm, char *err, size_t errlen)
{
    Farm *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (MPI_Init(NULL, NULL) != MPI_SUCCESS) {
        snprintf(err, errlen, "--mpi: MPI could not start (run under mpirun)");
        free(f);
        return -1;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &f->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &f->size);
    *farm = f;
    return 0;
}

int farm_leads(const Farm *farm) { return farm->rank == 0; }

int farm_agree(Farm *farm, int status)
{
    MPI_Allreduce(&status, &farm->status, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    farm->agreed = 1;
    return farm->status;
}

static bool keep_going(long epoch, double loss, double acc, void *ctx)
{
    (void)epoch, (void)loss, (void)acc;
    return !*(volatile sig_atomic_t *)ctx;
}

/* The runs' indices, the longest first: epochs x points x parameters (early
 * stops aside, what a run costs); equal ones in their order. */
typedef struct {
    double cost;
    int index;
} Order;

static int longest_first(const void *a, const void *b)
{
    const Order *x = a, *y = b;
    if (x->cost != y->cost)
        return x->cost < y->cost ? 1 : -1;
    return (x->index > y->index) - (x->index < y->index);
}

static Order *order_runs(const FarmRun *runs, int n)
{
    Order *order = malloc((size_t)(n ? n : 1) * sizeof *order);
    if (!order)
        return NULL;
    for (int i = 0; i < n; i++) {
        const RunResult *res = runs[i].res;
        order[i] = (Order){(double)runs[i].spec->train.epochs * res->data.n * res->net.n_params, i};
    }
    qsort(order, (size_t)n, sizeof *order, longest_first);
    return order;
}

static void give(int worker, int run)
{
    MPI_Send(&run, 1, MPI_INT, worker, TAG_RUN, MPI_COMM_WORLD);
}

static void fail(const char *what)
{
    fprintf(stderr, "nnlab run: --mpi: %s\n", what);
    MPI_Abort(MPI_COMM_WORLD, ABORT_STATUS);
}

/* A worker: prepares and trains the runs it is given until told there are no
 * more, holding one at a time. */
static void serve(FarmRun *runs, int n, volatile sig_atomic_t *stop)
{
    for (;;) {
        int i;
        MPI_Request req;
        MPI_Irecv(&i, 1, MPI_INT, 0, TAG_RUN, MPI_COMM_WORLD, &req);
        wait_sleeping(&req);
        if (i == NO_MORE_RUNS)
            return;
        if (i < 0 || i >= n)
            fail("rank 0 handed out a run that does not exist");
        RunResult *res = runs[i].res;
        char err[1024], msg[1100];
        if (run_prepare(runs[i].spec, res, err, sizeof err) != IO_OK) {
            /* rank 0 prepared it: this machine's files differ, or memory ran out */
            snprintf(msg, sizeof msg, "run %d on another rank: %s", i + 1, err);
            fail(msg);
        }
        *runs[i].started = 1;
        run_train(runs[i].spec, res, keep_going, (void *)stop);
        size_t size = farm_message_size(res);
        void *buf = malloc(size);
        if (!buf) { /* say so with the header alone */
            res->status = TRAIN_NOMEM;
            size = farm_message_size(res);
            buf = malloc(size);
            if (!buf)
                fail("out of memory for a result's message");
        }
        if (size > INT_MAX) /* MPI counts in ints */
            fail("a result of more than 2 GB cannot be sent");
        farm_pack(res, i, buf);
        MPI_Isend(buf, (int)size, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD, &req);
        wait_sleeping(&req);
        free(buf);
        run_result_free(res);
    }
}

/* Hands run order[*next] (or NO_MORE_RUNS) to worker w; returns 1 if a run. */
static int give_next(int w, FarmRun *runs, int n, const Order *order, int *next, int *given,
                     double *sent_at, volatile sig_atomic_t *stop)
{
    given[w] = *next < n && !*stop ? order[(*next)++].index : NO_MORE_RUNS;
    if (given[w] != NO_MORE_RUNS)
        *runs[given[w]].started = 1;
    sent_at[w] = run_clock();
    give(w, given[w]);
    return given[w] != NO_MORE_RUNS;
}

/* Rank 0 with workers: one run to each, then the next to whichever sends
 * back a result. */
static void lead(Farm *farm, FarmRun *runs, int n, const Order *order, FarmDone done, void *ctx,
                 volatile sig_atomic_t *stop, FarmStats *stats)
{
    int *given = malloc((size_t)farm->size * sizeof *given); /* each worker's run, or -1 */
    double *sent_at = malloc((size_t)farm->size * sizeof *sent_at);
    if (!given || !sent_at)
        fail("out of memory");
    int next = 0, busy = 0;
    for (int w = 1; w < farm->size; w++)
        busy += give_next(w, runs, n, order, &next, given, sent_at, stop);
    stats->workers = farm->size - 1;
    stats->ranks = busy;
    long pause = POLL_MIN;
    while (busy > 0) {
        int arrived = 0;
        MPI_Status st;
        MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &arrived, &st);
        if (!arrived) {
            nanosleep(&(struct timespec){0, pause}, NULL);
            pause = longer(pause, RANK0_POLL_MAX);
            continue;
        }
        pause = POLL_MIN;
        int count;
        MPI_Get_count(&st, MPI_BYTE, &count);
        void *buf = malloc(count > 0 ? (size_t)count : 1);
        if (!buf)
            fail("out of memory for a result's message");
        MPI_Recv(buf, count, MPI_BYTE, st.MPI_SOURCE, TAG_RESULT, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        int w = st.MPI_SOURCE, i = farm_message_run(buf, (size_t)count);
        char err[512], msg[700];
        if (i != given[w] || i < 0) {
            snprintf(msg, sizeof msg, "rank %d sent a result of run %d, not of its run %d", w,
                     i + 1, given[w] + 1);
            fail(msg);
        }
        if (farm_unpack(buf, (size_t)count, runs[i].res, err, sizeof err) != 0) {
            snprintf(msg, sizeof msg, "rank %d: %s", w, err);
            fail(msg);
        }
        free(buf);
        stats->runs++;
        stats->training += runs[i].res->seconds;
        stats->beyond += run_clock() - sent_at[w] - runs[i].res->seconds;
        if (done)
            done(i, ctx);
        busy -= !give_next(w, runs, n, order, &next, given, sent_at, stop);
    }
    free(given);
    free(sent_at);
    farm->released = 1;
}

FarmStats farm_train(Farm *farm, FarmRun *runs, int n, FarmDone done, void *ctx,
                     volatile sig_atomic_t *stop)
{
    FarmStats stats = {0};
    if (farm->rank != 0) {
        serve(runs, n, stop);
        return stats;
    }
    Order *order = order_runs(runs, n);
    if (!order)
        fail("out of memory");
    if (farm->size == 1) {
        stats.ranks = 1;
        for (int k = 0; k < n && !*stop; k++) {
            int i = order[k].index;
            *runs[i].started = 1;
            run_train(runs[i].spec, runs[i].res, keep_going, (void *)stop);
            stats.runs++;
            stats.training += runs[i].res->seconds;
            if (done)
                done(i, ctx);
        }
        farm->released = 1;
    } else {
        lead(farm, runs, n, order, done, ctx, stop, &stats);
    }
    free(order);
    return stats;
}

int farm_finish(Farm *farm, int status)
{
    if (!farm->agreed) /* left before preparing: the others are waiting to agree */
        farm_agree(farm, status ? status : ABORT_STATUS);
    if (farm->rank == 0 && farm->status == 0 && !farm->released)
        for (int w = 1; w < farm->size; w++)
            give(w, NO_MORE_RUNS);
    MPI_Finalize();
    free(farm);
    return status;
}
