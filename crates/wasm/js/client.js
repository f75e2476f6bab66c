// The `outrig` client: fetch for requests and streams, EventSource for streams served by a
// proxy. Protocol decisions (SSE rules, retries, headers, query encoding, error classes)
// come from the wasm core; this file only moves bytes and speaks JavaScript.
import * as core from "./outrig_wasm.js";
import { ROUTES } from "./routes.js";
import { toolsCore } from "./tools-core.js";
import { batch } from "./batch.js";
export { createSessionMachine } from "./session.js";

const DEFAULT_BASE_URL = "https://api.anthropic.com";
/** Reconnect when a stream sends nothing (not even a ping) for this long, in ms. */
const STALL_TIMEOUT = 45_000;

/** An error answered by the API (or sent inside a stream). */
export { OutrigClaims, durableObjectClaims } from "./claims.js";
export class APIError extends Error {
  constructor(status, body, headers, message) {
    super(message ?? body?.error?.message ?? `API error${status ? ` ${status}` : ""}`);
    this.name = this.constructor.name;
    this.status = status;
    this.error = body?.error;
    this.type = body?.error?.type;
    this.errorCode = body?.error?.details?.error_code;
    this.requestID = body?.request_id ?? headers?.get?.("request-id") ?? undefined;
    this.headers = headers;
  }
}
export class BadRequestError extends APIError {}
export class AuthenticationError extends APIError {}
export class PaymentRequiredError extends APIError {}
export class PermissionDeniedError extends APIError {}
export class NotFoundError extends APIError {}
export class RequestTimeoutError extends APIError {}
export class ConflictError extends APIError {}
export class PreconditionFailedError extends APIError {}
export class ContentTooLargeError extends APIError {}
export class UnprocessableEntityError extends APIError {}
export class RateLimitError extends APIError {}
export class InternalServerError extends APIError {}
export class ServiceUnavailableError extends InternalServerError {}
export class GatewayTimeoutError extends InternalServerError {}
export class OverloadedError extends InternalServerError {}
/** The connection failed (after retries). */
export class APIConnectionError extends APIError {
  constructor(cause) {
    super(undefined, undefined, undefined, `Connection error: ${cause?.message ?? cause}`);
    this.cause = cause;
  }
}
/** No response (headers) within the request's `timeout` (after retries), as the SDKs name it. */
export class APIConnectionTimeoutError extends APIConnectionError {
  constructor(timeout) {
    super(new Error(`no response within ${timeout} ms`));
    this.message = "Request timed out.";
  }
}
/** The caller's AbortSignal fired. */
export class APIUserAbortError extends APIError {
  constructor() {
    super(undefined, undefined, undefined, "Request was aborted.");
  }
}

// In the order of the core's `ErrorClass`, whose place `errorClass` returns.
const CLASSES = [
  BadRequestError, AuthenticationError, PaymentRequiredError, PermissionDeniedError, NotFoundError,
  RequestTimeoutError, ConflictError, PreconditionFailedError, ContentTooLargeError,
  UnprocessableEntityError, RateLimitError, OverloadedError, ServiceUnavailableError,
  GatewayTimeoutError, InternalServerError, APIError,
];

function makeError(status, text, headers) {
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const Class = CLASSES[core.errorClass(status)] ?? APIError;
  return new Class(status, body, headers, body?.error?.message ?? (text ? text.slice(0, 500) : undefined));
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new APIUserAbortError());
    const onAbort = () => { clearTimeout(timer); reject(new APIUserAbortError()); };
    const timer = setTimeout(() => { signal?.removeEventListener("abort", onAbort); resolve(); }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Watches a stream body for stalls without a timer per read: one timer re-arms itself for
 * what is left of `stallTimeout` since the last chunk, and cancels the reader (so the
 * pending read ends) when nothing arrived for that long, or when `signal` aborts.
 */
function watchReader(reader, stallTimeout, signal) {
  let last = Date.now();
  let stalled = false;
  let timer;
  const check = () => {
    const idle = Date.now() - last;
    if (idle < stallTimeout) {
      timer = setTimeout(check, stallTimeout - idle);
      return;
    }
    stalled = true;
    reader.cancel().catch(() => {});
  };
  timer = setTimeout(check, stallTimeout);
  const onAbort = () => reader.cancel().catch(() => {});
  signal?.addEventListener("abort", onAbort, { once: true });
  return {
    touch: () => { last = Date.now(); },
    get stalled() { return stalled; },
    dispose: () => { clearTimeout(timer); signal?.removeEventListener("abort", onAbort); },
  };
}

function env(name) {
  try {
    return globalThis.process?.env?.[name] ?? globalThis.Deno?.env?.get?.(name);
  } catch {
    return undefined;
  }
}

/** The values of the headers the core's retry policy reads, NUL-joined (no header value holds a NUL). */
const retryHeaderValues = (headers) => core.retryHeaders().split("\0").map((name) => headers.get(name) ?? "").join("\0");

/** The query as `key\0value\0…` for the core's `encodeQuery`. */
function queryPairs(query = {}) {
  const pairs = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) pairs.push(`${key}[]`, String(item));
    else pairs.push(key, String(value));
  }
  if (pairs.some((field) => field.includes("\0"))) throw new TypeError("a query key or value contains a NUL character");
  return pairs.join("\0");
}

const seg = (id, name) => {
  if (typeof id !== "string" || id === "") throw new Error(`Expected a non-empty value for \`${name}\``);
  return encodeURIComponent(id);
};

/** A route's path with `ids` filled in order, each checked and encoded. */
const fill = (path, ids) => {
  let i = 0;
  return path.replace(/\{([a-z_]+)\}/g, (_, name) => seg(ids[i++], name));
};

/** The endpoint a concrete request is; fixed segments win over ids (`work/poll`). */
function routeOf(method, path) {
  const parts = path.split("?")[0].split("/");
  let best;
  let fewest = Infinity;
  for (const route of ROUTES) {
    if (route[1] !== method) continue;
    const template = route[2].split("/");
    if (template.length !== parts.length) continue;
    if (!template.every((t, i) => (t.startsWith("{") ? parts[i] !== "" : t === parts[i]))) continue;
    const ids = template.filter((t) => t.startsWith("{")).length;
    if (ids < fewest) [best, fewest] = [route, ids];
  }
  return best;
}

/**
 * A JSON answer as a promise of its data, with the SDKs' `withResponse()` (the data, the raw
 * `Response` and its request id) and `asResponse()`.
 */
function apiPromise(responsePromise) {
  const data = responsePromise.then((response) => response.json());
  return Object.assign(data, {
    withResponse: () => Promise.all([data, responsePromise]).then(([value, response]) => ({ data: value, response, request_id: response.headers.get("request-id") })),
    asResponse: () => responsePromise,
  });
}

/** A multipart body for an upload: `files` (File/Blob or `{name, data}`) and text fields. */
function uploadForm({ files = [], ...fields } = {}) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) if (value !== undefined && value !== null) form.append(key, String(value));
  for (const file of files) {
    if (typeof Blob !== "undefined" && file instanceof Blob) form.append("files", file, file.name);
    else form.append("files", new Blob([file.data]), file.name);
  }
  return form;
}

/** Nothing follows these events: the stream ends after them (the core decides which). */
const endsSession = (event) => core.endsSession(event.type);

/** Whether this version knows the event's type (the core's list of 44, or a malformed message). */
export const isKnownEvent = (event) => event?.type === "outrig.malformed_event" || core.isKnownEventType(String(event?.type));

/** A stream message whose data is not JSON: delivered, not fatal; the stream goes on. */
const malformed = (raw, error) => ({ type: "outrig.malformed_event", raw, error });

/**
 * A promise of the first page that is also an async iterable over every item of every
 * page (iteration reuses the first page). Pages follow `next_page`, or with `byId` (the
 * organization lists) `after_id = last_id` while `has_more`.
 */
function pagePromise(client, path, query, options, byId = false) {
  const first = client.request("GET", path, { ...options, query }).then((r) => r.json());
  const next = (body) => (byId ? body.has_more && body.last_id && { after_id: body.last_id } : body.next_page && { page: body.next_page });
  first[Symbol.asyncIterator] = async function* () {
    let body = await first;
    for (;;) {
      yield* body.data ?? [];
      const cursor = next(body);
      if (!cursor) return;
      body = await client.request("GET", path, { ...options, query: { ...query, ...cursor } }).then((r) => r.json());
    }
  };
  return first;
}

/**
 * A webhook endpoint that answers custom tool calls with JavaScript functions, for workerd,
 * Deno and Node (any `fetch`-style server). It verifies each delivery's Standard Webhooks
 * signature with the wasm core (401 otherwise, nothing done); on `session.requires_action`
 * it reads the session once and answers each awaited call it has a function for. With
 * several instances, pass `claim(callId)` backed by shared storage (`durableObjectClaims`,
 * or your own database): a call runs only where it resolves `true` or `"won"`; one that
 * resolves `"expired"` (its holder died while running it) is answered with an error, not
 * run again.
 */
export function createToolWebhook({ webhookSecret, apiKey, baseURL, tools, claim, fetch: fetchImpl, toleranceSecs = 300 }) {
  const client = new Outrig({ apiKey, baseURL, fetch: fetchImpl, dangerouslyAllowBrowser: true });
  const types = { 401: "authentication_error", 503: "api_error" };
  const refuse = (status, message) => new Response(JSON.stringify({ type: "error", error: { type: types[status] ?? "invalid_request_error", message } }), { status, headers: { "content-type": "application/json" } });
  return async (request) => {
    if (request.method !== "POST") return refuse(405, "POST webhook deliveries here");
    const body = new Uint8Array(await request.arrayBuffer());
    const header = (name) => request.headers.get(name) ?? undefined;
    const core = await toolsCore();
    try {
      core.verifyWebhook(webhookSecret, header("webhook-id"), header("webhook-timestamp"), header("webhook-signature"), body, Date.now() / 1000, toleranceSecs);
    } catch (error) {
      return refuse(401, `webhook refused: ${error.message}`);
    }
    let event;
    try {
      event = JSON.parse(new TextDecoder().decode(body));
    } catch {
      return refuse(400, "the body is not JSON");
    }
    if (event?.data?.type !== "session.requires_action") return new Response(null, { status: 204 });
    const sessionId = event.data.id;
    try {
      return Response.json({ answered: await core.answerPending(client, core, sessionId, tools, claim) });
    } catch (error) {
      // The API could not be read or written (unreachable, 5xx after retries): the sender
      // delivers the webhook again, and nothing was lost.
      return refuse(503, `cannot process the delivery now: ${error.message}`);
    }
  };
}

/** The client. */
export class Outrig {
  /**
   * @param {import("./outrig").ClientOptions} [options]
   */
  constructor({ apiKey, authToken, baseURL, maxRetries = 2, timeout = 600_000, betas = [], workspaceId, dangerouslyAllowBrowser = false, fetch: fetchImpl } = {}) {
    // One credential, sent as `Authorization: Bearer` whichever kind it is.
    this.apiKey = apiKey ?? authToken ?? env("ANTHROPIC_API_KEY") ?? env("ANTHROPIC_AUTH_TOKEN");
    this.baseURL = (baseURL ?? env("ANTHROPIC_BASE_URL") ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
    this.maxRetries = maxRetries;
    this.timeout = timeout;
    this.betas = betas;
    this.workspaceId = workspaceId;
    // Headers cross into the core NUL-separated; no valid header value holds a NUL.
    if ([this.apiKey, workspaceId, ...betas].some((value) => typeof value === "string" && value.includes("\0"))) {
      throw new TypeError("the API key, workspace id or a beta contains a NUL character");
    }
    this.dangerouslyAllowBrowser = dangerouslyAllowBrowser;
    this.fetch = fetchImpl ?? globalThis.fetch.bind(globalThis);
    const inBrowser = typeof window !== "undefined" && typeof window.document !== "undefined";
    if (inBrowser && this.apiKey && !dangerouslyAllowBrowser) {
      throw new Error("Refusing to send an API key from a browser: pass dangerouslyAllowBrowser: true, or use createProxy on a server.");
    }
    Object.defineProperty(this, "apiKey", { enumerable: false });
    // The stream is hand-written (it is resumable); every other method comes from the route table.
    this.sessions = {
      events: {
        stream: (id, options) => this.#openStream(id, options),
        runTools: (id, options) => this.#runTools(id, options),
      },
    };
    this.#installRoutes();
  }

  /**
   * Every endpoint of the route table that has no hand-written method, as
   * `resource.method(...pathIds, paramsOrQuery?, options?)` (the SDKs' argument order).
   */
  #installRoutes() {
    for (const [name, method, path, beta, body, answer] of ROUTES) {
      const keys = name.split(".");
      const leaf = keys.pop();
      let node = this;
      for (const key of keys) node = node[key] ??= {};
      if (node[leaf]) continue;
      const count = (path.match(/\{/g) ?? []).length;
      node[leaf] = (...args) => {
        const url = fill(path, args.slice(0, count));
        const [params, options] = [args[count], { ...args[count + 1], beta }];
        if (answer === "page" || answer === "idpage") return pagePromise(this, url, params, options, answer === "idpage");
        if (body === "multipart") return apiPromise(this.request(method, url, { ...options, form: uploadForm(params) }));
        const init = body === "json" ? { ...options, body: params ?? {} } : { ...options, query: params };
        if (answer === "bytes" || answer === "stream") return this.request(method, url, { ...init, stream: answer === "stream" });
        return apiPromise(this.request(method, url, init));
      };
    }
  }

  /** One request with the SDK retry policy; resolves to a successful Response. */
  async request(method, path, options = {}) {
    const { query, body, form, signal, headers: extraHeaders, timeout = this.timeout, stream = false } = options;
    // `stream`: a connection failure is left to the caller's reconnect loop.
    const url = this.baseURL + path + core.encodeQuery(queryPairs(query));
    // The route table's methods name their beta; a raw request gets its endpoint's.
    const beta = options.beta !== undefined ? options.beta : routeOf(method, path)?.[3];
    for (let retries = 0; ; retries++) {
      const flat = core.requestHeaders(this.apiKey, this.betas.join("\0"), this.workspaceId, this.dangerouslyAllowBrowser, beta ?? undefined, retries).split("\0");
      const headers = {};
      for (let i = 0; i < flat.length; i += 2) headers[flat[i]] = flat[i + 1];
      if (body !== undefined) headers["content-type"] = "application/json";
      // Per-request headers (e.g. a trace id) go last; names are case-insensitive.
      for (const [name, value] of Object.entries(extraHeaders ?? {})) if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
      const controller = new AbortController();
      const abort = () => controller.abort();
      signal?.addEventListener("abort", abort, { once: true });
      // Until the response headers arrive; a stream's body is watched by its stall timeout.
      let timedOut = false;
      const timer = setTimeout(() => { timedOut = true; abort(); }, timeout);
      let response;
      try {
        const payload = form ?? (body === undefined ? undefined : JSON.stringify(body));
        response = await this.fetch(url, { method, headers, body: payload, signal: controller.signal });
      } catch (error) {
        if (signal?.aborted) throw new APIUserAbortError();
        const failure = timedOut ? new APIConnectionTimeoutError(timeout) : new APIConnectionError(error);
        if (stream) throw failure;
        const delay = core.retryDelay(retries, this.maxRetries, undefined, "");
        if (delay === undefined) throw failure;
        await sleep(delay * 1000, signal);
        continue;
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener("abort", abort);
      }
      if (response.ok) return response;
      const delay = core.retryDelay(retries, this.maxRetries, response.status, retryHeaderValues(response.headers));
      if (delay === undefined) throw makeError(response.status, await response.text(), response.headers);
      await response.body?.cancel();
      await sleep(delay * 1000, signal);
    }
  }

  /**
   * Answers a session's custom tool calls with JavaScript functions, on the resumable
   * stream, until the turn ends (or, with `until: "session"`, the session does). A function
   * gets the call's input and returns a string, a JSON value or content blocks; a throw is
   * sent as an `is_error` result with its message. Calls to tools not in `tools` are left
   * for another client. Resolves to what was answered.
   */
  async #runTools(sessionId, options) {
    const core = await toolsCore();
    return core.runTools(this, (id, streamOptions) => this.#openStream(id, streamOptions), core, sessionId, options);
  }

  /** Opens the first connection, then hands over the iterator (as the SDKs do). */
  async #openStream(sessionId, options = {}) {
    const machine = new core.StreamMachine(options.backfill ?? false, 500);
    machine.poll(); // "connect"
    let response;
    try {
      response = await this.#connect(sessionId, options);
    } catch (error) {
      machine.free();
      throw error;
    }
    machine.connected();
    const io = {
      connect: () => this.#connect(sessionId, options),
      list: (since) => this.sessions.events.list(sessionId, { limit: 1000, "created_at[gte]": since }, { signal: options.signal }),
    };
    return new EventStream(io, options, machine, response.body.getReader());
  }

  /** One connection to a session's stream; the stall timeout also bounds its response head. */
  #connect(sessionId, { signal, eventDeltas, stallTimeout = STALL_TIMEOUT }) {
    const [, method, template, beta] = ROUTES.find((route) => route[0] === "sessions.events.stream");
    return this.request(method, fill(template, [sessionId]), { query: { event_deltas: eventDeltas }, signal, stream: true, timeout: stallTimeout, beta });
  }

}

/**
 * Follows an EventSource-compatible stream served by `createProxy` (EventSource cannot send
 * headers, so the proxy holds the key). The browser resumes with Last-Event-ID by itself;
 * events are still de-duplicated by id.
 */
export async function* eventSourceStream(url, { signal, EventSourceImpl = globalThis.EventSource } = {}) {
  if (!EventSourceImpl) throw new Error("No EventSource in this runtime; pass EventSourceImpl (e.g. from the `eventsource` package).");
  const source = new EventSourceImpl(url);
  const queue = [];
  let wake;
  let failure;
  const notify = () => { wake?.(); wake = undefined; };
  source.onmessage = (message) => { queue.push(JSON.parse(message.data)); notify(); };
  source.addEventListener("outrig-error", (message) => {
    let status;
    try {
      status = JSON.parse(message.data).status;
    } catch {
      status = undefined;
    }
    failure = makeError(status, message.data);
    notify();
  });
  // EventSource gives up for good on a non-200 answer (the proxy's 204 for a deleted
  // session, a 403): end with an error instead of waiting forever.
  source.onerror = () => {
    if (source.readyState !== 2 || failure) return;
    failure = new APIConnectionError(new Error("the proxy ended the stream: the session is gone, or access was refused"));
    notify();
  };
  const onAbort = () => { failure = new APIUserAbortError(); notify(); };
  signal?.addEventListener("abort", onAbort, { once: true });
  const seen = new Set();
  try {
    for (;;) {
      while (queue.length) {
        const event = queue.shift();
        if (event.id !== undefined && seen.has(event.id)) continue;
        seen.add(event.id);
        yield event;
        if (endsSession(event)) return;
      }
      if (failure) throw failure;
      await new Promise((resolve) => { wake = resolve; });
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    source.close();
  }
}

/** What a browser may send through the proxy, unless `sendTypes` says otherwise. */
const DEFAULT_SEND_TYPES = ["user.message", "user.interrupt", "user.custom_tool_result", "user.tool_confirmation"];

/**
 * An error for the browser: its status, type and request id, never the upstream message
 * (which may quote request headers, and so the key).
 */
function proxiedError(error) {
  const status = error instanceof APIError ? error.status : undefined;
  const type = (error instanceof APIError && error.type) || (status === undefined ? "api_connection_error" : "api_error");
  const requestId = error instanceof APIError ? error.requestID : undefined;
  return { type: "error", status, error: { type, message: `upstream ${status ?? "connection"} error (${type})` }, request_id: requestId };
}

/**
 * An edge handler (workerd, Deno, Node) that holds the API key and re-serves a session's
 * events to browsers as an EventSource stream at `GET {prefix}/sessions/{id}/events`,
 * resuming after `Last-Event-ID`, and passes the browser's `POST` of events there (only
 * `sendTypes`). `authorize(request, sessionId)` must return true for either. CORS answers
 * only `allowedOrigins` (default: none, i.e. same-origin pages). Upstream errors reach the
 * browser as status, type and request id only. A session that no longer exists is
 * answered 204, which stops an EventSource from reconnecting.
 */
export function createProxy({ apiKey, baseURL, authorize, prefix = "", allowedOrigins = [], sendTypes = DEFAULT_SEND_TYPES, fetch: fetchImpl }) {
  if (typeof authorize !== "function") throw new Error("createProxy needs an authorize(request, sessionId) function");
  const client = new Outrig({ apiKey, baseURL, fetch: fetchImpl });
  const corsFor = (request) => {
    const origin = request.headers.get("origin");
    const allowed = allowedOrigins.includes("*") ? "*" : origin && allowedOrigins.includes(origin) ? origin : undefined;
    if (!allowed) return {};
    return { "access-control-allow-origin": allowed, "access-control-allow-headers": "last-event-id, authorization, content-type", "access-control-allow-methods": "GET, POST", vary: "origin" };
  };
  const json = (status, body, cors) => new Response(JSON.stringify(body), { status, headers: { ...cors, "content-type": "application/json" } });
  return async function handle(request) {
    const cors = corsFor(request);
    const plain = (status, text) => new Response(text, { status, headers: cors });
    let url;
    try {
      url = new URL(request.url);
    } catch {
      return plain(400, "bad request");
    }
    if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: cors });
    if (!url.pathname.startsWith(prefix)) return plain(404, "not found");
    const match = url.pathname.slice(prefix.length).match(/^\/sessions\/([^/]+)\/events$/);
    if (!match || (request.method !== "GET" && request.method !== "POST")) return plain(404, "not found");
    let sessionId;
    try {
      sessionId = decodeURIComponent(match[1]);
    } catch {
      return plain(400, "bad session id");
    }
    let allowed = false;
    try {
      allowed = await authorize(request, sessionId);
    } catch {
      allowed = false;
    }
    if (!allowed) return plain(403, "forbidden");
    if (request.method === "POST") {
      let events;
      try {
        ({ events } = await request.json());
      } catch {
        return json(400, { type: "error", error: { type: "invalid_request_error", message: "the body must be JSON: {\"events\": [...]}" } }, cors);
      }
      const refused = Array.isArray(events) ? events.find((e) => !sendTypes.includes(e?.type)) : {};
      if (refused) {
        return json(400, { type: "error", error: { type: "invalid_request_error", message: `this proxy sends only ${sendTypes.join(", ")}` } }, cors);
      }
      try {
        return json(200, await client.sessions.events.send(sessionId, { events }), cors);
      } catch (error) {
        const body = proxiedError(error);
        return json(body.status ?? 502, body, cors);
      }
    }
    try {
      await client.sessions.retrieve(sessionId);
    } catch (error) {
      if (error instanceof NotFoundError) return new Response(null, { status: 204, headers: cors });
      const body = proxiedError(error);
      return json(body.status ?? 502, body, cors);
    }
    const lastId = request.headers.get("last-event-id") ?? url.searchParams.get("lastEventId");
    const encoder = new TextEncoder();
    // Stop following the session when the browser goes away.
    const upstream = new AbortController();
    request.signal?.addEventListener("abort", () => upstream.abort(), { once: true });
    const body = new ReadableStream({
      cancel() {
        upstream.abort();
      },
      async start(controller) {
        const send = (text) => controller.enqueue(encoder.encode(text));
        send(": outrig proxy\nretry: 1000\n\n");
        try {
          // Resume after Last-Event-ID only if it names an event of this session.
          let skipping = false;
          if (lastId) {
            for await (const event of client.sessions.events.list(sessionId, { limit: 1000 })) skipping ||= event.id === lastId;
          }
          for await (const event of await client.sessions.events.stream(sessionId, { backfill: true, signal: upstream.signal })) {
            if (skipping) {
              if (event.id === lastId) skipping = false;
              continue;
            }
            send(`${event.id ? `id: ${event.id}\n` : ""}data: ${JSON.stringify(event)}\n\n`);
          }
        } catch (error) {
          if (upstream.signal.aborted) return;
          send(`event: outrig-error\ndata: ${JSON.stringify(proxiedError(error))}\n\n`);
        }
        controller.close();
      },
    });
    return new Response(body, { headers: { ...cors, "content-type": "text/event-stream", "cache-control": "no-cache" } });
  };
}

const CONNECT = ["connect"];
const READ = ["read"];

/**
 * A session's events as an async iterator that survives drops, stalls and malformed
 * events. Every decision (reconnect, backoff, backfill cursor, de-duplication, when to
 * give up) is the core's `StreamMachine`; this only performs the I/O it asks for. Each
 * chunk's events are parsed together and handed out from a queue, one settled promise per
 * event; the next chunk is read only when the queue is empty.
 */
class EventStream {
  #io;
  #options;
  #machine;
  #reader;
  #watch;
  #lastError;
  #queue = [];
  #head = 0;
  #action;
  #done = false;
  #failure;
  #filling;
  #closed = false;

  constructor(io, options, machine, reader) {
    this.#io = io;
    this.#options = options;
    this.#machine = machine;
    this.#reader = reader;
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  /** Whether events already received wait to be handed out. */
  get queued() {
    return this.#head < this.#queue.length;
  }

  next() {
    if (this.#head < this.#queue.length) return Promise.resolve({ value: this.#take(), done: false });
    if (this.#failure) {
      const failure = this.#failure;
      this.#failure = undefined;
      this.#close();
      return Promise.reject(failure);
    }
    if (this.#done) {
      this.#close();
      return Promise.resolve({ value: undefined, done: true });
    }
    this.#filling ??= this.#fill().then(
      () => { this.#filling = undefined; },
      (error) => { this.#filling = undefined; this.#fail(error); },
    );
    return this.#filling.then(() => this.next());
  }

  /** Ends the stream (a `break` out of `for await` calls this). */
  async return() {
    this.#done = true;
    this.#queue = [];
    this.#head = 0;
    this.#release(); // a pending read ends now
    await this.#filling;
    this.#close();
    return { value: undefined, done: true };
  }

  async throw(error) {
    await this.return();
    throw error;
  }

  #take() {
    const value = this.#queue[this.#head++];
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    }
    return value;
  }

  #fail(error) {
    this.#done = true;
    this.#failure = error;
    this.#release();
  }

  #release() {
    this.#watch?.dispose();
    this.#watch = undefined;
    this.#reader?.cancel().catch(() => {});
    this.#reader = undefined;
  }

  #close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#release();
    this.#machine.free();
  }

  /** A failed request's status for the machine; a user abort ends the stream instead. */
  #failed(error) {
    if (error instanceof APIUserAbortError || this.#options.signal?.aborted) throw error;
    this.#lastError = error;
    return error instanceof APIError ? error.status : undefined;
  }

  /** Drives the machine until an event is queued or the stream ends. */
  async #fill() {
    const machine = this.#machine;
    while (this.#head === this.#queue.length && !this.#done) {
      if (this.#action) {
        const action = this.#action;
        this.#action = undefined;
        await this.#perform(action);
        if (this.#done) return;
      }
      const length = machine.poll();
      const actions = length ? batch.fields(batch.decode(machine.batchAt(), length), machine.fieldsAt()) : [];
      for (let i = 0; i < actions.length; ) {
        const kind = actions[i++];
        switch (kind) {
          case "event":
          case "escaped": {
            // Already accepted by the machine (it read the id from the text).
            const text = actions[i++];
            try {
              this.#queue.push(JSON.parse(text));
            } catch (error) {
              // The text as it arrived: an escaped one's `\u` escapes are all the core's.
              const raw = kind === "event" ? text : text.replace(/\\u(....)/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
              machine.reject(raw);
              this.#queue.push(malformed(raw, String(error)));
            }
            break;
          }
          case "malformed":
            this.#queue.push(malformed(actions[i++], actions[i++]));
            break;
          case "give_up_status":
            throw this.#lastError;
          case "give_up_error":
            throw makeError(undefined, actions[i++]);
          case "finished":
            this.#done = true;
            this.#release();
            return;
          case "backfill":
            this.#action = ["backfill", actions[i++] || undefined];
            break;
          case "wait":
            this.#action = ["wait", Number(actions[i++])];
            break;
          default: // "connect"
            this.#action = CONNECT;
        }
      }
      this.#action ??= READ; // a batch without a last action asks to read on
    }
  }

  async #perform([kind, argument]) {
    const machine = this.#machine;
    const { signal, stallTimeout = STALL_TIMEOUT } = this.#options;
    switch (kind) {
      case "connect":
        try {
          this.#reader = (await this.#io.connect()).body.getReader();
          machine.connected();
        } catch (error) {
          machine.connectFailed(this.#failed(error));
        }
        return;
      case "backfill":
        try {
          for await (const event of this.#io.list(argument)) {
            const fresh = machine.accept(event.id, event.processed_at ?? undefined, event.type);
            if (fresh) this.#queue.push(event);
            if (fresh === 2) {
              this.#done = true;
              this.#release();
              return;
            }
          }
          machine.backfilled();
        } catch (error) {
          machine.backfillFailed(this.#failed(error));
        }
        return;
      case "wait":
        await sleep(argument, signal);
        machine.waited();
        return;
      case "read": {
        this.#watch ??= watchReader(this.#reader, stallTimeout, signal);
        let chunk;
        try {
          chunk = await this.#reader.read();
        } catch {
          chunk = "failed";
        }
        if (this.#done) return; // ended by `return()` meanwhile
        if (signal?.aborted) throw new APIUserAbortError();
        if (this.#watch.stalled) {
          this.#release();
          machine.stalled();
        } else if (chunk === "failed") {
          this.#release();
          machine.readFailed();
        } else if (chunk.done) {
          this.#release();
          machine.closed();
        } else {
          this.#watch.touch();
          machine.bytes(chunk.value);
        }
      }
    }
  }
}
