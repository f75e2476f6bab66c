//! The fixture corpus (validated against the official Python SDK by
//! `tests/conformance/validate_fixtures.py`) parses into the right variants and
//! re-serialises to the same JSON, key for key, nulls included.

use outrig_api::error::ErrorEnvelope;
use outrig_api::events::{SessionError, StopReason};
use outrig_api::objects::{
    Agent, Environment, FileMetadata, Session, SessionResource, SessionThread,
};
use outrig_api::{Event, SendEvent};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeSet;

fn fixture(name: &str) -> String {
    let path = format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn lines(name: &str) -> Vec<Value> {
    fixture(name)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> T {
    let typed: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("does not parse: {e}\n{value}"));
    let back = serde_json::to_value(&typed).unwrap();
    assert_eq!(&back, value, "re-serialised JSON differs");
    typed
}

#[test]
fn every_event_fixture_parses_to_its_variant_and_round_trips() {
    let mut types = BTreeSet::new();
    let mut stop_reasons = BTreeSet::new();
    let mut error_kinds = BTreeSet::new();
    for value in lines("events.jsonl") {
        let event: Event = round_trip(&value);
        assert!(
            !matches!(event, Event::Unknown(_)),
            "known type fell back to Unknown: {value}"
        );
        assert_eq!(event.type_name(), value["type"].as_str().unwrap());
        types.insert(event.type_name().to_string());
        match &event {
            Event::SessionStatusIdle(idle) => {
                assert!(!matches!(idle.stop_reason, StopReason::Unknown(_)));
                stop_reasons.insert(idle.stop_reason.type_name().to_string());
            }
            Event::SessionError(error) => {
                assert!(!matches!(error.error, SessionError::Unknown(_)));
                error_kinds.insert(error.error.type_name().to_string());
            }
            _ => {}
        }
    }
    let all = |known: &[&str]| known.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(
        types,
        all(Event::KNOWN_TYPES),
        "corpus must cover every event type"
    );
    assert_eq!(Event::KNOWN_TYPES.len(), 44);
    assert_eq!(stop_reasons, all(StopReason::KNOWN_TYPES));
    assert_eq!(error_kinds, all(SessionError::KNOWN_TYPES));
}

#[test]
fn unknown_types_and_fields_are_kept_verbatim() {
    let values = lines("unknown.jsonl");
    let events: Vec<Event> = values.iter().map(round_trip::<Event>).collect();
    assert!(matches!(&events[0], Event::Unknown(_)));
    assert_eq!(events[0].type_name(), "agent.future_event");
    assert_eq!(events[0].id(), Some("sevt_u1"));
    let Event::SessionStatusIdle(idle) = &events[1] else {
        panic!("{:?}", events[1])
    };
    assert!(matches!(idle.stop_reason, StopReason::Unknown(_)));
    assert_eq!(idle.extra["future_field"], Value::Bool(true));
    let Event::SessionError(error) = &events[3] else {
        panic!()
    };
    assert_eq!(error.error.type_name(), "quantum_flux_error");
}

#[test]
fn a_known_type_missing_a_required_field_is_an_error_naming_it() {
    let error = Event::from_json(
        r#"{"type":"agent.custom_tool_use","id":"x","processed_at":"t","input":{}}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("agent.custom_tool_use") && error.contains("name"),
        "{error}"
    );
    assert!(Event::from_json(r#"{"id":"x"}"#)
        .unwrap_err()
        .to_string()
        .contains("type"));
}

#[test]
fn every_object_fixture_round_trips() {
    for line in lines("objects.jsonl") {
        let value = &line["value"];
        match line["model"].as_str().unwrap() {
            "agent" => {
                let agent: Agent = round_trip(value);
                assert_eq!(agent.custom_tools().count(), 1);
            }
            "environment" => drop(round_trip::<Environment>(value)),
            "session" => drop(round_trip::<Session>(value)),
            "session_thread" => drop(round_trip::<SessionThread>(value)),
            "file" => drop(round_trip::<FileMetadata>(value)),
            "file_resource" => assert!(matches!(
                round_trip::<SessionResource>(value),
                SessionResource::File(_)
            )),
            "error" => drop(round_trip::<ErrorEnvelope>(value)),
            "send" => {
                let send: SendEvent = round_trip(value);
                assert!(!matches!(send, SendEvent::Unknown(_)));
            }
            other => panic!("fixture model {other} has no Rust type"),
        }
    }
}
