//! One session as a sans-IO machine, in the style of quinn-proto: the shell feeds it what
//! happened ([`SessionState::handle_event`], [`SessionState::handle_sent`],
//! [`SessionState::handle_send_failed`]) and asks it what to do ([`SessionState::poll_dispatch`],
//! [`SessionState::poll_cancel`], [`SessionState::poll_turn`]). Every runner (the host's
//! stream runner, its webhook replicas, the self-hosted worker) is a loop around it, so the
//! rules below exist once.
//!
//! The rules (spec part 3 §3, the SDK session runner's):
//! - a call of the primary thread with no `evaluated_permission` (a custom tool use, or a
//!   built-in one awaiting a result) is run only once an idle lists it in
//!   `requires_action.event_ids`; a sub-agent's call, or one whose permission was evaluated
//!   (`allow`; `ask` awaits a confirmation first), is awaited as soon as it is seen;
//! - the session stops waiting for a call (it is cancelled) when a later session idle no
//!   longer lists a call it listed, when an idle ends the turn, when its thread's idle does
//!   not list it, or when the session or thread terminates; a `retries_exhausted` stop
//!   keeps calls open;
//! - an `ask`-gated built-in call confirmed with `allow` becomes a call to run;
//! - a call is handed out once ([`SessionState::poll_dispatch`]), filtered by what this
//!   client serves, and is *settled* when its answer is accepted, refused for good
//!   ([`crate::recovery::answer_refused`]) or seen in the stream;
//! - a `user.interrupt` starts a new interrupt generation: calls dispatched in an older one
//!   are to be cancelled by the shell;
//! - an idle whose stop reason ends the turn (or a termination) is reported once by
//!   [`SessionState::poll_turn`].
//!
//! Events are deduplicated by id here, and only here.

use crate::events::{AgentCustomToolUse, AgentToolUse, Event, StopReason};
use crate::objects::SessionStatus;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

/// What feeding one event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// First time this event id was seen.
    New,
    /// Already seen (e.g. replayed by a backfill after a reconnect): ignore it.
    Duplicate,
}

/// What a call asks of the client.
#[derive(Debug, Clone, PartialEq)]
pub enum Work {
    /// Run a custom tool; answer with `user.custom_tool_result`.
    Custom(AgentCustomToolUse),
    /// Run a built-in tool (self-hosted environments); answer with `user.tool_result`.
    Builtin(AgentToolUse),
    /// Allow or deny a built-in or MCP tool use; answer with `user.tool_confirmation`.
    Confirm(Event),
}

impl Work {
    /// The id of the event that asked.
    pub fn id(&self) -> &str {
        match self {
            Work::Custom(call) => &call.id,
            Work::Builtin(call) => &call.id,
            Work::Confirm(event) => event.id().unwrap_or_default(),
        }
    }

    /// The tool's name.
    pub fn name(&self) -> &str {
        match self {
            Work::Custom(call) => &call.name,
            Work::Builtin(call) => &call.name,
            Work::Confirm(Event::AgentToolUse(call)) => &call.name,
            Work::Confirm(Event::AgentMcpToolUse(call)) => &call.name,
            Work::Confirm(_) => "",
        }
    }

    /// The event answering a tool call with this result (`None` for a confirmation, which
    /// is answered with a decision, not a result).
    pub fn result(
        &self,
        content: Vec<crate::ContentBlock>,
        is_error: bool,
    ) -> Option<crate::SendEvent> {
        match self {
            Work::Custom(call) => Some(crate::SendEvent::custom_tool_result(
                &call.id, content, is_error,
            )),
            Work::Builtin(call) => Some(crate::SendEvent::tool_result(&call.id, content, is_error)),
            Work::Confirm(_) => None,
        }
    }

    /// The tool's input (`null` for a confirmation).
    pub fn input(&self) -> &serde_json::Value {
        match self {
            Work::Custom(call) => &call.input,
            Work::Builtin(call) => &call.input,
            Work::Confirm(_) => &serde_json::Value::Null,
        }
    }

    /// The session thread the call belongs to (`None`: the primary thread).
    pub fn thread(&self) -> Option<&str> {
        let thread = match self {
            Work::Custom(call) => &call.session_thread_id,
            Work::Builtin(call) => &call.session_thread_id,
            Work::Confirm(Event::AgentToolUse(call)) => &call.session_thread_id,
            Work::Confirm(Event::AgentMcpToolUse(call)) => &call.session_thread_id,
            Work::Confirm(_) => &None,
        };
        thread.as_ref().and_then(Option::as_deref)
    }
}

/// A call handed to the shell to run.
#[derive(Debug, Clone, PartialEq)]
pub struct Dispatch {
    /// What to do.
    pub work: Work,
    /// The interrupt generation it was dispatched in (see [`SessionState::interrupts`]).
    pub generation: u64,
}

/// Why a turn ended.
#[derive(Debug, Clone, PartialEq)]
pub enum TurnEnd {
    /// The session went idle with a stop reason that ends the turn.
    Idle(StopReason),
    /// The session was terminated or deleted.
    Terminated,
}

/// Which calls this client answers.
pub type Filter = Arc<dyn Fn(&Work) -> bool + Send + Sync>;

/// One known, unsettled call.
#[derive(Debug, Clone)]
struct Call {
    work: Work,
    /// The scopes (`None`: the session; `Some(thread)`) whose latest idle lists it.
    listed_by: HashSet<Option<String>>,
    /// Whether any idle ever listed it.
    ever_listed: bool,
    /// Awaited from the start (a sub-agent's call, or one with an evaluated permission).
    eager: bool,
    /// When it was seen: calls are handed out in the order of their events.
    seq: u64,
    dispatched: bool,
}

impl Call {
    /// Whether it may be handed out now.
    fn runnable(&self) -> bool {
        !self.dispatched && (self.eager || !self.listed_by.is_empty())
    }
}

/// The client's view of one session.
#[derive(Clone, Default)]
pub struct SessionState {
    status: Option<SessionStatus>,
    last_stop: Option<StopReason>,
    seen: HashSet<String>,
    /// Unsettled calls by event id.
    calls: HashMap<String, Call>,
    /// Calls seen so far (orders them).
    announced: u64,
    settled: HashSet<String>,
    /// The latest `requires_action` ids per scope.
    listed: HashMap<Option<String>, Vec<String>>,
    filter: Option<Filter>,
    cancels: VecDeque<String>,
    turns: VecDeque<TurnEnd>,
    in_turn: bool,
    interrupts: u64,
}

impl std::fmt::Debug for SessionState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionState")
            .field("status", &self.status)
            .field("seen", &self.seen.len())
            .field("open_calls", &self.calls.keys().collect::<Vec<_>>())
            .field("in_turn", &self.in_turn)
            .field("interrupts", &self.interrupts)
            .finish()
    }
}

impl SessionState {
    /// A state for a session about which nothing is known yet; every call is served.
    pub fn new() -> Self {
        SessionState::default()
    }

    /// A state that hands out only the calls `serves` accepts (checked once per call).
    pub fn serving(serves: impl Fn(&Work) -> bool + Send + Sync + 'static) -> Self {
        SessionState {
            filter: Some(Arc::new(serves)),
            ..SessionState::default()
        }
    }

    /// A state fed with `events` in order (e.g. a session's history).
    pub fn from_events<'a>(events: impl IntoIterator<Item = &'a Event>) -> Self {
        let mut state = SessionState::new();
        for event in events {
            state.handle_event(event);
        }
        state
    }

    /// Feeds one event. Preview events (no id) change nothing and are never duplicates.
    pub fn handle_event(&mut self, event: &Event) -> Applied {
        if let Some(id) = event.id() {
            if !self.seen.insert(id.to_string()) {
                return Applied::Duplicate;
            }
        }
        match event {
            Event::AgentCustomToolUse(call) => self.announce(Work::Custom(call.clone())),
            Event::AgentToolUse(call) if call.evaluated_permission.as_deref() == Some("ask") => {
                self.announce(Work::Confirm(event.clone()))
            }
            Event::AgentToolUse(call) => self.announce(Work::Builtin(call.clone())),
            Event::AgentMcpToolUse(call) if call.evaluated_permission.as_deref() == Some("ask") => {
                self.announce(Work::Confirm(event.clone()))
            }
            Event::UserCustomToolResult(result) => self.settle(&result.custom_tool_use_id),
            Event::UserToolConfirmation(answer) => {
                self.confirmed(&answer.tool_use_id, &answer.result)
            }
            Event::UserToolResult(result) => self.settle(&result.tool_use_id),
            Event::AgentToolResult(result) => self.settle(&result.tool_use_id),
            Event::UserMessage(_) | Event::UserDefineOutcome(_) => self.in_turn = true,
            Event::UserInterrupt(_) => self.interrupts += 1,
            Event::SessionStatusRunning(_) => {
                self.status = Some(SessionStatus::Running);
                self.in_turn = true;
            }
            Event::SessionStatusRescheduled(_) => self.status = Some(SessionStatus::Rescheduling),
            Event::SessionStatusIdle(idle) => {
                self.status = Some(SessionStatus::Idle);
                self.last_stop = Some(idle.stop_reason.clone());
                self.relist(None, &idle.stop_reason);
                if idle.stop_reason.ends_turn() {
                    self.in_turn = false;
                    self.turns
                        .push_back(TurnEnd::Idle(idle.stop_reason.clone()));
                }
            }
            Event::SessionThreadStatusIdle(idle) => {
                self.relist(Some(idle.session_thread_id.clone()), &idle.stop_reason)
            }
            Event::SessionThreadStatusTerminated(thread) => {
                let thread = thread.session_thread_id.clone();
                self.listed.remove(&Some(thread.clone()));
                self.drop_where(|call| call.work.thread() == Some(thread.as_str()));
            }
            Event::SessionStatusTerminated(_) | Event::SessionDeleted(_) => {
                self.status = Some(SessionStatus::Terminated);
                self.listed.clear();
                self.drop_where(|_| true);
                self.in_turn = false;
                self.turns.push_back(TurnEnd::Terminated);
            }
            _ => {}
        }
        Applied::New
    }

    /// The answer to `event_id` was accepted: settled.
    pub fn handle_sent(&mut self, event_id: &str) {
        self.settle(event_id);
    }

    /// Sending the answer to `event_id` failed with `status` (`None`: no response).
    /// Returns whether the shell should keep trying: a status the API will repeat however
    /// often the answer is sent settles the call instead.
    pub fn handle_send_failed(&mut self, event_id: &str, status: Option<u16>) -> bool {
        if status.is_some_and(crate::recovery::answer_refused) {
            self.handle_refused(event_id);
            return false;
        }
        !self.settled.contains(event_id)
    }

    /// The API refused the answer to `event_id` for good (a shell that already applied
    /// [`crate::recovery::answer_refused`] to the status): settled.
    pub fn handle_refused(&mut self, event_id: &str) {
        self.settle(event_id);
    }

    /// The next call to run, marked dispatched: listed by an idle, served by this client,
    /// not handed out before. Oldest first.
    pub fn poll_dispatch(&mut self) -> Option<Dispatch> {
        self.poll_dispatch_if(|_| true)
    }

    /// [`SessionState::poll_dispatch`] among the calls the shell can start now (e.g. one
    /// whose session thread has no call running).
    pub fn poll_dispatch_if(&mut self, startable: impl Fn(&Work) -> bool) -> Option<Dispatch> {
        let filter = self.filter.clone();
        let generation = self.interrupts;
        let call = self
            .calls
            .values_mut()
            .filter(|call| {
                call.runnable()
                    && filter.as_ref().is_none_or(|serves| serves(&call.work))
                    && startable(&call.work)
            })
            .min_by_key(|call| call.seq)?;
        call.dispatched = true;
        Some(Dispatch {
            work: call.work.clone(),
            generation,
        })
    }

    /// The next dispatched call the session no longer waits for: stop running it, send
    /// nothing.
    pub fn poll_cancel(&mut self) -> Option<String> {
        self.cancels.pop_front()
    }

    /// The next turn end not yet reported.
    pub fn poll_turn(&mut self) -> Option<TurnEnd> {
        self.turns.pop_front()
    }

    /// How many `user.interrupt`s were seen: calls dispatched in an older generation are
    /// to be cancelled.
    pub fn interrupts(&self) -> u64 {
        self.interrupts
    }

    /// Whether a turn is in progress (a message or outcome was sent, or the session runs,
    /// and no idle has ended it since).
    pub fn in_turn(&self) -> bool {
        self.in_turn
    }

    /// Calls awaiting this client (listed, served, not dispatched yet), oldest first.
    pub fn pending(&self) -> impl Iterator<Item = &Work> {
        let mut calls: Vec<&Call> = self
            .calls
            .values()
            .filter(|c| c.runnable() && self.filter.as_ref().is_none_or(|serves| serves(&c.work)))
            .collect();
        calls.sort_by_key(|c| c.seq);
        calls.into_iter().map(|c| &c.work)
    }

    /// Custom tool calls awaiting a result that no runner took yet, oldest first.
    pub fn pending_custom_tool_uses(&self) -> impl Iterator<Item = &AgentCustomToolUse> {
        self.pending().filter_map(|w| match w {
            Work::Custom(call) => Some(call),
            _ => None,
        })
    }

    /// Ids listed by the latest `requires_action` minus those settled since.
    pub fn awaited_event_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self
            .listed
            .values()
            .flatten()
            .filter(|id| !self.settled.contains(*id))
            .map(String::as_str)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// Whether `event_id` was dispatched and is not settled yet.
    pub fn is_dispatched(&self, event_id: &str) -> bool {
        self.calls.get(event_id).is_some_and(|c| c.dispatched)
    }

    /// Whether the answer to `event_id` was accepted, refused or seen in the stream.
    pub fn is_settled(&self, event_id: &str) -> bool {
        self.settled.contains(event_id)
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

    fn announce(&mut self, work: Work) {
        let id = work.id().to_string();
        if self.settled.contains(&id) {
            return;
        }
        // An idle seen before its call (a backfill page boundary) already listed it.
        let listed_by: HashSet<Option<String>> = self
            .listed
            .iter()
            .filter(|(_, ids)| ids.contains(&id))
            .map(|(scope, _)| scope.clone())
            .collect();
        let ever_listed = !listed_by.is_empty();
        let eager = work.thread().is_some()
            || match &work {
                Work::Custom(_) => false,
                Work::Builtin(call) => call.evaluated_permission.is_some(),
                Work::Confirm(_) => true,
            };
        self.announced += 1;
        self.calls.insert(
            id,
            Call {
                work,
                listed_by,
                ever_listed,
                eager,
                seq: self.announced,
                dispatched: false,
            },
        );
    }

    /// A `user.tool_confirmation`: an allowed built-in call is now to be run (by whoever
    /// runs built-in tools); anything else is settled.
    fn confirmed(&mut self, event_id: &str, result: &str) {
        let allowed_builtin = match self.calls.get(event_id).map(|c| &c.work) {
            Some(Work::Confirm(Event::AgentToolUse(call))) if result == "allow" => {
                Some(call.clone())
            }
            _ => None,
        };
        match allowed_builtin {
            Some(call) => {
                let entry = self.calls.get_mut(event_id).expect("looked up above");
                entry.work = Work::Builtin(call);
                entry.eager = true;
                entry.dispatched = false;
            }
            None => self.settle(event_id),
        }
    }

    /// A new idle of `scope` (`None`: the session): its list replaces the old one, and the
    /// calls the session no longer waits for are dropped (see the module's rules).
    fn relist(&mut self, scope: Option<String>, reason: &StopReason) {
        let ids = match reason {
            StopReason::RequiresAction(action) => action.event_ids.clone(),
            _ => Vec::new(),
        };
        for call in self.calls.values_mut() {
            if ids.contains(&call.work.id().to_string()) {
                call.listed_by.insert(scope.clone());
                call.ever_listed = true;
            } else {
                call.listed_by.remove(&scope);
            }
        }
        self.listed.insert(scope.clone(), ids);
        if matches!(reason, StopReason::RetriesExhausted(_)) {
            return;
        }
        match scope {
            Some(thread) => self.drop_where(|call| {
                call.work.thread() == Some(thread.as_str())
                    && !call.listed_by.contains(&Some(thread.clone()))
            }),
            None if reason.ends_turn() => self.drop_where(|_| true),
            None => self.drop_where(|call| call.ever_listed && call.listed_by.is_empty()),
        }
    }

    /// Forgets the calls matching `gone`; the dispatched ones are to be cancelled.
    fn drop_where(&mut self, gone: impl Fn(&Call) -> bool) {
        let mut gone: Vec<(u64, String)> = self
            .calls
            .iter()
            .filter(|(_, call)| gone(call))
            .map(|(id, call)| (call.seq, id.clone()))
            .collect();
        gone.sort();
        let ids = gone.into_iter().map(|(_, id)| id);
        for id in ids {
            if let Some(call) = self.calls.remove(&id) {
                if call.dispatched {
                    self.cancels.push_back(id);
                }
            }
        }
    }

    fn settle(&mut self, event_id: &str) {
        self.settled.insert(event_id.to_string());
        self.calls.remove(event_id);
        self.cancels.retain(|id| id != event_id);
    }
}
