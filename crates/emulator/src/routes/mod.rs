//! HTTP routes, one file per resource family.

pub mod agents;
pub mod deployments;
pub mod dreams;
pub mod environments;
pub mod events;
pub mod extras;
pub mod memory;
pub mod multiagent;
pub mod org_webhooks;
pub mod resources;
pub mod sessions;
pub mod skills;
pub mod table;
pub mod threads;
pub mod tunnels;
pub mod vaults;
pub mod work;

use axum::extract::RawQuery;
use axum::Json;
use serde_json::{json, Value};

/// Decoded query pairs.
pub fn pairs(query: &RawQuery) -> Vec<(String, String)> {
    outrig_api::request::parse_query(query.0.as_deref().unwrap_or(""))
}

/// Stamps `archived_at` (and `updated_at`) unless already archived; returns whether it did.
pub fn mark_archived(object: &mut Value) -> bool {
    if !object["archived_at"].is_null() {
        return false;
    }
    let at = crate::http::now();
    object["archived_at"] = json!(at);
    object["updated_at"] = json!(at);
    true
}

/// `{"data", "next_page"}`
pub fn page(data: Vec<Value>, next: Option<String>) -> Json<Value> {
    Json(json!({ "data": data, "next_page": next }))
}

/// Loads the latest version of an object, or answers 404 naming it (`what`, `code`).
pub fn load(
    state: &crate::app::AppState,
    kind: crate::store::Kind,
    what: &str,
    code: &'static str,
    id: &str,
) -> crate::http::ApiResult<Value> {
    state
        .store
        .get(kind, id, None)?
        .ok_or_else(|| crate::http::ApiFailure::not_found(what, id).code(code))
}

/// Stores an object under its `id` (version 0).
pub fn save(
    state: &crate::app::AppState,
    kind: crate::store::Kind,
    object: &Value,
) -> crate::http::ApiResult<()> {
    let id = object["id"].as_str().expect("stored objects have ids");
    Ok(state.store.put(kind, id, 0, object)?)
}

/// Refuses to change an archived object.
pub fn refuse_archived(object: &Value, what: &str) -> crate::http::ApiResult<()> {
    if object["archived_at"].is_null() {
        return Ok(());
    }
    Err(crate::http::ApiFailure::invalid(format!(
        "{what} `{}` is archived and cannot be changed",
        object["id"].as_str().unwrap_or_default()
    )))
}

/// One `{data, next_page}` page of a kind's objects that `keep` accepts, newest first;
/// archived ones only with `include_archived=true`.
pub fn list_page(
    state: &crate::app::AppState,
    kind: crate::store::Kind,
    pairs: &[(String, String)],
    keep: impl Fn(&Value) -> bool,
) -> crate::http::ApiResult<Json<Value>> {
    let window = crate::http::Window::from_pairs(pairs, 20, 100)?;
    let archived = crate::validate::flag(
        outrig_api::request::query_value(pairs, "include_archived"),
        "include_archived",
    )?;
    let items: Vec<Value> = state
        .store
        .list(kind)?
        .into_iter()
        .filter(|o| archived || o["archived_at"].is_null())
        .filter(|o| keep(o))
        .collect();
    let (data, next, _) = window.apply(&items);
    Ok(page(data, next))
}

/// A body's `metadata` (absent → empty), checked against the limits.
pub fn new_metadata(metadata: &Value) -> crate::http::ApiResult<Value> {
    let mut stored = outrig_api::objects::Metadata::new();
    match metadata {
        Value::Null => {}
        Value::Object(patch) => crate::validate::patch_metadata(&mut stored, patch, false)?,
        _ => {
            return Err(crate::http::ApiFailure::invalid(
                "`metadata` must be an object",
            ))
        }
    }
    Ok(json!(stored))
}

/// Applies a body's `metadata` patch (string upserts, null deletes) to an object, if given.
pub fn patch_object_metadata(object: &mut Value, patch: &Value) -> crate::http::ApiResult<()> {
    match patch {
        Value::Null => Ok(()),
        Value::Object(patch) => {
            let mut stored = serde_json::from_value(object["metadata"].clone()).unwrap_or_default();
            crate::validate::patch_metadata(&mut stored, patch, false)?;
            object["metadata"] = json!(stored);
            Ok(())
        }
        _ => Err(crate::http::ApiFailure::invalid(
            "`metadata` must be an object",
        )),
    }
}

/// A required non-empty string field of a JSON body.
pub fn required_str<'a>(body: &'a Value, field: &str) -> crate::http::ApiResult<&'a str> {
    match body.get(field) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s),
        Some(Value::String(_)) => Err(crate::http::ApiFailure::invalid(format!(
            "`{field}` must not be empty"
        ))),
        None | Some(Value::Null) => Err(crate::http::ApiFailure::invalid(format!(
            "missing field `{field}`"
        ))),
        Some(_) => Err(crate::http::ApiFailure::invalid(format!(
            "`{field}` must be a string"
        ))),
    }
}

/// An optional string field: absent or null → `None`, a string → `Some`, else 400.
pub fn optional_str<'a>(body: &'a Value, field: &str) -> crate::http::ApiResult<Option<&'a str>> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(crate::http::ApiFailure::invalid(format!(
            "`{field}` must be a string"
        ))),
    }
}

/// An object as served: without the bookkeeping fields whose names start with `_`.
pub fn public_view(object: &Value) -> Value {
    let mut object = object.clone();
    if let Some(fields) = object.as_object_mut() {
        fields.retain(|key, _| !key.starts_with('_'));
    }
    object
}
