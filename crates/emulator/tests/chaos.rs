//! Chaos rules at runtime (`/_outrig/chaos`, with `--admin`), seen through real clients and
//! the request journal: injected 503s retried by the client, a stream cut mid-way resumed
//! with a backfill, and rules that are refused with the reason.

use outrig_api::events::Event;
use outrig_api::SendEvent;
use outrig_client::StreamOptions;
use serde_json::{json, Value};

async fn admin_emulator() -> outrig_test_support::Emulated {
    outrig_test_support::emulator_with(|config| config.admin = Some(Default::default())).await
}

async fn post(base: &str, path: &str, body: Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .json(&body)
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        response.json().await.unwrap_or(Value::Null),
    )
}

async fn get(base: &str, path: &str) -> Value {
    reqwest::get(format!("{base}{path}"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn injected_503s_are_retried_by_the_client_and_counted() {
    let emulated = admin_emulator().await;
    let base = emulated.base_url();
    let (status, rule) = post(
        &base,
        "/_outrig/chaos",
        json!({"route": "agents.create", "status": 503, "retry_after": 0, "times": 2}),
    )
    .await;
    assert_eq!(status, 200, "{rule}");
    emulated
        .agent(json!({"name": "a", "model": "claude-opus-4-6"}))
        .await;
    let journal = get(&base, "/_outrig/requests?route=agents.create").await;
    let seen: Vec<(u64, String)> = journal["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let retry = e["headers"]["x-stainless-retry-count"]
                .as_str()
                .unwrap()
                .to_string();
            (e["status"].as_u64().unwrap(), retry)
        })
        .collect();
    assert_eq!(
        seen,
        [(503, "0".into()), (503, "1".into()), (200, "2".into())]
    );
    let rules = get(&base, "/_outrig/chaos").await;
    assert_eq!(rules["data"][0]["hits"], 2);
    // Cleared, nothing is injected any more.
    reqwest::Client::new()
        .delete(format!("{base}/_outrig/chaos"))
        .send()
        .await
        .unwrap();
    emulated
        .agent(json!({"name": "b", "model": "claude-opus-4-6"}))
        .await;
}

#[tokio::test]
async fn a_stream_cut_mid_way_is_resumed_with_a_backfill() {
    let emulated = admin_emulator().await;
    let base = emulated.base_url();
    let agent = emulated
        .agent(json!({"name": "talker", "model": "claude-opus-4-6"}))
        .await;
    let environment = emulated.environment(json!({"name": "e"})).await;
    let session = emulated.session(&agent, &environment).await;
    let (status, _) = post(
        &base,
        "/_outrig/chaos",
        json!({"route": "sessions.events.stream", "cut_after_bytes": 300, "times": 1}),
    )
    .await;
    assert_eq!(status, 200);
    let mut stream = emulated
        .client
        .stream_events(&session, StreamOptions::default());
    stream.open().await.unwrap();
    emulated
        .client
        .send_events(&session, vec![SendEvent::user_text("hello")])
        .await
        .unwrap();
    let mut ids = Vec::new();
    while let Some(event) = stream.next().await {
        let event = event.unwrap();
        ids.extend(event.id().map(str::to_string));
        if matches!(&event, Event::SessionStatusIdle(idle) if idle.stop_reason.ends_turn()) {
            break;
        }
    }
    // The journal before this test lists anything itself: every list request is the stream's.
    let streams = get(&base, "/_outrig/requests?route=sessions.events.stream").await;
    assert!(
        streams["data"].as_array().unwrap().len() >= 2,
        "it reconnected"
    );
    let backfills = get(&base, "/_outrig/requests?route=sessions.events.list").await;
    assert!(
        !backfills["data"].as_array().unwrap().is_empty(),
        "the journal shows the backfill after the cut"
    );
    let unique: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(
        unique.len(),
        ids.len(),
        "an event was delivered twice: {ids:?}"
    );
    let history = emulated.client.list_events(&session).await.unwrap();
    assert_eq!(
        ids.len(),
        history.len(),
        "every event of the turn arrived once"
    );
}

#[tokio::test]
async fn rules_that_cannot_work_are_refused_with_the_reason() {
    let emulated = admin_emulator().await;
    let base = emulated.base_url();
    let refusals = [
        (
            json!({"route": "sessions.nope", "status": 500}),
            "no endpoint named `sessions.nope`",
        ),
        (json!({"status": 200}), "not an error status"),
        (json!({"probability": 2.0, "status": 500}), "probability"),
        (json!({"route": "agents.list"}), "does nothing"),
        (json!({"status": 500, "colour": "red"}), "unknown field"),
    ];
    for (rule, why) in refusals {
        let (status, body) = post(&base, "/_outrig/chaos", rule.clone()).await;
        assert_eq!(status, 400, "{rule}");
        assert!(
            body["error"]["message"].as_str().unwrap().contains(why),
            "{body}"
        );
    }
}

#[tokio::test]
async fn a_garbled_event_comes_first_and_a_cut_after_events_ends_the_stream_there() {
    let emulated = admin_emulator().await;
    let base = emulated.base_url();
    let agent = emulated
        .agent(json!({"name": "talker", "model": "claude-opus-4-6"}))
        .await;
    let environment = emulated.environment(json!({"name": "e"})).await;
    let session = emulated.session(&agent, &environment).await;
    emulated
        .client
        .send_events(&session, vec![SendEvent::user_text("hello")])
        .await
        .unwrap();
    outrig_test_support::eventually("the turn ends", async || {
        let history = emulated.client.list_events(&session).await.unwrap();
        history
            .iter()
            .any(|e| matches!(e, Event::SessionStatusIdle(i) if i.stop_reason.ends_turn()))
            .then_some(())
    })
    .await;
    let (status, _) = post(
        &base,
        "/_outrig/chaos",
        json!({"route": "sessions.events.list", "garble": true, "cut_after_events": 2}),
    )
    .await;
    assert_eq!(status, 200);
    // A list answer is one JSON body: the garbled block comes first (the first event let
    // through), and compact JSON holds no blank line, so the body follows whole.
    let listed = reqwest::Client::new()
        .get(format!("{base}/v1/sessions/{session}/events?beta=true"))
        .header("x-api-key", "k")
        .header("anthropic-beta", "managed-agents-2026-04-01")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let (garbled, rest) = listed.split_once("\n\n").unwrap();
    assert!(garbled.starts_with("event: agent.custom_tool_use\ndata: {"));
    assert!(serde_json::from_str::<Value>(garbled.split_once("data: ").unwrap().1).is_err());
    assert!(serde_json::from_str::<Value>(rest).unwrap()["data"].is_array());

    // On a stream, the garbled event counts as the first of the two events let through.
    reqwest::Client::new()
        .delete(format!("{base}/_outrig/chaos"))
        .send()
        .await
        .unwrap();
    post(
        &base,
        "/_outrig/chaos",
        json!({"route": "sessions.events.stream", "garble": true, "cut_after_events": 2}),
    )
    .await;
    let streamed = reqwest::Client::new()
        .get(format!(
            "{base}/v1/sessions/{session}/events/stream?beta=true"
        ))
        .header("x-api-key", "k")
        .header("anthropic-beta", "managed-agents-2026-04-01")
        .send();
    let sent = async {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        emulated
            .client
            .send_events(&session, vec![SendEvent::user_text("again")])
            .await
            .unwrap();
    };
    let (streamed, ()) = tokio::join!(streamed, sent);
    // The body ends with an error (the cut), after exactly two events.
    let mut body = streamed.unwrap();
    let mut text = Vec::new();
    loop {
        match body.chunk().await {
            Ok(Some(chunk)) => text.extend_from_slice(&chunk),
            Ok(None) => panic!("the body ended without the cut"),
            Err(_) => break,
        }
    }
    let text = String::from_utf8(text).unwrap();
    let blocks: Vec<&str> = text.split_terminator("\n\n").collect();
    assert_eq!(blocks.len(), 2, "{text}");
    assert!(blocks[0].starts_with("event: agent.custom_tool_use"));
    assert!(blocks[1].contains("\"user.message\""), "{text}");
}

#[tokio::test]
async fn a_rule_on_a_body_hits_only_requests_that_hold_it_and_the_journal_shows_event_types() {
    let emulated = admin_emulator().await;
    let base = emulated.base_url();
    let agent = emulated
        .agent(json!({"name": "talker", "model": "claude-opus-4-6"}))
        .await;
    let environment = emulated.environment(json!({"name": "e"})).await;
    let session = emulated.session(&agent, &environment).await;
    let (status, _) = post(
        &base,
        "/_outrig/chaos",
        json!({"route": "sessions.events.send", "body_contains": "user.interrupt", "status": 529}),
    )
    .await;
    assert_eq!(status, 200);
    emulated
        .client
        .send_events(&session, vec![SendEvent::user_text("hello")])
        .await
        .unwrap();
    let (status, _) = post(
        &base,
        &format!("/v1/sessions/{session}/events?beta=true"),
        json!({"events": [{"type": "user.interrupt"}]}),
    )
    .await;
    assert_eq!(status, 529);
    let interrupts = get(&base, "/_outrig/requests?event_type=user.interrupt").await;
    let interrupts = interrupts["data"].as_array().unwrap();
    assert_eq!(interrupts.len(), 1);
    assert_eq!(interrupts[0]["status"], 529);
    let messages = get(&base, "/_outrig/requests?event_type=user.message").await;
    assert_eq!(messages["data"][0]["event_types"], json!(["user.message"]));
    assert_eq!(messages["data"][0]["status"], 200);
    assert_eq!(messages["data"][0]["open"], false);
    let rules = get(&base, "/_outrig/chaos").await;
    assert_eq!(rules["data"][0]["hits"], 1);
}
