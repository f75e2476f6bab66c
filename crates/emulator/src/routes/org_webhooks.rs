//! `/v1/organizations/webhooks` (beta `webhooks-2026-10-07`): the organization's webhook
//! endpoints. The signing secret is kept in `_signing_secret` and shown only by create and
//! `regenerate_signing_secret`. Lists are `{data, has_more, first_id, last_id}` pages with
//! `after_id`/`before_id` cursors. The event types these endpoints may enable (external
//! keys and storage, user profiles) are ones the emulator never has reason to send.

use super::{load, optional_str, pairs, public_view, required_str, save};
use crate::app::AppState;
use crate::http::{new_id, now, parse_body, ApiFailure, ApiResult, Window};
use crate::store::Kind;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::Json;
use base64::Engine as _;
use outrig_api::request::query_value;
use rand::RngCore;
use serde_json::{json, Value};

/// The event types an organization endpoint may enable.
const EVENT_TYPES: [&str; 7] = [
    "external_key.failed",
    "external_key.recovered",
    "external_storage.failed",
    "external_storage.recovered",
    "user_profile.enforcement_action_opened",
    "user_profile.enforcement_action_resolved",
    "user_profile.program_status_updated",
];

fn load_endpoint(state: &AppState, id: &str) -> ApiResult<Value> {
    load(
        state,
        Kind::OrgWebhook,
        "webhook endpoint",
        "not_found_error",
        id,
    )
}

fn new_secret() -> String {
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

fn events(body: &Value) -> ApiResult<Value> {
    let Some(list) = body["enabled_events"].as_array() else {
        return Err(ApiFailure::invalid(
            "`enabled_events` must be an array of event types",
        ));
    };
    if list.is_empty() {
        return Err(ApiFailure::invalid(
            "`enabled_events` must list at least one event type",
        ));
    }
    for event in list {
        if !event.as_str().is_some_and(|e| EVENT_TYPES.contains(&e)) {
            return Err(ApiFailure::invalid(format!(
                "`enabled_events`: unknown event type {event}; expected one of {}",
                EVENT_TYPES.join(", ")
            )));
        }
    }
    Ok(body["enabled_events"].clone())
}

fn https_url(url: &str) -> ApiResult<String> {
    let host = url
        .strip_prefix("https://")
        .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or_default());
    match host {
        Some(host) if !host.is_empty() && !url.contains(char::is_whitespace) => Ok(url.to_string()),
        _ => Err(ApiFailure::invalid(format!(
            "`url` must be an https:// URL, got `{url}`"
        ))),
    }
}

fn text(body: &Value, field: &str) -> ApiResult<String> {
    Ok(optional_str(body, field)?.unwrap_or_default().to_string())
}

/// `POST /v1/organizations/webhooks`: the only answer, besides regenerating, with the secret.
pub async fn create(State(state): State<AppState>, body: Bytes) -> ApiResult<Json<Value>> {
    let body = parse_body(&body)?;
    let at = now();
    let secret = new_secret();
    let endpoint = json!({
        "id": new_id("whep"),
        "url": https_url(required_str(&body, "url")?)?,
        "enabled_events": events(&body)?,
        "name": text(&body, "name")?, "description": text(&body, "description")?,
        "state": "enabled", "disabled_reason": "",
        "created_at": at, "updated_at": at, "_signing_secret": secret,
    });
    save(&state, Kind::OrgWebhook, &endpoint)?;
    let mut shown = public_view(&endpoint);
    shown["signing_secret"] = json!(secret);
    Ok(Json(shown))
}

/// `GET /v1/organizations/webhooks/{id}`
pub async fn retrieve(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    load_endpoint(&state, &id).map(|e| Json(public_view(&e)))
}

/// `POST /v1/organizations/webhooks/{id}`: every field optional.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let mut endpoint = load_endpoint(&state, &id)?;
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        parse_body(&body)?
    };
    if let Some(url) = optional_str(&body, "url")? {
        endpoint["url"] = json!(https_url(url)?);
    }
    if !body["enabled_events"].is_null() {
        endpoint["enabled_events"] = events(&body)?;
    }
    for field in ["name", "description"] {
        if let Some(value) = optional_str(&body, field)? {
            endpoint[field] = json!(value);
        }
    }
    match optional_str(&body, "state")? {
        None => {}
        Some(value @ ("enabled" | "disabled")) => {
            endpoint["state"] = json!(value);
            endpoint["disabled_reason"] = json!("");
        }
        Some(other) => {
            return Err(ApiFailure::invalid(format!(
                "`state` must be `enabled` or `disabled`, got `{other}`"
            )))
        }
    }
    endpoint["updated_at"] = json!(now());
    save(&state, Kind::OrgWebhook, &endpoint)?;
    Ok(Json(public_view(&endpoint)))
}

/// `GET /v1/organizations/webhooks`: `limit` (0 or absent: 20; at most 100), `order`
/// (`desc` by default), and `after_id` / `before_id` cursors (both: the endpoints between).
pub async fn list(State(state): State<AppState>, query: RawQuery) -> ApiResult<Json<Value>> {
    let pairs = pairs(&query);
    let limit = Window::from_query(None, query_value(&pairs, "limit"), 20, 100)?.limit;
    let mut items = state.store.list(Kind::OrgWebhook)?;
    if crate::validate::ascending(query_value(&pairs, "order"), false)? {
        items.reverse();
    }
    let position = |id: &str| {
        items
            .iter()
            .position(|e| e["id"] == id)
            .ok_or_else(|| ApiFailure::invalid(format!("no webhook endpoint `{id}` to page from")))
    };
    // As the SDK documents: `before_id` gives the first `limit` endpoints before it.
    let (start, end) = match (
        query_value(&pairs, "after_id"),
        query_value(&pairs, "before_id"),
    ) {
        // Both: the endpoints between them.
        (Some(after), Some(before)) => {
            let (start, end) = (position(after)? + 1, position(before)?);
            (start.min(end), end)
        }
        (Some(after), None) => (position(after)? + 1, items.len()),
        (None, Some(before)) => (0, position(before)?),
        (None, None) => (0, items.len()),
    };
    let window: Vec<Value> = items[start..end]
        .iter()
        .take(limit)
        .map(public_view)
        .collect();
    let has_more = end - start > window.len();
    Ok(Json(json!({
        "data": window,
        "has_more": has_more,
        "first_id": window.first().map(|e| e["id"].clone()),
        "last_id": window.last().map(|e| e["id"].clone()),
    })))
}

/// `DELETE /v1/organizations/webhooks/{id}`
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    load_endpoint(&state, &id)?;
    state.store.delete(Kind::OrgWebhook, &id)?;
    Ok(Json(json!({"id": id, "type": "webhook_endpoint_deleted"})))
}

/// `POST /v1/organizations/webhooks/{id}/regenerate_signing_secret`
pub async fn regenerate_signing_secret(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut endpoint = load_endpoint(&state, &id)?;
    let secret = new_secret();
    endpoint["_signing_secret"] = json!(secret);
    endpoint["updated_at"] = json!(now());
    save(&state, Kind::OrgWebhook, &endpoint)?;
    Ok(Json(json!({ "signing_secret": secret })))
}
