// The official TypeScript SDK (@anthropic-ai/sdk@1.16.0) as a client of the Outrig
// emulator, over real HTTP: round trip, pagination, error classes.
import Anthropic from "@anthropic-ai/sdk";
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startEmulator } from "./emulator_process.mjs";

const KEY = "sk-test-outrig";
const TOOL = {
  type: "custom",
  name: "get_order_status",
  description: "Look up the shipping status of an order by its ID.",
  input_schema: { type: "object", properties: { order_id: { type: "string" } }, required: ["order_id"] },
};
let emulator;
let client;

before(async () => {
  emulator = await startEmulator("--api-key", KEY);
  client = new Anthropic({ apiKey: KEY, baseURL: emulator.baseUrl, maxRetries: 0 });
});
after(() => emulator.stop());

async function newSession() {
  const agent = await client.beta.agents.create({ name: "Order support", model: "claude-opus-4-6", tools: [TOOL] });
  const environment = await client.beta.environments.create({ name: "default" });
  const session = await client.beta.sessions.create({ agent: agent.id, environment_id: environment.id });
  return { agent, session };
}

test("custom tool round trip reaches end_turn", async () => {
  const { session } = await newSession();
  const stream = await client.beta.sessions.events.stream(session.id);
  await client.beta.sessions.events.send(session.id, {
    events: [{ type: "user.message", content: [{ type: "text", text: 'call get_order_status {"order_id":"1234"}\ncall get_order_status {"order_id":"99"}' }] }],
  });
  const calls = [];
  let finalText;
  for await (const event of stream) {
    if (event.type === "agent.custom_tool_use") calls.push(event);
    if (event.type === "session.status_idle" && event.stop_reason.type === "requires_action") {
      assert.deepEqual(event.stop_reason.event_ids, calls.map((c) => c.id));
      // Answer the two parallel calls in one request.
      await client.beta.sessions.events.send(session.id, {
        events: calls.map((c) => ({
          type: "user.custom_tool_result",
          custom_tool_use_id: c.id,
          content: [{ type: "text", text: `order ${c.input.order_id} shipped` }],
        })),
      });
    }
    if (event.type === "agent.message") finalText = event.content[0].text;
    if (event.type === "session.status_idle" && event.stop_reason.type === "end_turn") break;
  }
  assert.equal(calls.length, 2);
  assert.match(finalText, /order 1234 shipped/);
  assert.match(finalText, /order 99 shipped/);
});

test("lists paginate with next_page", async () => {
  for (let i = 0; i < 4; i++) await client.beta.environments.create({ name: `paged-${i}` });
  const names = [];
  for await (const environment of client.beta.environments.list({ limit: 3 })) names.push(environment.name);
  assert.deepEqual(names.filter((n) => n.startsWith("paged-")).sort(), ["paged-0", "paged-1", "paged-2", "paged-3"]);
});

test("errors map to the SDK's classes", async () => {
  const { agent } = await newSession();
  await assert.rejects(client.beta.sessions.retrieve("sesn_missing"), Anthropic.NotFoundError);
  await assert.rejects(client.beta.agents.update(agent.id, { version: 99, name: "x" }), Anthropic.ConflictError);
  await assert.rejects(
    client.beta.agents.create({ name: "x", model: "m", tools: [{ type: "custom", name: "t", input_schema: { type: "object" } }] }),
    (error) => error instanceof Anthropic.BadRequestError && /description/.test(error.message),
  );
  const stranger = new Anthropic({ apiKey: "wrong", baseURL: emulator.baseUrl, maxRetries: 0 });
  await assert.rejects(stranger.beta.agents.list(), Anthropic.AuthenticationError);
});
