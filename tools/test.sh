#!/usr/bin/env bash
# Runs every test: the plugin's unit tests and the e2e suite against a real engine and registry.
# On a fresh machine it installs the workspace and brings the engine up first.
# Extra arguments go to jest, e.g. `npm test -- --selectProjects unit`.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x node_modules/.bin/jest ] || npm ci --no-audit --no-fund
npm run build --silent
eval "$(bash tools/engine-up.sh)"
export NX_NO_CLOUD=true NX_TUI=false NX_DAEMON=false
exec npx jest --ci "$@"
