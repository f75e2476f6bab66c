// The npm package against the emulator's chaos rules (`outrig emulator --admin`), checked
// in its request journal: injected 503s retried with the SDK's retry-count header, and a
// stream cut mid-turn resumed with a backfill, every event delivered once.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Outrig } from "outrig";
import { startEmulator } from "../sdk/emulator_process.mjs";

let emulator;
let client;
before(async () => {
  emulator = await startEmulator("--admin");
  client = new Outrig({ apiKey: "k", baseURL: emulator.baseUrl, maxRetries: 2 });
});
after(() => emulator.stop());

const admin = async (path, init) => (await fetch(`${emulator.baseUrl}/_outrig/${path}`, init)).json();
const rule = (body) => admin("chaos", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

test("two injected 503s are retried, with x-stainless-retry-count 0, 1, 2", async () => {
  await rule({ route: "environments.create", status: 503, retry_after: 0, times: 2 });
  await client.environments.create({ name: "flaky" });
  const { data } = await admin("requests?route=environments.create");
  assert.deepEqual(data.map((r) => [r.status, r.headers["x-stainless-retry-count"]]), [[503, "0"], [503, "1"], [200, "2"]]);
});

test("a stream cut mid-turn is resumed with a backfill, and no event is delivered twice", async () => {
  const agent = await client.agents.create({ name: "talker", model: "claude-opus-4-6" });
  const environment = await client.environments.create({ name: "cut" });
  const session = await client.sessions.create({ agent: agent.id, environment_id: environment.id });
  await rule({ route: "sessions.events.stream", path_contains: session.id, cut_after_bytes: 300, times: 1 });
  const stream = await client.sessions.events.stream(session.id);
  await client.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: "hello" }] }] });
  const ids = [];
  for await (const event of stream) {
    if (event.id) ids.push(event.id);
    if (event.type === "session.status_idle" && event.stop_reason.type !== "requires_action") break;
  }
  assert.equal(new Set(ids).size, ids.length, "no duplicate");
  // The journal before this test lists anything itself: every list request is the stream's.
  const streams = (await admin(`requests?route=sessions.events.stream&path_contains=${session.id}`)).data;
  assert.ok(streams.length >= 2, "it reconnected");
  const backfills = (await admin(`requests?route=sessions.events.list&path_contains=${session.id}`)).data;
  assert.ok(backfills.length >= 1, "the journal shows the backfill after the cut");
  const history = [];
  for await (const event of client.sessions.events.list(session.id)) history.push(event.id);
  assert.deepEqual(ids, history);
});
