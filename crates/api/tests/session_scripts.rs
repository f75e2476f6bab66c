//! The session machine played through the shared event scripts
//! (tests/fixtures/session-scripts.json): what it dispatches, cancels and reports.

use outrig_api::events::{Event, StopReason};
use outrig_api::state::{Envelope, Fact, SessionState, TurnEnd, Work};
use serde_json::Value;

fn scripts() -> Vec<Value> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/session-scripts.json"
    ))
    .unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["scripts"].as_array().unwrap().clone()
}

fn reason(stop: &StopReason) -> String {
    serde_json::to_value(stop).unwrap()["type"]
        .as_str()
        .unwrap()
        .to_string()
}

fn kind(work: &Work) -> &'static str {
    match work {
        Work::Custom(_) => "custom",
        Work::Builtin(_) => "builtin",
        Work::Confirm(_) => "confirm",
    }
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// The envelope a JavaScript shell reads from the parsed event (crates/wasm/js/session.js).
fn envelope(event: &Value) -> Envelope {
    let text = |v: &Value| v.as_str().map(str::to_string);
    let kind = event["type"].as_str().unwrap_or_default().to_string();
    Envelope {
        permission: match kind.as_str() {
            "user.tool_confirmation" => text(&event["result"]),
            _ => text(&event["evaluated_permission"]),
        },
        kind,
        id: text(&event["id"]).unwrap_or_default(),
        name: text(&event["name"]).unwrap_or_default(),
        server: text(&event["mcp_server_name"]),
        thread: text(&event["session_thread_id"]),
        refers_to: text(&event["custom_tool_use_id"])
            .or_else(|| text(&event["tool_use_id"]))
            .unwrap_or_default(),
        stop: text(&event["stop_reason"]["type"]).unwrap_or_default(),
        event_ids: event["stop_reason"]["event_ids"]
            .as_array()
            .map(|ids| ids.iter().filter_map(text).collect())
            .unwrap_or_default(),
    }
}

#[test]
fn every_session_script_plays_as_written() {
    play_scripts(|state, event| {
        let event = Event::from_json(&event.to_string()).unwrap();
        state.handle_event(&event)
    });
}

#[test]
fn every_session_script_plays_the_same_from_envelopes() {
    play_scripts(|state, event| state.handle(Fact::from_envelope(envelope(event))));
}

fn play_scripts(feed: impl Fn(&mut SessionState, &Value)) {
    let scripts = scripts();
    assert!(scripts.len() >= 10);
    for script in scripts {
        let name = script["name"].as_str().unwrap().to_string();
        let serves = strings(&script["serves"]);
        let mut state = SessionState::serving(move |work| match work {
            Work::Confirm(_) => serves.iter().any(|s| s == "@confirm"),
            work => serves.iter().any(|s| s == work.name()),
        });
        for (n, step) in script["steps"].as_array().unwrap().iter().enumerate() {
            let at = format!("{name}, step {n}");
            if let Some(event) = step.get("event") {
                feed(&mut state, event);
            }
            if let Some(id) = step["sent"].as_str() {
                state.handle_sent(id);
            }
            if let Some(id) = step["send_failed"].as_str() {
                let status = step["status"].as_u64().map(|s| s as u16);
                let retry = state.handle_send_failed(id, status);
                assert_eq!(retry, step["expect_retry"].as_bool().unwrap(), "{at}");
            }
            let Some(expect) = step.get("expect") else {
                continue;
            };
            if let Some(ids) = expect.get("dispatch") {
                let mut got = Vec::new();
                while let Some(dispatch) = state.poll_dispatch() {
                    got.push(dispatch);
                }
                let got_ids: Vec<String> = got.iter().map(|d| d.work.id().to_string()).collect();
                assert_eq!(got_ids, strings(ids), "{at}: dispatched");
                if let Some(kinds) = expect.get("kinds") {
                    let got: Vec<String> = got.iter().map(|d| kind(&d.work).into()).collect();
                    assert_eq!(got, strings(kinds), "{at}: kinds");
                }
                if let Some(generation) = expect["generation"].as_u64() {
                    assert!(
                        got.iter().all(|d| d.generation == generation),
                        "{at}: generation"
                    );
                }
            }
            if let Some(ids) = expect.get("cancel") {
                let got: Vec<String> = std::iter::from_fn(|| state.poll_cancel()).collect();
                assert_eq!(got, strings(ids), "{at}: cancelled");
            }
            if let Some(turn) = expect.get("turn") {
                let got = state.poll_turn().map(|end| match end {
                    TurnEnd::Idle(stop) => reason(&stop),
                    TurnEnd::Terminated => "terminated".into(),
                });
                assert_eq!(got.as_deref(), turn.as_str(), "{at}: turn");
            }
            if let Some(in_turn) = expect["in_turn"].as_bool() {
                assert_eq!(state.in_turn(), in_turn, "{at}: in turn");
            }
            if let Some(interrupts) = expect["interrupts"].as_u64() {
                assert_eq!(state.interrupts(), interrupts, "{at}: interrupts");
            }
            if let Some(ids) = expect.get("awaited") {
                assert_eq!(state.awaited_event_ids(), strings(ids), "{at}: awaited");
            }
        }
    }
}
