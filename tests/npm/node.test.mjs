// The npm package `outrig` in Node 20 against the emulator over real HTTP: a full custom
// tool round trip on the resumable stream, pagination, error classes.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Outrig, NotFoundError, ConflictError, BadRequestError, AuthenticationError, RateLimitError, InternalServerError, APIUserAbortError, createProxy, eventSourceStream } from "outrig";
import { startEmulator } from "../sdk/emulator_process.mjs";
import { serveHandler } from "./node_adapter.mjs";
// The package's core module itself (the instance "outrig" initialised), for the tests of its
// byte scans.
import { StreamMachine } from "./node_modules/outrig/outrig_wasm.js";
import { batch } from "./node_modules/outrig/batch.js";

let emulator;
let client;
before(async () => {
  emulator = await startEmulator("--api-key", "sk-npm");
  client = new Outrig({ apiKey: "sk-npm", baseURL: emulator.baseUrl, maxRetries: 0 });
});
after(() => emulator.stop());

const TOOL = { type: "custom", name: "get_order_status", description: "Order status", input_schema: { type: "object", properties: { order_id: { type: "string" } } } };

async function newSession(outrig = client) {
  const agent = await outrig.agents.create({ name: "npm", model: "claude-opus-4-6", tools: [TOOL] });
  const environment = await outrig.environments.create({ name: "npm" });
  return outrig.sessions.create({ agent: agent.id, environment_id: environment.id });
}

test("a custom tool round trip on the stream reaches end_turn", async () => {
  const session = await newSession();
  const events = await client.sessions.events.stream(session.id, { eventDeltas: ["agent.message"] }); // open before sending
  const first = events.next();
  await client.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: 'call get_order_status {"order_id":"42"}' }] }] });
  const types = [];
  let answered = false;
  for (let step = await first; !step.done; step = await events.next()) {
    const event = step.value;
    types.push(event.type);
    if (event.type === "agent.custom_tool_use") {
      assert.deepEqual(event.input, { order_id: "42" });
      await client.sessions.events.send(session.id, { events: [{ type: "user.custom_tool_result", custom_tool_use_id: event.id, content: [{ type: "text", text: "shipped" }] }] });
      answered = true;
    }
    if (event.type === "session.status_idle" && event.stop_reason.type === "end_turn") break;
  }
  await events.return();
  assert.ok(answered);
  assert.ok(types.includes("event_start") && types.includes("event_delta"), "previews requested and received");
  const ids = new Set();
  for await (const event of client.sessions.events.list(session.id, { limit: 3 })) {
    assert.ok(!ids.has(event.id));
    ids.add(event.id);
  }
  assert.equal(ids.size, types.filter((t) => t !== "event_start" && t !== "event_delta").length, "history = streamed events, each once");
});

test("lists paginate and errors map to classes", async () => {
  for (let i = 0; i < 3; i++) await client.environments.create({ name: `page-${i}` });
  const page = await client.environments.list({ limit: 2 });
  assert.equal(page.data.length, 2);
  assert.ok(page.next_page);
  const names = [];
  for await (const environment of client.environments.list({ limit: 2 })) names.push(environment.name);
  assert.ok(["page-0", "page-1", "page-2"].every((n) => names.includes(n)));
  await assert.rejects(client.sessions.retrieve("sesn_nope"), (e) => e instanceof NotFoundError && e.status === 404 && e.requestID?.startsWith("req_"));
  const agent = await client.agents.create({ name: "v", model: "m" });
  await assert.rejects(client.agents.update(agent.id, { version: 5, name: "w" }), ConflictError);
  await assert.rejects(client.agents.create({ name: "", model: "m" }), BadRequestError);
  await assert.rejects(new Outrig({ apiKey: "wrong", baseURL: emulator.baseUrl, maxRetries: 0 }).agents.list(), AuthenticationError);
  assert.ok((await new Outrig({ authToken: "sk-npm", baseURL: emulator.baseUrl }).agents.list({ limit: 1 })).data.length, "an auth token is a bearer credential too");
  assert.throws(() => client.sessions.retrieve(""), /non-empty/);
  assert.ok(!JSON.stringify(client).includes("sk-npm"), "the key is not serialised");
});

test("every error status maps to the SDK's class for it", async () => {
  const classes = { 400: "BadRequestError", 401: "AuthenticationError", 402: "PaymentRequiredError", 403: "PermissionDeniedError", 404: "NotFoundError", 408: "RequestTimeoutError", 409: "ConflictError", 412: "PreconditionFailedError", 413: "ContentTooLargeError", 418: "APIError", 422: "UnprocessableEntityError", 429: "RateLimitError", 500: "InternalServerError", 502: "InternalServerError", 503: "ServiceUnavailableError", 504: "GatewayTimeoutError", 529: "OverloadedError" };
  for (const [status, name] of Object.entries(classes)) {
    const fetch = async () => new Response(JSON.stringify({ type: "error", error: { type: "x", message: "no" } }), { status: Number(status) });
    const failing = new Outrig({ apiKey: "k", baseURL: "http://classes.test", fetch, maxRetries: 0 });
    await assert.rejects(failing.agents.list(), (e) => e.constructor.name === name && e.status === Number(status), `${status} is a ${name}`);
  }
});

test("a 429 is retried with retry-after, then surfaces as RateLimitError", async () => {
  const limited = await startEmulator("--rate-limit", "1");
  try {
    const patient = new Outrig({ apiKey: "k", baseURL: limited.baseUrl, maxRetries: 3 });
    const started = Date.now();
    await Promise.all([patient.agents.list(), patient.agents.list()]);
    assert.ok(Date.now() - started >= 500, "the second request waited for the retry-after");
    const impatient = new Outrig({ apiKey: "k", baseURL: limited.baseUrl, maxRetries: 0 });
    await assert.rejects(Promise.all([impatient.agents.list(), impatient.agents.list(), impatient.agents.list()]), RateLimitError);
  } finally {
    limited.stop();
  }
});

test("the retry policy reads the response's x-should-retry header", async () => {
  const answers = (status, shouldRetry) => {
    const calls = [];
    const fetch = async (url) => {
      calls.push(url);
      return new Response(JSON.stringify({ type: "error", error: { type: "api_error", message: "no" } }), { status, headers: { "x-should-retry": shouldRetry, "content-type": "application/json" } });
    };
    return { calls, client: new Outrig({ apiKey: "k", baseURL: "http://retry.test", maxRetries: 1, fetch }) };
  };
  const refused = answers(503, "false");
  await assert.rejects(refused.client.agents.list(), InternalServerError);
  assert.equal(refused.calls.length, 1, "a 503 the server says not to retry is not retried");
  const urged = answers(400, "true");
  await assert.rejects(urged.client.agents.list(), BadRequestError);
  assert.equal(urged.calls.length, 2, "a 400 the server says to retry is retried");
});

test("a NUL in a header value or query is refused before anything is sent", async () => {
  assert.throws(() => new Outrig({ apiKey: "sk-a\0b" }), (e) => e instanceof TypeError && !e.message.includes("sk-a"));
  await assert.rejects(client.agents.list({ after_id: "a\0b" }), TypeError);
});

test("an event whose data holds a raw NUL arrives as malformed, and the stream goes on", async () => {
  const event = (type, id, extra = "") => `event: ${type}\ndata: {"type":"${type}","id":"${id}","processed_at":"2026-01-01T00:00:00Z"${extra}}\n\n`;
  const body = event("agent.message", "sevt_1", ',"content":[{"type":"text","text":"a\0b"}]') + event("session.status_terminated", "sevt_2");
  const fetch = async () => new Response(body, { headers: { "content-type": "text/event-stream" } });
  const seen = [];
  for await (const item of await new Outrig({ apiKey: "k", baseURL: "http://nul.test", fetch }).sessions.events.stream("sesn_1")) seen.push(item);
  assert.deepEqual(seen.map((item) => item.type), ["outrig.malformed_event", "session.status_terminated"]);
  assert.ok(seen[0].raw.includes("a\ufffdb") && !seen[0].raw.includes("\0"), seen[0].raw);
});

/** Every item the public stream yields for `bytes`, an SSE body read in chunks of `size`. */
async function streamed(bytes, size) {
  const fetch = async () => new Response(new ReadableStream({
    start(controller) {
      for (let at = 0; at < bytes.length; at += size) controller.enqueue(bytes.slice(at, at + size));
      controller.close();
    },
  }), { headers: { "content-type": "text/event-stream" } });
  const seen = [];
  for await (const item of await new Outrig({ apiKey: "k", baseURL: "http://chunks.test", fetch }).sessions.events.stream("sesn_1")) seen.push(item);
  return seen;
}

test("events come out as they went in, ASCII or not, in chunks of any size", async () => {
  // The core hands batches of small events over as ASCII, or as UTF-16 once any text is not:
  // every mix of the two, split anywhere (inside a character too), must read the same.
  const texts = ["plain", "café — “ledger” 日本 ✓", "🦀 crab, 𝄞 clef (surrogate pairs)", "é".repeat(300), "x".repeat(17) + "é" + "y".repeat(9)];
  const events = texts.map((text, i) => ({ type: "agent.message", id: `sevt_${i}`, processed_at: "2026-01-01T00:00:00Z", content: [{ type: "text", text }] }));
  const frame = (type, data) => `event: ${type}\ndata: ${data}\n\n`;
  const body = [
    ...events.map((event) => frame(event.type, JSON.stringify(event))),
    frame("agent.message", '{"type":"agent.message","id":"sevt_nul","text":"déjà a\0b"}'),
    frame("agent.message", "{not json: ünïcode}"),
    frame("agent.message", JSON.stringify({ ...events[0], id: "sevt_last" })),
    frame("session.status_terminated", '{"type":"session.status_terminated","id":"sevt_end"}'),
  ].join("");
  const bytes = new TextEncoder().encode(body);
  for (const size of [1, 3, 7, 64, bytes.length]) {
    const seen = await streamed(bytes, size);
    assert.deepEqual(seen.slice(0, texts.length), events, `chunks of ${size}`);
    const [nul, broken, last, end] = seen.slice(texts.length);
    assert.equal(nul.type, "outrig.malformed_event");
    assert.ok(nul.raw.includes("déjà a\ufffdb"), nul.raw);
    assert.equal(broken.type, "outrig.malformed_event");
    assert.equal(broken.raw, "{not json: ünïcode}");
    assert.equal(last.id, "sevt_last");
    assert.equal(end.type, "session.status_terminated");
  }
});

test("the core's UTF-8 check and UTF-16 conversion agree with TextDecoder's, on random bytes", () => {
  // The core checks each SSE line 16 bytes at a time and converts the events it delivers 16
  // at a time: random lines of lead, continuation and other bytes, at every alignment, must
  // be refused exactly when a fatal TextDecoder refuses them, and read back as it reads them.
  const fatal = new TextDecoder("utf-8", { fatal: true });
  const encode = (text) => [...new TextEncoder().encode(text)];
  const bytes = [0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff];
  const characters = ["A", "\x7f", "\x80", "é", "\u07ff", "\u0800", "—", "日", "\ud7ff", "\ue000", "\uffff", "\u{10000}", "🦀", "\u{10ffff}", "plain ascii text"].map(encode);
  let seed = 7;
  const random = (n) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
  let refused = 0;
  for (let round = 0; round < 20000; round++) {
    // Any bytes (mostly refused), whole characters (all accepted), or characters with one
    // byte of any kind put among them.
    const line = [...encode("data: "), ...Array(1 + random(20)).fill(0x61)];
    const mode = round % 3;
    for (let n = random(24); n > 0; n--) line.push(...(mode === 0 ? [bytes[random(bytes.length)]] : characters[random(characters.length)]));
    if (mode === 2) line.splice(6 + random(line.length - 5), 0, bytes[random(bytes.length)]);
    let expected;
    try {
      expected = fatal.decode(new Uint8Array(line.slice(6)));
    } catch {
      expected = undefined;
    }
    const machine = new StreamMachine(false, 500);
    machine.poll();
    machine.connected();
    machine.poll();
    machine.bytes(new Uint8Array([...encode("event: m\n"), ...line, 0x0a, 0x0a]));
    const length = machine.poll();
    const [kind, text, error] = batch.decode(machine.batchAt(), length).split("\0");
    machine.free();
    const shown = line.map((b) => b.toString(16)).join(" ");
    if (expected === undefined) {
      refused++;
      assert.equal(kind, "malformed", shown);
      assert.match(error, /not valid UTF-8/, shown);
    } else {
      assert.equal(kind, "event", shown);
      assert.equal(text, expected, shown);
    }
  }
  assert.ok(refused > 5000 && refused < 15000, `${refused} of 20000 refused: both kinds are tried`);
});

test("big events come out as they went in, and a malformed one's text as it arrived", async () => {
  // From an event of 64 KiB on, the core hands JSON over as Latin-1 with its other
  // characters as \uXXXX escapes: every kind of character, at any place, must read the same;
  // JSON with \u escapes of its own, text outside Latin-1 throughout, and a small event
  // before keep the UTF-16 way.
  let seed = 5;
  const random = (n) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
  const parts = ["a", "plain words ", "é", "ÿ", "\u00a0", "\u0085", "\u009f", "—", "日本", "🦀", '"', "\\", "\n", "\u001b", "\\u00e9", "{[", "€"];
  // Mostly plain, as escapes are few in what goes the escaped way (at most one in 32 bytes).
  const filler = Array(20).fill("plain ascii words and numbers 0123456789 filling the line ");
  const text = (length, only = parts) => {
    let out = "";
    while (out.length < length) out += only[random(only.length)];
    return out;
  };
  const pad = "x".repeat(66_000);
  const events = [];
  for (let i = 0; i < 24; i++) {
    // Two in three hold neither a control character nor a backslash and a u, so no \u of
    // their own once stringified.
    const only = i % 3 ? parts.filter((part) => part !== "\u001b" && part !== "\\u00e9") : parts;
    events.push({ type: "agent.message", id: `sevt_big${i}`, content: [{ type: "text", text: text(70_000 + random(40_000), [...only, ...filler]) }], processed_at: `2026-01-01T00:00:${String(i).padStart(2, "0")}Z` });
    if (i % 5 === 4) events.push({ type: "agent.message", id: `sevt_small${i}`, content: [{ type: "text", text: text(40) }] });
    // Text outside Latin-1 throughout keeps the UTF-16 way: it must read the same too.
    if (i % 8 === 7) events.push({ type: "agent.message", id: `sevt_cyrillic${i}`, content: [{ type: "text", text: text(70_000, ["привет ", "日本語", "🦀"]) }] });
  }
  const broken = [
    `{"type":"agent.message","id":"sevt_cut","text":"— é ✓ ${pad}"`,
    `{"type":"agent.message","id":"sevt_slash","text":"\\— ${pad}"}`,
    `{"type":"agent.message","id":"sevt_own","text":"\\u2014 — ${pad}",}`,
  ];
  const frame = (data) => `event: agent.message\ndata: ${data}\n\n`;
  const end = frame('{"type":"session.status_terminated","id":"sevt_end"}');
  const bytes = new TextEncoder().encode([...events.map((event) => frame(JSON.stringify(event))), ...broken.map(frame), end].join(""));
  for (const size of [997, 16384, bytes.length]) {
    const seen = await streamed(bytes, size);
    assert.equal(seen.length, events.length + broken.length + 1, `chunks of ${size}`);
    seen.slice(0, events.length).forEach((event, i) => assert.deepEqual(event, events[i], `event ${i}, chunks of ${size}`));
    seen.slice(events.length, -1).forEach((item, i) => {
      assert.equal(item.type, "outrig.malformed_event", `broken ${i}`);
      assert.equal(item.raw, broken[i], `broken ${i}: its text as it arrived`);
    });
  }
  // The first big event went the escaped way (JSON of its own \\u escapes would not have).
  const machine = new StreamMachine(false, 500);
  machine.poll();
  machine.connected();
  machine.poll();
  machine.bytes(new TextEncoder().encode(frame(JSON.stringify(events[1]))));
  const length = machine.poll();
  const [kind, json] = batch.decode(machine.batchAt(), length).split("\0");
  machine.free();
  assert.ok(length > 0, "one-byte text");
  assert.equal(kind, "escaped");
  assert.deepEqual(JSON.parse(json), events[1]);
});

test("the core finds an event's id after strings full of escapes, at every alignment", () => {
  // The id is read by a scan that skips strings sixteen bytes at a time: an escape cut by a
  // block's end, or a run of backslashes, must not end a string early or late. An id read
  // right makes the second copy of each event a duplicate.
  const parts = ["a", "é", "\\\\", '\\"', "\\n", "\\u00e9", "{", "]", ","];
  let seed = 11;
  const random = (n) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
  const machine = new StreamMachine(false, 500);
  machine.poll();
  machine.connected();
  machine.poll();
  for (let round = 0; round < 3000; round++) {
    let text = "";
    for (let n = random(40); n > 0; n--) text += parts[random(parts.length)];
    const nested = round % 2 ? `{"t":["${text}",{"u":"${text}"}]}` : `"${text}"`;
    const frame = new TextEncoder().encode(`event: m\ndata: {"text":${nested},"type":"m","id":"sevt_${round}","processed_at":"2026-01-01T00:00:00Z"}\n\n`);
    machine.bytes(frame);
    machine.bytes(frame);
    const length = machine.poll();
    const fields = batch.decode(machine.batchAt(), length).split("\0");
    assert.deepEqual(fields.filter((field) => field === "event").length, 1, `round ${round}: ${text}`);
    assert.equal(JSON.parse(fields[1]).id, `sevt_${round}`);
  }
  machine.free();
});

test("an AbortSignal ends a stream", async () => {
  const session = await newSession();
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  await assert.rejects(async () => {
    for await (const _ of await client.sessions.events.stream(session.id, { signal: controller.signal })) {
      // nothing arrives; the abort ends the wait
    }
  }, APIUserAbortError);
});

test("the edge proxy survives bad requests, keeps upstream errors and the key to itself, and lets an authorized page send", async () => {
  const session = await newSession();
  // An upstream that echoes the request's headers in its error messages.
  const echoing = async (url, init) => {
    const auth = new Headers(init?.headers).get("authorization");
    return new Response(JSON.stringify({ type: "error", error: { type: "api_error", message: `boom, you sent ${auth}` } }), { status: 500 });
  };
  const authorize = (request) => request.headers.get("authorization") === "Bearer viewer";
  const viewer = { authorization: "Bearer viewer" };
  const leaky = createProxy({ apiKey: "sk-ant-secret", baseURL: emulator.baseUrl, authorize, fetch: echoing, prefix: "/api" });
  assert.equal((await leaky(new Request("http://edge/api/sessions/%E0%A4%A/events", { headers: viewer }))).status, 400, "a malformed escape is a 400, not a crash");
  assert.equal((await leaky(new Request(`http://edge/other/sessions/${session.id}/events`, { headers: viewer }))).status, 404, "the prefix is enforced");
  const failed = await leaky(new Request(`http://edge/api/sessions/${session.id}/events`, { headers: viewer }));
  const text = await failed.text();
  assert.equal(failed.status, 500);
  assert.ok(!text.includes("sk-ant-secret") && !text.includes("boom"), `no upstream message reaches the browser: ${text}`);
  assert.equal(failed.headers.get("access-control-allow-origin"), null, "no CORS unless allowed");

  const handle = createProxy({ apiKey: "sk-npm", baseURL: emulator.baseUrl, authorize, allowedOrigins: ["https://app.example"] });
  const preflight = await handle(new Request(`http://edge/sessions/${session.id}/events`, { method: "OPTIONS", headers: { origin: "https://app.example" } }));
  assert.equal(preflight.headers.get("access-control-allow-origin"), "https://app.example");
  const stranger = await handle(new Request(`http://edge/sessions/${session.id}/events`, { method: "OPTIONS", headers: { origin: "https://evil.example" } }));
  assert.equal(stranger.headers.get("access-control-allow-origin"), null);
  const post = (events, headers = viewer) => handle(new Request(`http://edge/sessions/${session.id}/events`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify({ events }) }));
  assert.equal((await post([{ type: "user.message", content: [{ type: "text", text: "from the page" }] }], {})).status, 403);
  assert.equal((await post([{ type: "system.message", content: [{ type: "text", text: "x" }] }])).status, 400, "only the allowed send types");
  const sent = await post([{ type: "user.message", content: [{ type: "text", text: "from the page" }] }]);
  assert.equal(sent.status, 200);
  assert.equal((await sent.json()).data[0].type, "user.message");
  // A running session cannot be deleted: wait for the turn the page started to end.
  const turnEnded = async () => {
    const events = [];
    for await (const event of client.sessions.events.list(session.id)) events.push(event.type);
    return events.includes("session.status_idle");
  };
  while (!(await turnEnded())) await new Promise((r) => setTimeout(r, 20));
  await client.sessions.delete(session.id);
  const gone = await handle(new Request(`http://edge/sessions/${session.id}/events`, { headers: viewer }));
  assert.equal(gone.status, 204, "a deleted session answers 204, so EventSource stops reconnecting");
  const server = await serveHandler(handle);
  try {
    const { EventSource } = await import("eventsource");
    const Viewer = class extends EventSource {
      constructor(url) {
        super(url, { fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, ...viewer } }) });
      }
    };
    const url = `http://127.0.0.1:${server.address().port}/sessions/${session.id}/events`;
    await assert.rejects(
      async () => { for await (const _ of eventSourceStream(url, { EventSourceImpl: Viewer })) { /* nothing arrives */ } },
      (error) => error.name === "APIConnectionError" && /session is gone/.test(error.message),
      "the browser-side stream ends instead of waiting forever",
    );
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test("the edge proxy serves EventSource streams, resumes after Last-Event-ID and refuses strangers", async () => {
  const session = await newSession();
  await client.sessions.events.send(session.id, { events: [{ type: "user.message", content: [{ type: "text", text: "hello" }] }] });
  const handle = createProxy({ apiKey: "sk-npm", baseURL: emulator.baseUrl, authorize: (request) => request.headers.get("authorization") === "Bearer viewer" || new URL(request.url).searchParams.get("token") === "viewer" });
  const denied = await handle(new Request(`http://edge/sessions/${session.id}/events`));
  assert.equal(denied.status, 403);
  const server = await serveHandler(handle);
  try {
    const url = `http://127.0.0.1:${server.address().port}/sessions/${session.id}/events?token=viewer`;
    const { EventSource } = await import("eventsource");
    const seen = [];
    for await (const event of eventSourceStream(url, { EventSourceImpl: EventSource })) {
      seen.push(event);
      if (event.type === "session.status_idle") break;
    }
    assert.equal(seen[0].type, "user.message");
    const resumed = [];
    const controller = new AbortController();
    const tail = await fetch(url, { headers: { "last-event-id": seen[1].id }, signal: controller.signal });
    const reader = tail.body.getReader();
    let text = "";
    while (!text.includes("session.status_idle")) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    for (const line of text.split("\n")) if (line.startsWith("data: ")) resumed.push(JSON.parse(line.slice(6)).id);
    assert.deepEqual(resumed, seen.slice(2).map((e) => e.id), "resumes right after Last-Event-ID");
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
