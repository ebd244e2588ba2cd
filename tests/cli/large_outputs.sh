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


# Over 2000 points, the figures draw 2000 chosen at random, not every k-th:
# labels alternating 0,1,0,1 (period 2, as k is for 4000 points) show both
# classes about equally, and the figures say how the points were chosen. The
# choice is the same whatever the thread count (the points' places, whatever
# colour their prediction gives them).
dir=$(fresh_dir)
awk 'BEGIN { srand(7); print "x1,x2,label"; for (i = 0; i < 2000; i++) {
    printf "%.4f,%.4f,0\n", -0.5 + 0.6 * (rand() - 0.5), -0.5 + 0.6 * (rand() - 0.5)
    printf "%.4f,%.4f,1\n", 0.5 + 0.6 * (rand() - 0.5), 0.5 + 0.6 * (rand() - 0.5) } }' >"$dir/alt.csv"
"$NNLAB" train --data "$dir/alt.csv" --activation tanh --epochs 20 --threads 1 --quiet \
    --out "$dir/a1" >"$dir/out.txt" 2>&1
rc=$?
"$NNLAB" train --data "$dir/alt.csv" --activation tanh --epochs 20 --threads 2 --quiet \
    --out "$dir/a2" >>"$dir/out.txt" 2>&1
rc=$((rc + $?))
# prediction.svg (svg driver): a marker is a polyline filled with its class's colour,
# two panels of 2000; boundary.svg (svgcairo): a path filled with rgb(%)
red=$(grep -c 'fill="#D62728"' "$dir/a1/prediction.svg")
blue=$(grep -c 'fill="#1F77B4"' "$dir/a1/prediction.svg")
map_red=$(grep -c 'fill:rgb(83.921569%,15.294118%,15.686275%)' "$dir/a1/boundary.svg")
map_blue=$(grep -c 'fill:rgb(12.156863%,46.666667%,70.588235%)' "$dir/a1/boundary.svg")
if [ $rc -eq 0 ] && [ "$red" -gt 1600 ] && [ "$blue" -gt 1600 ] && [ "$map_red" -gt 800 ] &&
    [ "$map_blue" -gt 800 ]; then
    ok "4000 points of alternating labels: both classes drawn ($red red and $blue blue markers, $map_red and $map_blue on the map)"
else
    not_ok "4000 points of alternating labels: both classes drawn" \
        "exit $rc, $red red and $blue blue markers, $map_red and $map_blue on the map: $(cat "$dir/out.txt")"
fi
perl -pe 's/&#x([0-9a-fA-F]+);/chr(hex($1))/ge' "$dir/a1/prediction.svg" >"$dir/text.svg" 2>/dev/null
grep -q '2000 of the 4000 points drawn, chosen at random' "$dir/text.svg" &&
    ok "the prediction figure says 2000 of the 4000 points are drawn, chosen at random" ||
    not_ok "the prediction figure says how its points were chosen" "$(grep -o 'points drawn[^<]*' "$dir/text.svg")"
places() { tr -d '\n' <"$1" | grep -oE 'fill="#(D62728|1F77B4)"[^/]*points="[^"]*"' |
    sed 's/.*points=//' | sort; }
places "$dir/a1/prediction.svg" >"$dir/p1.txt"
places "$dir/a2/prediction.svg" >"$dir/p2.txt"
[ "$(wc -l <"$dir/p1.txt")" -eq 4000 ] && cmp -s "$dir/p1.txt" "$dir/p2.txt" &&
    ok "the points drawn are the same with 1 and 2 threads" ||
    not_ok "the points drawn are the same with 1 and 2 threads" "$(wc -l <"$dir/p1.txt") markers; $(diff "$dir/p1.txt" "$dir/p2.txt" | head -n 2)"

finish
