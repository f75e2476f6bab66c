// The npm package in Deno (npm `deno`) and in workerd (npm `miniflare`), against the
// emulator over loopback.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { startEmulator } from "../sdk/emulator_process.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = fileURLToPath(new URL("../..", import.meta.url));

test("Deno: a custom tool round trip", async () => {
  const emulator = await startEmulator();
  try {
    const deno = spawn(`${here}/node_modules/.bin/deno`, ["run", "--allow-net=127.0.0.1", `--allow-read=${root}`, `${here}/deno_check.mjs`, emulator.baseUrl], { env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" } });
    let output = "";
    deno.stdout.on("data", (d) => (output += d));
    deno.stderr.on("data", (d) => (output += d));
    const code = await new Promise((resolve) => deno.on("exit", resolve));
    assert.equal(code, 0, output);
    assert.match(output, /deno ok/);
  } finally {
    emulator.stop();
  }
});

test("workerd: a custom tool round trip", async () => {
  const { Miniflare } = await import("miniflare");
  const emulator = await startEmulator();
  const dir = `${here}/.worker`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  cpSync(`${root}/artifacts/npm/outrig`, `${dir}/outrig`, { recursive: true });
  cpSync(`${here}/worker.mjs`, `${dir}/worker.mjs`);
  cpSync(`${here}/roundtrip.mjs`, `${dir}/roundtrip.mjs`);
  const mf = new Miniflare({
    modules: true,
    scriptPath: `${dir}/worker.mjs`,
    modulesRoot: dir,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }, { type: "ESModule", include: ["**/*.js", "**/*.mjs"] }],
    compatibilityDate: "2026-04-01",
    bindings: { BASE_URL: emulator.baseUrl },
  });
  try {
    const response = await mf.dispatchFetch("http://worker/");
    const result = await response.json();
    assert.ok(result.seen.includes("agent.custom_tool_use"), JSON.stringify(result));
    assert.equal(result.report, "Tool results:\nping: pong");
  } finally {
    await mf.dispose();
    emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("workerd: createToolWebhook answers a tool call from the emulator's webhooks", async () => {
  const { Miniflare } = await import("miniflare");
  const { createServer } = await import("node:http");
  const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const dir = `${here}/.hook-worker`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  cpSync(`${root}/artifacts/npm/outrig`, `${dir}/outrig`, { recursive: true });
  cpSync(`${here}/hook-worker.mjs`, `${dir}/hook-worker.mjs`);
  // The emulator POSTs to a loopback relay, which hands each delivery to the worker.
  let mf;
  const relay = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const response = await mf.dispatchFetch(`http://worker${req.url}`, { method: req.method, headers: req.headers, body: Buffer.concat(chunks) });
    res.writeHead(response.status);
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise((resolve) => relay.listen(0, "127.0.0.1", resolve));
  const emulator = await startEmulator("--webhook", `http://127.0.0.1:${relay.address().port}/`, "--webhook-secret", secret);
  mf = new Miniflare({
    modules: true,
    scriptPath: `${dir}/hook-worker.mjs`,
    modulesRoot: dir,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }, { type: "ESModule", include: ["**/*.js", "**/*.mjs"] }],
    compatibilityDate: "2026-04-01",
    bindings: { BASE_URL: emulator.baseUrl, WEBHOOK_SECRET: secret },
  });
  try {
    const { Outrig } = await import("outrig");
    const client = new Outrig({ apiKey: "k", baseURL: emulator.baseUrl, maxRetries: 0 });
    const agent = await client.agents.create({ name: "edge", model: "m", tools: [{ type: "custom", name: "lookup", description: "Looks up", input_schema: { type: "object" } }] });
    const environment = await client.environments.create({ name: "edge" });
    const session = await client.sessions.create({ agent: agent.id, environment_id: environment.id });
    await client.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: 'call lookup {"q": "invoice 7"}' }] }] });
    let results = [];
    for (let done = false; !done; ) {
      const events = [];
      for await (const event of client.sessions.events.list(session.id)) events.push(event);
      results = events.filter((e) => e.type === "user.custom_tool_result");
      const last = events.at(-1);
      done = last?.type === "session.status_idle" && last.stop_reason.type === "end_turn";
      if (!done) await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(results.map((r) => r.content[0].text), ["found invoice 7 in workerd"]);
  } finally {
    await mf.dispose();
    emulator.stop();
    relay.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
