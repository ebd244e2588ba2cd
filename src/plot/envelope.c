/* envelope.c - reduces a long series to what a pixel column can show.
 *
 * PLplot draws every point it is given, so a 500000-epoch curve would cost
 * seconds and megabytes of SVG. Per column we keep the extremes (so spikes
 * survive) and one marker for any NaN/inf in it (so the line breaks there);
 * a band keeps its lowest and highest edge per column. Pure arithmetic, no
 * PLplot: the drawing code lives in draw.c.
 */
#include "plot.h"

#include <math.h>
#include <stdbool.h>

#include "geometry.h"

long plot_envelope(const double *v, long n, long columns, double *xs, double *ys)
{
    if (!v || n <= 0 || columns <= 0)
        return 0;
    long kept = 0;
    for (long c = 0; c < columns; c++) {
        /* run c is v[lo..hi); long long keeps c * n exact for any realistic n */
        long lo = (long)((long long)c * n / columns);
        long hi = (long)((long long)(c + 1) * n / columns);
        long imin = -1, imax = -1, ibad = -1;
        for (long i = lo; i < hi; i++) {
            if (!isfinite(v[i])) {
                if (ibad < 0)
                    ibad = i;
                continue;
            }
            if (imin < 0 || v[i] < v[imin])
                imin = i;
            if (imax < 0 || v[i] > v[imax])
                imax = i;
        }
        /* emit the (up to three) kept indices in increasing order, without repeats */
        long idx[3] = {imin, imax, ibad};
        for (int a = 0; a < 3; a++)
            for (int b = a + 1; b < 3; b++)
                if (idx[b] >= 0 && (idx[a] < 0 || idx[b] < idx[a])) {
                    long t = idx[a];
                    idx[a] = idx[b];
                    idx[b] = t;
                }
        for (int a = 0; a < 3; a++) {
            if (idx[a] < 0 || (a > 0 && idx[a] == idx[a - 1]))
                continue;
            xs[kept] = (double)(idx[a] + 1);
            ys[kept] = isfinite(v[idx[a]]) ? v[idx[a]] : NAN;
            kept++;
        }
    }
    return kept;
}

long band_envelope(const double *lo, const double *hi, long n, long columns, double *xs,
                   double *ylo, double *yhi)
{
    if (!lo || !hi || n <= 0 || columns <= 0)
        return 0;
    long kept = 0;
    for (long c = 0; c < columns; c++) {
        long first = (long)((long long)c * n / columns);
        long end = (long)((long long)(c + 1) * n / columns);
        if (first == end)
            continue; /* n < columns: an empty run */
        double bottom = INFINITY, top = -INFINITY;
        for (long i = first; i < end; i++)
            if (isfinite(lo[i]) && isfinite(hi[i])) {
                bottom = lo[i] < bottom ? lo[i] : bottom;
                top = hi[i] > top ? hi[i] : top;
            }
        /* at both ends of the run, so that the band steps from run to run instead of
         * sloping across the next run's extremes; a gap needs only one point */
        bool any = isfinite(bottom);
        long ends[2] = {first, end - 1};
        int n_ends = any && end - 1 > first ? 2 : 1;
        for (int e = 0; e < n_ends; e++) {
            xs[kept] = (double)(ends[e] + 1);
            ylo[kept] = any ? bottom : NAN;
            yhi[kept] = any ? top : NAN;
            kept++;
        }
    }
    return kept;
}
