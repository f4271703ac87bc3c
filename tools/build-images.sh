#!/usr/bin/env bash
# Builds the example image graph in images/ with the repo's own plugin, on a fresh machine too:
# installs the workspace from the committed lock (npm ci), brings up the engine (tools/engine-up.sh), then runs Nx.
# Extra arguments go to nx, e.g. `npm run images -- --skip-nx-cache`.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x node_modules/.bin/nx ] || npm ci --no-audit --no-fund
npm run build --silent
eval "$(bash tools/engine-up.sh)"
export NX_NO_CLOUD=true NX_TUI=false
exec npx nx run-many -t docker-build --outputStyle=stream "$@"
