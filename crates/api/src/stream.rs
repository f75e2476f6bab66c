//! From SSE messages to typed events, with the SDKs' rules (spec §9.4): `ping` skipped,
//! messages without `event:` dropped, `event: error` turned into an [`ApiError`].

use crate::error::ApiError;
use crate::events::Event;
use crate::sse::{SseDecoder, SseError, SseMessage};

/// Why a stream could not yield an event.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StreamError {
    /// The byte stream was not valid SSE.
    #[error(transparent)]
    Sse(#[from] SseError),
    /// The server sent `event: error`; the stream ends.
    #[error("error event in stream: {0}")]
    Api(ApiError),
    /// A message's data was not a JSON event object.
    #[error("SSE message at byte {offset} (event `{event}`) is not a valid event: {message}")]
    Json {
        /// Byte offset of the message.
        offset: u64,
        /// Its event name.
        event: String,
        /// The parser's complaint.
        message: String,
    },
}

/// What an SSE message means under the SDKs' rules, before any JSON parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frame<'a> {
    /// Skipped: no `event:` line, `ping`, or empty data.
    Skip,
    /// An event; the data is its JSON.
    Event(&'a str),
    /// `event: error`; the data is an error envelope and the stream ends.
    Error(&'a str),
}

/// The SSE event name of an error envelope in an auth proxy's EventSource stream. The
/// proxy sends each session event as a plain `message` (data: the event JSON, `id:` the
/// event id, so the browser resumes with `Last-Event-ID`).
pub const PROXY_ERROR_EVENT: &str = "outrig-error";

/// Classifies one SSE message.
pub fn classify(message: &SseMessage) -> Frame<'_> {
    match message.event.as_deref() {
        None | Some("ping") => Frame::Skip,
        Some("error") => Frame::Error(&message.data),
        Some(_) if message.data.is_empty() => Frame::Skip,
        Some(_) => Frame::Event(&message.data),
    }
}

/// Interprets one SSE message: `Ok(None)` for messages the SDKs skip.
pub fn decode_message(message: &SseMessage) -> Result<Option<Event>, StreamError> {
    match classify(message) {
        Frame::Skip => Ok(None),
        Frame::Error(data) => Err(StreamError::Api(ApiError::from_response(
            None,
            data.as_bytes(),
            None,
        ))),
        Frame::Event(data) => Event::from_json(data)
            .map(Some)
            .map_err(|e| StreamError::Json {
                offset: message.offset,
                event: message.event.clone().unwrap_or_default(),
                message: e.to_string(),
            }),
    }
}

/// Bytes in, typed events out.
#[derive(Debug, Default)]
pub struct EventDecoder {
    sse: SseDecoder,
    messages: Vec<SseMessage>,
}

impl EventDecoder {
    /// A decoder with a custom maximum line length.
    pub fn with_max_line(max_line: usize) -> Self {
        EventDecoder {
            sse: SseDecoder::new(max_line),
            messages: Vec::new(),
        }
    }

    /// Feeds a chunk; each complete message yields one result, in order. Skipped
    /// messages yield nothing.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<Result<Event, StreamError>> {
        let mut out = Vec::new();
        let framing = self.sse.push(chunk, &mut self.messages);
        for message in self.messages.drain(..) {
            match decode_message(&message) {
                Ok(Some(event)) => out.push(Ok(event)),
                Ok(None) => {}
                Err(e) => out.push(Err(e)),
            }
        }
        if let Err(e) = framing {
            out.push(Err(e.into()));
        }
        out
    }

    /// Ends the stream; returns whether a partial message was dropped.
    pub fn finish(&mut self) -> bool {
        self.sse.finish()
    }

    /// Bytes fed so far.
    pub fn position(&self) -> u64 {
        self.sse.position()
    }
}

/// Encodes an event as one SSE message (`event: <type>` + one `data:` line).
pub fn encode_event(event: &Event) -> String {
    let data = serde_json::to_string(event).expect("events serialise");
    format!("event: {}\ndata: {}\n\n", event.type_name(), data)
}
