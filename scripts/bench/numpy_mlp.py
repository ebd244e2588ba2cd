#!/usr/bin/python3
"""numpy_mlp.py - the nnlab network written with numpy, for `make bench`.

The same computation as nnlab's trainer: a 2 -> hidden -> 1 network, every
layer dense then the same activation, mean squared error, gradient descent
(plain or Adam) with full batches or with mini-batches of a shuffled order
and the whole set's loss after each epoch, parameters uniform in
[-0.5, 0.5), activations held feature-major as (width, n) arrays. Written the way one
would write it with numpy: one matrix product per layer and pass, whole
arrays at a time. It prints the median microseconds per epoch over
--repeat timings of --epochs epochs each; with --info, numpy's version and
the BLAS it runs on instead. With --whole DATA.csv OUT.csv it is the whole
process a user would write instead: read DATA.csv (x1,x2,label with a
header) with np.loadtxt, train --epochs full-batch epochs, write each
point's output with np.savetxt ("%.17g", as nnlab's predictions.csv), and
print the seconds of reading, training and writing.

    numpy_mlp.py --data linear --points 100 --hidden 16 16 --activation sigmoid \
                 --epochs 2000 --repeat 5
    numpy_mlp.py --whole big.csv out.csv --hidden 16 16 --epochs 10
"""
import argparse
import statistics
import time

import numpy as np


def make_data(kind, rng, points=100):
    """(x (2, n), y (1, n)): nnlab's built-in data sets, linear of any size."""
    if kind == "linear":
        x = rng.random((points, 2))
        y = np.where(x[:, 0] > x[:, 1], 0.0, 1.0)
    else:
        pts, labels = [], []
        for i in range(11):
            pts.append((0.1 * i, 0.1 * i))
            labels.append(0.0)
            if i != 5:
                pts.append((0.1 * i, 1.0 - 0.1 * i))
                labels.append(1.0)
        x, y = np.array(pts), np.array(labels)
    return np.ascontiguousarray(x.T), y.reshape(1, -1)


# f(z), and f'(z) written in terms of a = f(z)
ACTIVATIONS = {
    "sigmoid": (lambda z: 1.0 / (1.0 + np.exp(-z)), lambda a: a * (1.0 - a)),
    "tanh": (np.tanh, lambda a: 1.0 - a * a),
    "relu": (lambda z: np.maximum(z, 0.0), lambda a: (a > 0.0).astype(a.dtype)),
    "none": (lambda z: z, lambda a: np.ones_like(a)),
}


def forward(W, b, x, f):
    acts = [x]
    for Wl, bl in zip(W, b):
        acts.append(f(Wl @ acts[-1] + bl))
    return acts


def step(W, b, acts, y, df, update):
    """Backward from the forward pass acts, then one update of every parameter."""
    out = acts[-1]
    n = y.shape[1]
    d = 2.0 * (out - y) / n * df(out)  # dLoss/dz of the top layer
    grads = [None] * (2 * len(W))
    for l in range(len(W) - 1, -1, -1):
        grads[2 * l] = d @ acts[l].T
        grads[2 * l + 1] = d.sum(axis=1, keepdims=True)
        if l > 0:
            d = (W[l].T @ d) * df(acts[l])
    update(grads)


def sgd(lr, params):
    def update(grads):
        for p, g in zip(params, grads):
            p -= lr * g
    return update


def adam(lr, params, beta1=0.9, beta2=0.999, eps=1e-8):
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = [0]

    def update(grads):
        t[0] += 1
        c1, c2 = 1 - beta1 ** t[0], 1 - beta2 ** t[0]
        for p, g, mk, vk in zip(params, grads, m, v):
            mk *= beta1
            mk += (1 - beta1) * g
            vk *= beta2
            vk += (1 - beta2) * g * g
            p -= lr * (mk / c1) / (np.sqrt(vk / c2) + eps)
    return update


def train_epoch(W, b, x, y, f, df, update, batch, rng):
    """One epoch in place on the weights W[l] (out, in) and biases b[l]
    (out, 1); returns its loss: the full batch's before its update, or the
    whole set's after the mini-batches'."""
    n = y.shape[1]
    if batch <= 0 or batch >= n:
        acts = forward(W, b, x, f)
        loss = float(np.mean((y - acts[-1]) ** 2))
        step(W, b, acts, y, df, update)
        return loss
    order = rng.permutation(n)
    for start in range(0, n, batch):
        idx = order[start:start + batch]
        xb, yb = x[:, idx], y[:, idx]
        step(W, b, forward(W, b, xb, f), yb, df, update)
    return float(np.mean((y - forward(W, b, x, f)[-1]) ** 2))


def blas_in_use():
    """The BLAS shared library numpy has loaded (Linux)."""
    try:
        with open("/proc/self/maps") as maps:
            libs = {line.split()[-1] for line in maps if "blas" in line.lower()}
        return ", ".join(sorted(p.rsplit("/", 1)[-1] for p in libs)) or "unknown"
    except OSError:
        return "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", choices=("linear", "xor"), default="linear")
    ap.add_argument("--points", type=int, default=100, help="of the linear set")
    ap.add_argument("--whole", nargs=2, metavar=("DATA_CSV", "OUT_CSV"))
    ap.add_argument("--hidden", type=int, nargs="+", default=[16, 16])
    ap.add_argument("--activation", choices=sorted(ACTIVATIONS), default="sigmoid")
    ap.add_argument("--epochs", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batch", type=int, default=0, help="points per update, 0: all")
    ap.add_argument("--optimizer", choices=("sgd", "adam"), default="sgd")
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--info", action="store_true", help="print numpy's version and BLAS")
    args = ap.parse_args()
    if args.info:
        np.ones((2, 2)) @ np.ones((2, 2))  # loads the BLAS
        print(f"numpy {np.__version__}, BLAS {blas_in_use()}")
        return

    rng = np.random.default_rng(args.seed)
    if args.whole:
        t0 = time.perf_counter()
        data = np.loadtxt(args.whole[0], delimiter=",", skiprows=1)
        x, y = np.ascontiguousarray(data[:, :2].T), data[:, 2].reshape(1, -1)
    else:
        x, y = make_data(args.data, rng, args.points)
    sizes = [2] + args.hidden + [1]
    W = [rng.random((o, i)) - 0.5 for i, o in zip(sizes, sizes[1:])]
    b = [rng.random((o, 1)) - 0.5 for o in sizes[1:]]
    f, df = ACTIVATIONS[args.activation]
    params = [p for pair in zip(W, b) for p in pair]
    update = (adam if args.optimizer == "adam" else sgd)(args.lr, params)

    if args.whole:
        t1 = time.perf_counter()
        for _ in range(args.epochs):
            train_epoch(W, b, x, y, f, df, update, args.batch, rng)
        t2 = time.perf_counter()
        out = forward(W, b, x, f)[-1]
        table = np.column_stack((x[0], x[1], y[0], out[0], out[0] > 0.5))
        np.savetxt(args.whole[1], table, fmt=("%.17g", "%.17g", "%d", "%.17g", "%d"),
                   delimiter=",", header="x1,x2,label,output,predicted", comments="")
        print(f"{t1 - t0:.3f} {t2 - t1:.3f} {time.perf_counter() - t2:.3f}")
        return
    for _ in range(max(args.epochs // 10, 1)):  # warm up
        train_epoch(W, b, x, y, f, df, update, args.batch, rng)
    per_epoch = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        for _ in range(args.epochs):
            train_epoch(W, b, x, y, f, df, update, args.batch, rng)
        per_epoch.append((time.perf_counter() - t0) / args.epochs * 1e6)
    print(f"{statistics.median(per_epoch):.3f}")


if __name__ == "__main__":
    main()
