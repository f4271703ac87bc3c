#!/usr/bin/env bash
# Image ids and context costs that the trust issue (#10) is about, measured for one plugin build:
#   1. the same commit cloned over https and over ssh, and after an unrelated commit: image ids
#   2. adding a variant to an image with three: cache hits and the other variants' ids
#   3. a context at the repository root beside ~110 MB of vendored files: bytes sent and the time
#      of a fully cached build (--skip-nx-cache, all steps in BuildKit's cache)
# Usage: tools/bench/trust-ids.sh [plugin-package-dir]   (default: this repo's packages/nx-image-graph)
# Needs the engine of tools/engine-up.sh and an installed workspace (npm ci).
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
PLUGIN="$(cd "${1:-$REPO/packages/nx-image-graph}" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
OWNER="bench$$"
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false CI=true

# A workspace whose node_modules are the repo's, with nx-image-graph taken from $PLUGIN.
link_modules() {
  mkdir -p "$1/node_modules"
  for m in "$REPO"/node_modules/* "$REPO"/node_modules/.bin; do
    [ "$(basename "$m")" = nx-image-graph ] || ln -s "$m" "$1/node_modules/$(basename "$m")"
  done
  ln -s "$PLUGIN" "$1/node_modules/nx-image-graph"
}
nx() { (cd "$1" && shift && NX_CACHE_DIRECTORY="$PWD/.nx/cache" NX_WORKSPACE_DATA_DIRECTORY="$PWD/.nx/wsd" ./node_modules/.bin/nx "$@" --outputStyle=stream 2>&1); }
id_of() { node -e 'console.log(require(process.argv[1]).imageId.slice(7, 19))' "$1"; }
commit() { git -C "$1" add -A && git -C "$1" -c user.name=bench -c user.email=bench@example.invalid commit -qm "$2"; }

origin="$WORK/origin"
mkdir -p "$origin/images/lab" "$origin/images/gpu" "$origin/images/on-gpu" "$origin/images/rooted" "$origin/vendor"
cat >"$origin/package.json" <<J
{ "name": "bench", "private": true }
J
printf '{ "plugins": [{ "plugin": "nx-image-graph", "include": ["images/**"] }] }\n' >"$origin/nx.json"
printf 'node_modules\ndist\n.nx\n' >"$origin/.gitignore"
printf 'FROM busybox:1.36\nCOPY app.txt /app.txt\nRUN cat /app.txt > /copy.txt\n' >"$origin/images/lab/Dockerfile"
echo app >"$origin/images/lab/app.txt"
printf '{ "repository": "%s/lab" }\n' "$OWNER" >"$origin/images/lab/image.json"
printf 'FROM busybox:1.36\nARG FLAVOUR\nRUN echo "$FLAVOUR" > /flavour\n' >"$origin/images/gpu/Dockerfile"
printf '{ "repository": "%s/gpu", "variants": { "ampere": { "args": { "FLAVOUR": "ampere" } }, "hopper": { "args": { "FLAVOUR": "hopper" } }, "blackwell": { "args": { "FLAVOUR": "blackwell" } } } }\n' "$OWNER" >"$origin/images/gpu/image.json"
printf 'FROM %s/gpu:ampere\nRUN cat /flavour\n' "$OWNER" >"$origin/images/on-gpu/Dockerfile"
printf 'FROM busybox:1.36\nCOPY images/rooted/app.txt /app.txt\n' >"$origin/images/rooted/Dockerfile"
echo rooted >"$origin/images/rooted/app.txt"
printf '{ "repository": "%s/rooted", "context": "../.." }\n' "$OWNER" >"$origin/images/rooted/image.json"
for i in $(seq 1 400); do head -c 280000 /dev/urandom >"$origin/vendor/blob-$i.bin"; done
git -C "$origin" init -q -b main && commit "$origin" initial

clone() { git clone -q "$origin" "$WORK/$1" && link_modules "$WORK/$1" && git -C "$WORK/$1" remote set-url origin "$2"; }
clone https https://git.example.com/acme/images.git
clone ssh git@git.example.com:acme/images.git

echo "plugin: $PLUGIN"
nx "$WORK/https" run lab:docker-build >/dev/null; nx "$WORK/ssh" run lab:docker-build >/dev/null
echo "1. lab over https: $(id_of "$WORK/https/dist/images/lab/docker-build.json")  over ssh: $(id_of "$WORK/ssh/dist/images/lab/docker-build.json")"
echo unrelated >"$WORK/https/README.md" && commit "$WORK/https" unrelated
nx "$WORK/https" run lab:docker-build --skip-nx-cache >/dev/null
echo "   after an unrelated commit: $(id_of "$WORK/https/dist/images/lab/docker-build.json")"

w="$WORK/https"
nx "$w" run-many -t docker-build --projects=gpu,on-gpu >/dev/null
before="$(for v in ampere hopper blackwell; do id_of "$w/dist/images/gpu/docker-build-$v.json"; done | tr '\n' ' ')"
node -e 'const f=process.argv[1];const m=require(f);m.variants.cpu={args:{FLAVOUR:"cpu"}};require("fs").writeFileSync(f,JSON.stringify(m))' "$w/images/gpu/image.json"
# Committed, as a team would: the commit is the newest one, so a label taken from HEAD moves.
commit "$w" "add a cpu variant"
out="$(nx "$w" run-many -t docker-build --projects=gpu,on-gpu | sed 's/\x1b\[[0-9;]*m//g' || true)"
grep -q '> nx run ' <<<"$out" || { echo "2. the run after adding a variant ran no task:"; tail -20 <<<"$out"; }
after="$(for v in ampere hopper blackwell; do id_of "$w/dist/images/gpu/docker-build-$v.json"; done | tr '\n' ' ')"
echo "2. adding variant cpu: $(grep -c '> nx run .*\[local cache\]' <<<"$out" || true) cache hits of $(grep -c '> nx run ' <<<"$out" || true) tasks; ids before: $before after: $after"

nx "$w" run rooted:docker-build >/dev/null
# Three fully cached builds: the whole `nx run` wall time (Nx's own start included), each.
times=""
for i in 1 2 3; do
  start=$(date +%s%N); out="$(nx "$w" run rooted:docker-build --skip-nx-cache || true)"; end=$(date +%s%N)
  times="$times $(( (end - start) / 1000000 ))"
done
echo "3. rooted (context ../.. beside 112 MB vendor/), fully cached build, ms of 3 runs:$times; $(grep -o 'context [0-9]* files [0-9.]* [kMG]B' <<<"$out" || echo 'context size not printed')"
docker images --format '{{.Repository}}:{{.Tag}}' | grep "^$OWNER/" | xargs -r docker rmi -f >/dev/null 2>&1 || true
