#!/bin/sh
# pyannote-vad: speech segments with hysteresis (pyannote stand-in): speech
# starts at a score >= ONSET and lasts while the score stays >= OFFSET.
set -eu
. /opt/ml/lib/mlcore.sh
ml_banner
f=${1:?usage: pyannote-vad FRAMES_FILE}
awk -v onset="${VAD_ONSET:-60}" -v offset="${VAD_OFFSET:-30}" -v ms=10 '
  { for (i = 1; i <= NF; i++) {
      f++
      if (!on && $i >= onset) { on = 1; s = f }
      else if (on && $i < offset) { printf "speech %d %d\n", (s - 1) * ms, (f - 1) * ms; n++; on = 0 }
  } }
  END { if (on) { printf "speech %d %d\n", (s - 1) * ms, f * ms; n++ } printf "segments=%d\n", n }
' "$f"
