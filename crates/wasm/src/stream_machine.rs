//! `outrig-api`'s resumable-stream machine for the JS layer, which only performs the I/O it
//! asks for (see `js/client.js`). Event JSON stays text here; the JS engine parses it.

use crate::batch::Batch;
use outrig_api::events::type_ends_session;
use outrig_api::resume::{Action, Delivery, Fatal, Seen, StreamMachine};
use std::time::Duration;
use wasm_bindgen::prelude::*;

/// The machine of one stream.
#[wasm_bindgen(js_name = StreamMachine)]
pub struct JsStreamMachine {
    inner: StreamMachine,
    /// The last `poll`'s batch, kept until the next one.
    batch: Batch,
}

#[wasm_bindgen(js_class = StreamMachine)]
impl JsStreamMachine {
    /// A machine; `backfill` also delivers the history before the first connection.
    #[wasm_bindgen(constructor)]
    pub fn new(backfill: bool, initial_backoff_ms: f64) -> JsStreamMachine {
        JsStreamMachine {
            inner: StreamMachine::new(backfill, Duration::from_millis(initial_backoff_ms as u64)),
            batch: Batch::default(),
        }
    }

    /// Every action due now, as one text of fields joined by NUL at [`Self::batch_at`] in
    /// the wasm memory (each field's end at [`Self::fields_at`]): Latin-1 while every field
    /// fits (from an event of 64 KiB or more on, event JSON's other characters are written
    /// as `\uXXXX`), else UTF-16LE; returns its length in bytes, negated when it is
    /// UTF-16LE. JSON text never holds a raw NUL: a message that does is delivered as
    /// malformed. Deliveries first (`event, json` or `escaped, json` (fresh: the machine
    /// accepted it; see [`Batch::push_event`]), `malformed, raw, error`, `give_up_status,
    /// status`, `give_up_error, data`), then the one thing to do (`connect`, `backfill,
    /// since` (empty: all), `wait, ms`, `finished`), or none when it is to read on (an empty
    /// batch: length 0).
    pub fn poll(&mut self) -> i32 {
        let out = &mut self.batch;
        out.clear();
        loop {
            match self.inner.poll() {
                Action::Deliver(Delivery::Event(json)) => {
                    let start = out.units();
                    if !out.push_event(&json) {
                        out.truncate(start);
                        out.push("malformed");
                        out.push(&json);
                        out.push("a raw NUL in the event data");
                    }
                }
                Action::Deliver(Delivery::Malformed { raw, error }) => {
                    out.push("malformed");
                    out.push(&raw);
                    out.push(&error);
                }
                Action::GiveUp(Fatal::Status(status)) => {
                    out.push("give_up_status");
                    out.push(&status.to_string());
                    return out.signed_length();
                }
                Action::GiveUp(Fatal::ErrorEvent(data)) => {
                    out.push("give_up_error");
                    out.push(&data);
                    return out.signed_length();
                }
                Action::Connect => {
                    out.push("connect");
                    return out.signed_length();
                }
                // Reading on is what a batch without a last action asks (most of them).
                Action::Read => return out.signed_length(),
                Action::Finished => {
                    out.push("finished");
                    return out.signed_length();
                }
                Action::Backfill { since } => {
                    out.push("backfill");
                    out.push(since.as_deref().unwrap_or_default());
                    return out.signed_length();
                }
                Action::Wait(delay) => {
                    out.push("wait");
                    // Whole milliseconds as u64: formatting a u128 costs the wasm a routine of its own.
                    out.push(&(delay.as_millis() as u64).to_string());
                    return out.signed_length();
                }
            }
        }
    }

    /// Where the last `poll`'s fields end, in the batch's units (ASCII bytes or UTF-16 code
    /// units: the string's indices), as 32-bit words in the wasm memory.
    #[wasm_bindgen(js_name = fieldsAt)]
    pub fn fields_at(&self) -> u32 {
        self.batch.ends().as_ptr() as u32
    }

    /// Where the last `poll`'s batch starts in the wasm memory.
    #[wasm_bindgen(js_name = batchAt)]
    pub fn batch_at(&self) -> u32 {
        self.batch.bytes().as_ptr() as u32
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
