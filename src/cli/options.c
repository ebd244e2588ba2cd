/* options.c - reading the long options of a command with getopt_long. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "settings.h"

/* The options whose names begin with the NAME of text ("--NAME" or
 * "--NAME=VALUE"), when more than one does and none is NAME itself: an
 * abbreviation that could mean either. glibc's getopt_long calls it ambiguous
 * only if the candidates differ in has_arg, flag or val, and nnlab's mostly
 * do not: it would take the first. Lists them "--a, --b or --c" in buf and
 * returns how many; 0 if text is not ambiguous. */
static int ambiguous_prefix(const char *text, const struct option *options, char *buf, size_t len)
{
    if (strncmp(text, "--", 2) != 0)
        return 0;
    const char *name = text + 2;
    size_t n = strcspn(name, "=");
    const char *found[CLI_MAX_OPTIONS];
    int count = 0;
    for (const struct option *o = options; o->name; o++) {
        if (strncmp(o->name, name, n) != 0)
            continue;
        if (o->name[n] == '\0')
            return 0; /* an exact match is never ambiguous */
        int seen = 0;
        for (int i = 0; i < count && !seen; i++)
            seen = strcmp(found[i], o->name) == 0;
        if (!seen && count < CLI_MAX_OPTIONS)
            found[count++] = o->name;
    }
    if (count < 2)
        return 0;
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < count && used < len; i++) {
        int w = snprintf(buf + used, len - used, "%s--%s",
                         i == 0          ? ""
                         : i + 1 < count ? ", "
                                         : " or ",
                         found[i]);
        used += w > 0 ? (size_t)w : 0;
    }
    return count;
}

/* "nnlab CMD: option --NAME is ambiguous: ..." if text is an ambiguous
 * abbreviation; returns whether it was. */
static int say_ambiguous(char **argv, const char *text, const struct option *options)
{
    char names[1024];
    if (!ambiguous_prefix(text, options, names, sizeof names))
        return 0;
    fprintf(stderr, "nnlab %s: option %.*s is ambiguous: %s (see nnlab %s --help)\n", argv[0],
            (int)strcspn(text, "="), text, names, argv[0]);
    return 1;
}

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
    if (code == '?' || code == ':') {
        if (code == '?' && say_ambiguous(argv, argv[optind - 1], options))
            return CLI_BAD;
        fprintf(stderr, "nnlab %s: %s option %s (see nnlab %s --help)\n", argv[0],
                code == ':' ? "missing value for" : "unknown", argv[optind - 1], argv[0]);
        return CLI_BAD;
    }
    if (code == 'h')
        return CLI_HELP;
    /* The option's own word: the one before its value when that came apart
     * ("--lr 0.1"), else the last one read ("--lr=0.1", "--quiet"). */
    const char *text = optarg && optarg == argv[optind - 1] ? argv[optind - 2] : argv[optind - 1];
    if (say_ambiguous(argv, text, options))
        return CLI_BAD;
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
