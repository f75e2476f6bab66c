//! `outrig host work` as a process: `kill -9` in the middle of a `bash` call, then a new
//! worker with the same journal. The call is not run again (the side effect shows it ran
//! once) and is answered with an error saying why; the work item is served again.

mod common;

use common::eventually;
use outrig_api::events::Event;
use outrig_api::SendEvent;
use serde_json::{json, Value};
use std::path::Path;
use std::process::{Child, Command, Stdio};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn worker(config: &Path, journal: &Path, environment: &str, base_url: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_outrig"))
        .args(["host", "work", "--config"])
        .arg(config)
        .arg("--state")
        .arg(journal)
        .args(["--environment", environment, "--base-url", base_url])
        .args(["--lease-ttl-s", "2", "--max-idle-ms", "500"])
        .env("ANTHROPIC_ENVIRONMENT_KEY", "env-key")
        .env("ANTHROPIC_API_KEY", "k")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_mid_bash_does_not_run_it_again() {
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("sandboxes");
    let config = work.path().join("outrig-host.toml");
    std::fs::write(
        &config,
        format!(
            "[[plugin]]\npath = \"{ROOT}/artifacts/plugins/invoices.wasm\"\n\n[sandbox]\nroot = \"{}\"\n",
            root.display()
        ),
    )
    .unwrap();
    let journal = work.path().join("journal.sqlite");
    let outrig_test_support::Emulated { emulator, client } = outrig_test_support::emulator().await;
    let create = |route, body: Value| {
        let client = client.clone();
        async move {
            let made: Value = client
                .call(route, &[], &Default::default(), Some(&body))
                .await
                .unwrap();
            made["id"].as_str().unwrap().to_string()
        }
    };
    let environment = create(
        &outrig_api::routes::ENVIRONMENTS_CREATE,
        json!({"name": "mine", "config": {"type": "self_hosted"}}),
    )
    .await;
    let agent = create(
        &outrig_api::routes::AGENTS_CREATE,
        json!({"name": "w", "model": "claude-opus-4-6", "tools": [{"type": "agent_toolset_20260401"}]}),
    )
    .await;
    let session = create(
        &outrig_api::routes::SESSIONS_CREATE,
        json!({"agent": agent, "environment_id": environment}),
    )
    .await;
    let mut first = worker(&config, &journal, &environment, &emulator.base_url());
    let command = json!({"command": "echo ran >> runs.txt; sleep 60"});
    client
        .send_events(
            &session,
            vec![SendEvent::user_text(format!("tool bash {command}"))],
        )
        .await
        .unwrap();
    let runs = root.join(&session).join("workspace/runs.txt");
    eventually("the command to start", async || runs.exists().then_some(())).await;
    first.kill().unwrap();
    first.wait().unwrap();
    let mut second = worker(&config, &journal, &environment, &emulator.base_url());
    let result = eventually("the call to be answered", async || {
        client
            .list_events(&session)
            .await
            .unwrap()
            .into_iter()
            .find_map(|e| match e {
                Event::UserToolResult(r) => Some(r),
                _ => None,
            })
    })
    .await;
    second.kill().unwrap();
    second.wait().unwrap();
    let text = outrig_api::content::joined_text(result.content.as_deref().unwrap_or_default());
    assert_eq!(result.is_error.flatten(), Some(true), "{text}");
    assert!(
        text.contains("restarted while `bash` was running; it was not run again"),
        "{text}"
    );
    assert_eq!(
        std::fs::read_to_string(&runs).unwrap(),
        "ran\n",
        "it ran once"
    );
}
