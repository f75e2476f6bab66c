// Cloudflare workerd entry of `outrig/bedrock`: the wasm is imported as compiled modules.
import "./workerd.js";
import { initSync } from "./outrig_bedrock.js";
import wasm from "./outrig_bedrock_bg.wasm";

initSync({ module: wasm });
export * from "./client.js";
export * from "./bedrock.js";
