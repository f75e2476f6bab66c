//! Calls the MCP servers a session's agent attaches (`mcp_servers`), for real: one
//! Streamable HTTP connection per call through the official Rust SDK (`rmcp`), with the
//! session's vault bearer token when one matches the server's URL. Whatever goes wrong
//! (unreachable, 401, a protocol error, no answer in time) becomes an `is_error` result
//! saying so; the token never appears in it.

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

/// What the call gave: the result content and whether it reports a failure.
pub async fn call(request: &McpRequest, bearer: Option<&str>) -> (Vec<ContentBlock>, bool) {
    match tokio::time::timeout(MCP_CALL_TIMEOUT, try_call(request, bearer)).await {
        Ok(Ok(result)) => (
            result.content.into_iter().map(content).collect(),
            result.is_error.unwrap_or(false),
        ),
        Ok(Err(message)) => (vec![ContentBlock::text(message)], true),
        Err(_) => (
            vec![ContentBlock::text(format!(
                "the MCP server `{}` did not answer `{}` within {} s",
                request.server_name,
                request.tool,
                MCP_CALL_TIMEOUT.as_secs()
            ))],
            true,
        ),
    }
}

async fn try_call(request: &McpRequest, bearer: Option<&str>) -> Result<CallToolResult, String> {
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
                    failed(
                        "refused the session's credentials",
                        &"it requires a bearer token: attach a vault holding a `static_bearer` \
                      (or `mcp_oauth`) credential whose `mcp_server_url` is this URL",
                    )
                } else {
                    failed("could not be reached", &e)
                }
            })?;
    let arguments = request.input.as_object().cloned().unwrap_or_default();
    let params = CallToolRequestParams::new(request.tool.clone()).with_arguments(arguments);
    let result = client
        .peer()
        .call_tool(params)
        .await
        .map_err(|e| failed(&format!("failed `{}`", request.tool), &e));
    let _ = client.cancel().await;
    result
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
