#!/usr/bin/env bash
# The main job: sets up, builds the plugins and the CLI, and runs the offline demo
# (emulator + tool host + Rust/JavaScript/Python plugins + a streamed session).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$OUTRIG_ROOT"
"$OUTRIG_ROOT/scripts/setup.sh" --demo
printf '\n==> Plugins\n'
./scripts/build-plugins.sh >/dev/null
printf '\n==> The outrig binary (the first build compiles wasmtime: several minutes)\n'
cargo build -p outrig-cli
printf '\n'
exec "$CARGO_TARGET_DIR/debug/outrig" demo "$@"
