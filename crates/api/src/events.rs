//! Every event of the session stream (spec §10): 42 history types plus the two preview
//! types. Unknown types and unknown fields are kept verbatim.

use crate::content::ContentBlock;
use crate::presence::{nullable, Extra};
use crate::union::open_union;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

open_union! {
    #[typescript("KnownEvent", "Event")]
    /// One event of a session (or thread) stream.
    pub enum Event {
        /// Echo of a user message; starts a turn.
        UserMessage(ContentEcho) = "user.message",
        /// Echo of an interrupt.
        UserInterrupt(UserInterrupt) = "user.interrupt",
        /// Echo of an allow/deny answer to an `ask`-gated tool call.
        UserToolConfirmation(UserToolConfirmation) = "user.tool_confirmation",
        /// Echo of a custom tool result.
        UserCustomToolResult(UserCustomToolResult) = "user.custom_tool_result",
        /// Echo of a built-in tool result (self-hosted environments).
        UserToolResult(UserToolResult) = "user.tool_result",
        /// Echo of an outcome definition.
        UserDefineOutcome(UserDefineOutcome) = "user.define_outcome",
        /// Echo of a system message.
        SystemMessage(ContentEcho) = "system.message",
        /// Text from the agent.
        AgentMessage(AgentContent) = "agent.message",
        /// The agent is thinking (no text).
        AgentThinking(Marker) = "agent.thinking",
        /// The agent calls a custom tool: the client must answer.
        AgentCustomToolUse(AgentCustomToolUse) = "agent.custom_tool_use",
        /// The agent calls a built-in tool.
        AgentToolUse(AgentToolUse) = "agent.tool_use",
        /// Result of a built-in tool.
        AgentToolResult(AgentToolResult) = "agent.tool_result",
        /// The agent calls an MCP tool.
        AgentMcpToolUse(AgentMcpToolUse) = "agent.mcp_tool_use",
        /// Result of an MCP tool.
        AgentMcpToolResult(AgentMcpToolResult) = "agent.mcp_tool_result",
        /// A message sent to another thread.
        AgentThreadMessageSent(ThreadMessageSent) = "agent.thread_message_sent",
        /// A message received from another thread.
        AgentThreadMessageReceived(ThreadMessageReceived) = "agent.thread_message_received",
        /// The thread's context was compacted.
        AgentThreadContextCompacted(Marker) = "agent.thread_context_compacted",
        /// The session started working.
        SessionStatusRunning(Marker) = "session.status_running",
        /// The session paused; `stop_reason` says why.
        SessionStatusIdle(StatusIdle) = "session.status_idle",
        /// The platform is retrying after a transient error.
        SessionStatusRescheduled(Marker) = "session.status_rescheduled",
        /// The session ended and accepts no more input.
        SessionStatusTerminated(Marker) = "session.status_terminated",
        /// The session was deleted; streams end.
        SessionDeleted(Marker) = "session.deleted",
        /// An error in the session.
        SessionError(SessionErrorEvent) = "session.error",
        /// Session fields changed.
        SessionUpdated(SessionUpdated) = "session.updated",
        /// Running usage totals.
        SessionUsage(SessionUsageEvent) = "session.usage",
        /// A child thread was created.
        SessionThreadCreated(ThreadCreated) = "session.thread_created",
        /// A thread started working.
        SessionThreadStatusRunning(ThreadStatus) = "session.thread_status_running",
        /// A thread paused.
        SessionThreadStatusIdle(ThreadStatusIdle) = "session.thread_status_idle",
        /// A thread is being retried.
        SessionThreadStatusRescheduled(ThreadStatus) = "session.thread_status_rescheduled",
        /// A thread ended.
        SessionThreadStatusTerminated(ThreadStatus) = "session.thread_status_terminated",
        /// A model request started.
        SpanModelRequestStart(Marker) = "span.model_request_start",
        /// A model request ended.
        SpanModelRequestEnd(ModelRequestEnd) = "span.model_request_end",
        /// An outcome evaluation started.
        SpanOutcomeEvaluationStart(OutcomeEvaluationTick) = "span.outcome_evaluation_start",
        /// An outcome evaluation heartbeat.
        SpanOutcomeEvaluationOngoing(OutcomeEvaluationTick) = "span.outcome_evaluation_ongoing",
        /// An outcome evaluation ended.
        SpanOutcomeEvaluationEnd(OutcomeEvaluationEnd) = "span.outcome_evaluation_end",
        /// A workflow run was created.
        WorkflowRunCreated(WorkflowRunCreated) = "workflow_run.created",
        /// A workflow run started working.
        WorkflowRunStatusRunning(WorkflowRunMarker) = "workflow_run.status_running",
        /// A workflow run paused.
        WorkflowRunStatusIdle(WorkflowRunMarker) = "workflow_run.status_idle",
        /// A workflow phase started.
        WorkflowRunPhaseStarted(WorkflowPhaseStarted) = "workflow_run.phase_started",
        /// A workflow phase ended.
        WorkflowRunPhaseEnded(WorkflowPhaseEnded) = "workflow_run.phase_ended",
        /// A workflow run ended.
        WorkflowRunStatusEnded(WorkflowRunEnded) = "workflow_run.status_ended",
        /// A workflow run failed.
        WorkflowRunError(WorkflowRunError) = "workflow_run.error",
        /// Preview: a message or thinking event is starting (only with `event_deltas`).
        EventStart(EventStart) = "event_start",
        /// Preview: a text fragment of a message being written.
        EventDelta(EventDelta) = "event_delta",
    }
}

/// Whether an event of this `type` ends the session: nothing follows it.
pub fn type_ends_session(type_name: &str) -> bool {
    matches!(type_name, "session.status_terminated" | "session.deleted")
}

impl Event {
    /// The event id; `None` for the two preview events and for unknown events without one.
    pub fn id(&self) -> Option<&str> {
        macro_rules! ids {
            ($($variant:ident),*) => {
                match self {
                    $(Event::$variant(e) => Some(e.id.as_str()),)*
                    Event::EventStart(_) | Event::EventDelta(_) => None,
                    Event::Unknown(raw) => raw.get("id").and_then(Value::as_str),
                }
            };
        }
        ids!(
            UserMessage,
            UserInterrupt,
            UserToolConfirmation,
            UserCustomToolResult,
            UserToolResult,
            UserDefineOutcome,
            SystemMessage,
            AgentMessage,
            AgentThinking,
            AgentCustomToolUse,
            AgentToolUse,
            AgentToolResult,
            AgentMcpToolUse,
            AgentMcpToolResult,
            AgentThreadMessageSent,
            AgentThreadMessageReceived,
            AgentThreadContextCompacted,
            SessionStatusRunning,
            SessionStatusIdle,
            SessionStatusRescheduled,
            SessionStatusTerminated,
            SessionDeleted,
            SessionError,
            SessionUpdated,
            SessionUsage,
            SessionThreadCreated,
            SessionThreadStatusRunning,
            SessionThreadStatusIdle,
            SessionThreadStatusRescheduled,
            SessionThreadStatusTerminated,
            SpanModelRequestStart,
            SpanModelRequestEnd,
            SpanOutcomeEvaluationStart,
            SpanOutcomeEvaluationOngoing,
            SpanOutcomeEvaluationEnd,
            WorkflowRunCreated,
            WorkflowRunStatusRunning,
            WorkflowRunStatusIdle,
            WorkflowRunPhaseStarted,
            WorkflowRunPhaseEnded,
            WorkflowRunStatusEnded,
            WorkflowRunError
        )
    }

    /// Whether the session is over after this event (`session.deleted` or
    /// `session.status_terminated`): nothing follows it.
    pub fn ends_session(&self) -> bool {
        type_ends_session(self.type_name())
    }

    /// Whether this is a preview event (never stored in history).
    pub fn is_preview(&self) -> bool {
        matches!(self, Event::EventStart(_) | Event::EventDelta(_))
    }

    /// Parses one event from JSON text.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// Events with only `id` and `processed_at`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Marker {
    /// Event id.
    pub id: String,
    /// When the platform processed it.
    pub processed_at: String,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// Echo of `user.message` / `system.message`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ContentEcho {
    /// Event id.
    pub id: String,
    /// Set once processed (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub processed_at: Option<Option<String>>,
    /// The content.
    pub content: Vec<ContentBlock>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// Echo of `user.interrupt`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct UserInterrupt {
    /// Event id.
    pub id: String,
    /// Set once processed (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub processed_at: Option<Option<String>>,
    /// Only this thread, or every thread when absent (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub session_thread_id: Option<Option<String>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// Echo of `user.tool_confirmation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct UserToolConfirmation {
    /// Event id.
    pub id: String,
    /// Set once processed (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub processed_at: Option<Option<String>>,
    /// The `agent.tool_use` / `agent.mcp_tool_use` answered.
    pub tool_use_id: String,
    /// `allow` or `deny`.
    #[ts(type = "\"allow\" | \"deny\"")]
    pub result: String,
    /// Why it was denied (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub deny_message: Option<Option<String>>,
    /// Thread it was routed to (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub session_thread_id: Option<Option<String>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// Echo of `user.custom_tool_result`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct UserCustomToolResult {
    /// Event id.
    pub id: String,
    /// Set once processed (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub processed_at: Option<Option<String>>,
    /// The `agent.custom_tool_use` answered.
    pub custom_tool_use_id: String,
    /// Result content (O).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub content: Option<Vec<ContentBlock>>,
    /// Whether the call failed (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub is_error: Option<Option<bool>>,
    /// Thread it was routed to (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub session_thread_id: Option<Option<String>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// Echo of `user.tool_result`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct UserToolResult {
    /// Event id.
    pub id: String,
    /// Set once processed (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub processed_at: Option<Option<String>>,
    /// The `agent.tool_use` answered.
    pub tool_use_id: String,
    /// Result content (O).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub content: Option<Vec<ContentBlock>>,
    /// Whether the call failed (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub is_error: Option<Option<bool>>,
    /// Thread it was routed to (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub session_thread_id: Option<Option<String>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// Echo of `user.define_outcome` (here `processed_at` is required).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct UserDefineOutcome {
    /// Event id.
    pub id: String,
    /// When processed.
    pub processed_at: String,
    /// Server-generated outcome id.
    pub outcome_id: String,
    /// What done looks like.
    pub description: String,
    /// `{"type":"text","content"}` or `{"type":"file","file_id"}`.
    #[ts(type = "{ type: \"text\", content: string } | { type: \"file\", file_id: string }")]
    pub rubric: Value,
    /// Iteration cap (R,N).
    pub max_iterations: Option<i64>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `agent.message`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AgentContent {
    /// Event id.
    pub id: String,
    /// When processed.
    pub processed_at: String,
    /// Text and redacted blocks.
    pub content: Vec<ContentBlock>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `agent.custom_tool_use`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AgentCustomToolUse {
    /// Event id; answer with `custom_tool_use_id` = this.
    pub id: String,
    /// When processed.
    pub processed_at: String,
    /// The custom tool's name.
    pub name: String,
    /// The tool input (a JSON object).
    #[ts(type = "Record<string, unknown>")]
    pub input: Value,
    /// Sub-agent thread that made the call (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub session_thread_id: Option<Option<String>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `agent.tool_use`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AgentToolUse {
    /// Event id.
    pub id: String,
    /// When processed.
    pub processed_at: String,
    /// Built-in tool name.
    pub name: String,
    /// Tool input.
    #[ts(type = "Record<string, unknown>")]
    pub input: Value,
    /// `allow`, `ask` or `deny` (O).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "\"allow\" | \"ask\" | \"deny\"")]
    pub evaluated_permission: Option<String>,
    /// How the permission was decided (O, open union).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "Record<string, unknown>")]
    pub evaluation: Option<Value>,
    /// Sub-agent thread (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub session_thread_id: Option<Option<String>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `agent.mcp_tool_use`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AgentMcpToolUse {
    /// Event id.
    pub id: String,
    /// When processed.
    pub processed_at: String,
    /// The MCP server.
    pub mcp_server_name: String,
    /// The MCP tool.
    pub name: String,
    /// Tool input.
    #[ts(type = "Record<string, unknown>")]
    pub input: Value,
    /// `allow`, `ask` or `deny` (O).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "\"allow\" | \"ask\" | \"deny\"")]
    pub evaluated_permission: Option<String>,
    /// How the permission was decided (O, open union).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "Record<string, unknown>")]
    pub evaluation: Option<Value>,
    /// Sub-agent thread (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub session_thread_id: Option<Option<String>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `agent.tool_result`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AgentToolResult {
    /// Event id.
    pub id: String,
    /// When processed.
    pub processed_at: String,
    /// The `agent.tool_use` this answers.
    pub tool_use_id: String,
    /// Result content (O).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub content: Option<Vec<ContentBlock>>,
    /// Whether the call failed (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub is_error: Option<Option<bool>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `agent.mcp_tool_result`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AgentMcpToolResult {
    /// Event id.
    pub id: String,
    /// When processed.
    pub processed_at: String,
    /// The `agent.mcp_tool_use` this answers.
    pub mcp_tool_use_id: String,
    /// Result content (O).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub content: Option<Vec<ContentBlock>>,
    /// Whether the call failed (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub is_error: Option<Option<bool>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `agent.thread_message_sent`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ThreadMessageSent {
    /// Event id.
    pub id: String,
    /// When processed.
    pub processed_at: String,
    /// Receiving thread.
    pub to_session_thread_id: String,
    /// The message.
    pub content: Vec<ContentBlock>,
    /// Receiving agent, absent for the primary (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub to_agent_name: Option<Option<String>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `agent.thread_message_received`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ThreadMessageReceived {
    /// Event id.
    pub id: String,
    /// When processed.
    pub processed_at: String,
    /// Sending thread.
    pub from_session_thread_id: String,
    /// The message.
    pub content: Vec<ContentBlock>,
    /// Sending agent (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub from_agent_name: Option<Option<String>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `session.status_idle`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StatusIdle {
    /// Event id.
    pub id: String,
    /// When processed.
    pub processed_at: String,
    /// Why the session stopped.
    pub stop_reason: StopReason,
    /// Refusal details or null (R,N).
    #[ts(
        type = "{ type: \"refusal\", category: string | null, explanation: string | null } | null"
    )]
    pub stop_details: Option<Value>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

open_union! {
    #[typescript("StopReason")]
    /// Why a session or thread went idle (§10.3).
    pub enum StopReason {
        /// The turn completed normally.
        EndTurn(Empty) = "end_turn",
        /// Blocked on client input for these events.
        RequiresAction(RequiresAction) = "requires_action",
        /// Repeated errors used up the retry budget.
        RetriesExhausted(Empty) = "retries_exhausted",
        /// The cost budget was reached.
        BudgetReached(Empty) = "budget_reached",
        /// The model's response was refused.
        Refusal(Empty) = "refusal",
    }
}

impl StopReason {
    /// `{"type":"end_turn"}`
    pub fn end_turn() -> Self {
        StopReason::EndTurn(Empty::default())
    }

    /// The stop reason of this `type` (`event_ids` for `requires_action`); an unknown type
    /// is kept as such.
    pub fn of_type(kind: &str, event_ids: Vec<String>) -> Self {
        match kind {
            "end_turn" => StopReason::EndTurn(Empty::default()),
            "requires_action" => StopReason::RequiresAction(RequiresAction {
                event_ids,
                extra: Extra::default(),
            }),
            "retries_exhausted" => StopReason::RetriesExhausted(Empty::default()),
            "budget_reached" => StopReason::BudgetReached(Empty::default()),
            "refusal" => StopReason::Refusal(Empty::default()),
            other => StopReason::Unknown(serde_json::json!({ "type": other })),
        }
    }

    /// Whether this stop ends the turn (every reason but `requires_action`).
    pub fn ends_turn(&self) -> bool {
        !matches!(self, StopReason::RequiresAction(_))
    }
}

/// A variant with no fields besides `type`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
pub struct Empty {
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `{"type":"requires_action","event_ids"}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RequiresAction {
    /// Ids of the events awaiting an answer.
    pub event_ids: Vec<String>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `session.error`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SessionErrorEvent {
    /// Event id.
    pub id: String,
    /// When processed.
    pub processed_at: String,
    /// The error.
    pub error: SessionError,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

open_union! {
    #[typescript("SessionErrorObject")]
    /// The error object of `session.error` (§10.5).
    pub enum SessionError {
        /// Fallback kind.
        UnknownError(PlainSessionError) = "unknown_error",
        /// The model is overloaded.
        ModelOverloaded(PlainSessionError) = "model_overloaded_error",
        /// The model is rate limited.
        ModelRateLimited(PlainSessionError) = "model_rate_limited_error",
        /// A model request failed.
        ModelRequestFailed(PlainSessionError) = "model_request_failed_error",
        /// An MCP server could not be reached.
        McpConnectionFailed(McpSessionError) = "mcp_connection_failed_error",
        /// An MCP server refused authentication.
        McpAuthenticationFailed(McpSessionError) = "mcp_authentication_failed_error",
        /// Billing problem.
        Billing(PlainSessionError) = "billing_error",
        /// A vault credential's host was unreachable.
        CredentialHostUnreachable(CredentialSessionError) = "credential_host_unreachable_error",
        /// Too many tool-use rounds.
        ToolUseLimitReached(PlainSessionError) = "tool_use_limit_reached_error",
        /// Too many compactions.
        CompactionLimitReached(PlainSessionError) = "compaction_limit_reached_error",
        /// Repository authentication failed.
        RepositoryAuthentication(RepositorySessionError) = "repository_authentication_error",
        /// Repository access forbidden.
        RepositoryForbidden(RepositorySessionError) = "repository_forbidden_error",
        /// Repository not found.
        RepositoryNotFound(RepositorySessionError) = "repository_not_found_error",
        /// Repository checkout failed.
        RepositoryCheckout(RepositorySessionError) = "repository_checkout_error",
        /// Repository clone failed.
        RepositoryClone(RepositorySessionError) = "repository_clone_error",
    }
}

open_union! {
    #[typescript("RetryStatus")]
    /// Whether the platform retries after a session error.
    pub enum RetryStatus {
        /// The platform retries; the error may recur.
        Retrying(Empty) = "retrying",
        /// The turn was abandoned; send a new prompt.
        Exhausted(Empty) = "exhausted",
        /// The session will terminate.
        Terminal(Empty) = "terminal",
    }
}

/// A session error with no extra fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlainSessionError {
    /// Human-readable text.
    pub message: String,
    /// Retry outlook.
    pub retry_status: RetryStatus,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// An MCP session error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct McpSessionError {
    /// Human-readable text.
    pub message: String,
    /// Retry outlook.
    pub retry_status: RetryStatus,
    /// The MCP server concerned.
    pub mcp_server_name: String,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// A vault credential session error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CredentialSessionError {
    /// Human-readable text.
    pub message: String,
    /// Retry outlook.
    pub retry_status: RetryStatus,
    /// The credential concerned.
    pub credential_id: String,
    /// Its vault.
    pub vault_id: String,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// A repository session error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RepositorySessionError {
    /// Human-readable text.
    pub message: String,
    /// Retry outlook.
    pub retry_status: RetryStatus,
    /// The repository (R,N).
    pub repository_url: Option<String>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `session.updated`: only changed fields appear.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SessionUpdated {
    /// Event id.
    pub id: String,
    /// When processed.
    pub processed_at: String,
    /// New agent snapshot (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, type = "Record<string, unknown> | null")]
    pub agent: Option<Option<Value>>,
    /// New budget, null = removed (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "Option<crate::shapes::BudgetLimit>")]
    pub budget: Option<Option<Value>>,
    /// Full metadata bag (O).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "Record<string, string>")]
    pub metadata: Option<Value>,
    /// New title (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub title: Option<Option<String>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `session.usage`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SessionUsageEvent {
    /// Event id.
    pub id: String,
    /// When processed.
    pub processed_at: String,
    /// Usage snapshot.
    #[ts(as = "crate::shapes::SessionUsage")]
    pub usage: Value,
    /// Budget (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "Option<crate::shapes::BudgetLimit>")]
    pub budget: Option<Option<Value>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `session.thread_created`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ThreadCreated {
    /// Event id.
    pub id: String,
    /// When processed.
    pub processed_at: String,
    /// The new thread.
    pub session_thread_id: String,
    /// Its agent.
    pub agent_name: String,
    /// Workflow run it serves (R,N).
    pub workflow_run_id: Option<String>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// Thread status events without a stop reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ThreadStatus {
    /// Event id.
    pub id: String,
    /// When processed.
    pub processed_at: String,
    /// The thread.
    pub session_thread_id: String,
    /// Its agent.
    pub agent_name: String,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `session.thread_status_idle`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ThreadStatusIdle {
    /// Event id.
    pub id: String,
    /// When processed.
    pub processed_at: String,
    /// The thread.
    pub session_thread_id: String,
    /// Its agent.
    pub agent_name: String,
    /// Why it stopped.
    pub stop_reason: StopReason,
    /// Refusal details or null (R,N).
    #[ts(
        type = "{ type: \"refusal\", category: string | null, explanation: string | null } | null"
    )]
    pub stop_details: Option<Value>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `span.model_request_end`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ModelRequestEnd {
    /// Event id.
    pub id: String,
    /// When processed.
    pub processed_at: String,
    /// The matching start event.
    pub model_request_start_id: String,
    /// Whether the request failed (R,N).
    pub is_error: Option<bool>,
    /// Token usage.
    #[ts(as = "crate::shapes::Usage")]
    pub model_usage: Value,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `span.outcome_evaluation_start` / `_ongoing`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OutcomeEvaluationTick {
    /// Event id.
    pub id: String,
    /// When processed.
    pub processed_at: String,
    /// The outcome.
    pub outcome_id: String,
    /// 0-based iteration.
    pub iteration: i64,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `span.outcome_evaluation_end`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OutcomeEvaluationEnd {
    /// Event id.
    pub id: String,
    /// When processed.
    pub processed_at: String,
    /// The outcome.
    pub outcome_id: String,
    /// The matching start event.
    pub outcome_evaluation_start_id: String,
    /// 0-based iteration.
    pub iteration: i64,
    /// `satisfied`, `needs_revision`, … (open).
    #[ts(
        type = "\"satisfied\" | \"needs_revision\" | \"max_iterations_reached\" | \"failed\" | \"interrupted\" | (string & {})"
    )]
    pub result: String,
    /// Why.
    pub explanation: String,
    /// Token usage.
    #[ts(as = "crate::shapes::Usage")]
    pub usage: Value,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `workflow_run.created`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct WorkflowRunCreated {
    /// Event id.
    pub id: String,
    /// When processed.
    pub processed_at: String,
    /// The run.
    pub workflow_run_id: String,
    /// Its name.
    pub name: String,
    /// Its description (R,N).
    pub description: Option<String>,
    /// `[{"id","name","description"}]`
    #[ts(type = "Array<{ id: string, name: string, description: string | null }>")]
    pub phases: Value,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// Workflow run status events without extra fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct WorkflowRunMarker {
    /// Event id.
    pub id: String,
    /// When processed.
    pub processed_at: String,
    /// The run.
    pub workflow_run_id: String,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `workflow_run.phase_started`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct WorkflowPhaseStarted {
    /// Event id.
    pub id: String,
    /// When processed.
    pub processed_at: String,
    /// The run.
    pub workflow_run_id: String,
    /// The phase.
    pub workflow_run_phase_id: String,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `workflow_run.phase_ended`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct WorkflowPhaseEnded {
    /// Event id.
    pub id: String,
    /// When processed.
    pub processed_at: String,
    /// The run.
    pub workflow_run_id: String,
    /// The phase.
    pub workflow_run_phase_id: String,
    /// The matching start event.
    pub phase_started_id: String,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `workflow_run.status_ended`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct WorkflowRunEnded {
    /// Event id.
    pub id: String,
    /// When processed.
    pub processed_at: String,
    /// The run.
    pub workflow_run_id: String,
    /// `completed`, `stopped` or `error`.
    #[ts(
        type = "{ type: \"completed\" } | { type: \"stopped\" } | { type: \"error\", error: { type: string, message: string } }"
    )]
    pub result: Value,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `workflow_run.error`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct WorkflowRunError {
    /// Event id.
    pub id: String,
    /// When processed.
    pub processed_at: String,
    /// The run (R,N).
    pub workflow_run_id: Option<String>,
    /// `{"type","message"}`
    #[ts(type = "{ type: string, message: string }")]
    pub error: Value,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `event_start`: a preview opens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct EventStart {
    /// `{"type":"agent.message"|"agent.thinking","id"}`
    #[ts(type = "{ type: \"agent.message\" | \"agent.thinking\", id: string }")]
    pub event: Value,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `event_delta`: a text fragment of a previewed message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct EventDelta {
    /// The id the final event will carry.
    pub event_id: String,
    /// `{"type":"content_delta","content":{"type":"text","text"},"index"?}`
    #[ts(type = "{ type: \"content_delta\", content: TextBlock, index?: number }")]
    pub delta: Value,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}
