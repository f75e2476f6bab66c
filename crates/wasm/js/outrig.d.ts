// Type declarations of the `outrig` npm package. Presence follows the wire format:
// `x: T` always present, `x: T | null` always present and nullable, `x?: T` optional.

export interface ClientOptions {
  /** Defaults to ANTHROPIC_API_KEY (Node/Deno). Sent as `Authorization: Bearer`. */
  apiKey?: string;
  /** A bearer token instead of an API key; defaults to ANTHROPIC_AUTH_TOKEN. */
  authToken?: string;
  /** Defaults to ANTHROPIC_BASE_URL, then https://api.anthropic.com. */
  baseURL?: string;
  /** Retries after the first attempt (default 2). */
  maxRetries?: number;
  /** Per-request timeout in ms (default 600 000; streams use a stall timeout). */
  timeout?: number;
  /** Extra betas, sent before the managed-agents beta. */
  betas?: string[];
  /** `anthropic-workspace-id`. */
  workspaceId?: string;
  /** Allow an API key in a browser (off by default; prefer `createProxy`). */
  dangerouslyAllowBrowser?: boolean;
  /** A fetch implementation (default: the global fetch). */
  fetch?: typeof fetch;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Milliseconds until the response headers must arrive (default: the client's). */
  timeout?: number;
  /** Extra headers for this request (a trace id, a beta flag); they override the defaults. */
  headers?: Record<string, string>;
}

/** A JSON answer: await it for the data, or ask for the raw response and its request id. */
export interface APIPromise<T> extends Promise<T> {
  withResponse(): Promise<{ data: T; response: Response; request_id: string | null }>;
  asResponse(): Promise<Response>;
}

/** What a tool function may return: text, content blocks, or any JSON value (sent as text). */
export type ToolResult = string | ContentBlock[] | unknown;
/** A custom tool implemented in JavaScript, for `sessions.events.runTools`. */
export type ToolFunction = (input: Record<string, unknown>, context: { call: AgentCustomToolUseEvent; signal?: AbortSignal }) => ToolResult | Promise<ToolResult>;
export interface RunToolsOptions {
  /** Functions by tool name; calls to other tools are left for another client. */
  tools: Record<string, ToolFunction>;
  /** Stop when the turn ends (default) or only when the session does. */
  until?: "turn" | "session";
  /** A user message to send once the stream is open. */
  message?: string | ContentBlock[];
  /** Replay what happened before (default true), so calls already waiting are answered. */
  backfill?: boolean;
  signal?: AbortSignal;
}
export interface RunToolsResult {
  calls: Array<{ id: string; name: string; isError: boolean; ms: number }>;
  /** The stop reason of the idle that ended the turn, or the event that ended the session. */
  stopReason: string | undefined;
}

export interface StreamOptions {
  signal?: AbortSignal;
  /** Preview types: "agent.message", "agent.thinking". */
  eventDeltas?: Array<"agent.message" | "agent.thinking">;
  /** Also yield the history before the first connection (default false). */
  backfill?: boolean;
  /** Reconnect after this many ms without a byte (default 45 000). */
  stallTimeout?: number;
}

export interface Page<T> {
  data: T[];
  next_page: string | null;
  prev_page?: string | null;
}

/** Awaitable for the first page; `for await` iterates over every item of every page. */
export interface PagePromise<T> extends PromiseLike<Page<T>>, AsyncIterable<T> {}

/** A page of an organization list; the next one is asked for with `after_id: last_id`. */
export interface IdPage<T> {
  data: T[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

/** Awaitable for the first page; `for await` iterates over every item of every page. */
export interface IdPagePromise<T> extends PromiseLike<IdPage<T>>, AsyncIterable<T> {}

export type Metadata = Record<string, string>;

// ---------------------------------------------------------------- wire types

// Objects, events, send forms and content blocks are generated from outrig-api's serde
// models (wire.d.ts); the names below are what the client's methods take and give.
export * from "./wire.js";
import type {
  KnownEvent, EventStartEvent, EventDeltaEvent, SessionStatusIdleEvent, SessionResource, SendEvent, ContentBlock,
  AgentCustomToolUseEvent, Agent, CreateAgent, UpdateAgent, Environment, EnvironmentParams, Session, CreateSession,
  UpdateSession, SessionStatus, SessionThread, WorkItem, Credential, Deployment, OrganizationWebhookEndpoint,
  Memory,
} from "./wire.js";

export type AgentCreateParams = CreateAgent;
export type AgentUpdateParams = UpdateAgent;
export type SessionCreateParams = CreateSession;
export type SessionUpdateParams = UpdateSession;
export type StopDetails = SessionStatusIdleEvent["stop_details"];
export type FileResource = Extract<SessionResource, { type: "file" }>;

/**
 * An event of a type this version does not know: streams pass it through unchanged, but it
 * is not part of `StreamEvent`, so a `switch` on `event.type` narrows (its `default` branch
 * is where one arrives). Test for one with `isKnownEvent`.
 */
export interface UnknownEvent { type: string; id?: string; [key: string]: unknown }

/** Events stored in history (42 types). */
export type SessionEvent = Exclude<KnownEvent, EventStartEvent | EventDeltaEvent>;
/**
 * Not an API event: a stream message whose data could not be parsed. The stream goes on
 * after it; `raw` is the text received.
 */
export interface MalformedEvent { type: "outrig.malformed_event"; raw: string; error: string }
/** What a stream yields: the 44 event types and malformed messages (and, at run time, any `UnknownEvent`). */
export type StreamEvent = KnownEvent | MalformedEvent;
/** Whether this version knows the event's type (false for an `UnknownEvent`). */
export function isKnownEvent(event: { type: string }): event is StreamEvent;

import type { Resources, Query } from "./routes.js";

// ---------------------------------------------------------------- the rest of the API

/** `{id, type}` of a deleted object (`vault_deleted`, `memory_deleted`, …). */
export interface Deleted { id: string; type: string }
/** A multipart upload: files as `File`/`Blob` (named `folder/SKILL.md`), and text fields. */
export interface UploadParams { files: Array<File | { name: string; data: Blob | Uint8Array | string }>; display_name?: string }
export type ResourceRetrieveResponse = SessionResource;
export type ResourceUpdateResponse = SessionResource;
export interface SendSessionEvents { data: SessionEvent[] }
export type SelfHostedWork = WorkItem;
export type WorkState = WorkItem["state"];
/** A credential's `auth` as served: never its token, refresh token, client secret or secret value. */
export type CredentialAuth = Credential["auth"];
export type AgentReference = Deployment["agent"];
export type Schedule = NonNullable<Deployment["schedule"]>;
/** The event types an organization webhook endpoint may enable. */
export type OrganizationWebhookEventType = OrganizationWebhookEndpoint["enabled_events"][number];
export interface CredentialValidation { type: "vault_credential_validation"; credential_id: string; vault_id: string; status: "valid" | "invalid" | "unknown"; has_refresh_token: boolean; mcp_probe: Record<string, unknown> | null; refresh: Record<string, unknown> | null; validated_at: string }
export interface SelfHostedWorkHeartbeatResponse { type: "work_heartbeat"; last_heartbeat: string; lease_extended: boolean; state: WorkState; ttl_seconds: number }
export interface SelfHostedWorkQueueStats { type: "work_queue_stats"; depth: number; pending: number; oldest_queued_at: string | null; workers_polling: number | null }
export type MemoryListItem = Memory | { type: "memory_prefix"; path: string };
export interface TunnelToken { type: "tunnel_token"; id: string; tunnel_token: string }
export interface TunnelCertificate { type: "tunnel_certificate"; id: string; tunnel_id: string; fingerprint: string; expires_at: string | null; created_at: string; archived_at: string | null }

// ---------------------------------------------------------------- webhooks

/** A webhook delivery's body: `{"type":"event","id","created_at","data"}` (signed with the Standard Webhooks scheme). */
export interface WebhookEvent { type: "event"; id: string; created_at: string; data: WebhookEventData }
type WorkspaceScoped<T extends string, Extra = {}> = { type: T; id: string; organization_id: string; workspace_id: string } & Extra;
type OrganizationScoped<T extends string, Extra = {}> = { type: T; id: string; organization_id: string } & Extra;
/** What a webhook is about: 51 types (the `id` is the object's: a session id for `session.*`). */
export type WebhookEventData =
  | WorkspaceScoped<"session.created" | "session.pending" | "session.running" | "session.idled" | "session.requires_action" | "session.archived" | "session.deleted" | "session.status_rescheduled" | "session.status_run_started" | "session.status_idled" | "session.status_terminated" | "session.outcome_evaluation_ended" | "session.updated" | "session.budget_reached">
  | WorkspaceScoped<"session.thread_created" | "session.thread_idled" | "session.thread_terminated", { session_thread_id: string }>
  | WorkspaceScoped<"vault.created" | "vault.archived" | "vault.deleted">
  | WorkspaceScoped<"vault_credential.created" | "vault_credential.archived" | "vault_credential.deleted" | "vault_credential.refresh_failed", { vault_id: string }>
  | WorkspaceScoped<"agent.created" | "agent.updated" | "agent.archived" | "agent.deleted">
  | WorkspaceScoped<"deployment.created" | "deployment.updated" | "deployment.paused" | "deployment.unpaused" | "deployment.archived" | "deployment.deleted" | "deployment_run.started" | "deployment_run.succeeded" | "deployment_run.failed">
  | WorkspaceScoped<"environment.created" | "environment.updated" | "environment.archived" | "environment.deleted">
  | WorkspaceScoped<"memory_store.created" | "memory_store.archived" | "memory_store.deleted">
  | OrganizationScoped<"external_key.failed" | "external_key.recovered" | "external_storage.failed" | "external_storage.recovered">
  | OrganizationScoped<"user_profile.enforcement_action_opened" | "user_profile.enforcement_action_resolved", { enforcement_action_id: string }>
  | OrganizationScoped<"user_profile.program_status_updated">;

// ---------------------------------------------------------------- client

export class Outrig {
  constructor(options?: ClientOptions);
  readonly baseURL: string;
  agents: {
    create(body: AgentCreateParams, options?: RequestOptions): APIPromise<Agent>;
    retrieve(id: string, query?: { version?: number }, options?: RequestOptions): APIPromise<Agent>;
    update(id: string, body: AgentUpdateParams, options?: RequestOptions): APIPromise<Agent>;
    list(query?: { limit?: number; include_archived?: boolean; "created_at[gte]"?: string; "created_at[lte]"?: string }, options?: RequestOptions): PagePromise<Agent>;
    archive(id: string, query?: Query, options?: RequestOptions): APIPromise<Agent>;
    versions: { list(id: string, query?: { limit?: number }, options?: RequestOptions): PagePromise<Agent> };
  };
  environments: {
    create(body: EnvironmentParams & { name: string }, options?: RequestOptions): APIPromise<Environment>;
    retrieve(id: string, query?: Query, options?: RequestOptions): APIPromise<Environment>;
    update(id: string, body: EnvironmentParams, options?: RequestOptions): APIPromise<Environment>;
    list(query?: { limit?: number; include_archived?: boolean }, options?: RequestOptions): PagePromise<Environment>;
    delete(id: string, query?: Query, options?: RequestOptions): APIPromise<{ id: string; type: "environment_deleted" }>;
    archive(id: string, query?: Query, options?: RequestOptions): APIPromise<Environment>;
    work: Resources["environments"]["work"];
  };
  sessions: {
    create(body: SessionCreateParams, options?: RequestOptions): APIPromise<Session>;
    retrieve(id: string, query?: Query, options?: RequestOptions): APIPromise<Session>;
    update(id: string, body: SessionUpdateParams, options?: RequestOptions): APIPromise<Session>;
    list(query?: { limit?: number; agent_id?: string; statuses?: SessionStatus[]; order?: "asc" | "desc"; include_archived?: boolean }, options?: RequestOptions): PagePromise<Session>;
    delete(id: string, query?: Query, options?: RequestOptions): APIPromise<{ id: string; type: "session_deleted" }>;
    archive(id: string, query?: Query, options?: RequestOptions): APIPromise<Session>;
    events: {
      send(id: string, body: { events: SendEvent[] }, options?: RequestOptions): APIPromise<{ data: SessionEvent[] }>;
      list(id: string, query?: { limit?: number; order?: "asc" | "desc"; types?: string[] }, options?: RequestOptions): PagePromise<SessionEvent>;
      /**
       * Resolves once the stream is open (send input after this, and nothing is missed);
       * the iterator reconnects, backfills and never yields an event twice.
       */
      stream(id: string, options?: StreamOptions): Promise<AsyncGenerator<StreamEvent, void, undefined>>;
      /** Answers the session's custom tool calls with JavaScript functions until the turn ends. */
      runTools(id: string, options: RunToolsOptions): Promise<RunToolsResult>;
    };
    resources: {
      list(id: string, query?: { limit?: number }, options?: RequestOptions): PagePromise<SessionResource>;
      retrieve(id: string, resourceId: string, query?: Query, options?: RequestOptions): APIPromise<SessionResource>;
      update(id: string, resourceId: string, body: { authorization_token: string }, options?: RequestOptions): APIPromise<SessionResource>;
      add(id: string, body: { type: "file"; file_id: string; mount_path?: string | null }, options?: RequestOptions): APIPromise<SessionResource>;
      delete(id: string, resourceId: string, query?: Query, options?: RequestOptions): APIPromise<{ id: string; type: "session_resource_deleted" }>;
    };
    threads: {
      list(id: string, query?: { limit?: number }, options?: RequestOptions): PagePromise<SessionThread>;
      retrieve(id: string, threadId: string, query?: Query, options?: RequestOptions): APIPromise<SessionThread>;
      archive(id: string, threadId: string, query?: Query, options?: RequestOptions): APIPromise<SessionThread>;
      /** A thread's history, and its live stream as a raw SSE `Response`. */
      events: Resources["sessions"]["threads"]["events"];
    };
  };
  vaults: Resources["vaults"];
  deployments: Resources["deployments"];
  deploymentRuns: Resources["deploymentRuns"];
  memoryStores: Resources["memoryStores"];
  dreams: Resources["dreams"];
  tunnels: Resources["tunnels"];
  skills: Resources["skills"];
  files: Resources["files"];
  /**
   * One request with the retry policy. `beta` is the `anthropic-beta` value to send (`null`:
   * none); by default, that of the route-table endpoint the method and path are.
   */
  request(method: "GET" | "POST" | "DELETE", path: string, options?: RequestOptions & { query?: Record<string, unknown>; body?: unknown; stream?: boolean; beta?: string | null }): Promise<Response>;
}

export function eventSourceStream(url: string, options?: { signal?: AbortSignal; EventSourceImpl?: typeof EventSource }): AsyncGenerator<StreamEvent, void, undefined>;

export interface ProxyOptions {
  apiKey?: string;
  baseURL?: string;
  /** Return true if this request may read (GET) or send to (POST) this session. */
  authorize(request: Request, sessionId: string): boolean | Promise<boolean>;
  /** Path prefix before `/sessions/{id}/events`; other paths are 404. */
  prefix?: string;
  /** Origins that may call the proxy from a page (CORS); `["*"]` for any. Default: none. */
  allowedOrigins?: string[];
  /** Event types a browser may POST. Default: user.message, user.interrupt, user.custom_tool_result, user.tool_confirmation. */
  sendTypes?: string[];
  fetch?: typeof fetch;
}
export function createProxy(options: ProxyOptions): (request: Request) => Promise<Response>;

export interface ToolWebhookOptions {
  /** The `whsec_…` secret deliveries are signed with. */
  webhookSecret: string;
  apiKey?: string;
  baseURL?: string;
  /** Functions by tool name, as for `runTools`. */
  tools: Record<string, ToolFunction>;
  /**
   * Whether this instance may run the call (shared storage across instances): `true` or
   * `"won"` runs it; `"expired"` (its holder died) answers it with an error instead of
   * running it twice; `false` or `"lost"` leaves it to another instance.
   */
  claim?: (callId: string) => ClaimOutcome | Promise<ClaimOutcome>;
  fetch?: typeof fetch;
  /** How far a delivery's timestamp may be from now (default 300 s). */
  toleranceSecs?: number;
}
/** What a claim gave the instance that asked. */
export type ClaimOutcome = boolean | "won" | "lost" | "expired";
/** The Durable Object namespace binding of an {@link OutrigClaims} class. */
export interface ClaimsNamespace {
  idFromName(name: string): unknown;
  get(id: any): { fetch(input: string, init?: RequestInit): Promise<Response> };
}
/**
 * A Durable Object class holding claims with leases: export it from your worker and bind
 * it (`class_name = "OutrigClaims"`). Workers KV has no compare-and-set, so it is not offered.
 */
export class OutrigClaims {
  constructor(ctx: { storage: any }, env?: unknown);
  fetch(request: Request): Promise<Response>;
  alarm(): Promise<void>;
}
/** A `claim` for createToolWebhook backed by one {@link OutrigClaims} object. */
export function durableObjectClaims(
  namespace: ClaimsNamespace,
  options?: { name?: string; leaseMs?: number },
): (callId: string) => Promise<"won" | "lost" | "expired">;
/** A webhook handler that verifies deliveries and answers custom tool calls with functions. */
export function createToolWebhook(options: ToolWebhookOptions): (request: Request) => Promise<Response>;

/**
 * One session as the core's session machine sees it (the rules `runTools` and
 * `createToolWebhook` follow): feed it every event once, in order; after feeding all you
 * have received, ask which custom tool calls of `toolNames` to answer now, which the session
 * no longer waits for, and whether the turn ended.
 */
export interface SessionMachine {
  /** Feeds one event (each once, in order). */
  feed(event: unknown): void;
  /** Ids of the calls to answer now, oldest first; each is handed out once. */
  dispatch(): string[];
  /** Ids of handed-out calls the session no longer waits for: send nothing for them. */
  cancelled(): string[];
  /** How the turn ended (a stop reason's type, or `"terminated"`), once; `undefined` while it goes on. */
  turnEnded(): string | undefined;
  /** The answer to a call was accepted. */
  sent(id: string): void;
  /** Sending the answer failed with this status (`undefined`: no response); `true` when sending again may help. */
  sendFailed(id: string, status?: number): boolean;
  /** How many interrupts were seen: calls handed out before the latest are to be stopped. */
  readonly interrupts: number;
  /** Whether a turn is in progress. */
  readonly inTurn: boolean;
  /** Frees the machine's wasm memory. */
  free(): void;
}
/** A session machine answering the custom tools named `toolNames`, or every custom tool when omitted (loads the tool-answering wasm module on first use). */
export function createSessionMachine(toolNames?: string[]): Promise<SessionMachine>;

export class APIError extends Error {
  readonly status: number | undefined;
  readonly error: { type: string; message: string; details?: { error_code?: string } } | undefined;
  readonly type: string | undefined;
  readonly errorCode: string | undefined;
  readonly requestID: string | undefined;
  readonly headers: Headers | undefined;
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
export class APIConnectionError extends APIError {}
export class APIUserAbortError extends APIError {}
/** No response within the request's `timeout`, after retries. */
export class APIConnectionTimeoutError extends APIConnectionError {}
