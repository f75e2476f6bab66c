//! The MCP servers a session's agent attaches: each `mcp_servers` entry with the
//! `mcp_toolset` that references it, and the permission each of its tools gets
//! (`configs` over `default_config`; `always_ask` when neither says).

use crate::agent_events::McpPermission;
use serde_json::Value;

/// One attached server and its toolset's settings.
#[derive(Debug, Clone)]
pub struct McpServer {
    /// Its name on the agent.
    pub name: String,
    /// Its URL.
    pub url: String,
    toolset: Value,
}

impl McpServer {
    /// What the platform does with a call of `tool`.
    pub fn permission(&self, tool: &str) -> McpPermission {
        let config = self.toolset["configs"]
            .as_array()
            .and_then(|configs| configs.iter().find(|c| c["name"] == tool));
        let default = &self.toolset["default_config"];
        let enabled = config
            .and_then(|c| c["enabled"].as_bool())
            .or_else(|| default["enabled"].as_bool())
            .unwrap_or(true);
        if !enabled {
            return McpPermission::Disabled;
        }
        let policy = config
            .map(|c| &c["permission_policy"]["type"])
            .filter(|t| t.is_string())
            .unwrap_or(&default["permission_policy"]["type"]);
        match policy.as_str() {
            Some("always_allow") => McpPermission::Allow,
            Some("auto") => McpPermission::AutoAllow,
            _ => McpPermission::Ask,
        }
    }
}

/// The servers of an agent (as stored on its session) that an `mcp_toolset` references.
pub fn attached(agent: &Value) -> Vec<McpServer> {
    let tools = agent["tools"].as_array().cloned().unwrap_or_default();
    agent["mcp_servers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|server| {
            let name = server["name"].as_str()?;
            let toolset = tools
                .iter()
                .find(|t| t["type"] == "mcp_toolset" && t["mcp_server_name"] == name)?;
            Some(McpServer {
                name: name.to_string(),
                // A Bedrock AgentCore gateway is named by its ARN, which the engine maps
                // to the MCP server that stands for it.
                url: server["url"]
                    .as_str()
                    .or(server["gateway_arn"].as_str())?
                    .to_string(),
                toolset: toolset.clone(),
            })
        })
        .collect()
}
