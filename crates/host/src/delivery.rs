//! One tool call from dispatch to a settled answer. The journal is read first and the
//! core's recovery rule ([`outrig_api::recovery::recover`]) decides: a call that finished
//! before a restart is not run again (its recorded result is sent); a call that was
//! running when the host stopped is run again only if its tool is idempotent, and
//! otherwise answered with an error saying so. A call runs only once its start is durable
//! in the journal. The answer is then sent until the API accepts it or says it no longer
//! awaits one, retrying 5xx, 429 and connection failures with backoff (at least as long as
//! `retry-after` asks) for as long as the session lasts.

use crate::dispatch::{CallOutcome, ToolHost};
use crate::journal::Journal;
use outrig_api::recovery::{answer_refused, recover, Recovery};
use outrig_api::state::Work;
use outrig_api::{ContentBlock, SendEvent};
use outrig_client::transport::BoxFuture;
use outrig_client::{Client, Error};
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

/// How a call's result ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// The API accepted it.
    Accepted,
    /// The API refused it for good (it no longer awaits this call: answered elsewhere, or
    /// the turn moved on); the reason.
    Refused(String),
    /// The session ended (or stopped waiting for the call) before the API accepted it.
    Abandoned,
    /// The journal says this call was settled before the host restarted.
    AlreadySettled,
    /// The call was not run and nothing was sent: the journal could not record that it
    /// started (the reason). It stays pending for a host whose journal works.
    NotRun(String),
}

impl Delivery {
    /// A short name for it (the `outrig.delivery` of a `tool_call` span).
    pub fn label(&self) -> &'static str {
        match self {
            Delivery::Accepted => "accepted",
            Delivery::Refused(_) => "refused",
            Delivery::Abandoned => "abandoned",
            Delivery::AlreadySettled => "already_settled",
            Delivery::NotRun(_) => "not_run",
        }
    }
}

/// Longest wait between two attempts to send a result.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Runs the tool calls a runner dispatches: the plugins' custom tools and, for a
/// self-hosted environment, the built-in ones.
pub trait Executor: Send + Sync {
    /// Whether this executor answers `work`.
    fn serves(&self, work: &Work) -> bool;
    /// Whether running `work` twice has no further effect.
    fn idempotent(&self, work: &Work) -> bool;
    /// Runs it; `cancel` fires on an interrupt or when the session stops waiting.
    fn run<'a>(&'a self, work: &'a Work, cancel: CancellationToken) -> BoxFuture<'a, CallOutcome>;
}

impl Executor for ToolHost {
    fn serves(&self, work: &Work) -> bool {
        matches!(work, Work::Custom(call) if ToolHost::serves(self, &call.name))
    }

    fn idempotent(&self, work: &Work) -> bool {
        self.is_idempotent(work.name())
    }

    fn run<'a>(&'a self, work: &'a Work, cancel: CancellationToken) -> BoxFuture<'a, CallOutcome> {
        Box::pin(self.call_cancellable(work.name(), work.input(), cancel))
    }
}

/// What a call needs besides the call itself.
pub(crate) struct Answering<'a> {
    pub executor: &'a dyn Executor,
    pub client: &'a Client,
    pub journal: &'a Journal,
    pub session_id: &'a str,
    /// Cancelled by a `user.interrupt`, or when the session stops waiting for the call.
    pub cancel: CancellationToken,
    /// Cancelled when the session ends: sending stops.
    pub session_over: CancellationToken,
}

impl Answering<'_> {
    /// Runs (or recovers) the call and delivers its result.
    pub async fn answer(&self, work: &Work) -> (CallOutcome, Delivery) {
        let (id, name) = (work.id(), work.name());
        let claim = crate::trace::claim("journal");
        let record = match claim.in_scope(|| self.journal.entry(id)) {
            Ok(record) => record,
            Err(error) => return not_run(work, error),
        };
        let idempotent = self.executor.idempotent(work);
        let recovery = recover(record.as_ref(), name, idempotent, "the tool host restarted");
        claim.record("outrig.claim", recovery.label());
        let outcome = match recovery {
            Recovery::Settled => return (recovered(Vec::new(), false), Delivery::AlreadySettled),
            Recovery::Resend { content, is_error } => {
                tracing::info!(session = %self.session_id, call = %id, "sending the result recorded before the host restarted");
                recovered(content, is_error)
            }
            Recovery::AnswerLost(message) => {
                tracing::warn!(session = %self.session_id, call = %id, "{message}");
                let outcome = recovered(vec![ContentBlock::text(message)], true);
                self.record(|j| j.finished(id, &outcome.content, true));
                outcome
            }
            Recovery::Run => {
                if let Err(error) =
                    claim.in_scope(|| self.journal.started(self.session_id, id, name))
                {
                    return not_run(work, error);
                }
                drop(claim);
                let outcome = self.executor.run(work, self.cancel.clone()).await;
                self.record(|j| j.finished(id, &outcome.content, outcome.is_error));
                outcome
            }
        };
        let Some(answer) = work.result(outcome.content.clone(), outcome.is_error) else {
            return (
                outcome,
                Delivery::Refused("a confirmation is not a tool call".into()),
            );
        };
        // Also after a cancellation: the API refuses an answer it no longer awaits, which
        // settles the call.
        let delivery =
            send_until_settled(self.client, self.session_id, id, answer, &self.session_over).await;
        if matches!(delivery, Delivery::Accepted | Delivery::Refused(_)) {
            self.record(|j| j.settled(id));
        }
        (outcome, delivery)
    }

    fn record(&self, write: impl FnOnce(&Journal) -> anyhow::Result<()>) {
        if let Err(error) = write(self.journal) {
            tracing::error!(session = %self.session_id, "cannot write the journal: {error:#}");
        }
    }
}

/// A call the journal could not record: not run, nothing sent.
fn not_run(work: &Work, error: anyhow::Error) -> (CallOutcome, Delivery) {
    tracing::error!(call = %work.id(), "not running `{}`: {error:#}", work.name());
    let reason = format!("{error:#}");
    (
        recovered(vec![ContentBlock::text(reason.clone())], true),
        Delivery::NotRun(reason),
    )
}

/// Sends `answer` (to the event `id`) until the API accepts or refuses it for good,
/// or the session ends.
pub async fn send_until_settled(
    client: &Client,
    session_id: &str,
    id: &str,
    answer: SendEvent,
    session_over: &CancellationToken,
) -> Delivery {
    let span = tracing::info_span!(
        "send_result",
        outrig.attempts = tracing::field::Empty,
        outrig.delivery = tracing::field::Empty,
    );
    let mut attempts = 0u32;
    let delivery = send_attempts(client, session_id, id, answer, session_over, &mut attempts)
        .instrument(span.clone())
        .await;
    span.record("outrig.attempts", attempts);
    span.record("outrig.delivery", delivery.label());
    delivery
}

/// [`send_until_settled`], counting its attempts.
async fn send_attempts(
    client: &Client,
    session_id: &str,
    id: &str,
    answer: SendEvent,
    session_over: &CancellationToken,
    attempts: &mut u32,
) -> Delivery {
    let mut backoff = Duration::from_millis(500);
    loop {
        *attempts += 1;
        let error = match client.send_events(session_id, vec![answer.clone()]).await {
            Ok(_) => return Delivery::Accepted,
            Err(error) if error.status().is_some_and(answer_refused) => {
                tracing::warn!(session = %session_id, event = %id, "the API refused the answer: {error}");
                return Delivery::Refused(error.to_string());
            }
            Err(error) => error,
        };
        let asked = match &error {
            Error::Api(api) => api
                .retry_after_ms
                .map(|ms| Duration::from_millis(ms.into())),
            _ => None,
        };
        let wait = asked.map_or(backoff, |asked| asked.max(backoff));
        tracing::warn!(session = %session_id, event = %id, "cannot send the answer yet ({error}); retrying in {wait:?}");
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = session_over.cancelled() => return Delivery::Abandoned,
        }
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

fn recovered(content: Vec<ContentBlock>, is_error: bool) -> CallOutcome {
    CallOutcome {
        content,
        is_error,
        elapsed: Duration::ZERO,
        logs: Vec::new(),
        structured: None,
    }
}
