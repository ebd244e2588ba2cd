#!/bin/sh
# Runs one small experiment under valgrind memcheck and fails on any memory
# error or leak (tests/valgrind.supp names the few leaks of system libraries).
#   scripts/valgrind-run.sh NNLAB
# NNLAB should be a build without sanitizers (make valgrind builds one at -O1);
# VALGRIND_FLAGS adds options to valgrind (e.g. -s to list the suppressions used).
# The experiment covers both data sets, PNG and SVG, two threads, and the
# readers of the experiment file and a saved model; a train run on a CSV data
# set, the CSV reader. (A data file is an experiment's one data set: it cannot
# stand in for linear beside xor.)
set -eu
nnlab=$1
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

{
    echo "x1,x2,label"
    for i in 0 1 2 3 4 5 6 7 8 9; do echo "0.$i,0.1,0"; echo "0.$i,0.9,1"; done
} >"$dir/points.csv"
"$nnlab" train --dataset xor --hidden 4 --epochs 1 --quiet --format svg --out "$dir/m" >/dev/null
cat >"$dir/valgrind.ini" <<INI
; A few epochs of both data sets, for valgrind.
[experiment]
title = Valgrind
datasets = linear, xor
figures = learning_curve, prediction, comparison
[train]
epochs = 30
hidden = 4
[train.xor]
load-model = $dir/m/model.txt
[vary]
lr = 0.1, 0.5
INI

echo "valgrind: nnlab run of a small experiment (both data sets, png and svg, 2 threads)"
memcheck() {
    valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect,possible \
        --errors-for-leak-kinds=definite,indirect,possible --track-origins=yes --num-callers=40 \
        --error-exitcode=99 ${VALGRIND_FLAGS:-} --suppressions="$top/tests/valgrind.supp" "$@"
}
rc=0
memcheck "$nnlab" run "$dir/valgrind.ini" --out "$dir/plots" --runs "$dir/runs" --format png,svg \
    --jobs 2 --quiet || rc=$?
[ "$rc" -ne 0 ] || memcheck "$nnlab" train --data "$dir/points.csv" --hidden 4 --epochs 30 \
    --format svg --quiet --out "$dir/plots/csv" >/dev/null || rc=$?
figures=$(find "$dir/plots" -name '*.png' -o -name '*.svg' | wc -l)
if [ "$rc" -eq 99 ]; then
    echo "valgrind: memory errors or leaks (above)"
    exit 1
elif [ "$rc" -ne 0 ] || [ "$figures" -ne 16 ]; then
    echo "valgrind: nnlab run failed (exit $rc, $figures of 16 figures)"
    exit 1
fi
echo "valgrind: no errors, no leaks"
