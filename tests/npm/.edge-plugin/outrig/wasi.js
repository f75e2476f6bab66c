// The WASI a plugin sees at the edge: nothing by default, as in the native host. No
// preopened directories, no sockets, every HTTP request refused, stdin empty, stdout and
// stderr captured as the call's logs, only the environment variables granted. Every host
// call checks the call's deadline, so a plugin that calls the host at all is stopped there;
// one that computes without calling the host runs until the environment stops it.

/** A trap: the guest is stopped (jco rethrows `Error`s instead of returning them). */
export class Trap extends Error {}

/**
 * The imports for one plugin instance, keyed as jco's `--instantiation async` output asks
 * for them. `call` is the call in progress: `{ check(), log(level, text), cancelled() }`.
 */
export function wasiImports({ env, call }) {
  const host = (fn) => (...args) => {
    call.check();
    return fn(...args);
  };
  class IoError {
    constructor(message) {
      this.message = message;
    }
    toDebugString() {
      return this.message;
    }
  }
  class Pollable {
    constructor(readyAt = 0) {
      this.readyAt = readyAt;
    }
    ready() {
      return performance.now() >= this.readyAt;
    }
    block() {
      // A synchronous wait: spin on the clock, stopping at the call's deadline. Where the
      // clock stands still during a call (workerd), the wait is over at once.
      let last = performance.now();
      for (let still = 0; !this.ready() && still < 1e5; ) {
        call.check();
        const now = performance.now();
        still = now === last ? still + 1 : 0;
        last = now;
      }
    }
  }
  class InputStream {
    read() {
      call.check();
      throw { tag: "closed" };
    }
    blockingRead() {
      return this.read();
    }
    skip() {
      return this.read();
    }
    blockingSkip() {
      return this.read();
    }
    subscribe() {
      return new Pollable();
    }
  }
  class OutputStream {
    constructor(name) {
      this.name = name;
      this.pending = "";
      this.decoder = new TextDecoder();
    }
    checkWrite() {
      call.check();
      return 65536n;
    }
    write(bytes) {
      call.check();
      this.pending += this.decoder.decode(bytes, { stream: true });
      const lines = this.pending.split("\n");
      this.pending = lines.pop();
      for (const line of lines) call.log(this.name === "stderr" ? "warn" : "info", line, this.name);
    }
    blockingWriteAndFlush(bytes) {
      this.write(bytes);
    }
    flush() {
      call.check();
    }
    blockingFlush() {
      call.check();
    }
    writeZeroes(n) {
      this.write(new Uint8Array(Number(n)));
    }
    blockingWriteZeroesAndFlush(n) {
      this.writeZeroes(n);
    }
    subscribe() {
      return new Pollable();
    }
    end() {
      if (this.pending) call.log(this.name === "stderr" ? "warn" : "info", this.pending, this.name);
      this.pending = "";
    }
  }
  const streams = { stdout: new OutputStream("stdout"), stderr: new OutputStream("stderr") };
  call.streams = streams;
  // `error` as the interface's error type: a variant (`{ tag }`) or an enum (a string).
  const denied = (error) => () => {
    call.check();
    throw error;
  };
  class Unreachable {
    constructor() {
      throw new Trap("the edge runner does not offer this resource");
    }
  }
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
    write() {
      return new OutputStream("http-body");
    }
    static finish() {}
  }
  class OutgoingRequest {
    constructor(headers) {
      this.fields = headers;
      this.parts = { method: { tag: "get" }, scheme: undefined, authority: undefined, pathWithQuery: undefined };
    }
    body() {
      return new OutgoingBody();
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
  const nanos = () => BigInt(Math.round(performance.now() * 1e6));
  const randomBytes = (len) => {
    const bytes = new Uint8Array(Number(len));
    for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
    return bytes;
  };
  const randomU64 = () => new BigUint64Array(randomBytes(8).buffer)[0];
  const network = {
    Network: Unreachable,
    instanceNetwork: host(() => {
      throw new Trap("sockets are not available to plugins at the edge");
    }),
  };
  return {
    "outrig:tool/host": {
      log: host((level, message) => call.log(level, message, "log")),
      progress: host(() => {}),
      cancelled: host(() => call.cancelled()),
    },
    "wasi:io/error": { Error: IoError },
    "wasi:io/poll": { Pollable, poll: host((list) => new Uint32Array(list.map((_, i) => i))) },
    "wasi:io/streams": { InputStream, OutputStream },
    "wasi:cli/environment": {
      getEnvironment: host(() => Object.entries(env)),
      getArguments: host(() => []),
      initialCwd: host(() => undefined),
    },
    "wasi:cli/exit": {
      exit: (status) => {
        throw new Trap(`the tool exited (${status.tag === "ok" ? "success" : "failure"}) instead of returning`);
      },
    },
    "wasi:cli/stdin": { getStdin: host(() => new InputStream()) },
    "wasi:cli/stdout": { getStdout: host(() => streams.stdout) },
    "wasi:cli/stderr": { getStderr: host(() => streams.stderr) },
    "wasi:cli/terminal-input": { TerminalInput: Unreachable },
    "wasi:cli/terminal-output": { TerminalOutput: Unreachable },
    "wasi:cli/terminal-stdin": { getTerminalStdin: host(() => undefined) },
    "wasi:cli/terminal-stdout": { getTerminalStdout: host(() => undefined) },
    "wasi:cli/terminal-stderr": { getTerminalStderr: host(() => undefined) },
    "wasi:filesystem/preopens": { getDirectories: host(() => []) },
    "wasi:filesystem/types": { Descriptor: Unreachable, DirectoryEntryStream: Unreachable, filesystemErrorCode: host(() => undefined) },
    "wasi:http/types": {
      Fields,
      OutgoingRequest,
      OutgoingBody,
      RequestOptions,
      FutureIncomingResponse: Unreachable,
      IncomingResponse: Unreachable,
      IncomingBody: Unreachable,
      FutureTrailers: Unreachable,
      IncomingRequest: Unreachable,
      OutgoingResponse: Unreachable,
      ResponseOutparam: Unreachable,
      httpErrorCode: host(() => undefined),
    },
    "wasi:http/outgoing-handler": { handle: denied({ tag: "HTTP-request-denied" }) },
    "wasi:clocks/monotonic-clock": {
      now: host(nanos),
      resolution: host(() => 1000n),
      subscribeInstant: host((at) => new Pollable(Number(at) / 1e6)),
      subscribeDuration: host((ns) => new Pollable(performance.now() + Number(ns) / 1e6)),
    },
    "wasi:clocks/wall-clock": {
      now: host(() => {
        const ms = Date.now();
        return { seconds: BigInt(Math.floor(ms / 1000)), nanoseconds: (ms % 1000) * 1e6 };
      }),
      resolution: host(() => ({ seconds: 0n, nanoseconds: 1e6 })),
    },
    "wasi:random/random": { getRandomBytes: host(randomBytes), getRandomU64: host(randomU64) },
    "wasi:random/insecure": { getInsecureRandomBytes: host(randomBytes), getInsecureRandomU64: host(randomU64) },
    "wasi:random/insecure-seed": { insecureSeed: host(() => [randomU64(), randomU64()]) },
    "wasi:sockets/network": network,
    "wasi:sockets/instance-network": network,
    "wasi:sockets/tcp": { TcpSocket: Unreachable },
    "wasi:sockets/udp": { UdpSocket: Unreachable, IncomingDatagramStream: Unreachable, OutgoingDatagramStream: Unreachable },
    "wasi:sockets/tcp-create-socket": { createTcpSocket: denied("access-denied") },
    "wasi:sockets/udp-create-socket": { createUdpSocket: denied("access-denied") },
    "wasi:sockets/ip-name-lookup": { ResolveAddressStream: Unreachable, resolveAddresses: denied("access-denied") },
  };
}
