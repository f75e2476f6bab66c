// @ts-self-types="./outrig.d.ts"
// Browser and Deno entry: fetches the wasm next to this file (the tool-answering module's
// only when tools are first answered or a webhook verified).
import init from "./outrig_wasm.js";
import { provideToolsCore } from "./tools-core.js";
import { batch } from "./batch.js";

({ memory: batch.memory } = await init({ module_or_path: new URL("./outrig_wasm_bg.wasm", import.meta.url) }));
provideToolsCore(async () => {
  // By URL, as the wasm files are: bundlers that copy `new URL(…, import.meta.url)` assets
  // (Vite, webpack) ship it beside them, and none inlines it into programs that never use it.
  const [tools, answer] = await Promise.all([
    import(new URL("./outrig_tools.js", import.meta.url).href),
    import(new URL("./answer.js", import.meta.url).href),
  ]);
  await tools.default({ module_or_path: new URL("./outrig_tools_bg.wasm", import.meta.url) });
  return { ...tools, ...answer };
});
export * from "./client.js";
