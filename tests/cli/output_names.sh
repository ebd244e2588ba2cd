# Where outputs go: names taken from files' names (an experiment's, a data
# file's) are refused when they could place or name an output wrongly, and no
# folder name reaches PLplot with a pattern it rewrites.
. "$(dirname "$0")/lib/harness.sh"

# An experiment file of a given name, in a folder of its own; prints its path.
exp_named() {
    _d=$(mktemp -d "$TESTS_TMP/e.XXXXXX")
    printf '[experiment]\ndatasets = xor\n[train]\nepochs = 10\n' >"$_d/$1"
    echo "$_d/$1"
}

rule="a file name of letters, digits, '\.', '_' and '-', not starting with '\.' or '-', of at most 63 characters before its extension is accepted"
for name in '...ini' '..ini' 'my exp.ini' 'a%nb.ini' "$(printf 'new\nline.ini')" \
    "$(printf 'caf\351.ini')" "$(printf 'caf\303\251.ini')" '-x.ini' 'a$b.ini' \
    "$(printf '%070d.ini' 1)"; do
    f=$(exp_named "$name")
    shown=$(printf '%s' "$name" | tr '\n' '?')
    expect_fail "experiment named \"$shown\" is refused for plots/NAME" 2 \
        "^nnlab run: .*: this file's name cannot name the folders plots/NAME and runs/NAME: $rule \(or give --out and --runs\)$" \
        run "$f" --format svg
done
# two names that a cut at 63 characters would have made one
f=$(exp_named "$(printf '%063d' 7).ini")
dir=$(fresh_dir)
(cd "$dir" && "$NNLAB" run "$f" --format svg --quiet) && [ -d "$dir/plots/$(printf '%063d' 7)" ] &&
    ok "a name of 63 characters is taken whole" || not_ok "a name of 63 characters" "refused"

# with --out and --runs, the name only titles the report
f=$(exp_named 'my exp.ini')
dir=$(fresh_dir)
"$NNLAB" run "$f" --out "$dir/p" --runs "$dir/r" --format svg --quiet >"$dir/out.txt" 2>&1 &&
    [ "$(head -n 1 "$dir/p/README.md")" = "## my exp" ] && [ -s "$dir/r/xor/model.txt" ] &&
    ok "with --out and --runs an experiment file's name may have a space" ||
    not_ok "with --out and --runs an experiment file's name may have a space" "$(cat "$dir/out.txt")"

# A data file's name: train's default --out, and an experiment's figures and run folders
csv=$(input 'my data.csv' <<'CSV'
x1,x2,label
0.1,0.2,1
0.3,0.4,0
CSV
)
expect_fail "train: a data file named with a space cannot name the default --out" 2 \
    "^nnlab train: --data: \".*my data.csv\" cannot name the default --out folder: $rule \(or give --out\)$" \
    train --data "$csv" --epochs 10
dir=$(fresh_dir)
"$NNLAB" train --data "$csv" --epochs 10 --format svg --quiet --out "$dir/o" >/dev/null 2>&1 &&
    [ -s "$dir/o/model.txt" ] && ok "train: with --out, any data file's name will do" ||
    not_ok "train: with --out, any data file's name will do" "refused"
f=$(input spaced.ini <<INI
[train]
data = $csv
epochs = 10
INI
)
expect_fail "run: a data file named with a space cannot name the figures" 2 \
    "^nnlab run: .*spaced.ini:2: data: \".*my data.csv\" cannot name the figures and run folders: $rule$" \
    run "$f" --format svg
expect_fail "compare: a data file named with a space cannot name the figures" 2 \
    "^nnlab compare: --data: \".*my data.csv\" cannot name the figures and run folders: $rule$" \
    compare --data "$csv" --vary lr=0.1,0.2 --epochs 10
# an experiment on a data file is named after it, not after a built-in data set
good=$(input points.csv <"$csv")
f=$(input ondata.ini <<INI
[train]
data = $good
epochs = 10
[vary]
lr = 0.1, 0.2
INI
)
dir=$(fresh_dir)
"$NNLAB" run "$f" --out "$dir/p" --runs "$dir/r" --format svg --quiet >"$dir/out.txt" 2>&1 &&
    [ -s "$dir/p/points_comparison.svg" ] && [ -s "$dir/r/points_lr-0.2/history.csv" ] &&
    [ "$(ls "$dir/r" | tr '\n' ' ')" = "points_lr-0.1 points_lr-0.2 " ] &&
    grep -q '^| points | sigmoid, lr 0.1, ' "$dir/p/README.md" &&
    ok "an experiment on a data file names its figures and runs after the file" ||
    not_ok "an experiment on a data file names its figures and runs after the file" "$(ls "$dir/p" "$dir/r") $(cat "$dir/out.txt")"
# train's default --out too: the file's name without its extension
dir=$(fresh_dir)
(cd "$dir" && "$NNLAB" train --data "$good" --epochs 10 --format svg --quiet >/dev/null 2>&1) &&
    [ "$(ls "$dir/runs")" = "points_sigmoid_lr0.1_hidden16,16_sgd_seed0" ] &&
    ok "train: the default --out of a data file is named after it without .csv" ||
    not_ok "train: the default --out of a data file is named after it without .csv" "$(ls "$dir/runs")"

# "%n" in a file name is a family member's number to PLplot, which drops it
# and writes elsewhere: refused in the folder of figures, before training
for cmd in "train --epochs 10" "compare --vary lr=0.1,0.2 --epochs 10"; do
    expect_fail "${cmd%% *}: --out with %n is refused" 2 \
        "^nnlab ${cmd%% *}: --out: \"p%nq\": PLplot reads \"%n\" in a file name as a file number and would write the figures elsewhere; a folder name without \"%n\" is accepted$" \
        $cmd --out 'p%nq'
done
f=$(exp_named ok.ini)
expect_fail "run: --out with %n is refused" 2 '^nnlab run: --out: "a/%n": PLplot reads "%n"' \
    run "$f" --out 'a/%n' --runs r

finish
