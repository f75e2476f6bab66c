//! The worker under faults, against the emulator: a lease taken by another worker in the
//! middle of a call (412: the worker stops serving, sends neither the result nor a stop,
//! and kills the sandbox), and two workers on one environment (each item served once).

mod common;
mod worker_common;

use outrig_api::events::Event;
use outrig_api::request::Query;
use outrig_api::SendEvent;
use serde_json::{json, Value};
use std::time::Duration;
use worker_common::{tool, world};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lease_lost_mid_call_stops_serving_without_a_stop_or_a_result() {
    let world = world().await;
    let (stop, task) = world
        .worker_with(world.sandbox(), |options| {
            options.lease_ttl_seconds = Some(2)
        })
        .await;
    let session = world.session().await;
    let command = json!({"command": "sleep 2.5; echo finished"});
    world
        .client
        .send_events(&session, vec![SendEvent::user_text(tool("bash", command))])
        .await
        .unwrap();
    // Wait until the worker holds the item, then take the lease over as another worker
    // would: its next heartbeat no longer matches.
    let item = loop {
        let found = world
            .items()
            .await
            .into_iter()
            .find(|w| w["state"] == "active");
        if let Some(item) = found {
            break item;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let id = item["id"].as_str().unwrap();
    let last = item["latest_heartbeat_at"].as_str().unwrap().to_string();
    let taken: Value = world
        .client
        .heartbeat_work(
            &world.environment_id,
            id,
            &Query::new().opt("expected_last_heartbeat", Some(last)),
        )
        .await
        .unwrap();
    assert_eq!(taken["lease_extended"], true);
    tokio::time::sleep(Duration::from_secs(4)).await;
    let events = world.client.list_events(&session).await.unwrap();
    assert!(
        !events.iter().any(|e| matches!(e, Event::UserToolResult(_))),
        "the worker that lost the lease sent no result"
    );
    let item = world
        .items()
        .await
        .into_iter()
        .find(|w| w["id"] == id)
        .unwrap();
    assert_ne!(
        item["state"], "stopped",
        "and did not stop the item another worker holds"
    );
    stop.cancel();
    task.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_on_one_environment_serve_each_item_once() {
    let world = world().await;
    let second_root = tempfile::tempdir().unwrap();
    let (stop_a, task_a) = world.worker(world.sandbox()).await;
    let mut other = world.sandbox();
    other.root = Some(second_root.path().to_path_buf());
    let (stop_b, task_b) = world.worker(other).await;
    let mut sessions = Vec::new();
    for _ in 0..6 {
        let session = world.session().await;
        let command = json!({"command": "echo served >> marker; cat marker"});
        world
            .client
            .send_events(&session, vec![SendEvent::user_text(tool("bash", command))])
            .await
            .unwrap();
        sessions.push(session);
    }
    for session in &sessions {
        let mut answered = Vec::new();
        for _ in 0..600 {
            answered = world
                .client
                .list_events(session)
                .await
                .unwrap()
                .into_iter()
                .filter(|e| matches!(e, Event::UserToolResult(_)))
                .collect();
            if !answered.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(answered.len(), 1, "{session}: one result");
        let served: Vec<String> = [world.root.path(), second_root.path()]
            .iter()
            .filter_map(|root| {
                std::fs::read_to_string(root.join(session).join("workspace/marker")).ok()
            })
            .collect();
        assert_eq!(
            served,
            ["served\n"],
            "{session}: run by exactly one worker, once"
        );
    }
    stop_a.cancel();
    stop_b.cancel();
    task_a.await.unwrap();
    task_b.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sessions_token_reaches_its_own_session_only() {
    let world = world().await;
    let (mine, other) = (world.session().await, world.session().await);
    world
        .client
        .send_events(&mine, vec![SendEvent::user_text("hello")])
        .await
        .unwrap();
    let query = Query::new().opt("block_ms", Some(500));
    let item = world
        .client
        .poll_work(&world.environment_id, &query)
        .await
        .unwrap()
        .expect("a work item");
    let token = item
        .sessions_token()
        .expect("the secret carries a sessions token");
    let scoped = outrig_client::Client::new(outrig_client::ClientOptions {
        api_key: Some(outrig_api::request::Secret::new(token)),
        ..world.client.options().clone()
    });
    let own = item.session_id().unwrap();
    assert!(scoped.get_session(own).await.is_ok());
    let foreign = if own == mine { &other } else { &mine };
    let refused = scoped.get_session(foreign).await.unwrap_err();
    assert_eq!(refused.status(), Some(403), "{refused}");
    assert!(
        scoped.list_agents(false).await.is_ok(),
        "agents may be read (skills)"
    );
    let refused = scoped
        .call::<Value>(
            &outrig_api::routes::ENVIRONMENTS_CREATE,
            &[],
            &Default::default(),
            Some(&json!({"name": "x"})),
        )
        .await
        .unwrap_err();
    assert_eq!(refused.status(), Some(403), "{refused}");
    let forged = outrig_client::Client::new(outrig_client::ClientOptions {
        api_key: Some(outrig_api::request::Secret::new("sk-ant-req-emulator-0000")),
        ..world.client.options().clone()
    });
    assert_eq!(
        forged.get_session(own).await.unwrap_err().status(),
        Some(401)
    );
}
