// The WASI a plugin sees at the edge: nothing by default, as in the native host. No
// preopened directories, no sockets, stdin empty, stdout and stderr captured as the call's
// logs, only the environment variables granted, and HTTP only through `fetch` in a JSPI
// build to granted origins (`wasi-http.js`). Every host call checks the call's deadline,
// so a plugin that calls the host at all is stopped there; one that computes without
// calling the host runs until the environment stops it.
import { httpImports } from "./wasi-http.js";

/** A trap: the guest is stopped (jco rethrows `Error`s instead of returning them). */
export class Trap extends Error {}

/**
 * The imports for one plugin instance, keyed as jco's `--instantiation async` output asks
 * for them. `call` is the call in progress: `{ check(), trap(message), log(level, text),
 * cancelled(), until(promise) }`. `jspi`: the build suspends on waiting imports (`pollable.block`,
 * `poll`, `input-stream.blocking-read`), so they may wait for real; `network` (a
 * `NetworkRule`) and `limits` are then what its HTTP requests are checked against.
 */
export function wasiImports({ env, call, jspi = false, network, limits }) {
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
    /** Ready at `readyAt` (ms, `performance.now()`), or when `wait()` (a promise) settles. */
    constructor(readyAt = 0, wait) {
      this.readyAt = readyAt;
      this.settled = false;
      this.waiting = wait?.().then(
        () => (this.settled = true),
        () => (this.settled = true),
      );
    }
    ready() {
      return this.waiting ? this.settled : performance.now() >= this.readyAt;
    }
    /** A promise settled when the pollable is ready. */
    whenReady() {
      return this.waiting ?? sleepUntil(this.readyAt, call.abort?.signal);
    }
    block() {
      call.check();
      if (jspi) return call.until(this.whenReady());
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
  const poll = (list) => {
    call.check();
    const ready = () => Uint32Array.from(list.flatMap((p, i) => (p.ready() ? [i] : [])));
    // Without JSPI a poll cannot wait: every pollable is reported ready, as before.
    if (!jspi) return new Uint32Array(list.map((_, i) => i));
    if (list.length === 0 || list.some((p) => p.ready())) return ready();
    return call.until(Promise.race(list.map((p) => p.whenReady()))).then(ready);
  };
  class InputStream {
    /** Empty, or the bytes `source.next()` (resolving to a chunk, or `null` at the end) yields. */
    constructor(source) {
      this.source = source;
      this.buffer = new Uint8Array(0);
      this.ended = !source;
      this.failure = undefined;
      this.pending = undefined;
    }
    pull() {
      this.pending ??= this.source.next().then(
        (chunk) => {
          this.pending = undefined;
          if (chunk === null) this.ended = true;
          else this.buffer = concat(this.buffer, chunk);
        },
        (error) => {
          this.pending = undefined;
          this.ended = true;
          this.failure = error?.message ?? String(error);
        },
      );
      return this.pending;
    }
    take(len) {
      if (this.buffer.length > 0) {
        const chunk = this.buffer.slice(0, Number(len));
        this.buffer = this.buffer.subarray(chunk.length);
        return chunk;
      }
      if (this.failure !== undefined) throw { tag: "last-operation-failed", val: new IoError(this.failure) };
      if (this.ended) throw { tag: "closed" };
      return undefined;
    }
    read(len) {
      call.check();
      const chunk = this.take(len);
      if (chunk) return chunk;
      this.pull();
      return new Uint8Array(0);
    }
    blockingRead(len) {
      call.check();
      const chunk = this.take(len);
      if (chunk) return chunk;
      if (!jspi) return new Uint8Array(0);
      return call.until(this.pull()).then(() => this.take(len) ?? new Uint8Array(0));
    }
    skip(len) {
      return BigInt(this.read(len).length);
    }
    blockingSkip(len) {
      const read = this.blockingRead(len);
      return read instanceof Promise ? read.then((chunk) => BigInt(chunk.length)) : BigInt(read.length);
    }
    subscribe() {
      if (this.ended || this.buffer.length > 0) return new Pollable();
      return new Pollable(0, () => this.pull());
    }
  }
  class OutputStream {
    /** A log stream (`stdout`, `stderr`), or with `sink`, bytes collected into `sink.chunks`. */
    constructor(name, sink) {
      this.name = name;
      this.sink = sink;
      this.pending = "";
      this.decoder = new TextDecoder();
    }
    checkWrite() {
      call.check();
      return 65536n;
    }
    write(bytes) {
      call.check();
      if (this.sink) {
        this.sink.chunks.push(bytes.slice());
        return;
      }
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
      throw call.trap("the edge runner does not offer this resource");
    }
  }
  const nanos = () => BigInt(Math.round(performance.now() * 1e6));
  const randomBytes = (len) => {
    const bytes = new Uint8Array(Number(len));
    for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
    return bytes;
  };
  const randomU64 = () => new BigUint64Array(randomBytes(8).buffer)[0];
  const sockets = {
    Network: Unreachable,
    instanceNetwork: host(() => {
      throw call.trap("sockets are not available to plugins at the edge");
    }),
  };
  return {
    "outrig:tool/host": {
      log: host((level, message) => call.log(level, message, "log")),
      progress: host(() => {}),
      cancelled: host(() => call.cancelled()),
    },
    "wasi:io/error": { Error: IoError },
    "wasi:io/poll": { Pollable, poll },
    "wasi:io/streams": { InputStream, OutputStream },
    "wasi:cli/environment": {
      getEnvironment: host(() => Object.entries(env)),
      getArguments: host(() => []),
      initialCwd: host(() => undefined),
    },
    "wasi:cli/exit": {
      exit: (status) => {
        throw call.trap(`the tool exited (${status.tag === "ok" ? "success" : "failure"}) instead of returning`);
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
    ...httpImports({ call, host, Unreachable, Pollable, InputStream, OutputStream, network: jspi ? network : undefined, limits }),
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
    "wasi:sockets/network": sockets,
    "wasi:sockets/instance-network": sockets,
    "wasi:sockets/tcp": { TcpSocket: Unreachable },
    "wasi:sockets/udp": { UdpSocket: Unreachable, IncomingDatagramStream: Unreachable, OutgoingDatagramStream: Unreachable },
    "wasi:sockets/tcp-create-socket": { createTcpSocket: denied("access-denied") },
    "wasi:sockets/udp-create-socket": { createUdpSocket: denied("access-denied") },
    "wasi:sockets/ip-name-lookup": { ResolveAddressStream: Unreachable, resolveAddresses: denied("access-denied") },
  };
}

/** Resolves at `readyAt` (`performance.now()` milliseconds); never once `signal` aborts, whose
 * timer is then cleared (a sleeping plugin must not keep the process alive after its call). */
function sleepUntil(readyAt, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, readyAt - performance.now()));
    signal?.addEventListener("abort", () => clearTimeout(timer), { once: true });
  });
}

function concat(a, b) {
  if (a.length === 0) return b;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
