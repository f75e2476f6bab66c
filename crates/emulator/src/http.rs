//! HTTP plumbing shared by every route: the error response, the JSON body reader with a
//! size limit and clear messages, ids, timestamps and cursor pagination.

use axum::body::Bytes;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use outrig_api::error::{error_type_for_status, ErrorEnvelope};
use rand::Rng;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// An error answered with the API's error envelope.
#[derive(Debug)]
pub struct ApiFailure {
    /// HTTP status.
    pub status: StatusCode,
    /// `error.message`.
    pub message: String,
    /// `details.error_code`, when the spec names one.
    pub code: Option<&'static str>,
    /// Seconds for `retry-after` (429 only).
    pub retry_after: Option<u64>,
}

/// Shorthand for route results.
pub type ApiResult<T> = Result<T, ApiFailure>;

impl ApiFailure {
    /// An error with a status and a message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiFailure {
            status,
            message: message.into(),
            code: None,
            retry_after: None,
        }
    }

    /// 400 invalid_request_error.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 404 not_found_error for an object kind and id.
    pub fn not_found(what: &str, id: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, format!("{what} `{id}` not found"))
    }

    /// Adds `details.error_code`.
    pub fn code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }
}

impl From<anyhow::Error> for ApiFailure {
    fn from(error: anyhow::Error) -> Self {
        tracing::error!("internal error: {error:#}");
        ApiFailure::new(StatusCode::INTERNAL_SERVER_ERROR, "internal emulator error")
    }
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        let request_id = new_id("req");
        let mut envelope = ErrorEnvelope::new(
            error_type_for_status(self.status.as_u16()),
            self.message,
            Some(request_id.clone()),
        );
        if let Some(code) = self.code {
            envelope = envelope.with_code(code);
        }
        let mut response = (self.status, axum::Json(envelope)).into_response();
        let headers = response.headers_mut();
        headers.insert(
            "request-id",
            HeaderValue::from_str(&request_id).expect("ascii id"),
        );
        if let Some(seconds) = self.retry_after {
            headers.insert("retry-after", HeaderValue::from(seconds));
        }
        response
    }
}

/// Parses a JSON request body into `T`, with messages that name the problem.
pub fn parse_body<T: DeserializeOwned>(bytes: &Bytes) -> ApiResult<T> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiFailure::invalid(
            "request body is empty; expected a JSON object",
        ));
    }
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiFailure::invalid(format!("request body is not valid JSON: {e}")))?;
    if !value.is_object() {
        return Err(ApiFailure::invalid("request body must be a JSON object"));
    }
    serde_json::from_value(value)
        .map_err(|e| ApiFailure::invalid(format!("invalid request body: {e}")))
}

/// A random id with a prefix, e.g. `sesn_01hx…` (derived from the seed with `--seed`).
pub fn new_id(prefix: &str) -> String {
    if let Some(suffix) = crate::determinism::seeded_suffix(prefix) {
        return format!("{prefix}_{suffix}");
    }
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut rng = rand::rng();
    let suffix: String = (0..24)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("{prefix}_{suffix}")
}

/// The current time as RFC 3339 with microseconds (the `--clock`'s, if set).
pub fn now() -> String {
    if let Some(micros) = crate::determinism::clock_micros() {
        return outrig_api::time::rfc3339_from_micros(micros);
    }
    let micros = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or_default();
    outrig_api::time::rfc3339_from_micros(micros)
}

/// Offset pagination with opaque `page_<n>` cursors.
pub struct Window {
    /// First index.
    pub offset: usize,
    /// Page size.
    pub limit: usize,
}

impl Window {
    /// Reads `page` and `limit` (default and maximum per endpoint). A `limit` of 0 means the
    /// default: the SDKs' generated tests send it, and the API's schema allows it.
    pub fn from_query(
        page: Option<&str>,
        limit: Option<&str>,
        default: usize,
        max: usize,
    ) -> ApiResult<Self> {
        let limit = match limit {
            None => default,
            Some(text) => match text.parse::<usize>() {
                Ok(0) => default,
                Ok(n) if n <= max => n,
                _ => {
                    return Err(ApiFailure::invalid(format!(
                        "`limit` must be an integer from 0 (the default, {default}) to {max}, got `{text}`"
                    )))
                }
            },
        };
        let offset = match page {
            None | Some("") => 0,
            Some(cursor) => cursor
                .strip_prefix("page_")
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| {
                    ApiFailure::invalid(format!("`page` cursor `{cursor}` is not valid"))
                })?,
        };
        Ok(Window { offset, limit })
    }

    /// Reads `page` and `limit` from decoded query pairs.
    pub fn from_pairs(pairs: &[(String, String)], default: usize, max: usize) -> ApiResult<Self> {
        use outrig_api::request::query_value;
        Self::from_query(
            query_value(pairs, "page"),
            query_value(pairs, "limit"),
            default,
            max,
        )
    }

    /// Cuts one page out of `items`: `(data, next_page, prev_page)`.
    pub fn apply<T: Clone>(&self, items: &[T]) -> (Vec<T>, Option<String>, Option<String>) {
        let start = self.offset.min(items.len());
        let end = (start + self.limit).min(items.len());
        let next = (end < items.len()).then(|| format!("page_{end}"));
        let prev = (start > 0).then(|| format!("page_{}", start.saturating_sub(self.limit)));
        (items[start..end].to_vec(), next, prev)
    }
}
