//! What only Managed Agents on Amazon Bedrock has (spec part 3, §2): its two MCP
//! elicitation events, the six `session.error` objects of its sandbox, its execution and
//! caller identities. Kept apart from [`crate::events`]: the first-party stream never holds
//! them (a first-party client keeps them as unknown events), and the npm package's core
//! does not carry their names.

use crate::events::RetryStatus;
use crate::presence::Extra;
use crate::union::open_union;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The operations Bedrock serves, by route-table name.
pub const OPERATIONS: [&str; 34] = [
    "agents.create",
    "agents.retrieve",
    "agents.update",
    "agents.list",
    "agents.archive",
    "agents.versions.list",
    "sessions.create",
    "sessions.retrieve",
    "sessions.update",
    "sessions.list",
    "sessions.delete",
    "sessions.archive",
    "sessions.events.list",
    "sessions.events.send",
    "sessions.events.stream",
    "sessions.threads.retrieve",
    "sessions.threads.list",
    "sessions.threads.archive",
    "sessions.threads.events.list",
    "sessions.threads.events.stream",
    "memory_stores.create",
    "memory_stores.retrieve",
    "memory_stores.update",
    "memory_stores.list",
    "memory_stores.delete",
    "memory_stores.archive",
    "memory_stores.memories.create",
    "memory_stores.memories.retrieve",
    "memory_stores.memories.update",
    "memory_stores.memories.delete",
    "memory_stores.memories.list",
    "memory_stores.memory_versions.retrieve",
    "memory_stores.memory_versions.list",
    "memory_stores.memory_versions.redact",
];

/// The `anthropic-beta` value every Bedrock operation takes (memory stores included).
pub const BETA: &str = crate::request::MANAGED_AGENTS_BETA;

/// The service name requests are signed for.
pub const SIGNING_SERVICE: &str = "bedrock";

/// Where the API is served in `region`.
pub fn base_url(region: &str) -> String {
    format!("https://bedrock.{region}.amazonaws.com/anthropic")
}

/// Why `route` cannot be used on Bedrock, or `None` when it is one of the [`OPERATIONS`].
/// The emulator answers it with a 404; the clients refuse before sending.
pub fn not_served(route: &crate::routes::Route) -> Option<String> {
    (!OPERATIONS.contains(&route.name)).then(|| {
        format!(
            "`{}` (`{} {}`) is not served on Amazon Bedrock: it serves agents, sessions with \
             their events and threads, and memory stores",
            route.name, route.method, route.path
        )
    })
}

open_union! {
    #[typescript("KnownBedrockEvent", "BedrockEvent")]
    /// An event only Bedrock's streams and histories hold.
    pub enum BedrockEvent {
        /// An MCP server asks the person to act at a URL; its call waits.
        AgentMcpElicitation(AgentMcpElicitation) = "agent.mcp_elicitation",
        /// The person's answer to an elicitation.
        UserMcpElicitationResponse(UserMcpElicitationResponse) = "user.mcp_elicitation_response",
    }
}

/// `agent.mcp_elicitation`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AgentMcpElicitation {
    /// Event id (`sevt_…`).
    pub id: String,
    /// When processed.
    pub processed_at: String,
    /// The MCP server asking.
    pub mcp_server_name: String,
    /// The waiting `agent.mcp_tool_use`.
    pub mcp_tool_use_id: String,
    /// What is asked.
    pub request: ElicitationRequest,
    /// Set only on the primary thread's copy of a sub-thread's elicitation.
    pub session_thread_id: Option<String>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `{"type":"url","message","url"}`: what the person is asked to do, and where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ElicitationRequest {
    /// `url`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Shown to the person (`""` when none).
    pub message: String,
    /// Where to act; null for anyone but the person who created the session.
    pub url: Option<String>,
}

/// `user.mcp_elicitation_response`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct UserMcpElicitationResponse {
    /// Event id.
    pub id: String,
    /// The elicitation answered.
    pub mcp_elicitation_id: String,
    /// `{"type":"accept"|"decline"|"cancel"}` (an unknown type reads as answered).
    pub response: ElicitationAnswer,
    /// When applied; null until then (always null in the send response).
    pub processed_at: Option<String>,
    /// The thread, if a sub-thread's.
    pub session_thread_id: Option<String>,
    /// Who sent it.
    pub sent_by: Option<CallerIdentity>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

/// `{"type":"accept"|"decline"|"cancel"}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ElicitationAnswer {
    /// `accept` (the call is retried), `decline` or `cancel` (it ends with an error).
    #[serde(rename = "type")]
    pub kind: String,
}

open_union! {
    #[typescript("CallerIdentity")]
    /// Who made a request.
    pub enum CallerIdentity {
        /// A person signed in through an identity provider.
        PersonActor(PersonActor) = "person_actor",
        /// An IAM role.
        RoleActor(RoleActor) = "role_actor",
    }
}

/// `person_actor`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PersonActor {
    /// The identity provider.
    pub issuer: String,
    /// The person there.
    pub subject: String,
}

/// `role_actor`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RoleActor {
    /// The IAM role's ARN.
    pub arn: String,
    /// The IAM role's unique id.
    pub role_id: String,
}

/// `{"type":"aws_role","role_arn"}`: the only execution identity on Bedrock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AwsRole {
    /// `aws_role`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The IAM role's ARN.
    pub role_arn: String,
}

open_union! {
    #[typescript("BedrockSessionErrorObject")]
    /// The `session.error` objects only Bedrock's sandbox raises; no tool runs until its
    /// mounts and copies succeed.
    pub enum BedrockSessionError {
        /// S3 refused the sandbox role, or the bucket is another account's.
        S3AccessDenied(SandboxSessionError) = "s3_access_denied_error",
        /// The bucket or object is missing.
        S3NotFound(SandboxSessionError) = "s3_not_found_error",
        /// Another mount failure, or the sandbox was not ready in time.
        S3Mount(SandboxSessionError) = "s3_mount_error",
        /// Another copy failure (e.g. size limits).
        S3Copy(SandboxSessionError) = "s3_copy_error",
        /// A mount path at, above or below another mount.
        MountPathConflict(SandboxSessionError) = "mount_path_conflict_error",
        /// The working directory is missing and cannot be made.
        WorkingDirectory(SandboxSessionError) = "working_directory_error",
    }
}

/// A sandbox error: what failed, where, and that it is not retried.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SandboxSessionError {
    /// Human-readable text.
    pub message: String,
    /// The failing mount path or working directory; null when none.
    pub path: Option<String>,
    /// Always `exhausted`.
    pub retry_status: RetryStatus,
    /// Unknown fields, kept.
    #[serde(flatten)]
    #[ts(skip)]
    pub extra: Extra,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bedrock_events_read_and_write_their_wire_form() {
        let wire = json!({"type": "agent.mcp_elicitation", "id": "sevt_1", "processed_at": "2026-12-04T00:00:00Z",
            "mcp_server_name": "gateway", "mcp_tool_use_id": "sevt_0",
            "request": {"type": "url", "message": "Sign in", "url": null}, "session_thread_id": null});
        let event: BedrockEvent = serde_json::from_value(wire.clone()).unwrap();
        assert!(
            matches!(&event, BedrockEvent::AgentMcpElicitation(e) if e.mcp_tool_use_id == "sevt_0")
        );
        assert_eq!(serde_json::to_value(&event).unwrap(), wire);
        let error: BedrockSessionError = serde_json::from_value(json!({"type": "s3_mount_error",
            "message": "m", "path": null, "retry_status": {"type": "exhausted"}}))
        .unwrap();
        assert!(matches!(error, BedrockSessionError::S3Mount(_)));
        let other: BedrockEvent =
            serde_json::from_value(json!({"type": "agent.new_thing"})).unwrap();
        assert!(matches!(other, BedrockEvent::Unknown(_)));
    }
}
