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
