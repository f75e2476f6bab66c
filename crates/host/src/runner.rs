//! The session runner: streams a session, and answers every pending `agent.custom_tool_use`
//! this host serves by running the plugin and sending `user.custom_tool_result` as soon as
//! each call finishes. Calls run in parallel (bounded). A call is marked answered when it is
//! dispatched, so no call is ever answered twice, even across a stream reconnect. A
//! `user.interrupt` makes `cancelled()` true for every call in flight, and stops those
//! still running after their grace period.

use crate::dispatch::{CallOutcome, ToolHost};
use outrig_api::events::{AgentCustomToolUse, Event, StopReason};
use outrig_api::objects::{Agent, Tool, UpdateAgent};
use outrig_api::SendEvent;
use outrig_client::{Client, Error, StreamOptions};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// When `serve` returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// After a `session.status_idle` that ends the turn, once no call is in flight.
    TurnEnds,
    /// When the session terminates or is deleted.
    SessionEnds,
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
}

/// What a `serve` saw and did.
#[derive(Debug, Default)]
pub struct Summary {
    /// Events received.
    pub events: usize,
    /// Calls answered, in completion order.
    pub calls: Vec<CallRecord>,
    /// Stop reason of the last turn-ending idle.
    pub stop_reason: Option<StopReason>,
}

/// Serves sessions with a tool host.
#[derive(Clone)]
pub struct Runner {
    host: Arc<ToolHost>,
    client: Client,
    max_parallel: usize,
}

impl Runner {
    /// A runner calling at most `max_parallel` tools at once per session.
    pub fn new(host: Arc<ToolHost>, client: Client, max_parallel: usize) -> Self {
        Runner {
            host,
            client,
            max_parallel: max_parallel.max(1),
        }
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
        let limit = Arc::new(Semaphore::new(self.max_parallel));
        let mut in_flight: JoinSet<CallRecord> = JoinSet::new();
        let mut summary = Summary::default();
        let mut turn_ended = false;
        // Shared by the calls dispatched since the last interrupt; an interrupt cancels it.
        let mut cancel = CancellationToken::new();
        loop {
            let ready: Vec<AgentCustomToolUse> = stream
                .state()
                .pending_custom_tool_uses()
                .filter(|c| self.host.serves(&c.name))
                .cloned()
                .collect();
            for call in ready {
                stream.state_mut().mark_answered(&call.id);
                in_flight.spawn(self.clone().answer(
                    session_id.to_string(),
                    call,
                    limit.clone(),
                    cancel.clone(),
                ));
            }
            if until == Until::TurnEnds && turn_ended && in_flight.is_empty() {
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
                        match &event {
                            Event::UserMessage(_) => turn_ended = false,
                            Event::UserInterrupt(_) => {
                                cancel.cancel();
                                cancel = CancellationToken::new();
                            }
                            Event::SessionStatusIdle(idle) if idle.stop_reason.ends_turn() => {
                                turn_ended = true;
                                summary.stop_reason = Some(idle.stop_reason.clone());
                            }
                            _ => {}
                        }
                    }
                },
                Some(done) = in_flight.join_next(), if !in_flight.is_empty() => {
                    if let Ok(record) = done {
                        summary.calls.push(record);
                    }
                }
            }
        }
        while let Some(done) = in_flight.join_next().await {
            if let Ok(record) = done {
                summary.calls.push(record);
            }
        }
        Ok(summary)
    }

    /// Serves every session of an agent, picking up new ones as they appear.
    pub async fn serve_all(&self, agent_id: &str) -> Result<(), Error> {
        let mut serving: HashMap<String, tokio::task::JoinHandle<()>> = HashMap::new();
        loop {
            for session in self.client.list_sessions(Some(agent_id)).await? {
                let finished = serving
                    .get(&session.id)
                    .is_some_and(|task| task.is_finished());
                if session.status == outrig_api::objects::SessionStatus::Terminated
                    || (serving.contains_key(&session.id) && !finished)
                {
                    continue;
                }
                let (runner, id) = (self.clone(), session.id.clone());
                serving.insert(
                    session.id.clone(),
                    tokio::spawn(async move {
                        if let Err(error) = runner.serve(&id, Until::SessionEnds, |_| {}).await {
                            tracing::warn!(session = %id, "stopped serving: {error}");
                        }
                    }),
                );
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    }

    async fn answer(
        self,
        session_id: String,
        call: AgentCustomToolUse,
        limit: Arc<Semaphore>,
        cancel: CancellationToken,
    ) -> CallRecord {
        let _permit = limit.acquire_owned().await.expect("never closed");
        let outcome = self
            .host
            .call_cancellable(&call.name, &call.input, cancel)
            .await;
        let result =
            SendEvent::custom_tool_result(&call.id, outcome.content.clone(), outcome.is_error);
        if let Err(error) = self.client.send_events(&session_id, vec![result]).await {
            tracing::warn!(session = %session_id, call = %call.id, "cannot send the result: {error}");
        }
        CallRecord {
            id: call.id,
            name: call.name,
            outcome,
        }
    }
}
