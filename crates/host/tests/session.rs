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
    // The calls are made while no host serves the session; then the journal is made to
    // say a host started both and crashed, and only then does this runner serve.
    client
        .send_events(
            &session_id,
            vec![SendEvent::user_text("call echo {\"a\":1}\ncall evil_ok {}")],
        )
        .await
        .unwrap();
    let crashed = Journal::open(&path).unwrap();
    let mut calls = 0;
    while calls < 2 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        calls = 0;
        for event in client.list_events(&session_id).await.unwrap() {
            if let Event::AgentCustomToolUse(call) = event {
                crashed.started(&session_id, &call.id, &call.name).unwrap();
                calls += 1;
            }
        }
    }
    let serving = {
        let (runner, id) = (runner.clone(), session_id.clone());
        tokio::spawn(async move { runner.serve(&id, Until::TurnEnds, |_| {}).await })
    };
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
        message.contains("it was not run again, because the tool is not marked idempotent"),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_policy_answers_tool_confirmations() {
    use outrig_api::objects::{CreateAgent, CreateSession, EnvironmentParams};
    use outrig_host::confirm::ConfirmRule;
    let scenarios = tempfile::tempdir().unwrap();
    std::fs::write(
        scenarios.path().join("careful.json"),
        r#"{"turns": [{"steps": [
            {"ask_tool": {"name": "bash", "input": {"command": "rm -rf /tmp/cache"}}},
            {"ask_tool": {"name": "bash", "input": {"command": "ls /tmp"}}},
            {"ask_tool": {"name": "web_fetch", "input": {"url": "https://example.com"}}},
            {"message": "Done."}
        ]}]}"#,
    )
    .unwrap();
    let outrig_test_support::Emulated {
        emulator: _emulator,
        client,
    } = outrig_test_support::emulator_with(|config| {
        config.scenarios = Some(scenarios.path().to_path_buf())
    })
    .await;
    let rules: Vec<ConfirmRule> =
        toml::from_str::<std::collections::HashMap<String, Vec<ConfirmRule>>>(
            r#"
        [[confirm]]
        tool = "bash"
        match = { pointer = "/command", prefix = "rm " }
        decision = "deny"
        message = "deleting is not allowed"
        [[confirm]]
        tool = "bash"
        decision = "allow"
        "#,
        )
        .unwrap()
        .remove("confirm")
        .unwrap();
    let host = outrig_host::HostConfig::default()
        .load_tools()
        .await
        .unwrap();
    let runner = outrig_host::runner::Runner::new(std::sync::Arc::new(host), client.clone(), 4)
        .with_confirmations(rules);
    let agent = client
        .create_agent(
            &serde_json::from_value::<CreateAgent>(serde_json::json!({"name": "careful", "model": "claude-opus-4-6", "metadata": {"scenario": "careful"}}))
                .unwrap(),
        )
        .await
        .unwrap();
    let environment = client
        .create_environment(&EnvironmentParams {
            name: Some("careful".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let session = client
        .create_session(
            &serde_json::from_value::<CreateSession>(
                serde_json::json!({"agent": agent.id, "environment_id": environment.id}),
            )
            .unwrap(),
        )
        .await
        .unwrap()
        .id;
    let serving = {
        let (runner, id) = (runner.clone(), session.clone());
        tokio::spawn(async move { runner.serve(&id, Until::TurnEnds, |_| {}).await })
    };
    client
        .send_events(&session, vec![SendEvent::user_text("clean up")])
        .await
        .unwrap();
    let summary = serving.await.unwrap().unwrap();
    let decisions: Vec<(bool, &str)> = summary
        .confirmations
        .iter()
        .map(|c| (c.allowed, c.because.as_str()))
        .collect();
    assert_eq!(
        decisions,
        [
            (false, "rule 1 of [[confirm]]"),
            (true, "rule 2 of [[confirm]]"),
            (false, "no [[confirm]] rule matched (deny by default)")
        ]
    );
    let answers: Vec<(String, Option<String>)> = client
        .list_events(&session)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|e| match e {
            Event::UserToolConfirmation(c) => Some((c.result, c.deny_message.flatten())),
            _ => None,
        })
        .collect();
    assert_eq!(
        answers,
        [
            ("deny".into(), Some("deleting is not allowed".into())),
            ("allow".into(), None),
            (
                "deny".into(),
                Some("no operator rule allows `web_fetch`".into())
            )
        ]
    );
}

/// A lead agent delegates to a roster agent whose custom tool the host serves: the call
/// is made in a sub-thread, cross-posted to the session, answered by the runner, and the
/// sub-agent reports the result back to the lead.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sub_agents_tool_call_is_served_by_the_host() {
    use outrig_api::objects::{CreateAgent, CreateSession};
    use serde_json::json;
    let Setup {
        _emulator,
        client,
        runner,
        session_id,
    } = setup(vec![config("hostile")]).await;
    let environment_id = client
        .get_session(&session_id)
        .await
        .unwrap()
        .environment_id;
    let create = |body: serde_json::Value| serde_json::from_value::<CreateAgent>(body).unwrap();
    let helper = client
        .create_agent(&create(
            json!({"name": "helper", "model": "claude-haiku-4-5"}),
        ))
        .await
        .unwrap();
    runner.register(&helper.id).await.unwrap();
    let lead = client
        .create_agent(&create(json!({"name": "lead", "model": "claude-opus-4-6",
            "multiagent": {"type": "coordinator", "agents": [helper.id]}})))
        .await
        .unwrap();
    let session = client
        .create_session(
            &serde_json::from_value::<CreateSession>(
                json!({"agent": lead.id, "environment_id": environment_id}),
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let serving = {
        let (runner, id) = (runner.clone(), session.id.clone());
        tokio::spawn(async move { runner.serve(&id, Until::TurnEnds, |_| {}).await })
    };
    client
        .send_events(
            &session.id,
            vec![SendEvent::user_text("delegate helper\ncall ok {}")],
        )
        .await
        .unwrap();
    let summary = serving.await.unwrap().unwrap();
    assert_eq!(
        summary
            .calls
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["ok"]
    );
    let history = client.list_events(&session.id).await.unwrap();
    let call_thread = history.iter().find_map(|e| match e {
        Event::AgentCustomToolUse(c) => c.session_thread_id.clone().flatten(),
        _ => None,
    });
    assert!(call_thread.is_some(), "the call was made in a sub-thread");
    let report = history
        .iter()
        .find_map(|e| match e {
            Event::AgentThreadMessageReceived(m) => {
                Some(outrig_api::content::joined_text(&m.content))
            }
            _ => None,
        })
        .expect("the sub-agent reported back");
    assert!(report.contains("ok: fine"), "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_journal_that_cannot_be_written_stops_the_runner_before_a_tool_runs() {
    use outrig_host::journal::Journal;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let Setup {
        _emulator,
        client,
        runner,
        session_id,
    } = setup(vec![config("invoices")]).await;
    let runner = runner.with_journal(Journal::open(&path).unwrap());
    // Another process takes the journal's write lock (as a full disk, a read-only mount or
    // a stuck backup would make writes fail) before the call arrives.
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    client
        .send_events(
            &session_id,
            vec![SendEvent::user_text("call echo {\"a\":1}")],
        )
        .await
        .unwrap();
    let error = runner
        .serve(&session_id, Until::TurnEnds, |_| {})
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("stopped taking tool calls"), "{error}");
    assert!(error.contains(&path.display().to_string()), "{error}");
    let answered = client
        .list_events(&session_id)
        .await
        .unwrap()
        .into_iter()
        .any(|e| matches!(e, Event::UserCustomToolResult(_)));
    assert!(
        !answered,
        "no result was sent: the call stays pending for a working host"
    );
}
