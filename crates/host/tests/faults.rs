//! Faults between the host and the API, injected by the emulator's chaos rules: bursts of 503 on result POSTs (more than the client's own retries),
//! results the API accepted whose response was lost, stream connections cut every few
//! kilobytes, and a malformed event at the start of every stream connection. Every call
//! must run once and be answered exactly once, and every turn must end.

mod common;

use common::{config, setup, Setup};
use outrig_api::events::Event;
use outrig_api::SendEvent;
use outrig_emulator::chaos::Rule;
use outrig_emulator::requests::Filter;
use outrig_host::delivery::Delivery;
use outrig_host::grants::{DirGrant, DirMode};
use outrig_host::runner::{Runner, Until};
use std::collections::HashMap;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_call_runs_once_and_is_answered_once_through_a_faulty_network() {
    let data = tempfile::tempdir().unwrap();
    let mut hostile = config("hostile");
    hostile.grants.dirs.push(DirGrant {
        host: data.path().to_path_buf(),
        guest: "/data".into(),
        mode: DirMode::Rw,
    });
    let Setup {
        _emulator,
        client,
        runner,
        session_id,
    } = setup(vec![hostile]).await;
    let admin = _emulator.admin.clone().expect("the admin surface is on");
    admin
        .chaos
        .add(Rule {
            route: Some("sessions.events.stream".into()),
            garble: true,
            cut_after_bytes: Some(600),
            ..Default::default()
        })
        .unwrap();
    let runner = Runner::new(runner.host(), client.clone(), 8);
    let mut deliveries = Vec::new();
    for turn in 0..3 {
        // More 503s in a row than the client retries, and answers the API accepted but
        // whose response never arrived.
        let results = Rule {
            route: Some("sessions.events.send".into()),
            body_contains: Some("user.custom_tool_result".into()),
            ..Default::default()
        };
        for rule in [
            Rule {
                status: Some(503),
                retry_after: Some(0),
                times: Some(4),
                ..results.clone()
            },
            Rule {
                reset: true,
                times: Some(1),
                ..results
            },
        ] {
            admin.chaos.add(rule).unwrap();
        }
        // The turn's message goes first, so the served stream holds it (see Until::TurnEnds).
        let calls: Vec<String> = (0..3)
            .map(|n| format!(r#"call append_line {{"line":"t{turn}-c{n}","sleep_ms":0}}"#))
            .collect();
        client
            .send_events(&session_id, vec![SendEvent::user_text(calls.join("\n"))])
            .await
            .unwrap();
        let serving = {
            let (runner, id) = (runner.clone(), session_id.clone());
            tokio::spawn(async move { runner.serve(&id, Until::TurnEnds, |_| {}).await })
        };
        let summary = serving.await.unwrap().unwrap();
        assert_eq!(
            summary
                .stop_reason
                .map(|s| s.type_name().to_string())
                .as_deref(),
            Some("end_turn"),
            "turn {turn}"
        );
        deliveries.extend(summary.calls.into_iter().map(|c| c.delivery));
    }
    let history = client.list_events(&session_id).await.unwrap();
    let mut answers: HashMap<String, usize> = HashMap::new();
    let mut calls = 0;
    for event in &history {
        match event {
            Event::AgentCustomToolUse(_) => calls += 1,
            Event::UserCustomToolResult(result) => {
                *answers
                    .entry(result.custom_tool_use_id.clone())
                    .or_default() += 1
            }
            _ => {}
        }
    }
    assert_eq!(calls, 9);
    assert_eq!(answers.len(), 9, "every call answered");
    assert!(
        answers.values().all(|&n| n == 1),
        "exactly once: {answers:?}"
    );
    let mut lines: Vec<String> = std::fs::read_to_string(data.path().join("side-effects.log"))
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    lines.sort();
    assert_eq!(lines.len(), 9, "each call ran exactly once: {lines:?}");
    lines.dedup();
    assert_eq!(lines.len(), 9);
    assert!(
        deliveries.iter().any(|d| matches!(d, Delivery::Refused(_))),
        "a lost response is settled by the API's refusal of the repeat: {deliveries:?}"
    );
    let count = |filter: Filter| admin.log.matching(&filter).len();
    let streams = count(Filter {
        route: Some("sessions.events.stream".into()),
        ..Default::default()
    });
    eprintln!(
        "{} result POSTs, {streams} stream connections, deliveries {deliveries:?}",
        count(Filter {
            event_type: Some("user.custom_tool_result".into()),
            ..Default::default()
        }),
    );
    assert!(streams > 3, "streams were cut");
}
