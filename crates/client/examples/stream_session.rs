//! The bundle-size benchmark's program (create a session, stream its events until idle)
//! written against `outrig-client` and compiled to wasm32 with wasm-bindgen, to weigh the
//! Rust client in a browser bundle (`node crates/wasm/tools/bench-bundle.mjs`). On native
//! targets it compiles to nothing.
#![cfg(target_arch = "wasm32")]

use outrig_api::events::Event;
use outrig_api::objects::CreateSession;
use outrig_api::request::Secret;
use outrig_client::{Client, ClientOptions, StreamOptions};
use wasm_bindgen::prelude::*;

/// Creates a session and logs its event types until the agent goes idle.
#[wasm_bindgen]
pub async fn run(agent_id: String, environment_id: String) -> Result<(), JsError> {
    let client = Client::new(ClientOptions {
        base_url: "http://127.0.0.1:4010".into(),
        api_key: Some(Secret::new("k")),
        dangerously_allow_browser: true,
        ..Default::default()
    });
    let params: CreateSession = serde_json::from_value(
        serde_json::json!({"agent": agent_id, "environment_id": environment_id}),
    )?;
    let session = client.create_session(&params).await?;
    let mut stream = client.stream_events(&session.id, StreamOptions::default());
    while let Some(event) = stream.next().await {
        let event = event?;
        web_sys::console::log_1(&event.type_name().into());
        if matches!(event, Event::SessionStatusIdle(_)) {
            break;
        }
    }
    Ok(())
}
