#!/bin/sh
# The live window (--live) on a virtual X display of its own: Xvfb started on a
# free display number (-displayfd) and ended with the tests. Screenshots with
# xwd and ImageMagick, keys sent with xdotool. -noreset: by default an X server
# resets each time its last client leaves, and a window opened at that moment
# (the next test's, right after a run ends) can be refused; once in CI it was.
. "$(dirname "$0")/lib/harness.sh"

# ---- without a display: one line, status 2, before training -----------------
unset DISPLAY
for cmd in train run compare; do
    exp=$(input live.ini <<'EOF'
[experiment]
datasets = xor
[train]
epochs = 10000000
EOF
)
    case $cmd in
    train) args="train --live --epochs 10000000" ;;
    run) args="run $exp --live" ;;
    compare) args="compare --dataset xor --vary lr=0.5,0.1 --epochs 10000000 --live" ;;
    esac
    start=$(date +%s%N)
    # shellcheck disable=SC2086
    expect_fail "$cmd --live without DISPLAY exits 2 with one line" 2 \
        "--live: no display to open the window on: DISPLAY is not set" $args
    ms=$((($(date +%s%N) - start) / 1000000))
    [ $ms -lt 3000 ] && ok "$cmd --live without DISPLAY fails at once ($ms ms), before training" ||
        not_ok "$cmd --live without DISPLAY fails at once" "took $ms ms"
done

# ---- a display ----------------------------------------------------------------
missing=""
for tool in Xvfb xdotool xwd convert; do
    command -v $tool >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
    not_ok "the tools of the live window's tests are installed" \
        "missing:$missing (scripts/install-deps.sh installs xvfb, xdotool, x11-apps, imagemagick)"
    finish
    exit 1
fi
Xvfb -displayfd 3 -noreset -screen 0 1600x1200x24 -nolisten tcp 3>"$TESTS_TMP/display" \
    >"$TESTS_TMP/xvfb.log" 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null; rm -rf "$TESTS_TMP"' EXIT
for _ in $(seq 100); do
    [ -s "$TESTS_TMP/display" ] && break
    sleep 0.1
done
DISPLAY=:$(head -n 1 "$TESTS_TMP/display")
export DISPLAY
if ! xdotool getdisplaygeometry >/dev/null 2>&1 || ! command -v compare >/dev/null; then
    not_ok "Xvfb starts" "$(cat "$TESTS_TMP/xvfb.log")"
    finish
    exit 1
fi

# The id of the window whose name starts with $1, once it is there (20 s at most).
window_of() {
    for _ in $(seq 200); do
        w=$(xdotool search --name "^$1" 2>/dev/null | head -n 1)
        [ -n "$w" ] && { echo "$w"; return 0; }
        sleep 0.1
    done
    return 1
}

# The fraction of the pixels of a region WxH+X+Y of a PNG that are coloured
# (HSL saturation above 25%): curves, map cells, weights; not the white page,
# the grey grid, frames and text.
coloured() {
    convert "$1" -crop "$2" +repage -colorspace HSL -channel G -separate +channel \
        -threshold 25% -format "%[fx:mean]" info:
}

# Whether two images have the same pixels (PNG files differ anyway: ImageMagick
# writes the time into them).
same_pixels() {
    [ "$(compare -metric AE "$1" "$2" null: 2>&1)" = "0" ]
}

# What to say when a window did not come: whether the X server still runs, and its log.
xserver() {
    kill -0 $xvfb 2>/dev/null && printf 'Xvfb runs' || printf 'Xvfb has ended'
    printf '; its log: %s' "$(tail -n 5 "$TESTS_TMP/xvfb.log")"
}

above() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }

# ---- a long train --live: frames, a screenshot, s, then q -----------------------
dir=$(fresh_dir)
(cd "$dir" && exec "$NNLAB" train --dataset spiral --activation tanh --epochs 10000000 \
    --live --out out --quiet >stdout.txt 2>stderr.txt) &
pid=$!
if w=$(window_of "nnlab train"); then
    ok "train --live opens a window named nnlab train"
    sleep 2
    xwd -id "$w" -silent | convert xwd:- "$dir/shot1.png"
    redrawn=0
    for _ in $(seq 20); do # frames come slowly when the processors are busy
        sleep 0.5
        xwd -id "$w" -silent | convert xwd:- "$dir/shot2.png"
        same_pixels "$dir/shot1.png" "$dir/shot2.png" || { redrawn=1; break; }
    done
    size=$(identify -format "%wx%h" "$dir/shot2.png" 2>/dev/null)
    [ "$size" = "1400x880" ] && ok "the window is 1400x880" || not_ok "the window is 1400x880" "$size"
    [ $redrawn -eq 1 ] && ok "the window is redrawn as the run trains (a later screenshot differs)" ||
        not_ok "the window is redrawn as the run trains" "the same pixels for 10 s"
    # the 2x2 panels' insides: curves, curves, map, network
    for panel in "learning curve:520x280+120+90:0.005" "accuracy curve:520x280+820+90:0.005" \
        "boundary map:520x280+120+520:0.3" "network diagram:520x280+820+520:0.05"; do
        name=${panel%%:*} rest=${panel#*:}
        region=${rest%%:*} least=${rest#*:}
        f=$(coloured "$dir/shot2.png" "$region")
        above "$f" "$least" && ok "the screenshot shows the $name ($f of its region coloured)" ||
            not_ok "the screenshot shows the $name" "$f of $region coloured, at least $least expected"
    done
    f=$(coloured "$dir/shot2.png" 1400x14+0+0)
    above 0.001 "$f" && ok "the page's top edge is blank (the measure can tell)" ||
        not_ok "the page's top edge is blank" "$f coloured"

    # space: paused, the process uses (almost) no processor time; space: it trains again
    cpu() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; } # clock ticks, 100 a second
    xdotool key --window "$w" space 2>/dev/null
    sleep 1
    c0=$(cpu)
    sleep 2
    paused=$(($(cpu) - c0))
    xdotool key --window "$w" space 2>/dev/null
    sleep 0.5
    c0=$(cpu)
    sleep 2
    running=$(($(cpu) - c0))
    # (a fifth of the running time at most: the window's event loop still runs,
    # slower under the sanitizers; training alone would take the rest)
    [ $((paused * 5)) -le $running ] && [ $running -ge 40 ] &&
        ok "space pauses training ($paused ticks in 2 s) and space resumes it ($running ticks)" ||
        not_ok "space pauses and resumes training" "$paused ticks paused, $running running, in 2 s"

    xdotool key --window "$w" s 2>/dev/null
    for _ in $(seq 100); do [ -f "$dir/out/live_1.png" ] && break; sleep 0.1; done
    [ "$(identify -format "%wx%h" "$dir/out/live_1.png" 2>/dev/null)" = "1400x880" ] &&
        grep -q "saved the window's frame as out/live_1.png" "$dir/stderr.txt" &&
        ok "s saves the frame as out/live_1.png and says so" ||
        not_ok "s saves the frame as out/live_1.png" "$(ls "$dir/out"; cat "$dir/stderr.txt")"
    f=$(coloured "$dir/out/live_1.png" 520x280+120+520)
    above "$f" 0.3 && ok "the saved frame shows the map ($f coloured)" ||
        not_ok "the saved frame shows the map" "$f coloured"

    xdotool key --window "$w" q 2>/dev/null
else
    not_ok "train --live opens a window named nnlab train" "no window; $(cat "$dir/stderr.txt"); $(xserver)"
    kill $pid
fi
wait $pid
rc=$?
[ $rc -eq 130 ] && ok "q in the window stops train --live with status 130" ||
    not_ok "q stops train --live with status 130" "status $rc: $(cat "$dir/stderr.txt")"
rows=$(($(wc -l <"$dir/out/history.csv" 2>/dev/null || echo 1) - 1))
[ -f "$dir/out/model.txt" ] && [ -f "$dir/out/learning_curve.png" ] &&
    [ $rows -gt 0 ] && [ $rows -lt 10000000 ] && grep -q interrupted "$dir/out/INCOMPLETE" &&
    grep -q "interrupted at epoch $rows of 10000000" "$dir/stderr.txt" &&
    ok "after q the partial run is saved ($rows epochs) and marked interrupted" ||
    not_ok "after q the partial run is saved and marked interrupted" \
        "$rows rows; $(ls "$dir/out" 2>&1); $(cat "$dir/stderr.txt")"
[ -z "$(xdotool search --name '^nnlab train' 2>/dev/null)" ] && ok "the window is closed after the run" ||
    not_ok "the window is closed after the run" "a window named nnlab train is still there"

# ---- closing the window: what a window manager sends (WM_DELETE_WINDOW) ----------
# Xvfb has no window manager, and this xdotool cannot send it: libX11 from python.
close_window() {
    python3 - "$1" <<'EOF'
import ctypes, sys
x = ctypes.CDLL("libX11.so.6")
x.XOpenDisplay.restype = ctypes.c_void_p
x.XOpenDisplay.argtypes = [ctypes.c_char_p]
x.XInternAtom.restype = ctypes.c_ulong
x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
x.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long,
                         ctypes.c_void_p]
x.XFlush.argtypes = x.XCloseDisplay.argtypes = [ctypes.c_void_p]
class ClientMessage(ctypes.Structure):  # XClientMessageEvent, padded to an XEvent
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong),
                ("send_event", ctypes.c_int), ("display", ctypes.c_void_p),
                ("window", ctypes.c_ulong), ("message_type", ctypes.c_ulong),
                ("format", ctypes.c_int), ("l", ctypes.c_long * 5), ("pad", ctypes.c_long * 12)]
d = x.XOpenDisplay(None)
e = ClientMessage(type=33, window=int(sys.argv[1]), format=32,
                  message_type=x.XInternAtom(d, b"WM_PROTOCOLS", 0))
e.l[0] = x.XInternAtom(d, b"WM_DELETE_WINDOW", 0)
sent = x.XSendEvent(d, e.window, 0, 0, ctypes.byref(e))
x.XFlush(d)
x.XCloseDisplay(d)
sys.exit(0 if sent else 1)
EOF
}
# A long train --live in a fresh folder, $dir, its window given to the command $1 (what
# it does: $2) a second after it opens; the program's status in $rc.
live_train_ended_by() {
    dir=$(fresh_dir)
    (cd "$dir" && exec "$NNLAB" train --dataset circle --epochs 10000000 --live --out out \
        --quiet >stdout.txt 2>stderr.txt) &
    pid=$!
    if w=$(window_of "nnlab train"); then
        sleep 1
        "$1" "$w" || not_ok "$2" "python3 and libX11"
    else
        not_ok "train --live opens a window named nnlab train" \
            "no window; $(cat "$dir/stderr.txt"); $(xserver)"
        kill $pid
    fi
    wait $pid
    rc=$?
}
live_train_ended_by close_window "a window-closing message can be sent"
[ $rc -eq 130 ] && [ -f "$dir/out/model.txt" ] && grep -q interrupted "$dir/out/INCOMPLETE" &&
    ok "closing the window stops train --live as q does: status 130, the run saved as interrupted" ||
    not_ok "closing the window stops train --live with status 130" \
        "status $rc: $(ls "$dir/out" 2>&1); $(cat "$dir/stderr.txt")"

# ---- the window's connection lost: its client killed, as xkill does ---------------
kill_client() {
    python3 - "$1" <<'EOF'
import ctypes, sys
x = ctypes.CDLL("libX11.so.6")
x.XOpenDisplay.restype = ctypes.c_void_p
x.XOpenDisplay.argtypes = [ctypes.c_char_p]
x.XKillClient.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
x.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
x.XCloseDisplay.argtypes = [ctypes.c_void_p]
d = x.XOpenDisplay(None)
x.XKillClient(d, int(sys.argv[1]))
x.XSync(d, 0)
x.XCloseDisplay(d)
EOF
}
live_train_ended_by kill_client "the window's client can be killed"
[ $rc -eq 130 ] && [ -f "$dir/out/model.txt" ] && grep -q interrupted "$dir/out/INCOMPLETE" &&
    ok "a killed window connection stops train --live as closing it does: status 130, saved" ||
    not_ok "a killed window connection stops train --live with status 130, the run saved" \
        "status $rc: $(ls "$dir/out" 2>&1); $(cat "$dir/stderr.txt")"

# ---- the same results with and without the window ------------------------------
dir=$(fresh_dir)
(cd "$dir" && "$NNLAB" train --dataset moons --hidden 8,8 --optimizer adam --lr 0.01 \
    --batch-size 16 --epochs 3000 --out plain --quiet >/dev/null 2>&1 &&
    "$NNLAB" train --dataset moons --hidden 8,8 --optimizer adam --lr 0.01 --batch-size 16 \
        --epochs 3000 --live --out live --quiet >/dev/null 2>&1)
rc=$?
[ $rc -eq 0 ] && cmp -s "$dir/plain/history.csv" "$dir/live/history.csv" &&
    cmp -s "$dir/plain/model.txt" "$dir/live/model.txt" &&
    ok "train --live of 3000 epochs: history.csv and model.txt are byte for byte those without" ||
    not_ok "train --live gives the same history.csv and model.txt" "status $rc"

exp=$(input live_lr.ini <<'EOF'
[experiment]
datasets = xor, circle
figures = comparison
[train]
hidden = 8
epochs = 4000
[vary]
lr = 0.5, 0.1
EOF
)
dir=$(fresh_dir)
(cd "$dir" && "$NNLAB" run "$exp" --out p1 --runs r1 --quiet >/dev/null 2>&1 &&
    "$NNLAB" run "$exp" --out p2 --runs r2 --live --quiet >/dev/null 2>&1)
rc=$?
same=0
for r in xor_lr-0.5 xor_lr-0.1 circle_lr-0.5 circle_lr-0.1; do
    cmp -s "$dir/r1/$r/history.csv" "$dir/r2/$r/history.csv" && same=$((same + 1))
done
[ $rc -eq 0 ] && [ $same -eq 4 ] &&
    ok "run --live of 4 runs: every history.csv is byte for byte that without" ||
    not_ok "run --live gives the same history.csv files" "status $rc, $same of 4 the same"

dir=$(fresh_dir)
(cd "$dir" && "$NNLAB" compare --dataset circle --vary lr=0.5,0.1 --epochs 3000 --out c1 \
    --quiet >/dev/null 2>&1 &&
    "$NNLAB" compare --dataset circle --vary lr=0.5,0.1 --epochs 3000 --out c2 --live \
        --quiet >/dev/null 2>&1)
rc=$?
same=0
for r in circle_lr-0.5 circle_lr-0.1; do
    cmp -s "$dir/c1/$r/history.csv" "$dir/c2/$r/history.csv" && same=$((same + 1))
done
[ $rc -eq 0 ] && [ $same -eq 2 ] &&
    ok "compare --live of 2 runs: every history.csv is byte for byte that without" ||
    not_ok "compare --live gives the same history.csv files" "status $rc, $same of 2 the same"

# ---- compare --live: its window, then q -------------------------------------------
dir=$(fresh_dir)
(cd "$dir" && exec "$NNLAB" compare --dataset spiral --activation tanh --vary lr=0.1,0.03 \
    --epochs 10000000 --out c --live --quiet >stdout.txt 2>stderr.txt) &
pid=$!
if w=$(window_of "nnlab compare lr: 2 runs"); then
    ok "compare --live opens a window named after the setting varied"
    sleep 1
    xdotool key --window "$w" q 2>/dev/null
else
    not_ok "compare --live opens a window named nnlab compare lr: 2 runs" \
        "no window; $(cat "$dir/stderr.txt"); $(xserver)"
    kill $pid
fi
wait $pid
rc=$?
[ $rc -eq 130 ] && [ -f "$dir/c/INCOMPLETE" ] && [ -f "$dir/c/spiral_comparison.png" ] &&
    ok "q stops compare --live with status 130, its figures drawn and the folder marked" ||
    not_ok "q stops compare --live with status 130" \
        "status $rc: $(ls "$dir/c" 2>&1) $(cat "$dir/stderr.txt")"

# ---- run --live: the runs' curves, then q ----------------------------------------
exp=$(input live_long.ini <<'EOF'
[experiment]
datasets = spiral
[train]
activation = tanh
epochs = 10000000
[vary]
lr = 0.1, 0.03, 0.01
EOF
)
dir=$(fresh_dir)
(cd "$dir" && exec "$NNLAB" run "$exp" --out p --runs r --jobs 3 --live --quiet \
    >stdout.txt 2>stderr.txt) &
pid=$!
if w=$(window_of "nnlab run live_long"); then
    # three runs' curves: three colours of the cycle in the learning curve's panel (the
    # window draws fewer frames while three runs keep both processors busy)
    for _ in $(seq 20); do
        sleep 1
        xwd -id "$w" -silent | convert xwd:- "$dir/shot.png"
        colours=$(convert "$dir/shot.png" -crop 520x280+120+90 +repage -format %c histogram:info:- |
            grep -ciE "#1F77B4|#FF7F0E|#2CA02C")
        [ "$colours" -eq 3 ] && break
    done
    [ "$colours" -eq 3 ] && ok "run --live draws a curve for each of its 3 runs, a colour each" ||
        not_ok "run --live draws a curve for each run" "$colours of the 3 colours found"
    xdotool key --window "$w" q 2>/dev/null
else
    not_ok "run --live opens a window named nnlab run live_long" \
        "no window; $(cat "$dir/stderr.txt"); $(xserver)"
    kill $pid
fi
wait $pid
rc=$?
[ $rc -eq 130 ] && [ -f "$dir/p/INCOMPLETE" ] && [ -f "$dir/p/spiral_comparison.png" ] &&
    ok "q stops run --live with status 130, its figures drawn and the folder marked" ||
    not_ok "q stops run --live with status 130" "status $rc: $(ls "$dir/p" 2>&1) $(cat "$dir/stderr.txt")"

finish
