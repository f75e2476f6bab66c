//! The request journal (`/_outrig/requests`, with `--admin`): every request the API
//! received, with its route name from the table, status and request id, and its headers
//! with credentials redacted, the types of the events it sent, and whether its answer is
//! still being sent (an open stream), so a test can check what a client really sent (its
//! retries, an event sent once, no stream left open). Kept in memory, newest last, up to
//! [`KEPT`].

use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use outrig_api::routes::Route;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
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
    /// The `type` of each event a `…/events` POST sent, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub event_types: Vec<String>,
    /// Whether the answer's body is still being sent (a stream still open).
    #[serde(serialize_with = "flag")]
    pub open: Arc<AtomicBool>,
}

impl Recorded {
    /// Whether the answer's body is still being sent.
    pub fn is_open(&self) -> bool {
        self.open.load(Ordering::SeqCst)
    }
}

fn flag<S: serde::Serializer>(open: &Arc<AtomicBool>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_bool(open.load(Ordering::SeqCst))
}

/// Which requests to list (unset: any).
#[derive(Debug, Default, Deserialize)]
pub struct Filter {
    /// The route-table name.
    pub route: Option<String>,
    /// `GET`, `POST`, …
    pub method: Option<String>,
    /// Requests whose path holds this (e.g. a session id).
    pub path_contains: Option<String>,
    /// The answer's status.
    pub status: Option<u16>,
    /// Requests that sent an event of this type.
    pub event_type: Option<String>,
    /// Whether the answer is still being sent.
    pub open: Option<bool>,
}

impl Filter {
    fn keeps(&self, r: &Recorded) -> bool {
        self.route.as_deref().is_none_or(|n| r.route == Some(n))
            && self
                .method
                .as_deref()
                .is_none_or(|m| r.method.eq_ignore_ascii_case(m))
            && self
                .path_contains
                .as_deref()
                .is_none_or(|p| r.path.contains(p))
            && self.status.is_none_or(|s| r.status == s)
            && self
                .event_type
                .as_deref()
                .is_none_or(|t| r.event_types.iter().any(|e| e == t))
            && self.open.is_none_or(|o| r.open.load(Ordering::SeqCst) == o)
    }
}

/// Clears the answer's open flag when its body has been sent or dropped.
struct Sending(Arc<AtomicBool>);

impl Drop for Sending {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

/// The largest request body a middleware buffers to look inside it: an `…/events` POST
/// read here for its event types, or a body a chaos rule's `body_contains` reads (a longer
/// one is refused there with 413).
pub(crate) const READ_LIMIT: usize = 64 << 20;

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

    /// Requests received since the start (or the last clear), kept or not.
    pub fn total(&self) -> u64 {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).0
    }

    /// The requests kept that `filter` keeps, oldest first.
    pub fn matching(&self, filter: &Filter) -> Vec<Recorded> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .1
            .iter()
            .filter(|r| filter.keeps(r))
            .cloned()
            .collect()
    }
}

/// The event types of a `…/events` POST body, and the body to serve the request with.
async fn event_types(request: Request) -> (Request, Vec<String>) {
    if request.method() != axum::http::Method::POST || !request.uri().path().ends_with("/events") {
        return (request, Vec::new());
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, READ_LIMIT)
        .await
        .unwrap_or_default();
    let types = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| {
            v["events"].as_array().map(|events| {
                events
                    .iter()
                    .filter_map(|e| e["type"].as_str().map(str::to_string))
                    .collect()
            })
        })
        .unwrap_or_default();
    (
        Request::from_parts(parts, axum::body::Body::from(bytes)),
        types,
    )
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
    let (request, event_types) = event_types(request).await;
    let response = next.run(request).await;
    let open = Arc::new(AtomicBool::new(true));
    let sending = Sending(open.clone());
    let (parts, body) = response.into_parts();
    let body = futures_util::StreamExt::map(body.into_data_stream(), move |chunk| {
        let _sending = &sending;
        chunk
    });
    let response = Response::from_parts(parts, axum::body::Body::from_stream(body));
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
        event_types,
        open,
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

/// `GET /_outrig/requests` (filtered by `route`, `method`, `path_contains`, `status`,
/// `event_type`, `open`) and
/// `DELETE /_outrig/requests` (forget them all).
pub fn routes(log: Arc<RequestLog>) -> Router {
    Router::new()
        .route("/_outrig/requests", get(list).delete(clear))
        .with_state(log)
}

async fn list(State(log): State<Arc<RequestLog>>, Query(filter): Query<Filter>) -> Response {
    Json(serde_json::json!({ "data": log.matching(&filter) })).into_response()
}

async fn clear(State(log): State<Arc<RequestLog>>) -> StatusCode {
    log.entries
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .1
        .clear();
    StatusCode::NO_CONTENT
}
