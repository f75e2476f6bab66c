//! `host serve` against hostile clients, through real sockets: slow clients are dropped
//! while signed webhooks keep being answered, a connection flood past the limit gets 503
//! and the replica stays responsive, forged timestamps are refused with 401 (no panic).

mod common;

use outrig_client::ClientOptions;
use outrig_host::claims::Claims;
use outrig_host::serve::{ServeOptions, WebhookHost};
use outrig_host::HostConfig;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

struct Replica {
    addr: String,
    service: Arc<WebhookHost>,
    _dir: tempfile::TempDir,
}

async fn replica(limits: outrig_listen::Limits) -> Replica {
    let dir = tempfile::tempdir().unwrap();
    let host = HostConfig {
        plugins: vec![common::config("invoices")],
        ..Default::default()
    }
    .load_tools()
    .await
    .unwrap();
    let claims = Claims::open_url(&format!("sqlite:{}", dir.path().join("c.sqlite").display()))
        .await
        .unwrap();
    let service = WebhookHost::new(
        Arc::new(host),
        ClientOptions {
            // Never reached: these webhooks ask for nothing to be run.
            base_url: "http://127.0.0.1:9".into(),
            ..Default::default()
        },
        claims,
        ServeOptions {
            webhook_secret: SECRET.into(),
            tolerance_secs: outrig_api::webhook::DEFAULT_TOLERANCE_SECS,
            holder: "test".into(),
            lease: Duration::from_secs(30),
            grace: Duration::from_secs(1),
            limits,
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(service.clone().serve(listener, std::future::pending()));
    Replica {
        addr,
        service,
        _dir: dir,
    }
}

/// POSTs a webhook with these headers over a fresh connection; returns the status line.
async fn post(addr: &str, timestamp: &str, signature: &str, body: &str) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "POST /webhooks HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-type: application/json\r\n\
         webhook-id: msg_1\r\nwebhook-timestamp: {timestamp}\r\nwebhook-signature: {signature}\r\n\
         content-length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).await.unwrap();
    out.lines().next().unwrap_or_default().to_string()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

const BODY: &str = r#"{"type":"event","id":"wh_1","created_at":"2026-12-03T00:00:00Z","data":{"type":"session.created","id":"sesn_1","organization_id":"org_1"}}"#;

async fn signed(addr: &str) -> String {
    let ts = now();
    let signature = outrig_api::webhook::sign(SECRET, "msg_1", ts, BODY.as_bytes()).unwrap();
    post(addr, &ts.to_string(), &signature, BODY).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_timestamps_are_refused_with_401_and_the_replica_keeps_serving() {
    let replica = replica(Default::default()).await;
    let signature = outrig_api::webhook::sign(SECRET, "msg_1", now(), BODY.as_bytes()).unwrap();
    for timestamp in [
        i64::MIN.to_string(),
        i64::MAX.to_string(),
        (i64::MIN + 1).to_string(),
        "99999999999999999999999".into(),
        "-1".into(),
        "abc".into(),
        "1e10".into(),
        "".into(),
    ] {
        let status = post(&replica.addr, &timestamp, &signature, BODY).await;
        assert!(
            status.starts_with("HTTP/1.1 401"),
            "{timestamp:?}: {status}"
        );
    }
    assert!(signed(&replica.addr).await.starts_with("HTTP/1.1 204"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_are_dropped_while_signed_webhooks_are_answered() {
    let replica = replica(outrig_listen::Limits {
        header_read_timeout: Duration::from_secs(1),
        ..Default::default()
    })
    .await;
    let mut slow = Vec::new();
    for _ in 0..200 {
        let mut stream = TcpStream::connect(&replica.addr).await.unwrap();
        stream
            .write_all(b"POST /webhooks HTTP/1.1\r\n")
            .await
            .unwrap();
        slow.push(stream);
    }
    for _ in 0..5 {
        assert!(signed(&replica.addr).await.starts_with("HTTP/1.1 204"));
        for stream in &mut slow {
            let _ = stream.write_all(b"x").await; // one byte at a time
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let mut closed = 0;
    for stream in &mut slow {
        let mut buf = [0u8; 64];
        if let Ok(Ok(0) | Err(_)) =
            tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf)).await
        {
            closed += 1;
        }
    }
    assert_eq!(closed, 200, "every slow client was dropped");
    let metrics = reqwest::get(format!("http://{}/metrics", replica.addr))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("outrig_listener_connections_timed_out_total"));
    let timed_out = replica
        .service
        .listener
        .connections_timed_out
        .load(std::sync::atomic::Ordering::Relaxed);
    assert!(timed_out >= 200, "{timed_out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_flood_past_the_limit_gets_503_and_the_replica_stays_responsive() {
    let replica = replica(outrig_listen::Limits {
        max_connections: 64,
        header_read_timeout: Duration::from_secs(2),
        ..Default::default()
    })
    .await;
    let mut flood = Vec::new();
    for _ in 0..300 {
        flood.push(TcpStream::connect(&replica.addr).await.unwrap());
    }
    // Past the 64 held, connections are answered 503 at once (not left hanging).
    let refused = signed(&replica.addr).await;
    assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
    let shed = replica
        .service
        .listener
        .connections_shed
        .load(std::sync::atomic::Ordering::Relaxed);
    assert!(shed >= 200, "{shed}");
    // The flood's idle connections time out; the replica answers a signed webhook again.
    drop(flood);
    let mut answered = false;
    for _ in 0..50 {
        if signed(&replica.addr).await.starts_with("HTTP/1.1 204") {
            answered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(answered);
    let metrics = reqwest::get(format!("http://{}/metrics", replica.addr))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("outrig_listener_connections_shed_total"),
        "{metrics}"
    );
}
