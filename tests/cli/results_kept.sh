# Results are never lost or mixed: the results are written before the figures,
# --save-model whatever becomes of --out, a folder written again is wholly the
# new run's (or says it is not), every run of an experiment is checked before
# any trains, and a model nnlab would refuse to load is never written.
. "$(dirname "$0")/lib/harness.sh"

# A figure that cannot be written costs neither the results nor --save-model
dir=$(fresh_dir)
mkdir -p "$dir/o/learning_curve.png"
"$NNLAB" train --epochs 10 --quiet --out "$dir/o" --save-model "$dir/m.txt" >/dev/null 2>"$dir/err.txt"
rc=$?
[ $rc -eq 1 ] && [ -s "$dir/o/model.txt" ] && [ -s "$dir/o/predictions.csv" ] &&
    [ -s "$dir/o/history.csv" ] && [ -s "$dir/m.txt" ] && [ -s "$dir/o/INCOMPLETE" ] &&
    [ "$(wc -l <"$dir/err.txt")" -eq 1 ] &&
    grep -q "^nnlab train: cannot write $dir/o/learning_curve.png: Is a directory$" "$dir/err.txt" &&
    ok "a figure that fails costs neither the model nor the predictions" ||
    not_ok "a figure that fails costs neither the model nor the predictions" "exit $rc: $(cat "$dir/err.txt"); $(ls "$dir/o")"
dir=$(fresh_dir)
mkdir -p "$dir/o/model.txt"
"$NNLAB" train --epochs 10 --quiet --out "$dir/o" --save-model "$dir/m.txt" >/dev/null 2>"$dir/err.txt"
rc=$?
[ $rc -eq 1 ] && [ -s "$dir/m.txt" ] && [ -s "$dir/o/history.csv" ] &&
    grep -q "cannot write $dir/o/model.txt: Is a directory" "$dir/err.txt" &&
    ok "--save-model is written even when --out cannot be" ||
    not_ok "--save-model is written even when --out cannot be" "exit $rc: $(cat "$dir/err.txt"); $(ls "$dir")"

# A folder written again is wholly the new run's
dir=$(fresh_dir)
"$NNLAB" train --epochs 10 --quiet --out "$dir/o" >/dev/null 2>&1
"$NNLAB" train --epochs 10 --quiet --out "$dir/o" --format svg >/dev/null 2>&1
[ "$(ls "$dir/o" | tr '\n' ' ')" = "boundary.svg history.csv learning_curve.svg model.txt network.svg prediction.svg predictions.csv " ] &&
    ok "train again with --format svg: no PNG of the earlier run is left" ||
    not_ok "train again with --format svg" "$(ls "$dir/o" | tr '\n' ' ')"
"$NNLAB" train --activation none --lr 100 --epochs 100 --quiet --out "$dir/o" --format svg >/dev/null 2>&1
[ "$(ls "$dir/o" | tr '\n' ' ')" = "history.csv learning_curve.svg " ] &&
    ok "a diverged run again: no model or predictions of the earlier run beside its history" ||
    not_ok "a diverged run again" "$(ls "$dir/o" | tr '\n' ' ')"

exp=$(input again.ini <<'INI'
[experiment]
datasets = linear, xor
[train]
epochs = 20
[vary]
lr = 0.1, 0.01, 0.001
INI
)
dir=$(fresh_dir)
"$NNLAB" run "$exp" --out "$dir/p" --runs "$dir/r" --quiet >/dev/null 2>&1
mkdir "$dir/r/notes" && echo mine >"$dir/r/notes/model.txt" && echo mine >"$dir/p/keep.txt"
sed -i 's/linear, xor/xor/; s/, 0.001//' "$exp"
"$NNLAB" run "$exp" --out "$dir/p" --runs "$dir/r" --quiet --format svg >/dev/null 2>&1
rc=$?
[ $rc -eq 0 ] && [ "$(ls "$dir/p" | tr '\n' ' ')" = "README.md keep.txt xor_comparison.svg " ] &&
    [ "$(ls "$dir/r" | tr '\n' ' ')" = "notes xor_lr-0.01 xor_lr-0.1 " ] &&
    ok "run again with fewer data sets, values and formats: only the new run's outputs (and others' files) are left" ||
    not_ok "run again with fewer data sets, values and formats" "exit $rc: $(ls "$dir/p" "$dir/r" | tr '\n' ' ')"

# a data set dropped: its run folders, held-out points and all, and its
# DATASET_bands.csv go; a run folder with a file of someone else's stays whole
dropped=$(input dropped.ini <<'INI'
[experiment]
datasets = xor, circle
seeds = 2
[train]
epochs = 10
[vary]
lr = 0.1, 0.2
INI
)
dir=$(fresh_dir)
"$NNLAB" run "$dropped" --out "$dir/p" --runs "$dir/r" --quiet --format svg >/dev/null 2>&1
echo mine >"$dir/r/circle_lr-0.2_seed-1/notes.txt" && echo mine >"$dir/r/notes.csv"
sed -i 's/xor, circle/xor/; s/, 0.2//' "$dropped"
"$NNLAB" run "$dropped" --out "$dir/p" --runs "$dir/r" --quiet --format svg >/dev/null 2>&1
rc=$?
[ $rc -eq 0 ] && [ "$(ls "$dir/p" | tr '\n' ' ')" = "README.md xor_comparison.svg " ] &&
    [ "$(ls "$dir/r" | tr '\n' ' ')" = "circle_lr-0.2_seed-1 notes.csv xor_bands.csv xor_lr-0.1_seed-0 xor_lr-0.1_seed-1 " ] &&
    [ "$(ls "$dir/r/circle_lr-0.2_seed-1" | tr '\n' ' ')" = "history.csv model.txt notes.txt predictions.csv test_predictions.csv " ] &&
    ok "run again without a data set that holds out points: its run folders and bands go, others' files stay" ||
    not_ok "run again without a data set that holds out points" "exit $rc: $(ls "$dir/p" "$dir/r" "$dir/r/circle_lr-0.2_seed-1" | tr '\n' ' ')"

# A figure that fails in nnlab run: the results are written, and the report
# and INCOMPLETE say the folders are not whole
dir=$(fresh_dir)
"$NNLAB" run "$exp" --out "$dir/p" --runs "$dir/r" --quiet --format svg >/dev/null 2>&1
rm "$dir/p/xor_comparison.svg" && mkdir "$dir/p/xor_comparison.svg"
"$NNLAB" run "$exp" --out "$dir/p" --runs "$dir/r" --quiet --format svg >/dev/null 2>"$dir/err.txt"
rc=$?
[ $rc -eq 1 ] && [ -s "$dir/p/INCOMPLETE" ] && [ -s "$dir/r/INCOMPLETE" ] &&
    grep -q '^\*\*Incomplete\*\*: nnlab run could not write everything: .*xor_comparison.svg' "$dir/p/README.md" &&
    [ -s "$dir/r/xor_lr-0.1/model.txt" ] &&
    ok "a figure that fails in run: README.md and INCOMPLETE say the folder is not whole" ||
    not_ok "a figure that fails in run" "exit $rc: $(cat "$dir/err.txt"); $(ls "$dir/p")"

# Every run of an experiment is checked before any is trained: nothing is
# left behind on bad input
exp=$(input nodata.ini <<'INI'
[train]
data = nowhere.csv
epochs = 10
INI
)
expect_fail "run: a missing data file is found before training, no folder left" 2 \
    '^nnlab run: .*nodata.ini: nowhere.csv: cannot read: No such file or directory$' run "$exp"
exp=$(input both.ini <<'INI'
[experiment]
datasets = xor
[train]
data = nowhere.csv
INI
)
expect_fail "run: a data set and a data file both given" 2 \
    '^nnlab run: .*both.ini:4: data: a data file and datasets \(line 2\) are both given; one of them is accepted$' run "$exp"
expect_fail "compare: --dataset and --data both given" 2 \
    '^nnlab compare: --dataset and --data are both given: one data set is accepted$' \
    compare --dataset xor --data nowhere.csv --vary lr=0.1,0.2
dir=$(fresh_dir)
"$NNLAB" train --dataset xor --epochs 10 --hidden 4 --quiet --format svg --out "$dir/m" >/dev/null 2>&1
exp=$(input shape.ini <<INI
[experiment]
datasets = xor
[train]
load-model = $dir/m/model.txt
epochs = 3000000
[vary]
hidden = 4, 8
INI
)
expect_fail "run: a loaded model that does not match a run's hidden layers, before any trains" 2 \
    "^nnlab run: .*shape.ini: hidden 8,8 does not match the hidden layers 4,4 of $dir/m/model.txt$" \
    run "$exp" --jobs 1
expect_fail "compare: a loaded model that does not match the activation" 2 \
    "^nnlab compare: --activation tanh does not match activation sigmoid of $dir/m/model.txt$" \
    compare --dataset xor --load-model "$dir/m/model.txt" --vary activation=sigmoid,tanh --epochs 0
# without a stated shape, the runs take the model's and the report says so
exp=$(input predict.ini <<INI
[experiment]
datasets = xor
[train]
load-model = $dir/m/model.txt
epochs = 0
INI
)
"$NNLAB" run "$exp" --out "$dir/p" --runs "$dir/r" --quiet --format svg >/dev/null 2>&1
"$NNLAB" train --dataset xor --load-model "$dir/m/model.txt" --epochs 0 --quiet --out "$dir/t" \
    --format svg >"$dir/t.txt" 2>&1
loss=$(sed -n 's/^Loss \([0-9.]*\), Testing accuracy \([0-9.]*\) .*/\1 \2/p' "$dir/t.txt")
row=$(grep '^| xor |' "$dir/p/README.md")
echo "$row" | grep -q '^| xor | sigmoid, lr 0.1, hidden 4,4, sgd, 0 epochs, seed 0, from .*model.txt | 0 |' &&
    [ -n "$loss" ] && awk -v l="$loss" -v r="$row" 'BEGIN { split(l, a, " "); split(r, b, "|");
        exit !(b[5] - a[1] < 1e-6 && a[1] - b[5] < 1e-6 && b[6] + 0 == a[2] + 0) }' &&
    ok "run: a loaded model predicting only: its shape, real loss and accuracy in the report" ||
    not_ok "run: a loaded model predicting only" "train says $loss; README: $row"
# predicting only, there is no learning curve to draw: none is written, an earlier run's
# is removed, and the closing line does not list it
"$NNLAB" train --dataset xor --epochs 5 --quiet --format png --out "$dir/lc" >/dev/null 2>&1
"$NNLAB" train --dataset xor --load-model "$dir/m/model.txt" --epochs 0 --format png \
    --out "$dir/lc" >"$dir/lc.txt" 2>&1
rc=$?
if [ $rc -eq 0 ] && [ ! -e "$dir/lc/learning_curve.png" ] && [ -s "$dir/lc/prediction.png" ] &&
    grep -q '^Wrote .*/lc/{history.csv,predictions.csv,model.txt,prediction,boundary,network}$' "$dir/lc.txt"; then
    ok "train --epochs 0: no learning curve of no epochs, an earlier one removed"
else
    not_ok "train --epochs 0: no learning curve of no epochs" "exit $rc: $(ls "$dir/lc" | tr '\n' ' ') $(tail -n 1 "$dir/lc.txt")"
fi
"$NNLAB" compare --dataset xor --load-model "$dir/m/model.txt" --vary seed=1,2 --epochs 0 --quiet \
    --format svg --out "$dir/c" >/dev/null 2>&1
grep -q "^| xor | sigmoid, lr 0.1, hidden 4,4, sgd, 0 epochs, seed 1, .* | 0 | $(echo "$loss" | awk '{ printf "%.6g", $1 }') | $(echo "$loss" | cut -d' ' -f2) |" "$dir/c/README.md" &&
    ok "compare: a predict-only run reports its real loss and accuracy" ||
    not_ok "compare: a predict-only run reports its real loss" "train says $loss; $(grep '^| xor' "$dir/c/README.md")"

# The loss became infinite in the last epoch's update, or the weights grew
# past what a model file may hold: exit 3, and no model is written
dir=$(fresh_dir)
"$NNLAB" train --activation none --lr 100 --epochs 3 --quiet --format svg --out "$dir/a" \
    --save-model "$dir/a.txt" >/dev/null 2>"$dir/err.txt"
rc=$?
[ $rc -eq 3 ] && [ ! -e "$dir/a/model.txt" ] && [ ! -e "$dir/a.txt" ] && [ -s "$dir/a/history.csv" ] &&
    grep -q "^nnlab train: the loss became infinite after the update of epoch 3, the last; try a smaller --lr" "$dir/err.txt" &&
    ok "a loss that becomes infinite in the last epoch's update exits 3" ||
    not_ok "a loss that becomes infinite in the last epoch's update exits 3" "exit $rc: $(cat "$dir/err.txt") $(ls "$dir/a")"
# (the first update does it: the run stops there, its history one epoch long)
"$NNLAB" train --lr 1e300 --epochs 2 --quiet --format svg --out "$dir/b" >/dev/null 2>"$dir/err.txt"
rc=$?
[ $rc -eq 3 ] && [ ! -e "$dir/b/model.txt" ] && [ "$(wc -l <"$dir/b/history.csv")" -eq 2 ] &&
    grep -q "weights grew beyond +-1e+100 or stopped being numbers in the update of epoch 1;" "$dir/err.txt" &&
    ok "weights beyond what a model file may hold: exit 3, no model written" ||
    not_ok "weights beyond what a model file may hold" "exit $rc: $(cat "$dir/err.txt") $(ls "$dir/b")"
exp=$(input lastepoch.ini <<'INI'
[experiment]
datasets = linear
[train]
activation = none
lr = 100
epochs = 3
INI
)
"$NNLAB" run "$exp" --out "$dir/p" --runs "$dir/r" --quiet --format svg >/dev/null 2>"$dir/err.txt"
rc=$?
[ $rc -eq 3 ] && [ ! -e "$dir/r/linear/model.txt" ] && grep -q "diverged: the loss became infinite after" "$dir/err.txt" &&
    ok "run: the same exits 3" || not_ok "run: a loss infinite after the last update" "exit $rc: $(cat "$dir/err.txt")"

finish
