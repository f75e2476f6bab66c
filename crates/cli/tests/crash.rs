//! `kill -9` of `outrig host run`, then a restart with the same journal: a call killed
//! mid-way is not run again (its tool is not idempotent) and is answered with an error
//! saying so; a call that finished but whose result never reached the API (every result
//! POST answered 503) is answered with its recorded result, without running again. The
//! side-effect file shows each tool ran exactly once; each call has exactly one result.

mod common;

use common::{eventually, results};
use outrig_api::content::joined_text;
use outrig_api::objects::{CreateAgent, CreateSession, EnvironmentParams};
use outrig_api::SendEvent;
use outrig_emulator::chaos::Rule;
use outrig_emulator::requests::Filter;
use serde_json::json;
use std::path::Path;
use std::process::{Child, Command, Stdio};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn host(config: &Path, journal: &Path, session: &str, base_url: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_outrig"))
        .args(["host", "run", "--config"])
        .arg(config)
        .arg("--state")
        .arg(journal)
        .args(["--session", session, "--base-url", base_url])
        .env("ANTHROPIC_API_KEY", "k")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn lines(file: &Path) -> Vec<String> {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .map(String::from)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_host_neither_runs_a_call_twice_nor_loses_a_result() {
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let config = work.path().join("outrig-host.toml");
    std::fs::write(
        &config,
        format!(
            "[[plugin]]\npath = \"{ROOT}/artifacts/plugins/hostile.wasm\"\n[plugin.grants]\ndirs = [{{ host = \"{}\", guest = \"/data\", mode = \"rw\" }}]\n",
            data.display()
        ),
    )
    .unwrap();
    let journal = work.path().join("journal.sqlite");
    let side_effects = data.join("side-effects.log");

    let outrig_test_support::Emulated { emulator, client } =
        outrig_test_support::emulator_with(|c| c.admin = Some(Default::default())).await;
    let admin = emulator.admin.clone().unwrap();
    let api = emulator.base_url();
    let results_sent = || {
        admin
            .log
            .matching(&Filter {
                event_type: Some("user.custom_tool_result".into()),
                ..Default::default()
            })
            .len()
    };
    let agent = client
        .create_agent(
            &serde_json::from_value::<CreateAgent>(
                json!({"name": "crash", "model": "claude-opus-4-6"}),
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let registered = Command::new(env!("CARGO_BIN_EXE_outrig"))
        .args(["host", "register", "--config"])
        .arg(&config)
        .args(["--agent", &agent.id, "--base-url", &emulator.base_url()])
        .env("ANTHROPIC_API_KEY", "k")
        .output()
        .unwrap();
    assert!(registered.status.success(), "{registered:?}");
    let environment = client
        .create_environment(&EnvironmentParams {
            name: Some("crash".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let session = client
        .create_session(
            &serde_json::from_value::<CreateSession>(
                json!({"agent": agent.id, "environment_id": environment.id}),
            )
            .unwrap(),
        )
        .await
        .unwrap()
        .id;

    // 1. Killed in the middle of a call, after its side effect.
    let mut running = host(&config, &journal, &session, &api);
    client
        .send_events(
            &session,
            vec![SendEvent::user_text(
                r#"call append_line {"line":"A","sleep_ms":60000}"#,
            )],
        )
        .await
        .unwrap();
    eventually("the tool appends", async || {
        (lines(&side_effects).len() == 1).then_some(())
    })
    .await;
    running.kill().unwrap();
    running.wait().unwrap();
    let mut running = host(&config, &journal, &session, &api);
    let answered = eventually("the killed call is answered", async || {
        results(&client, &session).await.pop()
    })
    .await;
    let text = joined_text(answered.content.as_deref().unwrap_or_default());
    assert_eq!(answered.is_error.flatten(), Some(true));
    assert!(
        text.contains("restarted while `append_line` was running; it was not run again"),
        "{text}"
    );
    assert_eq!(lines(&side_effects), ["A"], "not run again");

    // 2. Killed after the call finished, while the API refuses its result.
    admin
        .chaos
        .add(Rule {
            route: Some("sessions.events.send".into()),
            body_contains: Some("user.custom_tool_result".into()),
            status: Some(503),
            ..Default::default()
        })
        .unwrap();
    let before = results_sent();
    client
        .send_events(
            &session,
            vec![SendEvent::user_text(
                r#"call append_line {"line":"B","sleep_ms":0}"#,
            )],
        )
        .await
        .unwrap();
    eventually("the host tries to send the result", async || {
        (results_sent() > before).then_some(())
    })
    .await;
    running.kill().unwrap();
    running.wait().unwrap();
    admin.chaos.clear();
    let mut running = host(&config, &journal, &session, &api);
    let answered = eventually("the finished call's result arrives", async || {
        let all = results(&client, &session).await;
        (all.len() == 2).then(|| all[1].clone())
    })
    .await;
    assert_eq!(
        joined_text(answered.content.as_deref().unwrap_or_default()),
        "appended B",
        "the recorded result, sent after the restart"
    );
    assert_eq!(
        lines(&side_effects),
        ["A", "B"],
        "each tool ran exactly once"
    );
    running.kill().unwrap();
    running.wait().unwrap();
    let all = results(&client, &session).await;
    assert_eq!(all.len(), 2, "each call answered exactly once");
}
