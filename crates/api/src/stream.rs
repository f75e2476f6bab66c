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

/// Interprets one SSE message: `Ok(None)` for messages the SDKs skip.
pub fn decode_message(message: &SseMessage) -> Result<Option<Event>, StreamError> {
    let Some(name) = message.event.as_deref() else {
        return Ok(None);
    };
    match name {
        "ping" => Ok(None),
        "error" => Err(StreamError::Api(ApiError::from_response(
            None,
            message.data.as_bytes(),
            None,
        ))),
        _ if message.data.is_empty() => Ok(None),
        _ => Event::from_json(&message.data)
            .map(Some)
            .map_err(|e| StreamError::Json {
                offset: message.offset,
                event: name.to_string(),
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
