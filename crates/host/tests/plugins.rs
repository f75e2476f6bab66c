//! Plugins in Rust, JavaScript and Python answer correctly; hostile plugins become
//! `is_error` results within their limits while the host keeps serving; lying plugins,
//! collisions and pin mismatches are refused at load time.

mod common;

use common::{books, config, invoices_with};
use outrig_api::content::joined_text;
use outrig_host::grants::{HostConfig, Limits};
use outrig_host::ToolHost;
use serde_json::{json, Value};
use std::sync::Arc;

fn host(plugins: Vec<outrig_host::grants::PluginConfig>) -> anyhow::Result<ToolHost> {
    ToolHost::load(&HostConfig {
        plugins,
        ..Default::default()
    })
}

#[test]
fn plugins_in_three_languages_answer_correctly() {
    let dir = books();
    let host = host(vec![invoices_with(&dir), config("units"), config("stats")]).unwrap();
    let names: Vec<&str> = host.tools().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "reconcile_invoices",
            "echo",
            "convert_units",
            "describe_numbers"
        ]
    );

    let rust = host.call(
        "reconcile_invoices",
        &json!({"invoices": "invoices.csv", "ledger": "ledger.csv"}),
    );
    assert!(!rust.is_error, "{:?}", rust.content);
    assert_eq!(
        rust.content[0].as_text().unwrap(),
        "2 of 4 invoices match; 1 differ; 1 missing in the ledger; 1 ledger rows without invoice."
    );
    let report: Value = serde_json::from_str(rust.content[1].as_text().unwrap()).unwrap();
    assert_eq!(
        report["mismatched"],
        json!([{"id": "INV-2", "invoice": "75.50", "ledger": "57.50"}])
    );
    assert_eq!(report["missing_in_ledger"], json!(["INV-4"]));
    assert!(
        rust.logs
            .iter()
            .any(|l| l.contains("reconciled 4 invoices")),
        "{:?}",
        rust.logs
    );

    let js = host.call(
        "convert_units",
        &json!({"value": 100, "from": "F", "to": "C"}),
    );
    assert!(!js.is_error, "{:?}", js.content);
    assert_eq!(js.content[0].as_text().unwrap(), "100 F = 37.777778 C");

    let py = host.call(
        "describe_numbers",
        &json!({"values": [3, 1, 4, 1, 5, 9, 2, 6]}),
    );
    assert!(!py.is_error, "{:?}", py.content);
    let stats: Value = serde_json::from_str(py.content[1].as_text().unwrap()).unwrap();
    assert_eq!(
        (
            stats["count"].as_i64(),
            stats["median"].as_f64(),
            stats["max"].as_i64()
        ),
        (Some(8), Some(3.5), Some(9))
    );
}

#[test]
fn bad_input_goes_back_to_the_model_as_an_error() {
    let dir = books();
    let host = host(vec![invoices_with(&dir), config("units"), config("stats")]).unwrap();
    for (tool, input, expected) in [
        (
            "reconcile_invoices",
            json!({"invoices": "../etc/passwd", "ledger": "ledger.csv"}),
            "invalid input: `invoices` must be a plain file name",
        ),
        (
            "reconcile_invoices",
            json!({"invoices": "nope.csv", "ledger": "ledger.csv"}),
            "tool failed: cannot read /data/nope.csv",
        ),
        (
            "convert_units",
            json!({"value": 1, "from": "kg", "to": "m"}),
            "invalid input: cannot convert `kg` to `m`",
        ),
        (
            "describe_numbers",
            json!({"values": []}),
            "invalid input: `values` must be a non-empty list of numbers",
        ),
        ("no_such_tool", json!({}), "no tool named `no_such_tool`"),
    ] {
        let outcome = host.call(tool, &input);
        assert!(outcome.is_error, "{tool}");
        let text = joined_text(&outcome.content);
        assert!(text.starts_with(expected), "{tool}: {text}");
    }
}

#[test]
fn the_rust_plugin_reads_nothing_without_a_grant() {
    let host = host(vec![config("invoices")]).unwrap();
    let outcome = host.call(
        "reconcile_invoices",
        &json!({"invoices": "invoices.csv", "ledger": "ledger.csv"}),
    );
    assert!(outcome.is_error);
    assert!(
        joined_text(&outcome.content).starts_with("tool failed: cannot read /data/invoices.csv")
    );
}

#[test]
fn hostile_plugins_become_errors_within_their_limits_while_the_host_keeps_serving() {
    std::env::set_var("SECRET_TOKEN", "hunter2");
    // Only the runaway loop meets the short deadline (it is the one limit it can hit); the
    // others get a deadline no machine is slow enough to reach, so which limit fires never
    // depends on the machine's speed.
    let mut hostile = config("hostile");
    hostile.limits = Limits {
        timeout_ms: 600_000,
        memory_mib: 160,
        output_bytes: 1 << 20,
        log_bytes: 16 << 10,
    };
    let mut runaway = config("hostile");
    runaway.prefix = Some("short_".into());
    runaway.limits = Limits {
        timeout_ms: 500,
        ..hostile.limits
    };
    let host = Arc::new(host(vec![hostile, runaway]).unwrap());
    // A well-behaved call keeps being answered while the hostile ones run.
    let steady = {
        let host = host.clone();
        std::thread::spawn(move || {
            (0..50)
                .map(|_| host.call("ok", &json!({})))
                .filter(|o| !o.is_error)
                .count()
        })
    };
    let cases = [
        ("short_spin", "stopped after its 500 ms time limit"),
        ("allocate", "exceeded its 160 MiB memory limit"),
        ("recurse", "the tool crashed"),
        ("flood", "over the 1048576-byte output limit"),
        ("panic", "the hostile plugin panicked on purpose"),
        ("read_passwd", "tool failed: cannot read /etc/passwd"),
        ("connect", "tool failed: cannot connect"),
        ("read_env", "tool failed: no SECRET_TOKEN"),
    ];
    let workers: Vec<_> = cases
        .iter()
        .map(|&(tool, _)| {
            let host = host.clone();
            std::thread::spawn(move || host.call(tool, &json!({})))
        })
        .collect();
    for ((tool, expected), worker) in cases.iter().zip(workers) {
        let outcome = worker.join().unwrap();
        let text = joined_text(&outcome.content);
        assert!(outcome.is_error, "{tool} must fail: {text:.200}");
        assert!(
            text.contains(expected),
            "{tool}: `{text:.300}` should contain `{expected}`"
        );
        assert!(!text.contains("hunter2"));
        if *tool == "short_spin" {
            assert!(
                outcome.elapsed >= std::time::Duration::from_millis(500),
                "never stopped before its limit"
            );
        }
        eprintln!("{tool}: {text:.160} ({} ms)", outcome.elapsed.as_millis());
    }
    assert_eq!(
        steady.join().unwrap(),
        50,
        "every well-behaved call was answered"
    );
    let logged = host.call("log_flood", &json!({}));
    assert!(!logged.is_error);
    assert_eq!(
        logged.logs.len(),
        16 + 1,
        "16 KiB of 1 KiB lines, then the notice of what was dropped"
    );
    assert!(logged
        .logs
        .last()
        .unwrap()
        .contains("dropped over the 16384-byte limit"));
}

#[test]
fn no_call_sees_what_an_earlier_call_left_in_memory() {
    // Pooled slots are reused and reset in place (only dirty pages): each call must still
    // start from the plugin's pristine memory, statics and heap alike.
    // The first call sees a fresh instance (the allocator's own bookkeeping may show as a
    // few nonzero bytes); every later call must see exactly the same.
    let host = host(vec![config("hostile")]).unwrap();
    let remember = |round: usize| {
        let outcome = host.call("remember", &json!({ "secret": format!("s3cret-{round}") }));
        assert!(!outcome.is_error);
        joined_text(&outcome.content)
    };
    let first = remember(0);
    assert!(first.starts_with("previous: ``"), "{first}");
    for round in 1..4 {
        assert_eq!(remember(round), first, "round {round}");
    }
}

#[test]
fn setting_the_cancel_flag_makes_cancelled_true_inside_the_plugin() {
    let mut hostile = config("hostile");
    hostile.limits.timeout_ms = 120_000;
    let host = Arc::new(host(vec![hostile]).unwrap());
    let flag = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let call = {
        let (host, flag) = (host.clone(), flag.clone());
        std::thread::spawn(move || host.call_cancellable("wait_cancel", &json!({}), flag))
    };
    std::thread::sleep(std::time::Duration::from_millis(50));
    flag.store(true, std::sync::atomic::Ordering::Relaxed);
    let outcome = call.join().unwrap();
    let text = joined_text(&outcome.content);
    assert!(outcome.is_error);
    assert!(text.contains("stopped: the call was cancelled"), "{text}");
}

#[test]
fn lying_plugins_collisions_and_pin_mismatches_are_refused_at_load() {
    let refused = |plugins| match host(plugins) {
        Ok(_) => panic!("must be refused"),
        Err(error) => format!("{error:#}"),
    };
    assert!(refused(vec![config("liar-bad-name")])
        .contains("\"drop tables; --\"; names must be 1-64 characters"));
    assert!(refused(vec![config("liar-duplicate")]).contains("returned the tool name `twin` twice"));
    assert!(refused(vec![config("liar-array-schema")]).contains("not an object schema"));
    assert!(refused(vec![config("invoices"), config("invoices")]).contains("collides"));
    let mut pinned = config("units");
    pinned.sha256 = Some("00".repeat(32));
    assert!(refused(vec![pinned]).contains("pins 0000"));
    let mut prefixed = config("invoices");
    prefixed.prefix = Some("books_".into());
    let host = host(vec![config("invoices"), prefixed]).unwrap();
    assert!(host.serves("books_echo") && host.serves("echo"));
    assert_eq!(
        joined_text(&host.call("books_echo", &json!({"a": 1})).content),
        r#"{"a":1}"#
    );
}

#[test]
fn the_grants_file_resolves_paths_and_rejects_unknown_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outrig-host.toml");
    std::fs::write(&path, "max_parallel = 4\n[[plugin]]\npath = \"p.wasm\"\n[plugin.grants]\ndirs = [{ host = \"data\", guest = \"/data\" }]\nnetwork = [\"https://example.com\"]\n[plugin.limits]\ntimeout_ms = 100\n").unwrap();
    let config = HostConfig::read(&path).unwrap();
    assert_eq!(config.plugins[0].path, dir.path().join("p.wasm"));
    assert_eq!(
        config.plugins[0].grants.dirs[0].host,
        dir.path().join("data")
    );
    assert_eq!(config.plugins[0].limits.timeout_ms, 100);
    assert_eq!(
        config.plugins[0].limits.memory_mib, 256,
        "unset limits keep their defaults"
    );
    std::fs::write(
        &path,
        "[[plugin]]\npath = \"p.wasm\"\n[plugin.grants]\neverything = true\n",
    )
    .unwrap();
    assert!(HostConfig::read(&path)
        .unwrap_err()
        .to_string()
        .contains("unknown field `everything`"));
}

#[test]
fn private_addresses_are_blocked_unless_granted() {
    use outrig_host::grants::{Grants, NetworkPolicy};
    let grants = Grants {
        network: vec!["http://127.0.0.1:8080".into()],
        ..Default::default()
    };
    let policy = NetworkPolicy::resolve(&grants).unwrap();
    assert!(
        !policy.permits("127.0.0.1:8080".parse().unwrap()),
        "loopback needs allow_private"
    );
    let policy = NetworkPolicy::resolve(&Grants {
        allow_private: true,
        ..grants
    })
    .unwrap();
    assert!(policy.permits("127.0.0.1:8080".parse().unwrap()));
    assert!(
        !policy.permits("127.0.0.1:8081".parse().unwrap()),
        "other ports stay closed"
    );
}
