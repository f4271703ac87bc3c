#!/bin/sh
# silero-vad: speech segments from per-frame speech scores (0-100, 10 ms frames):
# runs of frames >= THRESHOLD lasting at least MIN_FRAMES.
set -eu
. /opt/ml/lib/mlcore.sh
ml_banner
f=${1:?usage: silero-vad FRAMES_FILE}
awk -v thr="${VAD_THRESHOLD:-50}" -v min="${VAD_MIN_FRAMES:-3}" -v ms=10 '
  function close_run(end) { if (end - s >= min) { printf "speech %d %d\n", (s - 1) * ms, (end - 1) * ms; n++ } on = 0 }
  { for (i = 1; i <= NF; i++) { f++; if ($i >= thr) { if (!on) { on = 1; s = f } } else if (on) close_run(f) } }
  END { if (on) close_run(f + 1); printf "segments=%d\n", n }
' "$f"
