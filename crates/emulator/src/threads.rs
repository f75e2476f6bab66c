//! Sub-threads of multi-agent sessions: their objects (`session_thread`), which of their
//! events the session's own log also shows, and their status as their events report it.
//! The primary thread is not stored: it is derived from its session.

use crate::http::{new_id, now};
use crate::store::{Kind, Store};
use outrig_api::events::Event;
use serde_json::{json, Value};

/// The primary thread's id: the session's, with the thread prefix.
pub fn primary_id(session_id: &str) -> String {
    format!("sthr_{}", session_id.trim_start_matches("sesn_"))
}

/// Whether a sub-thread's event also appears in the session's log: its status events,
/// and the tool calls (and answers) the session's clients must see to answer them.
pub fn cross_posted(event: &Event) -> bool {
    matches!(
        event,
        Event::SessionThreadCreated(_)
            | Event::SessionThreadStatusRunning(_)
            | Event::SessionThreadStatusIdle(_)
            | Event::SessionThreadStatusRescheduled(_)
            | Event::SessionThreadStatusTerminated(_)
    ) || carries_thread_id(event)
}

/// Whether the event has a `session_thread_id` field (tool calls and their answers).
pub fn carries_thread_id(event: &Event) -> bool {
    matches!(
        event,
        Event::AgentCustomToolUse(_)
            | Event::AgentToolUse(_)
            | Event::AgentMcpToolUse(_)
            | Event::UserCustomToolResult(_)
            | Event::UserToolConfirmation(_)
            | Event::UserToolResult(_)
    )
}

/// A new sub-thread object for `agent` (a thread agent definition) under the primary.
pub fn object(session_id: &str, agent: &Value) -> Value {
    let at = now();
    json!({
        "type": "session_thread", "id": new_id("sthr"), "session_id": session_id,
        "status": "idle", "agent": agent, "parent_thread_id": primary_id(session_id),
        "workflow_run_id": null, "stats": null, "usage": null,
        "created_at": at, "updated_at": at, "archived_at": null,
    })
}

/// Keeps a sub-thread's `status` as its own status events say.
pub fn note_status(store: &Store, thread_id: &str, event: &Event) -> anyhow::Result<()> {
    let status = match event {
        Event::SessionThreadStatusRunning(_) => "running",
        Event::SessionThreadStatusIdle(_) => "idle",
        Event::SessionThreadStatusRescheduled(_) => "rescheduling",
        Event::SessionThreadStatusTerminated(_) => "terminated",
        _ => return Ok(()),
    };
    if let Some(mut thread) = store.get(Kind::Thread, thread_id, None)? {
        thread["status"] = json!(status);
        thread["updated_at"] = json!(now());
        store.put(Kind::Thread, thread_id, 0, &thread)?;
    }
    Ok(())
}

/// The sub-threads of a session, oldest first.
pub fn of_session(store: &Store, session_id: &str) -> anyhow::Result<Vec<Value>> {
    let mut threads: Vec<Value> = store
        .list(Kind::Thread)?
        .into_iter()
        .filter(|t| t["session_id"] == session_id)
        .collect();
    threads.reverse();
    Ok(threads)
}
