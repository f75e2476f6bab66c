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
//! The machine is fed each event once: de-duplication is the stream's
//! ([`crate::seen::SeenIds`]), and a call event seen again changes nothing here.

use crate::events::{AgentCustomToolUse, AgentMcpToolUse, AgentToolUse, Event, StopReason};
use crate::objects::SessionStatus;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

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

/// What one event tells the session machine: the part of the event its rules read.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    /// A call that may await this client.
    Call(Work),
    /// The answer to this call was seen (a result, or the agent's own tool result).
    Answered(String),
    /// A `user.tool_confirmation` for this call.
    Confirmed {
        /// The confirmed call.
        id: String,
        /// Whether it was allowed.
        allow: bool,
    },
    /// A `user.message` or `user.define_outcome`: a turn starts.
    TurnStarted,
    /// A `user.interrupt`.
    Interrupted,
    /// `session.status_running`.
    Running,
    /// `session.status_rescheduled`.
    Rescheduled,
    /// The session (`thread: None`) or one of its threads went idle.
    Idle {
        /// The thread, for `session.thread_status_idle`.
        thread: Option<String>,
        /// Why.
        stop: StopReason,
    },
    /// `session.thread_status_terminated`.
    ThreadTerminated(String),
    /// The session was terminated or deleted.
    Terminated,
    /// Anything else: only its id counts (for de-duplication).
    Other,
}

/// An event's envelope: its type and the ids, names and stop reason it carries, as a shell
/// that parses events itself reads them (the wire field each comes from is named).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Envelope {
    /// `type`.
    pub kind: String,
    /// `id`.
    pub id: String,
    /// `name` (a tool use's tool).
    pub name: String,
    /// `mcp_server_name`.
    pub server: Option<String>,
    /// `session_thread_id`.
    pub thread: Option<String>,
    /// `evaluated_permission`, or a confirmation's `result`.
    pub permission: Option<String>,
    /// `custom_tool_use_id` or `tool_use_id`.
    pub refers_to: String,
    /// `stop_reason.type`.
    pub stop: String,
    /// `stop_reason.event_ids`.
    pub event_ids: Vec<String>,
}

impl Fact {
    /// What `event` tells the machine.
    pub fn of(event: &Event) -> Fact {
        match event {
            Event::AgentCustomToolUse(call) => Fact::Call(Work::Custom(call.clone())),
            Event::AgentToolUse(call) if call.evaluated_permission.as_deref() == Some("ask") => {
                Fact::Call(Work::Confirm(event.clone()))
            }
            Event::AgentToolUse(call) => Fact::Call(Work::Builtin(call.clone())),
            Event::AgentMcpToolUse(call) if call.evaluated_permission.as_deref() == Some("ask") => {
                Fact::Call(Work::Confirm(event.clone()))
            }
            Event::UserCustomToolResult(result) => {
                Fact::Answered(result.custom_tool_use_id.clone())
            }
            Event::UserToolResult(result) => Fact::Answered(result.tool_use_id.clone()),
            Event::AgentToolResult(result) => Fact::Answered(result.tool_use_id.clone()),
            Event::UserToolConfirmation(answer) => Fact::Confirmed {
                id: answer.tool_use_id.clone(),
                allow: answer.result == "allow",
            },
            Event::UserMessage(_) | Event::UserDefineOutcome(_) => Fact::TurnStarted,
            Event::UserInterrupt(_) => Fact::Interrupted,
            Event::SessionStatusRunning(_) => Fact::Running,
            Event::SessionStatusRescheduled(_) => Fact::Rescheduled,
            Event::SessionStatusIdle(idle) => Fact::Idle {
                thread: None,
                stop: idle.stop_reason.clone(),
            },
            Event::SessionThreadStatusIdle(idle) => Fact::Idle {
                thread: Some(idle.session_thread_id.clone()),
                stop: idle.stop_reason.clone(),
            },
            Event::SessionThreadStatusTerminated(thread) => {
                Fact::ThreadTerminated(thread.session_thread_id.clone())
            }
            Event::SessionStatusTerminated(_) | Event::SessionDeleted(_) => Fact::Terminated,
            _ => Fact::Other,
        }
    }

    /// What an event tells the machine, from its envelope: the same reading as
    /// [`Fact::of`], for events parsed outside Rust. A call's `input` is not carried (the
    /// shell keeps the event).
    pub fn from_envelope(envelope: Envelope) -> Fact {
        let Envelope {
            kind,
            id,
            name,
            server,
            thread,
            permission,
            refers_to,
            stop,
            event_ids,
        } = envelope;
        let thread_field = thread.clone().map(Some);
        let ask = permission.as_deref() == Some("ask");
        match kind.as_str() {
            "agent.custom_tool_use" => Fact::Call(Work::Custom(AgentCustomToolUse {
                id,
                processed_at: String::new(),
                name,
                input: serde_json::Value::Null,
                session_thread_id: thread_field,
                extra: Default::default(),
            })),
            "agent.tool_use" => {
                let call = AgentToolUse {
                    id,
                    processed_at: String::new(),
                    name,
                    input: serde_json::Value::Null,
                    evaluated_permission: permission,
                    evaluation: None,
                    session_thread_id: thread_field,
                    extra: Default::default(),
                };
                Fact::Call(match ask {
                    true => Work::Confirm(Event::AgentToolUse(call)),
                    false => Work::Builtin(call),
                })
            }
            "agent.mcp_tool_use" if ask => {
                Fact::Call(Work::Confirm(Event::AgentMcpToolUse(AgentMcpToolUse {
                    id,
                    processed_at: String::new(),
                    mcp_server_name: server.unwrap_or_default(),
                    name,
                    input: serde_json::Value::Null,
                    evaluated_permission: permission,
                    evaluation: None,
                    session_thread_id: thread_field,
                    extra: Default::default(),
                })))
            }
            "user.custom_tool_result" | "user.tool_result" | "agent.tool_result" => {
                Fact::Answered(refers_to)
            }
            "user.tool_confirmation" => Fact::Confirmed {
                id: refers_to,
                allow: permission.as_deref() == Some("allow"),
            },
            "user.message" | "user.define_outcome" => Fact::TurnStarted,
            "user.interrupt" => Fact::Interrupted,
            "session.status_running" => Fact::Running,
            "session.status_rescheduled" => Fact::Rescheduled,
            "session.status_idle" | "session.thread_status_idle" => Fact::Idle {
                thread: (kind == "session.thread_status_idle").then(|| thread.unwrap_or_default()),
                stop: StopReason::of_type(&stop, event_ids),
            },
            "session.thread_status_terminated" => {
                Fact::ThreadTerminated(thread.unwrap_or_default())
            }
            "session.status_terminated" | "session.deleted" => Fact::Terminated,
            _ => Fact::Other,
        }
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

    /// Feeds one event.
    pub fn handle_event(&mut self, event: &Event) {
        self.handle(Fact::of(event))
    }

    /// Feeds what an event says, read from its envelope (see [`Fact::from_envelope`]):
    /// the same rules as [`SessionState::handle_event`], for shells that parse events
    /// themselves (the npm package's JavaScript).
    pub fn handle(&mut self, fact: Fact) {
        match fact {
            Fact::Call(work) => self.announce(work),
            Fact::Answered(id) => self.settle(&id),
            Fact::Confirmed { id, allow } => self.confirmed(&id, allow),
            Fact::TurnStarted => self.start_turn(),
            Fact::Interrupted => self.interrupts += 1,
            Fact::Running => {
                self.status = Some(SessionStatus::Running);
                self.start_turn();
            }
            Fact::Rescheduled => self.status = Some(SessionStatus::Rescheduling),
            Fact::Idle { thread: None, stop } => {
                self.status = Some(SessionStatus::Idle);
                self.relist(None, &stop);
                if stop.ends_turn() {
                    self.in_turn = false;
                    self.turns.push_back(TurnEnd::Idle(stop.clone()));
                }
                self.last_stop = Some(stop);
            }
            Fact::Idle {
                thread: Some(thread),
                stop,
            } => self.relist(Some(thread), &stop),
            Fact::ThreadTerminated(thread) => {
                self.listed.remove(&Some(thread.clone()));
                self.drop_where(|call| call.work.thread() == Some(thread.as_str()));
            }
            Fact::Terminated => {
                self.status = Some(SessionStatus::Terminated);
                self.listed.clear();
                self.drop_where(|_| true);
                self.in_turn = false;
                self.turns.push_back(TurnEnd::Terminated);
            }
            Fact::Other => {}
        }
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

    /// The next turn end not yet reported and not superseded by a later turn start (so a
    /// backfilled history's earlier turns are not reported once the shell has fed all it
    /// received).
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

    /// A message, an outcome or a running status: a turn is in progress, and the ends of
    /// earlier turns are history.
    fn start_turn(&mut self) {
        self.in_turn = true;
        self.turns.clear();
    }

    fn announce(&mut self, work: Work) {
        let id = work.id().to_string();
        if self.settled.contains(&id) || self.calls.contains_key(&id) {
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
    fn confirmed(&mut self, event_id: &str, allow: bool) {
        let allowed_builtin = match self.calls.get(event_id).map(|c| &c.work) {
            Some(Work::Confirm(Event::AgentToolUse(call))) if allow => Some(call.clone()),
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
