//! `/v1/sessions/{id}/events`: send (validated against what the session awaits), list
//! (filters, order, pages) and the live SSE stream with optional previews.

use super::{page, pairs};
use crate::app::AppState;
use crate::http::{new_id, now, parse_body, ApiFailure, ApiResult, Window};
use crate::hub::Transient;
use crate::routes::{environments, sessions};
use crate::store::View;
use crate::validate;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::Json;
use futures_util::Stream;
use outrig_api::content::ContentBlock;
use outrig_api::events::Event;
use outrig_api::request::{query_array, query_value};
use outrig_api::send::{SendEvent, SendEventsBody};
use outrig_api::state::Work;
use outrig_api::SessionState;
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// `POST /v1/sessions/{id}/events`
pub async fn send(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let body: SendEventsBody = parse_body(&body)?;
    let echoes = accept(&state, &id, body.events)?;
    Ok(Json(json!({ "data": echoes })))
}

/// Validates a batch of sent events, stores their echoes and hands them to the agent.
pub fn accept(state: &AppState, session_id: &str, events: Vec<SendEvent>) -> ApiResult<Vec<Value>> {
    let session = sessions::load(state, session_id)?;
    if session["status"] == "terminated" {
        return Err(ApiFailure::invalid(format!(
            "session `{session_id}` is terminated and accepts no input"
        )));
    }
    if events.is_empty() {
        return Err(ApiFailure::invalid(
            "`events` must contain at least one event",
        ));
    }
    if let Some(environment) = state.store.get(
        crate::store::Kind::Environment,
        session["environment_id"].as_str().unwrap_or_default(),
        None,
    )? {
        super::work::enqueue(state, &environment, session_id)?;
    }
    let history = state.emitter.typed_history(session_id)?;
    let awaiting = SessionState::from_events(&history);
    let custom_calls: Vec<&str> = awaiting
        .pending_custom_tool_uses()
        .map(|c| c.id.as_str())
        .collect();
    let confirmations: Vec<&str> = awaiting
        .pending()
        .filter(|w| matches!(w, Work::Confirm(_)))
        .map(Work::id)
        .collect();
    let builtin_calls: Vec<&str> = awaiting
        .pending()
        .filter(|w| matches!(w, Work::Builtin(_)))
        .map(Work::id)
        .collect();
    let mut answered = std::collections::HashSet::new();
    let (elicitations, elicitations_answered) = elicitations(&history);
    let mut unapplied = std::collections::HashSet::new();
    let mut plan = Vec::new();
    for (i, event) in events.iter().enumerate() {
        let at = |message: String| {
            ApiFailure::invalid(format!("`events[{i}]` ({}): {message}", event.type_name()))
        };
        let outcome = match event {
            SendEvent::UserMessage(message) => {
                check_blocks(&message.content, false).map_err(at)?;
                None
            }
            SendEvent::UserCustomToolResult(result) => {
                let id = &result.custom_tool_use_id;
                if !custom_calls.contains(&id.as_str()) || !answered.insert(id.clone()) {
                    return Err(at(format!("`custom_tool_use_id` `{id}` does not name an agent.custom_tool_use awaiting a result")));
                }
                let content = result.content.as_deref().unwrap_or_default();
                check_blocks(content, true).map_err(at)?;
                None
            }
            SendEvent::UserToolConfirmation(answer) => {
                let id = &answer.tool_use_id;
                if !confirmations.contains(&id.as_str()) || !answered.insert(id.clone()) {
                    return Err(at(format!(
                        "`tool_use_id` `{id}` does not name a tool call awaiting confirmation"
                    )));
                }
                let allow = match answer.result.as_str() {
                    "allow" => true,
                    "deny" => false,
                    other => {
                        return Err(at(format!(
                            "`result` must be `allow` or `deny`, got `{other}`"
                        )))
                    }
                };
                if allow && answer.deny_message.is_some() {
                    return Err(at(
                        "`deny_message` is only allowed with `result: deny`".into()
                    ));
                }
                None
            }
            SendEvent::UserToolResult(result) => {
                let environment = environments::load(
                    state,
                    session["environment_id"].as_str().unwrap_or_default(),
                )?;
                if environment["config"]["type"] != "self_hosted" {
                    return Err(at("`user.tool_result` is only accepted in sessions on self-hosted environments".into()));
                }
                let id = &result.tool_use_id;
                if !builtin_calls.contains(&id.as_str()) || !answered.insert(id.clone()) {
                    return Err(at(format!(
                        "`tool_use_id` `{id}` does not name an agent.tool_use awaiting a result"
                    )));
                }
                let content = result.content.as_deref().unwrap_or_default();
                check_blocks(content, true).map_err(at)?;
                None
            }
            SendEvent::UserInterrupt(_) => None,
            SendEvent::UserDefineOutcome(outcome) => {
                validate::non_empty("description", &outcome.description)
                    .map_err(|e| at(e.message))?;
                if outcome
                    .max_iterations
                    .flatten()
                    .is_some_and(|n| !(1..=20).contains(&n))
                {
                    return Err(at("`max_iterations` must be between 1 and 20".into()));
                }
                Some((
                    new_id("outc"),
                    outcome.max_iterations.flatten().unwrap_or(3),
                ))
            }
            SendEvent::SystemMessage(message) => {
                let follows = i > 0
                    && matches!(
                        events[i - 1],
                        SendEvent::UserMessage(_)
                            | SendEvent::UserToolResult(_)
                            | SendEvent::UserCustomToolResult(_)
                    );
                if i + 1 != events.len() || !follows {
                    return Err(at("a system.message must be the last event and follow a user.message, user.tool_result or user.custom_tool_result".into()));
                }
                if message
                    .content
                    .iter()
                    .any(|b| !matches!(b, ContentBlock::Text(_)))
                {
                    return Err(at(
                        "`content` of a system.message may only hold text blocks".into(),
                    ));
                }
                None
            }
            SendEvent::Unknown(raw)
                if state.config.bedrock.is_some()
                    && raw["type"] == "user.mcp_elicitation_response" =>
            {
                let id = raw["mcp_elicitation_id"].as_str().unwrap_or_default();
                if !elicitations.iter().any(|e| e == id) {
                    return Err(ApiFailure::invalid(format!(
                        "`events[{i}]`: no MCP elicitation `{id}` in this session"
                    ))
                    .code("mcp_elicitation_not_found"));
                }
                if !matches!(
                    raw["response"]["type"].as_str(),
                    Some("accept" | "decline" | "cancel")
                ) {
                    return Err(at(
                        "`response` must be `{\"type\":\"accept\"}`, `decline` or `cancel`".into(),
                    ));
                }
                // Only the first answer is applied; later ones are answered, not kept.
                if !answered.insert(id.to_string()) || elicitations_answered.iter().any(|e| e == id)
                {
                    unapplied.insert(i);
                }
                None
            }
            SendEvent::Unknown(raw) => {
                return Err(at(format!(
                    "unknown event type {}; expected one of {}",
                    raw.get("type").map(|t| t.to_string()).unwrap_or_default(),
                    SendEvent::KNOWN_TYPES.join(", ")
                )))
            }
        };
        plan.push(outcome);
    }
    // Answers to a sub-thread's calls are routed to (and shown in) that thread.
    let call_threads: std::collections::HashMap<&str, String> = history
        .iter()
        .filter_map(|e| match e {
            Event::AgentCustomToolUse(c) => Some((c.id.as_str(), c.session_thread_id.clone()?)),
            Event::AgentToolUse(c) => Some((c.id.as_str(), c.session_thread_id.clone()?)),
            _ => None,
        })
        .filter_map(|(id, thread)| Some((id, thread?)))
        .collect();
    let mut echoes = Vec::new();
    let mut sent = Vec::new();
    for (i, (event, outcome)) in events.iter().zip(plan).enumerate() {
        let mut echo = serde_json::to_value(event).expect("send events serialise");
        echo["id"] = json!(new_id("sevt"));
        if state.config.bedrock.is_some() {
            echo["sent_by"] = crate::bedrock::caller();
        }
        if matches!(event, SendEvent::Unknown(_)) {
            // An elicitation answer: applied after the send, so its echo has no time yet.
            echo["processed_at"] = Value::Null;
            echo["session_thread_id"] = Value::Null;
            sent.push(echo.clone());
            if unapplied.contains(&i) {
                continue;
            }
        }
        echo["processed_at"] = json!(now());
        if let Some((outcome_id, max_iterations)) = &outcome {
            echo["outcome_id"] = json!(outcome_id);
            echo["max_iterations"] = json!(max_iterations);
        }
        let answered_call = match event {
            SendEvent::UserCustomToolResult(r) => Some(r.custom_tool_use_id.as_str()),
            SendEvent::UserToolConfirmation(c) => Some(c.tool_use_id.as_str()),
            SendEvent::UserToolResult(r) => Some(r.tool_use_id.as_str()),
            _ => None,
        };
        let thread = answered_call
            .and_then(|id| call_threads.get(id))
            .map(String::as_str);
        if let Some(thread) = thread {
            echo["session_thread_id"] = json!(thread);
        }
        if !matches!(event, SendEvent::Unknown(_)) {
            sent.push(echo.clone());
        }
        echoes.push((thread.map(str::to_owned), echo));
    }
    // Stored together, so the agent takes answers sent in one request together.
    state.emitter.emit_all(session_id, echoes)?;
    state.engine.attach(session_id);
    Ok(sent)
}

/// The ids of a history's `agent.mcp_elicitation` events, and of those already answered.
fn elicitations(history: &[Event]) -> (Vec<String>, Vec<String>) {
    let ids = |kind: &str, field: &str| -> Vec<String> {
        history
            .iter()
            .filter_map(|e| match e {
                Event::Unknown(raw) if raw["type"] == kind => raw[field].as_str().map(String::from),
                _ => None,
            })
            .collect()
    };
    (
        ids("agent.mcp_elicitation", "id"),
        ids("user.mcp_elicitation_response", "mcp_elicitation_id"),
    )
}

fn check_blocks(content: &[ContentBlock], tool_result: bool) -> Result<(), String> {
    for (i, block) in content.iter().enumerate() {
        match block {
            ContentBlock::Text(_) | ContentBlock::Image(_) | ContentBlock::Document(_) => {}
            ContentBlock::SearchResult(_) if tool_result => {}
            ContentBlock::Redacted(_) if !tool_result => {}
            other => {
                return Err(format!(
                    "`content[{i}]`: block type `{}` is not allowed here",
                    other.type_name()
                ))
            }
        }
    }
    Ok(())
}

/// `GET /v1/sessions/{id}/events`
pub async fn list(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: RawQuery,
) -> ApiResult<Json<Value>> {
    sessions::load(&state, &id)?;
    list_events(&state, &id, View::Primary, &pairs(&query))
}

/// Filters, orders and pages what a view of a session's history shows.
pub fn list_events(
    state: &AppState,
    id: &str,
    view: View,
    pairs: &[(String, String)],
) -> ApiResult<Json<Value>> {
    let window = Window::from_pairs(pairs, 100, 1000)?;
    let types = query_array(pairs, "types");
    let in_range = validate::created_at_filter(pairs, "processed_at")?;
    let mut items: Vec<Value> = state
        .store
        .view_after(id, view, 0, i64::MAX)?
        .into_iter()
        .map(|stored| stored.json)
        .filter(|e| types.is_empty() || types.iter().any(|t| e["type"] == t.as_str()))
        .filter(|e| in_range(e))
        .collect();
    if !crate::validate::ascending(query_value(pairs, "order"), true)? {
        items.reverse();
    }
    let (data, next, _) = window.apply(&items);
    Ok(page(data, next))
}

/// `GET /v1/sessions/{id}/events/stream`
pub async fn stream(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: RawQuery,
) -> ApiResult<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>> {
    open_stream(state, id, None, &pairs(&query))
}

/// Opens a live stream of a session or its primary thread (`thread: None`), or of one
/// sub-thread.
pub fn open_stream(
    state: AppState,
    id: String,
    thread: Option<String>,
    pairs: &[(String, String)],
) -> ApiResult<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>> {
    let session = sessions::load(&state, &id)?;
    let deltas = query_array(pairs, "event_deltas");
    if let Some(bad) = deltas
        .iter()
        .find(|d| !["agent.message", "agent.thinking"].contains(&d.as_str()))
    {
        return Err(ApiFailure::invalid(format!(
            "`event_deltas[]`: `{bad}` cannot be previewed"
        )));
    }
    let channels = state.emitter.hub.channels(&id);
    // A replayed recording is served from its start, at its pace.
    let pace = state
        .replays
        .get(&id)
        .map(|after| (tokio::time::Instant::now(), after.clone()));
    let follower = Follower {
        transient: channels.transient.subscribe(),
        stored: channels.stored.subscribe(),
        cursor: if session["metadata"]["outrig_replay"] == "true" || pace.is_some() {
            0
        } else {
            state.store.last_seq(&id)?
        },
        pace,
        state,
        session_id: id,
        thread,
        deltas,
        out: VecDeque::new(),
        held: VecDeque::new(),
        done: false,
    };
    let stream = futures_util::stream::unfold(follower, |mut follower| async move {
        follower.next().await.map(|event| (Ok(event), follower))
    });
    Ok(Sse::new(stream).keep_alive(
        KeepAlive::new()
            .interval(Duration::from_secs(15))
            .event(SseEvent::default().event("ping").data("{}")),
    ))
}

/// Follows a session's log and transient events, keeping previews before the stored
/// events that come after them.
struct Follower {
    state: AppState,
    session_id: String,
    thread: Option<String>,
    transient: broadcast::Receiver<Transient>,
    stored: watch::Receiver<i64>,
    cursor: i64,
    /// For a replayed recording: when the stream opened, and each event's milliseconds
    /// after the first.
    pace: Option<(tokio::time::Instant, Arc<HashMap<String, u64>>)>,
    deltas: Vec<String>,
    out: VecDeque<Value>,
    held: VecDeque<Transient>,
    done: bool,
}

impl Follower {
    async fn next(&mut self) -> Option<SseEvent> {
        loop {
            if let Some(event) = self.out.pop_front() {
                if let Some((opened, after)) = &self.pace {
                    if let Some(ms) = event["id"].as_str().and_then(|id| after.get(id)) {
                        let scaled = (*ms as f64 * self.state.config.delay_scale) as u64;
                        tokio::time::sleep_until(*opened + Duration::from_millis(scaled)).await;
                    }
                }
                let name = event["type"].as_str().unwrap_or("message").to_string();
                return Some(SseEvent::default().event(name).data(event.to_string()));
            }
            if self.done {
                return None;
            }
            self.pump();
            if !self.out.is_empty() {
                continue;
            }
            tokio::select! {
                changed = self.stored.changed() => if changed.is_err() {
                    // The session is gone: forward what is queued (its `session.deleted`).
                    self.pump();
                    self.done = true;
                },
                received = self.transient.recv() => match received {
                    Ok(t) => self.held.push_back(t),
                    Err(broadcast::error::RecvError::Lagged(_)) => {}
                    Err(broadcast::error::RecvError::Closed) => self.done = true,
                },
            }
        }
    }

    /// Moves everything available into `out`, in order.
    fn pump(&mut self) {
        while let Ok(t) = self.transient.try_recv() {
            self.held.push_back(t);
        }
        let stored =
            match self
                .state
                .store
                .view_after(&self.session_id, self.view(), self.cursor, 1000)
            {
                Ok(stored) => stored,
                Err(error) => {
                    tracing::error!("stream read failed: {error:#}");
                    self.done = true;
                    return;
                }
            };
        for event in stored {
            self.release_held(event.seq);
            self.cursor = event.seq;
            self.out.push_back(event.json);
        }
        self.release_held(i64::MAX);
    }

    fn release_held(&mut self, before_seq: i64) {
        while self.held.front().is_some_and(|t| t.after_seq < before_seq) {
            let t = self.held.pop_front().expect("checked");
            if t.after_seq > self.cursor && before_seq == i64::MAX {
                // Its stored predecessors are not visible yet; keep it for the next pump.
                self.held.push_front(t);
                return;
            }
            match t.event["type"].as_str() {
                Some("session.deleted") => {
                    self.out.push_back(t.event);
                    self.done = true;
                }
                Some("event_start") if self.wants(t.event["event"]["type"].as_str()) => {
                    self.out.push_back(t.event)
                }
                Some("event_delta") if self.wants(Some("agent.message")) => {
                    self.out.push_back(t.event)
                }
                _ => {}
            }
        }
    }

    fn view(&self) -> View<'_> {
        match &self.thread {
            None => View::Primary,
            Some(thread) => View::Thread(thread),
        }
    }

    fn wants(&self, kind: Option<&str>) -> bool {
        kind.is_some_and(|k| self.deltas.iter().any(|d| d == k))
    }
}
