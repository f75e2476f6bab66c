//! Floods that once grew the host without bound now cost it almost nothing: each call
//! runs alone in this test binary, and the host's resident memory before and after is
//! printed and bounded.

mod common;

use common::{config, rss_kib};
use outrig_host::grants::Limits;
use outrig_host::HostConfig;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_and_output_floods_leave_the_host_s_memory_bounded() {
    let mut hostile = config("hostile");
    hostile.limits = Limits {
        timeout_ms: 2_000,
        ..Limits::default()
    };
    let host = HostConfig {
        plugins: vec![hostile],
        ..Default::default()
    }
    .load_tools()
    .await
    .unwrap();
    host.call("ok", &json!({})).await;
    for (tool, expected) in [
        ("log_empty_flood", "stopped after its 2000 ms time limit"),
        ("log_flood", "logged"),
        ("confetti", "over the 100-block output limit"),
    ] {
        let before = rss_kib();
        let outcome = host.call(tool, &json!({})).await;
        let grown = rss_kib().saturating_sub(before);
        let text = outrig_api::content::joined_text(&outcome.content);
        eprintln!(
            "{tool}: {text:.100} — {} log lines kept, host memory grew by {grown} KiB",
            outcome.logs.len()
        );
        assert!(text.contains(expected), "{tool}: {text}");
        assert!(outcome.logs.len() <= 1001, "{tool}: the log cap holds");
        assert!(grown < 64 << 10, "{tool}: the host grew by {grown} KiB");
    }
}
