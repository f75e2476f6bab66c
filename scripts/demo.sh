#!/usr/bin/env bash
# The main job: sets up, builds, and runs the offline demo.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$OUTRIG_ROOT"
"$OUTRIG_ROOT/scripts/setup.sh"
cargo build --quiet -p outrig-cli
"$CARGO_TARGET_DIR/debug/outrig" events decode --sse < tests/fixtures/sample-session.sse
