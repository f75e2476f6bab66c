#!/usr/bin/env bash
# Runs every test: set-up, formatting, lints, Rust tests, SDK conformance, wasm builds.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$OUTRIG_ROOT"
"$OUTRIG_ROOT/scripts/setup.sh"

step() { printf '\n==> %s\n' "$*"; }

step "Fixtures against the official Python SDK (anthropic==2.10.0)"
"$OUTRIG_VENV/bin/python" tests/conformance/validate_fixtures.py

step "rustfmt"
cargo fmt --all -- --check

step "clippy"
cargo clippy --workspace --all-targets -- -D warnings

step "outrig-api builds for wasm32-unknown-unknown"
cargo build -p outrig-api --target wasm32-unknown-unknown

step "cargo test"
cargo test --workspace

printf '\nAll tests passed.\n'
