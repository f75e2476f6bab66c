// Node: an agent with a custom tool, answered by a JavaScript function until the turn ends.
// Against the local emulator by default (`outrig emulator`), or the real API with
// ANTHROPIC_API_KEY (and no ANTHROPIC_BASE_URL).
import { Outrig } from "outrig";

const emulated = !process.env.ANTHROPIC_API_KEY;
const client = new Outrig({ baseURL: process.env.ANTHROPIC_BASE_URL ?? (emulated ? "http://127.0.0.1:4010" : undefined), apiKey: process.env.ANTHROPIC_API_KEY ?? "local" });
const agent = await client.agents.create({
  name: "Order desk",
  model: "claude-opus-4-6",
  tools: [{ type: "custom", name: "order_status", description: "Status of an order by id", input_schema: { type: "object", properties: { id: { type: "string" } }, required: ["id"] } }],
});
const environment = await client.environments.create({ name: "examples" });
const session = await client.sessions.create({ agent: agent.id, environment_id: environment.id });
const { calls, stopReason } = await client.sessions.events.runTools(session.id, {
  // The emulator's agent turns `call NAME {json}` lines into tool calls; a model decides itself.
  message: emulated ? 'Where is order 42?\ncall order_status {"id": "42"}' : "Where is order 42?",
  tools: { order_status: async ({ id }) => ({ id, status: "shipped", carrier: "DHL" }) },
});
console.log(`${calls.length} call(s) answered: ${calls.map((c) => c.name).join(", ")}; the turn ended with ${stopReason}`);
