# The 2-D problems, held-out test points and the boundary map.
. "$(dirname "$0")/lib/harness.sh"

# The issue's example: train and test accuracy printed, a boundary figure
dir=$(fresh_dir)
"$NNLAB" train --dataset spiral --noise 0.1 --test-fraction 0.5 --hidden 16,16 --activation tanh \
    --epochs 2000 --out "$dir/s" >"$dir/out.txt" 2>"$dir/err.txt"
rc=$?
if [ $rc -eq 0 ] && grep -q "^Train loss [0-9.]*, accuracy [0-9.]* ([0-9]* of 100 correct)$" "$dir/out.txt" &&
    grep -q "^Test  loss [0-9.]*, accuracy [0-9.]* ([0-9]* of 100 correct)$" "$dir/out.txt" &&
    [ -s "$dir/s/boundary.png" ] && [ -s "$dir/s/boundary.svg" ] &&
    [ "$(head -n 1 "$dir/s/history.csv")" = "epoch,loss,accuracy,test_loss,test_accuracy" ] &&
    [ "$(wc -l <"$dir/s/test_predictions.csv")" -eq 101 ] &&
    [ "$(wc -l <"$dir/s/predictions.csv")" -eq 101 ]; then
    ok "spiral with a test half: train and test printed, recorded and mapped"
else
    not_ok "spiral with a test half" "exit $rc: $(cat "$dir/err.txt") $(tail -n 2 "$dir/out.txt")"
fi
size=$(wc -c <"$dir/s/boundary.svg")
[ "$size" -lt 300000 ] && ok "the boundary map's SVG is under 300 KB ($size bytes)" ||
    not_ok "the boundary map's SVG is under 300 KB" "$size bytes"

# The last epoch's test values are those of the final network (full batch:
# the epoch's values are before its update, so compare the loss trend only)
last=$(tail -n 1 "$dir/s/history.csv" | cut -d, -f5)
printed=$(sed -n 's/^Test  loss [0-9.]*, accuracy \([0-9.]*\) .*/\1/p' "$dir/out.txt")
awk -v a="$last" -v b="$printed" 'BEGIN { d = a - b; exit !(d < 0.05 && d > -0.05) }' &&
    ok "the test accuracy recorded last is near the one printed ($last, $printed)" ||
    not_ok "the test accuracy recorded last" "$last against $printed"

# Without test points nothing changes: the original's files and lines
dir=$(fresh_dir)
"$NNLAB" train --dataset xor --epochs 10 --format svg --out "$dir/x" >"$dir/out.txt" 2>&1
[ "$(head -n 1 "$dir/x/history.csv")" = "epoch,loss,accuracy" ] && [ ! -e "$dir/x/test_predictions.csv" ] &&
    grep -q "^Loss .*, Testing accuracy" "$dir/out.txt" &&
    ok "xor has no test points by default" || not_ok "xor has no test points by default" "$(ls "$dir/x")"

# --test-data: a CSV of held-out points
dir=$(fresh_dir)
printf 'x1,x2,label\n0.1,0.9,1\n0.9,0.1,0\n' >"$dir/test.csv"
"$NNLAB" train --dataset linear --epochs 10 --test-data "$dir/test.csv" --format svg --out "$dir/t" \
    >"$dir/out.txt" 2>&1 &&
    grep -q "^Test  loss .* (. of 2 correct)$" "$dir/out.txt" &&
    ok "--test-data tests on a CSV" || not_ok "--test-data tests on a CSV" "$(cat "$dir/out.txt")"
printf 'x1,x2,label\n0.1,0.9,1\n' >"$dir/ones.csv"
expect_fail "a test CSV with a class the training data lacks" 2 \
    'test.csv: class 0 of the test data is not in the training data' \
    train --data "$dir/ones.csv" --test-data "$dir/test.csv" --epochs 1

# Held-out points from --test-data or --test-fraction, not both (the fraction was ignored)
expect_fail "train: --test-data and --test-fraction" 2 \
    '^nnlab train: --test-data and --test-fraction are both given: one of them is accepted$' \
    train --dataset circle --test-data "$dir/test.csv" --test-fraction 0.3 --epochs 1
expect_fail "compare: --test-data and --test-fraction" 2 \
    '^nnlab compare: --test-data and --test-fraction are both given: one of them is accepted$' \
    compare --dataset circle --test-data "$dir/test.csv" --test-fraction 0.3 --vary lr=0.1,1 --epochs 1
expect_fail "compare: --test-data and --vary test-fraction" 2 \
    '^nnlab compare: --test-data and --vary test-fraction are both given: one of them is accepted$' \
    compare --dataset circle --test-data "$dir/test.csv" --vary test-fraction=0.2,0.3 --epochs 1
f=$(input both.ini <<INI
[experiment]
datasets = circle
[train]
epochs = 1
test-data = $dir/test.csv
[train.circle]
test-fraction = 0.3
INI
)
expect_fail "run: test-data and test-fraction for the same runs" 2 \
    'both.ini:7: test-fraction: test-data \(line 5\) is given for the same runs; one of them is accepted$' run "$f"
f=$(input bothvary.ini <<INI
[experiment]
datasets = circle
[train]
epochs = 1
[vary]
test-fraction = 0.2, 0.3
[vary.0.3]
test-data = $dir/test.csv
INI
)
expect_fail "run: test-data in [vary.VALUE] with test-fraction varied" 2 \
    'bothvary.ini:8: test-data: test-fraction \(line 6\) is given for the same runs; one of them is accepted$' run "$f"
f=$(input apart.ini <<INI
[experiment]
datasets = circle, moons
[train]
epochs = 1
[train.circle]
test-data = $dir/test.csv
[train.moons]
test-fraction = 0.3
[train.xor]
test-fraction = 0.2
INI
)
d=$(fresh_dir)
(cd "$d" && "$NNLAB" run "$f" --quiet --format svg >/dev/null 2>err.txt) &&
    ok "run: test-data and test-fraction for different data sets" ||
    not_ok "run: test-data and test-fraction for different data sets" "$(cat "$d/err.txt")"

# Bad input
expect_fail "test fraction 1" 2 '^nnlab train: --test-fraction: "1" is not default or a number from 0 up to 1$' \
    train --dataset circle --test-fraction 1
expect_fail "negative noise" 2 '^nnlab train: --noise: "-0.5" is not a number from 0 to 10$' train --noise -0.5
expect_fail "points beyond the limit" 2 '^nnlab train: --points: "1000001" is not a whole number from 0 to 1000000$' \
    train --points 1000001
expect_fail "xor's points are fixed" 2 '^nnlab train: points: xor always has its 21 points$' \
    train --dataset xor --points 50 --epochs 1

# An experiment without a varied setting draws one boundary figure of all its data sets
f=$(input maps.ini <<'INI'
[experiment]
datasets = circle, moons
figures = boundary

[train]
points = 40
epochs = 50
activation = tanh
INI
)
dir=$(fresh_dir)
"$NNLAB" run "$f" --out "$dir/p" --runs "$dir/r" --format svg --quiet >"$dir/out.txt" 2>&1
rc=$?
# the maps' fields are images in the SVG (its text is drawn as outlines)
[ $rc -eq 0 ] && [ "$(grep -c '<image' "$dir/p/boundary.svg")" -eq 2 ] && [ ! -e "$dir/p/circle_boundary.svg" ] &&
    grep -q '](boundary.svg)' "$dir/p/README.md" && grep -q 'test accuracy |' "$dir/p/README.md" &&
    ok "run: one boundary figure of every data set, test columns in the table" ||
    not_ok "run: one boundary figure" "exit $rc: $(cat "$dir/out.txt") $(ls "$dir/p")"

# A large data set: at most 2000 of its points drawn, said on the figure,
# and no figure of more than a few MB
dir=$(fresh_dir)
awk 'BEGIN { print "x1,x2,label"; for (i = 0; i < 100000; i++) {
    x = (i * 7919 % 100000) / 100000; y = (i * 104729 % 99991) / 99991; print x "," y "," (x > y ? 0 : 1) } }' \
    >"$dir/big.csv"
"$NNLAB" train --data "$dir/big.csv" --epochs 1 --quiet --out "$dir/b" >"$dir/out.txt" 2>&1
rc=$?
largest=$(ls -l "$dir/b" | awk '/\.(png|svg)$/ { if ($5 > m) m = $5 } END { print m + 0 }')
perl -pe 's/&#x([0-9a-fA-F]+);/chr(hex($1))/ge' "$dir/b/prediction.svg" >"$dir/text.svg" 2>/dev/null
[ $rc -eq 0 ] && [ "$largest" -lt 3000000 ] && grep -q '2000 of the 100000 points drawn' "$dir/text.svg" &&
    ok "a 100000-point data set draws 2000 points, says so, figures under 3 MB ($largest bytes)" ||
    not_ok "a 100000-point data set" "exit $rc, largest figure $largest bytes: $(cat "$dir/out.txt")"

finish
