// Node entry: loads the wasm synchronously from the package directory.
import { readFileSync } from "node:fs";
import { initSync } from "./outrig_wasm.js";
import * as tools from "./outrig_tools.js";
import * as answer from "./answer.js";
import { provideToolsCore } from "./tools-core.js";
import { batch } from "./batch.js";

({ memory: batch.memory } = initSync({ module: readFileSync(new URL("./outrig_wasm_bg.wasm", import.meta.url)) }));
batch.decode = (at, length) => Buffer.from(batch.memory.buffer, at, Math.abs(length)).toString(length < 0 ? "utf16le" : "latin1");
provideToolsCore(() => {
  tools.initSync({ module: readFileSync(new URL("./outrig_tools_bg.wasm", import.meta.url)) });
  return { ...tools, ...answer };
});
export * from "./client.js";
