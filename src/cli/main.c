/* main.c - the nnlab program: dispatches to a command, owns the signals. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli.h"

/* Set by SIGINT, SIGTERM, SIGHUP (the terminal went away) or SIGPIPE (the
 * output's reader went away) to the signal's number; a run stops at the end
 * of the epoch it is in, and what it has is saved. The only global of the
 * program, as a signal needs one. */
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    if (stop_signal && (sig == SIGINT || sig == SIGTERM)) {
        /* A second interrupt: leave at once. Output files are written
         * atomically, and SIGINT and SIGTERM wait while a temporary file is
         * there, so none is left half-written. (Every write to a closed pipe
         * raises SIGPIPE again, and SIGHUP is not held back, so those two
         * only ever ask to stop.) */
        signal(sig, SIG_DFL);
        raise(sig);
    }
    if (!stop_signal)
        stop_signal = sig;
}

/* Descriptors a command may need at once: its input files, a temporary, and
 * the drawing library's (PLplot opens its driver files, fontconfig its
 * caches, with the figure's own). Fewer than this free would fail somewhere
 * with a misleading message (PLplot: "no such driver"), so say so first. */
#define FREE_DESCRIPTORS_NEEDED 16

static int enough_descriptors(void)
{
    int fds[FREE_DESCRIPTORS_NEEDED], n = 0;
    while (n < FREE_DESCRIPTORS_NEEDED && (fds[n] = open("/dev/null", O_RDONLY)) >= 0)
        n++;
    for (int i = 0; i < n; i++)
        close(fds[i]);
    if (n == FREE_DESCRIPTORS_NEEDED)
        return 1;
    struct rlimit limit;
    getrlimit(RLIMIT_NOFILE, &limit);
    fprintf(stderr,
            "nnlab: too many open files: %d file descriptors are free, %d are needed (ulimit -n "
            "is %lld)\n",
            n, FREE_DESCRIPTORS_NEEDED, (long long)limit.rlim_cur);
    return 0;
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
    "  report FILE draw an experiment's figures and README from its saved runs, without\n"
    "              training (nnlab report --help)\n"
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
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGPIPE, &sa, NULL);
    /* Past a file size limit, a write fails with EFBIG, which is reported and
     * cleaned up, rather than ending the program with a temporary left. */
    signal(SIGXFSZ, SIG_IGN);
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
    int works = strcmp(cmd, "train") == 0 || strcmp(cmd, "run") == 0 ||
                strcmp(cmd, "compare") == 0 || strcmp(cmd, "report") == 0;
    if (works && !enough_descriptors())
        return EXIT_RUNTIME;
    if (strcmp(cmd, "train") == 0)
        return cmd_train(argc - 1, argv + 1, &ctx);
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 1, argv + 1, &ctx);
    if (strcmp(cmd, "compare") == 0)
        return cmd_compare(argc - 1, argv + 1, &ctx);
    if (strcmp(cmd, "report") == 0)
        return cmd_report(argc - 1, argv + 1, &ctx);
    fprintf(stderr,
            "nnlab: unknown command \"%s\" (train, run, compare or report; see nnlab --help)\n",
            cmd);
    return EXIT_USAGE;
}
