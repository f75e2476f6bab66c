//! One custom tool call from dispatch to a settled result. The journal is read first: a
//! call that finished before a restart is not run again (its recorded result is sent); a
//! call that was running when the host stopped is run again only if its tool is
//! idempotent, and otherwise answered with an error saying so. The result is then sent
//! until the API accepts it or says it no longer awaits one, retrying 5xx, 429 and
//! connection failures with backoff (at least as long as `retry-after` asks) for as long
//! as the session lasts.

use crate::dispatch::{CallOutcome, ToolHost};
use crate::journal::{Entry, Journal};
use outrig_api::events::AgentCustomToolUse;
use outrig_api::{ContentBlock, SendEvent};
use outrig_client::{Client, Error};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// How a call's result ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// The API accepted it.
    Accepted,
    /// The API refused it for good (it no longer awaits this call: answered elsewhere, or
    /// the turn moved on); the reason.
    Refused(String),
    /// The session ended before the API accepted it.
    Abandoned,
    /// The journal says this call was settled before the host restarted.
    AlreadySettled,
}

/// Longest wait between two attempts to send a result.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// What a call needs besides the call itself.
pub(crate) struct Answering<'a> {
    pub host: &'a ToolHost,
    pub client: &'a Client,
    pub journal: &'a Journal,
    pub session_id: &'a str,
    /// Cancelled by a `user.interrupt`.
    pub cancel: CancellationToken,
    /// Cancelled when the session ends: sending stops.
    pub session_over: CancellationToken,
}

impl Answering<'_> {
    /// Runs (or recovers) the call and delivers its result.
    pub async fn answer(&self, call: &AgentCustomToolUse) -> (CallOutcome, Delivery) {
        let outcome = match self.journal.entry(&call.id) {
            Ok(Some(Entry::Settled)) => {
                return (recovered(Vec::new(), false), Delivery::AlreadySettled)
            }
            Ok(Some(Entry::Finished { content, is_error })) => {
                tracing::info!(session = %self.session_id, call = %call.id, "sending the result recorded before the host restarted");
                recovered(content, is_error)
            }
            Ok(Some(Entry::Started)) if !self.host.is_idempotent(&call.name) => {
                tracing::warn!(session = %self.session_id, call = %call.id, "the host restarted during this call; not running `{}` again", call.name);
                let outcome = recovered(
                    vec![ContentBlock::text(format!(
                        "the tool host restarted while `{}` was running and did not run it again, \
                         because the tool is not marked idempotent; it may or may not have taken effect",
                        call.name
                    ))],
                    true,
                );
                self.record(|j| j.finished(&call.id, &outcome.content, true));
                outcome
            }
            entry => {
                if let Err(error) = &entry {
                    tracing::error!(call = %call.id, "cannot read the journal: {error:#}");
                }
                self.record(|j| j.started(self.session_id, &call.id, &call.name));
                let outcome = self
                    .host
                    .call_cancellable(&call.name, &call.input, self.cancel.clone())
                    .await;
                self.record(|j| j.finished(&call.id, &outcome.content, outcome.is_error));
                outcome
            }
        };
        let result =
            SendEvent::custom_tool_result(&call.id, outcome.content.clone(), outcome.is_error);
        let delivery = send_until_settled(
            self.client,
            self.session_id,
            &call.id,
            result,
            &self.session_over,
        )
        .await;
        if matches!(delivery, Delivery::Accepted | Delivery::Refused(_)) {
            self.record(|j| j.settled(&call.id));
        }
        (outcome, delivery)
    }

    fn record(&self, write: impl FnOnce(&Journal) -> anyhow::Result<()>) {
        if let Err(error) = write(self.journal) {
            tracing::error!(session = %self.session_id, "cannot write the journal: {error:#}");
        }
    }
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
    let mut backoff = Duration::from_millis(500);
    loop {
        let error = match client.send_events(session_id, vec![answer.clone()]).await {
            Ok(_) => return Delivery::Accepted,
            Err(error) if refused(&error) => {
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

/// A status the API will keep answering however often the result is sent: every 4xx but
/// 408 and 429.
fn refused(error: &Error) -> bool {
    error
        .status()
        .is_some_and(|s| (400..500).contains(&s) && !matches!(s, 408 | 429))
}

fn recovered(content: Vec<ContentBlock>, is_error: bool) -> CallOutcome {
    CallOutcome {
        content,
        is_error,
        elapsed: Duration::ZERO,
        logs: Vec::new(),
    }
}
