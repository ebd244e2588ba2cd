# The gallery (scripts/gallery.sh, plots/index.html after `make figures`),
# made from two tiny experiments run by the program under test: it is valid
# HTML, it references only files beside it, it shows every experiment in
# order with its figures and table, and headless Chromium draws it, figures
# included. Each check is also run on a broken page, which it must fail.
. "$(dirname "$0")/lib/harness.sh"

top=$(cd "$(dirname "$0")/../.." && pwd)
gallery=$top/scripts/gallery.sh

# What a strict parse finds wrong in the page FILE, nothing when it is
# valid: tidy's HTML5 errors and warnings, and an XML parse (the page is
# well-formed XHTML too: every element closed, every entity defined).
html_problems() {
    for tool in tidy xmllint; do
        command -v $tool >/dev/null || echo "$tool not found: run scripts/install-deps.sh"
    done
    tidy -errors -quiet "$1" 2>&1 || echo "tidy: exit status $?"
    xmllint --noout "$1" 2>&1 || echo "xmllint: exit status $?"
}

# Every reference of the page FILE (src and href) that does not resolve,
# one a line: a link to an id the page lacks, anything not a relative path
# (a URL would load from the network), a file that is not there.
bad_refs() {
    _dir=$(dirname "$1")
    xmllint --xpath '//@src | //@href' "$1" 2>/dev/null | sed -n 's/^ *[a-z]*="\(.*\)"$/\1/p' |
        while IFS= read -r ref; do
            case "$ref" in
            '#'*) [ "$(xmllint --xpath "count(//*[@id='${ref#\#}'])" "$1")" = 1 ] ||
                echo "$ref: no such id" ;;
            *:* | /*) echo "$ref: not a relative path" ;;
            *) [ -f "$_dir/$ref" ] || echo "$ref: no such file" ;;
            esac
        done
    grep -o 'url([^)]*)\|@import[^;]*' "$1" | sed 's/$/: loads from the style sheet/'
}

# Headless Chromium draws the page FILE into SHOT.png, 1200 x 2000 pixels.
# Without the background-networking flags it would try the network.
screenshot() {
    _profile=$(mktemp -d "$TESTS_TMP/chromium.XXXXXX")
    rm -f "$2"
    HOME=$_profile timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --user-data-dir="$_profile" --screenshot="$2" \
        --window-size=1200,2000 "file://$1" >"$_profile.log" 2>&1
    [ -s "$2" ]
}

# The pixels of the screenshot SHOT.png that differ from its background
# (the colour of its top-left pixel).
drawn_pixels() {
    convert "$1" -fuzz 2% -transparent "$(convert "$1" -format '%[pixel:p{0,0}]' info:)" \
        -alpha extract -format '%[fx:round(mean*w*h)]' info: 2>&1
}

# The pixels in which the screenshots A.png and B.png differ.
changed_pixels() {
    compare -metric AE -fuzz 2% "$1" "$2" null: 2>&1
}

# A screenshot is not blank with more than 1% of its pixels drawn, and the
# figures show when it differs in more than 1% of its pixels from that of
# the same page without its figures beside it (where Chromium leaves a box
# of each figure's size, so that the rest lies where it was).
min_pixels=24000

# Two tiny experiments: one in PNG and SVG with a title that must be
# escaped, one in PNG only.
tiny=$(input tiny.ini <<'INI'
[experiment]
title = Tiny: lr 0.1 < lr 0.5 & more
description = A tiny experiment of the gallery's test.
datasets = linear, xor
figures = comparison, learning_curve, prediction

[train]
epochs = 50
hidden = 4

[vary]
lr = 0.1, 0.5
INI
)
second=$(input second.ini <<'INI'
[experiment]
title = Second
datasets = xor
figures = learning_curve

[train]
epochs = 50
hidden = 4
INI
)
g=$(fresh_dir)
"$NNLAB" run "$tiny" --out "$g/tiny" --runs "$g/runs/tiny" --quiet >"$g/run.txt" 2>&1 &&
    "$NNLAB" run "$second" --out "$g/second" --runs "$g/runs/second" --format png --quiet \
        >>"$g/run.txt" 2>&1 &&
    "$gallery" "$g" tiny second >"$g/gallery.txt" 2>&1
rc=$?
page=$g/index.html
if [ $rc -eq 0 ] && [ -s "$page" ] && [ ! -s "$g/gallery.txt" ]; then
    ok "gallery.sh writes index.html from two experiments"
else
    not_ok "gallery.sh writes index.html from two experiments" \
        "exit $rc: $(cat "$g/run.txt" "$g/gallery.txt")"
fi

# (1) valid HTML
problems=$(html_problems "$page")
[ -z "$problems" ] && ok "the gallery is valid HTML (tidy, XML parse), without warnings" ||
    not_ok "the gallery is valid HTML (tidy, XML parse), without warnings" "$problems"

# (2) every reference resolves, and every figure is shown
bad=$(bad_refs "$page")
nrefs=$(xmllint --xpath 'count(//@src | //@href)' "$page" 2>/dev/null)
# at least the 7 figures' src and href and the 2 entries of the contents
[ -z "$bad" ] && [ "${nrefs:-0}" -ge 16 ] &&
    ok "every figure and link of the gallery exists, and it loads nothing else" ||
    not_ok "every figure and link of the gallery exists, and it loads nothing else" \
        "$nrefs references; $bad"
missing=""
for png in "$g"/tiny/*.png "$g"/second/*.png; do
    rel=${png#"$g"/}
    [ "$(xmllint --xpath "count(//img[@src='$rel'])" "$page" 2>/dev/null)" = 1 ] ||
        missing="$missing $rel"
done
[ -z "$missing" ] && [ "$(xmllint --xpath 'count(//img)' "$page")" = 7 ] &&
    ok "the gallery shows every figure once" || not_ok "the gallery shows every figure once" \
    "missing:$missing, $(xmllint --xpath 'count(//img)' "$page") images"
svg=$(xmllint --xpath 'string(//a[img/@src="tiny/xor_prediction.png"]/@href)' "$page")
png=$(xmllint --xpath 'string(//a[img/@src="second/xor_learning_curve.png"]/@href)' "$page")
[ "$svg" = tiny/xor_prediction.svg ] && [ "$png" = second/xor_learning_curve.png ] &&
    ok "a figure links to its SVG, or to itself without one" ||
    not_ok "a figure links to its SVG, or to itself without one" "links to \"$svg\" and \"$png\""

# the contents, the sections in order, titles, paragraphs and tables of runs
toc=$(xmllint --xpath '//nav//a/@href' "$page" 2>/dev/null | tr -d ' \n')
sections=$(xmllint --xpath '//section/@id' "$page" 2>/dev/null | tr -d ' \n')
title=$(xmllint --xpath 'string(//section[@id="tiny"]/h2)' "$page" 2>/dev/null)
toc_title=$(xmllint --xpath 'string(//nav//a[@href="#tiny"])' "$page" 2>/dev/null)
[ "$toc" = 'href="#tiny"href="#second"' ] && [ "$sections" = 'id="tiny"id="second"' ] &&
    [ "$title" = "Tiny: lr 0.1 < lr 0.5 & more" ] && [ "$toc_title" = "$title" ] &&
    ok "the contents link to every experiment's section, in the order given, by its title" ||
    not_ok "the contents link to every experiment's section, in the order given, by its title" \
        "contents $toc, sections $sections, titles \"$title\", \"$toc_title\""
rows_tiny=$(xmllint --xpath 'count(//section[@id="tiny"]//table/tbody/tr)' "$page" 2>/dev/null)
rows_second=$(xmllint --xpath 'count(//section[@id="second"]//table/tbody/tr)' "$page" 2>/dev/null)
text=$(xmllint --xpath 'string(//section[@id="tiny"]/p[1])' "$page" 2>/dev/null)
[ "$rows_tiny" = 4 ] && [ "$rows_second" = 1 ] &&
    [ "$text" = "A tiny experiment of the gallery's test." ] &&
    ok "each section has its README paragraph and a table row per run" ||
    not_ok "each section has its README paragraph and a table row per run" \
        "rows $rows_tiny and $rows_second, paragraph \"$text\""

# The page alone, without the figures beside it, and pages broken for
# each check, which must fail them.
alone=$(fresh_dir)
cp "$page" "$alone/index.html"
sed '0,/<\/section>/s///' "$page" >"$alone/unclosed.html"
printf '<!DOCTYPE html>\n<html lang="en">\n<head>\n<title>blank</title>\n</head>\n<body>\n</body>\n</html>\n' \
    >"$alone/blank.html"
[ -n "$(html_problems "$alone/unclosed.html")" ] && [ -z "$(html_problems "$alone/blank.html")" ] &&
    ok "the HTML check fails a page with an unclosed section" ||
    not_ok "the HTML check fails a page with an unclosed section" "no problem found"
bad=$(bad_refs "$alone/index.html")
sed 's#<img src="tiny/linear_comparison.png"#<img src="https://example.org/f.png"#' "$page" \
    >"$g/remote.html"
remote=$(bad_refs "$g/remote.html")
case "$bad" in *"tiny/xor_prediction.png: no such file"*) ;; *) bad="" ;; esac
[ -n "$bad" ] && [ "$remote" = "https://example.org/f.png: not a relative path" ] &&
    ok "the reference check fails missing figures and a URL" ||
    not_ok "the reference check fails missing figures and a URL" "found \"$bad\" and \"$remote\""

# (3) headless Chromium draws it: not blank, and with its figures
if ! command -v chromium >/dev/null || ! command -v convert >/dev/null ||
    ! command -v compare >/dev/null; then
    not_ok "headless Chromium draws the gallery" \
        "chromium, convert or compare not found: run scripts/install-deps.sh"
elif ! screenshot "$page" "$g/page.png" || ! screenshot "$alone/index.html" "$alone/alone.png" ||
    ! screenshot "$alone/blank.html" "$alone/blank.png"; then
    not_ok "headless Chromium draws the gallery" "no screenshot: $(tail -n 5 "$TESTS_TMP"/chromium.*.log)"
else
    drawn=$(drawn_pixels "$g/page.png")
    [ "$drawn" -gt $min_pixels ] 2>/dev/null && ok "a screenshot of the gallery is not blank" ||
        not_ok "a screenshot of the gallery is not blank" \
            "$drawn pixels drawn, more than $min_pixels expected"
    changed=$(changed_pixels "$g/page.png" "$alone/alone.png")
    [ "$changed" -gt $min_pixels ] 2>/dev/null && ok "a screenshot of the gallery shows its figures" ||
        not_ok "a screenshot of the gallery shows its figures" \
            "it differs from the page without them in $changed pixels, more than $min_pixels expected"
    # a second copy without figures, to compare with the first
    cp "$page" "$alone/index2.html"
    blank=$(drawn_pixels "$alone/blank.png")
    if screenshot "$alone/index2.html" "$alone/alone2.png"; then
        same=$(changed_pixels "$alone/alone2.png" "$alone/alone.png")
    fi
    [ "$blank" -le $min_pixels ] 2>/dev/null && [ "${same:-}" -le $min_pixels ] 2>/dev/null &&
        ok "the screenshot checks fail a blank page and a page without its figures" ||
        not_ok "the screenshot checks fail a blank page and a page without its figures" \
            "$blank pixels drawn on the blank page; the page without figures differs in ${same:-?}"
fi

# gallery.sh refuses an experiment without its README.md, and leaves nothing
d=$(fresh_dir)
mkdir "$d/none"
"$gallery" "$d" none >"$d/out.txt" 2>&1
rc=$?
[ $rc -eq 1 ] && grep -q 'none/README.md: no such file' "$d/out.txt" &&
    [ "$(ls "$d")" = "$(printf 'none\nout.txt')" ] &&
    ok "gallery.sh refuses an experiment that has not run" ||
    not_ok "gallery.sh refuses an experiment that has not run" "exit $rc: $(cat "$d/out.txt"); $(ls "$d")"

finish
