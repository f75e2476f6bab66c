#!/usr/bin/env bash
# Builds every plugin in plugins/ into artifacts/plugins/*.wasm, skipping up-to-date ones.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$OUTRIG_ROOT"
out="$OUTRIG_ROOT/artifacts/plugins"
mkdir -p "$out"

# stale OUTPUT INPUT...: true when OUTPUT is missing or older than any INPUT file.
stale() {
  local output=$1; shift
  [ ! -f "$output" ] && return 0
  [ -n "$(find "$@" -type f -newer "$output" -not -path '*/node_modules/*' -print -quit)" ]
}

if stale "$out/invoices.wasm" wit plugins/Cargo.toml plugins/invoices plugins/hostile plugins/hostile-http plugins/liar; then
  echo "==> Rust plugins (wasm32-wasip2)"
  (cd plugins && cargo build --quiet --release --target wasm32-wasip2 -p invoices -p hostile -p hostile-http)
  for plugin in invoices hostile hostile_http; do
    cp "$CARGO_TARGET_DIR/wasm32-wasip2/release/$plugin.wasm" "$out/${plugin//_/-}.wasm"
  done
  for lie in bad-name duplicate array-schema many-tools bad-schema slow-describe spin-describe; do
    (cd plugins && cargo build --quiet --release --target wasm32-wasip2 -p liar --features "$lie")
    cp "$CARGO_TARGET_DIR/wasm32-wasip2/release/liar.wasm" "$out/liar-$lie.wasm"
  done
fi

if stale "$out/units.wasm" wit plugins/js-units/units.js plugins/js-units/build.mjs plugins/js-units/package.json; then
  echo "==> JavaScript plugin (componentize-js)"
  (cd plugins/js-units && { [ -d node_modules/@bytecodealliance/componentize-js ] || npm install --no-audit --no-fund --loglevel=error; } && npm run -s build >/dev/null)
  mv plugins/js-units/units.wasm "$out/units.wasm"
fi

if stale "$out/stats.wasm" wit plugins/py-stats/app.py; then
  echo "==> Python plugin (componentize-py)"
  (cd plugins/py-stats && "$OUTRIG_VENV/bin/componentize-py" -d ../../wit/0.2.0 -w plugin componentize app -o "$out/stats.wasm" >/dev/null && rm -rf __pycache__)
fi
ls -l "$out"
