// Types of `outrig/plugin`: the edge tool runner for plugins transpiled by
// `outrig plugin build --target edge`.

/** A custom tool definition, as `agents.create` takes it. */
export interface PluginTool {
  type: "custom";
  name: string;
  description: string;
  input_schema: { type: "object"; [key: string]: unknown };
}

/** An API content block a call produced. */
export type PluginContent =
  | { type: "text"; text: string }
  | { type: "image"; source: { type: "base64"; media_type: string; data: string } };

/** One log line of a call (the plugin's `log`, or a line of its stdout or stderr). */
export interface PluginLog {
  level: string;
  message: string;
  source: "log" | "stdout" | "stderr" | "host";
}

/** What one call returned. */
export interface PluginCallResult {
  content: PluginContent[];
  isError: boolean;
  logs: PluginLog[];
  ms: number;
}

/** Per-call limits, in the native host's `[plugin.limits]` names. */
export interface PluginLimits {
  timeout_ms?: number;
  output_bytes?: number;
  output_blocks?: number;
  log_bytes?: number;
  log_lines?: number;
  max_tools?: number;
  max_description_bytes?: number;
  max_schema_bytes?: number;
  /** JSPI builds: most milliseconds to wait for an HTTP response's headers (10,000). */
  http_connect_timeout_ms?: number;
  /** JSPI builds: most bytes of all HTTP response bodies of one call together (16 MiB). */
  http_response_bytes?: number;
}

/**
 * Grants, as in `outrig-host.toml`. `env` (`NAME=value` entries) anywhere; `network`
 * (`scheme://host:port` origins) and `allow_private` only with a JSPI build (`NAME.jspi.js`)
 * in an engine with JSPI; `dirs` never at the edge.
 */
export interface PluginGrants {
  env?: string[];
  dirs?: never[];
  network?: string[];
  allow_private?: boolean;
}

/** A loaded plugin. */
export interface EdgePlugin {
  /** Its tools, as custom tool definitions for `agents.create`. */
  tools: PluginTool[];
  /** One function per tool, for `client.sessions.events.runTools(id, { tools: handlers })`. */
  handlers: Record<string, (input: unknown, context?: { signal?: AbortSignal }) => Promise<PluginContent[]>>;
  /** Runs one call, in a fresh instance. */
  call(name: string, input: unknown, options?: { signal?: AbortSignal }): Promise<PluginCallResult>;
  /** The origins the plugin says it sends HTTP requests to (reachable only as granted, from a JSPI build). */
  origins(): string[];
}

/** jco's `instantiate` export of the transpiled plugin (`NAME.js`, or `NAME.jspi.js`, whose `asyncMode` is `"jspi"`). */
export type Instantiate = ((getCoreModule: GetCoreModule, imports: Record<string, unknown>) => Promise<Record<string, unknown>> | Record<string, unknown>) & { asyncMode?: "jspi" };

/** The compiled core module of a given file name of the build output. */
export type GetCoreModule = (name: string) => WebAssembly.Module | Promise<WebAssembly.Module>;

/** The native host's default limits. */
export declare const DEFAULT_LIMITS: Readonly<Required<PluginLimits>>;

/** Grants the edge refuses, and why (`network` and `allow_private`: only for the synchronous build). */
export declare const EDGE_UNENFORCEABLE_GRANTS: Readonly<Record<"dirs" | "network" | "allow_private", string>>;

/** The edge's HTTP limits and their defaults (the native host's names). */
export declare const HTTP_LIMITS: Readonly<{ http_connect_timeout_ms: number; http_response_bytes: number }>;

/** Whether this engine has JSPI (`WebAssembly.Suspending`), which a JSPI build (`NAME.jspi.js`) needs. */
export declare function hasJspi(): boolean;

/** Instantiates a transpiled plugin and checks what it declares, as the native host does. */
/**
 * `contract`: the plugin contract's wasm module, compiled, where this file's URL cannot be
 * fetched or read (workerd: `import contract from "outrig/outrig_plugin_bg.wasm"`);
 * elsewhere it is loaded from beside this file.
 */
export declare function loadPlugin(instantiate: Instantiate, getCoreModule: GetCoreModule, options?: { grants?: PluginGrants; limits?: PluginLimits; contract?: WebAssembly.Module }): Promise<EdgePlugin>;

/** `getCoreModule` for the build output at this URL: fetched, or read with `readFile` (Node: `node:fs/promises`). */
export declare function coreModulesAt(baseUrl: string | URL, readFile?: (url: URL) => Promise<Uint8Array>): GetCoreModule;
