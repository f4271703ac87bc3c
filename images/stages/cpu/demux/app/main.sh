#!/bin/sh
# demux: find the audio track the rest of the pipeline works on.
set -eu
f=${1:?usage: demux MEDIA_FILE}
line=$(/app/bin/media-probe --audio "$f") || { echo "demux: no audio stream in $f" >&2; exit 1; }
set -- $line
track=${2%:}
shift 3
echo "audio: track $track $*"
echo "duration: $(/app/bin/media-probe --duration "${f}")s"
