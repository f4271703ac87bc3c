#!/bin/sh
# asr: transcribe utterances ("START END PHONE...") with the tiny model.
set -eu
. /opt/ml/lib/mlcore.sh
ml_banner
f=${1:?usage: asr UTTERANCES_FILE}
awk -F '\t' 'NR == FNR { word[$1] = $2; next }
  { split($0, t, " "); line = t[1] " " t[2]
    for (i = 3; i in t; i++) line = line " " ((t[i] in word) ? word[t[i]] : "<unk>")
    print line }
' /opt/models/asr-tiny-v2.tsv "$f"
