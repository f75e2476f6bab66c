//! The emulated agent as a fold over its session's log. [`Agent::fold`] takes the stored
//! events in order: user events queue inputs, and each batch the agent emitted is matched
//! against what [`Agent::plan`] says it would emit at that point, which moves the step
//! pointer on. [`Agent::plan`] is the next batch. The driver emits it, reads it back from
//! the log, and folds it like any other. Recovery after a restart is the same fold from
//! the first event.

use crate::agent_events::{self as ev, McpPermission};
use crate::mcp_client::McpRequest;
use crate::mcp_servers::McpServer;
use crate::scenario::{Delegation, Step, ToolCall, Turn};
use outrig_api::content::joined_text;
use outrig_api::events::{Event, SessionError, StopReason};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};
use std::time::Duration;

/// What the agent knows about its session besides the log: its script and definitions.
pub trait Script {
    /// The session's id.
    fn session_id(&self) -> &str;
    /// The turn answering user message number `turn` (0-based) with this text.
    fn turn(&self, text: &str, turn: usize) -> Result<Turn, String>;
    /// The custom tool names of the session's agent.
    fn custom_tools(&self) -> Vec<String>;
    /// The built-in tools the agent may call with a self-hosted environment answering
    /// them (empty unless the session's environment is `self_hosted`).
    fn self_hosted_tools(&self) -> Vec<String>;
    /// The MCP servers the session's agent attaches.
    fn mcp_servers(&self) -> Vec<McpServer>;
    /// The roster agent of this name (a thread agent definition), if there is one.
    fn roster_agent(&self, name: &str) -> Option<Value>;
    /// The names of every roster agent.
    fn roster_names(&self) -> Vec<String>;
    /// The grader's verdict per outcome iteration (the last repeats; never empty).
    fn verdicts(&self) -> Vec<String>;
    /// How long a scripted delay of `ms` milliseconds lasts.
    fn delay(&self, ms: u64) -> Duration;
}

/// One event of a batch, and the thread it goes to (`None`: the primary).
#[derive(Debug, Clone)]
pub struct Emission {
    /// A sub-thread id, or `None` for the primary thread.
    pub thread: Option<String>,
    /// The event.
    pub event: Event,
}

/// What the agent does next: emit `emissions` together, after waiting `after`.
#[derive(Debug)]
pub struct Plan {
    /// How long to wait first (scripted delays).
    pub after: Duration,
    /// The events, in order.
    pub emissions: Vec<Emission>,
    /// Sub-thread objects the batch starts (stored with it).
    pub threads: Vec<Value>,
    /// MCP calls the platform makes before storing the batch: each fills the content of
    /// the `agent.mcp_tool_result` at that index of `emissions`.
    pub mcp_calls: Vec<(usize, McpRequest)>,
    /// The agent once the batch is in the log (its ids are the planned ones).
    next: Agent,
}

/// The agent's state, as folded from the log so far.
#[derive(Debug, Clone, Default)]
pub struct Agent {
    inbox: VecDeque<Input>,
    work: Work,
    messages: usize,
    batches: u64,
}

#[derive(Debug, Clone)]
enum Input {
    Message {
        text: String,
        turn: usize,
    },
    Answer {
        id: String,
        text: String,
        is_error: bool,
    },
    Interrupt,
    Outcome {
        outcome_id: String,
        description: String,
        max_iterations: i64,
    },
}

impl Input {
    /// The answer a tool result (custom or built-in) gives the call `id`.
    fn result(
        id: &str,
        content: &Option<Vec<outrig_api::ContentBlock>>,
        is_error: Option<Option<bool>>,
    ) -> Self {
        Input::Answer {
            id: id.to_string(),
            text: content.as_deref().map(joined_text).unwrap_or_default(),
            is_error: is_error.flatten().unwrap_or(false),
        }
    }

    /// Whether it starts work from idle (the others only mean something to a turn).
    fn starts_work(&self) -> bool {
        matches!(self, Input::Message { .. } | Input::Outcome { .. })
    }
}

#[derive(Debug, Clone, Default)]
enum Work {
    /// Waiting for a message or an outcome.
    #[default]
    Idle,
    /// Running a turn's steps.
    Turn(Box<TurnState>),
    /// Grading rounds towards an outcome.
    Pursuit(Pursuit),
    /// The log holds agent events this agent would not have emitted (a replayed
    /// transcript, a changed scenario): the turn cannot go on. `awaiting`: it paused for
    /// answers.
    Lost { awaiting: bool },
    /// The session is terminated.
    Ended,
}

#[derive(Debug, Clone, Default)]
struct TurnState {
    steps: Vec<Step>,
    next: usize,
    awaiting: Vec<String>,
    call_names: HashMap<String, String>,
    /// Built-in calls awaiting confirmation (the platform runs them once allowed).
    asked: Vec<String>,
    /// MCP calls awaiting confirmation, by tool-use id, or an elicitation's answer, by
    /// elicitation id.
    mcp_asked: HashMap<String, McpRequest>,
    /// The tool-use id of each elicitation awaiting an answer, by elicitation id.
    elicited: HashMap<String, String>,
    /// Where each MCP call's result goes in `results`, by tool-use id (the text is known
    /// once the platform has called the server and stored the result).
    mcp_results: HashMap<String, usize>,
    results: Vec<(String, String, bool)>,
    span_start: Option<String>,
    /// The sub-thread the turn is in, between a delegation's start and its report.
    thread: Option<ActiveThread>,
}

#[derive(Debug, Clone)]
struct ActiveThread {
    id: String,
    agent_name: String,
    tools: Vec<String>,
    mcp_servers: Vec<McpServer>,
    last_message: String,
}

#[derive(Debug, Clone)]
struct Pursuit {
    outcome_id: String,
    max: i64,
    iteration: i64,
}

impl Agent {
    /// Folds stored events (with the thread each was stored in) into the agent.
    pub fn fold(&mut self, log: &[(Option<String>, Event)], script: &dyn Script) {
        let mut at = 0;
        while at < log.len() {
            let event = &log[at].1;
            if self.take_input(event) {
                at += 1;
                continue;
            }
            if let Event::SessionStatusTerminated(_) = event {
                self.work = Work::Ended;
            }
            if matches!(self.work, Work::Ended) || !emitted_by_agent(event) {
                at += 1;
                continue;
            }
            if !matches!(self.work, Work::Lost { .. }) {
                if let Some(plan) = self.plan(script) {
                    if let Some((stored, spanned)) = stored_batch(log, at, &plan.emissions) {
                        if same_batch(&plan.emissions, &stored) {
                            self.adopt(plan, &stored);
                            at += spanned;
                            continue;
                        }
                    }
                }
                tracing::warn!(session = %script.session_id(), event = event.type_name(),
                    "the log does not match the agent's scenario here; the turn cannot go on");
                self.work = Work::Lost { awaiting: false };
            }
            self.note_lost(event);
            at += 1;
        }
    }

    /// A number that changes whenever a batch is folded (to tell plans apart).
    pub fn position(&self) -> u64 {
        self.batches
    }

    /// The next batch, or `None` while the agent waits for input.
    pub fn plan(&self, script: &dyn Script) -> Option<Plan> {
        let mut next = self.clone();
        next.batches += 1;
        let mut batch = Batch::default();
        match &self.work {
            Work::Ended => return None,
            Work::Idle => next.start(script, &mut batch)?,
            Work::Turn(_) => next.turn_step(script, &mut batch)?,
            Work::Pursuit(_) => next.grade(script, &mut batch),
            Work::Lost { awaiting } => {
                if *awaiting {
                    let before = next.inbox.len();
                    next.inbox.retain(Input::starts_work);
                    if next.inbox.len() == before {
                        return None;
                    }
                    batch.primary(ev::running());
                }
                batch.primary(ev::fatal_error(
                    "the emulated agent lost its place: the session's log does not match its scenario",
                ));
                batch.primary(ev::idle(ev::stop_reason("retries_exhausted", Vec::new())));
                next.work = Work::Idle;
            }
        }
        Some(Plan {
            after: batch.after,
            emissions: batch.emissions,
            threads: batch.threads,
            mcp_calls: batch.mcp_calls,
            next,
        })
    }

    /// Takes a user event as input; `false` if it is not one.
    fn take_input(&mut self, event: &Event) -> bool {
        let busy = !matches!(self.work, Work::Idle | Work::Ended);
        let input = match event {
            Event::UserMessage(message) => {
                self.messages += 1;
                Input::Message {
                    text: joined_text(&message.content),
                    turn: self.messages - 1,
                }
            }
            Event::UserCustomToolResult(result) => {
                Input::result(&result.custom_tool_use_id, &result.content, result.is_error)
            }
            Event::UserToolResult(result) => {
                Input::result(&result.tool_use_id, &result.content, result.is_error)
            }
            Event::UserToolConfirmation(answer) => {
                let allowed = answer.result == "allow";
                let reason = answer.deny_message.clone().flatten().unwrap_or_default();
                Input::Answer {
                    id: answer.tool_use_id.clone(),
                    text: if allowed {
                        "allowed".into()
                    } else {
                        format!("denied {reason}")
                    },
                    is_error: !allowed,
                }
            }
            Event::UserInterrupt(_) => Input::Interrupt,
            Event::UserDefineOutcome(outcome) => Input::Outcome {
                outcome_id: outcome.outcome_id.clone(),
                description: outcome.description.clone(),
                max_iterations: outcome.max_iterations.unwrap_or(3),
            },
            Event::SystemMessage(_) => return true,
            Event::Unknown(raw) if raw["type"] == "user.mcp_elicitation_response" => {
                let answer = raw["response"]["type"].as_str().unwrap_or("answered");
                Input::Answer {
                    id: raw["mcp_elicitation_id"]
                        .as_str()
                        .unwrap_or_default()
                        .into(),
                    text: format!("the person answered `{answer}`"),
                    // Unknown answer types count as answered (the spec's rule).
                    is_error: matches!(answer, "decline" | "cancel"),
                }
            }
            _ => return false,
        };
        if busy || input.starts_work() {
            self.inbox.push_back(input);
        }
        true
    }

    /// Moves to the state a plan left, with the ids the log gave its events.
    fn adopt(&mut self, plan: Plan, stored: &[(Option<String>, Event)]) {
        let mut ids = HashMap::new();
        for (planned, (_, stored)) in plan.emissions.iter().zip(stored) {
            if let (Some(a), Some(b)) = (planned.event.id(), stored.id()) {
                ids.insert(a.to_string(), b.to_string());
            }
            if let (Event::SessionThreadCreated(a), Event::SessionThreadCreated(b)) =
                (&planned.event, stored)
            {
                ids.insert(a.session_thread_id.clone(), b.session_thread_id.clone());
            }
        }
        *self = plan.next;
        if let Work::Turn(turn) = &mut self.work {
            turn.rename(&ids);
            turn.note_mcp_results(stored);
        }
        if matches!(self.work, Work::Idle) {
            self.inbox.retain(Input::starts_work);
        }
    }

    /// Follows the log's own status while lost.
    fn note_lost(&mut self, event: &Event) {
        if let Event::SessionStatusIdle(idle) = event {
            self.work = match idle.stop_reason {
                StopReason::RequiresAction(_) => Work::Lost { awaiting: true },
                _ => Work::Idle,
            };
        } else if let Event::SessionStatusRunning(_) = event {
            self.work = Work::Lost { awaiting: false };
        }
    }

    /// From idle: the first message starts a turn, the first outcome its pursuit.
    fn start(&mut self, script: &dyn Script, batch: &mut Batch) -> Option<()> {
        let input = loop {
            let input = self.inbox.pop_front()?;
            if input.starts_work() {
                break input;
            }
        };
        batch.primary(ev::running());
        match input {
            Input::Message { text, turn } => match script.turn(&text, turn) {
                Ok(turn) => {
                    self.work = Work::Turn(Box::new(TurnState {
                        steps: turn.steps,
                        ..Default::default()
                    }))
                }
                Err(message) => {
                    batch.primary(ev::fatal_error(&message));
                    batch.primary(ev::idle(ev::stop_reason("retries_exhausted", Vec::new())));
                }
            },
            Input::Outcome {
                outcome_id,
                description,
                max_iterations,
            } => {
                batch.primary(ev::message(&format!("Working towards: {description}")));
                self.work = Work::Pursuit(Pursuit {
                    outcome_id,
                    max: max_iterations.max(1),
                    iteration: 0,
                });
            }
            _ => unreachable!("only messages and outcomes start work"),
        }
        Some(())
    }

    /// Removes a queued interrupt; whether there was one.
    fn take_interrupt(&mut self) -> bool {
        match self
            .inbox
            .iter()
            .position(|i| matches!(i, Input::Interrupt))
        {
            Some(at) => {
                self.inbox.remove(at);
                true
            }
            None => false,
        }
    }

    /// The next batch of a turn: answers applied, or the next step run.
    fn turn_step(&mut self, script: &dyn Script, batch: &mut Batch) -> Option<()> {
        let interrupted = self.take_interrupt();
        let Work::Turn(turn) = &mut self.work else {
            unreachable!("in a turn")
        };
        if interrupted {
            turn.close_span(batch, 20);
            turn.go_idle(batch, ev::stop_reason("end_turn", Vec::new()));
            self.work = Work::Idle;
            return Some(());
        }
        if !turn.awaiting.is_empty() {
            let answers: Vec<Input> = self
                .inbox
                .iter()
                .filter(|i| matches!(i, Input::Answer { .. }))
                .cloned()
                .collect();
            if answers.is_empty() {
                return None;
            }
            self.inbox.retain(|i| !matches!(i, Input::Answer { .. }));
            turn.apply_answers(answers, batch);
            return Some(());
        }
        let mut after = Duration::ZERO;
        loop {
            let Some(step) = turn.steps.get(turn.next).cloned() else {
                turn.end(batch, "end_turn");
                self.work = Work::Idle;
                break;
            };
            if let Step::DelayMs(ms) = step {
                if !batch.emissions.is_empty() {
                    break;
                }
                after += script.delay(ms);
                turn.next += 1;
                continue;
            }
            turn.next += 1;
            match turn.step(step, script, batch) {
                Flow::Continue if batch.emissions.is_empty() => continue,
                Flow::Continue | Flow::Suspend => break,
                Flow::End => {
                    self.work = Work::Idle;
                    break;
                }
            }
        }
        batch.after = after;
        Some(())
    }

    /// One grading round of the outcome being pursued.
    fn grade(&mut self, script: &dyn Script, batch: &mut Batch) {
        let interrupted = self.take_interrupt();
        let Work::Pursuit(pursuit) = &mut self.work else {
            unreachable!("pursuing an outcome")
        };
        let (id, iteration, max) = (pursuit.outcome_id.clone(), pursuit.iteration, pursuit.max);
        let start = ev::outcome_tick(&id, iteration, false);
        let start_id = start.id().unwrap_or_default().to_string();
        batch.primary(start);
        batch.primary(ev::outcome_tick(&id, iteration, true));
        let verdicts = script.verdicts();
        let verdict = verdicts[(iteration as usize).min(verdicts.len() - 1)].as_str();
        let result = match verdict {
            _ if interrupted => "interrupted",
            "needs_revision" if iteration + 1 >= max => "max_iterations_reached",
            other => other,
        };
        let explanation = match result {
            "satisfied" => "The work meets the rubric.".to_string(),
            "needs_revision" => {
                format!("Iteration {iteration} falls short of the rubric; revising.")
            }
            "max_iterations_reached" => {
                format!("Still short of the rubric after {max} iterations.")
            }
            "interrupted" => "The evaluation was interrupted.".to_string(),
            other => format!("The grader returned `{other}`."),
        };
        batch.primary(ev::outcome_end(
            &id,
            &start_id,
            iteration,
            result,
            &explanation,
        ));
        match result {
            "needs_revision" => {
                batch.primary(ev::message(&format!(
                    "Revising (iteration {}).",
                    iteration + 1
                )));
                pursuit.iteration += 1;
            }
            _ => {
                if result == "max_iterations_reached" {
                    batch.primary(ev::message(
                        "I could not fully meet the outcome within the allowed iterations; here is where it stands.",
                    ));
                }
                batch.primary(ev::idle(ev::stop_reason("end_turn", Vec::new())));
                self.work = Work::Idle;
            }
        }
    }
}

/// Events the agent (not a user or a route) emits.
fn emitted_by_agent(event: &Event) -> bool {
    !matches!(
        event,
        Event::SessionUpdated(_)
            | Event::SessionStatusTerminated(_)
            | Event::SessionDeleted(_)
            | Event::SessionThreadStatusTerminated(_)
            | Event::Unknown(_)
    )
}

/// Whether stored events are the planned ones: same types, same threads.
/// A stored event and its thread (`None`: the primary).
type LogEntry = (Option<String>, Event);

/// The stored events a planned batch is matched against, from `at`, and how many log
/// entries they span. A `session.error` the engine put before a failed MCP call's result
/// (what the server said is never planned) is passed over where the plan has none; only
/// then is the window copied.
fn stored_batch<'a>(
    log: &'a [LogEntry],
    at: usize,
    planned: &[Emission],
) -> Option<(Cow<'a, [LogEntry]>, usize)> {
    let mut skipped = Vec::new();
    let mut next = at;
    while next - at - skipped.len() < planned.len() {
        let entry = log.get(next)?;
        let annotation = matches!(entry.1, Event::SessionError(_))
            && !matches!(
                planned[next - at - skipped.len()].event,
                Event::SessionError(_)
            )
            && matches!(log.get(next + 1), Some((_, Event::AgentMcpToolResult(_))));
        if annotation {
            skipped.push(next);
        }
        next += 1;
    }
    let window = &log[at..next];
    if skipped.is_empty() {
        return Some((Cow::Borrowed(window), window.len()));
    }
    let stored = (at..next)
        .filter(|i| !skipped.contains(i))
        .map(|i| log[i].clone())
        .collect();
    Some((Cow::Owned(stored), window.len()))
}

fn same_batch(planned: &[Emission], stored: &[LogEntry]) -> bool {
    let planned_threads: HashMap<&str, &str> = planned
        .iter()
        .filter_map(|e| match &e.event {
            Event::SessionThreadCreated(c) => Some(c.session_thread_id.as_str()),
            _ => None,
        })
        .zip(stored.iter().filter_map(|(_, e)| match e {
            Event::SessionThreadCreated(c) => Some(c.session_thread_id.as_str()),
            _ => None,
        }))
        .collect();
    planned.iter().zip(stored).all(|(p, (thread, s))| {
        let planned_thread = p
            .thread
            .as_deref()
            .map(|t| *planned_threads.get(t).unwrap_or(&t));
        p.event.type_name() == s.type_name() && planned_thread == thread.as_deref()
    })
}

/// A batch being planned.
#[derive(Default)]
struct Batch {
    after: Duration,
    emissions: Vec<Emission>,
    threads: Vec<Value>,
    mcp_calls: Vec<(usize, McpRequest)>,
}

impl Batch {
    fn primary(&mut self, event: Event) -> String {
        self.push(None, event)
    }

    fn push(&mut self, thread: Option<&str>, event: Event) -> String {
        let id = event.id().unwrap_or_default().to_string();
        self.emissions.push(Emission {
            thread: thread.map(str::to_owned),
            event,
        });
        id
    }
}

enum Flow {
    Continue,
    Suspend,
    End,
}

impl TurnState {
    fn rename(&mut self, ids: &HashMap<String, String>) {
        let map = |id: &mut String| {
            if let Some(new) = ids.get(id) {
                *id = new.clone();
            }
        };
        self.awaiting.iter_mut().for_each(map);
        self.asked.iter_mut().for_each(map);
        rekey(&mut self.mcp_asked, ids);
        rekey(&mut self.elicited, ids);
        self.elicited.values_mut().for_each(map);
        rekey(&mut self.mcp_results, ids);
        rekey(&mut self.call_names, ids);
        if let Some(start) = &mut self.span_start {
            map(start);
        }
        if let Some(thread) = &mut self.thread {
            map(&mut thread.id);
        }
    }

    fn thread_id(&self) -> Option<&str> {
        self.thread.as_ref().map(|t| t.id.as_str())
    }

    /// Emits into the thread the turn is in.
    fn emit(&self, batch: &mut Batch, event: Event) -> String {
        batch.push(self.thread_id(), event)
    }

    fn ensure_span(&mut self, batch: &mut Batch) {
        if self.span_start.is_none() {
            self.span_start = Some(self.emit(batch, ev::span_start()));
        }
    }

    fn close_span(&mut self, batch: &mut Batch, output_chars: usize) {
        if let Some(start) = self.span_start.take() {
            self.emit(batch, ev::span_end(&start, output_chars));
        }
    }

    /// The session goes idle; an active sub-thread goes idle first, for the same reason.
    fn go_idle(&self, batch: &mut Batch, reason: StopReason) {
        if let Some(thread) = &self.thread {
            batch.push(
                Some(&thread.id),
                ev::thread_idle(&thread.id, &thread.agent_name, reason.clone()),
            );
        }
        batch.primary(ev::idle(reason));
    }

    fn end(&mut self, batch: &mut Batch, reason: &str) {
        self.close_span(batch, 40);
        self.go_idle(batch, ev::stop_reason(reason, Vec::new()));
    }

    /// Ends the turn with a `session.error` that is not retried.
    fn fail(&mut self, batch: &mut Batch, message: &str) -> Flow {
        self.emit(batch, ev::fatal_error(message));
        self.end(batch, "retries_exhausted");
        Flow::End
    }

    fn apply_answers(&mut self, answers: Vec<Input>, batch: &mut Batch) {
        let mut ran = Vec::new();
        for answer in answers {
            let Input::Answer { id, text, is_error } = answer else {
                continue;
            };
            let Some(position) = self.awaiting.iter().position(|a| *a == id) else {
                continue;
            };
            self.awaiting.remove(position);
            let name = self.call_names.get(&id).cloned().unwrap_or_default();
            if let Some(request) = self.mcp_asked.remove(&id) {
                let tool_use = self.elicited.remove(&id);
                let tool_use_id = tool_use.clone().unwrap_or_else(|| id.clone());
                if !is_error {
                    self.call_mcp(batch, &tool_use_id, request);
                    continue;
                }
                // A declined elicitation ends the call with an error result.
                if tool_use.is_some() {
                    self.emit(
                        batch,
                        ev::mcp_tool_result(&tool_use_id, ev::text(&text), true),
                    );
                }
                self.results.push((name, text, true));
                continue;
            }
            if self.asked.contains(&id) && !is_error {
                ran.push((id, name.clone()));
            }
            self.results.push((name, text, is_error));
        }
        // Allowed built-in calls run on the platform, which reports their result.
        for (id, name) in ran {
            self.emit(
                batch,
                ev::tool_result(&id, &format!("{name} ran in the emulated environment")),
            );
        }
        if self.awaiting.is_empty() {
            batch.primary(ev::running());
            if let Some(thread) = &self.thread {
                batch.push(
                    Some(&thread.id),
                    ev::thread_running(&thread.id, &thread.agent_name),
                );
            }
        } else {
            self.go_idle(
                batch,
                ev::stop_reason("requires_action", self.awaiting.clone()),
            );
        }
    }

    /// Runs one step into the batch.
    fn step(&mut self, step: Step, script: &dyn Script, batch: &mut Batch) -> Flow {
        if !matches!(step, Step::EnterThread(_) | Step::LeaveThread) {
            self.ensure_span(batch);
        }
        match step {
            Step::Thinking => drop(self.emit(batch, ev::thinking())),
            Step::Message(text) => self.say(batch, &text),
            Step::ReportResults => {
                let lines: Vec<String> = self
                    .results
                    .iter()
                    .map(|(name, text, is_error)| {
                        format!("{name}{}: {text}", if *is_error { " failed" } else { "" })
                    })
                    .collect();
                self.say(batch, &format!("Tool results:\n{}", lines.join("\n")));
            }
            Step::ToolCalls(calls) => return self.call_tools(calls, script, batch),
            Step::AskTool(call) => {
                let id = self.emit(batch, ev::tool_use_to_confirm(&call.name, &call.input));
                self.asked.push(id.clone());
                self.wait_for(batch, vec![(id, call.name)]);
                return Flow::Suspend;
            }
            Step::Error(error) => {
                let error: SessionError =
                    serde_json::from_value(error.clone()).unwrap_or(SessionError::Unknown(error));
                self.emit(batch, ev::error(error));
            }
            Step::Stop(reason) => {
                self.end(batch, &reason);
                return Flow::End;
            }
            Step::Reschedule => {
                self.emit(batch, ev::rescheduled());
                self.emit(batch, ev::running());
            }
            Step::Delegate(delegation) | Step::EnterThread(delegation) => {
                return self.enter_thread(delegation, script, batch)
            }
            Step::LeaveThread => self.leave_thread(script, batch),
            Step::DelayMs(_) => unreachable!("delays are waited for, not run"),
        }
        Flow::Continue
    }

    /// An `agent.message` in the thread the turn is in.
    fn say(&mut self, batch: &mut Batch, text: &str) {
        if let Some(thread) = &mut self.thread {
            thread.last_message = text.to_string();
        }
        self.emit(batch, ev::message(text));
    }

    fn call_tools(&mut self, calls: Vec<ToolCall>, script: &dyn Script, batch: &mut Batch) -> Flow {
        let known = match &self.thread {
            Some(thread) => thread.tools.clone(),
            None => script.custom_tools(),
        };
        let builtin = script.self_hosted_tools();
        if let Some(bad) = calls
            .iter()
            .find(|c| !c.builtin && !c.mcp && !known.contains(&c.name))
        {
            let message = format!(
                "the agent called `{}`, which is not one of its custom tools ({})",
                bad.name,
                names_or_none(&known)
            );
            return self.fail(batch, &message);
        }
        if let Some(bad) = calls
            .iter()
            .find(|c| c.builtin && !builtin.contains(&c.name))
        {
            let message = format!(
                "the agent called the built-in tool `{}`, which a self-hosted environment does \
                 not answer in this session (its self-hosted tools: {})",
                bad.name,
                names_or_none(&builtin)
            );
            return self.fail(batch, &message);
        }
        let servers = match &self.thread {
            Some(thread) => thread.mcp_servers.clone(),
            None => script.mcp_servers(),
        };
        let mut ids = Vec::new();
        for call in calls {
            if call.mcp {
                match self.use_mcp_tool(batch, &servers, call) {
                    Ok(Some(asked)) => ids.push(asked),
                    Ok(None) => {}
                    Err(message) => return self.fail(batch, &message),
                }
                continue;
            }
            let event = if call.builtin {
                ev::builtin_tool_use(&call.name, &call.input)
            } else {
                ev::custom_tool_use(&call.name, &call.input)
            };
            ids.push((self.emit(batch, event), call.name));
        }
        if ids.is_empty() {
            return Flow::Continue;
        }
        self.wait_for(batch, ids);
        Flow::Suspend
    }

    /// An `agent.mcp_tool_use`, and what its permission says: called now, refused, or
    /// asked (its id and name, to wait for).
    fn use_mcp_tool(
        &mut self,
        batch: &mut Batch,
        servers: &[McpServer],
        call: ToolCall,
    ) -> Result<Option<(String, String)>, String> {
        let (server, tool) = match call.name.split_once('/') {
            Some((server, tool)) => (servers.iter().find(|s| s.name == server), tool),
            None if servers.len() == 1 => (servers.first(), call.name.as_str()),
            None => (None, call.name.as_str()),
        };
        let names: Vec<String> = servers.iter().map(|s| s.name.clone()).collect();
        let Some(server) = server else {
            return Err(format!(
                "the agent called the MCP tool `{}`, but no attached MCP server (an \
                 `mcp_servers` entry with its `mcp_toolset`) matches; name it as \
                 `SERVER/TOOL` (its MCP servers: {})",
                call.name,
                names_or_none(&names)
            ));
        };
        let permission = server.permission(tool);
        let id = self.emit(
            batch,
            ev::mcp_tool_use(&server.name, tool, &call.input, permission),
        );
        let request = McpRequest {
            server_name: server.name.clone(),
            url: server.url.clone(),
            tool: tool.to_string(),
            input: call.input,
        };
        match permission {
            McpPermission::Allow | McpPermission::AutoAllow => {
                if let Some(elicit) = &call.elicit {
                    let asked = self.emit(batch, ev::mcp_elicitation(&server.name, &id, elicit));
                    self.mcp_asked.insert(asked.clone(), request);
                    self.elicited.insert(asked.clone(), id);
                    return Ok(Some((asked, tool.to_string())));
                }
                self.call_mcp(batch, &id, request);
                Ok(None)
            }
            McpPermission::Disabled => {
                let message = format!(
                    "`{tool}` is not enabled on the MCP server `{}`",
                    server.name
                );
                self.emit(batch, ev::mcp_tool_result(&id, ev::text(&message), true));
                self.results.push((tool.to_string(), message, true));
                Ok(None)
            }
            McpPermission::Ask => {
                self.asked.push(id.clone());
                self.mcp_asked.insert(id.clone(), request);
                Ok(Some((id, tool.to_string())))
            }
        }
    }

    /// The `agent.mcp_tool_result` of `tool_use_id`, which the platform fills by calling
    /// the server before the batch is stored.
    fn call_mcp(&mut self, batch: &mut Batch, tool_use_id: &str, request: McpRequest) {
        let at = batch.emissions.len();
        self.emit(batch, ev::mcp_tool_result(tool_use_id, Vec::new(), false));
        self.mcp_results
            .insert(tool_use_id.to_string(), self.results.len());
        self.results
            .push((request.tool.clone(), String::new(), false));
        batch.mcp_calls.push((at, request));
    }

    /// Takes the text of the MCP results a stored batch holds into the turn's results.
    fn note_mcp_results(&mut self, stored: &[(Option<String>, Event)]) {
        for (_, event) in stored {
            let Event::AgentMcpToolResult(result) = event else {
                continue;
            };
            if let Some(&at) = self.mcp_results.get(&result.mcp_tool_use_id) {
                self.results[at].1 = result
                    .content
                    .as_deref()
                    .map(joined_text)
                    .unwrap_or_default();
                self.results[at].2 = result.is_error.flatten().unwrap_or(false);
            }
        }
    }

    fn wait_for(&mut self, batch: &mut Batch, calls: Vec<(String, String)>) {
        self.close_span(batch, 60);
        self.awaiting = calls.iter().map(|(id, _)| id.clone()).collect();
        self.call_names.extend(calls);
        self.go_idle(
            batch,
            ev::stop_reason("requires_action", self.awaiting.clone()),
        );
    }

    /// Starts a sub-thread for a delegation to a roster agent.
    fn enter_thread(
        &mut self,
        delegation: Delegation,
        script: &dyn Script,
        batch: &mut Batch,
    ) -> Flow {
        self.close_span(batch, 20);
        let Some(agent) = script.roster_agent(&delegation.agent) else {
            let message = format!(
                "the agent delegated to `{}`, which is not in its multiagent roster ({})",
                delegation.agent,
                names_or_none(&script.roster_names())
            );
            return self.fail(batch, &message);
        };
        let object = crate::threads::object(script.session_id(), &agent);
        let thread = ActiveThread {
            id: object["id"].as_str().unwrap_or_default().to_string(),
            agent_name: delegation.agent.clone(),
            tools: custom_tool_names(&agent),
            mcp_servers: crate::mcp_servers::attached(&agent),
            last_message: String::new(),
        };
        batch.threads.push(object);
        batch.primary(ev::thread_message_sent(
            &thread.id,
            Some(&thread.agent_name),
            &delegation.task,
        ));
        let primary = crate::threads::primary_id(script.session_id());
        let inside = Some(thread.id.as_str());
        batch.push(inside, ev::thread_created(&thread.id, &thread.agent_name));
        batch.push(
            inside,
            ev::thread_message_received(&primary, None, &delegation.task),
        );
        batch.push(inside, ev::thread_running(&thread.id, &thread.agent_name));
        self.thread = Some(thread);
        Flow::Continue
    }

    /// The sub-thread reports back to the primary and goes idle.
    fn leave_thread(&mut self, script: &dyn Script, batch: &mut Batch) {
        self.close_span(batch, 20);
        let Some(thread) = self.thread.take() else {
            return;
        };
        let primary = crate::threads::primary_id(script.session_id());
        let inside = Some(thread.id.as_str());
        batch.push(
            inside,
            ev::thread_message_sent(&primary, None, &thread.last_message),
        );
        batch.push(
            inside,
            ev::thread_idle(
                &thread.id,
                &thread.agent_name,
                ev::stop_reason("end_turn", Vec::new()),
            ),
        );
        batch.primary(ev::thread_message_received(
            &thread.id,
            Some(&thread.agent_name),
            &thread.last_message,
        ));
    }
}

/// The custom tool names of an agent definition.
pub fn custom_tool_names(agent: &Value) -> Vec<String> {
    agent["tools"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| t["type"] == "custom")
        .filter_map(|t| t["name"].as_str().map(str::to_owned))
        .collect()
}

/// A table keyed by event id, with the ids the log gave the planned events.
fn rekey<T>(table: &mut HashMap<String, T>, ids: &HashMap<String, String>) {
    *table = std::mem::take(table)
        .into_iter()
        .map(|(id, value)| (ids.get(&id).cloned().unwrap_or(id), value))
        .collect();
}

/// `a, b` or `it has none`, for error messages.
fn names_or_none(names: &[String]) -> String {
    if names.is_empty() {
        "it has none".to_string()
    } else {
        names.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::default_turn;
    use serde_json::json;

    struct Plain;

    impl Script for Plain {
        fn session_id(&self) -> &str {
            "sesn_test"
        }
        fn turn(&self, text: &str, _: usize) -> Result<Turn, String> {
            default_turn(text)
        }
        fn custom_tools(&self) -> Vec<String> {
            vec!["lookup".into()]
        }
        fn self_hosted_tools(&self) -> Vec<String> {
            Vec::new()
        }
        fn mcp_servers(&self) -> Vec<McpServer> {
            Vec::new()
        }
        fn roster_agent(&self, _: &str) -> Option<Value> {
            None
        }
        fn roster_names(&self) -> Vec<String> {
            Vec::new()
        }
        fn verdicts(&self) -> Vec<String> {
            vec!["satisfied".into()]
        }
        fn delay(&self, _: u64) -> Duration {
            Duration::ZERO
        }
    }

    type Log = Vec<(Option<String>, Event)>;

    fn user(value: Value) -> (Option<String>, Event) {
        let mut value = value;
        value["id"] = json!(crate::http::new_id("sevt"));
        value["processed_at"] = json!(crate::http::now());
        (None, serde_json::from_value(value).unwrap())
    }

    fn types(plan: Option<Plan>) -> Vec<String> {
        plan.map(|p| {
            p.emissions
                .iter()
                .map(|e| e.event.type_name().to_string())
                .collect()
        })
        .unwrap_or_default()
    }

    /// Runs the agent the way the driver does, checking before each batch that a fresh
    /// fold of the whole log plans the same batch.
    fn run(agent: &mut Agent, folded: &mut usize, log: &mut Log) {
        loop {
            agent.fold(&log[*folded..], &Plain);
            *folded = log.len();
            let mut fresh = Agent::default();
            fresh.fold(log, &Plain);
            let Some(plan) = agent.plan(&Plain) else {
                assert!(fresh.plan(&Plain).is_none());
                return;
            };
            let live: Vec<String> = plan
                .emissions
                .iter()
                .map(|e| e.event.type_name().to_string())
                .collect();
            assert_eq!(
                types(fresh.plan(&Plain)),
                live,
                "after {} events",
                log.len()
            );
            log.extend(plan.emissions.into_iter().map(|e| (e.thread, e.event)));
        }
    }

    #[test]
    fn a_fresh_fold_of_the_log_plans_what_the_running_agent_plans() {
        let (mut agent, mut folded, mut log) = (Agent::default(), 0, Log::new());
        let message = |text: &str| {
            user(json!({"type": "user.message", "content": [{"type": "text", "text": text}]}))
        };
        log.push(message("call lookup {\"q\": 1}"));
        run(&mut agent, &mut folded, &mut log);
        let call = log
            .iter()
            .find_map(|(_, e)| match e {
                Event::AgentCustomToolUse(c) => Some(c.id.clone()),
                _ => None,
            })
            .unwrap();
        log.push(message("queued while waiting"));
        log.push(user(
            json!({"type": "user.custom_tool_result", "custom_tool_use_id": call,
            "content": [{"type": "text", "text": "found"}]}),
        ));
        run(&mut agent, &mut folded, &mut log);
        let texts: Vec<String> = log
            .iter()
            .filter_map(|(_, e)| match e {
                Event::AgentMessage(m) => Some(joined_text(&m.content)),
                _ => None,
            })
            .collect();
        assert_eq!(
            texts,
            [
                "Calling lookup.",
                "Tool results:\nlookup: found",
                "You said: queued while waiting"
            ]
        );
        let idles = log
            .iter()
            .filter(|(_, e)| matches!(e, Event::SessionStatusIdle(_)))
            .count();
        assert_eq!(idles, 3, "requires_action, then one end_turn per turn");
    }

    #[test]
    fn a_log_the_agent_did_not_write_fails_its_turn_once() {
        let mut log: Log = vec![
            user(json!({"type": "user.message", "content": [{"type": "text", "text": "hi"}]})),
            user(json!({"type": "session.status_running"})),
            user(
                json!({"type": "agent.message", "content": [{"type": "text", "text": "not scripted"}]}),
            ),
        ];
        let mut agent = Agent::default();
        agent.fold(&log, &Plain);
        let plan = agent.plan(&Plain).unwrap();
        assert_eq!(
            plan.emissions
                .iter()
                .map(|e| e.event.type_name())
                .collect::<Vec<_>>(),
            ["session.error", "session.status_idle"]
        );
        log.extend(plan.emissions.into_iter().map(|e| (e.thread, e.event)));
        let mut fresh = Agent::default();
        fresh.fold(&log, &Plain);
        assert!(fresh.plan(&Plain).is_none(), "the failed turn is over");
    }
}
