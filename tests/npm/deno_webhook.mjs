// Run by Deno: `createToolWebhook` through the web entry, whose webhook verification is a
// wasm module loaded on first use. A delivery signed here (WebCrypto, the Standard Webhooks
// scheme) is accepted; the same delivery with a wrong signature is refused.
import { createToolWebhook } from "../../artifacts/npm/outrig/web.js";

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const handle = createToolWebhook({ webhookSecret: secret, apiKey: "k", baseURL: "http://127.0.0.1:9", tools: {} });
const body = JSON.stringify({ type: "event", id: "wevt_1", created_at: new Date().toISOString(), data: { type: "session.status_idle", id: "sesn_1" } });
const [id, timestamp] = ["msg_1", String(Math.floor(Date.now() / 1000))];
const key = Uint8Array.from(atob(secret.slice("whsec_".length)), (c) => c.charCodeAt(0));
const hmac = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
const mac = new Uint8Array(await crypto.subtle.sign("HMAC", hmac, new TextEncoder().encode(`${id}.${timestamp}.${body}`)));
const signature = `v1,${btoa(String.fromCharCode(...mac))}`;
const deliver = (signature) => handle(new Request("http://hook/", { method: "POST", body, headers: { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signature } }));
const good = await deliver(signature);
const bad = await deliver("v1,AAAA");
console.log(JSON.stringify({ good: good.status, bad: bad.status, refusal: (await bad.json()).error.message }));
