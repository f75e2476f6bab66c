//! Scale-out: the emulator sends every webhook to two `outrig host serve` replicas that
//! share one claims store (SQLite, then a real `redis-server`, then a real Postgres, on
//! loopback). A hundred sessions each call a side-effect tool (it appends a line to a file,
//! then sleeps); one replica is `kill -9`ed mid-run and the other finishes its work under
//! the lease rules. Every call is answered once, no line is written twice, and forged or
//! stale webhooks are refused.

mod common;

use common::{eventually, results, WEBHOOK_SECRET};
use outrig_api::objects::CreateSession;
use outrig_api::webhook::sign;
use outrig_api::SendEvent;
use serde_json::json;
use std::path::Path;
use std::process::Child;
use std::time::Duration;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
const SESSIONS: usize = 100;
/// Calls the doomed replica takes alone before the other starts.
const FIRST: usize = 5;

/// A replica whose log goes to `NAME.log` beside the grants file.
fn replica(config: &Path, claims: &str, port: u16, name: &str, base_url: &str) -> Child {
    let log = std::fs::File::create(config.with_file_name(format!("{name}.log"))).unwrap();
    common::replica(config, claims, port, name, base_url, 1500, log.into())
}

async fn post_webhook(
    http: &reqwest::Client,
    port: u16,
    headers: &[(&str, String)],
    body: &str,
) -> u16 {
    let mut request = http
        .post(format!("http://127.0.0.1:{port}/webhooks"))
        .body(body.to_string());
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    request.send().await.unwrap().status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_sharing_sqlite_run_every_call_once_even_when_one_is_killed() {
    let work = tempfile::tempdir().unwrap();
    let claims = format!("sqlite:{}", work.path().join("claims.sqlite").display());
    replicas_run_every_call_once(work, &claims).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_sharing_redis_run_every_call_once_even_when_one_is_killed() {
    let redis = common::Redis::start();
    replicas_run_every_call_once(tempfile::tempdir().unwrap(), &redis.url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_sharing_postgres_run_every_call_once_even_when_one_is_killed() {
    let postgres = common::Postgres::start();
    replicas_run_every_call_once(tempfile::tempdir().unwrap(), &postgres.url).await;
}

async fn replicas_run_every_call_once(work: tempfile::TempDir, claims: &str) {
    let data = work.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let config = work.path().join("outrig-host.toml");
    std::fs::write(
        &config,
        format!(
            "[[plugin]]\npath = \"{ROOT}/artifacts/plugins/hostile.wasm\"\n[plugin.grants]\ndirs = [{{ host = \"{}\", guest = \"/data\", mode = \"rw\" }}]\n",
            data.display()
        ),
    )
    .unwrap();
    let ports = common::free_ports(2);
    let common::Webhooked {
        emulator,
        client,
        agent_id,
        environment_id,
    } = common::emulator_with_webhooks(&ports, true, &config).await;
    let base_url = emulator.base_url();
    let http = reqwest::Client::new();
    let healthy = async |port: u16, name: &str| {
        let log = config.with_file_name(format!("{name}.log"));
        eventually(&format!("{name} answers /healthz"), async || {
            if let Ok(text) = std::fs::read_to_string(&log) {
                assert!(!text.contains("error:"), "{name} failed to start: {text}");
            }
            let ok = http
                .get(format!("http://127.0.0.1:{port}/healthz"))
                .send()
                .await
                .ok()?
                .status()
                .is_success();
            ok.then_some(())
        })
        .await;
    };
    // The doomed replica alone takes the first calls, which run long...
    let mut doomed = replica(&config, claims, ports[0], "doomed", &base_url);
    healthy(ports[0], "doomed").await;

    let metric = async |port: u16, name: &str| -> f64 {
        let Ok(response) = http
            .get(format!("http://127.0.0.1:{port}/metrics"))
            .send()
            .await
        else {
            return 0.0;
        };
        let text = response.text().await.unwrap_or_default();
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_default()
    };
    let new_session = async |i: usize, sleep_ms: u64| {
        let session = client
            .create_session(
                &serde_json::from_value::<CreateSession>(
                    json!({"agent": agent_id, "environment_id": environment_id}),
                )
                .unwrap(),
            )
            .await
            .unwrap();
        client
            .send_events(
                &session.id,
                vec![SendEvent::user_text(format!(
                    r#"call append_line {{"line": "line-{i}", "sleep_ms": {sleep_ms}}}"#
                ))],
            )
            .await
            .unwrap();
        session.id
    };
    let mut sessions = Vec::new();
    for i in 0..FIRST {
        sessions.push(new_session(i, 20_000).await);
    }
    eventually("the doomed replica runs the first calls", async || {
        let won = metric(ports[0], "outrig_claims_total{result=\"won\"} ").await;
        (won >= FIRST as f64).then_some(())
    })
    .await;
    // ...then both take the next ones, racing for each, until the doomed one dies mid-run.
    let mut survivor = replica(&config, claims, ports[1], "survivor", &base_url);
    healthy(ports[1], "survivor").await;
    for i in FIRST..=SESSIONS / 2 {
        sessions.push(new_session(i, 100).await);
    }
    doomed.kill().unwrap(); // SIGKILL: no drain, no release
    doomed.wait().unwrap();
    for i in SESSIONS / 2 + 1..SESSIONS {
        sessions.push(new_session(i, 100).await);
    }

    // Forged and stale webhooks are refused and do nothing.
    let body = json!({"type": "event", "id": "wevt_forged", "created_at": "2026-12-01T00:00:00Z",
        "data": {"type": "session.requires_action", "id": "sesn_forged", "organization_id": "o", "workspace_id": "w"}})
    .to_string();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let signed = |at: i64, secret: &str| {
        vec![
            ("webhook-id", "wevt_forged".to_string()),
            ("webhook-timestamp", at.to_string()),
            (
                "webhook-signature",
                sign(secret, "wevt_forged", at, body.as_bytes()).unwrap(),
            ),
        ]
    };
    assert_eq!(
        post_webhook(
            &http,
            ports[1],
            &signed(now, "whsec_b3RoZXIgc2VjcmV0"),
            &body
        )
        .await,
        401,
        "another key"
    );
    assert_eq!(
        post_webhook(&http, ports[1], &signed(now - 3600, WEBHOOK_SECRET), &body).await,
        401,
        "an hour old"
    );
    assert_eq!(
        post_webhook(&http, ports[1], &[], &body).await,
        401,
        "unsigned"
    );

    // Every call gets exactly one result, from the survivor or (before the kill) the doomed one.
    for session in &sessions {
        eventually("every call is answered", async || {
            let found = results(&client, session).await;
            (!found.is_empty()).then_some(found)
        })
        .await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await; // let any duplicate arrive
    let mut taken_over = 0;
    for session in &sessions {
        let found = results(&client, session).await;
        assert_eq!(found.len(), 1, "one result for {session}: {found:?}");
        if found[0].is_error.flatten() == Some(true) {
            taken_over += 1;
            let text =
                outrig_api::content::joined_text(found[0].content.as_deref().unwrap_or_default());
            assert!(text.contains("was not run again"), "{session}: {text}");
        }
    }
    let written = std::fs::read_to_string(data.join("side-effects.log")).unwrap();
    eprintln!(
        "{} lines written, {taken_over} calls answered as lost by the killed replica",
        written.lines().count()
    );
    let mut lines: Vec<&str> = written.lines().collect();
    let all = lines.len();
    lines.sort();
    lines.dedup();
    assert_eq!(lines.len(), all, "no call ran twice: {written}");
    assert!(
        all >= SESSIONS - taken_over,
        "{all} lines, {taken_over} calls answered as lost"
    );
    // The killed replica's first calls were still running: the survivor answered them as
    // lost (not run again) once their leases expired. Only calls it held can be so.
    assert!(
        (FIRST..=SESSIONS / 2 + 1).contains(&taken_over),
        "{taken_over} calls answered as lost"
    );

    let metrics = http
        .get(format!("http://127.0.0.1:{}/metrics", ports[1]))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let value = |name: &str| -> f64 {
        metrics
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_default()
    };
    assert_eq!(
        value("outrig_webhook_verifications_failed_total "),
        3.0,
        "{metrics}"
    );
    assert!(
        value("outrig_claims_total{result=\"won\"} ") >= 1.0,
        "{metrics}"
    );
    assert!(value("outrig_results_accepted_total ") >= 1.0, "{metrics}");
    survivor.kill().unwrap();
    survivor.wait().unwrap();
}
