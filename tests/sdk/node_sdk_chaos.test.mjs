// The official TypeScript SDK (@anthropic-ai/sdk) on its retry and error paths, driven by the
// emulator's chaos rules (`--admin`) and checked in its request journal: what the SDK really
// sent, attempt by attempt.
import Anthropic from "@anthropic-ai/sdk";
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startEmulator } from "./emulator_process.mjs";

let emulator;
let client;
before(async () => {
  emulator = await startEmulator("--admin");
  client = new Anthropic({ apiKey: "k", baseURL: emulator.baseUrl, maxRetries: 2 });
});
after(() => emulator.stop());

const admin = async (path, init) => {
  const response = await fetch(`${emulator.baseUrl}/_outrig/${path}`, init);
  return response.status === 204 ? null : response.json();
};
const rule = (body) => admin("chaos", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const attempts = async (route) =>
  (await admin(`requests?route=${route}`)).data.map((r) => [r.status, r.headers["x-stainless-retry-count"]]);

test("a 429 with retry-after is retried once and then succeeds", async () => {
  await rule({ route: "agents.create", status: 429, retry_after: 0, times: 1 });
  const agent = await client.beta.agents.create({ name: "patient", model: "claude-opus-4-6" });
  assert.ok(agent.id);
  assert.deepEqual(await attempts("agents.create"), [[429, "0"], [200, "1"]]);
});

test("503 on every attempt: three attempts, then InternalServerError", async () => {
  await rule({ route: "environments.create", status: 503, retry_after: 0 });
  await assert.rejects(client.beta.environments.create({ name: "down" }), (error) => {
    assert.ok(error instanceof Anthropic.InternalServerError, String(error));
    assert.equal(error.status, 503);
    return true;
  });
  assert.deepEqual(await attempts("environments.create"), [[503, "0"], [503, "1"], [503, "2"]]);
  await admin("chaos", { method: "DELETE" });
});

test("529 overloaded is retried like a 5xx", async () => {
  await rule({ route: "vaults.create", status: 529, retry_after: 0, times: 2 });
  const vault = await client.beta.vaults.create({ display_name: "busy" });
  assert.ok(vault.id);
  assert.deepEqual(await attempts("vaults.create"), [[529, "0"], [529, "1"], [200, "2"]]);
});

test("a stream cut mid-turn ends the SDK's iteration with an error and is not resumed", async () => {
  const agent = await client.beta.agents.create({ name: "talker", model: "claude-opus-4-6" });
  const environment = await client.beta.environments.create({ name: "cut" });
  const session = await client.beta.sessions.create({ agent: agent.id, environment_id: environment.id });
  await rule({ route: "sessions.events.stream", path_contains: session.id, cut_after_events: 2, times: 1 });
  const stream = await client.beta.sessions.events.stream(session.id);
  await client.beta.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: "hello" }] }] });
  const seen = [];
  await assert.rejects(async () => {
    for await (const event of stream) seen.push(event.type);
  });
  assert.equal(seen.length, 2, `the two events before the cut: ${seen}`);
  const streams = (await admin(`requests?route=sessions.events.stream&path_contains=${session.id}`)).data;
  assert.equal(streams.length, 1, "the SDK opened no second stream");
  const backfills = (await admin(`requests?route=sessions.events.list&path_contains=${session.id}`)).data;
  assert.equal(backfills.length, 0, "nor asked for what it missed");
});
