#!/bin/sh
# pre-ner: normalise the raw transcript for NER: one sentence per line,
# whitespace collapsed, then a summary line.
set -eu
f=${1:?usage: pre-ner TRANSCRIPT}
tr '\n' ' ' < "$f" |
  sed -e 's/[[:space:]][[:space:]]*/ /g' -e 's/\([.!?]\) /\1\n/g' |
  sed -e 's/^ *//' -e 's/ *$//' | awk 'NF' > /tmp/pre-ner.$$
cat /tmp/pre-ner.$$
echo "sentences=$(wc -l < /tmp/pre-ner.$$) tokens=$(wc -w < /tmp/pre-ner.$$)"
rm -f /tmp/pre-ner.$$
