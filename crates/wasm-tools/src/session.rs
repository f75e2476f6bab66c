//! The session machine for JavaScript (`createSessionMachine` in the npm package): fed each
//! parsed event, whose envelope it reads here; asked which calls to run, which to stop and
//! when the turn ended (the rules of `outrig_api::state`).

use js_sys::{Array, Reflect};
use outrig_api::recovery::{recover, Record, Recovery};
use outrig_api::state::{Envelope, Fact, SessionState, TurnEnd, Work};
use wasm_bindgen::prelude::*;

/// One session's machine, serving the custom tools it was made with.
#[wasm_bindgen]
pub struct SessionMachine {
    state: SessionState,
}

#[wasm_bindgen]
impl SessionMachine {
    /// A machine handing out the custom tool calls of the NUL-joined `tools` (of every
    /// custom tool when `undefined`).
    #[wasm_bindgen(constructor)]
    pub fn new(tools: Option<String>) -> SessionMachine {
        let names: Option<Vec<String>> = tools.map(|tools| {
            tools
                .split('\0')
                .filter(|name| !name.is_empty())
                .map(str::to_string)
                .collect()
        });
        SessionMachine {
            state: SessionState::serving(move |work| match work {
                Work::Custom(call) => names.as_ref().is_none_or(|n| n.contains(&call.name)),
                _ => false,
            }),
        }
    }

    /// Feeds one parsed event (each once, in order); anything not an object counts as an
    /// event of no type.
    pub fn feed(&mut self, event: &JsValue) {
        let kind = text(event, "type").unwrap_or_default();
        let stop = Reflect::get(event, &"stop_reason".into()).unwrap_or(JsValue::UNDEFINED);
        let event_ids = Reflect::get(&stop, &"event_ids".into())
            .ok()
            .filter(Array::is_array)
            .map(|ids| {
                Array::from(&ids)
                    .iter()
                    .filter_map(|id| id.as_string())
                    .collect()
            })
            .unwrap_or_default();
        let permission = match kind.as_str() {
            "user.tool_confirmation" => text(event, "result"),
            _ => text(event, "evaluated_permission"),
        };
        self.state.handle(Fact::from_envelope(Envelope {
            id: text(event, "id").unwrap_or_default(),
            name: text(event, "name").unwrap_or_default(),
            server: text(event, "mcp_server_name"),
            thread: text(event, "session_thread_id"),
            permission,
            refers_to: text(event, "custom_tool_use_id")
                .or_else(|| text(event, "tool_use_id"))
                .unwrap_or_default(),
            stop: text(&stop, "type").unwrap_or_default(),
            event_ids,
            kind,
        }));
    }

    /// Ids of the calls to answer now, oldest first (each handed out once).
    pub fn dispatch(&mut self) -> Array {
        std::iter::from_fn(|| self.state.poll_dispatch())
            .map(|d| JsValue::from_str(d.work.id()))
            .collect()
    }

    /// Ids of handed-out calls the session no longer waits for.
    pub fn cancelled(&mut self) -> Array {
        std::iter::from_fn(|| self.state.poll_cancel())
            .map(JsValue::from)
            .collect()
    }

    /// How the turn ended (a stop reason's type, or `terminated`), or `undefined`. Ask
    /// only once every event received so far is fed.
    #[wasm_bindgen(js_name = turnEnded)]
    pub fn turn_ended(&mut self) -> Option<String> {
        self.state.poll_turn().map(|end| match end {
            TurnEnd::Terminated => "terminated".to_string(),
            TurnEnd::Idle(stop) => stop.type_name().to_string(),
        })
    }

    /// The answer to `id` was accepted.
    pub fn sent(&mut self, id: &str) {
        self.state.handle_sent(id);
    }

    /// Sending the answer to `id` failed with `status` (`undefined`: no response);
    /// `true` when sending it again may still help.
    #[wasm_bindgen(js_name = sendFailed)]
    pub fn send_failed(&mut self, id: &str, status: Option<u16>) -> bool {
        self.state.handle_send_failed(id, status)
    }

    /// The interrupt generation: calls dispatched in an older one are to be stopped.
    #[wasm_bindgen(getter)]
    pub fn interrupts(&self) -> f64 {
        self.state.interrupts() as f64
    }

    /// Whether a turn is in progress.
    #[wasm_bindgen(getter, js_name = inTurn)]
    pub fn in_turn(&self) -> bool {
        self.state.in_turn()
    }
}

/// A string field of a JS object.
fn text(object: &JsValue, field: &str) -> Option<String> {
    Reflect::get(object, &JsValue::from_str(field))
        .ok()?
        .as_string()
}

/// The error a call is answered with when the instance that claimed it stopped while it
/// ran (`outrig_api::recovery::recover` for a started, non-idempotent call).
#[wasm_bindgen(js_name = lostAnswer)]
pub fn lost_answer(tool: &str) -> String {
    match recover(
        Some(&Record::Started),
        tool,
        false,
        "the instance running it stopped",
    ) {
        Recovery::AnswerLost(message) => message,
        _ => unreachable!("a started call that is not idempotent is answered as lost"),
    }
}
