// Compiled with `tsc --strict --noEmit` by scripts/test.sh: a realistic consumer of the
// stream whose `switch` on `event.type` must narrow, and whose misspelt type must not
// compile. Not run.
import { Outrig, createSessionMachine, createToolWebhook, isKnownEvent, type StreamEvent } from "outrig";

const client = new Outrig({ apiKey: "k", baseURL: "http://127.0.0.1:4010" });

export async function serve(sessionId: string): Promise<number> {
  let handled = 0;
  for await (const event of await client.sessions.events.stream(sessionId, { backfill: true })) {
    switch (event.type) {
      case "agent.custom_tool_use": {
        const input: Record<string, unknown> = event.input;
        await client.sessions.events.send(sessionId, {
          events: [{ type: "user.custom_tool_result", custom_tool_use_id: event.id, content: [{ type: "text", text: `${event.name}: ${JSON.stringify(input)}` }] }],
        });
        handled++;
        break;
      }
      case "agent.message":
        console.log(event.content.map((block) => (block.type === "text" ? block.text : "")).join(""));
        break;
      case "session.status_idle":
        if (event.stop_reason.type === "end_turn") return handled;
        break;
      case "outrig.malformed_event":
        console.warn(event.error, event.raw.length);
        break;
      default:
        if (!isKnownEvent(event)) console.log("unknown", (event as { type: string }).type);
    }
    // @ts-expect-error a misspelt event type is a compile error
    if (event.type === "agent.custom_tool_usee") handled--;
  }
  return handled;
}

export const typed: StreamEvent["type"] = "session.deleted";

/** Fields the wire types (generated from outrig-api) type all the way down. */
export async function inspect(sessionId: string, environmentId: string): Promise<number> {
  const session = await client.sessions.retrieve(sessionId);
  const environment = await client.environments.retrieve(environmentId);
  const hosts = environment.config.type === "cloud" && environment.config.networking.type === "limited" ? environment.config.networking.allowed_hosts : [];
  const cap: string | undefined = session.budget?.max_list_cost.amount;
  let tokens = (session.usage.input_tokens ?? 0) + (session.stats.active_seconds ?? 0) + hosts.length + (cap ? 1 : 0);
  for await (const event of client.sessions.events.list(sessionId)) {
    if (event.type === "span.model_request_end") tokens += event.model_usage.output_tokens;
    if (event.type === "session.error" && event.error.type === "mcp_connection_failed_error") tokens += event.error.mcp_server_name.length;
    // @ts-expect-error a tool confirmation is "allow" or "deny"
    if (event.type === "user.tool_confirmation" && event.result === "maybe") tokens--;
  }
  return tokens;
}

/** The rest of the API: typed answers, path ids first (the SDKs' order). */
export async function manage(agentId: string, environmentId: string): Promise<string[]> {
  const vault = await client.vaults.create({ display_name: "ops" });
  const credential = await client.vaults.credentials.create(vault.id, { auth: { type: "static_bearer", token: "t", mcp_server_url: "https://m" } });
  const server: string = credential.auth.type === "environment_variable" ? credential.auth.secret_name : credential.auth.mcp_server_url;
  const deployment = await client.deployments.create({ name: "d", agent: agentId, environment_id: environmentId, initial_events: [] });
  const next: string[] = deployment.schedule?.upcoming_runs_at ?? [];
  const run = await client.deployments.run(deployment.id);
  const store = await client.memoryStores.create({ name: "notes" });
  const paths: string[] = [];
  for await (const item of client.memoryStores.memories.list(store.id, { depth: 1 })) paths.push(item.path);
  const work = await client.environments.work.poll(environmentId, { block_ms: 500 });
  return [server, ...next, run.session_id ?? "", ...paths, work?.state ?? "none"];
}

/** Webhook payloads narrow by `data.type`. */
export function sessionNeedingAnswers(body: string): string | undefined {
  const event = JSON.parse(body) as import("outrig").WebhookEvent;
  switch (event.data.type) {
    case "session.requires_action":
      return event.data.id;
    case "session.thread_created":
      return event.data.session_thread_id;
    case "vault_credential.refresh_failed":
      return event.data.vault_id;
    default:
      return undefined;
  }
}

/** A worker answering tool calls from webhooks. */
export const hook = createToolWebhook({
  webhookSecret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  tools: { lookup: async (input) => ({ found: String(input.q) }) },
  claim: async (callId) => callId.length > 0,
});

// The edge tool runner: a transpiled plugin's tools on an agent, its handlers in runTools.
import { loadPlugin, coreModulesAt, hasJspi, HTTP_LIMITS, type Instantiate } from "outrig/plugin";

export async function edgeTools(instantiate: Instantiate, sessionId: string): Promise<number> {
  const plugin = await loadPlugin(instantiate, coreModulesAt("https://example.com/edge/"), { grants: { env: ["A=b"] }, limits: { timeout_ms: 1000 } });
  // A network grant (for a JSPI build), with the edge's HTTP limits.
  if (hasJspi() && instantiate.asyncMode === "jspi") {
    await loadPlugin(instantiate, coreModulesAt("https://example.com/edge/"), { grants: { network: ["https://api.example.com:443"], allow_private: false }, limits: { http_response_bytes: HTTP_LIMITS.http_response_bytes / 2 } });
  }
  // @ts-expect-error directories cannot be granted at the edge
  await loadPlugin(instantiate, coreModulesAt("https://example.com/edge/"), { grants: { dirs: ["/data"] } });
  await client.agents.create({ name: "edge", model: "claude-sonnet-4-6", tools: plugin.tools });
  const { calls } = await client.sessions.events.runTools(sessionId, { tools: plugin.handlers });
  const result = await plugin.call(plugin.tools[0].name, {});
  return calls.length + result.logs.length + (result.isError ? 1 : 0);
}

// The session machine `runTools` and `createToolWebhook` are loops over.
export async function pendingCalls(client: Outrig, sessionId: string): Promise<string[]> {
  const machine = await createSessionMachine(["lookup"]);
  for await (const event of client.sessions.events.list(sessionId)) machine.feed(event);
  const ids = machine.dispatch();
  const ended: string | undefined = machine.turnEnded();
  machine.free();
  return ended ? [] : ids;
}
