// Cloudflare workerd entry: the wasm is imported as a compiled module.
import { initSync } from "./outrig_wasm.js";
import wasm from "./outrig_wasm_bg.wasm";

initSync({ module: wasm });
export * from "./client.js";
