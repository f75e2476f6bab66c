//! The loaded plugins as an MCP server (`outrig host mcp`), through the official Rust SDK
//! (`rmcp`): `tools/list` gives every plugin tool with its schemas and hints, `tools/call`
//! runs it through [`ToolHost`] under exactly the grants, limits, schema checks and output
//! caps of the other modes. The client can grant nothing: it only names a tool and its input.
//! A cancelled request makes the plugin's `cancelled()` true; the plugin's `progress`
//! reports become progress notifications when the request asked for them.

use crate::ToolHost;
use outrig_api::content::{ContentBlock, MediaSource};
use outrig_sandbox::sandbox::Progress;
use outrig_sandbox::CallOutcome;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ErrorData, Implementation,
    ListToolsResult, PaginatedRequestParams, ProgressNotificationParam, ServerCapabilities,
    ServerConfig, Tool, ToolAnnotations,
};
use rmcp::service::RequestContext;
use rmcp::{RoleServer, ServerHandler};
use serde_json::Value;
use std::sync::Arc;
use tokio::sync::watch;

/// An MCP server handler over a [`ToolHost`]; cheap to clone (one per MCP session).
#[derive(Clone)]
pub struct McpTools {
    host: Arc<ToolHost>,
}

impl McpTools {
    /// Serves `host`'s tools.
    pub fn new(host: Arc<ToolHost>) -> Self {
        McpTools { host }
    }
}

impl ServerHandler for McpTools {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("outrig", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "Tools run as sandboxed WebAssembly plugins under the operator's grants.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(
            self.host.tools().map(mcp_tool).collect(),
        ))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        if !self.host.serves(&request.name) {
            return Err(ErrorData::invalid_params(
                format!("no tool named `{}` is served here", request.name),
                None,
            ));
        }
        let input = Value::Object(request.arguments.unwrap_or_default());
        let (reports, mut progress) = watch::channel(None);
        let call = self
            .host
            .call_reporting(&request.name, &input, context.ct.clone(), reports);
        let token = context.meta.get_progress_token();
        let peer = context.peer.clone();
        // Ends when the call drops its sender, i.e. when the call has ended.
        let forward = async move {
            let Some(token) = token else { return };
            while progress.changed().await.is_ok() {
                let Some(report) = progress.borrow_and_update().clone() else {
                    continue;
                };
                let _ = peer.notify_progress(notification(&token, report)).await;
            }
        };
        let (outcome, ()) = tokio::join!(call, forward);
        tracing::info!(
            tool = %request.name,
            is_error = outcome.is_error,
            cancelled = context.ct.is_cancelled(),
            elapsed_ms = outcome.elapsed.as_millis() as u64,
            "tools/call"
        );
        for line in &outcome.logs {
            tracing::debug!(tool = %request.name, "plugin log: {line}");
        }
        Ok(mcp_result(outcome).into())
    }
}

/// Serves `host`'s tools on stdin and stdout until the client closes them.
pub async fn serve_stdio(host: Arc<ToolHost>) -> anyhow::Result<()> {
    use rmcp::ServiceExt;
    let running = McpTools::new(host)
        .serve(rmcp::transport::stdio())
        .await
        .map_err(|e| anyhow::anyhow!("starting MCP on stdio: {e}"))?;
    running.waiting().await?;
    Ok(())
}

/// A plugin tool as MCP describes one.
fn mcp_tool(tool: &outrig_sandbox::plugin::ToolInfo) -> Tool {
    let object = |schema: &Value| Arc::new(schema.as_object().cloned().unwrap_or_default());
    let hint = |name: &str| tool.hints.contains(&name);
    let mut mcp = Tool::new(
        tool.name.clone(),
        tool.description.clone(),
        object(&tool.input_schema),
    )
    .with_annotations(
        ToolAnnotations::new()
            .read_only(hint("read-only"))
            .destructive(hint("destructive"))
            .idempotent(hint("idempotent")),
    );
    if let Some(schema) = &tool.output_schema {
        mcp = mcp.with_raw_output_schema(object(schema));
    }
    mcp
}

/// A call's outcome as an MCP tool result: text and images as content, the JSON document
/// (already checked against the output schema) as structured content too.
fn mcp_result(outcome: CallOutcome) -> CallToolResult {
    let content = outcome
        .content
        .into_iter()
        .filter_map(mcp_content)
        .collect();
    let mut result = if outcome.is_error {
        CallToolResult::error(content)
    } else {
        CallToolResult::success(content)
    };
    result.structured_content = outcome.structured;
    result
}

fn mcp_content(block: ContentBlock) -> Option<rmcp::model::ContentBlock> {
    match block {
        ContentBlock::Text(text) => Some(rmcp::model::ContentBlock::text(text.text)),
        ContentBlock::Image(image) => match image.source {
            MediaSource::Base64(data) => {
                Some(rmcp::model::ContentBlock::image(data.data, data.media_type))
            }
            _ => None,
        },
        _ => None,
    }
}

fn notification(token: &rmcp::model::ProgressToken, report: Progress) -> ProgressNotificationParam {
    let mut param = ProgressNotificationParam::new(token.clone(), report.done as f64);
    if let Some(total) = report.total {
        param = param.with_total(total as f64);
    }
    if let Some(message) = report.message {
        param = param.with_message(message);
    }
    param
}
