//! The request journal (`--admin`): what a client really sent, retries included, with
//! credentials redacted; off unless enabled; behind a token beyond loopback; on a listener
//! of its own if asked.

use outrig_api::request::Secret;
use outrig_client::{Client, ClientOptions};
use serde_json::{json, Value};

async fn admin(base: &str, query: &str, token: Option<&str>) -> (u16, Value) {
    // With an API key: a key alone never opens the admin surface.
    let mut request = reqwest::Client::new()
        .get(format!("{base}/_outrig/requests{query}"))
        .header("x-api-key", "k");
    if let Some(token) = token {
        request = request.header("x-outrig-admin-token", token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_journal_shows_a_retried_request_and_redacts_the_key() {
    let emulated = outrig_test_support::emulator_with(|config| {
        config.rate_limit = Some(1);
        config.admin = Some(Default::default());
    })
    .await;
    let base = emulated.base_url();
    let client = Client::new(ClientOptions {
        base_url: base.clone(),
        api_key: Some(Secret::new("sk-very-secret")),
        max_retries: 2,
        ..Default::default()
    });
    // Two creates in the same second: the second is answered 429, then retried.
    for name in ["one", "two"] {
        let _: Value = client
            .call(
                &outrig_api::routes::AGENTS_CREATE,
                &[],
                &Default::default(),
                Some(&json!({"name": name, "model": "claude-opus-4-6"})),
            )
            .await
            .unwrap();
    }
    let (status, journal) = admin(&base, "?route=agents.create", None).await;
    assert_eq!(status, 200);
    let entries = journal["data"].as_array().unwrap();
    let statuses: Vec<u64> = entries
        .iter()
        .map(|e| e["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses.first(), Some(&200));
    assert!(statuses.contains(&429), "{statuses:?}");
    assert_eq!(statuses.last(), Some(&200));
    let retries: Vec<&str> = entries
        .iter()
        .map(|e| e["headers"]["x-stainless-retry-count"].as_str().unwrap())
        .collect();
    assert_eq!(retries.first(), Some(&"0"));
    assert!(
        retries.last().unwrap().parse::<u32>().unwrap() >= 1,
        "{retries:?}"
    );
    for entry in entries {
        assert_eq!(entry["method"], "POST");
        assert_eq!(entry["path"], "/v1/agents");
        assert!(entry["request_id"].as_str().unwrap().starts_with("req_"));
        let headers = entry["headers"].to_string();
        assert!(!headers.contains("sk-very-secret"), "{headers}");
    }
    let credential = &entries[0]["headers"];
    let shown = credential
        .get("x-api-key")
        .or_else(|| credential.get("authorization"))
        .unwrap();
    assert_eq!(shown, "[redacted]");
    // Filters, and clearing.
    let (_, none) = admin(&base, "?route=sessions.create", None).await;
    assert_eq!(none["data"].as_array().unwrap().len(), 0);
    reqwest::Client::new()
        .delete(format!("{base}/_outrig/requests"))
        .send()
        .await
        .unwrap();
    let (_, cleared) = admin(&base, "", None).await;
    assert_eq!(cleared["data"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn the_admin_surface_is_off_unless_enabled_and_needs_its_token_when_set() {
    let off = outrig_test_support::emulator().await;
    assert_eq!(admin(&off.base_url(), "", None).await.0, 404);

    let guarded = outrig_test_support::emulator_with(|config| {
        config.admin = Some(outrig_emulator::config::Admin {
            token: Some("tok".into()),
            ..Default::default()
        })
    })
    .await;
    assert_eq!(admin(&guarded.base_url(), "", None).await.0, 401);
    assert_eq!(admin(&guarded.base_url(), "", Some("wrong")).await.0, 401);
    assert_eq!(admin(&guarded.base_url(), "", Some("tok")).await.0, 200);

    // Beyond loopback, no token: refused at start.
    let open = outrig_emulator::start(outrig_emulator::Config {
        addr: "0.0.0.0:0".parse().unwrap(),
        admin: Some(Default::default()),
        ..Default::default()
    })
    .await;
    let error = open.err().expect("refused").to_string();
    assert!(error.contains("--admin-token"), "{error}");
}

#[tokio::test]
async fn the_admin_surface_on_its_own_listener_is_not_on_the_apis() {
    let emulated = outrig_test_support::emulator_with(|c| {
        c.admin = Some(outrig_emulator::config::Admin {
            addr: Some("127.0.0.1:0".parse().unwrap()),
            ..Default::default()
        })
    })
    .await;
    let admin_base = format!("http://{}", emulated.emulator.admin_addr.unwrap());
    emulated
        .agent(json!({"name": "a", "model": "claude-opus-4-6"}))
        .await;
    let (status, _) = admin(&emulated.base_url(), "", None).await;
    assert_eq!(status, 404, "the API's listener has no admin routes");
    let (status, journal) = admin(&admin_base, "?route=agents.create", None).await;
    assert_eq!(status, 200);
    assert_eq!(journal["data"].as_array().unwrap().len(), 1, "{journal}");

    // An API on every interface with the admin surface on loopback needs no token...
    let api_everywhere = outrig_emulator::start(outrig_emulator::Config {
        addr: "0.0.0.0:0".parse().unwrap(),
        admin: Some(outrig_emulator::config::Admin {
            addr: Some("127.0.0.1:0".parse().unwrap()),
            ..Default::default()
        }),
        ..Default::default()
    })
    .await
    .expect("starts");
    api_everywhere.stop().await.unwrap();
    // ...but the admin surface on every interface does.
    let admin_everywhere = outrig_emulator::start(outrig_emulator::Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        admin: Some(outrig_emulator::config::Admin {
            addr: Some("0.0.0.0:0".parse().unwrap()),
            ..Default::default()
        }),
        ..Default::default()
    })
    .await;
    let error = admin_everywhere.err().expect("refused").to_string();
    assert!(error.contains("--admin-token"), "{error}");
}
