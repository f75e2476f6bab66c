//! The emulated agent. Each session gets one driver task that takes inputs (user events) in
//! order and runs the scenario's turn: emits events, waits for tool results, reports them.
//! A driver rebuilds its state from the stored history when it starts, so a session
//! waiting for tool results survives an emulator restart.

use crate::emit::Emitter;
use crate::scenario::{default_turn, Delegation, Scenario, Step, ToolCall, Turn};
use outrig_api::content::joined_text;
use outrig_api::events::{Event, StopReason};
use outrig_api::objects::SessionStatus;
use outrig_api::SessionState;
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;

/// An input for a session's agent, taken from the echoed user events.
#[derive(Debug, Clone)]
pub enum Input {
    /// A `user.message` (its text and 0-based turn number).
    Message {
        /// Text of the message.
        text: String,
        /// How many user messages came before it.
        turn: usize,
    },
    /// The answers (`user.custom_tool_result` / `user.tool_confirmation`) of one request,
    /// applied together.
    Answers(Vec<Answer>),
    /// A `user.interrupt`.
    Interrupt,
    /// A `user.define_outcome`: work towards it, graded each iteration.
    Outcome {
        /// `outc_…`
        outcome_id: String,
        /// What should be achieved.
        description: String,
        /// How many grading rounds at most.
        max_iterations: i64,
    },
}

/// One answer to a pending call.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The event it answers.
    pub id: String,
    /// Text reported back to the model.
    pub text: String,
    /// Whether it reports a failure or a denial.
    pub is_error: bool,
}

/// Starts and feeds one driver per session.
pub struct Engine {
    emitter: Arc<Emitter>,
    scenarios: HashMap<String, Scenario>,
    delay_scale: f64,
    drivers: Mutex<HashMap<String, mpsc::UnboundedSender<Input>>>,
}

impl Engine {
    /// An engine emitting through `emitter`.
    pub fn new(
        emitter: Arc<Emitter>,
        scenarios: HashMap<String, Scenario>,
        delay_scale: f64,
    ) -> Arc<Self> {
        Arc::new(Engine {
            emitter,
            scenarios,
            delay_scale,
            drivers: Mutex::new(HashMap::new()),
        })
    }

    /// Whether a scenario of this name exists.
    pub fn has_scenario(&self, name: &str) -> bool {
        self.scenarios.contains_key(name)
    }

    /// Starts the session's driver if it is not running, rebuilding its state from the
    /// stored history. Call before storing new input, so the rebuild sees the session as it
    /// was when that input arrived.
    pub fn attach(self: &Arc<Self>, session_id: &str) {
        let mut drivers = self.drivers.lock().unwrap_or_else(|p| p.into_inner());
        if drivers.contains_key(session_id) {
            return;
        }
        let (tx, rx) = mpsc::unbounded_channel();
        let mut driver = Driver {
            engine: self.clone(),
            session_id: session_id.to_string(),
            inbox: rx,
            queue: VecDeque::new(),
            turn: None,
        };
        if let Err(error) = driver.recover() {
            tracing::error!(session = %session_id, "cannot recover session state: {error:#}");
        }
        tokio::spawn(driver.run());
        drivers.insert(session_id.to_string(), tx);
    }

    /// Hands inputs to the session's driver, starting it if needed.
    pub fn deliver(self: &Arc<Self>, session_id: &str, inputs: Vec<Input>) {
        self.attach(session_id);
        let drivers = self.drivers.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(sender) = drivers.get(session_id) {
            for input in inputs {
                let _ = sender.send(input);
            }
        }
    }

    /// Stops a deleted session's driver.
    pub fn forget(&self, session_id: &str) {
        self.drivers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(session_id);
    }

    /// The scripted verdicts for the session's outcome iterations.
    fn verdicts_for(&self, session_id: &str) -> Vec<String> {
        self.emitter
            .scenario_name(session_id)
            .and_then(|name| self.scenarios.get(&name))
            .map(|s| s.outcome_verdicts.clone())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| vec!["satisfied".to_string()])
    }

    fn turn_for(&self, session_id: &str, text: &str, turn: usize) -> Result<Turn, String> {
        match self.emitter.scenario_name(session_id) {
            Some(name) => {
                let scenario = self
                    .scenarios
                    .get(&name)
                    .ok_or_else(|| format!("no scenario named `{name}`"))?;
                scenario.turns[turn.min(scenario.turns.len() - 1)]
                    .clone()
                    .expanded()
            }
            None => default_turn(text),
        }
    }
}

/// A turn in progress.
struct TurnState {
    steps: Vec<Step>,
    next: usize,
    awaiting: Vec<String>,
    call_names: HashMap<String, String>,
    /// Built-in calls awaiting confirmation (the platform runs them once allowed).
    asked: Vec<String>,
    results: Vec<(String, String, bool)>,
    span_start: Option<String>,
    /// The sub-thread the turn is in, between a delegation's start and its report.
    thread: Option<ActiveThread>,
}

/// A sub-thread doing a delegated task.
#[derive(Debug, Clone)]
struct ActiveThread {
    id: String,
    agent_name: String,
    /// The sub-agent's custom tool names.
    tools: Vec<String>,
    /// Its latest message, which it reports back.
    last_message: String,
}

impl ActiveThread {
    fn from_object(thread: &Value) -> Self {
        ActiveThread {
            id: thread["id"].as_str().unwrap_or_default().to_string(),
            agent_name: thread["agent"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            tools: custom_tool_names(&thread["agent"]),
            last_message: String::new(),
        }
    }
}

/// The custom tool names of an agent definition.
fn custom_tool_names(agent: &Value) -> Vec<String> {
    agent["tools"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| t["type"] == "custom")
        .filter_map(|t| t["name"].as_str().map(str::to_owned))
        .collect()
}

struct Driver {
    engine: Arc<Engine>,
    session_id: String,
    inbox: mpsc::UnboundedReceiver<Input>,
    queue: VecDeque<Input>,
    turn: Option<TurnState>,
}

enum Flow {
    Continue,
    Suspend,
    End,
}

impl Driver {
    async fn run(mut self) {
        loop {
            let input = match self.queue.pop_front() {
                Some(input) => input,
                None => match self.inbox.recv().await {
                    Some(input) => input,
                    None => return,
                },
            };
            if let Err(error) = self.handle(input).await {
                tracing::error!(session = %self.session_id, "emulated agent failed: {error:#}");
            }
        }
    }

    fn emitter(&self) -> &Emitter {
        &self.engine.emitter
    }

    /// Emits into the thread the turn is in (the primary, or a delegation's sub-thread).
    async fn emit(&self, event: Value) -> anyhow::Result<String> {
        let thread = self
            .turn
            .as_ref()
            .and_then(|t| t.thread.as_ref())
            .map(|t| t.id.as_str());
        self.emitter().emit_in(&self.session_id, thread, event)
    }

    /// Emits into the primary thread, wherever the turn is.
    async fn emit_primary(&self, event: Value) -> anyhow::Result<String> {
        self.emitter().emit(&self.session_id, event)
    }

    fn active_thread(&self) -> Option<ActiveThread> {
        self.turn.as_ref().and_then(|t| t.thread.clone())
    }

    /// A status event of the active sub-thread (`session.thread_status_*`), if there is one.
    async fn thread_status(&self, kind: &str, stop: Option<Value>) -> anyhow::Result<()> {
        if let Some(thread) = self.active_thread() {
            let mut event = json!({"type": kind, "session_thread_id": thread.id, "agent_name": thread.agent_name});
            if let Some(idle) = stop {
                event["stop_reason"] = idle["stop_reason"].clone();
                event["stop_details"] = idle["stop_details"].clone();
            }
            self.emit(event).await?;
        }
        Ok(())
    }

    /// The session goes idle; an active sub-thread goes idle first, for the same reason.
    async fn go_idle(&self, idle: Value) -> anyhow::Result<()> {
        self.thread_status("session.thread_status_idle", Some(idle.clone()))
            .await?;
        self.emit_primary(idle).await?;
        Ok(())
    }

    /// The session runs again; so does an active sub-thread.
    async fn go_running(&self) -> anyhow::Result<()> {
        self.emit_primary(json!({"type":"session.status_running"}))
            .await?;
        self.thread_status("session.thread_status_running", None)
            .await
    }

    /// Rebuilds a waiting turn from the history (after a restart).
    fn recover(&mut self) -> anyhow::Result<()> {
        let history = self.emitter().typed_history(&self.session_id)?;
        let state = SessionState::from_events(&history);
        match state.status() {
            Some(SessionStatus::Running) | Some(SessionStatus::Rescheduling) => {
                let emitter = self.emitter();
                emitter.emit(&self.session_id, json!({"type":"session.error","error":{"type":"unknown_error","message":"the emulator restarted during this turn","retry_status":{"type":"exhausted"}}}))?;
                emitter.emit(&self.session_id, idle("retries_exhausted", Vec::new()))?;
            }
            Some(SessionStatus::Idle) if !state.awaited_event_ids().is_empty() => {
                let Some(start) = history
                    .iter()
                    .rposition(|e| matches!(e, Event::UserMessage(_)))
                else {
                    return Ok(());
                };
                let Event::UserMessage(message) = &history[start] else {
                    unreachable!()
                };
                let turn_number = history[..start]
                    .iter()
                    .filter(|e| matches!(e, Event::UserMessage(_)))
                    .count();
                let Ok(turn) = self.engine.turn_for(
                    &self.session_id,
                    &joined_text(&message.content),
                    turn_number,
                ) else {
                    return Ok(());
                };
                let waits_done = history[start..]
                    .iter()
                    .filter(|e| matches!(e, Event::SessionStatusIdle(i) if matches!(i.stop_reason, StopReason::RequiresAction(_))))
                    .count();
                let next = turn
                    .steps
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| matches!(s, Step::ToolCalls(_) | Step::AskTool(_)))
                    .nth(waits_done.saturating_sub(1))
                    .map(|(i, _)| i + 1)
                    .unwrap_or(turn.steps.len());
                let mut call_names = HashMap::new();
                let mut results = Vec::new();
                let mut asked = Vec::new();
                for event in &history[start..] {
                    match event {
                        Event::AgentCustomToolUse(c) => {
                            drop(call_names.insert(c.id.clone(), c.name.clone()))
                        }
                        Event::AgentToolUse(c) => {
                            asked.push(c.id.clone());
                            call_names.insert(c.id.clone(), c.name.clone());
                        }
                        Event::UserCustomToolResult(r) => results.push((
                            call_names
                                .get(&r.custom_tool_use_id)
                                .cloned()
                                .unwrap_or_default(),
                            r.content.as_deref().map(joined_text).unwrap_or_default(),
                            r.is_error.flatten().unwrap_or(false),
                        )),
                        _ => {}
                    }
                }
                self.turn = Some(TurnState {
                    steps: turn.steps,
                    next,
                    awaiting: state
                        .awaited_event_ids()
                        .iter()
                        .map(|s| s.to_string())
                        .collect(),
                    call_names,
                    asked,
                    results,
                    span_start: None,
                    thread: open_thread(self.emitter(), &history[start..])?,
                });
            }
            _ => {}
        }
        Ok(())
    }

    async fn handle(&mut self, input: Input) -> anyhow::Result<()> {
        match input {
            Input::Message { text, turn } => {
                if self.turn.is_some() {
                    // Still waiting for tool results: the message waits its turn.
                    self.queue.push_back(Input::Message { text, turn });
                    return Ok(());
                }
                self.emit(json!({"type":"session.status_running"})).await?;
                match self.engine.turn_for(&self.session_id, &text, turn) {
                    Ok(turn) => {
                        self.turn = Some(TurnState {
                            steps: turn.steps,
                            next: 0,
                            awaiting: Vec::new(),
                            call_names: HashMap::new(),
                            asked: Vec::new(),
                            results: Vec::new(),
                            span_start: None,
                            thread: None,
                        });
                        self.run_steps().await
                    }
                    Err(message) => {
                        self.emit(json!({"type":"session.error","error":{"type":"unknown_error","message":message,"retry_status":{"type":"exhausted"}}})).await?;
                        self.emit(idle("retries_exhausted", Vec::new())).await?;
                        Ok(())
                    }
                }
            }
            Input::Answers(answers) => {
                let Some(turn) = self.turn.as_mut() else {
                    return Ok(());
                };
                let mut ran = Vec::new();
                for Answer { id, text, is_error } in answers {
                    let Some(position) = turn.awaiting.iter().position(|a| *a == id) else {
                        continue;
                    };
                    turn.awaiting.remove(position);
                    let name = turn.call_names.get(&id).cloned().unwrap_or_default();
                    if turn.asked.contains(&id) && !is_error {
                        ran.push((id.clone(), name.clone()));
                    }
                    turn.results.push((name, text, is_error));
                }
                let waiting = turn.awaiting.clone();
                // Allowed built-in calls run on the platform, which reports their result.
                for (id, name) in ran {
                    let text = format!("{name} ran in the emulated environment");
                    self.emit(json!({"type": "agent.tool_result", "tool_use_id": id,
                        "content": [{"type": "text", "text": text}], "is_error": false}))
                        .await?;
                }
                if waiting.is_empty() {
                    self.go_running().await?;
                    self.run_steps().await
                } else {
                    self.go_idle(idle("requires_action", waiting)).await?;
                    Ok(())
                }
            }
            Input::Interrupt => {
                if self.turn.is_some() {
                    self.go_idle(idle("end_turn", Vec::new())).await?;
                    self.turn = None;
                }
                Ok(())
            }
            Input::Outcome {
                outcome_id,
                description,
                max_iterations,
            } => {
                if self.turn.is_some() {
                    self.queue.push_back(Input::Outcome {
                        outcome_id,
                        description,
                        max_iterations,
                    });
                    return Ok(());
                }
                self.pursue(&outcome_id, &description, max_iterations).await
            }
        }
    }

    /// Works towards an outcome: a draft, then grading rounds (`span.outcome_evaluation_*`)
    /// with the scenario's verdicts; `needs_revision` revises and grades again, up to
    /// `max_iterations`; an interrupt ends the evaluation `interrupted`.
    async fn pursue(
        &mut self,
        outcome_id: &str,
        description: &str,
        max: i64,
    ) -> anyhow::Result<()> {
        let verdicts = self.engine.verdicts_for(&self.session_id);
        self.emit(json!({"type":"session.status_running"})).await?;
        self.emitter()
            .emit_message(&self.session_id, &format!("Working towards: {description}"))?;
        for iteration in 0..max.max(1) {
            let record = |result: &str, explanation: Option<&str>| {
                self.emitter().record_outcome(
                    &self.session_id,
                    outcome_id,
                    description,
                    iteration,
                    result,
                    explanation,
                )
            };
            record("evaluating", None)?;
            let start = self
                .emit(json!({"type":"span.outcome_evaluation_start","outcome_id":outcome_id,"iteration":iteration}))
                .await?;
            self.emit(json!({"type":"span.outcome_evaluation_ongoing","outcome_id":outcome_id,"iteration":iteration}))
                .await?;
            let verdict = verdicts[(iteration as usize).min(verdicts.len() - 1)].as_str();
            let result = match verdict {
                _ if self.interrupted() => "interrupted",
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
            self.emit(json!({"type":"span.outcome_evaluation_end","outcome_id":outcome_id,
                "outcome_evaluation_start_id":start,"iteration":iteration,"result":result,"explanation":explanation,
                "usage":{"input_tokens":200,"output_tokens":40,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}))
                .await?;
            let done = result != "needs_revision";
            let record = |result: &str, explanation: Option<&str>| {
                self.emitter().record_outcome(
                    &self.session_id,
                    outcome_id,
                    description,
                    iteration,
                    result,
                    explanation,
                )
            };
            record(result, Some(&explanation))?;
            match result {
                "needs_revision" => self
                    .emitter()
                    .emit_message(&self.session_id, &format!("Revising (iteration {}).", iteration + 1))?,
                "max_iterations_reached" => self.emitter().emit_message(
                    &self.session_id,
                    "I could not fully meet the outcome within the allowed iterations; here is where it stands.",
                )?,
                _ => {}
            }
            if done {
                break;
            }
        }
        self.emit(idle("end_turn", Vec::new())).await?;
        Ok(())
    }

    /// Runs steps until the turn waits for the client or ends.
    async fn run_steps(&mut self) -> anyhow::Result<()> {
        loop {
            if self.interrupted() {
                self.go_idle(idle("end_turn", Vec::new())).await?;
                self.turn = None;
                return Ok(());
            }
            let Some(turn) = self.turn.as_mut() else {
                return Ok(());
            };
            let Some(step) = turn.steps.get(turn.next).cloned() else {
                self.end_turn("end_turn").await?;
                return Ok(());
            };
            turn.next += 1;
            match self.step(step).await? {
                Flow::Continue => {}
                Flow::Suspend => return Ok(()),
                Flow::End => {
                    self.turn = None;
                    return Ok(());
                }
            }
        }
    }

    /// Takes queued inputs; returns whether an interrupt is among them.
    fn interrupted(&mut self) -> bool {
        while let Ok(input) = self.inbox.try_recv() {
            self.queue.push_back(input);
        }
        match self
            .queue
            .iter()
            .position(|i| matches!(i, Input::Interrupt))
        {
            Some(at) => {
                self.queue.remove(at);
                true
            }
            None => false,
        }
    }

    async fn ensure_span(&mut self) -> anyhow::Result<()> {
        if self.turn.as_ref().is_some_and(|t| t.span_start.is_none()) {
            let id = self
                .emit(json!({"type":"span.model_request_start"}))
                .await?;
            if let Some(turn) = self.turn.as_mut() {
                turn.span_start = Some(id);
            }
        }
        Ok(())
    }

    async fn close_span(&mut self, output_chars: usize) -> anyhow::Result<()> {
        if let Some(start) = self.turn.as_mut().and_then(|t| t.span_start.take()) {
            self.emit(json!({"type":"span.model_request_end","model_request_start_id":start,"is_error":false,
                "model_usage":{"input_tokens":120,"output_tokens":(output_chars / 4).max(1),"cache_creation_input_tokens":0,"cache_read_input_tokens":0}})).await?;
        }
        Ok(())
    }

    async fn end_turn(&mut self, reason: &str) -> anyhow::Result<()> {
        self.close_span(40).await?;
        self.go_idle(idle(reason, Vec::new())).await?;
        self.turn = None;
        Ok(())
    }

    /// Ends the turn with a `session.error` that is not retried.
    async fn fail_turn(&mut self, message: String) -> anyhow::Result<Flow> {
        self.emit(json!({"type":"session.error","error":{"type":"unknown_error","message":message,"retry_status":{"type":"exhausted"}}})).await?;
        self.end_turn("retries_exhausted").await?;
        Ok(Flow::End)
    }

    /// Starts a sub-thread for a delegation to a roster agent.
    async fn enter_thread(&mut self, delegation: Delegation) -> anyhow::Result<Flow> {
        self.close_span(20).await?;
        let session = self
            .emitter()
            .store
            .get(crate::store::Kind::Session, &self.session_id, None)?
            .unwrap_or_default();
        let roster = roster_agents(&session["agent"]["multiagent"]);
        let Some(agent) = roster
            .iter()
            .find(|a| a["name"] == delegation.agent.as_str())
        else {
            let names: Vec<&str> = roster.iter().filter_map(|a| a["name"].as_str()).collect();
            let message = format!(
                "the agent delegated to `{}`, which is not in its multiagent roster ({})",
                delegation.agent,
                names_or_none(&names)
            );
            return self.fail_turn(message).await;
        };
        let thread = crate::threads::create(&self.emitter().store, &self.session_id, agent)?;
        let active = ActiveThread::from_object(&thread);
        let task = json!([{"type": "text", "text": delegation.task}]);
        self.emit_primary(
            json!({"type": "agent.thread_message_sent", "to_session_thread_id": active.id,
            "to_agent_name": active.agent_name, "content": task}),
        )
        .await?;
        if let Some(turn) = self.turn.as_mut() {
            turn.thread = Some(active.clone());
        }
        self.emit(
            json!({"type": "session.thread_created", "session_thread_id": active.id,
            "agent_name": active.agent_name, "workflow_run_id": null}),
        )
        .await?;
        self.emit(json!({"type": "agent.thread_message_received",
            "from_session_thread_id": crate::threads::primary_id(&self.session_id), "content": task}))
            .await?;
        self.thread_status("session.thread_status_running", None)
            .await?;
        Ok(Flow::Continue)
    }

    /// The sub-thread reports back to the primary and goes idle.
    async fn leave_thread(&mut self) -> anyhow::Result<()> {
        let Some(thread) = self.active_thread() else {
            return Ok(());
        };
        self.close_span(20).await?;
        let report = json!([{"type": "text", "text": thread.last_message}]);
        self.emit(json!({"type": "agent.thread_message_sent",
            "to_session_thread_id": crate::threads::primary_id(&self.session_id), "content": report}))
            .await?;
        self.thread_status(
            "session.thread_status_idle",
            Some(idle("end_turn", Vec::new())),
        )
        .await?;
        if let Some(turn) = self.turn.as_mut() {
            turn.thread = None;
        }
        self.emit_primary(
            json!({"type": "agent.thread_message_received", "from_session_thread_id": thread.id,
            "from_agent_name": thread.agent_name, "content": report}),
        )
        .await?;
        Ok(())
    }

    /// An `agent.message` in the thread the turn is in (previews only on the primary).
    fn say(&mut self, text: &str) -> anyhow::Result<()> {
        match self.turn.as_mut().and_then(|t| t.thread.as_mut()) {
            Some(thread) => {
                thread.last_message = text.to_string();
                let id = thread.id.clone();
                self.emitter().emit_in(
                    &self.session_id,
                    Some(&id),
                    json!({"type":"agent.message","content":[{"type":"text","text":text}]}),
                )?;
            }
            None => self.emitter().emit_message(&self.session_id, text)?,
        }
        Ok(())
    }

    async fn step(&mut self, step: Step) -> anyhow::Result<Flow> {
        self.ensure_span().await?;
        match step {
            Step::Thinking => drop(self.emit(json!({"type":"agent.thinking"})).await?),
            Step::Message(text) => self.say(&text)?,
            Step::ReportResults => {
                let results = &self.turn.as_ref().expect("in a turn").results;
                let lines: Vec<String> = results
                    .iter()
                    .map(|(name, text, is_error)| {
                        format!("{name}{}: {text}", if *is_error { " failed" } else { "" })
                    })
                    .collect();
                let text = format!("Tool results:\n{}", lines.join("\n"));
                self.say(&text)?;
            }
            Step::ToolCalls(calls) => return self.call_tools(calls).await,
            Step::AskTool(call) => {
                let id = self
                    .emit(
                        json!({"type":"agent.tool_use","name":call.name,"input":call.input,
                    "evaluated_permission":"ask","evaluation":{"type":"always_ask"}}),
                    )
                    .await?;
                if let Some(turn) = self.turn.as_mut() {
                    turn.asked.push(id.clone());
                }
                self.wait_for(vec![(id, call.name)]).await?;
                return Ok(Flow::Suspend);
            }
            Step::Error(error) => drop(
                self.emit(json!({"type":"session.error","error":error}))
                    .await?,
            ),
            Step::Stop(reason) => {
                self.end_turn(&reason).await?;
                return Ok(Flow::End);
            }
            Step::Reschedule => {
                self.emit(json!({"type": "session.status_rescheduled"}))
                    .await?;
                self.emit(json!({"type": "session.status_running"})).await?;
            }
            Step::Delegate(delegation) | Step::EnterThread(delegation) => {
                return self.enter_thread(delegation).await
            }
            Step::LeaveThread => self.leave_thread().await?,
            Step::DelayMs(ms) => {
                let delay = Duration::from_secs_f64(ms as f64 / 1000.0 * self.engine.delay_scale);
                tokio::select! {
                    _ = tokio::time::sleep(delay) => {}
                    Some(input) = self.inbox.recv() => self.queue.push_back(input),
                }
            }
        }
        Ok(Flow::Continue)
    }

    async fn call_tools(&mut self, calls: Vec<ToolCall>) -> anyhow::Result<Flow> {
        let known = match self.active_thread() {
            Some(thread) => thread.tools,
            None => self.emitter().custom_tool_names(&self.session_id)?,
        };
        if let Some(bad) = calls.iter().find(|c| !known.contains(&c.name)) {
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            let message = format!(
                "the agent called `{}`, which is not one of its custom tools ({})",
                bad.name,
                names_or_none(&known)
            );
            return self.fail_turn(message).await;
        }
        let mut ids = Vec::new();
        for call in calls {
            let id = self
                .emit(json!({"type":"agent.custom_tool_use","name":call.name,"input":call.input}))
                .await?;
            ids.push((id, call.name));
        }
        self.wait_for(ids).await?;
        Ok(Flow::Suspend)
    }

    async fn wait_for(&mut self, calls: Vec<(String, String)>) -> anyhow::Result<()> {
        self.close_span(60).await?;
        let ids: Vec<String> = calls.iter().map(|(id, _)| id.clone()).collect();
        if let Some(turn) = self.turn.as_mut() {
            turn.awaiting = ids.clone();
            turn.call_names.extend(calls);
        }
        self.go_idle(idle("requires_action", ids)).await?;
        Ok(())
    }
}

/// `a, b` or `it has none`, for error messages.
fn names_or_none(names: &[&str]) -> String {
    if names.is_empty() {
        "it has none".to_string()
    } else {
        names.join(", ")
    }
}

/// The agent definitions a session's roster names (coordinator agents, sub-agents and
/// workflow agents), as expanded on the session.
fn roster_agents(roster: &Value) -> Vec<Value> {
    let mut agents: Vec<Value> = roster["agents"].as_array().cloned().unwrap_or_default();
    for key in ["subagents", "workflows"] {
        agents.extend(
            roster[key]["predefined_agents"]
                .as_array()
                .cloned()
                .unwrap_or_default(),
        );
    }
    agents.retain(|a| a["name"].is_string());
    agents
}

/// The sub-thread a recovered turn is in: the last one started in it that has not reported.
fn open_thread(emitter: &Emitter, turn_events: &[Event]) -> anyhow::Result<Option<ActiveThread>> {
    let mut open = None;
    for event in turn_events {
        match event {
            Event::SessionThreadCreated(created) => open = Some(created.session_thread_id.clone()),
            Event::AgentThreadMessageReceived(received)
                if open.as_deref() == Some(received.from_session_thread_id.as_str()) =>
            {
                open = None
            }
            _ => {}
        }
    }
    let Some(id) = open else { return Ok(None) };
    Ok(emitter
        .store
        .get(crate::store::Kind::Thread, &id, None)?
        .map(|thread| ActiveThread::from_object(&thread)))
}

/// A `session.status_idle` event body.
fn idle(reason: &str, event_ids: Vec<String>) -> Value {
    let stop_reason = match reason {
        "requires_action" => json!({"type":"requires_action","event_ids":event_ids}),
        other => json!({"type": other}),
    };
    let stop_details = match reason {
        "refusal" => json!({"type":"refusal","category":null,"explanation":null}),
        _ => Value::Null,
    };
    json!({"type":"session.status_idle","stop_reason":stop_reason,"stop_details":stop_details})
}
