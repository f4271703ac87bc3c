#!/usr/bin/env bash
# tools/bench/build-all.sh - the baseline of tools/bench/scenarios.mjs: a sequential, phase-ordered
# "build every image" script of the kind the seed-003 pipeline ships (scripts/build-all-images.sh:
# bases first, then CPU stages, then GPU CUDA stages, then their CPU fallbacks), written for the
# example graph in images/ (without the linnaeus pair). It builds all 22 images every time, in a
# fixed order, one after the other, and relies on the engine's layer cache for speed: it has no
# idea of what changed.
#
# Usage: tools/bench/build-all.sh [IMAGES_DIR] [OWNER]
#   IMAGES_DIR  the images/ tree to build (default: images/ of this repo)
#   OWNER       repository owner the Dockerfiles and tags use (default: acme)
#
# Builds go through the Docker CLI with BuildKit (DOCKER_BUILDKIT=1): the Dockerfiles need it
# (RUN --mount, FROM --platform). DOCKER_CLI picks the CLI (default /usr/bin/docker: Debian's
# docker.io 20.10 client has BuildKit built in; a newer client without the buildx plugin refuses).
# Like the seed's script: a failed base stops everything; a failed stage is recorded and the others
# still build; the summary lists the failures and the exit code is non-zero if any.
set -uo pipefail

IMAGES_DIR="${1:-$(cd "$(dirname "$0")/../.." && pwd)/images}"
OWNER="${2:-acme}"
DOCKER="${DOCKER_CLI:-/usr/bin/docker}"
export DOCKER_BUILDKIT=1

CPU_STAGES=(demux tmdb pre-ner post-ner subtitle-gen mux) # demux before mux (mux copies from it)
GPU_STAGES=(silero-vad pyannote-vad diarization asr second-pass-translation lyrics-detection)

BUILT=()
FAILED=()
started=$(date +%s)

log() { printf '[build-all] %s\n' "$*"; }

ERR_LOG="$(mktemp)"
trap 'rm -f "$ERR_LOG"' EXIT

# build TAG CONTEXT DOCKERFILE [--build-arg K=V ...]
build() {
  local tag="$1" context="$2" dockerfile="$3"
  shift 3
  local t0
  t0=$(date +%s.%N)
  if "$DOCKER" build --quiet -t "$tag" -f "$dockerfile" "$@" "$context" >/dev/null 2>"$ERR_LOG"; then
    BUILT+=("$tag")
    log "[OK]     $tag ($(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1fs", b - a }'))"
    return 0
  fi
  FAILED+=("$tag")
  log "[FAILED] $tag"
  tail -n 20 "$ERR_LOG" | sed 's/^/           /'
  return 1
}

log "Phase 1: base images"
build "$OWNER/base:cpu" "$IMAGES_DIR/base" "$IMAGES_DIR/base/cpu/Dockerfile" || {
  log "[ERROR] Cannot proceed without $OWNER/base:cpu"
  exit 1
}
build "$OWNER/base:cuda" "$IMAGES_DIR/base" "$IMAGES_DIR/base/cuda/Dockerfile" || {
  log "[ERROR] Cannot proceed without $OWNER/base:cuda"
  exit 1
}

log "Phase 1b: shared ML layer"
build "$OWNER/ml-base:cuda" "$IMAGES_DIR/ml-base" "$IMAGES_DIR/ml-base/Dockerfile" --build-arg "BASE_IMAGE=$OWNER/base:cuda" || {
  log "[ERROR] Cannot proceed without $OWNER/ml-base:cuda"
  exit 1
}
build "$OWNER/ml-base:cpu" "$IMAGES_DIR/ml-base" "$IMAGES_DIR/ml-base/Dockerfile" --build-arg "BASE_IMAGE=$OWNER/base:cpu" || {
  log "[ERROR] Cannot proceed without $OWNER/ml-base:cpu"
  exit 1
}

log "Phase 2: CPU-only stages"
for s in "${CPU_STAGES[@]}"; do
  build "$OWNER/$s:cpu" "$IMAGES_DIR/stages/cpu/$s" "$IMAGES_DIR/stages/cpu/$s/Dockerfile"
done

log "Phase 3: GPU stages (CUDA)"
for s in "${GPU_STAGES[@]}"; do
  build "$OWNER/$s:cuda" "$IMAGES_DIR/stages/gpu/$s" "$IMAGES_DIR/stages/gpu/$s/Dockerfile" --build-arg "BASE_IMAGE=$OWNER/ml-base:cuda"
done

log "Phase 4: GPU stages, CPU fallbacks"
for s in "${GPU_STAGES[@]}"; do
  build "$OWNER/$s:cpu" "$IMAGES_DIR/stages/gpu/$s" "$IMAGES_DIR/stages/gpu/$s/Dockerfile" --build-arg "BASE_IMAGE=$OWNER/ml-base:cpu"
done

log "Summary: ${#BUILT[@]} built, ${#FAILED[@]} failed in $(($(date +%s) - started))s"
if [ "${#FAILED[@]}" -gt 0 ]; then
  log "Failed: ${FAILED[*]}"
  exit 1
fi
