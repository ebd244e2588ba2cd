# Interrupts, full disks, read-only places, limits and odd numbers: a clear
# answer and never a half-written file.
. "$(dirname "$0")/lib/harness.sh"

# No temporary (*.tmp.*) and no incomplete output anywhere under DIR.
check_complete() {
    _bad=""
    for _f in $(find "$1" -type f); do
        case "$_f" in
        *.tmp.*) _bad="$_bad $_f(temporary)" ;;
        *.png) tail -c 8 "$_f" | od -An -c | grep -q 'I   E   N   D' || _bad="$_bad $_f" ;;
        *.svg) tail -c 16 "$_f" | grep -q '</svg>' || _bad="$_bad $_f" ;;
        *.csv) [ "$(tail -c 1 "$_f" | od -An -c | tr -d ' ')" = '\n' ] || _bad="$_bad $_f" ;;
        *model.txt)
            "$NNLAB" train --load-model "$_f" --epochs 0 --quiet --format svg --out "$1.check" \
                >/dev/null 2>&1 || _bad="$_bad $_f"
            rm -rf "$1.check" ;;
        esac
    done
    echo "$_bad"
}

# Starts nnlab in the background, waits until it has trained a while (its
# history would be long), sends the signals, and waits for it: sets rc.
interrupt() {
    _delay=$1 _signals=$2
    shift 2
    "$NNLAB" "$@" >"$dir/out.txt" 2>"$dir/err.txt" &
    _pid=$!
    sleep "$_delay"
    for _s in $_signals; do
        kill -s "$_s" $_pid 2>/dev/null
        sleep 0.02
    done
    wait $_pid
    rc=$?
}

# SIGINT: stop at the end of the epoch, save everything, marked, exit 130
dir=$(fresh_dir)
interrupt 1 INT train --epochs 5000000 --out "$dir/o"
rows=$(($(wc -l <"$dir/o/history.csv" 2>/dev/null || echo 1) - 1))
perl -pe 's/&#x([0-9a-fA-F]+);/chr(hex($1))/ge' "$dir/o/learning_curve.svg" >"$dir/text.svg" 2>/dev/null
if [ $rc -eq 130 ] && [ "$rows" -gt 0 ] && [ "$rows" -lt 5000000 ] &&
    grep -q "interrupted at epoch $rows of 5000000" "$dir/err.txt" &&
    grep -q "interrupted at epoch $rows" "$dir/text.svg" && [ -s "$dir/o/model.txt" ] &&
    [ -s "$dir/o/prediction.png" ] && [ -z "$(check_complete "$dir/o")" ]; then
    ok "SIGINT stops training, saves the partial run marked interrupted, exits 130"
else
    not_ok "SIGINT stops training, saves the partial run" "exit $rc, $rows rows: $(cat "$dir/err.txt") $(check_complete "$dir/o")"
fi

dir=$(fresh_dir)
interrupt 0.5 TERM train --epochs 5000000 --quiet --format png --out "$dir/o"
[ $rc -eq 143 ] && [ -s "$dir/o/history.csv" ] && [ -z "$(check_complete "$dir/o")" ] &&
    ok "SIGTERM does the same and exits 143" || not_ok "SIGTERM exits 143" "exit $rc $(cat "$dir/err.txt")"

# A second SIGINT ends the program at once; every file there is complete
for delay in 0.3 0.6 0.9; do
    dir=$(fresh_dir)
    start=$(date +%s)
    interrupt $delay "INT INT" train --epochs 5000000 --out "$dir/o"
    took=$(($(date +%s) - start))
    bad=$(check_complete "$dir/o")
    # it must have ended before saving everything ("Wrote ..." is the last line)
    [ $rc -eq 130 ] && [ $took -le 3 ] && [ -z "$bad" ] && ! grep -q '^Wrote' "$dir/out.txt" &&
        ok "a second SIGINT ends at once, no partial file (after ${delay}s)" ||
        not_ok "a second SIGINT ends at once, no partial file" "exit $rc after ${took}s: $bad"
done

# nnlab run: the runs stop, the figures show them so far
dir=$(fresh_dir)
cat >"$dir/long.ini" <<'INI'
[experiment]
datasets = xor
[train]
epochs = 5000000
[vary]
lr = 0.1, 0.01
INI
interrupt 1 INT run "$dir/long.ini" --out "$dir/p" --runs "$dir/r" --quiet
[ $rc -eq 130 ] && [ -s "$dir/p/xor_comparison.png" ] && grep -q "interrupted" "$dir/p/README.md" &&
    [ -z "$(check_complete "$dir")" ] &&
    ok "SIGINT during nnlab run draws the runs so far, exits 130" ||
    not_ok "SIGINT during nnlab run" "exit $rc: $(cat "$dir/err.txt") $(ls "$dir/p")"

# An interrupted nnlab run starts no more runs, and the runs it did not start
# keep an earlier complete run's files; the folders say they are incomplete
dir=$(fresh_dir)
cat >"$dir/three.ini" <<'INI'
[experiment]
datasets = xor
[train]
epochs = 200
[vary]
lr = 0.1, 0.01, 0.001
INI
"$NNLAB" run "$dir/three.ini" --out "$dir/p" --runs "$dir/r" --quiet --format svg >/dev/null 2>&1
sum_before=$(cat "$dir/r/xor_lr-0.01/"* "$dir/r/xor_lr-0.001/"* | cksum)
sed -i 's/epochs = 200/epochs = 5000000/' "$dir/three.ini"
interrupt 0.5 TERM run "$dir/three.ini" --out "$dir/p" --runs "$dir/r" --quiet --format svg --jobs 1
rows=$(($(wc -l <"$dir/r/xor_lr-0.1/history.csv") - 1))
[ $rc -eq 143 ] && [ "$(cat "$dir/r/xor_lr-0.01/"* "$dir/r/xor_lr-0.001/"* | cksum)" = "$sum_before" ] &&
    [ "$rows" -gt 200 ] && [ -s "$dir/p/INCOMPLETE" ] && [ -s "$dir/r/INCOMPLETE" ] &&
    grep -q '^\*\*Incomplete\*\*: interrupted by SIGTERM; 2 of 3 runs had not started' "$dir/p/README.md" &&
    grep -q '^| xor | .*lr 0.001, .* - not started | 0 | - | - | - |$' "$dir/p/README.md" &&
    [ -z "$(check_complete "$dir")" ] &&
    ok "an interrupted run starts no more runs and leaves the earlier runs' files whole, marked incomplete" ||
    not_ok "an interrupted run starts no more runs" "exit $rc, $rows rows: $(cat "$dir/err.txt") $(check_complete "$dir")"

# SIGHUP (the terminal closed) and SIGPIPE (the reader of the output left) are
# handled as SIGTERM: stop at the end of the epoch, save, marked interrupted
dir=$(fresh_dir)
interrupt 0.3 HUP train --epochs 5000000 --quiet --format svg --out "$dir/o"
rows=$(($(wc -l <"$dir/o/history.csv" 2>/dev/null || echo 1) - 1))
[ $rc -eq 129 ] && [ "$rows" -gt 0 ] && [ -s "$dir/o/model.txt" ] &&
    grep -q "interrupted at epoch $rows of 5000000" "$dir/o/INCOMPLETE" && [ -z "$(check_complete "$dir/o")" ] &&
    ok "SIGHUP stops training at the end of an epoch, saves, exits 129" ||
    not_ok "SIGHUP stops training and saves" "exit $rc, $rows rows: $(cat "$dir/err.txt")"
dir=$(fresh_dir)
{ "$NNLAB" train --epochs 5000000 --format svg --out "$dir/o" 2>"$dir/err.txt"; echo $? >"$dir/rc"; } | head -n 1 >/dev/null
rows=$(($(wc -l <"$dir/o/history.csv" 2>/dev/null || echo 1) - 1))
[ "$(cat "$dir/rc")" = 141 ] && [ "$rows" -gt 0 ] && [ "$rows" -lt 5000000 ] && [ -s "$dir/o/model.txt" ] &&
    grep -q "interrupted at epoch $rows of 5000000" "$dir/o/INCOMPLETE" && [ -z "$(check_complete "$dir/o")" ] &&
    ok "SIGPIPE (output piped to head) stops training, saves, exits 141" ||
    not_ok "SIGPIPE stops training and saves" "exit $(cat "$dir/rc"), $rows rows: $(cat "$dir/err.txt")"

# Writes that fail half-way: a file size limit (EFBIG) and a full disk (ENOSPC).
# The model and predictions, written first, are kept; the history that did not
# fit is not there at all, and INCOMPLETE says the folder is not whole.
dir=$(fresh_dir)
(trap '' XFSZ; ulimit -f 200; "$NNLAB" train --epochs 100000 --quiet --out "$dir/o" >/dev/null 2>"$dir/err.txt")
rc=$?
[ $rc -eq 1 ] && grep -q "cannot write $dir/o/history.csv: File too large" "$dir/err.txt" &&
    [ "$(ls "$dir/o" | tr '\n' ' ')" = "INCOMPLETE model.txt predictions.csv " ] &&
    [ -z "$(check_complete "$dir/o")" ] &&
    ok "a write that fails half-way leaves nothing half-written, keeps the model (EFBIG)" ||
    not_ok "a write that fails half-way (EFBIG)" "exit $rc: $(cat "$dir/err.txt"); left: $(ls -A "$dir/o" | tr '\n' ' ')"

# A file size limit without SIGXFSZ ignored: the same clear message, no temporary
dir=$(fresh_dir)
(ulimit -f 20; "$NNLAB" train --epochs 2000 --quiet --out "$dir/o" >/dev/null 2>"$dir/err.txt")
rc=$?
[ $rc -eq 1 ] && grep -q "^nnlab train: cannot write $dir/o/history.csv: File too large$" "$dir/err.txt" &&
    [ -s "$dir/o/model.txt" ] && [ -z "$(check_complete "$dir/o")" ] &&
    ok "a file size limit (SIGXFSZ): a clear message, the model kept, no temporary" ||
    not_ok "a file size limit (SIGXFSZ)" "exit $rc: $(cat "$dir/err.txt"); $(ls -A "$dir/o" | tr '\n' ' ')"

# Too few file descriptors: said at once, nothing written
dir=$(fresh_dir)
(cd "$dir" && ulimit -n 5 && exec "$NNLAB" train --epochs 10 --quiet) >/dev/null 2>"$dir/err.txt"
rc=$?
[ $rc -eq 1 ] && [ "$(wc -l <"$dir/err.txt")" -eq 1 ] &&
    grep -q '^nnlab: too many open files: [0-9]* file descriptors are free, 16 are needed (ulimit -n is 5)$' "$dir/err.txt" &&
    [ -z "$(ls "$dir" | grep -v err.txt)" ] &&
    ok "too few file descriptors: exit 1, a clear message, nothing written" ||
    not_ok "too few file descriptors" "exit $rc: $(cat "$dir/err.txt"); $(ls "$dir")"

# A virtual memory limit (not under AddressSanitizer, which needs terabytes of
# address space): out of memory is exit 1; a drawing library that dies of it
# costs neither the results nor a temporary
if ! grep -aq AddressSanitizer "$NNLAB"; then
    dir=$(fresh_dir)
    (cd "$dir" && ulimit -v 150000 && "$NNLAB" train --dataset xor --epochs 10000000 --quiet \
        --out o >/dev/null 2>"$dir/err.txt")
    rc=$?
    [ $rc -eq 1 ] && grep -q '^nnlab train: out of memory for 10000000 epochs of history$' "$dir/err.txt" &&
        [ ! -e "$dir/o" ] && ok "out of memory: exit 1" ||
        not_ok "out of memory: exit 1" "exit $rc: $(cat "$dir/err.txt")"
    for limit in 24000 60000; do
        dir=$(fresh_dir)
        (ulimit -v $limit && "$NNLAB" train --dataset xor --epochs 100 --quiet --out "$dir/o" \
            >/dev/null 2>"$dir/err.txt")
        rc=$?
        if [ $rc -eq 0 ] || { [ $rc -eq 1 ] && [ "$(wc -l <"$dir/err.txt")" -eq 1 ] &&
            grep -q "^nnlab train: $dir/o/learning_curve.png: " "$dir/err.txt" &&
            [ -s "$dir/o/INCOMPLETE" ]; } && [ -s "$dir/o/model.txt" ] && [ -z "$(check_complete "$dir/o")" ]; then
            ok "a virtual memory limit of $limit KB while drawing: a clear message, the model kept, no temporary"
        else
            not_ok "a virtual memory limit of $limit KB while drawing" "exit $rc: $(head -c 600 "$dir/err.txt"); $(ls -A "$dir/o" | tr '\n' ' ')"
        fi
    done
else
    ok "out of memory and virtual memory limits # skip: the binary cannot run under ulimit -v (AddressSanitizer)"
fi

# A small tmpfs, mounted in a private mount namespace (as root, or as a user
# with user namespaces): full, and read-only.
dir=$(fresh_dir)
if unshare -rm sh -c "mount -t tmpfs -o size=256k tmpfs '$dir'" 2>/dev/null; then
    unshare -rm sh -c "
        mount -t tmpfs -o size=256k tmpfs '$dir' && mkdir '$dir/o' &&
        '$NNLAB' train --epochs 100000 --quiet --out '$dir/o' >/dev/null 2>'$dir/err.txt'
        echo \$? >'$dir/../full-rc'; cat '$dir/err.txt' >'$dir/../full-err.txt'
        ls -A '$dir/o' | tr '\n' ' ' >'$dir/../full-left.txt'"
    [ "$(cat "$dir/../full-rc")" = 1 ] &&
        grep -q "cannot write $dir/o/history.csv: No space left on device" "$dir/../full-err.txt" &&
        [ "$(cat "$dir/../full-left.txt")" = "INCOMPLETE model.txt predictions.csv " ] &&
        ok "a full disk: a clear message, nothing half-written (ENOSPC)" ||
        not_ok "a full disk (ENOSPC)" "exit $(cat "$dir/../full-rc"): $(cat "$dir/../full-err.txt") left: $(cat "$dir/../full-left.txt")"
    unshare -rm sh -c "
        mount -t tmpfs -o ro tmpfs '$dir' &&
        '$NNLAB' train --epochs 10 --quiet --out '$dir/o' >/dev/null 2>'$dir/../ro-err.txt'
        echo \$? >'$dir/../ro-rc'"
    [ "$(cat "$dir/../ro-rc")" = 2 ] &&
        grep -q "cannot create folder $dir/o: Read-only file system" "$dir/../ro-err.txt" &&
        ok "--out on a read-only file system: exit 2, a clear message" ||
        not_ok "--out on a read-only file system" "exit $(cat "$dir/../ro-rc"): $(cat "$dir/../ro-err.txt")"
else
    not_ok "a full disk and a read-only place" "cannot mount a tmpfs here (needs root or user namespaces)"
fi

# A small experiment on a 1 MB file system, run again once it is read-only
# and once it is full: nothing of the earlier run is damaged
dir=$(fresh_dir)
state=$(fresh_dir)
printf '[experiment]\ndatasets = xor\n[train]\nepochs = 300\n[vary]\nlr = 0.1, 0.01\n' >"$state/fs.ini"
sed 's/epochs = 300/epochs = 3000/' "$state/fs.ini" >"$state/fs2.ini"
if unshare -rm true 2>/dev/null; then
    unshare -rm sh -c "
        mount -t tmpfs -o size=1m tmpfs '$dir' && cd '$dir' || exit
        run() { '$NNLAB' run \"\$1\" --out p --runs r --quiet --format svg >/dev/null 2>\"\$2\"; echo \$? >\"\$2.rc\"; }
        sums() { find . -type f | sort | xargs cksum >\"\$1\"; }
        run '$state/fs.ini' '$state/first' && sums '$state/before'
        mount -o remount,ro '$dir' && run '$state/fs.ini' '$state/ro' && sums '$state/ro-after'
        mount -o remount,rw '$dir'
        dd if=/dev/zero of=fill bs=1k count=\$((\$(df -k . | awk 'NR == 2 { print \$4 }') - 60)) 2>/dev/null
        run '$state/fs2.ini' '$state/full' && rm fill && sums '$state/full-after'
        cp -R p r '$state/'"
    if [ "$(cat "$state/first.rc")" = 0 ] && [ "$(cat "$state/ro.rc")" = 2 ] &&
        grep -q "^nnlab run: --out: cannot write p/INCOMPLETE: Read-only file system$" "$state/ro" &&
        cmp -s "$state/before" "$state/ro-after"; then
        ok "an experiment on a read-only file system: exit 2, nothing changed"
    else
        not_ok "an experiment on a read-only file system" "exit $(cat "$state/ro.rc" "$state/ro")"
    fi
    # the histories that did not fit are the earlier run's still; what was
    # written is whole; the folders say they are incomplete
    kept=$(grep -c 'history.csv$' "$state/before")
    same=$(grep 'history.csv$' "$state/before" | grep -cxFf "$state/full-after")
    if [ "$(cat "$state/full.rc")" = 1 ] && [ "$(wc -l <"$state/full")" -eq 1 ] &&
        grep -q ": No space left on device$" "$state/full" && [ "$kept" -eq 2 ] && [ "$same" -eq 2 ] &&
        [ -s "$state/p/INCOMPLETE" ] && [ -s "$state/r/INCOMPLETE" ] &&
        ! grep -q '\.tmp\.' "$state/full-after" && [ -z "$(check_complete "$state/p")$(check_complete "$state/r")" ]; then
        ok "an experiment on a full file system: exit 1, the earlier results whole, marked incomplete"
    else
        not_ok "an experiment on a full file system" "exit $(cat "$state/full.rc" "$state/full"); $same of $kept histories kept; $(check_complete "$state/r")"
    fi
else
    not_ok "an experiment on a 1 MB file system" "cannot mount a tmpfs here (needs root or user namespaces)"
fi

# Never replace what is not a regular file; a folder for --save-model is found
# before training
dir=$(fresh_dir)
mkdir "$dir/model.txt"
"$NNLAB" train --epochs 10 --quiet --format svg --out "$dir/o" --save-model "$dir/model.txt" >/dev/null 2>"$dir/err.txt"
rc=$?
[ $rc -eq 2 ] && [ -d "$dir/model.txt" ] && [ ! -e "$dir/o" ] &&
    grep -q "^nnlab train: --save-model: $dir/model.txt is a folder; a file name is expected$" "$dir/err.txt" &&
    ok "--save-model onto a folder is refused before training and leaves it alone" ||
    not_ok "--save-model onto a folder" "exit $rc: $(cat "$dir/err.txt")"

# Limits
dir=$(fresh_dir)
awk 'BEGIN { print "x1,x2,label"; for (i = 0; i <= 1000000; i++) print "0.5,0.25,1" }' >"$dir/big.csv"
expect_fail "more rows than the limit" 2 "big.csv:1000002: more than 1000000 rows" train --data "$dir/big.csv"
rm -f "$dir/big.csv"

# Odd numbers: -0 and subnormals are read as they are; 1e308 and inf are refused
dir=$(fresh_dir)
printf 'x1,x2,label\n-0,4.9e-324,0\n0.5,-0.0,1\n1e-310,1,1\n' >"$dir/odd.csv"
"$NNLAB" train --data "$dir/odd.csv" --epochs 10 --quiet --format svg --out "$dir/o" >/dev/null 2>"$dir/err.txt" &&
    [ "$(sed -n 2p "$dir/o/predictions.csv" | cut -d, -f1,2)" = "0,4.9406564584124654e-324" ] &&
    ok "-0 and subnormal coordinates are accepted (-0 read as 0)" ||
    not_ok "-0 and subnormal coordinates" "$(cat "$dir/err.txt") $(sed -n 2p "$dir/o/predictions.csv")"
"$NNLAB" train --dataset xor --epochs 0 --hidden 1,1 --quiet --format svg --out "$dir/m" >/dev/null 2>&1
sed 's/^layer 1 bias 1$/&/; /^layer 1 bias 1$/{n;s/.*/-0/}' "$dir/m/model.txt" >"$dir/negzero.txt"
expect_fail "model weight 1e308 refused" 2 'huge.txt:8: expected a finite number within \+-1e\+100, found "1e308"' \
    train --load-model "$(sed '8s/^[^ ]*/1e308/' "$dir/m/model.txt" >"$dir/huge.txt"; echo "$dir/huge.txt")" --epochs 0
expect_fail "model weight inf refused" 2 'inf.txt:8: expected a finite number within \+-1e\+100, found "inf"' \
    train --load-model "$(sed '8s/^[^ ]*/inf/' "$dir/m/model.txt" >"$dir/inf.txt"; echo "$dir/inf.txt")" --epochs 0
"$NNLAB" train --dataset xor --epochs 0 --load-model "$dir/negzero.txt" --quiet --format svg --out "$dir/n" >/dev/null 2>&1 &&
    ok "a model with -0 loads" || not_ok "a model with -0 loads" "refused"

finish
