//! Chaos at runtime (`/_outrig/chaos`, with `--admin`; `--chaos FILE` at start): rules that
//! match requests by route name (from the route table), method, path or probability, and
//! answer them with a status (429 with `retry-after`, a 5xx, 529 overloaded), added
//! latency, a reset connection, or a response cut or stalled after some bytes. Rules are
//! listed, added and cleared while the emulator serves; each counts its hits.

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
    /// Serve the request, then send nothing more after `cut_after_bytes` (default 0) bytes,
    /// keeping the connection open.
    #[serde(default)]
    pub stall: bool,
    /// How many requests it applied to.
    #[serde(default)]
    pub hits: u64,
}

impl Rule {
    fn matches(&self, method: &str, path: &str) -> bool {
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
            && self.cut_after_bytes.is_none()
        {
            return Some("the rule does nothing: give `status`, `latency_ms`, `reset`, `cut_after_bytes` or `stall`".into());
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

    /// The first rule applying to this request, counted as a hit.
    fn applying(&self, method: &str, path: &str) -> Option<Rule> {
        let mut rules = self.rules.lock().unwrap_or_else(|p| p.into_inner());
        let rule = rules.1.iter_mut().find(|r| r.matches(method, path))?;
        rule.hits += 1;
        Some(rule.clone())
    }
}

/// Applies the rules to every API request (not the admin surface's).
pub async fn inject(State(chaos): State<Arc<Chaos>>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    if path.starts_with("/_outrig/") {
        return next.run(request).await;
    }
    let Some(rule) = chaos.applying(request.method().as_str(), &path) else {
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
    if !(rule.reset || rule.stall || rule.cut_after_bytes.is_some()) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let left = if rule.reset {
        0
    } else {
        rule.cut_after_bytes.unwrap_or(0)
    };
    let stall = rule.stall;
    // The first `left` bytes, ending as soon as they are sent (not at the next chunk).
    let kept = futures_util::stream::unfold(
        (body.into_data_stream(), left),
        |(mut inner, left)| async move {
            if left == 0 {
                return None;
            }
            Some(match inner.next().await? {
                Ok(mut chunk) => {
                    let keep = (chunk.len() as u64).min(left);
                    chunk.truncate(keep as usize);
                    (Ok(chunk), (inner, left - keep))
                }
                Err(error) => (Err(error), (inner, 0)),
            })
        },
    );
    let end = futures_util::stream::once(async move {
        if stall {
            std::future::pending::<()>().await;
        }
        Err::<axum::body::Bytes, axum::Error>(axum::Error::new(std::io::Error::other(
            "connection broken by a chaos rule",
        )))
    });
    Response::from_parts(parts, Body::from_stream(kept.chain(end)))
}

/// `GET|POST|DELETE /_outrig/chaos` and `DELETE /_outrig/chaos/{id}`.
pub fn routes(chaos: Arc<Chaos>) -> Router<()> {
    Router::new()
        .route("/_outrig/chaos", get(list).post(add).delete(clear))
        .route("/_outrig/chaos/{id}", delete(remove))
        .with_state(chaos)
}

async fn list(State(chaos): State<Arc<Chaos>>) -> Json<serde_json::Value> {
    let rules = chaos.rules.lock().unwrap_or_else(|p| p.into_inner());
    Json(serde_json::json!({ "data": rules.1 }))
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
    chaos
        .rules
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .1
        .clear();
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
