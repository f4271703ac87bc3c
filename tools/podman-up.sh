#!/usr/bin/env bash
# tools/podman-up.sh - bring up Podman's Docker-compatible API for the plugin, idempotently:
#   1. podman itself (as root on Debian, from apt when missing; Debian 12 has 4.3),
#   2. `podman system service` on its own socket, in the background,
#   3. the base image busybox:1.36 in Podman's storage without any registry: copied
#      from the Docker engine when it has it (tools/engine-up.sh creates it there),
#      else built from Debian's busybox-static as tools/engine-up.sh does,
#   4. a probe build with a RUN step through the API (once per Podman version and image).
#
# Usage:  eval "$(tools/podman-up.sh)"        then DOCKER_HOST=$PODMAN_HOST nx run-many -t docker-build
#         tools/podman-up.sh --stop           stops the service this script started
# Progress goes to stderr; stdout carries only `export NAME=value` lines:
#   PODMAN_HOST              unix:// address of the service
#   PODMAN_SERVICE_STARTED   1 when this run started the service (so the caller may stop it), else 0
#
# Podman keeps its own storage (/var/lib/containers) and never touches dockerd's. Its compat
# build runs RUN steps in the host network namespace unless a network mode is asked for, so
# builds need no CNI; containers (`podman run`) use Podman's own CNI bridge (cni-podman0).
#
# Environment knobs (all optional):
#   PODMAN_STATE_DIR    logs, pid file, containers.conf (default /tmp/nx-image-graph-podman)
#   PODMAN_SOCKET       socket path (default /run/nx-image-graph-podman/podman.sock)
#   PODMAN_BUSYBOX_FROM "docker" or "debian" to force where busybox:1.36 comes from
set -euo pipefail

STATE_DIR="${PODMAN_STATE_DIR:-/tmp/nx-image-graph-podman}"
TAG=podman-up
# shellcheck source=lib/bring-up.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/bring-up.sh"
SOCK="${PODMAN_SOCKET:-/run/nx-image-graph-podman/podman.sock}"
BUSYBOX_IMAGE=busybox:1.36
# The name a pull would give it: the compat API resolves short names to docker.io first.
BUSYBOX_FULL=docker.io/library/busybox:1.36
IMAGE_PATH_ENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
SERVICE_WAIT=30

answers() { curl -sf --max-time 3 --unix-socket "$SOCK" http://d/_ping >/dev/null 2>&1; }
# The service's pid from our pid file, if that process is alive and is podman.
service_pid() {
  local pid
  [ -f "$STATE_DIR/service.pid" ] || return 1
  pid="$(cat "$STATE_DIR/service.pid" 2>/dev/null || true)"
  pid_alive "$pid" || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" = podman ] || return 1
  printf '%s' "$pid"
}

mkdir -p "$STATE_DIR"
STATE_DIR="$(cd "$STATE_DIR" && pwd)"

if [ "${1:-}" = "--stop" ]; then
  if pid="$(service_pid)"; then
    log "stopping the podman service (pid $pid)"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do pid_alive "$pid" || break; sleep 0.2; done
    pid_alive "$pid" && { warn "pid $pid did not stop on SIGTERM; sending SIGKILL"; kill -9 "$pid" 2>/dev/null || true; }
    rm -f "$STATE_DIR/service.pid"
  else
    log "no podman service started by this script is running"
  fi
  exit 0
fi

# One run at a time (the lock fd is closed in the service's process).
exec 9>>"$STATE_DIR/.lock"
if have flock; then
  flock -w 600 9 || die "another podman-up.sh run holds $STATE_DIR/.lock"
fi



# ------------------------------------------------------------ 1. podman

have curl || apt_install curl ca-certificates
if ! have podman; then
  can_apt || die "podman is not installed; install Podman (Debian: apt-get install podman) or run this script as root on Debian"
  apt_install podman
fi
PODMAN_VERSION="$(podman version --format '{{.Client.Version}}' 2>/dev/null || echo unknown)"

# The service's own containers.conf: containers get the limits this machine allows. Podman asks
# for nofile=1048576 and nproc=4194304 by default, which runc cannot set where the hard limits
# are lower (as in containers and VMs), and every `podman run` would fail.
CONF="$STATE_DIR/containers.conf"
nofile="$(ulimit -Hn)"; [ "$nofile" = unlimited ] && nofile=1048576
nproc="$(ulimit -Hu)"; [ "$nproc" = unlimited ] && nproc=4194304
pid_max="$(cat /proc/sys/kernel/pid_max 2>/dev/null || echo "$nproc")"
[ "$nproc" -gt "$pid_max" ] && nproc="$pid_max"
conf_text="$(printf '# written by tools/podman-up.sh\n[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=%s:%s"]\n' "$nofile" "$nofile" "$nproc" "$nproc")"
if [ ! -f "$CONF" ] || [ "$(cat "$CONF")" != "$conf_text" ]; then printf '%s\n' "$conf_text" >"$CONF"; fi
export CONTAINERS_CONF="$CONF"

# ------------------------------------------------------------ 2. service

STARTED=0
if answers; then
  log "podman service answers at unix://$SOCK"
else
  mkdir -p "$(dirname "$SOCK")"
  # A socket file left by a killed service would make the new one fail to listen.
  [ -S "$SOCK" ] && rm -f "$SOCK"
  LOGFILE="$STATE_DIR/service.log"
  log "starting podman $PODMAN_VERSION system service on unix://$SOCK (log: $LOGFILE)"
  printf '\n==== %s podman-up.sh starting the service\n' "$(date -u +%FT%TZ)" >>"$LOGFILE"
  (
    for fd in /proc/self/fd/*; do
      fd="${fd##*/}"
      if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    exec setsid podman system service --time=0 "unix://$SOCK" </dev/null >>"$LOGFILE" 2>&1
  ) &
  pid=$!
  echo "$pid" >"$STATE_DIR/service.pid"
  deadline=$((SECONDS + SERVICE_WAIT))
  until answers; do
    if ! pid_alive "$pid"; then
      tail -n 20 "$LOGFILE" >&2 || true
      die "podman system service exited during startup (log: $LOGFILE)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 20 "$LOGFILE" >&2 || true
      die "podman system service did not answer on $SOCK within ${SERVICE_WAIT}s (log: $LOGFILE)"
    fi
    sleep 0.2
  done
  STARTED=1
  log "podman service is up (pid $pid)"
fi

# ------------------------------------------------------------ 3. busybox

# The Docker engine to copy from: DOCKER_HOST unless it points at this very service.
DOCKER_SOURCE="${DOCKER_HOST:-unix:///var/run/docker.sock}"
[ "$DOCKER_SOURCE" = "unix://$SOCK" ] && DOCKER_SOURCE=unix:///var/run/docker.sock

docker_has_busybox() {
  have docker && DOCKER_HOST="$DOCKER_SOURCE" timeout 15 docker image inspect "$BUSYBOX_IMAGE" >/dev/null 2>&1
}

# Same image as tools/engine-up.sh makes for Docker: Debian's static busybox and its applet links.
busybox_from_debian() {
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
  local bb="" p root="$WORK/busybox-root" applet
  for p in "$WORK/bbdeb/x/bin/busybox" "$WORK/bbdeb/x/usr/bin/busybox"; do [ -x "$p" ] && bb="$p" && break; done
  [ -n "$bb" ] || die "no busybox binary in the busybox-static package"
  busybox_rootfs "$bb" "$root"
  log "importing $BUSYBOX_FULL from Debian's busybox-static"
  tar --numeric-owner --owner=0 --group=0 -C "$root" -c . |
    podman import -q -c "ENV $IMAGE_PATH_ENV" -c 'CMD ["sh"]' \
      -c 'LABEL org.nx-docker-images.origin=debian-busybox-static' - "$BUSYBOX_FULL" >/dev/null
}

if podman image exists "$BUSYBOX_FULL"; then
  log "$BUSYBOX_FULL present"
else
  from="${PODMAN_BUSYBOX_FROM:-}"
  if [ -z "$from" ]; then if docker_has_busybox; then from=docker; else from=debian; fi; fi
  case "$from" in
    docker)
      log "copying $BUSYBOX_IMAGE from the Docker engine at $DOCKER_SOURCE"
      # docker-daemon: reads `docker save` from the engine and stores it as docker.io/library/busybox:1.36.
      DOCKER_HOST="$DOCKER_SOURCE" podman pull -q "docker-daemon:$BUSYBOX_IMAGE" >"$STATE_DIR/copy.log" 2>&1 ||
        { tail -n 5 "$STATE_DIR/copy.log" >&2; die "could not copy $BUSYBOX_IMAGE from Docker (log: $STATE_DIR/copy.log)"; }
      ;;
    debian) busybox_from_debian ;;
    *) die "PODMAN_BUSYBOX_FROM must be docker or debian, not $from" ;;
  esac
  podman image exists "$BUSYBOX_FULL" || die "$BUSYBOX_FULL is still missing after the copy"
fi
BUSYBOX_ID="$(podman image inspect --format '{{.Id}}' "$BUSYBOX_FULL")"

# ------------------------------------------------------------ 4. probe

# One build with a RUN step through the compat API: storage, runtime and the API all work.
PROBE_MARK="$STATE_DIR/build-ok"
PROBE_KEY="$PODMAN_VERSION $BUSYBOX_ID"
if [ -f "$PROBE_MARK" ] && [ "$(cat "$PROBE_MARK")" = "$PROBE_KEY" ]; then
  log "probe build passed before for podman $PODMAN_VERSION"
else
  workdir
  mkdir -p "$WORK/probe"
  printf 'FROM %s\nRUN echo probe > /probe && test -s /probe\n' "$BUSYBOX_IMAGE" >"$WORK/probe/Dockerfile"
  tar -C "$WORK/probe" -c . | curl -sS --max-time 120 --unix-socket "$SOCK" -X POST -H 'Content-Type: application/x-tar' \
    --data-binary @- 'http://d/v1.41/build?version=1&rm=1&forcerm=1&nocache=1' >"$STATE_DIR/probe.log" 2>&1 || true
  probe_id="$(sed -n 's/.*"aux":{"ID":"\(sha256:[0-9a-f]*\)"}.*/\1/p' "$STATE_DIR/probe.log" | tail -n 1)"
  if [ -z "$probe_id" ] || grep -q '"error"' "$STATE_DIR/probe.log"; then
    tail -n 10 "$STATE_DIR/probe.log" >&2 || true
    die "a probe build through the podman API failed (log: $STATE_DIR/probe.log; service log: $STATE_DIR/service.log)"
  fi
  podman image rm -f "$probe_id" >/dev/null 2>&1 || true
  printf '%s' "$PROBE_KEY" >"$PROBE_MARK"
  log "probe build with a RUN step works through the API"
fi

log "ready: podman $PODMAN_VERSION at unix://$SOCK"
printf 'export PODMAN_HOST=%q\n' "unix://$SOCK" >&3
printf 'export PODMAN_SERVICE_STARTED=%s\n' "$STARTED" >&3
