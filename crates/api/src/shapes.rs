//! The shapes of fields the models keep as JSON (so they round-trip exactly): read one
//! with `serde_json::from_value`. They are also the source of those fields' TypeScript
//! types in the npm package.

use crate::presence::{nullable, Extra};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Token counts of one model request or evaluation (`model_usage`, `usage`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
pub struct Usage {
    /// Input tokens.
    pub input_tokens: i64,
    /// Output tokens.
    pub output_tokens: i64,
    /// Input tokens written to the cache.
    pub cache_creation_input_tokens: i64,
    /// Input tokens read from the cache.
    pub cache_read_input_tokens: i64,
    /// The speed the request ran at.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, type = "\"standard\" | \"fast\" | null")]
    pub speed: Option<Option<String>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// A session's running totals (every field optional; a new session may have none).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
pub struct SessionUsage {
    /// Input tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub input_tokens: Option<i64>,
    /// Output tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub output_tokens: Option<i64>,
    /// Input tokens read from the cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub cache_read_input_tokens: Option<i64>,
    /// Input tokens written to the cache, by lifetime.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(
        optional,
        type = "{ ephemeral_5m_input_tokens?: number, ephemeral_1h_input_tokens?: number }"
    )]
    pub cache_creation: Option<serde_json::Value>,
    /// Wall time with at least one running thread (the billed runtime).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub active_seconds: Option<f64>,
    /// List price so far, once cost tracking is available.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "Option<Money>")]
    pub list_cost: Option<Option<Money>>,
    /// Server tool requests.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(
        optional,
        type = "{ web_search_requests?: number, web_fetch_requests?: number } | null"
    )]
    pub server_tool_use: Option<Option<serde_json::Value>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// An amount of money.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Money {
    /// A decimal string.
    pub amount: String,
    /// `USD`.
    #[ts(type = "\"USD\"")]
    pub currency: String,
}

/// A session's cost cap: `{"type":"limit","max_list_cost"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BudgetLimit {
    /// Always `limit`.
    #[serde(rename = "type")]
    #[ts(type = "\"limit\"")]
    pub kind: String,
    /// The cap, at list price.
    pub max_list_cost: Money,
}

/// A session's or thread's time counters.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
pub struct SessionStats {
    /// Active time summed over threads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub active_seconds: Option<f64>,
    /// Time since creation (frozen when terminated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub duration_seconds: Option<f64>,
    /// Time the container took to start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub startup_seconds: Option<f64>,
}

/// The model an agent runs: a bare id on input, this object on output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ModelConfig {
    /// The model id.
    pub id: String,
    /// How much effort the model spends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(
        optional,
        type = "{ type: \"low\" | \"medium\" | \"high\" | \"xhigh\" | \"max\" }"
    )]
    pub effort: Option<serde_json::Value>,
    /// `standard` or `fast`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "\"standard\" | \"fast\"")]
    pub speed: Option<String>,
    /// Where inference runs.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub inference_geo: Option<Option<String>>,
}

/// The state of one outcome of a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OutcomeEvaluation {
    /// Always `outcome_evaluation`.
    #[serde(rename = "type")]
    #[ts(type = "\"outcome_evaluation\"")]
    pub kind: String,
    /// The outcome.
    pub outcome_id: String,
    /// What done looks like.
    pub description: String,
    /// `pending`, `evaluating`, `satisfied`, `needs_revision`, `max_iterations_reached`,
    /// `failed` or `interrupted`.
    pub result: String,
    /// The iteration evaluated.
    pub iteration: i64,
    /// Why the evaluator decided so.
    pub explanation: Option<String>,
    /// When the evaluation ended.
    pub completed_at: Option<String>,
}
