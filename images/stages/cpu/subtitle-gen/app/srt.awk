# srt.awk: cue lines "START_MS END_MS TEXT..." -> SubRip (.srt) blocks.
function ts(ms) {
  return sprintf("%02d:%02d:%02d,%03d", int(ms / 3600000), int(ms / 60000) % 60, int(ms / 1000) % 60, ms % 1000)
}
NF >= 3 && $1 ~ /^[0-9]+$/ && $2 ~ /^[0-9]+$/ {
  if ($2 <= $1) { printf "cue %d ends before it starts\n", NR > "/dev/stderr"; bad = 1; exit 1 }
  text = $3
  for (i = 4; i <= NF; i++) text = text " " $i
  if (n++) print ""
  print n
  print ts($1) " --> " ts($2)
  print text
}
END { if (bad) exit 1 }
