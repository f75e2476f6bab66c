//! Events a client sends with `POST /v1/sessions/{id}/events` (spec §9.1).

use crate::content::ContentBlock;
use crate::presence::{nullable, Extra};
use crate::union::open_union;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

open_union! {
    #[typescript("SendEvent")]
    /// One event of a send request.
    pub enum SendEvent {
        /// Starts a turn.
        UserMessage(SendContent) = "user.message",
        /// Answers an `agent.custom_tool_use`.
        UserCustomToolResult(SendCustomToolResult) = "user.custom_tool_result",
        /// Answers a built-in `agent.tool_use` (self-hosted environments only).
        UserToolResult(SendToolResult) = "user.tool_result",
        /// Allows or denies an `ask`-gated tool call.
        UserToolConfirmation(SendToolConfirmation) = "user.tool_confirmation",
        /// Stops the current turn.
        UserInterrupt(SendInterrupt) = "user.interrupt",
        /// Defines an outcome to work towards.
        UserDefineOutcome(SendDefineOutcome) = "user.define_outcome",
        /// A system turn accompanying the preceding user event.
        SystemMessage(SendContent) = "system.message",
    }
}

impl SendEvent {
    /// A `user.message` with one text block.
    pub fn user_text(text: impl Into<String>) -> Self {
        SendEvent::UserMessage(SendContent {
            content: vec![ContentBlock::text(text)],
            extra: Extra::new(),
        })
    }

    /// A `user.interrupt` of every thread.
    pub fn interrupt() -> Self {
        SendEvent::UserInterrupt(SendInterrupt {
            session_thread_id: None,
            extra: Extra::new(),
        })
    }

    /// A `user.custom_tool_result`.
    pub fn custom_tool_result(
        custom_tool_use_id: impl Into<String>,
        content: Vec<ContentBlock>,
        is_error: bool,
    ) -> Self {
        SendEvent::UserCustomToolResult(SendCustomToolResult {
            custom_tool_use_id: custom_tool_use_id.into(),
            content: Some(content),
            is_error: Some(Some(is_error)),
            extra: Extra::new(),
        })
    }

    /// A `user.tool_result` (a built-in tool run by a self-hosted environment).
    pub fn tool_result(
        tool_use_id: impl Into<String>,
        content: Vec<ContentBlock>,
        is_error: bool,
    ) -> Self {
        SendEvent::UserToolResult(SendToolResult {
            tool_use_id: tool_use_id.into(),
            content: Some(content),
            is_error: Some(Some(is_error)),
            extra: Extra::new(),
        })
    }
}

/// The body of a send request: `{"events": [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SendEventsBody {
    /// Events, processed in order.
    pub events: Vec<SendEvent>,
}

/// `{"content"}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SendContent {
    /// The content blocks.
    pub content: Vec<ContentBlock>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `{"custom_tool_use_id","content"?,"is_error"?}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SendCustomToolResult {
    /// The `agent.custom_tool_use` answered.
    pub custom_tool_use_id: String,
    /// Result content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub content: Option<Vec<ContentBlock>>,
    /// Whether the call failed.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub is_error: Option<Option<bool>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `{"tool_use_id","content"?,"is_error"?}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SendToolResult {
    /// The `agent.tool_use` answered.
    pub tool_use_id: String,
    /// Result content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub content: Option<Vec<ContentBlock>>,
    /// Whether the call failed.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub is_error: Option<Option<bool>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `{"tool_use_id","result","deny_message"?}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SendToolConfirmation {
    /// The tool call answered.
    pub tool_use_id: String,
    /// `allow` or `deny`.
    #[ts(type = "\"allow\" | \"deny\"")]
    pub result: String,
    /// Only with `deny`.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub deny_message: Option<Option<String>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `{"session_thread_id"?}`
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
pub struct SendInterrupt {
    /// Only this thread; every thread when absent.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub session_thread_id: Option<Option<String>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `{"description","rubric","max_iterations"?}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SendDefineOutcome {
    /// What done looks like.
    pub description: String,
    /// `{"type":"text","content"}` or `{"type":"file","file_id"}`.
    #[ts(type = "{ type: \"text\", content: string } | { type: \"file\", file_id: string }")]
    pub rubric: Value,
    /// Iteration cap (default 3, max 20).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub max_iterations: Option<Option<i64>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}
