//! A snapshot taken mid-turn (`GET /_outrig/snapshot`) and restored into a new emulator
//! (`Config::snapshot`) or into the same one at runtime (`POST /_outrig/restore`) goes on
//! where it was; `POST /_outrig/reset` forgets everything.

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

#[tokio::test]
async fn a_restore_at_runtime_goes_back_mid_turn_and_a_reset_forgets_everything() {
    let emulated = outrig_test_support::emulator_with(|c| c.admin = Some(Default::default())).await;
    let base = emulated.base_url();
    let lookup = json!({"type": "custom", "name": "lookup", "description": "d", "input_schema": {"type": "object"}});
    let agent = emulated
        .agent(json!({"name": "a", "model": "claude-opus-4-6", "tools": [lookup]}))
        .await;
    let environment = emulated.environment(json!({"name": "e"})).await;
    let session = emulated.session(&agent, &environment).await;
    emulated
        .client
        .send_events(&session, vec![SendEvent::user_text("call lookup {}")])
        .await
        .unwrap();
    let awaiting =
        |e: &Event| matches!(e, Event::SessionStatusIdle(idle) if !idle.stop_reason.ends_turn());
    let before = wait_for(&emulated.client, &session, awaiting).await;
    let call = before
        .iter()
        .find_map(|e| match e {
            Event::AgentCustomToolUse(call) => Some(call.id.clone()),
            _ => None,
        })
        .unwrap();
    let http = reqwest::Client::new();
    let snapshot = http
        .get(format!("{base}/_outrig/snapshot"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let answer = |text: &str| {
        SendEvent::custom_tool_result(&call, vec![outrig_api::ContentBlock::text(text)], false)
    };
    emulated
        .client
        .send_events(&session, vec![answer("first")])
        .await
        .unwrap();
    let ended =
        |e: &Event| matches!(e, Event::SessionStatusIdle(idle) if idle.stop_reason.ends_turn());
    wait_for(&emulated.client, &session, ended).await;
    // An open stream ends when the state is replaced under it.
    let mut stream = emulated
        .client
        .stream_events(&session, outrig_client::StreamOptions::default());
    stream.open().await.unwrap();

    let restored = http
        .post(format!("{base}/_outrig/restore"))
        .body(snapshot.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(restored.status(), 204);
    assert_eq!(emulated.client.list_events(&session).await.unwrap(), before);
    // The call is awaited again; answered differently, the turn ends with that answer.
    emulated
        .client
        .send_events(&session, vec![answer("second")])
        .await
        .unwrap();
    let after = wait_for(&emulated.client, &session, ended).await;
    let results: Vec<String> = after
        .iter()
        .filter_map(|e| match e {
            Event::UserCustomToolResult(r) => Some(outrig_api::content::joined_text(
                r.content.as_deref().unwrap_or_default(),
            )),
            _ => None,
        })
        .collect();
    assert_eq!(results, ["second"]);
    drop(stream);

    let refused = http
        .post(format!("{base}/_outrig/restore"))
        .body("not a database")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    let why: serde_json::Value = refused.json().await.unwrap();
    assert!(
        why["error"]["message"]
            .as_str()
            .unwrap()
            .contains("snapshot"),
        "{why}"
    );
    assert_eq!(
        emulated.client.list_events(&session).await.unwrap(),
        after,
        "a refused restore changes nothing"
    );

    let reset = http
        .post(format!("{base}/_outrig/reset"))
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), 204);
    let gone = emulated.client.list_events(&session).await.unwrap_err();
    assert!(gone.to_string().contains("404"), "{gone}");
}
