#!/usr/bin/python3
"""torch_mlp.py - the nnlab network written with PyTorch, for `make bench`.

The same computation as nnlab's full-batch trainer, written the way a
PyTorch user would: torch.nn.Linear layers in a Sequential, each followed by
the sigmoid (or tanh, relu, none), torch.nn.MSELoss, autograd for the
backward pass and torch.optim.SGD for the update; float64, eager mode, one
thread (torch.set_num_threads(1)); parameters uniform in [-0.5, 0.5), the
points sample-major (n, 2). It prints the median microseconds per epoch over
--repeat timings of --epochs epochs; with --info, torch's version and the
BLAS it runs on instead. With --whole DATA.csv OUT.csv it is the whole process
a user would write: read DATA.csv with np.loadtxt (torch reads no CSV), train
--epochs epochs, write each point's output with np.savetxt ("%.17g"), and
print the seconds of reading, training and writing.

    torch_mlp.py --data linear --points 100 --hidden 16 16 --epochs 2000 --repeat 5
    torch_mlp.py --whole big.csv out.csv --hidden 16 16 --epochs 10
"""
import argparse
import statistics
import time

import numpy as np
import torch

from numpy_mlp import blas_in_use, make_data

ACTIVATIONS = {
    "sigmoid": torch.nn.Sigmoid,
    "tanh": torch.nn.Tanh,
    "relu": torch.nn.ReLU,
    "none": torch.nn.Identity,
}


def make_model(hidden, activation):
    sizes = [2] + hidden + [1]
    layers = []
    for i, o in zip(sizes, sizes[1:]):
        linear = torch.nn.Linear(i, o)
        torch.nn.init.uniform_(linear.weight, -0.5, 0.5)
        torch.nn.init.uniform_(linear.bias, -0.5, 0.5)
        layers += [linear, ACTIVATIONS[activation]()]
    return torch.nn.Sequential(*layers)


def train_epoch(model, loss_fn, opt, x, y):
    """One full-batch epoch; returns its loss (before the update)."""
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
    return loss


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", choices=("linear", "xor"), default="linear")
    ap.add_argument("--points", type=int, default=100, help="of the linear set")
    ap.add_argument("--hidden", type=int, nargs="+", default=[16, 16])
    ap.add_argument("--activation", choices=sorted(ACTIVATIONS), default="sigmoid")
    ap.add_argument("--epochs", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--whole", nargs=2, metavar=("DATA_CSV", "OUT_CSV"))
    ap.add_argument("--info", action="store_true", help="print torch's version and BLAS")
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float64)
    torch.manual_seed(args.seed)
    if args.info:
        torch.ones((2, 2)) @ torch.ones((2, 2))  # loads the BLAS
        print(f"PyTorch {torch.__version__} eager, autograd, BLAS {blas_in_use()}")
        return

    t0 = time.perf_counter()
    if args.whole:
        data = np.loadtxt(args.whole[0], delimiter=",", skiprows=1)
        x, y = torch.from_numpy(data[:, :2].copy()), torch.from_numpy(data[:, 2:3].copy())
    else:
        xf, yf = make_data(args.data, np.random.default_rng(args.seed), args.points)
        x, y = torch.from_numpy(xf.T.copy()), torch.from_numpy(yf.T.copy())
    model = make_model(args.hidden, args.activation)
    loss_fn = torch.nn.MSELoss()
    opt = torch.optim.SGD(model.parameters(), lr=args.lr)

    if args.whole:
        t1 = time.perf_counter()
        for _ in range(args.epochs):
            train_epoch(model, loss_fn, opt, x, y)
        t2 = time.perf_counter()
        with torch.no_grad():
            out = model(x).numpy()[:, 0]
        table = np.column_stack((data[:, 0], data[:, 1], data[:, 2], out, out > 0.5))
        np.savetxt(args.whole[1], table, fmt=("%.17g", "%.17g", "%d", "%.17g", "%d"),
                   delimiter=",", header="x1,x2,label,output,predicted", comments="")
        print(f"{t1 - t0:.3f} {t2 - t1:.3f} {time.perf_counter() - t2:.3f}")
        return

    for _ in range(max(args.epochs // 10, 1)):  # warm up
        train_epoch(model, loss_fn, opt, x, y)
    per_epoch = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        for _ in range(args.epochs):
            train_epoch(model, loss_fn, opt, x, y)
        per_epoch.append((time.perf_counter() - t) / args.epochs * 1e6)
    print(f"{statistics.median(per_epoch):.3f}")


if __name__ == "__main__":
    main()
