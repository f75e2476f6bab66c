// `wasi:http` at the edge. In a JSPI build with a network grant, a plugin's outgoing
// requests go out through `fetch`, each checked first by the native host's rule (the core's
// `NetworkRule`: the origin must be granted; a host that is an address, or `localhost`,
// must be public unless `allow_private`; names are resolved by the runtime, out of the
// runner's sight). Redirects are never followed; the wait for the response headers is
// bounded by `http_connect_timeout_ms`, the bytes of all responses of one call together by
// `http_response_bytes`, and everything by the call's deadline. Otherwise every request is
// refused (`HTTP-request-denied`), as before.

/**
 * The `wasi:http/types` and `wasi:http/outgoing-handler` imports for one instance, built on
 * the instance's `wasi:io` classes. `network` is a `NetworkRule`, or undefined to refuse all.
 */
export function httpImports({ call, host, Unreachable, Pollable, InputStream, OutputStream, network, limits }) {
  class Fields {
    constructor() {
      this.list = [];
    }
    static fromList(entries) {
      const fields = new Fields();
      fields.list = entries.map(([name, value]) => [name.toLowerCase(), value]);
      return fields;
    }
    get(name) {
      return this.list.filter(([n]) => n === name.toLowerCase()).map(([, v]) => v);
    }
    has(name) {
      return this.get(name).length > 0;
    }
    set(name, values) {
      this.delete(name);
      for (const value of values) this.append(name, value);
    }
    delete(name) {
      this.list = this.list.filter(([n]) => n !== name.toLowerCase());
    }
    append(name, value) {
      this.list.push([name.toLowerCase(), value]);
    }
    entries() {
      return this.list.slice();
    }
    clone() {
      return Fields.fromList(this.list);
    }
  }
  class OutgoingBody {
    constructor(request) {
      this.request = request;
      this.chunks = [];
      this.stream = undefined;
    }
    write() {
      this.stream ??= new OutputStream("http-body", this);
      return this.stream;
    }
    static finish(body) {
      call.check();
      body.request.finished = true;
      body.request.sent?.begin();
    }
  }
  class OutgoingRequest {
    constructor(headers) {
      this.fields = headers;
      this.parts = { method: { tag: "get" }, scheme: undefined, authority: undefined, pathWithQuery: undefined };
      this.outgoing = undefined;
      this.finished = false;
      this.sent = undefined;
    }
    body() {
      this.outgoing ??= new OutgoingBody(this);
      return this.outgoing;
    }
    headers() {
      return this.fields;
    }
    method() {
      return this.parts.method;
    }
    setMethod(method) {
      this.parts.method = method;
    }
    scheme() {
      return this.parts.scheme;
    }
    setScheme(scheme) {
      this.parts.scheme = scheme;
    }
    authority() {
      return this.parts.authority;
    }
    setAuthority(authority) {
      this.parts.authority = authority;
    }
    pathWithQuery() {
      return this.parts.pathWithQuery;
    }
    setPathWithQuery(path) {
      this.parts.pathWithQuery = path;
    }
  }
  class RequestOptions {
    connectTimeout() {}
    setConnectTimeout() {}
    firstByteTimeout() {}
    setFirstByteTimeout() {}
    betweenBytesTimeout() {}
    setBetweenBytesTimeout() {}
  }
  /** A response on its way: `fetch` starts once the request's body is finished (or never asked for). */
  class FutureIncomingResponse {
    constructor(request, url) {
      this.request = request;
      this.url = url;
      this.outcome = undefined;
      this.started = new Promise((resolve) => (this.begin = resolve));
      this.done = this.started.then(() => send(request, url)).then((outcome) => (this.outcome = outcome));
      this.taken = false;
    }
    subscribe() {
      return new Pollable(0, () => this.done);
    }
    get() {
      call.check();
      if (this.outcome === undefined) return undefined;
      if (this.taken) return { tag: "err", val: undefined };
      this.taken = true;
      return { tag: "ok", val: this.outcome };
    }
  }
  class IncomingResponse {
    constructor(response) {
      this.response = response;
      this.body = undefined;
    }
    status() {
      return this.response.status;
    }
    headers() {
      const encoder = new TextEncoder();
      return Fields.fromList([...this.response.headers].map(([name, value]) => [name, encoder.encode(value)]));
    }
    consume() {
      if (this.body) throw undefined;
      this.body = new IncomingBody(this.response);
      return this.body;
    }
  }
  class IncomingBody {
    constructor(response) {
      this.response = response;
      this.opened = undefined;
    }
    stream() {
      if (this.opened) throw undefined;
      this.opened = new InputStream(cappedReader(this.response.body));
      return this.opened;
    }
    static finish() {
      return new FutureTrailers();
    }
  }
  class FutureTrailers {
    subscribe() {
      return new Pollable();
    }
    get() {
      return { tag: "ok", val: { tag: "ok", val: undefined } };
    }
  }
  /** Reads a body, counting its bytes against the call's budget for all responses. */
  const cappedReader = (body) => {
    const reader = body?.getReader();
    return {
      async next() {
        if (!reader) return null;
        const { done, value } = await reader.read();
        if (done) return null;
        call.httpBytes = (call.httpBytes ?? 0) + value.length;
        if (call.httpBytes > limits.http_response_bytes) {
          reader.cancel().catch(() => {});
          throw new Error(`the HTTP responses of this call passed the ${limits.http_response_bytes}-byte limit`);
        }
        return value;
      },
    };
  };
  /** Sends the checked request; resolves to an `incoming-response` result. */
  const send = async (request, url) => {
    const body = request.outgoing ? concatAll(request.outgoing.chunks) : undefined;
    const method = request.parts.method.tag === "other" ? request.parts.method.val : request.parts.method.tag.toUpperCase();
    const decoder = new TextDecoder();
    const init = {
      method,
      headers: request.fields.list.map(([name, value]) => [name, decoder.decode(value)]),
      body: body && body.length > 0 && method !== "GET" && method !== "HEAD" ? body : undefined,
      redirect: "manual",
      signal: call.abort.signal,
    };
    let prepared;
    try {
      // Never the page's cookies or credentials; workerd has no `credentials` and refuses it.
      prepared = new Request(url, { ...init, credentials: "omit" });
    } catch {
      prepared = new Request(url, init);
    }
    let timer;
    const slow = new Promise((_, reject) => {
      timer = setTimeout(() => reject({ tag: "connection-timeout" }), limits.http_connect_timeout_ms);
    });
    try {
      const response = await Promise.race([fetch(prepared), slow]);
      if (response.type === "opaqueredirect") {
        call.log("warn", `${url}: answered with a redirect, which is never followed (the browser hides where to)`, "host");
        return { tag: "err", val: { tag: "HTTP-protocol-error" } };
      }
      return { tag: "ok", val: new IncomingResponse(response) };
    } catch (error) {
      if (error?.tag) return { tag: "err", val: error };
      if (call.cancelled()) return { tag: "err", val: { tag: "internal-error", val: "the call ended" } };
      return { tag: "err", val: { tag: "internal-error", val: `fetch failed: ${error?.message ?? error}` } };
    } finally {
      clearTimeout(timer);
    }
  };
  const handle = (request) => {
    call.check();
    const scheme = request.parts.scheme;
    const schemeName = !scheme ? "https" : scheme.tag === "other" ? scheme.val.toLowerCase() : scheme.tag.toLowerCase();
    let url;
    try {
      url = new URL(`${schemeName}://${request.parts.authority ?? ""}${request.parts.pathWithQuery ?? "/"}`);
    } catch {
      throw { tag: "HTTP-request-URI-invalid" };
    }
    const port = url.port ? Number(url.port) : schemeName === "https" ? 443 : 80;
    const origin = `${schemeName}://${url.hostname}:${port}`;
    if (!network) {
      call.log("warn", `refused an HTTP request to ${origin}: this build cannot make requests (load the JSPI build, NAME.jspi.js, with a network grant)`, "host");
      throw { tag: "HTTP-request-denied" };
    }
    const why = schemeName === "http" || schemeName === "https" ? network.refuses(schemeName, url.hostname, port) : "only http and https are supported";
    if (why !== undefined) {
      call.log("warn", `refused an HTTP request to ${origin}: ${why}`, "host");
      throw { tag: why.includes("private") ? "destination-IP-prohibited" : "HTTP-request-denied" };
    }
    const future = new FutureIncomingResponse(request, url.href);
    request.sent = future;
    if (!request.outgoing || request.finished) future.begin();
    return future;
  };
  return {
    "wasi:http/types": {
      Fields,
      OutgoingRequest,
      OutgoingBody,
      RequestOptions,
      FutureIncomingResponse,
      IncomingResponse,
      IncomingBody,
      FutureTrailers,
      IncomingRequest: Unreachable,
      OutgoingResponse: Unreachable,
      ResponseOutparam: Unreachable,
      httpErrorCode: host(() => undefined),
    },
    "wasi:http/outgoing-handler": { handle },
  };
}

function concatAll(chunks) {
  const joined = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    joined.set(chunk, at);
    at += chunk.length;
  }
  return joined;
}
