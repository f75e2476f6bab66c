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

// ---------------------------------------------------------------- content

export interface TextBlock { type: "text"; text: string }
export type MediaSource =
  | { type: "base64"; media_type: string; data: string }
  | { type: "text"; media_type: "text/plain"; data: string }
  | { type: "url"; url: string }
  | { type: "file"; file_id: string };
export interface ImageBlock { type: "image"; source: MediaSource }
export interface DocumentBlock { type: "document"; source: MediaSource; title?: string | null; context?: string | null }
export interface SearchResultBlock { type: "search_result"; source: string; title: string; content: TextBlock[]; citations: { enabled: boolean } }
export interface RedactedBlock { type: "redacted" }
export type ContentBlock = TextBlock | ImageBlock | DocumentBlock | SearchResultBlock | RedactedBlock;

// ---------------------------------------------------------------- objects

export interface ModelConfig { id: string; effort?: { type: "low" | "medium" | "high" | "xhigh" | "max" }; speed?: "standard" | "fast"; inference_geo?: string | null }
export interface CustomTool { type: "custom"; name: string; description: string; input_schema: { type: "object"; [key: string]: unknown } }
export interface Toolset { type: "agent_toolset_20260401" | "mcp_toolset"; [key: string]: unknown }
export type AgentTool = CustomTool | Toolset;

export interface Agent {
  type: "agent";
  id: string;
  version: number;
  name: string;
  description: string | null;
  system: string | null;
  model: ModelConfig;
  tools: AgentTool[];
  mcp_servers: Array<{ type: "url"; name: string; url: string }>;
  skills: Array<{ type: "anthropic" | "custom"; skill_id: string; version: string }>;
  multiagent: Record<string, unknown> | null;
  execution_identity: { type: "service_account" } | { type: "aws_role"; role_arn: string };
  metadata: Metadata;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
}

export interface AgentCreateParams {
  name: string;
  model: string | ModelConfig;
  description?: string | null;
  system?: string | null;
  tools?: AgentTool[];
  mcp_servers?: Array<{ type: "url"; name: string; url: string }>;
  skills?: Array<{ type: "anthropic" | "custom"; skill_id: string; version?: string | null }>;
  multiagent?: Record<string, unknown> | null;
  execution_identity?: Agent["execution_identity"] | null;
  metadata?: Metadata;
}
export type AgentUpdateParams = Partial<Omit<AgentCreateParams, "metadata">> & { version?: number; metadata?: Record<string, string | null> };

export interface Environment {
  type: "environment";
  id: string;
  name: string;
  description: string | null;
  config: { type: "cloud"; networking: Record<string, unknown>; packages: Record<string, unknown> } | { type: "self_hosted" };
  metadata: Metadata;
  scope?: "organization" | "account";
  created_at: string;
  updated_at: string;
  archived_at: string | null;
}
export interface EnvironmentParams { name?: string; config?: Environment["config"] | null; description?: string | null; metadata?: Record<string, string | null>; scope?: "organization" | "account" | null }

export type SessionStatus = "idle" | "running" | "rescheduling" | "terminated";
export interface Session {
  type: "session";
  id: string;
  status: SessionStatus;
  title: string | null;
  environment_id: string;
  agent: Omit<Agent, "metadata" | "created_at" | "updated_at" | "archived_at">;
  resources: SessionResource[];
  metadata: Metadata;
  vault_ids: string[];
  budget: { type: "limit"; max_list_cost: { amount: string; currency: "USD" } } | null;
  usage: Record<string, unknown>;
  stats: { active_seconds?: number; duration_seconds?: number };
  outcome_evaluations: Array<Record<string, unknown>>;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
  deployment_id?: string | null;
}
export interface SessionCreateParams {
  agent: string | { type: "agent"; id: string; version?: number } | { type: "agent_with_overrides"; id: string; version?: number; [key: string]: unknown };
  environment_id: string;
  title?: string | null;
  metadata?: Metadata;
  resources?: Array<Record<string, unknown>>;
  vault_ids?: string[];
  initial_events?: SendEvent[];
}
export type SessionResource =
  | { type: "file"; id: string; file_id: string; mount_path: string; created_at: string; updated_at: string }
  | { type: "github_repository"; id: string; url: string; mount_path: string; created_at: string; updated_at: string; checkout?: Record<string, unknown> | null }
  | { type: "memory_store"; memory_store_id: string; [key: string]: unknown };
export interface SessionThread { type: "session_thread"; id: string; session_id: string; status: SessionStatus; agent: Record<string, unknown>; parent_thread_id: string | null; workflow_run_id: string | null; stats: Record<string, number> | null; usage: Record<string, unknown> | null; created_at: string; updated_at: string; archived_at: string | null }

// ---------------------------------------------------------------- events

interface Base<T extends string> { type: T; id: string; processed_at: string }
interface Echo<T extends string> { type: T; id: string; processed_at?: string | null }

export type StopReason =
  | { type: "end_turn" }
  | { type: "requires_action"; event_ids: string[] }
  | { type: "retries_exhausted" }
  | { type: "budget_reached" }
  | { type: "refusal" };
export type StopDetails = { type: "refusal"; category: string | null; explanation: string | null } | null;
export type RetryStatus = { type: "retrying" } | { type: "exhausted" } | { type: "terminal" };
export type SessionErrorObject =
  | { type: "unknown_error" | "model_overloaded_error" | "model_rate_limited_error" | "model_request_failed_error" | "billing_error" | "tool_use_limit_reached_error" | "compaction_limit_reached_error"; message: string; retry_status: RetryStatus }
  | { type: "mcp_connection_failed_error" | "mcp_authentication_failed_error"; message: string; retry_status: RetryStatus; mcp_server_name: string }
  | { type: "credential_host_unreachable_error"; message: string; retry_status: RetryStatus; credential_id: string; vault_id: string }
  | { type: "repository_authentication_error" | "repository_forbidden_error" | "repository_not_found_error" | "repository_checkout_error" | "repository_clone_error"; message: string; retry_status: RetryStatus; repository_url: string | null };
export interface Usage { input_tokens: number; output_tokens: number; cache_creation_input_tokens: number; cache_read_input_tokens: number; speed?: "standard" | "fast" | null }

export interface UserMessageEvent extends Echo<"user.message"> { content: ContentBlock[] }
export interface UserInterruptEvent extends Echo<"user.interrupt"> { session_thread_id?: string | null }
export interface UserToolConfirmationEvent extends Echo<"user.tool_confirmation"> { tool_use_id: string; result: "allow" | "deny"; deny_message?: string | null; session_thread_id?: string | null }
export interface UserCustomToolResultEvent extends Echo<"user.custom_tool_result"> { custom_tool_use_id: string; content?: ContentBlock[]; is_error?: boolean | null; session_thread_id?: string | null }
export interface UserToolResultEvent extends Echo<"user.tool_result"> { tool_use_id: string; content?: ContentBlock[]; is_error?: boolean | null; session_thread_id?: string | null }
export interface UserDefineOutcomeEvent extends Base<"user.define_outcome"> { outcome_id: string; description: string; rubric: { type: "text"; content: string } | { type: "file"; file_id: string }; max_iterations: number | null }
export interface SystemMessageEvent extends Echo<"system.message"> { content: TextBlock[] }
export interface AgentMessageEvent extends Base<"agent.message"> { content: Array<TextBlock | RedactedBlock> }
export interface AgentThinkingEvent extends Base<"agent.thinking"> {}
export interface AgentCustomToolUseEvent extends Base<"agent.custom_tool_use"> { name: string; input: Record<string, unknown>; session_thread_id?: string | null }
export interface AgentToolUseEvent extends Base<"agent.tool_use"> { name: string; input: Record<string, unknown>; evaluated_permission?: "allow" | "ask" | "deny"; evaluation?: Record<string, unknown>; session_thread_id?: string | null }
export interface AgentToolResultEvent extends Base<"agent.tool_result"> { tool_use_id: string; content?: ContentBlock[]; is_error?: boolean | null }
export interface AgentMcpToolUseEvent extends Base<"agent.mcp_tool_use"> { mcp_server_name: string; name: string; input: Record<string, unknown>; evaluated_permission?: "allow" | "ask" | "deny"; evaluation?: Record<string, unknown>; session_thread_id?: string | null }
export interface AgentMcpToolResultEvent extends Base<"agent.mcp_tool_result"> { mcp_tool_use_id: string; content?: ContentBlock[]; is_error?: boolean | null }
export interface AgentThreadMessageSentEvent extends Base<"agent.thread_message_sent"> { to_session_thread_id: string; content: ContentBlock[]; to_agent_name?: string | null }
export interface AgentThreadMessageReceivedEvent extends Base<"agent.thread_message_received"> { from_session_thread_id: string; content: ContentBlock[]; from_agent_name?: string | null }
export interface AgentThreadContextCompactedEvent extends Base<"agent.thread_context_compacted"> {}
export interface SessionStatusRunningEvent extends Base<"session.status_running"> {}
export interface SessionStatusIdleEvent extends Base<"session.status_idle"> { stop_reason: StopReason; stop_details: StopDetails }
export interface SessionStatusRescheduledEvent extends Base<"session.status_rescheduled"> {}
export interface SessionStatusTerminatedEvent extends Base<"session.status_terminated"> {}
export interface SessionDeletedEvent extends Base<"session.deleted"> {}
export interface SessionErrorEvent extends Base<"session.error"> { error: SessionErrorObject }
export interface SessionUpdatedEvent extends Base<"session.updated"> { agent?: Record<string, unknown> | null; budget?: Record<string, unknown> | null; metadata?: Metadata; title?: string | null }
export interface SessionUsageEvent extends Base<"session.usage"> { usage: Record<string, unknown>; budget?: Record<string, unknown> | null }
export interface SessionThreadCreatedEvent extends Base<"session.thread_created"> { session_thread_id: string; agent_name: string; workflow_run_id: string | null }
export interface SessionThreadStatusRunningEvent extends Base<"session.thread_status_running"> { session_thread_id: string; agent_name: string }
export interface SessionThreadStatusIdleEvent extends Base<"session.thread_status_idle"> { session_thread_id: string; agent_name: string; stop_reason: StopReason; stop_details: StopDetails }
export interface SessionThreadStatusRescheduledEvent extends Base<"session.thread_status_rescheduled"> { session_thread_id: string; agent_name: string }
export interface SessionThreadStatusTerminatedEvent extends Base<"session.thread_status_terminated"> { session_thread_id: string; agent_name: string }
export interface SpanModelRequestStartEvent extends Base<"span.model_request_start"> {}
export interface SpanModelRequestEndEvent extends Base<"span.model_request_end"> { model_request_start_id: string; is_error: boolean | null; model_usage: Usage }
export interface SpanOutcomeEvaluationStartEvent extends Base<"span.outcome_evaluation_start"> { outcome_id: string; iteration: number }
export interface SpanOutcomeEvaluationOngoingEvent extends Base<"span.outcome_evaluation_ongoing"> { outcome_id: string; iteration: number }
export interface SpanOutcomeEvaluationEndEvent extends Base<"span.outcome_evaluation_end"> { outcome_id: string; outcome_evaluation_start_id: string; iteration: number; result: string; explanation: string; usage: Usage }
export interface WorkflowRunCreatedEvent extends Base<"workflow_run.created"> { workflow_run_id: string; name: string; description: string | null; phases: Array<{ id: string; name: string; description: string | null }> }
export interface WorkflowRunStatusRunningEvent extends Base<"workflow_run.status_running"> { workflow_run_id: string }
export interface WorkflowRunStatusIdleEvent extends Base<"workflow_run.status_idle"> { workflow_run_id: string }
export interface WorkflowRunPhaseStartedEvent extends Base<"workflow_run.phase_started"> { workflow_run_id: string; workflow_run_phase_id: string }
export interface WorkflowRunPhaseEndedEvent extends Base<"workflow_run.phase_ended"> { workflow_run_id: string; workflow_run_phase_id: string; phase_started_id: string }
export interface WorkflowRunStatusEndedEvent extends Base<"workflow_run.status_ended"> { workflow_run_id: string; result: { type: "completed" } | { type: "stopped" } | { type: "error"; error: unknown } }
export interface WorkflowRunErrorEvent extends Base<"workflow_run.error"> { workflow_run_id: string | null; error: { type: string; message: string } }
export interface EventStartEvent { type: "event_start"; event: { type: "agent.message" | "agent.thinking"; id: string } }
export interface EventDeltaEvent { type: "event_delta"; event_id: string; delta: { type: "content_delta"; content: TextBlock; index?: number } }
/**
 * An event of a type this version does not know: streams pass it through unchanged, but it
 * is not part of `StreamEvent`, so a `switch` on `event.type` narrows (its `default` branch
 * is where one arrives). Test for one with `isKnownEvent`.
 */
export interface UnknownEvent { type: string; id?: string; [key: string]: unknown }

/** Events stored in history (42 types). */
export type SessionEvent =
  | UserMessageEvent | UserInterruptEvent | UserToolConfirmationEvent | UserCustomToolResultEvent | UserToolResultEvent | UserDefineOutcomeEvent | SystemMessageEvent
  | AgentMessageEvent | AgentThinkingEvent | AgentCustomToolUseEvent | AgentToolUseEvent | AgentToolResultEvent | AgentMcpToolUseEvent | AgentMcpToolResultEvent
  | AgentThreadMessageSentEvent | AgentThreadMessageReceivedEvent | AgentThreadContextCompactedEvent
  | SessionStatusRunningEvent | SessionStatusIdleEvent | SessionStatusRescheduledEvent | SessionStatusTerminatedEvent | SessionDeletedEvent | SessionErrorEvent | SessionUpdatedEvent | SessionUsageEvent
  | SessionThreadCreatedEvent | SessionThreadStatusRunningEvent | SessionThreadStatusIdleEvent | SessionThreadStatusRescheduledEvent | SessionThreadStatusTerminatedEvent
  | SpanModelRequestStartEvent | SpanModelRequestEndEvent | SpanOutcomeEvaluationStartEvent | SpanOutcomeEvaluationOngoingEvent | SpanOutcomeEvaluationEndEvent
  | WorkflowRunCreatedEvent | WorkflowRunStatusRunningEvent | WorkflowRunStatusIdleEvent | WorkflowRunPhaseStartedEvent | WorkflowRunPhaseEndedEvent | WorkflowRunStatusEndedEvent | WorkflowRunErrorEvent;
/**
 * Not an API event: a stream message whose data could not be parsed. The stream goes on
 * after it; `raw` is the text received.
 */
export interface MalformedEvent { type: "outrig.malformed_event"; raw: string; error: string }
/** What a stream yields: the 44 event types and malformed messages (and, at run time, any `UnknownEvent`). */
export type StreamEvent = SessionEvent | EventStartEvent | EventDeltaEvent | MalformedEvent;
/** Whether this version knows the event's type (false for an `UnknownEvent`). */
export function isKnownEvent(event: { type: string }): event is StreamEvent;

export type SendEvent =
  | { type: "user.message"; content: ContentBlock[] }
  | { type: "user.custom_tool_result"; custom_tool_use_id: string; content?: ContentBlock[]; is_error?: boolean | null }
  | { type: "user.tool_result"; tool_use_id: string; content?: ContentBlock[]; is_error?: boolean | null }
  | { type: "user.tool_confirmation"; tool_use_id: string; result: "allow" | "deny"; deny_message?: string | null }
  | { type: "user.interrupt"; session_thread_id?: string | null }
  | { type: "user.define_outcome"; description: string; rubric: { type: "text"; content: string } | { type: "file"; file_id: string }; max_iterations?: number | null }
  | { type: "system.message"; content: TextBlock[] };

import type { Resources, Query } from "./routes.js";

// ---------------------------------------------------------------- the rest of the API

/** `{id, type}` of a deleted object (`vault_deleted`, `memory_deleted`, …). */
export interface Deleted { id: string; type: string }
/** A multipart upload: files as `File`/`Blob` (named `folder/SKILL.md`), and text fields. */
export interface UploadParams { files: Array<File | { name: string; data: Blob | Uint8Array | string }>; display_name?: string }
export interface FileMetadata { type: "file"; id: string; filename: string; mime_type: string; size_bytes: number; created_at: string; downloadable?: boolean }
export interface FileResource { type: "file"; id: string; file_id: string; mount_path: string; created_at: string; updated_at: string }
export type ResourceRetrieveResponse = SessionResource;
export type ResourceUpdateResponse = SessionResource;
export interface SendSessionEvents { data: SessionEvent[] }
export interface Vault { type: "vault"; id: string; display_name: string; metadata: Metadata; created_at: string; updated_at: string; archived_at: string | null }
/** A credential's `auth` as served: never its token, refresh token, client secret or secret value. */
export type CredentialAuth =
  | { type: "mcp_oauth"; mcp_server_url: string; expires_at?: string | null; refresh?: { client_id: string; token_endpoint: string; token_endpoint_auth: { type: "none" | "client_secret_basic" | "client_secret_post" }; resource?: string | null; scope?: string | null } | null }
  | { type: "static_bearer"; mcp_server_url: string }
  | { type: "environment_variable"; secret_name: string; injection_location: { body: boolean; header: boolean }; networking: { type: "unrestricted" } | { type: "limited"; allowed_hosts: string[] } };
export interface Credential { type: "vault_credential"; id: string; vault_id: string; auth: CredentialAuth; display_name?: string | null; metadata: Metadata; created_at: string; updated_at: string; archived_at: string | null }
export interface CredentialValidation { type: "vault_credential_validation"; credential_id: string; vault_id: string; status: "valid" | "invalid" | "unknown"; has_refresh_token: boolean; mcp_probe: Record<string, unknown> | null; refresh: Record<string, unknown> | null; validated_at: string }
export type WorkState = "queued" | "starting" | "active" | "stopping" | "stopped";
export interface SelfHostedWork { type: "work"; id: string; environment_id: string; data: { type: "session"; id: string }; state: WorkState; metadata: Metadata; secret: string | null; created_at: string; acknowledged_at: string | null; latest_heartbeat_at: string | null; started_at: string | null; stop_requested_at: string | null; stopped_at: string | null }
export interface SelfHostedWorkHeartbeatResponse { type: "work_heartbeat"; last_heartbeat: string; lease_extended: boolean; state: WorkState; ttl_seconds: number }
export interface SelfHostedWorkQueueStats { type: "work_queue_stats"; depth: number; pending: number; oldest_queued_at: string | null; workers_polling: number | null }
export interface AgentReference { type: "agent"; id: string; version: number }
export interface Schedule { type: "cron"; expression: string; timezone: string; last_run_at?: string | null; upcoming_runs_at?: string[] | null }
export interface Deployment { type: "deployment"; id: string; name: string; description?: string | null; agent: AgentReference; environment_id: string; initial_events: SendEvent[]; resources: Array<Record<string, unknown>>; vault_ids: string[]; budget?: Record<string, unknown> | null; schedule?: Schedule | null; status: "active" | "paused"; paused_reason?: { type: "manual" } | { type: "error"; error: { type: string; message: string } } | null; metadata: Metadata; created_at: string; updated_at: string; archived_at: string | null }
export interface DeploymentRun { type: "deployment_run"; id: string; deployment_id: string; agent: AgentReference; session_id: string | null; error: { type: string; message: string } | null; trigger_context: { type: "schedule"; scheduled_at: string } | { type: "manual" }; created_at: string }
export interface MemoryStore { type: "memory_store"; id: string; name: string; description: string; metadata: Metadata; created_at: string; updated_at: string; archived_at: string | null }
export interface Memory { type: "memory"; id: string; memory_store_id: string; path: string; content_sha256: string; content_size_bytes: number; content?: string | null; memory_version_id: string; created_at: string; updated_at: string }
export type MemoryListItem = Memory | { type: "memory_prefix"; path: string };
export interface MemoryVersion { type: "memory_version"; id: string; memory_id: string; memory_store_id: string; operation: "created" | "modified" | "deleted"; content?: string | null; content_sha256?: string | null; content_size_bytes?: number | null; path?: string | null; created_by?: Record<string, unknown> | null; redacted_at?: string | null; redacted_by?: Record<string, unknown> | null; created_at: string }
export interface Dream { type: "dream"; id: string; status: "pending" | "running" | "completed" | "failed" | "canceled"; inputs: Array<{ type: "memory_store"; memory_store_id: string } | { type: "sessions"; session_ids: string[] }>; outputs: Array<{ type: "memory_store"; memory_store_id: string }>; model: { id: string; speed?: "standard" | "fast" | null }; instructions: string | null; output_behavior: { type: "create_new" } | { type: "update_existing"; memory_store_id: string }; session_id: string | null; error: { type: string; message: string } | null; usage: Usage; created_at: string; ended_at: string | null; archived_at: string | null }
export interface Tunnel { type: "tunnel"; id: string; domain: string; display_name: string | null; created_at: string; archived_at: string | null }
/** The event types an organization webhook endpoint may enable. */
export type OrganizationWebhookEventType =
  | "external_key.failed" | "external_key.recovered" | "external_storage.failed" | "external_storage.recovered"
  | "user_profile.enforcement_action_opened" | "user_profile.enforcement_action_resolved" | "user_profile.program_status_updated";
/** An organization webhook endpoint. */
export interface OrganizationWebhookEndpoint {
  id: string; url: string; name: string; description: string;
  enabled_events: OrganizationWebhookEventType[];
  state: "enabled" | "disabled"; disabled_reason: string; created_at: string; updated_at: string;
}
/** A new endpoint, with the `whsec_…` secret no other answer returns. */
export interface NewOrganizationWebhookEndpoint extends OrganizationWebhookEndpoint { signing_secret: string }
export interface OrganizationWebhookEndpointSigningSecret { signing_secret: string }
export interface TunnelToken { type: "tunnel_token"; id: string; tunnel_token: string }
export interface TunnelCertificate { type: "tunnel_certificate"; id: string; tunnel_id: string; fingerprint: string; expires_at: string | null; created_at: string; archived_at: string | null }
export interface Skill { type: "skill"; id: string; display_name: string; source: { type: "custom" | "anthropic" | "anthropic_example" | "plugin" }; latest_version_id: string; created_at: string; updated_at: string }
export interface SkillVersion { type: "skill_version"; id: string; skill_id: string; name: string; description: string; created_at: string }

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
    update(id: string, body: { title?: string | null; metadata?: Record<string, string | null> }, options?: RequestOptions): APIPromise<Session>;
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
  /** One request with the retry policy. */
  request(method: "GET" | "POST" | "DELETE", path: string, options?: RequestOptions & { query?: Record<string, unknown>; body?: unknown; stream?: boolean }): Promise<Response>;
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
