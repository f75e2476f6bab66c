//! Calls the MCP servers a session's agent attaches (`mcp_servers`), for real: one
//! Streamable HTTP connection per call through the official Rust SDK (`rmcp`), with the
//! session's vault bearer token when one matches the server's URL. Whatever goes wrong
//! (unreachable, 401, a protocol error, no answer in time) becomes an `is_error` result
//! saying so; the token never appears in it. A server that cannot be reached or refuses the
//! credentials is also reported as a [`Failure`], which the session sees as a `session.error`.

use outrig_api::content::ContentBlock;
use rmcp::model::{CallToolRequestParams, CallToolResult};
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::ServiceExt;
use serde_json::Value;
use std::time::Duration;

/// How long one call may take, connection and handshake included.
pub const MCP_CALL_TIMEOUT: Duration = Duration::from_secs(120);

/// One `tools/call` to make.
#[derive(Debug, Clone)]
pub struct McpRequest {
    /// The server's name on the agent (for messages).
    pub server_name: String,
    /// The server's URL.
    pub url: String,
    /// The tool.
    pub tool: String,
    /// Its input (a JSON object).
    pub input: Value,
}

/// Why a call never reached the tool: the session's `session.error` type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Unreachable, or not an MCP server (`mcp_connection_failed_error`).
    Connection,
    /// It refused the session's credentials (`mcp_authentication_failed_error`).
    Authentication,
}

/// What one call gave.
#[derive(Debug)]
pub struct Answer {
    /// The result's content (the reason, when it failed).
    pub content: Vec<ContentBlock>,
    /// Whether the result reports a failure.
    pub is_error: bool,
    /// Set when the server could not be used at all.
    pub failure: Option<Failure>,
}

/// Makes the call, within [`MCP_CALL_TIMEOUT`].
pub async fn call(request: &McpRequest, bearer: Option<&str>) -> Answer {
    let failed = |message: String, failure| Answer {
        content: vec![ContentBlock::text(message)],
        is_error: true,
        failure,
    };
    match tokio::time::timeout(MCP_CALL_TIMEOUT, try_call(request, bearer)).await {
        Ok(Ok(result)) => Answer {
            content: result.content.into_iter().map(content).collect(),
            is_error: result.is_error.unwrap_or(false),
            failure: None,
        },
        Ok(Err((message, failure))) => failed(message, failure),
        Err(_) => failed(
            format!(
                "the MCP server `{}` did not answer `{}` within {} s",
                request.server_name,
                request.tool,
                MCP_CALL_TIMEOUT.as_secs()
            ),
            None,
        ),
    }
}

async fn try_call(
    request: &McpRequest,
    bearer: Option<&str>,
) -> Result<CallToolResult, (String, Option<Failure>)> {
    // reqwest (through rmcp) is built without a TLS provider of its own: use ring, as
    // the rest of Outrig does. Installing twice is harmless.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut config = StreamableHttpClientTransportConfig::with_uri(request.url.as_str());
    if let Some(token) = bearer {
        config = config.auth_header(token);
    }
    let failed = |what: &str, error: &dyn std::fmt::Display| {
        // rmcp's errors name the URL and status, never the header values.
        format!(
            "the MCP server `{}` ({}) {what}: {error}",
            request.server_name, request.url
        )
    };
    let client =
        ().serve(StreamableHttpClientTransport::from_config(config))
            .await
            .map_err(|e| {
                // rmcp reports a 401 as "Auth required"; say what the session lacks.
                if e.to_string().contains("Auth required") {
                    let message = failed(
                        "refused the session's credentials",
                        &"it requires a bearer token: attach a vault holding a `static_bearer` \
                      (or `mcp_oauth`) credential whose `mcp_server_url` is this URL",
                    );
                    (message, Some(Failure::Authentication))
                } else {
                    (
                        failed("could not be reached", &e),
                        Some(Failure::Connection),
                    )
                }
            })?;
    let result = discover_and_call(client.peer(), request, &failed).await;
    let _ = client.cancel().await;
    result
}

/// Lists the server's tools first, as the platform does before offering them to the model,
/// so a call to a tool the server does not offer fails saying which ones it does.
async fn discover_and_call(
    peer: &rmcp::Peer<rmcp::RoleClient>,
    request: &McpRequest,
    failed: &(dyn Fn(&str, &dyn std::fmt::Display) -> String + Sync),
) -> Result<CallToolResult, (String, Option<Failure>)> {
    let tools = peer
        .list_all_tools()
        .await
        .map_err(|e| (failed("could not list its tools", &e), None))?;
    if !tools.iter().any(|tool| tool.name == request.tool) {
        let offered: Vec<&str> = tools.iter().map(|tool| tool.name.as_ref()).collect();
        let message = format!(
            "the MCP server `{}` offers no tool `{}` (it offers: {})",
            request.server_name,
            request.tool,
            if offered.is_empty() {
                "none".to_string()
            } else {
                offered.join(", ")
            }
        );
        return Err((message, None));
    }
    let arguments = request.input.as_object().cloned().unwrap_or_default();
    let params = CallToolRequestParams::new(request.tool.clone()).with_arguments(arguments);
    peer.call_tool(params)
        .await
        .map_err(|e| (failed(&format!("failed `{}`", request.tool), &e), None))
}

/// An MCP content item as a Managed Agents content block.
fn content(block: rmcp::model::ContentBlock) -> ContentBlock {
    use rmcp::model::ContentBlock as Mcp;
    match block {
        Mcp::Text(text) => ContentBlock::text(text.text),
        Mcp::Image(image) => serde_json::from_value(serde_json::json!({
            "type": "image",
            "source": {"type": "base64", "media_type": image.mime_type, "data": image.data}
        }))
        .unwrap_or_else(|_| ContentBlock::text("(an image the emulator could not carry)")),
        other => ContentBlock::text(serde_json::to_string(&other).unwrap_or_default()),
    }
}
