/* fastmath.h - exp, sigmoid and tanh over arrays, written as plain arithmetic
 * so that the compiler turns each loop into vector code.
 *
 * libm's exp and tanh are calls the compiler cannot vectorise, and in the
 * training loop they cost more than all the multiply-adds. These functions
 * compute the same values to within a few units in the last place (exp 2,
 * sigmoid 3, tanh 4; tests/test_reference.c checks) from a [6/6] Pade
 * approximant after the usual reduction x = n ln2 + r, |r| <= ln2/2. They
 * are exact at 0, right at +-inf and where results overflow or fall into the
 * subnormals, and pass NaN through.
 *
 * Every function works elementwise on count values; out may be the same
 * array as in.
 */
#ifndef NNLAB_FASTMATH_H
#define NNLAB_FASTMATH_H

/* out[k] = e^in[k] */
void fastmath_exp(double *out, const double *in, int count);
/* out[k] = 1 / (1 + e^-in[k]) */
void fastmath_sigmoid(double *out, const double *in, int count);
/* out[k] = tanh(in[k]) */
void fastmath_tanh(double *out, const double *in, int count);

#endif
