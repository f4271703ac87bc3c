#!/bin/sh
# tmdb: look the title up (offline catalog stand-in for the TMDB API) and
# print the cast the NER stages use as known entities.
set -eu
title=${1:?usage: tmdb TITLE YEAR}
year=${2:?usage: tmdb TITLE YEAR}
row=$(awk -F '\t' -v t="$title" -v y="$year" 'NR > 1 && $1 == t && $2 == y' /app/catalog.tsv)
[ -n "$row" ] || { echo "tmdb: $title ($year) not found" >&2; exit 1; }
echo "$row" | awk -F '\t' '{ print "tmdb_id=" $3; n = split($4, c, ","); for (i = 1; i <= n; i++) print "cast=" c[i] }'
