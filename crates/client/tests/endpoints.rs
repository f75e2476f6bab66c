//! The rest of the API through the Rust client, against the emulator over real HTTP: every
//! route of the table reaches a handler with the right beta header, and the typed methods
//! of each family work end to end.
#![cfg(not(target_arch = "wasm32"))]

use outrig_api::objects::{CreateAgent, EnvironmentParams};
use outrig_api::request::Query;
use outrig_api::routes::{Answer, Body, ROUTES};
use outrig_client::{Client, ClientOptions, UploadFile};
use serde_json::{json, Value};

async fn emulator() -> (outrig_emulator::Running, Client) {
    let emulated = outrig_test_support::emulator().await;
    let client = Client::new(ClientOptions {
        max_retries: 0,
        ..emulated.client.options().clone()
    });
    (emulated.emulator, client)
}

#[tokio::test]
async fn every_route_of_the_table_reaches_a_handler() {
    let (_emulator, client) = emulator().await;
    assert!(ROUTES.len() >= 100);
    let mut unserved = Vec::new();
    for route in ROUTES {
        let ids: Vec<&str> = route.params().map(|_| "x_missing").collect();
        let body = (route.body == Body::Json).then(|| json!({}));
        let answer = match route.answer {
            Answer::Binary => client.download(route, &ids).await.map(|_| Value::Null),
            Answer::Stream => continue,
            _ if route.body == Body::Multipart => {
                client.upload::<Value>(route, &ids, &[], &[]).await
            }
            _ => {
                client
                    .call::<Value>(route, &ids, &Query::new(), body.as_ref())
                    .await
            }
        };
        if let Err(error) = answer {
            let text = error.to_string();
            // A missing beta header is a 400 too: it names the header.
            if text.contains("no such endpoint")
                || text.contains("requires the beta header")
                || error.status() == Some(405)
            {
                unserved.push(format!("{} {} → {text}", route.method, route.path));
            }
        }
    }
    assert!(unserved.is_empty(), "{unserved:#?}");
}

#[tokio::test]
async fn the_typed_methods_cover_each_family() {
    let (_emulator, client) = emulator().await;
    let vault = client
        .create_vault(&json!({"display_name": "ops"}))
        .await
        .unwrap();
    let credential = client
        .create_credential(&vault.id, &json!({"auth": {"type": "static_bearer", "token": "tok_SECRET", "mcp_server_url": "https://mcp.example.com"}}))
        .await
        .unwrap();
    let listed = client
        .list_credentials(&vault.id, Query::new())
        .await
        .unwrap();
    assert_eq!(listed[0].id, credential.id);
    assert!(!serde_json::to_string(&listed).unwrap().contains("SECRET"));
    assert_eq!(
        client.delete_vault(&vault.id).await.unwrap().kind,
        "vault_deleted"
    );

    let agent = client
        .create_agent(
            &serde_json::from_value::<CreateAgent>(json!({"name": "a", "model": "m"})).unwrap(),
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
    let deployment = client
        .create_deployment(&json!({"name": "d", "agent": agent.id, "environment_id": environment.id,
            "initial_events": [{"type": "user.message", "content": [{"type": "text", "text": "hi"}]}]}))
        .await
        .unwrap();
    let run = client.run_deployment(&deployment.id).await.unwrap();
    let session = client
        .get_session(run.session_id.as_deref().unwrap())
        .await
        .unwrap();
    assert_eq!(session.deployment_id.flatten(), Some(deployment.id.clone()));
    let runs = client
        .list_deployment_runs(Query::new().opt("deployment_id", Some(deployment.id.as_str())))
        .await
        .unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(
        client
            .pause_deployment(&deployment.id)
            .await
            .unwrap()
            .status,
        "paused"
    );

    let store = client
        .create_memory_store(&json!({"name": "notes"}))
        .await
        .unwrap();
    let memory = client
        .create_memory(&store.id, &json!({"path": "/a.md", "content": "one"}))
        .await
        .unwrap();
    let conflict = client
        .update_memory(&store.id, &memory.id, &json!({"content": "two", "precondition": {"type": "content_sha256", "content_sha256": "0"}}))
        .await
        .unwrap_err();
    assert_eq!(conflict.status(), Some(409));
    let full = client
        .get_memory(&store.id, &memory.id, &Query::new())
        .await
        .unwrap();
    assert_eq!(full.content.as_deref(), Some("one"));
    let versions = client
        .list_memory_versions(&store.id, Query::new())
        .await
        .unwrap();
    assert_eq!(versions[0].operation, "created");

    let manifest = b"---\nname: greeter\ndescription: Says hello\n---\n".to_vec();
    let skill = client
        .create_skill(
            Some("Greeter"),
            &[UploadFile {
                path: "greeter/SKILL.md".into(),
                bytes: manifest.clone(),
            }],
        )
        .await
        .unwrap();
    let version = client.get_skill_version(&skill.id, "latest").await.unwrap();
    assert_eq!(version.name, "greeter");
    let zip = client
        .download(
            &outrig_api::routes::SKILLS_VERSIONS_DOWNLOAD,
            &[&skill.id, &version.id],
        )
        .await
        .unwrap();
    assert_eq!(&zip[..2], b"PK");

    let on_prem = client
        .create_environment(&EnvironmentParams {
            name: Some("on-prem".into()),
            config: Some(Some(json!({"type": "self_hosted"}))),
            ..Default::default()
        })
        .await
        .unwrap();
    let session = client
        .create_session(
            &serde_json::from_value(json!({"agent": agent.id, "environment_id": on_prem.id}))
                .unwrap(),
        )
        .await
        .unwrap();
    let work = client
        .poll_work(&on_prem.id, &Query::new().opt("block_ms", Some(500)))
        .await
        .unwrap()
        .expect("a session on a self-hosted environment queues work");
    assert_eq!(work.data["id"], json!(session.id));
    assert_eq!(
        client.ack_work(&on_prem.id, &work.id).await.unwrap().state,
        "starting"
    );
    let beat = client
        .heartbeat_work(
            &on_prem.id,
            &work.id,
            &Query::new().opt("expected_last_heartbeat", Some("NO_HEARTBEAT")),
        )
        .await
        .unwrap();
    assert_eq!(beat["lease_extended"], json!(true));
    let empty = client
        .poll_work(&on_prem.id, &Query::new().opt("block_ms", Some(10)))
        .await
        .unwrap();
    assert!(empty.is_none());
}

#[tokio::test]
async fn an_empty_id_is_refused_before_sending() {
    let (_emulator, client) = emulator().await;
    let error = client.get_credential("vlt_1", "").await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid request: expected a non-empty value for `credential_id`"
    );
}

#[tokio::test]
async fn organization_webhook_endpoints_page_by_id_and_keep_their_secret_out_of_debug() {
    let (_emulator, client) = emulator().await;
    let mut made = Vec::new();
    for i in 0..25 {
        let endpoint = client
            .create_org_webhook(&json!({
                "url": format!("https://hooks.example.com/{i}"),
                "enabled_events": ["external_key.failed"],
            }))
            .await
            .unwrap();
        assert!(endpoint.signing_secret.expose().starts_with("whsec_"));
        assert!(!format!("{endpoint:?}").contains(endpoint.signing_secret.expose()));
        made.push(endpoint.endpoint.id);
    }
    // 25 endpoints over pages of 20 (the default) and then of 7: every one, once, newest first.
    let listed: Vec<String> = client
        .list_org_webhooks(Query::new())
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect();
    made.reverse();
    assert_eq!(listed, made);
    let small: Vec<_> = client
        .list_org_webhooks(Query::new().opt("limit", Some(7)))
        .await
        .unwrap();
    assert_eq!(small.len(), 25);
    let disabled = client
        .update_org_webhook(&made[0], &json!({"state": "disabled"}))
        .await
        .unwrap();
    assert_eq!(disabled.state, "disabled");
    let rotated = client
        .regenerate_org_webhook_secret(&made[0])
        .await
        .unwrap();
    assert!(rotated.signing_secret.expose().starts_with("whsec_"));
    client.delete_org_webhook(&made[0]).await.unwrap();
    assert_eq!(
        client.get_org_webhook(&made[0]).await.unwrap_err().status(),
        Some(404)
    );
}
