// @ts-self-types="./bedrock.d.ts"
// Browser and Deno entry of `outrig/bedrock`: the core through the web entry, then the
// Bedrock module fetched next to this file.
import "./web.js";
import init from "./outrig_bedrock.js";

await init({ module_or_path: new URL("./outrig_bedrock_bg.wasm", import.meta.url) });
export * from "./client.js";
export * from "./bedrock.js";
