//! What Amazon Bedrock serves of the API, and its rules for request bodies (part 3 of the
//! spec, §2): the 34 operations (agents, sessions, events, threads, memory stores), every
//! other endpoint answered 404 saying so; agents that run as an `aws_role` with an
//! inference-profile model and no web tools; sessions that run on an AgentCore runtime
//! (`environment_id` is its ARN), with a working directory and no vaults; no
//! `user.define_outcome` (`feature_unsupported_on_platform`) or `user.tool_result`; and
//! `user.mcp_elicitation_response` only with other answers and interrupts.

use crate::http::{ApiFailure, ApiResult};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use outrig_api::routes::Route;
use serde_json::{json, Map, Value};

/// Where a session's tools run when the request names none.
pub const DEFAULT_WORKING_DIRECTORY: &str = "/mnt/workspace";

/// The layer (inside `/anthropic`): refuses what Bedrock does not serve or accept; bodies
/// larger than `max_body` are left to the API's own limit.
pub async fn rules(State(max_body): State<usize>, request: Request, next: Next) -> Response {
    let Some(route) = Route::of_request(request.method().as_str(), request.uri().path()) else {
        return next.run(request).await;
    };
    if let Some(refusal) = outrig_api::bedrock::not_served(route) {
        return ApiFailure::new(StatusCode::NOT_FOUND, refusal).into_response();
    }
    let request = match checked(route.name, request, max_body).await {
        Ok(request) => request,
        Err(refused) => return refused,
    };
    let only_mine = request
        .uri()
        .query()
        .is_some_and(|query| query.split('&').any(|pair| pair == "created_by_me=true"));
    crate::bedrock_shapes::reshape(route.name, only_mine, next.run(request).await).await
}

/// The request, if its body keeps Bedrock's rules for its route.
async fn checked(route: &str, request: Request, max_body: usize) -> Result<Request, Response> {
    if !matches!(
        route,
        "agents.create" | "agents.update" | "sessions.create" | "sessions.events.send"
    ) {
        return Ok(request);
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, max_body).await else {
        return Err(
            ApiFailure::new(StatusCode::PAYLOAD_TOO_LARGE, "request body too large")
                .into_response(),
        );
    };
    // A body that is not JSON is the API's to refuse, with its own message.
    if let Ok(body) = serde_json::from_slice::<Value>(&bytes) {
        let checked = match route {
            "agents.create" => agent_create(&body),
            "agents.update" => agent_update(&body),
            "sessions.create" => session_create(&body),
            _ => events_send(&body),
        };
        checked.map_err(IntoResponse::into_response)?;
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

fn agent_create(body: &Value) -> ApiResult<()> {
    match &body["execution_identity"] {
        Value::Null => {
            return Err(ApiFailure::invalid(
                "`execution_identity` is required on Amazon Bedrock: `{\"type\":\"aws_role\",\"role_arn\":\"arn:aws:iam::…\"}`",
            ))
        }
        identity => aws_role(identity, "execution_identity")?,
    }
    if let Some(model) = body.get("model") {
        inference_profile(model)?;
    }
    gateways(&body["mcp_servers"], &body["tools"])?;
    web_tools(&body["tools"])
}

fn agent_update(body: &Value) -> ApiResult<()> {
    if body.get("execution_identity").is_some() {
        return Err(ApiFailure::invalid(
            "`execution_identity` cannot be updated on Amazon Bedrock",
        ));
    }
    if let Some(model) = body.get("model") {
        inference_profile(model)?;
    }
    gateways(&body["mcp_servers"], &body["tools"])?;
    web_tools(&body["tools"])
}

fn session_create(body: &Value) -> ApiResult<()> {
    let environment = body["environment_id"].as_str().unwrap_or_default();
    if !environment.starts_with("arn:aws:bedrock-agentcore:") || !environment.contains(":runtime/")
    {
        return Err(ApiFailure::invalid(format!(
            "`environment_id` must be an AgentCore runtime ARN (`arn:aws:bedrock-agentcore:REGION:ACCOUNT:runtime/NAME`), got `{environment}`"
        )));
    }
    if body.get("execution_identity").is_some() && body.get("role_arn").is_some() {
        return Err(ApiFailure::invalid(
            "give `execution_identity` or `role_arn`, not both",
        ));
    }
    if let Some(identity) = body.get("execution_identity") {
        aws_role(identity, "execution_identity")?;
    }
    if let Some(role) = body.get("role_arn") {
        if role.as_str().is_none_or(str::is_empty) {
            return Err(ApiFailure::invalid("`role_arn` must be a non-empty string"));
        }
    }
    if body.get("vault_ids").is_some() {
        return Err(ApiFailure::invalid(
            "Amazon Bedrock sessions have no vaults",
        ));
    }
    Ok(())
}

fn events_send(body: &Value) -> ApiResult<()> {
    let events = body["events"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let kind = |e: &Value| e["type"].as_str().unwrap_or_default().to_string();
    if events.iter().any(|e| kind(e) == "user.define_outcome") {
        return Err(ApiFailure::invalid(
            "`user.define_outcome` is not supported on Amazon Bedrock",
        )
        .code("feature_unsupported_on_platform"));
    }
    if events.iter().any(|e| kind(e) == "user.tool_result") {
        return Err(ApiFailure::invalid(
            "`user.tool_result` cannot be sent on Amazon Bedrock (no self-hosted environments)",
        ));
    }
    let answers = events
        .iter()
        .any(|e| kind(e) == "user.mcp_elicitation_response");
    if answers
        && events.iter().any(|e| {
            !matches!(
                kind(e).as_str(),
                "user.mcp_elicitation_response" | "user.interrupt"
            )
        })
    {
        return Err(ApiFailure::invalid(
            "a request with `user.mcp_elicitation_response` may hold only elicitation responses and `user.interrupt`",
        ));
    }
    // Whether each names an elicitation of the session is the events route's to check.
    Ok(())
}

/// `{"type":"aws_role","role_arn":"arn:aws:iam::…"}`.
fn aws_role(identity: &Value, field: &str) -> ApiResult<()> {
    let arn = identity["role_arn"].as_str().unwrap_or_default();
    if identity["type"] != "aws_role" || !arn.starts_with("arn:aws:iam::") {
        return Err(ApiFailure::invalid(format!(
            "`{field}` must be `{{\"type\":\"aws_role\",\"role_arn\":\"arn:aws:iam::ACCOUNT:role/NAME\"}}` on Amazon Bedrock"
        )));
    }
    Ok(())
}

/// A model given as an inference profile id (`us.anthropic.NAME`, `global.anthropic.NAME`);
/// a Claude model name, an id without its geography prefix and a profile ARN are refused.
fn inference_profile(model: &Value) -> ApiResult<()> {
    let id = match model {
        Value::String(id) => id.as_str(),
        other => other["id"].as_str().unwrap_or_default(),
    };
    let profile = id
        .split_once('.')
        .is_some_and(|(_, rest)| rest.starts_with("anthropic.") && rest.len() > 10);
    if profile && !id.starts_with("arn:") {
        return Ok(());
    }
    Err(ApiFailure::invalid(format!(
        "`model` must be a Bedrock inference profile such as `us.anthropic.{id}`, got `{id}`"
    )))
}

/// MCP servers are AgentCore gateways (`{"type":"aws_agentcore_gateway","name",
/// "gateway_arn"}`), at most 20, named once, each referenced by an `mcp_toolset`.
fn gateways(servers: &Value, tools: &Value) -> ApiResult<()> {
    let servers = servers.as_array().map(Vec::as_slice).unwrap_or_default();
    if servers.len() > 20 {
        return Err(ApiFailure::invalid("at most 20 `mcp_servers`"));
    }
    let mut names = std::collections::HashSet::new();
    for server in servers {
        let name = server["name"].as_str().unwrap_or_default();
        let arn = server["gateway_arn"].as_str().unwrap_or_default();
        if server["type"] != "aws_agentcore_gateway"
            || name.is_empty()
            || !arn.starts_with("arn:aws:bedrock-agentcore:")
        {
            return Err(ApiFailure::invalid(
                "on Amazon Bedrock an MCP server is `{\"type\":\"aws_agentcore_gateway\",\"name\":…,\"gateway_arn\":\"arn:aws:bedrock-agentcore:…\"}`",
            ));
        }
        if !names.insert(name) {
            return Err(ApiFailure::invalid(format!(
                "the MCP server name `{name}` is used twice"
            )));
        }
        let referenced = tools
            .as_array()
            .into_iter()
            .flatten()
            .any(|t| t["type"] == "mcp_toolset" && t["mcp_server_name"] == name);
        if !referenced {
            return Err(ApiFailure::invalid(format!(
                "the MCP server `{name}` is not referenced by an `mcp_toolset` tool"
            )));
        }
    }
    Ok(())
}

/// Bedrock serves neither `web_search` nor `web_fetch`, even disabled.
fn web_tools(tools: &Value) -> ApiResult<()> {
    for tool in tools.as_array().into_iter().flatten() {
        let named = tool["configs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["name"].as_str())
            .chain(tool["type"].as_str())
            .find(|name| name.starts_with("web_search") || name.starts_with("web_fetch"));
        if let Some(name) = named {
            return Err(ApiFailure::invalid(format!(
                "`{name}` is not available on Amazon Bedrock"
            )));
        }
    }
    Ok(())
}

/// The fields a Bedrock session adds to the first-party ones, from its create request.
pub fn session_fields(body: &Value) -> Map<String, Value> {
    let identity = body
        .get("execution_identity")
        .cloned()
        .or_else(|| {
            body["role_arn"]
                .as_str()
                .map(|arn| json!({"type": "aws_role", "role_arn": arn}))
        })
        .unwrap_or(Value::Null);
    let directory = body["working_directory"]
        .as_str()
        .unwrap_or(DEFAULT_WORKING_DIRECTORY);
    let mut fields = Map::new();
    fields.insert("working_directory".into(), json!(directory));
    fields.insert("execution_identity".into(), identity);
    fields
}
