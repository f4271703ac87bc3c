#!/usr/bin/env bash
# tools/engine-up.sh - bring up everything the image tests need, idempotently:
#   1. a Docker engine (reuse one that answers; else, as root on Debian,
#      install docker.io and start dockerd in the background),
#   2. the base images busybox:1.36 (+ busybox:latest) and debian:bookworm-slim
#      (pulled when a registry is reachable, else built from Debian packages),
#   3. two local registries (Debian's docker-registry): 127.0.0.1:5000 without
#      auth and 127.0.0.1:5001 with htpasswd auth.
#
# Usage:  eval "$(tools/engine-up.sh)"
# Progress goes to stderr; stdout carries only `export NAME=value` lines.
# The same values are written to ${ENGINE_STATE_DIR:-/tmp/nx-image-graph-engine}/engine.json.
# A second run with everything up changes nothing and takes a few seconds.
#
# Environment knobs (all optional):
#   DOCKER_HOST                   engine to use (default unix:///var/run/docker.sock)
#   ENGINE_STATE_DIR              state dir (logs, configs, registry storage, engine.json)
#   ENGINE_DEBIAN_MIRROR          Debian mirror for debootstrap (default: from apt sources)
#   ENGINE_DEBIAN_SECURITY_MIRROR security mirror written into the debian image
#   ENGINE_REGISTRY_PORT          default 5000
#   ENGINE_REGISTRY_AUTH_PORT     default 5001
set -euo pipefail

STATE_DIR="${ENGINE_STATE_DIR:-/tmp/nx-image-graph-engine}"
TAG=engine-up
# shellcheck source=lib/bring-up.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/bring-up.sh"
REG_PORT="${ENGINE_REGISTRY_PORT:-5000}"
AUTH_PORT="${ENGINE_REGISTRY_AUTH_PORT:-5001}"
REG_HOST=127.0.0.1
REGISTRY_USER=nxtest
DEFAULT_DOCKER_HOST=unix:///var/run/docker.sock
BUSYBOX_IMAGE=busybox:1.36
DEBIAN_IMAGE=debian:bookworm-slim
DEBIAN_SUITE=bookworm
IMAGE_PATH_ENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
DOCKERD_WAIT=60
REGISTRY_WAIT=20
PULL_TIMEOUT=60


mkdir -p "$STATE_DIR"
STATE_DIR="$(cd "$STATE_DIR" && pwd)"

# One run at a time (the lock fd is closed in every background child).
exec 9>>"$STATE_DIR/.lock"
if have flock; then
  flock -w 900 9 || die "another engine-up.sh run holds $STATE_DIR/.lock"
fi


# ---------------------------------------------------------------- helpers


# Start "$@" detached (own session, no inherited fds, stdio to $1); pid in SPAWNED_PID.
SPAWNED_PID=""
spawn_bg() {
  local logfile="$1"; shift
  (
    for fd in /proc/self/fd/*; do
      fd="${fd##*/}"
      if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    exec setsid nohup "$@" </dev/null >>"$logfile" 2>&1
  ) &
  SPAWNED_PID=$!
}

# pid from a pid file if that process is alive and runs the expected command
pid_from_file() {
  local f="$1" comm="$2" pid
  [ -f "$f" ] || return 1
  pid="$(cat "$f" 2>/dev/null || true)"
  pid_alive "$pid" || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" = "$comm" ] || return 1
  printf '%s' "$pid"
}

write_if_changed() { # path mode ; content on stdin
  local path="$1" mode="$2" tmp
  tmp="$(mktemp "$path.XXXXXX")"
  cat >"$tmp"
  chmod "$mode" "$tmp"
  if [ -f "$path" ] && cmp -s "$tmp" "$path"; then rm -f "$tmp"; else mv -f "$tmp" "$path"; fi
}

json_str() {
  local s="$1"
  s="${s//\\/\\\\}"; s="${s//\"/\\\"}"
  s="${s//$'\n'/\\n}"; s="${s//$'\t'/\\t}"; s="${s//$'\r'/\\r}"
  printf '"%s"' "$s"
}
json_pid() { if [ -n "${1:-}" ]; then printf '%s' "$1"; else printf 'null'; fi; }

engine_ok() { timeout 15 docker info >/dev/null 2>&1; }
image_present() { docker image inspect "$1" >/dev/null 2>&1; }

# curl against the Engine API (unix or plain tcp DOCKER_HOST); returns 2 if unsupported.
engine_api() { # path [curl args...]
  local path="$1"; shift
  case "$DOCKER_HOST" in
    unix://*) curl -sS --unix-socket "${DOCKER_HOST#unix://}" "$@" "http://localhost$path" ;;
    tcp://*)
      [ -z "${DOCKER_TLS_VERIFY:-}" ] || return 2
      curl -sS "$@" "http://${DOCKER_HOST#tcp://}$path" ;;
    *) return 2 ;;
  esac
}

http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" 2>/dev/null || true; }

# ------------------------------------------------- decide what to install

if [ -z "${DOCKER_HOST:-}" ]; then
  DOCKER_HOST="$DEFAULT_DOCKER_HOST"
fi
export DOCKER_HOST

REGISTRY_URL="http://$REG_HOST:$REG_PORT/v2/"
AUTH_URL="http://$REG_HOST:$AUTH_PORT/v2/"
HTPASSWD_FILE="$STATE_DIR/htpasswd"
PASSWORD_FILE="$STATE_DIR/registry-password"

have curl || apt_install curl ca-certificates

ENGINE_UP=0
if have docker && engine_ok; then ENGINE_UP=1; fi

# Batch the packages we will certainly need into one apt-get call.
pkgs=()
if [ "$ENGINE_UP" -eq 0 ] && { ! have dockerd || ! have docker; } && can_apt &&
   [ "$DOCKER_HOST" = "$DEFAULT_DOCKER_HOST" ]; then
  pkgs+=(docker.io)
fi
if [ "$(http_code "$REGISTRY_URL")" != 200 ] || [ "$(http_code "$AUTH_URL")" != 401 ]; then
  have docker-registry || pkgs+=(docker-registry)
  if [ ! -s "$HTPASSWD_FILE" ] && ! have htpasswd; then pkgs+=(apache2-utils); fi
fi
if [ "${#pkgs[@]}" -gt 0 ] && can_apt; then apt_install "${pkgs[@]}"; fi

# ------------------------------------------------------------ 1. engine

DOCKERD_LOG="$STATE_DIR/dockerd.log"
if [ "$ENGINE_UP" -eq 1 ]; then
  log "engine answers at $DOCKER_HOST"
else
  no_engine_msg="no Docker engine answers at $DOCKER_HOST. Install and start Docker Engine (Debian: apt-get install docker.io, then start dockerd), or set DOCKER_HOST to a running engine; as root on Debian this script does it itself."
  [ "$DOCKER_HOST" = "$DEFAULT_DOCKER_HOST" ] ||
    die "no Docker engine answers at DOCKER_HOST=$DOCKER_HOST; start that engine, or unset DOCKER_HOST to let this script use (and, as root on Debian, install and start) a local dockerd at $DEFAULT_DOCKER_HOST"
  if ! have dockerd || ! have docker || ! is_root; then die "$no_engine_msg"; fi
  if pid_from_file /var/run/docker.pid dockerd >/dev/null; then
    # A daemon is running (maybe still starting, maybe started by a package's init script): wait for it.
    log "a dockerd is already running; waiting for it to answer"
  else
    log "starting dockerd (log: $DOCKERD_LOG)"
    printf '\n==== %s engine-up.sh starting dockerd\n' "$(date -u +%FT%TZ)" >>"$DOCKERD_LOG"
    spawn_bg "$DOCKERD_LOG" dockerd
    echo "$SPAWNED_PID" >"$STATE_DIR/dockerd.pid"
  fi
  deadline=$((SECONDS + DOCKERD_WAIT))
  until engine_ok; do
    if [ -n "$SPAWNED_PID" ] && ! pid_alive "$SPAWNED_PID"; then
      tail -n 25 "$DOCKERD_LOG" >&2 || true
      die "dockerd exited during startup (log: $DOCKERD_LOG)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 25 "$DOCKERD_LOG" >&2 || true
      die "dockerd did not answer within ${DOCKERD_WAIT}s (log: $DOCKERD_LOG)"
    fi
    sleep 0.5
  done
  log "engine is up"
fi
SERVER_VERSION="$(docker version --format '{{.Server.Version}}' 2>/dev/null || echo unknown)"
API_VERSION="$(docker version --format '{{.Server.APIVersion}}' 2>/dev/null || echo unknown)"

# ------------------------------------------------------- 2. base images

try_pull() {
  log "docker pull $1 (timeout ${PULL_TIMEOUT}s)"
  if timeout "$PULL_TIMEOUT" docker pull -q "$1" >"$STATE_DIR/pull.log" 2>&1; then return 0; fi
  log "pull failed: $(tail -n 1 "$STATE_DIR/pull.log")"
  return 1
}

# Path of a statically linked busybox: the installed busybox-static, else the
# package unpacked into the work dir (no change to the host's packages).
static_busybox() {
  if [ "$(dpkg-query -W -f='${Status}' busybox-static 2>/dev/null || true)" = "install ok installed" ] &&
     [ -x /bin/busybox ]; then
    printf '%s' /bin/busybox; return
  fi
  have apt-get || die "need Debian's busybox-static package to build $BUSYBOX_IMAGE"
  workdir
  mkdir -p "$WORK/bbdeb"
  log "apt-get download busybox-static"
  if ! (cd "$WORK/bbdeb" && apt-get download -qq busybox-static) >>"$STATE_DIR/apt.log" 2>&1; then
    is_root && apt_update
    (cd "$WORK/bbdeb" && apt-get download -qq busybox-static) >>"$STATE_DIR/apt.log" 2>&1 ||
      die "apt-get download busybox-static failed (log: $STATE_DIR/apt.log)"
  fi
  dpkg-deb -x "$WORK"/bbdeb/busybox-static_*.deb "$WORK/bbdeb/x"
  for p in "$WORK/bbdeb/x/bin/busybox" "$WORK/bbdeb/x/usr/bin/busybox"; do
    if [ -x "$p" ]; then printf '%s' "$p"; return; fi
  done
  die "no busybox binary in the busybox-static package"
}

build_busybox() {
  local bb root
  bb="$(static_busybox)"
  workdir
  root="$WORK/busybox-root"
  busybox_rootfs "$bb" "$root"
  local bbver
  bbver="$("$root/bin/busybox" 2>&1 | sed -n '1s/^BusyBox \(v[^ ]*\).*/\1/p' || true)"
  log "importing $BUSYBOX_IMAGE from Debian's busybox-static ${bbver}"
  tar --numeric-owner --owner=0 --group=0 -C "$root" -c . |
    docker import -c "ENV $IMAGE_PATH_ENV" -c 'CMD ["sh"]' \
      -c 'LABEL org.nx-docker-images.origin=debian-busybox-static' - "$BUSYBOX_IMAGE" >/dev/null
  docker run --rm "$BUSYBOX_IMAGE" true || die "$BUSYBOX_IMAGE was imported but does not run"
}

# "URI SUITE" for every enabled deb entry in the host's apt sources.
apt_source_entries() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk '/^[ \t]*deb[ \t]/ {
      line = $0; sub(/^[ \t]*deb[ \t]+/, "", line)
      if (line ~ /^\[/) sub(/^\[[^]]*\][ \t]*/, "", line)
      split(line, a, /[ \t]+/); print a[1], a[2] }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk '
      function flush(   n, m, i, j, u, s) {
        if (types ~ /(^|[ \t])deb([ \t]|$)/ && enabled != "no") {
          n = split(uris, u, /[ \t]+/); m = split(suites, s, /[ \t]+/)
          for (i = 1; i <= n; i++) for (j = 1; j <= m; j++) if (u[i] != "" && s[j] != "") print u[i], s[j]
        }
        types = uris = suites = enabled = ""
      }
      function val(   v) { v = $0; sub(/^[^:]*:[ \t]*/, "", v); return v }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      tolower($1) == "types:"   { types = val() }
      tolower($1) == "uris:"    { uris = val() }
      tolower($1) == "suites:"  { suites = val() }
      tolower($1) == "enabled:" { enabled = tolower($2) }
      END { flush() }' "$f"
  done
}

pick_mirrors() {
  local entries host_codename
  entries="$(apt_source_entries | awk '$1 ~ /^https?:\/\// { sub(/\/+$/, "", $1); print $1, $2 }')"
  # shellcheck disable=SC1091
  host_codename="$(. /etc/os-release 2>/dev/null && printf '%s' "${VERSION_CODENAME:-}")"
  MIRROR="${ENGINE_DEBIAN_MIRROR:-}"
  if [ -z "$MIRROR" ]; then
    MIRROR="$(awk -v s="$DEBIAN_SUITE" '$2 == s { print $1; exit }' <<<"$entries")"
  fi
  if [ -z "$MIRROR" ] && [ -n "$host_codename" ]; then
    MIRROR="$(awk -v s="$host_codename" '$2 == s && $1 ~ /\/debian$/ { print $1; exit }' <<<"$entries")"
  fi
  MIRROR="${MIRROR:-http://deb.debian.org/debian}"
  SECURITY_MIRROR="${ENGINE_DEBIAN_SECURITY_MIRROR:-}"
  if [ -z "$SECURITY_MIRROR" ]; then
    SECURITY_MIRROR="$(awk -v s="$DEBIAN_SUITE-security" '$2 == s { print $1; exit }' <<<"$entries")"
  fi
  if [ -z "$SECURITY_MIRROR" ] && [ -n "$host_codename" ]; then
    SECURITY_MIRROR="$(awk -v s="$host_codename-security" '$2 == s { print $1; exit }' <<<"$entries")"
  fi
}

build_debian() {
  is_root || die "building $DEBIAN_IMAGE without a registry needs root (debootstrap); run as root or provide the image"
  have debootstrap || apt_install debootstrap
  pick_mirrors
  workdir
  local root="$WORK/debian-root" include=()
  case "$MIRROR $SECURITY_MIRROR" in *https://*) include=(--include=ca-certificates) ;; esac
  log "debootstrap --variant=minbase $DEBIAN_SUITE from $MIRROR (about 30 s; log: $STATE_DIR/debootstrap.log)"
  debootstrap --variant=minbase "${include[@]}" "$DEBIAN_SUITE" "$root" "$MIRROR" >"$STATE_DIR/debootstrap.log" 2>&1 ||
    { tail -n 20 "$STATE_DIR/debootstrap.log" >&2; die "debootstrap failed (log: $STATE_DIR/debootstrap.log)"; }
  # slim down and drop host-specific files, like the official image
  rm -rf --one-file-system "${root:?}"/dev/* "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/archives/*.deb \
    "$root"/var/cache/apt/*.bin "$root"/var/log/bootstrap.log "$root"/debootstrap
  mkdir -p "$root/var/lib/apt/lists/partial"
  : >"$root/etc/resolv.conf"; : >"$root/etc/hostname"
  # apt in the image uses the same Debian mirror(s) as this host
  rm -f "$root/etc/apt/sources.list"
  {
    printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "$MIRROR" "$DEBIAN_SUITE" "$DEBIAN_SUITE"
    if [ -n "$SECURITY_MIRROR" ]; then
      printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$SECURITY_MIRROR" "$DEBIAN_SUITE"
    fi
  } >"$root/etc/apt/sources.list.d/debian.sources"
  log "importing $DEBIAN_IMAGE"
  tar --numeric-owner -C "$root" -c . |
    docker import -c "ENV $IMAGE_PATH_ENV" -c 'CMD ["bash"]' \
      -c 'LABEL org.nx-docker-images.origin=debootstrap-minbase' - "$DEBIAN_IMAGE" >/dev/null
  log "checking apt inside $DEBIAN_IMAGE"
  if docker run --rm "$DEBIAN_IMAGE" sh -c 'apt-get update -qq >/dev/null 2>&1'; then
    log "apt works inside $DEBIAN_IMAGE"
  else
    warn "apt-get update fails inside $DEBIAN_IMAGE (mirror $MIRROR); containers may lack network access"
  fi
}

if image_present "$BUSYBOX_IMAGE"; then
  log "$BUSYBOX_IMAGE present"
else
  try_pull "$BUSYBOX_IMAGE" || build_busybox
fi
if ! image_present busybox:latest; then
  docker tag "$BUSYBOX_IMAGE" busybox:latest
  log "tagged busybox:latest"
fi
if image_present "$DEBIAN_IMAGE"; then
  log "$DEBIAN_IMAGE present"
else
  try_pull "$DEBIAN_IMAGE" || build_debian
fi

# BuildKit through the Engine API (POST /build?version=2), probed once per engine.
ENGINE_ID="$(docker info --format '{{.ID}}' 2>/dev/null || true)"
BK_MARK="$STATE_DIR/buildkit-ok"
BK_KEY="$ENGINE_ID $SERVER_VERSION"
BUILDKIT=unknown
if [ -f "$BK_MARK" ] && [ "$(cat "$BK_MARK")" = "$BK_KEY" ]; then
  BUILDKIT=true
else
  workdir
  mkdir -p "$WORK/bk"
  printf 'FROM %s\nRUN --mount=type=cache,target=/c true\n' "$BUSYBOX_IMAGE" >"$WORK/bk/Dockerfile"
  rc=0
  tar -C "$WORK/bk" -c . | engine_api '/build?version=2&t=engine-up-probe:buildkit&rm=1&forcerm=1' \
    --max-time 120 -X POST -H 'Content-Type: application/x-tar' --data-binary @- >"$STATE_DIR/buildkit-probe.log" 2>&1 || rc=$?
  if [ "$rc" -eq 2 ]; then
    log "BuildKit probe skipped (DOCKER_HOST $DOCKER_HOST is not a plain unix/tcp endpoint)"
  elif [ "$rc" -eq 0 ] && grep -q 'moby.image.id' "$STATE_DIR/buildkit-probe.log" &&
       ! grep -q '"errorDetail"\|"error":' "$STATE_DIR/buildkit-probe.log"; then
    BUILDKIT=true
    printf '%s' "$BK_KEY" >"$BK_MARK"
    docker image rm engine-up-probe:buildkit >/dev/null 2>&1 || true
    log "BuildKit works through the Engine API (POST /build?version=2)"
  else
    BUILDKIT=false
    warn "BuildKit build through the Engine API failed (see $STATE_DIR/buildkit-probe.log)"
  fi
fi

# ---------------------------------------------------------- 3. registries

REGISTRY_PASSWORD=""
if [ -s "$PASSWORD_FILE" ]; then
  REGISTRY_PASSWORD="$(cat "$PASSWORD_FILE")"
else
  REGISTRY_PASSWORD="$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
  (umask 077; printf '%s' "$REGISTRY_PASSWORD" >"$PASSWORD_FILE")
fi
if [ ! -s "$HTPASSWD_FILE" ]; then
  have htpasswd || apt_install apache2-utils
  printf '%s' "$REGISTRY_PASSWORD" | htpasswd -niB "$REGISTRY_USER" | sed '/^$/d' | write_if_changed "$HTPASSWD_FILE" 0600
  log "wrote $HTPASSWD_FILE (user $REGISTRY_USER, bcrypt)"
fi

registry_config() { # port auth(0|1)
  local port="$1" auth="$2"
  cat <<EOF
# written by tools/engine-up.sh
version: 0.1
log:
  level: info
  fields:
    service: registry-$port
storage:
  filesystem:
    rootdirectory: $STATE_DIR/registry-$port-data
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: $REG_HOST:$port
  headers:
    X-Content-Type-Options: [nosniff]
EOF
  if [ "$auth" = 1 ]; then
    cat <<EOF
auth:
  htpasswd:
    realm: nx-docker-images-test
    path: $HTPASSWD_FILE
EOF
  fi
}

ensure_registry() { # port auth(0|1) expected-code
  local port="$1" auth="$2" want="$3" url="http://$REG_HOST:$1/v2/" code
  code="$(http_code "$url")"
  if [ "$code" = "$want" ]; then
    log "registry $REG_HOST:$port answers"
    return
  fi
  [ "$code" = 000 ] || die "$REG_HOST:$port answers /v2/ with HTTP $code (expected $want): the port is taken by something else"
  have docker-registry || apt_install docker-registry
  mkdir -p "$STATE_DIR/registry-$port-data"
  registry_config "$port" "$auth" | write_if_changed "$STATE_DIR/registry-$port.yml" 0644
  log "starting registry on $REG_HOST:$port$([ "$auth" = 1 ] && echo ' (htpasswd auth)') (log: $STATE_DIR/registry-$port.log)"
  spawn_bg "$STATE_DIR/registry-$port.log" docker-registry serve "$STATE_DIR/registry-$port.yml"
  echo "$SPAWNED_PID" >"$STATE_DIR/registry-$port.pid"
  local deadline=$((SECONDS + REGISTRY_WAIT))
  until [ "$(http_code "$url")" = "$want" ]; do
    if ! pid_alive "$SPAWNED_PID" || [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 15 "$STATE_DIR/registry-$port.log" >&2 || true
      die "registry on $REG_HOST:$port did not come up (log: $STATE_DIR/registry-$port.log)"
    fi
    sleep 0.3
  done
}

ensure_registry "$REG_PORT" 0 200
ensure_registry "$AUTH_PORT" 1 401
[ "$(http_code -u "$REGISTRY_USER:$REGISTRY_PASSWORD" "$AUTH_URL")" = 200 ] ||
  die "registry $REG_HOST:$AUTH_PORT rejects $REGISTRY_USER with the password in $PASSWORD_FILE (stale process or htpasswd? stop it and re-run)"

# The engine must push to the plain-HTTP registry (127.0.0.0/8 is insecure by default).
PROBE_REPO=probe/busybox
PUSH_OK=false
manifest_url="http://$REG_HOST:$REG_PORT/v2/$PROBE_REPO/manifests/${BUSYBOX_IMAGE#*:}"
manifest_accept='application/vnd.docker.distribution.manifest.v2+json,application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.list.v2+json,application/vnd.oci.image.index.v1+json'
if [ "$(http_code -H "Accept: $manifest_accept" "$manifest_url")" = 200 ]; then
  PUSH_OK=true
else
  probe_ref="$REG_HOST:$REG_PORT/$PROBE_REPO:${BUSYBOX_IMAGE#*:}"
  docker tag "$BUSYBOX_IMAGE" "$probe_ref"
  if timeout 60 docker push "$probe_ref" >"$STATE_DIR/push-probe.log" 2>&1; then
    PUSH_OK=true
    log "engine pushes to $REG_HOST:$REG_PORT without TLS"
  else
    warn "docker push $probe_ref failed: $(tail -n 1 "$STATE_DIR/push-probe.log")"
  fi
  docker image rm "$probe_ref" >/dev/null 2>&1 || true
fi

# ------------------------------------------------------------- outputs

DOCKERD_PID="$(pid_from_file "$STATE_DIR/dockerd.pid" dockerd || true)"
REG_PID="$(pid_from_file "$STATE_DIR/registry-$REG_PORT.pid" docker-registry || true)"
AUTH_PID="$(pid_from_file "$STATE_DIR/registry-$AUTH_PORT.pid" docker-registry || true)"

ENV_NAMES=(DOCKER_HOST IMAGE_REGISTRY IMAGE_REGISTRY_AUTH IMAGE_REGISTRY_USER IMAGE_REGISTRY_PASSWORD ENGINE_STATE_DIR)
ENV_VALUES=("$DOCKER_HOST" "$REG_HOST:$REG_PORT" "$REG_HOST:$AUTH_PORT" "$REGISTRY_USER" "$REGISTRY_PASSWORD" "$STATE_DIR")

{
  printf '{\n  "env": {\n'
  for i in "${!ENV_NAMES[@]}"; do
    sep=,; [ "$i" -eq $((${#ENV_NAMES[@]} - 1)) ] && sep=
    printf '    "%s": %s%s\n' "${ENV_NAMES[$i]}" "$(json_str "${ENV_VALUES[$i]}")" "$sep"
  done
  printf '  },\n'
  printf '  "dockerHost": %s,\n' "$(json_str "$DOCKER_HOST")"
  printf '  "engine": { "serverVersion": %s, "apiVersion": %s, "buildkit": %s, "pid": %s, "log": %s },\n' \
    "$(json_str "$SERVER_VERSION")" "$(json_str "$API_VERSION")" \
    "$([ "$BUILDKIT" = unknown ] && echo null || echo "$BUILDKIT")" "$(json_pid "$DOCKERD_PID")" "$(json_str "$DOCKERD_LOG")"
  printf '  "registry": { "address": %s, "url": %s, "pushVerified": %s, "pid": %s, "log": %s },\n' \
    "$(json_str "$REG_HOST:$REG_PORT")" "$(json_str "http://$REG_HOST:$REG_PORT")" "$PUSH_OK" \
    "$(json_pid "$REG_PID")" "$(json_str "$STATE_DIR/registry-$REG_PORT.log")"
  printf '  "registryAuth": { "address": %s, "url": %s, "user": %s, "password": %s, "pid": %s, "log": %s },\n' \
    "$(json_str "$REG_HOST:$AUTH_PORT")" "$(json_str "http://$REG_HOST:$AUTH_PORT")" \
    "$(json_str "$REGISTRY_USER")" "$(json_str "$REGISTRY_PASSWORD")" \
    "$(json_pid "$AUTH_PID")" "$(json_str "$STATE_DIR/registry-$AUTH_PORT.log")"
  printf '  "images": { "busybox": %s, "debian": %s }\n}\n' "$(json_str "$BUSYBOX_IMAGE")" "$(json_str "$DEBIAN_IMAGE")"
} | write_if_changed "$STATE_DIR/engine.json" 0644

log "ready (state: $STATE_DIR/engine.json)"
for i in "${!ENV_NAMES[@]}"; do
  printf 'export %s=%q\n' "${ENV_NAMES[$i]}" "${ENV_VALUES[$i]}" >&3
done
