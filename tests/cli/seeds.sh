# Seeds: `seeds = N` in an experiment and --seeds of run and compare. The
# bands the figures draw and the rates of the report are checked against the
# runs' own history.csv files, computed here with awk.
. "$(dirname "$0")/lib/harness.sh"

# ReLU on xor: at lr 0.1 seeds 0, 2 and 5 die at the start and 1, 3 and 4
# learn (a known split); at lr 1e-6 no seed learns in 2000 epochs.
f=$(input split.ini <<'INI'
[experiment]
title = A known split
datasets = xor
figures = comparison
seeds = 6

[train]
activation = relu
hidden = 16
epochs = 2000

[vary]
lr = 0.000001, 0.1
INI
)
f_split=$f
d=$(fresh_dir)
if ! (cd "$d" && "$NNLAB" run "$f" --quiet --format png >out.txt 2>err.txt); then
    not_ok "seeded experiment runs" "$(cat "$d/err.txt")"
else
    ok "seeded experiment runs"
fi

# one folder per seed, named by it
missing=""
for lr in 0.000001 0.1; do
    for s in 0 1 2 3 4 5; do
        [ -f "$d/runs/split/xor_lr-${lr}_seed-$s/history.csv" ] || missing="$missing $lr/$s"
    done
done
if [ -z "$missing" ] && [ ! -e "$d/runs/split/xor_lr-0.1_seed-6" ]; then
    ok "each seed's run in a folder named by the seed"
else
    not_ok "each seed's run in a folder named by the seed" "missing:$missing; $(ls "$d/runs/split")"
fi

# The band: mean and sample sd over the seeds at some epochs, from the
# histories, against what the figure drew (DATASET_bands.csv beside the runs).
band_ok=1
for lr in 0.000001 0.1; do
    for epoch in 1 7 150 2000; do
        want=$(for s in 0 1 2 3 4 5; do
            awk -F, -v e="$epoch" 'NR == e + 1 { print $2, $3 }' \
                "$d/runs/split/xor_lr-${lr}_seed-$s/history.csv"
        done | awk '{ l[NR] = $1; a[NR] = $2; sl += $1; sa += $2 }
            END { ml = sl / NR; ma = sa / NR
                  for (i = 1; i <= NR; i++) { ql += (l[i] - ml) ^ 2; qa += (a[i] - ma) ^ 2 }
                  printf "%d %.17g %.17g %.17g %.17g\n", NR, ml, sqrt(ql / (NR - 1)), ma, sqrt(qa / (NR - 1)) }')
        got=$(awk -F, -v v="$lr" -v e="$epoch" '$1 == v && $2 == e { print $3, $4, $5, $6, $7 }' \
            "$d/runs/split/xor_bands.csv")
        if ! echo "$want $got" | awk '{ for (i = 1; i <= 5; i++) {
                    x = $i; y = $(i + 5); t = 1e-12 * (x < 0 ? -x : x) + 1e-15
                    if (y == "" || (x - y > t) || (y - x > t)) exit 1 } }'; then
            not_ok "band at lr $lr, epoch $epoch is the mean -+ sd of the histories" "histories: $want; bands.csv: $got"
            band_ok=0
        fi
    done
done
[ "$band_ok" = 1 ] && ok "the band's mean and sd are those of the seeds' histories"

# The rates: each setting's row from the histories - runs reaching accuracy
# 1.0, the median and quartiles (linear between ranks) of the first epoch at
# 1.0, the mean -+ sd of the final loss.
row() { # LR -> the row the report should have
    for s in 0 1 2 3 4 5; do
        awk -F, 'NR > 1 { last = $2; if (!first && $3 == 1) first = $1 }
                 END { print (first ? first : 0), last }' \
            "$d/runs/split/xor_lr-$1_seed-$s/history.csv"
    done | sort -n | awk -v lr="$1" '
        { if ($1 > 0) e[++k] = $1; l[NR] = $2; sl += $2 }
        function q(p,   pos, i) { pos = p * (k - 1); i = int(pos) + 1
                                  return i < k ? e[i] + (pos - i + 1) * (e[i + 1] - e[i]) : e[i] }
        END { m = sl / NR; for (i = 1; i <= NR; i++) ql += (l[i] - m) ^ 2
              when = k ? sprintf("%.0f (%.0f\xe2\x80\x93%.0f)", q(0.5), q(0.25), q(0.75)) : "never"
              printf "| xor | LR: %s | %d | %d of %d seeds | %s | %.4g \xc2\xb1 %.2g |\n",
                     lr, NR, k, NR, when, m, sqrt(ql / (NR - 1)) }'
}
for lr in 0.000001 0.1; do
    want=$(row $lr)
    if grep -qxF -- "$want" "$d/plots/split/README.md"; then
        ok "report row of lr $lr computed from the histories"
    else
        not_ok "report row of lr $lr computed from the histories" "want: $want; got: $(grep '^| xor | LR' "$d/plots/split/README.md")"
    fi
done
if grep -q '^| xor | LR: 0.1 | 6 | 3 of 6 seeds | ' "$d/plots/split/README.md" &&
    grep -q '^| xor | LR: 0.000001 | 6 | 0 of 6 seeds | never | ' "$d/plots/split/README.md"; then
    ok "the known split: 3 of 6 seeds learn at lr 0.1, none at lr 1e-6"
else
    not_ok "the known split: 3 of 6 seeds learn at lr 0.1, none at lr 1e-6" "$(grep '^| xor | LR' "$d/plots/split/README.md")"
fi

# A list of seeds, and compare --seeds; with test points, the test accuracy
d=$(fresh_dir)
if (cd "$d" && "$NNLAB" compare --dataset circle --points 60 --test-fraction 0.25 --epochs 30 \
    --vary lr=0.1,1 --seeds 0,3,7 --out c --format svg --quiet 2>err.txt) &&
    [ -f "$d/c/circle_lr-1_seed-7/history.csv" ] && [ -f "$d/c/circle_lr-0.1_seed-3/history.csv" ] &&
    [ ! -e "$d/c/circle_lr-1_seed-1" ] && [ -f "$d/c/circle_comparison.svg" ] &&
    grep -q 'test accuracy: mean ± sd |$' "$d/c/README.md" &&
    [ "$(grep -c '^| circle | LR: [0-9.]* | 3 | [0-3] of 3 seeds | .* ± .* ± ' "$d/c/README.md")" = 2 ]; then
    ok "compare --seeds 0,3,7: those seeds' runs, the test accuracy's mean and sd"
else
    not_ok "compare --seeds 0,3,7: those seeds' runs, the test accuracy's mean and sd" \
        "$(cat "$d/err.txt"; ls "$d/c"; grep '^| circle' "$d/c/README.md")"
fi

# An experiment without seeds keeps its runs' folders and figures as they were
f=$(input plain.ini <<'INI'
[experiment]
datasets = xor
figures = comparison
[train]
epochs = 5
[vary]
lr = 0.1, 0.2
INI
)
d=$(fresh_dir)
if (cd "$d" && "$NNLAB" run "$f" --quiet --format png 2>err.txt) &&
    [ -d "$d/runs/plain/xor_lr-0.1" ] && [ ! -e "$d/runs/plain/xor_bands.csv" ] &&
    ! grep -q 'seeds' "$d/plots/plain/README.md"; then
    ok "without seeds: one run per setting, no band, no seed table"
else
    not_ok "without seeds: one run per setting, no band, no seed table" "$(ls "$d/runs/plain")"
fi

# Bad input: exit 2 with one line, nothing written
seeds_file() { input "$1" <<INI
[experiment]
datasets = xor
seeds = $2
[train]
epochs = 5
${3-}
INI
}
expect_fail "seeds = 0" 2 'zero.ini:3: seeds: "0" is not a number of seeds from 1 to 100 or a list of seeds' \
    run "$(seeds_file zero.ini 0)"
expect_fail "seeds = 101" 2 'many.ini:3: seeds: "101" is not a number of seeds from 1 to 100 or a list of seeds' \
    run "$(seeds_file many.ini 101)"
expect_fail "seeds listed twice" 2 'twice.ini:3: seeds: 3 is listed twice' run "$(seeds_file twice.ini '1, 3, 3')"
expect_fail "seeds not numbers" 2 'word.ini:3: seeds: "x" is not a seed, a whole number from 0 to 2147483647' \
    run "$(seeds_file word.ini '1, x')"
# --band iqr: the median with the quartiles (linear between ranks), from the
# histories; the legend says so; runs_lines = yes draws each seed's run too.
sed -e 's/^seeds = 6$/seeds = 6\nruns_lines = yes/' "$f_split" >"$TESTS_TMP/inputs/lines.ini"
d=$(fresh_dir)
if (cd "$d" && "$NNLAB" run "$TESTS_TMP/inputs/lines.ini" --band iqr --quiet --format svg 2>err.txt) &&
    (cd "$d" && "$NNLAB" run "$f_split" --band iqr --quiet --format svg --out nolines --runs nolines 2>>err.txt) &&
    head -n 1 "$d/runs/lines/xor_bands.csv" | grep -qx 'setting,epoch,runs,loss_median,loss_q1,loss_q3,accuracy_median,accuracy_q1,accuracy_q3'; then
    ok "--band iqr runs and writes the medians and quartiles"
else
    not_ok "--band iqr runs and writes the medians and quartiles" "$(cat "$d/err.txt"; head -n 1 "$d/runs/lines/xor_bands.csv")"
fi
iqr_ok=1
for lr in 0.000001 0.1; do
    for epoch in 1 40 700 2000; do
        for col in 2 3; do # loss, accuracy
            want=$(for s in 0 1 2 3 4 5; do
                awk -F, -v e="$epoch" -v c="$col" 'NR == e + 1 { print $c }' \
                    "$d/runs/lines/xor_lr-${lr}_seed-$s/history.csv"
            done | sort -g | awk '{ v[NR] = $1 }
                function q(p,   pos, i) { pos = p * (NR - 1); i = int(pos) + 1
                                          return i < NR ? v[i] + (pos - i + 1) * (v[i + 1] - v[i]) : v[i] }
                END { printf "%.17g %.17g %.17g\n", q(0.5), q(0.25), q(0.75) }')
            got=$(awk -F, -v v="$lr" -v e="$epoch" -v c="$col" '$1 == v && $2 == e {
                    k = c == 2 ? 4 : 7; print $k, $(k + 1), $(k + 2) }' "$d/runs/lines/xor_bands.csv")
            if ! echo "$want $got" | awk '{ for (i = 1; i <= 3; i++) {
                        x = $i; y = $(i + 3); t = 1e-12 * (x < 0 ? -x : x) + 1e-15
                        if (y == "" || (x - y > t) || (y - x > t)) exit 1 } }'; then
                not_ok "iqr band at lr $lr, epoch $epoch, column $col" "histories: $want; bands.csv: $got"
                iqr_ok=0
            fi
        done
    done
done
[ "$iqr_ok" = 1 ] && ok "the iqr band's median and quartiles are those of the seeds' histories"
# SVG text is written as character references, one per character
svg_text() { printf '%s' "$1" | od -An -tx1 -v | tr -s ' \n' '\n\n' | sed '/^$/d; s/^/\&#x/; s/$/;/' | tr -d '\n'; }
if grep -qF "$(svg_text 'LR: 0.1, median and IQR of 6 seeds')" "$d/plots/lines/xor_comparison.svg"; then
    ok "the legend says median and IQR, with the number of seeds"
else
    not_ok "the legend says median and IQR, with the number of seeds" "not in $d/plots/lines/xor_comparison.svg"
fi
with=$(grep -c '<polyline' "$d/plots/lines/xor_comparison.svg")
without=$(grep -c '<polyline' "$d/nolines/xor_comparison.svg")
# 12 runs, each a thin line on both panels (or more pieces if one breaks)
if [ "$with" -ge $((without + 24)) ]; then
    ok "runs_lines = yes draws every run as a line ($with lines, $without without)"
else
    not_ok "runs_lines = yes draws every run as a line" "$with lines with, $without without"
fi
f=$(printf '[experiment]\ndatasets = xor\nseeds = 2\nband = mean\n' | input mean.ini)
expect_fail "band = mean" 2 'mean.ini:4: band: "mean" is not sd \(mean -\+ 1 standard deviation\) or iqr' run "$f"
expect_fail "--band mean" 2 'nnlab run: --band: "mean" is not sd' run "$(seeds_file ok.ini 2)" --band mean

expect_fail "seed beside seeds" 2 'both.ini:6: seed: \[experiment\] seeds gives the seeds of every run; seed is accepted without seeds only' \
    run "$(seeds_file both.ini 4 'seed = 2')"
f=$(input toomany.ini <<'INI'
[experiment]
datasets = linear, xor, circle
seeds = 100
[train]
epochs = 5
[vary]
lr = 0.1, 0.2, 0.3, 0.4
INI
)
expect_fail "too many runs" 2 'nnlab run: .*toomany.ini: 1200 runs \(3 data sets x 4 values x 100 seeds\): at most 1000 are accepted' run "$f"
expect_fail "run --seeds 0" 2 'nnlab run: --seeds: "0" is not a number of seeds from 1 to 100 or a list of seeds' \
    run "$(seeds_file ok.ini 2)" --seeds 0
expect_fail "compare --seeds with --vary seed" 2 'nnlab compare: --seeds: the seed is varied already' \
    compare --vary seed=1,2 --seeds 3
expect_fail "compare --seed and --seeds" 2 'nnlab compare: --seed and --seeds are both given' \
    compare --vary lr=0.1,0.2 --seed 1 --seeds 3
expect_fail "compare --seeds too many" 2 'nnlab compare: --seeds: a number of seeds from 1 to 100, or a list of up to 100 seeds' \
    compare --vary lr=0.1,0.2 --seeds "$(seq -s, 0 100)"

# figures = updates with mini-batches: the band and the single runs on the
# update axis too, as the legend says ("mean ± sd of 4 seeds")
f=$(input updates.ini <<'INI'
[experiment]
datasets = xor
seeds = 4
runs_lines = yes
figures = comparison, updates
[train]
epochs = 30
batch-size = 5
[vary]
lr = 0.1, 1
INI
)
d=$(fresh_dir)
(cd "$d" && "$NNLAB" run "$f" --quiet --format svg 2>err.txt)
rc=$?
fills() { grep -o "opacity=\"$2\"" "$d/plots/updates/xor_$1.svg" | wc -l; }
if [ $rc -eq 0 ] && grep -qF "$(svg_text ' sd of 4 seeds')" "$d/plots/updates/xor_updates.svg" &&
    [ "$(fills updates 0.250000)" -eq 4 ] && [ "$(fills comparison 0.250000)" -eq 4 ] &&
    [ "$(fills updates 0.450000)" -eq "$(fills comparison 0.450000)" ] && [ "$(fills updates 0.450000)" -ge 16 ]; then
    ok "figures = updates draws the seeds' bands and runs by update, as its legend says"
else
    not_ok "figures = updates draws the seeds' bands and runs by update" \
        "exit $rc: bands $(fills updates 0.250000) (by epoch $(fills comparison 0.250000)), runs $(fills updates 0.450000) (by epoch $(fills comparison 0.450000)); $(cat "$d/err.txt")"
fi

finish
