/* model_io.c - the plain-text model format described in model_io.h. */
#include "model_io.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "atomic_file.h"
#include "io_status.h"
#include "numparse.h"

#define MODEL_MAGIC "nnlab-model"
#define MODEL_VERSION 2 /* 1: no output-activation line, the output as the hidden layers */

int model_loadable(const Network *net)
{
    for (int k = 0; k < net->n_params; k++)
        if (!isfinite(net->params[k]) || fabs(net->params[k]) > MODEL_MAX_ABS)
            return 0;
    return 1;
}

int model_write(const char *path, const Network *net, const ModelOrigin *origin, char *err,
                size_t errlen)
{
    if (!model_loadable(net)) {
        snprintf(err, errlen,
                 "cannot write %s: its weights are not all finite numbers within +-%g, so it "
                 "could not be loaded again",
                 path, MODEL_MAX_ABS);
        return -1;
    }
    AtomicFile af;
    if (atomic_file_open(&af, path, err, errlen) != 0)
        return -1;
    FILE *fp = af.fp;
    fprintf(fp, "%s %d\n", MODEL_MAGIC, MODEL_VERSION);
    fprintf(fp, "activation %s\n", activation_name(net->hidden_act));
    fprintf(fp, "output-activation %s\n", activation_name(net->output_act));
    fprintf(fp, "loss %s\n", loss_name(origin->loss));
    fprintf(fp, "init %s\n", init_name(origin->init));
    fprintf(fp, "layers");
    for (int l = 0; l <= net->n_layers; l++)
        fprintf(fp, " %d", net->sizes[l]);
    fprintf(fp, "\n");
    for (int l = 0; l < net->n_layers; l++) {
        int in = net->sizes[l], out = net->sizes[l + 1];
        const double *W = net->W[l], *b = net->b[l];
        fprintf(fp, "layer %d weights %d %d\n", l + 1, out, in);
        for (int o = 0; o < out; o++)
            for (int i = 0; i < in; i++)
                fprintf(fp, "%.17g%c", W[o * in + i], i + 1 < in ? ' ' : '\n');
        fprintf(fp, "layer %d bias %d\n", l + 1, out);
        for (int o = 0; o < out; o++)
            fprintf(fp, "%.17g%c", b[o], o + 1 < out ? ' ' : '\n');
    }
    return atomic_file_commit(&af, err, errlen);
}

/* A whitespace tokenizer that knows the line it is on. */
typedef struct {
    FILE *fp;
    const char *path;
    int line;
    char tok[64];
    int pushed_back; /* tok holds a token to be read again */
    int at_eof;      /* the last next_token found the end of the file */
    int cut;         /* the end of the file came right after tok: no line end */
    int failed;      /* an error of the machine (a read error, out of memory) */
    char *err;
    size_t errlen;
} Reader;

/* Reads the next token into r->tok. Returns 0, or -1 with a message at end
 * of file (setting r->at_eof), on a token too long or on a zero byte. */
static int next_token(Reader *r)
{
    if (r->pushed_back) {
        r->pushed_back = 0;
        return 0;
    }
    int c;
    for (;;) {
        c = fgetc(r->fp);
        if (c == '#')
            while (c != EOF && c != '\n')
                c = fgetc(r->fp);
        if (c == '\n')
            r->line++;
        if (c == EOF || !isspace(c))
            break;
    }
    if (c == EOF && ferror(r->fp)) {
        snprintf(r->err, r->errlen, "%s:%d: read error: %s", r->path, r->line, strerror(errno));
        r->failed = 1;
        return -1;
    }
    if (c == EOF) {
        r->at_eof = 1;
        snprintf(r->err, r->errlen, "%s:%d: unexpected end of file", r->path, r->line);
        return -1;
    }
    size_t n = 0;
    while (c != EOF && !isspace(c) && c != '#') {
        if (c == '\0') { /* it would end the token unseen: "1\0junk" read as "1" */
            snprintf(r->err, r->errlen, "%s:%d: not a text file (has a zero byte)", r->path,
                     r->line);
            return -1;
        }
        if (n + 1 == sizeof r->tok) {
            snprintf(r->err, r->errlen, "%s:%d: token longer than %zu characters", r->path, r->line,
                     sizeof r->tok - 1);
            return -1;
        }
        r->tok[n++] = (char)c;
        c = fgetc(r->fp);
    }
    r->tok[n] = '\0';
    r->cut = c == EOF;
    if (c != EOF)
        ungetc(c, r->fp);
    return 0;
}

static int expect_word(Reader *r, const char *word)
{
    if (next_token(r) != 0)
        return -1;
    if (strcmp(r->tok, word) != 0) {
        snprintf(r->err, r->errlen, "%s:%d: expected \"%s\", found \"%s\"", r->path, r->line, word,
                 r->tok);
        return -1;
    }
    return 0;
}

static int expect_int(Reader *r, const char *what, long min, long max, long *v)
{
    if (next_token(r) != 0)
        return -1;
    if (parse_long(r->tok, min, max, v) != 0) {
        snprintf(r->err, r->errlen, "%s:%d: %s must be an integer from %ld to %ld, found \"%s\"",
                 r->path, r->line, what, min, max, r->tok);
        return -1;
    }
    return 0;
}

static int expect_number(Reader *r, double *v)
{
    if (next_token(r) != 0)
        return -1;
    if (parse_double(r->tok, v) != 0 || fabs(*v) > MODEL_MAX_ABS) {
        snprintf(r->err, r->errlen, "%s:%d: expected a finite number within +-%g, found \"%s\"",
                 r->path, r->line, MODEL_MAX_ABS, r->tok);
        return -1;
    }
    if (r->cut) {
        /* a file cut short may end inside a number: "0.123456" saved, "0.12" left */
        snprintf(r->err, r->errlen,
                 "%s:%d: the file ends inside the number \"%s\" (cut short?); a model file "
                 "ends with a line end",
                 r->path, r->line, r->tok);
        return -1;
    }
    *v += 0.0; /* -0 becomes 0 */
    return 0;
}

/* An activation's name as the next token. */
static int expect_activation(Reader *r, Activation *act)
{
    if (next_token(r) != 0)
        return -1;
    if (activation_parse(r->tok, act) != 0) {
        snprintf(r->err, r->errlen,
                 "%s:%d: unknown activation \"%s\" (sigmoid, tanh, relu, none or softmax)", r->path, r->line,
                 r->tok);
        return -1;
    }
    return 0;
}

/* "WORD NAME", NAME one of those parse() knows (what: "loss (mse, bce or ce)"). */
static int expect_named(Reader *r, const char *word, int (*parse)(const char *, void *),
                        void *value, const char *what)
{
    if (expect_word(r, word) != 0 || next_token(r) != 0)
        return -1;
    if (parse(r->tok, value) != 0) {
        snprintf(r->err, r->errlen, "%s:%d: unknown %s, found \"%s\"", r->path, r->line, what,
                 r->tok);
        return -1;
    }
    return 0;
}

static int parse_loss(const char *name, void *loss) { return loss_parse(name, loss); }
static int parse_init(const char *name, void *init) { return init_parse(name, init); }

/* Reads the header up to the layer sizes and allocates net. */
static int read_header(Reader *r, Network *net, ModelOrigin *origin)
{
    long version, count;
    Activation act, output_act;
    if (expect_word(r, MODEL_MAGIC) != 0 ||
        expect_int(r, "the format version", 1, MODEL_VERSION, &version) != 0 ||
        expect_word(r, "activation") != 0 || expect_activation(r, &act) != 0)
        return -1;
    output_act = act;
    *origin = (ModelOrigin){LOSS_MSE, INIT_UNIFORM}; /* version 1's, the original's */
    if (version >= 2 &&
        (expect_word(r, "output-activation") != 0 || expect_activation(r, &output_act) != 0 ||
         expect_named(r, "loss", parse_loss, &origin->loss, "loss (mse, bce or ce)") != 0 ||
         expect_named(r, "init", parse_init, &origin->init,
                      "initialisation (uniform, xavier or he)") != 0))
        return -1;
    if (expect_word(r, "layers") != 0 || expect_int(r, "the input size", 2, 2, &count) != 0)
        return -1;
    /* The sizes run until the first "layer"; the last is the outputs'. */
    int sizes[NET_MAX_LAYERS + 1], n_sizes = 0, layers_line = r->line;
    for (;;) {
        if (next_token(r) != 0)
            return -1;
        if (strcmp(r->tok, "layer") == 0) {
            r->pushed_back = 1;
            break;
        }
        long size;
        if (n_sizes == NET_MAX_LAYERS) {
            snprintf(r->err, r->errlen, "%s:%d: at most %d hidden layers are accepted", r->path,
                     r->line, NET_MAX_HIDDEN_LAYERS);
            return -1;
        }
        if (parse_long(r->tok, 1, NET_MAX_WIDTH, &size) != 0) {
            snprintf(r->err, r->errlen,
                     "%s:%d: layer sizes from 1 to %d are accepted, found \"%s\"", r->path, r->line,
                     NET_MAX_WIDTH, r->tok);
            return -1;
        }
        sizes[n_sizes++] = (int)size;
    }
    if (n_sizes < 2 || sizes[n_sizes - 1] > NET_MAX_OUTPUTS) {
        snprintf(r->err, r->errlen,
                 "%s:%d: layers must list 2, at least one hidden size, and the outputs (1 for two "
                 "classes, K for K classes, at most %d)",
                 r->path, layers_line, NET_MAX_OUTPUTS);
        return -1;
    }
    if (act == ACT_SOFTMAX || (output_act == ACT_SOFTMAX && sizes[n_sizes - 1] < 2)) {
        snprintf(r->err, r->errlen,
                 "%s:%d: softmax is an output activation of 2 or more outputs only", r->path,
                 layers_line);
        return -1;
    }
    const int *hidden = sizes;
    int n_hidden = n_sizes - 1;
    if (network_alloc(net, hidden, n_hidden, sizes[n_sizes - 1], act, output_act) != 0) {
        snprintf(r->err, r->errlen, "%s: out of memory", r->path);
        r->failed = 1;
        return -1;
    }
    return 0;
}

static int read_layer(Reader *r, Network *net, int l)
{
    long v;
    int in = net->sizes[l], out = net->sizes[l + 1];
    double *W = net->W[l], *b = net->b[l];
    if (expect_word(r, "layer") != 0 || expect_int(r, "the layer number", l + 1, l + 1, &v) != 0 ||
        expect_word(r, "weights") != 0 || expect_int(r, "the weight rows", out, out, &v) != 0 ||
        expect_int(r, "the weight columns", in, in, &v) != 0)
        return -1;
    for (int k = 0; k < out * in; k++)
        if (expect_number(r, &W[k]) != 0)
            return -1;
    if (expect_word(r, "layer") != 0 || expect_int(r, "the layer number", l + 1, l + 1, &v) != 0 ||
        expect_word(r, "bias") != 0 || expect_int(r, "the bias size", out, out, &v) != 0)
        return -1;
    for (int k = 0; k < out; k++)
        if (expect_number(r, &b[k]) != 0)
            return -1;
    return 0;
}

int model_read_file(FILE *fp, const char *name, Network *net, ModelOrigin *origin, char *err,
                    size_t errlen)
{
    memset(net, 0, sizeof *net);
    Reader r = {.fp = fp, .path = name, .line = 1, .err = err, .errlen = errlen};
    ModelOrigin unused;
    int rc = read_header(&r, net, origin ? origin : &unused);
    for (int l = 0; rc == 0 && l < net->n_layers; l++)
        rc = read_layer(&r, net, l);
    if (rc == 0 && next_token(&r) == 0) {
        snprintf(err, errlen, "%s:%d: unexpected \"%s\" after the last layer", name, r.line, r.tok);
        rc = -1;
    } else if (rc == 0 && !r.at_eof) {
        rc = -1; /* a token too long or a zero byte after the last layer: err says which */
    }
    if (rc == 0 && ferror(fp)) {
        snprintf(err, errlen, "%s: read error", name);
        r.failed = 1;
        rc = -1;
    }
    if (rc != 0) {
        network_free(net);
        return r.failed ? IO_FAILED : IO_BAD_INPUT;
    }
    return IO_OK;
}

int model_read(const char *path, Network *net, ModelOrigin *origin, char *err, size_t errlen)
{
    memset(net, 0, sizeof *net);
    FILE *fp = fopen(path, "r");
    if (!fp) {
        int why = errno;
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(why));
        return io_open_status(why);
    }
    struct stat st;
    if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: is a folder; a model file saved by nnlab is expected", path);
        fclose(fp);
        return IO_BAD_INPUT;
    }
    int rc = model_read_file(fp, path, net, origin, err, errlen);
    fclose(fp);
    return rc;
}
