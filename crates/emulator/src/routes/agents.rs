//! `/v1/agents`: create, retrieve (any version), update (new version, optimistic
//! concurrency), list, archive, versions.

use super::multiagent::{self, SelfRef};
use super::{page, pairs};
use crate::app::AppState;
use crate::http::{new_id, now, parse_body, ApiFailure, ApiResult, Window};
use crate::store::Kind;
use crate::validate;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::Json;
use outrig_api::objects::{CreateAgent, UpdateAgent};
use outrig_api::request::query_value;
use serde_json::{json, Value};

/// Loads the latest version of an agent or answers 404.
pub fn load(state: &AppState, id: &str) -> ApiResult<Value> {
    state
        .store
        .get(Kind::Agent, id, None)?
        .ok_or_else(|| ApiFailure::not_found("agent", id))
}

/// `POST /v1/agents`
pub async fn create(State(state): State<AppState>, body: Bytes) -> ApiResult<Json<Value>> {
    let params: CreateAgent = parse_body(&body)?;
    validate::non_empty("name", &params.name)?;
    let tools = validate::tools(params.tools.as_deref().unwrap_or_default())?;
    let metadata = params.metadata.unwrap_or_default();
    validate::metadata(&metadata)?;
    let at = now();
    let id = new_id("agent");
    let me = SelfRef {
        id: &id,
        version: 1,
    };
    let multiagent = multiagent::resolve(
        &state,
        &params.multiagent.flatten().unwrap_or(Value::Null),
        &Value::Null,
        &me,
    )?;
    let agent = json!({
        "type": "agent", "id": id, "version": 1, "name": params.name,
        "description": params.description.flatten(), "system": params.system.flatten(),
        "model": validate::model(&params.model)?, "tools": tools,
        "mcp_servers": params.mcp_servers.unwrap_or_default(),
        "skills": params.skills.unwrap_or_default(),
        "multiagent": multiagent,
        "execution_identity": params.execution_identity.flatten().unwrap_or_else(|| json!({"type":"service_account"})),
        "metadata": metadata, "created_at": at, "updated_at": at, "archived_at": null,
    });
    let mut agent = agent;
    if state.config.bedrock.is_some() {
        agent["created_by"] = crate::bedrock::caller();
    }
    state
        .store
        .put(Kind::Agent, agent["id"].as_str().expect("id"), 1, &agent)?;
    state
        .emitter
        .resource_webhook("agent.created", &agent, None);
    Ok(Json(agent))
}

/// `GET /v1/agents/{id}` (`?version=N`)
pub async fn retrieve(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: RawQuery,
) -> ApiResult<Json<Value>> {
    let pairs = pairs(&query);
    match query_value(&pairs, "version") {
        None => load(&state, &id).map(Json),
        Some(text) => {
            let version: i64 = text.parse().ok().filter(|v| *v >= 1).ok_or_else(|| {
                ApiFailure::invalid(format!("`version` must be an integer ≥ 1, got `{text}`"))
            })?;
            load(&state, &id)?;
            state
                .store
                .get(Kind::Agent, &id, Some(version))?
                .map(Json)
                .ok_or_else(|| ApiFailure::not_found("agent version", &format!("{id}@{version}")))
        }
    }
}

/// `POST /v1/agents/{id}`: a change makes a new version.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let params: UpdateAgent = parse_body(&body)?;
    let current = load(&state, &id)?;
    let version = current["version"].as_i64().unwrap_or(1);
    if let Some(expected) = params.version {
        if expected != version {
            return Err(ApiFailure::new(
                StatusCode::CONFLICT,
                format!(
                    "agent `{id}` is at version {version}, not {expected}; reload it and retry"
                ),
            ));
        }
    }
    if !current["archived_at"].is_null() {
        return Err(ApiFailure::invalid(format!(
            "agent `{id}` is archived and cannot be updated"
        )));
    }
    let mut next = current.clone();
    if let Some(name) = &params.name {
        validate::non_empty("name", name)?;
        next["name"] = json!(name);
    }
    if let Some(model) = &params.model {
        next["model"] = validate::model(model)?;
    }
    for (field, value) in [
        ("description", &params.description),
        ("system", &params.system),
    ] {
        if let Some(value) = value {
            next[field] = json!(value.as_deref().filter(|s| !s.is_empty()));
        }
    }
    if let Some(tools) = &params.tools {
        next["tools"] = json!(validate::tools(tools.as_deref().unwrap_or_default())?);
    }
    if let Some(servers) = &params.mcp_servers {
        next["mcp_servers"] = json!(servers.clone().unwrap_or_default());
    }
    if let Some(skills) = &params.skills {
        next["skills"] = json!(skills.clone().unwrap_or_default());
    }
    if let Some(roster) = &params.multiagent {
        let me = SelfRef {
            id: &id,
            version: version + 1,
        };
        let param = roster.clone().unwrap_or(Value::Null);
        next["multiagent"] = multiagent::resolve(&state, &param, &current["multiagent"], &me)?;
    }
    if let Some(patch) = &params.metadata {
        let mut metadata = serde_json::from_value(current["metadata"].clone()).unwrap_or_default();
        validate::patch_metadata(&mut metadata, patch, false)?;
        next["metadata"] = json!(metadata);
    }
    if next == current {
        return Ok(Json(current));
    }
    next["version"] = json!(version + 1);
    next["updated_at"] = json!(now());
    state.store.put(Kind::Agent, &id, version + 1, &next)?;
    state.emitter.resource_webhook("agent.updated", &next, None);
    Ok(Json(next))
}

/// `GET /v1/agents`
pub async fn list(State(state): State<AppState>, query: RawQuery) -> ApiResult<Json<Value>> {
    let pairs = pairs(&query);
    let window = Window::from_pairs(&pairs, 20, 100)?;
    let archived = validate::flag(query_value(&pairs, "include_archived"), "include_archived")?;
    let in_range = validate::created_at_filter(&pairs, "created_at")?;
    let items: Vec<Value> = state
        .store
        .list(Kind::Agent)?
        .into_iter()
        .filter(|a| (archived || a["archived_at"].is_null()) && in_range(a))
        .collect();
    let (data, next, _) = window.apply(&items);
    Ok(page(data, next))
}

/// `POST /v1/agents/{id}/archive`
pub async fn archive(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut agent = load(&state, &id)?;
    if super::mark_archived(&mut agent) {
        let version = agent["version"].as_i64().unwrap_or(1);
        state.store.put(Kind::Agent, &id, version, &agent)?;
        state
            .emitter
            .resource_webhook("agent.archived", &agent, None);
    }
    Ok(Json(agent))
}

/// `GET /v1/agents/{id}/versions`
pub async fn versions(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: RawQuery,
) -> ApiResult<Json<Value>> {
    let pairs = pairs(&query);
    load(&state, &id)?;
    let window = Window::from_pairs(&pairs, 20, 100)?;
    let (data, next, _) = window.apply(&state.store.versions(Kind::Agent, &id)?);
    Ok(page(data, next))
}
