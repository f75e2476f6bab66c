//! The emulator sends webhooks like the platform: a session's status changes reach every
//! URL, signed (verified here with `outrig_api::webhook::verify`), retried when the
//! receiver fails, and with chaos on, duplicated and reordered but never lost.

mod common;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use common::start;
use outrig_api::webhook::{verify, WebhookEvent, DEFAULT_TOLERANCE_SECS};
use outrig_emulator::webhooks::WebhookConfig;
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

#[derive(Default)]
struct Received {
    /// (webhook-id, data.type) of every verified delivery.
    events: Vec<(String, String)>,
    refused_once: bool,
    bad_signatures: usize,
}

async fn receive(
    State(received): State<Arc<Mutex<Received>>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let mut received = received.lock().unwrap();
    if !received.refused_once {
        received.refused_once = true;
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(String::from)
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    if verify(SECRET, &header, &body, now, DEFAULT_TOLERANCE_SECS).is_err() {
        received.bad_signatures += 1;
        return StatusCode::UNAUTHORIZED;
    }
    let event: WebhookEvent = serde_json::from_slice(&body).unwrap();
    assert_eq!(header("webhook-id").as_deref(), Some(event.id.as_str()));
    received.events.push((event.id, event.data.kind));
    StatusCode::NO_CONTENT
}

async fn receiver() -> (String, Arc<Mutex<Received>>) {
    let received = Arc::new(Mutex::new(Received::default()));
    let app = axum::Router::new()
        .route("/hooks", axum::routing::post(receive))
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received)
}

async fn a_turn_with_a_tool_call(chaos: bool) -> Received {
    let (url, received) = receiver().await;
    let (_running, api) = start(outrig_emulator::Config {
        delay_scale: 0.0,
        webhooks: Some(WebhookConfig {
            urls: vec![url],
            secret: SECRET.into(),
            chaos,
        }),
        ..Default::default()
    })
    .await;
    let session = api.session(json!({})).await;
    api.post(
        &format!("/v1/sessions/{session}/events"),
        json!({"events": [{"type": "user.message", "content": [{"type": "text", "text": "call lookup {}"}]}]}),
    )
    .await;
    let started = Instant::now();
    let mut answered = false;
    let wanted = [
        "session.created",
        "session.running",
        "session.requires_action",
        "session.idled",
    ];
    loop {
        let call = api.get(&format!("/v1/sessions/{session}/events")).await["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["type"] == "agent.custom_tool_use")
            .map(|e| e["id"].as_str().unwrap().to_string());
        let seen: Vec<String> = received
            .lock()
            .unwrap()
            .events
            .iter()
            .map(|(_, t)| t.clone())
            .collect();
        if let Some(call) = call {
            if !answered && seen.iter().any(|t| t == "session.requires_action") {
                answered = true;
                api.post(
                    &format!("/v1/sessions/{session}/events"),
                    json!({"events": [{"type": "user.custom_tool_result", "custom_tool_use_id": call, "content": [{"type": "text", "text": "ok"}]}]}),
                )
                .await;
            }
        }
        if wanted.iter().all(|w| seen.iter().any(|t| t == w)) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "webhooks seen: {seen:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Let stragglers (retries, chaos duplicates) arrive.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let taken = std::mem::take(&mut *received.lock().unwrap());
    taken
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_changes_arrive_signed_and_a_refused_delivery_is_retried() {
    let received = a_turn_with_a_tool_call(false).await;
    assert_eq!(received.bad_signatures, 0);
    let kinds: Vec<&str> = received.events.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(
        kinds.iter().filter(|t| **t == "session.running").count(),
        2,
        "one per turn start: {kinds:?}"
    );
    assert_eq!(
        kinds.first(),
        Some(&"agent.created"),
        "the first delivery (the test's agent), retried after the receiver's 500: {kinds:?}"
    );
    assert!(kinds.contains(&"session.created"), "{kinds:?}");
    assert!(
        kinds.contains(&"session.requires_action") && kinds.contains(&"session.idled"),
        "{kinds:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_chaos_every_delivery_still_arrives_at_least_once() {
    let received = a_turn_with_a_tool_call(true).await;
    assert_eq!(received.bad_signatures, 0);
    let mut ids: Vec<&str> = received.events.iter().map(|(id, _)| id.as_str()).collect();
    let all = ids.len();
    ids.sort();
    ids.dedup();
    eprintln!("{all} deliveries of {} webhooks", ids.len());
    assert!(
        ids.len() >= 5,
        "created, running, requires_action, running, idled: {:?}",
        received.events
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resource_changes_send_their_webhooks_too() {
    let (url, received) = receiver().await;
    let (_running, api) = start(outrig_emulator::Config {
        delay_scale: 0.0,
        webhooks: Some(WebhookConfig {
            urls: vec![url],
            secret: SECRET.into(),
            chaos: false,
        }),
        ..Default::default()
    })
    .await;
    let agent = api
        .post("/v1/agents", json!({"name": "a", "model": "m"}))
        .await;
    let environment = api.post("/v1/environments", json!({"name": "e"})).await;
    let vault = api.post("/v1/vaults", json!({"display_name": "v"})).await;
    let vault_id = vault["id"].as_str().unwrap();
    api.post(
        &format!("/v1/vaults/{vault_id}/credentials"),
        json!({"auth": {"type": "static_bearer", "token": "t", "mcp_server_url": "https://m"}}),
    )
    .await;
    api.post(&format!("/v1/vaults/{vault_id}/archive"), json!({}))
        .await;
    let deployment = api
        .post("/v1/deployments", json!({"name": "d", "agent": agent["id"], "environment_id": environment["id"],
            "initial_events": [{"type": "user.message", "content": [{"type": "text", "text": "hi"}]}]}))
        .await;
    api.post(
        &format!("/v1/deployments/{}/run", deployment["id"].as_str().unwrap()),
        json!({}),
    )
    .await;
    let wanted = [
        "agent.created",
        "environment.created",
        "vault.created",
        "vault_credential.created",
        "vault.archived",
        "deployment.created",
        "deployment_run.started",
        "deployment_run.succeeded",
        "session.created",
    ];
    let started = Instant::now();
    loop {
        let seen: Vec<String> = received
            .lock()
            .unwrap()
            .events
            .iter()
            .map(|(_, t)| t.clone())
            .collect();
        if wanted.iter().all(|w| seen.iter().any(|t| t == w)) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "webhooks seen: {seen:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
