# nnlab report: an experiment drawn again from its saved runs without
# training, the missing runs named; and run --shard I/N, whose shards
# together make the same runs as one run.
. "$(dirname "$0")/lib/harness.sh"

# seeds, a diverging setting (lr 30 with a linear output), an early stop, test points
f=$(input rep.ini <<'INI'
[experiment]
datasets = xor, circle
figures = comparison, learning_curve, prediction, boundary, network
seeds = 3
[train]
activation = tanh
output-activation = none
epochs = 400
stop-accuracy = 1
[train.circle]
points = 60
[vary]
lr = 0.05, 30
INI
)
d=$(fresh_dir)
(cd "$d" && "$NNLAB" run "$f" --quiet >/dev/null 2>err.txt)
rc=$?
if [ $rc -eq 0 ] || [ $rc -eq 3 ]; then
    ok "the experiment runs (exit $rc)"
else
    not_ok "the experiment runs" "exit $rc: $(cat "$d/err.txt")"
fi
cp -r "$d/plots/rep" "$d/first"
rm -f "$d"/plots/rep/*.png "$d"/plots/rep/*.svg "$d/plots/rep/README.md"
(cd "$d" && "$NNLAB" report "$f" --quiet >/dev/null 2>report_err.txt)
rrc=$?
if [ $rrc -eq $rc ] && [ "$(cat "$d/err.txt")" = "$(sed 's/nnlab report:/nnlab run:/' "$d/report_err.txt")" ]; then
    ok "report exits as run did ($rrc), with the same messages"
else
    not_ok "report exits as run did" "run $rc, report $rrc: $(cat "$d/report_err.txt")"
fi
differ=""
n=0
for file in "$d"/first/*; do
    n=$((n + 1))
    cmp -s "$file" "$d/plots/rep/${file##*/}" || differ="$differ ${file##*/}"
done
if [ -z "$differ" ] && [ "$n" -ge 11 ] && [ "$(ls "$d/plots/rep" | wc -l)" = "$n" ]; then
    ok "report draws the same $n files as run, README.md and every PNG and SVG byte for byte"
else
    not_ok "report draws the same files as run" "differ:$differ; $n files; $(ls "$d/plots/rep")"
fi
[ ! -e "$d/plots/rep/INCOMPLETE" ] && ok "a whole report leaves no INCOMPLETE" ||
    not_ok "a whole report leaves no INCOMPLETE" "$(cat "$d/plots/rep/INCOMPLETE")"

# a run folder removed: named as missing, the rest drawn, exit 4
rm -r "$d/runs/rep/circle_lr-0.05_seed-1"
(cd "$d" && "$NNLAB" report "$f" --quiet --format png >/dev/null 2>missing.txt)
rrc=$?
if [ $rrc -eq 4 ] && grep -qx "nnlab report: missing run 8 of 12: runs/rep/circle_lr-0.05_seed-1" "$d/missing.txt" &&
    [ "$(grep -c missing "$d/missing.txt")" = 1 ]; then
    ok "a removed run folder is named as missing, exit 4"
else
    not_ok "a removed run folder is named as missing, exit 4" "exit $rrc: $(cat "$d/missing.txt")"
fi
if grep -q '^\*\*Incomplete\*\*: 1 of the 12 runs are missing' "$d/plots/rep/README.md" &&
    grep -q '^| circle | .*, lr 0.05, .*, seed 1 - missing | 0 | - |' "$d/plots/rep/README.md" &&
    grep -q '^| circle | LR: 0.05 | 2 | ' "$d/plots/rep/README.md" && [ -f "$d/plots/rep/INCOMPLETE" ] &&
    [ -f "$d/plots/rep/circle_comparison.png" ]; then
    ok "the report of the others says which run is missing and counts 2 seeds"
else
    not_ok "the report of the others says which run is missing" "$(grep -E '^\*\*|^\| circle' "$d/plots/rep/README.md")"
fi
[ -f "$d/runs/rep/xor_lr-0.05_seed-0/history.csv" ] && [ -f "$d/runs/rep/circle_lr-30_seed-2/history.csv" ] &&
    ok "report leaves the runs as they are" || not_ok "report leaves the runs as they are" "$(ls "$d/runs/rep")"

# a history that does not fit the experiment: exit 2, one line
d2=$(fresh_dir)
cp -r "$d/runs" "$d2/runs"
sed 's/^epochs = 400$/epochs = 10/' "$f" >"$TESTS_TMP/inputs/rep10.ini"
mv "$d2/runs/rep" "$d2/runs/rep10"
(cd "$d2" && "$NNLAB" report "$TESTS_TMP/inputs/rep10.ini" --quiet >/dev/null 2>err.txt)
rrc=$?
if [ $rrc -eq 2 ] && [ "$(wc -l <"$d2/err.txt")" = 1 ] &&
    grep -q 'nnlab report: runs/rep10/xor_lr-0.05_seed-0/history.csv: more epochs than the run.s 10' "$d2/err.txt"; then
    ok "a history longer than the experiment's epochs is refused"
else
    not_ok "a history longer than the experiment's epochs is refused" "exit $rrc: $(cat "$d2/err.txt")"
fi
# a run's model that does not fit the experiment: the message names it
m=$(input model.ini <<'INI'
[experiment]
datasets = xor
[train]
epochs = 5
hidden = 32
INI
)
d2=$(fresh_dir)
"$NNLAB" run "$m" --quiet --runs "$d2/r" --out "$d2/p" >/dev/null 2>&1
sed -i 's/hidden = 32/hidden = 8/' "$m"
expect_fail "report: a run's model of other hidden layers is named" 2 \
    "^nnlab report: hidden 8,8 does not match the hidden layers 32,32 of $d2/r/xor/model.txt\$" \
    report "$m" --runs "$d2/r"
expect_fail "report without the runs" 2 'nnlab report: --runs: runs/rep: No such file or directory' report "$f"
expect_fail "report of no file" 2 'nnlab report: expected one experiment file' report
expect_fail "report --jobs" 2 'nnlab report: unknown option' report "$f" --jobs 2

# --shard 1/2 and 2/2, then report: the histories byte for byte those of one run
g=$(input shards.ini <<'INI'
[experiment]
datasets = xor
seeds = 3
[train]
epochs = 300
[vary]
lr = 0.1, 1
hidden = 2, 8
INI
)
d=$(fresh_dir)
(cd "$d" && "$NNLAB" run "$g" --quiet --out one/plots --runs one/runs 2>err.txt &&
    "$NNLAB" run "$g" --quiet --runs sharded --shard 1/2 2>>err.txt &&
    [ ! -e plots ] && [ "$(ls -d sharded/xor_*/ | wc -l)" = 6 ] &&
    "$NNLAB" run "$g" --quiet --runs sharded --shard 2/2 2>>err.txt &&
    "$NNLAB" report "$g" --quiet --runs sharded --out sharded_plots 2>>err.txt)
rc=$?
differ=""
for h in "$d"/one/runs/xor_*/history.csv "$d"/one/runs/xor_*/model.txt; do
    cmp -s "$h" "$d/sharded/${h#"$d"/one/runs/}" || differ="$differ ${h#"$d"/one/runs/}"
done
if [ $rc -eq 0 ] && [ -z "$differ" ] && [ "$(ls -d "$d"/sharded/xor_*/ | wc -l)" = 12 ] &&
    cmp -s "$d/one/plots/README.md" "$d/sharded_plots/README.md" &&
    cmp -s "$d/one/plots/xor_sweep.png" "$d/sharded_plots/xor_sweep.png"; then
    ok "--shard 1/2 then 2/2 (6 runs each), then report: histories, models, README and heatmap as one run's"
else
    not_ok "--shard 1/2 then 2/2, then report: as one run" "exit $rc; differ:$differ; $(cat "$d/err.txt")"
fi
# Slurm's variables, counted from SLURM_ARRAY_TASK_MIN
d=$(fresh_dir)
(cd "$d" && SLURM_ARRAY_TASK_ID=5 SLURM_ARRAY_TASK_MIN=4 SLURM_ARRAY_TASK_COUNT=3 \
    "$NNLAB" run "$g" --quiet --runs s --shard slurm 2>err.txt)
got=$(cd "$d/s" 2>/dev/null && ls -d xor_*/ | tr -d / | tr '\n' ' ')
# shard 2 of 3: runs 1, 4, 7, 10 (from 0): lr 0.1 hidden 2 seed 1, hidden 8 seed 1, lr 1 ...
if [ "$got" = "xor_lr-0.1_hidden-2_seed-1 xor_lr-0.1_hidden-8_seed-1 xor_lr-1_hidden-2_seed-1 xor_lr-1_hidden-8_seed-1 " ]; then
    ok "--shard slurm: task 5 of an array from 4 of 3 tasks is shard 2/3"
else
    not_ok "--shard slurm: task 5 of an array from 4 of 3 tasks is shard 2/3" "$got $(cat "$d/err.txt")"
fi
# a shard interrupted: report marks the README and the folder incomplete, as
# the interrupted run would have, names the interrupted runs, and exits 4
svg_text() { perl -pe 's/&#x([0-9a-fA-F]+);/chr(hex($1))/ge' "$1"; }
h=$(input long.ini <<'INI'
[experiment]
datasets = xor
[train]
epochs = 5000000
[vary]
lr = 0.1, 0.2
INI
)
d=$(fresh_dir)
(cd "$d" && { "$NNLAB" run "$h" --runs r --shard 1/1 --jobs 2 >out.txt 2>err.txt &
    pid=$!; sleep 1; kill -s INT $pid; wait $pid; echo $? >rc.txt; })
(cd "$d" && "$NNLAB" report "$h" --quiet --runs r --out p --format svg 2>report_err.txt)
rrc=$?
if [ "$(cat "$d/rc.txt")" = 130 ] && [ $rrc -eq 4 ] && [ -s "$d/p/INCOMPLETE" ] &&
    grep -q '^\*\*Incomplete\*\*: 2 of the 2 runs were interrupted before their last epoch' "$d/p/README.md" &&
    grep -q '^| xor | .*lr 0.2, .* - interrupted |' "$d/p/README.md" &&
    grep -q '^nnlab report: interrupted run 1 of 2: r/xor_lr-0.1 ([0-9]* of 5000000 epochs)$' "$d/report_err.txt" &&
    svg_text "$d/p/xor_comparison.svg" | grep -q ' - interrupted'; then
    ok "report of an interrupted shard: README and INCOMPLETE say so, exit 4"
else
    not_ok "report of an interrupted shard" "run $(cat "$d/rc.txt"), report $rrc: $(cat "$d/report_err.txt"); $(head -3 "$d/p/README.md")"
fi
rows=$(($(wc -l <"$d/r/xor_lr-0.1/history.csv") - 1))
if grep -q "^xor, .*lr 0.1, .*, seed 0 - interrupted at epoch $rows  *loss " "$d/out.txt"; then
    ok "run's line of an interrupted run says so and at which epoch"
else
    not_ok "run's line of an interrupted run says so and at which epoch" "$rows epochs: $(cat "$d/out.txt")"
fi
# runs missing, none interrupted: the comparison's title says missing
d=$(fresh_dir)
sed 's/5000000/20/' "$h" >"$d/short.ini"
(cd "$d" && "$NNLAB" run short.ini --quiet --runs r --shard 1/2 2>err.txt &&
    "$NNLAB" report short.ini --quiet --runs r --out p --format svg 2>>err.txt)
rrc=$?
if [ $rrc -eq 4 ] && svg_text "$d/p/xor_comparison.svg" | grep -q ' - 1 of 2 runs missing' &&
    ! svg_text "$d/p/xor_comparison.svg" | grep -q 'interrupted'; then
    ok "report with runs missing: the comparison says 1 of 2 runs missing, not interrupted"
else
    not_ok "report with runs missing: the comparison says missing" "exit $rrc: $(cat "$d/err.txt")"
fi

expect_fail "--shard 3/2" 2 'nnlab run: --shard: "3/2" is not I/N with 1 <= I <= N <= 1000 \(such as 1/4\), or slurm' \
    run "$g" --shard 3/2
expect_fail "--shard 0/2" 2 'nnlab run: --shard: "0/2" is not I/N' run "$g" --shard 0/2
unset SLURM_ARRAY_TASK_ID SLURM_ARRAY_TASK_COUNT SLURM_ARRAY_TASK_MIN SLURM_ARRAY_TASK_STEP
expect_fail "--shard slurm outside an array" 2 'nnlab run: --shard slurm: SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT' \
    run "$g" --shard slurm
expect_fail "compare --shard" 2 'nnlab compare: unknown option' compare --vary lr=0.1,1 --shard 1/2
expect_fail "run --s ambiguous" 2 '^nnlab run: option --s is ambiguous: --seeds or --shard \(see nnlab run --help\)$' \
    run "$g" --s 1
expect_fail "compare --se ambiguous" 2 '^nnlab compare: option --se is ambiguous: --seed or --seeds ' \
    compare --se 2 --vary lr=0.1,1

finish
