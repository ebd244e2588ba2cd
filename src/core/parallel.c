/* parallel.c - the fast engine on several threads (see parallel.h): the
 * chunks of a batch shared out among threads started for each pass, the
 * calling thread one of them, and the chunks' gradients added up in chunk
 * order, the parameters shared out the same way. */
#define _GNU_SOURCE /* sched_getaffinity */
#include "parallel.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

/* A pass's multiply-adds below which one thread does it all: starting a
 * thread costs tens of microseconds, which a small pass does not pay back.
 * This changes only who computes, never what. */
#define PAR_MIN_MADDS (1 << 20)

int par_cores_available(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return 1;
    int n = CPU_COUNT(&set);
    return n < 1 ? 1 : n > PAR_MAX_THREADS ? PAR_MAX_THREADS : n;
}

/* Chunks for n points: depends on n alone (see parallel.h). */
static int chunks_for(int n)
{
    int c = (n + PAR_CHUNK_ROWS - 1) / PAR_CHUNK_ROWS;
    return c < 1 ? 1 : c > PAR_MAX_CHUNKS ? PAR_MAX_CHUNKS : c;
}

/* The most points a chunk of any n <= max_rows holds. */
static int chunk_room(int max_rows)
{
    int room = (max_rows + PAR_MAX_CHUNKS - 1) / PAR_MAX_CHUNKS;
    room = room > PAR_CHUNK_ROWS ? room : PAR_CHUNK_ROWS;
    return room < max_rows ? room : max_rows;
}

/* ------------------------------------------------------------------------ */
/* Running tasks on threads                                                 */

/* What the threads of one parallel step share: task t of count is run by
 * thread t % threads. */
typedef struct {
    void (*task)(void *ctx, int t);
    void *ctx;
    int count, threads;
} Step;

typedef struct {
    const Step *step;
    int first;
} Worker;

static void *worker_run(void *arg)
{
    const Worker *w = arg;
    for (int t = w->first; t < w->step->count; t += w->step->threads)
        w->step->task(w->step->ctx, t);
    return NULL;
}

/* Runs task(ctx, 0 .. count-1) on up to `threads` threads, this one among
 * them, and returns when all are done. A thread that cannot be started
 * leaves its tasks to this one: slower, the same result. */
static void run_tasks(int threads, int count, void (*task)(void *ctx, int t), void *ctx)
{
    if (threads > count)
        threads = count;
    Step step = {task, ctx, count, threads > 1 ? threads : 1};
    Worker workers[PAR_MAX_THREADS];
    pthread_t ids[PAR_MAX_THREADS];
    int started[PAR_MAX_THREADS] = {0};
    for (int w = 1; w < step.threads; w++) {
        workers[w] = (Worker){&step, w};
        started[w] = pthread_create(&ids[w], NULL, worker_run, &workers[w]) == 0;
    }
    workers[0] = (Worker){&step, 0};
    worker_run(&workers[0]);
    for (int w = 1; w < step.threads; w++) {
        if (started[w])
            pthread_join(ids[w], NULL);
        else
            worker_run(&workers[w]);
    }
}

/* ------------------------------------------------------------------------ */
/* The pass                                                                 */

int par_pass_alloc(ParallelPass *p, const Network *net, int max_rows, int threads)
{
    memset(p, 0, sizeof *p);
    p->threads = threads < 1 ? 1 : threads > PAR_MAX_THREADS ? PAR_MAX_THREADS : threads;
    p->max_rows = max_rows;
    p->n_params = net->n_params;
    for (int l = 0; l < net->n_layers; l++)
        p->madds_per_point += (double)net->sizes[l] * net->sizes[l + 1];
    int chunks = chunks_for(max_rows), room = chunk_room(max_rows), L = net->n_layers, ok = 1;
    /* rows whose activations, every layer's (padded as fast.h pads them), fill a block */
    size_t row_bytes = 0;
    for (int l = 0; l <= L; l++)
        row_bytes +=
            sizeof(double) * (size_t)(l == L ? net->sizes[l] : net_round_up(net->sizes[l]));
    size_t rows = PAR_BLOCK_BYTES / row_bytes / 8 * 8;
    p->block_rows = rows < PAR_BLOCK_MIN_ROWS ? PAR_BLOCK_MIN_ROWS : (int)rows;
    int blocks = room > p->block_rows;
    for (int c = 0; c < chunks && ok; c++) {
        ok = fast_pass_alloc(&p->chunk[c], net, room) == 0;
        p->allocated += ok;
        if (ok && c > 0)
            ok = (p->grad[c] = network_params_like(net)) != NULL;
        if (ok && blocks)
            ok = (p->block_grad[c] = network_params_like(net)) != NULL;
    }
    for (int c = 1; c < chunks && ok; c++) /* the wide layers' weights laid out once */
        for (int l = 0; l < L; l++)
            fast_dense_share_panels(&p->chunk[c].layer[l], &p->chunk[0].layer[l]);
    for (int c = 0; c < p->allocated; c++) /* by par_forward, before each pass */
        p->chunk[c].prepared = 1;
    if (ok && chunks > 1) {
        size_t room_all = (size_t)net_round_up(max_rows * net->sizes[L]);
        ok = (p->out = fast_alloc_lines(room_all)) != NULL &&
             (p->logits = fast_alloc_lines(room_all)) != NULL;
    }
    if (!ok) {
        par_pass_free(p);
        return -1;
    }
    p->n = 0;
    return 0;
}

void par_pass_free(ParallelPass *p)
{
    for (int c = 0; c < p->allocated; c++)
        fast_pass_free(&p->chunk[c]);
    for (int c = 0; c < PAR_MAX_CHUNKS; c++) {
        free(p->grad[c]);
        free(p->block_grad[c]);
    }
    free(p->out);
    free(p->logits);
    memset(p, 0, sizeof *p);
}

void par_set_inputs(ParallelPass *p, const double *x, int n)
{
    p->n = n;
    p->chunks = chunks_for(n);
    for (int c = 0; c <= p->chunks; c++)
        p->lo[c] = (int)((long long)n * c / p->chunks);
    for (int c = 0; c < p->chunks; c++)
        fast_set_inputs(&p->chunk[c], x + (size_t)NET_INPUTS * p->lo[c], p->lo[c + 1] - p->lo[c]);
    p->busy = (double)n * p->madds_per_point < PAR_MIN_MADDS ? 1 : p->threads;
}

/* What the tasks of a pass need besides the pass itself: for backward the
 * gradient from above, dout; for a training pass the loss and labels. */
typedef struct {
    const Network *net;
    ParallelPass *p;
    const double *dout;
    int is_dz;
    double *grad;
    Loss loss;
    const double *y; /* (n) */
} PassTask;

/* Rows from .. from+rows-1 of chunk pass f, as a pass of their own: the
 * same layers and room, every array of rows starting at row `from`; but
 * with `reuse`, the layers' activations above the inputs at row 0, for a
 * block whose forward and backward passes run one right after the other
 * (train_chunk): then every block of the chunk goes through the same
 * rows, which stay in the cache, rather than through rows of its own that
 * are written to memory and read back. */
static FastPass block_of(const FastPass *f, const Network *net, int from, int rows, int reuse)
{
    FastPass b = *f;
    b.n = rows;
    for (int l = 0; l <= net->n_layers; l++)
        b.act[l] = f->act[l] + (size_t)(l > 0 && reuse ? 0 : from) * f->ld[l];
    size_t out_at = (size_t)from * network_outputs(net); /* rows without padding */
    b.logits = f->logits + out_at;
    b.out = f->out + out_at;
    b.dout = f->dout + out_at;
    return b;
}

/* Chunk c's outputs and logits copied into the gathered rows, if there are
 * several chunks. */
static void gather_chunk(const Network *net, ParallelPass *p, int c)
{
    if (p->chunks == 1)
        return;
    const FastPass *f = &p->chunk[c];
    int k = network_outputs(net);
    size_t at = (size_t)p->lo[c] * k, count = (size_t)f->n * k;
    memcpy(p->out + at, f->out, count * sizeof *p->out);
    memcpy(p->logits + at, f->logits, count * sizeof *p->out);
}

/* Chunk c forward, a block at a time; then, if there are several chunks,
 * its outputs and logits copied into the gathered rows. */
static void forward_chunk(void *ctx, int c)
{
    PassTask *t = ctx;
    ParallelPass *p = t->p;
    FastPass *f = &p->chunk[c];
    if (f->n <= p->block_rows) /* one block: the chunk itself, not a copy */
        fast_forward(t->net, f);
    for (int from = 0; from < f->n && f->n > p->block_rows; from += p->block_rows) {
        int rows = f->n - from < p->block_rows ? f->n - from : p->block_rows;
        FastPass b = block_of(f, t->net, from, rows, 0);
        fast_forward(t->net, &b);
    }
    gather_chunk(t->net, p, c);
}

const double *par_forward(const Network *net, ParallelPass *p)
{
    for (int c = 0; c < p->chunks; c++) /* chunk 0 first: the others share its panels */
        fast_prepare(net, &p->chunk[c]);
    PassTask t = {.net = net, .p = p};
    run_tasks(p->busy, p->chunks, forward_chunk, &t);
    return p->chunks == 1 ? p->chunk[0].out : p->out;
}

const double *par_logits(const ParallelPass *p)
{
    return p->chunks == 1 ? p->chunk[0].logits : p->logits;
}

/* Chunk c backward, a block at a time, into the result's gradient (chunk 0)
 * or its own: the first block's gradient there, each next block's added. */
static void backward_chunk(void *ctx, int c)
{
    PassTask *t = ctx;
    ParallelPass *p = t->p;
    FastPass *f = &p->chunk[c];
    int k = network_outputs(t->net);
    const double *dout = t->dout + (size_t)p->lo[c] * k;
    double *grad = c == 0 ? t->grad : p->grad[c];
    if (f->n <= p->block_rows) { /* one block: the chunk itself */
        fast_backward(t->net, f, dout, t->is_dz, grad);
        return;
    }
    for (int from = 0; from < f->n; from += p->block_rows) {
        int rows = f->n - from < p->block_rows ? f->n - from : p->block_rows;
        FastPass b = block_of(f, t->net, from, rows, 0);
        double *g = from == 0 ? grad : p->block_grad[c];
        fast_backward(t->net, &b, dout + (size_t)from * k, t->is_dz, g);
        if (from > 0)
            for (int i = 0; i < p->n_params; i++)
                grad[i] += g[i];
    }
}

/* Slice s of the parameters (of as many as the threads): the result's
 * gradient plus chunks 1, 2, ... in that order. */
static void reduce_slice(void *ctx, int s)
{
    PassTask *t = ctx;
    ParallelPass *p = t->p;
    int slices = p->busy, per = (p->n_params + slices - 1) / slices;
    per = (per + 7) / 8 * 8; /* whole cache lines */
    int from = s * per, to = from + per < p->n_params ? from + per : p->n_params;
    for (int c = 1; c < p->chunks; c++) {
        const double *g = p->grad[c];
        for (int i = from; i < to; i++)
            t->grad[i] += g[i];
    }
}

void par_backward(const Network *net, ParallelPass *p, const double *dout, int is_dz, double *grad)
{
    PassTask t = {.net = net, .p = p, .dout = dout, .is_dz = is_dz, .grad = grad};
    run_tasks(p->busy, p->chunks, backward_chunk, &t);
    if (p->chunks > 1)
        run_tasks(p->busy, p->busy, reduce_slice, &t);
}

/* Chunk c forward and back a block at a time: each block's loss gradient
 * (its rows of the batch's) and backward pass right after its forward pass,
 * while its activations are in the cache; the gradients added up as
 * backward_chunk adds them. */
static void train_chunk(void *ctx, int c)
{
    PassTask *t = ctx;
    ParallelPass *p = t->p;
    FastPass *f = &p->chunk[c];
    int k = network_outputs(t->net);
    double *grad = c == 0 ? t->grad : p->grad[c];
    for (int from = 0; from < f->n; from += p->block_rows) {
        int rows = f->n - from < p->block_rows ? f->n - from : p->block_rows;
        FastPass block, *b = f; /* one block: the chunk itself, not a copy */
        if (f->n > p->block_rows)
            block = block_of(f, t->net, from, rows, 1), b = &block;
        const double *out = fast_forward(t->net, b);
        int is_dz = loss_backward(t->loss, b->dout, out, t->y + p->lo[c] + from, rows, p->n, k);
        double *g = from == 0 ? grad : p->block_grad[c];
        fast_backward(t->net, b, b->dout, is_dz, g);
        if (from > 0)
            for (int i = 0; i < p->n_params; i++)
                grad[i] += g[i];
    }
    gather_chunk(t->net, p, c);
}

const double *par_forward_backward(const Network *net, ParallelPass *p, Loss loss,
                                   const double *y, double *grad)
{
    for (int c = 0; c < p->chunks; c++) /* chunk 0 first: the others share its panels */
        fast_prepare(net, &p->chunk[c]);
    PassTask t = {.net = net, .p = p, .grad = grad, .loss = loss, .y = y};
    run_tasks(p->busy, p->chunks, train_chunk, &t);
    if (p->chunks > 1)
        run_tasks(p->busy, p->busy, reduce_slice, &t);
    return p->chunks == 1 ? p->chunk[0].out : p->out;
}
