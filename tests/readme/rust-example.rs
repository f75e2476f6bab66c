use outrig_api::events::Event;
use outrig_api::{ContentBlock, SendEvent};
use outrig_client::{Client, ClientOptions, StreamOptions};
use serde_json::json;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL, as the official SDKs read them.
    let client = Client::new(ClientOptions::from_env());
    let agent = client
        .create_agent(&serde_json::from_value(json!({
            "name": "Support", "model": "claude-opus-4-6",
            "tools": [{"type": "custom", "name": "get_order_status",
                       "description": "Order status", "input_schema": {"type": "object"}}],
        }))?)
        .await?;
    let environment = client
        .create_environment(&serde_json::from_value(json!({"name": "local"}))?)
        .await?;
    let session = client
        .create_session(&serde_json::from_value(
            json!({"agent": agent.id, "environment_id": environment.id}),
        )?)
        .await?;

    // Open the stream before sending; it reconnects and backfills by itself.
    let mut stream = client.stream_events(&session.id, StreamOptions::default());
    stream.open().await?;
    let ask = r#"call get_order_status {"order_id":"42"}"#;
    client
        .send_events(&session.id, vec![SendEvent::user_text(ask)])
        .await?;
    while let Some(event) = stream.next().await {
        let event = event?;
        println!("{}", event.type_name());
        match event {
            Event::AgentCustomToolUse(call) => {
                let answer = vec![ContentBlock::text("shipped")];
                let result = SendEvent::custom_tool_result(&call.id, answer, false);
                client.send_events(&session.id, vec![result]).await?;
            }
            Event::SessionStatusIdle(idle) if idle.stop_reason.ends_turn() => break,
            _ => {}
        }
    }
    Ok(())
}
