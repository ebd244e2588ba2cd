/* options.c - reading the long options of a command with getopt_long. */
#include <stdio.h>

#include "cli.h"
#include "settings.h"

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

void cli_options(struct option *out, const struct option *own)
{
    int n_settings, n = 0;
    const Setting *table = settings_table(&n_settings);
    for (int i = 0; i < n_settings && n < CLI_MAX_OPTIONS - 1; i++)
        out[n++] = (struct option){table[i].key, required_argument, NULL, 0};
    for (; own->name && n < CLI_MAX_OPTIONS - 1; own++)
        out[n++] = *own;
    out[n] = (struct option){NULL, 0, NULL, 0};
}

void cli_say_live(const char *line) { fprintf(stderr, "nnlab: %s\n", line); }
