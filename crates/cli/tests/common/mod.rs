//! Helpers the CLI's process-level tests share.
#![allow(dead_code)] // each test binary uses what it needs

use outrig_api::events::{Event, UserCustomToolResult};
use outrig_client::Client;
use std::time::{Duration, Instant};

/// Polls `check` every 50 ms; panics with `what` after three minutes (a hang guard, not a
/// timing assertion).
pub async fn eventually<T>(what: &str, mut check: impl AsyncFnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "never: {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The `user.custom_tool_result` events of a session.
pub async fn results(client: &Client, session: &str) -> Vec<UserCustomToolResult> {
    client
        .list_events(session)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|e| match e {
            Event::UserCustomToolResult(r) => Some(r),
            _ => None,
        })
        .collect()
}

/// A `redis-server` on a free loopback port (installed by scripts/setup.sh), stopped on drop.
pub struct Redis {
    child: std::process::Child,
    /// `redis://127.0.0.1:PORT`
    pub url: String,
}

impl Redis {
    /// Starts one and waits until it accepts connections.
    pub fn start() -> Redis {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = std::process::Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("redis-server is installed by scripts/setup.sh (Debian package redis-server)");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "redis-server did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Redis {
            child,
            url: format!("redis://127.0.0.1:{port}"),
        }
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
