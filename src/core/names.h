/* names.h - the names of an enum's values, as the command line and the
 * experiment files spell them: a lookup shared by the activations, the
 * optimizers and the data sets. Private to src/core. */
#ifndef NNLAB_NAMES_H
#define NNLAB_NAMES_H

#include <string.h>

/* The index of name in names[0 .. count-1], or -1. */
static inline int name_index(const char *const *names, int count, const char *name)
{
    for (int i = 0; i < count; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}

#endif
