// A runtime-neutral round trip used by the Deno and workerd checks: create an agent,
// environment and session, stream a custom tool call, answer it (in non-ASCII text, which
// must come back on the stream as it went: 2-, 3- and 4-byte UTF-8, a surrogate pair in
// JavaScript), reach end_turn.
export const PONG = "pong — “ledger” café 日本 ✓ 🦀";

export async function roundTrip(Outrig, baseURL) {
  const client = new Outrig({ baseURL, apiKey: "k", maxRetries: 1 });
  const agent = await client.agents.create({ name: "edge", model: "claude-sonnet-4-6", tools: [{ type: "custom", name: "ping", description: "Replies pong.", input_schema: { type: "object" } }] });
  const environment = await client.environments.create({ name: "edge" });
  const session = await client.sessions.create({ agent: agent.id, environment_id: environment.id });
  const events = await client.sessions.events.stream(session.id); // open before sending
  const first = events.next();
  await client.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: "call ping {}" }] }] });
  const seen = [];
  let echoed;
  for (let step = await first; !step.done; step = await events.next()) {
    const event = step.value;
    seen.push(event.type);
    if (event.type === "user.custom_tool_result") echoed = event.content[0].text;
    if (event.type === "agent.custom_tool_use") {
      await client.sessions.events.send(session.id, { events: [{ type: "user.custom_tool_result", custom_tool_use_id: event.id, content: [{ type: "text", text: PONG }] }] });
    }
    if (event.type === "session.status_idle" && event.stop_reason.type === "end_turn") break;
  }
  await events.return();
  if (echoed !== PONG) throw new Error(`the streamed tool result reads ${JSON.stringify(echoed)}`);
  const report = (await client.sessions.events.list(session.id, { types: ["agent.message"] })).data.at(-1).content[0].text;
  return { seen, report };
}
