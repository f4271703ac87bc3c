# mlcore.sh -- the shared "ML library" every GPU stage sources.
# Stand-in for torch/whisperx/pyannote in the real acme/ml-base images:
# device detection with CPU fallback, and a tiny shared vocabulary.
# POSIX sh; works on both parents (busybox for :cpu, Debian for :cuda).

ML_HOME=${ML_HOME:-/opt/ml}
ML_VOCAB=$ML_HOME/share/vocab.txt
CUDA_VERSION_FILE=${CUDA_VERSION_FILE:-/usr/local/cuda/version.json}

ml_log() { echo "[${STAGE:-mlcore}] $*" >&2; }

# cuda when the CUDA runtime metadata is present (and not overridden), else cpu.
ml_device() {
  if [ "${ML_FORCE_DEVICE:-}" = cpu ]; then echo cpu; return 0; fi
  if [ -r "$CUDA_VERSION_FILE" ] && grep -q '"cuda"' "$CUDA_VERSION_FILE"; then
    echo cuda
  else
    echo cpu
  fi
}

ml_cuda_version() {
  sed -n 's/.*"cuda": *"\([^"]*\)".*/\1/p' "$CUDA_VERSION_FILE" 2>/dev/null | head -n 1
}

# One line for the logs and the self-tests: device=cuda|cpu (...)
ml_banner() {
  if [ "$(ml_device)" = cuda ]; then
    echo "device=cuda (CUDA $(ml_cuda_version), mlcore $MLCORE_VERSION)"
  else
    echo "device=cpu (no CUDA runtime found, falling back to CPU; mlcore $MLCORE_VERSION)"
  fi
}

# Vocabulary: id <-> word (ids are 1-based line numbers; 0 is unknown).
ml_token_id() {
  id=$(grep -n -x -F -- "$1" "$ML_VOCAB" | cut -d: -f1 | head -n 1)
  echo "${id:-0}"
}
ml_token() { sed -n "${1}p" "$ML_VOCAB"; }

ml_self_test() {
  dev=$(ml_device)
  if [ -f "$CUDA_VERSION_FILE" ]; then want=cuda; else want=cpu; fi
  [ "$dev" = "$want" ] || { ml_log "device $dev, expected $want"; return 1; }
  [ "$(ML_FORCE_DEVICE=cpu ml_device)" = cpu ] || { ml_log "ML_FORCE_DEVICE ignored"; return 1; }
  for w in hello friend song; do
    id=$(ml_token_id "$w")
    [ "$id" -gt 0 ] && [ "$(ml_token "$id")" = "$w" ] || { ml_log "token round trip failed for $w"; return 1; }
  done
  [ "$(ml_token_id no-such-word)" = 0 ] || return 1
  echo "mlcore self-test ok: $(ml_banner)"
}
