/* numparse.c - strtod/strtol with every error checked. */
#include "numparse.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int only_blanks(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return *s == '\0';
}

int parse_double(const char *s, double *v)
{
    char *end;
    if (only_blanks(s))
        return -1;
    errno = 0;
    double x = strtod(s, &end);
    /* ERANGE is also set for subnormal results, which are fine; overflow is not */
    if (!only_blanks(end) || !isfinite(x) || (errno == ERANGE && fabs(x) > 1.0))
        return -1;
    *v = x;
    return 0;
}

int parse_long(const char *s, long min, long max, long *v)
{
    char *end;
    if (only_blanks(s))
        return -1;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (!only_blanks(end) || errno == ERANGE || x < min || x > max)
        return -1;
    *v = x;
    return 0;
}

int parse_int_list(const char *s, int min, int max, int *out, int max_count)
{
    char buf[256];
    if (strlen(s) >= sizeof buf)
        return -1;
    strcpy(buf, s);
    int count = 0;
    char *item = buf;
    for (;;) {
        char *comma = item + strcspn(item, ",x");
        if (*comma == '\0')
            comma = NULL;
        if (comma)
            *comma = '\0';
        long v;
        if (count == max_count || parse_long(item, min, max, &v) != 0)
            return -1;
        out[count++] = (int)v;
        if (!comma)
            return count;
        item = comma + 1;
    }
}
