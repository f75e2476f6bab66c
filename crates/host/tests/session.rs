//! End to end over real HTTP: the emulator drives a session whose agent calls tools from
//! the Rust, JavaScript and Python plugins (and a runaway one) in parallel; the runner
//! answers every call and the turn ends with `end_turn`.

mod common;

use common::{books, config, invoices_with, setup, Setup};
use outrig_api::events::Event;
use outrig_api::SendEvent;
use outrig_host::grants::Limits;
use outrig_host::runner::Until;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_calling_every_plugin_in_parallel_is_answered_and_ends_the_turn() {
    let dir = books();
    let mut hostile = config("hostile");
    hostile.prefix = Some("evil_".into());
    hostile.limits = Limits {
        timeout_ms: 300,
        ..Limits::default()
    };
    let plugins = vec![
        invoices_with(&dir),
        config("units"),
        config("stats"),
        hostile,
    ];
    let Setup {
        _emulator,
        client,
        runner,
        session_id,
    } = setup(plugins).await;
    let serving = {
        let (runner, id) = (runner.clone(), session_id.clone());
        tokio::spawn(async move { runner.serve(&id, Until::TurnEnds, |_| {}).await })
    };
    // The runner backfills, so sending right away loses nothing.
    let task = [
        r#"call reconcile_invoices {"invoices":"invoices.csv","ledger":"ledger.csv"}"#,
        r#"call convert_units {"value":5,"from":"km","to":"mi"}"#,
        r#"call describe_numbers {"values":[120,75.5,19.99,300]}"#,
        r#"call evil_spin {}"#,
    ]
    .join("\n");
    client
        .send_events(&session_id, vec![SendEvent::user_text(task)])
        .await
        .unwrap();
    let summary = serving.await.unwrap().unwrap();

    assert_eq!(
        summary
            .stop_reason
            .map(|s| s.type_name().to_string())
            .as_deref(),
        Some("end_turn")
    );
    let mut names: Vec<&str> = summary.calls.iter().map(|c| c.name.as_str()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "convert_units",
            "describe_numbers",
            "evil_spin",
            "reconcile_invoices"
        ]
    );
    let spin = summary
        .calls
        .iter()
        .find(|c| c.name == "evil_spin")
        .unwrap();
    assert!(spin.outcome.is_error);

    let history = client.list_events(&session_id).await.unwrap();
    let results: Vec<_> = history
        .iter()
        .filter_map(|e| match e {
            Event::UserCustomToolResult(r) => Some(r),
            _ => None,
        })
        .collect();
    assert_eq!(results.len(), 4, "every call answered exactly once");
    let report = history
        .iter()
        .rev()
        .find_map(|e| match e {
            Event::AgentMessage(m) => Some(outrig_api::content::joined_text(&m.content)),
            _ => None,
        })
        .unwrap();
    assert!(
        report.contains("convert_units: 5 km = 3.106856 mi"),
        "{report}"
    );
    assert!(
        report.contains("reconcile_invoices: 2 of 4 invoices match"),
        "{report}"
    );
    assert!(
        report.contains("describe_numbers: 4 numbers, mean 128.8725"),
        "{report}"
    );
    assert!(
        report.contains("evil_spin failed: the tool was stopped after its 300 ms time limit"),
        "{report}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupt_cancels_the_calls_in_flight_and_stops_those_that_ignore_it() {
    let mut hostile = config("hostile");
    hostile.limits = Limits {
        timeout_ms: 120_000,
        ..Limits::default()
    };
    let Setup {
        _emulator,
        client,
        runner,
        session_id,
    } = setup(vec![hostile]).await;
    let (seen, mut calls) = tokio::sync::mpsc::unbounded_channel();
    let serving = {
        let (runner, id) = (runner.clone(), session_id.clone());
        tokio::spawn(async move {
            runner
                .serve(&id, Until::TurnEnds, |event| {
                    if let Event::AgentCustomToolUse(call) = event {
                        let _ = seen.send(call.id.clone());
                    }
                })
                .await
        })
    };
    client
        .send_events(
            &session_id,
            vec![SendEvent::user_text("call wait_cancel {}\ncall sleep {}")],
        )
        .await
        .unwrap();
    calls.recv().await.expect("the agent calls wait_cancel");
    calls.recv().await.expect("the agent calls sleep");
    client
        .send_events(&session_id, vec![SendEvent::interrupt()])
        .await
        .unwrap();
    let summary = serving.await.unwrap().unwrap();
    let text = |name: &str| {
        let call = summary.calls.iter().find(|c| c.name == name).unwrap();
        assert!(call.outcome.is_error);
        outrig_api::content::joined_text(&call.outcome.content)
    };
    assert!(
        text("wait_cancel").contains("stopped: the call was cancelled"),
        "{}",
        text("wait_cancel")
    );
    assert_eq!(
        text("sleep"),
        "the call was interrupted and stopped 1000 ms after `cancelled()` became true"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_the_journal_says_was_interrupted_runs_again_only_if_idempotent() {
    use outrig_host::journal::Journal;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let Setup {
        _emulator,
        client,
        runner,
        session_id,
    } = setup(vec![config("invoices"), {
        let mut hostile = config("hostile");
        hostile.prefix = Some("evil_".into());
        hostile
    }])
    .await;
    let runner = runner.with_journal(Journal::open(&path).unwrap());
    // A second handle on the same journal plays the host that crashed mid-call: it
    // records every call as started before this runner dispatches it.
    let crashed = Journal::open(&path).unwrap();
    let serving = {
        let (runner, id) = (runner.clone(), session_id.clone());
        tokio::spawn(async move {
            let session = id.clone();
            runner
                .serve(&id, Until::TurnEnds, move |event| {
                    if let Event::AgentCustomToolUse(call) = event {
                        crashed.started(&session, &call.id, &call.name).unwrap();
                    }
                })
                .await
        })
    };
    client
        .send_events(
            &session_id,
            vec![SendEvent::user_text("call echo {\"a\":1}\ncall evil_ok {}")],
        )
        .await
        .unwrap();
    let summary = serving.await.unwrap().unwrap();
    let text = |name: &str| {
        let call = summary.calls.iter().find(|c| c.name == name).unwrap();
        (
            call.outcome.is_error,
            outrig_api::content::joined_text(&call.outcome.content),
        )
    };
    assert_eq!(
        text("echo"),
        (false, r#"{"a":1}"#.to_string()),
        "idempotent: run again"
    );
    let (is_error, message) = text("evil_ok");
    assert!(is_error);
    assert!(
        message.contains("did not run it again, because the tool is not marked idempotent"),
        "{message}"
    );
}
