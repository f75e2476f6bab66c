//! Session bookkeeping as a pure state machine: fed events in order, it tracks status,
//! which calls await the client, and which events were already seen (spec §9.3, §11).
//!
//! A call the client answers goes through three states here: *pending* (the agent asked;
//! [`SessionState::pending_custom_tool_uses`] lists it), *dispatched* (a runner took it:
//! never handed out again), and *settled*: the API accepted its answer
//! ([`SessionState::answer_accepted`]), said it no longer awaits one
//! ([`SessionState::answer_refused`], e.g. answered elsewhere), or its answer appeared in
//! the stream. Only settled calls leave [`SessionState::awaited_event_ids`].

use crate::events::{AgentCustomToolUse, Event, StopReason};
use crate::objects::SessionStatus;
use std::collections::{BTreeMap, HashSet};

/// What feeding one event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// First time this event id was seen.
    New,
    /// Already seen (e.g. replayed by a backfill after a reconnect): ignore it.
    Duplicate,
}

/// The client's view of one session.
#[derive(Debug, Default, Clone)]
pub struct SessionState {
    status: Option<SessionStatus>,
    last_stop: Option<StopReason>,
    seen: HashSet<String>,
    pending_tools: BTreeMap<String, AgentCustomToolUse>,
    pending_confirmations: BTreeMap<String, Event>,
    dispatched: HashSet<String>,
    settled: HashSet<String>,
    awaited_ids: Vec<String>,
}

impl SessionState {
    /// A state for a session about which nothing is known yet.
    pub fn new() -> Self {
        SessionState::default()
    }

    /// A state fed with `events` in order (e.g. a session's history).
    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a Event>) -> Self {
        let mut state = SessionState::new();
        for event in events {
            state.apply(event);
        }
        state
    }

    /// Feeds one event. Preview events change nothing and are never duplicates.
    pub fn apply(&mut self, event: &Event) -> Applied {
        if let Some(id) = event.id() {
            if !self.seen.insert(id.to_string()) {
                return Applied::Duplicate;
            }
        }
        match event {
            Event::AgentCustomToolUse(call) if self.is_open(&call.id) => {
                self.pending_tools.insert(call.id.clone(), call.clone());
            }
            Event::AgentToolUse(call)
                if call.evaluated_permission.as_deref() == Some("ask")
                    && self.is_open(&call.id) =>
            {
                self.pending_confirmations
                    .insert(call.id.clone(), event.clone());
            }
            Event::AgentMcpToolUse(call)
                if call.evaluated_permission.as_deref() == Some("ask")
                    && self.is_open(&call.id) =>
            {
                self.pending_confirmations
                    .insert(call.id.clone(), event.clone());
            }
            Event::UserCustomToolResult(result) => self.resolve(&result.custom_tool_use_id),
            Event::UserToolConfirmation(answer) => self.resolve(&answer.tool_use_id),
            Event::UserToolResult(result) => self.resolve(&result.tool_use_id),
            Event::SessionStatusRunning(_) => self.status = Some(SessionStatus::Running),
            Event::SessionStatusRescheduled(_) => self.status = Some(SessionStatus::Rescheduling),
            Event::SessionStatusIdle(idle) => {
                self.status = Some(SessionStatus::Idle);
                self.awaited_ids = match &idle.stop_reason {
                    StopReason::RequiresAction(action) => action.event_ids.clone(),
                    _ => Vec::new(),
                };
                if idle.stop_reason.ends_turn() {
                    self.pending_tools.clear();
                    self.pending_confirmations.clear();
                }
                self.last_stop = Some(idle.stop_reason.clone());
            }
            Event::SessionStatusTerminated(_) | Event::SessionDeleted(_) => {
                self.status = Some(SessionStatus::Terminated);
                self.pending_tools.clear();
                self.pending_confirmations.clear();
                self.awaited_ids.clear();
            }
            _ => {}
        }
        Applied::New
    }

    /// Records that a runner took the call (or confirmation) `event_id`: it is never
    /// listed as pending again, even when a backfill replays it. It still awaits an answer
    /// until settled.
    pub fn mark_dispatched(&mut self, event_id: &str) {
        self.dispatched.insert(event_id.to_string());
        self.pending_tools.remove(event_id);
        self.pending_confirmations.remove(event_id);
    }

    /// The API accepted the answer to `event_id`: settled.
    pub fn answer_accepted(&mut self, event_id: &str) {
        self.resolve(event_id);
    }

    /// The API refused the answer because it no longer awaits one (answered elsewhere, or
    /// the turn moved on): settled.
    pub fn answer_refused(&mut self, event_id: &str) {
        self.resolve(event_id);
    }

    /// Whether `event_id` was dispatched and is not settled yet.
    pub fn is_dispatched(&self, event_id: &str) -> bool {
        self.dispatched.contains(event_id)
    }

    /// Whether the answer to `event_id` was accepted, refused or seen in the stream.
    pub fn is_settled(&self, event_id: &str) -> bool {
        self.settled.contains(event_id)
    }

    /// Custom tool calls awaiting a `user.custom_tool_result` that no runner took yet,
    /// oldest id first.
    pub fn pending_custom_tool_uses(&self) -> impl Iterator<Item = &AgentCustomToolUse> {
        self.pending_tools.values()
    }

    /// Built-in/MCP tool calls awaiting a `user.tool_confirmation`.
    pub fn pending_confirmations(&self) -> impl Iterator<Item = &Event> {
        self.pending_confirmations.values()
    }

    /// Ids listed by the latest `requires_action` minus those settled since.
    pub fn awaited_event_ids(&self) -> Vec<&str> {
        self.awaited_ids
            .iter()
            .filter(|id| !self.settled.contains(*id))
            .map(String::as_str)
            .collect()
    }

    /// Last known status (`None` before any status event).
    pub fn status(&self) -> Option<SessionStatus> {
        self.status
    }

    /// Stop reason of the latest `session.status_idle`.
    pub fn last_stop_reason(&self) -> Option<&StopReason> {
        self.last_stop.as_ref()
    }

    /// Whether the event id was seen.
    pub fn has_seen(&self, event_id: &str) -> bool {
        self.seen.contains(event_id)
    }

    /// Number of distinct events seen.
    pub fn seen_count(&self) -> usize {
        self.seen.len()
    }

    fn is_open(&self, event_id: &str) -> bool {
        !self.settled.contains(event_id) && !self.dispatched.contains(event_id)
    }

    fn resolve(&mut self, event_id: &str) {
        self.settled.insert(event_id.to_string());
        self.dispatched.remove(event_id);
        self.pending_tools.remove(event_id);
        self.pending_confirmations.remove(event_id);
        self.awaited_ids.retain(|id| id != event_id);
    }
}
