/* network.c - the network's parameters, and the passes of whichever engine
 * a workspace was made for (plain.c, fast.c). */
#include "network.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fast.h"
#include "names.h"
#include "parallel.h"
#include "plain.h"

struct Workspace {
    Engine engine;
    union {
        ParallelPass fast;
        PlainPass plain;
    } pass;
    double *dloss; /* the plain engine's dLoss of a batch (max_rows, K) */
};

static const char *const act_names[ACT_COUNT] = {
    [ACT_SIGMOID] = "sigmoid", [ACT_TANH] = "tanh", [ACT_RELU] = "relu", [ACT_NONE] = "none",
    [ACT_SOFTMAX] = "softmax"};
static const char *const engine_names[ENGINE_COUNT] = {
    [ENGINE_FAST] = "fast", [ENGINE_PLAIN] = "plain"};
static const char *const init_names[INIT_COUNT] = {
    [INIT_UNIFORM] = "uniform", [INIT_XAVIER] = "xavier", [INIT_HE] = "he"};
static const char *const loss_names[LOSS_COUNT] = {
    [LOSS_MSE] = "mse", [LOSS_BCE] = "bce", [LOSS_CE] = "ce"};

const char *activation_name(Activation act) { return act_names[act]; }
const char *engine_name(Engine engine) { return engine_names[engine]; }
const char *init_name(Init init) { return init_names[init]; }
const char *loss_name(Loss loss) { return loss_names[loss]; }

int activation_parse(const char *name, Activation *act)
{
    int i = name_index(act_names, ACT_COUNT, name);
    if (i >= 0)
        *act = (Activation)i;
    return i < 0 ? -1 : 0;
}

int engine_parse(const char *name, Engine *engine)
{
    int i = name_index(engine_names, ENGINE_COUNT, name);
    if (i >= 0)
        *engine = (Engine)i;
    return i < 0 ? -1 : 0;
}

int init_parse(const char *name, Init *init)
{
    int i = name_index(init_names, INIT_COUNT, name);
    if (i >= 0)
        *init = (Init)i;
    return i < 0 ? -1 : 0;
}

int loss_parse(const char *name, Loss *loss)
{
    int i = name_index(loss_names, LOSS_COUNT, name);
    if (i >= 0)
        *loss = (Loss)i;
    return i < 0 ? -1 : 0;
}

#define STR_(x) #x
#define STR(x) STR_(x)

const char *network_check_shape(const int *hidden, int n_hidden)
{
    if (n_hidden < 1 || n_hidden > NET_MAX_HIDDEN_LAYERS)
        return "from 1 to " STR(NET_MAX_HIDDEN_LAYERS) " hidden layers are accepted";
    for (int l = 0; l < n_hidden; l++)
        if (hidden[l] < 1 || hidden[l] > NET_MAX_WIDTH)
            return "hidden layer sizes from 1 to " STR(NET_MAX_WIDTH) " are accepted";
    return NULL;
}

void network_views(const Network *net, double *block, double **W, double **b)
{
    size_t off = 0;
    for (int l = 0; l < net->n_layers; l++) {
        int ins = net->sizes[l], outs = net->sizes[l + 1];
        W[l] = block + off;
        b[l] = block + off + (size_t)outs * ins;
        off += (size_t)outs * (ins + 1);
    }
}

double *network_params_like(const Network *net)
{
    /* on a cache line, as the fast kernels like their vectors */
    return fast_alloc_lines((size_t)net->n_params);
}

int network_alloc(Network *net, const int *hidden, int n_hidden, int outputs,
                  Activation hidden_act, Activation output_act)
{
    memset(net, 0, sizeof *net);
    net->n_layers = n_hidden + 1;
    net->sizes[0] = NET_INPUTS;
    for (int l = 0; l < n_hidden; l++)
        net->sizes[l + 1] = hidden[l];
    net->sizes[net->n_layers] = outputs;
    net->hidden_act = hidden_act;
    net->output_act = output_act;
    for (int l = 0; l < net->n_layers; l++)
        net->n_params += net->sizes[l + 1] * (net->sizes[l] + 1);
    if (!(net->params = network_params_like(net)))
        return -1;
    network_views(net, net->params, net->W, net->b);
    return 0;
}

int network_init(Network *net, const int *hidden, int n_hidden, int outputs,
                 Activation hidden_act, Activation output_act, Init init, Rng *rng)
{
    if (network_alloc(net, hidden, n_hidden, outputs, hidden_act, output_act) != 0)
        return -1;
    if (init == INIT_UNIFORM) { /* the original's: every parameter in turn */
        for (int p = 0; p < net->n_params; p++)
            net->params[p] = rng_uniform(rng) - 0.5;
        return 0;
    }
    for (int l = 0; l < net->n_layers; l++) { /* the weights; the biases stay 0 */
        int ins = net->sizes[l], outs = net->sizes[l + 1];
        double limit = sqrt(6.0 / (ins + outs)), sd = sqrt(2.0 / ins);
        for (int k = 0; k < outs * ins; k++)
            net->W[l][k] =
                init == INIT_XAVIER ? limit * (2.0 * rng_uniform(rng) - 1.0) : sd * rng_normal(rng);
    }
    return 0;
}

void network_free(Network *net)
{
    free(net->params);
    memset(net, 0, sizeof *net);
}

Workspace *workspace_new(const Network *net, int max_rows, Engine engine)
{
    return workspace_new_threads(net, max_rows, engine, 1);
}

Workspace *workspace_new_threads(const Network *net, int max_rows, Engine engine, int threads)
{
    Workspace *ws = calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    ws->engine = engine;
    int rc = engine == ENGINE_PLAIN ? plain_pass_alloc(&ws->pass.plain, net, max_rows)
                                    : par_pass_alloc(&ws->pass.fast, net, max_rows, threads);
    if (rc != 0) {
        free(ws);
        return NULL;
    }
    if (engine == ENGINE_PLAIN &&
        !(ws->dloss = malloc((size_t)(max_rows > 0 ? max_rows : 1) * network_outputs(net) *
                             sizeof *ws->dloss))) {
        workspace_free(ws);
        return NULL;
    }
    return ws;
}

void workspace_free(Workspace *ws)
{
    if (!ws)
        return;
    if (ws->engine == ENGINE_PLAIN)
        plain_pass_free(&ws->pass.plain);
    else
        par_pass_free(&ws->pass.fast);
    free(ws->dloss);
    free(ws);
}

void network_set_inputs(Workspace *ws, const double *x, int n)
{
    if (ws->engine == ENGINE_PLAIN)
        plain_set_inputs(&ws->pass.plain, x, n);
    else
        par_set_inputs(&ws->pass.fast, x, n);
}

const double *network_forward(const Network *net, Workspace *ws)
{
    return ws->engine == ENGINE_PLAIN ? plain_forward(net, &ws->pass.plain)
                                      : par_forward(net, &ws->pass.fast);
}

const double *network_logits(const Workspace *ws)
{
    return ws->engine == ENGINE_PLAIN ? ws->pass.plain.z : par_logits(&ws->pass.fast);
}

void network_backward(const Network *net, Workspace *ws, const double *dout, double *grad)
{
    if (ws->engine == ENGINE_PLAIN)
        plain_backward(net, &ws->pass.plain, dout, 0, grad);
    else
        par_backward(net, &ws->pass.fast, dout, 0, grad);
}

void network_backward_z(const Network *net, Workspace *ws, const double *dz, double *grad)
{
    if (ws->engine == ENGINE_PLAIN)
        plain_backward(net, &ws->pass.plain, dz, 1, grad);
    else
        par_backward(net, &ws->pass.fast, dz, 1, grad);
}

const double *network_forward_backward(const Network *net, Workspace *ws, Loss loss,
                                       const double *y, double *grad)
{
    if (ws->engine != ENGINE_PLAIN)
        return par_forward_backward(net, &ws->pass.fast, loss, y, grad);
    PlainPass *p = &ws->pass.plain;
    const double *out = plain_forward(net, p);
    int is_dz = loss_backward(loss, ws->dloss, out, y, p->n, p->n, network_outputs(net));
    plain_backward(net, p, ws->dloss, is_dz, grad);
    return out;
}
