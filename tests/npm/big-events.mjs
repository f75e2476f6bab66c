// Big events through a platform's own decoders: an event of 64 KiB or more crosses from the
// core as Latin-1 with \uXXXX escapes (TextDecoder("latin1") is windows-1252 in browsers
// and workerd), and a malformed one keeps its text as it arrived. Self-contained: the
// browser test runs its source in the page.

/** Streams a big event, a malformed big one and the end through `Outrig`; what each read as. */
export async function bigEventsRead(Outrig) {
  const text = `é ÿ \u00a0 \u0085 — ✓ 🦀 "q" \\ ${"x".repeat(70_000)}`;
  const event = { type: "agent.message", id: "sevt_big", content: [{ type: "text", text }] };
  const broken = `{"type":"agent.message","id":"sevt_cut","text":"— é ${"y".repeat(70_000)}"`;
  const frame = (data) => `event: agent.message\ndata: ${data}\n\n`;
  const end = '{"type":"session.status_terminated","id":"sevt_end"}';
  const body = new TextEncoder().encode(frame(JSON.stringify(event)) + frame(broken) + frame(end));
  const fetch = async () => new Response(body, { headers: { "content-type": "text/event-stream" } });
  const client = new Outrig({ apiKey: "k", baseURL: "http://big.test", fetch, dangerouslyAllowBrowser: true });
  const seen = [];
  for await (const item of await client.sessions.events.stream("sesn_1")) seen.push(item);
  return { same: JSON.stringify(seen[0]) === JSON.stringify(event), raw: seen[1]?.raw === broken, types: seen.map((item) => item.type) };
}

/** What `bigEventsRead` gives where every event reads as sent. */
export const BIG_EVENTS_READ = { same: true, raw: true, types: ["agent.message", "outrig.malformed_event", "session.status_terminated"] };
