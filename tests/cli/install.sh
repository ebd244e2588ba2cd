# make install and make uninstall, into a staging folder (DESTDIR) with
# PREFIX=/usr: the program under test and its man page, taken from the build
# folder the suite runs on (build, or build/sanitize under SANITIZE=1) without
# compiling anything or running scripts/install-deps.sh.
. "$(dirname "$0")/lib/harness.sh"

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${NNLAB%/*}
case "$build" in
"$top"/*) build=${build#"$top"/} ;;
*)
    not_ok "the program under test is in this source tree" "$NNLAB is not under $top"
    finish
    exit
    ;;
esac
# The Makefile's VERSION, as make sees it (with any VERSION=... that a
# calling make passes down in MAKEFLAGS).
version=$(cd "$top" && make -s --no-print-directory --eval='nnlab-print-version: ; @echo $(VERSION)' \
    nnlab-print-version 2>/dev/null)
case "$version" in
[0-9]*.[0-9]*) ;;
*) not_ok "the Makefile has a VERSION" "make printed \"$version\"" ;;
esac

dest=$(fresh_dir)
bin=$dest/usr/bin/nnlab
man=$dest/usr/share/man/man1/nnlab.1
touch "$TESTS_TMP/before-install"
(cd "$top" && make install BUILD="$build" DESTDIR="$dest" PREFIX=/usr) >"$TESTS_TMP/install.txt" 2>&1
rc=$?
[ $rc -eq 0 ] && [ -f "$bin" ] && [ -x "$bin" ] && [ -f "$man" ] &&
    [ "$(stat -c %a "$bin") $(stat -c %a "$man")" = "755 644" ] &&
    ok "make install DESTDIR=... PREFIX=/usr installs bin/nnlab (755) and share/man/man1/nnlab.1 (644)" ||
    not_ok "make install DESTDIR=... PREFIX=/usr" "exit $rc: $(find "$dest" -type f) $(tail -n 5 "$TESTS_TMP/install.txt")"

rebuilt=$(find "$top/$build" -newer "$TESTS_TMP/before-install" \( -name '*.o' -o -name '*.a' -o -name nnlab \) \
    2>/dev/null | head -n 3)
[ -z "$rebuilt" ] && ! grep -q 'install-deps' "$TESTS_TMP/install.txt" &&
    ok "make install builds nothing that is up to date, and installs no package" ||
    not_ok "make install builds nothing that is up to date" "rebuilt: $rebuilt; $(cat "$TESTS_TMP/install.txt")"
cmp -s "$bin" "$NNLAB" && ok "the installed program is the program under test" ||
    not_ok "the installed program is the program under test" "$bin differs from $NNLAB"

out=$("$bin" --version 2>&1)
[ "$out" = "nnlab $version" ] && ok "the installed nnlab --version prints the Makefile's VERSION ($version)" ||
    not_ok "the installed nnlab --version prints the Makefile's VERSION" "printed \"$out\", VERSION is $version"

# The man page: the version filled in, no warning from groff, and every option
# that the commands' --help lists.
grep -q "^\.TH NNLAB 1 [^ ]* \"nnlab $version\" " "$man" 2>/dev/null &&
    ok "the installed man page carries the version in its .TH line" ||
    not_ok "the installed man page carries the version" "$(grep '^\.TH' "$man" 2>&1)"
if command -v groff >/dev/null 2>&1; then
    warnings=$(groff -man -ww -z "$man" 2>&1)
    [ -f "$man" ] && [ -z "$warnings" ] && ok "the man page renders without warnings (groff -man -ww)" ||
        not_ok "the man page renders without warnings" "$warnings"
    text=$(groff -man -Tascii -P-cbou -rLL=200n "$man" 2>/dev/null)
    missing=""
    for section in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS "EXPERIMENT FILES" FILES "EXIT STATUS" \
        EXAMPLES "SEE ALSO"; do
        printf '%s\n' "$text" | grep -q "^$section\$" || missing="$missing [$section]"
    done
    for cmd in train run compare report; do
        for opt in $("$NNLAB" $cmd --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u); do
            printf '%s\n' "$text" | grep -q -- "$opt\\b" || missing="$missing $cmd $opt"
        done
    done
    [ -z "$missing" ] && ok "the man page has every section, and every option of train, run, compare and report --help" ||
        not_ok "the man page has every section and option" "missing:$missing"
else
    not_ok "the man page renders without warnings" "no groff (scripts/install-deps.sh installs groff-base)"
fi

(cd "$top" && make uninstall BUILD="$build" DESTDIR="$dest" PREFIX=/usr) >"$TESTS_TMP/uninstall.txt" 2>&1
rc=$?
[ $rc -eq 0 ] && [ ! -e "$bin" ] && [ ! -e "$man" ] && ok "make uninstall removes both" ||
    not_ok "make uninstall removes both" "exit $rc: $(find "$dest" -type f) $(cat "$TESTS_TMP/uninstall.txt")"

finish
