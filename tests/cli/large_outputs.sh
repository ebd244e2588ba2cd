# Outputs of a large data set: the numbers of history.csv and predictions.csv
# are printf's %.17g text (awk reads each back and prints it with %.17g: the
# same line again), and a run prints the first 1000 points' predictions and
# one line for the rest.
. "$(dirname "$0")/lib/harness.sh"

dir=$(fresh_dir)
"$NNLAB" train --dataset circle --points 3000 --noise 0.3 --epochs 50 --format png \
    --out "$dir/c" >"$dir/out.txt" 2>"$dir/err.txt"
rc=$?
# every number of the files, of every size and sign the run gives them
reprinted=$(awk -F, 'NR > 1 { printf "%.17g,%.17g,%d,%.17g,%d\n", $1, $2, $3, $4, $5 }' \
    "$dir/c/predictions.csv")
if [ $rc -eq 0 ] && [ "$(wc -l <"$dir/c/predictions.csv")" -eq 1501 ] &&
    [ "$reprinted" = "$(tail -n +2 "$dir/c/predictions.csv")" ]; then
    ok "predictions.csv's numbers are their %.17g text"
else
    not_ok "predictions.csv's numbers are their %.17g text" \
        "exit $rc: $(cat "$dir/err.txt") $(printf '%s\n' "$reprinted" | head -n 2)"
fi
reprinted=$(awk -F, 'NR > 1 { printf "%d,%.17g,%.17g,%.17g,%.17g\n", $1, $2, $3, $4, $5 }' \
    "$dir/c/history.csv")
if [ $rc -eq 0 ] && [ "$(wc -l <"$dir/c/history.csv")" -eq 51 ] &&
    [ "$reprinted" = "$(tail -n +2 "$dir/c/history.csv")" ]; then
    ok "history.csv's numbers are their %.17g text"
else
    not_ok "history.csv's numbers are their %.17g text" "$(printf '%s\n' "$reprinted" | head -n 2)"
fi

samples=$(grep -c '^Sample  *[0-9]* | Ground truth [01] | Prediction [0-9]\.[0-9]\{16\} |$' \
    "$dir/out.txt")
if [ "$samples" -eq 1000 ] && grep -q '^Sample 999 |' "$dir/out.txt" &&
    grep -q "^\.\.\. and 500 samples more: every point's prediction is in predictions.csv$" \
        "$dir/out.txt"; then
    ok "a run of 1500 training points prints 1000 of them and a line for the others"
else
    not_ok "a run of 1500 training points prints 1000 of them and a line for the others" \
        "$samples sample lines; $(grep -v '^Sample' "$dir/out.txt" | tail -n 3)"
fi

finish
