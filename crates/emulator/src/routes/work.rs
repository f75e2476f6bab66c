//! The self-hosted work queue, `/v1/environments/{id}/work…`. A session on a `self_hosted`
//! environment queues a work item; a worker polls it (long poll with `block_ms`), acks it,
//! heartbeats its lease (412 when `expected_last_heartbeat` is stale) and stops it.
//! Bookkeeping the wire does not show (`_polled_at_ms`) is kept in fields starting with `_`.

use super::{environments, page, pairs, patch_object_metadata, public_view as served, save};
use crate::app::AppState;
use crate::http::{new_id, now, parse_body, ApiFailure, ApiResult, Window};
use crate::store::Kind;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use base64::Engine as _;
use outrig_api::request::query_value;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// How long a polled item stays invisible to other pollers unless told otherwise.
const DEFAULT_RECLAIM_MS: u64 = 5000;
/// The lease a heartbeat grants unless it asks for another (seconds).
const DEFAULT_TTL_SECONDS: i64 = 60;

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// Queues a work item for a session on a self-hosted environment, unless one is live.
pub fn enqueue(state: &AppState, environment: &Value, session_id: &str) -> ApiResult<()> {
    if environment["config"]["type"] != "self_hosted" {
        return Ok(());
    }
    let live =
        state.store.list(Kind::Work)?.into_iter().any(|w| {
            w["data"]["id"] == session_id && !matches!(w["state"].as_str(), Some("stopped"))
        });
    if live {
        return Ok(());
    }
    let item = json!({
        "type": "work", "id": new_id("work"), "environment_id": environment["id"],
        "data": {"type": "session", "id": session_id}, "state": "queued", "metadata": {},
        "secret": null, "created_at": now(), "acknowledged_at": null, "latest_heartbeat_at": null,
        "started_at": null, "stop_requested_at": null, "stopped_at": null, "_polled_at_ms": null,
        "_sessions_token": format!("{SESSIONS_TOKEN_PREFIX}{:032x}", rand::random::<u128>()),
    });
    save(state, Kind::Work, &item)?;
    state.work_arrived.notify_waiters();
    Ok(())
}

/// Work whose worker stopped heartbeating goes back to the queue: an acked or active item
/// whose lease (`_lease_until_ms`, from the ack and each heartbeat's ttl) has run out is
/// `queued` again, for any worker to poll. Checked whenever items are read.
fn requeue_if_lapsed(state: &AppState, mut item: Value) -> ApiResult<Value> {
    let working = matches!(item["state"].as_str(), Some("starting" | "active"));
    if working
        && item["_lease_until_ms"]
            .as_i64()
            .is_some_and(|until| until < now_ms())
    {
        item["state"] = json!("queued");
        item["_polled_at_ms"] = Value::Null;
        item["_lease_until_ms"] = Value::Null;
        save(state, Kind::Work, &item)?;
        state.work_arrived.notify_waiters();
    }
    Ok(item)
}

fn load_item(state: &AppState, environment_id: &str, id: &str) -> ApiResult<Value> {
    environments::load(state, environment_id)?;
    let item = super::load(state, Kind::Work, "work item", "work_not_found", id)?;
    if item["environment_id"] != environment_id {
        return Err(ApiFailure::not_found("work item", id).code("work_not_found"));
    }
    requeue_if_lapsed(state, item)
}

fn items_of(state: &AppState, environment_id: &str) -> ApiResult<Vec<Value>> {
    let mut items: Vec<Value> = state
        .store
        .list(Kind::Work)?
        .into_iter()
        .filter(|w| w["environment_id"] == environment_id)
        .map(|w| requeue_if_lapsed(state, w))
        .collect::<ApiResult<_>>()?;
    items.reverse(); // oldest first
    Ok(items)
}

/// `GET …/work/{work_id}`
pub async fn retrieve(
    State(state): State<AppState>,
    Path((environment_id, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    load_item(&state, &environment_id, &id).map(|w| Json(served(&w)))
}

/// `POST …/work/{work_id}`: metadata patch.
pub async fn update(
    State(state): State<AppState>,
    Path((environment_id, id)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let params: Value = parse_body(&body)?;
    let mut item = load_item(&state, &environment_id, &id)?;
    if !params["metadata"].is_object() {
        return Err(ApiFailure::invalid("missing field `metadata`"));
    }
    patch_object_metadata(&mut item, &params["metadata"])?;
    save(&state, Kind::Work, &item)?;
    Ok(Json(served(&item)))
}

/// `GET …/work`: newest first.
pub async fn list(
    State(state): State<AppState>,
    Path(environment_id): Path<String>,
    query: RawQuery,
) -> ApiResult<Json<Value>> {
    environments::load(&state, &environment_id)?;
    let window = Window::from_pairs(&pairs(&query), 20, 100)?;
    let mut items = items_of(&state, &environment_id)?;
    items.reverse();
    let items: Vec<Value> = items.iter().map(served).collect();
    let (data, next, _) = window.apply(&items);
    Ok(page(data, next))
}

fn query_number(pairs: &[(String, String)], name: &str) -> ApiResult<Option<i64>> {
    query_value(pairs, name)
        .map(|text| {
            text.parse::<i64>().map_err(|_| {
                ApiFailure::invalid(format!("`{name}` must be an integer, got `{text}`"))
            })
        })
        .transpose()
}

/// The next item a poller may take: queued, and not polled within `reclaim_ms`.
fn claimable(state: &AppState, environment_id: &str, reclaim_ms: i64) -> ApiResult<Option<Value>> {
    let cutoff = now_ms().saturating_sub(reclaim_ms);
    Ok(items_of(state, environment_id)?.into_iter().find(|w| {
        w["state"] == "queued" && w["_polled_at_ms"].as_i64().is_none_or(|at| at <= cutoff)
    }))
}

/// `GET …/work/poll`: waits up to `block_ms` for an item; answers `null` when none came.
pub async fn poll(
    State(state): State<AppState>,
    Path(environment_id): Path<String>,
    headers: HeaderMap,
    query: RawQuery,
) -> ApiResult<Json<Value>> {
    let pairs = pairs(&query);
    let environment = environments::load(&state, &environment_id)?;
    if environment["config"]["type"] != "self_hosted" {
        return Err(ApiFailure::invalid(format!(
            "environment `{environment_id}` is not self_hosted; it has no work queue"
        )));
    }
    let block_ms = query_number(&pairs, "block_ms")?;
    if block_ms.is_some_and(|ms| !(1..=999).contains(&ms)) {
        return Err(ApiFailure::invalid("`block_ms` must be from 1 to 999"));
    }
    let reclaim_ms =
        query_number(&pairs, "reclaim_older_than_ms")?.unwrap_or(DEFAULT_RECLAIM_MS as i64);
    if reclaim_ms < 0 {
        return Err(ApiFailure::invalid(
            "`reclaim_older_than_ms` must not be negative",
        ));
    }
    if let Some(worker) = headers
        .get("anthropic-worker-id")
        .and_then(|v| v.to_str().ok())
    {
        state.note_worker(&environment_id, worker);
    }
    let deadline = Instant::now() + Duration::from_millis(block_ms.unwrap_or(0) as u64);
    loop {
        let arrived = state.work_arrived.notified();
        if let Some(mut item) = claimable(&state, &environment_id, reclaim_ms)? {
            item["_polled_at_ms"] = json!(now_ms());
            save(&state, Kind::Work, &item)?;
            let mut answer = served(&item);
            answer["secret"] = json!(work_secret(&item));
            return Ok(Json(answer));
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(Json(Value::Null));
        }
        let _ = tokio::time::timeout(left.min(Duration::from_millis(100)), arrived).await;
    }
}

/// How the emulator's sessions tokens start.
pub const SESSIONS_TOKEN_PREFIX: &str = "sk-ant-req-emulator-";

/// The `secret` a poll hands out: base64url JSON with the item's sessions token, which
/// authorizes that session's calls only (see [`token_allows`]).
fn work_secret(item: &Value) -> String {
    let document = json!({
        "sessions_token": item["_sessions_token"],
    });
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(document.to_string())
}

/// Whether the sessions token `token` may make this request: it must be some work item's
/// token, and the request about that item's session, the item itself, the memory stores
/// attached to the session (read and written back), or a read of agents and skills (which
/// a worker downloads). `Err` says why not.
pub fn token_allows(state: &AppState, token: &str, method: &str, path: &str) -> Result<(), String> {
    let items = state.store.list(Kind::Work).map_err(|e| e.to_string())?;
    let Some(item) = items.iter().find(|w| w["_sessions_token"] == token) else {
        return Err("invalid sessions token".into());
    };
    if item["state"] == "stopped" {
        return Err("this sessions token's work item is stopped".into());
    }
    let session = item["data"]["id"].as_str().unwrap_or_default();
    let work = format!(
        "/v1/environments/{}/work/{}",
        item["environment_id"].as_str().unwrap_or_default(),
        item["id"].as_str().unwrap_or_default()
    );
    let under = |prefix: &str| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    let reads = method == "GET" && ["/v1/agents", "/v1/skills"].iter().any(|p| under(p));
    let attached = state
        .store
        .get(Kind::Session, session, None)
        .ok()
        .flatten()
        .and_then(|s| s["resources"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|r| r["memory_store_id"].as_str().map(str::to_owned))
        .any(|store| under(&format!("/v1/memory_stores/{store}")));
    if under(&format!("/v1/sessions/{session}")) || under(&work) || reads || attached {
        return Ok(());
    }
    Err(format!(
        "this sessions token is only valid for session `{session}` and its work item"
    ))
}

/// `POST …/work/{work_id}/ack`: queued → starting.
pub async fn ack(
    State(state): State<AppState>,
    Path((environment_id, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let mut item = load_item(&state, &environment_id, &id)?;
    if item["state"] != "queued" {
        return Err(ApiFailure::new(
            StatusCode::CONFLICT,
            format!(
                "work item `{id}` is {}, not queued",
                item["state"].as_str().unwrap_or_default()
            ),
        ));
    }
    item["state"] = json!("starting");
    item["acknowledged_at"] = json!(now());
    // A new claim: its first heartbeat is `NO_HEARTBEAT`, even after a lapsed lease.
    item["latest_heartbeat_at"] = Value::Null;
    item["_lease_until_ms"] = json!(now_ms() + DEFAULT_TTL_SECONDS * 1000);
    save(&state, Kind::Work, &item)?;
    Ok(Json(served(&item)))
}

/// `POST …/work/{work_id}/heartbeat`
pub async fn heartbeat(
    State(state): State<AppState>,
    Path((environment_id, id)): Path<(String, String)>,
    query: RawQuery,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let pairs = pairs(&query);
    let mut item = load_item(&state, &environment_id, &id)?;
    // 0 asks for nothing in particular (the SDK's generated tests send it): the default.
    let ttl = match query_number(&pairs, "desired_ttl_seconds")? {
        None | Some(0) => DEFAULT_TTL_SECONDS,
        Some(ttl) if ttl < 0 => {
            return Err(ApiFailure::invalid(
                "`desired_ttl_seconds` must not be negative",
            ))
        }
        Some(ttl) => ttl,
    };
    let current = item["state"].as_str().unwrap_or_default().to_string();
    let last = item["latest_heartbeat_at"].clone();
    if matches!(current.as_str(), "stopping" | "stopped") {
        return Ok(Json(
            json!({"type": "work_heartbeat", "last_heartbeat": last.as_str().unwrap_or_default(),
            "lease_extended": false, "state": current, "ttl_seconds": 0}),
        )
        .into_response());
    }
    if let Some(expected) = query_value(&pairs, "expected_last_heartbeat") {
        let matches = match last.as_str() {
            None => expected == "NO_HEARTBEAT",
            Some(at) => expected == at,
        };
        if !matches {
            let mut envelope = outrig_api::error::ErrorEnvelope::new(
                "invalid_request_error",
                format!("`expected_last_heartbeat` `{expected}` does not match the lease"),
                Some(new_id("req")),
            );
            envelope.error.details = Some(json!({
                "error_code": "heartbeat_precondition_failed",
                "current_state": {"last_heartbeat": last, "lease_extended": false, "state": current, "ttl_seconds": ttl},
            }));
            return Ok((StatusCode::PRECONDITION_FAILED, Json(envelope)).into_response());
        }
    }
    let at = now();
    item["latest_heartbeat_at"] = json!(at);
    if item["started_at"].is_null() {
        item["started_at"] = json!(at);
    }
    if matches!(current.as_str(), "queued" | "starting") {
        item["state"] = json!("active");
    }
    item["_lease_until_ms"] = json!(now_ms().saturating_add(ttl.saturating_mul(1000)));
    save(&state, Kind::Work, &item)?;
    Ok(Json(
        json!({"type": "work_heartbeat", "last_heartbeat": at, "lease_extended": true,
        "state": item["state"], "ttl_seconds": ttl}),
    )
    .into_response())
}

/// `POST …/work/{work_id}/stop`: the emulator has no sandbox to wind down, so a stop (forced
/// or not) ends the item at once.
pub async fn stop(
    State(state): State<AppState>,
    Path((environment_id, id)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    if !body.iter().all(u8::is_ascii_whitespace) {
        let params: Value = parse_body(&body)?;
        if !matches!(
            params.get("force"),
            None | Some(Value::Null) | Some(Value::Bool(_))
        ) {
            return Err(ApiFailure::invalid("`force` must be a boolean"));
        }
    }
    let mut item = load_item(&state, &environment_id, &id)?;
    if item["state"] != "stopped" {
        let at = now();
        if item["stop_requested_at"].is_null() {
            item["stop_requested_at"] = json!(at);
        }
        item["state"] = json!("stopped");
        item["stopped_at"] = json!(at);
        save(&state, Kind::Work, &item)?;
    }
    Ok(Json(served(&item)))
}

/// `GET …/work/stats`
pub async fn stats(
    State(state): State<AppState>,
    Path(environment_id): Path<String>,
) -> ApiResult<Json<Value>> {
    environments::load(&state, &environment_id)?;
    let cutoff = now_ms() - DEFAULT_RECLAIM_MS as i64;
    let queued: Vec<Value> = items_of(&state, &environment_id)?
        .into_iter()
        .filter(|w| w["state"] == "queued")
        .collect();
    let pending = queued
        .iter()
        .filter(|w| w["_polled_at_ms"].as_i64().is_some_and(|at| at > cutoff))
        .count();
    Ok(Json(json!({
        "type": "work_queue_stats", "depth": queued.len() - pending, "pending": pending,
        "oldest_queued_at": queued.first().map(|w| w["created_at"].clone()),
        "workers_polling": state.workers_polling(&environment_id),
    })))
}
