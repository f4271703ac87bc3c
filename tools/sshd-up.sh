#!/usr/bin/env bash
# tools/sshd-up.sh DIR - a throwaway sshd for the ssh-forwarding e2e test, never the system's:
# Debian's openssh-server (installed when missing, without starting its service), on 127.0.0.1
# and a free port, with its own host key, config, authorized key and a bare git repository
# under DIR. Prints `export NAME=value` lines (SSHD_PORT, SSHD_PID, SSH_TEST_KEY, SSH_TEST_REPO);
# stop it with `kill $SSHD_PID`.
set -euo pipefail
DIR="${1:?usage: sshd-up.sh DIR}"
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
log() { printf 'sshd-up: %s\n' "$*" >&2; }

if [ ! -x /usr/sbin/sshd ]; then
  [ "$(id -u)" = 0 ] || { log "openssh-server is not installed and this is not root: apt-get install openssh-server"; exit 1; }
  log "installing openssh-server (its service is not started)"
  # policy-rc.d 101: the package's postinst must not start the system sshd.
  cleanup_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; cleanup_policy=1; fi
  (flock -w 600 9; DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends openssh-server >&2 || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends openssh-server >&2; }) 9>/tmp/sshd-up.apt.lock
  [ "$cleanup_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
fi
mkdir -p /run/sshd

ssh-keygen -q -t ed25519 -N '' -f "$DIR/host_key" <<<y >/dev/null
ssh-keygen -q -t ed25519 -N '' -C nx-image-graph-e2e -f "$DIR/client_key" <<<y >/dev/null
cp "$DIR/client_key.pub" "$DIR/authorized_keys"
chmod 600 "$DIR/authorized_keys"

# A bare repository with one commit, served as $DIR/repo.git.
rm -rf "$DIR/repo.git" "$DIR/work"
git init -q --bare -b main "$DIR/repo.git"
git init -q -b main "$DIR/work"
printf 'cloned over ssh\n' >"$DIR/work/README"
git -C "$DIR/work" add README
git -C "$DIR/work" -c user.name=e2e -c user.email=e2e@example.invalid commit -qm initial
git -C "$DIR/work" push -q "$DIR/repo.git" main

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cat >"$DIR/sshd_config" <<CONF
ListenAddress 127.0.0.1
Port $PORT
HostKey $DIR/host_key
PidFile $DIR/sshd.pid
AuthorizedKeysFile $DIR/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
CONF
/usr/sbin/sshd -t -f "$DIR/sshd_config"
setsid /usr/sbin/sshd -D -e -f "$DIR/sshd_config" </dev/null >>"$DIR/sshd.log" 2>&1 &
PID=$!
for _ in $(seq 1 50); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
  sleep 0.1
done
(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null || { log "sshd did not listen on 127.0.0.1:$PORT; see $DIR/sshd.log"; kill "$PID" 2>/dev/null || true; exit 1; }
log "sshd on 127.0.0.1:$PORT (pid $PID)"
printf 'export SSHD_PORT=%s\nexport SSHD_PID=%s\nexport SSH_TEST_KEY=%s\nexport SSH_TEST_REPO=%s\n' "$PORT" "$PID" "$DIR/client_key" "$DIR/repo.git"
