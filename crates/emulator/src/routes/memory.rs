//! `/v1/memory_stores`: stores, the memories in them (one per path, with optimistic
//! concurrency by `content_sha256`), and every memory's version history (redactable).

use super::{
    list_page, load, mark_archived, new_metadata, optional_str, page, pairs, patch_object_metadata,
    refuse_archived, required_str, save,
};
use crate::app::AppState;
use crate::http::{new_id, now, parse_body, ApiFailure, ApiResult, Window};
use crate::store::Kind;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::Json;
use outrig_api::digest::sha256_hex;
use outrig_api::request::query_value;
use serde_json::{json, Value};

/// The API key the emulator names as the actor of changes made through it.
const API_ACTOR: &str = "apikey_emulator";
/// Largest memory content in bytes.
const MAX_CONTENT: usize = 102_400;

/// Loads a memory store or answers 404.
pub fn load_store(state: &AppState, id: &str) -> ApiResult<Value> {
    load(
        state,
        Kind::MemoryStore,
        "memory store",
        "memory_store_not_found",
        id,
    )
}

/// `POST /v1/memory_stores`
pub async fn create_store(State(state): State<AppState>, body: Bytes) -> ApiResult<Json<Value>> {
    let params: Value = parse_body(&body)?;
    let at = now();
    let store = json!({
        "type": "memory_store", "id": new_id("memstore"), "name": required_str(&params, "name")?,
        "description": optional_str(&params, "description")?.unwrap_or_default(),
        "metadata": new_metadata(&params["metadata"])?,
        "created_at": at, "updated_at": at, "archived_at": null,
    });
    let mut store = store;
    if state.config.bedrock.is_some() {
        store["created_by"] = crate::bedrock::caller();
    }
    save(&state, Kind::MemoryStore, &store)?;
    state
        .emitter
        .resource_webhook("memory_store.created", &store, None);
    Ok(Json(store))
}

/// `GET /v1/memory_stores/{id}`
pub async fn retrieve_store(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    load_store(&state, &id).map(Json)
}

/// `POST /v1/memory_stores/{id}`
pub async fn update_store(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let params: Value = parse_body(&body)?;
    let mut store = load_store(&state, &id)?;
    refuse_archived(&store, "memory store")?;
    if params.get("name").is_some_and(|v| !v.is_null()) {
        store["name"] = json!(required_str(&params, "name")?);
    }
    if params.get("description").is_some() {
        store["description"] = json!(optional_str(&params, "description")?.unwrap_or_default());
    }
    patch_object_metadata(&mut store, &params["metadata"])?;
    store["updated_at"] = json!(now());
    save(&state, Kind::MemoryStore, &store)?;
    Ok(Json(store))
}

/// `GET /v1/memory_stores`
pub async fn list_stores(State(state): State<AppState>, query: RawQuery) -> ApiResult<Json<Value>> {
    let pairs = pairs(&query);
    let in_range = crate::validate::created_at_filter(&pairs, "created_at")?;
    list_page(&state, Kind::MemoryStore, &pairs, in_range)
}

/// `DELETE /v1/memory_stores/{id}`: its memories and their versions go with it.
pub async fn delete_store(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let store = load_store(&state, &id)?;
    for kind in [Kind::Memory, Kind::MemoryVersion] {
        for object in state.store.list(kind)? {
            if object["memory_store_id"] == id.as_str() {
                state
                    .store
                    .delete(kind, object["id"].as_str().unwrap_or_default())?;
            }
        }
    }
    state.store.delete(Kind::MemoryStore, &id)?;
    state
        .emitter
        .resource_webhook("memory_store.deleted", &store, None);
    Ok(Json(json!({"id": id, "type": "memory_store_deleted"})))
}

/// `POST /v1/memory_stores/{id}/archive`
pub async fn archive_store(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut store = load_store(&state, &id)?;
    if mark_archived(&mut store) {
        save(&state, Kind::MemoryStore, &store)?;
        state
            .emitter
            .resource_webhook("memory_store.archived", &store, None);
    }
    Ok(Json(store))
}

/// Whether responses carry content: `view=full|basic`, else the operation's default.
fn full_view(pairs: &[(String, String)], default_full: bool) -> ApiResult<bool> {
    match query_value(pairs, "view") {
        None => Ok(default_full),
        Some("full") => Ok(true),
        Some("basic") => Ok(false),
        Some(other) => Err(ApiFailure::invalid(format!(
            "`view` must be `basic` or `full`, got `{other}`"
        ))),
    }
}

/// A memory or version as the view shows it.
fn viewed(object: &Value, full: bool) -> Value {
    let mut object = object.clone();
    if !full && object.get("content").is_some() {
        object["content"] = Value::Null;
    }
    object
}

fn check_path(path: &str) -> ApiResult<()> {
    let bad = |why: &str| Err(ApiFailure::invalid(format!("`path` `{path}` {why}")));
    if !path.starts_with('/') {
        return bad("must start with `/`");
    }
    if path.len() > 1024 {
        return bad("is longer than 1,024 bytes");
    }
    let segments: Vec<&str> = path[1..].split('/').collect();
    if segments.len() > 20 {
        return bad("has more than 20 segments");
    }
    if segments
        .iter()
        .any(|s| s.is_empty() || *s == "." || *s == "..")
    {
        return bad("has an empty, `.` or `..` segment");
    }
    if path
        .chars()
        .any(|c| c.is_control() || c == '\u{2028}' || c == '\u{2029}')
    {
        return bad("contains control characters or line separators");
    }
    Ok(())
}

fn check_content(content: &str) -> ApiResult<()> {
    if content.len() > MAX_CONTENT {
        return Err(ApiFailure::invalid(format!(
            "`content` is {} bytes; at most {MAX_CONTENT} are allowed",
            content.len()
        )));
    }
    Ok(())
}

fn memories_of(state: &AppState, store_id: &str) -> ApiResult<Vec<Value>> {
    let mut memories: Vec<Value> = state
        .store
        .list(Kind::Memory)?
        .into_iter()
        .filter(|m| m["memory_store_id"] == store_id)
        .collect();
    memories.sort_by(|a, b| a["path"].as_str().cmp(&b["path"].as_str()));
    Ok(memories)
}

fn conflict(message: String) -> ApiFailure {
    ApiFailure::new(StatusCode::CONFLICT, message)
}

/// Records a version of a memory and points the memory at it.
fn record_version(state: &AppState, memory: &mut Value, operation: &str) -> ApiResult<Value> {
    let version = json!({
        "type": "memory_version", "id": new_id("memver"), "memory_id": memory["id"],
        "memory_store_id": memory["memory_store_id"], "operation": operation,
        "content": memory["content"], "content_sha256": memory["content_sha256"],
        "content_size_bytes": memory["content_size_bytes"], "path": memory["path"],
        "created_by": {"type": "api_actor", "api_key_id": API_ACTOR},
        "created_at": now(), "redacted_at": null, "redacted_by": null,
    });
    save(state, Kind::MemoryVersion, &version)?;
    memory["memory_version_id"] = version["id"].clone();
    Ok(version)
}

fn writable_store(state: &AppState, store_id: &str) -> ApiResult<()> {
    let store = load_store(state, store_id)?;
    refuse_archived(&store, "memory store").map_err(|e| e.code("memory_store_archived"))
}

/// `POST /v1/memory_stores/{id}/memories`
pub async fn create_memory(
    State(state): State<AppState>,
    Path(store_id): Path<String>,
    query: RawQuery,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let params: Value = parse_body(&body)?;
    let full = full_view(&pairs(&query), false)?;
    writable_store(&state, &store_id)?;
    let path = required_str(&params, "path")?;
    check_path(path)?;
    let content = match params.get("content") {
        Some(Value::String(c)) => c.as_str(),
        _ => {
            return Err(ApiFailure::invalid(
                "missing field `content` (a string; `\"\"` for an empty memory)",
            ))
        }
    };
    check_content(content)?;
    if memories_of(&state, &store_id)?
        .iter()
        .any(|m| m["path"] == path)
    {
        return Err(conflict(format!("a memory already exists at `{path}`")));
    }
    let memory = put(&state, &store_id, path, content)?;
    Ok(Json(viewed(&memory, full)))
}

/// Writes `content` at `path` in a store: a new memory, or a new version of the one there.
pub fn put(state: &AppState, store_id: &str, path: &str, content: &str) -> ApiResult<Value> {
    let existing = memories_of(state, store_id)?
        .into_iter()
        .find(|m| m["path"] == path);
    let at = now();
    let (mut memory, operation) = match existing {
        Some(memory) => (memory, "modified"),
        None => (
            json!({"type": "memory", "id": new_id("mem"), "memory_store_id": store_id, "path": path, "created_at": at}),
            "created",
        ),
    };
    memory["content"] = json!(content);
    memory["content_sha256"] = json!(sha256_hex(content.as_bytes()));
    memory["content_size_bytes"] = json!(content.len());
    memory["updated_at"] = json!(at);
    record_version(state, &mut memory, operation)?;
    save(state, Kind::Memory, &memory)?;
    Ok(memory)
}

/// An object of a store (a memory or a version), 404 if it is not in that store.
fn load_in_store(
    state: &AppState,
    kind: Kind,
    (what, code): (&str, &'static str),
    store_id: &str,
    id: &str,
) -> ApiResult<Value> {
    load_store(state, store_id)?;
    let object = load(state, kind, what, code, id)?;
    if object["memory_store_id"] != store_id {
        return Err(ApiFailure::not_found(what, id).code(code));
    }
    Ok(object)
}

fn load_memory(state: &AppState, store_id: &str, id: &str) -> ApiResult<Value> {
    load_in_store(
        state,
        Kind::Memory,
        ("memory", "memory_not_found"),
        store_id,
        id,
    )
}

/// `GET /v1/memory_stores/{id}/memories/{mid}`
pub async fn retrieve_memory(
    State(state): State<AppState>,
    Path((store_id, id)): Path<(String, String)>,
    query: RawQuery,
) -> ApiResult<Json<Value>> {
    let full = full_view(&pairs(&query), true)?;
    Ok(Json(viewed(&load_memory(&state, &store_id, &id)?, full)))
}

/// `POST /v1/memory_stores/{id}/memories/{mid}`: new content and/or path, under a
/// `content_sha256` precondition if one is given (409 when it does not hold).
pub async fn update_memory(
    State(state): State<AppState>,
    Path((store_id, id)): Path<(String, String)>,
    query: RawQuery,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let params: Value = parse_body(&body)?;
    let full = full_view(&pairs(&query), false)?;
    writable_store(&state, &store_id)?;
    let mut memory = load_memory(&state, &store_id, &id)?;
    if let Some(precondition) = params.get("precondition").filter(|p| !p.is_null()) {
        if precondition["type"] != "content_sha256" {
            return Err(ApiFailure::invalid(
                "`precondition.type` must be `content_sha256`",
            ));
        }
        if let Some(expected) = optional_str(precondition, "content_sha256")? {
            if memory["content_sha256"] != expected {
                return Err(conflict(format!(
                    "precondition failed: memory `{id}` has content_sha256 `{}`, not `{expected}`",
                    memory["content_sha256"].as_str().unwrap_or_default()
                )));
            }
        }
    }
    let mut changed = false;
    if let Some(content) = optional_str(&params, "content")? {
        check_content(content)?;
        changed |= memory["content"] != content;
        memory["content"] = json!(content);
        memory["content_sha256"] = json!(sha256_hex(content.as_bytes()));
        memory["content_size_bytes"] = json!(content.len());
    }
    if let Some(path) = optional_str(&params, "path")? {
        check_path(path)?;
        if memory["path"] != path
            && memories_of(&state, &store_id)?
                .iter()
                .any(|m| m["path"] == path)
        {
            return Err(conflict(format!("a memory already exists at `{path}`")));
        }
        changed |= memory["path"] != path;
        memory["path"] = json!(path);
    }
    if changed {
        memory["updated_at"] = json!(now());
        record_version(&state, &mut memory, "modified")?;
        save(&state, Kind::Memory, &memory)?;
    }
    Ok(Json(viewed(&memory, full)))
}

/// `GET /v1/memory_stores/{id}/memories`: by path, under `path_prefix`; `depth=1` groups
/// deeper memories into `memory_prefix` items.
pub async fn list_memories(
    State(state): State<AppState>,
    Path(store_id): Path<String>,
    query: RawQuery,
) -> ApiResult<Json<Value>> {
    let pairs = pairs(&query);
    let full = full_view(&pairs, false)?;
    let window = Window::from_pairs(&pairs, 20, if full { 20 } else { 100 })?;
    load_store(&state, &store_id)?;
    let prefix = query_value(&pairs, "path_prefix").unwrap_or("/");
    let depth = match query_value(&pairs, "depth") {
        None | Some("0") => 0,
        Some("1") => 1,
        Some(other) => {
            return Err(ApiFailure::invalid(format!(
                "`depth` must be 0 or 1, got `{other}`"
            )))
        }
    };
    let mut items: Vec<Value> = Vec::new();
    for memory in memories_of(&state, &store_id)? {
        let path = memory["path"].as_str().unwrap_or_default();
        let Some(rest) = path.strip_prefix(prefix) else {
            continue;
        };
        match rest.find('/') {
            Some(slash) if depth == 1 => {
                let grouped = format!("{prefix}{}/", &rest[..slash]);
                if items
                    .last()
                    .is_none_or(|last| last["path"] != grouped.as_str())
                {
                    items.push(json!({"type": "memory_prefix", "path": grouped}));
                }
            }
            _ => items.push(viewed(&memory, full)),
        }
    }
    let (data, next, _) = window.apply(&items);
    Ok(page(data, next))
}

/// `DELETE /v1/memory_stores/{id}/memories/{mid}` (409 if `expected_content_sha256` differs)
pub async fn delete_memory(
    State(state): State<AppState>,
    Path((store_id, id)): Path<(String, String)>,
    query: RawQuery,
) -> ApiResult<Json<Value>> {
    writable_store(&state, &store_id)?;
    let mut memory = load_memory(&state, &store_id, &id)?;
    if let Some(expected) = query_value(&pairs(&query), "expected_content_sha256") {
        if memory["content_sha256"] != expected {
            return Err(conflict(format!(
                "memory `{id}` does not have content_sha256 `{expected}`"
            )));
        }
    }
    memory["content"] = Value::Null;
    memory["content_sha256"] = Value::Null;
    memory["content_size_bytes"] = Value::Null;
    record_version(&state, &mut memory, "deleted")?;
    state.store.delete(Kind::Memory, &id)?;
    Ok(Json(json!({"id": id, "type": "memory_deleted"})))
}

fn load_version(state: &AppState, store_id: &str, id: &str) -> ApiResult<Value> {
    let what = ("memory version", "memory_version_not_found");
    load_in_store(state, Kind::MemoryVersion, what, store_id, id)
}

/// `GET /v1/memory_stores/{id}/memory_versions/{vid}`
pub async fn retrieve_version(
    State(state): State<AppState>,
    Path((store_id, id)): Path<(String, String)>,
    query: RawQuery,
) -> ApiResult<Json<Value>> {
    let full = full_view(&pairs(&query), true)?;
    Ok(Json(viewed(&load_version(&state, &store_id, &id)?, full)))
}

/// `GET /v1/memory_stores/{id}/memory_versions`: newest first, filtered.
pub async fn list_versions(
    State(state): State<AppState>,
    Path(store_id): Path<String>,
    query: RawQuery,
) -> ApiResult<Json<Value>> {
    let pairs = pairs(&query);
    let full = full_view(&pairs, false)?;
    let window = Window::from_pairs(&pairs, 20, if full { 20 } else { 100 })?;
    load_store(&state, &store_id)?;
    let in_range = crate::validate::created_at_filter(&pairs, "created_at")?;
    let memory_id = query_value(&pairs, "memory_id");
    let operation = query_value(&pairs, "operation");
    if let Some(op) = operation.filter(|op| !["created", "modified", "deleted"].contains(op)) {
        return Err(ApiFailure::invalid(format!(
            "`operation` must be created, modified or deleted, got `{op}`"
        )));
    }
    let api_key = query_value(&pairs, "api_key_id");
    let session = query_value(&pairs, "session_id");
    let service_account = query_value(&pairs, "service_account_id");
    let items: Vec<Value> = state
        .store
        .list(Kind::MemoryVersion)?
        .into_iter()
        .filter(|v| v["memory_store_id"] == store_id.as_str())
        .filter(|v| memory_id.is_none_or(|m| v["memory_id"] == m))
        .filter(|v| operation.is_none_or(|o| v["operation"] == o))
        .filter(|v| api_key.is_none_or(|k| v["created_by"]["api_key_id"] == k))
        .filter(|v| session.is_none_or(|s| v["created_by"]["session_id"] == s))
        .filter(|v| service_account.is_none_or(|s| v["created_by"]["service_account_id"] == s))
        .filter(|v| in_range(v))
        .map(|v| viewed(&v, full))
        .collect();
    let (data, next, _) = window.apply(&items);
    Ok(page(data, next))
}

/// `POST /v1/memory_stores/{id}/memory_versions/{vid}/redact`: clears the content and path
/// a version recorded; the version itself stays in the history.
pub async fn redact_version(
    State(state): State<AppState>,
    Path((store_id, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let mut version = load_version(&state, &store_id, &id)?;
    if version["redacted_at"].is_null() {
        for field in ["content", "content_sha256", "content_size_bytes", "path"] {
            version[field] = Value::Null;
        }
        version["redacted_at"] = json!(now());
        version["redacted_by"] = json!({"type": "api_actor", "api_key_id": API_ACTOR});
        save(&state, Kind::MemoryVersion, &version)?;
    }
    Ok(Json(viewed(&version, true)))
}
