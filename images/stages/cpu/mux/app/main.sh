#!/bin/sh
# mux: put the generated subtitles into the container, after checking every
# stream (and the subtitle format) against the codec table.
set -eu
media=${1:?usage: mux MEDIA SUBTITLES.srt}
subs=${2:?usage: mux MEDIA SUBTITLES.srt}
table=/app/share/codecs.tsv
container=$(sed -n 's/^container: //p' "$media")
allowed() { grep -q "^$container	$1	$2\$" "$table"; }
n=0
for s in $(/app/bin/media-probe "$media" | awk '{ print $2 ":" $3 }'); do
  allowed "${s%%:*}" "${s#*:}" || { echo "mux: $container cannot hold ${s#*:}" >&2; exit 1; }
  n=$((n + 1))
done
allowed subtitle srt || { echo "mux: $container cannot hold srt subtitles" >&2; exit 1; }
cues=$(grep -c ' --> ' "$subs")
echo "muxed: $container, $n streams + subtitle srt ($cues cues)"
