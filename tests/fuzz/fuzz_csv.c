/* fuzz_csv.c - fuzzes the CSV data set reader, csv_read_dataset_file.
 *
 * Checks beyond the sanitizers': a data set read is 1 to DATASET_MAX_ROWS
 * points with finite coordinates within +-CSV_MAX_ABS (never -0) and labels
 * 0 or 1; a failure leaves nothing allocated and says where in one line.
 */
#include <math.h>

#include "csv.h"
#include "fuzz.h"

int fuzz_csv(const uint8_t *data, size_t size)
{
    FILE *fp = fuzz_open(data, size);
    Dataset d;
    char err[FUZZ_ERRLEN];
    fuzz_fill_err(err, sizeof err);
    int rc = csv_read_dataset_file(fp, "fuzz.csv", &d, err, sizeof err);
    fclose(fp);
    if (rc != 0) {
        FUZZ_CHECK(rc == IO_BAD_INPUT || rc == IO_FAILED);
        FUZZ_CHECK(d.n == 0 && d.x == NULL && d.y == NULL);
        fuzz_check_message(err, sizeof err, "fuzz.csv");
        return 0;
    }
    FUZZ_CHECK(d.n >= 1 && d.n <= DATASET_MAX_ROWS && d.x && d.y);
    for (int k = 0; k < 2 * d.n; k++) {
        FUZZ_CHECK(isfinite(d.x[k]) && fabs(d.x[k]) <= CSV_MAX_ABS);
        FUZZ_CHECK(d.x[k] != 0.0 || !signbit(d.x[k]));
    }
    for (int k = 0; k < d.n; k++)
        FUZZ_CHECK(d.y[k] == floor(d.y[k]) && d.y[k] >= 0.0 && d.y[k] < NET_MAX_OUTPUTS &&
                   !signbit(d.y[k]));
    dataset_free(&d);
    return 0;
}

#ifndef FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return fuzz_csv(data, size); }
#endif
