/* fann_mlp.c - the nnlab network written with FANN, for `make bench`.
 *
 * FANN (libfann, Debian's libfann-dev) in its double-precision build
 * (libdoublefann): a 2 -> hidden -> 1 network, FANN_SIGMOID everywhere with
 * steepness 0.5 (FANN's sigmoid is 1 / (1 + e^(-2 s x)), so this is the
 * logistic function), weights and biases uniform in [-0.5, 0.5), mean
 * squared error with FANN_ERRORFUNC_LINEAR, and FANN_TRAIN_BATCH: one
 * gradient-descent update per epoch from the whole set, like nnlab's full
 * batch. What differs: FANN computes the epoch point by point (no matrix
 * products), its sigmoid's derivative clips the output to [0.01, 0.99], and
 * it scales its batch step its own way: the work of an epoch is the same,
 * the weights it reaches are not.
 *
 *   nnlab-bench-fann --points N --hidden H [H] --epochs E --repeat R [--data linear|xor]
 *       prints the median microseconds per epoch over R timings of E epochs;
 *   nnlab-bench-fann --whole DATA.csv OUT.csv --hidden H [H] --epochs E
 *       the whole process a user would write: reads DATA.csv (x1,x2,label
 *       with a header line), trains E epochs, writes each point's output to
 *       OUT.csv (x1,x2,label,output,predicted with %.17g), and prints the
 *       seconds of reading, training and writing;
 *   nnlab-bench-fann --info
 *       prints what it runs on.
 */
#include <doublefann.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* nnlab's linear set of n points (uniform in [0,1)^2, label x1 <= x2) or its
 * xor set of 21, drawn with rand() from a fixed seed: the shapes matter
 * here, not the values. */
static struct fann_train_data *make_data(const char *kind, unsigned n)
{
    if (strcmp(kind, "xor") == 0)
        n = 21;
    struct fann_train_data *d = fann_create_train(n, 2, 1);
    if (!d)
        return NULL;
    if (strcmp(kind, "xor") == 0) { /* (0.1i, 0.1i) class 0, (0.1i, 1 - 0.1i) class 1 but i = 5 */
        for (unsigned k = 0, i = 0; i <= 10; i++) {
            d->input[k][0] = 0.1 * i, d->input[k][1] = 0.1 * i, d->output[k++][0] = 0.0;
            if (i != 5)
                d->input[k][0] = 0.1 * i, d->input[k][1] = 1.0 - 0.1 * i, d->output[k++][0] = 1.0;
        }
        return d;
    }
    for (unsigned k = 0; k < n; k++) {
        double *x = d->input[k];
        x[0] = rand() / (RAND_MAX + 1.0);
        x[1] = rand() / (RAND_MAX + 1.0);
        d->output[k][0] = x[0] > x[1] ? 0.0 : 1.0;
    }
    return d;
}

static struct fann *make_network(unsigned hidden)
{
    struct fann *ann = fann_create_standard(4, 2, hidden, hidden, 1);
    if (!ann)
        return NULL;
    fann_set_activation_function_hidden(ann, FANN_SIGMOID);
    fann_set_activation_function_output(ann, FANN_SIGMOID);
    fann_set_activation_steepness_hidden(ann, 0.5);
    fann_set_activation_steepness_output(ann, 0.5);
    fann_set_training_algorithm(ann, FANN_TRAIN_BATCH);
    fann_set_train_error_function(ann, FANN_ERRORFUNC_LINEAR);
    fann_set_learning_rate(ann, 0.1f);
    fann_randomize_weights(ann, -0.5, 0.5);
    return ann;
}

/* x1,x2,label lines after a header line; NULL on a malformed file. */
static struct fann_train_data *read_csv(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return NULL;
    unsigned cap = 1024, n = 0;
    double *v = malloc(3 * (size_t)cap * sizeof *v);
    char line[256];
    if (!fgets(line, sizeof line, fp)) /* the header */
        n = 0;
    while (v && fgets(line, sizeof line, fp)) {
        if (n == cap) {
            cap *= 2;
            double *nv = realloc(v, 3 * (size_t)cap * sizeof *v);
            if (!nv) {
                free(v);
                v = NULL;
                break;
            }
            v = nv;
        }
        char *p = line, *end;
        for (int j = 0; j < 3; j++, p = end + 1) {
            v[3 * n + j] = strtod(p, &end);
            if (end == p)
                break;
        }
        n++;
    }
    fclose(fp);
    struct fann_train_data *d = v && n ? fann_create_train(n, 2, 1) : NULL;
    for (unsigned k = 0; d && k < n; k++) {
        d->input[k][0] = v[3 * k], d->input[k][1] = v[3 * k + 1];
        d->output[k][0] = v[3 * k + 2];
    }
    free(v);
    return d;
}

static int whole(const char *in, const char *out, unsigned hidden, long epochs)
{
    double t0 = now();
    struct fann_train_data *d = read_csv(in);
    struct fann *ann = d ? make_network(hidden) : NULL;
    if (!ann)
        return 1;
    double t1 = now();
    for (long e = 0; e < epochs; e++)
        fann_train_epoch(ann, d);
    double t2 = now();
    FILE *fp = fopen(out, "w");
    if (!fp)
        return 1;
    fprintf(fp, "x1,x2,label,output,predicted\n");
    for (unsigned k = 0; k < d->num_data; k++) {
        double y = fann_run(ann, d->input[k])[0];
        fprintf(fp, "%.17g,%.17g,%d,%.17g,%d\n", d->input[k][0], d->input[k][1],
                (int)d->output[k][0], y, y > 0.5);
    }
    if (fclose(fp) != 0)
        return 1;
    printf("%.3f %.3f %.3f\n", t1 - t0, t2 - t1, now() - t2);
    fann_destroy(ann);
    fann_destroy_train(d);
    return 0;
}

int main(int argc, char **argv)
{
    const char *kind = "linear", *in = NULL, *out = NULL;
    unsigned points = 100, hidden = 16;
    long epochs = 100;
    int repeat = 5;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--info") == 0) {
            printf("FANN 2.2 (libdoublefann), one thread, point by point\n");
            return 0;
        } else if (strcmp(argv[i], "--whole") == 0 && i + 2 < argc) {
            in = argv[++i], out = argv[++i];
        } else if (i + 1 < argc && strcmp(argv[i], "--data") == 0) {
            kind = argv[++i];
        } else if (i + 1 < argc && strcmp(argv[i], "--points") == 0) {
            points = (unsigned)strtoul(argv[++i], NULL, 10);
        } else if (i + 1 < argc && strcmp(argv[i], "--hidden") == 0) {
            hidden = (unsigned)strtoul(argv[++i], NULL, 10);
            if (i + 1 < argc && argv[i + 1][0] >= '0' && argv[i + 1][0] <= '9' &&
                strtoul(argv[++i], NULL, 10) != hidden) {
                fprintf(stderr, "nnlab-bench-fann: both hidden layers have one size here\n");
                return 2;
            }
        } else if (i + 1 < argc && strcmp(argv[i], "--epochs") == 0) {
            epochs = strtol(argv[++i], NULL, 10);
        } else if (i + 1 < argc && strcmp(argv[i], "--repeat") == 0) {
            repeat = atoi(argv[++i]);
        } else {
            fprintf(stderr, "usage: see the top of src/bench/fann_mlp.c\n");
            return 2;
        }
    }
    srand(1);
    if (in)
        return whole(in, out, hidden, epochs);
    if (repeat < 1 || repeat > 100 || epochs < 1)
        return 2;
    struct fann_train_data *d = make_data(kind, points);
    struct fann *ann = d ? make_network(hidden) : NULL;
    if (!ann)
        return 1;
    if (repeat > 1)
        fann_train_epoch(ann, d); /* warm-up, but for the timings of a minute */
    double us[100];
    for (int r = 0; r < repeat; r++) {
        double t0 = now();
        for (long e = 0; e < epochs; e++)
            fann_train_epoch(ann, d);
        us[r] = (now() - t0) / (double)epochs * 1e6;
    }
    qsort(us, (size_t)repeat, sizeof *us, cmp_double);
    printf("%.3f\n", repeat % 2 ? us[repeat / 2] : 0.5 * (us[repeat / 2 - 1] + us[repeat / 2]));
    fann_destroy(ann);
    fann_destroy_train(d);
    return 0;
}
