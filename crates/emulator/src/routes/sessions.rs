//! `/v1/sessions`: create, retrieve, update, list (bidirectional pages), delete, archive.

use super::pairs;
use crate::app::AppState;
use crate::http::{new_id, now, parse_body, ApiFailure, ApiResult, Window};
use crate::routes::{agents, environments, events};
use crate::store::Kind;
use crate::validate;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::Json;
use outrig_api::objects::{CreateSession, UpdateSession};
use outrig_api::request::{query_array, query_value};
use serde_json::{json, Value};

/// Loads a session or answers 404.
pub fn load(state: &AppState, id: &str) -> ApiResult<Value> {
    state
        .store
        .get(Kind::Session, id, None)?
        .ok_or_else(|| ApiFailure::not_found("session", id))
}

/// The agent snapshot a session keeps: the agent without metadata and timestamps.
fn snapshot(agent: &Value) -> Value {
    let mut snapshot = agent.clone();
    let object = snapshot.as_object_mut().expect("agents are objects");
    for key in ["metadata", "created_at", "updated_at", "archived_at"] {
        object.remove(key);
    }
    snapshot
}

/// `POST /v1/sessions`
pub async fn create(State(state): State<AppState>, body: Bytes) -> ApiResult<Json<Value>> {
    let params: CreateSession = parse_body(&body)?;
    // On Bedrock the session runs on an AgentCore runtime, with the fields it adds.
    let bedrock = state.config.bedrock.is_some().then(|| {
        let raw: Value = serde_json::from_slice(&body).unwrap_or_default();
        crate::bedrock_surface::session_fields(&raw)
    });
    create_session(&state, params, None, bedrock).map(Json)
}

/// Creates a session (for a request, or for a deployment's run) and processes its
/// initial events; returns it as served. With `bedrock` fields, its `environment_id` is an
/// AgentCore runtime (no environment is loaded or queued) and it has no vaults.
pub fn create_session(
    state: &AppState,
    params: CreateSession,
    deployment_id: Option<&str>,
    bedrock: Option<serde_json::Map<String, Value>>,
) -> ApiResult<Value> {
    let (agent_id, version, overrides) = match &params.agent {
        Value::String(id) => (id.clone(), None, None),
        Value::Object(o) => {
            let id = o
                .get("id")
                .and_then(Value::as_str)
                .ok_or_else(|| ApiFailure::invalid("`agent.id` is required"))?;
            match o.get("type").and_then(Value::as_str) {
                Some("agent") => (
                    id.to_string(),
                    o.get("version").and_then(Value::as_i64),
                    None,
                ),
                Some("agent_with_overrides") => (
                    id.to_string(),
                    o.get("version").and_then(Value::as_i64),
                    Some(o.clone()),
                ),
                _ => {
                    return Err(ApiFailure::invalid(
                        "`agent.type` must be `agent` or `agent_with_overrides`",
                    ))
                }
            }
        }
        _ => {
            return Err(ApiFailure::invalid(
                "`agent` must be an agent id or an agent reference object",
            ))
        }
    };
    let latest = agents::load(state, &agent_id)?;
    if !latest["archived_at"].is_null() {
        return Err(ApiFailure::invalid(format!(
            "agent `{agent_id}` is archived"
        )));
    }
    let agent = match version {
        Some(v) => state
            .store
            .get(Kind::Agent, &agent_id, Some(v))?
            .ok_or_else(|| ApiFailure::not_found("agent version", &format!("{agent_id}@{v}")))?,
        None => latest.clone(),
    };
    if let Some(name) = latest["metadata"]["scenario"].as_str() {
        if !state.engine.has_scenario(name) {
            return Err(ApiFailure::invalid(format!(
                "agent metadata.scenario `{name}` names no scenario loaded by this emulator"
            )));
        }
    }
    let environment = match bedrock {
        Some(_) => Value::Null,
        None => environments::load(state, &params.environment_id)?,
    };
    if !environment["archived_at"].is_null() {
        return Err(ApiFailure::invalid(format!(
            "environment `{}` is archived and cannot start sessions",
            params.environment_id
        )));
    }
    let mut agent_snapshot = snapshot(&agent);
    if !agent["multiagent"].is_null() {
        agent_snapshot["multiagent"] =
            super::multiagent::expand(state, &agent["multiagent"], &agent)?;
    }
    if let Some(overrides) = overrides {
        for key in ["model", "system", "tools", "mcp_servers", "skills"] {
            if let Some(value) = overrides.get(key) {
                agent_snapshot[key] = match key {
                    "model" => validate::model(value)?,
                    "tools" => json!(validate::tools(
                        &serde_json::from_value::<Vec<_>>(value.clone())
                            .map_err(|e| ApiFailure::invalid(format!("`agent.tools`: {e}")))?
                    )?),
                    _ => value.clone(),
                };
            }
        }
    }
    let id = new_id("sesn");
    let resources = match &bedrock {
        Some(_) => crate::bedrock_resources::resolve(
            state,
            params.resources.as_deref().unwrap_or_default(),
            &agent_snapshot,
            &id,
        )?,
        None => super::resources::resolve(state, params.resources.unwrap_or_default())?,
    };
    let vault_ids = params.vault_ids.unwrap_or_default();
    for vault_id in &vault_ids {
        let vault = super::vaults::load_vault(state, vault_id)?;
        if !vault["archived_at"].is_null() {
            return Err(ApiFailure::invalid(format!(
                "vault `{vault_id}` is archived"
            )));
        }
    }
    let metadata = params.metadata.unwrap_or_default();
    validate::metadata(&metadata)?;
    let at = now();
    let session = json!({
        "type": "session", "id": id, "status": "idle", "title": params.title.flatten(),
        "environment_id": params.environment_id, "agent": agent_snapshot,
        "resources": resources, "metadata": metadata,
        "vault_ids": vault_ids, "deployment_id": deployment_id, "budget": params.budget.flatten(),
        "usage": {}, "stats": {"active_seconds": 0.0, "duration_seconds": 0.0},
        "outcome_evaluations": [], "created_at": at, "updated_at": at, "archived_at": null,
    });
    let mut session = session;
    let on_bedrock = bedrock.is_some();
    if let Some(fields) = bedrock {
        let object = session.as_object_mut().expect("sessions are objects");
        object.remove("vault_ids");
        object.extend(fields);
        object.insert("created_by".into(), crate::bedrock::caller());
    }
    state.store.put(Kind::Session, &id, 0, &session)?;
    state.emitter.lifecycle_webhook(&id, "session.created");
    if !on_bedrock {
        super::work::enqueue(state, &environment, &id)?;
    }
    if let Some(initial) = params.initial_events {
        events::accept(state, &id, initial)?;
    }
    load(state, &id)
}

/// `GET /v1/sessions/{id}`
pub async fn retrieve(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    load(&state, &id).map(Json)
}

/// `POST /v1/sessions/{id}`
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let params: UpdateSession = parse_body(&body)?;
    let mut session = load(&state, &id)?;
    if session["status"] == "terminated" {
        return Err(ApiFailure::invalid(format!("session `{id}` is terminated")));
    }
    if params.vault_ids.is_some() {
        return Err(ApiFailure::invalid("`vault_ids` cannot be updated"));
    }
    let mut changed = json!({"type": "session.updated"});
    if let Some(title) = params.title {
        session["title"] = json!(title);
        changed["title"] = json!(title);
    }
    if let Some(patch) = params.metadata {
        let mut metadata = serde_json::from_value(session["metadata"].clone()).unwrap_or_default();
        validate::patch_metadata(&mut metadata, &patch, false)?;
        session["metadata"] = json!(metadata);
        changed["metadata"] = json!(metadata);
    }
    if let Some(budget) = params.budget {
        if session["budget"].is_null() && budget.is_some() {
            return Err(ApiFailure::invalid(
                "a budget cannot be added to a session created without one",
            )
            .code("budget_create_only"));
        }
        session["budget"] = json!(budget);
        changed["budget"] = json!(budget);
    }
    if let Some(agent) = params.agent {
        if session["status"] == "running" {
            return Err(ApiFailure::invalid(
                "the agent of a running session cannot change",
            ));
        }
        if let Some(tools) = agent.get("tools") {
            let tools = serde_json::from_value::<Vec<_>>(tools.clone())
                .map_err(|e| ApiFailure::invalid(format!("`agent.tools`: {e}")))?;
            session["agent"]["tools"] = json!(validate::tools(&tools)?);
        }
        if let Some(servers) = agent.get("mcp_servers") {
            session["agent"]["mcp_servers"] = servers.clone();
        }
        changed["agent"] = session["agent"].clone();
    }
    session["updated_at"] = json!(now());
    state.store.put(Kind::Session, &id, 0, &session)?;
    if changed.as_object().is_some_and(|o| o.len() > 1) {
        state.emitter.emit_all(&id, vec![(None, changed)])?;
    }
    load(&state, &id).map(Json)
}

/// `GET /v1/sessions`
pub async fn list(State(state): State<AppState>, query: RawQuery) -> ApiResult<Json<Value>> {
    let pairs = pairs(&query);
    let window = Window::from_pairs(&pairs, 20, 1000)?;
    let archived = validate::flag(query_value(&pairs, "include_archived"), "include_archived")?;
    let statuses = query_array(&pairs, "statuses");
    if let Some(bad) = statuses
        .iter()
        .find(|s| !["idle", "running", "rescheduling", "terminated"].contains(&s.as_str()))
    {
        return Err(ApiFailure::invalid(format!(
            "`statuses[]`: unknown status `{bad}`"
        )));
    }
    let agent_id = query_value(&pairs, "agent_id");
    let agent_version = query_value(&pairs, "agent_version")
        .map(|v| {
            v.parse::<i64>()
                .map_err(|_| ApiFailure::invalid("`agent_version` must be an integer"))
        })
        .transpose()?;
    let in_range = validate::created_at_filter(&pairs, "created_at")?;
    let deployment_id = query_value(&pairs, "deployment_id");
    let memory_store_id = query_value(&pairs, "memory_store_id");
    let mut items: Vec<Value> = state
        .store
        .list(Kind::Session)?
        .into_iter()
        .filter(|s| archived || s["archived_at"].is_null())
        .filter(|s| statuses.is_empty() || statuses.iter().any(|st| s["status"] == st.as_str()))
        .filter(|s| agent_id.is_none_or(|a| s["agent"]["id"] == a))
        .filter(|s| agent_version.is_none_or(|v| s["agent"]["version"] == v))
        .filter(|s| deployment_id.is_none_or(|d| s["deployment_id"] == d))
        .filter(|s| {
            memory_store_id.is_none_or(|m| {
                s["resources"]
                    .as_array()
                    .is_some_and(|r| r.iter().any(|r| r["memory_store_id"] == m))
            })
        })
        .filter(|s| in_range(s))
        .collect();
    if validate::ascending(query_value(&pairs, "order"), false)? {
        items.reverse();
    }
    let (data, next, prev) = window.apply(&items);
    Ok(Json(
        json!({"data": data, "next_page": next, "prev_page": prev}),
    ))
}

/// `DELETE /v1/sessions/{id}`: open streams get `session.deleted` and end.
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let session = load(&state, &id)?;
    if session["status"] == "running" {
        return Err(ApiFailure::invalid(format!(
            "session `{id}` is running; interrupt it before deleting"
        )));
    }
    state.engine.forget(&id);
    let last = *state.emitter.hub.channels(&id).stored.borrow();
    state.emitter.hub.transient(
        &id,
        last,
        json!({"type": "session.deleted", "id": new_id("sevt"), "processed_at": now()}),
    );
    state.store.delete(Kind::Session, &id)?;
    state.emitter.hub.remove(&id);
    state.emitter.lifecycle_webhook(&id, "session.deleted");
    Ok(Json(json!({"id": id, "type": "session_deleted"})))
}

/// `POST /v1/sessions/{id}/archive`: archived sessions read as terminated.
pub async fn archive(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let session = load(&state, &id)?;
    if session["archived_at"].is_null() {
        if session["status"] != "terminated" {
            state
                .emitter
                .emit_event(&id, None, crate::agent_events::terminated())?;
        }
        let mut session = load(&state, &id)?;
        super::mark_archived(&mut session);
        state.store.put(Kind::Session, &id, 0, &session)?;
        state.emitter.lifecycle_webhook(&id, "session.archived");
    }
    load(&state, &id).map(Json)
}
