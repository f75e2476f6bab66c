// wasm-bindgen-test-runner 0.2.130 writes to `window`, which Deno 2 removed.
globalThis.window = globalThis;
