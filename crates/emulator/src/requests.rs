//! The request journal (`/_outrig/requests`, with `--admin`): every request the API
//! received, with its route name from the table, status and request id, and its headers
//! with credentials redacted, so a test can check what a client really sent (its retries,
//! an event sent once). Kept in memory, newest last, up to [`KEPT`].

use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use outrig_api::routes::Route;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};

/// Requests kept; older ones are dropped first.
pub const KEPT: usize = 10_000;

/// Header values never recorded.
const SECRET_HEADERS: [&str; 5] = [
    "x-api-key",
    "authorization",
    "cookie",
    "x-amz-security-token",
    "x-outrig-admin-token",
];

/// One request as received.
#[derive(Debug, Clone, Serialize)]
pub struct Recorded {
    /// Order of arrival, from 1.
    pub seq: u64,
    /// When it arrived (RFC 3339).
    pub at: String,
    /// `GET`, `POST`, …
    pub method: String,
    /// Its endpoint's name in the route table (`sessions.events.send`), if any.
    pub route: Option<&'static str>,
    /// The path.
    pub path: String,
    /// The raw query string.
    pub query: Option<String>,
    /// Its headers, credentials replaced by `[redacted]`.
    pub headers: BTreeMap<String, String>,
    /// `content-length`, if sent.
    pub body_bytes: Option<u64>,
    /// The answer's status.
    pub status: u16,
    /// The answer's `request-id`.
    pub request_id: Option<String>,
}

/// The journal.
#[derive(Default)]
pub struct RequestLog {
    entries: Mutex<(u64, VecDeque<Recorded>)>,
}

impl RequestLog {
    fn push(&self, mut entry: Recorded) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.0 += 1;
        entry.seq = entries.0;
        if entries.1.len() == KEPT {
            entries.1.pop_front();
        }
        entries.1.push_back(entry);
    }
}

/// Records every API request passing through (not the admin surface's own), after it is
/// answered.
pub async fn record(State(log): State<Arc<RequestLog>>, request: Request, next: Next) -> Response {
    if request.uri().path().starts_with("/_outrig/") {
        return next.run(request).await;
    }
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let query = request.uri().query().map(str::to_string);
    let headers = redacted(request.headers());
    let body_bytes = request
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok()?.parse().ok());
    let at = crate::http::now();
    let response = next.run(request).await;
    log.push(Recorded {
        seq: 0,
        at,
        route: Route::of_request(&method, &path).map(|r| r.name),
        method,
        path,
        query,
        headers,
        body_bytes,
        status: response.status().as_u16(),
        request_id: response
            .headers()
            .get("request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    });
    response
}

fn redacted(headers: &HeaderMap) -> BTreeMap<String, String> {
    headers
        .iter()
        .map(|(name, value)| {
            let name = name.as_str().to_string();
            let value = if SECRET_HEADERS.contains(&name.as_str()) {
                "[redacted]".to_string()
            } else {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            };
            (name, value)
        })
        .collect()
}

/// Filters of `GET /_outrig/requests`.
#[derive(Debug, Deserialize)]
struct Filter {
    route: Option<String>,
    method: Option<String>,
    /// Requests whose path holds this (e.g. a session id).
    path_contains: Option<String>,
    status: Option<u16>,
}

/// `GET /_outrig/requests` (filtered by `route`, `method`, `path_contains`, `status`) and
/// `DELETE /_outrig/requests` (forget them all).
pub fn routes(log: Arc<RequestLog>) -> Router {
    Router::new()
        .route("/_outrig/requests", get(list).delete(clear))
        .with_state(log)
}

async fn list(State(log): State<Arc<RequestLog>>, Query(filter): Query<Filter>) -> Response {
    let entries = log.entries.lock().unwrap_or_else(|p| p.into_inner());
    let data: Vec<&Recorded> = entries
        .1
        .iter()
        .filter(|r| filter.route.as_deref().is_none_or(|n| r.route == Some(n)))
        .filter(|r| {
            filter
                .method
                .as_deref()
                .is_none_or(|m| r.method.eq_ignore_ascii_case(m))
        })
        .filter(|r| {
            filter
                .path_contains
                .as_deref()
                .is_none_or(|p| r.path.contains(p))
        })
        .filter(|r| filter.status.is_none_or(|s| r.status == s))
        .collect();
    Json(serde_json::json!({ "data": data })).into_response()
}

async fn clear(State(log): State<Arc<RequestLog>>) -> StatusCode {
    log.entries
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .1
        .clear();
    StatusCode::NO_CONTENT
}
