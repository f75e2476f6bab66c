// A Cloudflare worker (run in workerd by miniflare) answering tool calls from webhooks with
// createToolWebhook; its claims live in the isolate (a Durable Object would hold them in
// production, shared by every instance).
import { createToolWebhook } from "./outrig/workerd.js";

const claimed = new Set();
let handle;

export default {
  fetch(request, env) {
    handle ??= createToolWebhook({
      webhookSecret: env.WEBHOOK_SECRET,
      apiKey: "k",
      baseURL: env.BASE_URL,
      tools: { lookup: async ({ q }) => `found ${q} in workerd` },
      claim: (id) => (claimed.has(id) ? false : (claimed.add(id), true)),
    });
    return handle(request);
  },
};
