// The npm package's methods for the rest of the API (built from the route table) against the
// emulator: each family with the SDKs' argument order (path ids, then body or query, then
// options), the right beta header (the emulator refuses a wrong one), uploads and downloads.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Outrig, NotFoundError, ConflictError, BadRequestError } from "outrig";
import { startEmulator } from "../sdk/emulator_process.mjs";

let emulator;
let client;
before(async () => {
  emulator = await startEmulator("--api-key", "sk-npm");
  client = new Outrig({ apiKey: "sk-npm", baseURL: emulator.baseUrl, maxRetries: 0 });
});
after(() => emulator.stop());

async function all(page) {
  const items = [];
  for await (const item of page) items.push(item);
  return items;
}

test("vaults and credentials", async () => {
  const vault = await client.vaults.create({ display_name: "ops" });
  const credential = await client.vaults.credentials.create(vault.id, { auth: { type: "static_bearer", token: "tok_SECRET", mcp_server_url: "https://mcp.example.com" } });
  const listed = await all(client.vaults.credentials.list(vault.id));
  assert.deepEqual(listed.map((c) => c.id), [credential.id]);
  assert.ok(!JSON.stringify(listed).includes("SECRET"));
  await assert.rejects(client.vaults.credentials.retrieve(vault.id, "vcrd_missing"), NotFoundError);
  assert.throws(() => client.vaults.credentials.retrieve(vault.id, ""), /credential_id/);
  assert.equal((await client.vaults.archive(vault.id)).id, vault.id);
});

test("memory stores use their own beta header", async () => {
  const store = await client.memoryStores.create({ name: "notes" });
  const memory = await client.memoryStores.memories.create(store.id, { path: "/a.md", content: "one" });
  await assert.rejects(
    client.memoryStores.memories.update(store.id, memory.id, { content: "two", precondition: { type: "content_sha256", content_sha256: "0" } }),
    ConflictError,
  );
  assert.equal((await client.memoryStores.memories.retrieve(store.id, memory.id, { view: "full" })).content, "one");
  const items = await all(client.memoryStores.memories.list(store.id, { depth: 1 }));
  assert.deepEqual(items.map((m) => m.path), ["/a.md"]);
});

test("deployments, runs and the work queue", async () => {
  const agent = await client.agents.create({ name: "npm", model: "claude-opus-4-6" });
  const environment = await client.environments.create({ name: "npm" });
  const deployment = await client.deployments.create({ name: "d", agent: agent.id, environment_id: environment.id,
    initial_events: [{ type: "user.message", content: [{ type: "text", text: "hi" }] }] });
  const run = await client.deployments.run(deployment.id);
  assert.equal((await client.sessions.retrieve(run.session_id)).deployment_id, deployment.id);
  assert.deepEqual((await all(client.deploymentRuns.list({ deployment_id: deployment.id }))).map((r) => r.id), [run.id]);
  const onPrem = await client.environments.create({ name: "on-prem", config: { type: "self_hosted" } });
  const session = await client.sessions.create({ agent: agent.id, environment_id: onPrem.id });
  const work = await client.environments.work.poll(onPrem.id, { block_ms: 500 });
  assert.equal(work.data.id, session.id);
  assert.equal((await client.environments.work.ack(onPrem.id, work.id)).state, "starting");
  assert.equal(await client.environments.work.poll(onPrem.id, { block_ms: 10 }), null);
});

test("skills upload and download; tunnels; dreams", async () => {
  const manifest = "---\nname: greeter\ndescription: Says hello\n---\n";
  const skill = await client.skills.create({ display_name: "Greeter", files: [new File([manifest], "greeter/SKILL.md")] });
  const version = await client.skills.versions.retrieve(skill.id, "latest");
  assert.equal(version.name, "greeter");
  const zip = new Uint8Array(await (await client.skills.versions.download(skill.id, version.id)).arrayBuffer());
  assert.deepEqual([...zip.slice(0, 2)], [0x50, 0x4b]);
  await assert.rejects(client.skills.create({ files: [{ name: "loose/README.md", data: "x" }] }), BadRequestError);
  const tunnel = await client.tunnels.create({ display_name: "lab" });
  const token = await client.tunnels.revealToken(tunnel.id);
  assert.ok(token.tunnel_token);
  const store = await client.memoryStores.create({ name: "src" });
  const agent = await client.agents.create({ name: "npm", model: "claude-opus-4-6" });
  const environment = await client.environments.create({ name: "npm" });
  const session = await client.sessions.create({ agent: agent.id, environment_id: environment.id });
  const dream = await client.dreams.create({ model: "claude-opus-4-6",
    inputs: [{ type: "memory_store", memory_store_id: store.id }, { type: "sessions", session_ids: [session.id] }] });
  assert.equal((await client.dreams.cancel(dream.id)).status, "canceled");
});
