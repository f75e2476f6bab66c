//! `--replay FILE`: a recorded transcript (JSON lines of events, as `outrig events decode`
//! writes them) becomes the history of a new session, replayed to every stream opened on it.

use crate::http::{new_id, now};
use crate::store::{Kind, Store};
use outrig_api::events::Event;
use serde_json::json;
use std::path::Path;

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
