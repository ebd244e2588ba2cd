# `nnlab train` runs that work: what they print and the files they write.
. "$(dirname "$0")/lib/harness.sh"

# xor: learned, and the three files (and the figures) written
dir=$(fresh_dir)
"$NNLAB" train --dataset xor --out "$dir/x" >"$dir/out.txt" 2>"$dir/err.txt"
rc=$?
if [ $rc -eq 0 ] && grep -q "^Loss .*, Testing accuracy 1.00 (21 of 21 correct)$" "$dir/out.txt"; then
    ok "xor reaches testing accuracy 1.0"
else
    not_ok "xor reaches testing accuracy 1.0" "exit $rc: $(tail -n 2 "$dir/out.txt") $(cat "$dir/err.txt")"
fi
missing=""
for f in history.csv predictions.csv model.txt learning_curve.png learning_curve.svg \
    prediction.png prediction.svg; do
    [ -s "$dir/x/$f" ] || missing="$missing $f"
done
[ -z "$missing" ] && ok "train writes its files" || not_ok "train writes its files" "missing:$missing"
if [ "$(head -n 1 "$dir/x/history.csv")" = "epoch,loss,accuracy" ] &&
    [ "$(sed -n 2p "$dir/x/history.csv" | cut -d, -f1)" = 1 ] &&
    [ "$(tail -n 1 "$dir/x/history.csv" | cut -d, -f1)" = 100000 ] &&
    [ "$(wc -l <"$dir/x/history.csv")" -eq 100001 ]; then
    ok "history.csv has a header and one row per epoch from 1"
else
    not_ok "history.csv has a header and one row per epoch from 1" "$(head -n 2 "$dir/x/history.csv")"
fi
if [ "$(head -n 1 "$dir/x/predictions.csv")" = "x1,x2,label,output,predicted" ] &&
    [ "$(wc -l <"$dir/x/predictions.csv")" -eq 22 ]; then
    ok "predictions.csv has a header and one row per point"
else
    not_ok "predictions.csv has a header and one row per point" "$(head -n 2 "$dir/x/predictions.csv")"
fi
epoch_lines=$(grep -c '^Epoch  *[0-9]*, Loss [0-9.]*, Accuracy [0-9.]*$' "$dir/out.txt")
sample_lines=$(grep -c '^Sample  *[0-9]* | Ground truth [01] | Prediction [0-9]\.[0-9]\{16\} |$' "$dir/out.txt")
[ "$epoch_lines" -eq 20 ] && [ "$sample_lines" -eq 21 ] &&
    ok "prints a line every 5000 epochs and one per sample" ||
    not_ok "prints a line every 5000 epochs and one per sample" "$epoch_lines epoch lines, $sample_lines sample lines"

# linear with two hidden layers of 4 learns the linear set to >= 0.99
dir=$(fresh_dir)
"$NNLAB" train --dataset linear --hidden 4,4 --quiet --out "$dir/l" >"$dir/out.txt" 2>&1
acc=$(sed -n 's/.*Testing accuracy \([0-9.]*\).*/\1/p' "$dir/out.txt")
if [ -n "$acc" ] && awk -v a="$acc" 'BEGIN { exit !(a >= 0.99) }'; then
    ok "linear with hidden 4,4 reaches >= 0.99 ($acc)"
else
    not_ok "linear with hidden 4,4 reaches >= 0.99" "$(cat "$dir/out.txt")"
fi
grep -q "^Epoch" "$dir/out.txt" && not_ok "--quiet prints no epoch lines" "it did" ||
    ok "--quiet prints no epoch lines"

# a saved model loads back to bit-identical predictions
dir=$(fresh_dir)
"$NNLAB" train --dataset xor --epochs 3000 --hidden 5,3 --activation tanh --quiet \
    --out "$dir/a" --save-model "$dir/m.txt" >"$dir/a.txt" 2>&1
"$NNLAB" train --dataset xor --epochs 0 --load-model "$dir/m.txt" --quiet --out "$dir/b" \
    >/dev/null 2>&1
if [ -s "$dir/a/predictions.csv" ] && cmp -s "$dir/a/predictions.csv" "$dir/b/predictions.csv" &&
    cmp -s "$dir/m.txt" "$dir/a/model.txt" && cmp -s "$dir/m.txt" "$dir/b/model.txt"; then
    ok "a saved model predicts bit for bit the same after loading"
else
    not_ok "a saved model predicts bit for bit the same after loading" "predictions or models differ"
fi
expect_fail "loaded model and --hidden disagree" 2 '--hidden 4,4 does not match the hidden layers 5,3 of' \
    train --load-model "$dir/m.txt" --hidden 4,4 --epochs 0
expect_fail "loaded model and --activation disagree" 2 '--activation relu does not match activation tanh of' \
    train --load-model "$dir/m.txt" --activation relu --epochs 0
# training goes on from a loaded model: its first loss is the saved model's final loss
"$NNLAB" train --dataset xor --epochs 10 --load-model "$dir/m.txt" --quiet --out "$dir/c" >/dev/null 2>&1
first=$(sed -n 2p "$dir/c/history.csv" | cut -d, -f2)
last=$(sed -n 's/^Loss \([0-9.]*\),.*/\1/p' "$dir/a.txt")
[ -n "$first" ] && [ -n "$last" ] && awk -v a="$first" -v b="$last" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d < 1e-9) }' &&
    ok "training resumes from a loaded model" ||
    not_ok "training resumes from a loaded model" "first loss $first, saved run's final loss $last"

# a CSV data set
dir=$(fresh_dir)
{
    echo "x1,x2,label"
    for i in 0 1 2 3 4 5 6 7 8 9; do echo "0.$i,0.05,0"; echo "0.$i,0.95,1"; done
} >"$dir/data.csv"
"$NNLAB" train --data "$dir/data.csv" --epochs 20000 --quiet --out "$dir/o" >"$dir/out.txt" 2>&1
grep -q "Testing accuracy 1.00 (20 of 20 correct)" "$dir/out.txt" &&
    ok "trains on a CSV data set" || not_ok "trains on a CSV data set" "$(cat "$dir/out.txt")"

# a diverging run stops with exit 3 and keeps its history
dir=$(fresh_dir)
"$NNLAB" train --activation none --lr 100 --epochs 1000 --out "$dir/d" >"$dir/out.txt" 2>"$dir/err.txt"
rc=$?
rows=$(($(wc -l <"$dir/d/history.csv" 2>/dev/null || echo 1) - 1))
lastloss=$(tail -n 1 "$dir/d/history.csv" 2>/dev/null | cut -d, -f2)
if [ $rc -eq 3 ] && grep -q "the loss became .* at epoch $rows" "$dir/err.txt" &&
    [ "$rows" -gt 0 ] && [ "$rows" -lt 1000 ] && echo "$lastloss" | grep -Eqi 'nan|inf'; then
    ok "a diverging run exits 3 with its history up to the bad epoch ($rows)"
else
    not_ok "a diverging run exits 3 with its history" "exit $rc, $rows rows, last loss $lastloss: $(cat "$dir/err.txt")"
fi
[ -s "$dir/d/learning_curve.png" ] && [ ! -e "$dir/d/model.txt" ] &&
    ok "a diverged run draws its curve and saves no model" ||
    not_ok "a diverged run draws its curve and saves no model" "$(ls "$dir/d")"
# weights beyond what a model file holds stop the run at the epoch whose update
# threw them there, though the loss of a sigmoid network stays finite
"$NNLAB" train --lr 1e308 --epochs 1000 --quiet --format svg --out "$dir/w" >/dev/null 2>"$dir/err.txt"
rc=$?
[ $rc -eq 3 ] && [ "$(wc -l <"$dir/w/history.csv")" -eq 2 ] &&
    grep -q "^nnlab train: the weights grew beyond +-1e+100 or stopped being numbers in the update of epoch 1;" "$dir/err.txt" &&
    ok "weights beyond +-1e100 stop the run at the epoch of the update" ||
    not_ok "weights beyond +-1e100 stop the run at the epoch of the update" "exit $rc, $(wc -l <"$dir/w/history.csv") lines: $(cat "$dir/err.txt")"
# "Wrote DIR/{a,b,...}" names only files that are there (a figure: its .png)
wrote_all_there() {
    _line=$(grep '^Wrote ' "$1") || return 1
    _dir=${_line#Wrote }
    _dir=${_dir%%/\{*}
    for _f in $(echo "$_line" | sed 's/.*{\(.*\)}$/\1/' | tr ',' ' '); do
        [ -s "$_dir/$_f" ] || [ -s "$_dir/$_f.png" ] || return 1
    done
}
wrote_all_there "$dir/out.txt" && grep -q "^Wrote $dir/d/{history.csv,learning_curve}$" "$dir/out.txt" &&
    ok "a diverged run says it wrote its history and learning curve only" ||
    not_ok "a diverged run says it wrote its history and learning curve only" "$(grep Wrote "$dir/out.txt"); $(ls "$dir/d")"
"$NNLAB" train --dataset circle --epochs 10 --out "$dir/c" >"$dir/out.txt" 2>&1
wrote_all_there "$dir/out.txt" && grep -q '^Wrote .*,test_predictions.csv,' "$dir/out.txt" &&
    ok "a run with test points says it wrote test_predictions.csv" ||
    not_ok "a run with test points says it wrote test_predictions.csv" "$(grep Wrote "$dir/out.txt"); $(ls "$dir/c")"

# a progress bar on a terminal only (script(1) gives the run a terminal)
dir=$(fresh_dir)
if command -v script >/dev/null 2>&1; then
    script -qec "'$NNLAB' train --epochs 20000 --out '$dir/t'" "$dir/tty.log" >/dev/null 2>&1
    "$NNLAB" train --epochs 20000 --out "$dir/p" >/dev/null 2>"$dir/pipe.txt"
    grep -aq 'epoch [0-9]*/20000  loss [0-9.]*  acc [0-9.]*  [0-9]* epochs/s' "$dir/tty.log" &&
        [ ! -s "$dir/pipe.txt" ] && ok "a progress bar on a terminal, none when piped" ||
        not_ok "a progress bar on a terminal, none when piped" "$(tr '\r' '\n' <"$dir/tty.log" | tail -n 3)"
else
    not_ok "a progress bar on a terminal" "script(1) is missing (package bsdutils)"
fi

# defaults, help and version
dir=$(fresh_dir)
(cd "$dir" && "$NNLAB" train --dataset xor --epochs 10 --quiet --format svg >/dev/null 2>&1)
[ -s "$dir/runs/xor_sigmoid_lr0.1_hidden16,16_sgd_seed0/history.csv" ] &&
    [ -s "$dir/runs/xor_sigmoid_lr0.1_hidden16,16_sgd_seed0/learning_curve.svg" ] &&
    [ ! -e "$dir/runs/xor_sigmoid_lr0.1_hidden16,16_sgd_seed0/learning_curve.png" ] &&
    ok "default --out is under runs/, --format svg draws only SVG" ||
    not_ok "default --out is under runs/" "$(find "$dir" | head)"
"$NNLAB" --version | grep -Eq '^nnlab [0-9]+\.[0-9]+\.[0-9]+$' && ok "--version" || not_ok "--version" "$("$NNLAB" --version)"
"$NNLAB" train --help | grep -q -- "--load-model FILE" && ok "train --help lists the options" ||
    not_ok "train --help lists the options" "no --load-model"
"$NNLAB" --help | grep -q "compare" && ok "--help lists the commands" || not_ok "--help lists the commands" "no compare"

# same seed, same run; different seed, different run
dir=$(fresh_dir)
for s in 7 7 8; do
    "$NNLAB" train --epochs 500 --seed $s --quiet --format svg --out "$dir/s$s-$(ls "$dir" | wc -l)" >/dev/null 2>&1
done
a=$(ls -d "$dir"/s7-* | head -n 1) b=$(ls -d "$dir"/s7-* | tail -n 1)
cmp -s "$a/history.csv" "$b/history.csv" && ! cmp -s "$a/history.csv" "$dir"/s8-*/history.csv &&
    ok "same seed gives the same history, another seed another" ||
    not_ok "same seed gives the same history, another seed another" "histories compare wrong"

# --engine plain trains with the textbook engine: the same run as the fast
# one to the eye (losses within 1e-9 relative), said in its description
dir=$(fresh_dir)
"$NNLAB" train --dataset xor --epochs 3000 --format svg --out "$dir/fast" >"$dir/fast.txt" 2>&1
"$NNLAB" train --dataset xor --epochs 3000 --format svg --engine plain --out "$dir/plain" \
    >"$dir/plain.txt" 2>&1
worst=$(paste -d, "$dir/fast/history.csv" "$dir/plain/history.csv" | awk -F, 'NR > 1 {
    d = $2 - $5; if (d < 0) d = -d; if (d / $2 > m) m = d / $2; if ($3 != $6) bad = 1 }
    END { if (bad) print "accuracy"; else printf "%.3g", m }')
if grep -q "^Training xor, sigmoid, .*, plain engine$" "$dir/plain.txt" &&
    ! grep -q "engine" "$dir/fast.txt" && [ "$worst" != accuracy ] &&
    awk -v w="$worst" 'BEGIN { exit !(w < 1e-9 && w > 0) }'; then
    ok "--engine plain trains the same run (largest relative loss difference $worst)"
else
    not_ok "--engine plain trains the same run" "worst $worst; $(head -n 1 "$dir/plain.txt")"
fi

# --output-activation: a linear output on tanh hidden layers is saved in the
# model and said in the description
dir=$(fresh_dir)
"$NNLAB" train --dataset xor --epochs 10 --activation tanh --output-activation none --format svg \
    --out "$dir/o" >"$dir/out.txt" 2>&1
grep -q "^Training xor, tanh, none output, lr 0.1" "$dir/out.txt" &&
    sed -n 2,3p "$dir/o/model.txt" | tr '\n' ' ' | grep -q "^activation tanh output-activation none $" &&
    ok "--output-activation is described and saved in the model" ||
    not_ok "--output-activation is described and saved" "$(head -n 1 "$dir/out.txt") $(sed -n 2,3p "$dir/o/model.txt")"

# an early stop: the history ends at the first epoch at accuracy 1, said so
dir=$(fresh_dir)
"$NNLAB" train --dataset xor --optimizer adam --lr 0.01 --stop-accuracy 1 --epochs 100000 \
    --format svg --out "$dir/s" >"$dir/out.txt" 2>&1
rc=$?
rows=$(($(wc -l <"$dir/s/history.csv") - 1))
if [ $rc -eq 0 ] && grep -q "^Early stop: stopped at epoch $rows: accuracy 1 reached$" "$dir/out.txt" &&
    [ "$(tail -n 1 "$dir/s/history.csv" | cut -d, -f3)" = 1 ] &&
    [ "$(sed -n "${rows}p" "$dir/s/history.csv" | cut -d, -f3)" != 1 ] && [ "$rows" -lt 100000 ]; then
    ok "--stop-accuracy ends the history at the first epoch at accuracy 1 ($rows)"
else
    not_ok "--stop-accuracy ends the history" "$rows rows; $(grep -i stop "$dir/out.txt")"
fi

# train --help and compare --help list every setting of the table
for cmd in train compare; do
    missing=""
    for key in dataset data activation output-activation lr hidden optimizer momentum epochs \
        seed load-model engine; do
        "$NNLAB" $cmd --help | grep -q -- "--$key " || missing="$missing $key"
    done
    [ -z "$missing" ] && ok "$cmd --help lists every setting" ||
        not_ok "$cmd --help lists every setting" "missing:$missing"
done

finish
