//! Tool host benchmarks; prints a table of percentiles.
//! `cargo bench -p outrig-host --bench host` (after scripts/build-plugins.sh)

use outrig_api::events::Event;
use outrig_api::SendEvent;
use outrig_host::engine::ToolEngine;
use outrig_host::grants::{Limits, PluginConfig};
use outrig_host::HostConfig;
use serde_json::json;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn plugin(name: &str) -> PluginConfig {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../artifacts/plugins"
    ))
    .join(format!("{name}.wasm"));
    assert!(
        path.is_file(),
        "{} is missing: run scripts/build-plugins.sh",
        path.display()
    );
    PluginConfig {
        path,
        sha256: None,
        signer: None,
        prefix: None,
        grants: Default::default(),
        limits: Limits::default(),
    }
}

fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration, Duration) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.99), at(1.0))
}

fn row(name: &str, samples: Vec<Duration>) -> Duration {
    let n = samples.len();
    let (p50, p99, max) = percentiles(samples);
    println!(
        "| {name} | {n} | {:.1} µs | {:.1} µs | {:.1} µs |",
        p50.as_secs_f64() * 1e6,
        p99.as_secs_f64() * 1e6,
        max.as_secs_f64() * 1e6
    );
    p99
}

fn main() {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores)
        .enable_all()
        .build()
        .unwrap()
        .block_on(run(cores));
}

async fn run(cores: usize) {
    let cache = tempfile::tempdir().unwrap();
    println!("## precompiled load (cold compile once, then from the cache)\n");
    println!("| plugin | size | cold compile | cached load (mmap) |\n|---|---|---|---|");
    let engine = ToolEngine::new(cache.path().to_path_buf()).unwrap();
    for (name, language) in [
        ("invoices", "Rust"),
        ("units", "JavaScript (componentize-js)"),
        ("stats", "Python"),
    ] {
        let path = plugin(name).path;
        let started = Instant::now();
        let (_, _, hit) = engine.load(&path, None, None).await.unwrap();
        let cold = started.elapsed();
        assert!(!hit);
        let mut warm = Vec::new();
        for _ in 0..20 {
            let started = Instant::now();
            let (_, _, hit) = engine.load(&path, None, None).await.unwrap();
            assert!(hit);
            warm.push(started.elapsed());
        }
        let (p50, _, _) = percentiles(warm);
        println!(
            "| {language} | {:.1} MB | {:.2} s | {:.2} ms |",
            std::fs::metadata(&path).unwrap().len() as f64 / 1e6,
            cold.as_secs_f64(),
            p50.as_secs_f64() * 1e3
        );
    }
    drop(engine);

    let host = Arc::new(
        HostConfig {
            plugins: vec![plugin("invoices"), plugin("units"), plugin("stats"), {
                let mut h = plugin("hostile");
                h.limits.timeout_ms = 50;
                h
            }],
            cache_dir: Some(cache.path().to_path_buf()),
            ..Default::default()
        }
        .load_tools()
        .await
        .unwrap(),
    );

    println!("\n## one call per language: fresh instance (pooling + InstancePre) + call\n");
    println!("| tool | calls | p50 | p99 | max |\n|---|---|---|---|---|");
    for (tool, input, n) in [
        ("echo", json!({"x": 1}), 20_000),
        (
            "convert_units",
            json!({"value": 1, "from": "km", "to": "m"}),
            5_000,
        ),
        ("describe_numbers", json!({"values": [1, 2]}), 500),
    ] {
        let mut samples = Vec::with_capacity(n);
        for _ in 0..n {
            let started = Instant::now();
            let outcome = host.call(tool, &input).await;
            assert!(!outcome.is_error, "{tool}: {:?}", outcome.content);
            samples.push(started.elapsed());
        }
        row(tool, samples);
    }

    println!("\n## dispatch overhead: decoded agent.custom_tool_use → serialized result body (Rust echo)\n");
    println!("| path | calls | p50 | p99 | max |\n|---|---|---|---|---|");
    let event = Event::from_json(r#"{"type":"agent.custom_tool_use","id":"sevt_1","name":"echo","input":{"order_id":"1234"},"processed_at":"2026-05-14T09:30:05Z"}"#).unwrap();
    let Event::AgentCustomToolUse(call) = event else {
        unreachable!()
    };
    let mut samples = Vec::with_capacity(20_000);
    for _ in 0..20_000 {
        let started = Instant::now();
        let outcome = host.call(&call.name, &call.input).await;
        let body = serde_json::to_vec(&outrig_api::send::SendEventsBody {
            events: vec![SendEvent::custom_tool_result(
                &call.id,
                outcome.content,
                outcome.is_error,
            )],
        })
        .unwrap();
        std::hint::black_box(body);
        samples.push(started.elapsed());
    }
    row("echo end to end", samples);
    mcp_round_trip(host.clone()).await;

    println!("\n## concurrency: 64 calls in flight vs 1 (Rust echo, {cores} cores)\n");
    println!("Calls are tasks on a runtime of {cores} workers, at most {cores} running at once as");
    println!("the runner bounds them; service time is the call itself, completion includes the");
    println!("wait for a permit.\n");
    println!("| in flight | measure | calls | p50 | p99 | max |\n|---|---|---|---|---|---|");
    let mut single = Vec::with_capacity(6_400);
    for _ in 0..6_400 {
        let s = Instant::now();
        host.call("echo", &json!({})).await;
        single.push(s.elapsed());
    }
    let p99_single = row("1 | service", single);
    let permits = Arc::new(tokio::sync::Semaphore::new(cores));
    let (mut service, mut completion) = (Vec::new(), Vec::new());
    let started = Instant::now();
    for _ in 0..100 {
        let submitted = Instant::now();
        let batch: Vec<_> = (0..64)
            .map(|_| {
                let (host, permits) = (host.clone(), permits.clone());
                tokio::spawn(async move {
                    let _permit = permits.acquire_owned().await.unwrap();
                    let started = Instant::now();
                    host.call("echo", &json!({})).await;
                    (started.elapsed(), submitted.elapsed())
                })
            })
            .collect();
        for call in batch {
            let (s, c) = call.await.unwrap();
            service.push(s);
            completion.push(c);
        }
    }
    let wall = started.elapsed();
    let p99_service = row("64 | service", service);
    row("64 | completion", completion);
    println!(
        "\nservice p99 ratio 64:1 = {:.2}×; 6,400 calls in {:.0} ms ({:.0} calls/s)",
        p99_service.as_secs_f64() / p99_single.as_secs_f64(),
        wall.as_secs_f64() * 1e3,
        6400.0 / wall.as_secs_f64()
    );

    println!("\n## deadline to kill: a 50 ms limit on a runaway loop, and on a plugin asleep in a WASI call\n");
    println!("| measure | calls | p50 | p99 | max |\n|---|---|---|---|---|");
    for (tool, what) in [("spin", "loop"), ("sleep", "WASI sleep")] {
        let mut overshoot = Vec::with_capacity(40);
        for _ in 0..40 {
            let outcome = host.call(tool, &json!({})).await;
            assert!(outcome.is_error);
            overshoot.push(outcome.elapsed.saturating_sub(Duration::from_millis(50)));
        }
        row(&format!("time past the deadline: {what}"), overshoot);
    }
}

/// The same echo as an MCP `tools/call` through `outrig host mcp`'s HTTP endpoint on
/// loopback, called with the official Rust SDK's client (what the emulator uses).
async fn mcp_round_trip(host: Arc<outrig_host::ToolHost>) {
    use rmcp::model::CallToolRequestParams;
    use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
    use rmcp::transport::StreamableHttpClientTransport;
    use rmcp::ServiceExt;
    const TOKEN: &str = "bench-token-0123456789abcdef";
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mcp", listener.local_addr().unwrap());
    let options = outrig_host::mcp_http::McpHttpOptions {
        token: outrig_api::request::Secret::new(TOKEN),
        allowed_hosts: Vec::new(),
        allowed_origins: Vec::new(),
        limits: outrig_listen::Limits::default(),
        tls: None,
    };
    tokio::spawn(outrig_host::mcp_http::serve(
        host,
        listener,
        options,
        std::future::pending(),
    ));
    let _ = rustls::crypto::ring::default_provider().install_default();
    let config = StreamableHttpClientTransportConfig::with_uri(url).auth_header(TOKEN);
    let client = ().serve(StreamableHttpClientTransport::from_config(config)).await.unwrap();
    let version = client
        .peer_info()
        .map(|info| info.protocol_version.to_string())
        .unwrap_or_else(|| "2026-07-28 (no handshake)".into());
    println!("\n## the same echo as an MCP tools/call: outrig host mcp over Streamable HTTP on loopback, rmcp client, protocol {version}\n");
    println!("| path | calls | p50 | p99 | max |\n|---|---|---|---|---|");
    let arguments = json!({"order_id": "1234"}).as_object().cloned().unwrap();
    let mut samples = Vec::with_capacity(5_000);
    for _ in 0..5_000 {
        let started = Instant::now();
        let result = client
            .peer()
            .call_tool(CallToolRequestParams::new("echo").with_arguments(arguments.clone()))
            .await
            .unwrap();
        assert_ne!(result.is_error, Some(true));
        samples.push(started.elapsed());
    }
    row("tools/call echo, round trip", samples);
    let _ = client.cancel().await;
}
