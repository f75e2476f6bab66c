#!/usr/bin/env bash
# The self-hosted sandbox's cost next to the SDK's unsandboxed bash, in one run on one
# machine: sandbox start, and per-call time of a trivial command, alternating twice.
# The example is built in the test profile (dependencies optimised, outrig-host not),
# which the tests have already built; it can only overstate Outrig's side.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$OUTRIG_ROOT"
"$OUTRIG_ROOT/scripts/setup.sh" >/dev/null
cargo build -q -p outrig-host --example sandbox_overhead
for round in 1 2; do
  echo "round $round"
  "$CARGO_TARGET_DIR/debug/examples/sandbox_overhead"
  "$OUTRIG_WORKER_VENV/bin/python" scripts/bench_sdk_bash.py
done
