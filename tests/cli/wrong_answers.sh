# No silent wrong answers from the readers: CSV line ends and first rows,
# experiment files' indented lines, repeated keys, equal values and long
# titles, model files cut short; and a folder where a file is expected.
. "$(dirname "$0")/lib/harness.sh"

# CSV: a lone carriage return ends a line (old Mac files), as "\r\n" does
dir=$(fresh_dir)
printf '0.1,0.2,1\r0.3,0.4,0\r0.5,0.6,1\r' >"$dir/cr.csv"
printf 'x1,x2,label\r\n0.1,0.2,1\r\n0.3,0.4,0\r\n' >"$dir/crlf.csv"
"$NNLAB" train --data "$dir/cr.csv" --epochs 1 --quiet --format svg --out "$dir/a" >/dev/null 2>&1
"$NNLAB" train --data "$dir/crlf.csv" --epochs 1 --quiet --format svg --out "$dir/b" >/dev/null 2>&1
[ "$(wc -l <"$dir/a/predictions.csv")" -eq 4 ] && [ "$(wc -l <"$dir/b/predictions.csv")" -eq 3 ] &&
    sed -n 4p "$dir/a/predictions.csv" | grep -q '^0.5,0.59999999999999998,1,' &&
    ok "CSV: lone carriage returns and CRLF end lines; no row is lost" ||
    not_ok "CSV: lone carriage returns end lines" "$(cat "$dir/a/predictions.csv" "$dir/b/predictions.csv")"
# a first row with a number in it is data, and bad data is an error, not a header
csv=$(input letter_o.csv <<'CSV'
O.1,0.2,1
0.3,0.4,0
CSV
)
expect_fail "CSV: a malformed first data row is an error, not a header" 2 \
    '^nnlab train: .*letter_o.csv:1: x1 and x2 must be finite numbers$' train --data "$csv" --out o
csv=$(input semicolons.csv <<'CSV'
x1;x2;label
0.3;0.4;0
CSV
)
expect_fail "CSV: a header that is not three fields is an error" 2 \
    '^nnlab train: .*semicolons.csv:1: expected 3 fields "x1,x2,label", found 1$' train --data "$csv" --out o
csv=$(input header.csv <<'CSV'
# points
a, b, label
0.3,0.4,0
CSV
)
dir=$(fresh_dir)
"$NNLAB" train --data "$csv" --epochs 1 --quiet --format svg --out "$dir/h" >/dev/null 2>&1 &&
    [ "$(wc -l <"$dir/h/predictions.csv")" -eq 2 ] && ok "CSV: a header of three words is skipped" ||
    not_ok "CSV: a header of three words is skipped" "refused"

# Experiment files: an indented line may not change a number, nor a key be set twice
f=$(input indented.ini <<'INI'
[train]
epochs = 100000
    7
INI
)
expect_fail "experiment: an indented line does not go on with a number" 2 \
    '^nnlab run: .*indented.ini:3: epochs: an indented line goes on with the value of epochs, which is one value \(only title and description go on over indented lines\)$' \
    run "$f"
f=$(input indented_key.ini <<'INI'
[train]
lr = 0.1
  epochs = 10
INI
)
expect_fail "experiment: an indented key = value is refused, not read as more of lr" 2 \
    'indented_key.ini:3: lr: an indented line goes on with the value of lr' run "$f"
f=$(input twice.ini <<'INI'
[train]
epochs = 10
lr = 0.1
epochs = 7
INI
)
expect_fail "experiment: a key set twice is refused" 2 \
    '^nnlab run: .*twice.ini:4: epochs is set twice in \[train\] \(first on line 2\): one value is accepted$' run "$f"
# values equal as numbers, or making the same runs, are one value
for list in "0.1, 0.10" "0.1, 1e-1" "0.01, 0.1, 0.100"; do
    f=$(input equal.ini <<INI
[vary]
lr = $list
INI
)
    expect_fail "experiment: lr = $list lists one value twice" 2 \
        'equal.ini:2: lr: "(0.10|1e-1|0.100)" is the same value as "0.1"$' run "$f"
done
f=$(input hidden.ini <<'INI'
[vary]
hidden = 16, 16x16
INI
)
expect_fail "experiment: hidden = 16, 16x16 lists one shape twice" 2 \
    'hidden.ini:2: hidden: "16x16" is the same value as "16"$' run "$f"
expect_fail "compare: --vary momentum=0,-0 lists one value twice" 2 \
    '^nnlab compare: --vary: momentum: "-0" is the same value as "0"$' compare --vary momentum=0,-0
f=$(input predof.ini <<'INI'
[experiment]
datasets = xor
prediction_of = 1e-2
figures = prediction
[train]
epochs = 10
[vary]
lr = 0.1, 0.01
INI
)
dir=$(fresh_dir)
"$NNLAB" run "$f" --out "$dir/p" --runs "$dir/r" --quiet --format svg >/dev/null 2>&1 &&
    perl -pe 's/&#x([0-9a-fA-F]+);/chr(hex($1))/ge' "$dir/p/xor_prediction.svg" | grep -q 'lr 0.01,' &&
    ok "prediction_of = 1e-2 picks the run of lr 0.01" || not_ok "prediction_of = 1e-2 picks lr 0.01" "not drawn"
# a title too long is cut between characters, never inside one
f=$(input title.ini <<INI
[experiment]
title = ab $(printf 'caf\303\251 %.0s' $(seq 29))
datasets = xor
[train]
epochs = 10
INI
)
dir=$(fresh_dir)
"$NNLAB" run "$f" --out "$dir/p" --runs "$dir/r" --quiet --format svg >/dev/null 2>&1
title=$(head -n 1 "$dir/p/README.md")
[ -n "$title" ] && printf '%s' "$title" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1 &&
    [ "$(printf '%s' "$title" | wc -c)" -ge 120 ] &&
    ok "a title cut at its limit is cut between characters" ||
    not_ok "a title cut at its limit is cut between characters" "$(printf '%s' "$title" | od -c | tail -n 3)"

# Model files: a number cut off at the end of the file is an error
dir=$(fresh_dir)
"$NNLAB" train --dataset xor --epochs 10 --hidden 1,1 --quiet --format svg --out "$dir/m" >/dev/null 2>&1
head -c -3 "$dir/m/model.txt" >"$dir/cut.txt"
last=$(tail -n 1 "$dir/cut.txt")
expect_fail "model: a number cut off at the end of the file is an error" 2 \
    "^nnlab train: .*cut.txt:18: the file ends inside the number \"$last\" \(cut short\?\); a model file ends with a line end$" \
    train --dataset xor --load-model "$dir/cut.txt" --epochs 0

# A folder where a file is expected says so
expect_fail "model: a folder for --load-model" 2 \
    "^nnlab train: $dir: is a folder; a model file saved by nnlab is expected$" train --load-model "$dir"
expect_fail "run: a folder for the experiment file" 2 \
    "^nnlab run: $dir: is a folder; an experiment file \(.ini\) is expected$" run "$dir"
f=$(input datafolder.ini <<INI
[train]
data = $dir
INI
)
expect_fail "run: a folder for data =" 2 \
    "^nnlab run: .*datafolder.ini: $dir: is a folder; a CSV file of x1,x2,label lines is expected$" run "$f"

finish
