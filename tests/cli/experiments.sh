# `nnlab run` and `nnlab compare`: bad experiment files and options, and a
# small experiment end to end.
. "$(dirname "$0")/lib/harness.sh"

exp() { input "$1" ; }

expect_fail "missing experiment file" 2 'nnlab run: .*nope.ini: cannot read: No such file or directory' run "$TESTS_TMP/nope.ini"
expect_fail "no experiment file" 2 'nnlab run: expected one experiment file' run
f=$(exp section.ini <<'INI'
[experiment]
title = x

[model]
lr = 0.1
INI
)
expect_fail "unknown section" 2 'section.ini:5: unknown section \[model\] \(experiment, train, train.NAME of a data set, vary or vary.VALUE of a varied value\)' run "$f"
f=$(exp key.ini <<'INI'
[train]
lr = 0.1
learning_rate = 0.1
INI
)
expect_fail "unknown key" 2 'key.ini:3: learning_rate: unknown setting \(dataset, points, noise, test-fraction, data, test-data, activation,' run "$f"
f=$(exp expkey.ini <<'INI'
[experiment]
colour = red
INI
)
expect_fail "unknown [experiment] key" 2 'expkey.ini:2: unknown setting "colour" in \[experiment\]' run "$f"
# settings that only a run's data set refuses name their line too: the one that gives the
# run its value, [train], [train.NAME], [vary] or [vary.VALUE]
f=$(exp fixed.ini <<'INI'
[experiment]
datasets = moons, xor
[train]
epochs = 5
points = 50
INI
)
expect_fail "points for xor, in [train]" 2 'fixed.ini:5: points: xor always has its 21 points$' run "$f"
f=$(exp fixedxor.ini <<'INI'
[experiment]
datasets = moons, xor
[train]
epochs = 5
points = 50
[train.xor]
points = 30
INI
)
expect_fail "points for xor, in [train.xor]" 2 'fixedxor.ini:7: points: xor always has its 21 points$' run "$f"
f=$(exp batch.ini <<'INI'
[experiment]
datasets = xor
[train]
epochs = 5
batch-size = 8
[vary]
lr = 0.1, 0.2
[vary.0.2]
batch-size = 40
INI
)
expect_fail "batch-size of one value, in [vary.VALUE]" 2 "batch.ini:9: batch-size 40 is more than the data set's 21 points" run "$f"
f=$(exp batches.ini <<'INI'
[experiment]
datasets = xor
[train]
epochs = 5
[vary]
batch-size = 4, 50
INI
)
expect_fail "batch-size in [vary]" 2 "batches.ini:6: batch-size 50 is more than the data set's 21 points" run "$f"
f=$(exp type.ini <<'INI'
[train]
epochs = lots
INI
)
expect_fail "wrong type" 2 'type.ini:2: epochs: "lots" is not a whole number from 0 to 10000000' run "$f"
f=$(exp range.ini <<'INI'
[train]
hidden = 4096
INI
)
expect_fail "out of range" 2 'range.ini:2: hidden: "4096" is not a size or a list of 1 to 8 sizes from 1 to 1024' run "$f"
f=$(exp lr.ini <<'INI'
[train.xor]
lr = -1
INI
)
expect_fail "bad value for one data set" 2 'lr.ini:2: lr: "-1" is not a finite number greater than 0' run "$f"
f=$(exp three.ini <<'INI'
[vary]
lr = 0.1, 0.01
hidden = 16, 32
activation = tanh, relu
INI
)
expect_fail "three varied settings" 2 'three.ini:4: \[vary\] already varies lr and hidden: at most two settings may be varied' run "$f"
f=$(exp empty.ini <<'INI'
[vary]
lr =
INI
)
expect_fail "empty value list" 2 'empty.ini:2: lr: a list of 1 to 8 values separated by commas is accepted' run "$f"
f=$(exp badvalue.ini <<'INI'
[vary]
activation = sigmoid, swish
INI
)
expect_fail "bad varied value" 2 'badvalue.ini:2: activation: unknown activation "swish"' run "$f"
f=$(exp datasets.ini <<'INI'
[experiment]
datasets = linear, swirl
INI
)
expect_fail "unknown data set" 2 'datasets.ini:2: datasets: "linear, swirl" is not a list of up to 8 of linear, xor, circle, quadrants, gauss, spiral, moons, spiral3 and blobs3' run "$f"
f=$(exp syntax.ini <<'INI'
[train]
lr 0.1
INI
)
expect_fail "not key = value" 2 'syntax.ini:2: not "\[section\]" or "key = value"' run "$f"
f=$(exp predof.ini <<'INI'
[experiment]
prediction_of = adam
[vary]
optimizer = sgd, momentum
INI
)
expect_fail "prediction_of not a value" 2 'predof.ini:2: prediction_of: "adam" is not one of the values' run "$f"
f=$(exp long.ini <<INI
[experiment]
title = $(head -c 300 /dev/zero | tr '\0' 'a')
INI
)
expect_fail "line too long" 2 'long.ini:2: line longer than 190 characters' run "$f"
f=$(exp ok.ini <<'INI'
[train]
epochs = 10
INI
)
expect_fail "run: unknown --format" 2 'nnlab run: --format: "gif" is not png, svg or png,svg' run "$f" --format gif
expect_fail "run: bad --jobs" 2 'nnlab run: --jobs: "0" is not a whole number from 1 to 64' run "$f" --jobs 0
expect_fail "compare: --vary required" 2 'nnlab compare: --vary SETTING=V1,V2,... is required' compare --epochs 10
expect_fail "compare: --vary without =" 2 'nnlab compare: --vary: "lr" is not SETTING=VALUE,VALUE,...' compare --vary lr
expect_fail "compare: --vary bad value" 2 'nnlab compare: --vary: lr: "fast" is not a finite number greater than 0' compare --vary lr=0.1,fast
expect_fail "compare: --vary unknown setting" 2 'nnlab compare: --vary: colour: unknown setting' compare --vary colour=1,2
expect_fail "compare: --vary empty item" 2 'nnlab compare: --vary: lr: a list of 1 to 8 values' compare --vary lr=0.1,,0.2
expect_fail "compare: --vary three times" 2 'nnlab compare: --vary: at most two settings may be varied' compare --vary lr=0.1 --vary hidden=2,4 --vary seed=1,2
expect_fail "compare: --vary data set" 2 'nnlab compare: --vary: dataset cannot be varied' compare --vary dataset=linear,xor
expect_fail "compare: unknown --format" 2 'nnlab compare: --format: "bmp" is not' compare --vary lr=0.1,0.2 --format bmp
expect_fail "compare: bad train option" 2 'nnlab compare: --activation: unknown activation "step"' compare --vary lr=0.1,0.2 --activation step

# A small experiment end to end, threaded and serial
f=$(exp small.ini <<'INI'
[experiment]
title = Small
description = A small experiment of the test suite.
datasets = linear, xor
figures = comparison, learning_curve, prediction
prediction_of = momentum

[train]
epochs = 300
hidden = 4x3

[train.xor]
epochs = 500

[vary]
optimizer = sgd, momentum
INI
)
dir=$(fresh_dir)
"$NNLAB" run "$f" --out "$dir/p" --runs "$dir/r" --jobs 2 >"$dir/out.txt" 2>&1
rc=$?
"$NNLAB" run "$f" --out "$dir/p1" --runs "$dir/r1" --jobs 1 --quiet >"$dir/out1.txt" 2>&1
missing=""
for ds in linear xor; do
    for fig in comparison learning_curve prediction; do
        for ext in png svg; do
            [ -s "$dir/p/${ds}_$fig.$ext" ] || missing="$missing ${ds}_$fig.$ext"
        done
    done
    for opt in sgd momentum; do
        for file in history.csv predictions.csv model.txt; do
            [ -s "$dir/r/${ds}_optimizer-$opt/$file" ] || missing="$missing ${ds}_optimizer-$opt/$file"
        done
    done
done
[ $rc -eq 0 ] && [ -z "$missing" ] && [ -s "$dir/p/README.md" ] &&
    ok "run writes every figure, the run data and README.md" ||
    not_ok "run writes every figure, the run data and README.md" "exit $rc, missing:$missing $(cat "$dir/out.txt")"
rows=$(grep -c '^| xor | .*optimizer\|^| xor | ' "$dir/p/README.md")
grep -q '^| linear | sigmoid, lr 0.1, hidden 4,3, sgd, 300 epochs, seed 0 | 300 |' "$dir/p/README.md" &&
    grep -q '^| xor | sigmoid, lr 0.1, hidden 4,3, momentum, 500 epochs, seed 0 | 500 |' "$dir/p/README.md" &&
    ok "README.md has a row per run with its settings" ||
    not_ok "README.md has a row per run with its settings" "$(cat "$dir/p/README.md")"
[ "$(wc -l <"$dir/r/xor_optimizer-momentum/history.csv")" -eq 501 ] &&
    ok "[train.xor] settings apply to xor only" || not_ok "[train.xor] settings apply to xor only" "wrong row count"
same=1
for run in linear_optimizer-sgd linear_optimizer-momentum xor_optimizer-sgd xor_optimizer-momentum; do
    for file in history.csv predictions.csv model.txt; do
        cmp -s "$dir/r/$run/$file" "$dir/r1/$run/$file" || same=0
    done
done
[ $same -eq 1 ] && ok "a threaded run equals a serial run byte for byte" ||
    not_ok "a threaded run equals a serial run byte for byte" "files differ"
cmp -s "$dir/p/README.md" "$dir/p1/README.md" && ok "README.md does not depend on threads" ||
    not_ok "README.md does not depend on threads" "differs"
[ ! -s "$dir/out1.txt" ] && ok "run --quiet prints nothing" || not_ok "run --quiet prints nothing" "$(cat "$dir/out1.txt")"

# compare: the same ad hoc
dir=$(fresh_dir)
"$NNLAB" compare --dataset xor --epochs 200 --vary lr=0.1,0.01 --format png --out "$dir/c" --quiet >/dev/null 2>&1
rc=$?
[ $rc -eq 0 ] && [ -s "$dir/c/xor_comparison.png" ] && [ ! -e "$dir/c/xor_comparison.svg" ] &&
    [ -s "$dir/c/xor_lr-0.01/history.csv" ] && grep -qx '## LR compared' "$dir/c/README.md" &&
    ok "compare --vary lr draws a comparison" || not_ok "compare --vary lr draws a comparison" "exit $rc: $(ls "$dir/c")"
# the figures of an experiment: one comparison per data set, legend labels in the SVG
dir=$(fresh_dir)
"$NNLAB" compare --dataset linear --epochs 50 --vary hidden=4x4,8 --format svg --out "$dir/c" --quiet >/dev/null 2>&1
# the svg driver writes every character as an entity (&#x48;): decode them first
perl -pe 's/&#x([0-9a-fA-F]+);/chr(hex($1))/ge' "$dir/c/linear_comparison.svg" >"$dir/text.svg"
grep -q 'Hidden size: 4x4' "$dir/text.svg" && grep -q 'Hidden size: 8' "$dir/text.svg" && ok "compare legend names the setting" ||
    not_ok "compare legend names the setting" "no 'Hidden' in the SVG"

# [vary.VALUE]: settings of one value's runs, named in its legend; figures = updates
f=$(exp pervalue.ini <<'INI'
[experiment]
datasets = linear
figures = comparison, updates

[train]
epochs = 40
hidden = 4

[vary]
batch-size = full, 25

[vary.25]
lr = 0.02
INI
)
dir=$(fresh_dir)
"$NNLAB" run "$f" --out "$dir/p" --runs "$dir/r" --format svg --quiet >"$dir/out.txt" 2>&1
rc=$?
perl -pe 's/&#x([0-9a-fA-F]+);/chr(hex($1))/ge' "$dir/p/linear_updates.svg" >"$dir/text.svg" 2>/dev/null
if [ $rc -eq 0 ] && grep -q '^| linear | sigmoid, lr 0.02, hidden 4,4, sgd, batch 25, 40 epochs' "$dir/p/README.md" &&
    grep -q '^| linear | sigmoid, lr 0.1, hidden 4,4, sgd, 40 epochs' "$dir/p/README.md" &&
    grep -q 'Batch size: 25, lr 0.02' "$dir/text.svg" && grep -q '>Update<' "$dir/text.svg" &&
    [ -s "$dir/p/linear_comparison.svg" ] && grep -q 'linear_updates.svg' "$dir/p/README.md"; then
    ok "[vary.VALUE] sets one value's runs; figures = updates draws by update"
else
    not_ok "[vary.VALUE] and figures = updates" "exit $rc: $(cat "$dir/out.txt") $(grep '^| linear' "$dir/p/README.md")"
fi
# run's line for a run that stopped early or diverged says so, with the epoch it
# ended at (the README table's epochs), not as if it had trained them all
f=$(exp ended.ini <<'INI'
[experiment]
datasets = xor
[train]
epochs = 100000
activation = tanh
stop-accuracy = 1
[vary]
lr = 0.5, 30
[vary.30]
output-activation = none
INI
)
dir=$(fresh_dir)
"$NNLAB" run "$f" --out "$dir/p" --runs "$dir/r" --format svg --jobs 1 >"$dir/out.txt" 2>"$dir/err.txt"
rc=$?
stopped=$(($(wc -l <"$dir/r/xor_lr-0.5/history.csv") - 1))
diverged=$(($(wc -l <"$dir/r/xor_lr-30/history.csv") - 1))
if [ $rc -eq 3 ] && [ "$stopped" -lt 100000 ] && [ "$diverged" -lt 100000 ] &&
    grep -q "^xor, .*lr 0.5, .*, seed 0 - stopped early at epoch $stopped  *loss " "$dir/out.txt" &&
    grep -q "^xor, .*lr 30, .*, seed 0 - diverged at epoch $diverged  *loss " "$dir/out.txt" &&
    grep -q "^| xor | .*lr 0.5, .* - stopped early | $stopped |" "$dir/p/README.md"; then
    ok "run's line of a run stopped early or diverged says so and at which epoch"
else
    not_ok "run's line of a run stopped early or diverged" "exit $rc, $stopped and $diverged epochs: $(cat "$dir/out.txt")"
fi
f=$(exp badvalue.ini <<'INI'
[vary]
lr = 0.1, 0.2
[vary.0.3]
epochs = 5
INI
)
expect_fail "[vary.VALUE] of no value" 2 'badvalue.ini:4: \[vary.0.3\]: "0.3" is not one of the values in \[vary\]' run "$f"
f=$(exp varykey.ini <<'INI'
[vary]
lr = 0.1, 0.2
[vary.0.1]
lr = 0.5
INI
)
expect_fail "[vary.VALUE] setting the varied key" 2 'varykey.ini:4: lr cannot be set in \[vary.0.1\]' run "$f"

finish
