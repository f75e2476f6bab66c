// Node entry of `outrig/bedrock`: the core through the Node entry, then the Bedrock module.
import { readFileSync } from "node:fs";
import "./node.js";
import { initSync } from "./outrig_bedrock.js";

initSync({ module: readFileSync(new URL("./outrig_bedrock_bg.wasm", import.meta.url)) });
export * from "./client.js";
export * from "./bedrock.js";
