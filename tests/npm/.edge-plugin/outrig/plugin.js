// @ts-self-types="./plugin.d.ts"
// The edge tool runner: an Outrig plugin component transpiled by jco
// (`outrig plugin build --target edge`) runs in this JavaScript engine (a browser page,
// Deno, Node, workerd) and answers custom tool calls, with the limits this engine allows.
// Grants that cannot be enforced here are refused at load: no directories, no network.
import { Trap, wasiImports } from "./wasi.js";

/** The native host's default limits (`outrig-host.toml` `[plugin.limits]`), in its names. */
export const DEFAULT_LIMITS = Object.freeze({
  timeout_ms: 30_000,
  output_bytes: 1 << 20,
  output_blocks: 100,
  log_bytes: 64 << 10,
  log_lines: 1000,
  max_tools: 128,
  max_description_bytes: 8 << 10,
  max_schema_bytes: 64 << 10,
});

/** Grants the edge cannot honour, and why (the plugin is refused if it is given one). */
export const EDGE_UNENFORCEABLE_GRANTS = Object.freeze({
  dirs: "there is no filesystem to preopen at the edge",
  network: "wasi:http is synchronous and edge runtimes only have an asynchronous fetch, so requests cannot be made, let alone checked against the granted origins",
  allow_private: "there is no network at the edge",
});

const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Instantiates a transpiled plugin and checks what it declares, as the native host does
 * at load. `instantiate` and `getCoreModule` come from the build output (`NAME.js`, and
 * `NAME.workerd.js` or `coreModulesAt(url)`). `grants.env` lists `NAME=value` entries.
 * Resolves to `{ tools, handlers, call, origins }`: `tools` are custom tool definitions for
 * `agents.create`, `handlers` fit `sessions.events.runTools(id, { tools: handlers })`.
 */
export async function loadPlugin(instantiate, getCoreModule, { grants = {}, limits = {} } = {}) {
  for (const [grant, why] of Object.entries(EDGE_UNENFORCEABLE_GRANTS)) {
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
  const limit = { ...DEFAULT_LIMITS, ...limits };
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
      instance = await instantiate(cores, wasiImports({ env, call }));
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
  const specs = loading.finish(() => loaded.describe());
  if (specs.error) throw new Error(`describe() failed: ${specs.error}`);
  const tools = checkSpecs(specs.value, limit);
  const origins = loading.finish(() => loaded.origins?.() ?? []).value ?? [];
  const run = async (name, input, { signal } = {}) => {
    const started = performance.now();
    const call = new Call(limit, limit.timeout_ms, signal);
    const tool = await fresh(call);
    const outcome = call.finish(() => tool.call(name, JSON.stringify(input ?? {})));
    const result = outcome.error !== undefined ? { content: [text(outcome.error)], isError: true } : convert(outcome.value, limit);
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
    this.logs = [];
    this.logBytes = 0;
    this.dropped = 0;
  }
  check() {
    if (performance.now() > this.deadline) throw new Trap(`the tool was stopped after its ${this.timeoutMs} ms time limit`);
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
  finish(guest) {
    try {
      return { value: guest() };
    } catch (error) {
      const payload = error?.payload;
      if (payload?.tag === "invalid-input") return { error: `invalid input: ${payload.val}` };
      if (payload?.tag === "failed") return { error: `tool failed: ${payload.val}` };
      if (error instanceof Trap) return { error: error.message };
      return { error: `the tool crashed: ${error?.message ?? error}` };
    } finally {
      for (const stream of Object.values(this.streams ?? {})) stream.end();
      if (this.dropped) this.logs.push({ level: "warn", message: `${this.dropped} log lines dropped over the log limits`, source: "host" });
    }
  }
}

function text(value) {
  return { type: "text", text: value };
}

/** describe()'s tool specs as custom tool definitions, refusing what the native host refuses. */
function checkSpecs(specs, limit) {
  if (specs.length > limit.max_tools) throw new Error(`the plugin declares ${specs.length} tools, over the ${limit.max_tools}-tool limit`);
  const seen = new Set();
  return specs.map((spec) => {
    const at = `tool \`${spec.name}\``;
    if (!TOOL_NAME.test(spec.name)) throw new Error(`${at}: a name must be 1-64 characters of A-Z a-z 0-9 _ -`);
    if (seen.has(spec.name)) throw new Error(`${at} is declared twice`);
    seen.add(spec.name);
    if (!spec.description || spec.description.length > limit.max_description_bytes) throw new Error(`${at}: the description must be 1-${limit.max_description_bytes} bytes`);
    const schema = (json, which) => {
      if (json.length > limit.max_schema_bytes) throw new Error(`${at}: its ${which} schema is over ${limit.max_schema_bytes} bytes`);
      let value;
      try {
        value = JSON.parse(json);
      } catch (error) {
        throw new Error(`${at}: its ${which} schema is not JSON: ${error.message}`);
      }
      if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${at}: its ${which} schema is not a JSON object`);
      return value;
    };
    const input_schema = schema(spec.inputSchema, "input");
    if (input_schema.type !== "object") throw new Error(`${at}: its input schema must have "type": "object"`);
    if (spec.outputSchema !== undefined) schema(spec.outputSchema, "output");
    return { type: "custom", name: spec.name, description: spec.description, input_schema };
  });
}

/** Plugin content as API content blocks, within the output limits (as the native host). */
function convert(content, limit) {
  const refuse = (message) => ({ content: [text(message)], isError: true });
  if (content.length > limit.output_blocks) return refuse(`the tool returned ${content.length} content blocks, over the ${limit.output_blocks}-block output limit`);
  const size = content.reduce((n, c) => n + (c.tag === "image" ? Math.floor((c.val.data.length * 4) / 3) : c.val.length), 0);
  if (size > limit.output_bytes) return refuse(`the tool returned ${size} bytes, over the ${limit.output_bytes}-byte output limit`);
  const blocks = [];
  for (const block of content) {
    if (block.tag === "json") {
      try {
        JSON.parse(block.val);
      } catch (error) {
        return refuse(`the tool returned a \`json\` block that is not JSON: ${error.message}`);
      }
    }
    if (block.tag === "image") {
      let binary = "";
      for (let i = 0; i < block.val.data.length; i += 32768) binary += String.fromCharCode(...block.val.data.subarray(i, i + 32768));
      blocks.push({ type: "image", source: { type: "base64", media_type: block.val.mediaType, data: btoa(binary) } });
    } else {
      blocks.push(text(block.val));
    }
  }
  return { content: blocks, isError: false };
}
