//! Chaos at runtime (`/_outrig/chaos`, with `--admin`; `--chaos FILE` at start): rules that
//! match requests by route name (from the route table), method, path, body or probability,
//! and answer them with a status (429 with `retry-after`, a 5xx, 529 overloaded), added
//! latency, a reset connection, a malformed event first, or a response cut or stalled
//! after some bytes or events. Rules are listed, added and cleared while the emulator
//! serves; each counts its hits.

use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Json, Router};
use futures_util::StreamExt;
use outrig_api::routes::Route;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One rule. Unset matchers match everything.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Given by the emulator.
    #[serde(default)]
    pub id: String,
    /// A route-table name (`sessions.events.send`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    /// `GET`, `POST`, `DELETE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// A substring of the path (e.g. a session id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_contains: Option<String>,
    /// A substring of the request body (e.g. `"user.custom_tool_result"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_contains: Option<String>,
    /// Chance of applying to a matching request (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// Applies this many times, then no more (default: always).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u64>,
    /// Answer with this status instead of serving the request (429, 5xx, 529…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// With `status`: the `retry-after` seconds sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// Wait this long before serving.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    /// Serve the request, then break the connection before any of the body.
    #[serde(default)]
    pub reset: bool,
    /// Serve the request, then end the body after this many bytes (a cut stream).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cut_after_bytes: Option<u64>,
    /// Serve the request, then end the body after this many events (`\n\n`-ended blocks
    /// of a stream).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cut_after_events: Option<u64>,
    /// Serve the request, but send a malformed event (an unterminated JSON object) before
    /// its body.
    #[serde(default)]
    pub garble: bool,
    /// Serve the request, then send nothing more after `cut_after_bytes` (default 0) bytes,
    /// keeping the connection open.
    #[serde(default)]
    pub stall: bool,
    /// How many requests it applied to.
    #[serde(default)]
    pub hits: u64,
}

impl Rule {
    fn matches(&self, method: &str, path: &str, body: &[u8]) -> bool {
        let route = Route::of_request(method, path).map(|r| r.name);
        self.times.is_none_or(|times| self.hits < times)
            && self.route.as_deref().is_none_or(|r| route == Some(r))
            && self
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self
                .path_contains
                .as_deref()
                .is_none_or(|p| path.contains(p))
            && self
                .body_contains
                .as_deref()
                .is_none_or(|b| contains(body, b.as_bytes()))
            && self.probability.is_none_or(|p| rand::random::<f64>() < p)
    }

    /// Why this rule cannot be used, if so.
    fn invalid(&self) -> Option<String> {
        if let Some(route) = &self.route {
            if Route::named(route).is_none() {
                return Some(format!(
                    "`route`: no endpoint named `{route}` in the route table"
                ));
            }
        }
        if let Some(status) = self.status {
            if !(400..=599).contains(&status) {
                return Some(format!(
                    "`status`: {status} is not an error status (400-599)"
                ));
            }
        }
        if self.probability.is_some_and(|p| !(0.0..=1.0).contains(&p)) {
            return Some("`probability` must be within 0 and 1".into());
        }
        if self.status.is_none()
            && self.latency_ms.is_none()
            && !self.reset
            && !self.stall
            && !self.garble
            && self.cut_after_bytes.is_none()
            && self.cut_after_events.is_none()
        {
            return Some("the rule does nothing: give `status`, `latency_ms`, `reset`, `garble`, `cut_after_bytes`, `cut_after_events` or `stall`".into());
        }
        None
    }
}

/// The rules in force.
#[derive(Default)]
pub struct Chaos {
    rules: Mutex<(u64, Vec<Rule>)>,
}

impl Chaos {
    /// Adds `rule` (checked); returns it with its id.
    pub fn add(&self, mut rule: Rule) -> Result<Rule, String> {
        if let Some(why) = rule.invalid() {
            return Err(why);
        }
        let mut rules = self.rules.lock().unwrap_or_else(|p| p.into_inner());
        rules.0 += 1;
        rule.id = format!("chaos_{}", rules.0);
        rule.hits = 0;
        rules.1.push(rule.clone());
        Ok(rule)
    }

    /// Loads the rules of a JSON file (an array of rules).
    pub fn load(&self, path: &std::path::Path) -> anyhow::Result<()> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let rules: Vec<Rule> =
            serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        for (n, rule) in rules.into_iter().enumerate() {
            self.add(rule)
                .map_err(|why| anyhow::anyhow!("{}: rule {}: {why}", path.display(), n + 1))?;
        }
        Ok(())
    }

    /// The rules in force, with their hits so far.
    pub fn rules(&self) -> Vec<Rule> {
        self.rules
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .1
            .clone()
    }

    /// Removes every rule.
    pub fn clear(&self) {
        self.rules
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .1
            .clear();
    }

    /// Whether a rule looks at request bodies (then they are read before matching).
    fn reads_bodies(&self) -> bool {
        let rules = self.rules.lock().unwrap_or_else(|p| p.into_inner());
        rules.1.iter().any(|r| r.body_contains.is_some())
    }

    /// The first rule applying to this request, counted as a hit.
    fn applying(&self, method: &str, path: &str, body: &[u8]) -> Option<Rule> {
        let mut rules = self.rules.lock().unwrap_or_else(|p| p.into_inner());
        let rule = rules.1.iter_mut().find(|r| r.matches(method, path, body))?;
        rule.hits += 1;
        Some(rule.clone())
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// The malformed event a `garble` rule sends first.
const GARBLED: &[u8] =
    b"event: agent.custom_tool_use\ndata: {\"type\":\"agent.custom_tool_use\",\"id\":\n\n";

/// Applies the rules to every API request (not the admin surface's).
pub async fn inject(State(chaos): State<Arc<Chaos>>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    if path.starts_with("/_outrig/") {
        return next.run(request).await;
    }
    let (request, body) = if chaos.reads_bodies() {
        let (parts, body) = request.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, crate::requests::READ_LIMIT).await else {
            return crate::http::ApiFailure::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "request body too large for a chaos rule to read",
            )
            .into_response();
        };
        (Request::from_parts(parts, Body::from(bytes.clone())), bytes)
    } else {
        (request, axum::body::Bytes::new())
    };
    let Some(rule) = chaos.applying(request.method().as_str(), &path, &body) else {
        return next.run(request).await;
    };
    if let Some(ms) = rule.latency_ms {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    if let Some(status) = rule.status {
        let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut failure =
            crate::http::ApiFailure::new(code, format!("injected by chaos rule {}", rule.id));
        failure.retry_after = rule.retry_after;
        return failure.into_response();
    }
    let response = next.run(request).await;
    let (mut parts, body) = response.into_parts();
    // The body sent is not the one measured.
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    let head = futures_util::stream::iter(
        rule.garble
            .then(|| Ok(axum::body::Bytes::from_static(GARBLED))),
    );
    let body = head.chain(body.into_data_stream());
    if !(rule.reset
        || rule.stall
        || rule.cut_after_bytes.is_some()
        || rule.cut_after_events.is_some())
    {
        return Response::from_parts(parts, Body::from_stream(body));
    }
    let bytes_left = match (rule.reset, rule.cut_after_bytes, rule.cut_after_events) {
        (true, ..) => 0,
        (false, Some(bytes), _) => bytes,
        (false, None, Some(_)) => u64::MAX,
        (false, None, None) => 0,
    };
    let events_left = if rule.reset {
        0
    } else {
        rule.cut_after_events.unwrap_or(u64::MAX)
    };
    let kept = truncated(body, bytes_left, events_left, rule.stall);
    Response::from_parts(parts, Body::from_stream(kept))
}

/// Where a truncated body is.
enum Flow<S> {
    /// Passing chunks, with the bytes and events still allowed and the last byte sent.
    Passing(S, u64, u64, u8),
    /// The limit is reached: break the connection (after stalling, if so).
    Cut,
    /// Ended, naturally or by the cut.
    Ended,
}

/// The first `bytes` bytes of `body`, and no more than its first `events` events (blocks
/// ended by a blank line), then a broken connection (after waiting forever, with `stall`).
/// A body shorter than the limits ends as it is.
fn truncated(
    body: impl futures_util::Stream<Item = Result<axum::body::Bytes, axum::Error>> + Send + Unpin,
    bytes: u64,
    events: u64,
    stall: bool,
) -> impl futures_util::Stream<Item = Result<axum::body::Bytes, axum::Error>> + Send {
    let start = if bytes == 0 || events == 0 {
        Flow::Cut
    } else {
        Flow::Passing(body, bytes, events, 0)
    };
    futures_util::stream::unfold(start, move |flow| async move {
        match flow {
            Flow::Ended => None,
            Flow::Cut => {
                if stall {
                    std::future::pending::<()>().await;
                }
                // Waiting lets the server flush what was kept: an error right behind it
                // would drop it from the connection's write buffer.
                tokio::time::sleep(Duration::from_millis(20)).await;
                let broken = std::io::Error::other("connection broken by a chaos rule");
                Some((Err(axum::Error::new(broken)), Flow::Ended))
            }
            Flow::Passing(mut inner, bytes, mut events, mut last) => match inner.next().await {
                None => None,
                Some(Err(error)) => Some((Err(error), Flow::Ended)),
                Some(Ok(mut chunk)) => {
                    let mut keep = (chunk.len() as u64).min(bytes) as usize;
                    for (at, &byte) in chunk[..keep].iter().enumerate() {
                        if byte == b'\n' && last == b'\n' {
                            events -= 1;
                            if events == 0 {
                                keep = at + 1;
                                break;
                            }
                        }
                        last = byte;
                    }
                    chunk.truncate(keep);
                    let bytes = bytes - keep as u64;
                    let next = if bytes == 0 || events == 0 {
                        Flow::Cut
                    } else {
                        Flow::Passing(inner, bytes, events, last)
                    };
                    Some((Ok(chunk), next))
                }
            },
        }
    })
}

/// `GET|POST|DELETE /_outrig/chaos` and `DELETE /_outrig/chaos/{id}`.
pub fn routes(chaos: Arc<Chaos>) -> Router<()> {
    Router::new()
        .route("/_outrig/chaos", get(list).post(add).delete(clear))
        .route("/_outrig/chaos/{id}", delete(remove))
        .with_state(chaos)
}

async fn list(State(chaos): State<Arc<Chaos>>) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "data": chaos.rules() }))
}

async fn add(State(chaos): State<Arc<Chaos>>, body: axum::body::Bytes) -> Response {
    let rule: Rule = match serde_json::from_slice(&body) {
        Ok(rule) => rule,
        Err(e) => {
            return crate::http::ApiFailure::invalid(format!("not a chaos rule: {e}"))
                .into_response()
        }
    };
    match chaos.add(rule) {
        Ok(rule) => Json(rule).into_response(),
        Err(why) => crate::http::ApiFailure::invalid(why).into_response(),
    }
}

async fn clear(State(chaos): State<Arc<Chaos>>) -> StatusCode {
    chaos.clear();
    StatusCode::NO_CONTENT
}

async fn remove(State(chaos): State<Arc<Chaos>>, Path(id): Path<String>) -> Response {
    let mut rules = chaos.rules.lock().unwrap_or_else(|p| p.into_inner());
    let before = rules.1.len();
    rules.1.retain(|r| r.id != id);
    if rules.1.len() == before {
        return crate::http::ApiFailure::new(
            StatusCode::NOT_FOUND,
            format!("no chaos rule `{id}`"),
        )
        .into_response();
    }
    StatusCode::NO_CONTENT.into_response()
}
