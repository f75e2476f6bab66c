// The body both full-path stream benchmarks serve: 100k events of a session's usual mix,
// then the event that ends the session, as a `fetch` answering in chunks of `chunkSize`.
const templates = [
  (n) => ({ type: "user.message", id: `sevt_${n}a`, processed_at: "2026-05-14T09:30:00Z", content: [{ type: "text", text: "Reconcile invoices.csv against ledger.csv and report mismatches." }] }),
  (n) => ({ type: "session.status_running", id: `sevt_${n}b`, processed_at: "2026-05-14T09:30:01Z" }),
  (n) => ({ type: "agent.message", id: `sevt_${n}e`, processed_at: "2026-05-14T09:30:03Z", content: [{ type: "text", text: "I'll compare both files now; this may take a moment while I read every row." }] }),
  (n) => ({ type: "agent.custom_tool_use", id: `sevt_${n}f`, name: "reconcile", input: { invoices: "invoices.csv", ledger: "ledger.csv", tolerance: 0.01 }, processed_at: "2026-05-14T09:30:04Z" }),
  (n) => ({ type: "session.status_idle", id: `sevt_${n}h`, processed_at: "2026-05-14T09:30:04Z", stop_reason: { type: "requires_action", event_ids: [`sevt_${n}f`] }, stop_details: null }),
];

/** Events before the one that ends the session. */
export const EVENTS = 100_000;

/** A `fetch` that answers every request with the body, in chunks of `chunkSize` bytes. */
export function streamingFetch(chunkSize) {
  let text = "";
  for (let i = 0; i < EVENTS; i++) {
    const event = templates[i % templates.length](Math.floor(i / templates.length));
    text += `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
  }
  text += `event: session.status_terminated\ndata: ${JSON.stringify({ type: "session.status_terminated", id: "sevt_end", processed_at: "2026-05-14T10:00:00Z" })}\n\n`;
  const bytes = new TextEncoder().encode(text);
  const chunks = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  // Chunks are handed out as the reader pulls them, as a network body does (enqueueing all
  // of them up front made the stream's own queue cost a third of a 1 KiB-chunk run).
  return async () => {
    let next = 0;
    const pull = (c) => (next < chunks.length ? c.enqueue(chunks[next++]) : c.close());
    return new Response(new ReadableStream({ pull }), { headers: { "content-type": "text/event-stream" } });
  };
}
