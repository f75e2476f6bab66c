//! Emulator stream benchmarks over loopback; prints a table.
//! `ulimit -n 8192; cargo bench -p outrig-emulator --bench streams`

use futures_util::StreamExt;
use outrig_api::EventDecoder;
use std::io::Write;
use std::time::{Duration, Instant};

/// A transcript of `n` realistic events as JSON lines.
fn transcript(n: usize) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    for i in 0..n {
        let line = match i % 4 {
            0 => format!(
                r#"{{"type":"agent.message","id":"sevt_{i}","processed_at":"2026-05-14T09:30:00Z","content":[{{"type":"text","text":"Part {i} of a long answer with enough words to look like real model output."}}]}}"#
            ),
            1 => format!(
                r#"{{"type":"agent.custom_tool_use","id":"sevt_{i}","processed_at":"2026-05-14T09:30:00Z","name":"reconcile_invoices","input":{{"invoices":"invoices.csv","ledger":"ledger.csv"}}}}"#
            ),
            2 => format!(
                r#"{{"type":"user.custom_tool_result","id":"sevt_{i}","processed_at":"2026-05-14T09:30:01Z","custom_tool_use_id":"sevt_{}","content":[{{"type":"text","text":"4 of 6 invoices match"}}],"is_error":false}}"#,
                i - 1
            ),
            _ => format!(
                r#"{{"type":"span.model_request_end","id":"sevt_{i}","processed_at":"2026-05-14T09:30:02Z","model_request_start_id":"sevt_0","is_error":false,"model_usage":{{"input_tokens":1834,"output_tokens":211,"cache_creation_input_tokens":0,"cache_read_input_tokens":1500}}}}"#
            ),
        };
        writeln!(file, "{line}").unwrap();
    }
    file
}

/// Reads a replayed session's stream until `expected` events arrived; returns the time.
async fn drain(http: &reqwest::Client, url: &str, expected: usize) -> Duration {
    let started = Instant::now();
    let response = http
        .get(url)
        .header("x-api-key", "k")
        .header("anthropic-beta", "managed-agents-2026-04-01")
        .send()
        .await
        .unwrap();
    let mut body = response.bytes_stream();
    let mut decoder = EventDecoder::default();
    let mut seen = 0;
    while seen < expected {
        let chunk = body.next().await.expect("stream ended early").unwrap();
        for event in decoder.push(&chunk) {
            event.expect("a valid event");
            seen += 1;
        }
    }
    started.elapsed()
}

#[tokio::main]
async fn main() {
    println!("| measure | result |\n|---|---|");
    for (events, streams) in [(100_000usize, 1usize), (1_000, 1_000)] {
        let file = transcript(events);
        let db = tempfile::NamedTempFile::new().unwrap();
        let emulator = outrig_emulator::start(outrig_emulator::Config {
            addr: "127.0.0.1:0".parse().unwrap(),
            db: db.path().to_path_buf(),
            replay: Some(file.path().to_path_buf()),
            ..Default::default()
        })
        .await
        .unwrap();
        let url = format!(
            "{}/v1/sessions/{}/events/stream",
            emulator.base_url(),
            emulator.replay_session.clone().unwrap()
        );
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .unwrap();
        let started = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..streams {
            let (http, url) = (http.clone(), url.clone());
            tasks.push(tokio::spawn(
                async move { drain(&http, &url, events).await },
            ));
        }
        let mut times = Vec::new();
        for task in tasks {
            times.push(task.await.unwrap());
        }
        let wall = started.elapsed();
        times.sort();
        if streams == 1 {
            println!("| one stream, {events} events (SQLite → SSE → loopback → typed decode) | {:.0} events/s ({:.2} s) |", events as f64 / wall.as_secs_f64(), wall.as_secs_f64());
        } else {
            let total = events * streams;
            println!("| {streams} concurrent streams × {events} events | {:.0} events/s in all ({:.2} s wall) |", total as f64 / wall.as_secs_f64(), wall.as_secs_f64());
            println!(
                "| per-stream completion, p50 / p99 | {:.0} ms / {:.0} ms |",
                times[times.len() / 2].as_secs_f64() * 1e3,
                times[times.len() * 99 / 100].as_secs_f64() * 1e3
            );
        }
        emulator.stop().await.unwrap();
    }
}
