// Bodies of several realistic shapes for the stream benchmarks, each generated here (no
// shape chosen to suit one client): the session mix the first benchmark used; long
// non-ASCII agent messages; many small previews (`event_delta`); big tool inputs and
// results (100 KB JSON); thinking markers between their previews; a ping before every
// event; CRLF line endings. Ids are API-length, timestamps carry microseconds.

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
let seed = 42;
// mulberry32: the same bodies every run.
const random = () => {
  let t = (seed = (seed + 0x6d2b79f5) | 0);
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const id = (prefix) => prefix + Array.from({ length: 24 }, () => ALPHABET[Math.floor(random() * 62)]).join("");
let clock = Date.parse("2026-05-14T09:30:00Z") * 1000;
const at = () => {
  clock += 1 + Math.floor(random() * 5000);
  const iso = new Date(Math.floor(clock / 1000)).toISOString();
  return `${iso.slice(0, 19)}.${String(clock % 1_000_000).padStart(6, "0")}Z`;
};
const WORDS = ["facture", "réglée", "écart", "été", "reçu", "—", "“ledger”", "déjà", "montant", "€12,50", "naïve", "café", "über", "straße", "日本", "✓", "\"quoted\"", "line\nbreak", "tab\there", "0.01"];
const prose = (chars) => {
  let text = "";
  while (text.length < chars) text += `${WORDS[Math.floor(random() * WORDS.length)]} `;
  return text.slice(0, chars);
};
const ascii = (chars) => "Reconcile invoices.csv against ledger.csv and report mismatches. ".repeat(Math.ceil(chars / 66)).slice(0, chars);
const bigJson = (bytes) => {
  const rows = [];
  let size = 0;
  while (size < bytes) {
    const row = { invoice: id("INV-"), amount: Math.round(random() * 1e6) / 100, currency: "EUR", note: prose(40), paid: random() > 0.5 };
    size += JSON.stringify(row).length + 1;
    rows.push(row);
  }
  return { rows };
};

const mix = () => {
  const call = id("sevt_");
  return [
    { type: "user.message", id: id("sevt_"), processed_at: at(), content: [{ type: "text", text: ascii(64) }] },
    { type: "session.status_running", id: id("sevt_"), processed_at: at() },
    { type: "agent.message", id: id("sevt_"), processed_at: at(), content: [{ type: "text", text: ascii(76) }] },
    { type: "agent.custom_tool_use", id: call, name: "reconcile", input: { invoices: "invoices.csv", ledger: "ledger.csv", tolerance: 0.01 }, processed_at: at() },
    { type: "session.status_idle", id: id("sevt_"), processed_at: at(), stop_reason: { type: "requires_action", event_ids: [call] }, stop_details: null },
  ];
};

/** Shape name → a function giving the next few events. */
export const SHAPES = {
  "session mix (ASCII, ~200 B)": mix,
  "agent messages, non-ASCII, 200 chars": () => [
    { type: "agent.message", id: id("sevt_"), processed_at: at(), content: [{ type: "text", text: prose(200) }] },
  ],
  "many small previews (event_delta)": () => {
    const message = id("sevt_");
    const deltas = Array.from({ length: 8 }, () => ({ type: "event_delta", event_id: message, delta: { type: "content_delta", content: { type: "text", text: prose(6) } } }));
    return [{ type: "event_start", event: { type: "agent.message", id: message } }, ...deltas];
  },
  "big tool input and result (100 KB JSON)": () => {
    const call = id("sevt_");
    const rows = bigJson(100_000);
    return [
      { type: "agent.custom_tool_use", id: call, name: "reconcile", input: rows, processed_at: at() },
      { type: "user.custom_tool_result", id: id("sevt_"), custom_tool_use_id: call, content: [{ type: "text", text: JSON.stringify(rows) }], is_error: false, processed_at: at() },
    ];
  },
  "thinking, with previews": () => {
    const thought = id("sevt_");
    return [
      { type: "event_start", event: { type: "agent.thinking", id: thought } },
      ...Array.from({ length: 3 }, () => ({ type: "event_delta", event_id: thought, delta: { type: "content_delta", content: { type: "text", text: prose(30) } } })),
      { type: "agent.thinking", id: thought, processed_at: at() },
      { type: "agent.message", id: id("sevt_"), processed_at: at(), content: [{ type: "text", text: prose(120) }] },
    ];
  },
  "ping before every event": mix,
  "CRLF line endings": mix,
};

/** About this many bytes of events per body. */
const BODY_BYTES = 8_000_000;

/**
 * The SSE body of `shape`, its number of events (those with an `id`, which both clients
 * yield, and the previews) and a `fetch` answering it in `chunkSize`-byte chunks, pulled
 * as a network body is.
 */
export function body(shape, chunkSize) {
  seed = 42;
  const next = SHAPES[shape];
  const crlf = shape === "CRLF line endings";
  const pings = shape === "ping before every event";
  const eol = crlf ? "\r\n" : "\n";
  const parts = [];
  let size = 0;
  let events = 0;
  while (size < BODY_BYTES) {
    for (const event of next()) {
      let text = `event: ${event.type}${eol}data: ${JSON.stringify(event)}${eol}${eol}`;
      if (pings) text = `event: ping${eol}data: {"type":"ping"}${eol}${eol}${text}`;
      parts.push(text);
      size += text.length;
      events++;
    }
  }
  parts.push(`event: session.status_terminated${eol}data: ${JSON.stringify({ type: "session.status_terminated", id: "sevt_end", processed_at: at() })}${eol}${eol}`);
  const bytes = new TextEncoder().encode(parts.join(""));
  const chunks = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  const fetch = async () => {
    let at = 0;
    const pull = (c) => (at < chunks.length ? c.enqueue(chunks[at++]) : c.close());
    return new Response(new ReadableStream({ pull }), { headers: { "content-type": "text/event-stream" } });
  };
  return { events: events + 1, bytes: bytes.length, fetch };
}
