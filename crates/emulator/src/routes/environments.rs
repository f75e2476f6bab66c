//! `/v1/environments`: create, retrieve, update, list, delete, archive.

use super::{page, pairs};
use crate::app::AppState;
use crate::http::{new_id, now, parse_body, ApiFailure, ApiResult, Window};
use crate::store::Kind;
use crate::validate;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::Json;
use outrig_api::objects::{EnvironmentParams, Metadata};
use outrig_api::request::query_value;
use serde_json::{json, Value};

/// Loads an environment or answers 404.
pub fn load(state: &AppState, id: &str) -> ApiResult<Value> {
    state
        .store
        .get(Kind::Environment, id, None)?
        .ok_or_else(|| ApiFailure::not_found("environment", id).code("environment_not_found"))
}

/// A config as stored: cloud configs get every response field.
fn resolve_config(config: Option<Value>) -> ApiResult<Value> {
    let config = config.unwrap_or_else(|| json!({"type": "cloud"}));
    match config["type"].as_str() {
        Some("cloud") => {
            let mut networking = config
                .get("networking")
                .cloned()
                .filter(|n| !n.is_null())
                .unwrap_or_else(|| json!({"type":"unrestricted"}));
            match networking["type"].as_str() {
                Some("unrestricted") => {}
                Some("limited") => {
                    for (key, default) in [
                        ("allowed_hosts", json!([])),
                        ("allow_mcp_servers", json!(false)),
                        ("allow_package_managers", json!(false)),
                    ] {
                        if networking.get(key).is_none_or(Value::is_null) {
                            networking[key] = default;
                        }
                    }
                }
                _ => {
                    return Err(ApiFailure::invalid(
                        "`config.networking.type` must be `unrestricted` or `limited`",
                    ))
                }
            }
            let mut packages = json!({"type": "packages"});
            for manager in ["apt", "cargo", "gem", "go", "npm", "pip"] {
                packages[manager] = config["packages"]
                    .get(manager)
                    .filter(|v| v.is_array())
                    .cloned()
                    .unwrap_or_else(|| json!([]));
            }
            Ok(json!({"type": "cloud", "networking": networking, "packages": packages}))
        }
        Some("self_hosted") => Ok(json!({"type": "self_hosted"})),
        _ => Err(ApiFailure::invalid(
            "`config.type` must be `cloud` or `self_hosted`",
        )),
    }
}

/// `POST /v1/environments`
pub async fn create(State(state): State<AppState>, body: Bytes) -> ApiResult<Json<Value>> {
    let params: EnvironmentParams = parse_body(&body)?;
    let name = params
        .name
        .ok_or_else(|| ApiFailure::invalid("missing field `name`"))?;
    validate::non_empty("name", &name)?;
    let mut metadata = Metadata::new();
    validate::patch_metadata(&mut metadata, &params.metadata.unwrap_or_default(), false)?;
    let at = now();
    let environment = json!({
        "type": "environment", "id": new_id("env"), "name": name,
        "description": params.description.flatten(),
        "config": resolve_config(params.config.flatten())?,
        "metadata": metadata, "scope": params.scope.flatten().unwrap_or_else(|| "organization".into()),
        "created_at": at, "updated_at": at, "archived_at": null,
    });
    state.store.put(
        Kind::Environment,
        environment["id"].as_str().expect("id"),
        0,
        &environment,
    )?;
    state
        .emitter
        .resource_webhook("environment.created", &environment, None);
    Ok(Json(environment))
}

/// `GET /v1/environments/{id}`
pub async fn retrieve(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    load(&state, &id).map(Json)
}

/// `POST /v1/environments/{id}`
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let params: EnvironmentParams = parse_body(&body)?;
    let mut environment = load(&state, &id)?;
    if !environment["archived_at"].is_null() {
        return Err(ApiFailure::invalid(format!(
            "environment `{id}` is archived and cannot be updated"
        ))
        .code("environment_archived"));
    }
    if let Some(name) = params.name {
        validate::non_empty("name", &name)?;
        environment["name"] = json!(name);
    }
    if let Some(description) = params.description {
        environment["description"] = json!(description);
    }
    if let Some(Some(config)) = params.config {
        if config["type"] != environment["config"]["type"] {
            return Err(
                ApiFailure::invalid("`config.type` cannot change after creation")
                    .code("invalid_config_type_change"),
            );
        }
        let mut merged = config.clone();
        for key in ["networking", "packages"] {
            if merged.get(key).is_none() {
                merged[key] = environment["config"][key].clone();
            }
        }
        environment["config"] = resolve_config(Some(merged))?;
    }
    if let Some(patch) = params.metadata {
        let mut metadata =
            serde_json::from_value(environment["metadata"].clone()).unwrap_or_default();
        validate::patch_metadata(&mut metadata, &patch, true)?;
        environment["metadata"] = json!(metadata);
    }
    environment["updated_at"] = json!(now());
    state.store.put(Kind::Environment, &id, 0, &environment)?;
    state
        .emitter
        .resource_webhook("environment.updated", &environment, None);
    Ok(Json(environment))
}

/// `GET /v1/environments`
pub async fn list(State(state): State<AppState>, query: RawQuery) -> ApiResult<Json<Value>> {
    let pairs = pairs(&query);
    let window = Window::from_pairs(&pairs, 20, 100)?;
    let archived = validate::flag(query_value(&pairs, "include_archived"), "include_archived")?;
    let items: Vec<Value> = state
        .store
        .list(Kind::Environment)?
        .into_iter()
        .filter(|e| archived || e["archived_at"].is_null())
        .collect();
    let (data, next, _) = window.apply(&items);
    Ok(page(data, next))
}

/// `DELETE /v1/environments/{id}`
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let environment = load(&state, &id)?;
    state.store.delete(Kind::Environment, &id)?;
    state
        .emitter
        .resource_webhook("environment.deleted", &environment, None);
    Ok(Json(json!({"id": id, "type": "environment_deleted"})))
}

/// `POST /v1/environments/{id}/archive`
pub async fn archive(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut environment = load(&state, &id)?;
    if super::mark_archived(&mut environment) {
        state.store.put(Kind::Environment, &id, 0, &environment)?;
        state
            .emitter
            .resource_webhook("environment.archived", &environment, None);
    }
    Ok(Json(environment))
}
