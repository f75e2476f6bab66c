// The npm package in Deno (npm `deno`) and in workerd (npm `miniflare`), against the
// emulator over loopback.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { startEmulator } from "../sdk/emulator_process.mjs";
import { workerIn } from "./workerd.mjs";
import { PONG } from "./roundtrip.mjs";
import { BIG_EVENTS_READ } from "./big-events.mjs";

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

test("Deno: createToolWebhook verifies through the web entry's lazily loaded webhook module", async () => {
  const deno = spawn(`${here}/node_modules/.bin/deno`, ["run", `--allow-read=${root}`, `${here}/deno_webhook.mjs`], { env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" } });
  let output = "";
  deno.stdout.on("data", (d) => (output += d));
  deno.stderr.on("data", (d) => (output += d));
  const code = await new Promise((resolve) => deno.on("exit", resolve));
  assert.equal(code, 0, output);
  const { good, bad, refusal } = JSON.parse(output);
  assert.deepEqual([good, bad], [204, 401]);
  assert.match(refusal, /no signature matches/);
});

test("workerd: big events read the same through its decoders", async () => {
  const dir = `${here}/.worker-big`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  cpSync(`${root}/artifacts/npm/outrig`, `${dir}/outrig`, { recursive: true });
  for (const file of ["big-events-worker.mjs", "big-events.mjs"]) cpSync(`${here}/${file}`, `${dir}/${file}`);
  const mf = workerIn(dir, "big-events-worker.mjs");
  try {
    assert.deepEqual(await (await mf.dispatchFetch("http://worker/")).json(), BIG_EVENTS_READ);
  } finally {
    await mf.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("workerd: a custom tool round trip", async () => {
  const emulator = await startEmulator();
  const dir = `${here}/.worker`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  cpSync(`${root}/artifacts/npm/outrig`, `${dir}/outrig`, { recursive: true });
  cpSync(`${here}/worker.mjs`, `${dir}/worker.mjs`);
  cpSync(`${here}/roundtrip.mjs`, `${dir}/roundtrip.mjs`);
  const mf = workerIn(dir, "worker.mjs", { BASE_URL: emulator.baseUrl });
  try {
    const response = await mf.dispatchFetch("http://worker/");
    const result = await response.json();
    assert.ok(result.seen.includes("agent.custom_tool_use"), JSON.stringify(result));
    assert.equal(result.report, `Tool results:\nping: ${PONG}`);
  } finally {
    await mf.dispose();
    emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("workerd: two worker instances sharing an OutrigClaims Durable Object answer each call once", async () => {
  const { Miniflare } = await import("miniflare");
  const { createServer } = await import("node:http");
  const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const dir = `${here}/.hook-worker`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  cpSync(`${root}/artifacts/npm/outrig`, `${dir}/outrig`, { recursive: true });
  cpSync(`${here}/hook-worker.mjs`, `${dir}/hook-worker.mjs`);
  // The emulator POSTs every delivery to two loopback relays (/a and /b), each handing it to
  // its own worker, as the platform would reach two instances.
  let mf;
  const runs = [];
  const relay = createServer(async (req, res) => {
    if (req.url.startsWith("/ran?")) {
      runs.push(new URL(req.url, "http://relay").searchParams.get("q"));
      return res.end();
    }
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    try {
      const worker = await mf.getWorker(req.url.startsWith("/a") ? "a" : "b");
      const response = await worker.fetch(`http://worker${req.url}`, { method: req.method, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(response.status);
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch {
      // A chaotic duplicate arriving after the test ended (the workers are gone): refused,
      // as a dead instance would be.
      res.writeHead(503);
      res.end();
    }
  });
  await new Promise((resolve) => relay.listen(0, "127.0.0.1", resolve));
  const relayUrl = `http://127.0.0.1:${relay.address().port}`;
  const emulator = await startEmulator("--webhook", `${relayUrl}/a`, "--webhook", `${relayUrl}/b`, "--webhook-secret", secret, "--webhook-chaos");
  const worker = (name) => ({
    name,
    modules: true,
    scriptPath: `${dir}/hook-worker.mjs`,
    modulesRoot: dir,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }, { type: "ESModule", include: ["**/*.js", "**/*.mjs"] }],
    compatibilityDate: "2026-04-01",
    bindings: { BASE_URL: emulator.baseUrl, WEBHOOK_SECRET: secret, NAME: name, RELAY: relayUrl },
    durableObjects: { CLAIMS: { className: "OutrigClaims", scriptName: "a" } },
  });
  mf = new Miniflare({ workers: [worker("a"), worker("b")] });
  try {
    const { Outrig, durableObjectClaims } = await import("outrig");
    const client = new Outrig({ apiKey: "k", baseURL: emulator.baseUrl, maxRetries: 0 });
    const agent = await client.agents.create({ name: "edge", model: "m", tools: [{ type: "custom", name: "lookup", description: "Looks up", input_schema: { type: "object" } }] });
    const environment = await client.environments.create({ name: "edge" });
    const sessions = [];
    for (let i = 0; i < 4; i++) {
      const session = await client.sessions.create({ agent: agent.id, environment_id: environment.id });
      await client.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: `call lookup {"q": "invoice ${i}"}` }] }] });
      sessions.push(session.id);
    }
    for (const [i, id] of sessions.entries()) {
      let results = [];
      for (let done = false; !done; ) {
        const events = [];
        for await (const event of client.sessions.events.list(id)) events.push(event);
        results = events.filter((e) => e.type === "user.custom_tool_result");
        const last = events.at(-1);
        done = last?.type === "session.status_idle" && last.stop_reason.type === "end_turn";
        if (!done) await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(results.length, 1, JSON.stringify(results));
      assert.match(results[0].content[0].text, new RegExp(`^found invoice ${i} in (a|b)$`));
    }
    assert.deepEqual(runs.sort(), ["invoice 0", "invoice 1", "invoice 2", "invoice 3"], "each tool ran once");
    // The object's lease rules, asked directly: won once, lost while the lease lasts,
    // reported expired (not won) to the first to ask after it ran out.
    const claims = durableObjectClaims(await mf.getDurableObjectNamespace("CLAIMS", "a"), { name: "rules", leaseMs: 200 });
    assert.equal(await claims("c1"), "won");
    assert.equal(await claims("c1"), "lost");
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await claims("c1"), "expired");
    assert.equal(await claims("c1"), "lost");
  } finally {
    await mf.dispose();
    emulator.stop();
    relay.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
