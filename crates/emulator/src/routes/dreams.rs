//! `/v1/dreams`: a dream reads one memory store and some sessions and writes a memory store.
//! The emulator runs no model; a dream goes pending → running → completed within a second,
//! and writes one memory (`/dreams/<dream id>.md`) that lists what it read, into a new store
//! (`create_new`, a copy of the input store) or the one named by `update_existing`.

use super::{load, mark_archived, optional_str, pairs, required_str, save};
use crate::app::AppState;
use crate::http::{new_id, now, parse_body, ApiFailure, ApiResult};
use crate::store::Kind;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::Json;
use outrig_api::request::query_array;
use serde_json::{json, Value};

const STATUSES: [&str; 5] = ["pending", "running", "completed", "failed", "canceled"];

fn load_dream(state: &AppState, id: &str) -> ApiResult<Value> {
    load(state, Kind::Dream, "dream", "dream_not_found", id)
}

/// `POST /v1/dreams`
pub async fn create(State(state): State<AppState>, body: Bytes) -> ApiResult<Json<Value>> {
    let params: Value = parse_body(&body)?;
    let inputs = params["inputs"]
        .as_array()
        .ok_or_else(|| ApiFailure::invalid("missing field `inputs`"))?;
    let stores: Vec<&Value> = inputs
        .iter()
        .filter(|i| i["type"] == "memory_store")
        .collect();
    let sessions: Vec<&Value> = inputs.iter().filter(|i| i["type"] == "sessions").collect();
    if stores.len() != 1 || sessions.len() != 1 || inputs.len() != 2 {
        return Err(ApiFailure::invalid(
            "`inputs` must hold exactly one `memory_store` entry and exactly one `sessions` entry",
        ));
    }
    let store_id = required_str(stores[0], "memory_store_id")?;
    super::memory::load_store(&state, store_id)?;
    let session_ids = sessions[0]["session_ids"]
        .as_array()
        .filter(|ids| !ids.is_empty())
        .ok_or_else(|| {
            ApiFailure::invalid("`inputs[].session_ids` must name at least one session")
        })?;
    for id in session_ids {
        super::sessions::load(&state, id.as_str().unwrap_or_default())?;
    }
    let model = match &params["model"] {
        Value::String(id) if !id.is_empty() => json!({"id": id, "speed": null}),
        Value::Object(o)
            if o.get("id")
                .and_then(Value::as_str)
                .is_some_and(|id| !id.is_empty()) =>
        {
            if o.get("speed")
                .is_some_and(|s| !s.is_null() && s != "standard")
            {
                return Err(ApiFailure::invalid("`model.speed` can only be `standard`"));
            }
            json!({"id": o["id"], "speed": o.get("speed").cloned().unwrap_or(Value::Null)})
        }
        _ => {
            return Err(ApiFailure::invalid(
                "`model` must be a model id or `{\"id\",\"speed\"?}`",
            ))
        }
    };
    let instructions = optional_str(&params, "instructions")?;
    if instructions.is_some_and(|t| t.is_empty() || t.chars().count() > 4096) {
        return Err(ApiFailure::invalid(
            "`instructions` must be 1 to 4,096 characters",
        ));
    }
    let output = match params.get("output_behavior").filter(|o| !o.is_null()) {
        None => json!({"type": "create_new"}),
        Some(o) if o["type"] == "create_new" => json!({"type": "create_new"}),
        Some(o) if o["type"] == "update_existing" => {
            let id = required_str(o, "memory_store_id")?;
            super::memory::load_store(&state, id)?;
            json!({"type": "update_existing", "memory_store_id": id})
        }
        Some(_) => {
            return Err(ApiFailure::invalid(
                "`output_behavior.type` must be `create_new` or `update_existing`",
            ))
        }
    };
    let dream = json!({
        "type": "dream", "id": new_id("drm"), "status": "pending", "inputs": inputs,
        "model": model, "instructions": instructions, "output_behavior": output, "outputs": [],
        "session_id": null, "error": null,
        "usage": {"input_tokens": 0, "output_tokens": 0, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0},
        "created_at": now(), "ended_at": null, "archived_at": null,
    });
    save(&state, Kind::Dream, &dream)?;
    Ok(Json(dream))
}

/// Moves every live dream one step: pending → running, running → completed (writing its
/// output). The emulator calls this every half second.
pub fn advance(state: &AppState) -> ApiResult<()> {
    for mut dream in state.store.list(Kind::Dream)? {
        match dream["status"].as_str() {
            Some("pending") => dream["status"] = json!("running"),
            Some("running") => match write_output(state, &dream) {
                Ok(store_id) => {
                    dream["status"] = json!("completed");
                    dream["outputs"] =
                        json!([{"type": "memory_store", "memory_store_id": store_id}]);
                    dream["ended_at"] = json!(now());
                }
                Err(e) => {
                    dream["status"] = json!("failed");
                    dream["error"] = json!({"type": "dream_failed_error", "message": e.message});
                    dream["ended_at"] = json!(now());
                }
            },
            _ => continue,
        }
        save(state, Kind::Dream, &dream)?;
    }
    Ok(())
}

fn write_output(state: &AppState, dream: &Value) -> ApiResult<String> {
    let inputs = dream["inputs"].as_array().cloned().unwrap_or_default();
    let source = inputs
        .iter()
        .find_map(|i| i["memory_store_id"].as_str())
        .unwrap_or_default();
    let sessions: Vec<String> = inputs
        .iter()
        .flat_map(|i| i["session_ids"].as_array().cloned().unwrap_or_default())
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect();
    let target = match dream["output_behavior"]["memory_store_id"].as_str() {
        Some(id) => id.to_string(),
        None => {
            let source_store = super::memory::load_store(state, source)?;
            let at = now();
            let copy = json!({
                "type": "memory_store", "id": new_id("memstore"),
                "name": format!("{} (dream {})", source_store["name"].as_str().unwrap_or_default(), dream["id"].as_str().unwrap_or_default()),
                "description": source_store["description"], "metadata": {},
                "created_at": at, "updated_at": at, "archived_at": null,
            });
            save(state, Kind::MemoryStore, &copy)?;
            let id = copy["id"].as_str().unwrap_or_default().to_string();
            for memory in state.store.list(Kind::Memory)? {
                if memory["memory_store_id"] == source {
                    super::memory::put(
                        state,
                        &id,
                        memory["path"].as_str().unwrap_or_default(),
                        memory["content"].as_str().unwrap_or_default(),
                    )?;
                }
            }
            id
        }
    };
    let mut summary = format!(
        "# Dream {}\n\nRead memory store {source} and {} session(s):\n",
        dream["id"].as_str().unwrap_or_default(),
        sessions.len()
    );
    for session in &sessions {
        let events = state.store.history(session)?.len();
        summary.push_str(&format!("- {session}: {events} events\n"));
    }
    if let Some(instructions) = dream["instructions"].as_str() {
        summary.push_str(&format!("\nInstructions: {instructions}\n"));
    }
    let path = format!("/dreams/{}.md", dream["id"].as_str().unwrap_or_default());
    super::memory::put(state, &target, &path, &summary)?;
    Ok(target)
}

/// `GET /v1/dreams/{id}`
pub async fn retrieve(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    load_dream(&state, &id).map(Json)
}

/// `GET /v1/dreams`
pub async fn list(State(state): State<AppState>, query: RawQuery) -> ApiResult<Json<Value>> {
    let pairs = pairs(&query);
    let statuses = query_array(&pairs, "statuses");
    if let Some(bad) = statuses.iter().find(|s| !STATUSES.contains(&s.as_str())) {
        return Err(ApiFailure::invalid(format!(
            "`statuses[]`: unknown status `{bad}`"
        )));
    }
    let in_range = crate::validate::created_at_filter(&pairs, "created_at")?;
    super::list_page(&state, Kind::Dream, &pairs, |d| {
        in_range(d) && (statuses.is_empty() || statuses.iter().any(|s| d["status"] == s.as_str()))
    })
}

/// `POST /v1/dreams/{id}/archive`
pub async fn archive(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut dream = load_dream(&state, &id)?;
    if mark_archived(&mut dream) {
        save(&state, Kind::Dream, &dream)?;
    }
    Ok(Json(dream))
}

/// `POST /v1/dreams/{id}/cancel`: only a pending or running dream can be canceled.
pub async fn cancel(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut dream = load_dream(&state, &id)?;
    match dream["status"].as_str() {
        Some("pending") | Some("running") => {
            dream["status"] = json!("canceled");
            dream["ended_at"] = json!(now());
            save(&state, Kind::Dream, &dream)?;
            Ok(Json(dream))
        }
        other => Err(ApiFailure::invalid(format!(
            "dream `{id}` is {} and cannot be canceled",
            other.unwrap_or("unknown")
        ))),
    }
}
