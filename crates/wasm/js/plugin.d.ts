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
}

/** Grants, as in `outrig-host.toml`; only `env` (`NAME=value` entries) can be given at the edge. */
export interface PluginGrants {
  env?: string[];
  dirs?: never[];
  network?: never[];
  allow_private?: false;
}

/** A loaded plugin. */
export interface EdgePlugin {
  /** Its tools, as custom tool definitions for `agents.create`. */
  tools: PluginTool[];
  /** One function per tool, for `client.sessions.events.runTools(id, { tools: handlers })`. */
  handlers: Record<string, (input: unknown, context?: { signal?: AbortSignal }) => Promise<PluginContent[]>>;
  /** Runs one call, in a fresh instance. */
  call(name: string, input: unknown, options?: { signal?: AbortSignal }): Promise<PluginCallResult>;
  /** The origins the plugin says it sends HTTP requests to (none can be reached at the edge). */
  origins(): string[];
}

/** jco's `instantiate` export of the transpiled plugin (`NAME.js`). */
export type Instantiate = (getCoreModule: GetCoreModule, imports: Record<string, unknown>) => Promise<Record<string, unknown>> | Record<string, unknown>;

/** The compiled core module of a given file name of the build output. */
export type GetCoreModule = (name: string) => WebAssembly.Module | Promise<WebAssembly.Module>;

/** The native host's default limits. */
export declare const DEFAULT_LIMITS: Readonly<Required<PluginLimits>>;

/** Grants the edge refuses, and why. */
export declare const EDGE_UNENFORCEABLE_GRANTS: Readonly<Record<"dirs" | "network" | "allow_private", string>>;

/** Instantiates a transpiled plugin and checks what it declares, as the native host does. */
/**
 * `contract`: the plugin contract's wasm module, compiled, where this file's URL cannot be
 * fetched or read (workerd: `import contract from "outrig/outrig_plugin_bg.wasm"`);
 * elsewhere it is loaded from beside this file.
 */
export declare function loadPlugin(instantiate: Instantiate, getCoreModule: GetCoreModule, options?: { grants?: PluginGrants; limits?: PluginLimits; contract?: WebAssembly.Module }): Promise<EdgePlugin>;

/** `getCoreModule` for the build output at this URL: fetched, or read with `readFile` (Node: `node:fs/promises`). */
export declare function coreModulesAt(baseUrl: string | URL, readFile?: (url: URL) => Promise<Uint8Array>): GetCoreModule;
