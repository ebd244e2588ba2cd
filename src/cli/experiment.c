/* experiment.c - reading experiment files (libinih) into runs. */
#include "experiment.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXP_MAX_LINE 190 /* inih reads lines of up to INI_MAX_LINE (200) bytes */
#define EXP_MAX_ENTRIES 128

/* One "key = value" line of the file, kept until every line is read, since
 * [train] must apply before [train.xor] whatever their order. */
typedef struct {
    char section[32];
    char key[32];
    char value[EXP_MAX_LINE + 1];
    int line;
} Entry;

typedef struct {
    const char *text; /* the rest of the file */
    int line;         /* the line the reader last returned */
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
    p->text += len + (p->text[len] == '\n');
    p->line++;
    return buf;
}

static int fail(Parser *p, const char *fmt, const char *a, const char *b)
{
    if (!p->err[0]) {
        snprintf(p->err, sizeof p->err, fmt, a, b);
        p->err_line = p->line;
    }
    return 0;
}

static int on_entry(void *user, const char *section, const char *key, const char *value)
{
    Parser *p = user;
    if (p->n_entries == EXP_MAX_ENTRIES)
        return fail(p, "more than %s settings%s", "128", "");
    if (strlen(section) >= sizeof p->entries[0].section)
        return fail(p, "unknown section [%.40s] (%s)", section,
                    "experiment, train, train.NAME of a data set or vary");
    if (strlen(key) >= sizeof p->entries[0].key)
        return fail(p, "unknown setting \"%.40s\"%s", key, "");
    Entry *e = &p->entries[p->n_entries++];
    strcpy(e->section, section);
    strcpy(e->key, key);
    snprintf(e->value, sizeof e->value, "%s", value);
    e->line = p->line;
    return 1;
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

/* The varied setting: key and values, each value checked on a copy of a spec. */
static int set_vary(Experiment *exp, const char *key, const char *values, char *err, size_t errlen)
{
    char buf[EXP_MAX_LINE + 1], msg[400];
    char *items[EXP_MAX_VALUES];
    const Setting *setting = setting_find(key);
    if (setting && !(setting->flags & SETTING_VARIES)) {
        char keys[512];
        setting_keys(SETTING_VARIES, keys, sizeof keys);
        snprintf(err, errlen, "%s cannot be varied (%s can)", key, keys);
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
            if (strcmp(exp->values[j], items[i]) == 0) {
                /* two runs would share one folder, runs/NAME/DATASET_KEY-VALUE */
                snprintf(err, errlen, "%s: \"%s\" is listed twice", key, items[i]);
                return -1;
            }
        strcpy(exp->values[i], items[i]);
    }
    snprintf(exp->vary_key, sizeof exp->vary_key, "%s", key);
    exp->n_values = n;
    return 0;
}

int experiment_set_vary(Experiment *exp, const char *text, char *err, size_t errlen)
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
    return set_vary(exp, key, eq + 1, err, errlen);
}

static int set_experiment_key(Experiment *exp, const Entry *e, char *err, size_t errlen)
{
    char buf[EXP_MAX_LINE + 1];
    char *items[8];
    if (strcmp(e->key, "title") == 0) {
        snprintf(exp->title, sizeof exp->title, "%s", e->value);
    } else if (strcmp(e->key, "description") == 0) {
        /* indented lines continue it: inih hands them over as the same key again */
        size_t used = strlen(exp->description);
        snprintf(exp->description + used, sizeof exp->description - used, "%s%s", used ? " " : "",
                 e->value);
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
        int n = split_list(buf, items, 4);
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
            else
                n = -1;
        }
        if (n < 1) {
            snprintf(
                err, errlen,
                "figures: \"%s\" is not a list of learning_curve, prediction, comparison, updates",
                e->value);
            return -1;
        }
    } else if (strcmp(e->key, "prediction_of") != 0) { /* checked once [vary] is known */
        snprintf(err, errlen,
                 "unknown setting \"%s\" in [experiment] (title, description, datasets, "
                 "figures, prediction_of)",
                 e->key);
        return -1;
    }
    return 0;
}

/* Applies the entries to exp; returns the index of the failing entry, or -1. */
static int apply_entries(Experiment *exp, const Parser *p, char *err, size_t errlen)
{
    char msg[400];
    /* [experiment] and [vary] first: they say which data sets there are */
    for (int i = 0; i < p->n_entries; i++) {
        const Entry *e = &p->entries[i];
        if (strcmp(e->section, "experiment") == 0) {
            if (set_experiment_key(exp, e, err, errlen) != 0)
                return i;
        } else if (strcmp(e->section, "vary") == 0) {
            if (exp->vary_key[0]) {
                snprintf(err, errlen, "[vary] already varies %s: at most one setting may be varied",
                         exp->vary_key);
                return i;
            }
            if (set_vary(exp, e->key, e->value, err, errlen) != 0)
                return i;
        } else if (strcmp(e->section, "train") != 0 && strncmp(e->section, "train.", 6) != 0 &&
                   strncmp(e->section, "vary.", 5) != 0) {
            snprintf(err, errlen,
                     "unknown section [%s] (experiment, train, train.NAME of a data set, vary or "
                     "vary.VALUE of a varied value)",
                     e->section);
            return i;
        }
    }
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
            for (int d = 0; d < exp->n_datasets; d++)
                if (general || exp->datasets[d] == only)
                    run_spec_set(&exp->base[d], e->key, e->value, msg, sizeof msg);
        }
    }
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
    /* prediction_of names one of the values */
    for (int i = 0; i < p->n_entries; i++) {
        const Entry *e = &p->entries[i];
        if (strcmp(e->section, "experiment") != 0 || strcmp(e->key, "prediction_of") != 0)
            continue;
        exp->prediction_of = -1;
        for (int v = 0; v < exp->n_values; v++)
            if (strcmp(exp->values[v], e->value) == 0)
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
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(EIO));
        return -1;
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

/* The file name without its folder and its last extension ("different_lr");
 * "experiment" if that leaves nothing. */
static void name_from_path(const char *path, char *name, size_t len)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot ? (size_t)(dot - base) : strlen(base);
    if (n == 0)
        snprintf(name, len, "experiment");
    else
        snprintf(name, len, "%.*s", (int)(n < len ? n : len - 1), base);
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

void experiment_from_spec(Experiment *exp, const RunSpec *base, const char *name)
{
    experiment_init(exp);
    snprintf(exp->name, sizeof exp->name, "%s", name);
    snprintf(exp->title, sizeof exp->title, "%s", name);
    exp->n_datasets = 1;
    exp->datasets[0] = base->dataset;
    exp->base[0] = *base;
    exp->n_values = 1;
    exp->figures = FIG_COMPARISON;
}

int experiment_load(const char *path, Experiment *exp, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        int why = errno;
        experiment_init(exp);
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(why));
        return -1;
    }
    int rc = experiment_load_file(fp, path, exp, err, errlen);
    fclose(fp);
    return rc;
}

int experiment_load_file(FILE *fp, const char *path, Experiment *exp, char *err, size_t errlen)
{
    experiment_init(exp);
    name_from_path(path, exp->name, sizeof exp->name);
    char *text = malloc(EXP_MAX_FILE_BYTES + 1);
    Parser *p = calloc(1, sizeof *p);
    int rc = -1;
    if (!text || !p) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    if (read_text(fp, path, text, EXP_MAX_FILE_BYTES + 1, err, errlen) != 0)
        goto done;
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
    for (int d = 0; d < exp->n_datasets; d++)
        exp->base[d].dataset = exp->datasets[d];
    if (!exp->figures)
        exp->figures = exp->vary_key[0] ? FIG_COMPARISON : FIG_LEARNING_CURVE | FIG_PREDICTION;
    if (!exp->vary_key[0])
        exp->n_values = 1;
    if (!exp->title[0])
        snprintf(exp->title, sizeof exp->title, "%s", exp->name);
    rc = 0;
done:
    free(text);
    free(p);
    return rc;
}

void experiment_varied_keys(const Experiment *exp, char *buf, size_t len)
{
    size_t used = (size_t)snprintf(buf, len, "%s", exp->vary_key);
    for (int k = 0; k < exp->n_value_settings && used < len; k++)
        used += (size_t)snprintf(buf + used, len - used, ",%s", exp->value_settings[k].key);
}

int experiment_runs_per_dataset(const Experiment *exp)
{
    return exp->vary_key[0] ? exp->n_values : 1;
}

int experiment_runs(const Experiment *exp, RunSpec *runs)
{
    int per = experiment_runs_per_dataset(exp), n = 0;
    char msg[256];
    for (int d = 0; d < exp->n_datasets; d++) {
        for (int v = 0; v < per; v++) {
            RunSpec *r = &runs[n++];
            *r = exp->base[d];
            if (exp->vary_key[0]) {
                run_spec_set(r, exp->vary_key, exp->values[v], msg, sizeof msg);
                size_t used = (size_t)snprintf(r->label, sizeof r->label, "%s: %s",
                                               setting_title(exp->vary_key), exp->values[v]);
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
