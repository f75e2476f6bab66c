// Cloudflare workerd entry: the wasm is imported as compiled modules.
import { initSync } from "./outrig_wasm.js";
import { initSync as initWebhook, verifyWebhook } from "./outrig_webhook.js";
import { provideWebhookCore } from "./webhook-core.js";
import wasm from "./outrig_wasm_bg.wasm";
import webhookWasm from "./outrig_webhook_bg.wasm";

initSync({ module: wasm });
provideWebhookCore(() => {
  initWebhook({ module: webhookWasm });
  return verifyWebhook;
});
export * from "./client.js";
