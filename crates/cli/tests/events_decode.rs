//! `outrig events decode` as a user runs it: stdin in, canonical JSON lines out.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn decode(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_outrig"))
        .args(["events", "decode"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn json_lines_come_out_canonical_and_unchanged() {
    let input = fixture("events.jsonl");
    let output = decode(&[], &input);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let expected: Vec<serde_json::Value> = text(&input)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let got: Vec<serde_json::Value> = text(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn a_json_array_is_accepted() {
    let input = fixture("unknown.jsonl");
    let array = format!(
        "[{}]",
        text(&input).trim().lines().collect::<Vec<_>>().join(",\n")
    );
    let output = decode(&[], array.as_bytes());
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout).lines().count(), 4);
}

#[test]
fn an_sse_transcript_yields_its_events_and_skips_pings() {
    let output = decode(&["--sse"], &fixture("sample-session.sse"));
    assert!(output.status.success(), "{}", text(&output.stderr));
    let types: Vec<String> = text(&output.stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(types.len(), 9);
    assert_eq!(types[7], "agent.message");
    assert_eq!(
        types[6], "agent.future_event",
        "unknown events pass through"
    );
}

#[test]
fn a_bad_json_line_names_the_line_and_keeps_earlier_events() {
    let input = b"{\"type\":\"agent.thinking\",\"id\":\"a\",\"processed_at\":\"t\"}\n\n{\"type\": oops}\n{\"type\":\"agent.thinking\",\"id\":\"b\",\"processed_at\":\"t\"}\n";
    let output = decode(&[], input);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout).lines().count(), 1);
    let stderr = text(&output.stderr);
    assert!(stderr.contains("line 3 (byte 55)"), "{stderr}");
}

#[test]
fn a_bad_array_element_names_its_position_and_keeps_earlier_events() {
    let input = b"[{\"type\":\"agent.thinking\",\"id\":\"a\",\"processed_at\":\"t\"},\n {\"type\":\"agent.message\",\"id\":\"b\"}]";
    let output = decode(&[], input);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout).lines().count(), 1);
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("element 2") && stderr.contains("line 2"),
        "{stderr}"
    );
}

#[test]
fn a_broken_sse_message_names_its_byte_offset() {
    let mut input = fixture("sample-session.sse");
    input.extend_from_slice(b"event: agent.message\ndata: {broken\n\n");
    let output = decode(&["--sse"], &input);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout).lines().count(), 9);
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(&format!("at byte {}", input.len() - 36)),
        "{stderr}"
    );
}
