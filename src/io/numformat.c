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

/* x / d for x < X, as (x m) >> k with m = ceil(2^k / d) and d X <= 2^k:
 * then x m / 2^k exceeds x / d by less than 1 / d, too little to reach the
 * next integer. (GCC tuned for recent cores divides by a constant with a
 * slow div instruction instead.) */
#define DIV_BY(x, d, k) ((uint64_t)(((u128)(x) * (((u128)1 << (k)) / (d) + 1)) >> (k)))
/* the k of each use: 10 x 10^18 <= 2^64, 10^16 x 10^17 <= 2^110,
 * 10^8 x 10^16 <= 2^80, 10^4 x 10^8 <= 2^40 */

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
    if (q >= pow10[17]) {
        /* x was X - 1: one digit fewer */
        uint64_t tenth = DIV_BY(q, 10, 64); /* q < 10^18 */
        int d = (int)(q - 10 * tenth);
        q = tenth;
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

/* The 8 decimal digits of v < 10^8, one a byte, the first in the lowest
 * (the first in memory once stored): v is split into halves of 4 digits,
 * each into 2 of 2 and each into 2 of 1, all lanes at once. In a lane,
 * (a * 10486) >> 20 is a / 100 for a < 10000, (a * 103) >> 10 is a / 10 for
 * a < 100, and no product reaches the next lane. */
static uint64_t digits8(uint32_t v)
{
    uint64_t hi = DIV_BY(v, 10000, 40);
    uint64_t t = hi | (v - 10000 * hi) << 32;
    uint64_t h = (t * 10486) >> 20 & UINT64_C(0x0000007F0000007F);
    t = h | (t - h * 100) << 16;
    h = (t * 103) >> 10 & UINT64_C(0x000F000F000F000F);
    return h | (t - h * 10) << 8;
}

/* Trailing zero digits of digits8's word w (8 if w is 0). */
static int zero_digits(uint64_t w) { return w ? __builtin_clzll(w) / 8 : 8; }

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
    /* the 17 digits: first, then two words of 8 as ASCII; nd without the
     * trailing zeros. They are stored straight where the text wants them
     * (words of 8 bytes may run past the text's end, within NUMFMT_MAX). */
    uint64_t lead = DIV_BY(q, pow10[16], 110), rest = q - lead * pow10[16];
    uint64_t mid = DIV_BY(rest, pow10[8], 80);
    char first = (char)('0' + lead);
    uint64_t w1 = digits8((uint32_t)mid);
    uint64_t w2 = digits8((uint32_t)(rest - mid * pow10[8]));
    int nd = 17 - (w2 ? zero_digits(w2) : 8 + zero_digits(w1));
    w1 += UINT64_C(0x3030303030303030), w2 += UINT64_C(0x3030303030303030);

    char *p = buf;
    if (bits >> 63)
        *p++ = '-';
    if (x < 0 && x >= -4) { /* 0.000ddd */
        memcpy(p, "0.000000", 8);
        p += 2 + (-x - 1);
        *p = first;
        memcpy(p + 1, &w1, 8);
        memcpy(p + 9, &w2, 8);
        p += nd;
    } else if (x >= 0 && x < 17) { /* ddd.ddd: x + 1 digits before the point */
        *p = first;
        memcpy(p + 1, &w1, 8);
        memcpy(p + 9, &w2, 8);
        if (nd > x + 1) {
            memmove(p + x + 2, p + x + 1, (size_t)(nd - x - 1));
            p[x + 1] = '.';
            p += nd + 1;
        } else {
            p += x + 1;
        }
    } else { /* d.ddde+XX */
        *p = first;
        memcpy(p + 2, &w1, 8);
        memcpy(p + 10, &w2, 8);
        if (nd > 1) {
            p[1] = '.';
            p += nd + 1;
        } else {
            p++;
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
