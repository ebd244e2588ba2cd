/* numformat.c - "%.17g" without printf: see numformat.h.
 *
 * A positive normal double is v = m 2^e with m a 53-bit integer. Its text of
 * 17 significant digits is D 10^X with D = round(v 10^(16 - X)), an integer
 * in [10^16, 10^17), and X = floor(log10 v). For 2^-53 <= v < 2^127 both
 * the integer part of v 10^s (s = 16 - X) and how its fraction compares
 * with one half are computed exactly in 128-bit integers:
 *   s >= 0:  v 10^s = m 5^s 2^(e + s), and m 5^s < 2^53 5^32 < 2^128;
 *   s < 0:   v 10^s = (m 2^e) / 10^-s, and m 2^e < 2^128.
 * D is then rounded half to even, as glibc's printf does in the default
 * rounding mode (nnlab never changes it). Zero is "0" or "-0"; other values
 * (subnormals and the rest of the tiny and huge, NaN, infinities) are left
 * to snprintf: the text is printf's whatever the value, and the fast path
 * is the range of losses, accuracies, outputs and coordinates.
 */
#include "numformat.h"

#include <stdint.h>
#include <string.h>

__extension__ typedef unsigned __int128 u128;

/* 5^k for k = 0..27, the largest that fit in 64 bits */
static const uint64_t pow5[28] = {1u,
                                  5u,
                                  25u,
                                  125u,
                                  625u,
                                  3125u,
                                  15625u,
                                  78125u,
                                  390625u,
                                  1953125u,
                                  9765625u,
                                  48828125u,
                                  244140625u,
                                  1220703125u,
                                  UINT64_C(6103515625),
                                  UINT64_C(30517578125),
                                  UINT64_C(152587890625),
                                  UINT64_C(762939453125),
                                  UINT64_C(3814697265625),
                                  UINT64_C(19073486328125),
                                  UINT64_C(95367431640625),
                                  UINT64_C(476837158203125),
                                  UINT64_C(2384185791015625),
                                  UINT64_C(11920928955078125),
                                  UINT64_C(59604644775390625),
                                  UINT64_C(298023223876953125),
                                  UINT64_C(1490116119384765625),
                                  UINT64_C(7450580596923828125)};

/* 10^k for k = 0..19 */
static const uint64_t pow10[20] = {UINT64_C(1),
                                   UINT64_C(10),
                                   UINT64_C(100),
                                   UINT64_C(1000),
                                   UINT64_C(10000),
                                   UINT64_C(100000),
                                   UINT64_C(1000000),
                                   UINT64_C(10000000),
                                   UINT64_C(100000000),
                                   UINT64_C(1000000000),
                                   UINT64_C(10000000000),
                                   UINT64_C(100000000000),
                                   UINT64_C(1000000000000),
                                   UINT64_C(10000000000000),
                                   UINT64_C(100000000000000),
                                   UINT64_C(1000000000000000),
                                   UINT64_C(10000000000000000),
                                   UINT64_C(100000000000000000),
                                   UINT64_C(1000000000000000000),
                                   UINT64_C(10000000000000000000)};

/* "00" "01" ... "99": two digits at a time */
static const char digit_pairs[201] = "00010203040506070809"
                                     "10111213141516171819"
                                     "20212223242526272829"
                                     "30313233343536373839"
                                     "40414243444546474849"
                                     "50515253545556575859"
                                     "60616263646566676869"
                                     "70717273747576777879"
                                     "80818283848586878889"
                                     "90919293949596979899";

/* floor(log10(2^e2)) for |e2| <= 1650: 78913 / 2^18 is log10(2) to enough
 * places there, and e2 log10(2) is never an integer but for e2 = 0. */
static int floor_log10_pow2(int e2)
{
    return e2 >= 0 ? (e2 * 78913) >> 18 : -((-e2 * 78913) >> 18) - 1;
}

/* The 17 digits D and exponent X of v = m 2^e, 2^52 <= m < 2^53, for
 * -53 <= e + 52 <= 126 (see the top of the file). */
static uint64_t digits17(uint64_t m, int e, int *exp10)
{
    int x = floor_log10_pow2(e + 52); /* X or X - 1 */
    int s = 16 - x;
    uint64_t q;   /* floor(v 10^s) */
    int above;    /* the fraction dropped: -1 below one half, 0 one half, 1 above */
    int exact;    /* the fraction is 0 */
    if (s >= 0) { /* s <= 32: x >= floor(-53 log10 2) = -16 */
        u128 n = (u128)m * pow5[s < 27 ? s : 27];
        if (s > 27)
            n *= pow5[s - 27];
        int f = e + s;
        if (f >= 0) {
            q = (uint64_t)(n << f);
            above = -1, exact = 1;
        } else {
            u128 r = n & (((u128)1 << -f) - 1), half = (u128)1 << (-f - 1);
            q = (uint64_t)(n >> -f);
            above = r > half ? 1 : r == half ? 0 : -1;
            exact = r == 0;
        }
    } else { /* v >= 10^17 > 2^53: e >= 1, and e <= 74 */
        u128 n = (u128)m << e, p = -s <= 19 ? pow10[-s] : (u128)pow10[19] * pow10[-s - 19];
        q = (uint64_t)(n / p);
        u128 r = n - (u128)q * p;
        above = 2 * r > p ? 1 : 2 * r == p ? 0 : -1;
        exact = r == 0;
    }
    if (q >= pow10[17]) { /* x was X - 1: one digit fewer */
        int d = (int)(q % 10);
        q /= 10;
        above = d < 5 ? -1 : d > 5 ? 1 : exact ? 0 : 1;
        exact = exact && d == 0;
        x++;
    }
    if (above > 0 || (above == 0 && (q & 1)))
        q++;
    if (q == pow10[17]) /* 99999999999999999.5 rounds up to 10^17 */
        q = pow10[16], x++;
    *exp10 = x;
    return q;
}

int numfmt_g17(char *buf, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    int biased = (int)(bits >> 52 & 0x7ff);
    int e = biased - 1075;
    if (v == 0.0) { /* "0" or "-0", the accuracy of many a first epoch */
        char *p = buf;
        if (bits >> 63)
            *p++ = '-';
        *p++ = '0', *p = '\0';
        return (int)(p - buf);
    }
    if (biased == 0 || e + 52 < -53 || e + 52 > 126)
        return snprintf(buf, NUMFMT_MAX, "%.17g", v);

    int x;
    uint64_t q = digits17((bits & ((UINT64_C(1) << 52) - 1)) | UINT64_C(1) << 52, e, &x);
    /* the 17 digits, then without their trailing zeros */
    char d[18];
    uint32_t hi = (uint32_t)(q / 100000000u), lo = (uint32_t)(q % 100000000u);
    d[0] = (char)('0' + hi / 100000000u);
    hi %= 100000000u;
    for (int i = 7; i >= 1; i -= 2, hi /= 100, lo /= 100) {
        memcpy(d + i, digit_pairs + 2 * (hi % 100), 2);
        memcpy(d + 8 + i, digit_pairs + 2 * (lo % 100), 2);
    }
    int nd = 17;
    while (d[nd - 1] == '0')
        nd--;

    char *p = buf;
    if (bits >> 63)
        *p++ = '-';
    if (x >= 0 && x < 17) { /* ddd.ddd: x + 1 digits before the point */
        memcpy(p, d, (size_t)x + 1);
        p += x + 1;
        if (nd > x + 1) {
            *p++ = '.';
            memcpy(p, d + x + 1, (size_t)(nd - x - 1));
            p += nd - x - 1;
        }
    } else if (x < 0 && x >= -4) { /* 0.000ddd */
        *p++ = '0', *p++ = '.';
        for (int i = 0; i < -x - 1; i++)
            *p++ = '0';
        memcpy(p, d, (size_t)nd);
        p += nd;
    } else { /* d.ddde+XX */
        *p++ = d[0];
        if (nd > 1) {
            *p++ = '.';
            memcpy(p, d + 1, (size_t)nd - 1);
            p += nd - 1;
        }
        *p++ = 'e';
        *p++ = x < 0 ? '-' : '+';
        int a = x < 0 ? -x : x;
        if (a >= 100)
            *p++ = (char)('0' + a / 100);
        memcpy(p, digit_pairs + 2 * (a % 100), 2);
        p += 2;
    }
    *p = '\0';
    return (int)(p - buf);
}

int numfmt_long(char *buf, long v)
{
    char tmp[NUMFMT_MAX];
    unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
    int n = 0;
    do
        tmp[n++] = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    char *p = buf;
    if (v < 0)
        *p++ = '-';
    while (n > 0)
        *p++ = tmp[--n];
    *p = '\0';
    return (int)(p - buf);
}

void numfmt_put_g17(FILE *fp, double v)
{
    char buf[NUMFMT_MAX];
    fwrite(buf, 1, (size_t)numfmt_g17(buf, v), fp);
}

void numfmt_put_long(FILE *fp, long v)
{
    char buf[NUMFMT_MAX];
    fwrite(buf, 1, (size_t)numfmt_long(buf, v), fp);
}
