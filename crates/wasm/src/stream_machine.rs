//! `outrig-api`'s resumable-stream machine for the JS layer, which only performs the I/O it
//! asks for (see `js/client.js`). Event JSON stays text here; the JS engine parses it.

use outrig_api::events::type_ends_session;
use outrig_api::resume::{Action, Delivery, Fatal, Seen, StreamMachine};
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
            inner: StreamMachine::new(backfill, Duration::from_secs_f64(initial_backoff_ms / 1e3)),
        }
    }

    /// Every action due now, flattened: deliveries first (`"event", json` (fresh: the
    /// machine accepted it),
    /// `"malformed", raw, error`, `"give_up_status", status`, `"give_up_error", data`),
    /// then the one thing to do (`"connect"`, `"read"`, `"backfill", since` (`""`: all),
    /// `"wait", ms`, `"finished"`).
    pub fn poll(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        loop {
            match self.inner.poll() {
                Action::Deliver(Delivery::Event(json)) => out.extend(["event".into(), json]),
                Action::Deliver(Delivery::Malformed { raw, error }) => {
                    out.extend(["malformed".into(), raw, error])
                }
                Action::GiveUp(Fatal::Status(status)) => {
                    out.extend(["give_up_status".into(), status.to_string()]);
                    return out;
                }
                Action::GiveUp(Fatal::ErrorEvent(data)) => {
                    out.extend(["give_up_error".into(), data]);
                    return out;
                }
                Action::Connect => return push(out, ["connect"]),
                Action::Read => return push(out, ["read"]),
                Action::Finished => return push(out, ["finished"]),
                Action::Backfill { since } => {
                    out.extend(["backfill".into(), since.unwrap_or_default()]);
                    return out;
                }
                Action::Wait(delay) => {
                    out.extend(["wait".into(), delay.as_millis().to_string()]);
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

fn push<const N: usize>(mut out: Vec<String>, items: [&str; N]) -> Vec<String> {
    out.extend(items.map(String::from));
    out
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
