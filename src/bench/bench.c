/* bench.c - `make bench`: how fast nnlab trains, against the machine and numpy.
 *
 * For each configuration (data set, hidden sizes, activation) this times
 * full-batch training epochs on one core and prints the median microseconds
 * per epoch over many short timings, the configurations taking turns (see
 * time_training), the multiply-add rate that implies
 * (2 FLOP per multiply-add of the three matrix products of an epoch:
 * forward, weight gradients, input gradients; activations, loss and the
 * update are not counted), and that rate as a fraction of this core's peak,
 * measured here by a register-only loop of independent vector FMAs that
 * takes its turn with the configurations (see time_training). Given
 * --numpy CMD, it runs CMD (scripts/bench/numpy_mlp.py) on the same
 * configuration right after, and prints numpy's time and the ratio. Last,
 * two processes train at once, against one timed alone right before, to
 * show that independent runs scale across cores - next to two processes of
 * the FMA loop, which show how far this machine lets any two processes
 * scale.
 *
 * Timings on a shared machine are noisy: compare the ratios printed by one
 * run, not numbers across runs.
 *
 *     nnlab-bench [--numpy CMD] [--quick]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dataset.h"
#include "network.h"
#include "rng.h"
#include "train.h"

#include "../core/fast.h"  /* which variant of the kernels runs */
#include "../core/plain.h" /* sgd_update, to time an update alone */

/* Timings per configuration, the median reported. Many short timings
 * rather than a few long ones: on a shared machine a busy spell then spoils
 * some timings outright instead of slowing all of them a little. */
#define REPEATS 31
#define QUICK_REPEATS 9
#define NUMPY_REPEATS 7 /* numpy's own timings, each cfg->epochs / 2 epochs long */

typedef struct {
    const char *data; /* a data set of dataset.h */
    int hidden;       /* two hidden layers of this width */
    Activation act;
    long epochs; /* per timing */
    int batch;   /* points per update, 0: full batch */
    Optimizer opt;
    double lr;
} Config;

static const Config configs[] = {
    {"linear", 16, ACT_SIGMOID, 2000, 0, OPT_SGD, 0.1}, /* the reference run */
    {"linear", 64, ACT_SIGMOID, 200, 0, OPT_SGD, 0.1},
    {"xor", 16, ACT_SIGMOID, 5000, 0, OPT_SGD, 0.1},
    {"linear", 16, ACT_TANH, 2000, 0, OPT_SGD, 0.1},
    {"linear", 16, ACT_RELU, 2000, 0, OPT_SGD, 0.1},
    {"linear", 16, ACT_SIGMOID, 500, 10, OPT_SGD, 0.1}, /* mini-batches, as the reference */
    {"linear", 16, ACT_SIGMOID, 2000, 0, OPT_ADAM, 0.001},
};
#define MINIBATCH_CONFIG 5 /* compared with the reference, configs[0] */
#define N_CONFIGS (int)(sizeof configs / sizeof *configs)

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* ------------------------------------------------------------------------ */
/* The machine                                                              */

/* The "model name" line of /proc/cpuinfo, or "unknown". */
static void cpu_model(char *buf, size_t size)
{
    snprintf(buf, size, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) == 0 && colon) {
            snprintf(buf, size, "%s", colon + 2);
            buf[strcspn(buf, "\n")] = '\0';
            break;
        }
    }
    fclose(f);
}

/* The loop of fma_loop below, in vectors of `width` doubles with `chains`
 * accumulators (constants, so that the accumulators stay in registers),
 * as the body of a function returning GFLOP/s of one timing of PEAK_ITERS
 * iterations: `chains` chains acc = acc * m + c, each from its own start so
 * that none can be merged. */
#define FMA_LOOP_BODY(width, chains)                                                               \
    {                                                                                              \
        typedef double v __attribute__((vector_size((width) * sizeof(double))));                   \
        const v m = (v){0} + 0.999999999, c = (v){0} + 1e-9;                                       \
        v acc[chains];                                                                             \
        for (int j = 0; j < (chains); j++)                                                         \
            acc[j] = (v){0} + (2.0 + j); /* none at the fixed point 1 */                           \
        double t0 = now();                                                                         \
        for (long it = 0; it < PEAK_ITERS; it++)                                                   \
            for (int j = 0; j < (chains); j++)                                                     \
                acc[j] = acc[j] * m + c; /* one FMA under -ffp-contract=fast */                    \
        double dt = now() - t0;                                                                    \
        double sink = 0.0;                                                                         \
        for (int j = 0; j < (chains); j++)                                                         \
            sink += acc[j][0];                                                                     \
        if (sink == 42.0) /* never: keeps the loop's results alive */                              \
            puts("");                                                                              \
        return 2.0 * (width) * (chains) * (double)PEAK_ITERS / dt / 1e9;                           \
    }

#define PEAK_CHAINS 12      /* independent accumulators: more than FMA latency x units */
#define PEAK_ITERS 5000000L /* per timing: about as long as one timing of training */

/* The loop in the widest vectors the running core has, whatever the build
 * was compiled for: eight doubles with AVX-512, four with AVX2 and FMA,
 * else two; each width compiled for its own instruction set. */
#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx512f,fma"))) static double fma_loop_512(int chains)
{
    if (chains == 4)
        FMA_LOOP_BODY(8, 4)
    FMA_LOOP_BODY(8, PEAK_CHAINS)
}
__attribute__((target("avx2,fma"))) static double fma_loop_256(int chains)
{
    if (chains == 4)
        FMA_LOOP_BODY(4, 4)
    FMA_LOOP_BODY(4, PEAK_CHAINS)
}
#endif
static double fma_loop_128(int chains)
{
    if (chains == 4)
        FMA_LOOP_BODY(2, 4)
    FMA_LOOP_BODY(2, PEAK_CHAINS)
}

/* The vector width fma_loop uses here, in bits. */
static int peak_bits(void)
{
#if defined(__x86_64__) || defined(__i386__)
    if (__builtin_cpu_supports("avx512f"))
        return 512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return 256;
#endif
    return 128;
}

/* GFLOP/s of one core doing nothing but vector FMAs, one timing of the loop
 * above with `chains` accumulators (PEAK_CHAINS or 4), in the widest
 * vectors the core has. */
static double fma_loop(int chains)
{
#if defined(__x86_64__) || defined(__i386__)
    switch (peak_bits()) {
    case 512:
        return fma_loop_512(chains);
    case 256:
        return fma_loop_256(chains);
    }
#endif
    return fma_loop_128(chains);
}

/* The median of `repeats` timings of fma_loop(chains). */
static double fma_median(int chains, int repeats)
{
    double gflops[REPEATS];
    for (int r = 0; r < repeats; r++)
        gflops[r] = fma_loop(chains);
    return median(gflops, repeats);
}

/* One timing of the core's peak: enough chains to keep every FMA unit busy. */
static double fma_peak_once(void) { return fma_loop(PEAK_CHAINS); }

/* The peak, median of `repeats` timings. */
static double fma_peak(int repeats) { return fma_median(PEAK_CHAINS, repeats); }

/* The same loop with 4 chains, which waits on each FMA's latency rather
 * than filling the units: a register-only FMA loop can measure as little
 * as half the peak this way, which is worth knowing when comparing with
 * peak figures from elsewhere. Median of `repeats` timings. */
static double fma_latency_bound(int repeats) { return fma_median(4, repeats); }

/* ------------------------------------------------------------------------ */
/* Training                                                                 */

/* Multiply-adds of one epoch: forward n s_l s_l+1 per layer, weight
 * gradients the same, input gradients for every layer but the first; with
 * mini-batches, one more forward pass, the whole set's evaluation. */
static double epoch_madds(const Network *net, int n, int batch)
{
    double m = 0.0;
    for (int l = 0; l < net->n_layers; l++) {
        double layer = (double)n * net->sizes[l] * net->sizes[l + 1];
        m += (l > 0 ? 3.0 : 2.0) * layer + (batch > 0 ? layer : 0.0);
    }
    return m;
}

typedef struct {
    double us_per_epoch; /* median */
    double madds;        /* per epoch */
} Timing;

/* One configuration ready to train: its data, network and trainer, from a
 * fixed seed. */
typedef struct {
    Dataset data;
    Network net;
    Trainer trainer;
} Trial;

static int trial_open(Trial *trial, const Config *cfg)
{
    Rng rng;
    rng_seed(&rng, 1);
    const int hidden[2] = {cfg->hidden, cfg->hidden};
    const DatasetInfo *data = dataset_find(cfg->data);
    if (data->generate(&trial->data, data->points, &rng) != 0)
        return -1;
    if (network_init(&trial->net, hidden, 2, cfg->act, cfg->act, INIT_UNIFORM, &rng) != 0) {
        dataset_free(&trial->data);
        return -1;
    }
    TrainConfig tc = train_config_default();
    tc.batch_size = cfg->batch;
    tc.optimizer = cfg->opt;
    tc.lr = cfg->lr;
    if (trainer_init(&trial->trainer, &trial->net, &trial->data, &tc) != 0) {
        network_free(&trial->net);
        dataset_free(&trial->data);
        return -1;
    }
    return 0;
}

static void trial_close(Trial *trial)
{
    trainer_free(&trial->trainer);
    network_free(&trial->net);
    dataset_free(&trial->data);
}

/* Microseconds per epoch over `epochs` epochs. */
static double time_epochs(Trial *trial, long epochs)
{
    double loss, acc, t0 = now();
    for (long e = 0; e < epochs; e++)
        trainer_epoch(&trial->trainer, &loss, &acc);
    return (now() - t0) / (double)epochs * 1e6;
}

/* Times n configurations, repeats timings of cfg[c].epochs epochs each,
 * after a warm-up. The configurations take turns - one timing of each, then
 * the next round - so that a busy spell of the machine lands on a few
 * timings of every configuration rather than on all timings of one. Unless
 * peak is NULL, each round also times the FMA peak loop, and *peak is its
 * median: the peak and the training rates it is compared with are then
 * measured side by side, under the same conditions, by the same statistic. */
static int time_training(const Config *cfgs, int n, int repeats, Timing *out, double *peak)
{
    Trial trials[N_CONFIGS];
    double us[N_CONFIGS][REPEATS], peaks[REPEATS];
    for (int c = 0; c < n; c++) {
        if (trial_open(&trials[c], &cfgs[c]) != 0) {
            while (c-- > 0)
                trial_close(&trials[c]);
            return -1;
        }
        time_epochs(&trials[c], cfgs[c].epochs); /* warm-up */
    }
    for (int r = 0; r < repeats; r++) {
        for (int c = 0; c < n; c++)
            us[c][r] = time_epochs(&trials[c], cfgs[c].epochs);
        if (peak)
            peaks[r] = fma_peak_once();
    }
    for (int c = 0; c < n; c++) {
        out[c].us_per_epoch = median(us[c], repeats);
        out[c].madds = epoch_madds(&trials[c].net, trials[c].data.n, cfgs[c].batch);
        trial_close(&trials[c]);
    }
    if (peak)
        *peak = median(peaks, repeats);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* numpy                                                                    */

/* The first line CMD prints, without its newline, or "" on failure. */
static void first_line_of(const char *cmd, char *buf, size_t size)
{
    buf[0] = '\0';
    FILE *p = popen(cmd, "r");
    if (!p)
        return;
    if (fgets(buf, (int)size, p))
        buf[strcspn(buf, "\n")] = '\0';
    if (pclose(p) != 0)
        buf[0] = '\0';
}

/* Runs the numpy benchmark on cfg; returns its microseconds per epoch, or -1. */
static double time_numpy(const char *numpy, const Config *cfg, int repeats)
{
    char cmd[1024], out[256];
    long epochs = cfg->epochs / 2;
    snprintf(cmd, sizeof cmd,
             "%s --data %s --hidden %d %d --activation %s --epochs %ld --repeat %d --batch %d "
             "--optimizer %s --lr %g",
             numpy, cfg->data, cfg->hidden, cfg->hidden, activation_name(cfg->act), epochs, repeats,
             cfg->batch, optimizer_name(cfg->opt), cfg->lr);
    first_line_of(cmd, out, sizeof out);
    char *end;
    double us = strtod(out, &end);
    return end != out && us > 0.0 ? us : -1.0;
}

/* ------------------------------------------------------------------------ */
/* Two processes at once                                                    */

/* What runs in each of the two processes: the reference configuration's
 * training, or with cfg NULL the FMA peak loop. */
typedef struct {
    const Config *cfg;
    int repeats;
} Job;

/* The job's rate: epochs per second or GFLOP/s; -1 on failure. */
static double run_job(const Job *job)
{
    if (!job->cfg)
        return fma_peak(job->repeats);
    Timing t;
    return time_training(job->cfg, 1, job->repeats, &t, NULL) == 0 ? 1e6 / t.us_per_epoch : -1.0;
}

/* Runs job alone, then in two processes at once; returns the sum of the
 * two rates over the rate alone (2 for perfect scaling), or -1. The rate
 * alone is measured right before, the same way, so that both fall in the
 * same state of a shared machine as far as possible. */
static double two_process_scaling(const Job *job)
{
    double alone = run_job(job);
    if (alone <= 0.0)
        return -1.0;
    int fds[2][2];
    pid_t pid[2];
    for (int j = 0; j < 2; j++) {
        if (pipe(fds[j]) != 0)
            return -1.0;
        pid[j] = fork();
        if (pid[j] < 0)
            return -1.0;
        if (pid[j] == 0) {
            double rate = run_job(job);
            ssize_t w = write(fds[j][1], &rate, sizeof rate);
            _exit(w == (ssize_t)sizeof rate ? 0 : 1);
        }
        close(fds[j][1]);
    }
    double sum = 0.0;
    int ok = 1;
    for (int j = 0; j < 2; j++) {
        double rate = -1.0;
        if (read(fds[j][0], &rate, sizeof rate) != (ssize_t)sizeof rate)
            rate = -1.0;
        close(fds[j][0]);
        int status;
        waitpid(pid[j], &status, 0);
        ok &= rate > 0.0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
        sum += rate;
    }
    return ok ? sum / alone : -1.0;
}

int main(int argc, char **argv)
{
    const char *numpy = NULL;
    int quick = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--numpy") == 0 && i + 1 < argc) {
            numpy = argv[++i];
        } else if (strcmp(argv[i], "--quick") == 0) {
            quick = 1;
        } else {
            fprintf(stderr, "usage: %s [--numpy CMD] [--quick]\n", argv[0]);
            return 2;
        }
    }
    int repeats = quick ? QUICK_REPEATS : REPEATS;
    int numpy_repeats = quick ? 3 : NUMPY_REPEATS;

    char model[256];
    cpu_model(model, sizeof model);
    printf("machine: %s, %ld cores online; compiler: %s; kernels: %s (%d doubles a vector)\n",
           model, sysconf(_SC_NPROCESSORS_ONLN), __VERSION__, fast_kernels_best()->name,
           fast_kernels_best()->vlen);
    if (numpy) {
        char cmd[1024], info[256];
        snprintf(cmd, sizeof cmd, "%s --info", numpy);
        first_line_of(cmd, info, sizeof info);
        printf("compared with: %s, one thread\n", info[0] ? info : "numpy (did not start)");
    }
    /* The training timings first, the FMA peak loop taking its turn in
     * every round; the table is printed after. */
    Timing timing[N_CONFIGS];
    double peak;
    if (time_training(configs, N_CONFIGS, repeats, timing, &peak) != 0) {
        fprintf(stderr, "bench: out of memory\n");
        return 1;
    }
    printf("FMA peak of one core (register-only loop, %d accumulators of %d-bit vectors): "
           "%.1f GFLOP/s,\nmedian of %d timings taken in turn with the training timings\n",
           PEAK_CHAINS, peak_bits(), peak, repeats);
    printf("(the same loop with 4 accumulators, bound by FMA latency: %.1f GFLOP/s)\n",
           fma_latency_bound(repeats));
    printf("nnlab: median of %d timings each; numpy: median of %d; GFLOP/s counts 2 per "
           "multiply-add\nof the matrix products\n\n",
           repeats, numpy_repeats);
    printf("%-34s %10s %9s %7s %12s %9s\n", "configuration", "us/epoch", "GFLOP/s", "% peak",
           "numpy us", "speed-up");

    for (int c = 0; c < N_CONFIGS; c++) {
        const Config *cfg = &configs[c];
        const Timing *t = &timing[c];
        char name[64], batch[32] = "";
        if (cfg->batch)
            snprintf(batch, sizeof batch, " batch %d", cfg->batch);
        snprintf(name, sizeof name, "%s 2-%d-%d-1 %s%s%s", cfg->data, cfg->hidden, cfg->hidden,
                 activation_name(cfg->act), cfg->opt == OPT_SGD ? "" : " ",
                 cfg->opt == OPT_SGD ? batch : optimizer_name(cfg->opt));
        double gflops = 2.0 * t->madds / t->us_per_epoch / 1e3;
        printf("%-34s %10.2f %9.1f %6.0f%%", name, t->us_per_epoch, gflops, 100.0 * gflops / peak);
        if (numpy) {
            fflush(stdout);
            double np_us = time_numpy(numpy, cfg, numpy_repeats);
            if (np_us > 0.0)
                printf(" %12.1f %8.1fx", np_us, np_us / t->us_per_epoch);
            else
                printf(" %12s %9s", "failed", "-");
        }
        printf("\n");
        fflush(stdout);
    }

    /* Mini-batches against the full batch of the same shape: per point,
     * and what the extra updates alone cost. */
    {
        const Config *mb = &configs[MINIBATCH_CONFIG];
        Trial trial;
        if (trial_open(&trial, mb) != 0)
            return 1;
        int n = trial.data.n, updates = (n + mb->batch - 1) / mb->batch;
        double *grad = network_params_like(&trial.net);
        double samples[REPEATS];
        for (int r = 0; r < repeats && grad; r++) {
            double t0 = now();
            for (int k = 0; k < 10000; k++)
                sgd_update(trial.net.params, grad, trial.net.n_params, 0.0);
            samples[r] = (now() - t0) / 10000 * 1e6;
        }
        double update_us = grad ? median(samples, repeats) : 0.0;
        /* the whole set's forward pass after each epoch, which records its loss */
        Workspace *ws = workspace_new(&trial.net, n, ENGINE_FAST);
        for (int r = 0; r < repeats && ws; r++) {
            network_set_inputs(ws, trial.data.x, n);
            double t0 = now();
            for (int k = 0; k < 10000; k++)
                network_forward(&trial.net, ws);
            samples[r] = (now() - t0) / 10000 * 1e6;
        }
        double eval_us = ws ? median(samples, repeats) : 0.0;
        workspace_free(ws);
        free(grad);
        trial_close(&trial);
        double epoch = timing[MINIBATCH_CONFIG].us_per_epoch, full = timing[0].us_per_epoch;
        double extra = (updates - 1) * update_us, rest = epoch - extra - eval_us;
        printf("\nmini-batches of %d (%d updates an epoch) against the full batch, per epoch "
               "of %d points: %.2fx\n(%.2f us), of which the %d extra updates take %.2f us "
               "(%.0f%%) and the whole set's\nforward pass that records the epoch's loss "
               "%.2f us (%.0f%%); the batches' passes alone: %.2fx\n",
               mb->batch, updates, n, epoch / full, epoch, updates - 1, extra,
               100.0 * extra / epoch, eval_us, 100.0 * eval_us / epoch, rest / full);
    }

    /* The training loop next to the register-only loop, which shares
     * nothing between processes: a machine whose cores are not all its own
     * shows in both. */
    Job train_job = {&configs[0], repeats}, peak_job = {NULL, repeats};
    double train_scaling = two_process_scaling(&train_job);
    double peak_scaling = two_process_scaling(&peak_job);
    printf("\n2 processes at once, throughput over one alone: training (%s 2-%d-%d-1 %s) "
           "%.2fx, FMA peak loop %.2fx\n",
           configs[0].data, configs[0].hidden, configs[0].hidden, activation_name(configs[0].act),
           train_scaling, peak_scaling);
    return 0;
}
