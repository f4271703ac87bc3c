#!/bin/sh
# gen-codec-table.sh -- generate the container/stream/codec compatibility table
# (CONTAINER<TAB>TYPE<TAB>CODEC) the muxer checks its inputs against.
set -eu
for container in matroska mp4 webm; do
  for entry in video:h264 video:hevc video:vp9 audio:aac audio:opus audio:ac3 subtitle:srt subtitle:mov_text subtitle:webvtt; do
    type=${entry%%:*} codec=${entry#*:}
    case "$container:$codec" in
      matroska:mov_text) continue ;;
      mp4:vp9|mp4:opus|mp4:srt|mp4:webvtt) continue ;;
      webm:h264|webm:hevc|webm:aac|webm:ac3|webm:srt|webm:mov_text) continue ;;
    esac
    printf '%s\t%s\t%s\n' "$container" "$type" "$codec"
  done
done
