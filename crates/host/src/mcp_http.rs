//! `outrig host mcp` over Streamable HTTP: the [`McpTools`] handler behind a bearer token
//! (compared in constant time), the `Host` and `Origin` allowlists that stop DNS rebinding
//! (rmcp's own checks), and the listener limits every Outrig server has.

use crate::mcp::McpTools;
use crate::ToolHost;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use outrig_api::digest::sha256_hex;
use outrig_api::request::{constant_time_eq, Secret};
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use std::future::Future;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// The path the MCP endpoint is served at.
pub const MCP_PATH: &str = "/mcp";

/// How the HTTP endpoint admits requests.
pub struct McpHttpOptions {
    /// The bearer token every request must carry.
    pub token: Secret,
    /// `Host` values (name or `name:port`) accepted besides the loopback names.
    pub allowed_hosts: Vec<String>,
    /// Browser origins (`scheme://host:port`, `:*` for any port) allowed to call; a request
    /// carrying any other `Origin` is refused. Empty: every request with an `Origin` is.
    pub allowed_origins: Vec<String>,
    /// The listener's timeouts and bounds.
    pub limits: outrig_listen::Limits,
    /// The certificate to serve HTTPS with; plain HTTP without.
    pub tls: Option<outrig_listen::Tls>,
}

/// Serves `host`'s tools at [`MCP_PATH`] on `listener` until `shutdown` resolves.
pub async fn serve(
    host: Arc<ToolHost>,
    listener: TcpListener,
    options: McpHttpOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let stop = CancellationToken::new();
    let mut hosts = vec!["localhost".to_string(), "127.0.0.1".into(), "::1".into()];
    hosts.extend(options.allowed_hosts);
    let config = StreamableHttpServerConfig::default()
        .with_allowed_hosts(hosts)
        .with_allowed_origins(options.allowed_origins)
        .enforce_origin_validation()
        .with_cancellation_token(stop.clone());
    let service = StreamableHttpService::new(
        move || Ok(McpTools::new(host.clone())),
        Arc::new(LocalSessionManager::default()),
        config,
    );
    let expected = Arc::new(sha256_hex(options.token.expose().as_bytes()));
    let router = axum::Router::new().nest_service(MCP_PATH, service).layer(
        axum::middleware::from_fn_with_state(expected, require_token),
    );
    let stopping = stop.clone();
    let shutdown = async move {
        shutdown.await;
        stopping.cancel();
    };
    outrig_listen::serve(
        listener,
        router,
        options.limits,
        options.tls,
        Arc::new(outrig_listen::Stats::default()),
        shutdown,
    )
    .await
}

/// Refuses a request without `Authorization: Bearer <the token>` with a 401.
async fn require_token(
    State(expected): State<Arc<String>>,
    request: Request,
    next: Next,
) -> Response {
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(|token| sha256_hex(token.trim().as_bytes()));
    match given {
        Some(given) if constant_time_eq(given.as_bytes(), expected.as_bytes()) => {
            next.run(request).await
        }
        _ => (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            axum::Json(serde_json::json!({
                "jsonrpc": "2.0",
                "id": null,
                "error": {"code": -32001, "message": "a valid bearer token is required"}
            })),
        )
            .into_response(),
    }
}
