#!/bin/sh
# diarization: label each segment with a speaker by clustering its voice
# embedding (one number here): nearest speaker within MAX_DIST, else a new one.
set -eu
. /opt/ml/lib/mlcore.sh
ml_banner
f=${1:?usage: diarization SEGMENTS_FILE}
awk -v maxd="${DIAR_MAX_DIST:-0.2}" '
  function abs(x) { return x < 0 ? -x : x }
  NF >= 3 {
    best = -1
    for (k = 0; k < n; k++) { d = abs($3 - c[k]); if (d <= maxd && (best < 0 || d < bd)) { best = k; bd = d } }
    if (best < 0) { best = n; c[n] = $3; cnt[n] = 0; n++ }
    c[best] = (c[best] * cnt[best] + $3) / (cnt[best] + 1); cnt[best]++
    printf "%s %s SPEAKER_%02d\n", $1, $2, best
  }
  END { printf "speakers=%d\n", n }
' "$f"
