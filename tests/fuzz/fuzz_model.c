/* fuzz_model.c - fuzzes the model reader, model_read_file.
 *
 * Checks beyond the sanitizers': a network read has a shape network.h
 * accepts (2 inputs, 1 to NET_MAX_HIDDEN_LAYERS hidden layers of 1 to
 * NET_MAX_WIDTH units, 1 output), a parameter count that matches it, and
 * finite parameters within +-MODEL_MAX_ABS (never -0); a failure leaves
 * nothing allocated and says where in one line.
 */
#include <math.h>

#include "fuzz.h"
#include "model_io.h"

int fuzz_model(const uint8_t *data, size_t size)
{
    FILE *fp = fuzz_open(data, size);
    Network net;
    char err[FUZZ_ERRLEN];
    fuzz_fill_err(err, sizeof err);
    int rc = model_read_file(fp, "fuzz.txt", &net, NULL, err, sizeof err);
    fclose(fp);
    if (rc != 0) {
        FUZZ_CHECK(rc == IO_BAD_INPUT || rc == IO_FAILED);
        FUZZ_CHECK(net.params == NULL);
        fuzz_check_message(err, sizeof err, "fuzz.txt");
        return 0;
    }
    FUZZ_CHECK((int)net.hidden_act >= 0 && (int)net.hidden_act < ACT_COUNT);
    FUZZ_CHECK((int)net.output_act >= 0 && (int)net.output_act < ACT_COUNT);
    FUZZ_CHECK(net.n_layers >= 2 && net.n_layers <= NET_MAX_LAYERS);
    FUZZ_CHECK(net.sizes[0] == NET_INPUTS && net.sizes[net.n_layers] >= 1 && net.sizes[net.n_layers] <= NET_MAX_OUTPUTS);
    FUZZ_CHECK(network_check_shape(net.sizes + 1, net.n_layers - 1) == NULL);
    int n_params = 0;
    for (int l = 0; l < net.n_layers; l++) {
        n_params += net.sizes[l + 1] * (net.sizes[l] + 1);
        FUZZ_CHECK(net.b[l] + net.sizes[l + 1] <= net.params + net.n_params);
    }
    FUZZ_CHECK(net.n_params == n_params && net.params != NULL);
    for (int k = 0; k < net.n_params; k++) {
        FUZZ_CHECK(isfinite(net.params[k]) && fabs(net.params[k]) <= MODEL_MAX_ABS);
        FUZZ_CHECK(net.params[k] != 0.0 || !signbit(net.params[k]));
    }
    network_free(&net);
    return 0;
}

#ifndef FUZZ_NO_ENTRY
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return fuzz_model(data, size); }
#endif
