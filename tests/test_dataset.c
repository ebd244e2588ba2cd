/* test_dataset.c - unit tests of dataset.h (the built-in data sets and their
 * names) and of rng.h (the seeded generator every random draw goes through). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "dataset.h"
#include "rng.h"
#include "testutil.h"

/* The table's generator of the data set name, at its own size. */
static int generate_named(const char *name, Dataset *d, Rng *rng)
{
    const DatasetInfo *info = dataset_find(name);
    assert_non_null(info);
    return info->generate(d, info->points, rng);
}

/* ------------------------------------------------------------------------ */
/* RNG                                                                      */

/* rng_u32 is PCG32 XSH-RR: seeded as the reference pcg32_srandom_r(42, 54)
 * (state 0, inc = 54 << 1 | 1, step, state += 42, step), it must give the
 * first outputs printed by pcg32-demo of the reference implementation. */
static void rng_u32_matches_pcg32_reference_output(void **state)
{
    (void)state;
    Rng rng = {.state = 0, .inc = (54u << 1) | 1u};
    rng_u32(&rng);
    rng.state += 42u;
    rng_u32(&rng);
    const uint32_t expected[6] = {0xa15c02b7, 0x7b47f409, 0xba1d3330,
                                  0x83d2f293, 0xbfa4784b, 0xcbed606e};
    for (int k = 0; k < 6; k++)
        assert_int_equal(rng_u32(&rng), expected[k]);
}

static void rng_uniform_is_in_half_open_unit_interval_with_mean_half(void **state)
{
    (void)state;
    enum { DRAWS = 100000 };
    Rng rng;
    rng_seed(&rng, 1);
    double sum = 0.0, lo = 1.0, hi = 0.0;
    for (int k = 0; k < DRAWS; k++) {
        double u = rng_uniform(&rng);
        assert_true(u >= 0.0);
        assert_true(u < 1.0);
        sum += u;
        lo = fmin(lo, u);
        hi = fmax(hi, u);
    }
    /* the mean of 1e5 uniforms has standard deviation 1/sqrt(12e5) ~ 9e-4 */
    assert_true(fabs(sum / DRAWS - 0.5) < 0.005);
    assert_true(lo < 1e-3); /* the whole interval is covered */
    assert_true(hi > 1 - 1e-3);
}

/* rng_uniform promises 53 random bits: u * 2^53 is an integer, and each of
 * its 53 bits is set in about half of 20000 draws (binomial standard
 * deviation 71, so 10000 +- 600 is a 8.5 sigma band). */
static void rng_uniform_has_53_balanced_bits(void **state)
{
    (void)state;
    enum { DRAWS = 20000 };
    Rng rng;
    rng_seed(&rng, 2);
    int set[53] = {0};
    for (int k = 0; k < DRAWS; k++) {
        double scaled = rng_uniform(&rng) * 9007199254740992.0; /* 2^53 */
        uint64_t bits = (uint64_t)scaled;
        assert_true((double)bits == scaled);
        for (int j = 0; j < 53; j++)
            set[j] += (int)((bits >> j) & 1u);
    }
    for (int j = 0; j < 53; j++)
        assert_in_range(set[j], DRAWS / 2 - 600, DRAWS / 2 + 600);
}

static void rng_same_seed_repeats_different_seed_differs(void **state)
{
    (void)state;
    Rng a, b, c;
    rng_seed(&a, 7);
    rng_seed(&b, 7);
    rng_seed(&c, 8);
    int differ = 0;
    for (int k = 0; k < 1000; k++) {
        double ua = rng_uniform(&a), ub = rng_uniform(&b), uc = rng_uniform(&c);
        assert_memory_equal(&ua, &ub, sizeof ua);
        differ += ua != uc;
    }
    assert_true(differ > 990);
}

/* Seeds 0 .. 99 give 100 different first draws (no seed is ignored). */
static void rng_each_seed_starts_a_different_sequence(void **state)
{
    (void)state;
    double first[100];
    for (int s = 0; s < 100; s++) {
        Rng rng;
        rng_seed(&rng, (uint64_t)s);
        first[s] = rng_uniform(&rng);
        for (int t = 0; t < s; t++)
            assert_true(first[t] != first[s]);
    }
}

/* ------------------------------------------------------------------------ */
/* linear                                                                   */

static void linear_has_100_points_in_unit_square_labelled_by_diagonal(void **state)
{
    (void)state;
    Rng rng;
    rng_seed(&rng, 5);
    Dataset d;
    assert_int_equal(generate_named("linear", &d, &rng), 0);
    assert_int_equal(d.n, 100);
    int ones = 0;
    for (int k = 0; k < d.n; k++) {
        double x1 = d.x[2 * k], x2 = d.x[2 * k + 1];
        assert_true(x1 >= 0.0 && x1 < 1.0);
        assert_true(x2 >= 0.0 && x2 < 1.0);
        assert_true(d.y[k] == (x1 > x2 ? 0.0 : 1.0));
        ones += d.y[k] == 1.0;
    }
    assert_in_range(ones, 1, 99); /* both classes present */
    dataset_free(&d);
}

static void linear_same_seed_same_data_different_seed_different_data(void **state)
{
    (void)state;
    Rng r1, r2, r3;
    rng_seed(&r1, 9);
    rng_seed(&r2, 9);
    rng_seed(&r3, 10);
    Dataset a, b, c;
    assert_int_equal(generate_named("linear", &a, &r1), 0);
    assert_int_equal(generate_named("linear", &b, &r2), 0);
    assert_int_equal(generate_named("linear", &c, &r3), 0);
    assert_memory_equal(a.x, b.x, sizeof(double) * 2 * a.n);
    assert_memory_equal(a.y, b.y, sizeof(double) * a.n);
    assert_memory_not_equal(a.x, c.x, sizeof(double) * 2 * a.n);
    dataset_free(&a);
    dataset_free(&b);
    dataset_free(&c);
}

/* ------------------------------------------------------------------------ */
/* xor                                                                      */

/* Index of the point (x1, x2) in d, or -1; coordinates within 1e-12. */
static int find_point(const Dataset *d, double x1, double x2)
{
    for (int k = 0; k < d->n; k++)
        if (fabs(d->x[2 * k] - x1) < 1e-12 && fabs(d->x[2 * k + 1] - x2) < 1e-12)
            return k;
    return -1;
}

/* (0.1 i, 0.1 i) labelled 0 for i = 0..10, and (0.1 i, 1 - 0.1 i) labelled 1
 * for i = 0..10 except 5: 11 + 10 = 21 points, each exactly once. */
static void xor_has_the_21_described_points_and_labels(void **state)
{
    (void)state;
    Rng rng;
    rng_seed(&rng, 0);
    Dataset d;
    assert_int_equal(generate_named("xor", &d, &rng), 0);
    assert_int_equal(d.n, 21);
    int seen[21] = {0}, zeros = 0, ones = 0;
    for (int i = 0; i <= 10; i++) {
        int k = find_point(&d, i / 10.0, i / 10.0);
        assert_in_range(k, 0, 20);
        assert_true(d.y[k] == 0.0);
        seen[k]++;
        if (i == 5)
            continue;
        k = find_point(&d, i / 10.0, 1.0 - i / 10.0);
        assert_in_range(k, 0, 20);
        assert_true(d.y[k] == 1.0);
        seen[k]++;
    }
    for (int k = 0; k < 21; k++) {
        assert_int_equal(seen[k], 1); /* every point is one of those, once */
        zeros += d.y[k] == 0.0;
        ones += d.y[k] == 1.0;
    }
    assert_int_equal(zeros, 11);
    assert_int_equal(ones, 10);
    dataset_free(&d);
}

/* ------------------------------------------------------------------------ */
/* Names                                                                    */

/* The table has linear and xor, each found by its name only, with the
 * original's sizes; the names list reads as a sentence. */
static void dataset_table_finds_names_and_rejects_others(void **state)
{
    (void)state;
    int n;
    const DatasetInfo *table = dataset_table(&n);
    assert_true(n >= 2);
    const DatasetInfo *lin = dataset_find("linear"), *xor = dataset_find("xor");
    assert_non_null(lin);
    assert_non_null(xor);
    assert_string_equal(lin->name, "linear");
    assert_string_equal(xor->name, "xor");
    assert_int_equal(lin->points, 100);
    assert_int_equal(xor->points, 21);
    for (int i = 0; i < n; i++) {
        assert_ptr_equal(dataset_find(table[i].name), &table[i]);
        assert_true(table[i].help && table[i].help[0]);
    }
    const char *bad[] = {"", "XOR", "Linear", "lin", "xor ", "spiral"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
        assert_null(dataset_find(bad[k]));
    char names[256];
    dataset_names(names, sizeof names, " or ");
    assert_string_equal(names, "linear or xor");
}

static void dataset_alloc_gives_zeroed_points_and_free_resets(void **state)
{
    (void)state;
    Dataset d;
    assert_int_equal(dataset_alloc(&d, 5), 0);
    assert_int_equal(d.n, 5);
    for (int k = 0; k < 5; k++)
        assert_true(d.x[2 * k] == 0.0 && d.x[2 * k + 1] == 0.0 && d.y[k] == 0.0);
    dataset_free(&d);
    assert_null(d.x);
    assert_null(d.y);
    assert_int_equal(d.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rng_u32_matches_pcg32_reference_output),
        cmocka_unit_test(rng_uniform_is_in_half_open_unit_interval_with_mean_half),
        cmocka_unit_test(rng_uniform_has_53_balanced_bits),
        cmocka_unit_test(rng_same_seed_repeats_different_seed_differs),
        cmocka_unit_test(rng_each_seed_starts_a_different_sequence),
        cmocka_unit_test(linear_has_100_points_in_unit_square_labelled_by_diagonal),
        cmocka_unit_test(linear_same_seed_same_data_different_seed_different_data),
        cmocka_unit_test(xor_has_the_21_described_points_and_labels),
        cmocka_unit_test(dataset_table_finds_names_and_rejects_others),
        cmocka_unit_test(dataset_alloc_gives_zeroed_points_and_free_resets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
