/* geometry.h - the pure arithmetic of the plotting module that plot.h does not show
 * (envelope.c, contour.c): no PLplot, only numbers in and numbers out. */
#ifndef NNLAB_PLOT_GEOMETRY_H
#define NNLAB_PLOT_GEOMETRY_H

/* Reduces the band between lo and hi (n values each, at x = i + 1) to `columns` equal runs
 * of epochs: each run's smallest finite lo and largest finite hi over the epochs where both
 * are finite, at its first and (if another) its last epoch; a run with no such epoch gives
 * one NaN (a gap). With n <= columns, every epoch as it is. xs, ylo, yhi need room for
 * BAND_ENVELOPE_MAX(n, columns). Returns the number kept. */
#define BAND_ENVELOPE_MAX(n, columns) ((n) < 2 * (columns) ? (n) : 2 * (columns))
long band_envelope(const double *lo, const double *hi, long n, long columns, double *xs,
                   double *ylo, double *yhi);

/* The value at grid point (i, j) of an nx x ny grid; NaN for none. */
typedef double (*GridValue)(int i, int j, const void *data);
/* Receives one polyline of n points (gx[k], gy[k]) in grid coordinates (i, j as reals),
 * in scratch arrays it may overwrite. */
typedef void (*PolylineSink)(double *gx, double *gy, int n, void *data);

/* Traces where the grid's values cross level (marching squares), joined into polylines
 * from grid edge to grid edge, or closed (last point = first); cells with a NaN corner are
 * skipped. Returns 0, or -1 if out of memory. */
int contour_trace(GridValue value, const void *value_data, int nx, int ny, double level,
                  PolylineSink sink, void *sink_data);

#endif
