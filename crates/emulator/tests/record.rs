//! `--record-from URL --record DIR` then `--replay DIR`: a session run through a recording
//! emulator in front of another emulator (the upstream) is served offline by a third one
//! with the same objects and the same events in the same order, to a list and to a stream;
//! the key is passed through and never written.

use outrig_api::events::Event;
use outrig_api::request::Secret;
use outrig_api::SendEvent;
use outrig_client::{Client, ClientOptions, StreamOptions};
use outrig_emulator::record::Recording;
use serde_json::json;

const KEY: &str = "sk-record-never-written-42";

fn client(base_url: String) -> Client {
    Client::new(ClientOptions {
        base_url,
        api_key: Some(Secret::new(KEY)),
        ..Default::default()
    })
}

async fn turn(client: &Client, session: &str, event: SendEvent) -> Vec<Event> {
    let mut stream = client.stream_events(session, StreamOptions::default());
    stream.open().await.unwrap();
    client.send_events(session, vec![event]).await.unwrap();
    let mut seen = Vec::new();
    while let Some(event) = stream.next().await {
        let event = event.unwrap();
        let idle = matches!(&event, Event::SessionStatusIdle(_));
        seen.push(event);
        if idle {
            return seen;
        }
    }
    panic!("the stream ended first")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recorded_session_replays_offline_with_the_same_events() {
    let upstream = outrig_test_support::emulator_with(|c| c.api_keys = vec![KEY.to_string()]).await;
    let dir = tempfile::tempdir().unwrap();
    let recording = dir.path().join("recording");
    let recorder = outrig_test_support::emulator_with(|c| {
        c.record = Some(Recording {
            upstream: upstream.base_url(),
            dir: recording.clone(),
        })
    })
    .await;
    let through = client(recorder.base_url());
    let lookup = json!({"type": "custom", "name": "lookup", "description": "d", "input_schema": {"type": "object"}});
    let agent: serde_json::Value = through
        .call(
            &outrig_api::routes::AGENTS_CREATE,
            &[],
            &Default::default(),
            Some(&json!({"name": "rec", "model": "claude-opus-4-6", "tools": [lookup]})),
        )
        .await
        .unwrap();
    let environment: serde_json::Value = through
        .call(
            &outrig_api::routes::ENVIRONMENTS_CREATE,
            &[],
            &Default::default(),
            Some(&json!({"name": "rec"})),
        )
        .await
        .unwrap();
    let session: serde_json::Value = through
        .call(
            &outrig_api::routes::SESSIONS_CREATE,
            &[],
            &Default::default(),
            Some(&json!({"agent": agent["id"], "environment_id": environment["id"]})),
        )
        .await
        .unwrap();
    let session = session["id"].as_str().unwrap().to_string();
    let first = turn(&through, &session, SendEvent::user_text("call lookup {}")).await;
    let call = first
        .iter()
        .find_map(|e| match e {
            Event::AgentCustomToolUse(call) => Some(call.id.clone()),
            _ => None,
        })
        .unwrap();
    let answer =
        SendEvent::custom_tool_result(&call, vec![outrig_api::ContentBlock::text("found")], false);
    turn(&through, &session, answer).await;
    // A wrong key is the upstream's to refuse, and the refusal comes back unchanged.
    let refused = Client::new(ClientOptions {
        base_url: recorder.base_url(),
        api_key: Some(Secret::new("sk-wrong")),
        max_retries: 0,
        ..Default::default()
    })
    .list_events(&session)
    .await
    .unwrap_err();
    assert!(refused.to_string().contains("401"), "{refused}");
    recorder.emulator.stop().await.unwrap();

    let truth = client(upstream.base_url());
    let history = truth.list_events(&session).await.unwrap();
    for file in walk(&recording) {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(!text.contains(KEY), "{} holds the key", file.display());
    }

    let replay = outrig_test_support::emulator_with(|c| c.replay = Some(recording.clone())).await;
    assert_eq!(
        replay.emulator.replayed_sessions,
        std::slice::from_ref(&session)
    );
    let offline = client(replay.base_url());
    assert_eq!(offline.list_events(&session).await.unwrap(), history);
    let agent_replayed = offline
        .get_agent_version(agent["id"].as_str().unwrap(), 1)
        .await
        .unwrap();
    assert_eq!(agent_replayed.version, 1);
    // A stream opened on it replays every event from the first, in order.
    let mut stream = offline.stream_events(&session, StreamOptions::default());
    stream.open().await.unwrap();
    let mut streamed = Vec::new();
    while streamed.len() < history.len() {
        streamed.push(stream.next().await.unwrap().unwrap());
    }
    assert_eq!(streamed, history);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}
