/* cli.h - the commands of the nnlab program (src/cli).
 *
 * Each command parses its own options, prints, and returns the process exit
 * status. Only this layer prints to the terminal or chooses exit codes.
 */
#ifndef NNLAB_CLI_H
#define NNLAB_CLI_H

#include <getopt.h>
#include <signal.h>

#include "run.h"

/* The version: the Makefile's VERSION, passed as -DNNLAB_VERSION='"X.Y.Z"'. */
#ifndef NNLAB_VERSION
#error "NNLAB_VERSION is not defined: build with make, which passes the Makefile's VERSION"
#endif

enum {
    EXIT_OK = 0,
    EXIT_RUNTIME = 1,  /* a write failed, out of memory */
    EXIT_USAGE = 2,    /* bad option, bad input file */
    EXIT_DIVERGED = 3, /* the loss became NaN or infinite, or the weights beyond +-1e100 */
    EXIT_MISSING = 4,  /* nnlab report: some runs are not in --runs, or were interrupted */
    /* interrupted by signal s: 128 + s (130 SIGINT, 143 SIGTERM, 129 SIGHUP, 141 SIGPIPE) */
};

/* What every command gets from main. */
typedef struct {
    volatile sig_atomic_t *stop_signal; /* the signal number, once SIGINT, SIGTERM, SIGHUP or
                                         * SIGPIPE asked to stop */
} CliContext;

int cmd_train(int argc, char **argv, const CliContext *ctx);
int cmd_run(int argc, char **argv, const CliContext *ctx);
int cmd_compare(int argc, char **argv, const CliContext *ctx);
int cmd_report(int argc, char **argv, const CliContext *ctx);

/* What the live window tells (live.h's LiveSetup.say): a line on stderr. */
void cli_say_live(const char *line);

/* Room for the options of a command: its own and the settings'. */
#define CLI_MAX_OPTIONS 64

/* The getopt_long entries of every setting of settings.h (--lr X, ...),
 * then own's up to its zero entry, into out (CLI_MAX_OPTIONS entries).
 * Every option of nnlab is long only: getopt_long returns 0 and the
 * option's index. */
void cli_options(struct option *out, const struct option *own);

typedef enum { CLI_OPTION, CLI_END, CLI_HELP, CLI_BAD } CliNext;

/* getopt_long over argv (argv[0] is the command's name): call with *started
 * 0 the first time. Returns CLI_OPTION with the option's long name and its
 * argument ("" if none), CLI_END after the last option (optind is then the
 * first other argument), CLI_HELP for --help, or CLI_BAD after printing
 * "nnlab CMD: unknown option ..." on stderr. An abbreviation is taken when
 * it begins one option's name only; one that begins several ("--s" of
 * --seed and --stop-loss) is CLI_BAD, with a line naming them. */
CliNext cli_next_option(int argc, char **argv, const struct option *options, int *started,
                        const char **name, const char **arg);

/* Settings of `nnlab train` beyond the run itself, shared with `compare`. */
typedef struct {
    char out_dir[1024];
    char save_model[1024];
    int formats; /* RUN_PNG | RUN_SVG */
    int quiet;
    int live; /* --live: a window shows the run as it trains (live.h) */
} TrainOptions;

/* Applies one option of `nnlab train` (its long name without "--", and its
 * argument) to spec and opts. Returns 0, or -1 with "--name: what is
 * accepted" in err. */
int train_option_apply(const char *name, const char *arg, RunSpec *spec, TrainOptions *opts,
                       char *err, size_t errlen);

#endif
