// Cloudflare workerd entry: the wasm is imported as compiled modules.
import { initSync } from "./outrig_wasm.js";
import * as tools from "./outrig_tools.js";
import * as answer from "./answer.js";
import { provideToolsCore } from "./tools-core.js";
import { batch } from "./batch.js";
import wasm from "./outrig_wasm_bg.wasm";
import toolsWasm from "./outrig_tools_bg.wasm";

({ memory: batch.memory } = initSync({ module: wasm }));
provideToolsCore(() => {
  tools.initSync({ module: toolsWasm });
  return { ...tools, ...answer };
});
export * from "./client.js";
