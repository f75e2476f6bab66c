//! `wasi:http` through real sessions on the emulator, against a real HTTP server on
//! loopback: the Rust, JavaScript and Python example plugins call their APIs when granted
//! and are refused when not; a hostile plugin that fetches any URL it is given reaches only
//! the granted origin, is cut at the deadline by a server that never answers, and reads at
//! most the response limit of a 200 MB answer.

mod common;

use common::{api_server, config, rss_kib, setup, Setup};
use outrig_api::content::joined_text;
use outrig_api::events::Event;
use outrig_api::SendEvent;
use outrig_host::grants::{Grants, Limits, PluginConfig};
use outrig_host::runner::{Summary, Until};

/// The plugin `name`, allowed to reach `origin` (loopback, so `allow_private`), with `env`.
fn granted(name: &str, origin: &str, env: &[String]) -> PluginConfig {
    let mut plugin = config(name);
    plugin.grants = Grants {
        network: vec![origin.to_string()],
        allow_private: true,
        env: env.to_vec(),
        ..Grants::default()
    };
    plugin
}

/// Serves one turn of `calls` (`call NAME {json}` lines); returns the summary and the
/// agent's report of every result.
async fn run_turn(setup: &Setup, calls: &[String]) -> (Summary, String) {
    let serving = {
        let (runner, id) = (setup.runner.clone(), setup.session_id.clone());
        tokio::spawn(async move { runner.serve(&id, Until::TurnEnds, |_| {}).await })
    };
    setup
        .client
        .send_events(
            &setup.session_id,
            vec![SendEvent::user_text(calls.join("\n"))],
        )
        .await
        .unwrap();
    let summary = serving.await.unwrap().unwrap();
    let history = setup.client.list_events(&setup.session_id).await.unwrap();
    let results = history
        .iter()
        .filter(|e| matches!(e, Event::UserCustomToolResult(_)))
        .count();
    assert_eq!(results, calls.len(), "every call answered exactly once");
    let report = history
        .iter()
        .rev()
        .find_map(|e| match e {
            Event::AgentMessage(m) => Some(joined_text(&m.content)),
            _ => None,
        })
        .unwrap();
    (summary, report)
}

/// One call of each example plugin's HTTP tool.
fn api_calls() -> Vec<String> {
    [
        r#"call invoice_status {"id":"INV-4"}"#,
        r#"call convert_currency {"amount":100,"from":"EUR","to":"USD"}"#,
        r#"call describe_series {"series":"latency"}"#,
    ]
    .map(String::from)
    .to_vec()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn example_plugins_call_their_api_when_granted_and_are_refused_when_not() {
    let api = api_server().await;
    let plugins = vec![
        granted("invoices", &api, &[format!("INVOICES_API_URL={api}")]),
        granted("units", &api, &[format!("RATES_API_URL={api}")]),
        granted("stats", &api, &[format!("STATS_API_URL={api}")]),
    ];
    let setup = setup(plugins).await;
    let origins: Vec<Vec<String>> = setup
        .runner
        .host()
        .plugins()
        .iter()
        .map(|p| p.origins.clone())
        .collect();
    assert_eq!(
        origins,
        [[api.clone()], [api.clone()], [api.clone()]],
        "each plugin says which origin it calls (what `plugin inspect` shows)"
    );
    let (_, report) = run_turn(&setup, &api_calls()).await;
    for expected in [
        "invoice_status: INV-4 was paid on 2026-11-30.",
        "convert_currency: 100 EUR = 125 USD (rate 1.25)",
        "describe_series: 5 numbers, mean 18.2, median 13, from 11 to 40",
    ] {
        assert!(report.contains(expected), "`{expected}` in {report}");
    }

    // The same plugins and variables, with no network grant.
    let ungranted = |name: &str, env: String| {
        let mut plugin = config(name);
        plugin.grants.env = vec![env];
        plugin
    };
    let setup = common::setup(vec![
        ungranted("invoices", format!("INVOICES_API_URL={api}")),
        ungranted("units", format!("RATES_API_URL={api}")),
        ungranted("stats", format!("STATS_API_URL={api}")),
    ])
    .await;
    let (summary, report) = run_turn(&setup, &api_calls()).await;
    for call in &summary.calls {
        assert!(call.outcome.is_error, "{}: {report}", call.name);
        assert!(
            call.outcome.logs.iter().any(|l| l.contains(&format!(
                "[host] refused the HTTP request to {api}: it is not in the plugin's network grant"
            ))),
            "{}: {:?}",
            call.name,
            call.outcome.logs
        );
    }
    for denied in [
        "invoice_status failed: tool failed: GET",
        "convert_currency failed: tool failed: GET",
        "describe_series failed: tool failed: GET",
    ] {
        assert!(report.contains(denied), "`{denied}` in {report}");
    }
    eprintln!("{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plugin_reaches_only_its_granted_origin_within_its_limits() {
    let api = api_server().await;
    let port: u16 = api.rsplit(':').next().unwrap().parse().unwrap();
    let mut fetcher = granted("hostile-http", &api, &[]);
    fetcher.limits = Limits {
        timeout_ms: 3_000,
        http_response_bytes: 1 << 20,
        ..Limits::default()
    };
    // Granted by name, but the name resolves to loopback and allow_private is off.
    let mut private = config("hostile-http");
    private.prefix = Some("private_".into());
    private.grants.network = vec![format!("http://localhost:{port}")];
    let setup = setup(vec![fetcher, private]).await;
    let fetch = |tool: &str, url: String| format!(r#"call {tool} {{"url":"{url}"}}"#);
    let calls = [
        fetch("fetch", format!("{api}/invoices/INV-9")),
        fetch("fetch", format!("http://localhost:{port}/invoices/INV-9")),
        fetch("fetch", format!("http://127.0.0.1:{}/", port + 1)),
        fetch("fetch", "https://example.com/".into()),
        fetch(
            "private_fetch",
            format!("http://localhost:{port}/invoices/INV-9"),
        ),
        fetch("fetch", format!("{api}/redirect")),
        fetch("fetch", format!("{api}/hang")),
        fetch("fetch", format!("{api}/huge")),
    ];
    let before = rss_kib();
    let (summary, report) = run_turn(&setup, &calls).await;
    let grown = rss_kib().saturating_sub(before);
    eprintln!("{report}\nhost memory grew by {grown} KiB over the turn (200 MB answered)");
    for expected in [
        format!("fetch: HTTP 200, read 30 bytes from {api}/invoices/INV-9"),
        format!("fetch failed: tool failed: http://localhost:{port}/invoices/INV-9: refused: ErrorCode::HttpRequestDenied"),
        format!("fetch failed: tool failed: http://127.0.0.1:{}/: refused: ErrorCode::HttpRequestDenied", port + 1),
        "fetch failed: tool failed: https://example.com/: refused: ErrorCode::HttpRequestDenied".to_string(),
        format!("private_fetch failed: tool failed: http://localhost:{port}/invoices/INV-9: refused: ErrorCode::DestinationIpProhibited"),
        format!("fetch: HTTP 302, read 0 bytes from {api}/redirect"),
        "fetch failed: the tool was stopped after its 3000 ms time limit".to_string(),
        format!("fetch failed: tool failed: {api}/huge: body failed after"),
    ] {
        assert!(report.contains(&expected), "`{expected}` in {report}");
    }
    assert!(
        report.contains("HTTP response body size exceeds limit: 1048576 bytes"),
        "{report}"
    );
    assert!(
        !report.contains("backtrace"),
        "no host stack trace reaches a plugin: {report}"
    );
    assert!(
        grown < 150 << 10,
        "a 200 MB answer must not be buffered by the host: grew {grown} KiB"
    );
    let refusals: Vec<&String> = summary
        .calls
        .iter()
        .flat_map(|c| c.outcome.logs.iter())
        .filter(|l| l.starts_with("[host] refused"))
        .collect();
    assert_eq!(refusals.len(), 4, "{refusals:?}");
    assert!(refusals.iter().any(|l| l.contains(
        "resolves only to loopback, private or link-local addresses (allow_private is off)"
    )));
}
