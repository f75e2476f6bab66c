#!/usr/bin/env bash
# Builds the npm package `outrig` into artifacts/npm/outrig (and a copy for www/).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$OUTRIG_ROOT"
out="$OUTRIG_ROOT/artifacts/npm/outrig"
cargo build --quiet -p outrig-wasm --target wasm32-unknown-unknown --profile wasm
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --target web --out-dir "$out" --out-name outrig_wasm "$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm/outrig_wasm.wasm"
# binaryen from npm: Debian's wasm-opt 108 breaks wasm-bindgen's externref table.
"$OUTRIG_ROOT/scripts/npm-tools.sh"
crates/wasm/tools/node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  -o "$out/outrig_wasm_bg.wasm" "$out/outrig_wasm_bg.wasm"
cp crates/wasm/js/*.js crates/wasm/js/package.json crates/wasm/js/outrig.d.ts crates/wasm/js/routes.d.ts crates/wasm/js/plugin.d.ts crates/wasm/js/README.md LICENSE-MIT LICENSE-APACHE "$out/"
rm -f "$out/outrig_wasm_bg.wasm.d.ts" "$out/outrig_wasm.d.ts"
rm -rf www/outrig && cp -r "$out" www/outrig
ls -l "$out"
