#!/bin/sh
# post-ner: apply the entity corrections (entities.tsv: heard<TAB>canonical).
# The table is compiled into a sed script first, then applied.
set -eu
f=${1:?usage: post-ner TEXT}
script=${TMPDIR:-/tmp}/post-ner.$$.sed
awk -F '\t' 'NF == 2 { printf "s/%s/%s/g\n", $1, $2 }' /app/entities.tsv > "$script"
sed -f "$script" "$f"
echo "rules=$(wc -l < "$script")" >&2
rm -f "$script"
