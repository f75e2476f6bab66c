//! Writing events: ids and timestamps, validation through `outrig-api` (the emulator never
//! emits anything the typed model rejects), storage, session status, fan-out, and the
//! webhooks they imply.

use crate::agent::Emission;
use crate::http::{new_id, now};
use crate::hub::SharedHub;
use crate::store::{EventRow, Kind, Store};
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
    /// Stores one typed event of a thread (`None`: the primary thread).
    pub fn emit_event(
        &self,
        session_id: &str,
        thread: Option<&str>,
        event: Event,
    ) -> anyhow::Result<()> {
        let thread = thread.map(str::to_owned);
        self.append(session_id, None, &[Emission { thread, event }], &[])
            .map(drop)
    }

    /// Stores events together (adding `id` and `processed_at` where missing), none of
    /// them unknown to the typed model but Bedrock's elicitation events; returns their ids.
    pub fn emit_all(
        &self,
        session_id: &str,
        events: Vec<(Option<String>, Value)>,
    ) -> anyhow::Result<Vec<String>> {
        let mut emissions = Vec::with_capacity(events.len());
        for (thread, mut event) in events {
            if event.get("id").is_none() {
                event["id"] = json!(new_id("sevt"));
            }
            if event.get("processed_at").is_none() {
                event["processed_at"] = json!(now());
            }
            let typed: Event = serde_json::from_value(event.clone())
                .map_err(|e| anyhow::anyhow!("emulator built an invalid event: {e}: {event}"))?;
            emissions.push(Emission {
                thread,
                event: typed,
            });
        }
        self.append(session_id, None, &emissions, &[])?;
        Ok(emissions
            .iter()
            .map(|e| e.event.id().unwrap_or_default().to_string())
            .collect())
    }

    /// Stores a batch of events with the sub-thread objects it starts, in one
    /// transaction, if the session's log still ends at `expected` (always, if `None`);
    /// returns whether it did. Then updates session and thread status and outcome
    /// evaluations as the events say, wakes the session's streams (sending previews of
    /// primary messages first) and sends the webhooks they imply.
    ///
    /// Thread status events, tool calls and their answers of a sub-thread are cross-posted
    /// to the session's own log, tool calls and answers marked with `session_thread_id`.
    pub fn append(
        &self,
        session_id: &str,
        expected: Option<i64>,
        emissions: &[Emission],
        threads: &[Value],
    ) -> anyhow::Result<bool> {
        let mut rows = Vec::with_capacity(emissions.len());
        for Emission { thread, event } in emissions {
            anyhow::ensure!(
                !matches!(event, Event::Unknown(raw) if !untyped_platform_event(raw)),
                "emulator built an unknown event: {}",
                serde_json::to_string(event)?
            );
            let mut json = serde_json::to_value(event)?;
            let cross_posted = thread.is_some() && crate::threads::cross_posted(event);
            if let (Some(thread), true) = (thread, crate::threads::carries_thread_id(event)) {
                json["session_thread_id"] = json!(thread);
            }
            rows.push(EventRow {
                thread: thread.clone(),
                cross_posted,
                json,
            });
        }
        let objects: Vec<(Kind, Value)> =
            threads.iter().map(|t| (Kind::Thread, t.clone())).collect();
        let appended =
            self.store
                .append_batch(session_id, expected, &objects, &rows, |seq, row| {
                    if row.thread.is_none() && row.json["type"] == "agent.message" {
                        self.preview(session_id, seq - 1, &row.json);
                    }
                })?;
        let Some(seqs) = appended else {
            return Ok(false);
        };
        for Emission { thread, event } in emissions {
            match thread {
                None => {
                    if let Some(status) = status_after(event) {
                        self.set_status(session_id, status)?;
                    }
                    self.note_outcome(session_id, event)?;
                }
                Some(thread) => crate::threads::note_status(&self.store, thread, event)?,
            }
        }
        if let Some(&last) = seqs.last() {
            self.hub.stored(session_id, last);
        }
        if let Some(webhooks) = &self.webhooks {
            for (Emission { event, .. }, row) in emissions.iter().zip(&rows) {
                if row.thread.is_none() || row.cross_posted {
                    webhooks.session_event(session_id, event);
                }
            }
        }
        Ok(true)
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

    /// The `event_start` / `event_delta` previews of an `agent.message`, for streams that
    /// asked for them, in order after the stored event `after`.
    fn preview(&self, session_id: &str, after: i64, message: &Value) {
        let id = &message["id"];
        self.hub.transient(
            session_id,
            after,
            json!({"type":"event_start","event":{"type":"agent.message","id":id}}),
        );
        let text = message["content"][0]["text"].as_str().unwrap_or_default();
        let chars: Vec<char> = text.chars().collect();
        for piece in chars.chunks(16) {
            let fragment: String = piece.iter().collect();
            self.hub.transient(session_id, after, json!({"type":"event_delta","event_id":id,
                "delta":{"type":"content_delta","content":{"type":"text","text":fragment},"index":0}}));
        }
    }

    /// The session's history as typed events.
    pub fn typed_history(&self, session_id: &str) -> anyhow::Result<Vec<Event>> {
        self.store
            .history(session_id)?
            .into_iter()
            .map(|stored| Ok(serde_json::from_value(stored.json)?))
            .collect()
    }

    /// Keeps the session's `outcome_evaluations` as the outcome events say: defined
    /// (`pending`), evaluating, and each iteration's result.
    fn note_outcome(&self, session_id: &str, event: &Event) -> anyhow::Result<()> {
        let (outcome_id, iteration, result, explanation) = match event {
            Event::UserDefineOutcome(defined) => (&defined.outcome_id, 0, "pending", None),
            Event::SpanOutcomeEvaluationStart(tick) => {
                (&tick.outcome_id, tick.iteration, "evaluating", None)
            }
            Event::SpanOutcomeEvaluationEnd(end) => (
                &end.outcome_id,
                end.iteration,
                end.result.as_str(),
                Some(end.explanation.as_str()),
            ),
            _ => return Ok(()),
        };
        let Some(mut session) = self.store.get(Kind::Session, session_id, None)? else {
            return Ok(());
        };
        let final_result = !matches!(
            result,
            "pending" | "running" | "evaluating" | "needs_revision"
        );
        let list = session["outcome_evaluations"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let mut list: Vec<Value> = list;
        let description = match event {
            Event::UserDefineOutcome(defined) => json!(defined.description),
            _ => list
                .iter()
                .find(|e| e["outcome_id"] == outcome_id.as_str())
                .map(|e| e["description"].clone())
                .unwrap_or(Value::Null),
        };
        let entry = json!({"type": "outcome_evaluation", "outcome_id": outcome_id, "description": description,
            "result": result, "iteration": iteration, "explanation": explanation,
            "completed_at": if final_result { json!(now()) } else { Value::Null }});
        match list
            .iter_mut()
            .find(|e| e["outcome_id"] == outcome_id.as_str())
        {
            Some(existing) => *existing = entry,
            None => list.push(entry),
        }
        session["outcome_evaluations"] = json!(list);
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

/// Bedrock's own events, which are not first-party event types: the only ones the emulator
/// stores untyped.
fn untyped_platform_event(raw: &Value) -> bool {
    raw["type"]
        .as_str()
        .is_some_and(|kind| outrig_api::bedrock::BedrockEvent::KNOWN_TYPES.contains(&kind))
}
