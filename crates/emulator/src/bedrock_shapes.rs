//! The answers of `--platform bedrock` in Bedrock's shapes (part 3 of the spec, §2.4–2.8):
//! the reduced list items of agents, sessions and memory stores, each `created_by_me` when
//! its creator is the caller (and, with `created_by_me=true`, only those); on full objects
//! the fields Bedrock adds (`created_by`: the creating caller's identity, null when the key
//! names no role; `resource_arn`: null, its format not being published; a memory store's
//! `backend`) and without the ones it lacks (a session's `vault_ids` and `deployment_id`,
//! its agent's `execution_identity`).

use axum::body::Body;
use axum::response::Response;
use serde_json::{json, Map, Value};

/// Largest answer reshaped (the stores' pages are far smaller).
const MAX_ANSWER: usize = 64 << 20;

/// `response` of the route named `route`, in Bedrock's shape; a list keeps only the
/// caller's own items when `only_mine`.
pub async fn reshape(route: &str, only_mine: bool, response: Response) -> Response {
    let reshaper: fn(&mut Value) = match route {
        "agents.list" | "agents.versions.list" => |page| items(page, agent_item),
        "sessions.list" => |page| items(page, session_item),
        "memory_stores.list" => |page| items(page, memory_store_item),
        "agents.create" | "agents.retrieve" | "agents.update" | "agents.archive" => agent,
        "sessions.create" | "sessions.retrieve" | "sessions.update" | "sessions.archive" => session,
        "memory_stores.create"
        | "memory_stores.retrieve"
        | "memory_stores.update"
        | "memory_stores.archive" => memory_store,
        _ => return response,
    };
    if !response.status().is_success() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ANSWER).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    reshaper(&mut value);
    if only_mine {
        if let Some(data) = value["data"].as_array_mut() {
            data.retain(|item| item["created_by_me"] == true);
        }
    }
    let bytes = serde_json::to_vec(&value).expect("JSON serialises");
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes))
}

fn items(page: &mut Value, item: fn(&Value) -> Value) {
    if let Some(data) = page["data"].as_array_mut() {
        for entry in data.iter_mut() {
            *entry = item(entry);
        }
    }
}

/// Only these fields of `object`, in this order (a missing one becomes null).
fn only(object: &Value, fields: &[&str]) -> Map<String, Value> {
    fields
        .iter()
        .map(|f| {
            (
                f.to_string(),
                object.get(*f).cloned().unwrap_or(Value::Null),
            )
        })
        .collect()
}

fn agent_item(agent: &Value) -> Value {
    let mut item = only(
        agent,
        &[
            "id",
            "type",
            "name",
            "version",
            "resource_arn",
            "created_at",
            "updated_at",
            "archived_at",
        ],
    );
    item.insert("model".into(), json!({"id": agent["model"]["id"]}));
    Value::Object(item)
}

fn session_item(session: &Value) -> Value {
    let mut item = only(
        session,
        &[
            "id",
            "type",
            "status",
            "title",
            "resource_arn",
            "created_at",
            "updated_at",
            "archived_at",
        ],
    );
    item.insert(
        "agent".into(),
        json!({"id": session["agent"]["id"], "version": session["agent"]["version"]}),
    );
    item.insert("created_by_me".into(), json!(mine(session)));
    let stores: Vec<Value> = session["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["type"] == "memory_store")
        .map(|r| json!({"type": "memory_store", "id": r["id"], "memory_store_id": r["memory_store_id"]}))
        .collect();
    item.insert("resources".into(), json!(stores));
    let usage = &session["usage"];
    item.insert(
        "usage".into(),
        json!({"input_tokens": usage["input_tokens"], "output_tokens": usage["output_tokens"]}),
    );
    Value::Object(item)
}

fn memory_store_item(store: &Value) -> Value {
    let mut item = only(
        store,
        &[
            "id",
            "type",
            "name",
            "resource_arn",
            "created_at",
            "updated_at",
            "archived_at",
        ],
    );
    item.insert("created_by_me".into(), json!(mine(store)));
    Value::Object(item)
}

/// Whether the caller of this request created `object`.
fn mine(object: &Value) -> bool {
    object.get("created_by").cloned().unwrap_or(Value::Null) == crate::bedrock::caller()
}

/// Adds `created_by` and `resource_arn` (null: none recorded) where missing.
fn identified(object: &mut Value) {
    for field in ["created_by", "resource_arn"] {
        if object.get(field).is_none() {
            object[field] = Value::Null;
        }
    }
}

fn agent(agent: &mut Value) {
    identified(agent);
}

fn session(session: &mut Value) {
    identified(session);
    if let Some(object) = session.as_object_mut() {
        object.remove("vault_ids");
        object.remove("deployment_id");
    }
    if let Some(agent) = session["agent"].as_object_mut() {
        agent.remove("execution_identity");
    }
}

fn memory_store(store: &mut Value) {
    identified(store);
    if store.get("backend").is_none() {
        store["backend"] = json!({"type": "managed"});
    }
    if store["description"].is_null() {
        store["description"] = json!("");
    }
}
