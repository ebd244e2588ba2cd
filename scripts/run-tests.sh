#!/bin/sh
# Runs every test of nnlab and ends with one summary line.
#   scripts/run-tests.sh BUILD_DIR
# C unit tests: BUILD_DIR/tests/test_* (cmocka). Command-line tests:
# tests/cli/*.sh, each printing "ok - ..." or "not ok - ..." lines (TAP style),
# run against BUILD_DIR/nnlab.
set -u
build=${1:-build}
passed=0
failed=0
failed_names=""
log=$(mktemp)
# A sanitized build (make test SANITIZE=1) stops at its first ASan, LSan or
# UBSan finding with a non-zero status, and writes the report into san_dir
# rather than onto stderr: a finding then fails the run even in a program run
# whose exit status or output a test does not look at. tests/lsan.supp names
# the leaks of system libraries that are not ours to fix. (For other builds
# these settings do nothing.)
san_dir=$(mktemp -d)
trap 'rm -f "$log"; rm -rf "$san_dir"' EXIT
top=$(cd "$(dirname "$0")/.." && pwd)
export ASAN_OPTIONS="detect_leaks=1:log_path=$san_dir/asan${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$san_dir/ubsan${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    "$t" >"$log" 2>&1
    rc=$?
    cat "$log"
    p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    if [ "$rc" -ne 0 ] && [ -z "$f" ]; then
        failed=$((failed + 1)) # crashed before cmocka could count
        failed_names="$failed_names $t(exit $rc)"
    elif [ -n "$f" ] && [ "$f" -ne 0 ]; then
        failed_names="$failed_names $t"
    fi
done

for t in tests/cli/*.sh; do
    [ -f "$t" ] || continue
    NNLAB="$build/nnlab" sh "$t" >"$log" 2>&1
    rc=$?
    cat "$log"
    p=$(grep -c '^ok ' "$log")
    f=$(grep -c '^not ok ' "$log")
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        failed=$((failed + 1))
        failed_names="$failed_names $t(exit $rc)"
    elif [ "$f" -ne 0 ]; then
        failed_names="$failed_names $t"
    fi
done

for report in "$san_dir"/*; do
    [ -f "$report" ] && grep -qE 'ERROR: |runtime error|SUMMARY: ' "$report" || continue
    echo "sanitizer report $(basename "$report"):"
    cat "$report"
    failed=$((failed + 1))
    failed_names="$failed_names sanitizer:$(basename "$report")"
done

[ -n "$failed_names" ] && echo "failing:$failed_names"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
