// @ts-self-types="./plugin.d.ts"
// The edge tool runner: an Outrig plugin component transpiled by jco
// (`outrig plugin build --target edge`) runs in this JavaScript engine (a browser page,
// Deno, Node, workerd) and answers custom tool calls, with the limits this engine allows.
// Grants that cannot be enforced here are refused at load: no directories; network only
// for a JSPI build (`NAME.jspi.js`) in an engine with JSPI, whose HTTP goes through `fetch`.
// What a plugin may declare and how its results become content is the plugin contract of
// the core (`outrig_api::plugin`, in the wasm module `outrig_plugin`), as in the native host.
import { Trap, wasiImports } from "./wasi.js";
import initContract, { initSync as initContractSync, NetworkRule, PluginContract } from "./outrig_plugin.js";

export { DEFAULT_LIMITS } from "./limits.js";
import { DEFAULT_LIMITS } from "./limits.js";

/** Grants the edge cannot honour, and why (the plugin is refused if it is given one). */
export const EDGE_UNENFORCEABLE_GRANTS = Object.freeze({
  dirs: "there is no filesystem to preopen at the edge",
  network: "the synchronous build's wasi:http cannot wait for an asynchronous fetch, so requests cannot be made: load the JSPI build (NAME.jspi.js) in an engine with JSPI",
  allow_private: "the synchronous build has no network: load the JSPI build (NAME.jspi.js) in an engine with JSPI",
});

/** The edge's HTTP limits (the native host's `[plugin.limits]` names and defaults). */
export const HTTP_LIMITS = Object.freeze({ http_connect_timeout_ms: 10000, http_response_bytes: 16 << 20 });

/** Whether this engine has JSPI (`WebAssembly.Suspending`), which a JSPI build needs. */
export function hasJspi() {
  return typeof WebAssembly.Suspending === "function" && typeof WebAssembly.promising === "function";
}

let contractLoaded;
/**
 * Loads the contract module once: `module` when given (a compiled `WebAssembly.Module`,
 * e.g. workerd's import of `outrig/outrig_plugin_bg.wasm`), else the file next to this one.
 */
function loadContract(module) {
  contractLoaded ??= (async () => {
    if (module) return initContractSync({ module });
    const url = new URL("./outrig_plugin_bg.wasm", import.meta.url);
    if (url.protocol === "file:") {
      // Node (≥ 20.16) and Deno, whose fetch cannot read `file:`; no `import("node:fs")`,
      // which edge bundlers and workerd refuse even where it never runs.
      const bytes = globalThis.Deno?.readFile
        ? await globalThis.Deno.readFile(url)
        : globalThis.process?.getBuiltinModule?.("node:fs").readFileSync(url);
      if (!bytes) throw new Error("cannot read the plugin contract's wasm here: pass `contract` (the compiled `outrig_plugin_bg.wasm`) to loadPlugin");
      return initContractSync({ module: bytes });
    }
    return initContract({ module_or_path: url });
  })();
  return contractLoaded;
}

/**
 * Instantiates a transpiled plugin and checks what it declares, as the native host does
 * at load. `instantiate` and `getCoreModule` come from the build output (`NAME.js`, and
 * `NAME.workerd.js` or `coreModulesAt(url)`). `grants.env` lists `NAME=value` entries.
 * Resolves to `{ tools, handlers, call, origins }`: `tools` are custom tool definitions for
 * `agents.create`, `handlers` fit `sessions.events.runTools(id, { tools: handlers })`.
 */
export async function loadPlugin(instantiate, getCoreModule, { grants = {}, limits = {}, contract } = {}) {
  const jspi = instantiate.asyncMode === "jspi";
  if (jspi && !hasJspi()) {
    throw new Error("this is a JSPI build (NAME.jspi.js), and this engine has no JSPI (WebAssembly.Suspending): load the synchronous build (NAME.js) instead, whose HTTP requests are refused");
  }
  for (const [grant, why] of Object.entries(EDGE_UNENFORCEABLE_GRANTS)) {
    if (jspi && grant !== "dirs") continue;
    const value = grants[grant];
    if (value === true || (Array.isArray(value) && value.length > 0)) {
      throw new Error(`this plugin is granted \`${grant}\`, which the edge cannot enforce: ${why}; run it in \`outrig host\` instead`);
    }
  }
  const unknown = Object.keys(grants).filter((g) => g !== "env" && !(g in EDGE_UNENFORCEABLE_GRANTS));
  if (unknown.length) throw new Error(`unknown grant ${unknown.map((g) => `\`${g}\``).join(", ")}`);
  const env = {};
  for (const entry of grants.env ?? []) {
    const at = entry.indexOf("=");
    if (at < 1) throw new Error(`grant \`env\`: \`${entry}\` must be NAME=value (the edge has no host environment to pass through)`);
    env[entry.slice(0, at)] = entry.slice(at + 1);
  }
  const limit = { ...DEFAULT_LIMITS, ...HTTP_LIMITS, ...limits };
  await loadContract(contract);
  let network;
  try {
    network = jspi ? new NetworkRule(JSON.stringify(grants.network ?? []), grants.allow_private === true) : undefined;
  } catch (error) {
    throw new Error(String(error?.message ?? error));
  }
  // Compiled once; instantiated afresh for every call, as the native host does, so no
  // call sees another's state and a trapped instance is never entered again.
  const compiled = new Map();
  const cores = (name) => {
    if (!compiled.has(name)) compiled.set(name, Promise.resolve(getCoreModule(name)));
    return compiled.get(name);
  };
  const fresh = async (call) => {
    let instance;
    try {
      instance = await instantiate(cores, wasiImports({ env, call, jspi, network, limits: limit }));
    } catch (error) {
      const missing = /instance import '([^']+)'/.exec(String(error?.message));
      if (missing) throw new Error(`the plugin imports \`${missing[1]}\`, which the edge runner does not offer`);
      throw error;
    }
    const tool = instance.tool ?? instance["outrig:tool/tool@0.2.0"] ?? instance["outrig:tool/tool@0.1.0"];
    if (!tool) throw new Error("this module does not export `outrig:tool/tool`: is it an Outrig plugin?");
    return tool;
  };
  const loading = new Call(limit, limit.timeout_ms);
  const loaded = await fresh(loading);
  const specs = await loading.finish(() => loaded.describe());
  if (specs.error) throw new Error(`describe() failed: ${specs.error}`);
  let checked;
  try {
    checked = new PluginContract(JSON.stringify(specs.value, bytesAsArrays), JSON.stringify(limit));
  } catch (error) {
    throw new Error(String(error?.message ?? error));
  }
  const tools = JSON.parse(checked.definitions());
  const origins = (await loading.finish(() => loaded.origins?.() ?? [])).value ?? [];
  const run = async (name, input, { signal } = {}) => {
    const started = performance.now();
    const inputText = JSON.stringify(input ?? {});
    const invalid = checked.checkInput(name, inputText);
    if (invalid !== undefined) return { content: [text(`invalid input: ${invalid}`)], isError: true, logs: [], ms: performance.now() - started };
    const call = new Call(limit, limit.timeout_ms, signal);
    const tool = await fresh(call);
    const outcome = await call.finish(() => tool.call(name, inputText));
    const result = outcome.error !== undefined ? { content: [text(outcome.error)], isError: true } : JSON.parse(checked.convert(name, JSON.stringify(outcome.value, bytesAsArrays)));
    return { ...result, logs: call.logs, ms: performance.now() - started };
  };
  const handlers = {};
  for (const spec of tools) {
    handlers[spec.name] = async (input, context) => {
      const { content, isError } = await run(spec.name, input, context);
      if (isError) throw new Error(content[0].text);
      return content;
    };
  }
  return { tools, handlers, call: run, origins: () => origins.slice() };
}

/**
 * `getCoreModule` for the build output at `baseUrl`: fetched (browsers, Deno), or read with
 * `readFile` when given (Node: `readFile` from `node:fs/promises`, with a `file:` URL).
 */
export function coreModulesAt(baseUrl, readFile) {
  return async (name) => {
    const url = new URL(name, baseUrl);
    if (readFile) return WebAssembly.compile(await readFile(url));
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return WebAssembly.compile(await response.arrayBuffer());
  };
}

/** The call in progress: its deadline, cancellation and capped logs. */
class Call {
  constructor(limit, timeoutMs, signal) {
    this.limit = limit;
    this.deadline = performance.now() + timeoutMs;
    this.timeoutMs = timeoutMs;
    this.signal = signal;
    // Ends the call's HTTP requests: at its deadline, when it is cancelled, when it is over.
    this.abort = new AbortController();
    signal?.addEventListener("abort", () => this.abort.abort());
    this.logs = [];
    this.logBytes = 0;
    this.dropped = 0;
    // Rejected by the first trap: jco's JSPI trampolines swallow an error thrown by an
    // import that suspends, so `finish` races the guest with this.
    this.stopped = new Promise((_, reject) => (this.stop = reject));
    this.stopped.catch(() => {});
  }
  check() {
    if (performance.now() > this.deadline) throw this.expired();
  }
  /** A trap that stops the call: thrown by the import, and ends `finish` whatever jco does. */
  trap(message) {
    const trap = new Trap(message);
    this.stop(trap);
    return trap;
  }
  expired() {
    return this.trap(`the tool was stopped after its ${this.timeoutMs} ms time limit`);
  }
  /** `promise`, unless the deadline comes first: then the call is stopped (JSPI waits). */
  until(promise) {
    let timer;
    const expired = new Promise((_, reject) => {
      timer = setTimeout(() => {
        this.abort.abort();
        reject(this.expired());
      }, Math.max(0, this.deadline - performance.now()) + 1);
    });
    return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
  }
  cancelled() {
    return Boolean(this.signal?.aborted) || performance.now() > this.deadline;
  }
  log(level, message, source) {
    const bytes = message.length;
    if (this.logs.length >= this.limit.log_lines || this.logBytes + bytes > this.limit.log_bytes) {
      this.dropped++;
      return;
    }
    this.logBytes += bytes;
    this.logs.push({ level, message, source });
  }
  /** Runs guest code; `{ value }`, or `{ error }` with the message for the model. */
  async finish(guest) {
    try {
      return { value: await Promise.race([guest(), this.stopped]) };
    } catch (error) {
      const payload = error?.payload;
      if (payload?.tag === "invalid-input") return { error: `invalid input: ${payload.val}` };
      if (payload?.tag === "failed") return { error: `tool failed: ${payload.val}` };
      if (error instanceof Trap) return { error: error.message };
      return { error: `the tool crashed: ${error?.message ?? error}` };
    } finally {
      this.abort.abort();
      for (const stream of Object.values(this.streams ?? {})) stream.end();
      if (this.dropped) this.logs.push({ level: "warn", message: `${this.dropped} log lines dropped over the log limits`, source: "host" });
    }
  }
}

function text(value) {
  return { type: "text", text: value };
}

/** `JSON.stringify` replacer: image bytes (a `Uint8Array`) as an array of numbers. */
function bytesAsArrays(_key, value) {
  return value instanceof Uint8Array ? Array.from(value) : value;
}
