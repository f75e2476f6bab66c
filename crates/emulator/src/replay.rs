//! `--replay FILE`: a recorded transcript (JSON lines of events, as `outrig events decode`
//! writes them) becomes the history of a new session, replayed to every stream opened on it.
//! `--replay DIR`: a recording (`--record`, see [`crate::record`]) gives back its agents,
//! environments and sessions with their ids, and each session's events in order; streams
//! opened on them replay the events at their recorded pace (scaled by the delay scale).

use crate::http::{new_id, now};
use crate::store::{Kind, Store};
use outrig_api::events::Event;
use serde_json::json;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// The sessions a recording gave back: for each, every event's milliseconds after the
/// first one, by event id.
pub type Pacing = HashMap<String, Arc<HashMap<String, u64>>>;

/// Loads a recording directory into `store`; returns its sessions' pacing.
pub fn load_recording(store: &Store, dir: &Path) -> anyhow::Result<Pacing> {
    let read = |path: &Path| {
        std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
    };
    let objects = dir.join("objects.jsonl");
    let mut sessions = Vec::new();
    for (n, line) in read(&objects)?.lines().enumerate() {
        let object: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| anyhow::anyhow!("{} line {}: {e}", objects.display(), n + 1))?;
        let id = object["id"].as_str().unwrap_or_default();
        match object["type"].as_str() {
            Some("agent") => {
                let version = object["version"].as_i64().unwrap_or(1);
                store.put(Kind::Agent, id, version, &object)?
            }
            Some("environment") => store.put(Kind::Environment, id, 0, &object)?,
            Some("session") => {
                store.put(Kind::Session, id, 0, &object)?;
                sessions.push(id.to_string());
            }
            _ => {}
        }
    }
    sessions.sort();
    sessions.dedup();
    let mut pacing = Pacing::new();
    for session in sessions {
        let path = crate::record::transcript_path(dir, &session);
        let mut after = HashMap::new();
        if path.exists() {
            for (n, line) in read(&path)?.lines().enumerate() {
                let entry: serde_json::Value = serde_json::from_str(line)
                    .map_err(|e| anyhow::anyhow!("{} line {}: {e}", path.display(), n + 1))?;
                let event = &entry["event"];
                let id = event["id"].as_str().ok_or_else(|| {
                    anyhow::anyhow!("{} line {}: an event without an id", path.display(), n + 1)
                })?;
                after.insert(id.to_string(), entry["after_ms"].as_u64().unwrap_or(0));
                store.append_event(&session, event)?;
            }
        }
        pacing.insert(session, Arc::new(after));
    }
    Ok(pacing)
}

/// Creates the replay agent, environment and session; returns the session id.
pub fn load(store: &Store, path: &Path) -> anyhow::Result<String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let at = now();
    let agent = json!({"type":"agent","id":new_id("agent"),"version":1,"name":"replay","description":null,"system":null,
        "model":{"id":"replay"},"tools":[],"mcp_servers":[],"skills":[],"multiagent":null,
        "execution_identity":{"type":"service_account"},"metadata":{},"created_at":at,"updated_at":at,"archived_at":null});
    let environment = json!({"type":"environment","id":new_id("env"),"name":"replay","description":null,
        "config":{"type":"self_hosted"},"metadata":{},"scope":"organization","created_at":at,"updated_at":at,"archived_at":null});
    let session_id = new_id("sesn");
    let mut snapshot = agent.clone();
    for key in ["metadata", "created_at", "updated_at", "archived_at"] {
        snapshot.as_object_mut().expect("object").remove(key);
    }
    let session = json!({"type":"session","id":session_id,"status":"idle","title":format!("replay of {}", path.display()),
        "environment_id":environment["id"],"agent":snapshot,"resources":[],"metadata":{"outrig_replay":"true"},
        "vault_ids":[],"budget":null,"usage":{},"stats":{},"outcome_evaluations":[],"created_at":at,"updated_at":at,"archived_at":null});
    store.put(Kind::Agent, agent["id"].as_str().expect("id"), 1, &agent)?;
    store.put(
        Kind::Environment,
        environment["id"].as_str().expect("id"),
        0,
        &environment,
    )?;
    store.put(Kind::Session, &session_id, 0, &session)?;
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let event: Event = serde_json::from_str(line)
            .map_err(|e| anyhow::anyhow!("{} line {}: {e}", path.display(), n + 1))?;
        if event.is_preview() {
            continue;
        }
        let mut value = serde_json::to_value(&event)?;
        if value.get("id").is_none() {
            value["id"] = json!(new_id("sevt"));
        }
        store.append_event(&session_id, &value)?;
    }
    Ok(session_id)
}
