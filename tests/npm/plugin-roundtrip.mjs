// A runtime-neutral round trip of the edge tool runner, used in Node, Deno, workerd and
// Chromium: the Rust example plugin (transpiled by `outrig plugin build --target edge`)
// registers its tools on an agent and answers the session's custom tool calls through
// `runTools`, against the emulator.
export async function pluginRoundTrip({ Outrig, loadPlugin, instantiate, getCoreModule, baseURL, contract }) {
  let refused = "";
  try {
    await loadPlugin(instantiate, getCoreModule, { grants: { network: ["http://127.0.0.1:9"] }, contract });
  } catch (error) {
    refused = error.message;
  }
  const plugin = await loadPlugin(instantiate, getCoreModule, { grants: { env: ["INVOICES_API_URL=http://127.0.0.1:9"] }, contract });
  const client = new Outrig({ baseURL, apiKey: "k", maxRetries: 1, dangerouslyAllowBrowser: true });
  const agent = await client.agents.create({ name: "edge-plugin", model: "claude-sonnet-4-6", tools: plugin.tools });
  const environment = await client.environments.create({ name: "edge-plugin" });
  const session = await client.sessions.create({ agent: agent.id, environment_id: environment.id });
  const message = 'call echo {"from":"the edge"}\ncall invoice_status {"id":"INV-1"}';
  const ran = await client.sessions.events.runTools(session.id, { tools: plugin.handlers, message });
  const report = (await client.sessions.events.list(session.id, { types: ["agent.message"] })).data.at(-1).content[0].text;
  return { tools: plugin.tools.map((t) => t.name), calls: ran.calls.map((c) => `${c.name}:${c.isError}`).sort(), stopReason: ran.stopReason, report, refused };
}
