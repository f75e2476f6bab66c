//! A Bedrock session's resources (spec part 3, §2.5.1): S3 folders mounted, S3 objects
//! copied, sandbox paths, and memory stores (which, unlike first-party, get an id and
//! timestamps). Each is checked by the published rules and resolved to what the session
//! serves; every resource but a memory store needs the agent's `read` tool.

use crate::app::AppState;
use crate::http::{new_id, now, ApiFailure, ApiResult};
use crate::routes::{optional_str, required_str};
use serde_json::{json, Map, Value};

/// Resolves the resources of the new Bedrock session `session_id` run by `agent` (its
/// snapshot): `{session_id}` in an S3 URI becomes the session's id.
pub fn resolve(
    state: &AppState,
    params: &[Value],
    agent: &Value,
    session_id: &str,
) -> ApiResult<Vec<Value>> {
    if params.len() > 100 {
        return Err(ApiFailure::invalid("`resources`: at most 100 resources"));
    }
    let reads = has_read_tool(agent);
    params
        .iter()
        .enumerate()
        .map(|(i, param)| {
            let at = |e: ApiFailure| ApiFailure {
                message: format!("`resources[{i}]`: {}", e.message),
                ..e
            };
            let kind = required_str(param, "type").map_err(at)?;
            if kind != "memory_store" && !reads {
                return Err(at(ApiFailure::invalid(format!(
                    "a `{kind}` resource needs the agent's `read` tool (agent_toolset_20260401 with `read` enabled)"
                ))));
            }
            let resolved = match kind {
                "memory_store" => memory_store(state, param),
                "s3_mount" => s3_mount(param, session_id),
                "s3_object" => s3_object(param, session_id),
                "sandbox_path" => sandbox_path(param),
                other => Err(ApiFailure::invalid(format!(
                    "unknown resource type `{other}`; Amazon Bedrock sessions take `memory_store`, `s3_mount`, `s3_object` or `sandbox_path`"
                ))),
            };
            resolved.map_err(at).map(stamped)
        })
        .collect()
}

/// Whether the agent's toolset has `read` enabled.
fn has_read_tool(agent: &Value) -> bool {
    agent["tools"].as_array().into_iter().flatten().any(|tool| {
        tool["type"] == "agent_toolset_20260401" && {
            let named = tool["configs"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|config| config["name"] == "read");
            named
                .and_then(|config| config["enabled"].as_bool())
                .or_else(|| tool["default_config"]["enabled"].as_bool())
                .unwrap_or(true)
        }
    })
}

/// With an id and timestamps, as every Bedrock session resource has.
fn stamped(mut resource: Map<String, Value>) -> Value {
    let at = now();
    resource.insert("id".into(), json!(new_id("sesrsc")));
    resource.insert("created_at".into(), json!(at));
    resource.insert("updated_at".into(), json!(at));
    Value::Object(resource)
}

fn memory_store(state: &AppState, param: &Value) -> ApiResult<Map<String, Value>> {
    let store_id = required_str(param, "memory_store_id")?;
    let store = crate::routes::memory::load_store(state, store_id)?;
    if !store["archived_at"].is_null() {
        return Err(ApiFailure::invalid(format!(
            "memory store `{store_id}` is archived"
        )));
    }
    let access = optional_str(param, "access")?.unwrap_or("read_write");
    if !["read_write", "read_only"].contains(&access) {
        return Err(ApiFailure::invalid(
            "`access` must be `read_write` or `read_only`",
        ));
    }
    let instructions = bounded(param, "instructions", 4096)?;
    Ok(object(json!({
        "type": "memory_store", "memory_store_id": store_id, "access": access,
        "name": store["name"].as_str().unwrap_or_default(),
        "description": store["description"].as_str().unwrap_or_default(),
        "instructions": instructions,
    })))
}

fn s3_mount(param: &Value, session_id: &str) -> ApiResult<Map<String, Value>> {
    let uri = s3_uri(param)?;
    let folder = format!("{}/", uri.trim_end_matches('/'));
    let mount_path = mount_path(param, MountKind::Folder)?;
    let mount_as = match optional_str(param, "mount_as")? {
        Some(mode @ ("read_write" | "read_only")) => mode,
        Some(other) => {
            return Err(ApiFailure::invalid(format!(
                "`mount_as` must be `read_write` or `read_only`, got `{other}`"
            )))
        }
        None => {
            return Err(ApiFailure::invalid(
                "an `s3_mount` resource needs `mount_as`",
            ))
        }
    };
    let is_output = param["is_output"].as_bool().unwrap_or(false);
    if is_output && mount_as != "read_write" {
        return Err(ApiFailure::invalid(
            "`is_output` needs `mount_as: read_write`",
        ));
    }
    Ok(object(json!({
        "type": "s3_mount", "s3_uri": folder.replace("{session_id}", session_id),
        "region": required_str(param, "region")?, "mount_path": mount_path, "mount_as": mount_as,
        "description": bounded(param, "description", 1024)?,
        "instructions": bounded(param, "instructions", 4096)?, "is_output": is_output,
    })))
}

fn s3_object(param: &Value, session_id: &str) -> ApiResult<Map<String, Value>> {
    let uri = s3_uri(param)?;
    let path = uri.trim_start_matches("s3://");
    if uri.ends_with('/') || !path.contains('/') {
        return Err(ApiFailure::invalid(
            "`s3_uri` of an `s3_object` names an object (`s3://BUCKET/[FOLDER/]NAME`, no trailing `/`)",
        ));
    }
    if path.split('/').any(|name| name.len() > 255) {
        return Err(ApiFailure::invalid(
            "`s3_uri`: a name is longer than 255 bytes",
        ));
    }
    Ok(object(json!({
        "type": "s3_object", "s3_uri": uri.replace("{session_id}", session_id),
        "region": required_str(param, "region")?,
        "mount_path": mount_path(param, MountKind::File)?,
        "description": bounded(param, "description", 1024)?,
        "instructions": bounded(param, "instructions", 4096)?,
    })))
}

fn sandbox_path(param: &Value) -> ApiResult<Map<String, Value>> {
    let path = required_str(param, "path")?;
    let printable = path.bytes().all(|b| (0x20..0x7f).contains(&b));
    if !path.starts_with('/') || path.len() > 1024 || !printable {
        return Err(ApiFailure::invalid(
            "`path` must be absolute, printable ASCII, at most 1024 characters",
        ));
    }
    if path.split('/').any(|segment| segment == "..") || path.contains('{') {
        return Err(ApiFailure::invalid(
            "`path` may hold no `..` segment and no template variable",
        ));
    }
    Ok(object(json!({
        "type": "sandbox_path", "path": path,
        "description": bounded(param, "description", 1024)?,
        "instructions": bounded(param, "instructions", 4096)?,
        "is_output": param["is_output"].as_bool().unwrap_or(false),
    })))
}

/// `s3://…`, at most 1024 bytes.
fn s3_uri(param: &Value) -> ApiResult<&str> {
    let uri = required_str(param, "s3_uri")?;
    let rest = uri.strip_prefix("s3://").ok_or_else(|| {
        ApiFailure::invalid(format!("`s3_uri` must start with `s3://`, got `{uri}`"))
    })?;
    if rest.is_empty() || rest.starts_with('/') || uri.len() > 1024 {
        return Err(ApiFailure::invalid(
            "`s3_uri` must name a bucket and be at most 1024 bytes",
        ));
    }
    Ok(uri)
}

/// What a mount path stands for: a mounted folder, or a copied file.
#[derive(PartialEq)]
enum MountKind {
    Folder,
    File,
}

/// A mount path under `/mnt/`: `[A-Za-z0-9._-/]`, no empty, `.` or `..` segment, no
/// trailing `/`, at most 1024 characters and segments of 255; never `/mnt/memory` or below,
/// nor `/mnt/workspace` (a folder may not go below it either; a file may).
fn mount_path(param: &Value, kind: MountKind) -> ApiResult<&str> {
    let path = required_str(param, "mount_path")?;
    let refuse = |why: &str| Err(ApiFailure::invalid(format!("`mount_path` `{path}` {why}")));
    let Some(rest) = path.strip_prefix("/mnt/") else {
        return refuse("must be under `/mnt/`");
    };
    let allowed = |c: char| c.is_ascii_alphanumeric() || "._-/".contains(c);
    if !path.chars().all(allowed) || path.len() > 1024 {
        return refuse("may hold only `A-Za-z0-9._-/`, at most 1024 characters");
    }
    if rest
        .split('/')
        .any(|s| s.is_empty() || s == "." || s == ".." || s.len() > 255)
    {
        return refuse("has an empty, `.`, `..` or over-long segment (or a trailing `/`)");
    }
    let within = |root: &str| path == root || path.starts_with(&format!("{root}/"));
    if within("/mnt/memory") {
        return refuse("is the memory stores' place");
    }
    if path == "/mnt/workspace" || (kind == MountKind::Folder && within("/mnt/workspace")) {
        return refuse("may not be `/mnt/workspace` (or below it, for a folder)");
    }
    Ok(path)
}

/// An optional string field of at most `limit` characters (`null` when absent).
fn bounded(param: &Value, field: &str, limit: usize) -> ApiResult<Value> {
    match optional_str(param, field)? {
        Some(text) if text.chars().count() > limit => Err(ApiFailure::invalid(format!(
            "`{field}` is longer than {limit} characters"
        ))),
        Some(text) => Ok(json!(text)),
        None => Ok(Value::Null),
    }
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}
