//! The objects of the rest of the API (spec part 2): vaults and credentials, self-hosted
//! work, deployments and runs, memory stores, memories and versions, dreams, MCP tunnels,
//! skills and organization webhook endpoints. Nested unions that are open on the wire
//! (credential `auth`, run `error`, actors) stay JSON, with their shape in the TypeScript
//! types; unknown fields are kept in `extra`.

use crate::objects::Metadata;
use crate::presence::Extra;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// A vault (`vault`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Vault {
    /// Always `vault`.
    #[serde(rename = "type")]
    #[ts(type = "\"vault\"")]
    pub kind: String,
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
    #[ts(skip)]
    pub extra: Extra,
}

/// A vault credential (`vault_credential`); its secrets are never returned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Credential {
    /// Always `vault_credential`.
    #[serde(rename = "type")]
    #[ts(type = "\"vault_credential\"")]
    pub kind: String,
    /// `vcrd_…`
    pub id: String,
    /// Its vault.
    pub vault_id: String,
    /// `mcp_oauth`, `static_bearer` or `environment_variable`, without secrets.
    #[ts(
        type = "{ type: \"mcp_oauth\", mcp_server_url: string, expires_at?: string | null, refresh?: { client_id: string, token_endpoint: string, token_endpoint_auth: { type: \"none\" | \"client_secret_basic\" | \"client_secret_post\" }, resource?: string | null, scope?: string | null } | null } | { type: \"static_bearer\", mcp_server_url: string } | { type: \"environment_variable\", secret_name: string, injection_location: { body: boolean, header: boolean }, networking: { type: \"unrestricted\" } | { type: \"limited\", allowed_hosts: string[] } }"
    )]
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
    #[ts(skip)]
    pub extra: Extra,
}

/// A self-hosted work item (`work`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct WorkItem {
    /// Always `work`.
    #[serde(rename = "type")]
    #[ts(type = "\"work\"")]
    pub kind: String,
    /// `work_…`
    pub id: String,
    /// The self-hosted environment.
    pub environment_id: String,
    /// What to run: `{"type":"session","id"}`.
    #[ts(type = "{ type: \"session\", id: string }")]
    pub data: Value,
    /// `queued`, `starting`, `active`, `stopping` or `stopped`.
    #[ts(type = "\"queued\" | \"starting\" | \"active\" | \"stopping\" | \"stopped\"")]
    pub state: String,
    /// Metadata.
    pub metadata: Metadata,
    /// The worker's session secret (only to the worker that polled it).
    #[serde(default)]
    pub secret: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339, once acknowledged.
    #[serde(default)]
    pub acknowledged_at: Option<String>,
    /// RFC 3339, the last heartbeat.
    #[serde(default)]
    pub latest_heartbeat_at: Option<String>,
    /// RFC 3339, once started.
    #[serde(default)]
    pub started_at: Option<String>,
    /// RFC 3339, once a stop was asked for.
    #[serde(default)]
    pub stop_requested_at: Option<String>,
    /// RFC 3339, once stopped.
    #[serde(default)]
    pub stopped_at: Option<String>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

impl WorkItem {
    /// The session this item is for (`data.type` `session`), if it is one.
    pub fn session_id(&self) -> Option<&str> {
        (self.data["type"] == "session")
            .then(|| self.data["id"].as_str())
            .flatten()
    }

    /// The sessions token in the item's `secret` (URL-safe base64 of JSON with
    /// `sessions_token`), if it carries one. Never log it.
    pub fn sessions_token(&self) -> Option<String> {
        use base64::Engine as _;
        let secret = self.secret.as_deref()?.trim_end_matches('=');
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(secret)
            .ok()?;
        let payload: Value = serde_json::from_slice(&bytes).ok()?;
        payload["sessions_token"]
            .as_str()
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    }
}

/// A deployment (`deployment`): an agent run on a schedule or on demand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Deployment {
    /// Always `deployment`.
    #[serde(rename = "type")]
    #[ts(type = "\"deployment\"")]
    pub kind: String,
    /// `depl_…`
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::presence::nullable"
    )]
    #[ts(optional, as = "_")]
    pub description: Option<Option<String>>,
    /// The agent and version it runs.
    #[ts(type = "{ type: \"agent\", id: string, version: number }")]
    pub agent: Value,
    /// The environment.
    pub environment_id: String,
    /// Events each run's session starts with.
    pub initial_events: Vec<crate::send::SendEvent>,
    /// Resources each run's session gets.
    #[serde(default)]
    #[ts(type = "Array<Record<string, unknown>>")]
    pub resources: Vec<Value>,
    /// Vaults each run's session gets.
    #[serde(default)]
    pub vault_ids: Vec<String>,
    /// Each run's cost cap.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::presence::nullable"
    )]
    #[ts(optional, as = "_")]
    pub budget: Option<Option<crate::shapes::BudgetLimit>>,
    /// When it runs by itself.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::presence::nullable"
    )]
    #[ts(
        optional,
        type = "{ type: \"cron\", expression: string, timezone: string, last_run_at?: string | null, upcoming_runs_at?: string[] | null } | null"
    )]
    pub schedule: Option<Option<Value>>,
    /// `active` or `paused`.
    #[ts(type = "\"active\" | \"paused\"")]
    pub status: String,
    /// Why it is paused.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::presence::nullable"
    )]
    #[ts(
        optional,
        type = "{ type: \"manual\" } | { type: \"error\", error: { type: string, message: string } } | null"
    )]
    pub paused_reason: Option<Option<Value>>,
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
    #[ts(skip)]
    pub extra: Extra,
}

/// One run of a deployment (`deployment_run`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DeploymentRun {
    /// Always `deployment_run`.
    #[serde(rename = "type")]
    #[ts(type = "\"deployment_run\"")]
    pub kind: String,
    /// `drun_…`
    pub id: String,
    /// Its deployment.
    pub deployment_id: String,
    /// The agent and version it ran.
    #[ts(type = "{ type: \"agent\", id: string, version: number }")]
    pub agent: Value,
    /// The session it started, if it got that far.
    #[serde(default)]
    pub session_id: Option<String>,
    /// Why it failed.
    #[serde(default)]
    #[ts(type = "{ type: string, message: string } | null")]
    pub error: Option<Value>,
    /// What started it.
    #[ts(type = "{ type: \"schedule\", scheduled_at: string } | { type: \"manual\" }")]
    pub trigger_context: Value,
    /// RFC 3339.
    pub created_at: String,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// A memory store (`memory_store`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MemoryStore {
    /// Always `memory_store`.
    #[serde(rename = "type")]
    #[ts(type = "\"memory_store\"")]
    pub kind: String,
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
    /// RFC 3339.
    pub updated_at: String,
    /// RFC 3339, if archived.
    #[serde(default)]
    pub archived_at: Option<String>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// A memory (`memory`): a file in a memory store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Memory {
    /// Always `memory`.
    #[serde(rename = "type")]
    #[ts(type = "\"memory\"")]
    pub kind: String,
    /// `mem_…`
    pub id: String,
    /// Its store.
    pub memory_store_id: String,
    /// Its path in the store.
    pub path: String,
    /// SHA-256 of the content, hex.
    pub content_sha256: String,
    /// Content size.
    pub content_size_bytes: u64,
    /// The content (when asked for).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub content: Option<String>,
    /// The version this is.
    pub memory_version_id: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// A version of a memory (`memory_version`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MemoryVersion {
    /// Always `memory_version`.
    #[serde(rename = "type")]
    #[ts(type = "\"memory_version\"")]
    pub kind: String,
    /// `memver_…`
    pub id: String,
    /// Its memory.
    pub memory_id: String,
    /// Its store.
    pub memory_store_id: String,
    /// `created`, `modified` or `deleted`.
    #[ts(type = "\"created\" | \"modified\" | \"deleted\"")]
    pub operation: String,
    /// The content (when asked for; gone once redacted).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::presence::nullable"
    )]
    #[ts(optional, as = "_")]
    pub content: Option<Option<String>>,
    /// SHA-256 of the content, hex.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::presence::nullable"
    )]
    #[ts(optional, as = "_")]
    pub content_sha256: Option<Option<String>>,
    /// Content size.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::presence::nullable"
    )]
    #[ts(optional, as = "_")]
    pub content_size_bytes: Option<Option<u64>>,
    /// The memory's path at this version.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::presence::nullable"
    )]
    #[ts(optional, as = "_")]
    pub path: Option<Option<String>>,
    /// Who made it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::presence::nullable"
    )]
    #[ts(optional, type = "Record<string, unknown> | null")]
    pub created_by: Option<Option<Value>>,
    /// RFC 3339, if redacted.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::presence::nullable"
    )]
    #[ts(optional, as = "_")]
    pub redacted_at: Option<Option<String>>,
    /// Who redacted it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::presence::nullable"
    )]
    #[ts(optional, type = "Record<string, unknown> | null")]
    pub redacted_by: Option<Option<Value>>,
    /// RFC 3339.
    pub created_at: String,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// A dream (`dream`): memory consolidation run over stores and sessions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Dream {
    /// Always `dream`.
    #[serde(rename = "type")]
    #[ts(type = "\"dream\"")]
    pub kind: String,
    /// `dream_…`
    pub id: String,
    /// `pending`, `running`, `completed`, `failed` or `canceled`.
    #[ts(type = "\"pending\" | \"running\" | \"completed\" | \"failed\" | \"canceled\"")]
    pub status: String,
    /// What it reads.
    #[ts(
        type = "Array<{ type: \"memory_store\", memory_store_id: string } | { type: \"sessions\", session_ids: string[] }>"
    )]
    pub inputs: Vec<Value>,
    /// What it wrote.
    #[ts(type = "Array<{ type: \"memory_store\", memory_store_id: string }>")]
    pub outputs: Vec<Value>,
    /// The model it runs.
    #[ts(type = "{ id: string, speed?: \"standard\" | \"fast\" | null }")]
    pub model: Value,
    /// Extra instructions.
    #[serde(default)]
    pub instructions: Option<String>,
    /// Where it writes.
    #[ts(
        type = "{ type: \"create_new\" } | { type: \"update_existing\", memory_store_id: string }"
    )]
    pub output_behavior: Value,
    /// The session it runs in.
    #[serde(default)]
    pub session_id: Option<String>,
    /// Why it failed.
    #[serde(default)]
    #[ts(type = "{ type: string, message: string } | null")]
    pub error: Option<Value>,
    /// Tokens used.
    #[ts(as = "crate::shapes::Usage")]
    pub usage: Value,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339, once ended.
    #[serde(default)]
    pub ended_at: Option<String>,
    /// RFC 3339, if archived.
    #[serde(default)]
    pub archived_at: Option<String>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// An MCP tunnel (`tunnel`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Tunnel {
    /// Always `tunnel`.
    #[serde(rename = "type")]
    #[ts(type = "\"tunnel\"")]
    pub kind: String,
    /// `tunl_…`
    pub id: String,
    /// Its domain.
    pub domain: String,
    /// Name shown to people.
    #[serde(default)]
    pub display_name: Option<String>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339, if archived.
    #[serde(default)]
    pub archived_at: Option<String>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// A skill (`skill`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Skill {
    /// Always `skill`.
    #[serde(rename = "type")]
    #[ts(type = "\"skill\"")]
    pub kind: String,
    /// `skill_…`
    pub id: String,
    /// Name shown to people.
    pub display_name: String,
    /// Where it comes from.
    #[ts(type = "{ type: \"custom\" | \"anthropic\" | \"anthropic_example\" | \"plugin\" }")]
    pub source: Value,
    /// Its newest version.
    pub latest_version_id: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// A version of a skill (`skill_version`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SkillVersion {
    /// Always `skill_version`.
    #[serde(rename = "type")]
    #[ts(type = "\"skill_version\"")]
    pub kind: String,
    /// Version id.
    pub id: String,
    /// Its skill.
    pub skill_id: String,
    /// The name in its `SKILL.md`.
    pub name: String,
    /// The description in its `SKILL.md`.
    pub description: String,
    /// RFC 3339.
    pub created_at: String,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// An organization webhook endpoint (`GET /v1/organizations/webhooks/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
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
    #[ts(
        type = "Array<\"external_key.failed\" | \"external_key.recovered\" | \"external_storage.failed\" | \"external_storage.recovered\" | \"user_profile.enforcement_action_opened\" | \"user_profile.enforcement_action_resolved\" | \"user_profile.program_status_updated\">"
    )]
    pub enabled_events: Vec<String>,
    /// `enabled` or `disabled`.
    #[ts(type = "\"enabled\" | \"disabled\"")]
    pub state: String,
    /// Why the platform disabled it (empty otherwise).
    pub disabled_reason: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// A new endpoint, with the signing secret no other answer returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NewOrganizationWebhookEndpoint {
    /// The `whsec_…` secret deliveries are signed with (hidden from `Debug`).
    #[ts(type = "string")]
    pub signing_secret: crate::request::Secret,
    /// The endpoint.
    #[serde(flatten)]
    pub endpoint: OrganizationWebhookEndpoint,
}

/// An endpoint's new signing secret (`regenerate_signing_secret`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OrganizationWebhookEndpointSigningSecret {
    /// The new `whsec_…` secret (hidden from `Debug`).
    #[ts(type = "string")]
    pub signing_secret: crate::request::Secret,
}
