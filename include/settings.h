/* settings.h - the one table of a run's settings (settings.c).
 *
 * A setting is a row: its name (`--lr` on the command line, `lr =` in an
 * experiment file), how to parse it into a RunSpec, how a run's description
 * shows it, its help line, its default and the legend title of a comparison
 * that varies it. The option lists and usage texts of train and compare, the
 * keys of [train] and [vary], the titles of figures and the default output
 * folder all come from this table, so adding a setting is adding a row here
 * (and its field in RunSpec, and what it does in the core).
 */
#ifndef NNLAB_SETTINGS_H
#define NNLAB_SETTINGS_H

#include <stddef.h>
#include <stdio.h>

#include "run.h"

enum {
    SETTING_VARIES = 1,  /* may be varied: [vary], compare --vary */
    SETTING_IN_NAME = 2, /* part of a run's default folder name */
};

typedef struct {
    const char *key;      /* "lr" */
    const char *arg;      /* what the value looks like in the usage text: "X" */
    const char *help;     /* the usage text's line (more lines after '\n') */
    const char *fallback; /* the default, as the setting's own text; NULL: none */
    const char *title;    /* legend name when varied: "LR" */
    int flags;            /* SETTING_* */
    /* Sets the setting from text; returns 0, or -1 with what is accepted in err. */
    int (*set)(RunSpec *spec, const char *value, char *err, size_t errlen);
    /* The setting as a run's description shows it ("lr 0.1"); "" leaves it out. */
    void (*describe)(const RunSpec *spec, char *buf, size_t len);
} Setting;

/* The table's rows, in the order of the usage text and of descriptions. */
const Setting *settings_table(int *count);
/* The row of key, or NULL. */
const Setting *setting_find(const char *key);
/* The legend name of key ("LR"), or key itself if it is no setting. */
const char *setting_title(const char *key);
/* "lr, hidden, ...": the keys with all of the given flags (0: every key). */
void setting_keys(int flags, char *buf, size_t len);
/* The usage text's lines for the settings, "  --lr X   learning rate ...". */
void settings_usage(FILE *fp);
/* The same for the data sets' table: "  linear   random points ...". */
void datasets_usage(FILE *fp);

/* Every setting at its default: the original's network and training. */
RunSpec run_spec_default(void);
/* Sets the setting key from its text, and marks it given. Returns 0, or -1
 * with what is accepted in err (the caller adds where the text came from). */
int run_spec_set(RunSpec *spec, const char *key, const char *value, char *err, size_t errlen);
/* Whether key was set by run_spec_set rather than left at its default. */
int run_spec_given(const RunSpec *spec, const char *key);
/* "linear, sigmoid, lr 0.1, hidden 16,16, sgd, 100000 epochs, seed 0" */
void run_spec_describe(const RunSpec *spec, char *buf, size_t len);
/* The same without the settings keys, "lr" or "optimizer,lr" (those a
 * comparison varies). */
void run_spec_describe_except(const RunSpec *spec, const char *keys, char *buf, size_t len);
/* "linear_sigmoid_lr0.1_hidden16,16_sgd_seed0": the SETTING_IN_NAME
 * settings' descriptions, as a folder name. */
void run_spec_name(const RunSpec *spec, char *buf, size_t len);

#endif
