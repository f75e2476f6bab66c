//! Plugins in Rust, JavaScript and Python answer correctly; input that does not match a
//! tool's schema never reaches the plugin; hostile plugins become `is_error` results within
//! their limits while the host keeps serving; lying plugins, collisions and pin mismatches
//! are refused at load time.

mod common;

use common::{books, config, invoices_with};
use outrig_api::content::joined_text;
use outrig_host::grants::Limits;
use outrig_host::HostConfig;
use outrig_host::ToolHost;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

async fn host(plugins: Vec<outrig_host::grants::PluginConfig>) -> anyhow::Result<ToolHost> {
    HostConfig {
        plugins,
        ..Default::default()
    }
    .load_tools()
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plugins_in_three_languages_answer_correctly() {
    let dir = books();
    let host = host(vec![invoices_with(&dir), config("units"), config("stats")])
        .await
        .unwrap();
    let names: Vec<&str> = host.tools().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "reconcile_invoices",
            "invoice_status",
            "echo",
            "convert_units",
            "convert_currency",
            "describe_numbers",
            "describe_series"
        ]
    );
    let versions: Vec<&str> = host.plugins().iter().map(|p| p.wit_version()).collect();
    assert_eq!(versions, ["0.2.0", "0.2.0", "0.2.0"]);

    let rust = host
        .call(
            "reconcile_invoices",
            &json!({"invoices": "invoices.csv", "ledger": "ledger.csv"}),
        )
        .await;
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

    let js = host
        .call(
            "convert_units",
            &json!({"value": 100, "from": "F", "to": "C"}),
        )
        .await;
    assert!(!js.is_error, "{:?}", js.content);
    assert_eq!(js.content[0].as_text().unwrap(), "100 F = 37.777778 C");

    let py = host
        .call(
            "describe_numbers",
            &json!({"values": [3, 1, 4, 1, 5, 9, 2, 6]}),
        )
        .await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_goes_back_to_the_model_as_an_error() {
    let dir = books();
    let host = host(vec![invoices_with(&dir), config("units"), config("stats")])
        .await
        .unwrap();
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
        // Caught by the schema check, before any plugin runs:
        (
            "describe_numbers",
            json!({"values": []}),
            "invalid input: /values: [] has less than 1 item",
        ),
        (
            "reconcile_invoices",
            json!({"invoices": "a.csv"}),
            "invalid input: /: \"ledger\" is a required property",
        ),
        (
            "convert_units",
            json!({"value": "ten", "from": "kg", "to": "g"}),
            "invalid input: /value: \"ten\" is not of type \"number\"",
        ),
        (
            "invoice_status",
            json!({"id": "../../admin"}),
            "invalid input: /id: \"../../admin\" does not match",
        ),
        ("no_such_tool", json!({}), "no tool named `no_such_tool`"),
    ] {
        let outcome = host.call(tool, &input).await;
        assert!(outcome.is_error, "{tool}");
        let text = joined_text(&outcome.content);
        assert!(text.starts_with(expected), "{tool}: {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rust_plugin_reads_nothing_without_a_grant() {
    let host = host(vec![config("invoices")]).await.unwrap();
    let outcome = host
        .call(
            "reconcile_invoices",
            &json!({"invoices": "invoices.csv", "ledger": "ledger.csv"}),
        )
        .await;
    assert!(outcome.is_error);
    assert!(
        joined_text(&outcome.content).starts_with("tool failed: cannot read /data/invoices.csv")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_plugins_become_errors_within_their_limits_while_the_host_keeps_serving() {
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
        ..Limits::default()
    };
    // Only calls that can never end by themselves meet the short deadline.
    let mut runaway = config("hostile");
    runaway.prefix = Some("short_".into());
    runaway.limits = Limits {
        timeout_ms: 500,
        ..hostile.limits
    };
    let host = Arc::new(host(vec![hostile, runaway]).await.unwrap());
    // A well-behaved call keeps being answered while the hostile ones run.
    let steady = {
        let host = host.clone();
        tokio::spawn(async move {
            let mut answered = 0;
            for _ in 0..50 {
                answered += usize::from(!host.call("ok", &json!({})).await.is_error);
            }
            answered
        })
    };
    let cases = [
        ("short_spin", "stopped after its 500 ms time limit"),
        ("short_sleep", "stopped after its 500 ms time limit"),
        (
            "short_log_empty_flood",
            "stopped after its 500 ms time limit",
        ),
        (
            "confetti",
            "1000000 content blocks, over the 100-block output limit",
        ),
        ("read_stdin", "tool failed: stdin ended after 0 bytes"),
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
            tokio::spawn(async move { host.call(tool, &json!({})).await })
        })
        .collect();
    for ((tool, expected), worker) in cases.iter().zip(workers) {
        let outcome = worker.await.unwrap();
        let text = joined_text(&outcome.content);
        assert!(outcome.is_error, "{tool} must fail: {text:.200}");
        assert!(
            text.contains(expected),
            "{tool}: `{text:.300}` should contain `{expected}`"
        );
        assert!(!text.contains("hunter2"));
        if tool.starts_with("short_") {
            assert!(
                outcome.elapsed >= Duration::from_millis(500),
                "never stopped before its limit"
            );
        }
        eprintln!("{tool}: {text:.160} ({} ms)", outcome.elapsed.as_millis());
    }
    assert_eq!(
        steady.await.unwrap(),
        50,
        "every well-behaved call was answered"
    );
    let logged = host.call("log_flood", &json!({})).await;
    assert!(!logged.is_error);
    assert_eq!(
        logged.logs.len(),
        16 + 1,
        "16 KiB of 1 KiB lines, then the notice of what was dropped"
    );
    assert!(logged.logs.last().unwrap().contains(
        "10224 log lines (10469376 bytes) dropped over the limits of 1000 lines and 16384 bytes"
    ));
    let empty = host.call("short_log_empty_flood", &json!({})).await;
    assert_eq!(
        empty.logs.len(),
        1000 + 1,
        "the line cap holds for empty lines"
    );
    assert!(empty
        .logs
        .last()
        .unwrap()
        .contains("log lines (0 bytes) dropped"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_call_sees_what_an_earlier_call_left_in_memory() {
    // Pooled slots are reused and reset in place (only dirty pages): each call must still
    // start from the plugin's pristine memory, statics and heap alike.
    // The first call sees a fresh instance (the allocator's own bookkeeping may show as a
    // few nonzero bytes); every later call must see exactly the same.
    let host = host(vec![config("hostile")]).await.unwrap();
    let mut seen = Vec::new();
    for round in 0..4 {
        let outcome = host
            .call("remember", &json!({ "secret": format!("s3cret-{round}") }))
            .await;
        assert!(!outcome.is_error);
        seen.push(joined_text(&outcome.content));
    }
    assert!(seen[0].starts_with("previous: ``"), "{}", seen[0]);
    for (round, text) in seen.iter().enumerate() {
        assert_eq!(text, &seen[0], "round {round}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_makes_cancelled_true_inside_the_plugin() {
    let mut hostile = config("hostile");
    hostile.limits.timeout_ms = 120_000;
    let host = Arc::new(host(vec![hostile]).await.unwrap());
    let cancel = CancellationToken::new();
    let call = {
        let (host, cancel) = (host.clone(), cancel.clone());
        tokio::spawn(async move {
            host.call_cancellable("wait_cancel", &json!({}), cancel)
                .await
        })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    cancel.cancel();
    let outcome = call.await.unwrap();
    let text = joined_text(&outcome.content);
    assert!(outcome.is_error);
    assert!(text.contains("stopped: the call was cancelled"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_call_that_ignores_it_is_stopped_after_the_grace_period() {
    let mut hostile = config("hostile");
    hostile.limits.timeout_ms = 600_000;
    hostile.limits.cancel_grace_ms = 200;
    let host = Arc::new(host(vec![hostile]).await.unwrap());
    for tool in ["spin", "sleep"] {
        let cancel = CancellationToken::new();
        let call = {
            let (host, cancel) = (host.clone(), cancel.clone());
            tokio::spawn(async move { host.call_cancellable(tool, &json!({}), cancel).await })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        cancel.cancel();
        let outcome = tokio::time::timeout(Duration::from_secs(120), call)
            .await
            .expect("an interrupted call is stopped")
            .unwrap();
        let text = joined_text(&outcome.content);
        assert!(outcome.is_error);
        assert_eq!(
            text, "the call was interrupted and stopped 200 ms after `cancelled()` became true",
            "{tool}"
        );
        assert!(
            outcome.elapsed >= Duration::from_millis(250),
            "{tool}: grace honoured"
        );
    }
}

async fn refused(plugins: Vec<outrig_host::grants::PluginConfig>) -> String {
    match host(plugins).await {
        Ok(_) => panic!("must be refused"),
        Err(error) => format!("{error:#}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lying_plugins_collisions_and_pin_mismatches_are_refused_at_load() {
    assert!(refused(vec![config("liar-bad-name")])
        .await
        .contains("\"drop tables; --\"; names must be 1-64 characters"));
    assert!(refused(vec![config("liar-duplicate")])
        .await
        .contains("returned the tool name `twin` twice"));
    assert!(refused(vec![config("liar-array-schema")])
        .await
        .contains("not an object schema"));
    assert!(refused(vec![config("liar-many-tools")])
        .await
        .contains("returned 200000 tools, over the limit of 128 (`limits.max_tools`)"));
    assert!(refused(vec![config("liar-bad-schema")])
        .await
        .contains("returned an input schema for `typo` that is not a valid JSON Schema"));
    assert!(refused(vec![config("invoices"), config("invoices")])
        .await
        .contains("collides"));
    let mut pinned = config("units");
    pinned.sha256 = Some("00".repeat(32));
    assert!(refused(vec![pinned]).await.contains("pinned to 0000"));
    // The pin is checked before anything is compiled: bytes that are not even a
    // component are refused for their hash, not handed to the compiler.
    let junk = std::env::temp_dir().join(format!("outrig-pin-{}.wasm", std::process::id()));
    std::fs::write(&junk, b"\0asm junk").unwrap();
    let mut pinned_junk = config("units");
    pinned_junk.path = junk.clone();
    pinned_junk.sha256 = Some("00".repeat(32));
    let text = refused(vec![pinned_junk]).await;
    std::fs::remove_file(&junk).unwrap();
    assert!(
        text.contains("SHA-256 is") && !text.contains("not a valid component"),
        "{text}"
    );
    let mut prefixed = config("invoices");
    prefixed.prefix = Some("books_".into());
    let host = host(vec![config("invoices"), prefixed]).await.unwrap();
    assert!(host.serves("books_echo") && host.serves("echo"));
    assert_eq!(
        joined_text(&host.call("books_echo", &json!({"a": 1})).await.content),
        r#"{"a":1}"#
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_describe_that_sleeps_or_spins_is_refused_within_the_load_deadline() {
    for liar in ["liar-slow-describe", "liar-spin-describe"] {
        let mut slow = config(liar);
        slow.limits.load_timeout_ms = 300;
        let started = std::time::Instant::now();
        let refusal = tokio::time::timeout(Duration::from_secs(120), refused(vec![slow]))
            .await
            .expect("loading is bounded");
        assert!(
            refusal.contains(
                "describe() did not return within the 300 ms load limit (`limits.load_timeout_ms`)"
            ),
            "{liar}: {refusal}"
        );
        eprintln!("{liar}: refused after {} ms", started.elapsed().as_millis());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plugin_built_against_the_frozen_0_1_0_wit_loads_and_runs() {
    let host = host(vec![config("hostile")]).await.unwrap();
    assert_eq!(host.plugins()[0].wit_version(), "0.1.0");
    assert!(host.plugins()[0].origins.is_empty());
    let outcome = host.call("ok", &json!({})).await;
    assert_eq!(joined_text(&outcome.content), "fine");
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

#[tokio::test]
async fn private_addresses_are_blocked_unless_granted() {
    use outrig_host::grants::{Grants, NetworkPolicy};
    let grants = Grants {
        network: vec![
            "http://127.0.0.1:8080".into(),
            "http://localhost:9090".into(),
        ],
        ..Default::default()
    };
    let policy = NetworkPolicy::from_grants(&grants).unwrap();
    assert!(
        !policy.permits("127.0.0.1:8080".parse().unwrap()).await,
        "loopback needs allow_private"
    );
    let policy = NetworkPolicy::from_grants(&Grants {
        allow_private: true,
        ..grants
    })
    .unwrap();
    assert!(policy.permits("127.0.0.1:8080".parse().unwrap()).await);
    assert!(
        policy.permits("127.0.0.1:9090".parse().unwrap()).await,
        "a granted name is resolved when the plugin connects"
    );
    assert!(
        !policy.permits("127.0.0.1:8081".parse().unwrap()).await,
        "other ports stay closed"
    );
    assert!(NetworkPolicy::from_grants(&Grants {
        network: vec!["invoices.example.com".into()],
        ..Default::default()
    })
    .is_err());
    assert!(
        NetworkPolicy::from_grants(&Grants {
            network: vec!["https://unresolvable.invalid".into()],
            ..Default::default()
        })
        .is_ok(),
        "names are not resolved at load"
    );
}

#[tokio::test]
async fn a_substituted_compile_cache_artifact_is_refused_and_recompiled() {
    let cache = tempfile::tempdir().unwrap();
    let load = |plugins: Vec<outrig_host::grants::PluginConfig>| {
        let cache_dir = Some(cache.path().to_path_buf());
        async move {
            HostConfig {
                cache_dir,
                plugins,
                ..Default::default()
            }
            .load_tools()
            .await
            .unwrap()
        }
    };
    let names = |host: &ToolHost| host.tools().map(|t| t.name.clone()).collect::<Vec<_>>();
    let invoices = names(&load(vec![config("invoices")]).await);
    let hostile = names(&load(vec![config("hostile")]).await);
    let artifact = |needle: &str| {
        let sha = outrig_api::digest::sha256_hex(&std::fs::read(common::plugin(needle)).unwrap());
        std::fs::read_dir(cache.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(&sha))
            .unwrap()
    };
    let (good, other) = (artifact("invoices"), artifact("hostile"));
    // Whoever can write the cache puts another plugin's native code under the pinned
    // plugin's name: it must not be loaded.
    std::fs::copy(&other, &good).unwrap();
    let host = load(vec![config("invoices")]).await;
    assert_eq!(names(&host), invoices);
    assert_ne!(names(&host), hostile);
    assert!(
        !host.plugins()[0].from_cache,
        "the substituted artifact was not used"
    );
    // The recompiled artifact replaced it and verifies again.
    assert!(load(vec![config("invoices")]).await.plugins()[0].from_cache);
    // A flipped byte in the code is refused too.
    let mut bytes = std::fs::read(&good).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    std::fs::write(&good, &bytes).unwrap();
    let host = load(vec![config("invoices")]).await;
    assert!(!host.plugins()[0].from_cache);
    assert_eq!(names(&host), invoices);
}

#[tokio::test]
async fn a_cache_directory_others_may_write_is_not_used() {
    use std::os::unix::fs::PermissionsExt;
    let cache = tempfile::tempdir().unwrap();
    std::fs::set_permissions(cache.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let config = HostConfig {
        cache_dir: Some(cache.path().to_path_buf()),
        plugins: vec![config("invoices")],
        ..Default::default()
    };
    config.load_tools().await.unwrap();
    assert_eq!(std::fs::read_dir(cache.path()).unwrap().count(), 0);
}
