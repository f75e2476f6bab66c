// @ts-self-types="./outrig.d.ts"
// Browser and Deno entry: fetches the wasm next to this file (webhook verification's only
// when a webhook is first verified).
import init from "./outrig_wasm.js";
import { provideWebhookCore } from "./webhook-core.js";

await init({ module_or_path: new URL("./outrig_wasm_bg.wasm", import.meta.url) });
provideWebhookCore(async () => {
  // By URL, as the wasm files are: bundlers that copy `new URL(…, import.meta.url)` assets
  // (Vite, webpack) ship it beside them, and none inlines it into programs that never use it.
  const webhook = await import(new URL("./outrig_webhook.js", import.meta.url).href);
  await webhook.default({ module_or_path: new URL("./outrig_webhook_bg.wasm", import.meta.url) });
  return webhook.verifyWebhook;
});
export * from "./client.js";
