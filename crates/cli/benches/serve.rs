//! `cargo bench -p outrig-cli --bench serve [-- SESSIONS REPLICAS]`: SESSIONS sessions
//! (default 1,000), one trivial custom tool call each, served by REPLICAS (default 3)
//! `outrig host serve` processes sharing one SQLite claims store, driven by the emulator's
//! webhooks (sent to every replica). Prints calls/s, the time from the call to its
//! accepted result (p50/p99, from the emulator's event timestamps), API requests per call
//! and each replica's resident memory.

use outrig_api::events::Event;
use outrig_api::objects::{CreateAgent, CreateSession, EnvironmentParams};
use outrig_api::request::Secret;
use outrig_api::SendEvent;
use outrig_client::{Client, ClientOptions};
use outrig_emulator::webhooks::WebhookConfig;
use serde_json::json;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn micros(at: &str) -> i64 {
    outrig_api::time::parse_rfc3339_micros(at).unwrap_or_default()
}

fn rss_mib(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or_default()
        / 1024.0
}

#[tokio::main]
async fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sessions = args.first().copied().unwrap_or(1000);
    let replicas = args.get(1).copied().unwrap_or(3);
    let work = tempfile::tempdir().unwrap();
    let config = work.path().join("outrig-host.toml");
    std::fs::write(
        &config,
        format!("[[plugin]]\npath = \"{ROOT}/artifacts/plugins/hostile.wasm\"\n"),
    )
    .unwrap();
    let listeners: Vec<_> = (0..replicas)
        .map(|_| std::net::TcpListener::bind("127.0.0.1:0").unwrap())
        .collect();
    let ports: Vec<u16> = listeners
        .iter()
        .map(|l| l.local_addr().unwrap().port())
        .collect();
    drop(listeners);
    let emulator = outrig_emulator::start(outrig_emulator::Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        delay_scale: 0.0,
        webhooks: Some(WebhookConfig {
            urls: ports
                .iter()
                .map(|p| format!("http://127.0.0.1:{p}/webhooks"))
                .collect(),
            secret: SECRET.into(),
            chaos: false,
        }),
        ..Default::default()
    })
    .await
    .unwrap();
    let base_url = emulator.base_url();
    let client = Client::new(ClientOptions {
        base_url: base_url.clone(),
        api_key: Some(Secret::new("k")),
        ..Default::default()
    });
    let agent = client
        .create_agent(
            &serde_json::from_value::<CreateAgent>(json!({"name": "bench", "model": "m"})).unwrap(),
        )
        .await
        .unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_outrig"))
        .args(["host", "register", "--config"])
        .arg(&config)
        .args(["--agent", &agent.id, "--base-url", &base_url])
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let environment = client
        .create_environment(&EnvironmentParams {
            name: Some("bench".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let claims = work.path().join("claims.sqlite");
    let mut children: Vec<_> = ports
        .iter()
        .enumerate()
        .map(|(i, port)| {
            Command::new(env!("CARGO_BIN_EXE_outrig"))
                .args(["host", "serve", "--config"])
                .arg(&config)
                .args([
                    "--listen",
                    &format!("127.0.0.1:{port}"),
                    "--webhook-secret",
                    SECRET,
                    "--holder",
                    &format!("r{i}"),
                ])
                .arg(format!("--claims=sqlite:{}", claims.display()))
                .args(["--base-url", &base_url])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    let http = reqwest::Client::new();
    for port in &ports {
        while http
            .get(format!("http://127.0.0.1:{port}/healthz"))
            .send()
            .await
            .is_err()
        {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    let started = Instant::now();
    let mut ids = Vec::new();
    for _ in 0..sessions {
        let session = client
            .create_session(
                &serde_json::from_value::<CreateSession>(
                    json!({"agent": agent.id, "environment_id": environment.id}),
                )
                .unwrap(),
            )
            .await
            .unwrap();
        client
            .send_events(&session.id, vec![SendEvent::user_text("call ok {}")])
            .await
            .unwrap();
        ids.push(session.id);
    }
    let mut latencies = Vec::new();
    for id in &ids {
        loop {
            let events = client.list_events(id).await.unwrap();
            let call = events.iter().find_map(|e| match e {
                Event::AgentCustomToolUse(c) => Some(micros(&c.processed_at)),
                _ => None,
            });
            let result = events.iter().find_map(|e| match e {
                Event::UserCustomToolResult(r) => {
                    r.processed_at.clone().flatten().map(|at| micros(&at))
                }
                _ => None,
            });
            if let (Some(call), Some(result)) = (call, result) {
                latencies.push((result - call) as f64 / 1000.0);
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_by(|a, b| a.total_cmp(b));
    let pick = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    let mut requests = 0.0;
    for port in &ports {
        let text = http
            .get(format!("http://127.0.0.1:{port}/metrics"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        requests += text
            .lines()
            .find_map(|l| l.strip_prefix("outrig_api_requests_total "))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or_default();
    }
    println!("{sessions} sessions, one call each, {replicas} replicas of `outrig host serve` (one SQLite claims store)");
    println!(
        "calls/s (creating the sessions included): {:.0}",
        sessions as f64 / elapsed
    );
    println!(
        "call → accepted result: p50 {:.1} ms, p99 {:.1} ms",
        pick(0.5),
        pick(0.99)
    );
    println!(
        "API requests per call (all replicas, retries included): {:.2}",
        requests / sessions as f64
    );
    for (i, child) in children.iter().enumerate() {
        println!("replica r{i} RSS: {:.0} MiB", rss_mib(child.id()));
    }
    for child in &mut children {
        child.kill().ok();
        child.wait().ok();
    }
}
