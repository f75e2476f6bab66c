// createToolWebhook in Node: the emulator sends every webhook to two handler instances that
// share a claim set; each call is answered once, by a JavaScript function, and a forged
// delivery is refused before anything is done.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { Outrig, createToolWebhook } from "outrig";
import { startEmulator } from "../sdk/emulator_process.mjs";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
let emulator;
let servers = [];
const runs = [];

/** Serves a fetch-style handler, request bodies included. */
function serve(handle) {
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const response = await handle(new Request(`http://hook${req.url}`, { method: req.method, headers: req.headers, body: req.method === "POST" ? Buffer.concat(chunks) : undefined }));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const claimed = new Set();
const claim = (id) => (claimed.has(id) ? false : (claimed.add(id), true));
const url = (server) => `http://127.0.0.1:${server.address().port}/`;

before(async () => {
  // The handlers need the emulator's URL, and the emulator the handlers': route through a holder.
  const target = {};
  const handler = () => (request) => target.handle(request);
  servers = [await serve(handler()), await serve(handler())];
  emulator = await startEmulator("--webhook", url(servers[0]), "--webhook", url(servers[1]), "--webhook-secret", SECRET, "--webhook-chaos");
  const handle = createToolWebhook({
    webhookSecret: SECRET, apiKey: "k", baseURL: emulator.baseUrl, claim,
    tools: { lookup: async ({ q }) => { runs.push(q); return `found ${q}`; } },
  });
  target.handle = handle;
});
after(() => {
  emulator.stop();
  for (const server of servers) server.close();
});

test("each call is answered once by a function, whichever instance gets the webhook", async () => {
  const client = new Outrig({ apiKey: "k", baseURL: emulator.baseUrl, maxRetries: 0 });
  const agent = await client.agents.create({ name: "hooks", model: "m", tools: [{ type: "custom", name: "lookup", description: "Looks up", input_schema: { type: "object" } }] });
  const environment = await client.environments.create({ name: "hooks" });
  const sessions = [];
  for (let i = 0; i < 5; i++) {
    const session = await client.sessions.create({ agent: agent.id, environment_id: environment.id });
    await client.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: `call lookup {"q": "q${i}"}` }] }] });
    sessions.push(session.id);
  }
  for (const id of sessions) {
    for (;;) {
      const events = [];
      for await (const event of client.sessions.events.list(id)) events.push(event);
      const last = events.at(-1);
      if (last?.type === "session.status_idle" && last.stop_reason.type === "end_turn") {
        assert.equal(events.filter((e) => e.type === "user.custom_tool_result").length, 1);
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  assert.deepEqual([...runs].sort(), ["q0", "q1", "q2", "q3", "q4"], "each tool ran once");
});

test("a forged or unsigned delivery is refused", async () => {
  const body = JSON.stringify({ type: "event", id: "wevt_x", created_at: "2026-12-01T00:00:00Z", data: { type: "session.requires_action", id: "sesn_x", organization_id: "o", workspace_id: "w" } });
  const now = Math.floor(Date.now() / 1000);
  const forged = await fetch(url(servers[0]), { method: "POST", body, headers: { "webhook-id": "wevt_x", "webhook-timestamp": String(now), "webhook-signature": "v1,AAAA" } });
  assert.equal(forged.status, 401);
  assert.match((await forged.json()).error.message, /no signature matches/);
  const unsigned = await fetch(url(servers[1]), { method: "POST", body });
  assert.equal(unsigned.status, 401);
});

test("a delivery the handler cannot process now (the API unreachable) gets 503, so it is sent again", async () => {
  const handle = createToolWebhook({
    webhookSecret: SECRET, apiKey: "k", baseURL: "http://127.0.0.1:9", claim,
    tools: { lookup: async () => "never" },
  });
  const body = JSON.stringify({ type: "event", id: "wevt_y", created_at: "2026-12-01T00:00:00Z", data: { type: "session.requires_action", id: "sesn_y", organization_id: "o", workspace_id: "w" } });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const key = Buffer.from(SECRET.slice("whsec_".length), "base64");
  const signature = createHmac("sha256", key).update(`wevt_y.${timestamp}.${body}`).digest("base64");
  const headers = { "webhook-id": "wevt_y", "webhook-timestamp": timestamp, "webhook-signature": `v1,${signature}` };
  const response = await handle(new Request("http://hook/", { method: "POST", body, headers }));
  assert.equal(response.status, 503);
  assert.equal((await response.json()).error.type, "api_error");
});
