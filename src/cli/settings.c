/* settings.c - the table of a run's settings (see settings.h): each row's
 * parser and describer, then the table, then what is made from it. */
#include "settings.h"

#include <float.h>
#include <string.h>

#include "numparse.h"

#define STR_(x) #x
#define STR(x) STR_(x)

/* "a, b or c": names(0) .. names(count - 1), for messages. */
static void list_names(const char *(*name)(int), int count, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < count && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s",
                                 i == 0           ? ""
                                 : i == count - 1 ? " or "
                                                  : ", ",
                                 name(i));
}

static const char *act_at(int i) { return activation_name((Activation)i); }
static const char *opt_at(int i) { return optimizer_name((Optimizer)i); }
static const char *engine_at(int i) { return engine_name((Engine)i); }

static int set_path(char *dst, size_t len, const char *value, char *err, size_t errlen)
{
    if (value[0] == '\0' || strlen(value) >= len) {
        snprintf(err, errlen, "a file name of 1 to %zu characters is accepted", len - 1);
        return -1;
    }
    strcpy(dst, value);
    return 0;
}

/* A number within [lo, hi] (each end left out when its *_open): set, or
 * refused with "is not " and what, the accepted range in words. */
static int set_real(double *dst, const char *v, double lo, int lo_open, double hi, int hi_open,
                    const char *what, char *err, size_t errlen)
{
    double x;
    if (parse_double(v, &x) == 0 && (lo_open ? x > lo : x >= lo) && (hi_open ? x < hi : x <= hi)) {
        *dst = x;
        return 0;
    }
    snprintf(err, errlen, "\"%s\" is not %s", v, what);
    return -1;
}

static int set_long(long *dst, const char *v, long lo, long hi, char *err, size_t errlen)
{
    if (parse_long(v, lo, hi, dst) == 0)
        return 0;
    snprintf(err, errlen, "\"%s\" is not a whole number from %ld to %ld", v, lo, hi);
    return -1;
}

/* ---- each setting: set_KEY parses, show_KEY describes ------------------ */

static int set_dataset(RunSpec *s, const char *v, char *err, size_t errlen)
{
    const DatasetInfo *d = dataset_find(v);
    if (!d) {
        char names[256];
        dataset_names(names, sizeof names, " or ");
        snprintf(err, errlen, "unknown data set \"%s\" (%s)", v, names);
        return -1;
    }
    s->dataset = d;
    s->data_path[0] = '\0';
    return 0;
}

static void show_dataset(const RunSpec *s, char *buf, size_t len)
{
    snprintf(buf, len, "%s", s->data_path[0] ? s->data_path : s->dataset->name);
}

static int set_points(RunSpec *s, const char *v, char *err, size_t errlen)
{
    long n;
    if (set_long(&n, v, 0, DATASET_MAX_ROWS, err, errlen) != 0)
        return -1;
    s->points = (int)n;
    return 0;
}

static void show_points(const RunSpec *s, char *buf, size_t len)
{
    snprintf(buf, len, s->points ? "%d points" : "", s->points);
}

static int set_noise(RunSpec *s, const char *v, char *err, size_t errlen)
{
    return set_real(&s->noise, v, 0, 0, 10, 0, "a number from 0 to 10", err, errlen);
}

static void show_noise(const RunSpec *s, char *buf, size_t len)
{
    snprintf(buf, len, s->noise > 0 ? "noise %g" : "", s->noise);
}

static int set_test_fraction(RunSpec *s, const char *v, char *err, size_t errlen)
{
    if (strcmp(v, "default") == 0) {
        s->test_fraction = -1.0;
        return 0;
    }
    return set_real(&s->test_fraction, v, 0, 0, 1, 1, "default or a number from 0 up to 1", err,
                    errlen);
}

static void show_test_fraction(const RunSpec *s, char *buf, size_t len)
{
    double f = run_test_fraction(s);
    if (s->test_path[0])
        snprintf(buf, len, "tested on %s", s->test_path);
    else
        snprintf(buf, len, f > 0 ? "test %g" : "", f);
}

static int set_test_data(RunSpec *s, const char *v, char *err, size_t errlen)
{
    return set_path(s->test_path, sizeof s->test_path, v, err, errlen);
}

static int set_data(RunSpec *s, const char *v, char *err, size_t errlen)
{
    return set_path(s->data_path, sizeof s->data_path, v, err, errlen);
}

static int set_activation(RunSpec *s, const char *v, char *err, size_t errlen)
{
    Activation act = ACT_SIGMOID; /* kept if v is no activation at all */
    int known = activation_parse(v, &act) == 0;
    if (known && act != ACT_SOFTMAX) {
        s->activation = act;
        return 0;
    }
    char names[128];
    list_names(act_at, ACT_HIDDEN_COUNT, names, sizeof names);
    snprintf(err, errlen, "%s activation \"%s\" (%s; softmax is for the output)",
             known ? "not a hidden" : "unknown", v, names);
    return -1;
}

static void show_activation(const RunSpec *s, char *buf, size_t len)
{
    snprintf(buf, len, "%s", activation_name(s->activation));
}

static int set_output_activation(RunSpec *s, const char *v, char *err, size_t errlen)
{
    Activation act;
    if (strcmp(v, "same") == 0) {
        s->output_activation = RUN_SAME_ACTIVATION;
        return 0;
    }
    if (activation_parse(v, &act) == 0) {
        s->output_activation = (int)act;
        return 0;
    }
    char names[128];
    list_names(act_at, ACT_COUNT, names, sizeof names);
    snprintf(err, errlen, "unknown activation \"%s\" (%s, or same)", v, names);
    return -1;
}

/* Only an output activation that differs from the hidden one is worth saying. */
static void show_output_activation(const RunSpec *s, char *buf, size_t len)
{
    Activation out = run_output_activation(s);
    snprintf(buf, len, "%s%s", out == s->activation ? "" : activation_name(out),
             out == s->activation ? "" : " output");
}

static int set_lr(RunSpec *s, const char *v, char *err, size_t errlen)
{
    return set_real(&s->train.lr, v, 0, 1, DBL_MAX, 0, "a finite number greater than 0", err,
                    errlen);
}

static void show_lr(const RunSpec *s, char *buf, size_t len)
{
    snprintf(buf, len, "lr %g", s->train.lr);
}

static int set_hidden(RunSpec *s, const char *v, char *err, size_t errlen)
{
    int n = parse_int_list(v, 1, NET_MAX_WIDTH, s->hidden, NET_MAX_HIDDEN_LAYERS);
    if (n >= 1) {
        if (n == 1) /* one number: two layers of that size, as the original's hidden_size */
            s->hidden[n++] = s->hidden[0];
        s->n_hidden = n;
        return 0;
    }
    snprintf(err, errlen,
             "\"%s\" is not a size or a list of 1 to %d sizes from 1 to %d "
             "(e.g. 16, 4,4 or 32,16,8)",
             v, NET_MAX_HIDDEN_LAYERS, NET_MAX_WIDTH);
    return -1;
}

static void show_hidden(const RunSpec *s, char *buf, size_t len)
{
    char sizes[128];
    run_hidden_text(s->hidden, s->n_hidden, sizes, sizeof sizes);
    snprintf(buf, len, "hidden %s", sizes);
}

static int set_optimizer(RunSpec *s, const char *v, char *err, size_t errlen)
{
    if (optimizer_parse(v, &s->train.optimizer) == 0)
        return 0;
    char names[128];
    list_names(opt_at, OPT_COUNT, names, sizeof names);
    snprintf(err, errlen, "unknown optimizer \"%s\" (%s)", v, names);
    return -1;
}

static void show_optimizer(const RunSpec *s, char *buf, size_t len)
{
    snprintf(buf, len, "%s", optimizer_name(s->train.optimizer));
}

/* A decay rate: momentum's beta, Adam's beta1 and beta2, RMSprop's rho. */
static int set_decay(double *dst, const char *v, char *err, size_t errlen)
{
    return set_real(dst, v, 0, 0, 1, 1, "a number from 0 up to (not including) 1", err, errlen);
}

static int set_momentum(RunSpec *s, const char *v, char *err, size_t errlen)
{
    return set_decay(&s->train.momentum, v, err, errlen);
}

/* Said only where it matters and is not the default. */
static void show_momentum(const RunSpec *s, char *buf, size_t len)
{
    int shown =
        s->train.optimizer == OPT_MOMENTUM && s->train.momentum != train_config_default().momentum;
    snprintf(buf, len, shown ? "beta %g" : "", s->train.momentum);
}

static int set_epochs(RunSpec *s, const char *v, char *err, size_t errlen)
{
    return set_long(&s->train.epochs, v, 0, TRAIN_MAX_EPOCHS, err, errlen);
}

static void show_epochs(const RunSpec *s, char *buf, size_t len)
{
    snprintf(buf, len, "%ld epochs", s->train.epochs);
}

static int set_seed(RunSpec *s, const char *v, char *err, size_t errlen)
{
    long n;
    if (set_long(&n, v, 0, 2147483647L, err, errlen) != 0)
        return -1;
    s->train.seed = (uint64_t)n;
    return 0;
}

static void show_seed(const RunSpec *s, char *buf, size_t len)
{
    snprintf(buf, len, "seed %llu", (unsigned long long)s->train.seed);
}

static int set_load_model(RunSpec *s, const char *v, char *err, size_t errlen)
{
    return set_path(s->load_model, sizeof s->load_model, v, err, errlen);
}

static void show_load_model(const RunSpec *s, char *buf, size_t len)
{
    snprintf(buf, len, s->load_model[0] ? "from %s" : "", s->load_model);
}

static int set_engine(RunSpec *s, const char *v, char *err, size_t errlen)
{
    if (engine_parse(v, &s->train.engine) == 0)
        return 0;
    char names[64];
    list_names(engine_at, ENGINE_COUNT, names, sizeof names);
    snprintf(err, errlen, "unknown engine \"%s\" (%s)", v, names);
    return -1;
}

/* N, or "cores": as many as this process may run on. */
static int set_threads(RunSpec *s, const char *v, char *err, size_t errlen)
{
    long n;
    if (strcmp(v, "cores") == 0) {
        s->train.threads = train_cores_available();
        return 0;
    }
    if (parse_long(v, 1, TRAIN_MAX_THREADS, &n) != 0) {
        snprintf(err, errlen, "\"%s\" is not a whole number from 1 to %d, or cores", v,
                 TRAIN_MAX_THREADS);
        return -1;
    }
    s->train.threads = (int)n;
    return 0;
}

/* The default engine goes without saying. */
static void show_engine(const RunSpec *s, char *buf, size_t len)
{
    snprintf(buf, len, s->train.engine == ENGINE_FAST ? "" : "%s engine",
             engine_name(s->train.engine));
}

static int set_loss(RunSpec *s, const char *v, char *err, size_t errlen)
{
    if (loss_parse(v, &s->train.loss) == 0)
        return 0;
    snprintf(err, errlen, "unknown loss \"%s\" (mse, bce or ce)", v);
    return -1;
}

static void show_loss(const RunSpec *s, char *buf, size_t len)
{
    snprintf(buf, len, s->train.loss == LOSS_MSE ? "" : "%s loss", loss_name(s->train.loss));
}

static int set_init(RunSpec *s, const char *v, char *err, size_t errlen)
{
    if (init_parse(v, &s->init) == 0)
        return 0;
    snprintf(err, errlen, "unknown initialisation \"%s\" (uniform, xavier or he)", v);
    return -1;
}

static void show_init(const RunSpec *s, char *buf, size_t len)
{
    snprintf(buf, len, s->init == INIT_UNIFORM ? "" : "%s init", init_name(s->init));
}

static int set_schedule(RunSpec *s, const char *v, char *err, size_t errlen)
{
    if (schedule_parse(v, &s->train.schedule) == 0)
        return 0;
    snprintf(err, errlen, "unknown schedule \"%s\" (constant, step, cosine or inverse)", v);
    return -1;
}

/* The schedule with the parameters it uses. */
static void show_schedule(const RunSpec *s, char *buf, size_t len)
{
    const TrainConfig *t = &s->train;
    switch (t->schedule) {
    case SCHEDULE_CONSTANT:
        snprintf(buf, len, "%s", "");
        break;
    case SCHEDULE_STEP:
        snprintf(buf, len, "lr x%g every %ld epochs", t->lr_gamma, t->lr_step);
        break;
    case SCHEDULE_COSINE:
        snprintf(buf, len, "cosine lr");
        break;
    case SCHEDULE_INVERSE:
        snprintf(buf, len, "lr halved at %ld epochs", t->lr_step);
        break;
    }
}

static int set_lr_step(RunSpec *s, const char *v, char *err, size_t errlen)
{
    return set_long(&s->train.lr_step, v, 1, TRAIN_MAX_EPOCHS, err, errlen);
}

static int set_lr_gamma(RunSpec *s, const char *v, char *err, size_t errlen)
{
    return set_real(&s->train.lr_gamma, v, 0, 1, 1, 0, "a number above 0 and at most 1", err,
                    errlen);
}

static int set_beta1(RunSpec *s, const char *v, char *err, size_t errlen)
{
    return set_decay(&s->train.beta1, v, err, errlen);
}

static int set_beta2(RunSpec *s, const char *v, char *err, size_t errlen)
{
    return set_decay(&s->train.beta2, v, err, errlen);
}

static int set_rho(RunSpec *s, const char *v, char *err, size_t errlen)
{
    return set_decay(&s->train.rho, v, err, errlen);
}

static int set_eps(RunSpec *s, const char *v, char *err, size_t errlen)
{
    return set_real(&s->train.eps, v, 0, 1, 1, 0, "a number above 0 and at most 1", err, errlen);
}

/* adam's and rmsprop's parameters, said where they are used and not the default */
static void show_adaptive(const RunSpec *s, char *buf, size_t len)
{
    const TrainConfig *t = &s->train, d = train_config_default();
    size_t used = 0;
    buf[0] = '\0';
    if (t->optimizer == OPT_ADAM && t->beta1 != d.beta1)
        used += (size_t)snprintf(buf + used, len - used, "beta1 %g", t->beta1);
    if (t->optimizer == OPT_ADAM && t->beta2 != d.beta2 && used < len)
        used += (size_t)snprintf(buf + used, len - used, "%sbeta2 %g", used ? ", " : "", t->beta2);
    if (t->optimizer == OPT_RMSPROP && t->rho != d.rho && used < len)
        used += (size_t)snprintf(buf + used, len - used, "%srho %g", used ? ", " : "", t->rho);
    if ((t->optimizer == OPT_ADAM || t->optimizer == OPT_RMSPROP) && t->eps != d.eps && used < len)
        snprintf(buf + used, len - used, "%seps %g", used ? ", " : "", t->eps);
}

static int set_l2(RunSpec *s, const char *v, char *err, size_t errlen)
{
    return set_real(&s->train.l2, v, 0, 0, 1e6, 0, "a number from 0 to 1e6", err, errlen);
}

static void show_l2(const RunSpec *s, char *buf, size_t len)
{
    snprintf(buf, len, s->train.l2 > 0 ? "l2 %g" : "", s->train.l2);
}

static int set_clip(RunSpec *s, const char *v, char *err, size_t errlen)
{
    if (strcmp(v, "off") == 0) {
        s->train.clip = 0.0;
        return 0;
    }
    return set_real(&s->train.clip, v, 0, 1, 1e300, 0, "off or a number above 0", err, errlen);
}

static void show_clip(const RunSpec *s, char *buf, size_t len)
{
    snprintf(buf, len, s->train.clip > 0 ? "clip %g" : "", s->train.clip);
}

static int set_batch_size(RunSpec *s, const char *v, char *err, size_t errlen)
{
    long n = 0;
    if (strcmp(v, "full") != 0 && parse_long(v, 0, DATASET_MAX_ROWS, &n) != 0) {
        snprintf(err, errlen, "\"%s\" is not full or a whole number from 0 to %d", v,
                 DATASET_MAX_ROWS);
        return -1;
    }
    s->train.batch_size = (int)n;
    return 0;
}

static void show_batch_size(const RunSpec *s, char *buf, size_t len)
{
    snprintf(buf, len, s->train.batch_size > 0 ? "batch %d" : "", s->train.batch_size);
}

/* "off", or a number within [0, hi]; off stores off_value */
static int set_stop(double *dst, const char *v, double hi, double off_value, char *err,
                    size_t errlen)
{
    if (strcmp(v, "off") == 0) {
        *dst = off_value;
        return 0;
    }
    char what[64];
    snprintf(what, sizeof what, "off or a number from 0 to %g", hi);
    return set_real(dst, v, 0, 0, hi, 0, what, err, errlen);
}

static int set_stop_loss(RunSpec *s, const char *v, char *err, size_t errlen)
{
    return set_stop(&s->train.stop_loss, v, 1e300, -1.0, err, errlen);
}

static int set_stop_accuracy(RunSpec *s, const char *v, char *err, size_t errlen)
{
    return set_stop(&s->train.stop_accuracy, v, 1.0, 2.0, err, errlen);
}

static int set_patience(RunSpec *s, const char *v, char *err, size_t errlen)
{
    return set_long(&s->train.patience, v, 0, TRAIN_MAX_EPOCHS, err, errlen);
}

/* the early stops that are on */
static void show_stops(const RunSpec *s, char *buf, size_t len)
{
    const TrainConfig *t = &s->train;
    size_t used = 0;
    buf[0] = '\0';
    if (t->stop_loss >= 0)
        used += (size_t)snprintf(buf + used, len - used, "stop at loss %g", t->stop_loss);
    if (t->stop_accuracy <= 1 && used < len)
        used += (size_t)snprintf(buf + used, len - used, "%sstop at accuracy %g", used ? ", " : "",
                                 t->stop_accuracy);
    if (t->patience > 0 && used < len)
        snprintf(buf + used, len - used, "%spatience %ld", used ? ", " : "", t->patience);
}

/* ---- the table ----------------------------------------------------------- */

#define VARIES SETTING_VARIES
#define IN_NAME SETTING_IN_NAME

static const Setting table[] = {
    {"dataset", "NAME", "built-in data set, one of those listed below", "linear", "Data set",
     IN_NAME, set_dataset, show_dataset},
    {"points", "N", "points of the built-in data set; 0: its own number", "0", "Points",
     VARIES | IN_NAME, set_points, show_points},
    {"noise", "X", "moves each point by a normal offset of sd X (labels stay),\n"
     "0 <= X <= 10", "0", "Noise",
     VARIES | IN_NAME, set_noise, show_noise},
    {"test-fraction", "F",
     "of the points held out for testing, by class; default:\n"
     "the data set's (0 for linear and xor, 0.5 for the others)",
     "default", "Test fraction", VARIES | IN_NAME, set_test_fraction, show_test_fraction},
    {"data", "FILE.csv", "train on a CSV file of x1,x2,label lines instead", NULL, "Data", 0,
     set_data, NULL},
    {"test-data", "FILE.csv", "held-out points to test on, instead of --test-fraction", NULL,
     "Test data", 0, set_test_data, NULL},
    {"activation", "NAME", "sigmoid, tanh, relu or none, after every hidden layer", "sigmoid",
     "Activation", VARIES | IN_NAME, set_activation, show_activation},
    {"output-activation", "NAME",
     "the output layer's (sigmoid, tanh, relu, none, softmax), or\n"
     "same: that of --activation (with loss ce: softmax)",
     "same",
     "Output activation", VARIES | IN_NAME, set_output_activation, show_output_activation},
    {"loss", "NAME",
     "mse (mean squared error), bce (binary cross-entropy:\n"
     "needs a sigmoid output) or ce (cross-entropy of softmax\n"
     "outputs, one per class)",
     "mse", "Loss", VARIES | IN_NAME, set_loss, show_loss},
    {"init", "NAME",
     "initial weights: uniform in [-0.5, 0.5) as the original,\n"
     "xavier (Glorot uniform) or he (He normal), biases 0",
     "uniform", "Init", VARIES | IN_NAME, set_init, show_init},
    {"lr", "X", "learning rate > 0", "0.1", "LR", VARIES | IN_NAME, set_lr, show_lr},
    {"lr-schedule", "NAME",
     "constant, step (x lr-gamma every lr-step epochs), cosine\n"
     "(lr (1 + cos(pi epoch / epochs)) / 2, epochs counted from 0: from\n"
     "lr towards 0) or inverse (halved at lr-step epochs)",
     "constant", "Schedule", VARIES | IN_NAME, set_schedule, show_schedule},
    {"lr-step", "N", "epochs of the step and inverse schedules", "10000", "LR step", VARIES,
     set_lr_step, NULL},
    {"lr-gamma", "X", "the step schedule's factor, 0 < X <= 1", "0.5", "LR gamma", VARIES,
     set_lr_gamma, NULL},
    {"hidden", "SPEC",
     "16 = two hidden layers of 16; 4,4 or 32,16,8 = one size a layer\n"
     "(1 to " STR(NET_MAX_HIDDEN_LAYERS) " layers of 1 to " STR(NET_MAX_WIDTH) " units)",
     "16", "Hidden size", VARIES | IN_NAME, set_hidden, show_hidden},
    {"optimizer", "NAME", "sgd, momentum, nesterov, rmsprop or adam", "sgd", "Optimizer",
     VARIES | IN_NAME, set_optimizer, show_optimizer},
    {"momentum", "BETA", "beta of momentum and nesterov, 0 <= BETA < 1", "0.9", "Momentum",
     VARIES | IN_NAME, set_momentum, show_momentum},
    {"beta1", "X", "adam's decay of its mean gradient, 0 <= X < 1", "0.9", "Beta1",
     VARIES | IN_NAME, set_beta1, show_adaptive},
    {"beta2", "X", "adam's decay of its mean squared gradient, 0 <= X < 1", "0.999", "Beta2",
     VARIES, set_beta2, NULL},
    {"rho", "X", "rmsprop's decay of its mean squared gradient, 0 <= X < 1", "0.9", "Rho", VARIES,
     set_rho, NULL},
    {"eps", "X", "adam's and rmsprop's guard against dividing by 0, 0 < X <= 1", "1e-08", "Eps",
     VARIES, set_eps, NULL},
    {"l2", "X",
     "weight decay: (X/2) sum of the weights squared joins the loss\n"
     "that is minimised (not the one recorded), 0 <= X <= 1e6",
     "0", "L2", VARIES | IN_NAME, set_l2, show_l2},
    {"clip", "X", "scale the gradient down to length X when it is longer", "off", "Clip",
     VARIES | IN_NAME, set_clip, show_clip},
    {"batch-size", "N", "points per update, shuffled each epoch; full (or 0): all", "full",
     "Batch size", VARIES | IN_NAME, set_batch_size, show_batch_size},
    {"epochs", "N", "epochs of training, 0 to " STR(TRAIN_MAX_EPOCHS), "100000", "Epochs", VARIES,
     set_epochs, show_epochs},
    {"stop-loss", "X", "end at the first epoch whose loss is at most X", "off", "Stop loss",
     VARIES | IN_NAME, set_stop_loss, show_stops},
    {"stop-accuracy", "X", "end at the first epoch whose accuracy is at least X", "off",
     "Stop accuracy", VARIES, set_stop_accuracy, NULL},
    {"patience", "N", "end after N epochs without a lower loss (0: never)", "0", "Patience", VARIES,
     set_patience, NULL},
    {"seed", "N", "seed of the data set, the initial weights and the batches", "0", "Seed",
     VARIES | IN_NAME, set_seed, show_seed},
    {"load-model", "FILE", "start from a saved model (with --epochs 0: only predict)", NULL,
     "Model", 0, set_load_model, show_load_model},
    {"engine", "NAME",
     "fast (vectorised kernels) or plain (the textbook loops of\n"
     "src/core/plain.c); the same training but for rounding, which\n"
     "grows only where the training is unstable (see the README)",
     "fast", "Engine", VARIES | IN_NAME, set_engine, show_engine},
    {"threads", "N",
     "threads sharing each epoch's points (fast engine), or cores; the\n"
     "results are the same for any N. nnlab run gives each run one when it\n"
     "trains several at once",
     "cores", "Threads", 0, set_threads, NULL},
};

#define N_SETTINGS ((int)(sizeof table / sizeof table[0]))
/* RunSpec.given has a bit for each row */
_Static_assert(sizeof table / sizeof table[0] <= 64, "more settings than RunSpec.given's bits");

const Setting *settings_table(int *count)
{
    *count = N_SETTINGS;
    return table;
}

static int setting_index(const char *key)
{
    for (int i = 0; i < N_SETTINGS; i++)
        if (strcmp(key, table[i].key) == 0)
            return i;
    return -1;
}

const Setting *setting_find(const char *key)
{
    int i = setting_index(key);
    return i < 0 ? NULL : &table[i];
}

const char *setting_title(const char *key)
{
    const Setting *s = setting_find(key);
    return s ? s->title : key;
}

void setting_keys(int flags, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < N_SETTINGS && used < len; i++)
        if ((table[i].flags & flags) == flags)
            used +=
                (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "", table[i].key);
}

void settings_usage(FILE *fp)
{
    for (int i = 0; i < N_SETTINGS; i++) {
        const Setting *s = &table[i];
        char option[64];
        snprintf(option, sizeof option, "--%s %s", s->key, s->arg);
        const char *help = s->help;
        int first = 1;
        while (*help) {
            size_t line = strcspn(help, "\n");
            int last = help[line] == '\0';
            fprintf(fp, "  %-24s %.*s", first ? option : "", (int)line, help);
            if (last && s->fallback && line + strlen(s->fallback) <= 54)
                fprintf(fp, " (default %s)", s->fallback);
            else if (last && s->fallback) /* a line of its own, within 92 columns */
                fprintf(fp, "\n  %-24s (default %s)", "", s->fallback);
            fputc('\n', fp);
            help += line + !last;
            first = 0;
        }
    }
}

void datasets_usage(FILE *fp)
{
    int n;
    const DatasetInfo *d = dataset_table(&n);
    for (int i = 0; i < n; i++)
        fprintf(fp, "  %-10s %s (%d points)\n", d[i].name, d[i].help, d[i].points);
}

/* ---- RunSpec from the table ---------------------------------------------- */

RunSpec run_spec_default(void)
{
    RunSpec s;
    memset(&s, 0, sizeof s);
    s.train = train_config_default();
    s.train.max_param = MODEL_MAX_ABS; /* a network a model file could not hold has diverged */
    char err[256];
    for (int i = 0; i < N_SETTINGS; i++)
        if (table[i].fallback)
            table[i].set(&s, table[i].fallback, err, sizeof err);
    return s;
}

int run_spec_set(RunSpec *spec, const char *key, const char *value, char *err, size_t errlen)
{
    int i = setting_index(key);
    if (i < 0) {
        char keys[512];
        setting_keys(0, keys, sizeof keys);
        snprintf(err, errlen, "unknown setting (%s)", keys);
        return -1;
    }
    if (table[i].set(spec, value, err, errlen) != 0)
        return -1;
    spec->given |= 1ull << i;
    return 0;
}

int run_spec_given(const RunSpec *spec, const char *key)
{
    int i = setting_index(key);
    return i >= 0 && (spec->given >> i & 1u);
}

/* Whether key is one of the comma-separated list. */
static int in_list(const char *list, const char *key)
{
    size_t n = strlen(key);
    for (const char *p = list;; p++) { /* p at the start of an item */
        if (strncmp(p, key, n) == 0 && (p[n] == ',' || p[n] == '\0'))
            return 1;
        if (!(p = strchr(p, ',')))
            return 0;
    }
}

void run_spec_describe_except(const RunSpec *spec, const char *keys, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < N_SETTINGS && used < len; i++) {
        char part[1100];
        if (!table[i].describe || (keys && in_list(keys, table[i].key)))
            continue;
        table[i].describe(spec, part, sizeof part);
        if (part[0])
            used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "", part);
    }
}

void run_spec_describe(const RunSpec *spec, char *buf, size_t len)
{
    run_spec_describe_except(spec, NULL, buf, len);
}

static int is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

void run_spec_name(const RunSpec *spec, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < N_SETTINGS; i++) {
        char part[1100];
        if (!(table[i].flags & SETTING_IN_NAME))
            continue;
        /* a data file: its name without its extension, as run and compare name
         * its figures and run folders */
        if (table[i].set != set_dataset || !spec->data_path[0] ||
            run_name_from_path(spec->data_path, part, sizeof part) != 0)
            table[i].describe(spec, part, sizeof part);
        const char *p = part;
        if (strchr(p, '/')) /* a CSV's path: its file name */
            p = strrchr(p, '/') + 1;
        if (!*p)
            continue;
        if (used && used + 1 < len)
            buf[used++] = '_';
        for (; *p && used + 1 < len; p++) {
            /* "lr 0.1" -> "lr0.1", "plain engine" -> "plain-engine" */
            if (*p == ' ' && !(is_letter(p[-1]) && is_letter(p[1])))
                continue;
            int safe = is_letter(*p) || (*p >= '0' && *p <= '9') || strchr(".,+-", *p);
            buf[used++] = *p == ' ' ? '-' : safe ? *p : '_';
        }
        buf[used] = '\0';
    }
}
