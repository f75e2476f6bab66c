//! SSE decode + typed parse over 100k realistic events (a tool-calling session's mix).
//! `cargo bench -p outrig-api --bench sse_decode`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use outrig_api::stream::encode_event;
use outrig_api::{Event, EventDecoder};
use std::hint::black_box;

/// A realistic turn, repeated with fresh ids: message, running, spans, thinking, a custom
/// tool call, idle/requires_action, result echo, final message, usage, end_turn.
fn body(events: usize) -> (Vec<u8>, usize) {
    let templates = [
        r#"{"type":"user.message","id":"sevt_{n}a","processed_at":"2026-05-14T09:30:00Z","content":[{"type":"text","text":"Reconcile invoices.csv against ledger.csv and report mismatches."}]}"#,
        r#"{"type":"session.status_running","id":"sevt_{n}b","processed_at":"2026-05-14T09:30:01Z"}"#,
        r#"{"type":"span.model_request_start","id":"sevt_{n}c","processed_at":"2026-05-14T09:30:01Z"}"#,
        r#"{"type":"agent.thinking","id":"sevt_{n}d","processed_at":"2026-05-14T09:30:02Z"}"#,
        r#"{"type":"agent.message","id":"sevt_{n}e","processed_at":"2026-05-14T09:30:03Z","content":[{"type":"text","text":"I'll compare both files now; this may take a moment while I read every row."}]}"#,
        r#"{"type":"agent.custom_tool_use","id":"sevt_{n}f","name":"reconcile","input":{"invoices":"invoices.csv","ledger":"ledger.csv","tolerance":0.01},"processed_at":"2026-05-14T09:30:04Z"}"#,
        r#"{"type":"span.model_request_end","id":"sevt_{n}g","processed_at":"2026-05-14T09:30:04Z","model_request_start_id":"sevt_{n}c","is_error":false,"model_usage":{"input_tokens":1834,"output_tokens":211,"cache_creation_input_tokens":0,"cache_read_input_tokens":1500}}"#,
        r#"{"type":"session.status_idle","id":"sevt_{n}h","processed_at":"2026-05-14T09:30:04Z","stop_reason":{"type":"requires_action","event_ids":["sevt_{n}f"]},"stop_details":null}"#,
        r#"{"type":"user.custom_tool_result","id":"sevt_{n}i","processed_at":"2026-05-14T09:30:05Z","custom_tool_use_id":"sevt_{n}f","content":[{"type":"text","text":"{\"matched\":118,\"mismatched\":[{\"invoice\":\"INV-0042\",\"expected\":\"120.00\",\"ledger\":\"102.00\"}]}"}],"is_error":false}"#,
        r#"{"type":"session.usage","id":"sevt_{n}j","processed_at":"2026-05-14T09:30:06Z","usage":{"input_tokens":3900,"output_tokens":420,"active_seconds":5.2}}"#,
    ];
    let mut out = Vec::new();
    for i in 0..events {
        let json =
            templates[i % templates.len()].replace("{n}", &(i / templates.len()).to_string());
        let event = Event::from_json(&json).unwrap();
        out.extend_from_slice(encode_event(&event).as_bytes());
        if i % 50 == 0 {
            out.extend_from_slice(b"event: ping\ndata: {}\n\n");
        }
    }
    (out, events)
}

fn decode(bytes: &[u8], chunk: usize) -> usize {
    let mut decoder = EventDecoder::default();
    let mut count = 0;
    for piece in bytes.chunks(chunk) {
        for event in decoder.push(piece) {
            black_box(event.unwrap());
            count += 1;
        }
    }
    count
}

fn bench(c: &mut Criterion) {
    let (bytes, events) = body(100_000);
    assert_eq!(decode(&bytes, 16 * 1024), events);
    let mut group = c.benchmark_group("sse_decode_typed_100k");
    group.sample_size(10);
    group.throughput(Throughput::Elements(events as u64));
    group.bench_with_input(
        BenchmarkId::new("events", "16KiB-chunks"),
        &bytes,
        |b, bytes| b.iter(|| decode(bytes, 16 * 1024)),
    );
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_with_input(
        BenchmarkId::new("bytes", "16KiB-chunks"),
        &bytes,
        |b, bytes| b.iter(|| decode(bytes, 16 * 1024)),
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
