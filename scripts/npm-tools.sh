#!/usr/bin/env bash
# Installs the npm build tools of crates/wasm/tools (wasm-opt, esbuild, jco) unless present.
set -euo pipefail
source "$(dirname "$0")/env.sh"
tools="$OUTRIG_ROOT/crates/wasm/tools"
if [ ! -x "$tools/node_modules/.bin/wasm-opt" ] || [ ! -x "$tools/node_modules/.bin/jco" ]; then
  (cd "$tools" && npm install --no-audit --no-fund --loglevel=error)
fi
