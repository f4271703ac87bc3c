#!/bin/sh
# second-pass-translation: re-translate the first-pass subtitles word by word
# with the glossary (hi -> en), keep unknown words in [brackets], and count
# the output words outside the shared mlcore vocabulary.
set -eu
. /opt/ml/lib/mlcore.sh
ml_banner
f=${1:?usage: second-pass-translation TEXT}
out=$(awk -F '\t' 'NR == FNR { en[$1] = $2; next }
  { n = split($0, w, " "); line = ""
    for (i = 1; i <= n; i++) line = line (i > 1 ? " " : "") ((w[i] in en) ? en[w[i]] : "[" w[i] "]")
    print line }
' /app/dict.tsv "$f")
echo "$out"
oov=0
for w in $out; do
  case $w in \[*) continue ;; esac
  [ "$(ml_token_id "$w")" -gt 0 ] || oov=$((oov + 1))
done
echo "model=$MODEL_FAMILY oov=$oov"
