#!/usr/bin/env bash
# Builds the npm package `outrig` into artifacts/npm/outrig (and a copy for www/).
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$OUTRIG_ROOT"
out="$OUTRIG_ROOT/artifacts/npm/outrig"
# The core on its own: built with the other modules, cargo would unify outrig-api's
# features with theirs (the plugin module's `schema`), costing the core ~240 B of gzip.
cargo build --quiet -p outrig-wasm --target wasm32-unknown-unknown --profile wasm
cargo build --quiet -p outrig-wasm-tools -p outrig-wasm-plugin -p outrig-wasm-bedrock --target wasm32-unknown-unknown --profile wasm
rm -rf "$out" && mkdir -p "$out"
"$OUTRIG_ROOT/scripts/npm-tools.sh"
# The protocol core, tool answering (webhooks, the session machine), the plugin
# contract and Bedrock signing, each a module of its own (the last three loaded only by what uses them).
for module in outrig_wasm:outrig_wasm outrig_wasm_tools:outrig_tools outrig_wasm_plugin:outrig_plugin outrig_wasm_bedrock:outrig_bedrock; do
  crate=${module%%:*} name=${module##*:}
  wasm-bindgen --target web --out-dir "$out" --out-name "$name" "$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm/$crate.wasm"
  # binaryen from npm: Debian's wasm-opt 108 breaks wasm-bindgen's externref table.
  # A function of more than 50 nodes with one caller stays a function (binaryen inlines any
  # by default): 320 B less gzip, the same speed. (`--low-memory-unused` saved 150 B more,
  # and made the stream drop previews now and then: not used.)
  crates/wasm/tools/node_modules/.bin/wasm-opt -Oz --one-caller-inline-max-function-size=50 --strip-producers --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd \
    -o "$out/${name}_bg.wasm" "$out/${name}_bg.wasm"
  rm -f "$out/${name}_bg.wasm.d.ts" "$out/$name.d.ts"
done
cp crates/wasm/js/*.js crates/wasm/js/package.json crates/wasm/js/outrig.d.ts crates/wasm/js/wire.d.ts crates/wasm/js/routes.d.ts crates/wasm/js/plugin.d.ts crates/wasm/js/bedrock.d.ts crates/wasm/js/README.md LICENSE-MIT LICENSE-APACHE "$out/"
rm -rf www/outrig && cp -r "$out" www/outrig
ls -l "$out"
