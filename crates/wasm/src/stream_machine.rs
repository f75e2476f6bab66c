//! `outrig-api`'s resumable-stream machine for the JS layer, which only performs the I/O it
//! asks for (see `js/client.js`). Event JSON stays text here; the JS engine parses it.

use crate::push_field;
use outrig_api::events::type_ends_session;
use outrig_api::resume::{Action, Delivery, Fatal, Seen, StreamMachine};
use outrig_api::scan::find_either;
use std::time::Duration;
use wasm_bindgen::prelude::*;

/// The machine of one stream.
#[wasm_bindgen(js_name = StreamMachine)]
pub struct JsStreamMachine {
    inner: StreamMachine,
}

#[wasm_bindgen(js_class = StreamMachine)]
impl JsStreamMachine {
    /// A machine; `backfill` also delivers the history before the first connection.
    #[wasm_bindgen(constructor)]
    pub fn new(backfill: bool, initial_backoff_ms: f64) -> JsStreamMachine {
        JsStreamMachine {
            inner: StreamMachine::new(backfill, Duration::from_millis(initial_backoff_ms as u64)),
        }
    }

    /// Every action due now, as one string of fields joined by NUL (one decode for the
    /// whole batch; JSON text never holds a raw NUL, and a message that does is delivered
    /// as malformed). Deliveries first (`event, json` (fresh: the machine accepted it),
    /// `malformed, raw, error`, `give_up_status, status`, `give_up_error, data`), then the
    /// one thing to do (`connect`, `read`, `backfill, since` (empty: all), `wait, ms`,
    /// `finished`).
    pub fn poll(&mut self) -> String {
        let mut out = String::new();
        // A raw NUL would split a field: it becomes U+FFFD (only malformed text holds one).
        let scrubbed = |out: &mut String, text: &str| {
            push_field(out, "");
            out.extend(text.chars().map(|c| if c == '\0' { '\u{fffd}' } else { c }));
        };
        loop {
            match self.inner.poll() {
                // The core's one byte search (it also finds line ends), not a second one.
                Action::Deliver(Delivery::Event(json))
                    if find_either(json.as_bytes(), 0, 0).is_none() =>
                {
                    push_field(&mut out, "event");
                    push_field(&mut out, &json);
                }
                Action::Deliver(Delivery::Event(raw)) => {
                    push_field(&mut out, "malformed");
                    scrubbed(&mut out, &raw);
                    push_field(&mut out, "a raw NUL in the event data");
                }
                Action::Deliver(Delivery::Malformed { raw, error }) => {
                    push_field(&mut out, "malformed");
                    scrubbed(&mut out, &raw);
                    push_field(&mut out, &error);
                }
                Action::GiveUp(Fatal::Status(status)) => {
                    push_field(&mut out, "give_up_status");
                    push_field(&mut out, &status.to_string());
                    return out;
                }
                Action::GiveUp(Fatal::ErrorEvent(data)) => {
                    push_field(&mut out, "give_up_error");
                    scrubbed(&mut out, &data);
                    return out;
                }
                Action::Connect => {
                    push_field(&mut out, "connect");
                    return out;
                }
                Action::Read => {
                    push_field(&mut out, "read");
                    return out;
                }
                Action::Finished => {
                    push_field(&mut out, "finished");
                    return out;
                }
                Action::Backfill { since } => {
                    push_field(&mut out, "backfill");
                    push_field(&mut out, since.as_deref().unwrap_or_default());
                    return out;
                }
                Action::Wait(delay) => {
                    push_field(&mut out, "wait");
                    // Whole milliseconds as u64: formatting a u128 costs the wasm a routine of its own.
                    push_field(&mut out, &(delay.as_millis() as u64).to_string());
                    return out;
                }
            }
        }
    }

    /// The stream's response head arrived.
    pub fn connected(&mut self) {
        self.inner.connected();
    }

    /// Opening the stream failed (`status` absent for a connection failure).
    #[wasm_bindgen(js_name = connectFailed)]
    pub fn connect_failed(&mut self, status: Option<u16>) {
        self.inner.connect_failed(status);
    }

    /// The backfill finished.
    pub fn backfilled(&mut self) {
        self.inner.backfilled();
    }

    /// The backfill failed.
    #[wasm_bindgen(js_name = backfillFailed)]
    pub fn backfill_failed(&mut self, status: Option<u16>) {
        self.inner.backfill_failed(status);
    }

    /// A chunk of the body.
    pub fn bytes(&mut self, chunk: &[u8]) {
        self.inner.bytes(chunk);
    }

    /// The body ended.
    pub fn closed(&mut self) {
        self.inner.closed();
    }

    /// Reading the body failed.
    #[wasm_bindgen(js_name = readFailed)]
    pub fn read_failed(&mut self) {
        self.inner.read_failed();
    }

    /// Nothing arrived within the stall timeout.
    pub fn stalled(&mut self) {
        self.inner.stalled();
    }

    /// The wait is over.
    pub fn waited(&mut self) {
        self.inner.waited();
    }

    /// The JS engine could not parse a delivered event: forget its id.
    pub fn reject(&mut self, json: &str) {
        self.inner.reject(json);
    }

    /// Records a backfilled event: 0 = already delivered (skip it), 1 = deliver it,
    /// 2 = deliver it, and nothing follows.
    pub fn accept(
        &mut self,
        id: Option<String>,
        processed_at: Option<String>,
        type_name: &str,
    ) -> u8 {
        let ends_session = type_ends_session(type_name);
        let fresh = self.inner.accept(Seen {
            id: id.as_deref(),
            processed_at: processed_at.as_deref(),
            ends_session,
        });
        match (fresh, ends_session) {
            (false, _) => 0,
            (true, false) => 1,
            (true, true) => 2,
        }
    }

    /// How many times the stream reconnected.
    pub fn reconnects(&self) -> u32 {
        self.inner.reconnects()
    }
}

/// Whether an event of this type ends the session (nothing follows it).
#[wasm_bindgen(js_name = endsSession)]
pub fn ends_session(type_name: &str) -> bool {
    type_ends_session(type_name)
}

/// Whether this version knows events of this type (one of the 44).
#[wasm_bindgen(js_name = isKnownEventType)]
pub fn is_known_event_type(type_name: &str) -> bool {
    outrig_api::Event::KNOWN_TYPES.contains(&type_name)
}
