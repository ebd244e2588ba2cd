/* kernels.c - which variant of the fast kernels runs: the widest the
 * processor has among those the build compiled (see fast.h), chosen when a
 * pass or a layer is made and kept in it, so that a pass runs one variant
 * from start to end and the same processor always gets the same one.
 *
 * The functions of fast.h and fastmath.h without a variant are here; each
 * hands over to the variant of the pass or layer it is given (fastmath.h's,
 * which are given none, to the best one).
 */
#define _DEFAULT_SOURCE /* madvise */
#include "fast.h"
#include "fastmath.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* The variants the Makefile compiled, widest first. */
#define DECLARE(v) extern const FastKernels fast_kernels_##v;
#ifdef NNLAB_KERNELS_avx512
DECLARE(avx512)
#endif
#ifdef NNLAB_KERNELS_avx2
DECLARE(avx2)
#endif
#ifdef NNLAB_KERNELS_sse2
DECLARE(sse2)
#endif
#ifdef NNLAB_KERNELS_native
DECLARE(native)
#endif

static const FastKernels *const compiled[] = {
#ifdef NNLAB_KERNELS_avx512
    &fast_kernels_avx512,
#endif
#ifdef NNLAB_KERNELS_avx2
    &fast_kernels_avx2,
#endif
#ifdef NNLAB_KERNELS_sse2
    &fast_kernels_sse2,
#endif
#ifdef NNLAB_KERNELS_native
    &fast_kernels_native,
#endif
};
#define N_COMPILED (int)(sizeof compiled / sizeof *compiled)

/* Whether the running processor has what isa needs. The native variant was
 * compiled for the machine that builds, which is taken to be the one that
 * runs it. */
static int processor_has(KernelIsa isa)
{
#if defined(__x86_64__) || defined(__i386__)
    switch (isa) {
    case KERNELS_AVX512:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
               __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case KERNELS_AVX2:
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case KERNELS_SSE2:
        return __builtin_cpu_supports("sse2");
    case KERNELS_NATIVE:
        return 1;
    }
    return 0;
#else
    return isa == KERNELS_NATIVE;
#endif
}

int fast_kernels_usable(const FastKernels **list, int max)
{
    int count = 0;
    for (int k = 0; k < N_COMPILED && count < max; k++)
        if (processor_has(compiled[k]->isa))
            list[count++] = compiled[k];
    return count;
}

const FastKernels *fast_kernels_best(void)
{
    const FastKernels *best = compiled[N_COMPILED - 1]; /* the narrowest: runs anywhere */
    fast_kernels_usable(&best, 1);
    return best;
}

#define HUGE_PAGE ((size_t)2 << 20)

/* Room for count doubles starting on a cache line (64 bytes), so that the
 * kernels' vector loads of a row's first units never straddle two lines,
 * and zeroed, so that padding starts as zeros. Arrays of 2 MB and more (a
 * chunk's activations with hundreds of units a layer, the panels of a wide
 * layer) are asked to be in 2 MB pages, where Linux has them (transparent
 * huge pages, given on request): in 4 KB pages, the tens of MB that a pass
 * of wide layers walks through need many more page-table lookups than the
 * processor's TLB holds. They are rounded up to whole pages for that. */
double *fast_alloc_lines(size_t count)
{
    size_t line = 64, bytes = (count * sizeof(double) + line - 1) / line * line;
    size_t align = line;
#ifdef MADV_HUGEPAGE
    if (bytes >= HUGE_PAGE)
        align = HUGE_PAGE, bytes = (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
#endif
    double *p = aligned_alloc(align, bytes ? bytes : line);
    if (!p)
        return NULL;
#ifdef MADV_HUGEPAGE
    if (align == HUGE_PAGE)
        madvise(p, bytes, MADV_HUGEPAGE); /* a request: without, 4 KB pages, the same values */
#endif
    memset(p, 0, bytes);
    return p;
}

void fast_prepare(const Network *net, FastPass *p)
{
    for (int l = 0; l < net->n_layers; l++)
        p->kernels->dense_prepare(&p->layer[l], net->params + p->w_off[l],
                                  net->params + p->b_off[l]);
}

void fast_dense_share_panels(Dense *d, const Dense *from)
{
    if (!from->panels_room) /* a narrow layer */
        return;
    free(d->WT);
    free(d->W_padded);
    d->WT = from->WT;
    d->W_padded = from->W_padded;
    d->shares_panels = 1;
}

int fast_dense_alloc(Dense *d, int in, int out, int ld_in, int ld_out)
{
    const FastKernels *k = fast_kernels_best();
    if (k->dense_alloc(d, in, out, ld_in, ld_out) != 0)
        return -1;
    d->kernels = k;
    return 0;
}

void fast_dense_free(Dense *d)
{
    if (d->kernels)
        d->kernels->dense_free(d);
}

void fast_dense_prepare(Dense *d, const double *W, const double *bias)
{
    d->kernels->dense_prepare(d, W, bias);
}

void fast_dense_forward(double *out, const double *inp, const Dense *d, int n)
{
    d->kernels->dense_forward(out, inp, d, n);
}

void fast_dense_backward(double *dinp, double *dW, double *dbias, const double *dout,
                         const double *inp, const Dense *d, int n)
{
    d->kernels->dense_backward(dinp, dW, dbias, dout, inp, d, n);
}

void fast_activation_forward(double *a, const double *z, int count, Activation act)
{
    fast_kernels_best()->activation_forward(a, z, count, act);
}

void fast_activation_backward(double *dz, const double *da, const double *a, int count,
                              Activation act)
{
    fast_kernels_best()->activation_backward(dz, da, a, count, act);
}

int fast_pass_alloc_with(FastPass *p, const Network *net, int max_rows, const FastKernels *k)
{
    if (k->pass_alloc(p, net, max_rows) != 0)
        return -1;
    p->kernels = k;
    return 0;
}

int fast_pass_alloc(FastPass *p, const Network *net, int max_rows)
{
    return fast_pass_alloc_with(p, net, max_rows, fast_kernels_best());
}

void fast_pass_free(FastPass *p)
{
    if (p->kernels)
        p->kernels->pass_free(p);
}

void fast_set_inputs(FastPass *p, const double *x, int n) { p->kernels->set_inputs(p, x, n); }

const double *fast_forward(const Network *net, FastPass *p) { return p->kernels->forward(net, p); }

void fast_backward(const Network *net, FastPass *p, const double *dout, int is_dz, double *grad)
{
    p->kernels->backward(net, p, dout, is_dz, grad);
}

void fastmath_exp(double *out, const double *in, int count)
{
    fast_kernels_best()->exp(out, in, count);
}

void fastmath_sigmoid(double *out, const double *in, int count)
{
    fast_kernels_best()->sigmoid(out, in, count);
}

void fastmath_tanh(double *out, const double *in, int count)
{
    fast_kernels_best()->tanh(out, in, count);
}
