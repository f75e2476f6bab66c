// The full public stream path of both clients on the same 100k-event body, alternating in
// one process: `client.sessions.events.stream(id)` of `outrig` against
// `client.beta.sessions.events.stream(id)` of @anthropic-ai/sdk 1.14.0, each over a `fetch`
// that serves the body in chunks of the given size.
// `./scripts/build-npm.sh && node crates/wasm/tools/bench-stream-vs-sdk.mjs [CHUNK_BYTES]`
import Anthropic from "@anthropic-ai/sdk";
import { Outrig } from "../../../artifacts/npm/outrig/node.js";
const chunkSize = Number(process.argv[2] ?? 16384);
const templates = [
  (n) => ({ type: "user.message", id: `sevt_${n}a`, processed_at: "2026-05-14T09:30:00Z", content: [{ type: "text", text: "Reconcile invoices.csv against ledger.csv and report mismatches." }] }),
  (n) => ({ type: "session.status_running", id: `sevt_${n}b`, processed_at: "2026-05-14T09:30:01Z" }),
  (n) => ({ type: "agent.message", id: `sevt_${n}e`, processed_at: "2026-05-14T09:30:03Z", content: [{ type: "text", text: "I'll compare both files now; this may take a moment while I read every row." }] }),
  (n) => ({ type: "agent.custom_tool_use", id: `sevt_${n}f`, name: "reconcile", input: { invoices: "invoices.csv", ledger: "ledger.csv", tolerance: 0.01 }, processed_at: "2026-05-14T09:30:04Z" }),
  (n) => ({ type: "session.status_idle", id: `sevt_${n}h`, processed_at: "2026-05-14T09:30:04Z", stop_reason: { type: "requires_action", event_ids: [`sevt_${n}f`] }, stop_details: null }),
];
const EVENTS = 100_000;
let text = "";
for (let i = 0; i < EVENTS; i++) {
  const event = templates[i % templates.length](Math.floor(i / templates.length));
  text += `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
text += `event: session.status_terminated\ndata: ${JSON.stringify({ type: "session.status_terminated", id: "sevt_end", processed_at: "2026-05-14T10:00:00Z" })}\n\n`;
const bytes = new TextEncoder().encode(text);
const chunks = [];
for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
const fetch = async () => new Response(new ReadableStream({ start(c) { for (const chunk of chunks) c.enqueue(chunk); c.close(); } }), { headers: { "content-type": "text/event-stream" } });
async function ours() {
  const client = new Outrig({ apiKey: "k", baseURL: "http://bench.test", fetch });
  let n = 0;
  for await (const event of await client.sessions.events.stream("sesn_1")) if (event.type) n++;
  return n;
}
async function sdk() {
  const client = new Anthropic({ apiKey: "k", baseURL: "http://bench.test", fetch });
  let n = 0;
  for await (const event of await client.beta.sessions.events.stream("sesn_1")) if (event.type) n++;
  return n;
}
const times = { outrig: [], sdk: [] };
for (let round = 0; round < 7; round++) {
  for (const [name, run] of [["outrig", ours], ["sdk", sdk]]) {
    const t = performance.now();
    const n = await run();
    times[name].push(performance.now() - t);
    if (n !== EVENTS + 1) throw new Error(`${name} saw ${n}`);
  }
}
for (const [name, list] of Object.entries(times)) {
  list.sort((a, b) => a - b);
  console.log(`${name} (${chunkSize} B chunks): median ${list[3].toFixed(0)} ms, ${Math.round(EVENTS / (list[3] / 1000)).toLocaleString("en")} events/s`);
}
