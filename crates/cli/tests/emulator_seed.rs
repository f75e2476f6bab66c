//! `outrig emulator --seed N --clock T+STEP` as a user runs it: two emulator processes
//! doing the same things give byte-identical answers (ids and timestamps included); a
//! different seed gives other ids.

mod common;

use common::{start_emulator, Process};
use serde_json::{json, Value};
use std::process::Command;

fn start(seed: &str) -> (Process, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_outrig"));
    command
        .args(["emulator", "--addr", "127.0.0.1:0", "--db", ":memory:"])
        .args(["--seed", seed, "--clock", "2026-01-01T00:00:00Z+1ms"]);
    start_emulator(command)
}

/// Runs one turn with a custom tool call; returns every answer's body, as sent.
async fn run(base: &str) -> Vec<String> {
    let http = reqwest::Client::new();
    let mut bodies = Vec::new();
    let mut send = async |method: reqwest::Method, path: &str, body: Option<Value>| {
        let mut request = http
            .request(method, format!("{base}{path}?beta=true"))
            .header("x-api-key", "k")
            .header("anthropic-beta", "managed-agents-2026-04-01");
        if let Some(body) = body {
            request = request.json(&body);
        }
        let text = request.send().await.unwrap().text().await.unwrap();
        bodies.push(text.clone());
        serde_json::from_str::<Value>(&text).unwrap()
    };
    let lookup = json!({"type": "custom", "name": "lookup", "description": "d", "input_schema": {"type": "object"}});
    let agent = send(
        reqwest::Method::POST,
        "/v1/agents",
        Some(json!({"name": "seeded", "model": "claude-opus-4-6", "tools": [lookup]})),
    )
    .await;
    let environment = send(
        reqwest::Method::POST,
        "/v1/environments",
        Some(json!({"name": "seeded"})),
    )
    .await;
    let session = send(
        reqwest::Method::POST,
        "/v1/sessions",
        Some(json!({"agent": agent["id"], "environment_id": environment["id"]})),
    )
    .await;
    let id = session["id"].as_str().unwrap().to_string();
    let events = format!("/v1/sessions/{id}/events");
    send(
        reqwest::Method::POST,
        &events,
        Some(json!({"events": [{"type": "user.message", "content": [{"type": "text", "text": "call lookup {}"}]}]})),
    )
    .await;
    let history = wait(&http, base, &id, |types| {
        types.contains(&"agent.custom_tool_use".to_string())
            && types.last().map(String::as_str) == Some("session.status_idle")
    })
    .await;
    let call = history
        .iter()
        .find(|e| e["type"] == "agent.custom_tool_use")
        .unwrap()["id"]
        .clone();
    send(
        reqwest::Method::POST,
        &events,
        Some(
            json!({"events": [{"type": "user.custom_tool_result", "custom_tool_use_id": call,
            "content": [{"type": "text", "text": "found"}]}]}),
        ),
    )
    .await;
    wait(&http, base, &id, |types| {
        types.iter().filter(|t| *t == "session.status_idle").count() == 2
    })
    .await;
    bodies.push(
        http.get(format!("{base}{events}?beta=true"))
            .header("x-api-key", "k")
            .header("anthropic-beta", "managed-agents-2026-04-01")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    bodies
}

/// Polls the session's events until `done` holds for their types.
async fn wait(
    http: &reqwest::Client,
    base: &str,
    id: &str,
    done: impl Fn(&[String]) -> bool,
) -> Vec<Value> {
    loop {
        let page: Value = http
            .get(format!("{base}/v1/sessions/{id}/events?beta=true"))
            .header("x-api-key", "k")
            .header("anthropic-beta", "managed-agents-2026-04-01")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let events = page["data"].as_array().unwrap().clone();
        let types: Vec<String> = events
            .iter()
            .map(|e| e["type"].as_str().unwrap().to_string())
            .collect();
        if done(&types) {
            return events;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn two_runs_with_one_seed_answer_byte_for_byte_the_same() {
    let (_first, base) = start("7");
    let first = run(&base).await;
    let (_second, base) = start("7");
    let second = run(&base).await;
    assert_eq!(first, second);
    assert!(first.last().unwrap().contains("2026-01-01T00:00:00.0"));
    let (_other, base) = start("8");
    let other = run(&base).await;
    assert_ne!(first[0], other[0], "another seed, other ids");
}
