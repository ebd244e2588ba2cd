# More than two classes: K softmax outputs with cross-entropy (or K sigmoid
# outputs under mse), predictions with K probabilities, accuracy by arg-max,
# K in the model file, CSV labels 0..K-1, and the class map.
. "$(dirname "$0")/lib/harness.sh"

dir=$(fresh_dir)
"$NNLAB" train --dataset spiral3 --loss ce --hidden 16,16 --activation tanh --optimizer adam \
    --lr 0.01 --epochs 1500 --format png --out "$dir/s" >"$dir/out.txt" 2>"$dir/err.txt"
rc=$?
[ $rc -eq 0 ] && [ "$(head -n 1 "$dir/s/predictions.csv")" = "x1,x2,label,p0,p1,p2,predicted" ] &&
    [ "$(wc -l <"$dir/s/predictions.csv")" -eq 151 ] &&
    [ "$(wc -l <"$dir/s/test_predictions.csv")" -eq 151 ] &&
    ok "spiral3 with loss ce: three probabilities a point, half held out" ||
    not_ok "spiral3 with loss ce" "exit $rc: $(cat "$dir/err.txt")"

# Each point's probabilities sum to 1, its predicted class is the most
# probable, and the accuracy printed is the share predicted right.
read -r bad right n <<EOF
$(awk -F, 'NR > 1 {
    s = $4 + $5 + $6; if (s < 1 - 1e-12 || s > 1 + 1e-12) bad++
    best = 0; if ($5 > $4) best = 1; if ($6 > $4 && $6 > $5) best = 2
    if (best != $7) bad++
    right += ($7 == $3); n++
} END { print bad + 0, right, n }' "$dir/s/predictions.csv")
EOF
printed=$(sed -n 's/^Train loss [0-9.]*, accuracy [0-9.]* (\([0-9]*\) of \([0-9]*\) correct)$/\1 \2/p' "$dir/out.txt")
[ "$bad" -eq 0 ] && [ "$printed" = "$right $n" ] && [ "$right" -gt 100 ] &&
    ok "probabilities sum to 1, the prediction is the arg-max, accuracy counts it ($right of $n)" ||
    not_ok "probabilities and arg-max" "$bad bad rows; printed '$printed', counted '$right $n'"

# The last epoch's accuracy in history.csv is that of predictions.csv's classes
# (Adam's last update moves little: within two points of 150)
hist=$(tail -n 1 "$dir/s/history.csv" | cut -d, -f3)
awk -v h="$hist" -v r="$right" -v n="$n" 'BEGIN { d = h * n - r; exit !(d <= 2 && d >= -2) }' &&
    ok "history's accuracy is the arg-max accuracy ($hist)" ||
    not_ok "history's accuracy" "$hist against $right of $n"

grep -q '^output-activation softmax$' "$dir/s/model.txt" && grep -q '^loss ce$' "$dir/s/model.txt" &&
    grep -q '^layers 2 16 16 3$' "$dir/s/model.txt" &&
    ok "the model file records softmax, ce and 3 outputs" ||
    not_ok "model file of 3 classes" "$(head -n 6 "$dir/s/model.txt")"

# The saved model predicts the same probabilities, bit for bit
"$NNLAB" train --dataset spiral3 --loss ce --load-model "$dir/s/model.txt" --epochs 0 \
    --format png --out "$dir/p" >/dev/null 2>"$dir/err2.txt" &&
    cmp -s "$dir/s/predictions.csv" "$dir/p/predictions.csv" &&
    ok "a 3-class model read back predicts the same" ||
    not_ok "3-class model read back" "$(cat "$dir/err2.txt")"
expect_fail "a 3-output model on two classes" 2 \
    "model.txt has 3 outputs, but the data's 2 classes take 1" \
    train --dataset moons --load-model "$dir/s/model.txt" --epochs 0

# The map: each class's colour where it is most probable (tab10 red, blue,
# orange, tinted), each over a share of the plane
png="$dir/s/boundary.png"
if command -v convert >/dev/null 2>&1; then
    shares=$(convert "$png" -crop 80%x80%+60+60 -scale 100x100! -depth 8 txt:- | awk '
        NR > 1 { gsub(/[(),]/, " "); r = $3; g = $4; b = $5; n++
            if (r > g + 40 && g > b + 25) orange++
            else if (r > g + 30 && g - b < 20 && b - g < 20) red++
            else if (b > r + 30) blue++ }
        END { printf "%d %d %d", 100 * red / n, 100 * blue / n, 100 * orange / n }')
    set -- $shares
    [ "$1" -ge 10 ] && [ "$2" -ge 10 ] && [ "$3" -ge 10 ] &&
        ok "the map shows all three classes' colours (red $1%, blue $2%, orange $3%)" ||
        not_ok "the map's three colours" "red $1%, blue $2%, orange $3%"
else
    not_ok "the map's three colours" "imagemagick's convert is missing (scripts/install-deps.sh)"
fi

# Under the defaults (mse, sigmoid): three sigmoid outputs against one-hot targets
"$NNLAB" train --dataset blobs3 --epochs 300 --format png --out "$dir/m" >/dev/null 2>"$dir/err3.txt" &&
    [ "$(head -n 1 "$dir/m/predictions.csv")" = "x1,x2,label,p0,p1,p2,predicted" ] &&
    grep -q '^layers 2 16 16 3$' "$dir/m/model.txt" && grep -q '^output-activation sigmoid$' "$dir/m/model.txt" &&
    ok "blobs3 under mse: three sigmoid outputs" ||
    not_ok "blobs3 under mse" "$(cat "$dir/err3.txt")"

# A CSV of classes 0, 1 and 2 trains three outputs; one that skips a class is refused
csv=$(input three.csv <<'CSV'
x1,x2,label
0.1,0.1,0
0.9,0.1,1
0.5,0.9,2
0.2,0.2,0
0.8,0.2,1
0.5,0.8,2
CSV
)
"$NNLAB" train --data "$csv" --loss ce --epochs 2000 --format png --out "$dir/c" >"$dir/out4.txt" 2>&1 &&
    grep -q '^Loss [0-9.]*, Testing accuracy 1.00 (6 of 6 correct)$' "$dir/out4.txt" &&
    ok "a CSV of three classes is learned" || not_ok "CSV of three classes" "$(tail -n 2 "$dir/out4.txt")"
csv=$(input gap.csv <<'CSV'
0.1,0.1,0
0.5,0.9,2
CSV
)
expect_fail "a CSV without class 1 of 0 to 2" 2 "gap.csv: no point of class 1: the labels of 3 classes are 0 to 2" \
    train --data "$csv"

finish
