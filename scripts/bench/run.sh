#!/bin/sh
# `make bench`: runs BUILD/nnlab-bench with its peers.
#   scripts/bench/run.sh BUILD_DIR [--quick] [--peers-only]
# The peers, each on one thread like nnlab, float64: numpy (Debian's
# /usr/bin/python3, on the BLAS Debian's alternatives give it: OpenBLAS with
# libopenblas0), PyTorch eager (python3-torch) and FANN (libfann-dev,
# BUILD/nnlab-bench-fann); a peer that is not installed is left out. On some
# processors this environment sets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE
# (older OpenBLAS builds need them); they slow a current numpy, so they are
# unset for the peers' commands only. The whole-process rows run BUILD/nnlab
# on a 1,000,000-point CSV file in BUILD/bench.
set -eu
build=${1:-build}
shift || true
python="env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 /usr/bin/python3"
set -- --nnlab "$build/nnlab" --workdir "$build/bench" "$@"
if /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
    set -- --numpy "$python scripts/bench/numpy_mlp.py" "$@"
else
    echo "bench: /usr/bin/python3 has no numpy (apt-get install python3-numpy); no numpy column"
fi
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
    set -- --torch "$python scripts/bench/torch_mlp.py" "$@"
else
    echo "bench: /usr/bin/python3 has no torch (apt-get install python3-torch); no PyTorch column"
fi
if [ -x "$build/nnlab-bench-fann" ]; then
    set -- --fann "$build/nnlab-bench-fann" "$@"
else
    echo "bench: no $build/nnlab-bench-fann (apt-get install libfann-dev); no FANN column"
fi
exec "$build/nnlab-bench" "$@"
