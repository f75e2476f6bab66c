// Node entry: loads the wasm synchronously from the package directory.
import { readFileSync } from "node:fs";
import { initSync } from "./outrig_wasm.js";

initSync({ module: readFileSync(new URL("./outrig_wasm_bg.wasm", import.meta.url)) });
export * from "./client.js";
