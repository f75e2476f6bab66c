//! Request validation with messages that say what is wrong and where.

use crate::http::{ApiFailure, ApiResult};
use outrig_api::objects::{valid_tool_name, Metadata, Tool};
use serde_json::{json, Map, Value};
use std::collections::HashSet;

/// Checks tools and returns them as stored: custom tool names valid and unique, a
/// description, an object `input_schema`; unknown tool types rejected.
pub fn tools(tools: &[Tool]) -> ApiResult<Vec<Value>> {
    if tools.len() > 256 {
        return Err(ApiFailure::invalid("`tools`: at most 256 tools"));
    }
    let mut names = HashSet::new();
    let mut out = Vec::new();
    for (i, tool) in tools.iter().enumerate() {
        match tool {
            Tool::Custom(custom) => {
                if !valid_tool_name(&custom.name) {
                    return Err(ApiFailure::invalid(format!(
                        "`tools[{i}].name`: `{}` must be 1-128 characters of letters, digits, `_` or `-`",
                        custom.name
                    )));
                }
                if !names.insert(custom.name.clone()) {
                    return Err(ApiFailure::invalid(format!("`tools[{i}].name`: duplicate tool name `{}`", custom.name)));
                }
                if custom.description.trim().is_empty() {
                    return Err(ApiFailure::invalid(format!("`tools[{i}].description` must not be empty")));
                }
                input_schema(&custom.input_schema, i)?;
            }
            Tool::Unknown(raw) => {
                return Err(ApiFailure::invalid(format!(
                    "`tools[{i}].type`: unknown tool type {}; expected one of `custom`, `agent_toolset_20260401`, `mcp_toolset`",
                    raw.get("type").map(|t| t.to_string()).unwrap_or_else(|| "(missing)".into())
                )))
            }
            Tool::AgentToolset(_) | Tool::McpToolset(_) => {}
        }
        let mut tool = serde_json::to_value(tool).expect("tools serialise");
        resolve_toolset(&mut tool);
        out.push(tool);
    }
    Ok(out)
}

/// A toolset in its resolved response form: `default_config` with `enabled` (default
/// true) and `permission_policy` (built-in tools: `always_allow`; MCP tools:
/// `always_ask`), and each sent `configs` entry with both, inherited where not set (and
/// `type`, for built-in tools). Other tools are left as they are.
fn resolve_toolset(tool: &mut Value) {
    let (policy, typed) = match tool["type"].as_str() {
        Some("agent_toolset_20260401") => ("always_allow", true),
        Some("mcp_toolset") => ("always_ask", false),
        _ => return,
    };
    let default = &tool["default_config"];
    let enabled = default["enabled"].as_bool().unwrap_or(true);
    let permission = match &default["permission_policy"] {
        Value::Object(_) => default["permission_policy"].clone(),
        _ => json!({ "type": policy }),
    };
    let configs: Vec<Value> = tool["configs"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|mut config| {
            if config["enabled"].is_null() {
                config["enabled"] = json!(enabled);
            }
            if config["permission_policy"].is_null() {
                config["permission_policy"] = permission.clone();
            }
            if typed && config.get("type").is_none() {
                config["type"] = config["name"].clone();
            }
            config
        })
        .collect();
    tool["default_config"] = json!({"enabled": enabled, "permission_policy": permission});
    tool["configs"] = json!(configs);
}

fn input_schema(schema: &Value, i: usize) -> ApiResult<()> {
    let Some(object) = schema.as_object() else {
        return Err(ApiFailure::invalid(format!(
            "`tools[{i}].input_schema` must be a JSON object"
        )));
    };
    if object.get("type") != Some(&json!("object")) {
        return Err(ApiFailure::invalid(format!(
            "`tools[{i}].input_schema.type` must be \"object\""
        )));
    }
    if !matches!(
        object.get("properties"),
        None | Some(Value::Null) | Some(Value::Object(_))
    ) {
        return Err(ApiFailure::invalid(format!(
            "`tools[{i}].input_schema.properties` must be an object"
        )));
    }
    match object.get("required") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => {}
        Some(_) => {
            return Err(ApiFailure::invalid(format!(
                "`tools[{i}].input_schema.required` must be an array of strings"
            )))
        }
    }
    Ok(())
}

/// Checks metadata limits: ≤ 16 pairs, keys ≤ 64 chars, values ≤ 512 chars.
pub fn metadata(metadata: &Metadata) -> ApiResult<()> {
    let bad = |message: String| Err(ApiFailure::invalid(message).code("invalid_metadata"));
    if metadata.len() > 16 {
        return bad(format!(
            "`metadata` has {} keys; at most 16 are allowed",
            metadata.len()
        ));
    }
    for (key, value) in metadata {
        if key.is_empty() || key.chars().count() > 64 {
            return bad(format!("`metadata` key `{key}` must be 1-64 characters"));
        }
        if value.chars().count() > 512 {
            return bad(format!("`metadata.{key}` is longer than 512 characters"));
        }
    }
    Ok(())
}

/// Applies a metadata patch (string upserts, null deletes; `delete_empty` also deletes on "").
pub fn patch_metadata(
    stored: &mut Metadata,
    patch: &Map<String, Value>,
    delete_empty: bool,
) -> ApiResult<()> {
    for (key, value) in patch {
        match value {
            Value::Null => drop(stored.remove(key)),
            Value::String(s) if delete_empty && s.is_empty() => drop(stored.remove(key)),
            Value::String(s) => drop(stored.insert(key.clone(), s.clone())),
            _ => {
                return Err(ApiFailure::invalid(format!(
                    "`metadata.{key}` must be a string or null"
                )))
            }
        }
    }
    metadata(stored)
}

/// A model given as an id string or an object, in the response's object form.
pub fn model(model: &Value) -> ApiResult<Value> {
    let mut object = match model {
        Value::String(id) if !id.is_empty() => json!({ "id": id }),
        Value::Object(o)
            if o.get("id")
                .and_then(Value::as_str)
                .is_some_and(|id| !id.is_empty()) =>
        {
            Value::Object(o.clone())
        }
        _ => {
            return Err(ApiFailure::invalid(
                "`model` must be a model id string or an object with a non-empty `id`",
            ))
        }
    };
    match object.get("effort").cloned() {
        Some(Value::String(level)) => object["effort"] = json!({ "type": level }),
        Some(Value::Null) => drop(object.as_object_mut().expect("object").remove("effort")),
        _ => {}
    }
    if object.get("speed") == Some(&Value::Null) {
        object.as_object_mut().expect("object").remove("speed");
    }
    Ok(object)
}

/// A non-empty string field.
pub fn non_empty(field: &str, value: &str) -> ApiResult<()> {
    if value.trim().is_empty() {
        return Err(ApiFailure::invalid(format!("`{field}` must not be empty")));
    }
    Ok(())
}

/// Parses a boolean query flag.
pub fn flag(value: Option<&str>, name: &str) -> ApiResult<bool> {
    match value {
        None => Ok(false),
        Some("true") => Ok(true),
        Some("false") => Ok(false),
        Some(other) => Err(ApiFailure::invalid(format!(
            "`{name}` must be true or false, got `{other}`"
        ))),
    }
}

/// Whether the `order` query parameter asks for ascending order (`asc`), given the
/// endpoint's default when it is absent; anything but `asc`/`desc` is a 400.
pub fn ascending(value: Option<&str>, default_ascending: bool) -> ApiResult<bool> {
    match value {
        None => Ok(default_ascending),
        Some("asc") => Ok(true),
        Some("desc") => Ok(false),
        Some(other) => Err(ApiFailure::invalid(format!(
            "`order` must be `asc` or `desc`, got `{other}`"
        ))),
    }
}

/// Keeps items whose `created_at` passes the `created_at[gt|gte|lt|lte]` filters.
pub fn created_at_filter(
    pairs: &[(String, String)],
    field: &str,
) -> ApiResult<impl Fn(&Value) -> bool> {
    let mut bounds = Vec::new();
    for op in ["gt", "gte", "lt", "lte"] {
        if let Some(text) = outrig_api::request::query_value(pairs, &format!("created_at[{op}]")) {
            let micros = outrig_api::time::parse_rfc3339_micros(text).ok_or_else(|| {
                ApiFailure::invalid(format!(
                    "`created_at[{op}]` is not an RFC 3339 timestamp: `{text}`"
                ))
            })?;
            bounds.push((op, micros));
        }
    }
    let field = field.to_string();
    Ok(move |item: &Value| {
        let Some(at) = item[&field]
            .as_str()
            .and_then(outrig_api::time::parse_rfc3339_micros)
        else {
            return bounds.is_empty();
        };
        bounds.iter().all(|(op, bound)| match *op {
            "gt" => at > *bound,
            "gte" => at >= *bound,
            "lt" => at < *bound,
            _ => at <= *bound,
        })
    })
}
