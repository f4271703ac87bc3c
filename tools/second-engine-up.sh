#!/usr/bin/env bash
# A second, separate Docker engine on this machine, for tests that need "another machine":
# its own data root, exec root, pid file, socket, containerd namespace and bridge (never
# --bridge=none: that would delete the first daemon's docker0). Idempotent; prints
#   export SECOND_DOCKER_HOST=unix:///.../docker.sock
#   export SECOND_DOCKER_TLS_HOST=tcp://127.0.0.1:PORT   (the same engine over TCP with TLS,
#   export SECOND_DOCKER_CERT_PATH=...                   client certificates for DOCKER_CERT_PATH)
# Stop it with: tools/second-engine-up.sh --stop
set -euo pipefail
exec 3>&1 1>&2
STATE="${SECOND_ENGINE_STATE_DIR:-/tmp/nx-image-graph-engine2}"
SOCK="$STATE/docker.sock"
BRIDGE="${SECOND_ENGINE_BRIDGE:-nxig2}"
# A link-local /24 for the second daemon's containers: nothing outside this machine lives there.
BRIDGE_CIDR="${SECOND_ENGINE_BRIDGE_CIDR:-169.254.213.1/24}"
TLS_PORT="${SECOND_ENGINE_TLS_PORT:-23760}"
TLS="$STATE/tls"
log() { printf '[second-engine] %s\n' "$*" >&2; }

# A throwaway CA, a server certificate for 127.0.0.1 and a client certificate: the TLS listener
# proves remote engines (DOCKER_HOST=tcp://, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH) work.
make_certs() {
  [ -f "$TLS/client/key.pem" ] && return 0
  mkdir -p "$TLS/client"
  (
    cd "$TLS"
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=nx-image-graph test CA" -keyout ca-key.pem -out ca.pem 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server-key.pem -out server.csr 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 30 -extfile server.ext -out server-cert.pem 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=client" -keyout client/key.pem -out client.csr 2>/dev/null
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 30 -extfile client.ext -out client/cert.pem 2>/dev/null
    cp ca.pem client/ca.pem
  )
}
answers() { curl -sf --max-time 3 --unix-socket "$SOCK" http://d/_ping >/dev/null 2>&1; }

alive() { [ -f "$STATE/dockerd.pid" ] && kill -0 "$(cat "$STATE/dockerd.pid")" 2>/dev/null; }

if [ "${1:-}" = "--stop" ]; then
  if alive; then kill "$(cat "$STATE/dockerd.pid")" 2>/dev/null || true; fi
  # Wait for the process itself, not just the socket: a restart must not meet its pid file.
  for _ in $(seq 1 100); do alive || break; sleep 0.2; done
  rm -f "$STATE/dockerd.pid"
  ip link del "$BRIDGE" 2>/dev/null || true
  log "stopped"
  exit 0
fi

if ! answers; then
  command -v dockerd >/dev/null || { log "dockerd is missing: run tools/engine-up.sh first"; exit 1; }
  [ "$(id -u)" -eq 0 ] || { log "starting a second dockerd needs root"; exit 1; }
  mkdir -p "$STATE/data" "$STATE/exec"
  alive || rm -f "$STATE/dockerd.pid"
  make_certs
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
    ip addr add "$BRIDGE_CIDR" dev "$BRIDGE"
    ip link set "$BRIDGE" up
  fi
  log "starting dockerd on unix://$SOCK (log: $STATE/dockerd.log)"
  setsid nohup dockerd \
    --data-root "$STATE/data" --exec-root "$STATE/exec" --pidfile "$STATE/dockerd.pid" \
    -H "unix://$SOCK" -H "tcp://127.0.0.1:$TLS_PORT" \
    --tlsverify --tlscacert "$TLS/ca.pem" --tlscert "$TLS/server-cert.pem" --tlskey "$TLS/server-key.pem" \
    --bridge="$BRIDGE" \
    --containerd-namespace nxig2 --containerd-plugins-namespace nxig2-plugins \
    >"$STATE/dockerd.log" 2>&1 </dev/null 3>&- &
  for _ in $(seq 1 120); do answers && break; sleep 0.5; done
  answers || { log "the second dockerd did not answer within 60 s; see $STATE/dockerd.log"; tail -20 "$STATE/dockerd.log" >&2; exit 1; }
fi
log "ready"
echo "export SECOND_DOCKER_HOST=unix://$SOCK" >&3
echo "export SECOND_DOCKER_TLS_HOST=tcp://127.0.0.1:$TLS_PORT" >&3
echo "export SECOND_DOCKER_CERT_PATH=$TLS/client" >&3
