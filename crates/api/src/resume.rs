//! The resumable event stream as a sans-IO state machine, driven the same way by the Rust
//! client and the npm package: the shell performs the [`Action`] that [`StreamMachine::poll`]
//! asks for (connect, read, backfill, wait) and reports how it went; the machine decides
//! everything else. It frames SSE bytes, turns a broken connection, a stall or a framing
//! error into a reconnect with exponential backoff, backfills after every reconnect from
//! the newest `processed_at` it has seen (the list endpoint's `created_at[gte]`), drops
//! events it has already delivered, and gives up only on what no reconnect can fix: a
//! status [`stream_gives_up`] names, or an `event: error` in the stream. A message whose
//! data the shell cannot parse is delivered as [`Delivery::Malformed`], raw text kept, and
//! the stream goes on.

use crate::events::type_ends_session;
use crate::retry::stream_gives_up;
use crate::seen::SeenIds;
use crate::sse::{SseDecoder, SseMessage, DEFAULT_MAX_LINE};
use crate::stream::{classify, Frame};
use std::collections::VecDeque;
use std::time::Duration;

/// What the shell must do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Open `GET …/events/stream`; report [`StreamMachine::connected`] or
    /// [`StreamMachine::connect_failed`].
    Connect,
    /// List the session's history (every page), from `since` (`created_at[gte]`) when
    /// given; pass each event to [`StreamMachine::accept`], deliver the fresh ones, then
    /// report [`StreamMachine::backfilled`] or [`StreamMachine::backfill_failed`].
    Backfill {
        /// The newest `processed_at` delivered so far.
        since: Option<String>,
    },
    /// Read the next chunk within the stall timeout; report [`StreamMachine::bytes`],
    /// [`StreamMachine::closed`], [`StreamMachine::read_failed`] or
    /// [`StreamMachine::stalled`].
    Read,
    /// Wait, then report [`StreamMachine::waited`].
    Wait(Duration),
    /// Hand this to the caller. An event from the stream was already accepted (read from
    /// its text: id, type, `processed_at`), so it is fresh: parse it and deliver it.
    Deliver(Delivery),
    /// Stop: no reconnect can fix this.
    GiveUp(Fatal),
    /// The session ended (deleted or terminated); nothing follows.
    Finished,
}

/// A message of the stream for the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// An event's JSON text.
    Event(String),
    /// Bytes that are not a valid SSE message (a line over the limit); the raw text is
    /// what could be kept, and the stream reconnects after it.
    Malformed {
        /// What was received, truncated.
        raw: String,
        /// Why it is malformed.
        error: String,
    },
}

/// Why a stream gave up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fatal {
    /// The stream or backfill request got a status no reconnect fixes.
    Status(u16),
    /// The server sent `event: error`; its data (an error envelope).
    ErrorEvent(String),
}

/// What an accepted event means to the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen<'a> {
    /// The event's id (previews have none and are always fresh).
    pub id: Option<&'a str>,
    /// Its `processed_at`, if set.
    pub processed_at: Option<&'a str>,
    /// Whether it ends the session (`session.deleted`, `session.status_terminated`).
    pub ends_session: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Start,
    Connecting,
    Backfilling,
    Streaming,
    Waiting,
    Done,
}

/// The machine. One per stream.
#[derive(Debug)]
pub struct StreamMachine {
    phase: Phase,
    backfill_on_start: bool,
    connected_once: bool,
    initial_backoff: Duration,
    backoff: Duration,
    delay: Duration,
    reconnects: u32,
    decoder: SseDecoder,
    messages: Vec<SseMessage>,
    out: VecDeque<Action>,
    seen: SeenIds,
    cursor: Option<String>,
}

/// Longest reconnect delay.
pub const MAX_BACKOFF: Duration = Duration::from_secs(10);
/// Characters of a malformed message kept.
const RAW_KEPT: usize = 1024;

impl StreamMachine {
    /// A machine; `backfill_on_start` also delivers the history before the first
    /// connection; `initial_backoff` is the first reconnect delay (it doubles up to
    /// [`MAX_BACKOFF`]).
    pub fn new(backfill_on_start: bool, initial_backoff: Duration) -> Self {
        StreamMachine {
            phase: Phase::Start,
            backfill_on_start,
            connected_once: false,
            initial_backoff,
            backoff: initial_backoff,
            delay: Duration::ZERO,
            reconnects: 0,
            decoder: SseDecoder::new(DEFAULT_MAX_LINE),
            messages: Vec::new(),
            out: VecDeque::new(),
            seen: SeenIds::default(),
            cursor: None,
        }
    }

    /// What to do next.
    pub fn poll(&mut self) -> Action {
        if let Some(action) = self.out.pop_front() {
            return action;
        }
        match self.phase {
            Phase::Start => {
                self.phase = Phase::Connecting;
                Action::Connect
            }
            Phase::Connecting => Action::Connect,
            Phase::Backfilling => Action::Backfill {
                since: self.cursor.clone(),
            },
            Phase::Streaming => Action::Read,
            Phase::Waiting => Action::Wait(self.delay),
            Phase::Done => Action::Finished,
        }
    }

    /// The stream's response head arrived with a success status.
    pub fn connected(&mut self) {
        self.decoder = SseDecoder::new(DEFAULT_MAX_LINE);
        self.backoff = self.initial_backoff;
        self.phase = if self.connected_once || self.backfill_on_start {
            Phase::Backfilling
        } else {
            Phase::Streaming
        };
        self.connected_once = true;
    }

    /// Opening the stream failed: `status` is the HTTP status, `None` for a connection
    /// failure or a response head that did not arrive within the stall timeout.
    pub fn connect_failed(&mut self, status: Option<u16>) {
        self.fail(status);
    }

    /// The backfill finished; the stream is read from here.
    pub fn backfilled(&mut self) {
        if self.phase == Phase::Backfilling {
            self.phase = Phase::Streaming;
        }
    }

    /// The backfill failed (`status` as for [`StreamMachine::connect_failed`]); the
    /// stream reconnects (and backfills again) unless the status is fatal.
    pub fn backfill_failed(&mut self, status: Option<u16>) {
        self.fail(status);
    }

    /// A chunk of the body arrived.
    pub fn bytes(&mut self, chunk: &[u8]) {
        if self.phase != Phase::Streaming {
            return;
        }
        let framing = self.decoder.push(chunk, &mut self.messages);
        let mut messages = std::mem::take(&mut self.messages);
        for message in messages.drain(..) {
            match classify(&message) {
                Frame::Skip => {}
                Frame::Event(data) => {
                    let (id, type_name, processed_at) = envelope(data);
                    let fresh = self.accept(Seen {
                        id,
                        processed_at,
                        ends_session: type_name.is_some_and(type_ends_session),
                    });
                    if fresh {
                        // `classify` handed out the whole `data`: move it, uncopied.
                        self.out
                            .push_back(Action::Deliver(Delivery::Event(message.data)));
                    }
                    if self.phase == Phase::Done {
                        return;
                    }
                }
                Frame::Error(data) => {
                    self.out
                        .push_back(Action::GiveUp(Fatal::ErrorEvent(data.to_string())));
                    self.phase = Phase::Done;
                    return;
                }
            }
        }
        self.messages = messages;
        if let Err(error) = framing {
            let raw = String::from_utf8_lossy(chunk)
                .chars()
                .take(RAW_KEPT)
                .collect();
            self.out.push_back(Action::Deliver(Delivery::Malformed {
                raw,
                error: error.to_string(),
            }));
            self.drop_connection();
        }
    }

    /// The server ended the body.
    pub fn closed(&mut self) {
        self.drop_connection();
    }

    /// Reading the body failed.
    pub fn read_failed(&mut self) {
        self.drop_connection();
    }

    /// No byte (not even a `ping`) arrived within the stall timeout.
    pub fn stalled(&mut self) {
        self.drop_connection();
    }

    /// The wait asked for is over.
    pub fn waited(&mut self) {
        if self.phase == Phase::Waiting {
            self.phase = Phase::Connecting;
        }
    }

    /// Records an event of a backfill the caller parsed; `true` when it is fresh and must
    /// be delivered, `false` for one already delivered. (Stream events are recorded by the
    /// machine itself.)
    pub fn accept(&mut self, event: Seen<'_>) -> bool {
        if let Some(id) = event.id {
            if !self.seen.insert(id) {
                return false;
            }
        }
        if let Some(at) = event.processed_at {
            match &mut self.cursor {
                Some(cursor) if at > cursor.as_str() => {
                    cursor.clear();
                    cursor.push_str(at);
                }
                Some(_) => {}
                None => self.cursor = Some(at.to_string()),
            }
        }
        if event.ends_session {
            self.phase = Phase::Done;
        }
        true
    }

    /// The caller could not parse a delivered event: its id is forgotten, so a good copy
    /// (from a backfill) is still delivered.
    pub fn reject(&mut self, json: &str) {
        if let (Some(id), _, _) = envelope(json) {
            self.seen.remove(id);
        }
    }

    /// Whether an event id was delivered.
    pub fn has_seen(&self, id: &str) -> bool {
        self.seen.contains(id)
    }

    /// How many times the stream reconnected.
    pub fn reconnects(&self) -> u32 {
        self.reconnects
    }

    fn fail(&mut self, status: Option<u16>) {
        match status {
            Some(status) if stream_gives_up(status) => {
                self.out.push_back(Action::GiveUp(Fatal::Status(status)));
                self.phase = Phase::Done;
            }
            _ => self.wait(),
        }
    }

    fn drop_connection(&mut self) {
        if matches!(self.phase, Phase::Streaming | Phase::Backfilling) {
            self.decoder.finish();
            self.reconnects += 1;
            self.wait();
        }
    }

    fn wait(&mut self) {
        if self.phase == Phase::Done {
            return;
        }
        self.delay = self.backoff;
        self.backoff = (self.backoff * 2).min(MAX_BACKOFF);
        self.phase = Phase::Waiting;
    }
}

/// The top-level `id`, `type` and `processed_at` string fields of an event's JSON text,
/// read without parsing it (nested objects, arrays and strings are skipped). A field that
/// is absent, not a string, or holds an escape is `None`; ids and timestamps never do.
pub fn envelope(json: &str) -> (Option<&str>, Option<&str>, Option<&str>) {
    let bytes = json.as_bytes();
    let (mut id, mut kind, mut at) = (None, None, None);
    let mut depth = 0usize;
    let mut i = 0;
    let mut key: Option<&str> = None;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                let mut end = start;
                let mut escaped = false;
                while let Some(at) = bytes
                    .get(end..)
                    .and_then(|rest| crate::scan::find_either(rest, b'"', b'\\'))
                {
                    end += at;
                    if bytes[end] == b'"' {
                        break;
                    }
                    escaped = true;
                    end += 2;
                }
                let end = end.min(bytes.len());
                let text = (!escaped).then(|| json.get(start..end)).flatten();
                i = end + 1;
                if depth != 1 {
                    continue;
                }
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                if bytes.get(i) == Some(&b':') {
                    key = text;
                    i += 1;
                    continue;
                }
                match key.take() {
                    Some("id") => id = text,
                    Some("type") => kind = text,
                    Some("processed_at") => at = text,
                    _ => {}
                }
                if id.is_some() && kind.is_some() && at.is_some() {
                    // The rest (content, inputs) is not read. A key repeated after this
                    // point is not seen: the API never repeats one.
                    break;
                }
                continue;
            }
            b'{' | b'[' if depth == 0 => depth = 1,
            b'{' | b'[' => {
                // A nested value, skipped whole: unless the rest need not be read.
                if id.is_some() && kind.is_some() {
                    if let Some(last) = trailing_processed_at(json) {
                        at = Some(last);
                        break;
                    }
                }
                key = None;
                i += 1 + crate::scan::value_end(&bytes[i + 1..]);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => key = None,
            _ => {}
        }
        i += 1;
    }
    (id, kind, at)
}

/// `processed_at` of an event's JSON text where it is the object's last member, read from
/// the end (`None` where its string holds an escape). In JSON the last `}` closes the top
/// level, the string before it is that member's value (its opening quote the one before
/// its closing quote: a quote inside it follows a backslash), and a key follows `{` or `,`.
#[inline(never)]
fn trailing_processed_at(json: &str) -> Option<&str> {
    let bytes = json.as_bytes();
    let mut end = bytes.len();
    if !(step_back(bytes, &mut end, b"}") && step_back(bytes, &mut end, b"\"")) {
        return None;
    }
    let close = end;
    end = bytes[..close]
        .iter()
        .rposition(|&b| b == b'"' || b == b'\\')?;
    let value = json.get(end + 1..close).filter(|_| bytes[end] == b'"')?;
    let keyed = step_back(bytes, &mut end, b":")
        && step_back(bytes, &mut end, b"\"processed_at\"")
        && (step_back(bytes, &mut end, b",") || step_back(bytes, &mut end, b"{"));
    keyed.then_some(value)
}

/// Steps `end` back over JSON whitespace and then `token`, where `bytes[..end]` ends so.
#[inline(never)]
fn step_back(bytes: &[u8], end: &mut usize, token: &[u8]) -> bool {
    let mut at = *end;
    while at > 0 && matches!(bytes[at - 1], b' ' | b'\t' | b'\n' | b'\r') {
        at -= 1;
    }
    let found = bytes[..at].ends_with(token);
    if found {
        *end = at - token.len();
    }
    found
}

#[cfg(test)]
mod tests {
    use super::envelope;

    #[test]
    fn the_envelope_is_read_from_top_level_fields_only() {
        let json = r#"{"stop_reason":{"type":"requires_action","id":"inner"},"type":"session.status_idle", "id" : "sevt_1","processed_at":"2026-12-01T10:00:00Z","tags":["id","type"],"text":"a \"quoted\" id"}"#;
        assert_eq!(
            envelope(json),
            (
                Some("sevt_1"),
                Some("session.status_idle"),
                Some("2026-12-01T10:00:00Z")
            )
        );
        assert_eq!(
            envelope(r#"{"type":"event_delta","processed_at":null}"#),
            (None, Some("event_delta"), None)
        );
        assert_eq!(envelope("{not json"), (None, None, None));
    }

    #[test]
    fn the_envelope_is_what_a_parser_reads_in_any_member_order() {
        // Nested values and strings hold look-alikes of a last `processed_at` member.
        let decoy = r#"{"x":"\",\"processed_at\":\"1999\"}","y":["processed_at","2000"],"z":{"processed_at":"2001"}}"#;
        let members = [
            r#""type":"agent.message""#.to_string(),
            r#""id" : "sevt_1""#.to_string(),
            "\"processed_at\":\t\"2026-12-01T10:00:00.000001Z\"".to_string(),
            format!(r#""content":{decoy}"#),
            format!(r#""text":"{}""#, r#"a \"processed_at\":\"1998\"}"#),
            r#""a\"processed_at":"1997""#.to_string(),
        ];
        let read = |json: &str| {
            let value: serde_json::Value = serde_json::from_str(json).unwrap();
            let field = |name: &str| value[name].as_str().map(str::to_string);
            (field("id"), field("type"), field("processed_at"))
        };
        for order in 0..720 {
            // Every order of the six members (the 720 permutations, by the factorial base).
            let (mut rest, mut pick): (Vec<&String>, usize) = (members.iter().collect(), order);
            let mut ordered = Vec::new();
            while !rest.is_empty() {
                ordered.push(rest.remove(pick % rest.len()));
                pick /= rest.len() + 1;
            }
            let joined = ordered
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(" ,");
            let json = format!("{{{joined}}} \n");
            let (id, kind, at) = envelope(&json);
            let found = (
                id.map(str::to_string),
                kind.map(str::to_string),
                at.map(str::to_string),
            );
            assert_eq!(found, read(&json), "{json}");
        }
        let escaped = r#"{"type":"m","id":"e","x":[1],"processed_at":"20\u0032"}"#;
        assert_eq!(envelope(escaped), (Some("e"), Some("m"), None));
    }
}
