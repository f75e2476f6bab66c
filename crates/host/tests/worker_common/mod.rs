//! Shared set-up of the worker tests: an emulator with a self-hosted environment, an agent
//! with the built-in toolset and a custom tool, and a worker serving it.
#![allow(dead_code)]

use super::common;

use outrig_api::events::Event;
use outrig_api::SendEvent;
use outrig_client::Client;
use outrig_host::journal::Journal;
use outrig_host::worker::config::SandboxConfig;
use outrig_host::worker::{Worker, WorkerOptions};
use outrig_host::HostConfig;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

pub struct World {
    pub emulator: outrig_emulator::Running,
    pub client: Client,
    pub environment_id: String,
    pub agent_id: String,
    pub root: tempfile::TempDir,
}

pub async fn world() -> World {
    let emulated = outrig_test_support::emulator().await;
    let environment_id = emulated
        .environment(json!({"name": "mine", "config": {"type": "self_hosted"}}))
        .await;
    let echo = json!({"type": "custom", "name": "echo", "description": "echo",
        "input_schema": {"type": "object"}});
    let agent_id = emulated
        .agent(json!({"name": "worker", "model": "claude-opus-4-6",
            "tools": [{"type": "agent_toolset_20260401"}, echo]}))
        .await;
    World {
        emulator: emulated.emulator,
        client: emulated.client,
        environment_id,
        agent_id,
        root: tempfile::tempdir().unwrap(),
    }
}

impl World {
    pub async fn session(&self) -> String {
        let session: Value = self
            .create(
                &outrig_api::routes::SESSIONS_CREATE,
                json!({"agent": self.agent_id, "environment_id": self.environment_id}),
            )
            .await;
        session["id"].as_str().unwrap().into()
    }

    /// Creates an object through `route` (no path ids).
    pub async fn create(&self, route: &outrig_api::routes::Route, body: Value) -> Value {
        self.client
            .call(route, &[], &Default::default(), Some(&body))
            .await
            .unwrap()
    }

    /// The environment's work items.
    pub async fn items(&self) -> Vec<Value> {
        let items: Value = self
            .client
            .call(
                &outrig_api::routes::ENVIRONMENTS_WORK_LIST,
                &[&self.environment_id],
                &Default::default(),
                None::<&()>,
            )
            .await
            .unwrap();
        items["data"].as_array().unwrap().clone()
    }

    pub fn sandbox(&self) -> SandboxConfig {
        SandboxConfig {
            root: Some(self.root.path().to_path_buf()),
            bash_timeout_ms: Some(3_000),
            ..Default::default()
        }
    }

    pub async fn worker(
        &self,
        sandbox: SandboxConfig,
    ) -> (CancellationToken, tokio::task::JoinHandle<()>) {
        self.worker_with(sandbox, |_| {}).await
    }

    pub async fn worker_with(
        &self,
        sandbox: SandboxConfig,
        adjust: impl FnOnce(&mut WorkerOptions),
    ) -> (CancellationToken, tokio::task::JoinHandle<()>) {
        let host = HostConfig {
            plugins: vec![common::config("invoices")],
            ..Default::default()
        }
        .load_tools()
        .await
        .unwrap();
        let mut options = WorkerOptions {
            environment_id: self.environment_id.clone(),
            client: self.client.options().clone(),
            sandbox,
            max_idle: Duration::from_millis(300),
            max_concurrent_calls: 1,
            lease_ttl_seconds: None,
            poll_block_ms: 200,
        };
        adjust(&mut options);
        let worker = Worker::new(Arc::new(host), Journal::in_memory(), Vec::new(), options);
        let stop = CancellationToken::new();
        let stopping = stop.clone();
        let task = tokio::spawn(async move { worker.run(stopping).await.unwrap() });
        (stop, task)
    }

    /// Sends `text` and waits for the turn to end; returns the results of the turn's
    /// built-in and custom calls, by tool name, in order.
    pub async fn turn(&self, session: &str, text: &str) -> Vec<(String, bool, String)> {
        let before = self.client.list_events(session).await.unwrap().len();
        self.client
            .send_events(session, vec![SendEvent::user_text(text)])
            .await
            .unwrap();
        for _ in 0..600 {
            let events = self.client.list_events(session).await.unwrap();
            let ended = events[before..].iter().any(
                |e| matches!(e, Event::SessionStatusIdle(idle) if idle.stop_reason.ends_turn()),
            );
            if ended {
                return results(&events[before..]);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "the turn did not end: {:#?}",
            self.client.list_events(session).await.unwrap()
        );
    }
}

/// (tool, is_error, text) of every answer in `events`.
pub fn results(events: &[Event]) -> Vec<(String, bool, String)> {
    let mut names = std::collections::HashMap::new();
    let mut out = Vec::new();
    for event in events {
        match event {
            Event::AgentToolUse(call) => drop(names.insert(call.id.clone(), call.name.clone())),
            Event::AgentCustomToolUse(call) => {
                drop(names.insert(call.id.clone(), call.name.clone()))
            }
            Event::UserToolResult(r) => out.push((
                names[&r.tool_use_id].clone(),
                r.is_error.flatten().unwrap_or(false),
                outrig_api::content::joined_text(r.content.as_deref().unwrap_or_default()),
            )),
            Event::UserCustomToolResult(r) => out.push((
                names[&r.custom_tool_use_id].clone(),
                r.is_error.flatten().unwrap_or(false),
                outrig_api::content::joined_text(r.content.as_deref().unwrap_or_default()),
            )),
            _ => {}
        }
    }
    out
}

pub fn tool(name: &str, input: Value) -> String {
    format!("tool {name} {input}")
}
