//! Writing events: ids and timestamps, validation through `outrig-api` (the emulator never
//! emits anything the typed model rejects), storage, session status, fan-out, and the
//! webhooks they imply.

use crate::http::{new_id, now};
use crate::hub::SharedHub;
use crate::store::{Kind, Store};
use outrig_api::events::Event;
use serde_json::{json, Value};
use std::sync::Arc;

/// Emits events into sessions.
pub struct Emitter {
    /// The database.
    pub store: Arc<Store>,
    /// Stream fan-out.
    pub hub: SharedHub,
    /// Webhook deliveries, when configured.
    pub webhooks: Option<Arc<crate::webhooks::WebhookSender>>,
}

impl Emitter {
    /// Stores one event (adding `id` and `processed_at`), updates the session's status,
    /// wakes its streams; returns the new id.
    pub fn emit(&self, session_id: &str, event: Value) -> anyhow::Result<String> {
        self.emit_in(session_id, None, event)
    }

    /// Stores one event of a sub-thread (`None`: the primary thread). Thread status events,
    /// tool calls and their answers are cross-posted to the session's own log, tool calls
    /// and answers marked with `session_thread_id`; a thread's status events update it.
    pub fn emit_in(
        &self,
        session_id: &str,
        thread: Option<&str>,
        mut event: Value,
    ) -> anyhow::Result<String> {
        let id = match event.get("id").and_then(Value::as_str) {
            Some(id) => id.to_string(),
            None => new_id("sevt"),
        };
        event["id"] = json!(id);
        if event.get("processed_at").is_none() {
            event["processed_at"] = json!(now());
        }
        let typed: Event = serde_json::from_value(event.clone())
            .map_err(|e| anyhow::anyhow!("emulator built an invalid event: {e}: {event}"))?;
        anyhow::ensure!(
            !matches!(typed, Event::Unknown(_)),
            "emulator built an unknown event: {event}"
        );
        let cross_posted = thread.is_some() && crate::threads::cross_posted(&typed);
        if let (Some(thread), true) = (thread, crate::threads::carries_thread_id(&typed)) {
            event["session_thread_id"] = json!(thread);
        }
        let seq = self
            .store
            .append_thread_event(session_id, thread, cross_posted, &event)?;
        match thread {
            None => {
                if let Some(status) = status_after(&typed) {
                    self.set_status(session_id, status)?;
                }
            }
            Some(thread) => crate::threads::note_status(&self.store, thread, &typed)?,
        }
        self.hub.stored(session_id, seq);
        if let Some(webhooks) = &self.webhooks {
            if thread.is_none() || cross_posted {
                webhooks.session_event(session_id, &typed);
            }
        }
        Ok(id)
    }

    /// Sends a lifecycle webhook (`session.created`, `session.archived`, `session.deleted`),
    /// if webhooks are configured.
    pub fn lifecycle_webhook(&self, session_id: &str, kind: &'static str) {
        if let Some(webhooks) = &self.webhooks {
            webhooks.session_lifecycle(session_id, kind);
        }
    }

    /// Sends the webhook about a resource (`vault.created`, `deployment.paused`…), if
    /// webhooks are configured; `extra` is the parent id field some types carry.
    pub fn resource_webhook(&self, kind: &str, object: &Value, extra: Option<(&str, &str)>) {
        if let Some(webhooks) = &self.webhooks {
            webhooks.send(kind, object["id"].as_str().unwrap_or_default(), extra);
        }
    }

    /// Emits an `agent.message`, preceded by `event_start`/`event_delta` previews for streams
    /// that asked for them.
    pub fn emit_message(&self, session_id: &str, text: &str) -> anyhow::Result<()> {
        let id = new_id("sevt");
        let after = *self.hub.channels(session_id).stored.borrow();
        self.hub.transient(
            session_id,
            after,
            json!({"type":"event_start","event":{"type":"agent.message","id":id}}),
        );
        let chars: Vec<char> = text.chars().collect();
        for piece in chars.chunks(16) {
            let fragment: String = piece.iter().collect();
            self.hub.transient(session_id, after, json!({"type":"event_delta","event_id":id,
                "delta":{"type":"content_delta","content":{"type":"text","text":fragment},"index":0}}));
        }
        self.emit(
            session_id,
            json!({"type":"agent.message","id":id,"content":[{"type":"text","text":text}]}),
        )?;
        Ok(())
    }

    /// The session's history as typed events.
    pub fn typed_history(&self, session_id: &str) -> anyhow::Result<Vec<Event>> {
        self.store
            .history(session_id)?
            .into_iter()
            .map(|stored| Ok(serde_json::from_value(stored.json)?))
            .collect()
    }

    /// Names of the custom tools of the session's agent snapshot.
    pub fn custom_tool_names(&self, session_id: &str) -> anyhow::Result<Vec<String>> {
        let session = self
            .store
            .get(Kind::Session, session_id, None)?
            .unwrap_or_default();
        Ok(session["agent"]["tools"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|t| t["type"] == "custom")
            .filter_map(|t| t["name"].as_str().map(str::to_owned))
            .collect())
    }

    /// `metadata.scenario` of the session's agent, if set.
    pub fn scenario_name(&self, session_id: &str) -> Option<String> {
        let session = self.store.get(Kind::Session, session_id, None).ok()??;
        let agent_id = session["agent"]["id"].as_str()?;
        let agent = self.store.get(Kind::Agent, agent_id, None).ok()??;
        agent["metadata"]["scenario"].as_str().map(str::to_owned)
    }

    /// Sets the session's `outcome_evaluations` entry for an outcome.
    pub fn record_outcome(
        &self,
        session_id: &str,
        outcome_id: &str,
        description: &str,
        iteration: i64,
        result: &str,
        explanation: Option<&str>,
    ) -> anyhow::Result<()> {
        let Some(mut session) = self.store.get(Kind::Session, session_id, None)? else {
            return Ok(());
        };
        let final_result = !matches!(
            result,
            "pending" | "running" | "evaluating" | "needs_revision"
        );
        let entry = json!({"type": "outcome_evaluation", "outcome_id": outcome_id, "description": description,
            "result": result, "iteration": iteration, "explanation": explanation,
            "completed_at": if final_result { json!(now()) } else { Value::Null }});
        let list = session["outcome_evaluations"].as_array_mut();
        match list {
            Some(list) => match list.iter_mut().find(|e| e["outcome_id"] == outcome_id) {
                Some(existing) => *existing = entry,
                None => list.push(entry),
            },
            None => session["outcome_evaluations"] = json!([entry]),
        }
        self.store.put(Kind::Session, session_id, 0, &session)
    }

    fn set_status(&self, session_id: &str, status: &str) -> anyhow::Result<()> {
        if let Some(mut session) = self.store.get(Kind::Session, session_id, None)? {
            if session["status"] != "terminated" || status == "terminated" {
                session["status"] = json!(status);
                session["updated_at"] = json!(now());
                self.store.put(Kind::Session, session_id, 0, &session)?;
            }
        }
        Ok(())
    }
}

fn status_after(event: &Event) -> Option<&'static str> {
    match event {
        Event::SessionStatusRunning(_) => Some("running"),
        Event::SessionStatusIdle(_) => Some("idle"),
        Event::SessionStatusRescheduled(_) => Some("rescheduling"),
        Event::SessionStatusTerminated(_) => Some("terminated"),
        _ => None,
    }
}
