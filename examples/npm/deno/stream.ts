// Deno: send a message and print the session's events as they stream, until the turn ends.
// In your own project, map "outrig" to "npm:outrig" in deno.json (this one points at the
// package built in this repository). Run with: deno run --allow-net --allow-env --allow-read stream.ts
import { Outrig } from "outrig";

const client = new Outrig({ baseURL: Deno.env.get("ANTHROPIC_BASE_URL") ?? "http://127.0.0.1:4010", apiKey: Deno.env.get("ANTHROPIC_API_KEY") ?? "local" });
const agent = await client.agents.create({ name: "Greeter", model: "claude-opus-4-6" });
const environment = await client.environments.create({ name: "examples" });
const session = await client.sessions.create({ agent: agent.id, environment_id: environment.id });
const events = await client.sessions.events.stream(session.id);
await client.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: "Hello from Deno" }] }] });
for await (const event of events) {
  switch (event.type) {
    case "agent.message":
      console.log("agent:", event.content.map((block) => (block.type === "text" ? block.text : "")).join(""));
      break;
    case "session.status_idle":
      if (event.stop_reason.type !== "requires_action") {
        console.log("turn ended:", event.stop_reason.type);
        Deno.exit(0);
      }
  }
}
