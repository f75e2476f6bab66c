// The full public stream path (`client.sessions.events.stream(id)` over a `fetch` that
// serves a 100k-event body in 16 KiB chunks) of two builds of the npm package, alternating
// in one process: `node crates/wasm/tools/bench-stream-path.mjs OLD_PKG_DIR NEW_PKG_DIR`
// (each a `scripts/build-npm.sh` output, e.g. of two commits).
const [oldDir, newDir] = process.argv.slice(2);
const { Outrig: Old } = await import(`${oldDir}/node.js`);
const { Outrig: New } = await import(`${newDir}/node.js`);
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
for (let i = 0; i < bytes.length; i += 16384) chunks.push(bytes.subarray(i, i + 16384));
const fetch = async () => new Response(new ReadableStream({ start(c) { for (const chunk of chunks) c.enqueue(chunk); c.close(); } }), { headers: { "content-type": "text/event-stream" } });
async function run(Client) {
  const client = new Client({ apiKey: "k", baseURL: "http://bench.test", fetch });
  let count = 0;
  for await (const event of await client.sessions.events.stream("sesn_1")) if (event.type) count++;
  if (count !== EVENTS + 1) throw new Error(`saw ${count}`);
}
const times = { old: [], new: [] };
for (let round = 0; round < 7; round++) {
  for (const [name, Client] of [["old", Old], ["new", New]]) {
    const t = performance.now();
    await run(Client);
    times[name].push(performance.now() - t);
  }
}
for (const [name, list] of Object.entries(times)) {
  list.sort((a, b) => a - b);
  console.log(`${name}: median ${list[3].toFixed(0)} ms, ${Math.round(EVENTS / (list[3] / 1000)).toLocaleString("en")} events/s`);
}
