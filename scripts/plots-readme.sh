#!/bin/sh
# Writes plots/README.md: every experiment's report (plots/NAME/README.md,
# written by `nnlab run`) in one page, with links made relative to plots/.
#   scripts/plots-readme.sh NAME...   (in the order given)
set -eu
out=plots/README.md
tmp=$(mktemp plots/README.md.tmp.XXXXXX)
trap 'rm -f "$tmp"' EXIT
{
    echo "# nnlab figures"
    echo
    echo "Every figure of every experiment in \`experiments/\`, made by \`make figures\`."
    echo "Each section is one experiment file; the table lists its runs with their final loss"
    echo "and accuracy and the first epoch at which every point was classified correctly."
    echo "The history, predictions and model of each run are in \`build/runs/NAME/\` after"
    echo "\`make figures\`."
    echo
    for name in "$@"; do
        echo "[$name](#$(sed -n '1s/^## //p' "plots/$name/README.md" | tr 'A-Z ' 'a-z-' | tr -cd 'a-z0-9-'))"
    done | paste -sd'|' | sed 's/|/ · /g'
    echo
    for name in "$@"; do
        # ![alt](file.png) -> ![alt](name/file.png)
        sed "s#](\([^)/]*\))#]($name/\1)#g" "plots/$name/README.md"
    done
} >"$tmp"
chmod 644 "$tmp"
mv "$tmp" "$out"
trap - EXIT
