# The network figure: train writes it, a wide network is summed up, experiments ask for it.
. "$(dirname "$0")/lib/harness.sh"

# An SVG's text with the characters PLplot writes as references decoded, one line
svg_words() {
    perl -CO -0pe 's/<[^>]*>//g; s/&#x([0-9a-fA-F]+);/chr(hex($1))/ge; s/&lt;/</g; s/&gt;/>/g; s/&amp;/&/g; s/\s+/ /g' "$1" 2>/dev/null
}
# The lines of two points in an SVG of the svg driver: one per weight, and the legend's two
two_point_lines() {
    grep -cE '^ *points="[-0-9.]+,[-0-9.]+ [-0-9.]+,[-0-9.]+"$' "$1"
}

# 2-3-3-1 (--hidden 3): 6 + 9 + 3 weights, each a line; the layers named
dir=$(fresh_dir)
"$NNLAB" train --dataset xor --hidden 3 --epochs 10 --quiet --out "$dir/o" >"$dir/out.txt" 2>&1
rc=$?
lines=$(two_point_lines "$dir/o/network.svg")
words=$(svg_words "$dir/o/network.svg")
[ $rc -eq 0 ] && [ -s "$dir/o/network.png" ] && [ "$lines" -eq $((6 + 9 + 3 + 2)) ] &&
    case "$words" in *"inputs x1, x2 hidden 1 (sigmoid) 3 units hidden 2 (sigmoid) 3 units output sigmoid"*"weight < 0"*"bias > 0"*) true ;; *) false ;; esac &&
    ok "train writes network.png and .svg: a line per weight, the layers named" ||
    not_ok "train writes the network figure" "exit $rc, $lines lines: $(cat "$dir/out.txt") $words"

# 2-64-64-1: a summary of the 32 heaviest units of each hidden layer, said under the
# columns; 2x32 + 32x32 + 32 lines instead of 4288, and a small file
dir=$(fresh_dir)
"$NNLAB" train --dataset xor --hidden 64,64 --epochs 5 --format svg --quiet --out "$dir/o" \
    >"$dir/out.txt" 2>&1
rc=$?
lines=$(two_point_lines "$dir/o/network.svg")
size=$(wc -c <"$dir/o/network.svg")
words=$(svg_words "$dir/o/network.svg")
[ $rc -eq 0 ] && [ "$lines" -eq $((64 + 1024 + 32 + 2)) ] && [ "$size" -lt 400000 ] &&
    case "$words" in *"hidden 2 (sigmoid) 32 of 64 units: those of largest |w| in and out"*) true ;; *) false ;; esac &&
    ok "a 2-64-64-1 network draws its 32 heaviest units a layer and says so ($size bytes)" ||
    not_ok "a 2-64-64-1 network's summary" "exit $rc, $lines lines, $size bytes: $words"

# A diverged run draws no network (its weights are no longer numbers), and a
# network figure of an earlier run is removed
"$NNLAB" train --activation none --lr 100 --epochs 100 --quiet --format svg --out "$dir/o" >/dev/null 2>&1
[ ! -e "$dir/o/network.svg" ] && ok "a diverged run leaves no network figure" ||
    not_ok "a diverged run leaves no network figure" "$(ls "$dir/o")"

# figures = network: one figure a data set, of the run prediction_of names
f=$(input net.ini <<'INI'
[experiment]
datasets = linear, xor
figures = network
prediction_of = 8

[train]
epochs = 20

[vary]
hidden = 2, 8 ; two layers of each
INI
)
dir=$(fresh_dir)
"$NNLAB" run "$f" --out "$dir/p" --runs "$dir/r" --format svg --quiet >"$dir/out.txt" 2>&1
rc=$?
[ $rc -eq 0 ] && [ "$(two_point_lines "$dir/p/xor_network.svg")" -eq $((16 + 64 + 8 + 2)) ] &&
    [ -s "$dir/p/linear_network.svg" ] && [ "$(ls "$dir/p" | grep -c svg)" -eq 2 ] &&
    grep -q '](xor_network.svg)' "$dir/p/README.md" &&
    ok "run: figures = network draws the network of the prediction_of run for each data set" ||
    not_ok "run: figures = network" "exit $rc: $(cat "$dir/out.txt") $(ls "$dir/p")"

finish
