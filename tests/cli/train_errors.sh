# Bad input to `nnlab train`: one clear line on stderr, exit status 2, no files.
. "$(dirname "$0")/lib/harness.sh"

expect_fail "unknown data set" 2 '^nnlab train: --dataset: unknown data set "swirl" \(linear, xor, circle, quadrants, gauss, spiral, moons, spiral3 or blobs3\)$' train --dataset swirl
expect_fail "unknown activation" 2 '--activation: unknown activation "swish" \(sigmoid, tanh, relu or none; softmax is for the output\)' train --activation swish
expect_fail "softmax hidden activation" 2 '--activation: not a hidden activation "softmax" \(sigmoid, tanh, relu or none; softmax is for the output\)' train --activation softmax
expect_fail "unknown output activation" 2 '^nnlab train: --output-activation: unknown activation "swish" \(sigmoid, tanh, relu, none or softmax, or same\)$' train --output-activation swish
expect_fail "softmax output of two classes under mse" 2 '^nnlab train: a softmax output needs a class per output: use loss ce$' train --output-activation softmax --epochs 1
expect_fail "unknown loss" 2 '^nnlab train: --loss: unknown loss "hinge" \(mse, bce or ce\)$' train --loss hinge
expect_fail "loss ce with a sigmoid output" 2 '^nnlab train: loss ce needs a softmax output, not sigmoid \(see output-activation\)$' train --loss ce --output-activation sigmoid --epochs 1
expect_fail "loss bce with three classes" 2 '^nnlab train: loss bce needs two classes; with 3, use ce$' train --dataset spiral3 --loss bce --epochs 1
expect_fail "unknown init" 2 '^nnlab train: --init: unknown initialisation "glorot" \(uniform, xavier or he\)$' train --init glorot
expect_fail "unknown schedule" 2 '^nnlab train: --lr-schedule: unknown schedule "exp" \(constant, step, cosine or inverse\)$' train --lr-schedule exp
expect_fail "negative l2" 2 '^nnlab train: --l2: "-0.1" is not a number from 0 to 1e6$' train --l2 -0.1
expect_fail "beta1 one" 2 '^nnlab train: --beta1: "1" is not a number from 0 up to \(not including\) 1$' train --beta1 1
expect_fail "rho above one" 2 '^nnlab train: --rho: "1.5" is not a number from 0 up to' train --rho 1.5
expect_fail "eps zero" 2 '^nnlab train: --eps: "0" is not a number above 0 and at most 1$' train --eps 0
expect_fail "stop accuracy above one" 2 '^nnlab train: --stop-accuracy: "2" is not off or a number from 0 to 1$' train --stop-accuracy 2
expect_fail "negative patience" 2 '^nnlab train: --patience: "-3" is not a whole number from 0 to 10000000$' train --patience -3
expect_fail "bce with a tanh output" 2 '^nnlab train: loss bce needs a sigmoid output, not tanh \(see output-activation\)$' train --loss bce --activation tanh --epochs 1
expect_fail "batch larger than the data" 2 "^nnlab train: batch-size 22 is more than the data set's 21 points \(0 is the full batch\)$" train --dataset xor --batch-size 22 --epochs 1
expect_fail "unknown engine" 2 '^nnlab train: --engine: unknown engine "gpu" \(fast or plain\)$' train --engine gpu
expect_fail "unknown optimizer" 2 '--optimizer: unknown optimizer "adagrad" \(sgd, momentum, nesterov, rmsprop or adam\)' train --optimizer adagrad
expect_fail "lr zero" 2 '--lr: "0" is not a finite number greater than 0' train --lr 0
expect_fail "lr negative" 2 '--lr: "-0.1" is not a finite number greater than 0' train --lr -0.1
expect_fail "lr nan" 2 '--lr: "nan" is not a finite number' train --lr nan
expect_fail "lr inf" 2 '--lr: "inf" is not a finite number' train --lr inf
expect_fail "lr overflow" 2 '--lr: "1e999" is not a finite number' train --lr 1e999
expect_fail "lr text" 2 '--lr: "fast" is not a finite number' train --lr fast
expect_fail "lr trailing junk" 2 '--lr: "0.1x" is not' train --lr 0.1x
expect_fail "epochs negative" 2 '--epochs: "-5" is not a whole number from 0 to 10000000' train --epochs -5
expect_fail "epochs fraction" 2 '--epochs: "1.5" is not a whole number' train --epochs 1.5
expect_fail "epochs text" 2 '--epochs: "many" is not a whole number' train --epochs many
expect_fail "epochs above limit" 2 '--epochs: "10000001" is not a whole number from 0 to 10000000' train --epochs 10000001
expect_fail "hidden zero" 2 '--hidden: "0" is not a size or a list of 1 to 8 sizes from 1 to 1024' train --hidden 0
expect_fail "hidden too wide" 2 '--hidden: "1025" is not a size' train --hidden 1025
expect_fail "hidden negative in list" 2 '--hidden: "4,-4" is not' train --hidden 4,-4
expect_fail "hidden too many layers" 2 '--hidden: "1,2,3,4,5,6,7,8,9" is not a size or a list of 1 to 8 sizes' train --hidden 1,2,3,4,5,6,7,8,9
expect_fail "hidden empty item" 2 '--hidden: "4,,4" is not' train --hidden 4,,4
expect_fail "seed negative" 2 '--seed: "-1" is not a whole number' train --seed -1
expect_fail "momentum one" 2 '--momentum: "1" is not a number from 0 up to' train --momentum 1
expect_fail "format unknown" 2 '--format: "jpg" is not png, svg or png,svg' train --format jpg
expect_fail "unknown option" 2 'unknown option --colour' train --colour
expect_fail "missing value" 2 'missing value for option --lr' train --lr
# An abbreviation of more than one option is refused, not taken as the first.
expect_fail "ambiguous --s" 2 '^nnlab train: option --s is ambiguous: --stop-loss, --stop-accuracy, --seed or --save-model \(see nnlab train --help\)$' train --s 3 --epochs 5
expect_fail "ambiguous --ep" 2 '^nnlab train: option --ep is ambiguous: --eps or --epochs ' train --ep 5
expect_fail "ambiguous --o=" 2 '^nnlab train: option --o is ambiguous: .*--out ' train --o=x --epochs 1
expect_fail "ambiguous --lr-s" 2 '^nnlab train: option --lr-s is ambiguous: --lr-schedule or --lr-step ' train --lr-s 5
expect_fail "ambiguous --h" 2 '^nnlab train: option --h is ambiguous: --hidden or --help ' train --h
# A full name, and an abbreviation of one option only, are taken.
dir=$(fresh_dir)
if "$NNLAB" train --seed 3 --stop-loss 0 --epochs 5 --quiet --format svg --out "$dir/full" \
    >/dev/null 2>"$dir/err.txt" && [ "$(wc -l <"$dir/full/history.csv")" -eq 6 ]; then
    ok "full option names"
else
    not_ok "full option names" "$(cat "$dir/err.txt")"
fi
if "$NNLAB" train --see 3 --epo 5 --qu --form svg --out "$dir/short" >/dev/null 2>"$dir/err.txt" &&
    cmp -s "$dir/full/history.csv" "$dir/short/history.csv"; then
    ok "unambiguous abbreviations"
else
    not_ok "unambiguous abbreviations" "$(cat "$dir/err.txt")"
fi
expect_fail "stray argument" 2 'unexpected argument "xor"' train xor
expect_fail "unknown command" 2 'unknown command "trian"' trian

# CSV data files
csv=$(input missing_column.csv <<'CSV'
x1,x2,label
0.1,0.2,1
0.3,0.4
CSV
)
expect_fail "csv missing column" 2 "missing_column.csv:3: expected 3 fields" train --data "$csv"
csv=$(input text.csv <<'CSV'
0.1,0.2,1
0.3,abc,0
CSV
)
expect_fail "csv text for number" 2 "text.csv:2: x1 and x2 must be finite numbers" train --data "$csv"
csv=$(input nan.csv <<'CSV'
x1,x2,label
0.1,nan,1
CSV
)
expect_fail "csv NaN" 2 "nan.csv:2: x1 and x2 must be finite numbers" train --data "$csv"
csv=$(input inf.csv <<'CSV'
-inf,0.5,1
CSV
)
expect_fail "csv infinity" 2 "inf.csv:1: x1 and x2 must be finite" train --data "$csv"
csv=$(input huge.csv <<'CSV'
1e308,0.5,1
CSV
)
expect_fail "csv huge value" 2 "huge.csv:1: coordinates within \+-1e\+06 are accepted" train --data "$csv"
csv=$(input label.csv <<'CSV'
x1,x2,label
0.1,0.2,1
0.3,0.4,1.5
CSV
)
expect_fail "csv label 1.5" 2 "label.csv:3: label must be a class from 0 to 15 \(0 or 1 for two\)" train --data "$csv"
csv=$(input extra.csv <<'CSV'
0.1,0.2,1,7
CSV
)
expect_fail "csv extra column" 2 "extra.csv:1: expected 3 fields" train --data "$csv"
csv=$(input empty.csv <<'CSV'
x1,x2,label
CSV
)
expect_fail "csv no rows" 2 "empty.csv: no data rows" train --data "$csv"
csv=$(input long.csv <<CSV
0.1,0.2,1
$(head -c 2000 /dev/zero | tr '\0' '1'),0.2,1
CSV
)
expect_fail "csv line too long" 2 "long.csv:2: line longer than 1024 characters" train --data "$csv"
expect_fail "csv missing file" 2 "nope.csv: cannot read: No such file or directory" train --data "$TESTS_TMP/nope.csv"
expect_fail "csv folder" 2 "^nnlab train: .*: is a folder; a CSV file of x1,x2,label lines is expected$" train --data "$TESTS_TMP"

# Model files
model=$(input bad_magic.txt <<'MODEL'
genann 1
MODEL
)
expect_fail "model wrong format" 2 'bad_magic.txt:1: expected "nnlab-model", found "genann"' train --load-model "$model"
model=$(input bad_act.txt <<'MODEL'
nnlab-model 1
activation swish
MODEL
)
expect_fail "model unknown activation" 2 'bad_act.txt:2: unknown activation "swish"' train --load-model "$model"
model=$(input short.txt <<'MODEL'
nnlab-model 1
activation sigmoid
layers 2 2 1
layer 1 weights 2 2
0.1 0.2
0.3
MODEL
)
expect_fail "model truncated" 2 'short.txt:[67]: unexpected end of file' train --load-model "$model"
model=$(input nanw.txt <<'MODEL'
nnlab-model 1
activation sigmoid
layers 2 1 1
layer 1 weights 1 2
0.1 nan
MODEL
)
expect_fail "model NaN weight" 2 'nanw.txt:5: expected a finite number within \+-1e\+100, found "nan"' train --load-model "$model"
model=$(input wide.txt <<'MODEL'
nnlab-model 1
activation sigmoid
layers 2 5000 1
MODEL
)
expect_fail "model layer too wide" 2 'wide.txt:3: layer sizes from 1 to 1024 are accepted, found "5000"' train --load-model "$model"
model=$(input output.txt <<'MODEL'
nnlab-model 1
activation sigmoid
layers 2 4 17
layer 1 weights 4 2
MODEL
)
expect_fail "model of 17 outputs" 2 'output.txt:3: layers must list 2, at least one hidden size, and the outputs \(1 for two classes, K for K classes, at most 16\)' train --load-model "$model"
expect_fail "model missing file" 2 'none.txt: cannot read: No such file or directory' train --load-model "$TESTS_TMP/none.txt"

# Outputs that cannot be made
blocker=$(input blocker <<'X'
a file where a folder should be
X
)
expect_fail "out through a file" 2 "--out: cannot create folder .*blocker: Not a directory|--out: cannot create folder .*blocker: a file" train --epochs 1 --out "$blocker/sub"
# --save-model in a folder that takes no file: found before training, as --out is
# (a read-only tmpfs in a private mount namespace: root or user namespaces)
dir=$(fresh_dir)
mkdir "$dir/ro"
if unshare -rm true 2>/dev/null; then
    unshare -rm sh -c "
        mount -t tmpfs -o ro tmpfs '$dir/ro' &&
        '$NNLAB' train --epochs 100000 --quiet --save-model '$dir/ro/m.txt' --out '$dir/o' \
            >/dev/null 2>'$dir/err.txt'
        echo \$? >'$dir/rc'"
    [ "$(cat "$dir/rc")" = 2 ] && [ "$(wc -l <"$dir/err.txt")" -eq 1 ] &&
        grep -q "^nnlab train: --save-model: cannot write $dir/ro/m.txt: Read-only file system$" "$dir/err.txt" &&
        [ ! -e "$dir/o" ] && ok "--save-model on a read-only file system: exit 2 before training" ||
        not_ok "--save-model on a read-only file system" "exit $(cat "$dir/rc"): $(cat "$dir/err.txt")"
else
    not_ok "--save-model on a read-only file system" "cannot mount a tmpfs here (needs root or user namespaces)"
fi
expect_fail "out name too long" 2 "--out: cannot create folder .*(File name too long|a file name of)" train --epochs 1 --out "$(head -c 300 /dev/zero | tr '\0' 'a')/x"

# A loaded model's output activation must agree with --output-activation when given.
dir=$(fresh_dir)
"$NNLAB" train --dataset xor --epochs 0 --hidden 2 --output-activation none --quiet --format svg \
    --out "$dir/m" >/dev/null 2>&1
expect_fail "loaded model and --output-activation disagree" 2 \
    'output-activation sigmoid does not match output-activation none of .*model.txt' \
    train --dataset xor --epochs 0 --load-model "$dir/m/model.txt" --output-activation sigmoid

finish
