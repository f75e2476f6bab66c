//! The typed client methods against the emulator over real HTTP.
#![cfg(not(target_arch = "wasm32"))]

use futures_util::StreamExt;
use outrig_api::objects::{
    CreateAgent, CreateSession, EnvironmentParams, SessionStatus, UpdateAgent, UpdateSession,
};
use outrig_api::request::Query;
use outrig_api::ErrorClass;
use serde_json::json;

#[tokio::test]
async fn every_typed_method_talks_to_the_emulator() {
    let outrig_test_support::Emulated {
        emulator: _emulator,
        client,
    } = outrig_test_support::emulator().await;

    let agent = client
        .create_agent(
            &serde_json::from_value::<CreateAgent>(
                json!({"name": "a", "model": "claude-haiku-4-5"}),
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let renamed = client
        .update_agent(
            &agent.id,
            &UpdateAgent {
                version: Some(1),
                name: Some("b".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!((renamed.version, renamed.name.as_str()), (2, "b"));
    assert_eq!(
        client.get_agent_version(&agent.id, 1).await.unwrap().name,
        "a"
    );
    assert_eq!(
        client.list_agent_versions(&agent.id).await.unwrap().len(),
        2
    );
    for i in 0..4 {
        client
            .create_agent(
                &serde_json::from_value::<CreateAgent>(
                    json!({"name": format!("more {i}"), "model": "m"}),
                )
                .unwrap(),
            )
            .await
            .unwrap();
    }
    let streamed: Vec<_> = client
        .paginate::<outrig_api::objects::Agent>("/v1/agents", Query::new().opt("limit", Some(2)))
        .collect()
        .await;
    assert_eq!(streamed.len(), 5, "three pages of two, two and one");
    assert!(client
        .archive_agent(&agent.id)
        .await
        .unwrap()
        .archived_at
        .is_some());
    assert_eq!(client.list_agents(false).await.unwrap().len(), 4);
    assert_eq!(client.list_agents(true).await.unwrap().len(), 5);

    let live = client
        .create_agent(
            &serde_json::from_value::<CreateAgent>(json!({"name": "live", "model": "m"})).unwrap(),
        )
        .await
        .unwrap();
    let environment = client
        .create_environment(&EnvironmentParams {
            name: Some("e".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let updated = client
        .update_environment(
            &environment.id,
            &EnvironmentParams {
                description: Some(Some("d".into())),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.description.as_deref(), Some("d"));
    assert_eq!(
        client.get_environment(&environment.id).await.unwrap(),
        updated
    );
    assert_eq!(client.list_environments(false).await.unwrap().len(), 1);

    let session = client
        .create_session(
            &serde_json::from_value::<CreateSession>(
                json!({"agent": live.id, "environment_id": environment.id}),
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let titled = client
        .update_session(
            &session.id,
            &UpdateSession {
                title: Some(Some("t".into())),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(titled.title.as_deref(), Some("t"));
    assert_eq!(client.list_threads(&session.id).await.unwrap().len(), 1);
    assert!(client.list_resources(&session.id).await.unwrap().is_empty());
    let missing = client
        .add_file_resource(&session.id, "file_missing", None)
        .await
        .unwrap_err();
    assert!(
        matches!(&missing, outrig_client::Error::Api(e) if e.class() == ErrorClass::NotFound),
        "{missing}"
    );
    assert_eq!(
        client.archive_session(&session.id).await.unwrap().status,
        SessionStatus::Terminated
    );
    assert_eq!(
        client.delete_session(&session.id).await.unwrap().kind,
        "session_deleted"
    );
    assert!(client
        .archive_environment(&environment.id)
        .await
        .unwrap()
        .archived_at
        .is_some());
    assert_eq!(
        client
            .delete_environment(&environment.id)
            .await
            .unwrap()
            .kind,
        "environment_deleted"
    );
    let gone = client.get_file("file_x").await.unwrap_err();
    assert_eq!(gone.status(), Some(404));
}
