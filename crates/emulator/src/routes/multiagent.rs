//! An agent's `multiagent` roster (spec §4.7): request forms resolved to the response
//! form, where every agent reference is `{"type":"agent","id","version"}` to an agent that
//! exists, is not archived and has no roster of its own; and, on a session, each reference
//! expanded to the full definition of that agent version.

use crate::app::AppState;
use crate::http::{ApiFailure, ApiResult};
use crate::store::Kind;
use serde_json::{json, Value};

/// The agent being created or updated, which `{"type":"self"}` names.
pub struct SelfRef<'a> {
    /// Its id.
    pub id: &'a str,
    /// The version being written.
    pub version: i64,
}

/// Resolves a `multiagent` param; `stored` is the current roster on update (for merging).
pub fn resolve(state: &AppState, param: &Value, stored: &Value, me: &SelfRef) -> ApiResult<Value> {
    match param["type"].as_str() {
        _ if param.is_null() => Ok(Value::Null),
        Some("coordinator") => coordinator(state, param, me),
        Some("multiagent_20261001") => {
            let mut out = json!({"type": "multiagent_20261001"});
            let merging = stored["type"] == "multiagent_20261001";
            for key in ["advisor", "subagents", "workflows"] {
                out[key] = match param.get(key) {
                    None if merging => stored[key].clone(),
                    None | Some(Value::Null) => default_member(key),
                    Some(member) if key == "advisor" => advisor(member)?,
                    Some(member) => members(state, key, member, me)?,
                };
            }
            Ok(out)
        }
        _ => Err(ApiFailure::invalid(
            "`multiagent.type` must be `multiagent_20261001` or `coordinator`",
        )),
    }
}

fn default_member(key: &str) -> Value {
    match key {
        "advisor" => json!({"type": "disabled"}),
        _ => {
            json!({"type": "enabled", "inline_agents": {"type": "enabled"}, "predefined_agents": []})
        }
    }
}

fn advisor(member: &Value) -> ApiResult<Value> {
    match member["type"].as_str() {
        Some("disabled") => Ok(json!({"type": "disabled"})),
        Some("enabled") => match member["model"].as_str() {
            Some(model) if !model.is_empty() => Ok(json!({"type": "enabled", "model": model})),
            _ => Err(ApiFailure::invalid(
                "`multiagent.advisor.model` is required when enabled",
            )),
        },
        _ => Err(ApiFailure::invalid(
            "`multiagent.advisor.type` must be `enabled` or `disabled`",
        )),
    }
}

fn members(state: &AppState, key: &str, member: &Value, me: &SelfRef) -> ApiResult<Value> {
    match member["type"].as_str() {
        Some("disabled") => Ok(json!({"type": "disabled"})),
        Some("enabled") => {
            let inline = match member["inline_agents"]["type"].as_str() {
                None => "enabled",
                Some(t @ ("enabled" | "disabled")) => t,
                Some(_) => {
                    return Err(ApiFailure::invalid(format!(
                        "`multiagent.{key}.inline_agents.type` must be `enabled` or `disabled`"
                    )))
                }
            };
            let given = member["predefined_agents"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if given.len() > 20 {
                return Err(ApiFailure::invalid(format!(
                    "`multiagent.{key}.predefined_agents`: at most 20 agents"
                )));
            }
            if inline == "disabled" && given.is_empty() {
                return Err(ApiFailure::invalid(format!(
                    "`multiagent.{key}`: with inline agents disabled, `predefined_agents` must not be empty"
                )));
            }
            let predefined = given
                .iter()
                .map(|r| reference(state, r, me))
                .collect::<ApiResult<Vec<_>>>()?;
            Ok(
                json!({"type": "enabled", "inline_agents": {"type": inline}, "predefined_agents": predefined}),
            )
        }
        _ => Err(ApiFailure::invalid(format!(
            "`multiagent.{key}.type` must be `enabled` or `disabled`"
        ))),
    }
}

fn coordinator(state: &AppState, param: &Value, me: &SelfRef) -> ApiResult<Value> {
    let agents = param["agents"].as_array().cloned().unwrap_or_default();
    if agents.is_empty() || agents.len() > 20 {
        return Err(ApiFailure::invalid(
            "`multiagent.agents` must hold 1 to 20 entries",
        ));
    }
    let count = |t: &str| agents.iter().filter(|a| a["type"] == t).count();
    if count("self") > 1 || count("advisor") > 1 {
        return Err(ApiFailure::invalid(
            "`multiagent.agents` may name `self` and `advisor` at most once each",
        ));
    }
    let resolved = agents
        .iter()
        .map(|entry| match entry["type"].as_str() {
            Some("advisor") => match entry["model"].as_str() {
                Some(model) if !model.is_empty() => Ok(json!({"type": "advisor", "model": model})),
                _ => Err(ApiFailure::invalid(
                    "`multiagent.agents[]`: an advisor needs a `model`",
                )),
            },
            _ => reference(state, entry, me),
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(json!({"type": "coordinator", "agents": resolved}))
}

/// An agent id string, `{"type":"agent","id","version"?}` or `{"type":"self"}`, resolved.
fn reference(state: &AppState, entry: &Value, me: &SelfRef) -> ApiResult<Value> {
    let (id, version) = match entry {
        Value::String(id) => (id.as_str(), None),
        Value::Object(o) => match o.get("type").and_then(Value::as_str) {
            Some("self") => return Ok(json!({"type": "agent", "id": me.id, "version": me.version})),
            Some("agent") => (
                o.get("id").and_then(Value::as_str).unwrap_or_default(),
                o.get("version").and_then(Value::as_i64),
            ),
            _ => return Err(ApiFailure::invalid("a roster entry must be an agent id, `{\"type\":\"agent\",\"id\"}` or `{\"type\":\"self\"}`")),
        },
        _ => return Err(ApiFailure::invalid("a roster entry must be an agent id or a reference object")),
    };
    if id == me.id {
        return Ok(json!({"type": "agent", "id": me.id, "version": version.unwrap_or(me.version)}));
    }
    let agent = state
        .store
        .get(Kind::Agent, id, version)?
        .ok_or_else(|| ApiFailure::not_found("agent", id))?;
    let latest = state.store.get(Kind::Agent, id, None)?.unwrap_or_default();
    if !latest["archived_at"].is_null() {
        return Err(ApiFailure::invalid(format!(
            "roster agent `{id}` is archived"
        )));
    }
    if !agent["multiagent"].is_null() {
        return Err(ApiFailure::invalid(format!(
            "roster agent `{id}` has a multiagent roster itself; rosters are one level deep"
        )));
    }
    Ok(json!({"type": "agent", "id": id, "version": agent["version"]}))
}

/// A session's copy of a roster: each reference replaced by that agent version's
/// definition (without metadata, timestamps or roster); `me` is the session's own agent.
pub fn expand(state: &AppState, roster: &Value, me: &Value) -> ApiResult<Value> {
    let mut roster = roster.clone();
    let expand_one = |reference: &Value| -> ApiResult<Value> {
        if reference["type"] != "agent" {
            return Ok(reference.clone());
        }
        let id = reference["id"].as_str().unwrap_or_default();
        let agent = if id == me["id"] {
            me.clone()
        } else {
            state
                .store
                .get(Kind::Agent, id, reference["version"].as_i64())?
                .ok_or_else(|| ApiFailure::not_found("agent", id))?
        };
        Ok(thread_agent(&agent))
    };
    if let Some(agents) = roster["agents"].as_array_mut() {
        for entry in agents.iter_mut() {
            *entry = expand_one(entry)?;
        }
    }
    for key in ["subagents", "workflows"] {
        if let Some(list) = roster[key]["predefined_agents"].as_array_mut() {
            for entry in list.iter_mut() {
                *entry = expand_one(entry)?;
            }
        }
    }
    Ok(roster)
}

/// An agent as a thread runs it: no metadata, timestamps or roster.
pub fn thread_agent(agent: &Value) -> Value {
    let mut agent = agent.clone();
    if let Some(fields) = agent.as_object_mut() {
        for key in [
            "metadata",
            "created_at",
            "updated_at",
            "archived_at",
            "multiagent",
        ] {
            fields.remove(key);
        }
    }
    agent
}
