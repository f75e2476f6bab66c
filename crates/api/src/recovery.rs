//! What to do with a call whose runner may have died, and when sending an answer is
//! pointless: the rules every runner (journal, claims store, self-hosted worker) shares.

use crate::content::ContentBlock;

/// What a durable record (a journal or a shared claims store) says of one call.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// It was running when its runner stopped.
    Started,
    /// It finished with this result, which may not have reached the API.
    Finished {
        /// The result content.
        content: Vec<ContentBlock>,
        /// Whether it reports a failure.
        is_error: bool,
    },
    /// Its answer was settled with the API: nothing is left to do.
    Settled,
}

/// What a runner does with a call, given its record.
#[derive(Debug, Clone, PartialEq)]
pub enum Recovery {
    /// Nothing is known (or it may safely run again): run it.
    Run,
    /// It finished before: send the recorded result, do not run it again.
    Resend {
        /// The result content.
        content: Vec<ContentBlock>,
        /// Whether it reports a failure.
        is_error: bool,
    },
    /// It was settled before: nothing to do.
    Settled,
    /// It was running when its runner died and running it again could repeat its effect:
    /// answer with this error instead.
    AnswerLost(String),
}

impl Recovery {
    /// A short name for the decision (e.g. for a trace attribute).
    pub fn label(&self) -> &'static str {
        match self {
            Recovery::Run => "run",
            Recovery::Resend { .. } => "resend",
            Recovery::Settled => "settled",
            Recovery::AnswerLost(_) => "answer_lost",
        }
    }
}

/// The rule: a finished call is resent, a settled one left alone, and one that was running
/// runs again only when the tool says running it twice has no further effect.
/// `stopped` names what died, e.g. "the tool host restarted".
pub fn recover(record: Option<&Record>, tool: &str, idempotent: bool, stopped: &str) -> Recovery {
    match record {
        None => Recovery::Run,
        Some(Record::Settled) => Recovery::Settled,
        Some(Record::Finished { content, is_error }) => Recovery::Resend {
            content: content.clone(),
            is_error: *is_error,
        },
        Some(Record::Started) if idempotent => Recovery::Run,
        Some(Record::Started) => Recovery::AnswerLost(format!(
            "{stopped} while `{tool}` was running; it was not run again, because the tool is \
             not marked idempotent; it may or may not have taken effect"
        )),
    }
}

/// Whether the API will give `status` however often an answer is sent (every 4xx but 408
/// and 429): sending stops, and the call is settled as refused (answered elsewhere, or the
/// session moved on).
pub fn answer_refused(status: u16) -> bool {
    (400..500).contains(&status) && !matches!(status, 408 | 429)
}
