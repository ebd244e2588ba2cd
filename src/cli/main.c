/* main.c - the nnlab program: dispatches to a command, owns the signals. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* Set by SIGINT/SIGTERM to the signal's number; a run stops at the end of the
 * epoch it is in. The only global of the program, as a signal needs one. */
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    if (stop_signal) {
        /* A second interrupt: leave at once. Output files are written
         * atomically, so none is left half-written. */
        signal(sig, SIG_DFL);
        raise(sig);
    }
    stop_signal = sig;
}

static const char usage[] =
    "usage: nnlab COMMAND [options]\n"
    "\n"
    "Trains small fully connected networks with backpropagation and draws what happened.\n"
    "\n"
    "commands:\n"
    "  train       train one network (nnlab train --help)\n"
    "  run FILE    run the experiment described in FILE (nnlab run --help)\n"
    "  compare     train several networks that differ in one setting (nnlab compare --help)\n"
    "\n"
    "  --help      this text\n"
    "  --version   the version of nnlab\n";

int main(int argc, char **argv)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    CliContext ctx = {.stop_signal = &stop_signal};

    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("nnlab %s\n", NNLAB_VERSION);
        return EXIT_OK;
    }
    if (strcmp(cmd, "train") == 0)
        return cmd_train(argc - 1, argv + 1, &ctx);
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 1, argv + 1, &ctx);
    if (strcmp(cmd, "compare") == 0)
        return cmd_compare(argc - 1, argv + 1, &ctx);
    fprintf(stderr, "nnlab: unknown command \"%s\" (train, run or compare; see nnlab --help)\n",
            cmd);
    return EXIT_USAGE;
}
