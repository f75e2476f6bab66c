//! The listener through real sockets: slow heads and bodies are dropped, floods past the
//! limits get 503, and a well-behaved client is answered all along.

use axum::routing::{get, post};
use axum::Router;
use outrig_listen::{serve, Limits, Stats};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

async fn start(limits: Limits) -> (String, Arc<Stats>) {
    let router = Router::new()
        .route("/", get(|| async { "ok" }))
        .route("/echo", post(|body: String| async move { body }))
        .route(
            "/big",
            get(|| async { axum::body::Body::from(vec![b'x'; 64 << 20]) }),
        )
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_millis(800)).await;
                "slow"
            }),
        );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let stats = Arc::new(Stats::default());
    let served = stats.clone();
    tokio::spawn(async move {
        serve(
            listener,
            router,
            limits,
            None,
            served,
            std::future::pending(),
        )
        .await
    });
    (addr, stats)
}

/// Whether the server closed `stream`: a read sees end of file (or a reset) within `within`.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 512];
    loop {
        match tokio::time::timeout(within, stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
        }
    }
}

async fn raw_get(addr: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).await.unwrap();
    out
}

fn short() -> Limits {
    Limits {
        header_read_timeout: Duration::from_millis(500),
        body_timeout: Duration::from_millis(500),
        ..Limits::default()
    }
}

#[tokio::test]
async fn a_slow_head_is_dropped_while_others_are_answered() {
    let (addr, stats) = start(short()).await;
    let mut slow = Vec::new();
    for _ in 0..50 {
        let mut stream = TcpStream::connect(&addr).await.unwrap();
        stream.write_all(b"GET / HTTP/1.1\r\nho").await.unwrap();
        slow.push(stream);
    }
    assert!(raw_get(&addr, "/").await.ends_with("ok"));
    for stream in &mut slow {
        // Dripping one more byte does not reset the bound.
        let _ = stream.write_all(b"s").await;
    }
    for stream in &mut slow {
        assert!(closed_within(stream, Duration::from_secs(5)).await);
    }
    assert!(stats.connections_timed_out.load(Ordering::Relaxed) >= 50);
    assert!(raw_get(&addr, "/").await.ends_with("ok"));
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed() {
    let (addr, _) = start(short()).await;
    let mut stream = TcpStream::connect(&addr).await.unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 256];
    let n = stream.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    assert!(closed_within(&mut stream, Duration::from_secs(5)).await);
}

#[tokio::test]
async fn a_slow_body_fails_and_the_connection_is_freed() {
    let (addr, stats) = start(short()).await;
    let mut stream = TcpStream::connect(&addr).await.unwrap();
    stream
        .write_all(b"POST /echo HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\nab")
        .await
        .unwrap();
    let mut out = String::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_string(&mut out)).await;
    assert!(!out.starts_with("HTTP/1.1 200"), "{out}");
    assert!(stats.connections_timed_out.load(Ordering::Relaxed) >= 1);
}

#[tokio::test]
async fn connections_past_the_limit_get_503_and_the_server_stays_responsive() {
    let limits = Limits {
        max_connections: 20,
        ..Limits::default()
    };
    let (addr, stats) = start(limits).await;
    let mut held = Vec::new();
    for _ in 0..20 {
        held.push(TcpStream::connect(&addr).await.unwrap());
    }
    // Let the server take all twenty before the next one arrives.
    while stats.open_connections.load(Ordering::Relaxed) < 20 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    for _ in 0..30 {
        let refused = raw_get(&addr, "/").await;
        assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
        assert!(refused.contains("retry-after: 1"));
    }
    assert_eq!(stats.connections_shed.load(Ordering::Relaxed), 30);
    drop(held);
    while stats.open_connections.load(Ordering::Relaxed) > 0 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(raw_get(&addr, "/").await.ends_with("ok"));
    assert!(stats
        .render()
        .contains("outrig_listener_connections_shed_total 30"));
}

#[tokio::test]
async fn requests_past_the_limit_get_503() {
    let limits = Limits {
        max_requests: 2,
        ..Limits::default()
    };
    let (addr, stats) = start(limits).await;
    let slow: Vec<_> = (0..2)
        .map(|_| {
            let addr = addr.clone();
            tokio::spawn(async move { raw_get(&addr, "/slow").await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let shed = raw_get(&addr, "/").await;
    assert!(shed.starts_with("HTTP/1.1 503"), "{shed}");
    assert!(shed.contains("overloaded_error"));
    for task in slow {
        assert!(task.await.unwrap().ends_with("slow"));
    }
    assert_eq!(stats.requests_shed.load(Ordering::Relaxed), 1);
    assert!(raw_get(&addr, "/").await.ends_with("ok"));
}

#[test]
fn limits_that_would_disable_the_server_are_refused() {
    let zero = Limits {
        max_requests: 0,
        ..Limits::default()
    };
    assert!(zero.validate().is_err());
    let no_timeout = Limits {
        header_read_timeout: Duration::ZERO,
        ..Limits::default()
    };
    assert!(no_timeout.validate().unwrap_err().contains("header read"));
    assert!(Limits::default().validate().is_ok());
}

#[tokio::test]
async fn a_client_that_stops_reading_is_dropped() {
    let limits = Limits {
        write_stall_timeout: Duration::from_millis(500),
        ..Limits::default()
    };
    let (addr, stats) = start(limits).await;
    let mut stream = TcpStream::connect(&addr).await.unwrap();
    stream
        .write_all(b"GET /big HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();
    // Read nothing: the 64 MiB response fills the socket buffers and the server's writes
    // stop making progress.
    let mut waited = 0;
    while stats.connections_timed_out.load(Ordering::Relaxed) == 0 && waited < 100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        waited += 1;
    }
    assert_eq!(stats.connections_timed_out.load(Ordering::Relaxed), 1);
    assert_eq!(stats.open_connections.load(Ordering::Relaxed), 0);
    drop(stream);
    assert!(raw_get(&addr, "/").await.ends_with("ok"));
}
