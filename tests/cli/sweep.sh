# Two-setting grids: [vary] with two settings, the sweep heatmaps, and the
# statistics of their README tables against the runs' own history.csv files.
. "$(dirname "$0")/lib/harness.sh"

# a 2 x 2 grid without seeds: 4 runs, named by both settings
f=$(input grid.ini <<'INI'
[experiment]
datasets = xor
[train]
activation = tanh
epochs = 300
[vary]
lr = 0.1, 1
hidden = 2, 8
INI
)
d=$(fresh_dir)
(cd "$d" && "$NNLAB" run "$f" --quiet --format png,svg 2>err.txt)
rc=$?
names=$(cd "$d/runs/grid" 2>/dev/null && ls -d xor_*/ | tr -d / | tr '\n' ' ')
if [ $rc -eq 0 ] && [ "$names" = "xor_lr-0.1_hidden-2 xor_lr-0.1_hidden-8 xor_lr-1_hidden-2 xor_lr-1_hidden-8 " ]; then
    ok "a 2 x 2 grid trains its 4 runs, each in a folder named by both values"
else
    not_ok "a 2 x 2 grid trains its 4 runs, each in a folder named by both values" "exit $rc: $names $(cat "$d/err.txt")"
fi
# each run has the values of its folder's name
if grep -q '^| xor | tanh, lr 1, hidden 2,2, sgd, 300 epochs' "$d/plots/grid/README.md" &&
    grep -q '^| xor | tanh, lr 0.1, hidden 8,8, sgd, 300 epochs' "$d/plots/grid/README.md"; then
    ok "each run of the grid has its two values"
else
    not_ok "each run of the grid has its two values" "$(grep '^| xor' "$d/plots/grid/README.md")"
fi
# the heatmap: a PNG of the size of one panel, and an SVG that is whole
png=$d/plots/grid/xor_sweep.png
size=$(od -An -tu1 -j16 -N8 "$png" 2>/dev/null | awk '{ print $3 * 256 + $4, $7 * 256 + $8 }')
if [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ] && [ "$size" = "640 620" ] &&
    head -c 300 "$d/plots/grid/xor_sweep.svg" | grep -q '<svg' && tail -c 20 "$d/plots/grid/xor_sweep.svg" | grep -q '</svg>'; then
    ok "the sweep heatmap is drawn, as a 640x620 PNG and a whole SVG"
else
    not_ok "the sweep heatmap is drawn" "size \"$size\"; $(ls "$d/plots/grid")"
fi
if grep -q '^!\[xor, sweep\](xor_sweep.png)$' "$d/plots/grid/README.md" && [ ! -e "$d/plots/grid/xor_comparison.png" ]; then
    ok "the report shows the heatmap, and no comparison"
else
    not_ok "the report shows the heatmap, and no comparison" "$(ls "$d/plots/grid")"
fi

# With seeds: the success rate and the median first epoch at accuracy 1.0 of
# each cell, from the histories, against the README's tables.
f=$(input seeded.ini <<'INI'
[experiment]
datasets = xor
seeds = 4
sweep_statistic = success_rate, median_epochs, final_loss
[train]
activation = tanh
epochs = 1500
[vary]
lr = 0.03, 0.3, 1
hidden = 2, 8
INI
)
d=$(fresh_dir)
if (cd "$d" && "$NNLAB" run "$f" --quiet --format png 2>err.txt) && [ "$(ls -d "$d"/runs/seeded/xor_*/ | wc -l)" = 24 ]; then
    ok "a 3 x 2 grid over 4 seeds trains 24 runs"
else
    not_ok "a 3 x 2 grid over 4 seeds trains 24 runs" "$(cat "$d/err.txt")"
fi
# the table of one statistic: the rows after its caption, up to the blank line
table() { awk -v c="$1" 'index($0, c) == 1 { on = 1; next } on && /^$/ && n++ { exit } on && /^\| [0-9]/' "$d/plots/seeded/README.md"; }
cell() { # LR HIDDEN -> "reached/runs median" from the histories
    for s in 0 1 2 3; do
        awk -F, 'NR > 1 && !first && $3 == 1 { first = $1 } END { print first + 0 }' \
            "$d/runs/seeded/xor_lr-$1_hidden-$2_seed-$s/history.csv"
    done | sort -n | awk '$1 > 0 { e[++k] = $1 } END {
        m = k == 0 ? "never" : k % 2 ? sprintf("%.0f", e[(k + 1) / 2]) : sprintf("%.0f", (e[k / 2] + e[k / 2 + 1]) / 2)
        print k + 0 "/" NR, m }'
}
want_rate="" want_median="" reached_any=0 never_any=0
for lr in 0.03 0.3 1; do
    row_rate="| $lr |" row_median="| $lr |"
    for h in 2 8; do
        set -- $(cell $lr $h)
        row_rate="$row_rate $1 |"
        row_median="$row_median $2 |"
        case $1 in 0/*) never_any=1 ;; *) reached_any=1 ;; esac
    done
    want_rate="$want_rate$row_rate
" want_median="$want_median$row_median
"
done
got_rate=$(table "xor, Seeds that reached accuracy 1.0")
got_median=$(table "xor, First epoch at accuracy 1.0, median")
if [ "$got_rate" = "${want_rate%
}" ] && [ "$got_median" = "${want_median%
}" ]; then
    ok "the success rates and median epochs of the grid are those of the histories"
else
    not_ok "the success rates and median epochs of the grid are those of the histories" \
        "want: $want_rate / $want_median; got: $got_rate / $got_median"
fi
# the grid holds both kinds of cell, so the check above could tell them apart
[ $reached_any = 1 ] && [ $never_any = 1 ] && ok "the grid has cells that learned and cells that never did" ||
    not_ok "the grid has cells that learned and cells that never did" "$want_rate"
# the same numbers in full in DATASET_sweep.csv
if awk -F, 'NR > 1 { print $1, $2, $4 "/" $3 }' "$d/runs/seeded/xor_sweep.csv" |
    grep -qx '1 8 [0-4]/4' && head -n 1 "$d/runs/seeded/xor_sweep.csv" |
    grep -qx 'lr,hidden,runs,reached,median_epochs,final_loss_mean,test_accuracy_mean'; then
    ok "DATASET_sweep.csv holds every statistic of every cell"
else
    not_ok "DATASET_sweep.csv holds every statistic of every cell" "$(cat "$d/runs/seeded/xor_sweep.csv")"
fi

# Bad grids: exit 2, one line, nothing written
grid_file() { # NAME [experiment] lines, then [vary] lines
    printf '[experiment]\ndatasets = xor\n%b[train]\nepochs = 5\n[vary]\n%b' "$2" "$3" | input "$1"
}
expect_fail "three settings in [vary]" 2 'three.ini:8: \[vary\] already varies lr and hidden: at most two settings may be varied' \
    run "$(grid_file three.ini '' 'lr = 0.1, 0.2\nhidden = 2, 4\nactivation = tanh, relu\n')"
expect_fail "an unknown setting in a grid" 2 'unknown.ini:7: width: unknown setting \(dataset, points' \
    run "$(grid_file unknown.ini '' 'lr = 0.1, 0.2\nwidth = 2, 4\n')"
expect_fail "a grid beyond 8 values a side" 2 'nine.ini:7: hidden: a list of 1 to 8 values separated by commas is accepted' \
    run "$(grid_file nine.ini '' 'lr = 0.1, 0.2\nhidden = 1, 2, 3, 4, 5, 6, 7, 8, 9\n')"
expect_fail "a grid beyond 1000 runs" 2 'big.ini: 1200 runs \(1 data sets x 3 x 4 values x 100 seeds\): at most 1000 are accepted' \
    run "$(grid_file big.ini 'seeds = 100\n' 'lr = 0.1, 0.2, 0.3\nhidden = 2, 3, 4, 5\n')"
expect_fail "a comparison of a grid" 2 'comparison.ini:3: figures: with two settings in \[vary\], sweep' \
    run "$(grid_file comparison.ini 'figures = comparison\n' 'lr = 0.1, 0.2\nhidden = 2, 4\n')"
expect_fail "a sweep of one setting" 2 'one.ini:3: figures: sweep draws a grid of two settings, and \[vary\] has one' \
    run "$(grid_file one.ini 'figures = sweep\n' 'lr = 0.1, 0.2\n')"
expect_fail "an unknown statistic" 2 'stat.ini:3: sweep_statistic: "mean" is not a list of success_rate, median_epochs, final_loss, test_accuracy' \
    run "$(grid_file stat.ini 'sweep_statistic = mean\n' 'lr = 0.1, 0.2\nhidden = 2, 4\n')"
expect_fail "test accuracy without test points" 2 'test.ini:3: sweep_statistic: test_accuracy needs held-out points' \
    run "$(grid_file test.ini 'sweep_statistic = test_accuracy\n' 'lr = 0.1, 0.2\nhidden = 2, 4\n')"
# circle holds out half its points unless told otherwise: test_accuracy has them
f=$(printf '[experiment]\ndatasets = circle\nsweep_statistic = test_accuracy\n[train]\nepochs = 5\n[vary]\nlr = 0.1, 0.2\nhidden = 2, 4\n' | input held_out.ini)
d=$(fresh_dir)
if (cd "$d" && "$NNLAB" run "$f" --quiet --format png 2>err.txt) &&
    head -n 1 "$d/runs/held_out/circle_sweep.csv" | grep -q ',test_accuracy_mean$'; then
    ok "test_accuracy of a grid on a data set that holds out points by default"
else
    not_ok "test_accuracy of a grid on a data set that holds out points by default" "$(cat "$d/err.txt")"
fi
# after 5 epochs no run fits its training points: the success rate's cells are greyed
# (0xd9d9d9), the final loss's and the test accuracy's are not, worth reading either way
grey_pixels() {
    convert "$1" -format %c histogram:info:- 2>/dev/null |
        awk '/#D9D9D9/ { sub(":", "", $1); n += $1 } END { print n + 0 }'
}
f=$(printf '[experiment]\ndatasets = circle\nsweep_statistic = success_rate\n[train]\nepochs = 5\n[vary]\nlr = 0.1, 0.2\nhidden = 2, 4\n' | input rate_grid.ini)
d2=$(fresh_dir)
(cd "$d2" && "$NNLAB" run "$f" --quiet --format png 2>err.txt)
rate_grey=$(grey_pixels "$d2/plots/rate_grid/circle_sweep.png")
f=$(printf '[experiment]\ndatasets = circle\nsweep_statistic = final_loss\n[train]\nepochs = 5\n[vary]\nlr = 0.1, 0.2\nhidden = 2, 4\n' | input final_grid.ini)
(cd "$d2" && "$NNLAB" run "$f" --quiet --format png 2>>err.txt)
loss_grey=$(grey_pixels "$d2/plots/final_grid/circle_sweep.png")
test_grey=$(grey_pixels "$d/plots/held_out/circle_sweep.png")
if [ "$rate_grey" -gt 10000 ] && [ "$loss_grey" -lt 100 ] && [ "$test_grey" -lt 100 ]; then
    ok "cells of runs that never fitted their points are grey for the success rate, not the final loss or test accuracy"
else
    not_ok "cells of runs that never fitted their points are grey for the success rate, not the final loss or test accuracy" \
        "grey pixels: success rate $rate_grey, final loss $loss_grey, test accuracy $test_grey"
fi
expect_fail "the seed in a grid" 2 'seed.ini:7: seed: a grid runs every setting with the seeds of seeds = N' \
    run "$(grid_file seed.ini '' 'lr = 0.1, 0.2\nseed = 2, 4\n')"

# The same grid from the command line: compare with two --vary trains the runs of the
# experiment file's grid, byte for byte, and draws its heatmap.
f=$(input cmdgrid.ini <<'INI'
[experiment]
datasets = xor
seeds = 2
sweep_statistic = success_rate, final_loss
[train]
activation = tanh
epochs = 400
[vary]
lr = 0.1, 1
hidden = 2, 8
INI
)
d=$(fresh_dir)
(cd "$d" && "$NNLAB" run "$f" --out p --runs r --format png --quiet 2>err.txt &&
    "$NNLAB" compare --dataset xor --activation tanh --epochs 400 --vary lr=0.1,1 \
        --vary hidden=2,8 --seeds 2 --sweep-statistic success_rate,final_loss --format png \
        --quiet 2>>err.txt)
rc=$?
same=0
for v in lr-0.1_hidden-2 lr-0.1_hidden-8 lr-1_hidden-2 lr-1_hidden-8; do
    for s in 0 1; do
        cmp -s "$d/r/xor_${v}_seed-$s/history.csv" \
            "$d/runs/compare-lr-hidden/xor_${v}_seed-$s/history.csv" && same=$((same + 1))
    done
done
if [ $rc -eq 0 ] && [ $same -eq 8 ] && [ -s "$d/runs/compare-lr-hidden/xor_sweep.png" ] &&
    cmp -s "$d/r/xor_sweep.csv" "$d/runs/compare-lr-hidden/xor_sweep.csv" &&
    grep -q '^| LR \\ Hidden size | 2 | 8 |$' "$d/runs/compare-lr-hidden/README.md" &&
    grep -qx '## LR and Hidden size, a grid' "$d/runs/compare-lr-hidden/README.md"; then
    ok "compare --vary lr=... --vary hidden=... is the file's grid: 8 runs the same, the heatmap"
else
    not_ok "compare with two --vary is the file's grid" \
        "exit $rc, $same of 8 histories the same; $(ls "$d/runs/compare-lr-hidden" 2>&1 | head -3); $(cat "$d/err.txt")"
fi
expect_fail "compare with the seed in a grid" 2 'compare: --vary: seed: a grid runs every setting with the seeds of --seeds N' \
    compare --vary lr=0.1,1 --vary seed=2,4
expect_fail "compare with one setting in both --vary" 2 'compare: --vary: lr is varied twice: a grid is of two different settings' \
    compare --dataset xor --epochs 10 --vary lr=0.1,0.2 --vary lr=0.3
expect_fail "compare --sweep-statistic without a grid" 2 'compare: --sweep-statistic: the heatmaps of a grid: it needs a second --vary' \
    compare --vary lr=0.1,1 --sweep-statistic final_loss
expect_fail "compare: test accuracy without test points" 2 'compare: --sweep-statistic: test_accuracy needs held-out points' \
    compare --dataset xor --vary lr=0.1,1 --vary hidden=2,4 --sweep-statistic test_accuracy

finish
