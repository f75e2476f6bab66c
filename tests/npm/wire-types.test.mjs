// The generated wire types against what the emulator really sends: every object and event
// collected here is written into a TypeScript file as `const x: Type = <its JSON>` and
// compiled with `tsc --strict`. A field the types lack is an excess-property error, a field
// they require but the wire lacks is a missing-property error, a wrong literal is a type
// error, so the types and the wire cannot drift apart unnoticed.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { Outrig } from "outrig";
import { startEmulator } from "../sdk/emulator_process.mjs";

const here = dirname(fileURLToPath(import.meta.url));
let emulator;
let client;
before(async () => {
  emulator = await startEmulator("--api-key", "sk-types");
  client = new Outrig({ apiKey: "sk-types", baseURL: emulator.baseUrl, maxRetries: 0 });
});
after(() => emulator.stop());

async function all(page) {
  const items = [];
  for await (const item of page) items.push(item);
  return items;
}

/** Objects of the session family, and every event of a turn with a custom tool call. */
async function sessionSamples() {
  const agent = await client.agents.create({
    name: "types",
    model: { id: "claude-sonnet-4-6", speed: "fast" },
    tools: [
      { type: "agent_toolset_20260401" },
      { type: "custom", name: "lookup", description: "Look a thing up.", input_schema: { type: "object", properties: { q: { type: "string" } } } },
    ],
    metadata: { team: "a" },
  });
  const environment = await client.environments.create({
    name: "types",
    config: { type: "cloud", networking: { type: "limited", allowed_hosts: ["example.com"] }, packages: { pip: ["pandas"] } },
  });
  const session = await client.sessions.create({
    agent: agent.id,
    environment_id: environment.id,
    title: "typed",
    budget: { type: "limit", max_list_cost: { amount: "5.00", currency: "USD" } },
  });
  const { calls } = await client.sessions.events.runTools(session.id, {
    tools: { lookup: async ({ q }) => `found ${q}` },
    message: 'call lookup {"q":"x"}',
  });
  assert.equal(calls.length, 1);
  const stream = await client.sessions.events.stream(session.id, { eventDeltas: ["agent.message"] });
  await client.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: "and now a longer answer" }] }] });
  const streamed = [];
  for await (const event of stream) {
    streamed.push(event);
    if (event.type === "session.status_idle" && event.stop_reason.type === "end_turn") break;
  }
  const events = await all(client.sessions.events.list(session.id));
  return [
    ["Agent", agent],
    ["Agent", await client.agents.update(agent.id, { version: agent.version, description: "now described" })],
    ["Environment", environment],
    ["Environment", await client.environments.create({ name: "on-prem", config: { type: "self_hosted" } })],
    ["Session", await client.sessions.retrieve(session.id)],
    ...(await all(client.sessions.threads.list(session.id))).map((thread) => ["SessionThread", thread]),
    ...events.map((event) => ["SessionEvent", event]),
    ...streamed.map((event) => ["StreamEvent", event]),
  ];
}

/** The objects of the rest of the API. */
async function restSamples() {
  const vault = await client.vaults.create({ display_name: "ops", metadata: { env: "dev" } });
  const credential = await client.vaults.credentials.create(vault.id, { auth: { type: "static_bearer", token: "tok", mcp_server_url: "https://mcp.example.com" } });
  const agent = await client.agents.create({ name: "deployed", model: "claude-opus-4-6" });
  const environment = await client.environments.create({ name: "deployed" });
  const deployment = await client.deployments.create({
    name: "nightly",
    agent: agent.id,
    environment_id: environment.id,
    initial_events: [{ type: "user.message", content: [{ type: "text", text: "hi" }] }],
  });
  const run = await client.deployments.run(deployment.id);
  const onPrem = await client.environments.create({ name: "on-prem", config: { type: "self_hosted" } });
  const onPremSession = await client.sessions.create({ agent: agent.id, environment_id: onPrem.id });
  const work = await client.environments.work.poll(onPrem.id, { block_ms: 500 });
  const store = await client.memoryStores.create({ name: "notes", description: "team notes" });
  const memory = await client.memoryStores.memories.create(store.id, { path: "/a.md", content: "one" });
  const versions = await all(client.memoryStores.memoryVersions.list(store.id));
  const dream = await client.dreams.create({ model: "claude-opus-4-6", inputs: [{ type: "memory_store", memory_store_id: store.id }, { type: "sessions", session_ids: [onPremSession.id] }] });
  const tunnel = await client.tunnels.create({ display_name: "lab" });
  const manifest = "---\nname: greeter\ndescription: Says hello\n---\n";
  const skill = await client.skills.create({ display_name: "Greeter", files: [new File([manifest], "greeter/SKILL.md")] });
  return [
    ["Vault", vault],
    ["Credential", credential],
    ["Deployment", deployment],
    ["DeploymentRun", run],
    ["SelfHostedWork", work],
    ["MemoryStore", store],
    ["Memory", memory],
    ...versions.map((version) => ["MemoryVersion", version]),
    ["Dream", dream],
    ["Tunnel", tunnel],
    ["Skill", skill],
    ["SkillVersion", await client.skills.versions.retrieve(skill.id, "latest")],
  ];
}

test("what the emulator sends compiles against the generated wire types", async () => {
  const samples = [...(await sessionSamples()), ...(await restSamples())];
  const kinds = new Set(samples.map(([type, value]) => (type.endsWith("Event") ? value.type : type)));
  assert.ok(kinds.has("agent.custom_tool_use") && kinds.has("span.model_request_end") && kinds.has("event_delta"), [...kinds].join(" "));
  const source = [
    'import type * as O from "outrig";',
    ...samples.map(([type, value], i) => `export const sample${i}: O.${type} = ${JSON.stringify(value)};`),
  ].join("\n");
  const dir = mkdtempSync(join(here, ".wire-"));
  try {
    writeFileSync(join(dir, "samples.ts"), source);
    const tsc = join(here, "node_modules/.bin/tsc");
    const options = ["--strict", "--noEmit", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--lib", "es2022,dom", "--types", "node"];
    let output = "";
    try {
      execFileSync(tsc, [...options, join(dir, "samples.ts")], { encoding: "utf8" });
    } catch (error) {
      output = `${error.stdout}`;
    }
    assert.equal(output, "", `${samples.length} samples; tsc said:\n${output.slice(0, 4000)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
