#!/bin/sh
# fetch-model.sh CACHE_DIR -- "download" the tiny ASR model into CACHE_DIR
# unless a good copy is already there. Stand-in for a Whisper checkpoint
# download: the model (phone code -> word) is derived from mlcore's vocabulary.
set -eu
cache=${1:?usage: fetch-model.sh CACHE_DIR}
model=asr-tiny-v2.tsv
mkdir -p "$cache"
if [ -s "$cache/$model" ] && (cd "$cache" && sha256sum -c /app/model.sha256 >/dev/null 2>&1); then
  echo "model $model: cached"
  exit 0
fi
awk '{ printf "ph%03d\t%s\n", NR, $0 }' "$ML_HOME/share/vocab.txt" > "$cache/$model.part"
mv "$cache/$model.part" "$cache/$model"
(cd "$cache" && sha256sum -c /app/model.sha256)
echo "model $model: downloaded"
