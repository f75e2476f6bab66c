//! The events the emulated agent emits, built as typed `outrig-api` values (each with a
//! fresh id and the time it was built).

use crate::http::{new_id, now};
use outrig_api::bedrock::{AgentMcpElicitation, BedrockEvent, ElicitationRequest};
use outrig_api::content::{ContentBlock, TextBlock};
use outrig_api::events::{
    AgentContent, AgentCustomToolUse, AgentMcpToolResult, AgentMcpToolUse, AgentToolResult,
    AgentToolUse, Empty, Event, Marker, ModelRequestEnd, OutcomeEvaluationEnd,
    OutcomeEvaluationTick, PlainSessionError, RequiresAction, RetryStatus, SessionError,
    SessionErrorEvent, StatusIdle, StopReason, ThreadCreated, ThreadMessageReceived,
    ThreadMessageSent, ThreadStatus, ThreadStatusIdle,
};
use serde_json::{json, Value};

fn marker() -> Marker {
    Marker {
        id: new_id("sevt"),
        processed_at: now(),
        extra: Default::default(),
    }
}

/// One text block.
pub fn text(text: &str) -> Vec<ContentBlock> {
    vec![ContentBlock::Text(TextBlock {
        text: text.to_string(),
        extra: Default::default(),
    })]
}

/// `session.status_running`
pub fn running() -> Event {
    Event::SessionStatusRunning(marker())
}

/// `session.status_terminated`
pub fn terminated() -> Event {
    Event::SessionStatusTerminated(marker())
}

/// `session.thread_status_terminated` of a sub-thread.
pub fn thread_terminated(thread_id: &str, agent_name: &str) -> Event {
    Event::SessionThreadStatusTerminated(ThreadStatus {
        id: new_id("sevt"),
        processed_at: now(),
        session_thread_id: thread_id.to_string(),
        agent_name: agent_name.to_string(),
        extra: Default::default(),
    })
}

/// `session.status_rescheduled`
pub fn rescheduled() -> Event {
    Event::SessionStatusRescheduled(marker())
}

/// A stop reason by its type name (`requires_action` waits for `event_ids`).
pub fn stop_reason(reason: &str, event_ids: Vec<String>) -> StopReason {
    let empty = Empty::default();
    match reason {
        "requires_action" => StopReason::RequiresAction(RequiresAction {
            event_ids,
            extra: Default::default(),
        }),
        "end_turn" => StopReason::EndTurn(empty),
        "retries_exhausted" => StopReason::RetriesExhausted(empty),
        "budget_reached" => StopReason::BudgetReached(empty),
        "refusal" => StopReason::Refusal(empty),
        other => StopReason::Unknown(json!({ "type": other })),
    }
}

fn stop_details(reason: &StopReason) -> Option<Value> {
    matches!(reason, StopReason::Refusal(_))
        .then(|| json!({"type": "refusal", "category": null, "explanation": null}))
}

/// `session.status_idle` for this stop reason.
pub fn idle(reason: StopReason) -> Event {
    Event::SessionStatusIdle(StatusIdle {
        id: new_id("sevt"),
        processed_at: now(),
        stop_details: stop_details(&reason),
        stop_reason: reason,
        extra: Default::default(),
    })
}

/// `session.thread_status_idle` of a sub-thread, for this stop reason.
pub fn thread_idle(thread_id: &str, agent_name: &str, reason: StopReason) -> Event {
    Event::SessionThreadStatusIdle(ThreadStatusIdle {
        id: new_id("sevt"),
        processed_at: now(),
        session_thread_id: thread_id.to_string(),
        agent_name: agent_name.to_string(),
        stop_details: stop_details(&reason),
        stop_reason: reason,
        extra: Default::default(),
    })
}

/// `session.thread_status_running` of a sub-thread.
pub fn thread_running(thread_id: &str, agent_name: &str) -> Event {
    Event::SessionThreadStatusRunning(ThreadStatus {
        id: new_id("sevt"),
        processed_at: now(),
        session_thread_id: thread_id.to_string(),
        agent_name: agent_name.to_string(),
        extra: Default::default(),
    })
}

/// `agent.message`
pub fn message(content: &str) -> Event {
    Event::AgentMessage(AgentContent {
        id: new_id("sevt"),
        processed_at: now(),
        content: text(content),
        extra: Default::default(),
    })
}

/// `agent.thinking`
pub fn thinking() -> Event {
    Event::AgentThinking(marker())
}

/// `agent.custom_tool_use`
pub fn custom_tool_use(name: &str, input: &Value) -> Event {
    Event::AgentCustomToolUse(AgentCustomToolUse {
        id: new_id("sevt"),
        processed_at: now(),
        name: name.to_string(),
        input: input.clone(),
        session_thread_id: None,
        extra: Default::default(),
    })
}

/// `agent.tool_use` of a built-in tool a self-hosted environment runs: the session awaits
/// its `user.tool_result`.
pub fn builtin_tool_use(name: &str, input: &Value) -> Event {
    Event::AgentToolUse(AgentToolUse {
        id: new_id("sevt"),
        processed_at: now(),
        name: name.to_string(),
        input: input.clone(),
        evaluated_permission: Some("allow".into()),
        evaluation: None,
        session_thread_id: None,
        extra: Default::default(),
    })
}

/// `agent.tool_use` of a built-in tool that needs the user's confirmation.
pub fn tool_use_to_confirm(name: &str, input: &Value) -> Event {
    Event::AgentToolUse(AgentToolUse {
        id: new_id("sevt"),
        processed_at: now(),
        name: name.to_string(),
        input: input.clone(),
        evaluated_permission: Some("ask".into()),
        evaluation: Some(json!({"type": "always_ask"})),
        session_thread_id: None,
        extra: Default::default(),
    })
}

/// `agent.tool_result` of a built-in call the platform ran.
pub fn tool_result(tool_use_id: &str, content: &str) -> Event {
    Event::AgentToolResult(AgentToolResult {
        id: new_id("sevt"),
        processed_at: now(),
        tool_use_id: tool_use_id.to_string(),
        content: Some(text(content)),
        is_error: Some(Some(false)),
        extra: Default::default(),
    })
}

/// How the platform decided about an MCP tool call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum McpPermission {
    /// `always_allow`: the platform calls the server at once.
    Allow,
    /// `auto`, which the emulated platform always judges safe: called at once.
    AutoAllow,
    /// `always_ask`: the call waits for a `user.tool_confirmation`.
    Ask,
    /// The tool is not enabled on the agent: refused before any policy applied.
    Disabled,
}

/// `agent.mcp_tool_use` of `server`'s tool `name`.
pub fn mcp_tool_use(server: &str, name: &str, input: &Value, permission: McpPermission) -> Event {
    let (evaluated, evaluation) = match permission {
        McpPermission::Allow => ("allow", Some(json!({"type": "always_allow"}))),
        McpPermission::AutoAllow => (
            "allow",
            Some(json!({"type": "auto", "evaluated_permission": {"type": "allow"}})),
        ),
        McpPermission::Ask => ("ask", Some(json!({"type": "always_ask"}))),
        McpPermission::Disabled => ("deny", None),
    };
    Event::AgentMcpToolUse(AgentMcpToolUse {
        id: new_id("sevt"),
        processed_at: now(),
        mcp_server_name: server.to_string(),
        name: name.to_string(),
        input: input.clone(),
        evaluated_permission: Some(evaluated.into()),
        evaluation,
        session_thread_id: None,
        extra: Default::default(),
    })
}

/// `agent.mcp_tool_result` answering `tool_use_id`.
pub fn mcp_tool_result(tool_use_id: &str, content: Vec<ContentBlock>, is_error: bool) -> Event {
    Event::AgentMcpToolResult(AgentMcpToolResult {
        id: new_id("sevt"),
        processed_at: now(),
        mcp_tool_use_id: tool_use_id.to_string(),
        content: Some(content),
        is_error: Some(Some(is_error)),
        extra: Default::default(),
    })
}

/// `span.model_request_start`
pub fn span_start() -> Event {
    Event::SpanModelRequestStart(marker())
}

/// `span.model_request_end` for the request `start_id`, with usage for `output_chars`.
pub fn span_end(start_id: &str, output_chars: usize) -> Event {
    Event::SpanModelRequestEnd(ModelRequestEnd {
        id: new_id("sevt"),
        processed_at: now(),
        model_request_start_id: start_id.to_string(),
        is_error: Some(false),
        model_usage: usage(120, (output_chars / 4).max(1)),
        extra: Default::default(),
    })
}

fn usage(input: usize, output: usize) -> Value {
    json!({"input_tokens": input, "output_tokens": output,
        "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0})
}

/// A `session.error` that is not retried.
pub fn fatal_error(message: &str) -> Event {
    error(SessionError::UnknownError(PlainSessionError {
        message: message.to_string(),
        retry_status: RetryStatus::Exhausted(Empty::default()),
        extra: Default::default(),
    }))
}

/// A `session.error` with this error.
pub fn error(error: SessionError) -> Event {
    Event::SessionError(SessionErrorEvent {
        id: new_id("sevt"),
        processed_at: now(),
        error,
        extra: Default::default(),
    })
}

/// `agent.thread_message_sent` to a thread.
pub fn thread_message_sent(to_thread: &str, to_agent: Option<&str>, content: &str) -> Event {
    Event::AgentThreadMessageSent(ThreadMessageSent {
        id: new_id("sevt"),
        processed_at: now(),
        to_session_thread_id: to_thread.to_string(),
        content: text(content),
        to_agent_name: to_agent.map(|name| Some(name.to_string())),
        extra: Default::default(),
    })
}

/// `agent.thread_message_received` from a thread.
pub fn thread_message_received(
    from_thread: &str,
    from_agent: Option<&str>,
    content: &str,
) -> Event {
    Event::AgentThreadMessageReceived(ThreadMessageReceived {
        id: new_id("sevt"),
        processed_at: now(),
        from_session_thread_id: from_thread.to_string(),
        content: text(content),
        from_agent_name: from_agent.map(|name| Some(name.to_string())),
        extra: Default::default(),
    })
}

/// `session.thread_created`
pub fn thread_created(thread_id: &str, agent_name: &str) -> Event {
    Event::SessionThreadCreated(ThreadCreated {
        id: new_id("sevt"),
        processed_at: now(),
        session_thread_id: thread_id.to_string(),
        agent_name: agent_name.to_string(),
        workflow_run_id: None,
        extra: Default::default(),
    })
}

/// `span.outcome_evaluation_start` or `_ongoing` (`ongoing`) of an iteration.
pub fn outcome_tick(outcome_id: &str, iteration: i64, ongoing: bool) -> Event {
    let tick = OutcomeEvaluationTick {
        id: new_id("sevt"),
        processed_at: now(),
        outcome_id: outcome_id.to_string(),
        iteration,
        extra: Default::default(),
    };
    match ongoing {
        false => Event::SpanOutcomeEvaluationStart(tick),
        true => Event::SpanOutcomeEvaluationOngoing(tick),
    }
}

/// `span.outcome_evaluation_end` of an iteration started by `start_id`.
pub fn outcome_end(
    outcome_id: &str,
    start_id: &str,
    iteration: i64,
    result: &str,
    explanation: &str,
) -> Event {
    Event::SpanOutcomeEvaluationEnd(OutcomeEvaluationEnd {
        id: new_id("sevt"),
        processed_at: now(),
        outcome_id: outcome_id.to_string(),
        outcome_evaluation_start_id: start_id.to_string(),
        iteration,
        result: result.to_string(),
        explanation: explanation.to_string(),
        usage: usage(200, 40),
        extra: Default::default(),
    })
}

/// `agent.mcp_elicitation` (Amazon Bedrock): the server behind `tool_use_id` asks the
/// person to act at a URL. Not a first-party event: kept as an unknown one.
pub fn mcp_elicitation(server: &str, tool_use_id: &str, elicit: &crate::scenario::Elicit) -> Event {
    let event = BedrockEvent::AgentMcpElicitation(AgentMcpElicitation {
        id: new_id("sevt"),
        processed_at: now(),
        mcp_server_name: server.to_string(),
        mcp_tool_use_id: tool_use_id.to_string(),
        request: ElicitationRequest {
            kind: "url".into(),
            message: elicit.message.clone(),
            url: Some(elicit.url.clone()),
        },
        session_thread_id: None,
        extra: Default::default(),
    });
    Event::Unknown(serde_json::to_value(event).expect("events serialise"))
}
