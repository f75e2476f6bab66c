// Fault injection for the npm client: a TCP proxy cuts stream connections at random byte
// offsets of their bodies or stalls them, and starts every stream connection with a
// malformed event; the consumer still sees every event exactly once, in order, and each
// malformed one as a non-fatal item.
import assert from "node:assert/strict";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { Outrig } from "outrig";
import { startEmulator } from "../sdk/emulator_process.mjs";

const scenarios = fileURLToPath(new URL("../scenarios", import.meta.url));

function faultyProxy(upstreamPort) {
  let faults = 0;
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, "127.0.0.1");
    let budget = Infinity;
    let stall = false;
    let garble = false;
    client.on("data", (chunk) => {
      if (chunk.includes("/events/stream")) {
        stall = faults++ % 3 === 2;
        budget = 200 + Math.floor(Math.random() * 2800);
        garble = true;
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk) => {
      const head = chunk.indexOf("\r\n\r\n");
      if (garble && head >= 0) {
        garble = false;
        // The response head passes whole: the cuts are in the body (a first connection cut
        // in its head fails `stream()` itself, by design, as the SDKs' does).
        client.write(chunk.subarray(0, head + 4));
        // Then a malformed event, in a chunk of its own (the stream is chunked).
        const bad = Buffer.from('event: agent.message\ndata: {"type":"agent.message","id":\n\n');
        chunk = Buffer.concat([Buffer.from(`${bad.length.toString(16)}\r\n`), bad, Buffer.from("\r\n"), chunk.subarray(head + 4)]);
        if (budget !== Infinity) budget += bad.length + 8;
      }
      if (budget === Infinity) return void client.write(chunk);
      const part = chunk.subarray(0, budget);
      client.write(part);
      budget -= part.length;
      if (budget === 0) {
        upstream.destroy();
        if (!stall) client.destroy();
        budget = -1; // silent from now on
      }
    });
    const close = () => { client.destroy(); upstream.destroy(); };
    client.on("error", close);
    upstream.on("error", close);
    client.on("close", () => upstream.destroy());
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, port: server.address().port, faults: () => faults })));
}

test("a cut, stalled and garbled stream still yields every event once, in order", async () => {
  const emulator = await startEmulator("--scenarios", scenarios);
  const proxy = await faultyProxy(Number(new URL(emulator.baseUrl).port));
  try {
    const direct = new Outrig({ apiKey: "k", baseURL: emulator.baseUrl });
    const client = new Outrig({ apiKey: "k", baseURL: `http://127.0.0.1:${proxy.port}` });
    const agent = await direct.agents.create({ name: "paced", model: "m", metadata: { scenario: "paced" } });
    const environment = await direct.environments.create({ name: "e" });
    const session = await direct.sessions.create({ agent: agent.id, environment_id: environment.id });
    const events = await client.sessions.events.stream(session.id, { stallTimeout: 300 });
    const first = events.next();
    const TURNS = 12;
    await direct.sessions.events.send(session.id, { events: Array.from({ length: TURNS }, (_, i) => ({ type: "user.message", content: [{ type: "text", text: `message ${i} with padding` }] })) });
    const seen = [];
    let ended = 0;
    let malformed = 0;
    for (let step = await first; !step.done; step = await events.next()) {
      if (step.value.type === "outrig.malformed_event") {
        malformed++;
        continue;
      }
      seen.push(step.value.id);
      if (step.value.type === "session.status_idle" && step.value.stop_reason.type === "end_turn" && ++ended === TURNS) break;
    }
    await events.return();
    const history = [];
    for await (const event of direct.sessions.events.list(session.id, { limit: 100 })) history.push(event.id);
    assert.deepEqual(seen, history, "every event exactly once, in order");
    assert.ok(proxy.faults() >= 3, `the proxy cut the stream ${proxy.faults()} times`);
    assert.ok(malformed >= 1, `malformed events surfaced: ${malformed}`);
  } finally {
    proxy.server.close();
    emulator.stop();
  }
});
