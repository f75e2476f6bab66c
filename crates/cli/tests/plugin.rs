//! `outrig plugin inspect`, `check` and `call`. Inspect: a plugin's WIT version, tools, imports and what it would need
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

fn outrig(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_outrig"))
        .args(args)
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn artifact(name: &str) -> String {
    format!(
        "{}/../../artifacts/plugins/{name}.wasm",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn check_exits_nonzero_for_a_plugin_the_host_would_refuse() {
    let (ok, stdout, _) = outrig(&["plugin", "check", &artifact("invoices")]);
    assert!(ok, "{stdout}");
    let (ok, stdout, stderr) = outrig(&["plugin", "check", &artifact("liar-many-tools")]);
    assert!(!ok);
    assert!(stdout.contains("REFUSED"), "{stdout}");
    assert!(
        stderr.contains("over the limit of 128 (`limits.max_tools`)"),
        "{stderr}"
    );
}

#[test]
fn call_runs_one_call_through_the_host_with_the_grants_of_a_grants_file() {
    let (ok, stdout, stderr) = outrig(&[
        "plugin",
        "call",
        &artifact("invoices"),
        "echo",
        r#"{"a":1}"#,
    ]);
    assert!(ok, "{stderr}");
    assert_eq!(stdout.trim(), r#"{"a":1}"#);
    assert!(stderr.contains("ok in "), "{stderr}");

    let (ok, stdout, _) = outrig(&[
        "plugin",
        "call",
        &artifact("invoices"),
        "reconcile_invoices",
        r#"{"invoices":"a.csv"}"#,
    ]);
    assert!(!ok, "bad input is an error exit");
    assert!(
        stdout.contains(r#"invalid input: /: "ledger" is a required property"#),
        "{stdout}"
    );

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("invoices.csv"), "id,amount\nINV-1,10.00\n").unwrap();
    std::fs::write(dir.path().join("ledger.csv"), "id,amount\nINV-1,10.00\n").unwrap();
    let grants = dir.path().join("outrig-host.toml");
    std::fs::write(
        &grants,
        format!(
            "[[plugin]]\npath = \"{}\"\n[plugin.grants]\ndirs = [{{ host = \"{}\", guest = \"/data\" }}]\n",
            artifact("invoices"),
            dir.path().display()
        ),
    )
    .unwrap();
    let input = r#"{"invoices":"invoices.csv","ledger":"ledger.csv"}"#;
    let (ok, stdout, _) = outrig(&[
        "plugin",
        "call",
        &artifact("invoices"),
        "reconcile_invoices",
        input,
    ]);
    assert!(
        !ok && stdout.contains("cannot read /data/invoices.csv"),
        "nothing granted: {stdout}"
    );
    let grants = grants.display().to_string();
    let (ok, stdout, stderr) = outrig(&[
        "plugin",
        "call",
        &artifact("invoices"),
        "reconcile_invoices",
        input,
        "--grants",
        &grants,
    ]);
    assert!(ok, "{stderr}");
    assert!(stdout.starts_with("1 of 1 invoices match"), "{stdout}");
    assert!(
        stderr.contains("[info] reconciled 1 invoices"),
        "logs shown: {stderr}"
    );
}
