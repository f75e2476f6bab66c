//! The objects of the rest of the API (spec part 2): vaults and credentials, self-hosted
//! work, deployments and runs, memory stores, memories and versions, dreams, MCP tunnels,
//! skills and organization webhook endpoints. Fields the SDKs always send are typed; nested unions that are open on the wire
//! (credential `auth`, run `error`, actors) stay JSON; unknown fields are kept in `extra`.

use crate::objects::Metadata;
use crate::presence::Extra;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A vault (`vault`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vault {
    /// `vlt_…`
    pub id: String,
    /// Name shown to people.
    pub display_name: String,
    /// Metadata.
    pub metadata: Metadata,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// RFC 3339, if archived.
    #[serde(default)]
    pub archived_at: Option<String>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A vault credential (`vault_credential`); its secrets are never returned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Credential {
    /// `vcrd_…`
    pub id: String,
    /// Its vault.
    pub vault_id: String,
    /// `mcp_oauth`, `static_bearer` or `environment_variable`, without secrets.
    pub auth: Value,
    /// Name shown to people.
    #[serde(default)]
    pub display_name: Option<String>,
    /// Metadata.
    pub metadata: Metadata,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// RFC 3339, if archived.
    #[serde(default)]
    pub archived_at: Option<String>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A self-hosted work item (`work`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkItem {
    /// Work id.
    pub id: String,
    /// Its environment.
    pub environment_id: String,
    /// What to run: `{"type":"session","id"}`.
    pub data: Value,
    /// `queued`, `starting`, `active`, `stopping`, `stopped` (open).
    pub state: String,
    /// Base64url JSON with the sessions token; only on the poll that hands it out.
    #[serde(default)]
    pub secret: Option<String>,
    /// Metadata.
    pub metadata: Metadata,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339 of the ack.
    #[serde(default)]
    pub acknowledged_at: Option<String>,
    /// RFC 3339 of the latest heartbeat.
    #[serde(default)]
    pub latest_heartbeat_at: Option<String>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A deployment (`deployment`): a session template, run on demand or on a cron schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deployment {
    /// `depl_…`
    pub id: String,
    /// Name.
    pub name: String,
    /// `{"type":"agent","id","version"}`.
    pub agent: Value,
    /// The environment its sessions run in.
    pub environment_id: String,
    /// Events each run's session starts with.
    pub initial_events: Vec<Value>,
    /// `active` or `paused` (open).
    pub status: String,
    /// Why it is paused: `{"type":"manual"}` or `{"type":"error","error"}`.
    #[serde(default)]
    pub paused_reason: Option<Value>,
    /// `{"type":"cron","expression","timezone","last_run_at","upcoming_runs_at"}`.
    #[serde(default)]
    pub schedule: Option<Value>,
    /// Metadata.
    pub metadata: Metadata,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339, if archived.
    #[serde(default)]
    pub archived_at: Option<String>,
    /// Unknown fields (resources, vault ids, budget…), kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One run of a deployment (`deployment_run`): a session, or the error that prevented it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeploymentRun {
    /// Run id.
    pub id: String,
    /// Its deployment.
    pub deployment_id: String,
    /// The session it created.
    #[serde(default)]
    pub session_id: Option<String>,
    /// `{type, message}` when it could not start.
    #[serde(default)]
    pub error: Option<Value>,
    /// `{"type":"schedule","scheduled_at"}` or `{"type":"manual"}`.
    pub trigger_context: Value,
    /// RFC 3339.
    pub created_at: String,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A memory store (`memory_store`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemoryStore {
    /// `memstore_…`
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Metadata.
    pub metadata: Metadata,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339, if archived.
    #[serde(default)]
    pub archived_at: Option<String>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A memory (`memory`); `content` only with `view=full`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Memory {
    /// `mem_…`
    pub id: String,
    /// Its store.
    pub memory_store_id: String,
    /// e.g. `/projects/notes.md`.
    pub path: String,
    /// Hex SHA-256 of the content (for preconditions).
    pub content_sha256: String,
    /// Content size.
    pub content_size_bytes: u64,
    /// The content (full view only).
    #[serde(default)]
    pub content: Option<String>,
    /// The version this state is.
    pub memory_version_id: String,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A memory version (`memory_version`); redacted ones have no content or path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemoryVersion {
    /// `memver_…`
    pub id: String,
    /// The memory.
    pub memory_id: String,
    /// `created`, `modified`, `deleted` (open).
    pub operation: String,
    /// The content then (full view, not redacted).
    #[serde(default)]
    pub content: Option<String>,
    /// The path then.
    #[serde(default)]
    pub path: Option<String>,
    /// RFC 3339, if redacted.
    #[serde(default)]
    pub redacted_at: Option<String>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A dream (`dream`): memory consolidation over a store and sessions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dream {
    /// Dream id.
    pub id: String,
    /// `pending`, `running`, `completed`, `failed`, `canceled` (open).
    pub status: String,
    /// The memory store and sessions it reads.
    pub inputs: Vec<Value>,
    /// The memory stores it wrote.
    pub outputs: Vec<Value>,
    /// `{type, message}` if it failed.
    #[serde(default)]
    pub error: Option<Value>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An MCP tunnel (`tunnel`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tunnel {
    /// Tunnel id.
    pub id: String,
    /// Its domain.
    pub domain: String,
    /// Name shown to people.
    #[serde(default)]
    pub display_name: Option<String>,
    /// RFC 3339, if archived.
    #[serde(default)]
    pub archived_at: Option<String>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A skill (`skill`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Skill {
    /// `skill_…`
    pub id: String,
    /// Name shown to people.
    pub display_name: String,
    /// `{"type":"custom"|"anthropic"|…}`.
    pub source: Value,
    /// The newest version's id.
    pub latest_version_id: String,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A skill version (`skill_version`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkillVersion {
    /// Version id.
    pub id: String,
    /// Its skill.
    pub skill_id: String,
    /// The name in its `SKILL.md`.
    pub name: String,
    /// The description in its `SKILL.md`.
    pub description: String,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An organization webhook endpoint (`GET /v1/organizations/webhooks/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizationWebhookEndpoint {
    /// Endpoint id.
    pub id: String,
    /// The HTTPS URL deliveries go to.
    pub url: String,
    /// A short label (empty when none was given).
    pub name: String,
    /// Notes (empty when none were given).
    pub description: String,
    /// The event types delivered.
    pub enabled_events: Vec<String>,
    /// `enabled` or `disabled`.
    pub state: String,
    /// Why the platform disabled it (empty otherwise).
    pub disabled_reason: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A new endpoint, with the signing secret no other answer returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewOrganizationWebhookEndpoint {
    /// The `whsec_…` secret deliveries are signed with (hidden from `Debug`).
    pub signing_secret: crate::request::Secret,
    /// The endpoint.
    #[serde(flatten)]
    pub endpoint: OrganizationWebhookEndpoint,
}

/// An endpoint's new signing secret (`regenerate_signing_secret`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizationWebhookEndpointSigningSecret {
    /// The new `whsec_…` secret (hidden from `Debug`).
    pub signing_secret: crate::request::Secret,
}
