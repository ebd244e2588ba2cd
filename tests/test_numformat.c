/* test_numformat.c - numfmt_g17 writes what printf's "%.17g" writes, and
 * strtod reads it back to the same double: for every kind of double (zero and
 * negative zero, subnormals, the smallest and largest, powers of two and of
 * ten and their neighbours, exact ties between two 17-digit texts, NaN and
 * infinities) and millions of random ones; numfmt_long the same for "%ld". */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numformat.h"
#include "rng.h"

/* Fails unless numfmt_g17(v) is snprintf's "%.17g" of v, its length is
 * returned, and strtod reads back v (bit for bit; any NaN for a NaN). */
static void check_g17(double v)
{
    char ours[NUMFMT_MAX + 8], theirs[64];
    memset(ours, 'x', sizeof ours);
    int len = numfmt_g17(ours, v);
    snprintf(theirs, sizeof theirs, "%.17g", v);
    if (strcmp(ours, theirs) != 0 || len != (int)strlen(theirs))
        fail_msg("%a: numfmt_g17 wrote \"%s\" (%d), printf \"%s\"", v, ours, len, theirs);
    double back = strtod(ours, NULL);
    if (isnan(v) ? !isnan(back) : memcmp(&back, &v, sizeof v) != 0)
        fail_msg("%a: \"%s\" reads back as %a", v, ours, back);
}

static void check_both_signs(double v)
{
    check_g17(v);
    check_g17(-v);
}

static double from_bits(uint64_t bits)
{
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

static uint64_t rng_u64(Rng *rng) { return (uint64_t)rng_u32(rng) << 32 | rng_u32(rng); }

static void g17_special_values(void **state)
{
    (void)state;
    static const double values[] = {0.0,
                                    1.0,
                                    0.1,
                                    0.5,
                                    0.25,
                                    1e-4,
                                    9.9999999999999995e-5,
                                    1e-5,
                                    1e16,
                                    1e17,
                                    99999999999999999.0,
                                    123456789012345678.0,
                                    9007199254740993.0,
                                    0.30000000000000004,
                                    DBL_MAX,
                                    DBL_MIN,
                                    DBL_TRUE_MIN,
                                    DBL_MIN - DBL_TRUE_MIN,
                                    DBL_EPSILON,
                                    1.1102230246251565e-16,
                                    1.7014118346046923e38,
                                    HUGE_VAL,
                                    NAN};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        check_both_signs(values[i]);
}

/* Every power of two and of ten a double has, and the doubles on either side:
 * where the exponent and the number of digits change. */
static void g17_powers_and_neighbours(void **state)
{
    (void)state;
    for (int e = -1074; e <= 1023; e++) {
        double v = ldexp(1.0, e);
        check_both_signs(v);
        check_both_signs(nextafter(v, 0.0));
        check_both_signs(nextafter(v, HUGE_VAL));
    }
    for (int e = -323; e <= 308; e++) {
        char text[16];
        snprintf(text, sizeof text, "1e%d", e);
        double v = strtod(text, NULL);
        check_both_signs(v);
        check_both_signs(nextafter(v, 0.0));
        check_both_signs(nextafter(v, HUGE_VAL));
        for (int k = 1; k < 6; k++) { /* 0.99999999999999989 and the like */
            v = nextafter(v, 0.0);
            check_both_signs(v);
        }
    }
}

/* Doubles whose decimal value has exactly 18 significant digits ending in 5:
 * I + k / 2^j with I of a digits, k odd and a + j = 18. They lie exactly
 * halfway between two 17-digit texts, and printf rounds them half to even. */
static void g17_exact_ties(void **state)
{
    (void)state;
    Rng rng;
    rng_seed(&rng, 17);
    int ties = 0;
    for (int a = 0; a <= 15; a++) {
        int j = 18 - a;
        for (int t = 0; t < 2000; t++) {
            uint64_t lo = a == 0 ? 0 : 1, span = 9;
            for (int i = 1; i < a; i++)
                lo *= 10, span *= 10;
            uint64_t whole = a == 0 ? 0 : lo + rng_u64(&rng) % span;
            uint64_t k = (rng_u64(&rng) % (UINT64_C(1) << j)) | 1;
            if (a == 0 && k < (UINT64_C(1) << j) / 10)
                k += (UINT64_C(1) << j) / 10; /* keep v >= 0.1 */
            k |= 1;
            double v = ldexp((double)(whole << j | k), -j); /* exact: < 2^53 */
            ties += a > 0 || v >= 0.1;
            check_both_signs(v);
        }
    }
    assert_true(ties > 30000);
}

/* Random doubles of every exponent (random bits), of the exponents the fast
 * path takes, and of the ranges nnlab writes (outputs and accuracies in
 * [0, 1], losses near 0, coordinates up to 1e6). */
static void g17_random_doubles(void **state)
{
    (void)state;
    Rng rng;
    rng_seed(&rng, 1);
    for (int i = 0; i < 1000000; i++) {
        check_g17(from_bits(rng_u64(&rng)));
        uint64_t mantissa = rng_u64(&rng) & ((UINT64_C(1) << 52) - 1);
        uint64_t biased = 1023 - 60 + rng_u32(&rng) % 200; /* 2^-60 .. 2^140 */
        check_both_signs(from_bits(biased << 52 | mantissa));
        check_g17(rng_uniform(&rng));
        check_g17(ldexp(rng_uniform(&rng), -(int)(rng_u32(&rng) % 60)));
        check_g17(2e6 * rng_uniform(&rng) - 1e6);
        check_g17((double)(rng_u64(&rng) >> (rng_u32(&rng) % 64)));
    }
    for (uint64_t bits = 0; bits < 100000; bits++) /* subnormals near 0 */
        check_g17(from_bits(bits));
}

static void long_as_printf(void **state)
{
    (void)state;
    static const long values[] = {0, 1, -1, 9, 10, 99, 100, LONG_MAX, LONG_MIN, LONG_MIN + 1};
    Rng rng;
    rng_seed(&rng, 2);
    for (int i = 0; i < 200000; i++) {
        long v = i < (int)(sizeof values / sizeof values[0])
                     ? values[i]
                     : (long)(rng_u64(&rng) >> (rng_u32(&rng) % 64));
        if (i % 2)
            v = -v;
        char ours[NUMFMT_MAX], theirs[32];
        int len = numfmt_long(ours, v);
        snprintf(theirs, sizeof theirs, "%ld", v);
        if (strcmp(ours, theirs) != 0 || len != (int)strlen(theirs))
            fail_msg("%ld: numfmt_long wrote \"%s\"", v, ours);
    }
}

/* The stream writers put the same text onto a file. */
static void put_writes_the_text(void **state)
{
    (void)state;
    char text[256] = "";
    FILE *fp = fmemopen(text, sizeof text, "w");
    assert_non_null(fp);
    numfmt_put_long(fp, -42);
    fputc(',', fp);
    numfmt_put_g17(fp, 0.1);
    fputc(',', fp);
    numfmt_put_g17(fp, -1e300);
    fclose(fp);
    assert_string_equal(text, "-42,0.10000000000000001,-1.0000000000000001e+300");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(g17_special_values), cmocka_unit_test(g17_powers_and_neighbours),
        cmocka_unit_test(g17_exact_ties),     cmocka_unit_test(g17_random_doubles),
        cmocka_unit_test(long_as_printf),     cmocka_unit_test(put_writes_the_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
