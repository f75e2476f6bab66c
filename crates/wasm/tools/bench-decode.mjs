// SSE decode to JS event objects: `outrig` vs @anthropic-ai/sdk@1.14.0 on the same
// 100k-event body, in Node. `node crates/wasm/tools/bench-decode.mjs`
import { Stream } from "@anthropic-ai/sdk/core/streaming.mjs";
import "../../../artifacts/npm/outrig/node.js"; // initialises the wasm
import { EventParser } from "../../../artifacts/npm/outrig/outrig_wasm.js";

const templates = [
  (n) => ({ type: "user.message", id: `sevt_${n}a`, processed_at: "2026-05-14T09:30:00Z", content: [{ type: "text", text: "Reconcile invoices.csv against ledger.csv and report mismatches." }] }),
  (n) => ({ type: "session.status_running", id: `sevt_${n}b`, processed_at: "2026-05-14T09:30:01Z" }),
  (n) => ({ type: "span.model_request_start", id: `sevt_${n}c`, processed_at: "2026-05-14T09:30:01Z" }),
  (n) => ({ type: "agent.thinking", id: `sevt_${n}d`, processed_at: "2026-05-14T09:30:02Z" }),
  (n) => ({ type: "agent.message", id: `sevt_${n}e`, processed_at: "2026-05-14T09:30:03Z", content: [{ type: "text", text: "I'll compare both files now; this may take a moment while I read every row." }] }),
  (n) => ({ type: "agent.custom_tool_use", id: `sevt_${n}f`, name: "reconcile", input: { invoices: "invoices.csv", ledger: "ledger.csv", tolerance: 0.01 }, processed_at: "2026-05-14T09:30:04Z" }),
  (n) => ({ type: "span.model_request_end", id: `sevt_${n}g`, processed_at: "2026-05-14T09:30:04Z", model_request_start_id: `sevt_${n}c`, is_error: false, model_usage: { input_tokens: 1834, output_tokens: 211, cache_creation_input_tokens: 0, cache_read_input_tokens: 1500 } }),
  (n) => ({ type: "session.status_idle", id: `sevt_${n}h`, processed_at: "2026-05-14T09:30:04Z", stop_reason: { type: "requires_action", event_ids: [`sevt_${n}f`] }, stop_details: null }),
  (n) => ({ type: "user.custom_tool_result", id: `sevt_${n}i`, processed_at: "2026-05-14T09:30:05Z", custom_tool_use_id: `sevt_${n}f`, content: [{ type: "text", text: '{"matched":118,"mismatched":[{"invoice":"INV-0042","expected":"120.00","ledger":"102.00"}]}' }], is_error: false }),
  (n) => ({ type: "session.usage", id: `sevt_${n}j`, processed_at: "2026-05-14T09:30:06Z", usage: { input_tokens: 3900, output_tokens: 420, active_seconds: 5.2 } }),
];
const EVENTS = 100_000;
let text = "";
for (let i = 0; i < EVENTS; i++) {
  const event = templates[i % templates.length](Math.floor(i / templates.length));
  text += `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
  if (i % 50 === 0) text += "event: ping\ndata: {}\n\n";
}
const bytes = new TextEncoder().encode(text);
const CHUNK = 16 * 1024;
const chunks = [];
for (let i = 0; i < bytes.length; i += CHUNK) chunks.push(bytes.subarray(i, i + CHUNK));

async function ours() {
  const parser = new EventParser();
  let count = 0;
  for (const chunk of chunks) {
    const frames = parser.push(chunk);
    for (let i = 0; i < frames.length; i += 2) {
      const event = JSON.parse(frames[i + 1]);
      if (event.type) count++;
    }
  }
  parser.free();
  return count;
}

async function sdk() {
  const body = new ReadableStream({ start(c) { for (const chunk of chunks) c.enqueue(chunk); c.close(); } });
  let count = 0;
  for await (const event of Stream.fromSSEResponse(new Response(body), new AbortController())) if (event.type) count++;
  return count;
}

async function measure(name, run) {
  const times = [];
  for (let round = 0; round < 7; round++) {
    const started = performance.now();
    const count = await run();
    times.push(performance.now() - started);
    if (count !== EVENTS) throw new Error(`${name} decoded ${count} events`);
  }
  times.sort((a, b) => a - b);
  const median = times[3];
  return { name, ms: median, eventsPerSecond: EVENTS / (median / 1000), mbPerSecond: bytes.length / 1e6 / (median / 1000) };
}

const results = [await measure("outrig 0.1.0", ours), await measure("@anthropic-ai/sdk 1.14.0", sdk)];
console.log(`${EVENTS} events, ${(bytes.length / 1e6).toFixed(1)} MB, 16 KiB chunks, Node ${process.version}, median of 7\n`);
console.log("| client | time | events/s | MB/s |\n|---|---|---|---|");
for (const r of results) console.log(`| ${r.name} | ${r.ms.toFixed(0)} ms | ${Math.round(r.eventsPerSecond).toLocaleString("en")} | ${r.mbPerSecond.toFixed(1)} |`);
console.log(`\nratio outrig / SDK: ${(results[0].eventsPerSecond / results[1].eventsPerSecond).toFixed(2)}×`);
