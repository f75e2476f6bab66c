// A runtime-neutral Bedrock round trip used by the Node and workerd checks: an agent with an
// aws_role identity and an inference-profile model, a session on an AgentCore runtime, a
// custom tool call answered on the stream, end of turn; then a memory store, and what the
// target refuses before sending. `record` sees every request as it leaves (signed).
export const RUNTIME = "arn:aws:bedrock-agentcore:us-west-2:111122223333:runtime/outrig-npm";
const ROLE = { type: "aws_role", role_arn: "arn:aws:iam::111122223333:role/outrig-npm" };

export async function bedrockRoundTrip(OutrigBedrock, NotOnBedrockError, options) {
  const sent = [];
  const client = new OutrigBedrock({
    ...options,
    maxRetries: 0,
    fetch: (url, init) => {
      sent.push({ url, method: init.method, headers: init.headers });
      return fetch(url, init);
    },
  });
  const agent = await client.agents.create({
    name: "bedrock-npm",
    model: "us.anthropic.claude-sonnet-5-5",
    execution_identity: ROLE,
    tools: [{ type: "custom", name: "ping", description: "Replies pong.", input_schema: { type: "object" } }],
  });
  const session = await client.sessions.create({ agent: agent.id, environment_id: RUNTIME });
  const events = await client.sessions.events.stream(session.id);
  const first = events.next();
  await client.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: "call ping {}" }] }] });
  const streamed = [];
  for (let step = await first; !step.done; step = await events.next()) {
    const event = step.value;
    streamed.push(event);
    if (event.type === "agent.custom_tool_use") {
      await client.sessions.events.send(session.id, { events: [{ type: "user.custom_tool_result", custom_tool_use_id: event.id, content: [{ type: "text", text: "pong" }] }] });
    }
    if (event.type === "session.status_idle" && event.stop_reason.type === "end_turn") break;
  }
  await events.return();
  const history = [];
  for await (const event of client.sessions.events.list(session.id)) history.push(event);
  const store = await client.memoryStores.create({ name: "notes" });
  const before = sent.length;
  const refusals = [];
  for (const call of [() => client.environments.create({ name: "x" }), () => client.vaults.list(), () => client.sessions.resources.list(session.id)]) {
    try {
      await call();
      refusals.push("sent");
    } catch (error) {
      refusals.push(error instanceof NotOnBedrockError ? error.message : `${error.name}: ${error.message}`);
    }
  }
  return {
    session,
    store,
    streamed,
    history,
    refusals,
    sentForRefusals: sent.length - before,
    sent: sent.map(({ url, method, headers }) => ({ url, method, headers })),
  };
}
