//! Webhooks: the envelope the platform POSTs (`{"type":"event","id","created_at","data"}`,
//! spec part 2 §2.5) and Standard Webhooks signatures over it, as pure functions.
//!
//! A delivery carries `webhook-id`, `webhook-timestamp` (Unix seconds) and
//! `webhook-signature` (space-separated `v1,<base64>` entries); each is an HMAC-SHA256, keyed
//! by the base64 part of a `whsec_…` secret, of `{id}.{timestamp}.{body}`. [`verify`] accepts
//! a delivery when any `v1` entry matches (compared in constant time) and the timestamp is
//! within the tolerance of now; [`sign`] makes the header (the emulator and tests use it).
//! Errors never contain the secret.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// The delivery envelope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookEvent {
    /// Always `event`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The delivery's id, for idempotency.
    pub id: String,
    /// When the event happened (RFC 3339).
    pub created_at: String,
    /// What happened.
    pub data: WebhookData,
}

/// What happened: a `type` (51 known, others kept) and the id of the object it concerns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookData {
    /// e.g. `session.requires_action`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The object's id (a session id for `session.*`).
    pub id: String,
    /// The organization.
    pub organization_id: String,
    /// The workspace (absent for organization-level events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<String>,
    /// Other fields (`session_thread_id`, `vault_id`, `enforcement_action_id`, unknown
    /// ones), kept verbatim.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl WebhookData {
    /// Whether this is one of the `session.*` events (the ones a tool host acts on).
    pub fn is_session_event(&self) -> bool {
        self.kind.starts_with("session.")
    }
}

/// The 17 `session.*` webhook event types.
pub const SESSION_EVENT_TYPES: [&str; 17] = [
    "session.created",
    "session.pending",
    "session.running",
    "session.idled",
    "session.requires_action",
    "session.archived",
    "session.deleted",
    "session.status_rescheduled",
    "session.status_run_started",
    "session.status_idled",
    "session.status_terminated",
    "session.outcome_evaluation_ended",
    "session.updated",
    "session.budget_reached",
    "session.thread_created",
    "session.thread_idled",
    "session.thread_terminated",
];

/// The Standard Webhooks default tolerance: five minutes either way.
pub const DEFAULT_TOLERANCE_SECS: i64 = 5 * 60;

/// Why a delivery was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    /// The secret is not `whsec_` followed by base64.
    #[error("the webhook secret must be `whsec_` followed by base64")]
    BadSecret,
    /// A required header is absent.
    #[error("missing header `{0}`")]
    MissingHeader(&'static str),
    /// `webhook-timestamp` is not a number of seconds.
    #[error("`webhook-timestamp` is not a Unix time in seconds")]
    BadTimestamp,
    /// The timestamp is further from now than the tolerance (a replay, or a bad clock).
    #[error("the delivery's timestamp is {0} s from now, beyond the tolerance")]
    OutsideTolerance(i64),
    /// No `v1` signature matches.
    #[error("no signature matches")]
    NoMatch,
}

fn key(secret: &str) -> Result<Vec<u8>, WebhookError> {
    STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .map_err(|_| WebhookError::BadSecret)
}

fn mac(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    mac
}

/// The `webhook-signature` header for a delivery.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Result<String, WebhookError> {
    let tag = mac(&key(secret)?, id, timestamp, body)
        .finalize()
        .into_bytes();
    Ok(format!("v1,{}", STANDARD.encode(tag)))
}

/// Checks a delivery's signature and timestamp; `header` looks a header up by its
/// lower-case name. `now` and `tolerance_secs` are Unix seconds.
pub fn verify(
    secret: &str,
    header: &dyn Fn(&str) -> Option<String>,
    body: &[u8],
    now: i64,
    tolerance_secs: i64,
) -> Result<(), WebhookError> {
    let key = key(secret)?;
    let id = header("webhook-id").ok_or(WebhookError::MissingHeader("webhook-id"))?;
    let timestamp: i64 = header("webhook-timestamp")
        .ok_or(WebhookError::MissingHeader("webhook-timestamp"))?
        .trim()
        .parse()
        .map_err(|_| WebhookError::BadTimestamp)?;
    let signatures =
        header("webhook-signature").ok_or(WebhookError::MissingHeader("webhook-signature"))?;
    // Both numbers are untrusted (the timestamp) or configured (the tolerance): no
    // arithmetic on them may overflow, so `i64::MIN` is simply far outside the window.
    let skew = now
        .checked_sub(timestamp)
        .ok_or(WebhookError::BadTimestamp)?;
    if skew.unsigned_abs() > tolerance_secs.unsigned_abs() {
        return Err(WebhookError::OutsideTolerance(skew));
    }
    let expected = mac(&key, &id, timestamp, body);
    let matches = signatures
        .split_whitespace()
        .filter_map(|entry| entry.strip_prefix("v1,"))
        .filter_map(|sig| STANDARD.decode(sig).ok())
        .any(|sig| expected.clone().verify_slice(&sig).is_ok());
    if matches {
        Ok(())
    } else {
        Err(WebhookError::NoMatch)
    }
}
