//! `outrig sessions confirm`: a person answers a tool call that awaits confirmation.

use outrig_api::events::Event;
use outrig_api::objects::{CreateAgent, CreateSession, EnvironmentParams};
use outrig_api::request::Secret;
use outrig_api::SendEvent;
use outrig_client::{Client, ClientOptions};
use serde_json::json;
use std::process::Command;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_denies_a_tool_call_from_the_command_line() {
    let scenarios = tempfile::tempdir().unwrap();
    std::fs::write(
        scenarios.path().join("asks.json"),
        r#"{"turns": [{"steps": [{"ask_tool": {"name": "bash", "input": {"command": "rm -rf /"}}}, {"message": "Done."}]}]}"#,
    )
    .unwrap();
    let emulator = outrig_emulator::start(outrig_emulator::Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        delay_scale: 0.0,
        scenarios: Some(scenarios.path().to_path_buf()),
        ..Default::default()
    })
    .await
    .unwrap();
    let client = Client::new(ClientOptions {
        base_url: emulator.base_url(),
        api_key: Some(Secret::new("k")),
        ..Default::default()
    });
    let agent = client
        .create_agent(
            &serde_json::from_value::<CreateAgent>(
                json!({"name": "asks", "model": "m", "metadata": {"scenario": "asks"}}),
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let environment = client
        .create_environment(&EnvironmentParams {
            name: Some("e".into()),
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
    client
        .send_events(&session, vec![SendEvent::user_text("clean up")])
        .await
        .unwrap();
    let started = Instant::now();
    let asking = loop {
        let found = client
            .list_events(&session)
            .await
            .unwrap()
            .into_iter()
            .find_map(|e| match e {
                Event::AgentToolUse(call) => Some(call.id),
                _ => None,
            });
        if let Some(id) = found {
            break id;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "no tool call");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let output = Command::new(env!("CARGO_BIN_EXE_outrig"))
        .args([
            "sessions",
            "confirm",
            &session,
            &asking,
            "--deny",
            "not on this machine",
        ])
        .args(["--base-url", &emulator.base_url()])
        .env("ANTHROPIC_API_KEY", "k")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let answers: Vec<(String, String, Option<String>)> = client
        .list_events(&session)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|e| match e {
            Event::UserToolConfirmation(c) => {
                Some((c.tool_use_id, c.result, c.deny_message.flatten()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        answers,
        [(
            asking,
            "deny".to_string(),
            Some("not on this machine".to_string())
        )]
    );
}
