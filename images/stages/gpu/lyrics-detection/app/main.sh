#!/bin/sh
# lyrics-detection: mark song segments (so they get lyric-style subtitles):
# a line whose text repeats within the window counts as a sung refrain.
set -eu
. /opt/ml/lib/mlcore.sh
ml_banner
f=${1:?usage: lyrics-detection SEGMENTS_FILE}
awk -v win="${LYRICS_WINDOW:-8}" '
  function text(l) { sub(/^[0-9]+ [0-9]+ /, "", l); return l }
  NR == FNR { at[text($0)] = at[text($0)] " " FNR; next }
  { t = text($0); k = split(at[t], p, " "); sung = 0
    for (i = 1; i <= k; i++) if (p[i] != FNR && p[i] - FNR <= win && FNR - p[i] <= win) sung = 1
    if (sung) { print "lyrics " $1 " " $2; n++ } else print "speech " $1 " " $2 }
  END { printf "lyrics_segments=%d\n", n }
' "$f" "$f"
