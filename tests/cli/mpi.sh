# run --mpi: the runs of an experiment farmed out over the ranks of an MPI
# job. In a build with MPI (make test MPI=1 sets NNLAB_MPI=1): the outputs of
# 1 and 3 ranks are byte for byte those of the threaded run, a worker killed
# mid-run ends the job with a non-zero status within a time limit and leaves
# the folders marked incomplete, and bad input ends every rank. In a build
# without MPI, --mpi is refused.
. "$(dirname "$0")/lib/harness.sh"

small=$(input small.ini <<'INI'
[experiment]
title = Farmed
datasets = xor, circle
figures = comparison, learning_curve, prediction, boundary, network
prediction_of = 0.5
seeds = 3

[train]
hidden = 6
epochs = 300
test-fraction = 0.2

[train.xor]
stop-accuracy = 1

[vary]
lr = 0.1, 0.5
INI
)

expect_fail "--mpi with --jobs is refused" 2 "^nnlab run: --mpi: --jobs is for one machine" \
    run "$small" --mpi --jobs 2

if [ "${NNLAB_MPI:-0}" != 1 ]; then
    expect_fail "--mpi in a build without MPI" 2 \
        "^nnlab run: --mpi: this nnlab was built without MPI \(build it with make MPI=1\)$" \
        run "$small" --mpi
    finish
    exit
fi

if ! command -v mpirun >/dev/null 2>&1; then
    not_ok "mpirun is installed" "no mpirun on PATH (scripts/install-deps.sh --mpi)"
    finish
    exit
fi
# As root (CI), Open MPI asks to be told twice that this is meant.
if [ "$(id -u)" -eq 0 ]; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
# One machine of perhaps fewer cores than ranks.
mpi() { # NP ARGS...
    _np=$1
    shift
    timeout 300 mpirun --oversubscribe -np "$_np" "$@"
}

d=$(fresh_dir)
if ! (cd "$d" && "$NNLAB" run "$small" --jobs 2 --out one/plots --runs one/runs --quiet 2>err.txt); then
    not_ok "the experiment runs without MPI" "$(cat "$d/err.txt")"
fi
for np in 3 1; do
    if ! (cd "$d" && mpi "$np" "$NNLAB" run "$small" --mpi --out np$np/plots --runs np$np/runs \
        >out$np.txt 2>err$np.txt); then
        not_ok "--mpi on $np ranks runs" "$(cat "$d/err$np.txt")"
        continue
    fi
    # the runs were trained by the workers (2 of the 3 ranks), or rank 0 alone
    want="Trained on 2 MPI ranks: "
    [ "$np" = 1 ] && want="Trained on rank 0 alone: "
    if grep -q "^$want" "$d/out$np.txt"; then
        ok "--mpi on $np ranks: $want..."
    else
        not_ok "--mpi on $np ranks: $want..." "$(tail -n 3 "$d/out$np.txt")"
    fi
    # every file: run data, models, predictions, figures, README
    (cd "$d/one" && find . -type f | sort) >"$d/files.txt"
    files=$(cat "$d/files.txt")
    n_files=$(echo "$files" | wc -l)
    if [ "$n_files" -lt 60 ]; then
        not_ok "--mpi on $np ranks: byte-identical outputs" "only $n_files files without MPI"
    elif [ "$(cd "$d/np$np" && find . -type f | sort)" != "$files" ]; then
        not_ok "--mpi on $np ranks: byte-identical outputs" \
            "other files: $(cd "$d/np$np" && find . -type f | sort | diff - "$d/files.txt" | head -n 5)"
    elif ! diff -r "$d/one" "$d/np$np" >"$d/diff$np.txt"; then
        not_ok "--mpi on $np ranks: byte-identical outputs" "$(head -n 5 "$d/diff$np.txt")"
    else
        ok "--mpi on $np ranks: the $n_files files are byte-identical to the threaded run's"
    fi
done

# The longest runs first (epochs x points x parameters): on one rank, the
# order the lines come in is the order of training.
order=$(input order.ini <<'INI'
[experiment]
title = Order
datasets = xor
[train]
hidden = 4
[vary]
epochs = 100, 3000, 1000
INI
)
if (cd "$d" && mpi 1 "$NNLAB" run "$order" --mpi --format svg --out order/plots \
    --runs order/runs >order.txt 2>&1); then
    got=$(sed -n 's/.* \([0-9]*\) epochs.*/\1/p' "$d/order.txt" | tr '\n' ' ')
    if [ "$got" = "3000 1000 100 " ]; then
        ok "the longest runs are handed out first"
    else
        not_ok "the longest runs are handed out first" "order: $got"
    fi
else
    not_ok "the longest runs are handed out first" "$(cat "$d/order.txt")"
fi

# Bad input: every rank stops with the same status, none waits.
bad=$(input bad.ini <<'INI'
[experiment]
title = Bad
datasets = xor
[train]
epochs = -1
INI
)
(cd "$d" && mpi 3 "$NNLAB" run "$bad" --mpi --out bad/plots --runs bad/runs >/dev/null 2>bad.txt)
rc=$?
if [ "$rc" -eq 2 ] && grep -q "^nnlab run: .*bad.ini:5: epochs" "$d/bad.txt" && [ ! -e "$d/bad" ]; then
    ok "bad input under mpirun: exit 2 on every rank, nothing written"
else
    not_ok "bad input under mpirun: exit 2 on every rank, nothing written" \
        "exit $rc; $(head -n 3 "$d/bad.txt")"
fi

# A bad data file: rank 0 prepares the runs and says so, once; every rank
# stops with its status.
csv=$(printf 'x,y,label\n1,2,0.5\n' | input bad.csv)
badcsv=$(input badcsv.ini <<INI
[experiment]
title = Bad data
[train]
data = $csv
epochs = 10
INI
)
(cd "$d" && mpi 3 "$NNLAB" run "$badcsv" --mpi --out badcsv/plots --runs badcsv/runs \
    >/dev/null 2>badcsv.txt)
rc=$?
n=$(grep -c '^nnlab ' "$d/badcsv.txt")
if [ "$rc" -eq 2 ] && [ "$n" -eq 1 ] && grep -q "^nnlab run: .*bad.csv:2: label" "$d/badcsv.txt" &&
    [ ! -e "$d/badcsv" ]; then
    ok "a bad data file under mpirun: one message, exit 2, nothing written"
else
    not_ok "a bad data file under mpirun: one message, exit 2, nothing written" \
        "exit $rc, $n messages: $(grep '^nnlab ' "$d/badcsv.txt")"
fi

# A worker that dies: kill -9 of rank 1 while it trains. mpirun must end the
# job (no rank 0 waiting forever for its result) with a non-zero status, and
# the output folders must say they are incomplete, with no report.
slow=$(input slow.ini <<'INI'
[experiment]
title = Slow
datasets = circle
figures = comparison
seeds = 2

[train]
hidden = 32
epochs = 1000000
INI
)
(cd "$d" && exec timeout 120 mpirun --oversubscribe -np 3 "$NNLAB" run \
    "$slow" --mpi --out slow/plots --runs slow/runs --quiet >slow.txt 2>&1) &
job=$!
# The processes of this nnlab run (mpirun's and the ranks'), from /proc, as
# procps may not be installed; with RANK, only that rank's.
ranks_of() {
    for _p in /proc/[0-9]*; do
        { tr '\0' ' ' <"$_p/cmdline"; } 2>/dev/null | grep -q "nnlab run $slow --mpi" || continue
        if [ -z "${1:-}" ] ||
            { tr '\0' '\n' <"$_p/environ"; } 2>/dev/null | grep -qx "OMPI_COMM_WORLD_RANK=$1"; then
            echo "${_p#/proc/}"
        fi
    done
}
victim=""
for _ in $(seq 1 100); do
    victim=$(ranks_of 1)
    [ -n "$victim" ] && break
    sleep 0.1
done
if [ -z "$victim" ]; then
    not_ok "a killed worker ends the job" "no process of rank 1 found"
    kill "$job" 2>/dev/null
    wait "$job"
else
    sleep 1 # into its run
    start=$(date +%s)
    kill -9 "$victim"
    wait "$job"
    rc=$?
    took=$(($(date +%s) - start))
    if [ "$rc" -eq 0 ] || [ "$rc" -eq 124 ] || [ "$took" -gt 60 ]; then
        not_ok "a killed worker ends the job" "exit $rc after $took s: $(tail -n 5 "$d/slow.txt")"
    elif [ ! -f "$d/slow/plots/INCOMPLETE" ] || [ ! -f "$d/slow/runs/INCOMPLETE" ] ||
        [ -e "$d/slow/plots/README.md" ]; then
        not_ok "a killed worker ends the job" \
            "exit $rc, but the folders are not marked incomplete: $(ls "$d/slow/plots" "$d/slow/runs")"
    elif [ -n "$(ranks_of)" ]; then
        not_ok "a killed worker ends the job" "processes still running: $(ranks_of)"
    else
        ok "a killed worker ends the job: exit $rc after $took s, folders marked INCOMPLETE"
    fi
fi

finish
