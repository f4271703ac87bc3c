# Shared by the bring-up scripts (engine-up.sh, podman-up.sh, platforms-up.sh): messages, apt, a work dir.
# The sourcing script sets TAG (the message prefix) and STATE_DIR (where apt.log goes) first.
# shellcheck shell=bash

# stdout is reserved for the script's final export lines (kept as fd 3): everything else goes to stderr.
exec 3>&1 1>&2

PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
export DEBIAN_FRONTEND=noninteractive

log() { printf '[%s] %s\n' "$TAG" "$*" >&2; }
warn() { printf '[%s] WARNING: %s\n' "$TAG" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$TAG" "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
is_root() { [ "$(id -u)" -eq 0 ]; }
can_apt() { is_root && have apt-get && have dpkg; }
pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

WORK=""
cleanup() {
  if [ -n "$WORK" ] && [ -d "$WORK" ]; then
    # debootstrap may leave proc/sys mounted inside its target on failure
    awk -v d="$WORK/" 'index($2, d) == 1 { print $2 }' /proc/mounts 2>/dev/null |
      sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
    rm -rf --one-file-system "$WORK" 2>/dev/null || true
  fi
}
trap cleanup EXIT
workdir() {
  if [ -z "$WORK" ]; then WORK="$(mktemp -d "${TMPDIR:-/var/tmp}/$TAG.XXXXXX")"; fi
}

APT_UPDATED=0
apt_update() {
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    apt-get update -qq >>"$STATE_DIR/apt.log" 2>&1 || { tail -n 20 "$STATE_DIR/apt.log" >&2; die "apt-get update failed (log: $STATE_DIR/apt.log)"; }
    APT_UPDATED=1
  fi
}
# Install packages; on failure (missing or stale lists) update once and retry.
apt_install() {
  [ "$#" -gt 0 ] || return 0
  can_apt || die "need to install: $* (run as root on Debian, or install them yourself)"
  log "apt-get install $*"
  if ! apt-get install -y -qq --no-install-recommends "$@" >>"$STATE_DIR/apt.log" 2>&1; then
    apt_update
    apt-get install -y -qq --no-install-recommends "$@" >>"$STATE_DIR/apt.log" 2>&1 ||
      { tail -n 20 "$STATE_DIR/apt.log" >&2; die "apt-get install $* failed (log: $STATE_DIR/apt.log)"; }
  fi
}

# A minimal root file system around a static busybox binary: the applets as links (the result of
# `busybox --install -s /bin`, made outside a container), /tmp, and root/daemon/nobody accounts.
# The binary runs once (`--list`): for another architecture that goes through binfmt emulation.
busybox_rootfs() {
  local bb="$1" root="$2" applet
  mkdir -p "$root/bin" "$root/etc" "$root/root" "$root/tmp" "$root/home" "$root/var/tmp" "$root/usr/bin" "$root/usr/sbin"
  cp "$bb" "$root/bin/busybox"
  chmod 0755 "$root/bin/busybox"
  for applet in $("$root/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  chmod 1777 "$root/tmp" "$root/var/tmp"; chmod 0700 "$root/root"
  printf 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\ndaemon:x:1:\nnogroup:x:65534:\n' >"$root/etc/group"
}
