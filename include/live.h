/* live.h - a window that shows runs while they train (`nnlab train --live`, `run --live`).
 *
 * The window shows the learning and accuracy curves of every run so far (one colour each,
 * test points dashed), and the boundary map and the network diagram of the run started
 * last, as they are now. It is drawn on a thread of its own, which makes every PLplot
 * call of the live view, while the runs train on the caller's threads as they would
 * without it: a run only hands over, between two epochs, how many epochs its history
 * holds (the values before that no longer change) and, when the window asks for one, a
 * copy of its parameters. So a run's results are the same with or without the window.
 * The window draws at most LIVE_FPS frames a second, and waits three times as long as
 * its last frame took before the next, so that drawing takes at most a fourth of a core;
 * its thread has a lower priority, so that on a busy machine the frames come more slowly
 * rather than training. The window opens, and draws its first frame, before training.
 *
 * Keys in the window: space pauses training and resumes it; q, or closing the window,
 * stops the runs as Ctrl-C does (it raises SIGINT, whose handler in main.c asks every run
 * to stop, and the command saves what there is as interrupted); s saves the frame as a
 * PNG into the setup's folder. The window closes when training is over.
 */
#ifndef NNLAB_LIVE_H
#define NNLAB_LIVE_H

#include <signal.h>
#include <stddef.h>

#include "run.h"

#define LIVE_FPS 10
#define LIVE_WIDTH 1400 /* px */
#define LIVE_HEIGHT 880
#define LIVE_MAP_CELLS 50 /* a side of the live map's grid (the figure's is 200) */

typedef struct {
    const char *title;                  /* of the window */
    const char *note;                   /* the line above its panels; NULL: the title */
    int n_runs;                         /* runs 0 .. n_runs - 1 may be shown */
    const char *png_dir;                /* where s saves live_N.png */
    volatile sig_atomic_t *stop_signal; /* set once the runs should stop (main.c's) */
    void (*say)(const char *line);      /* tells where a PNG went, or what failed */
} LiveSetup;

typedef struct Live Live;

/* Whether a window can be asked for at all: 0, or -1 with why not (no DISPLAY). */
int live_check(char *err, size_t errlen);
/* Opens the window and starts drawing it. NULL with a message if it cannot open. */
Live *live_start(const LiveSetup *setup, char *err, size_t errlen);
/* Trains run `run` as run_train does (observer, which may be NULL, is called too), and
 * shows it in the window as it goes. May be called from several threads at once, for
 * different runs. */
TrainStatus live_train(Live *live, int run, const RunSpec *spec, RunResult *res,
                       TrainObserver observer, void *ctx);
/* Once training is over: draws the last frame, closes the window and frees live. */
void live_stop(Live *live);

#endif
