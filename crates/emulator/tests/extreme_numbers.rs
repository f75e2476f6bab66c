//! Every number the emulator reads from a request, at its extremes: refused with 400 (or
//! clamped where the API clamps), never a panic or an overflow, and the server keeps serving.

mod common;

use common::Api;
use serde_json::json;

#[tokio::test]
async fn extreme_numbers_in_queries_are_refused_without_a_panic() {
    let running = outrig_emulator::start(outrig_emulator::Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        delay_scale: 0.0,
        ..Default::default()
    })
    .await
    .unwrap();
    let api = Api::new(running.base_url());
    let environment = api
        .post(
            "/v1/environments",
            json!({"name": "e", "config": {"type": "self_hosted"}}),
        )
        .await;
    let env = environment["id"].as_str().unwrap();
    let huge = [
        "18446744073709551616",
        "9223372036854775808",
        "-9223372036854775809",
        "1e99",
        "-1",
        "0x10",
        "NaN",
        "",
    ];
    let extremes = ["9223372036854775807", "-9223372036854775808"];
    let mut paths = Vec::new();
    for value in huge.iter().chain(extremes.iter()) {
        paths.push(format!("/v1/agents?limit={value}"));
        paths.push(format!("/v1/sessions?limit={value}&page=page_{value}"));
        paths.push(format!("/v1/sessions?agent_version={value}"));
        paths.push(format!("/v1/agents?page=page_{value}"));
        paths.push(format!("/v1/environments/{env}/work/poll?block_ms={value}"));
        paths.push(format!(
            "/v1/environments/{env}/work/poll?block_ms=1&reclaim_older_than_ms={value}"
        ));
        paths.push(format!(
            "/v1/sessions?created_at[gte]=2026-01-01T00:00:00%2B{value}:00"
        ));
    }
    for path in &paths {
        let (status, body) = api.call("GET", path, None).await;
        assert!(status == 200 || status == 400, "{path}: {status} {body}");
    }
    let (status, _) = api.call("POST", &format!("/v1/environments/{env}/work/nope/heartbeat?desired_ttl_seconds=9223372036854775807"), None).await;
    assert_eq!(status, 404);
    // Still serving.
    let (status, _) = api.call("GET", "/v1/agents", None).await;
    assert_eq!(status, 200);
    running.stop().await.unwrap();
}
