//! Agents, environments, sessions, resources, threads and files (spec §4–§8, §12.1):
//! response objects and request bodies. Deeply nested, rarely inspected parts (toolset
//! configs, multiagent, networking) are kept as JSON so they round-trip exactly.

use crate::presence::{nullable, Extra};
use crate::union::open_union;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// String-to-string metadata.
pub type Metadata = std::collections::BTreeMap<String, String>;

/// An agent (spec §4.4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agent {
    /// Always `agent`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `agent_…`
    pub id: String,
    /// Starts at 1, grows with each update.
    pub version: i64,
    /// Name.
    pub name: String,
    /// Description (R,N).
    pub description: Option<String>,
    /// System prompt (R,N).
    pub system: Option<String>,
    /// `{"id","effort"?,"speed"?,"inference_geo"?}`
    pub model: Value,
    /// Toolsets and custom tools.
    pub tools: Vec<Tool>,
    /// MCP servers.
    pub mcp_servers: Vec<Value>,
    /// Skills.
    pub skills: Vec<Value>,
    /// Sub-agent configuration (R,N).
    pub multiagent: Option<Value>,
    /// `{"type":"service_account"}` or `{"type":"aws_role","role_arn"}`.
    pub execution_identity: Value,
    /// Metadata.
    pub metadata: Metadata,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// RFC 3339 (R,N).
    pub archived_at: Option<String>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Agent {
    /// The agent's custom tools.
    pub fn custom_tools(&self) -> impl Iterator<Item = &CustomTool> {
        self.tools.iter().filter_map(|tool| match tool {
            Tool::Custom(custom) => Some(custom),
            _ => None,
        })
    }
}

open_union! {
    /// One entry of an agent's `tools` (spec §4.5).
    pub enum Tool {
        /// A tool the API client executes.
        Custom(CustomTool) = "custom",
        /// The built-in toolset.
        AgentToolset(Toolset) = "agent_toolset_20260401",
        /// Tools of an MCP server.
        McpToolset(Toolset) = "mcp_toolset",
    }
}

/// `{"type":"custom","name","description","input_schema"}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomTool {
    /// 1–128 chars of `[A-Za-z0-9_-]`, unique per agent.
    pub name: String,
    /// Shown to the model (required).
    pub description: String,
    /// JSON Schema with `"type": "object"`.
    pub input_schema: Value,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A built-in or MCP toolset; its configs are kept as JSON.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Toolset {
    /// Every field but `type`.
    #[serde(flatten)]
    pub fields: Extra,
}

/// Checks a custom tool name: 1–128 chars of letters, digits, `_`, `-`.
pub fn valid_tool_name(name: &str) -> bool {
    (1..=128).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Body of `POST /v1/agents`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateAgent {
    /// Non-empty name.
    pub name: String,
    /// A model id string or a model config object.
    pub model: Value,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub description: Option<Option<String>>,
    /// System prompt.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub system: Option<Option<String>>,
    /// Tools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<Tool>>,
    /// MCP servers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mcp_servers: Option<Vec<Value>>,
    /// Skills.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skills: Option<Vec<Value>>,
    /// Sub-agents.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub multiagent: Option<Option<Value>>,
    /// Execution identity.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub execution_identity: Option<Option<Value>>,
    /// Metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
}

/// Body of `POST /v1/agents/{id}`: every field optional; `null` clears where allowed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct UpdateAgent {
    /// Required current version for optimistic concurrency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// New name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<Value>,
    /// New description (null clears).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub description: Option<Option<String>>,
    /// New system prompt (null clears).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub system: Option<Option<String>>,
    /// Replacement tools (null clears).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub tools: Option<Option<Vec<Tool>>>,
    /// Replacement MCP servers (null clears).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub mcp_servers: Option<Option<Vec<Value>>>,
    /// Replacement skills (null clears).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub skills: Option<Option<Vec<Value>>>,
    /// Multi-agent roster (null clears; a `multiagent_20261001` object merges key by key).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub multiagent: Option<Option<Value>>,
    /// Metadata patch: a string upserts, null deletes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
}

/// An environment (spec §5.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Environment {
    /// Always `environment`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `env_…`
    pub id: String,
    /// Name.
    pub name: String,
    /// Description (R,N).
    pub description: Option<String>,
    /// Cloud or self-hosted config.
    pub config: Value,
    /// Metadata.
    pub metadata: Metadata,
    /// `organization` or `account` (O).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// RFC 3339 (R,N).
    pub archived_at: Option<String>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Body of `POST /v1/environments` (and, all optional, of its update).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EnvironmentParams {
    /// Name (required on create).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Config.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub config: Option<Option<Value>>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub description: Option<Option<String>>,
    /// Metadata (patch on update).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
    /// Scope.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub scope: Option<Option<String>>,
}

/// Session status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    /// Accepts input.
    Idle,
    /// The agent is working.
    Running,
    /// Retrying after a transient error.
    Rescheduling,
    /// Ended; accepts nothing.
    Terminated,
}

impl SessionStatus {
    /// The wire string.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionStatus::Idle => "idle",
            SessionStatus::Running => "running",
            SessionStatus::Rescheduling => "rescheduling",
            SessionStatus::Terminated => "terminated",
        }
    }
}

/// A session (spec §6.3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// Always `session`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `sesn_…`
    pub id: String,
    /// Status.
    pub status: SessionStatus,
    /// Title (R,N).
    pub title: Option<String>,
    /// Environment.
    pub environment_id: String,
    /// Snapshot of the agent at creation.
    pub agent: Value,
    /// Resources.
    pub resources: Vec<Value>,
    /// Metadata.
    pub metadata: Metadata,
    /// Vaults.
    pub vault_ids: Vec<String>,
    /// Budget (R,N).
    pub budget: Option<Value>,
    /// Usage.
    pub usage: Value,
    /// Stats.
    pub stats: Value,
    /// Outcome evaluations.
    pub outcome_evaluations: Vec<Value>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// RFC 3339 (R,N).
    pub archived_at: Option<String>,
    /// Deployment (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub deployment_id: Option<Option<String>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Body of `POST /v1/sessions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateSession {
    /// Agent id string or `{"type":"agent"|"agent_with_overrides","id",...}`.
    pub agent: Value,
    /// Environment id.
    pub environment_id: String,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub title: Option<Option<String>>,
    /// Metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// Resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<Vec<Value>>,
    /// Vaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vault_ids: Option<Vec<String>>,
    /// Budget.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub budget: Option<Option<Value>>,
    /// Events processed on creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_events: Option<Vec<crate::send::SendEvent>>,
}

/// Body of `POST /v1/sessions/{id}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct UpdateSession {
    /// Title (null clears).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub title: Option<Option<String>>,
    /// Metadata patch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Map<String, Value>>,
    /// Budget (null removes).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub budget: Option<Option<Value>>,
    /// `{"tools"?, "mcp_servers"?}`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<Value>,
    /// Reserved; rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vault_ids: Option<Value>,
}

open_union! {
    /// A session resource (spec §7).
    pub enum SessionResource {
        /// A cloned repository.
        GithubRepository(Toolset) = "github_repository",
        /// A mounted file.
        File(FileResource) = "file",
        /// A memory store.
        MemoryStore(Toolset) = "memory_store",
    }
}

/// `{"type":"file","id","file_id","mount_path","created_at","updated_at"}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileResource {
    /// `sesrsc_…`
    pub id: String,
    /// The Files API id.
    pub file_id: String,
    /// Where it is mounted.
    pub mount_path: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A session thread (spec §8).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionThread {
    /// Always `session_thread`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `sthr_…`
    pub id: String,
    /// Owning session.
    pub session_id: String,
    /// Status.
    pub status: SessionStatus,
    /// The thread's agent.
    pub agent: Value,
    /// Parent thread, null for the primary (R,N).
    pub parent_thread_id: Option<String>,
    /// Workflow run (R,N).
    pub workflow_run_id: Option<String>,
    /// Stats (R,N).
    pub stats: Option<Value>,
    /// Usage (R,N).
    pub usage: Option<Value>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// RFC 3339 (R,N).
    pub archived_at: Option<String>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Files API metadata (spec §12.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileMetadata {
    /// Always `file`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `file_…`
    pub id: String,
    /// Last path component of the upload.
    pub filename: String,
    /// MIME type.
    pub mime_type: String,
    /// Size.
    pub size_bytes: i64,
    /// RFC 3339.
    pub created_at: String,
    /// Whether the content can be downloaded (O).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub downloadable: Option<bool>,
    /// Expiry (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub expires_at: Option<Option<String>>,
    /// `{"type":"session","id"}` (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    pub scope: Option<Option<Value>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}
