/* test_dataset.c - unit tests of dataset.h (the built-in data sets and their
 * names) and of rng.h (the seeded generator every random draw goes through). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
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
    const char *bad[] = {"", "XOR", "Linear", "lin", "xor ", "swirl"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
        assert_null(dataset_find(bad[k]));
    char names[256];
    dataset_names(names, sizeof names, " or ");
    assert_string_equal(names,
                        "linear, xor, circle, quadrants, gauss, spiral, moons, spiral3 or blobs3");
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

/* ------------------------------------------------------------------------ */
/* The 2-D problems                                                         */

static const char *const problems[] = {"circle", "quadrants", "gauss", "spiral", "moons"};
#define N_PROBLEMS 5

/* Each makes the points asked for, half of each class (class 1 the odd one),
 * every coordinate finite and within its documented square. */
static void problems_have_their_size_balance_and_range(void **state)
{
    (void)state;
    const int sizes[] = {1, 2, 7, 200, 1001};
    for (int p = 0; p < N_PROBLEMS; p++)
        for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
            const DatasetInfo *info = dataset_find(problems[p]);
            assert_non_null(info);
            Rng rng;
            rng_seed(&rng, 3);
            Dataset d;
            assert_int_equal(dataset_generate(info, &d, sizes[s], 0.0, &rng), 0);
            assert_int_equal(d.n, sizes[s]);
            int ones = 0;
            for (int k = 0; k < d.n; k++) {
                assert_true(d.y[k] == 0.0 || d.y[k] == 1.0);
                ones += d.y[k] == 1.0;
                double lim = strcmp(problems[p], "gauss") == 0 ? 2.0 : 1.0 + 1e-12;
                assert_true(fabs(d.x[2 * k]) <= lim && fabs(d.x[2 * k + 1]) <= lim);
            }
            assert_int_equal(ones, d.n - d.n / 2);
            dataset_free(&d);
        }
}

/* The labels follow the documented rules: circle by radius, quadrants by
 * sign, moons on their arcs. */
static void problems_label_as_documented(void **state)
{
    (void)state;
    Rng rng;
    rng_seed(&rng, 4);
    Dataset d;
    assert_int_equal(dataset_generate(dataset_find("circle"), &d, 300, 0.0, &rng), 0);
    for (int k = 0; k < d.n; k++) {
        double r = hypot(d.x[2 * k], d.x[2 * k + 1]);
        assert_true(d.y[k] == 1.0 ? r <= 0.5 : r >= 0.7 && r <= 1.0 + 1e-12);
    }
    dataset_free(&d);
    assert_int_equal(dataset_generate(dataset_find("quadrants"), &d, 300, 0.0, &rng), 0);
    for (int k = 0; k < d.n; k++) {
        assert_true(fabs(d.x[2 * k]) >= 0.05 && fabs(d.x[2 * k + 1]) >= 0.05);
        assert_true((d.x[2 * k] * d.x[2 * k + 1] > 0) == (d.y[k] == 0.0));
    }
    dataset_free(&d);
    assert_int_equal(dataset_generate(dataset_find("moons"), &d, 100, 0.0, &rng), 0);
    for (int k = 0; k < d.n; k++) { /* back to scikit-learn's coordinates */
        double x1 = 1.5 * d.x[2 * k] + 0.5, x2 = 1.5 * d.x[2 * k + 1] + 0.25;
        double r = d.y[k] == 0.0 ? hypot(x1, x2) : hypot(1.0 - x1, 0.5 - x2);
        assert_true(fabs(r - 1.0) < 1e-12);
    }
    dataset_free(&d);
}

/* The same seed draws the same points; noise moves the points and not the
 * labels, by about its standard deviation; xor keeps its points. */
static void problems_are_reproducible_and_noise_moves_points(void **state)
{
    (void)state;
    for (int p = 0; p < N_PROBLEMS; p++) {
        const DatasetInfo *info = dataset_find(problems[p]);
        Dataset a, b, noisy;
        Rng r1, r2, r3;
        rng_seed(&r1, 9), rng_seed(&r2, 9), rng_seed(&r3, 9);
        assert_int_equal(dataset_generate(info, &a, 400, 0.0, &r1), 0);
        assert_int_equal(dataset_generate(info, &b, 400, 0.0, &r2), 0);
        assert_int_equal(dataset_generate(info, &noisy, 400, 0.1, &r3), 0);
        assert_memory_equal(a.x, b.x, sizeof(double) * 800);
        assert_memory_equal(a.y, noisy.y, sizeof(double) * 400);
        double sq = 0.0;
        for (int k = 0; k < 800; k++)
            sq += (noisy.x[k] - a.x[k]) * (noisy.x[k] - a.x[k]);
        double sd = sqrt(sq / 800);
        assert_true(sd > 0.09 && sd < 0.11);
        dataset_free(&a), dataset_free(&b), dataset_free(&noisy);
    }
    const DatasetInfo * xor = dataset_find("xor");
    assert_true(xor->fixed && xor->points == 21);
}

/* The split is stratified (round(f m) of each class's m go to test), the
 * two sets are disjoint and together the whole, each keeps the order of
 * the points, and the same seed splits the same way. */
static void split_is_stratified_disjoint_and_reproducible(void **state)
{
    (void)state;
    Rng rng;
    rng_seed(&rng, 5);
    Dataset all;
    assert_int_equal(dataset_generate(dataset_find("circle"), &all, 101, 0.0, &rng), 0);
    const double fractions[] = {0.5, 0.3, 0.9};
    for (int f = 0; f < 3; f++) {
        Dataset train, test, train2, test2;
        Rng s1, s2;
        rng_seed(&s1, 1), rng_seed(&s2, 1);
        assert_int_equal(dataset_split(&all, fractions[f], &s1, &train, &test), 0);
        assert_int_equal(dataset_split(&all, fractions[f], &s2, &train2, &test2), 0);
        assert_int_equal(train.n + test.n, all.n);
        assert_memory_equal(test.x, test2.x, sizeof(double) * 2 * (size_t)test.n);
        int m[2] = {50, 51}, in_test[2] = {0, 0};
        for (int k = 0; k < test.n; k++)
            in_test[(int)test.y[k]]++;
        for (int c = 0; c < 2; c++)
            assert_int_equal(in_test[c], (int)lround(fractions[f] * m[c]));
        /* every point of all is in exactly one set, in all's order */
        int a = 0, b = 0;
        for (int k = 0; k < all.n; k++) {
            int in_a = a < train.n && train.x[2 * a] == all.x[2 * k] &&
                       train.x[2 * a + 1] == all.x[2 * k + 1] && train.y[a] == all.y[k];
            int in_b = b < test.n && test.x[2 * b] == all.x[2 * k] &&
                       test.x[2 * b + 1] == all.x[2 * k + 1] && test.y[b] == all.y[k];
            assert_true(in_a != in_b);
            a += in_a, b += in_b;
        }
        dataset_free(&train), dataset_free(&test), dataset_free(&train2), dataset_free(&test2);
    }
    Dataset train, test;
    assert_int_equal(dataset_split(&all, 0.999, &rng, &train, &test), -1); /* nothing to train */
    dataset_free(&all);
}

/* spiral3 and blobs3: three classes, the points shared as evenly as they
 * go (class c from point c n / 3), spiral3's arms as documented, blobs3's
 * classes about their centres; a stratified split keeps the share of each
 * of the three. */
static void three_class_sets_are_balanced_documented_and_split_by_class(void **state)
{
    (void)state;
    const char *sets[] = {"spiral3", "blobs3"};
    const int sizes[] = {3, 7, 300, 1000};
    for (int s = 0; s < 2; s++)
        for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++) {
            Rng rng;
            rng_seed(&rng, 6);
            Dataset d;
            assert_int_equal(dataset_generate(dataset_find(sets[s]), &d, sizes[z], 0.0, &rng), 0);
            assert_int_equal(dataset_classes(&d), 3);
            int count[3] = {0, 0, 0};
            double mean[3][2] = {{0}};
            for (int k = 0; k < d.n; k++) {
                int c = (int)d.y[k];
                assert_true(c >= 0 && c < 3 && d.y[k] == c);
                int first = 2; /* in order: class c from point c n / 3 */
                while (first * d.n / 3 > k)
                    first--;
                assert_int_equal(c, first);
                count[c]++;
                mean[c][0] += d.x[2 * k], mean[c][1] += d.x[2 * k + 1];
                if (s == 0) { /* radius t and angle 4 (c + t) for t = j / (m - 1) */
                    double r = hypot(d.x[2 * k], d.x[2 * k + 1]);
                    double a = atan2(d.x[2 * k], d.x[2 * k + 1]), want = 4.0 * (c + r);
                    assert_true(r <= 1.0 + 1e-12);
                    if (r > 1e-9)
                        assert_true(fabs(remainder(a - want, 6.283185307179586)) < 1e-9);
                }
            }
            for (int c = 0; c < 3; c++) {
                assert_int_equal(count[c], (c + 1) * d.n / 3 - c * d.n / 3);
                if (s == 1 && d.n >= 300) { /* blob c around 0.6 (sin, cos)(c 2 pi / 3) */
                    double a = 6.283185307179586 * c / 3;
                    assert_true(fabs(mean[c][0] / count[c] - 0.6 * sin(a)) < 0.06);
                    assert_true(fabs(mean[c][1] / count[c] - 0.6 * cos(a)) < 0.06);
                }
            }
            if (d.n >= 300) {
                Dataset train, test;
                assert_int_equal(dataset_split(&d, 0.5, &rng, &train, &test), 0);
                int in_test[3] = {0, 0, 0};
                for (int k = 0; k < test.n; k++)
                    in_test[(int)test.y[k]]++;
                for (int c = 0; c < 3; c++)
                    assert_int_equal(in_test[c], (int)lround(0.5 * count[c]));
                dataset_free(&train), dataset_free(&test);
            }
            dataset_free(&d);
        }
    Dataset two = {0};
    assert_int_equal(dataset_alloc(&two, 4), 0);
    assert_int_equal(dataset_classes(&two), 2); /* all class 0: still two classes */
    two.y[3] = 4.0;
    assert_int_equal(dataset_classes(&two), 5);
    dataset_free(&two);
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
        cmocka_unit_test(problems_have_their_size_balance_and_range),
        cmocka_unit_test(problems_label_as_documented),
        cmocka_unit_test(problems_are_reproducible_and_noise_moves_points),
        cmocka_unit_test(split_is_stratified_disjoint_and_reproducible),
        cmocka_unit_test(three_class_sets_are_balanced_documented_and_split_by_class),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
