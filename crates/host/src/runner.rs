//! The session runner: a loop around the core's session machine
//! ([`SessionState`](outrig_api::SessionState)). It streams a session, feeds every event
//! to the machine, and runs what the machine dispatches (a call an idle listed, that this
//! host serves) through an [`Executor`], sending each answer as soon as it is ready. Calls
//! run in parallel (bounded). The machine hands a call out once, so it is never run twice
//! even across a stream reconnect; it says when the session stopped waiting for a call
//! (cancelled here), when a turn ended, and when an interrupt came (every call in flight
//! sees `cancelled()`, and those still running are stopped after their grace period). The
//! [`Journal`] carries calls across a crash (see [`crate::delivery`]).

use crate::confirm::{decide, ConfirmRule};
use crate::delivery::{send_until_settled, Answering, Delivery, Executor};
use crate::discovery::{Discovery, DiscoveryOptions};
use crate::dispatch::{CallOutcome, ToolHost};
use crate::journal::Journal;
use outrig_api::events::{Event, StopReason};
use outrig_api::objects::{Agent, Tool, UpdateAgent};
use outrig_api::state::{TurnEnd, Work};
use outrig_api::{SendEvent, SessionState};
use outrig_client::{Client, Error, StreamOptions};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

/// When `serve` returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// After a `session.status_idle` that ends the turn, once no call is in flight. With a
    /// history, that is the last turn the stream has received when it ends: send a turn's
    /// `user.message` before serving it, or serve before the session's first turn.
    TurnEnds,
    /// When the session terminates or is deleted.
    SessionEnds,
    /// When it is not in a turn (none started, or the last one ended), nothing is in
    /// flight, and no event has come for this long (or it terminates).
    Quiet(Duration),
}

/// One answered call.
#[derive(Debug, Clone)]
pub struct CallRecord {
    /// The `agent.custom_tool_use` id.
    pub id: String,
    /// Tool name.
    pub name: String,
    /// The outcome sent.
    pub outcome: CallOutcome,
    /// What became of it.
    pub delivery: Delivery,
}

/// One tool confirmation the host's policy answered.
#[derive(Debug, Clone)]
pub struct ConfirmationRecord {
    /// The `agent.tool_use` / `agent.mcp_tool_use` id.
    pub id: String,
    /// Whether it was allowed.
    pub allowed: bool,
    /// Which rule decided.
    pub because: String,
    /// What became of the answer.
    pub delivery: Delivery,
}

/// What a `serve` saw and did.
#[derive(Debug, Default)]
pub struct Summary {
    /// Events received.
    pub events: usize,
    /// Calls answered, in completion order.
    pub calls: Vec<CallRecord>,
    /// Confirmations answered by the policy, in completion order.
    pub confirmations: Vec<ConfirmationRecord>,
    /// Stop reason of the last turn-ending idle.
    pub stop_reason: Option<StopReason>,
}

/// Serves sessions with a tool host.
#[derive(Clone)]
pub struct Runner {
    host: Arc<ToolHost>,
    client: Client,
    max_parallel: usize,
    one_call_per_thread: bool,
    journal: Arc<Journal>,
    confirm: Arc<Vec<ConfirmRule>>,
}

/// What a task of `serve` finished.
enum Settled {
    Call(CallRecord),
    Confirmation(ConfirmationRecord),
}

impl Runner {
    /// A runner calling at most `max_parallel` tools at once per session, with a journal
    /// that lasts as long as the process (see [`Runner::with_journal`]).
    pub fn new(host: Arc<ToolHost>, client: Client, max_parallel: usize) -> Self {
        Runner {
            host,
            client,
            max_parallel: max_parallel.max(1),
            one_call_per_thread: false,
            journal: Arc::new(Journal::in_memory()),
            confirm: Arc::new(Vec::new()),
        }
    }

    /// Runs the calls of one session thread one at a time, in order (the SDK runner's rule,
    /// which the self-hosted worker follows); calls of different threads still run in
    /// parallel up to the limit.
    pub fn one_call_per_thread(mut self) -> Self {
        self.one_call_per_thread = true;
        self
    }

    /// A session machine that hands out the calls `executor` runs and the confirmations
    /// this runner's rules decide.
    fn session_state(&self, executor: Arc<dyn Executor>) -> SessionState {
        let rules = self.confirm.clone();
        SessionState::serving(move |work| match work {
            Work::Confirm(event) => decide(&rules, event).is_some(),
            work => executor.serves(work),
        })
    }

    /// Answers tool confirmations by these rules (none: leaves them to a person).
    pub fn with_confirmations(mut self, rules: Vec<ConfirmRule>) -> Self {
        self.confirm = Arc::new(rules);
        self
    }

    /// The tool host it runs calls with.
    pub fn host(&self) -> Arc<ToolHost> {
        self.host.clone()
    }

    /// Uses a durable journal, so a restarted host neither loses nor repeats a call.
    pub fn with_journal(self, journal: Journal) -> Self {
        self.with_shared_journal(Arc::new(journal))
    }

    /// Uses a journal shared with other runners (e.g. one per work item).
    pub fn with_shared_journal(mut self, journal: Arc<Journal>) -> Self {
        self.journal = journal;
        self
    }

    /// Makes the agent's custom tools exactly the host's tools (other toolsets are kept).
    pub async fn register(&self, agent_id: &str) -> Result<Agent, Error> {
        let agent = self.client.get_agent(agent_id).await?;
        let mut tools: Vec<Tool> = agent
            .tools
            .iter()
            .filter(|t| !matches!(t, Tool::Custom(_)))
            .cloned()
            .collect();
        tools.extend(self.host.custom_tools());
        if tools == agent.tools {
            return Ok(agent);
        }
        let update = UpdateAgent {
            version: Some(agent.version),
            tools: Some(Some(tools)),
            ..Default::default()
        };
        self.client.update_agent(agent_id, &update).await
    }

    /// Streams a session (with its history) and answers its calls until `until`.
    pub async fn serve(
        &self,
        session_id: &str,
        until: Until,
        on_event: impl FnMut(&Event),
    ) -> Result<Summary, Error> {
        let executor: Arc<dyn Executor> = self.host.clone();
        self.serve_with(session_id, until, executor, on_event).await
    }

    /// [`Runner::serve`] with the calls run by `executor` (e.g. the self-hosted worker's,
    /// which adds the built-in tools to the plugins).
    pub async fn serve_with(
        &self,
        session_id: &str,
        until: Until,
        executor: Arc<dyn Executor>,
        mut on_event: impl FnMut(&Event),
    ) -> Result<Summary, Error> {
        let mut stream = self.client.stream_events(
            session_id,
            StreamOptions {
                backfill_on_start: true,
                ..Default::default()
            },
        );
        stream.open().await?;
        let mut state = self.session_state(executor.clone());
        let mut in_flight: JoinSet<Settled> = JoinSet::new();
        // Each running call's own token, cancelled when the session stops waiting for it,
        // and its session thread.
        let mut running: HashMap<String, (CancellationToken, Option<String>)> = HashMap::new();
        let mut summary = Summary::default();
        let mut turn_ended = false;
        let mut last_event = tokio::time::Instant::now();
        // Shared by the calls dispatched since the last interrupt; an interrupt cancels it.
        let mut cancel = CancellationToken::new();
        let mut generation = 0;
        // Cancelled when the session is over: results still unsent are abandoned.
        let session_over = CancellationToken::new();
        let _over = session_over.clone().drop_guard();
        loop {
            // Fail closed: with a journal that cannot record a start, take no more calls.
            if let Some(failure) = self.journal.failure() {
                while in_flight.join_next().await.is_some() {}
                return Err(journal_failed(&failure));
            }
            if state.interrupts() != generation {
                generation = state.interrupts();
                cancel.cancel();
                cancel = CancellationToken::new();
            }
            while let Some(id) = state.poll_cancel() {
                if let Some((token, _)) = running.get(&id) {
                    tracing::info!(session = %session_id, call = %id, "the session no longer waits for this call; cancelling it");
                    token.cancel();
                }
            }
            // Only once everything received is fed: a backfilled history may hold a later
            // turn's start after an earlier turn's end (the machine then drops that end).
            while let Some(end) = (!stream.has_queued()).then(|| state.poll_turn()).flatten() {
                turn_ended = true;
                if let TurnEnd::Idle(reason) = end {
                    summary.stop_reason = Some(reason);
                }
            }
            if state.in_turn() {
                turn_ended = false;
            }
            // Act only on everything received so far: a backfilled history may hold the
            // answer to a call after the idle that listed it.
            while !stream.has_queued() {
                // Confirmations are quick; calls run up to the limit, and with
                // `one_call_per_thread` one at a time per session thread, in order.
                let calls = running.len();
                let busy: HashSet<Option<String>> =
                    running.values().map(|(_, t)| t.clone()).collect();
                let serial = self.one_call_per_thread;
                let Some(dispatch) = state.poll_dispatch_if(|work| {
                    matches!(work, Work::Confirm(_))
                        || (calls < self.max_parallel
                            && !(serial && busy.contains(&work.thread().map(str::to_owned))))
                }) else {
                    break;
                };
                let id = dispatch.work.id().to_string();
                if let Work::Confirm(event) = &dispatch.work {
                    let Some(decided) = decide(&self.confirm, event) else {
                        continue;
                    };
                    let confirm = self.clone().confirm(
                        session_id.to_string(),
                        id,
                        decided,
                        session_over.clone(),
                    );
                    in_flight.spawn(async move { Settled::Confirmation(confirm.await) });
                    continue;
                }
                let token = cancel.child_token();
                let thread = dispatch.work.thread().map(str::to_owned);
                running.insert(id, (token.clone(), thread));
                let answer = self.clone().answer(
                    session_id.to_string(),
                    dispatch.work,
                    executor.clone(),
                    token,
                    session_over.clone(),
                );
                in_flight.spawn(async move { Settled::Call(answer.await) });
            }
            if until == Until::TurnEnds
                && turn_ended
                && in_flight.is_empty()
                && !stream.has_queued()
            {
                return Ok(summary);
            }
            let resting = !state.in_turn() && in_flight.is_empty() && !stream.has_queued();
            let rest_ends = match until {
                Until::Quiet(quiet) if resting => Some(last_event + quiet),
                _ => None,
            };
            if rest_ends.is_some_and(|at| at <= tokio::time::Instant::now()) {
                return Ok(summary);
            }
            tokio::select! {
                event = stream.next() => match event {
                    None => break,
                    Some(Err(Error::MalformedEvent { raw, message })) => {
                        tracing::warn!(session = %session_id, "skipped a malformed event ({message}): {raw:.200}");
                    }
                    Some(Err(error)) => return Err(error),
                    Some(Ok(event)) => {
                        on_event(&event);
                        summary.events += 1;
                        last_event = tokio::time::Instant::now();
                        state.handle_event(&event);
                    }
                },
                Some(done) = in_flight.join_next(), if !in_flight.is_empty() => {
                    if let Ok(done) = done {
                        settle(&mut state, &mut running, &mut summary, done);
                    }
                }
                _ = tokio::time::sleep_until(rest_ends.unwrap_or_else(tokio::time::Instant::now)), if rest_ends.is_some() => {}
            }
        }
        session_over.cancel();
        while let Some(done) = in_flight.join_next().await {
            if let Ok(done) = done {
                settle(&mut state, &mut running, &mut summary, done);
            }
        }
        Ok(summary)
    }

    /// Serves every session of an agent that needs it, found as [`crate::discovery`]
    /// describes: a few list requests per poll however many sessions the agent has, and a
    /// stream only for sessions that work, await a call, or just did.
    pub async fn serve_all(&self, agent_id: &str, options: DiscoveryOptions) -> Result<(), Error> {
        let mut discovery = Discovery::default();
        let mut serving: HashMap<String, tokio::task::JoinHandle<()>> = HashMap::new();
        let mut last_sweep: Option<std::time::Instant> = None;
        // Sessions whose serving failed (a dropped connection, a 5xx): looked at again.
        let failed: Arc<Mutex<Vec<String>>> = Arc::default();
        loop {
            if let Some(failure) = self.journal.failure() {
                serving.values().for_each(|task| task.abort());
                return Err(journal_failed(&failure));
            }
            serving.retain(|_, task| !task.is_finished());
            for id in std::mem::take(&mut *failed.lock().unwrap_or_else(|p| p.into_inner())) {
                discovery.forget(&id);
            }
            let sweep = last_sweep.is_none_or(|at| at.elapsed() >= options.sweep);
            if sweep {
                last_sweep = Some(std::time::Instant::now());
            }
            for listing in discovery.listings(sweep) {
                let listed = self
                    .client
                    .list_sessions_where(agent_id, listing.statuses(), listing.created_since())
                    .await;
                let sessions = match listed {
                    Ok(sessions) => sessions,
                    // The agent or the key is wrong: polling again will not help.
                    Err(error) if matches!(error.status(), Some(400 | 401 | 403 | 404)) => {
                        return Err(error)
                    }
                    // Anything else (a 5xx or 429 after the client's retries, a dropped
                    // connection) is tried again at the next poll.
                    Err(error) => {
                        tracing::warn!("cannot list the sessions ({error}); trying again");
                        if sweep {
                            last_sweep = None;
                        }
                        break;
                    }
                };
                for session in sessions {
                    if serving.contains_key(&session.id) {
                        continue;
                    }
                    let Some(until) = discovery.open(&session, options.keep_idle) else {
                        continue;
                    };
                    let (runner, id, failed) = (self.clone(), session.id.clone(), failed.clone());
                    serving.insert(
                        session.id,
                        tokio::spawn(async move {
                            // A resting session that changed since it was last watched is
                            // read once; it is streamed only if something awaits this host.
                            if until == Until::Quiet(Duration::ZERO) && !runner.awaits_us(&id).await
                            {
                                return;
                            }
                            if let Err(error) = runner.serve(&id, until, |_| {}).await {
                                tracing::warn!(session = %id, "stopped serving: {error}");
                                failed.lock().unwrap_or_else(|p| p.into_inner()).push(id);
                            }
                        }),
                    );
                }
            }
            tokio::time::sleep(options.poll).await;
        }
    }

    /// Whether the session has a call this host answers (or a confirmation its rules
    /// decide) pending; on an error, assumes it has.
    async fn awaits_us(&self, session_id: &str) -> bool {
        let Ok(events) = self.client.list_events(session_id).await else {
            return true;
        };
        let mut state = self.session_state(self.host.clone());
        for event in &events {
            state.handle_event(event);
        }
        let awaits = state.pending().next().is_some();
        awaits
    }

    async fn confirm(
        self,
        session_id: String,
        id: String,
        decided: crate::confirm::Decided,
        session_over: CancellationToken,
    ) -> ConfirmationRecord {
        let allowed =
            matches!(&decided.answer, SendEvent::UserToolConfirmation(c) if c.result == "allow");
        tracing::info!(session = %session_id, event = %id, "{} by {}", if allowed { "allowed" } else { "denied" }, decided.because);
        let delivery = send_until_settled(
            &self.client,
            &session_id,
            &id,
            decided.answer,
            &session_over,
        )
        .await;
        ConfirmationRecord {
            id,
            allowed,
            because: decided.because,
            delivery,
        }
    }

    async fn answer(
        self,
        session_id: String,
        work: Work,
        executor: Arc<dyn Executor>,
        cancel: CancellationToken,
        session_over: CancellationToken,
    ) -> CallRecord {
        let answering = Answering {
            executor: executor.as_ref(),
            client: &self.client,
            journal: &self.journal,
            session_id: &session_id,
            cancel,
            session_over,
        };
        let span = crate::trace::tool_call(None, "stream", &session_id, work.id(), work.name());
        let (outcome, delivery) = answering.answer(&work).instrument(span.clone()).await;
        crate::trace::settled(&span, outcome.is_error, &delivery);
        CallRecord {
            id: work.id().to_string(),
            name: work.name().to_string(),
            outcome,
            delivery,
        }
    }
}

/// The error a runner stops with when its journal fails.
fn journal_failed(failure: &str) -> Error {
    Error::Invalid(format!("stopped taking tool calls: {failure}"))
}

/// Tells the session's state what became of an answer, and records it.
fn settle(
    state: &mut SessionState,
    running: &mut HashMap<String, (CancellationToken, Option<String>)>,
    summary: &mut Summary,
    done: Settled,
) {
    let (id, delivery) = match &done {
        Settled::Call(call) => (&call.id, &call.delivery),
        Settled::Confirmation(confirmation) => (&confirmation.id, &confirmation.delivery),
    };
    running.remove(id);
    match delivery {
        Delivery::Accepted | Delivery::AlreadySettled => state.handle_sent(id),
        Delivery::Refused(_) => state.handle_refused(id),
        // Still pending: another host (or this one, restarted) will answer it.
        Delivery::Abandoned | Delivery::NotRun(_) => {}
    }
    match done {
        Settled::Call(call) => summary.calls.push(call),
        Settled::Confirmation(confirmation) => summary.confirmations.push(confirmation),
    }
}
