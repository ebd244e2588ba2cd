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
 * scale. Then, given the peers' commands, the peer table (peer_table): the
 * issue's configurations from 100 points to 10000 points of 1024 units,
 * nnlab against numpy, PyTorch and FANN; and given --nnlab PROGRAM, the
 * whole process of a 1,000,000-point run for every program
 * (whole_process_table); last, that run's training alone on one thread and
 * on two (threads_row). --peers-only skips all but the peak and those
 * three.
 *
 * Timings on a shared machine are noisy: compare the ratios printed by one
 * run, not numbers across runs.
 *
 *     nnlab-bench [--numpy CMD] [--torch CMD] [--fann CMD]
 *                 [--nnlab PROGRAM [--workdir DIR]] [--peers-only] [--quick]
 */
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "csv.h"
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

/* points: of the data set, 0 for its own number; threads: the trainer's (TrainConfig). */
static int trial_open_threads(Trial *trial, const Config *cfg, int points, int threads)
{
    Rng rng;
    rng_seed(&rng, 1);
    const int hidden[2] = {cfg->hidden, cfg->hidden};
    const DatasetInfo *data = dataset_find(cfg->data);
    if (data->generate(&trial->data, points ? points : data->points, &rng) != 0)
        return -1;
    if (network_init(&trial->net, hidden, 2, 1, cfg->act, cfg->act, INIT_UNIFORM, &rng) != 0) {
        dataset_free(&trial->data);
        return -1;
    }
    TrainConfig tc = train_config_default();
    tc.batch_size = cfg->batch;
    tc.optimizer = cfg->opt;
    tc.lr = cfg->lr;
    tc.threads = threads;
    if (trainer_init(&trial->trainer, &trial->net, &trial->data, &tc) != 0) {
        network_free(&trial->net);
        dataset_free(&trial->data);
        return -1;
    }
    return 0;
}

static int trial_open_points(Trial *trial, const Config *cfg, int points)
{
    return trial_open_threads(trial, cfg, points, 1);
}

static int trial_open(Trial *trial, const Config *cfg) { return trial_open_points(trial, cfg, 0); }

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

/* ------------------------------------------------------------------------ */
/* Peers: the same networks in numpy, PyTorch and FANN                      */

/* A program that trains the same networks: cmd takes the options of
 * scripts/bench/numpy_mlp.py (--data, --points, --hidden H H, --epochs,
 * --repeat; --whole DATA OUT; --info), as torch_mlp.py and nnlab-bench-fann
 * (src/bench/fann_mlp.c) do. NULL: not compared. */
typedef struct {
    const char *name;
    const char *cmd;
} Peer;
enum { PEER_NUMPY, PEER_TORCH, PEER_FANN, N_PEERS };

/* The rows of the peer table: two hidden layers of `hidden` sigmoid units,
 * mean squared error, full batch, lr 0.1, float64, one thread. Every
 * program trains `epochs` epochs per timing and reports the median of
 * `repeats` timings - FANN of fann_repeats, as it takes up to half a minute
 * an epoch at 1024 units. */
typedef struct {
    const char *data;
    int points;
    int hidden;
    long epochs;
    int repeats, fann_repeats;
} PeerConfig;

static const PeerConfig peer_configs[] = {
    {"linear", 100, 16, 500, 7, 5}, /* the reference run */
    {"xor", 21, 16, 1000, 7, 5},
    {"linear", 10000, 16, 20, 5, 3},
    {"linear", 10000, 64, 5, 5, 3},
    {"linear", 10000, 256, 1, 3, 1},
    {"linear", 10000, 1024, 1, 3, 1},
    {"linear", 100, 1024, 20, 5, 1},
};
#define N_PEER_CONFIGS (int)(sizeof peer_configs / sizeof *peer_configs)

/* The whole-process row: WHOLE_POINTS points of the linear set in a CSV
 * file, WHOLE_EPOCHS epochs of 2-16-16-1, every program as a user runs it. */
#define WHOLE_POINTS 1000000
#define WHOLE_EPOCHS 10

/* nnlab's timing of cfg on `points` points: the median of `repeats`
 * timings after one for warming up (none for a single timing, which then
 * includes the first touch of the buffers, as a process's training does);
 * 0, or -1 if out of memory. */
static int time_points(const Config *cfg, int points, int repeats, Timing *out)
{
    Trial trial;
    double us[REPEATS];
    if (trial_open_points(&trial, cfg, points) != 0)
        return -1;
    if (repeats > 1)
        time_epochs(&trial, cfg->epochs);
    for (int r = 0; r < repeats; r++)
        us[r] = time_epochs(&trial, cfg->epochs);
    out->us_per_epoch = median(us, repeats);
    out->madds = epoch_madds(&trial.net, trial.data.n, cfg->batch);
    trial_close(&trial);
    return 0;
}

/* Runs the peer's timing of pc; its microseconds per epoch, or -1. */
static double time_peer(const Peer *peer, const PeerConfig *pc, int repeats)
{
    char cmd[1024], out[256];
    snprintf(cmd, sizeof cmd, "%s --data %s --points %d --hidden %d %d --epochs %ld --repeat %d",
             peer->cmd, pc->data, pc->points, pc->hidden, pc->hidden, pc->epochs, repeats);
    first_line_of(cmd, out, sizeof out);
    char *end;
    double us = strtod(out, &end);
    return end != out && us > 0.0 ? us : -1.0;
}

#define PEER_PEAKS 6 /* timings of the FMA peak per row, half before, half after */

/* The table of nnlab against every peer, one row per peer_configs entry:
 * nnlab's microseconds per epoch, GFLOP/s and fraction of peak, and each
 * peer's microseconds per epoch and ratio to nnlab's (above 1: nnlab is
 * faster). Each row's programs run one after the other, side by side in
 * time. */
static void peer_table(const Peer *peers, int quick)
{
    printf("\nnnlab against its peers: 2-H-H-1 sigmoid, mean squared error, full batch, lr 0.1, "
           "float64,\none thread each; the same epochs per timing for every program; ratio = the "
           "peer's time over nnlab's;\n%% peak: of the FMA peak's median of %d timings around "
           "the row's nnlab timings\n",
           PEER_PEAKS);
    for (int p = 0; p < N_PEERS; p++) {
        char cmd[1024], info[256] = "";
        if (!peers[p].cmd)
            continue;
        snprintf(cmd, sizeof cmd, "%s --info", peers[p].cmd);
        first_line_of(cmd, info, sizeof info);
        printf("  %-6s %s\n", peers[p].name, info[0] ? info : "(did not start)");
    }
    printf("\n%-26s %11s %8s %7s", "configuration", "nnlab us", "GFLOP/s", "% peak");
    for (int p = 0; p < N_PEERS; p++)
        printf(" %11s %7s", peers[p].name, "ratio");
    printf("\n");
    for (int c = 0; c < N_PEER_CONFIGS; c++) {
        const PeerConfig *pc = &peer_configs[c];
        int repeats = quick && pc->repeats > 3 ? 3 : pc->repeats;
        Config cfg = {pc->data, pc->hidden, ACT_SIGMOID, pc->epochs, 0, OPT_SGD, 0.1};
        Timing t;
        char name[64];
        snprintf(name, sizeof name, "%s %d, 2-%d-%d-1", pc->data, pc->points, pc->hidden,
                 pc->hidden);
        printf("%-26s", name);
        fflush(stdout);
        /* the row's own peak, timed right around it: a shared machine's
         * load changes between rows */
        double peaks[PEER_PEAKS];
        for (int k = 0; k < PEER_PEAKS / 2; k++)
            peaks[k] = fma_peak_once();
        if (time_points(&cfg, pc->points, repeats, &t) != 0) {
            printf(" out of memory\n");
            continue;
        }
        for (int k = PEER_PEAKS / 2; k < PEER_PEAKS; k++)
            peaks[k] = fma_peak_once();
        double row_peak = median(peaks, PEER_PEAKS);
        double gflops = 2.0 * t.madds / t.us_per_epoch / 1e3;
        printf(" %11.2f %8.1f %6.0f%%", t.us_per_epoch, gflops, 100.0 * gflops / row_peak);
        for (int p = 0; p < N_PEERS; p++) {
            fflush(stdout);
            int r = p == PEER_FANN ? (quick ? 1 : pc->fann_repeats) : repeats;
            double us = peers[p].cmd ? time_peer(&peers[p], pc, r) : -1.0;
            if (us > 0.0)
                printf(" %11.1f %6.1fx", us, us / t.us_per_epoch);
            else
                printf(" %11s %7s", peers[p].cmd ? "failed" : "-", "-");
        }
        printf("\n");
        fflush(stdout);
    }
}

/* Seconds of running cmd (through the shell), or -1 if it failed; its
 * first line of output into out. *status: its exit status. */
static double time_command(const char *cmd, char *out, size_t size, int *status)
{
    double t0 = now();
    out[0] = '\0';
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1.0;
    char line[256];
    while (fgets(line, sizeof line, p))
        if (!out[0])
            snprintf(out, size, "%s", line);
    int rc = pclose(p);
    double dt = now() - t0;
    *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    return *status == 0 ? dt : -1.0;
}

static void whole_row(const char *name, double whole, double train, double nnlab_whole)
{
    if (whole <= 0.0) {
        printf("%-22s %9s\n", name, "failed");
        return;
    }
    printf("%-22s %9.2f %9.2f %9.2f %8.0f%% %10.1f %8.2fx\n", name, whole, train, whole - train,
           100.0 * train / whole, 1e3 * train / WHOLE_EPOCHS, whole / nnlab_whole);
}

/* Seconds to write the open file fp's bytes (len of them, from buf) and
 * fsync it, closing it; -1 on failure. */
static double write_raw(FILE *fp, const char *buf, size_t len)
{
    double t0 = now();
    int ok = fwrite(buf, 1, len, fp) == len && fflush(fp) == 0 && fsync(fileno(fp)) == 0;
    ok = fclose(fp) == 0 && ok;
    return ok ? now() - t0 : -1.0;
}

/* predictions.csv of WHOLE_POINTS points as nnlab writes it (numfmt_g17,
 * atomic_file's fsync), as fprintf's "%.17g" writes the same text, and the
 * same bytes written as they are: MB/s of each, side by side. */
static void csv_speed_row(const char *dir)
{
    Dataset d;
    Rng rng;
    rng_seed(&rng, 2);
    double *out = malloc(WHOLE_POINTS * sizeof *out);
    if (!out || dataset_linear(&d, WHOLE_POINTS, &rng) != 0) {
        free(out);
        return;
    }
    for (int k = 0; k < WHOLE_POINTS; k++)
        out[k] = rng_uniform(&rng);
    char path[512], err[512];
    snprintf(path, sizeof path, "%s/predictions.csv", dir);
    double t0 = now();
    int rc = csv_write_predictions(path, &d, out, 1, err, sizeof err);
    double t_ours = now() - t0;
    FILE *fp = fopen(path, "rb");
    char *bytes = NULL;
    long len = -1;
    if (rc == 0 && fp && fseek(fp, 0, SEEK_END) == 0 && (len = ftell(fp)) > 0 &&
        fseek(fp, 0, SEEK_SET) == 0 && (bytes = malloc((size_t)len)) &&
        fread(bytes, 1, (size_t)len, fp) != (size_t)len)
        len = -1;
    if (fp)
        fclose(fp);
    snprintf(path, sizeof path, "%s/predictions_printf.csv", dir);
    double t_printf = -1.0;
    if ((fp = fopen(path, "w"))) {
        t0 = now();
        fprintf(fp, "x1,x2,label,output,predicted\n");
        for (int k = 0; k < d.n; k++)
            fprintf(fp, "%.17g,%.17g,%d,%.17g,%d\n", d.x[2 * k], d.x[2 * k + 1], (int)d.y[k],
                    out[k], out[k] > 0.5);
        t_printf = write_raw(fp, "", 0) >= 0.0 ? now() - t0 : -1.0;
    }
    snprintf(path, sizeof path, "%s/predictions_raw.csv", dir);
    double t_raw = len > 0 && (fp = fopen(path, "w")) ? write_raw(fp, bytes, (size_t)len) : -1.0;
    if (len > 0 && t_printf > 0.0 && t_raw > 0.0) {
        double mb = (double)len / 1e6;
        printf("\npredictions.csv of %d points, %.1f MB, each written and fsynced: nnlab %.2f s "
               "(%.0f MB/s),\nfprintf's %%.17g %.2f s (%.0f MB/s), the same bytes as they are "
               "%.2f s (%.0f MB/s)\n",
               WHOLE_POINTS, mb, t_ours, mb / t_ours, t_printf, mb / t_printf, t_raw, mb / t_raw);
    } else {
        printf("\npredictions.csv: %s\n", rc ? err : "could not time it");
    }
    free(bytes);
    free(out);
    dataset_free(&d);
    static const char *const written[] = {"predictions", "predictions_printf", "predictions_raw"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s.csv", dir, written[i]);
        remove(path);
    }
}

/* The whole process on WHOLE_POINTS points: each program started as a user
 * would (nnlab train --data FILE.csv with its default outputs: history,
 * predictions, model and the figures in PNG and SVG; the peers reading the
 * CSV and writing each point's output), timed from start to exit. nnlab's
 * training time is timed in this process on the same shapes; each peer
 * reports its own. In dir: the data and every program's outputs, removed
 * after. */
static void whole_process_table(const char *nnlab, const Peer *peers, const char *dir)
{
    char csv[512], cmd[2048], out[256], err[512];
    snprintf(csv, sizeof csv, "%s/points%d.csv", dir, WHOLE_POINTS);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    Dataset d;
    Rng rng;
    rng_seed(&rng, 1);
    if (system(cmd) != 0 || dataset_linear(&d, WHOLE_POINTS, &rng) != 0) {
        fprintf(stderr, "bench: cannot make %s\n", csv);
        return;
    }
    int wrote = csv_write_dataset(csv, &d, err, sizeof err);
    dataset_free(&d);
    if (wrote != 0) {
        fprintf(stderr, "bench: %s\n", err);
        return;
    }
    printf("\nThe whole process: %d points of the linear set in a CSV file, 2-16-16-1 sigmoid, "
           "%d epochs,\nfrom start to exit (nnlab train --data FILE.csv writing history, "
           "predictions, model and its\nfigures in PNG and SVG; each peer reading the CSV and "
           "writing every point's output);\nother = whole - training: start, reading, writing, "
           "figures\n\n",
           WHOLE_POINTS, WHOLE_EPOCHS);
    printf("%-22s %9s %9s %9s %9s %10s %9s\n", "program", "whole s", "train s", "other s",
           "train %", "ms/epoch", "vs nnlab");
    Config cfg = {"linear", 16, ACT_SIGMOID, WHOLE_EPOCHS, 0, OPT_SGD, 0.1};
    Timing t;
    double train =
        time_points(&cfg, WHOLE_POINTS, 1, &t) == 0 ? t.us_per_epoch * WHOLE_EPOCHS / 1e6 : -1.0;
    int status;
    snprintf(cmd, sizeof cmd,
             "'%s' train --data '%s' --hidden 16,16 --epochs %d --quiet --threads 1 "
             "--out '%s/nnlab' >/dev/null",
             nnlab, csv, WHOLE_EPOCHS, dir);
    double whole = time_command(cmd, out, sizeof out, &status);
    /* one thread, as the training timed in this process and as the peers */
    whole_row("nnlab --threads 1", whole, train, whole);
    snprintf(cmd, sizeof cmd,
             "'%s' train --data '%s' --hidden 16,16 --epochs %d --quiet --threads 2 "
             "--out '%s/nnlab2' >/dev/null 2>&1",
             nnlab, csv, WHOLE_EPOCHS, dir);
    double whole2 = time_command(cmd, out, sizeof out, &status);
    if (whole2 > 0.0)
        printf("%-22s %9.2f %9s %9s %9s %10s %8.2fx\n", "nnlab --threads 2", whole2, "", "", "", "",
               whole2 / whole);
    else
        printf("%-22s %9s\n", "nnlab --threads 2",
               status == 2 ? "(no --threads in this build)" : "failed");
    for (int p = 0; p < N_PEERS; p++) {
        if (!peers[p].cmd)
            continue;
        snprintf(cmd, sizeof cmd, "%s --whole '%s' '%s/%s.csv' --hidden 16 16 --epochs %d",
                 peers[p].cmd, csv, dir, peers[p].name, WHOLE_EPOCHS);
        double secs = time_command(cmd, out, sizeof out, &status);
        double read_s, train_s, write_s;
        if (secs > 0.0 && sscanf(out, "%lf %lf %lf", &read_s, &train_s, &write_s) == 3)
            whole_row(peers[p].name, secs, train_s, whole);
        else
            whole_row(peers[p].name, -1.0, 0.0, whole);
        fflush(stdout);
        snprintf(cmd, sizeof cmd, "%s/%s.csv", dir, peers[p].name);
        remove(cmd);
    }
    csv_speed_row(dir);
    /* the outputs are hundreds of MB: none is kept */
    remove(csv);
    snprintf(cmd, sizeof cmd, "rm -rf '%s/nnlab' '%s/nnlab2'", dir, dir);
    if (system(cmd) != 0)
        fprintf(stderr, "bench: could not remove %s/nnlab*\n", dir);
}

/* Training alone on the whole-process row's shapes (WHOLE_POINTS points of
 * the linear set, 2-16-16-1), in this process, as the trainer runs it: with
 * --threads 1 and 2, epochs timed in turn, THREADS_EPOCHS a timing; then the
 * two trainings' weights, after the same epochs, compared bit for bit, as
 * they must be equal. */
#define THREADS_EPOCHS 3

static void threads_row(int quick)
{
    int rounds = quick ? 3 : 7;
    printf("\nTraining alone, in this process: %d points of the linear set, 2-16-16-1 sigmoid, "
           "full batch,\none thread against two; median of %d timings of %d epochs each, taken "
           "in turn\n\n",
           WHOLE_POINTS, rounds, THREADS_EPOCHS);
    if (train_cores_available() < 2) {
        printf("(one core available to this process: not measured)\n");
        return;
    }
    Config cfg = {"linear", 16, ACT_SIGMOID, THREADS_EPOCHS, 0, OPT_SGD, 0.1};
    Trial t1, t2;
    if (trial_open_threads(&t1, &cfg, WHOLE_POINTS, 1) != 0) {
        fprintf(stderr, "bench: out of memory\n");
        return;
    }
    if (trial_open_threads(&t2, &cfg, WHOLE_POINTS, 2) != 0) {
        fprintf(stderr, "bench: out of memory\n");
        trial_close(&t1);
        return;
    }
    time_epochs(&t1, 1); /* the first touch of every buffer */
    time_epochs(&t2, 1);
    double us1[REPEATS], us2[REPEATS];
    for (int r = 0; r < rounds; r++) {
        us1[r] = time_epochs(&t1, THREADS_EPOCHS);
        us2[r] = time_epochs(&t2, THREADS_EPOCHS);
    }
    double m1 = median(us1, rounds), m2 = median(us2, rounds);
    int same = memcmp(t1.net.params, t2.net.params,
                      (size_t)t1.net.n_params * sizeof *t1.net.params) == 0;
    printf("%-22s %10s\n", "program", "ms/epoch");
    printf("%-22s %10.1f\n", "nnlab --threads 1", m1 / 1e3);
    printf("%-22s %10.1f   %.2fx the speed of one thread; the weights after %d epochs: %s\n",
           "nnlab --threads 2", m2 / 1e3, m1 / m2, 1 + rounds * THREADS_EPOCHS,
           same ? "the same bits" : "DIFFERENT");
    trial_close(&t1);
    trial_close(&t2);
}

int main(int argc, char **argv)
{
    const char *numpy = NULL, *nnlab = NULL, *workdir = "build/bench";
    Peer peers[N_PEERS] = {{"numpy", NULL}, {"torch", NULL}, {"FANN", NULL}};
    int quick = 0, peers_only = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--numpy") == 0 && i + 1 < argc) {
            numpy = peers[PEER_NUMPY].cmd = argv[++i];
        } else if (strcmp(argv[i], "--torch") == 0 && i + 1 < argc) {
            peers[PEER_TORCH].cmd = argv[++i];
        } else if (strcmp(argv[i], "--fann") == 0 && i + 1 < argc) {
            peers[PEER_FANN].cmd = argv[++i];
        } else if (strcmp(argv[i], "--nnlab") == 0 && i + 1 < argc) {
            nnlab = argv[++i];
        } else if (strcmp(argv[i], "--workdir") == 0 && i + 1 < argc) {
            workdir = argv[++i];
        } else if (strcmp(argv[i], "--peers-only") == 0) {
            peers_only = 1;
        } else if (strcmp(argv[i], "--quick") == 0) {
            quick = 1;
        } else {
            fprintf(stderr,
                    "usage: %s [--numpy CMD] [--torch CMD] [--fann CMD] [--nnlab PROGRAM "
                    "[--workdir DIR]] [--peers-only] [--quick]\n",
                    argv[0]);
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
    if (peers_only) {
        peer_table(peers, quick);
        if (nnlab)
            whole_process_table(nnlab, peers, workdir);
        threads_row(quick);
        return 0;
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
                sgd_update(trial.net.params, grad, trial.net.n_params, 0.0, DBL_MAX);
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
    peer_table(peers, quick);
    if (nnlab)
        whole_process_table(nnlab, peers, workdir);
    threads_row(quick);
    return 0;
}
