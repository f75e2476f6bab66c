//! `--platform bedrock` with `outrig-client`'s Bedrock target: every request (the event
//! stream included) signed with SigV4 is served under `/anthropic`, through a whole turn;
//! a client signing with another secret is refused with the reason.

use outrig_api::events::Event;
use outrig_api::request::Secret;
use outrig_api::sigv4::Credentials;
use outrig_api::SendEvent;
use outrig_client::{Client, ClientOptions, StreamOptions};
use outrig_emulator::bedrock::Bedrock;
use serde_json::json;

const KEY_ID: &str = "AKIDOUTRIGTEST";

fn client(base: &str, secret: &str) -> Client {
    let mut options = ClientOptions::bedrock(
        "us-west-2",
        Credentials {
            access_key_id: KEY_ID.into(),
            secret_access_key: Secret::new(secret),
            session_token: None,
        },
    );
    options.base_url = format!("{base}/anthropic");
    options.max_retries = 0;
    Client::new(options)
}

#[tokio::test]
async fn a_signed_client_runs_a_turn_and_a_wrong_secret_is_refused() {
    let emulated = outrig_test_support::emulator_with(|c| {
        c.bedrock = Some(Bedrock {
            region: "us-west-2".into(),
            keys: vec![(KEY_ID.into(), Secret::new("the-test-secret"))],
        })
    })
    .await;
    let signed = client(&emulated.base_url(), "the-test-secret");
    let create = |route, body| {
        let signed = signed.clone();
        async move {
            signed
                .call::<serde_json::Value>(route, &[], &Default::default(), Some(&body))
                .await
                .unwrap()
        }
    };
    let agent = create(
        &outrig_api::routes::AGENTS_CREATE,
        json!({"name": "signed", "model": "claude-opus-4-6"}),
    )
    .await;
    let environment = create(
        &outrig_api::routes::ENVIRONMENTS_CREATE,
        json!({"name": "e"}),
    )
    .await;
    let session = create(
        &outrig_api::routes::SESSIONS_CREATE,
        json!({"agent": agent["id"], "environment_id": environment["id"]}),
    )
    .await;
    let session = session["id"].as_str().unwrap();
    let mut stream = signed.stream_events(session, StreamOptions::default());
    stream.open().await.unwrap();
    signed
        .send_events(session, vec![SendEvent::user_text("hello")])
        .await
        .unwrap();
    let mut seen = Vec::new();
    while let Some(event) = stream.next().await {
        let event = event.unwrap();
        let ended = matches!(&event, Event::SessionStatusIdle(i) if i.stop_reason.ends_turn());
        seen.push(event);
        if ended {
            break;
        }
    }
    assert!(seen.iter().any(|e| matches!(e, Event::AgentMessage(_))));
    assert_eq!(signed.list_events(session).await.unwrap(), seen);

    let refused = client(&emulated.base_url(), "another-secret")
        .list_events(session)
        .await
        .unwrap_err();
    let shown = refused.to_string();
    assert!(
        shown.contains("403") && shown.contains("does not match"),
        "{shown}"
    );
    assert!(!shown.contains("another-secret"), "{shown}");
}
