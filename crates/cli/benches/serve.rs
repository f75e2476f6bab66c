//! `cargo bench -p outrig-cli --bench serve [-- SESSIONS REPLICAS | -- SESSIONS run-all]`:
//! SESSIONS sessions (default 1,000), one trivial custom tool call each, served by REPLICAS
//! (default 3) `outrig host serve` processes sharing one SQLite claims store, driven by the
//! emulator's webhooks (sent to every replica); or, with `run-all`, by one
//! `outrig host run --all` with its default polls. The emulator's request journal counts
//! the hosts' requests (every request less the bench's own). Prints calls/s, the time from
//! the call to its accepted result (p50/p99, from the emulator's event timestamps), API requests per call, the API
//! requests in each of the two minutes after every session rests, and each host process's
//! resident memory.

use outrig_api::events::Event;
use outrig_api::objects::CreateSession;
use outrig_api::SendEvent;
use serde_json::json;
use std::process::Stdio;
use std::time::{Duration, Instant};

#[path = "../tests/common/mod.rs"]
mod common;

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
    let run_all = std::env::args().any(|a| a == "run-all");
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sessions = args.first().copied().unwrap_or(1000);
    let replicas = if run_all {
        0
    } else {
        args.get(1).copied().unwrap_or(3)
    };
    let work = tempfile::tempdir().unwrap();
    let config = common::hostile_config(work.path());
    let ports = common::free_ports(replicas);
    let common::Webhooked {
        emulator,
        client,
        agent_id,
        environment_id,
    } = common::emulator_with_webhooks(&ports, false, &config).await;
    // The emulator's journal counts every request; the driver's own are taken off.
    let journal = emulator.admin.clone().expect("admin surface on").log;
    let base_url = emulator.base_url();
    let mut driver_requests = 0u64;
    let claims = work.path().join("claims.sqlite");
    let claims = format!("sqlite:{}", claims.display());
    let mut children: Vec<_> = ports
        .iter()
        .enumerate()
        .map(|(i, port)| {
            let name = format!("r{i}");
            common::replica(
                &config,
                &claims,
                *port,
                &name,
                &base_url,
                30_000,
                Stdio::null(),
            )
        })
        .collect();
    if run_all {
        children.push(common::run_all_host(
            &config,
            &work.path().join("journal.sqlite"),
            &agent_id,
            &base_url,
            &[],
        ));
    }
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
    let before = journal.total();
    let started = Instant::now();
    let mut ids = Vec::new();
    for _ in 0..sessions {
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
            .send_events(&session.id, vec![SendEvent::user_text("call ok {}")])
            .await
            .unwrap();
        driver_requests += 2;
        ids.push(session.id);
    }
    let mut latencies = Vec::new();
    for id in &ids {
        loop {
            let events = client.list_events(id).await.unwrap();
            driver_requests += 1;
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
    let requests = (journal.total() - before - driver_requests) as f64;
    // Two minutes at rest: the first includes whatever a host does once after a turn
    // (host run --all reads each changed session at its next sweep), the second is steady.
    let mut resting = Vec::new();
    for _ in 0..2 {
        let from = journal.total();
        tokio::time::sleep(Duration::from_secs(60)).await;
        resting.push(journal.total() - from);
    }
    if run_all {
        println!("{sessions} sessions, one call each, one `outrig host run --all` (default polls)");
    } else {
        println!("{sessions} sessions, one call each, {replicas} replicas of `outrig host serve` (one SQLite claims store)");
    }
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
    println!(
        "API requests per minute once every session rests: {} in the first minute, {} in the second",
        resting[0], resting[1]
    );
    for (i, child) in children.iter().enumerate() {
        println!("host process {i} RSS: {:.0} MiB", rss_mib(child.id()));
    }
    for child in &mut children {
        child.kill().ok();
        child.wait().ok();
    }
}
