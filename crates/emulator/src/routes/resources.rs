//! Session resources as given to `POST /v1/sessions` (or a deployment) resolved to what a
//! session serves: ids, timestamps and default mount paths; referenced files and memory
//! stores must exist. A repository's `authorization_token` is used once and never kept.

use super::{optional_str, required_str};
use crate::app::AppState;
use crate::http::{new_id, now, ApiFailure, ApiResult};
use crate::store::Kind;
use serde_json::{json, Value};

/// Checks resource params without storing anything (deployments keep them as configs).
pub fn check_configs(state: &AppState, params: &[Value]) -> ApiResult<Vec<Value>> {
    params
        .iter()
        .enumerate()
        .map(|(i, param)| {
            let mut config = resolve_one(state, param, i)?;
            if let Some(object) = config.as_object_mut() {
                for key in ["id", "created_at", "updated_at", "name", "description"] {
                    object.remove(key);
                }
            }
            if param["type"] != "memory_store" {
                config["mount_path"] = param.get("mount_path").cloned().unwrap_or(Value::Null);
            } else if let Some(object) = config.as_object_mut() {
                object.remove("mount_path");
            }
            Ok(config)
        })
        .collect()
}

/// Resolves every resource of a new session.
pub fn resolve(state: &AppState, params: Vec<Value>) -> ApiResult<Vec<Value>> {
    if params.len() > 100 {
        return Err(ApiFailure::invalid("`resources`: at most 100 resources"));
    }
    params
        .iter()
        .enumerate()
        .map(|(i, param)| resolve_one(state, param, i))
        .collect()
}

fn resolve_one(state: &AppState, param: &Value, i: usize) -> ApiResult<Value> {
    let at = |e: ApiFailure| ApiFailure {
        message: format!("`resources[{i}]`: {}", e.message),
        ..e
    };
    let kind = required_str(param, "type").map_err(at)?;
    let created = now();
    match kind {
        "github_repository" => {
            let url = required_str(param, "url").map_err(at)?;
            optional_str(param, "authorization_token").map_err(at)?;
            let repo = url
                .trim_end_matches('/')
                .trim_end_matches(".git")
                .rsplit('/')
                .next()
                .unwrap_or("repository");
            let mount = optional_str(param, "mount_path").map_err(at)?;
            Ok(json!({
                "type": "github_repository", "id": new_id("sesrsc"), "url": url,
                "mount_path": mount.map_or_else(|| format!("/workspace/{repo}"), str::to_owned),
                "checkout": param.get("checkout").cloned().unwrap_or(Value::Null),
                "created_at": created, "updated_at": created,
            }))
        }
        "file" => {
            let file_id = required_str(param, "file_id").map_err(at)?;
            if state.store.get(Kind::File, file_id, None)?.is_none() {
                return Err(ApiFailure::not_found("file", file_id));
            }
            let mount = optional_str(param, "mount_path").map_err(at)?;
            Ok(json!({
                "type": "file", "id": new_id("sesrsc"), "file_id": file_id,
                "mount_path": mount.map_or_else(|| format!("/mnt/session/uploads/{file_id}"), str::to_owned),
                "created_at": created, "updated_at": created,
            }))
        }
        "memory_store" => {
            let store_id = required_str(param, "memory_store_id").map_err(at)?;
            let store = super::memory::load_store(state, store_id)?;
            if !store["archived_at"].is_null() {
                return Err(ApiFailure::invalid(format!("memory store `{store_id}` is archived")));
            }
            let access = optional_str(param, "access").map_err(at)?.unwrap_or("read_write");
            if !["read_write", "read_only"].contains(&access) {
                return Err(at(ApiFailure::invalid("`access` must be `read_write` or `read_only`")));
            }
            let instructions = optional_str(param, "instructions").map_err(at)?;
            if instructions.is_some_and(|t| t.chars().count() > 4096) {
                return Err(at(ApiFailure::invalid("`instructions` is longer than 4096 characters")));
            }
            let name = store["name"].as_str().unwrap_or_default();
            Ok(json!({
                "type": "memory_store", "memory_store_id": store_id, "access": access,
                "instructions": instructions, "name": name, "description": store["description"],
                "mount_path": format!("/mnt/memory/{name}"),
            }))
        }
        other => Err(at(ApiFailure::invalid(format!(
            "unknown resource type `{other}`; expected `github_repository`, `file` or `memory_store`"
        )))),
    }
}
