// Generated from the serde models of crates/api by
// `OUTRIG_REGENERATE=1 cargo test -p outrig-api --test generated_js`. Do not edit.

/**
 * An agent (spec §4.4).
 */
export type Agent = {
  /** Always `agent`. */
  type: "agent",
  /** `agent_…` */
  id: string,
  /** Starts at 1, grows with each update. */
  version: number,
  /** Name. */
  name: string,
  /** Description. */
  description: string | null,
  /** System prompt. */
  system: string | null,
  /** `{"id","effort"?,"speed"?,"inference_geo"?}` */
  model: ModelConfig,
  /** Toolsets and custom tools. */
  tools: Array<AgentTool>,
  /** MCP servers. */
  mcp_servers: Array<{ type: "url", name: string, url: string }>,
  /** Skills. */
  skills: Array<{ type: "anthropic" | "custom", skill_id: string, version: string }>,
  /** Sub-agent configuration. */
  multiagent: Record<string, unknown> | null,
  /** `{"type":"service_account"}` or `{"type":"aws_role","role_arn"}`. */
  execution_identity: { type: "service_account" } | { type: "aws_role", role_arn: string },
  /** Metadata. */
  metadata: { [key in string]: string },
  /** RFC 3339. */
  created_at: string,
  /** RFC 3339. */
  updated_at: string,
  /** RFC 3339. */
  archived_at: string | null,
};

export type AgentTool = { type: "custom",
  /** 1–128 chars of `[A-Za-z0-9_-]`, unique per agent. */
  name: string,
  /** Shown to the model (required). */
  description: string,
  /** JSON Schema with `"type": "object"`. */
  input_schema: { type: "object", [key: string]: unknown },
} | { type: "agent_toolset_20260401", [key: string]: unknown } | { type: "mcp_toolset", [key: string]: unknown };

/**
 * `{"type":"aws_role","role_arn"}`: the only execution identity on Bedrock.
 */
export type AwsRole = {
  /** `aws_role`. */
  type: string,
  /** The IAM role's ARN. */
  role_arn: string,
};

export type BedrockSessionErrorObject = { type: "s3_access_denied_error",
  /** Human-readable text. */
  message: string,
  /** The failing mount path or working directory; null when none. */
  path: string | null,
  /** Always `exhausted`. */
  retry_status: RetryStatus,
} | { type: "s3_not_found_error",
  /** Human-readable text. */
  message: string,
  /** The failing mount path or working directory; null when none. */
  path: string | null,
  /** Always `exhausted`. */
  retry_status: RetryStatus,
} | { type: "s3_mount_error",
  /** Human-readable text. */
  message: string,
  /** The failing mount path or working directory; null when none. */
  path: string | null,
  /** Always `exhausted`. */
  retry_status: RetryStatus,
} | { type: "s3_copy_error",
  /** Human-readable text. */
  message: string,
  /** The failing mount path or working directory; null when none. */
  path: string | null,
  /** Always `exhausted`. */
  retry_status: RetryStatus,
} | { type: "mount_path_conflict_error",
  /** Human-readable text. */
  message: string,
  /** The failing mount path or working directory; null when none. */
  path: string | null,
  /** Always `exhausted`. */
  retry_status: RetryStatus,
} | { type: "working_directory_error",
  /** Human-readable text. */
  message: string,
  /** The failing mount path or working directory; null when none. */
  path: string | null,
  /** Always `exhausted`. */
  retry_status: RetryStatus,
};

/**
 * A session's cost cap: `{"type":"limit","max_list_cost"}`.
 */
export type BudgetLimit = {
  /** Always `limit`. */
  type: "limit",
  /** The cap, at list price. */
  max_list_cost: Money,
};

export type CallerIdentity = { type: "person_actor",
  /** The identity provider. */
  issuer: string,
  /** The person there. */
  subject: string,
} | { type: "role_actor",
  /** The IAM role's ARN. */
  arn: string,
  /** The IAM role's unique id. */
  role_id: string,
};

export type ContentBlock = TextBlock | ImageBlock | DocumentBlock | SearchResultBlock | RedactedBlock;
/** Plain text. */
export interface TextBlock { type: "text",
  /** The text. */
  text: string,
}
/** An image. */
export interface ImageBlock { type: "image",
  /** Where the image bytes are. */
  source: MediaSource,
}
/** A document (PDF, plain text, …). */
export interface DocumentBlock { type: "document",
  /** Where the document is. */
  source: MediaSource,
  /** Optional title. */
  title?: string | null,
  /** Optional context. */
  context?: string | null,
}
/** A search result (tool results only). */
export interface SearchResultBlock { type: "search_result",
  /** The result's URL. */
  source: string,
  /** The result's title. */
  title: string,
  /** Text blocks of the result. */
  content: Array<TextBlock>,
  /** `{"enabled": bool}` */
  citations: { enabled: boolean },
}
/** Placeholder for content withheld by policy. */
export interface RedactedBlock { type: "redacted" }

/**
 * Body of `POST /v1/agents`.
 */
export type CreateAgent = {
  /** Non-empty name. */
  name: string,
  /** A model id string or a model config object. */
  model: string | ModelConfig,
  /** Description. */
  description?: string | null,
  /** System prompt. */
  system?: string | null,
  /** Tools. */
  tools?: Array<AgentTool>,
  /** MCP servers. */
  mcp_servers?: Array<{ type: "url", name: string, url: string }>,
  /** Skills. */
  skills?: Array<{ type: "anthropic" | "custom", skill_id: string, version?: string | null }>,
  /** Sub-agents. */
  multiagent?: Record<string, unknown> | null,
  /** Execution identity. */
  execution_identity?: { type: "service_account" } | { type: "aws_role", role_arn: string } | null,
  /** Metadata. */
  metadata?: { [key in string]: string },
};

/**
 * Body of `POST /v1/sessions`.
 */
export type CreateSession = {
  /** Agent id string or `{"type":"agent"|"agent_with_overrides","id",...}`. */
  agent: string | { type: "agent", id: string, version?: number } | { type: "agent_with_overrides", id: string, version?: number, [key: string]: unknown },
  /** Environment id. */
  environment_id: string,
  /** Title. */
  title?: string | null,
  /** Metadata. */
  metadata?: { [key in string]: string },
  /** Resources. */
  resources?: Array<{ type: "github_repository", url: string, authorization_token?: string, mount_path?: string | null, checkout?: { type: "branch", name: string } | { type: "commit", sha: string } | null } | { type: "file", file_id: string, mount_path?: string | null } | { type: "memory_store", memory_store_id: string, access?: "read_write" | "read_only" | null, instructions?: string | null }>,
  /** Vaults. */
  vault_ids?: Array<string>,
  /** Budget. */
  budget?: BudgetLimit,
  /** Events processed on creation. */
  initial_events?: Array<SendEvent>,
};

/**
 * A vault credential (`vault_credential`); its secrets are never returned.
 */
export type Credential = {
  /** Always `vault_credential`. */
  type: "vault_credential",
  /** `vcrd_…` */
  id: string,
  /** Its vault. */
  vault_id: string,
  /** `mcp_oauth`, `static_bearer` or `environment_variable`, without secrets. */
  auth: { type: "mcp_oauth", mcp_server_url: string, expires_at?: string | null, refresh?: { client_id: string, token_endpoint: string, token_endpoint_auth: { type: "none" | "client_secret_basic" | "client_secret_post" }, resource?: string | null, scope?: string | null } | null } | { type: "static_bearer", mcp_server_url: string } | { type: "environment_variable", secret_name: string, injection_location: { body: boolean, header: boolean }, networking: { type: "unrestricted" } | { type: "limited", allowed_hosts: string[] } },
  /** Name shown to people. */
  display_name: string | null,
  /** Metadata. */
  metadata: { [key in string]: string },
  /** RFC 3339. */
  created_at: string,
  /** RFC 3339. */
  updated_at: string,
  /** RFC 3339, if archived. */
  archived_at: string | null,
};

/**
 * A deployment (`deployment`): an agent run on a schedule or on demand.
 */
export type Deployment = {
  /** Always `deployment`. */
  type: "deployment",
  /** `depl_…` */
  id: string,
  /** Name. */
  name: string,
  /** Description. */
  description?: string | null,
  /** The agent and version it runs. */
  agent: { type: "agent", id: string, version: number },
  /** The environment. */
  environment_id: string,
  /** Events each run's session starts with. */
  initial_events: Array<SendEvent>,
  /** Resources each run's session gets. */
  resources: Array<Record<string, unknown>>,
  /** Vaults each run's session gets. */
  vault_ids: Array<string>,
  /** Each run's cost cap. */
  budget?: BudgetLimit | null,
  /** When it runs by itself. */
  schedule?: { type: "cron", expression: string, timezone: string, last_run_at?: string | null, upcoming_runs_at?: string[] | null } | null,
  /** `active` or `paused`. */
  status: "active" | "paused",
  /** Why it is paused. */
  paused_reason?: { type: "manual" } | { type: "error", error: { type: string, message: string } } | null,
  /** Metadata. */
  metadata: { [key in string]: string },
  /** RFC 3339. */
  created_at: string,
  /** RFC 3339. */
  updated_at: string,
  /** RFC 3339, if archived. */
  archived_at: string | null,
};

/**
 * One run of a deployment (`deployment_run`).
 */
export type DeploymentRun = {
  /** Always `deployment_run`. */
  type: "deployment_run",
  /** `drun_…` */
  id: string,
  /** Its deployment. */
  deployment_id: string,
  /** The agent and version it ran. */
  agent: { type: "agent", id: string, version: number },
  /** The session it started, if it got that far. */
  session_id: string | null,
  /** Why it failed. */
  error: { type: string, message: string } | null,
  /** What started it. */
  trigger_context: { type: "schedule", scheduled_at: string } | { type: "manual" },
  /** RFC 3339. */
  created_at: string,
};

/**
 * A dream (`dream`): memory consolidation run over stores and sessions.
 */
export type Dream = {
  /** Always `dream`. */
  type: "dream",
  /** `dream_…` */
  id: string,
  /** `pending`, `running`, `completed`, `failed` or `canceled`. */
  status: "pending" | "running" | "completed" | "failed" | "canceled",
  /** What it reads. */
  inputs: Array<{ type: "memory_store", memory_store_id: string } | { type: "sessions", session_ids: string[] }>,
  /** What it wrote. */
  outputs: Array<{ type: "memory_store", memory_store_id: string }>,
  /** The model it runs. */
  model: { id: string, speed?: "standard" | "fast" | null },
  /** Extra instructions. */
  instructions: string | null,
  /** Where it writes. */
  output_behavior: { type: "create_new" } | { type: "update_existing", memory_store_id: string },
  /** The session it runs in. */
  session_id: string | null,
  /** Why it failed. */
  error: { type: string, message: string } | null,
  /** Tokens used. */
  usage: Usage,
  /** RFC 3339. */
  created_at: string,
  /** RFC 3339, once ended. */
  ended_at: string | null,
  /** RFC 3339, if archived. */
  archived_at: string | null,
};

/**
 * `{"type":"accept"|"decline"|"cancel"}`
 */
export type ElicitationAnswer = {
  /** `accept` (the call is retried), `decline` or `cancel` (it ends with an error). */
  type: string,
};

/**
 * `{"type":"url","message","url"}`: what the person is asked to do, and where.
 */
export type ElicitationRequest = {
  /** `url`. */
  type: string,
  /** Shown to the person (`""` when none). */
  message: string,
  /** Where to act; null for anyone but the person who created the session. */
  url: string | null,
};

/**
 * An environment (spec §5.2).
 */
export type Environment = {
  /** Always `environment`. */
  type: "environment",
  /** `env_…` */
  id: string,
  /** Name. */
  name: string,
  /** Description. */
  description: string | null,
  /** Cloud or self-hosted config. */
  config: { type: "cloud", networking: { type: "unrestricted" } | { type: "limited", allowed_hosts: string[], allow_mcp_servers: boolean, allow_package_managers: boolean }, packages: { type?: "packages", apt: string[], cargo: string[], gem: string[], go: string[], npm: string[], pip: string[] } } | { type: "self_hosted" },
  /** Metadata. */
  metadata: { [key in string]: string },
  /** `organization` or `account`. */
  scope?: "organization" | "account",
  /** RFC 3339. */
  created_at: string,
  /** RFC 3339. */
  updated_at: string,
  /** RFC 3339. */
  archived_at: string | null,
};

/**
 * Body of `POST /v1/environments` (and, all optional, of its update).
 */
export type EnvironmentParams = {
  /** Name (required on create). */
  name?: string,
  /** Config. */
  config?: { type: "cloud", networking?: { type: "unrestricted" } | { type: "limited", allowed_hosts?: string[], allow_mcp_servers?: boolean, allow_package_managers?: boolean }, packages?: { type?: "packages", apt?: string[] | null, cargo?: string[] | null, gem?: string[] | null, go?: string[] | null, npm?: string[] | null, pip?: string[] | null } } | { type: "self_hosted" } | null,
  /** Description. */
  description?: string | null,
  /** Metadata (patch on update). */
  metadata?: Record<string, string | null>,
  /** Scope. */
  scope?: "organization" | "account" | null,
};

/**
 * Files API metadata (spec §12.1).
 */
export type FileMetadata = {
  /** Always `file`. */
  type: "file",
  /** `file_…` */
  id: string,
  /** Last path component of the upload. */
  filename: string,
  /** MIME type. */
  mime_type: string,
  /** Size. */
  size_bytes: number,
  /** RFC 3339. */
  created_at: string,
  /** Whether the content can be downloaded. */
  downloadable?: boolean,
  /** Expiry. */
  expires_at?: string | null,
  /** `{"type":"session","id"}`. */
  scope?: { type: string, id: string } | null,
};

export type KnownBedrockEvent = AgentMcpElicitationBedrockEvent | UserMcpElicitationResponseBedrockEvent;
/** An MCP server asks the person to act at a URL; its call waits. */
export interface AgentMcpElicitationBedrockEvent { type: "agent.mcp_elicitation",
  /** Event id (`sevt_…`). */
  id: string,
  /** When processed. */
  processed_at: string,
  /** The MCP server asking. */
  mcp_server_name: string,
  /** The waiting `agent.mcp_tool_use`. */
  mcp_tool_use_id: string,
  /** What is asked. */
  request: ElicitationRequest,
  /** Set only on the primary thread's copy of a sub-thread's elicitation. */
  session_thread_id: string | null,
}
/** The person's answer to an elicitation. */
export interface UserMcpElicitationResponseBedrockEvent { type: "user.mcp_elicitation_response",
  /** Event id. */
  id: string,
  /** The elicitation answered. */
  mcp_elicitation_id: string,
  /** `{"type":"accept"|"decline"|"cancel"}` (an unknown type reads as answered). */
  response: ElicitationAnswer,
  /** When applied; null until then (always null in the send response). */
  processed_at: string | null,
  /** The thread, if a sub-thread's. */
  session_thread_id: string | null,
  /** Who sent it. */
  sent_by: CallerIdentity | null,
}

export type KnownEvent = UserMessageEvent | UserInterruptEvent | UserToolConfirmationEvent | UserCustomToolResultEvent | UserToolResultEvent | UserDefineOutcomeEvent | SystemMessageEvent | AgentMessageEvent | AgentThinkingEvent | AgentCustomToolUseEvent | AgentToolUseEvent | AgentToolResultEvent | AgentMcpToolUseEvent | AgentMcpToolResultEvent | AgentThreadMessageSentEvent | AgentThreadMessageReceivedEvent | AgentThreadContextCompactedEvent | SessionStatusRunningEvent | SessionStatusIdleEvent | SessionStatusRescheduledEvent | SessionStatusTerminatedEvent | SessionDeletedEvent | SessionErrorEvent | SessionUpdatedEvent | SessionUsageEvent | SessionThreadCreatedEvent | SessionThreadStatusRunningEvent | SessionThreadStatusIdleEvent | SessionThreadStatusRescheduledEvent | SessionThreadStatusTerminatedEvent | SpanModelRequestStartEvent | SpanModelRequestEndEvent | SpanOutcomeEvaluationStartEvent | SpanOutcomeEvaluationOngoingEvent | SpanOutcomeEvaluationEndEvent | WorkflowRunCreatedEvent | WorkflowRunStatusRunningEvent | WorkflowRunStatusIdleEvent | WorkflowRunPhaseStartedEvent | WorkflowRunPhaseEndedEvent | WorkflowRunStatusEndedEvent | WorkflowRunErrorEvent | EventStartEvent | EventDeltaEvent;
/** Echo of a user message; starts a turn. */
export interface UserMessageEvent { type: "user.message",
  /** Event id. */
  id: string,
  /** Set once processed. */
  processed_at?: string | null,
  /** The content. */
  content: Array<ContentBlock>,
}
/** Echo of an interrupt. */
export interface UserInterruptEvent { type: "user.interrupt",
  /** Event id. */
  id: string,
  /** Set once processed. */
  processed_at?: string | null,
  /** Only this thread, or every thread when absent. */
  session_thread_id?: string | null,
}
/** Echo of an allow/deny answer to an `ask`-gated tool call. */
export interface UserToolConfirmationEvent { type: "user.tool_confirmation",
  /** Event id. */
  id: string,
  /** Set once processed. */
  processed_at?: string | null,
  /** The `agent.tool_use` / `agent.mcp_tool_use` answered. */
  tool_use_id: string,
  /** `allow` or `deny`. */
  result: "allow" | "deny",
  /** Why it was denied. */
  deny_message?: string | null,
  /** Thread it was routed to. */
  session_thread_id?: string | null,
}
/** Echo of a custom tool result. */
export interface UserCustomToolResultEvent { type: "user.custom_tool_result",
  /** Event id. */
  id: string,
  /** Set once processed. */
  processed_at?: string | null,
  /** The `agent.custom_tool_use` answered. */
  custom_tool_use_id: string,
  /** Result content. */
  content?: Array<ContentBlock>,
  /** Whether the call failed. */
  is_error?: boolean | null,
  /** Thread it was routed to. */
  session_thread_id?: string | null,
}
/** Echo of a built-in tool result (self-hosted environments). */
export interface UserToolResultEvent { type: "user.tool_result",
  /** Event id. */
  id: string,
  /** Set once processed. */
  processed_at?: string | null,
  /** The `agent.tool_use` answered. */
  tool_use_id: string,
  /** Result content. */
  content?: Array<ContentBlock>,
  /** Whether the call failed. */
  is_error?: boolean | null,
  /** Thread it was routed to. */
  session_thread_id?: string | null,
}
/** Echo of an outcome definition. */
export interface UserDefineOutcomeEvent { type: "user.define_outcome",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** Server-generated outcome id. */
  outcome_id: string,
  /** What done looks like. */
  description: string,
  /** `{"type":"text","content"}` or `{"type":"file","file_id"}`. */
  rubric: { type: "text", content: string } | { type: "file", file_id: string },
  /** Iteration cap. */
  max_iterations: number | null,
}
/** Echo of a system message. */
export interface SystemMessageEvent { type: "system.message",
  /** Event id. */
  id: string,
  /** Set once processed. */
  processed_at?: string | null,
  /** The content. */
  content: Array<ContentBlock>,
}
/** Text from the agent. */
export interface AgentMessageEvent { type: "agent.message",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** Text and redacted blocks. */
  content: Array<ContentBlock>,
}
/** The agent is thinking (no text). */
export interface AgentThinkingEvent { type: "agent.thinking",
  /** Event id. */
  id: string,
  /** When the platform processed it. */
  processed_at: string,
}
/** The agent calls a custom tool: the client must answer. */
export interface AgentCustomToolUseEvent { type: "agent.custom_tool_use",
  /** Event id; answer with `custom_tool_use_id` = this. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** The custom tool's name. */
  name: string,
  /** The tool input (a JSON object). */
  input: Record<string, unknown>,
  /** Sub-agent thread that made the call. */
  session_thread_id?: string | null,
}
/** The agent calls a built-in tool. */
export interface AgentToolUseEvent { type: "agent.tool_use",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** Built-in tool name. */
  name: string,
  /** Tool input. */
  input: Record<string, unknown>,
  /** `allow`, `ask` or `deny`. */
  evaluated_permission?: "allow" | "ask" | "deny",
  /** How the permission was decided (O, open union). */
  evaluation?: Record<string, unknown>,
  /** Sub-agent thread. */
  session_thread_id?: string | null,
}
/** Result of a built-in tool. */
export interface AgentToolResultEvent { type: "agent.tool_result",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** The `agent.tool_use` this answers. */
  tool_use_id: string,
  /** Result content. */
  content?: Array<ContentBlock>,
  /** Whether the call failed. */
  is_error?: boolean | null,
}
/** The agent calls an MCP tool. */
export interface AgentMcpToolUseEvent { type: "agent.mcp_tool_use",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** The MCP server. */
  mcp_server_name: string,
  /** The MCP tool. */
  name: string,
  /** Tool input. */
  input: Record<string, unknown>,
  /** `allow`, `ask` or `deny`. */
  evaluated_permission?: "allow" | "ask" | "deny",
  /** How the permission was decided (O, open union). */
  evaluation?: Record<string, unknown>,
  /** Sub-agent thread. */
  session_thread_id?: string | null,
}
/** Result of an MCP tool. */
export interface AgentMcpToolResultEvent { type: "agent.mcp_tool_result",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** The `agent.mcp_tool_use` this answers. */
  mcp_tool_use_id: string,
  /** Result content. */
  content?: Array<ContentBlock>,
  /** Whether the call failed. */
  is_error?: boolean | null,
}
/** A message sent to another thread. */
export interface AgentThreadMessageSentEvent { type: "agent.thread_message_sent",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** Receiving thread. */
  to_session_thread_id: string,
  /** The message. */
  content: Array<ContentBlock>,
  /** Receiving agent, absent for the primary. */
  to_agent_name?: string | null,
}
/** A message received from another thread. */
export interface AgentThreadMessageReceivedEvent { type: "agent.thread_message_received",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** Sending thread. */
  from_session_thread_id: string,
  /** The message. */
  content: Array<ContentBlock>,
  /** Sending agent. */
  from_agent_name?: string | null,
}
/** The thread's context was compacted. */
export interface AgentThreadContextCompactedEvent { type: "agent.thread_context_compacted",
  /** Event id. */
  id: string,
  /** When the platform processed it. */
  processed_at: string,
}
/** The session started working. */
export interface SessionStatusRunningEvent { type: "session.status_running",
  /** Event id. */
  id: string,
  /** When the platform processed it. */
  processed_at: string,
}
/** The session paused; `stop_reason` says why. */
export interface SessionStatusIdleEvent { type: "session.status_idle",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** Why the session stopped. */
  stop_reason: StopReason,
  /** Refusal details or null. */
  stop_details: { type: "refusal", category: string | null, explanation: string | null } | null,
}
/** The platform is retrying after a transient error. */
export interface SessionStatusRescheduledEvent { type: "session.status_rescheduled",
  /** Event id. */
  id: string,
  /** When the platform processed it. */
  processed_at: string,
}
/** The session ended and accepts no more input. */
export interface SessionStatusTerminatedEvent { type: "session.status_terminated",
  /** Event id. */
  id: string,
  /** When the platform processed it. */
  processed_at: string,
}
/** The session was deleted; streams end. */
export interface SessionDeletedEvent { type: "session.deleted",
  /** Event id. */
  id: string,
  /** When the platform processed it. */
  processed_at: string,
}
/** An error in the session. */
export interface SessionErrorEvent { type: "session.error",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** The error. */
  error: SessionErrorObject,
}
/** Session fields changed. */
export interface SessionUpdatedEvent { type: "session.updated",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** New agent snapshot. */
  agent?: Record<string, unknown> | null,
  /** New budget, null = removed. */
  budget?: BudgetLimit,
  /** Full metadata bag. */
  metadata?: Record<string, string>,
  /** New title. */
  title?: string | null,
}
/** Running usage totals. */
export interface SessionUsageEvent { type: "session.usage",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** Usage snapshot. */
  usage: SessionUsage,
  /** Budget. */
  budget?: BudgetLimit,
}
/** A child thread was created. */
export interface SessionThreadCreatedEvent { type: "session.thread_created",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** The new thread. */
  session_thread_id: string,
  /** Its agent. */
  agent_name: string,
  /** Workflow run it serves. */
  workflow_run_id: string | null,
}
/** A thread started working. */
export interface SessionThreadStatusRunningEvent { type: "session.thread_status_running",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** The thread. */
  session_thread_id: string,
  /** Its agent. */
  agent_name: string,
}
/** A thread paused. */
export interface SessionThreadStatusIdleEvent { type: "session.thread_status_idle",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** The thread. */
  session_thread_id: string,
  /** Its agent. */
  agent_name: string,
  /** Why it stopped. */
  stop_reason: StopReason,
  /** Refusal details or null. */
  stop_details: { type: "refusal", category: string | null, explanation: string | null } | null,
}
/** A thread is being retried. */
export interface SessionThreadStatusRescheduledEvent { type: "session.thread_status_rescheduled",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** The thread. */
  session_thread_id: string,
  /** Its agent. */
  agent_name: string,
}
/** A thread ended. */
export interface SessionThreadStatusTerminatedEvent { type: "session.thread_status_terminated",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** The thread. */
  session_thread_id: string,
  /** Its agent. */
  agent_name: string,
}
/** A model request started. */
export interface SpanModelRequestStartEvent { type: "span.model_request_start",
  /** Event id. */
  id: string,
  /** When the platform processed it. */
  processed_at: string,
}
/** A model request ended. */
export interface SpanModelRequestEndEvent { type: "span.model_request_end",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** The matching start event. */
  model_request_start_id: string,
  /** Whether the request failed. */
  is_error: boolean | null,
  /** Token usage. */
  model_usage: Usage,
}
/** An outcome evaluation started. */
export interface SpanOutcomeEvaluationStartEvent { type: "span.outcome_evaluation_start",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** The outcome. */
  outcome_id: string,
  /** 0-based iteration. */
  iteration: number,
}
/** An outcome evaluation heartbeat. */
export interface SpanOutcomeEvaluationOngoingEvent { type: "span.outcome_evaluation_ongoing",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** The outcome. */
  outcome_id: string,
  /** 0-based iteration. */
  iteration: number,
}
/** An outcome evaluation ended. */
export interface SpanOutcomeEvaluationEndEvent { type: "span.outcome_evaluation_end",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** The outcome. */
  outcome_id: string,
  /** The matching start event. */
  outcome_evaluation_start_id: string,
  /** 0-based iteration. */
  iteration: number,
  /** `satisfied`, `needs_revision`, … (open). */
  result: "satisfied" | "needs_revision" | "max_iterations_reached" | "failed" | "interrupted" | (string & {}),
  /** Why. */
  explanation: string,
  /** Token usage. */
  usage: Usage,
}
/** A workflow run was created. */
export interface WorkflowRunCreatedEvent { type: "workflow_run.created",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** The run. */
  workflow_run_id: string,
  /** Its name. */
  name: string,
  /** Its description. */
  description: string | null,
  /** `[{"id","name","description"}]` */
  phases: Array<{ id: string, name: string, description: string | null }>,
}
/** A workflow run started working. */
export interface WorkflowRunStatusRunningEvent { type: "workflow_run.status_running",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** The run. */
  workflow_run_id: string,
}
/** A workflow run paused. */
export interface WorkflowRunStatusIdleEvent { type: "workflow_run.status_idle",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** The run. */
  workflow_run_id: string,
}
/** A workflow phase started. */
export interface WorkflowRunPhaseStartedEvent { type: "workflow_run.phase_started",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** The run. */
  workflow_run_id: string,
  /** The phase. */
  workflow_run_phase_id: string,
}
/** A workflow phase ended. */
export interface WorkflowRunPhaseEndedEvent { type: "workflow_run.phase_ended",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** The run. */
  workflow_run_id: string,
  /** The phase. */
  workflow_run_phase_id: string,
  /** The matching start event. */
  phase_started_id: string,
}
/** A workflow run ended. */
export interface WorkflowRunStatusEndedEvent { type: "workflow_run.status_ended",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** The run. */
  workflow_run_id: string,
  /** `completed`, `stopped` or `error`. */
  result: { type: "completed" } | { type: "stopped" } | { type: "error", error: { type: string, message: string } },
}
/** A workflow run failed. */
export interface WorkflowRunErrorEvent { type: "workflow_run.error",
  /** Event id. */
  id: string,
  /** When processed. */
  processed_at: string,
  /** The run. */
  workflow_run_id: string | null,
  /** `{"type","message"}` */
  error: { type: string, message: string },
}
/** Preview: a message or thinking event is starting (only with `event_deltas`). */
export interface EventStartEvent { type: "event_start",
  /** `{"type":"agent.message"|"agent.thinking","id"}` */
  event: { type: "agent.message" | "agent.thinking", id: string },
}
/** Preview: a text fragment of a message being written. */
export interface EventDeltaEvent { type: "event_delta",
  /** The id the final event will carry. */
  event_id: string,
  /** `{"type":"content_delta","content":{"type":"text","text"},"index"?}` */
  delta: { type: "content_delta", content: TextBlock, index?: number },
}

export type MediaSource = { type: "base64",
  /** MIME type, e.g. `image/png`. */
  media_type: string,
  /** The data (base64 or text). */
  data: string,
} | { type: "text",
  /** MIME type, e.g. `image/png`. */
  media_type: string,
  /** The data (base64 or text). */
  data: string,
} | { type: "url",
  /** The URL. */
  url: string,
} | { type: "file",
  /** A Files API id. */
  file_id: string,
};

/**
 * A memory (`memory`): a file in a memory store.
 */
export type Memory = {
  /** Always `memory`. */
  type: "memory",
  /** `mem_…` */
  id: string,
  /** Its store. */
  memory_store_id: string,
  /** Its path in the store. */
  path: string,
  /** SHA-256 of the content, hex. */
  content_sha256: string,
  /** Content size. */
  content_size_bytes: number,
  /** The content (when asked for). */
  content?: string | null,
  /** The version this is. */
  memory_version_id: string,
  /** RFC 3339. */
  created_at: string,
  /** RFC 3339. */
  updated_at: string,
};

/**
 * A memory store (`memory_store`).
 */
export type MemoryStore = {
  /** Always `memory_store`. */
  type: "memory_store",
  /** `memstore_…` */
  id: string,
  /** Name. */
  name: string,
  /** Description. */
  description: string,
  /** Metadata. */
  metadata: { [key in string]: string },
  /** RFC 3339. */
  created_at: string,
  /** RFC 3339. */
  updated_at: string,
  /** RFC 3339, if archived. */
  archived_at: string | null,
};

/**
 * A version of a memory (`memory_version`).
 */
export type MemoryVersion = {
  /** Always `memory_version`. */
  type: "memory_version",
  /** `memver_…` */
  id: string,
  /** Its memory. */
  memory_id: string,
  /** Its store. */
  memory_store_id: string,
  /** `created`, `modified` or `deleted`. */
  operation: "created" | "modified" | "deleted",
  /** The content (when asked for; gone once redacted). */
  content?: string | null,
  /** SHA-256 of the content, hex. */
  content_sha256?: string | null,
  /** Content size. */
  content_size_bytes?: number | null,
  /** The memory's path at this version. */
  path?: string | null,
  /** Who made it. */
  created_by?: Record<string, unknown> | null,
  /** RFC 3339, if redacted. */
  redacted_at?: string | null,
  /** Who redacted it. */
  redacted_by?: Record<string, unknown> | null,
  /** RFC 3339. */
  created_at: string,
};

/**
 * The model an agent runs: a bare id on input, this object on output.
 */
export type ModelConfig = {
  /** The model id. */
  id: string,
  /** How much effort the model spends. */
  effort?: { type: "low" | "medium" | "high" | "xhigh" | "max" },
  /** `standard` or `fast`. */
  speed?: "standard" | "fast",
  /** Where inference runs. */
  inference_geo?: string | null,
};

/**
 * An amount of money.
 */
export type Money = {
  /** A decimal string. */
  amount: string,
  /** `USD`. */
  currency: "USD",
};

/**
 * A new endpoint, with the signing secret no other answer returns.
 */
export type NewOrganizationWebhookEndpoint = {
  /** The `whsec_…` secret deliveries are signed with (hidden from `Debug`). */
  signing_secret: string,
  /** Endpoint id. */
  id: string,
  /** The HTTPS URL deliveries go to. */
  url: string,
  /** A short label (empty when none was given). */
  name: string,
  /** Notes (empty when none were given). */
  description: string,
  /** The event types delivered. */
  enabled_events: Array<"external_key.failed" | "external_key.recovered" | "external_storage.failed" | "external_storage.recovered" | "user_profile.enforcement_action_opened" | "user_profile.enforcement_action_resolved" | "user_profile.program_status_updated">,
  /** `enabled` or `disabled`. */
  state: "enabled" | "disabled",
  /** Why the platform disabled it (empty otherwise). */
  disabled_reason: string,
  /** RFC 3339. */
  created_at: string,
  /** RFC 3339. */
  updated_at: string,
};

/**
 * An organization webhook endpoint (`GET /v1/organizations/webhooks/{id}`).
 */
export type OrganizationWebhookEndpoint = {
  /** Endpoint id. */
  id: string,
  /** The HTTPS URL deliveries go to. */
  url: string,
  /** A short label (empty when none was given). */
  name: string,
  /** Notes (empty when none were given). */
  description: string,
  /** The event types delivered. */
  enabled_events: Array<"external_key.failed" | "external_key.recovered" | "external_storage.failed" | "external_storage.recovered" | "user_profile.enforcement_action_opened" | "user_profile.enforcement_action_resolved" | "user_profile.program_status_updated">,
  /** `enabled` or `disabled`. */
  state: "enabled" | "disabled",
  /** Why the platform disabled it (empty otherwise). */
  disabled_reason: string,
  /** RFC 3339. */
  created_at: string,
  /** RFC 3339. */
  updated_at: string,
};

/**
 * An endpoint's new signing secret (`regenerate_signing_secret`).
 */
export type OrganizationWebhookEndpointSigningSecret = {
  /** The new `whsec_…` secret (hidden from `Debug`). */
  signing_secret: string,
};

/**
 * The state of one outcome of a session.
 */
export type OutcomeEvaluation = {
  /** Always `outcome_evaluation`. */
  type: "outcome_evaluation",
  /** The outcome. */
  outcome_id: string,
  /** What done looks like. */
  description: string,
  /** `pending`, `evaluating`, `satisfied`, `needs_revision`, `max_iterations_reached`,
   * `failed` or `interrupted`. */
  result: string,
  /** The iteration evaluated. */
  iteration: number,
  /** Why the evaluator decided so. */
  explanation: string | null,
  /** When the evaluation ended. */
  completed_at: string | null,
};

export type RetryStatus = { type: "retrying" } | { type: "exhausted" } | { type: "terminal" };

export type SendEvent = { type: "user.message",
  /** The content blocks. */
  content: Array<ContentBlock>,
} | { type: "user.custom_tool_result",
  /** The `agent.custom_tool_use` answered. */
  custom_tool_use_id: string,
  /** Result content. */
  content?: Array<ContentBlock>,
  /** Whether the call failed. */
  is_error?: boolean | null,
} | { type: "user.tool_result",
  /** The `agent.tool_use` answered. */
  tool_use_id: string,
  /** Result content. */
  content?: Array<ContentBlock>,
  /** Whether the call failed. */
  is_error?: boolean | null,
} | { type: "user.tool_confirmation",
  /** The tool call answered. */
  tool_use_id: string,
  /** `allow` or `deny`. */
  result: "allow" | "deny",
  /** Only with `deny`. */
  deny_message?: string | null,
} | { type: "user.interrupt",
  /** Only this thread; every thread when absent. */
  session_thread_id?: string | null,
} | { type: "user.define_outcome",
  /** What done looks like. */
  description: string,
  /** `{"type":"text","content"}` or `{"type":"file","file_id"}`. */
  rubric: { type: "text", content: string } | { type: "file", file_id: string },
  /** Iteration cap (default 3, max 20). */
  max_iterations?: number | null,
} | { type: "system.message",
  /** The content blocks. */
  content: Array<ContentBlock>,
};

/**
 * A session (spec §6.3).
 */
export type Session = {
  /** Always `session`. */
  type: "session",
  /** `sesn_…` */
  id: string,
  /** Status. */
  status: SessionStatus,
  /** Title. */
  title: string | null,
  /** Environment. */
  environment_id: string,
  /** Snapshot of the agent at creation. */
  agent: Omit<Agent, "metadata" | "created_at" | "updated_at" | "archived_at">,
  /** Resources. */
  resources: Array<SessionResource>,
  /** Metadata. */
  metadata: { [key in string]: string },
  /** Vaults. */
  vault_ids: Array<string>,
  /** Budget. */
  budget: BudgetLimit | null,
  /** Usage. */
  usage: SessionUsage,
  /** Stats. */
  stats: SessionStats,
  /** Outcome evaluations. */
  outcome_evaluations: Array<OutcomeEvaluation>,
  /** RFC 3339. */
  created_at: string,
  /** RFC 3339. */
  updated_at: string,
  /** RFC 3339. */
  archived_at: string | null,
  /** Deployment. */
  deployment_id?: string | null,
};

export type SessionErrorObject = { type: "unknown_error",
  /** Human-readable text. */
  message: string,
  /** Retry outlook. */
  retry_status: RetryStatus,
} | { type: "model_overloaded_error",
  /** Human-readable text. */
  message: string,
  /** Retry outlook. */
  retry_status: RetryStatus,
} | { type: "model_rate_limited_error",
  /** Human-readable text. */
  message: string,
  /** Retry outlook. */
  retry_status: RetryStatus,
} | { type: "model_request_failed_error",
  /** Human-readable text. */
  message: string,
  /** Retry outlook. */
  retry_status: RetryStatus,
} | { type: "mcp_connection_failed_error",
  /** Human-readable text. */
  message: string,
  /** Retry outlook. */
  retry_status: RetryStatus,
  /** The MCP server concerned. */
  mcp_server_name: string,
} | { type: "mcp_authentication_failed_error",
  /** Human-readable text. */
  message: string,
  /** Retry outlook. */
  retry_status: RetryStatus,
  /** The MCP server concerned. */
  mcp_server_name: string,
} | { type: "billing_error",
  /** Human-readable text. */
  message: string,
  /** Retry outlook. */
  retry_status: RetryStatus,
} | { type: "credential_host_unreachable_error",
  /** Human-readable text. */
  message: string,
  /** Retry outlook. */
  retry_status: RetryStatus,
  /** The credential concerned. */
  credential_id: string,
  /** Its vault. */
  vault_id: string,
} | { type: "tool_use_limit_reached_error",
  /** Human-readable text. */
  message: string,
  /** Retry outlook. */
  retry_status: RetryStatus,
} | { type: "compaction_limit_reached_error",
  /** Human-readable text. */
  message: string,
  /** Retry outlook. */
  retry_status: RetryStatus,
} | { type: "repository_authentication_error",
  /** Human-readable text. */
  message: string,
  /** Retry outlook. */
  retry_status: RetryStatus,
  /** The repository. */
  repository_url: string | null,
} | { type: "repository_forbidden_error",
  /** Human-readable text. */
  message: string,
  /** Retry outlook. */
  retry_status: RetryStatus,
  /** The repository. */
  repository_url: string | null,
} | { type: "repository_not_found_error",
  /** Human-readable text. */
  message: string,
  /** Retry outlook. */
  retry_status: RetryStatus,
  /** The repository. */
  repository_url: string | null,
} | { type: "repository_checkout_error",
  /** Human-readable text. */
  message: string,
  /** Retry outlook. */
  retry_status: RetryStatus,
  /** The repository. */
  repository_url: string | null,
} | { type: "repository_clone_error",
  /** Human-readable text. */
  message: string,
  /** Retry outlook. */
  retry_status: RetryStatus,
  /** The repository. */
  repository_url: string | null,
};

export type SessionResource = { type: "github_repository",
  /** `sesrsc_…` */
  id: string,
  /** The repository URL. */
  url: string,
  /** Where it is cloned. */
  mount_path: string,
  /** RFC 3339. */
  created_at: string,
  /** RFC 3339. */
  updated_at: string,
  /** The branch or commit checked out. */
  checkout?: { type: "branch", name: string } | { type: "commit", sha: string } | null,
} | { type: "file",
  /** `sesrsc_…` */
  id: string,
  /** The Files API id. */
  file_id: string,
  /** Where it is mounted. */
  mount_path: string,
  /** RFC 3339. */
  created_at: string,
  /** RFC 3339. */
  updated_at: string,
} | { type: "memory_store",
  /** `memstore_…` */
  memory_store_id: string,
  /** Read-write or read-only. */
  access?: "read_write" | "read_only" | null,
  /** How the agent should use it. */
  instructions?: string | null,
  /** Where it is mounted. */
  mount_path?: string | null,
  /** The store's name. */
  name?: string | null,
  /** The store's description. */
  description?: string,
};

/**
 * A session's or thread's time counters.
 */
export type SessionStats = {
  /** Active time summed over threads. */
  active_seconds?: number,
  /** Time since creation (frozen when terminated). */
  duration_seconds?: number,
  /** Time the container took to start. */
  startup_seconds?: number,
};

/**
 * Session status.
 */
export type SessionStatus = "idle" | "running" | "rescheduling" | "terminated";

/**
 * A session thread (spec §8).
 */
export type SessionThread = {
  /** Always `session_thread`. */
  type: "session_thread",
  /** `sthr_…` */
  id: string,
  /** Owning session. */
  session_id: string,
  /** Status. */
  status: SessionStatus,
  /** The thread's agent. */
  agent: Record<string, unknown>,
  /** Parent thread, null for the primary. */
  parent_thread_id: string | null,
  /** Workflow run. */
  workflow_run_id: string | null,
  /** Stats. */
  stats: SessionStats | null,
  /** Usage. */
  usage: SessionUsage | null,
  /** RFC 3339. */
  created_at: string,
  /** RFC 3339. */
  updated_at: string,
  /** RFC 3339. */
  archived_at: string | null,
};

/**
 * A session's running totals (every field optional; a new session may have none).
 */
export type SessionUsage = {
  /** Input tokens. */
  input_tokens?: number,
  /** Output tokens. */
  output_tokens?: number,
  /** Input tokens read from the cache. */
  cache_read_input_tokens?: number,
  /** Input tokens written to the cache, by lifetime. */
  cache_creation?: { ephemeral_5m_input_tokens?: number, ephemeral_1h_input_tokens?: number },
  /** Wall time with at least one running thread (the billed runtime). */
  active_seconds?: number,
  /** List price so far, once cost tracking is available. */
  list_cost?: Money,
  /** Server tool requests. */
  server_tool_use?: { web_search_requests?: number, web_fetch_requests?: number } | null,
};

/**
 * A skill (`skill`).
 */
export type Skill = {
  /** Always `skill`. */
  type: "skill",
  /** `skill_…` */
  id: string,
  /** Name shown to people. */
  display_name: string,
  /** Where it comes from. */
  source: { type: "custom" | "anthropic" | "anthropic_example" | "plugin" },
  /** Its newest version. */
  latest_version_id: string,
  /** RFC 3339. */
  created_at: string,
  /** RFC 3339. */
  updated_at: string,
};

/**
 * A version of a skill (`skill_version`).
 */
export type SkillVersion = {
  /** Always `skill_version`. */
  type: "skill_version",
  /** Version id. */
  id: string,
  /** Its skill. */
  skill_id: string,
  /** The name in its `SKILL.md`. */
  name: string,
  /** The description in its `SKILL.md`. */
  description: string,
  /** RFC 3339. */
  created_at: string,
};

export type StopReason = { type: "end_turn" } | { type: "requires_action",
  /** Ids of the events awaiting an answer. */
  event_ids: Array<string>,
} | { type: "retries_exhausted" } | { type: "budget_reached" } | { type: "refusal" };

/**
 * An MCP tunnel (`tunnel`).
 */
export type Tunnel = {
  /** Always `tunnel`. */
  type: "tunnel",
  /** `tunl_…` */
  id: string,
  /** Its domain. */
  domain: string,
  /** Name shown to people. */
  display_name: string | null,
  /** RFC 3339. */
  created_at: string,
  /** RFC 3339, if archived. */
  archived_at: string | null,
};

/**
 * Body of `POST /v1/agents/{id}`: every field optional; `null` clears where allowed.
 */
export type UpdateAgent = {
  /** Required current version for optimistic concurrency. */
  version?: number,
  /** New name. */
  name?: string,
  /** New model. */
  model?: string | ModelConfig,
  /** New description (null clears). */
  description?: string | null,
  /** New system prompt (null clears). */
  system?: string | null,
  /** Replacement tools (null clears). */
  tools?: Array<AgentTool> | null,
  /** Replacement MCP servers (null clears). */
  mcp_servers?: Array<{ type: "url", name: string, url: string }> | null,
  /** Replacement skills (null clears). */
  skills?: Array<{ type: "anthropic" | "custom", skill_id: string, version?: string | null }> | null,
  /** Multi-agent roster (null clears; a `multiagent_20261001` object merges key by key). */
  multiagent?: Record<string, unknown> | null,
  /** Metadata patch: a string upserts, null deletes. */
  metadata?: Record<string, string | null>,
};

/**
 * Body of `POST /v1/sessions/{id}`.
 */
export type UpdateSession = {
  /** Title (null clears). */
  title?: string | null,
  /** Metadata patch. */
  metadata?: Record<string, string | null>,
  /** Budget (null removes). */
  budget?: BudgetLimit,
  /** `{"tools"?, "mcp_servers"?}` */
  agent?: Record<string, unknown>,
  /** Reserved; rejected. */
  vault_ids?: string[],
};

/**
 * Token counts of one model request or evaluation (`model_usage`, `usage`).
 */
export type Usage = {
  /** Input tokens. */
  input_tokens: number,
  /** Output tokens. */
  output_tokens: number,
  /** Input tokens written to the cache. */
  cache_creation_input_tokens: number,
  /** Input tokens read from the cache. */
  cache_read_input_tokens: number,
  /** The speed the request ran at. */
  speed?: "standard" | "fast" | null,
};

/**
 * A vault (`vault`).
 */
export type Vault = {
  /** Always `vault`. */
  type: "vault",
  /** `vlt_…` */
  id: string,
  /** Name shown to people. */
  display_name: string,
  /** Metadata. */
  metadata: { [key in string]: string },
  /** RFC 3339. */
  created_at: string,
  /** RFC 3339. */
  updated_at: string,
  /** RFC 3339, if archived. */
  archived_at: string | null,
};

/**
 * A self-hosted work item (`work`).
 */
export type WorkItem = {
  /** Always `work`. */
  type: "work",
  /** `work_…` */
  id: string,
  /** The self-hosted environment. */
  environment_id: string,
  /** What to run: `{"type":"session","id"}`. */
  data: { type: "session", id: string },
  /** `queued`, `starting`, `active`, `stopping` or `stopped`. */
  state: "queued" | "starting" | "active" | "stopping" | "stopped",
  /** Metadata. */
  metadata: { [key in string]: string },
  /** The worker's session secret (only to the worker that polled it). */
  secret: string | null,
  /** RFC 3339. */
  created_at: string,
  /** RFC 3339, once acknowledged. */
  acknowledged_at: string | null,
  /** RFC 3339, the last heartbeat. */
  latest_heartbeat_at: string | null,
  /** RFC 3339, once started. */
  started_at: string | null,
  /** RFC 3339, once a stop was asked for. */
  stop_requested_at: string | null,
  /** RFC 3339, once stopped. */
  stopped_at: string | null,
};
