//! OpenTelemetry as an operator turns it on: `outrig emulator` and `outrig host run`, each
//! with `OTEL_EXPORTER_OTLP_ENDPOINT` naming an OTLP/HTTP receiver on loopback (it decodes
//! what they post with the official protobuf messages, `opentelemetry-proto`). A session's
//! custom tool call, whose plugin calls an HTTP API, becomes one trace: `tool_call` (the
//! root) with `claim`, `run` (and the plugin's `http.request` beneath it, whose
//! `traceparent` the API receives) and `send_result`, and the emulator's span for the
//! result's request beneath that. No attribute holds the API key, the exporter's header,
//! the tool's input or the URL path the plugin was given.

mod common;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::Router;
use common::{eventually, results, start_emulator, Process};
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{any_value, KeyValue};
use opentelemetry_proto::tonic::trace::v1::Span;
use outrig_api::objects::{CreateAgent, CreateSession, EnvironmentParams};
use outrig_api::request::Secret;
use outrig_api::SendEvent;
use outrig_client::{Client, ClientOptions};
use prost::Message;
use serde_json::{json, Value};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
const API_KEY: &str = "sk-test-telemetry-s3cret";
const OTLP_TOKEN: &str = "otlp-header-s3cret";
const PATH_SECRET: &str = "acct-path-s3cret";

/// What the receiver got: each span with its service's name, and the exporters' headers.
#[derive(Default)]
struct Received {
    spans: Vec<(String, Span)>,
    authorization: Vec<String>,
}

async fn receive(
    State(received): State<Arc<Mutex<Received>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Vec<u8> {
    let request = ExportTraceServiceRequest::decode(body).expect("an OTLP protobuf body");
    let mut received = received.lock().unwrap();
    if let Some(value) = headers.get("authorization") {
        received
            .authorization
            .push(value.to_str().unwrap().to_string());
    }
    for resource_spans in request.resource_spans {
        let attributes = resource_spans.resource.map(|r| r.attributes);
        let service = text(attributes.as_deref().unwrap_or_default(), "service.name");
        for scope in resource_spans.scope_spans {
            for span in scope.spans {
                received.spans.push((service.clone(), span));
            }
        }
    }
    Vec::new()
}

/// A string (or number, or bool) attribute as text; empty when absent.
fn text(attributes: &[KeyValue], key: &str) -> String {
    let value = attributes
        .iter()
        .find(|a| a.key == key)
        .and_then(|a| a.value.as_ref()?.value.clone());
    match value {
        Some(any_value::Value::StringValue(s)) => s,
        Some(any_value::Value::IntValue(i)) => i.to_string(),
        Some(any_value::Value::BoolValue(b)) => b.to_string(),
        Some(any_value::Value::DoubleValue(d)) => d.to_string(),
        _ => String::new(),
    }
}

async fn listen(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{address}")
}

/// SIGTERM, then waits for it to exit (it flushes its spans on the way out).
fn terminate(mut process: Process) {
    let id = process.0.id().to_string();
    assert!(Command::new("kill").arg(&id).status().unwrap().success());
    let status = process.0.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

/// Exports `command`'s spans to `receiver`, as `service` (default `outrig`).
fn traced<'a>(command: &'a mut Command, receiver: &str, service: Option<&str>) -> &'a mut Command {
    command
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver)
        .env(
            "OTEL_EXPORTER_OTLP_HEADERS",
            format!("authorization=Bearer {OTLP_TOKEN}"),
        )
        .env("OTEL_BSP_SCHEDULE_DELAY", "100")
        .env("NO_COLOR", "1")
        .env_remove("OTEL_SERVICE_NAME");
    if let Some(service) = service {
        command.env("OTEL_SERVICE_NAME", service);
    }
    command
}

fn outrig(receiver: &str, service: Option<&str>) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_outrig"));
    traced(&mut command, receiver, service).env("ANTHROPIC_API_KEY", API_KEY);
    command
}

/// An OTLP/HTTP receiver on loopback: its URL and what it receives.
async fn receiver() -> (String, Arc<Mutex<Received>>) {
    let received = Arc::new(Mutex::new(Received::default()));
    let url = listen(
        Router::new()
            .route("/v1/traces", post(receive))
            .with_state(received.clone()),
    )
    .await;
    (url, received)
}

/// The one span named `name` of `service` under `parent`, in its trace.
fn child<'a>(spans: &'a [(String, Span)], service: &str, name: &str, parent: &Span) -> &'a Span {
    let found: Vec<_> = spans
        .iter()
        .filter(|(s, span)| {
            s == service && span.name == name && span.parent_span_id == parent.span_id
        })
        .map(|(_, span)| span)
        .collect();
    let names: Vec<_> = spans
        .iter()
        .map(|(s, span)| format!("{s}:{}", span.name))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one {name} under {}: {names:?}",
        parent.name
    );
    assert_eq!(
        found[0].trace_id, parent.trace_id,
        "{name} is in its parent's trace"
    );
    found[0]
}

/// The spans of `service` named `name`.
fn named<'a>(spans: &'a [(String, Span)], service: &str, name: &str) -> Vec<&'a Span> {
    spans
        .iter()
        .filter(|(s, span)| s == service && span.name == name)
        .map(|(_, span)| span)
        .collect()
}

fn emulator(receiver: &str) -> (Process, String) {
    let mut command = outrig(receiver, Some("outrig-emulator"));
    command
        .args(["emulator", "--addr", "127.0.0.1:0", "--db", ":memory:"])
        .args(["--api-key", API_KEY]);
    start_emulator(command)
}

fn id(span: &Span) -> String {
    hex(&span.span_id)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tool_call_is_one_trace_from_the_host_to_the_plugin_s_api_and_the_emulator() {
    let (receiver, received) = receiver().await;
    let traceparents = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = traceparents.clone();
    let api = listen(Router::new().route(
        "/{account}/invoices/{id}",
        get(
            move |Path((_, id)): Path<(String, String)>, headers: HeaderMap| async move {
                let traceparent = headers.get("traceparent").map(|v| v.to_str().unwrap());
                seen.lock()
                    .unwrap()
                    .push(traceparent.unwrap_or_default().to_string());
                axum::Json(json!({"id": id, "status": "paid", "paid_at": "2026-11-30"}))
            },
        ),
    ))
    .await;

    let work = tempfile::tempdir().unwrap();
    let config = work.path().join("outrig-host.toml");
    let port = api.rsplit(':').next().unwrap();
    std::fs::write(
        &config,
        format!(
            "[[plugin]]\npath = \"{ROOT}/artifacts/plugins/invoices.wasm\"\n[plugin.grants]\n\
             env = [\"INVOICES_API_URL={api}/{PATH_SECRET}\"]\n\
             network = [\"http://127.0.0.1:{port}\"]\nallow_private = true\n"
        ),
    )
    .unwrap();

    let (emulator, base_url) = emulator(&receiver);
    let client = Client::new(ClientOptions {
        base_url: base_url.clone(),
        api_key: Some(Secret::new(API_KEY)),
        ..Default::default()
    });
    let agent = client
        .create_agent(
            &serde_json::from_value::<CreateAgent>(
                json!({"name": "traced", "model": "claude-opus-4-6"}),
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let registered = outrig(&receiver, None)
        .args(["host", "register", "--config"])
        .arg(&config)
        .args(["--agent", &agent.id, "--base-url", &base_url])
        .output()
        .unwrap();
    assert!(registered.status.success(), "{registered:?}");
    let environment = client
        .create_environment(&EnvironmentParams {
            name: Some("traced".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let session = client
        .create_session(
            &serde_json::from_value::<CreateSession>(
                json!({"agent": agent.id, "environment_id": environment.id}),
            )
            .unwrap(),
        )
        .await
        .unwrap()
        .id;

    let host = outrig(&receiver, None)
        .args(["host", "run", "--config"])
        .arg(&config)
        .arg("--state")
        .arg(work.path().join("journal.sqlite"))
        .args(["--session", &session, "--base-url", &base_url])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut host = Process(host);
    client
        .send_events(
            &session,
            vec![SendEvent::user_text(
                r#"call invoice_status {"id":"INV-7731"}"#,
            )],
        )
        .await
        .unwrap();
    let answered = eventually("the call is answered", async || {
        results(&client, &session).await.pop()
    })
    .await;
    assert_eq!(answered.is_error.flatten(), Some(false), "{answered:?}");

    // The session is deleted: `host run` returns and flushes; the emulator is stopped.
    let _: Value = client
        .delete(&format!("/v1/sessions/{session}"))
        .await
        .unwrap();
    let status = host.0.wait().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(host.0.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert!(status.success(), "{stderr}");
    terminate(emulator);

    let received = received.lock().unwrap();
    let spans = &received.spans;
    let names: Vec<_> = spans
        .iter()
        .map(|(s, span)| format!("{s}:{}", span.name))
        .collect();
    let [call] = named(spans, "outrig", "tool_call")[..] else {
        panic!("one tool_call span: {names:?}");
    };
    assert!(call.parent_span_id.is_empty(), "tool_call is the root");
    assert_eq!(text(&call.attributes, "outrig.tool"), "invoice_status");
    assert_eq!(text(&call.attributes, "outrig.received_via"), "stream");
    assert_eq!(text(&call.attributes, "outrig.session_id"), session);
    assert_eq!(text(&call.attributes, "outrig.is_error"), "false");
    assert_eq!(text(&call.attributes, "outrig.delivery"), "accepted");
    let child = |name: &str, parent: &Span| child(spans, "outrig", name, parent);
    let claim = child("claim", call);
    assert_eq!(text(&claim.attributes, "outrig.claim.store"), "journal");
    assert_eq!(text(&claim.attributes, "outrig.claim"), "run");
    let run = child("run", call);
    assert_eq!(text(&run.attributes, "outrig.plugin"), "invoices.wasm");
    assert_eq!(text(&run.attributes, "outrig.tool"), "invoice_status");
    assert_eq!(text(&run.attributes, "outrig.outcome"), "ok");
    assert!(!text(&run.attributes, "outrig.duration_ms").is_empty());
    let http = child("http.request", run);
    assert_eq!(text(&http.attributes, "http.request.method"), "GET");
    assert_eq!(text(&http.attributes, "http.response.status_code"), "200");
    assert_eq!(text(&http.attributes, "server.port"), port);
    let send = child("send_result", call);
    assert_eq!(text(&send.attributes, "outrig.delivery"), "accepted");
    assert_eq!(text(&send.attributes, "outrig.attempts"), "1");
    assert!(claim.end_time_unix_nano <= run.start_time_unix_nano);
    assert!(run.end_time_unix_nano <= send.start_time_unix_nano);

    // The plugin's request carried the trace, naming its own span as the parent.
    assert_eq!(
        *traceparents.lock().unwrap(),
        [format!("00-{}-{}-01", hex(&call.trace_id), id(http))]
    );

    // The emulator's span for the result's request is the send_result span's child.
    let posted: Vec<_> = spans
        .iter()
        .filter(|(s, span)| s == "outrig-emulator" && span.parent_span_id == send.span_id)
        .map(|(_, span)| span)
        .collect();
    let [posted] = posted[..] else {
        panic!("one emulator span under send_result: {names:?}");
    };
    assert_eq!(posted.trace_id, call.trace_id);
    assert_eq!(text(&posted.attributes, "http.request.method"), "POST");
    assert_eq!(
        text(&posted.attributes, "http.route"),
        "/v1/sessions/{session_id}/events"
    );
    assert_eq!(posted.name, "POST /v1/sessions/{session_id}/events");
    assert_eq!(text(&posted.attributes, "http.response.status_code"), "200");
    assert!(
        named(spans, "outrig-emulator", "POST /v1/agents").len() == 1,
        "the emulator traces every request: {names:?}"
    );

    // The exporter's header was sent; no secret and no input is in any span.
    assert!(received
        .authorization
        .iter()
        .all(|a| a == &format!("Bearer {OTLP_TOKEN}")));
    assert!(!received.authorization.is_empty());
    let everything = format!("{spans:?}");
    for secret in [API_KEY, OTLP_TOKEN, PATH_SECRET, "INV-7731"] {
        assert!(!everything.contains(secret), "{secret} in a span");
    }
    assert!(
        !stderr.contains(API_KEY) && !stderr.contains(OTLP_TOKEN),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_webhook_s_call_is_traced_from_the_webhook_to_the_accepted_result() {
    let (receiver, received) = receiver().await;
    let work = tempfile::tempdir().unwrap();
    let config = work.path().join("outrig-host.toml");
    std::fs::write(
        &config,
        format!("[[plugin]]\npath = \"{ROOT}/artifacts/plugins/invoices.wasm\"\n"),
    )
    .unwrap();
    let port = common::free_ports(1)[0];
    let common::Webhooked {
        emulator,
        client,
        agent_id,
        environment_id,
    } = common::emulator_with_webhooks(&[port], false, &config).await;
    let claims = format!("sqlite:{}", work.path().join("claims.sqlite").display());
    let mut command = common::replica_command(
        &config,
        &claims,
        port,
        "traced",
        &emulator.base_url(),
        30_000,
    );
    traced(&mut command, &receiver, None).stderr(Stdio::null());
    let replica = Process(command.spawn().unwrap());
    eventually("the replica listens", async || {
        std::net::TcpStream::connect(("127.0.0.1", port)).ok()
    })
    .await;
    let session = client
        .create_session(
            &serde_json::from_value::<CreateSession>(
                json!({"agent": agent_id, "environment_id": environment_id}),
            )
            .unwrap(),
        )
        .await
        .unwrap()
        .id;
    client
        .send_events(
            &session,
            vec![SendEvent::user_text(r#"call echo {"note":"INV-7731"}"#)],
        )
        .await
        .unwrap();
    let answered = eventually("the call is answered", async || {
        results(&client, &session).await.pop()
    })
    .await;
    assert_eq!(answered.is_error.flatten(), Some(false), "{answered:?}");
    terminate(replica);

    let received = received.lock().unwrap();
    let spans = &received.spans;
    let calls = named(spans, "outrig", "tool_call");
    let [call] = calls[..] else {
        panic!("one tool_call: {spans:?}");
    };
    assert_eq!(text(&call.attributes, "outrig.received_via"), "webhook");
    assert_eq!(text(&call.attributes, "outrig.delivery"), "accepted");
    let webhook = named(spans, "outrig", "webhook")
        .into_iter()
        .find(|w| w.span_id == call.parent_span_id)
        .expect("the call is under the webhook that brought it");
    assert!(webhook.parent_span_id.is_empty(), "the webhook is the root");
    assert_eq!(
        text(&webhook.attributes, "outrig.webhook.type"),
        "session.requires_action"
    );
    assert_eq!(text(&webhook.attributes, "outrig.session_id"), session);
    child(spans, "outrig", "read_session", webhook);
    let claim = child(spans, "outrig", "claim", call);
    assert_eq!(text(&claim.attributes, "outrig.claim.store"), "claims");
    assert_eq!(text(&claim.attributes, "outrig.claim"), "won");
    let run = child(spans, "outrig", "run", call);
    assert_eq!(text(&run.attributes, "outrig.outcome"), "ok");
    let send = child(spans, "outrig", "send_result", call);
    assert_eq!(text(&send.attributes, "outrig.delivery"), "accepted");
    let everything = format!("{spans:?}");
    for secret in [common::WEBHOOK_SECRET, OTLP_TOKEN, "INV-7731"] {
        assert!(!everything.contains(secret), "{secret} in a span");
    }
}

#[test]
fn an_exporter_this_build_does_not_have_is_refused_clearly() {
    let output = Command::new(env!("CARGO_BIN_EXE_outrig"))
        .args(["events", "decode"])
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4317")
        .env("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("OTEL_EXPORTER_OTLP_PROTOCOL=grpc: only `http/protobuf` is built in"),
        "{stderr}"
    );
    let output = Command::new(env!("CARGO_BIN_EXE_outrig"))
        .args(["events", "decode"])
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
        .env("OTEL_SDK_DISABLED", "true")
        .env("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(output.status.success(), "disabled: nothing is set up");
}
