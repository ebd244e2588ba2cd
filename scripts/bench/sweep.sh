#!/bin/bash
# Times a sweep of 200 runs (scripts/bench/sweep.ini) on this machine:
#   nnlab run --jobs 1 and --jobs 2 (threads), and
#   mpirun -np 1, 2 and 4 nnlab run --mpi (oversubscribed past the cores),
# each the whole command (start, training, writing the 200 runs' files, the
# figure), REPEATS times (default 3) in turn, and reports the medians: the
# seconds, runs per second and the ratio to --jobs 2, and the processor
# seconds (user + system of every process, mpirun's ranks too), which depend
# less on what else the machine runs. Then what MPI costs a run: as rank 0
# measures it (from handing a run out to having its result, less the run's
# training), and from the totals (-np 2, one worker training the runs one
# after another, less -np 1, rank 0 training them itself, over 200).
#   scripts/bench/sweep.sh NNLAB     (make bench-sweep, in a build with MPI=1)
set -euo pipefail
nnlab=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
repeats=${REPEATS:-3}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ "$(id -u)" -eq 0 ]; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fi
command -v mpirun >/dev/null || { echo "bench-sweep: no mpirun (scripts/install-deps.sh --mpi)" >&2; exit 1; }

cp "$here/sweep.ini" "$work/sweep.ini"
sed 's/^epochs = .*/epochs = 1/' "$here/sweep.ini" >"$work/sweep1.ini"
runs=200

# NAME COMMAND...: runs the command in a fresh output folder, appends its
# wall seconds to $work/NAME.times and its processor seconds to NAME.cpu.
TIMEFORMAT='%R %U %S'
timed() {
    local name=$1 rc=0
    shift
    rm -rf "$work/out"
    { time "$@" --out "$work/out/plots" --runs "$work/out/runs" >"$work/log" 2>&1 || rc=$?; } \
        2>"$work/time"
    if [ "$rc" -ne 0 ]; then
        echo "bench-sweep: $name failed:" >&2
        cat "$work/log" >&2
        exit 1
    fi
    awk '{ print $1 }' "$work/time" >>"$work/$name.times"
    awk '{ print $2 + $3 }' "$work/time" >>"$work/$name.cpu"
    # rank 0's averages: "... ms of training a run, and ... ms more ..."
    sed -n 's/.*: \([0-9.]*\) ms of training a run, and \([0-9.]*\) ms more.*/\1/p' "$work/log" \
        >>"$work/$name.train"
    sed -n 's/.*: \([0-9.]*\) ms of training a run, and \([0-9.]*\) ms more.*/\2/p' "$work/log" \
        >>"$work/$name.beyond"
}

configs="one-epoch jobs1 jobs2 np1 np2 np4"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench-sweep: $runs runs ($(sed -n 's/^description = //p' "$here/sweep.ini"))," \
    "each configuration $repeats times in turn"
for r in $(seq 1 "$repeats"); do
    for c in $configs; do
        case $c in
        one-epoch) timed $c "$nnlab" run "$work/sweep1.ini" --jobs 1 ;;
        jobs1) timed $c "$nnlab" run "$work/sweep.ini" --jobs 1 ;;
        jobs2) timed $c "$nnlab" run "$work/sweep.ini" --jobs 2 ;;
        np*) timed $c mpirun --oversubscribe -np "${c#np}" "$nnlab" run "$work/sweep.ini" --mpi ;;
        esac
    done
    echo "  round $r of $repeats done"
done

# the median of NAME.KIND
median() { sort -n "$work/$1.$2" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
jobs2=$(median jobs2 times)
echo
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load average" \
    "before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-32s %8s %7s %11s %9s   %s\n' configuration seconds runs/s "vs --jobs 2" "cpu s" \
    "all wall timings"
for c in jobs1 jobs2 np1 np2 np4; do
    case $c in
    jobs*) label="nnlab run --jobs ${c#jobs}" ;;
    np*) label="mpirun -np ${c#np} nnlab run --mpi" ;;
    esac
    t=$(median $c times)
    printf '%-32s %8.2f %7.1f %11.2f %9.2f   %s\n' "$label" "$t" \
        "$(echo "$runs $t" | awk '{ print $1 / $2 }')" \
        "$(echo "$jobs2 $t" | awk '{ print $1 / $2 }')" "$(median $c cpu)" \
        "$(tr '\n' ' ' <"$work/$c.times")"
done
echo
for c in np2 np4; do
    echo "-np ${c#np}, as rank 0 measured it: $(median $c train) ms of training a run, and" \
        "$(median $c beyond) ms more from handing it out to having its result (medians of" \
        "the averages $(tr '\n' ' ' <"$work/$c.beyond"| sed 's/ $//'))"
done
for kind in times cpu; do
    awk -v n="$runs" -v kind="$kind" -v j1="$(median jobs1 $kind)" -v e1="$(median one-epoch $kind)" \
        -v p1="$(median np1 $kind)" -v p2="$(median np2 $kind)" 'BEGIN {
        what = kind == "cpu" ? "processor" : "wall"
        train = (j1 - e1) / n * 1000; mpi = (p2 - p1) / n * 1000
        printf "from the totals, %s time: training %.1f ms a run (--jobs 1 %.2f s less the 1-epoch sweep %.2f s, over %d);", what, train, j1, e1, n
        printf " MPI %.2f ms a run (-np 2 %.2f s less -np 1 %.2f s), %.1f%% of the training\n", mpi, p2, p1, 100 * mpi / train
    }'
done
