#!/usr/bin/env bash
# tools/platforms-up.sh - what the multi-platform tests need, idempotently, on top of engine-up.sh:
#   1. arm64 emulation: Debian's qemu-user-static and binfmt-support, binfmt_misc mounted and the
#      qemu-aarch64 handler enabled (with the F flag, so containers find the interpreter),
#   2. busybox:1.36-linux-arm64, made from Debian's arm64 busybox-static the way engine-up.sh makes
#      busybox:1.36 for amd64 (the engine's image store holds one image per tag, hence the suffix),
#   3. both pushed to the open local registry with an OCI image index over them:
#      127.0.0.1:5000/nxplat/busybox:1.36 (linux/amd64 + linux/arm64).
#
# Usage:  eval "$(tools/platforms-up.sh)"
# Progress goes to stderr; stdout carries only `export NAME=value` lines (engine-up.sh's and PLATFORMS_BASE).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The engine and the registries first (its exports are ours too).
engine_exports="$(bash "$here/engine-up.sh")"
eval "$engine_exports"

STATE_DIR="${ENGINE_STATE_DIR:-/tmp/nx-image-graph-engine}"
TAG=platforms-up
# shellcheck source=lib/bring-up.sh
source "$here/lib/bring-up.sh"

BINFMT_DIR=/proc/sys/fs/binfmt_misc
AMD64_IMAGE=busybox:1.36
ARM64_IMAGE=busybox:1.36-linux-arm64
REGISTRY="${IMAGE_REGISTRY:-127.0.0.1:5000}"
INDEX_REPO=nxplat/busybox
INDEX_TAG=1.36

exec 8>>"$STATE_DIR/.platforms.lock"
if have flock; then flock -w 900 8 || die "another platforms-up.sh run holds $STATE_DIR/.platforms.lock"; fi

# ------------------------------------------------------------ 1. emulation
pkgs=()
have qemu-aarch64-static || pkgs+=(qemu-user-static)
have update-binfmts || pkgs+=(binfmt-support)
have curl || pkgs+=(curl)
if [ "${#pkgs[@]}" -gt 0 ]; then apt_install "${pkgs[@]}"; fi

if [ ! -e "$BINFMT_DIR/register" ]; then
  is_root || die "binfmt_misc is not mounted at $BINFMT_DIR; as root: mount -t binfmt_misc binfmt_misc $BINFMT_DIR"
  log "mounting binfmt_misc at $BINFMT_DIR"
  mount -t binfmt_misc binfmt_misc "$BINFMT_DIR" || die "could not mount binfmt_misc (a container without the privilege to? run on the host)"
fi
if ! grep -qx enabled "$BINFMT_DIR/qemu-aarch64" 2>/dev/null; then
  log "update-binfmts --enable qemu-aarch64"
  update-binfmts --enable qemu-aarch64 >>"$STATE_DIR/apt.log" 2>&1 || update-binfmts --import qemu-aarch64 >>"$STATE_DIR/apt.log" 2>&1 ||
    die "could not register qemu-aarch64 with binfmt_misc (log: $STATE_DIR/apt.log)"
fi
grep -qx enabled "$BINFMT_DIR/qemu-aarch64" || die "$BINFMT_DIR/qemu-aarch64 is not enabled"
grep -q '^flags:.*F' "$BINFMT_DIR/qemu-aarch64" ||
  die "$BINFMT_DIR/qemu-aarch64 lacks the F (fix-binary) flag: containers would not find the interpreter; re-register it with fix_binary yes"
log "arm64 emulation: $BINFMT_DIR/qemu-aarch64 enabled ($(sed -n 's/^interpreter //p' "$BINFMT_DIR/qemu-aarch64"))"

# ------------------------------------------------------- 2. the arm64 base
image_arch() { docker image inspect --format '{{.Os}}/{{.Architecture}}' "$1" 2>/dev/null || true; }

build_arm64_busybox() {
  workdir
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    log "dpkg --add-architecture arm64"
    dpkg --add-architecture arm64
    APT_UPDATED=0
  fi
  mkdir -p "$WORK/deb"
  if ! (cd "$WORK/deb" && apt-get download -qq busybox-static:arm64) >>"$STATE_DIR/apt.log" 2>&1; then
    apt_update
    (cd "$WORK/deb" && apt-get download -qq busybox-static:arm64) >>"$STATE_DIR/apt.log" 2>&1 ||
      die "apt-get download busybox-static:arm64 failed (log: $STATE_DIR/apt.log)"
  fi
  dpkg-deb -x "$WORK"/deb/busybox-static_*_arm64.deb "$WORK/deb/x"
  local bb="" p root="$WORK/root"
  for p in "$WORK/deb/x/bin/busybox" "$WORK/deb/x/usr/bin/busybox"; do [ -x "$p" ] && bb="$p"; done
  [ -n "$bb" ] || die "no busybox binary in busybox-static:arm64"
  # busybox --list runs here through qemu-aarch64 (binfmt), which also proves the emulation works.
  busybox_rootfs "$bb" "$root"
  # A docker-archive with an arm64 config, loaded: `docker import --platform` needs an experimental daemon.
  log "loading $ARM64_IMAGE from Debian's arm64 busybox-static"
  local img="$WORK/img" diff config
  mkdir -p "$img"
  tar --numeric-owner --owner=0 --group=0 -C "$root" -cf "$img/layer.tar" .
  diff="sha256:$(sha256sum "$img/layer.tar" | cut -d' ' -f1)"
  printf '{"architecture":"arm64","os":"linux","created":"1970-01-01T00:00:00Z","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"],"Labels":{"org.nx-docker-images.origin":"debian-busybox-static-arm64"}},"rootfs":{"type":"layers","diff_ids":["%s"]},"history":[{"created":"1970-01-01T00:00:00Z","created_by":"platforms-up.sh: Debian busybox-static:arm64"}]}' "$diff" >"$img/config.json"
  config="$(sha256sum "$img/config.json" | cut -d' ' -f1).json"
  mv "$img/config.json" "$img/$config"
  printf '[{"Config":"%s","RepoTags":["%s"],"Layers":["layer.tar"]}]' "$config" "$ARM64_IMAGE" >"$img/manifest.json"
  tar -C "$img" -c . | docker load >/dev/null
  [ "$(image_arch "$ARM64_IMAGE")" = linux/arm64 ] || die "$ARM64_IMAGE was imported as $(image_arch "$ARM64_IMAGE"), not linux/arm64"
  [ "$(docker run --rm --platform linux/arm64 "$ARM64_IMAGE" uname -m)" = aarch64 ] || die "$ARM64_IMAGE does not run as aarch64 on this engine"
}

if [ "$(image_arch "$ARM64_IMAGE")" = linux/arm64 ]; then
  log "$ARM64_IMAGE present"
else
  build_arm64_busybox
fi
[ "$(image_arch "$AMD64_IMAGE")" = linux/amd64 ] || die "$AMD64_IMAGE is $(image_arch "$AMD64_IMAGE"), expected linux/amd64 (from engine-up.sh)"

# ------------------------------------------- 3. both in the registry, one index
MANIFEST_TYPES='application/vnd.docker.distribution.manifest.v2+json,application/vnd.oci.image.manifest.v1+json'
INDEX_TYPE=application/vnd.oci.image.index.v1+json
index_url="http://$REGISTRY/v2/$INDEX_REPO/manifests/$INDEX_TAG"

# "digest size mediaType" of a manifest in the registry (HEAD), or nothing.
manifest_head() {
  curl -sfI --max-time 10 -H "Accept: $MANIFEST_TYPES" "http://$REGISTRY/v2/$INDEX_REPO/manifests/$1" 2>/dev/null | tr -d '\r' |
    awk 'tolower($1)=="docker-content-digest:"{d=$2} tolower($1)=="content-length:"{s=$2} tolower($1)=="content-type:"{t=$2} END{if(d!="")print d, s, t}'
}

push_platform() { # local image, platform slug
  local ref="$REGISTRY/$INDEX_REPO:$INDEX_TAG-$2"
  docker tag "$1" "$ref"
  timeout 120 docker push "$ref" >"$STATE_DIR/platforms-push.log" 2>&1 || { tail -n 5 "$STATE_DIR/platforms-push.log" >&2; die "docker push $ref failed"; }
  docker image rm "$ref" >/dev/null 2>&1 || true
}

index_ok() {
  curl -sf --max-time 10 -H "Accept: $INDEX_TYPE" "$index_url" 2>/dev/null | grep -q '"architecture":"arm64"'
}

if index_ok; then
  log "index $REGISTRY/$INDEX_REPO:$INDEX_TAG present"
else
  push_platform "$AMD64_IMAGE" linux-amd64
  push_platform "$ARM64_IMAGE" linux-arm64
  read -r amd_digest amd_size amd_type <<<"$(manifest_head "$INDEX_TAG-linux-amd64")"
  read -r arm_digest arm_size arm_type <<<"$(manifest_head "$INDEX_TAG-linux-arm64")"
  [ -n "${amd_digest:-}" ] && [ -n "${arm_digest:-}" ] || die "the pushed manifests are not in $REGISTRY/$INDEX_REPO"
  index="{\"schemaVersion\":2,\"mediaType\":\"$INDEX_TYPE\",\"manifests\":["
  index+="{\"mediaType\":\"$amd_type\",\"digest\":\"$amd_digest\",\"size\":$amd_size,\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}},"
  index+="{\"mediaType\":\"$arm_type\",\"digest\":\"$arm_digest\",\"size\":$arm_size,\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\"}}]}"
  code="$(curl -s -o "$STATE_DIR/platforms-index.log" -w '%{http_code}' --max-time 10 -X PUT -H "Content-Type: $INDEX_TYPE" --data-binary "$index" "$index_url")"
  [ "$code" = 201 ] || die "PUT of the index $index_url answered HTTP $code: $(cat "$STATE_DIR/platforms-index.log")"
  index_ok || die "the index at $index_url does not list linux/arm64 after the PUT"
  log "pushed the index $REGISTRY/$INDEX_REPO:$INDEX_TAG (linux/amd64 $amd_digest, linux/arm64 $arm_digest)"
fi

log "ready"
printf '%s\n' "$engine_exports" >&3
printf 'export PLATFORMS_BASE=%q\n' "$REGISTRY/$INDEX_REPO:$INDEX_TAG" >&3
