/* numformat.h - numbers as text for the output files, fast and exact.
 *
 * numfmt_g17 writes exactly the text of printf's "%.17g" (17 significant
 * digits, correctly rounded, so that strtod reads back the same double),
 * several times faster: most doubles are converted with integer arithmetic
 * that is exact by construction (the rest go to snprintf). The CSV writers
 * use it for every number of history.csv and predictions.csv.
 */
#ifndef NNLAB_NUMFORMAT_H
#define NNLAB_NUMFORMAT_H

#include <stdio.h>

/* Room for any text of numfmt_g17 or numfmt_long, with its '\0'. */
#define NUMFMT_MAX 32

/* Writes into buf (NUMFMT_MAX bytes) the text snprintf(buf, NUMFMT_MAX,
 * "%.17g", v) writes, NaN and infinities included; returns its length. */
int numfmt_g17(char *buf, double v);
/* The same for "%ld". */
int numfmt_long(char *buf, long v);

/* fputs of those texts onto fp. */
void numfmt_put_g17(FILE *fp, double v);
void numfmt_put_long(FILE *fp, long v);

#endif
