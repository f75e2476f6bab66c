// In a project made by `outrig plugin new hello --lang rust`, after `outrig plugin build --target edge`.
import { Outrig } from "outrig";
import { loadPlugin, coreModulesAt } from "outrig/plugin";
import { readFile } from "node:fs/promises"; // Node only: browsers and Deno fetch the files
import { instantiate } from "./edge/hello.js"; // workerd: { instantiate, getCoreModule } from "./edge/hello.workerd.js"

const plugin = await loadPlugin(instantiate, coreModulesAt(new URL("./edge/", import.meta.url), readFile), {
  grants: { env: [] }, // NAME=value entries; `dirs` is refused, `network` needs the JSPI build (below)
  limits: { timeout_ms: 5000 }, // the native host's [plugin.limits] names
});
const client = new Outrig({ baseURL: process.env.OUTRIG_BASE_URL ?? "http://127.0.0.1:4010", apiKey: "local" });
const agent = await client.agents.create({ name: "Greeter", model: "claude-sonnet-4-6", tools: plugin.tools });
const environment = await client.environments.create({ name: "edge" });
const session = await client.sessions.create({ agent: agent.id, environment_id: environment.id });
// The emulator's agent turns `call NAME {json}` lines into custom tool calls.
const { calls } = await client.sessions.events.runTools(session.id, { message: 'call greet {"name":"Ada"}', tools: plugin.handlers });
const { data } = await client.sessions.events.list(session.id, { types: ["agent.message"] });
console.log(calls.length, "call answered:", data.at(-1).content[0].text);
