// What SDK users expect of the npm package, against the emulator (and two tiny local
// servers): custom tools answered by JavaScript functions on the resumable stream
// (runTools), withResponse() and request ids, per-request headers, a timeout error class.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { Outrig, APIConnectionTimeoutError, APIConnectionError } from "outrig";
import { startEmulator } from "../sdk/emulator_process.mjs";

let emulator;
let client;
before(async () => {
  emulator = await startEmulator("--api-key", "sk-npm");
  client = new Outrig({ apiKey: "sk-npm", baseURL: emulator.baseUrl, maxRetries: 0 });
});
after(() => emulator.stop());

const tool = (name) => ({ type: "custom", name, description: `the ${name} tool`, input_schema: { type: "object" } });

test("runTools answers custom tool calls with JavaScript functions until the turn ends", async () => {
  const agent = await client.agents.create({ name: "tools", model: "claude-opus-4-6", tools: [tool("add"), tool("fail"), tool("elsewhere")] });
  const environment = await client.environments.create({ name: "tools" });
  const session = await client.sessions.create({ agent: agent.id, environment_id: environment.id });
  const result = await client.sessions.events.runTools(session.id, {
    message: 'call add {"a": 2, "b": 3}\ncall fail {}',
    tools: {
      add: async ({ a, b }) => ({ sum: a + b }),
      fail: () => { throw new Error("no such account"); },
    },
  });
  assert.equal(result.stopReason, "end_turn");
  assert.deepEqual(result.calls.map((c) => [c.name, c.isError]).sort(), [["add", false], ["fail", true]]);
  const answers = [];
  for await (const event of client.sessions.events.list(session.id)) {
    if (event.type === "user.custom_tool_result") answers.push([event.is_error, event.content[0].text]);
  }
  assert.deepEqual(answers.sort(), [[false, '{"sum":5}'], [true, "no such account"]]);
  // A call to a tool it does not have is left alone: the turn waits for another client.
  const other = await client.sessions.create({ agent: agent.id, environment_id: environment.id });
  const controller = new AbortController();
  const waiting = client.sessions.events.runTools(other.id, { message: "call elsewhere {}", tools: { add: () => 0 }, signal: controller.signal });
  for (;;) {
    const events = [];
    for await (const event of client.sessions.events.list(other.id)) events.push(event);
    const idle = events.at(-1);
    if (idle?.type === "session.status_idle" && idle.stop_reason.type === "requires_action") break;
    await new Promise((r) => setTimeout(r, 20));
  }
  controller.abort();
  await assert.rejects(waiting);
});

test("runTools twice on one session: each turn's calls run once, and the second run waits for its own turn", async () => {
  const agent = await client.agents.create({ name: "two-turns", model: "claude-opus-4-6", tools: [tool("count")] });
  const environment = await client.environments.create({ name: "two-turns" });
  const session = await client.sessions.create({ agent: agent.id, environment_id: environment.id });
  const ran = [];
  const tools = { count: ({ n }) => { ran.push(n); return `counted ${n}`; } };
  const first = await client.sessions.events.runTools(session.id, { message: 'call count {"n": 1}\ncall count {"n": 2}', tools });
  assert.equal(first.stopReason, "end_turn");
  assert.deepEqual(ran.sort(), [1, 2]);
  // The second run backfills the first turn (its calls, answers and end_turn idle): none of
  // it is answered again, and it returns at the end of the turn its message starts.
  const second = await client.sessions.events.runTools(session.id, { message: 'call count {"n": 3}', tools });
  assert.equal(second.stopReason, "end_turn");
  assert.deepEqual(second.calls.map((c) => c.name), ["count"]);
  assert.deepEqual(ran.sort(), [1, 2, 3]);
  // A turn started before runTools is called (the message sent by someone else) is waited for too.
  await client.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: 'call count {"n": 4}' }] }] });
  const third = await client.sessions.events.runTools(session.id, { tools });
  assert.equal(third.stopReason, "end_turn");
  assert.deepEqual(ran.sort(), [1, 2, 3, 4]);
  const answers = [];
  for await (const event of client.sessions.events.list(session.id)) {
    if (event.type === "user.custom_tool_result") answers.push(event.custom_tool_use_id);
  }
  assert.equal(answers.length, 4);
  assert.equal(new Set(answers).size, 4, "no call was answered twice");
});

test("withResponse gives the raw response and its request id", async () => {
  const { data, response, request_id } = await client.agents.create({ name: "raw", model: "m" }).withResponse();
  assert.equal(data.name, "raw");
  assert.equal(response.status, 200);
  assert.match(request_id ?? "", /^req_/);
});

async function localServer(handler) {
  const server = createServer(handler);
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => { server.closeAllConnections(); server.close(); } };
}

test("per-request headers are sent, and override the defaults", async () => {
  let seen;
  const server = await localServer((req, res) => {
    seen = req.headers;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ data: [], next_page: null }));
  });
  const local = new Outrig({ apiKey: "k", baseURL: server.url, maxRetries: 0 });
  await local.vaults.list({}, { headers: { "X-Trace-Id": "t-1", "anthropic-version": "2099-01-01" } });
  server.close();
  assert.equal(seen["x-trace-id"], "t-1");
  assert.equal(seen["anthropic-version"], "2099-01-01");
  assert.equal(seen["anthropic-beta"], "managed-agents-2026-04-01");
});

test("no answer within the timeout is an APIConnectionTimeoutError", async () => {
  const server = await localServer(() => {}); // never answers
  const local = new Outrig({ apiKey: "k", baseURL: server.url, maxRetries: 0, timeout: 200 });
  await assert.rejects(local.vaults.retrieve("vlt_1"), (e) => e instanceof APIConnectionTimeoutError && e instanceof APIConnectionError);
  server.close();
});
