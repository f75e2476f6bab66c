//! `outrig-client` compiled to `wasm32-unknown-unknown`, against the emulator over real
//! HTTP with the `fetch` transport, run by wasm-bindgen-test in Node, Deno and headless
//! Chromium (a page and a dedicated worker). `tests/npm/wasm_client.mjs` starts the
//! emulator and the npm package's auth proxy and compiles their URLs in.
#![cfg(target_arch = "wasm32")]

use futures_util::StreamExt;
use outrig_api::events::Event;
use outrig_api::objects::{Agent, CreateAgent, CreateSession, EnvironmentParams};
use outrig_api::request::{Query, Secret};
use outrig_api::{ContentBlock, ErrorClass, SendEvent};
use outrig_client::{Client, ClientOptions, Error, StreamOptions};
use serde_json::json;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

const KEY: &str = "sk-wasm";

/// A URL the harness (tests/npm/wasm_client.mjs) compiled in.
fn harness_url(name: &str, value: Option<&'static str>) -> &'static str {
    match value {
        Some(url) => url,
        None => panic!("{name} is unset: run these tests with node tests/npm/wasm_client.mjs"),
    }
}

fn emulator_url() -> &'static str {
    harness_url("OUTRIG_WASM_EMULATOR", option_env!("OUTRIG_WASM_EMULATOR"))
}

fn in_browser() -> bool {
    js_sys::Reflect::has(&js_sys::global(), &JsValue::from_str("document")).unwrap()
}

fn options() -> ClientOptions {
    ClientOptions {
        base_url: emulator_url().into(),
        api_key: Some(Secret::new(KEY)),
        max_retries: 0,
        dangerously_allow_browser: true,
        ..Default::default()
    }
}

/// A session of an agent with one custom tool.
async fn new_session(client: &Client) -> String {
    let agent = client
        .create_agent(
            &serde_json::from_value::<CreateAgent>(json!({
                "name": "wasm", "model": "claude-opus-4-6",
                "tools": [{"type": "custom", "name": "lookup", "description": "Looks up",
                           "input_schema": {"type": "object"}}],
            }))
            .unwrap(),
        )
        .await
        .unwrap();
    let environment = client
        .create_environment(&EnvironmentParams {
            name: Some("wasm".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    client
        .create_session(
            &serde_json::from_value::<CreateSession>(
                json!({"agent": agent.id, "environment_id": environment.id}),
            )
            .unwrap(),
        )
        .await
        .unwrap()
        .id
}

#[wasm_bindgen_test]
async fn a_custom_tool_round_trip_streams_to_end_turn() {
    let client = Client::new(options());
    let session = new_session(&client).await;
    let mut stream = client.stream_events(&session, StreamOptions::default());
    stream.open().await.unwrap();
    client
        .send_events(
            &session,
            vec![SendEvent::user_text(r#"call lookup {"q":"wasm"}"#)],
        )
        .await
        .unwrap();
    let mut answered = 0;
    let mut report = String::new();
    let stop = loop {
        match stream.next().await.expect("the stream stays open").unwrap() {
            Event::AgentCustomToolUse(call) => {
                assert_eq!(call.input, json!({"q": "wasm"}));
                let answer = vec![ContentBlock::text("found it")];
                client
                    .send_events(
                        &session,
                        vec![SendEvent::custom_tool_result(&call.id, answer, false)],
                    )
                    .await
                    .unwrap();
                answered += 1;
            }
            Event::AgentMessage(message) => {
                report.push_str(&outrig_api::content::joined_text(&message.content))
            }
            Event::SessionStatusIdle(idle) if idle.stop_reason.ends_turn() => {
                break idle.stop_reason
            }
            _ => {}
        }
    };
    assert_eq!(answered, 1);
    assert_eq!(stop.type_name(), "end_turn");
    assert!(report.contains("lookup: found it"), "{report}");
    let history = client.list_events(&session).await.unwrap();
    let ids: Vec<_> = history.iter().filter_map(|e| e.id()).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "no event twice");
}

#[wasm_bindgen_test]
async fn pagination_follows_next_page_as_a_stream() {
    let client = Client::new(options());
    let marker = format!("page-{}", js_sys::Math::random());
    for i in 0..3 {
        client
            .create_agent(
                &serde_json::from_value::<CreateAgent>(
                    json!({"name": format!("{marker}-{i}"), "model": "claude-opus-4-6"}),
                )
                .unwrap(),
            )
            .await
            .unwrap();
    }
    // One agent per page: at least three requests follow `next_page`.
    let names: Vec<String> = client
        .paginate::<Agent>("/v1/agents", Query::new().opt("limit", Some(1)))
        .map(|agent| agent.unwrap().name)
        .filter(|name| std::future::ready(name.starts_with(&marker)))
        .collect()
        .await;
    assert_eq!(names.len(), 3, "{names:?}");
}

#[wasm_bindgen_test]
async fn errors_are_typed_by_status_and_carry_the_request_id() {
    let client = Client::new(options());
    let missing = client.get_agent("agent_missing").await.unwrap_err();
    let Error::Api(api) = &missing else {
        panic!("expected an API error, got {missing:?}");
    };
    assert_eq!(api.class(), ErrorClass::NotFound);
    assert!(api.request_id.is_some());
    let stranger = Client::new(ClientOptions {
        api_key: Some(Secret::new("sk-wrong")),
        ..options()
    });
    let denied = stranger.list_agents(false).await.unwrap_err();
    assert_eq!(denied.status(), Some(401));
    assert!(!denied.to_string().contains("sk-wrong"));
    let unreachable = Client::new(ClientOptions {
        base_url: "http://127.0.0.1:9".into(),
        ..options()
    });
    assert!(matches!(
        unreachable.list_agents(false).await,
        Err(Error::Connection(_))
    ));
}

#[wasm_bindgen_test]
async fn a_web_page_needs_the_opt_in_to_send_an_api_key() {
    let careful = Client::new(ClientOptions {
        dangerously_allow_browser: false,
        ..options()
    });
    let result = careful.list_agents(false).await;
    if in_browser() {
        let error = result.unwrap_err();
        assert!(matches!(error, Error::Invalid(_)), "{error:?}");
        assert!(!error.to_string().contains(KEY));
    } else {
        // Node, Deno and workers are servers: the key is not exposed to page visitors.
        result.unwrap();
    }
}

#[wasm_bindgen_test]
async fn event_source_through_the_auth_proxy_delivers_the_session() {
    let client = Client::new(options());
    let session = new_session(&client).await;
    let url = format!(
        "{}/sessions/{session}/events?token=viewer",
        harness_url("OUTRIG_WASM_PROXY", option_env!("OUTRIG_WASM_PROXY"))
    );
    if js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("EventSource"))
        .unwrap()
        .is_undefined()
    {
        // Node 20 has no EventSource (Deno and browsers do): the stream says so up front.
        let error = outrig_client::proxied_events(&url).err().unwrap();
        assert!(error.to_string().contains("EventSource"), "{error}");
        return;
    }
    let mut events = outrig_client::proxied_events(&url).unwrap();
    client
        .send_events(&session, vec![SendEvent::user_text("hello")])
        .await
        .unwrap();
    let mut types = Vec::new();
    while let Some(event) = events.next().await {
        let event = event.unwrap();
        types.push(event.type_name().to_string());
        if matches!(&event, Event::SessionStatusIdle(i) if i.stop_reason.ends_turn()) {
            break;
        }
    }
    assert_eq!(types.first().map(String::as_str), Some("user.message"));
    assert!(types.iter().any(|t| t == "agent.message"), "{types:?}");
    let forbidden = url.replace("token=viewer", "token=stranger");
    let mut refused = outrig_client::proxied_events(&forbidden).unwrap();
    assert!(matches!(
        refused.next().await,
        Some(Err(Error::Connection(_)))
    ));
}
