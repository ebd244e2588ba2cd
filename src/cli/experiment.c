/* experiment.c - reading experiment files (libinih) into runs. */
#include "experiment.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "numparse.h"

#define EXP_MAX_LINE 190 /* inih reads lines of up to INI_MAX_LINE (200) bytes */
#define EXP_MAX_ENTRIES 128

/* One "key = value" line of the file, kept until every line is read, since
 * [train] must apply before [train.xor] whatever their order. */
typedef struct {
    char section[32];
    char key[32];
    char value[EXP_MAX_LINE + 1];
    int line;
    int continued; /* an indented line that goes on with the value above */
} Entry;

typedef struct {
    const char *text;      /* the rest of the file */
    const char *line_text; /* the line the reader last returned, in the file's text */
    int line;              /* its number */
    Entry entries[EXP_MAX_ENTRIES];
    int n_entries;
    char err[512];
    int err_line;
} Parser;

/* An ini_reader over the file text, counting lines. */
static char *read_line(char *buf, int size, void *stream)
{
    Parser *p = stream;
    if (*p->text == '\0')
        return NULL;
    size_t len = strcspn(p->text, "\n");
    size_t take = len < (size_t)size - 1 ? len : (size_t)size - 1;
    memcpy(buf, p->text, take);
    buf[take] = '\0';
    p->line_text = p->text;
    p->text += len + (p->text[len] == '\n');
    p->line++;
    return buf;
}

static int fail(Parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(Parser *p, const char *fmt, ...)
{
    if (!p->err[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->err, sizeof p->err, fmt, ap);
        va_end(ap);
        p->err_line = p->line;
    }
    return 0;
}

/* Keys whose text may go on over indented lines. */
static int is_text_key(const char *section, const char *key)
{
    return strcmp(section, "experiment") == 0 &&
           (strcmp(key, "title") == 0 || strcmp(key, "description") == 0);
}

static int on_entry(void *user, const char *section, const char *key, const char *value)
{
    Parser *p = user;
    if (p->n_entries == EXP_MAX_ENTRIES)
        return fail(p, "more than %d settings", EXP_MAX_ENTRIES);
    if (strlen(section) >= sizeof p->entries[0].section)
        return fail(p,
                    "unknown section [%.40s] (experiment, train, train.NAME of a data set or "
                    "vary)",
                    section);
    if (strlen(key) >= sizeof p->entries[0].key)
        return fail(p, "unknown setting \"%.40s\"", key);
    /* inih hands an indented line over as more of the value above: text for a
     * title or a description, but never a second number or name that would
     * silently replace the first ("epochs = 100000" and then "    7") */
    int continued = isspace((unsigned char)p->line_text[0]);
    if (continued && !is_text_key(section, key))
        return fail(p,
                    "%s: an indented line goes on with the value of %s, which is one value "
                    "(only title and description go on over indented lines)",
                    key, key);
    for (int i = 0; !continued && i < p->n_entries; i++) {
        const Entry *was = &p->entries[i];
        if (strcmp(was->section, section) == 0 && strcmp(was->key, key) == 0)
            return fail(p, "%s is set twice in [%s] (first on line %d): one value is accepted", key,
                        section, was->line);
    }
    Entry *e = &p->entries[p->n_entries++];
    strcpy(e->section, section);
    strcpy(e->key, key);
    snprintf(e->value, sizeof e->value, "%s", value);
    e->line = p->line;
    e->continued = continued;
    return 1;
}

/* Appends sep (if dst is not empty) and src to dst (size bytes); what does
 * not fit is cut off before the first UTF-8 character that does not fit
 * whole. */
static void append_text(char *dst, size_t size, const char *sep, const char *src)
{
    char all[EXP_MAX_LINE + 8 + sizeof((Experiment *)0)->description];
    int n = snprintf(all, sizeof all, "%s%s%s", dst, dst[0] ? sep : "", src);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof all ? (size_t)n : sizeof all - 1;
    if (len >= size) {
        len = size - 1;
        while (len > 0 && ((unsigned char)all[len] & 0xC0) == 0x80)
            len--; /* all[len] goes on with a character begun before it */
    }
    memcpy(dst, all, len);
    dst[len] = '\0';
}

/* Splits a comma-separated list in place; returns the count, or -1 if more
 * than max or an item is empty. */
static int split_list(char *text, char **items, int max)
{
    int n = 0;
    for (char *item = text;;) {
        char *comma = strchr(item, ',');
        if (comma)
            *comma = '\0';
        while (isspace((unsigned char)*item))
            item++;
        char *end = item + strlen(item);
        while (end > item && isspace((unsigned char)end[-1]))
            *--end = '\0';
        if (n == max || *item == '\0')
            return -1;
        items[n++] = item;
        if (!comma)
            return n;
        item = comma + 1;
    }
}

/* Whether values a and b of setting key make the same runs of exp: equal as
 * numbers (0.1, 0.10 and 1e-1), or the same settings in words (hidden 16 and
 * 16,16; output-activation same and sigmoid on sigmoid hidden layers). */
static int same_value(const Experiment *exp, const char *key, const char *a, const char *b)
{
    double x, y;
    if (parse_double(a, &x) == 0 && parse_double(b, &y) == 0)
        return x == y;
    for (int d = 0; d < exp->n_datasets; d++) {
        RunSpec ra = exp->base[d], rb = exp->base[d];
        char msg[256], da[2048], db[2048];
        if (run_spec_set(&ra, key, a, msg, sizeof msg) != 0 ||
            run_spec_set(&rb, key, b, msg, sizeof msg) != 0)
            return strcmp(a, b) == 0;
        run_spec_describe(&ra, da, sizeof da);
        run_spec_describe(&rb, db, sizeof db);
        if (strcmp(da, db) != 0)
            return 0;
    }
    return 1;
}

/* The varied setting: key and values, each value checked on a copy of a spec;
 * second: the grid's second setting. Call once the settings of [train] are in
 * exp->base (same_value needs them). */
static int set_vary(Experiment *exp, int second, const char *key, const char *values, char *err,
                    size_t errlen)
{
    char(*kept)[64] = second ? exp->values2 : exp->values;
    char buf[EXP_MAX_LINE + 1], msg[400];
    char *items[EXP_MAX_VALUES];
    const Setting *setting = setting_find(key);
    if (setting && !(setting->flags & SETTING_VARIES)) {
        char keys[512];
        setting_keys(SETTING_VARIES, keys, sizeof keys);
        snprintf(err, errlen, "%s cannot be varied (%s can)", key, keys);
        return -1;
    }
    if (second && strcmp(key, exp->vary_key) == 0) {
        /* the second values would overrule the first in every run, whose
         * folders and labels still name the first */
        snprintf(err, errlen, "%s is varied twice: a grid is of two different settings", key);
        return -1;
    }
    snprintf(buf, sizeof buf, "%s", values);
    int n = split_list(buf, items, EXP_MAX_VALUES);
    if (n < 1) {
        snprintf(err, errlen, "%s: a list of 1 to %d values separated by commas is accepted", key,
                 EXP_MAX_VALUES);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        RunSpec scratch = run_spec_default();
        if (strlen(items[i]) >= sizeof exp->values[0]) {
            snprintf(err, errlen, "%s: values of at most %zu characters are accepted", key,
                     sizeof exp->values[0] - 1);
            return -1;
        }
        if (run_spec_set(&scratch, key, items[i], msg, sizeof msg) != 0) {
            snprintf(err, errlen, "%s: %s", key, msg);
            return -1;
        }
        for (int j = 0; j < i; j++)
            if (same_value(exp, key, kept[j], items[i])) {
                /* two runs alike, and maybe one folder, runs/NAME/DATASET_KEY-VALUE */
                if (strcmp(kept[j], items[i]) == 0)
                    snprintf(err, errlen, "%s: \"%s\" is listed twice", key, items[i]);
                else
                    snprintf(err, errlen, "%s: \"%s\" is the same value as \"%s\"", key, items[i],
                             kept[j]);
                return -1;
            }
        strcpy(kept[i], items[i]);
    }
    if (second) {
        snprintf(exp->vary_key2, sizeof exp->vary_key2, "%s", key);
        exp->n_values2 = n;
    } else {
        snprintf(exp->vary_key, sizeof exp->vary_key, "%s", key);
        exp->n_values = n;
    }
    return 0;
}

/* "key=v1,v2,..." as the first varied setting, or the second (a grid's). */
static int set_vary_text(Experiment *exp, int second, const char *text, char *err, size_t errlen)
{
    char key[32];
    const char *eq = strchr(text, '=');
    size_t len = eq ? (size_t)(eq - text) : 0;
    if (!eq || len == 0 || len >= sizeof key || strlen(eq + 1) > EXP_MAX_LINE) {
        snprintf(err, errlen, "\"%s\" is not SETTING=VALUE,VALUE,... (e.g. lr=0.1,0.01)", text);
        return -1;
    }
    memcpy(key, text, len);
    key[len] = '\0';
    return set_vary(exp, second, key, eq + 1, err, errlen);
}

int experiment_set_vary(Experiment *exp, const char *text, char *err, size_t errlen)
{
    return set_vary_text(exp, 0, text, err, errlen);
}

int experiment_set_statistics(Experiment *exp, const char *text, char *err, size_t errlen)
{
    char buf[EXP_MAX_LINE + 1];
    char *items[SWEEP_N_STATISTICS];
    SweepStatistic chosen[SWEEP_N_STATISTICS];
    snprintf(buf, sizeof buf, "%s", text);
    int n = strlen(text) > EXP_MAX_LINE ? -1 : split_list(buf, items, SWEEP_N_STATISTICS);
    for (int i = 0; i < n; i++) {
        int k = 0;
        while (k < SWEEP_N_STATISTICS && strcmp(items[i], experiment_statistic_name(k)) != 0)
            k++;
        for (int j = 0; j < i; j++)
            k = chosen[j] == (SweepStatistic)k ? SWEEP_N_STATISTICS : k;
        if (k == SWEEP_N_STATISTICS)
            n = -1;
        else
            chosen[i] = k;
    }
    if (n < 1) {
        snprintf(err, errlen,
                 "\"%s\" is not a list of success_rate, median_epochs, final_loss, "
                 "test_accuracy, each once",
                 text);
        return -1;
    }
    memcpy(exp->statistics, chosen, (size_t)n * sizeof *chosen);
    exp->n_statistics = n;
    return 0;
}

/* What a grid needs of its settings and statistics, wherever they came from
 * (the messages name them as there: seeds, where held-out points come
 * from): 1 if seed is one of its settings, 2 if test_accuracy has no
 * held-out points to measure, 0 if all is well; the default statistic set. */
static int grid_problem(Experiment *exp, const char *seeds, const char *held_out, char *err,
                        size_t errlen)
{
    if (strcmp(exp->vary_key, "seed") == 0 || strcmp(exp->vary_key2, "seed") == 0) {
        snprintf(err, errlen,
                 "seed: a grid runs every setting with the seeds of %s, "
                 "and the seed is not one of its settings",
                 seeds);
        return 1;
    }
    if (!exp->n_statistics)
        exp->statistics[exp->n_statistics++] = SWEEP_SUCCESS_RATE;
    for (int k = 0; k < exp->n_statistics; k++) {
        int tested =
            !strcmp(exp->vary_key, "test-fraction") || !strcmp(exp->vary_key2, "test-fraction");
        for (int d = 0; d < exp->n_datasets; d++)
            tested |= exp->base[d].test_path[0] || run_test_fraction(&exp->base[d]) > 0;
        if (exp->statistics[k] == SWEEP_TEST_ACCURACY && !tested) {
            snprintf(err, errlen, "test_accuracy needs held-out points (%s)", held_out);
            return 2;
        }
    }
    return 0;
}

int experiment_set_grid(Experiment *exp, const char *text, char *err, size_t errlen)
{
    if (set_vary_text(exp, 1, text, err, errlen) != 0)
        return -1;
    switch (grid_problem(exp, "--seeds N", "--test-fraction or --test-data", err, errlen)) {
    case 1:
        return -1;
    case 2:
        return -2;
    }
    exp->figures = FIG_SWEEP;
    return 0;
}

static int set_experiment_key(Experiment *exp, const Entry *e, char *err, size_t errlen)
{
    char buf[EXP_MAX_LINE + 1];
    char *items[8];
    if (strcmp(e->key, "title") == 0 || strcmp(e->key, "description") == 0) {
        /* indented lines go on with it: inih hands them over as the same key again */
        int title = e->key[0] == 't';
        char *text = title ? exp->title : exp->description;
        size_t size = title ? sizeof exp->title : sizeof exp->description;
        if (!e->continued)
            text[0] = '\0';
        append_text(text, size, " ", e->value);
    } else if (strcmp(e->key, "datasets") == 0) {
        strcpy(buf, e->value);
        int n = split_list(buf, items, EXP_MAX_DATASETS);
        for (int i = 0; i < n; i++)
            if (!(exp->datasets[i] = dataset_find(items[i])))
                n = -1;
        if (n < 1) {
            char names[256];
            dataset_names(names, sizeof names, " and ");
            snprintf(err, errlen, "datasets: \"%s\" is not a list of up to %d of %s", e->value,
                     EXP_MAX_DATASETS, names);
            return -1;
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
                if (exp->datasets[j] == exp->datasets[i]) {
                    /* both runs would share one folder, runs/NAME/DATASET */
                    snprintf(err, errlen, "datasets: \"%s\" is listed twice", items[i]);
                    return -1;
                }
        exp->n_datasets = n;
    } else if (strcmp(e->key, "figures") == 0) {
        strcpy(buf, e->value);
        int n = split_list(buf, items, 7);
        exp->figures = 0;
        for (int i = 0; i < n; i++) {
            if (strcmp(items[i], "learning_curve") == 0)
                exp->figures |= FIG_LEARNING_CURVE;
            else if (strcmp(items[i], "prediction") == 0)
                exp->figures |= FIG_PREDICTION;
            else if (strcmp(items[i], "comparison") == 0)
                exp->figures |= FIG_COMPARISON;
            else if (strcmp(items[i], "updates") == 0)
                exp->figures |= FIG_UPDATES;
            else if (strcmp(items[i], "boundary") == 0)
                exp->figures |= FIG_BOUNDARY;
            else if (strcmp(items[i], "network") == 0)
                exp->figures |= FIG_NETWORK;
            else if (strcmp(items[i], "sweep") == 0)
                exp->figures |= FIG_SWEEP;
            else
                n = -1;
        }
        if (n < 1) {
            snprintf(err, errlen,
                     "figures: \"%s\" is not a list of learning_curve, prediction, comparison, "
                     "updates, boundary, network, sweep",
                     e->value);
            return -1;
        }
    } else if (strcmp(e->key, "seeds") == 0) {
        char msg[300];
        if (experiment_set_seeds(exp, e->value, msg, sizeof msg) != 0) {
            snprintf(err, errlen, "seeds: %s", msg);
            return -1;
        }
    } else if (strcmp(e->key, "band") == 0) {
        char msg[300];
        if (experiment_set_band(exp, e->value, msg, sizeof msg) != 0) {
            snprintf(err, errlen, "band: %s", msg);
            return -1;
        }
    } else if (strcmp(e->key, "sweep_statistic") == 0) {
        char msg[300];
        if (experiment_set_statistics(exp, e->value, msg, sizeof msg) != 0) {
            snprintf(err, errlen, "sweep_statistic: %s", msg);
            return -1;
        }
    } else if (strcmp(e->key, "runs_lines") == 0) {
        if (strcmp(e->value, "yes") != 0 && strcmp(e->value, "no") != 0) {
            snprintf(err, errlen, "runs_lines: \"%s\" is not yes or no", e->value);
            return -1;
        }
        exp->runs_lines = strcmp(e->value, "yes") == 0;
    } else if (strcmp(e->key, "prediction_of") != 0) { /* checked once [vary] is known */
        snprintf(err, errlen,
                 "unknown setting \"%s\" in [experiment] (title, description, datasets, "
                 "figures, prediction_of, seeds, band, runs_lines, sweep_statistic)",
                 e->key);
        return -1;
    }
    return 0;
}

/* The index of the first entry of section with key (any key if NULL), or -1. */
static int find_entry(const Parser *p, const char *section, const char *key)
{
    for (int i = 0; i < p->n_entries; i++)
        if (strncmp(p->entries[i].section, section, strlen(section)) == 0 &&
            (!key || strcmp(p->entries[i].key, key) == 0))
            return i;
    return -1;
}

/* What a grid of two varied settings allows (vary2: the second's entry, or
 * -1), and what needs one: the sweep figure and its statistics. Returns the
 * index of the failing entry, or -1. */
static int check_grid(Experiment *exp, const Parser *p, int vary2, char *err, size_t errlen)
{
    int figures = find_entry(p, "experiment", "figures");
    int statistic = find_entry(p, "experiment", "sweep_statistic");
    if (vary2 < 0) {
        if (exp->figures & FIG_SWEEP) {
            snprintf(err, errlen, "figures: sweep draws a grid of two settings, and [vary] has %s",
                     exp->vary_key[0] ? "one" : "none");
            return figures;
        }
        if (statistic >= 0) {
            snprintf(err, errlen, "sweep_statistic: needs two settings in [vary] (a grid)");
            return statistic;
        }
        return -1;
    }
    if (exp->figures & ~FIG_SWEEP) {
        snprintf(err, errlen,
                 "figures: with two settings in [vary], sweep (heatmaps over the grid) is the "
                 "figure accepted");
        return figures;
    }
    exp->figures = FIG_SWEEP;
    int i = find_entry(p, "vary.", NULL);
    if (i >= 0 || (i = find_entry(p, "experiment", "prediction_of")) >= 0) {
        snprintf(err, errlen, "%s is not accepted with two settings in [vary]",
                 p->entries[i].section[0] == 'v' ? "a [vary.VALUE] section" : "prediction_of");
        return i;
    }
    char msg[300];
    switch (grid_problem(exp, "seeds = N", "test-fraction or test-data in [train]", msg,
                         sizeof msg)) {
    case 1:
        snprintf(err, errlen, "%s", msg);
        return vary2;
    case 2:
        snprintf(err, errlen, "sweep_statistic: %s", msg);
        return statistic;
    }
    return -1;
}

/* Whether some run takes both a and b, entries of [train], [train.NAME],
 * [vary] or [vary.VALUE]: their data sets and values may not exclude each
 * other, and a [train.NAME] must be of a data set of the experiment. */
static int same_runs(const Experiment *exp, const Entry *a, const Entry *b)
{
    const Entry *pair[2] = {a, b};
    const char *dataset[2] = {NULL, NULL}, *value[2] = {NULL, NULL};
    for (int k = 0; k < 2; k++) {
        if (strncmp(pair[k]->section, "train.", 6) == 0)
            dataset[k] = pair[k]->section + 6;
        else if (strncmp(pair[k]->section, "vary.", 5) == 0)
            value[k] = pair[k]->section + 5;
    }
    if ((dataset[0] && dataset[1] && strcmp(dataset[0], dataset[1]) != 0) ||
        (value[0] && value[1] && strcmp(value[0], value[1]) != 0))
        return 0;
    for (int k = 0; k < 2; k++) {
        int used = !dataset[k];
        for (int d = 0; !used && d < exp->n_datasets; d++)
            used = strcmp(exp->datasets[d]->name, dataset[k]) == 0;
        if (!used)
            return 0;
    }
    return 1;
}

/* Applies the entries to exp; returns the index of the failing entry, or -1. */
static int apply_entries(Experiment *exp, const Parser *p, char *err, size_t errlen)
{
    char msg[400];
    int vary = -1, vary2 = -1, datasets = -1;
    /* [experiment] first: it says which data sets there are */
    for (int i = 0; i < p->n_entries; i++) {
        const Entry *e = &p->entries[i];
        if (strcmp(e->section, "experiment") == 0) {
            if (set_experiment_key(exp, e, err, errlen) != 0)
                return i;
            if (strcmp(e->key, "datasets") == 0)
                datasets = i;
        } else if (strcmp(e->section, "vary") == 0) {
            if (vary2 >= 0) {
                snprintf(err, errlen,
                         "[vary] already varies %s and %s: at most two settings may be varied "
                         "(one, or a grid of two)",
                         p->entries[vary].key, p->entries[vary2].key);
                return i;
            }
            *(vary >= 0 ? &vary2 : &vary) = i;
        } else if (strcmp(e->section, "train") != 0 && strncmp(e->section, "train.", 6) != 0 &&
                   strncmp(e->section, "vary.", 5) != 0) {
            snprintf(err, errlen,
                     "unknown section [%s] (experiment, train, train.NAME of a data set, vary or "
                     "vary.VALUE of a varied value)",
                     e->section);
            return i;
        }
    }
    /* each run's data set before its other settings: the checks below ask it
     * for its defaults (the points it holds out, its size) */
    for (int d = 0; d < exp->n_datasets; d++)
        exp->base[d].dataset = exp->datasets[d];
    /* then [train] for every data set, then each [train.NAME] for its own */
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < p->n_entries; i++) {
            const Entry *e = &p->entries[i];
            int general = strcmp(e->section, "train") == 0;
            if (pass == 0 ? !general : strncmp(e->section, "train.", 6) != 0)
                continue;
            const DatasetInfo *only = general ? NULL : dataset_find(e->section + 6);
            if (!general && !only) {
                char names[256];
                dataset_names(names, sizeof names, " or ");
                snprintf(err, errlen, "unknown section [%s] (train.NAME, NAME %s)", e->section,
                         names);
                return i;
            }
            if (!general && exp->data_name[0]) {
                snprintf(err, errlen,
                         "[%s] is for the data set %s, but the runs use the data file of [train] "
                         "(settings for every run go in [train])",
                         e->section, only->name);
                return i;
            }
            if (strcmp(e->key, "dataset") == 0) {
                snprintf(err, errlen, "dataset: the data sets are chosen by [experiment] datasets");
                return i;
            }
            /* checked on a scratch spec too, so an unused [train.xor] is still checked */
            RunSpec scratch = run_spec_default();
            if (run_spec_set(&scratch, e->key, e->value, msg, sizeof msg) != 0) {
                snprintf(err, errlen, "%s: %s", e->key, msg);
                return i;
            }
            if (strcmp(e->key, "data") == 0) {
                /* a data file is the experiment's one data set, and names its outputs */
                if (!general || datasets >= 0) {
                    snprintf(err, errlen,
                             general ? "data: a data file and datasets (line %d) are both given; "
                                       "one of them is accepted"
                                     : "data: a data file goes in [train], in place of the data "
                                       "sets%.0d",
                             datasets >= 0 ? p->entries[datasets].line : 0);
                    return i;
                }
                if (run_name_from_path(e->value, exp->data_name, sizeof exp->data_name) != 0) {
                    exp->data_name[0] = '\0';
                    char shown[EXP_MAX_LINE + 1];
                    run_printable(e->value, shown, sizeof shown);
                    snprintf(err, errlen,
                             "data: \"%s\" cannot name the figures and run folders: %s is "
                             "accepted",
                             shown, RUN_NAME_RULE);
                    return i;
                }
                exp->n_datasets = 1;
            }
            for (int d = 0; d < exp->n_datasets; d++)
                if (general || exp->datasets[d] == only)
                    run_spec_set(&exp->base[d], e->key, e->value, msg, sizeof msg);
        }
    }
    /* [vary] once the runs' other settings are known */
    if (vary >= 0 &&
        set_vary(exp, 0, p->entries[vary].key, p->entries[vary].value, err, errlen) != 0)
        return vary;
    if (vary2 >= 0 &&
        set_vary(exp, 1, p->entries[vary2].key, p->entries[vary2].value, err, errlen) != 0)
        return vary2;
    int failed = check_grid(exp, p, vary2, err, errlen);
    if (failed >= 0)
        return failed;
    /* each [vary.VALUE]: settings of the runs of that value only */
    for (int i = 0; i < p->n_entries; i++) {
        const Entry *e = &p->entries[i];
        if (strncmp(e->section, "vary.", 5) != 0)
            continue;
        int v = 0;
        while (v < exp->n_values && strcmp(exp->values[v], e->section + 5) != 0)
            v++;
        if (!exp->vary_key[0] || v == exp->n_values) {
            snprintf(err, errlen, "[%s]: \"%s\" is not one of the values in [vary]", e->section,
                     e->section + 5);
            return i;
        }
        RunSpec scratch = run_spec_default();
        if (strcmp(e->key, exp->vary_key) == 0 || strcmp(e->key, "dataset") == 0) {
            snprintf(err, errlen, "%s cannot be set in [%s]", e->key, e->section);
            return i;
        }
        if (run_spec_set(&scratch, e->key, e->value, msg, sizeof msg) != 0) {
            snprintf(err, errlen, "%s: %s", e->key, msg);
            return i;
        }
        if (exp->n_value_settings == EXP_MAX_VALUE_SETTINGS) {
            snprintf(err, errlen, "more than %d settings in [vary.VALUE] sections",
                     EXP_MAX_VALUE_SETTINGS);
            return i;
        }
        ValueSetting *vs = &exp->value_settings[exp->n_value_settings++];
        vs->value = v;
        snprintf(vs->key, sizeof vs->key, "%s", e->key);
        snprintf(vs->text, sizeof vs->text, "%s", e->value);
    }
    /* a run's held-out points come from test-data or test-fraction: with both, the fraction
     * would be ignored */
    for (int i = 0; i < p->n_entries; i++) {
        const Entry *b = &p->entries[i];
        for (int j = 0; j < i && strcmp(b->section, "experiment") != 0; j++) {
            const Entry *a = &p->entries[j];
            int pair = (!strcmp(a->key, "test-data") && !strcmp(b->key, "test-fraction")) ||
                       (!strcmp(a->key, "test-fraction") && !strcmp(b->key, "test-data"));
            if (pair && strcmp(a->section, "experiment") != 0 && same_runs(exp, a, b)) {
                snprintf(err, errlen,
                         "%s: %s (line %d) is given for the same runs; one of them is accepted",
                         b->key, a->key, a->line);
                return i;
            }
        }
    }
    /* seeds = N runs each setting with seeds of its own: a seed set anywhere else would be
     * overruled */
    for (int i = 0; exp->n_seeds && i < p->n_entries; i++) {
        const Entry *e = &p->entries[i];
        if (strcmp(e->key, "seed") == 0 && strcmp(e->section, "experiment") != 0) {
            snprintf(err, errlen,
                     "seed: [experiment] seeds gives the seeds of every run; seed is accepted "
                     "without seeds only");
            return i;
        }
    }
    /* prediction_of names one of the values */
    for (int i = 0; i < p->n_entries; i++) {
        const Entry *e = &p->entries[i];
        if (strcmp(e->section, "experiment") != 0 || strcmp(e->key, "prediction_of") != 0)
            continue;
        exp->prediction_of = -1;
        for (int v = 0; v < exp->n_values; v++)
            if (same_value(exp, exp->vary_key, exp->values[v], e->value))
                exp->prediction_of = v;
        if (exp->prediction_of < 0) {
            snprintf(err, errlen, "prediction_of: \"%s\" is not one of the values in [vary]",
                     e->value);
            return i;
        }
    }
    return -1;
}

/* Reads the whole of fp into buf (size bytes, room for the final '\0'
 * included) and checks it is text in lines inih can take. */
static int read_text(FILE *fp, const char *path, char *buf, size_t size, char *err, size_t errlen)
{
    size_t n = fread(buf, 1, size, fp);
    if (ferror(fp)) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno ? errno : EIO));
        return IO_FAILED;
    }
    if (n == size) {
        snprintf(err, errlen, "%s: larger than %zu bytes", path, size - 1);
        return -1;
    }
    buf[n] = '\0';
    if (strlen(buf) != n) {
        snprintf(err, errlen, "%s: not a text file (has a zero byte)", path);
        return -1;
    }
    int line = 1;
    for (const char *s = buf; *s; line++) {
        size_t len = strcspn(s, "\n");
        if (len > EXP_MAX_LINE) {
            snprintf(err, errlen, "%s:%d: line longer than %d characters", path, line,
                     EXP_MAX_LINE);
            return -1;
        }
        s += len + (s[len] == '\n');
    }
    return 0;
}

/* The experiment's name from its file's ("different_lr"), or "" if that
 * name cannot name folders (see run.h). */
static void name_from_path(const char *path, Experiment *exp)
{
    if (run_name_from_path(path, exp->name, sizeof exp->name) != 0)
        exp->name[0] = '\0';
}

/* The title while the file gives none: the name, or else the file's name as
 * it is, its control characters made '?'. */
static void default_title(const char *path, Experiment *exp)
{
    char base[256];
    const char *slash = strrchr(path, '/');
    snprintf(base, sizeof base, "%s", exp->name[0] ? exp->name : slash ? slash + 1 : path);
    char *dot = strrchr(base, '.');
    if (dot && dot != base)
        *dot = '\0';
    for (char *c = base; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = '?';
    exp->title[0] = '\0';
    append_text(exp->title, sizeof exp->title, "", base[0] ? base : "experiment");
}

static void experiment_init(Experiment *exp)
{
    memset(exp, 0, sizeof *exp);
    exp->n_datasets = 2;
    exp->datasets[0] = dataset_find("linear");
    exp->datasets[1] = dataset_find("xor");
    for (int d = 0; d < EXP_MAX_DATASETS; d++)
        exp->base[d] = run_spec_default();
}

int experiment_from_spec(Experiment *exp, const RunSpec *base, const char *name, char *err,
                         size_t errlen)
{
    experiment_init(exp);
    snprintf(exp->name, sizeof exp->name, "%s", name);
    snprintf(exp->title, sizeof exp->title, "%s", name);
    exp->n_datasets = 1;
    exp->datasets[0] = base->dataset;
    exp->base[0] = *base;
    exp->n_values = 1;
    exp->figures = FIG_COMPARISON;
    if (base->data_path[0] &&
        run_name_from_path(base->data_path, exp->data_name, sizeof exp->data_name) != 0) {
        exp->data_name[0] = '\0';
        char shown[sizeof base->data_path];
        run_printable(base->data_path, shown, sizeof shown);
        snprintf(err, errlen,
                 "--data: \"%.400s\" cannot name the figures and run folders: %s is "
                 "accepted",
                 shown, RUN_NAME_RULE);
        return -1;
    }
    return 0;
}

const char *experiment_dataset_name(const Experiment *exp, int d)
{
    return exp->data_name[0] ? exp->data_name : exp->datasets[d]->name;
}

int experiment_load(const char *path, Experiment *exp, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        int why = errno;
        experiment_init(exp);
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(why));
        return io_open_status(why);
    }
    struct stat st;
    if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        experiment_init(exp);
        snprintf(err, errlen, "%s: is a folder; an experiment file (.ini) is expected", path);
        fclose(fp);
        return IO_BAD_INPUT;
    }
    int rc = experiment_load_file(fp, path, exp, err, errlen);
    fclose(fp);
    return rc;
}

int experiment_load_file(FILE *fp, const char *path, Experiment *exp, char *err, size_t errlen)
{
    experiment_init(exp);
    name_from_path(path, exp);
    default_title(path, exp);
    char *text = malloc(EXP_MAX_FILE_BYTES + 1);
    Parser *p = calloc(1, sizeof *p);
    int rc = IO_BAD_INPUT;
    if (!text || !p) {
        snprintf(err, errlen, "%s: out of memory", path);
        rc = IO_FAILED;
        goto done;
    }
    if ((rc = read_text(fp, path, text, EXP_MAX_FILE_BYTES + 1, err, errlen)) != 0)
        goto done;
    rc = IO_BAD_INPUT;
    p->text = text;
    int bad_line = ini_parse_stream(read_line, p, on_entry, p);
    if (bad_line != 0) {
        if (p->err[0])
            snprintf(err, errlen, "%s:%d: %s", path, p->err_line, p->err);
        else
            snprintf(err, errlen, "%s:%d: not \"[section]\" or \"key = value\"", path, bad_line);
        goto done;
    }
    char msg[512];
    int failed = apply_entries(exp, p, msg, sizeof msg);
    if (failed >= 0) {
        snprintf(err, errlen, "%s:%d: %s", path, p->entries[failed].line, msg);
        goto done;
    }
    for (int i = 0; i < p->n_entries && exp->n_setting_lines < EXP_MAX_SETTING_LINES; i++) {
        const Entry *e = &p->entries[i];
        if (strcmp(e->section, "experiment") == 0 || e->continued)
            continue;
        int k = exp->n_setting_lines++;
        snprintf(exp->setting_lines[k].section, sizeof exp->setting_lines[k].section, "%s",
                 e->section);
        snprintf(exp->setting_lines[k].key, sizeof exp->setting_lines[k].key, "%s", e->key);
        exp->setting_lines[k].line = e->line;
    }
    if (!exp->figures)
        exp->figures = exp->vary_key[0] ? FIG_COMPARISON : FIG_LEARNING_CURVE | FIG_PREDICTION;
    if (!exp->vary_key[0])
        exp->n_values = 1;
    if (!exp->title[0]) /* "title =" */
        default_title(path, exp);
    rc = IO_OK;
done:
    free(text);
    free(p);
    return rc;
}

int experiment_set_seeds(Experiment *exp, const char *text, char *err, size_t errlen)
{
    char buf[EXP_MAX_LINE + 1];
    char *items[EXP_MAX_SEEDS];
    long n = 0;
    int n_items = -1;
    if (strlen(text) < sizeof buf) {
        snprintf(buf, sizeof buf, "%s", text);
        n_items = split_list(buf, items, EXP_MAX_SEEDS);
    }
    if (n_items == 1) { /* a count: seeds 0..N-1 */
        if (parse_long(items[0], 1, EXP_MAX_SEEDS, &n) != 0) {
            snprintf(err, errlen, "\"%s\" is not a number of seeds from 1 to %d or a list of seeds",
                     text, EXP_MAX_SEEDS);
            return -1;
        }
        for (long s = 0; s < n; s++)
            exp->seeds[s] = s;
        exp->n_seeds = (int)n;
        return 0;
    }
    for (int i = 0; i < n_items; i++) {
        if (parse_long(items[i], 0, 2147483647L, &exp->seeds[i]) != 0) {
            snprintf(err, errlen, "\"%s\" is not a seed, a whole number from 0 to 2147483647",
                     items[i]);
            return -1;
        }
        for (int j = 0; j < i; j++)
            if (exp->seeds[j] == exp->seeds[i]) {
                snprintf(err, errlen, "%ld is listed twice", exp->seeds[i]);
                return -1;
            }
    }
    if (n_items < 1) {
        snprintf(err, errlen,
                 "a number of seeds from 1 to %d, or a list of up to %d seeds separated "
                 "by commas, is accepted",
                 EXP_MAX_SEEDS, EXP_MAX_SEEDS);
        return -1;
    }
    exp->n_seeds = n_items;
    return 0;
}

int experiment_set_band(Experiment *exp, const char *text, char *err, size_t errlen)
{
    if (strcmp(text, "sd") == 0)
        exp->band = EXP_BAND_SD;
    else if (strcmp(text, "iqr") == 0)
        exp->band = EXP_BAND_IQR;
    else {
        snprintf(err, errlen,
                 "\"%s\" is not sd (mean -+ 1 standard deviation) or iqr (median and "
                 "interquartile range)",
                 text);
        return -1;
    }
    return 0;
}

int experiment_count_runs(const Experiment *exp, char *err, size_t errlen)
{
    long n = (long)exp->n_datasets * experiment_runs_per_dataset(exp);
    if (n > EXP_MAX_RUNS) {
        char values[64];
        snprintf(values, sizeof values, exp->vary_key2[0] ? "%d x %d values" : "%d values",
                 exp->vary_key[0] ? exp->n_values : 1, exp->n_values2);
        snprintf(err, errlen, "%ld runs (%d data sets x %s x %d seeds): at most %d are accepted", n,
                 exp->n_datasets, values, experiment_seeds_per_setting(exp), EXP_MAX_RUNS);
        return 0;
    }
    return (int)n;
}

/* The last line of section that sets key, or 0. */
static int setting_line_in(const Experiment *exp, const char *section, const char *key)
{
    int line = 0;
    for (int k = 0; k < exp->n_setting_lines; k++)
        if (strcmp(exp->setting_lines[k].section, section) == 0 &&
            strcmp(exp->setting_lines[k].key, key) == 0)
            line = exp->setting_lines[k].line;
    return line;
}

int experiment_setting_line(const Experiment *exp, int r, const char *key)
{
    int d, v, v2, seed;
    experiment_run_at(exp, r, &d, &v, &v2, &seed);
    char section[128];
    int line = 0;
    if (exp->vary_key[0] && v < exp->n_values) {
        snprintf(section, sizeof section, "vary.%s", exp->values[v]);
        line = setting_line_in(exp, section, key);
    }
    if (!line && (strcmp(key, exp->vary_key) == 0 || strcmp(key, exp->vary_key2) == 0))
        line = setting_line_in(exp, "vary", key);
    if (!line && !exp->data_name[0] && d < exp->n_datasets) {
        snprintf(section, sizeof section, "train.%s", exp->datasets[d]->name);
        line = setting_line_in(exp, section, key);
    }
    return line ? line : setting_line_in(exp, "train", key);
}

void experiment_varied_keys(const Experiment *exp, char *buf, size_t len)
{
    size_t used = (size_t)snprintf(buf, len, "%s", exp->vary_key);
    for (int k = 0; k < exp->n_value_settings && used < len; k++)
        used += (size_t)snprintf(buf + used, len - used, ",%s", exp->value_settings[k].key);
}

int experiment_seeds_per_setting(const Experiment *exp) { return exp->n_seeds ? exp->n_seeds : 1; }

int experiment_settings_per_dataset(const Experiment *exp)
{
    return (exp->vary_key[0] ? exp->n_values : 1) * (exp->vary_key2[0] ? exp->n_values2 : 1);
}

int experiment_runs_per_dataset(const Experiment *exp)
{
    return experiment_settings_per_dataset(exp) * experiment_seeds_per_setting(exp);
}

void experiment_run_at(const Experiment *exp, int r, int *dataset, int *value, int *value2,
                       int *seed)
{
    int per = experiment_runs_per_dataset(exp), seeds = experiment_seeds_per_setting(exp);
    int n2 = exp->vary_key2[0] ? exp->n_values2 : 1, setting = r % per / seeds;
    *dataset = r / per;
    *value = setting / n2;
    *value2 = setting % n2;
    *seed = r % seeds;
}

const char *experiment_statistic_name(SweepStatistic s)
{
    static const char *const names[SWEEP_N_STATISTICS] = {"success_rate", "median_epochs",
                                                          "final_loss", "test_accuracy"};
    return s < SWEEP_N_STATISTICS ? names[s] : "?";
}

int experiment_runs(const Experiment *exp, RunSpec *runs)
{
    int values = experiment_settings_per_dataset(exp), n = 0;
    int n2 = exp->vary_key2[0] ? exp->n_values2 : 1;
    char msg[256];
    for (int d = 0; d < exp->n_datasets; d++) {
        for (int r_of_d = 0; r_of_d < values * experiment_seeds_per_setting(exp); r_of_d++) {
            int setting = r_of_d / experiment_seeds_per_setting(exp);
            int v = setting / n2, v2 = setting % n2;
            RunSpec *r = &runs[n++];
            *r = exp->base[d];
            if (exp->n_seeds) {
                char seed[32];
                snprintf(seed, sizeof seed, "%ld",
                         exp->seeds[r_of_d % experiment_seeds_per_setting(exp)]);
                run_spec_set(r, "seed", seed, msg, sizeof msg);
            }
            if (exp->vary_key[0]) {
                run_spec_set(r, exp->vary_key, exp->values[v], msg, sizeof msg);
                size_t used = (size_t)snprintf(r->label, sizeof r->label, "%s: %s",
                                               setting_title(exp->vary_key), exp->values[v]);
                if (exp->vary_key2[0]) { /* "LR: 0.1, Hidden: 16" */
                    run_spec_set(r, exp->vary_key2, exp->values2[v2], msg, sizeof msg);
                    used += (size_t)snprintf(r->label + used, sizeof r->label - used, ", %s: %s",
                                             setting_title(exp->vary_key2), exp->values2[v2]);
                }
                /* and its own settings, "Optimizer: adam, lr 0.001" */
                for (int k = 0; k < exp->n_value_settings; k++) {
                    const ValueSetting *vs = &exp->value_settings[k];
                    if (vs->value != v)
                        continue;
                    run_spec_set(r, vs->key, vs->text, msg, sizeof msg);
                    if (used < sizeof r->label)
                        used += (size_t)snprintf(r->label + used, sizeof r->label - used, ", %s %s",
                                                 vs->key, vs->text);
                }
            }
        }
    }
    return n;
}
