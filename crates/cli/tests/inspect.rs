//! `outrig plugin inspect`: a plugin's WIT version, tools, imports and what it would need
//! granted, for a 0.2.0 plugin with HTTP and a frozen 0.1.0 one; a plugin whose
//! `describe()` never returns is reported as refused within the load deadline.

use std::process::Command;

fn inspect(plugin: &str) -> String {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let output = Command::new(env!("CARGO_BIN_EXE_outrig"))
        .args([
            "plugin",
            "inspect",
            &format!("{root}/artifacts/plugins/{plugin}.wasm"),
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn inspect_shows_the_version_the_imports_and_what_to_grant() {
    let invoices = inspect("invoices");
    for expected in [
        "outrig:tool@0.2.0",
        "invoice_status  [read-only, idempotent]",
        "wasi:http/outgoing-handler@0.2.9",
        "http: only `grants.network` entries",
        "files: only directories listed in `grants.dirs`",
    ] {
        assert!(invoices.contains(expected), "`{expected}` in:\n{invoices}");
    }
    let hostile = inspect("hostile");
    assert!(hostile.contains("outrig:tool@0.1.0"), "{hostile}");
    assert!(!hostile.contains("http: only"), "{hostile}");
    let slow = inspect("liar-slow-describe");
    assert!(
        slow.contains("REFUSED: ")
            && slow.contains("describe() did not return within the 5000 ms load limit"),
        "{slow}"
    );
}
