/* numparse.h - strict number parsing for options, CSV, model and experiment
 * files: the whole text must be the number (surrounding blanks allowed). */
#ifndef NNLAB_NUMPARSE_H
#define NNLAB_NUMPARSE_H

/* A finite double. Returns 0, or -1 for empty text, trailing junk, NaN,
 * infinity or overflow. Subnormal values are accepted as they are. */
int parse_double(const char *s, double *v);
/* A decimal integer in [min, max]. Returns 0, or -1. */
int parse_long(const char *s, long min, long max, long *v);
/* A list of integers in [min, max] separated by commas or 'x' ("16", "4,4",
 * "32,16,8", "4x4"); at most max_count of them. Returns the count, or -1. */
int parse_int_list(const char *s, int min, int max, int *out, int max_count);

#endif
