// @ts-self-types="./outrig.d.ts"
// Browser and Deno entry: fetches the wasm next to this file (webhook verification's only
// when a webhook is first verified).
import init from "./outrig_wasm.js";
import { provideWebhookCore } from "./webhook-core.js";

await init({ module_or_path: new URL("./outrig_wasm_bg.wasm", import.meta.url) });
provideWebhookCore(async () => {
  const webhook = await import("./outrig_webhook.js");
  await webhook.default({ module_or_path: new URL("./outrig_webhook_bg.wasm", import.meta.url) });
  return webhook.verifyWebhook;
});
export * from "./client.js";
