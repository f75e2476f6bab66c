import { Outrig } from "outrig";

// Any key works with the emulator; against the real service use ANTHROPIC_API_KEY.
const client = new Outrig({ baseURL: process.env.OUTRIG_BASE_URL ?? "http://127.0.0.1:4010", apiKey: "local" });

const agent = await client.agents.create({
  name: "Order support",
  model: "claude-sonnet-4-6",
  tools: [{ type: "custom", name: "get_order_status", description: "Look up an order.", input_schema: { type: "object" } }],
});
const environment = await client.environments.create({ name: "default" });
const session = await client.sessions.create({ agent: agent.id, environment_id: environment.id });

// Resolves once the stream is open, so nothing sent afterwards is missed; the iterator
// reconnects after drops and never yields an event twice.
const events = await client.sessions.events.stream(session.id);
const first = events.next();
await client.sessions.events.send(session.id, {
  events: [{ type: "user.message", content: [{ type: "text", text: 'call get_order_status {"order_id":"1234"}' }] }],
});
for (let step = await first; !step.done; step = await events.next()) {
  const event = step.value;
  console.log(event.type);
  if (event.type === "agent.custom_tool_use") {
    await client.sessions.events.send(session.id, {
      events: [{ type: "user.custom_tool_result", custom_tool_use_id: event.id, content: [{ type: "text", text: "shipped" }] }],
    });
  }
  if (event.type === "session.status_idle" && event.stop_reason.type === "end_turn") break;
}
await events.return();
