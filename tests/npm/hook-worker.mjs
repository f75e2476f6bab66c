// A Cloudflare worker answering tool calls from webhooks with createToolWebhook. Its claims
// live in the OutrigClaims Durable Object, which every instance of the worker shares.
import { createToolWebhook, durableObjectClaims } from "./outrig/workerd.js";
export { OutrigClaims } from "./outrig/workerd.js";

let handle;

export default {
  fetch(request, env) {
    handle ??= createToolWebhook({
      webhookSecret: env.WEBHOOK_SECRET,
      apiKey: "k",
      baseURL: env.BASE_URL,
      tools: {
        lookup: async ({ q }) => {
          // Tells the test that the tool ran (and where), so a call run twice is seen.
          await fetch(`${env.RELAY}/ran?q=${encodeURIComponent(q)}&by=${env.NAME}`);
          return `found ${q} in ${env.NAME}`;
        },
      },
      claim: durableObjectClaims(env.CLAIMS),
    });
    return handle(request);
  },
};
