// The official TypeScript SDK (@anthropic-ai/sdk@1.16.0) against the emulator for the
// rest of the API (spec part 2), each family created, used, listed and archived or
// deleted the way the SDK sends it, with its error classes on the error paths.
import Anthropic, { toFile } from "@anthropic-ai/sdk";
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startEmulator } from "./emulator_process.mjs";

const KEY = "sk-test-outrig";
const HELLO = [{ type: "user.message", content: [{ type: "text", text: "hello" }] }];
let emulator;
let client;
let agent;
let environment;

before(async () => {
  emulator = await startEmulator("--api-key", KEY);
  client = new Anthropic({ apiKey: KEY, baseURL: emulator.baseUrl, maxRetries: 0 });
  agent = await client.beta.agents.create({ name: "part two", model: "claude-opus-4-6" });
  environment = await client.beta.environments.create({ name: "cloud" });
});
after(() => emulator.stop());

async function all(page) {
  const items = [];
  for await (const item of page) items.push(item);
  return items;
}

test("vaults and credentials: secrets are write-only", async () => {
  const vault = await client.beta.vaults.create({ display_name: "ops" });
  const credential = await client.beta.vaults.credentials.create(vault.id, {
    auth: { type: "static_bearer", token: "tok_SECRET", mcp_server_url: "https://mcp.example.com" },
  });
  assert.equal(credential.auth.type, "static_bearer");
  const listed = await all(client.beta.vaults.credentials.list(vault.id));
  assert.ok(!JSON.stringify(listed).includes("SECRET"));
  await assert.rejects(client.beta.vaults.credentials.retrieve("vcrd_missing", { vault_id: vault.id }), Anthropic.NotFoundError);
  assert.equal((await client.beta.vaults.delete(vault.id)).type, "vault_deleted");
});

test("the self-hosted work queue: poll, ack, heartbeat, stop", async () => {
  const onPrem = await client.beta.environments.create({ name: "on-prem", config: { type: "self_hosted" } });
  const session = await client.beta.sessions.create({ agent: agent.id, environment_id: onPrem.id });
  const work = client.beta.environments.work;
  const item = await work.poll(onPrem.id, { block_ms: 500 });
  assert.equal(item.data.id, session.id);
  assert.equal((await work.ack(item.id, { environment_id: onPrem.id })).state, "starting");
  const beat = await work.heartbeat(item.id, { environment_id: onPrem.id, expected_last_heartbeat: "NO_HEARTBEAT" });
  assert.equal(beat.state, "active");
  await assert.rejects(
    work.heartbeat(item.id, { environment_id: onPrem.id, expected_last_heartbeat: "NO_HEARTBEAT" }),
    (e) => e instanceof Anthropic.APIError && e.status === 412,
  );
  assert.equal((await work.stop(item.id, { environment_id: onPrem.id })).state, "stopped");
  assert.equal((await work.stats(onPrem.id)).depth, 0);
});

test("deployments run into sessions; runs are listed", async () => {
  const deployment = await client.beta.deployments.create({
    name: "report", agent: agent.id, environment_id: environment.id, initial_events: HELLO,
    schedule: { type: "cron", expression: "0 9 * * 1-5", timezone: "America/New_York" },
  });
  assert.equal(deployment.schedule.upcoming_runs_at.length, 5);
  const nineInNewYork = new Date(deployment.schedule.upcoming_runs_at[0]);
  assert.ok([13, 14].includes(nineInNewYork.getUTCHours()), "09:00 New York is 13:00 or 14:00 UTC");
  const run = await client.beta.deployments.run(deployment.id);
  assert.equal((await client.beta.sessions.retrieve(run.session_id)).deployment_id, deployment.id);
  const runs = await all(client.beta.deploymentRuns.list({ deployment_id: deployment.id }));
  assert.deepEqual(runs.map((r) => r.id), [run.id]);
  assert.equal((await client.beta.deployments.pause(deployment.id)).status, "paused");
  assert.ok((await client.beta.deployments.archive(deployment.id)).archived_at);
});

test("memory stores: memories, preconditions, versions", async () => {
  const store = await client.beta.memoryStores.create({ name: "notes" });
  const memory = await client.beta.memoryStores.memories.create(store.id, { path: "/a.md", content: "one" });
  await assert.rejects(
    client.beta.memoryStores.memories.update(memory.id, {
      memory_store_id: store.id, content: "two", precondition: { type: "content_sha256", content_sha256: "f".repeat(64) },
    }),
    Anthropic.ConflictError,
  );
  const full = await client.beta.memoryStores.memories.retrieve(memory.id, { memory_store_id: store.id });
  assert.equal(full.content, "one");
  const versions = await all(client.beta.memoryStores.memoryVersions.list(store.id));
  assert.deepEqual(versions.map((v) => v.operation), ["created"]);
  assert.equal((await client.beta.memoryStores.delete(store.id)).type, "memory_store_deleted");
});

test("dreams, tunnels and skills", async () => {
  const store = await client.beta.memoryStores.create({ name: "src" });
  const session = await client.beta.sessions.create({ agent: agent.id, environment_id: environment.id });
  const dream = await client.beta.dreams.create({
    model: "claude-opus-4-6",
    inputs: [{ type: "memory_store", memory_store_id: store.id }, { type: "sessions", session_ids: [session.id] }],
  });
  assert.equal((await client.beta.dreams.cancel(dream.id)).status, "canceled");
  const tunnel = await client.beta.tunnels.create({ display_name: "lab" });
  const token = await client.beta.tunnels.revealToken(tunnel.id);
  assert.ok(!JSON.stringify(await client.beta.tunnels.retrieve(tunnel.id)).includes(token.tunnel_token));
  const manifest = "---\nname: greeter\ndescription: Says hello\n---\n";
  const skill = await client.beta.skills.create({
    display_name: "Greeter",
    files: [await toFile(Buffer.from(manifest), "greeter/SKILL.md")],
  });
  assert.equal((await client.beta.skills.versions.retrieve("latest", { skill_id: skill.id })).name, "greeter");
  await assert.rejects(client.beta.skills.delete(skill.id), Anthropic.BadRequestError);
});
