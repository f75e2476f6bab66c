//! Shared helpers: plugin paths and grants for tests.
#![allow(dead_code)]

use outrig_api::objects::{CreateAgent, CreateSession, EnvironmentParams};
use outrig_client::Client;
use outrig_host::grants::{DirGrant, DirMode, PluginConfig};
use outrig_host::runner::Runner;
use outrig_host::HostConfig;
use serde_json::json;
use std::path::PathBuf;
use std::sync::Arc;

pub fn plugin(name: &str) -> PathBuf {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../artifacts/plugins"
    ))
    .join(format!("{name}.wasm"));
    assert!(
        path.is_file(),
        "{} is missing: run scripts/build-plugins.sh",
        path.display()
    );
    path
}

pub fn config(name: &str) -> PluginConfig {
    PluginConfig::ungranted(plugin(name))
}

/// A directory with the demo's invoices and ledger.
pub fn books() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("invoices.csv"),
        "id,amount\nINV-1,120.00\nINV-2,75.50\nINV-3,19.99\nINV-4,300\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("ledger.csv"),
        "id,amount\nINV-1,120.00\nINV-2,57.50\nINV-3,19.99\nINV-9,42.00\n",
    )
    .unwrap();
    dir
}

pub fn invoices_with(dir: &tempfile::TempDir) -> PluginConfig {
    let mut config = config("invoices");
    config.grants.dirs.push(DirGrant {
        host: dir.path().to_path_buf(),
        guest: "/data".into(),
        mode: DirMode::Ro,
    });
    config
}

/// A real HTTP server on loopback standing in for the APIs the example plugins call, plus
/// endpoints that misbehave: `/hang` never answers, `/huge` streams 200 MB, `/redirect`
/// points elsewhere. Returns its base URL (`http://127.0.0.1:PORT`).
pub async fn api_server() -> String {
    use axum::body::Body;
    use axum::extract::Path;
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    use axum::routing::get;
    use axum::Json;
    use serde_json::json;

    async fn invoice(Path(id): Path<String>) -> axum::response::Response {
        match id.as_str() {
            "INV-4" => {
                Json(json!({"id": id, "status": "paid", "paid_at": "2026-11-30"})).into_response()
            }
            "INV-9" => Json(json!({"id": id, "status": "open"})).into_response(),
            _ => StatusCode::NOT_FOUND.into_response(),
        }
    }
    async fn rate(Path((from, to)): Path<(String, String)>) -> axum::response::Response {
        match (from.as_str(), to.as_str()) {
            ("EUR", "USD") => Json(json!({"rate": 1.25})).into_response(),
            _ => StatusCode::NOT_FOUND.into_response(),
        }
    }
    async fn series(Path(name): Path<String>) -> axum::response::Response {
        match name.as_str() {
            "latency" => Json(json!({"values": [12, 15, 11, 40, 13]})).into_response(),
            _ => StatusCode::NOT_FOUND.into_response(),
        }
    }
    async fn hang() -> &'static str {
        std::future::pending::<()>().await;
        unreachable!()
    }
    async fn huge() -> Body {
        let chunk = bytes::Bytes::from(vec![b'x'; 1 << 20]);
        Body::from_stream(futures_util::stream::iter(
            (0..200).map(move |_| Ok::<_, std::io::Error>(chunk.clone())),
        ))
    }
    async fn redirect() -> impl IntoResponse {
        (StatusCode::FOUND, [("location", "http://1.1.1.1/")])
    }
    let app = axum::Router::new()
        .route("/invoices/{id}", get(invoice))
        .route("/rates/{from}/{to}", get(rate))
        .route("/series/{name}", get(series))
        .route("/hang", get(hang))
        .route("/huge", get(huge))
        .route("/redirect", get(redirect));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

/// The process's resident memory, in KiB.
pub fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// An emulator, a client of it, a runner over a host of `plugins`, and a session of an
/// agent registered with the host's tools.
pub struct Setup {
    pub _emulator: outrig_emulator::Running,
    pub client: Client,
    pub runner: Runner,
    pub session_id: String,
}

pub async fn setup(plugins: Vec<PluginConfig>) -> Setup {
    let host = Arc::new(
        HostConfig {
            plugins,
            ..Default::default()
        }
        .load_tools()
        .await
        .unwrap(),
    );
    // The admin surface's chaos rules and journal are there for the fault tests.
    let outrig_test_support::Emulated { emulator, client } =
        outrig_test_support::emulator_with(|c| c.admin = Some(Default::default())).await;
    let runner = Runner::new(host.clone(), client.clone(), 8);
    let agent = client
        .create_agent(
            &serde_json::from_value::<CreateAgent>(
                json!({"name": "books", "model": "claude-opus-4-6"}),
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let registered = runner.register(&agent.id).await.unwrap();
    assert_eq!(registered.version, 2);
    assert_eq!(registered.custom_tools().count(), host.tools().count());
    assert_eq!(
        runner.register(&agent.id).await.unwrap().version,
        2,
        "registering again changes nothing"
    );
    let environment = client
        .create_environment(&EnvironmentParams {
            name: Some("local".into()),
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
        .unwrap();
    Setup {
        _emulator: emulator,
        client,
        runner,
        session_id: session.id,
    }
}
