# harness.sh - a small TAP-style harness for tests of the nnlab binary.
# Sourced by tests/cli/*.sh; $NNLAB is the program under test.
#
#   expect_fail NAME STATUS PATTERN ARGS...
#       runs "$NNLAB ARGS..." in a fresh folder; passes when it exits with
#       STATUS, prints exactly one line on stderr matching the extended regular
#       expression PATTERN, and leaves no file behind in that folder.
#   ok NAME / not_ok NAME WHY      record a result
#   finish                          exit status: 0 if nothing failed

set -u
NNLAB=$(cd "$(dirname "$NNLAB")" && pwd)/$(basename "$NNLAB")
TESTS_TMP=$(mktemp -d)
trap 'rm -rf "$TESTS_TMP"' EXIT
FAILURES=0

ok() { echo "ok - $1"; }
not_ok() {
    echo "not ok - $1"
    shift
    echo "#   $*"
    FAILURES=$((FAILURES + 1))
}

# A fresh empty folder for one check; prints its path.
fresh_dir() {
    mktemp -d "$TESTS_TMP/t.XXXXXX"
}

expect_fail() {
    _name=$1 _status=$2 _pattern=$3
    shift 3
    _dir=$(fresh_dir)
    (cd "$_dir" && "$NNLAB" "$@" >stdout.txt 2>stderr.txt)
    _rc=$?
    _lines=$(wc -l <"$_dir/stderr.txt")
    _left=$(cd "$_dir" && find . -mindepth 1 ! -name stdout.txt ! -name stderr.txt | head -n 3)
    if [ "$_rc" -ne "$_status" ]; then
        not_ok "$_name" "exit status $_rc, expected $_status; stderr: $(head -c 300 "$_dir/stderr.txt")"
    elif [ "$_lines" -ne 1 ]; then
        not_ok "$_name" "expected one line on stderr, got $_lines: $(head -c 300 "$_dir/stderr.txt")"
    elif ! grep -Eq -- "$_pattern" "$_dir/stderr.txt"; then
        not_ok "$_name" "stderr does not match /$_pattern/: $(cat "$_dir/stderr.txt")"
    elif [ -n "$_left" ]; then
        not_ok "$_name" "left files behind: $_left"
    else
        ok "$_name"
    fi
}

# Writes stdin to an input file named NAME outside the checks' folders and
# prints its absolute path.
input() {
    mkdir -p "$TESTS_TMP/inputs"
    cat >"$TESTS_TMP/inputs/$1"
    echo "$TESTS_TMP/inputs/$1"
}

finish() {
    [ "$FAILURES" -eq 0 ]
}
