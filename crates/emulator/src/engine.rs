//! Runs the emulated agent of each session: one driver task per session folds the log
//! into an [`Agent`], emits the batch it plans (only if the log has not moved on
//! meanwhile, so the log is always what the fold of it says), and waits for the log to
//! change. A driver started after a restart folds the log from the first event, so a
//! session in the middle of a turn goes on where it was.

use crate::agent::{custom_tool_names, Agent, Script};
use crate::emit::Emitter;
use crate::mcp_client::{Failure, McpRequest};
use crate::mcp_servers::McpServer;
use crate::scenario::{default_turn, Scenario, Turn};
use crate::store::Kind;
use outrig_api::events::{Empty, Event, McpSessionError, RetryStatus, SessionError};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// Starts and stops one driver per session.
pub struct Engine {
    emitter: Arc<Emitter>,
    scenarios: HashMap<String, Arc<Scenario>>,
    delay_scale: f64,
    drivers: Mutex<HashMap<String, JoinHandle<()>>>,
    /// AgentCore gateway ARNs and the MCP servers that stand for them (Bedrock).
    gateways: Vec<(String, String)>,
}

impl Engine {
    /// An engine emitting through `emitter`; `gateways` maps AgentCore gateway ARNs to
    /// the MCP servers that stand for them.
    pub fn new(
        emitter: Arc<Emitter>,
        scenarios: HashMap<String, Scenario>,
        delay_scale: f64,
        gateways: Vec<(String, String)>,
    ) -> Arc<Self> {
        Arc::new(Engine {
            emitter,
            scenarios: scenarios
                .into_iter()
                .map(|(name, s)| (name, Arc::new(s)))
                .collect(),
            delay_scale,
            drivers: Mutex::new(HashMap::new()),
            gateways,
        })
    }

    /// Whether a scenario of this name exists.
    pub fn has_scenario(&self, name: &str) -> bool {
        self.scenarios.contains_key(name)
    }

    /// Starts the session's driver if it is not running.
    pub fn attach(self: &Arc<Self>, session_id: &str) {
        let mut drivers = self.drivers.lock().unwrap_or_else(|p| p.into_inner());
        if drivers.get(session_id).is_some_and(|d| !d.is_finished()) {
            return;
        }
        let task = tokio::spawn(self.clone().drive(session_id.to_string()));
        drivers.insert(session_id.to_string(), task);
    }

    /// Starts the drivers of sessions that were working when the emulator stopped.
    pub fn resume_working(self: &Arc<Self>) -> anyhow::Result<()> {
        for session in self.emitter.store.list(Kind::Session)? {
            if matches!(session["status"].as_str(), Some("running" | "rescheduling")) {
                self.attach(session["id"].as_str().unwrap_or_default());
            }
        }
        Ok(())
    }

    /// Stops a deleted session's driver.
    pub fn forget(&self, session_id: &str) {
        let driver = self
            .drivers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(session_id);
        if let Some(driver) = driver {
            driver.abort();
        }
    }

    /// Stops every driver (the emulator is shutting down).
    pub fn stop_all(&self) {
        let drivers = std::mem::take(&mut *self.drivers.lock().unwrap_or_else(|p| p.into_inner()));
        for driver in drivers.into_values() {
            driver.abort();
        }
    }

    async fn drive(self: Arc<Self>, session_id: String) {
        let mut stored = self.emitter.hub.channels(&session_id).stored.subscribe();
        let mut agent = Agent::default();
        let mut folded = 0;
        let mut delay: Option<(u64, Instant)> = None;
        loop {
            stored.borrow_and_update();
            let Some(script) = self.script(&session_id) else {
                return;
            };
            let plan = match self.fold(&session_id, &mut agent, &mut folded, &script) {
                Ok(()) => agent.plan(&script),
                Err(error) => {
                    tracing::error!(session = %session_id, "emulated agent cannot read its log: {error:#}");
                    None
                }
            };
            let Some(plan) = plan else {
                if stored.changed().await.is_err() {
                    return;
                }
                continue;
            };
            if !plan.after.is_zero() {
                let deadline = match delay {
                    Some((at, deadline)) if at == agent.position() => deadline,
                    _ => Instant::now() + plan.after,
                };
                delay = Some((agent.position(), deadline));
                tokio::select! {
                    _ = tokio::time::sleep_until(deadline) => {}
                    changed = stored.changed() => {
                        if changed.is_err() {
                            return;
                        }
                        continue;
                    }
                }
            }
            let mut emissions = plan.emissions;
            self.call_mcp_servers(&session_id, &plan.mcp_calls, &mut emissions)
                .await;
            match self
                .emitter
                .append(&session_id, Some(folded), &emissions, &plan.threads)
            {
                Ok(_) => {}
                Err(error) => {
                    tracing::error!(session = %session_id, "emulated agent failed: {error:#}");
                    if stored.changed().await.is_err() {
                        return;
                    }
                }
            }
        }
    }

    /// Makes a batch's MCP calls (together) and puts what each gave into its result event;
    /// a server that cannot be reached or refuses the credentials is also announced by a
    /// `session.error` (`retrying`) just before that result.
    async fn call_mcp_servers(
        &self,
        session_id: &str,
        calls: &[(usize, McpRequest)],
        emissions: &mut Vec<crate::agent::Emission>,
    ) {
        if calls.is_empty() {
            return;
        }
        let bearers: Vec<Option<String>> = calls
            .iter()
            .map(|(_, request)| self.bearer(session_id, &request.url))
            .collect();
        let resolved: Vec<McpRequest> = calls
            .iter()
            .map(|(_, request)| McpRequest {
                url: self.gateway_url(&request.url),
                ..request.clone()
            })
            .collect();
        let answers = futures_util::future::join_all(
            resolved
                .iter()
                .zip(&bearers)
                .map(|(request, bearer)| crate::mcp_client::call(request, bearer.as_deref())),
        )
        .await;
        let mut failures = Vec::new();
        for ((at, request), answer) in calls.iter().zip(answers) {
            let emission = &mut emissions[*at];
            if let Event::AgentMcpToolResult(result) = &mut emission.event {
                if let Some(failure) = answer.failure {
                    let message = answer.content.first().and_then(|c| c.as_text());
                    let error = mcp_session_error(failure, request, message.unwrap_or_default());
                    let thread = emission.thread.clone();
                    failures.push((
                        *at,
                        crate::agent::Emission {
                            thread,
                            event: error,
                        },
                    ));
                }
                result.content = Some(answer.content);
                result.is_error = Some(Some(answer.is_error));
            }
        }
        // From the last, so the earlier positions still hold.
        for (at, error) in failures.into_iter().rev() {
            emissions.insert(at, error);
        }
    }

    /// The URL to call for a server: an AgentCore gateway's ARN becomes the URL mapped to
    /// it (`--agentcore-gateway ARN=URL`); an unmapped one stays an ARN, which cannot be
    /// reached, and the call fails as an unreachable server's does.
    fn gateway_url(&self, url: &str) -> String {
        self.gateways
            .iter()
            .find(|(arn, _)| arn == url)
            .map_or_else(|| url.to_string(), |(_, mapped)| mapped.clone())
    }

    /// The bearer token a session's vaults hold for an MCP server's URL: a `static_bearer`
    /// credential's token or an `mcp_oauth` one's access token, first vault first.
    fn bearer(&self, session_id: &str, url: &str) -> Option<String> {
        let store = &self.emitter.store;
        let session = store.get(Kind::Session, session_id, None).ok()??;
        let credentials = store.list(Kind::Credential).ok()?;
        let vaults = session["vault_ids"].as_array()?;
        vaults.iter().find_map(|vault| {
            credentials
                .iter()
                .filter(|c| c["vault_id"] == *vault && c["archived_at"].is_null())
                .filter(|c| same_server(c["auth"]["mcp_server_url"].as_str(), url))
                .find_map(|credential| {
                    let id = credential["id"].as_str()?;
                    let secret = store.get(Kind::CredentialSecret, id, None).ok()??;
                    let field = match credential["auth"]["type"].as_str()? {
                        "static_bearer" => "token",
                        "mcp_oauth" => "access_token",
                        _ => return None,
                    };
                    secret["secrets"][field].as_str().map(str::to_owned)
                })
        })
    }

    /// Folds the events stored since `folded` into the agent.
    fn fold(
        &self,
        session_id: &str,
        agent: &mut Agent,
        folded: &mut i64,
        script: &SessionScript,
    ) -> anyhow::Result<()> {
        let rows = self.emitter.store.log_after(session_id, *folded)?;
        let Some(last) = rows.last().map(|r| r.seq) else {
            return Ok(());
        };
        let log = rows
            .into_iter()
            .map(|row| Ok((row.thread, serde_json::from_value::<Event>(row.json)?)))
            .collect::<anyhow::Result<Vec<_>>>()?;
        agent.fold(&log, script);
        *folded = last;
        Ok(())
    }

    /// What the session's agent is scripted to do; `None` once the session is gone.
    fn script(&self, session_id: &str) -> Option<SessionScript> {
        let store = &self.emitter.store;
        let session = store.get(Kind::Session, session_id, None).ok()??;
        let scenario_name = session["agent"]["id"]
            .as_str()
            .and_then(|id| store.get(Kind::Agent, id, None).ok()?)
            .and_then(|agent| agent["metadata"]["scenario"].as_str().map(str::to_owned));
        let scenario = scenario_name
            .as_ref()
            .and_then(|name| self.scenarios.get(name).cloned());
        Some(SessionScript {
            session_id: session_id.to_string(),
            custom_tools: custom_tool_names(&session["agent"]),
            self_hosted_tools: self_hosted_tool_names(store, &session),
            mcp_servers: crate::mcp_servers::attached(&session["agent"]),
            roster: roster_agents(&session["agent"]["multiagent"]),
            scenario_name,
            scenario,
            delay_scale: self.delay_scale,
        })
    }
}

/// A session's script, read from its stored session, agent and the loaded scenarios.
struct SessionScript {
    session_id: String,
    custom_tools: Vec<String>,
    self_hosted_tools: Vec<String>,
    mcp_servers: Vec<McpServer>,
    roster: Vec<Value>,
    scenario_name: Option<String>,
    scenario: Option<Arc<Scenario>>,
    delay_scale: f64,
}

impl Script for SessionScript {
    fn session_id(&self) -> &str {
        &self.session_id
    }

    fn turn(&self, text: &str, turn: usize) -> Result<Turn, String> {
        match (&self.scenario_name, &self.scenario) {
            (None, _) => default_turn(text),
            (Some(name), None) => Err(format!("no scenario named `{name}`")),
            (Some(_), Some(scenario)) => scenario.turns[turn.min(scenario.turns.len() - 1)]
                .clone()
                .expanded(),
        }
    }

    fn custom_tools(&self) -> Vec<String> {
        self.custom_tools.clone()
    }

    fn self_hosted_tools(&self) -> Vec<String> {
        self.self_hosted_tools.clone()
    }

    fn mcp_servers(&self) -> Vec<McpServer> {
        self.mcp_servers.clone()
    }

    fn roster_agent(&self, name: &str) -> Option<Value> {
        self.roster.iter().find(|a| a["name"] == name).cloned()
    }

    fn roster_names(&self) -> Vec<String> {
        self.roster
            .iter()
            .filter_map(|a| a["name"].as_str().map(str::to_owned))
            .collect()
    }

    fn verdicts(&self) -> Vec<String> {
        self.scenario
            .as_ref()
            .map(|s| s.outcome_verdicts.clone())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| vec!["satisfied".to_string()])
    }

    fn delay(&self, ms: u64) -> Duration {
        Duration::from_secs_f64(ms as f64 / 1000.0 * self.delay_scale)
    }
}

/// Whether a credential's `mcp_server_url` names the server at `url` (a trailing `/` aside).
fn same_server(credential_url: Option<&str>, url: &str) -> bool {
    credential_url.is_some_and(|c| c.trim_end_matches('/') == url.trim_end_matches('/'))
}

/// The six built-in tools a self-hosted environment runs (`agent_toolset_20260401`), as the
/// session's agent enables them; none unless the session's environment is `self_hosted`.
fn self_hosted_tool_names(store: &crate::store::Store, session: &serde_json::Value) -> Vec<String> {
    const SELF_HOSTED: [&str; 6] = ["bash", "read", "write", "edit", "glob", "grep"];
    let self_hosted = session["environment_id"]
        .as_str()
        .and_then(|id| store.get(Kind::Environment, id, None).ok()?)
        .is_some_and(|env| env["config"]["type"] == "self_hosted");
    if !self_hosted {
        return Vec::new();
    }
    let tools = session["agent"]["tools"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let Some(toolset) = tools.iter().find(|t| t["type"] == "agent_toolset_20260401") else {
        return Vec::new();
    };
    let default_on = toolset["default_config"]["enabled"]
        .as_bool()
        .unwrap_or(true);
    SELF_HOSTED
        .iter()
        .filter(|name| {
            let config = toolset["configs"]
                .as_array()
                .and_then(|configs| configs.iter().find(|c| c["name"] == **name));
            config
                .and_then(|c| c["enabled"].as_bool())
                .unwrap_or(default_on)
        })
        .map(|name| name.to_string())
        .collect()
}

/// The agent definitions a session's roster names (coordinator agents, sub-agents and
/// workflow agents), as expanded on the session.
fn roster_agents(roster: &Value) -> Vec<Value> {
    let mut agents: Vec<Value> = roster["agents"].as_array().cloned().unwrap_or_default();
    for key in ["subagents", "workflows"] {
        agents.extend(
            roster[key]["predefined_agents"]
                .as_array()
                .cloned()
                .unwrap_or_default(),
        );
    }
    agents.retain(|a| a["name"].is_string());
    agents
}

/// The `session.error` announcing that an MCP server could not be used.
fn mcp_session_error(failure: Failure, request: &McpRequest, message: &str) -> Event {
    let error = McpSessionError {
        message: message.to_string(),
        retry_status: RetryStatus::Retrying(Empty::default()),
        mcp_server_name: request.server_name.clone(),
        extra: Default::default(),
    };
    crate::agent_events::error(match failure {
        Failure::Connection => SessionError::McpConnectionFailed(error),
        Failure::Authentication => SessionError::McpAuthenticationFailed(error),
    })
}
