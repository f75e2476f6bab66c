// Node entry: loads the wasm synchronously from the package directory.
import { readFileSync } from "node:fs";
import { initSync } from "./outrig_wasm.js";
import { initSync as initWebhook, verifyWebhook } from "./outrig_webhook.js";
import { provideWebhookCore } from "./webhook-core.js";

initSync({ module: readFileSync(new URL("./outrig_wasm_bg.wasm", import.meta.url)) });
provideWebhookCore(() => {
  initWebhook({ module: readFileSync(new URL("./outrig_webhook_bg.wasm", import.meta.url)) });
  return verifyWebhook;
});
export * from "./client.js";
