//! A snapshot taken mid-turn (`GET /_outrig/snapshot`) and restored into a new emulator
//! (`Config::snapshot`) goes on where it was.

use outrig_api::events::Event;
use outrig_api::SendEvent;
use serde_json::json;

async fn wait_for(
    client: &outrig_client::Client,
    session: &str,
    done: impl Fn(&Event) -> bool,
) -> Vec<Event> {
    outrig_test_support::eventually("the expected event", async || {
        let events = client.list_events(session).await.ok()?;
        events.iter().any(&done).then_some(events)
    })
    .await
}

#[tokio::test]
async fn a_snapshot_taken_mid_turn_goes_on_in_a_new_emulator() {
    let first = outrig_test_support::emulator_with(|c| c.admin = Some(Default::default())).await;
    let lookup = json!({"type": "custom", "name": "lookup", "description": "d", "input_schema": {"type": "object"}});
    let agent = first
        .agent(json!({"name": "a", "model": "claude-opus-4-6", "tools": [lookup]}))
        .await;
    let environment = first.environment(json!({"name": "e"})).await;
    let session = first.session(&agent, &environment).await;
    first
        .client
        .send_events(&session, vec![SendEvent::user_text("call lookup {}")])
        .await
        .unwrap();
    let awaiting =
        |e: &Event| matches!(e, Event::SessionStatusIdle(idle) if !idle.stop_reason.ends_turn());
    let before = wait_for(&first.client, &session, awaiting).await;
    let call = before
        .iter()
        .find_map(|e| match e {
            Event::AgentCustomToolUse(call) => Some(call.id.clone()),
            _ => None,
        })
        .unwrap();
    let bytes = reqwest::get(format!("{}/_outrig/snapshot", first.base_url()))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mid-turn.sqlite");
    std::fs::write(&file, &bytes).unwrap();
    first.emulator.stop().await.unwrap();

    let second = outrig_test_support::emulator_with(|c| c.snapshot = Some(file.clone())).await;
    assert_eq!(second.client.list_events(&session).await.unwrap(), before);
    second
        .client
        .send_events(
            &session,
            vec![SendEvent::custom_tool_result(
                &call,
                vec![outrig_api::ContentBlock::text("found")],
                false,
            )],
        )
        .await
        .unwrap();
    let ended =
        |e: &Event| matches!(e, Event::SessionStatusIdle(idle) if idle.stop_reason.ends_turn());
    let after = wait_for(&second.client, &session, ended).await;
    assert!(after.len() > before.len() + 1);
    assert!(
        std::fs::read(&file).unwrap() == bytes,
        "the snapshot file is not changed"
    );
}
