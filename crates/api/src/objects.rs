//! Agents, environments, sessions, resources, threads and files (spec §4–§8, §12.1):
//! response objects and request bodies. Deeply nested, rarely inspected parts (toolset
//! configs, multiagent, networking) are kept as JSON so they round-trip exactly.

use crate::presence::{nullable, Extra};
use crate::union::open_union;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

/// String-to-string metadata.
pub type Metadata = std::collections::BTreeMap<String, String>;

/// An agent (spec §4.4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Agent {
    /// Always `agent`.
    #[serde(rename = "type")]
    #[ts(type = "\"agent\"")]
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
    #[ts(as = "crate::shapes::ModelConfig")]
    pub model: Value,
    /// Toolsets and custom tools.
    pub tools: Vec<Tool>,
    /// MCP servers.
    #[ts(type = "Array<{ type: \"url\", name: string, url: string }>")]
    pub mcp_servers: Vec<Value>,
    /// Skills.
    #[ts(type = "Array<{ type: \"anthropic\" | \"custom\", skill_id: string, version: string }>")]
    pub skills: Vec<Value>,
    /// Sub-agent configuration (R,N).
    #[ts(type = "Record<string, unknown> | null")]
    pub multiagent: Option<Value>,
    /// `{"type":"service_account"}` or `{"type":"aws_role","role_arn"}`.
    #[ts(type = "{ type: \"service_account\" } | { type: \"aws_role\", role_arn: string }")]
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
    #[ts(skip)]
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
    #[typescript("AgentTool")]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CustomTool {
    /// 1–128 chars of `[A-Za-z0-9_-]`, unique per agent.
    pub name: String,
    /// Shown to the model (required).
    pub description: String,
    /// JSON Schema with `"type": "object"`.
    #[ts(type = "{ type: \"object\", [key: string]: unknown }")]
    pub input_schema: Value,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// A built-in or MCP toolset; its configs are kept as JSON.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[ts(type = "{ [key: string]: unknown }")]
pub struct Toolset {
    /// Every field but `type`.
    #[serde(flatten)]
    #[ts(skip)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CreateAgent {
    /// Non-empty name.
    pub name: String,
    /// A model id string or a model config object.
    #[ts(type = "string | ModelConfig")]
    pub model: Value,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub description: Option<Option<String>>,
    /// System prompt.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub system: Option<Option<String>>,
    /// Tools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub tools: Option<Vec<Tool>>,
    /// MCP servers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "Array<{ type: \"url\", name: string, url: string }>")]
    pub mcp_servers: Option<Vec<Value>>,
    /// Skills.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(
        optional,
        type = "Array<{ type: \"anthropic\" | \"custom\", skill_id: string, version?: string | null }>"
    )]
    pub skills: Option<Vec<Value>>,
    /// Sub-agents.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, type = "Record<string, unknown> | null")]
    pub multiagent: Option<Option<Value>>,
    /// Execution identity.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(
        optional,
        type = "{ type: \"service_account\" } | { type: \"aws_role\", role_arn: string } | null"
    )]
    pub execution_identity: Option<Option<Value>>,
    /// Metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub metadata: Option<Metadata>,
}

/// Body of `POST /v1/agents/{id}`: every field optional; `null` clears where allowed.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
pub struct UpdateAgent {
    /// Required current version for optimistic concurrency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub version: Option<i64>,
    /// New name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub name: Option<String>,
    /// New model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string | ModelConfig")]
    pub model: Option<Value>,
    /// New description (null clears).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub description: Option<Option<String>>,
    /// New system prompt (null clears).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub system: Option<Option<String>>,
    /// Replacement tools (null clears).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub tools: Option<Option<Vec<Tool>>>,
    /// Replacement MCP servers (null clears).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(
        optional,
        type = "Array<{ type: \"url\", name: string, url: string }> | null"
    )]
    pub mcp_servers: Option<Option<Vec<Value>>>,
    /// Replacement skills (null clears).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(
        optional,
        type = "Array<{ type: \"anthropic\" | \"custom\", skill_id: string, version?: string | null }> | null"
    )]
    pub skills: Option<Option<Vec<Value>>>,
    /// Multi-agent roster (null clears; a `multiagent_20261001` object merges key by key).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, type = "Record<string, unknown> | null")]
    pub multiagent: Option<Option<Value>>,
    /// Metadata patch: a string upserts, null deletes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "Record<string, string | null>")]
    pub metadata: Option<Map<String, Value>>,
}

/// An environment (spec §5.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Environment {
    /// Always `environment`.
    #[serde(rename = "type")]
    #[ts(type = "\"environment\"")]
    pub kind: String,
    /// `env_…`
    pub id: String,
    /// Name.
    pub name: String,
    /// Description (R,N).
    pub description: Option<String>,
    /// Cloud or self-hosted config.
    #[ts(
        type = "{ type: \"cloud\", networking: { type: \"unrestricted\" } | { type: \"limited\", allowed_hosts: string[], allow_mcp_servers: boolean, allow_package_managers: boolean }, packages: { type?: \"packages\", apt: string[], cargo: string[], gem: string[], go: string[], npm: string[], pip: string[] } } | { type: \"self_hosted\" }"
    )]
    pub config: Value,
    /// Metadata.
    pub metadata: Metadata,
    /// `organization` or `account` (O).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "\"organization\" | \"account\"")]
    pub scope: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// RFC 3339 (R,N).
    pub archived_at: Option<String>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// Body of `POST /v1/environments` (and, all optional, of its update).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
pub struct EnvironmentParams {
    /// Name (required on create).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub name: Option<String>,
    /// Config.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(
        optional,
        type = "{ type: \"cloud\", networking?: { type: \"unrestricted\" } | { type: \"limited\", allowed_hosts?: string[], allow_mcp_servers?: boolean, allow_package_managers?: boolean }, packages?: { type?: \"packages\", apt?: string[] | null, cargo?: string[] | null, gem?: string[] | null, go?: string[] | null, npm?: string[] | null, pip?: string[] | null } } | { type: \"self_hosted\" } | null"
    )]
    pub config: Option<Option<Value>>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub description: Option<Option<String>>,
    /// Metadata (patch on update).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "Record<string, string | null>")]
    pub metadata: Option<Map<String, Value>>,
    /// Scope.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, type = "\"organization\" | \"account\" | null")]
    pub scope: Option<Option<String>>,
}

/// Session status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Session {
    /// Always `session`.
    #[serde(rename = "type")]
    #[ts(type = "\"session\"")]
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
    #[ts(type = "Omit<Agent, \"metadata\" | \"created_at\" | \"updated_at\" | \"archived_at\">")]
    pub agent: Value,
    /// Resources.
    #[ts(as = "Vec<SessionResource>")]
    pub resources: Vec<Value>,
    /// Metadata.
    pub metadata: Metadata,
    /// Vaults.
    pub vault_ids: Vec<String>,
    /// Budget (R,N).
    #[ts(as = "Option<crate::shapes::BudgetLimit>")]
    pub budget: Option<Value>,
    /// Usage.
    #[ts(as = "crate::shapes::SessionUsage")]
    pub usage: Value,
    /// Stats.
    #[ts(as = "crate::shapes::SessionStats")]
    pub stats: Value,
    /// Outcome evaluations.
    #[ts(as = "Vec<crate::shapes::OutcomeEvaluation>")]
    pub outcome_evaluations: Vec<Value>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// RFC 3339 (R,N).
    pub archived_at: Option<String>,
    /// Deployment (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub deployment_id: Option<Option<String>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// Body of `POST /v1/sessions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CreateSession {
    /// Agent id string or `{"type":"agent"|"agent_with_overrides","id",...}`.
    #[ts(
        type = "string | { type: \"agent\", id: string, version?: number } | { type: \"agent_with_overrides\", id: string, version?: number, [key: string]: unknown }"
    )]
    pub agent: Value,
    /// Environment id.
    pub environment_id: String,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub title: Option<Option<String>>,
    /// Metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub metadata: Option<Metadata>,
    /// Resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(
        optional,
        type = "Array<{ type: \"github_repository\", url: string, authorization_token?: string, mount_path?: string | null, checkout?: { type: \"branch\", name: string } | { type: \"commit\", sha: string } | null } | { type: \"file\", file_id: string, mount_path?: string | null } | { type: \"memory_store\", memory_store_id: string, access?: \"read_write\" | \"read_only\" | null, instructions?: string | null }>"
    )]
    pub resources: Option<Vec<Value>>,
    /// Vaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub vault_ids: Option<Vec<String>>,
    /// Budget.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "Option<crate::shapes::BudgetLimit>")]
    pub budget: Option<Option<Value>>,
    /// Events processed on creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub initial_events: Option<Vec<crate::send::SendEvent>>,
}

/// Body of `POST /v1/sessions/{id}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
pub struct UpdateSession {
    /// Title (null clears).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub title: Option<Option<String>>,
    /// Metadata patch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "Record<string, string | null>")]
    pub metadata: Option<Map<String, Value>>,
    /// Budget (null removes).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "Option<crate::shapes::BudgetLimit>")]
    pub budget: Option<Option<Value>>,
    /// `{"tools"?, "mcp_servers"?}`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "Record<string, unknown>")]
    pub agent: Option<Value>,
    /// Reserved; rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string[]")]
    pub vault_ids: Option<Value>,
}

open_union! {
    #[typescript("SessionResource")]
    /// A session resource (spec §7).
    pub enum SessionResource {
        /// A cloned repository.
        GithubRepository(RepositoryResource) = "github_repository",
        /// A mounted file.
        File(FileResource) = "file",
        /// A memory store.
        MemoryStore(MemoryStoreResource) = "memory_store",
    }
}

/// `{"type":"file","id","file_id","mount_path","created_at","updated_at"}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
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
    #[ts(skip)]
    pub extra: Extra,
}

/// A `github_repository` resource; its token is never returned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RepositoryResource {
    /// `sesrsc_…`
    pub id: String,
    /// The repository URL.
    pub url: String,
    /// Where it is cloned.
    pub mount_path: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// The branch or commit checked out.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(
        optional,
        type = "{ type: \"branch\", name: string } | { type: \"commit\", sha: string } | null"
    )]
    pub checkout: Option<Option<Value>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// A `memory_store` resource (no id or timestamps of its own).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MemoryStoreResource {
    /// `memstore_…`
    pub memory_store_id: String,
    /// Read-write or read-only.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, type = "\"read_write\" | \"read_only\" | null")]
    pub access: Option<Option<String>>,
    /// How the agent should use it.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub instructions: Option<Option<String>>,
    /// Where it is mounted.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub mount_path: Option<Option<String>>,
    /// The store's name.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub name: Option<Option<String>>,
    /// The store's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub description: Option<String>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// A session thread (spec §8).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SessionThread {
    /// Always `session_thread`.
    #[serde(rename = "type")]
    #[ts(type = "\"session_thread\"")]
    pub kind: String,
    /// `sthr_…`
    pub id: String,
    /// Owning session.
    pub session_id: String,
    /// Status.
    pub status: SessionStatus,
    /// The thread's agent.
    #[ts(type = "Record<string, unknown>")]
    pub agent: Value,
    /// Parent thread, null for the primary (R,N).
    pub parent_thread_id: Option<String>,
    /// Workflow run (R,N).
    pub workflow_run_id: Option<String>,
    /// Stats (R,N).
    #[ts(as = "Option<crate::shapes::SessionStats>")]
    pub stats: Option<Value>,
    /// Usage (R,N).
    #[ts(as = "Option<crate::shapes::SessionUsage>")]
    pub usage: Option<Value>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// RFC 3339 (R,N).
    pub archived_at: Option<String>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// Files API metadata (spec §12.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FileMetadata {
    /// Always `file`.
    #[serde(rename = "type")]
    #[ts(type = "\"file\"")]
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
    #[ts(optional)]
    pub downloadable: Option<bool>,
    /// Expiry (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, as = "_")]
    pub expires_at: Option<Option<String>>,
    /// `{"type":"session","id"}` (O,N).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "nullable")]
    #[ts(optional, type = "{ type: string, id: string } | null")]
    pub scope: Option<Option<Value>>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}
