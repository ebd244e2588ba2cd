/* live.c - the live window: the drawing thread, the runs' snapshots, frames and keys. */
#define _GNU_SOURCE /* gettid, for the drawing thread's priority */
#include "live.h"

#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "plot.h"

/* What a run hands to the window. Written by the run's thread; epochs and state are
 * atomics, the rest is under the window's lock. */
typedef struct {
    Live *live;
    TrainObserver observer; /* the caller's */
    void *ctx;
    atomic_int state;   /* RUN_WAITING, RUN_TRAINING, RUN_DONE */
    atomic_long epochs; /* published: the history's values [0, epochs) no longer change */
    atomic_int want;    /* the window asks for a copy of the parameters */
    /* under the lock: */
    const RunSpec *spec;
    RunResult *res;
    double *params; /* the copy (res->net.n_params), or NULL if out of memory */
    long params_epoch;
    char label[128];
} LiveRun;

enum { RUN_WAITING, RUN_TRAINING, RUN_DONE };

struct Live {
    LiveSetup setup;
    char title[512], note[512], png_dir[1024];
    LiveRun *runs;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t changed; /* the window opened (or not); training resumed */
    int opened;             /* 1: the window is open, -1: it could not open */
    char err[1024];
    atomic_int paused;
    atomic_int finished; /* training is over */
};

/* What one frame shows; kept, so that s saves the very frame on the screen. */
typedef struct {
    PlotCurve *curves; /* runs 0 .. n_curves - 1, each up to its published epochs */
    int n_curves;
    int shown;   /* the run whose map and network are drawn, or -1 */
    Network net; /* a copy of its network, of params_epoch epochs */
    long net_epochs;
    char note[640], map_title[256];
} Frame;

#define SNAPSHOT_WAIT_NS 50000000L /* the longest wait for a run's parameters: 50 ms */
#define LIVE_NOTE_CHARS 120        /* about what the line above the panels holds */
#define LIVE_NICE 10               /* the drawing thread's niceness */
#define LIVE_POLL 0.02             /* s: how soon the window sees that training is over */
#define LIVE_DUTY 4.0 /* a frame and the wait after it: at least this many times the frame */

static double now(void) { return run_clock(); }

static void say(const Live *live, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(const Live *live, const char *fmt, ...)
{
    if (!live->setup.say)
        return;
    char line[1400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    live->setup.say(line);
}

/* ---- the runs' side ---------------------------------------------------------------------- */

/* On the run's thread, under the lock: a copy of its parameters for the window, as of
 * `epochs` epochs. */
static void copy_params(LiveRun *r, long epochs)
{
    if (r->params) {
        memcpy(r->params, r->res->net.params, (size_t)r->res->net.n_params * sizeof *r->params);
        r->params_epoch = epochs;
    }
    atomic_store_explicit(&r->want, 0, memory_order_relaxed);
    pthread_cond_broadcast(&r->live->changed);
}

static void hand_over_params(LiveRun *r, long epochs)
{
    pthread_mutex_lock(&r->live->lock);
    copy_params(r, epochs);
    pthread_mutex_unlock(&r->live->lock);
}

/* Called after every epoch of a run: what the window may read, then the caller's observer;
 * while the window is paused, the run waits here (and still hands over its parameters). */
static bool live_observe(long epoch, double loss, double acc, void *ctx)
{
    LiveRun *r = ctx;
    Live *live = r->live;
    bool go = r->observer ? r->observer(epoch, loss, acc, r->ctx) : true;
    atomic_store_explicit(&r->epochs, epoch, memory_order_release);
    if (atomic_load_explicit(&r->want, memory_order_relaxed))
        hand_over_params(r, epoch);
    if (atomic_load_explicit(&live->paused, memory_order_relaxed)) {
        pthread_mutex_lock(&live->lock);
        while (atomic_load(&live->paused) && !*live->setup.stop_signal) {
            if (atomic_load(&r->want))
                copy_params(r, epoch);
            pthread_cond_wait(&live->changed, &live->lock);
        }
        pthread_mutex_unlock(&live->lock);
    }
    return go && !*live->setup.stop_signal;
}

/* A run's name in the legend and the map's title: its data set's, and its label. */
static void run_label(const RunSpec *spec, char *buf, size_t len)
{
    const char *data = spec->dataset ? spec->dataset->name : "";
    if (spec->data_path[0]) {
        const char *slash = strrchr(spec->data_path, '/');
        data = slash ? slash + 1 : spec->data_path;
    }
    snprintf(buf, len, "%.60s%s%.60s", data, spec->label[0] ? ", " : "", spec->label);
}

TrainStatus live_train(Live *live, int run, const RunSpec *spec, RunResult *res,
                       TrainObserver observer, void *ctx)
{
    LiveRun *r = &live->runs[run];
    pthread_mutex_lock(&live->lock);
    r->spec = spec;
    r->res = res;
    r->observer = observer;
    r->ctx = ctx;
    run_label(spec, r->label, sizeof r->label);
    r->params = malloc((size_t)res->net.n_params * sizeof *r->params);
    pthread_mutex_unlock(&live->lock);
    hand_over_params(r, 0); /* the network it starts from */
    atomic_store_explicit(&r->state, RUN_TRAINING, memory_order_release);

    TrainStatus status = run_train(spec, res, live_observe, r);

    /* the last epochs, which the observer does not see when a run stops early */
    atomic_store_explicit(&r->epochs, res->hist.n, memory_order_release);
    hand_over_params(r, res->hist.n);
    atomic_store_explicit(&r->state, RUN_DONE, memory_order_release);
    return status;
}

/* ---- frames ------------------------------------------------------------------------------ */

/* The run started last, or -1 if none has. */
static int shown_run(Live *live)
{
    for (int i = live->setup.n_runs - 1; i >= 0; i--)
        if (atomic_load_explicit(&live->runs[i].state, memory_order_acquire) != RUN_WAITING)
            return i;
    return -1;
}

/* A copy of net's shape with room for its parameters, into copy. 0, or -1 out of memory. */
static int network_like(const Network *net, Network *copy)
{
    *copy = *net;
    if (!(copy->params = malloc((size_t)net->n_params * sizeof *copy->params))) {
        memset(copy, 0, sizeof *copy);
        return -1;
    }
    network_views(copy, copy->params, copy->W, copy->b);
    return 0;
}

/* What the window shows now, into f. */
static void frame_take(Live *live, Frame *f)
{
    int shown = shown_run(live);
    f->n_curves = shown + 1;
    for (int i = 0; i <= shown; i++) {
        LiveRun *r = &live->runs[i];
        bool started = atomic_load_explicit(&r->state, memory_order_acquire) != RUN_WAITING;
        const History *h = started ? &r->res->hist : NULL;
        f->curves[i] = (PlotCurve){.n = 0};
        if (!h)
            continue;
        /* the arrays were made before training, and their values before epochs are final */
        f->curves[i] = (PlotCurve){
            .label = live->setup.n_runs > 1 && live->setup.n_runs <= 10 ? r->label : NULL,
            .loss = h->loss,
            .accuracy = h->accuracy,
            .test_loss = h->test_loss,
            .test_accuracy = h->test_accuracy,
            .n = atomic_load_explicit(&r->epochs, memory_order_acquire)};
    }
    if (shown < 0)
        return;
    LiveRun *r = &live->runs[shown];
    if (f->shown != shown) { /* another network, maybe of another shape */
        free(f->net.params);
        f->shown = -1;
        if (network_like(&r->res->net, &f->net) != 0)
            return;
        f->shown = shown;
        f->net_epochs = -1;
    }
    /* the run's parameters as of now: asked for, and handed over at the end of the epoch
     * it is in (or at once, by a paused run) */
    pthread_mutex_lock(&live->lock);
    if (atomic_load_explicit(&r->state, memory_order_acquire) == RUN_TRAINING) {
        atomic_store(&r->want, 1);
        pthread_cond_broadcast(&live->changed);
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += SNAPSHOT_WAIT_NS;
        until.tv_sec += until.tv_nsec / 1000000000L;
        until.tv_nsec %= 1000000000L;
        while (atomic_load(&r->want) &&
               atomic_load_explicit(&r->state, memory_order_acquire) == RUN_TRAINING &&
               pthread_cond_timedwait(&live->changed, &live->lock, &until) == 0)
            ;
    }
    if (r->params && r->params_epoch >= 0) {
        memcpy(f->net.params, r->params, (size_t)f->net.n_params * sizeof *f->net.params);
        f->net_epochs = r->params_epoch;
        f->curves[shown].n = r->params_epoch; /* its curves as far as its map */
    }
    pthread_mutex_unlock(&live->lock);

    long total = r->spec->train.epochs;
    bool paused = atomic_load(&live->paused);
    int state = atomic_load_explicit(&r->state, memory_order_acquire);
    if (live->setup.n_runs > 1)
        snprintf(f->map_title, sizeof f->map_title, "Run %d of %d (%s): epoch %ld of %ld%s",
                 shown + 1, live->setup.n_runs, r->label, f->net_epochs, total,
                 paused              ? " - paused"
                 : state == RUN_DONE ? " - done"
                                     : "");
    else
        snprintf(f->map_title, sizeof f->map_title, "Epoch %ld of %ld%s", f->net_epochs, total,
                 paused              ? " - paused"
                 : state == RUN_DONE ? " - done"
                                     : "");
    /* the title cut to leave room for the keys on one line */
    int room = LIVE_NOTE_CHARS - 40, len = (int)strlen(live->note);
    snprintf(f->note, sizeof f->note, "%.*s%s  |  space: %s, q: stop, s: save a PNG",
             len > room ? room - 3 : len, live->note, len > room ? "..." : "",
             paused ? "resume" : "pause");
}

/* The frame's four panels: the curves, the map and the network. */
static void frame_draw(PlotFigure *fig, const Frame *f, const RunResult *shown)
{
    plot_curve_panels(fig, 0, f->curves, f->n_curves, "Epoch");
    if (f->shown < 0 || f->net_epochs < 0 || !shown)
        return;
    if (run_draw_map(fig, 2, shown, &f->net, LIVE_MAP_CELLS, f->map_title) != 0 ||
        run_draw_network(fig, 3, &f->net) != 0)
        plot_panel(fig, 3, NULL); /* out of memory: the frame fails, and says so */
}

static const RunResult *frame_run(Live *live, const Frame *f)
{
    return f->shown >= 0 ? live->runs[f->shown].res : NULL;
}

static PlotLayout live_layout(const char *note)
{
    return (PlotLayout){.width = LIVE_WIDTH,
                        .height = LIVE_HEIGHT,
                        .rows = 2,
                        .cols = 2,
                        .note = note,
                        .fields = true};
}

/* s: the frame on the screen, drawn again into png_dir/live_N.png (the first N free). */
static void save_png(Live *live, const Frame *f)
{
    char path[1200], err[1024];
    struct stat st;
    int k = 1;
    do
        snprintf(path, sizeof path, "%s/live_%d.png", live->png_dir, k++);
    while (stat(path, &st) == 0 && k < 100000);
    PlotLayout layout = live_layout(f->note);
    PlotFigure *fig = plot_open_file(path, &layout, err, sizeof err);
    if (fig) {
        frame_draw(fig, f, frame_run(live, f));
        if (plot_close(fig, err, sizeof err) == 0) {
            say(live, "--live: saved the window's frame as %s", path);
            return;
        }
    }
    say(live, "--live: could not save the window's frame: %s", err);
}

/* ---- the drawing thread ------------------------------------------------------------------ */

static void set_paused(Live *live, bool paused)
{
    pthread_mutex_lock(&live->lock);
    atomic_store(&live->paused, paused);
    pthread_cond_broadcast(&live->changed);
    pthread_mutex_unlock(&live->lock);
}

/* q or a closed window: the runs stop as on Ctrl-C. */
static void ask_stop(Live *live)
{
    if (!*live->setup.stop_signal)
        raise(SIGINT);
    set_paused(live, false);
}

static void *draw_loop(void *arg)
{
    Live *live = arg;
    /* Linux: this thread alone yields to the others when the processors are all busy, so
     * that the window slows down rather than training */
    setpriority(PRIO_PROCESS, (id_t)gettid(), LIVE_NICE);
    char err[1024];
    PlotLayout layout = live_layout(live->title);
    Frame frame = {.curves = calloc((size_t)live->setup.n_runs, sizeof *frame.curves), .shown = -1};
    PlotFigure *fig = plot_open_window(live->title, &layout, err, sizeof err);
    bool told = false;         /* of a frame that failed */
    if (fig && frame.curves) { /* a first frame, before training: its fonts are loaded then */
        frame_take(live, &frame);
        plot_frame_begin(fig, frame.note);
        frame_draw(fig, &frame, NULL);
        if (plot_frame_show(fig, err, sizeof err) != 0) {
            plot_close(fig, NULL, 0);
            fig = NULL;
        }
    }
    pthread_mutex_lock(&live->lock);
    live->opened = fig ? 1 : -1;
    snprintf(live->err, sizeof live->err, "%s", fig ? "" : frame.curves ? err : "out of memory");
    pthread_cond_broadcast(&live->changed);
    pthread_mutex_unlock(&live->lock);
    if (!fig) {
        free(frame.curves);
        return NULL;
    }
    double next = now();
    bool paused_shown = false; /* the frame on the screen was drawn while paused */
    while (fig) {
        bool finished = atomic_load(&live->finished);
        bool still = paused_shown && atomic_load(&live->paused); /* nothing to draw */
        double wait = finished ? 0.0 : still ? LIVE_POLL : fmin(next - now(), LIVE_POLL);
        PlotEvent e = plot_window_event(fig, wait > 0 ? wait : 0.0);
        if (e.kind == PLOT_EVENT_CLOSED) {
            ask_stop(live);
            break;
        }
        if (e.kind == PLOT_EVENT_KEY && strcmp(e.key, "q") == 0)
            ask_stop(live);
        else if (e.kind == PLOT_EVENT_KEY && strcmp(e.key, " ") == 0)
            set_paused(live, !atomic_load(&live->paused) && !*live->setup.stop_signal);
        else if (e.kind == PLOT_EVENT_KEY && strcmp(e.key, "s") == 0 && frame.curves)
            save_png(live, &frame);
        if (*live->setup.stop_signal && atomic_load(&live->paused))
            set_paused(live, false); /* Ctrl-C while paused */
        if (finished)
            break; /* the window closes: its last frame would not be seen */
        if (e.kind != PLOT_EVENT_NONE || now() < next || still)
            continue;
        /* a frame (once while paused: nothing changes then) */
        double start = now();
        paused_shown = atomic_load(&live->paused);
        if (frame.curves) {
            frame_take(live, &frame);
            plot_frame_begin(fig, frame.note);
            frame_draw(fig, &frame, frame_run(live, &frame));
        }
        if (plot_frame_show(fig, err, sizeof err) != 0 && !told) {
            say(live, "--live: %s", err);
            told = true;
        }
        double took = now() - start;
        next = start + fmax(1.0 / LIVE_FPS, LIVE_DUTY * took);
    }
    if (fig)
        plot_close(fig, err, sizeof err);
    free(frame.curves);
    free(frame.net.params);
    return NULL;
}

int live_check(char *err, size_t errlen)
{
    const char *display = getenv("DISPLAY");
    if (display && *display)
        return 0;
    snprintf(err, errlen, "no display to open the window on: DISPLAY is not set");
    return -1;
}

Live *live_start(const LiveSetup *setup, char *err, size_t errlen)
{
    if (live_check(err, errlen) != 0)
        return NULL;
    Live *live = calloc(1, sizeof *live);
    if (live)
        live->runs = calloc((size_t)(setup->n_runs > 0 ? setup->n_runs : 1), sizeof *live->runs);
    if (!live || !live->runs) {
        free(live);
        snprintf(err, errlen, "out of memory for the window");
        return NULL;
    }
    live->setup = *setup;
    snprintf(live->title, sizeof live->title, "%s", setup->title ? setup->title : "nnlab");
    snprintf(live->note, sizeof live->note, "%s", setup->note ? setup->note : live->title);
    snprintf(live->png_dir, sizeof live->png_dir, "%s", setup->png_dir ? setup->png_dir : ".");
    live->setup.title = live->title;
    live->setup.note = live->note;
    live->setup.png_dir = live->png_dir;
    for (int i = 0; i < setup->n_runs; i++) {
        live->runs[i].live = live;
        live->runs[i].params_epoch = -1;
    }
    pthread_mutex_init(&live->lock, NULL);
    pthread_condattr_t monotonic;
    pthread_condattr_init(&monotonic);
    pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
    pthread_cond_init(&live->changed, &monotonic);
    pthread_condattr_destroy(&monotonic);
    int rc = pthread_create(&live->thread, NULL, draw_loop, live);
    if (rc == 0) {
        pthread_mutex_lock(&live->lock);
        while (!live->opened)
            pthread_cond_wait(&live->changed, &live->lock);
        pthread_mutex_unlock(&live->lock);
        if (live->opened > 0)
            return live;
        pthread_join(live->thread, NULL);
        snprintf(err, errlen, "%s", live->err);
    } else {
        snprintf(err, errlen, "cannot start the window's thread: %s", strerror(rc));
    }
    pthread_cond_destroy(&live->changed);
    pthread_mutex_destroy(&live->lock);
    free(live->runs);
    free(live);
    return NULL;
}

void live_stop(Live *live)
{
    if (!live)
        return;
    atomic_store(&live->finished, 1);
    set_paused(live, false);
    pthread_join(live->thread, NULL);
    for (int i = 0; i < live->setup.n_runs; i++)
        free(live->runs[i].params);
    pthread_cond_destroy(&live->changed);
    pthread_mutex_destroy(&live->lock);
    free(live->runs);
    free(live);
}
