#!/bin/sh
# `make bench`: runs BUILD/nnlab-bench with the numpy comparison.
#   scripts/bench/run.sh BUILD_DIR [--quick]
# numpy is Debian's (/usr/bin/python3), on one thread like nnlab. On some
# processors this environment sets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE
# (older OpenBLAS builds need them); they slow a current numpy, so they are
# unset for the benchmark's python command only.
set -eu
build=${1:-build}
shift || true
numpy="env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 scripts/bench/numpy_mlp.py"
if ! /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
    echo "bench: /usr/bin/python3 has no numpy (apt-get install python3-numpy); timing nnlab alone"
    exec "$build/nnlab-bench" "$@"
fi
exec "$build/nnlab-bench" --numpy "$numpy" "$@"
