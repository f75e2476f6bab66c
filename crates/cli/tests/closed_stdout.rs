//! `outrig … | head`: a reader that closes the program's standard output ends it quietly
//! and successfully, whichever way the command writes; any other failure to write is
//! still an error.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const EVENT: &str = r#"{"type":"session.status_idle","id":"sevt_1","processed_at":"2026-01-01T00:00:00Z","stop_reason":{"type":"end_turn"}}"#;

/// Runs `outrig ARGS` with `input` on stdin and `stdout` as its standard output.
fn outrig(args: &[&str], input: &str, stdout: impl Into<Stdio>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_outrig"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The program may end before reading everything: that is not this test's failure.
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    child.wait_with_output().unwrap()
}

/// A pipe whose reading end is already closed: the first write gets EPIPE.
fn closed_pipe() -> std::io::PipeWriter {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    writer
}

#[test]
fn a_closed_stdout_ends_the_program_quietly() {
    let events = format!("{EVENT}\n").repeat(2000);
    // Line by line (`outln!`), and through a writer (`events decode`).
    for (args, input) in [
        (&["call", "--list"][..], ""),
        (&["events", "decode"], &events),
    ] {
        let output = outrig(args, input, closed_pipe());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "{args:?}: {:?} {stderr}",
            output.status
        );
        assert!(stderr.is_empty(), "{args:?} wrote to stderr: {stderr}");
    }
}

#[test]
fn a_full_device_is_still_an_error() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    for (args, input) in [
        (&["call", "--list"][..], ""),
        (&["events", "decode"], EVENT),
    ] {
        let output = outrig(args, input, full.try_clone().unwrap());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write to standard output: No space left on device"),
            "{args:?}: {stderr}"
        );
    }
}
