//! `outrig demo` end to end, as the README runs it: every tool call answered, `end_turn`.

use std::process::Command;

#[test]
fn the_offline_demo_answers_every_tool_call_and_ends_the_turn() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let output = Command::new(env!("CARGO_BIN_EXE_outrig"))
        .args(["demo", "--plugins", &format!("{root}/artifacts/plugins")])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    for expected in [
        "Rust        reconcile_invoices, invoice_status, echo",
        "JavaScript  convert_units, convert_currency",
        "Python      describe_numbers, describe_series",
        "tool result INV-1004 was paid on 2026-11-30.",
        "tool call reconcile_invoices",
        "tool result 1250 lb = 566.990463 kg",
        "tool result 4 of 6 invoices match; 1 differ; 1 missing in the ledger; 1 ledger rows without invoice.",
        "tool result 6 numbers, mean 416.931667, median 187.75",
        "status idle (end_turn)",
        "tool calls       4",
        "stop reason      end_turn",
    ] {
        assert!(stdout.contains(expected), "missing `{expected}` in:\n{stdout}");
    }
    assert_eq!(
        stdout.matches(" ok\n").count(),
        4,
        "four calls answered without error:\n{stdout}"
    );
}
