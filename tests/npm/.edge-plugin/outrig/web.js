// @ts-self-types="./outrig.d.ts"
// Browser and Deno entry: fetches the wasm next to this file.
import init from "./outrig_wasm.js";

await init({ module_or_path: new URL("./outrig_wasm_bg.wasm", import.meta.url) });
export * from "./client.js";
