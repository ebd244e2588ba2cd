/* options.c - reading the long options of a command with getopt_long. */
#include <stdio.h>

#include "cli.h"

CliNext cli_next_option(int argc, char **argv, const struct option *options, int *started,
                        const char **name, const char **arg)
{
    if (!*started) {
        optind = 1; /* argv is the command's own */
        opterr = 0; /* unknown options get our message, not getopt's */
        *started = 1;
    }
    int index = 0;
    int code = getopt_long(argc, argv, ":h", options, &index);
    if (code == -1)
        return CLI_END;
    if (code == 'h')
        return CLI_HELP;
    if (code == '?' || code == ':') {
        fprintf(stderr, "nnlab %s: %s option %s (see nnlab %s --help)\n", argv[0],
                code == ':' ? "missing value for" : "unknown", argv[optind - 1], argv[0]);
        return CLI_BAD;
    }
    *name = options[index].name;
    *arg = optarg ? optarg : "";
    return CLI_OPTION;
}
