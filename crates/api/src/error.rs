//! The API error model (spec §1.6): the JSON envelope and a typed error keyed by status.

use crate::presence::Extra;
use serde::{Deserialize, Serialize};

/// `{"type":"error","error":{...},"request_id"}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorEnvelope {
    /// Always `error`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The error.
    pub error: ErrorBody,
    /// Request id (R,N).
    pub request_id: Option<String>,
}

/// `{"type","message","details"?}`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// e.g. `not_found_error` (open).
    #[serde(rename = "type")]
    pub kind: String,
    /// Human text; do not match on it.
    pub message: String,
    /// `{"error_code", ...}` (O).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
    /// Unknown fields, kept.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ErrorEnvelope {
    /// Builds an envelope.
    pub fn new(kind: &str, message: impl Into<String>, request_id: Option<String>) -> Self {
        ErrorEnvelope {
            kind: "error".into(),
            error: ErrorBody {
                kind: kind.into(),
                message: message.into(),
                details: None,
                extra: Extra::new(),
            },
            request_id,
        }
    }

    /// Adds `details.error_code`.
    pub fn with_code(mut self, code: &str) -> Self {
        self.error.details = Some(serde_json::json!({ "error_code": code }));
        self
    }
}

/// The usual `error.type` for an HTTP status.
pub fn error_type_for_status(status: u16) -> &'static str {
    match status {
        400 | 413 | 422 => "invalid_request_error",
        401 => "authentication_error",
        402 => "billing_error",
        403 => "permission_error",
        404 => "not_found_error",
        409 => "conflict_error",
        429 => "rate_limit_error",
        504 => "timeout_error",
        529 => "overloaded_error",
        _ => "api_error",
    }
}

/// Error class by status, named as the SDKs name them. (The npm package's `client.js` lists
/// its classes in this order.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ErrorClass {
    /// 400
    BadRequest,
    /// 401
    Authentication,
    /// 402
    PaymentRequired,
    /// 403
    PermissionDenied,
    /// 404
    NotFound,
    /// 408
    RequestTimeout,
    /// 409
    Conflict,
    /// 412
    PreconditionFailed,
    /// 413
    ContentTooLarge,
    /// 422
    UnprocessableEntity,
    /// 429
    RateLimit,
    /// 529
    Overloaded,
    /// 503
    ServiceUnavailable,
    /// 504
    GatewayTimeout,
    /// other ≥ 500
    InternalServer,
    /// an `event: error` inside a 200 stream, or any other status
    Api,
}

impl ErrorClass {
    /// Classifies a status (`None` = error delivered inside a stream).
    pub fn from_status(status: Option<u16>) -> Self {
        match status {
            Some(400) => ErrorClass::BadRequest,
            Some(401) => ErrorClass::Authentication,
            Some(402) => ErrorClass::PaymentRequired,
            Some(403) => ErrorClass::PermissionDenied,
            Some(404) => ErrorClass::NotFound,
            Some(408) => ErrorClass::RequestTimeout,
            Some(409) => ErrorClass::Conflict,
            Some(412) => ErrorClass::PreconditionFailed,
            Some(413) => ErrorClass::ContentTooLarge,
            Some(422) => ErrorClass::UnprocessableEntity,
            Some(429) => ErrorClass::RateLimit,
            Some(503) => ErrorClass::ServiceUnavailable,
            Some(504) => ErrorClass::GatewayTimeout,
            Some(529) => ErrorClass::Overloaded,
            Some(s) if s >= 500 => ErrorClass::InternalServer,
            _ => ErrorClass::Api,
        }
    }
}

/// An error answered by the API (or sent inside a stream as `event: error`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{} ({}): {}{}", status.map(|s| s.to_string()).unwrap_or_else(|| "stream".into()), kind, message, request_id.as_ref().map(|r| format!(" [request_id {r}]")).unwrap_or_default())]
pub struct ApiError {
    /// HTTP status; `None` for an error event inside a stream.
    pub status: Option<u16>,
    /// `error.type`.
    pub kind: String,
    /// `error.message`.
    pub message: String,
    /// `details.error_code`, when given.
    pub error_code: Option<String>,
    /// Request id from the body or the `request-id` header.
    pub request_id: Option<String>,
    /// How long the server asked the client to wait (`retry-after-ms` / `retry-after`),
    /// in milliseconds, when it did.
    pub retry_after_ms: Option<u32>,
}

impl ApiError {
    /// Builds an error from a status and a response body that may or may not be an envelope.
    pub fn from_response(
        status: Option<u16>,
        body: &[u8],
        header_request_id: Option<&str>,
    ) -> Self {
        match serde_json::from_slice::<ErrorEnvelope>(body) {
            Ok(envelope) => ApiError {
                status,
                error_code: envelope
                    .error
                    .details
                    .as_ref()
                    .and_then(|d| d.get("error_code"))
                    .and_then(|c| c.as_str())
                    .map(str::to_owned),
                kind: envelope.error.kind,
                message: envelope.error.message,
                request_id: envelope.request_id.or(header_request_id.map(str::to_owned)),
                retry_after_ms: None,
            },
            Err(_) => ApiError {
                status,
                kind: error_type_for_status(status.unwrap_or(500)).into(),
                message: format!(
                    "unexpected error body: {}",
                    String::from_utf8_lossy(&body[..body.len().min(512)])
                ),
                error_code: None,
                request_id: header_request_id.map(str::to_owned),
                retry_after_ms: None,
            },
        }
    }

    /// The SDK-style class of this error.
    pub fn class(&self) -> ErrorClass {
        ErrorClass::from_status(self.status)
    }
}
