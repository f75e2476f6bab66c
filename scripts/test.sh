#!/usr/bin/env bash
# Runs every test: set-up, formatting, lints, Rust tests, SDK conformance, wasm builds.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$OUTRIG_ROOT"
"$OUTRIG_ROOT/scripts/setup.sh"

# Each step shows the minutes since the run began, so a slow CI run shows where time went.
step() { printf '\n==> [%dm%02ds] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }

step "Fixtures against the official Python SDK (anthropic==2.16.0)"
"$OUTRIG_VENV/bin/python" tests/conformance/validate_fixtures.py

step "rustfmt"
cargo fmt --all -- --check

step "clippy"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p outrig-client --target wasm32-unknown-unknown --lib --tests --example stream_session -- -D warnings

step "Plugins (Rust, JavaScript, Python, hostile set)"
./scripts/build-plugins.sh

step "cargo test"
cargo test --workspace

step "The official SDKs against the emulator (Python anthropic==2.16.0, strict response validation, Node @anthropic-ai/sdk@1.16.0)"
# `cargo test` built the binary for the CLI's integration tests; a separate
# `cargo build -p outrig-cli` would resolve features differently and rebuild much of it.
export OUTRIG_BIN="$CARGO_TARGET_DIR/debug/outrig"
(cd tests/sdk && "$OUTRIG_VENV/bin/python" -m unittest -v test_python_sdk test_python_sdk_part2 test_endpoint_coverage)
(cd tests/sdk && node --test --test-timeout=300000 node_sdk.test.mjs node_sdk_part2.test.mjs node_sdk_chaos.test.mjs)

step "The official Python EnvironmentWorker (anthropic==2.16.0) serving a self-hosted session of the emulator, its retries through chaos rules, botocore's SigV4 and AnthropicBedrock().beta against --platform bedrock"
(cd tests/sdk && "$OUTRIG_WORKER_VENV/bin/python" -m unittest -v test_python_worker test_python_chaos test_bedrock_sigv4 test_bedrock_sdk)

step "outrig host mcp through the official MCP Python SDK (mcp==2.3.0): HTTP (2025-11-25 and 2026-07-28), HTTPS and stdio, limits, tokens, origins, cancellation"
"$OUTRIG_MCP_VENV/bin/python" tests/mcp/test_mcp_host.py

step "The official Python SDK's own generated tests (anthropic==2.16.0 sdist, Managed Agents families) against the emulator"
(cd tests/sdk && "$OUTRIG_WORKER_VENV/bin/python" generated_suite.py "$OUTRIG_SDIST" -- -n 2 -p no:logging -q --tb=short)

step "The npm package: build, then Node, README snippets, headless Chromium (www page), Deno and workerd; its Bedrock signer and the Rust one against botocore"
./scripts/build-npm.sh
(cd tests/npm && rm -rf node_modules/outrig && npm install --no-audit --no-fund --loglevel=error)
(cd tests/npm && npx tsc -p .) # the type corpus (README snippet, examples, types-check.ts) under strict TypeScript
(cd tests/npm && npx deno check --config deno.json types-check.ts ../readme/npm-example.mjs) # and under Deno's checker
(cd examples/npm && ../../tests/npm/node_modules/.bin/deno check --config deno/deno.json deno/stream.ts)
node crates/wasm/tools/bench-bundle.mjs --check # the README-size program is no larger than the SDK's minimal import, nor than 30,000 B gzip
(cd tests/npm && npx publint ../../artifacts/npm/outrig) # the package's fields and files
(cd tests/npm && npx attw --pack ../../artifacts/npm/outrig --profile esm-only --exclude-entrypoints ./outrig_plugin_bg.wasm) # its types resolve for every JS entry (an ESM-only package; the plugin contract's wasm is an asset)
(cd tests/npm && node --test --test-timeout=300000 node.test.mjs resources.test.mjs wire-types.test.mjs parity.test.mjs examples.test.mjs webhook.test.mjs resume.test.mjs stream-scripts.test.mjs session-scripts.test.mjs plugin-contract.test.mjs chaos.test.mjs readme.test.mjs browser.test.mjs edge.test.mjs edge-plugin.test.mjs bedrock.test.mjs)
(cd tests/sdk && "$OUTRIG_WORKER_VENV/bin/python" -m unittest -v test_bedrock_signers) # the Rust and npm signers' requests, signed again by botocore

step "outrig-client compiled to wasm32 (fetch, EventSource): Node, Deno, headless Chromium page and worker"
(cd tests/npm && node wasm_client.mjs)

printf '\nAll tests passed in %dm%02ds.\n' $((SECONDS / 60)) $((SECONDS % 60))
