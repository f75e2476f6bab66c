//! Fault injection: a proxy cuts stream connections at random byte offsets or stalls them;
//! the consumer still sees every event exactly once, in order.
#![cfg(not(target_arch = "wasm32"))]

use outrig_api::events::Event;
use outrig_api::objects::{CreateAgent, CreateSession, EnvironmentParams};
use outrig_api::request::Secret;
use outrig_api::SendEvent;
use outrig_client::{Client, ClientOptions, StreamOptions};
use rand::Rng;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Forwards connections to `upstream`. A connection that carries a stream request is cut
/// after a random number of response bytes, or (every third time) stalled forever; the
/// second one stalls before even its response head arrives.
async fn faulty_proxy(
    upstream: std::net::SocketAddr,
    faults: Arc<AtomicUsize>,
) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (client, _) = listener.accept().await.unwrap();
            let faults = faults.clone();
            tokio::spawn(async move {
                let server = TcpStream::connect(upstream).await.unwrap();
                // Cut budget of this connection: set when a stream request goes through it
                // (clients reuse keep-alive connections, so any request may be one).
                let budget = Arc::new(AtomicUsize::new(usize::MAX));
                let stall = Arc::new(std::sync::atomic::AtomicBool::new(false));
                let (mut client_read, mut client_write) = client.into_split();
                let (mut server_read, mut server_write) = server.into_split();
                let (request_budget, request_stall) = (budget.clone(), stall.clone());
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 64 * 1024];
                    loop {
                        let n = match client_read.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => n,
                        };
                        if String::from_utf8_lossy(&buf[..n]).contains("/events/stream") {
                            let fault = faults.fetch_add(1, Ordering::SeqCst);
                            request_stall.store(fault == 1 || fault % 3 == 2, Ordering::SeqCst);
                            let budget = match fault {
                                1 => 0,
                                _ => rand::rng().random_range(200..3000usize),
                            };
                            request_budget.store(budget, Ordering::SeqCst);
                        }
                        if server_write.write_all(&buf[..n]).await.is_err() {
                            return;
                        }
                    }
                });
                let mut buf = vec![0u8; 4096];
                loop {
                    let n = match server_read.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => n,
                    };
                    let left = budget.load(Ordering::SeqCst);
                    let take = n.min(left);
                    if client_write.write_all(&buf[..take]).await.is_err() {
                        return;
                    }
                    if left != usize::MAX {
                        budget.store(left - take, Ordering::SeqCst);
                    }
                    if take == left {
                        if stall.load(Ordering::SeqCst) {
                            // Keep the connection open and silent.
                            tokio::time::sleep(Duration::from_secs(3600)).await;
                        }
                        return;
                    }
                }
            });
        }
    });
    addr
}

#[tokio::test]
async fn a_cut_and_stalled_stream_still_delivers_every_event_once_in_order() {
    let emulator = outrig_emulator::start(outrig_emulator::Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        delay_scale: 1.0,
        scenarios: Some(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/scenarios").into()),
        ..Default::default()
    })
    .await
    .unwrap();
    let faults = Arc::new(AtomicUsize::new(0));
    let proxy = faulty_proxy(emulator.addr, faults.clone()).await;
    let options = ClientOptions {
        base_url: emulator.base_url(),
        api_key: Some(Secret::new("k")),
        ..Default::default()
    };
    let direct = Client::new(options.clone());
    let client = Client::new(ClientOptions {
        base_url: format!("http://{proxy}"),
        ..options
    });

    let agent = direct
        .create_agent(
            &serde_json::from_value::<CreateAgent>(
                json!({"name":"a","model":"claude-opus-4-6","metadata":{"scenario":"paced"}}),
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let environment = direct
        .create_environment(&EnvironmentParams {
            name: Some("e".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let session = direct
        .create_session(
            &serde_json::from_value::<CreateSession>(
                json!({"agent": agent.id, "environment_id": environment.id}),
            )
            .unwrap(),
        )
        .await
        .unwrap();

    let mut stream = client.stream_events(
        &session.id,
        StreamOptions {
            stall_timeout: Duration::from_millis(300),
            initial_backoff: Duration::from_millis(20),
            ..Default::default()
        },
    );
    stream.open().await.unwrap();
    // Long enough (about 2.5 s of paced turns) for several faults of every kind.
    const TURNS: usize = 30;
    let messages = (0..TURNS)
        .map(|i| SendEvent::user_text(format!("message number {i} with some padding text")))
        .collect();
    direct.send_events(&session.id, messages).await.unwrap();

    let mut seen = Vec::new();
    let mut ended = 0;
    while ended < TURNS {
        let event = tokio::time::timeout(Duration::from_secs(30), stream.next())
            .await
            .expect("stream made progress")
            .unwrap()
            .unwrap();
        if matches!(&event, Event::SessionStatusIdle(i) if i.stop_reason.ends_turn()) {
            ended += 1;
        }
        seen.push(event);
    }
    let history = direct.list_events(&session.id).await.unwrap();
    let ids = |events: &[Event]| {
        events
            .iter()
            .map(|e| e.id().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(&seen),
        ids(&history),
        "every event exactly once, in order"
    );
    // At least: a cut, the stall before a response head (retried by the request itself,
    // so not a reconnect), and two more faults that each cost a reconnect.
    assert!(
        faults.load(Ordering::SeqCst) >= 4,
        "the proxy must have faulted four stream requests ({})",
        faults.load(Ordering::SeqCst)
    );
    eprintln!(
        "faults {}, reconnects {}",
        faults.load(Ordering::SeqCst),
        stream.reconnects()
    );
    assert!(
        stream.reconnects() >= 2,
        "the proxy must actually have cut the stream ({} reconnects)",
        stream.reconnects()
    );
}
