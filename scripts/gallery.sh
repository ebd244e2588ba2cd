#!/bin/sh
# Writes DIR/index.html, the gallery: every experiment's report
# (DIR/NAME/README.md, written by `nnlab run`) on one page with a table of
# contents, to open straight from disk. The page is self-contained: its style
# is inline, its figures are the PNGs next to it (DIR/NAME/*.png, by relative
# path, each a link to its SVG when there is one), and it loads nothing else.
# Markdown becomes HTML through cmark-gfm (GitHub's tables), not by hand.
#   scripts/gallery.sh DIR NAME...   (in the order given)
set -eu
if [ $# -lt 2 ]; then
    echo "usage: scripts/gallery.sh DIR NAME..." >&2
    exit 2
fi
dir=$1
shift
if ! command -v cmark-gfm >/dev/null 2>&1; then
    echo "gallery: cmark-gfm not found; run scripts/install-deps.sh" >&2
    exit 1
fi
for name in "$@"; do
    # names become ids, paths and sed patterns: keep them plain
    case "$name" in
    *[!A-Za-z0-9_-]* | "")
        echo "gallery: \"$name\": an experiment name of letters, digits, _ and - is expected" >&2
        exit 1
        ;;
    esac
    if [ ! -f "$dir/$name/README.md" ]; then
        echo "gallery: $dir/$name/README.md: no such file (run the experiment first)" >&2
        exit 1
    fi
done

# Markdown on stdin to HTML; cell alignment as style attributes, since
# HTML5 has no align attribute.
markdown() {
    cmark-gfm --extension table --table-prefer-style-attributes --validate-utf8
}

# "WIDTH HEIGHT" of a PNG, from its IHDR chunk (bytes 16 to 23, big-endian).
png_size() {
    od -An -tu1 -j16 -N8 "$1" |
        awk '{ print (($1 * 256 + $2) * 256 + $3) * 256 + $4, (($5 * 256 + $6) * 256 + $7) * 256 + $8 }'
}

# The experiment's title, its README's "## " line, as inline HTML.
title() {
    sed -n '1s/^## //p' "$dir/$1/README.md" | markdown | sed 's#^<p>##; s#</p>$##'
}

out=$dir/index.html
tmp=$(mktemp "$out.tmp.XXXXXX")
trap 'rm -f "$tmp"' EXIT
{
    cat <<'HTML'
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>nnlab figures</title>
<style>
body { margin: 0; background: #fff; color: #1f2328;
       font: 16px/1.6 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 1rem 2rem 4rem; }
h1, h2, p, nav { max-width: 46rem; }
h1 { font-size: 2rem; margin: 1.5rem 0 .5rem; }
h2 { font-size: 1.5rem; margin: 0 0 .5rem; line-height: 1.3; }
a { color: #0550ae; }
code { font: .9em "DejaVu Sans Mono", monospace; background: #f3f4f6; padding: .1em .3em;
       border-radius: 3px; }
nav { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: .75rem 1.5rem; }
nav h2 { font-size: 1.1rem; margin: 0; }
nav ol { margin: .5rem 0 0; padding-left: 1.5rem; columns: 2 18rem; column-gap: 2rem; }
section { border-top: 1px solid #d0d7de; margin-top: 3rem; padding-top: 1.5rem; }
p.figures { max-width: none; margin: 1.5rem 0; }
p.figures img { display: block; max-width: 100%; height: auto; margin: 0 0 .75rem;
                border: 1px solid #eaeef2; }
div.runs { overflow-x: auto; margin: 1.5rem 0; }
table { border-collapse: collapse; font-size: .875rem; font-variant-numeric: tabular-nums; }
th, td { padding: .35rem .5rem; border-bottom: 1px solid #d0d7de; vertical-align: top; }
th { background: #f6f8fa; border-bottom: 2px solid #afb8c1; text-align: left; }
th, td:first-child, td[style] { white-space: nowrap; } /* only the run's settings wrap */
tbody tr:nth-child(even) { background: #f9fafb; }
p.top { font-size: .875rem; }
</style>
</head>
<body>
<main>
<h1 id="top">nnlab figures</h1>
HTML
    markdown <<'MD'
Every figure of every experiment in `experiments/`, made by `make figures`. Each section
is one experiment file; its table lists the runs with their final loss and accuracy and
the first epoch at which every point was classified correctly. Click a figure to open it
at full size. The history, predictions and model of each run are in `build/runs/NAME/`
after `make figures`.
MD
    echo '<nav id="contents">'
    echo '<h2>Contents</h2>'
    echo '<ol>'
    for name in "$@"; do
        t=$(title "$name")
        echo "<li><a href=\"#$name\">${t:-$name}</a></li>"
    done
    echo '</ol>'
    echo '</nav>'
    for name in "$@"; do
        # Each figure gets its size, so that the page is laid out before the
        # figures load (a link to a section then lands on it), and links to
        # its SVG when every figure has one, else to itself.
        sizes="" svg=1
        for png in "$dir/$name"/*.png; do
            [ -f "$png" ] || continue
            [ -f "${png%.png}.svg" ] || svg=0
            base=${png##*/}
            case "$base" in *[!A-Za-z0-9_.,-]*) continue ;; esac # not a sed pattern
            size=$(png_size "$png")
            sizes="$sizes;s#<img src=\"$name/$base\"#& width=\"${size% *}\" height=\"${size#* }\"#"
        done
        if [ "$svg" -eq 1 ]; then target='\1.svg'; else target='\1.png'; fi
        echo
        echo "<section id=\"$name\">"
        # ![alt](file.png) -> ![alt](name/file.png), as in plots/README.md
        sed "s#](\([^)/]*\))#]($name/\1)#g" "$dir/$name/README.md" | markdown |
            sed -e 's#^<p><img #<p class="figures"><img #' \
                -e "s#<img src=\"\([^\"]*\)\.png\"\([^>]*\) />#<a href=\"$target\"><img src=\"\1.png\"\2 /></a>#g" \
                -e 's#^<table>$#<div class="runs"><table>#' \
                -e 's#^</table>$#</table></div>#' -e "${sizes#;}"
        echo '<p class="top"><a href="#contents">Back to the contents</a></p>'
        echo '</section>'
    done
    cat <<'HTML'
</main>
</body>
</html>
HTML
} >"$tmp"
chmod 644 "$tmp"
mv "$tmp" "$out"
trap - EXIT
