#!/usr/bin/env bash
# Installs the npm build tools of crates/wasm/tools (wasm-opt, esbuild, jco, and the SDK the
# benchmarks compare with) unless present.
set -euo pipefail
source "$(dirname "$0")/env.sh"
tools="$OUTRIG_ROOT/crates/wasm/tools"
# (and whenever the pinned @anthropic-ai/sdk the benchmarks compare with is not the one installed)
sdk=$(sed -n 's/.*"@anthropic-ai\/sdk": "\([^"]*\)".*/\1/p' "$tools/package.json")
if [ ! -x "$tools/node_modules/.bin/wasm-opt" ] || [ ! -x "$tools/node_modules/.bin/jco" ] \
  || ! grep -qs "\"version\": \"$sdk\"" "$tools/node_modules/@anthropic-ai/sdk/package.json"; then
  (cd "$tools" && npm install --no-audit --no-fund --loglevel=error)
fi
