//! A whole agent → MCP → wasm plugin path, offline: an emulator session whose agent attaches
//! `outrig host mcp` as an MCP server gets its `agent.mcp_tool_result` events from the
//! plugins, called by the emulator with the vault's `static_bearer` token; `always_ask`
//! waits for `user.tool_confirmation`, a disabled tool is refused, and without the token
//! the server refuses the call (a `mcp_authentication_failed_error` session error), as an
//! unreachable server gives `mcp_connection_failed_error`.

mod common;

use common::eventually;
use outrig_api::content::joined_text;
use outrig_api::events::{AgentMcpToolResult, AgentMcpToolUse, Event, StopReason};
use outrig_api::request::Secret;
use outrig_api::SendEvent;
use outrig_client::{Client, ClientOptions};
use serde_json::{json, Value};
use std::io::BufRead;
use std::path::Path;
use std::process::{Child, Command, Stdio};

const TOKEN: &str = "mcp-test-token-0123456789abcdef";

/// `outrig host mcp` on a free loopback port; killed on drop.
struct McpHost {
    child: Child,
    url: String,
}

impl McpHost {
    fn start(config: &Path) -> McpHost {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_outrig"))
            .args(["host", "mcp", "--config"])
            .arg(config)
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .env("OUTRIG_MCP_TOKEN", TOKEN)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
        let mut lines = stderr.lines();
        let url = loop {
            let line = lines
                .next()
                .expect("host mcp exited before listening")
                .unwrap();
            if let Some(url) = line.strip_prefix("outrig host mcp on ") {
                break url.to_string();
            }
        };
        std::thread::spawn(move || lines.for_each(drop));
        McpHost { child, url }
    }
}

impl Drop for McpHost {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn plugin(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../artifacts/plugins")
        .join(format!("{name}.wasm"));
    assert!(path.is_file(), "run scripts/build-plugins.sh");
    path.display().to_string()
}

fn grants(dir: &Path) -> std::path::PathBuf {
    let books = dir.join("books");
    std::fs::create_dir(&books).unwrap();
    std::fs::write(
        books.join("invoices.csv"),
        "id,amount\nINV-1,120.00\nINV-2,75.50\nINV-3,19.99\nINV-4,300\n",
    )
    .unwrap();
    std::fs::write(
        books.join("ledger.csv"),
        "id,amount\nINV-1,120.00\nINV-2,57.50\nINV-3,19.99\nINV-9,42.00\n",
    )
    .unwrap();
    let config = format!(
        r#"
[[plugin]]
path = "{invoices}"
[plugin.grants]
dirs = [{{ host = "{books}", guest = "/data", mode = "ro" }}]

[[plugin]]
path = "{hostile}"
prefix = "short_"
[plugin.limits]
timeout_ms = 500
"#,
        invoices = plugin("invoices"),
        hostile = plugin("hostile"),
        books = books.display(),
    );
    let path = dir.join("outrig-host.toml");
    std::fs::write(&path, config).unwrap();
    path
}

async fn session(client: &Client, agent: &str, vaults: Value) -> String {
    let environment: Value = client
        .post("/v1/environments", Some(&json!({"name": "e"})))
        .await
        .unwrap();
    let session: Value = client
        .post(
            "/v1/sessions",
            Some(
                &json!({"agent": agent, "environment_id": environment["id"], "vault_ids": vaults}),
            ),
        )
        .await
        .unwrap();
    session["id"].as_str().unwrap().to_string()
}

fn mcp_uses(events: &[Event]) -> Vec<AgentMcpToolUse> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::AgentMcpToolUse(u) => Some(u.clone()),
            _ => None,
        })
        .collect()
}

fn mcp_result<'a>(events: &'a [Event], use_id: &str) -> Option<&'a AgentMcpToolResult> {
    events.iter().find_map(|e| match e {
        Event::AgentMcpToolResult(r) if r.mcp_tool_use_id == use_id => Some(r),
        _ => None,
    })
}

fn ended(events: &[Event]) -> bool {
    events.iter().any(|e| {
        matches!(e, Event::SessionStatusIdle(idle)
            if matches!(idle.stop_reason, StopReason::EndTurn(_)))
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_calls_wasm_plugins_through_outrig_host_mcp() {
    let dir = tempfile::tempdir().unwrap();
    let host = McpHost::start(&grants(dir.path()));
    let emulator = outrig_emulator::start(outrig_emulator::Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        delay_scale: 0.0,
        ..Default::default()
    })
    .await
    .unwrap();
    let client = Client::new(ClientOptions {
        base_url: emulator.base_url(),
        api_key: Some(Secret::new("k")),
        ..Default::default()
    });
    let vault: Value = client
        .post("/v1/vaults", Some(&json!({"display_name": "plugins"})))
        .await
        .unwrap();
    let vault_id = vault["id"].as_str().unwrap();
    let _: Value = client
        .post(
            &format!("/v1/vaults/{vault_id}/credentials"),
            Some(&json!({"auth": {"type": "static_bearer", "token": TOKEN, "mcp_server_url": host.url}})),
        )
        .await
        .unwrap();
    let agent: Value = client
        .post(
            "/v1/agents",
            Some(&json!({
                "name": "books", "model": "claude-sonnet-4-6",
                "mcp_servers": [{"type": "url", "name": "plugins", "url": host.url}],
                "tools": [{"type": "mcp_toolset", "mcp_server_name": "plugins",
                    "default_config": {"permission_policy": {"type": "always_allow"}},
                    "configs": [{"name": "short_spin", "permission_policy": {"type": "always_ask"}},
                                {"name": "echo", "enabled": false}]}]
            })),
        )
        .await
        .unwrap();
    let agent_id = agent["id"].as_str().unwrap();

    let id = session(&client, agent_id, json!([vault_id])).await;
    let message =
        "mcp reconcile_invoices {\"invoices\": \"invoices.csv\", \"ledger\": \"ledger.csv\"}\n\
                   mcp plugins/short_spin {}\n\
                   mcp echo {\"x\": 1}\n\
                   mcp no_such_tool {}";
    client
        .send_events(&id, vec![SendEvent::user_text(message)])
        .await
        .unwrap();
    let asked = eventually("short_spin asks for confirmation", async || {
        let events = client.list_events(&id).await.unwrap();
        mcp_uses(&events)
            .into_iter()
            .find(|u| u.name == "short_spin" && u.evaluated_permission.as_deref() == Some("ask"))
    })
    .await;
    assert_eq!(asked.mcp_server_name, "plugins");
    let events = client.list_events(&id).await.unwrap();
    let uses = mcp_uses(&events);
    let reconcile = uses
        .iter()
        .find(|u| u.name == "reconcile_invoices")
        .unwrap();
    assert_eq!(reconcile.evaluated_permission.as_deref(), Some("allow"));
    let result = mcp_result(&events, &reconcile.id).expect("called at once");
    assert_eq!(result.is_error, Some(Some(false)));
    assert!(
        joined_text(result.content.as_deref().unwrap()).contains(
            "2 of 4 invoices match; 1 differ; 1 missing in the ledger; 1 ledger rows without invoice."
        ),
        "{result:?}"
    );
    let unknown = uses.iter().find(|u| u.name == "no_such_tool").unwrap();
    let unknown = mcp_result(&events, &unknown.id).expect("answered after the tool list");
    assert_eq!(unknown.is_error, Some(Some(true)));
    let text = joined_text(unknown.content.as_deref().unwrap());
    assert!(
        text.contains("offers no tool `no_such_tool`") && text.contains("reconcile_invoices"),
        "{text}"
    );
    let echo = uses.iter().find(|u| u.name == "echo").unwrap();
    assert_eq!(echo.evaluated_permission.as_deref(), Some("deny"));
    assert!(echo.evaluation.is_none(), "refused before any policy");
    let refused = mcp_result(&events, &echo.id).unwrap();
    assert_eq!(refused.is_error, Some(Some(true)));
    assert!(
        mcp_result(&events, &asked.id).is_none(),
        "not run before it is allowed"
    );

    let allow: SendEvent = serde_json::from_value(
        json!({"type": "user.tool_confirmation", "tool_use_id": asked.id, "result": "allow"}),
    )
    .unwrap();
    client.send_events(&id, vec![allow]).await.unwrap();
    let events = eventually("the turn ends", async || {
        let events = client.list_events(&id).await.unwrap();
        ended(&events).then_some(events)
    })
    .await;
    let spun = mcp_result(&events, &asked.id).expect("run once allowed");
    assert_eq!(spun.is_error, Some(Some(true)));
    let text = joined_text(spun.content.as_deref().unwrap());
    assert!(
        text.contains("stopped after its 500 ms time limit"),
        "{text}"
    );
    let report = events
        .iter()
        .filter_map(|e| match e {
            Event::AgentMessage(m) => Some(joined_text(&m.content)),
            _ => None,
        })
        .find(|t| t.starts_with("Tool results:"))
        .unwrap();
    assert!(
        report.contains("reconcile_invoices: 2 of 4 invoices match"),
        "{report}"
    );
    assert!(
        report.contains("short_spin failed: the tool was stopped"),
        "{report}"
    );

    // Without the vault the emulator has no token to send, and the server refuses.
    let id = session(&client, agent_id, json!([])).await;
    client
        .send_events(&id, vec![SendEvent::user_text("mcp reconcile_invoices {}")])
        .await
        .unwrap();
    let events = eventually("the tokenless turn ends", async || {
        let events = client.list_events(&id).await.unwrap();
        ended(&events).then_some(events)
    })
    .await;
    let call = &mcp_uses(&events)[0];
    let result = mcp_result(&events, &call.id).unwrap();
    assert_eq!(result.is_error, Some(Some(true)));
    let text = joined_text(result.content.as_deref().unwrap());
    assert!(
        text.contains("the MCP server `plugins`") && text.contains("requires a bearer token"),
        "{text}"
    );
    assert!(!text.contains(TOKEN));
    eprintln!("without the token: {text}");
    let refused = mcp_error(&events).expect("a session.error for the refused credentials");
    assert_eq!(refused.0, "mcp_authentication_failed_error");
    assert_eq!(refused.1["mcp_server_name"], "plugins");
    assert_eq!(refused.1["retry_status"]["type"], "retrying");
    assert!(!refused.1.to_string().contains(TOKEN));

    // A server nobody listens on: the session hears `mcp_connection_failed_error`.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let gone = format!("http://{}/mcp", closed.local_addr().unwrap());
    drop(closed);
    let agent: Value = client
        .post(
            "/v1/agents",
            Some(&json!({
                "name": "gone", "model": "claude-sonnet-4-6",
                "mcp_servers": [{"type": "url", "name": "gone", "url": gone}],
                "tools": [{"type": "mcp_toolset", "mcp_server_name": "gone",
                    "default_config": {"permission_policy": {"type": "always_allow"}}}]
            })),
        )
        .await
        .unwrap();
    let id = session(&client, agent["id"].as_str().unwrap(), json!([])).await;
    client
        .send_events(&id, vec![SendEvent::user_text("mcp anything {}")])
        .await
        .unwrap();
    let events = eventually("the unreachable turn ends", async || {
        let events = client.list_events(&id).await.unwrap();
        ended(&events).then_some(events)
    })
    .await;
    let failed = mcp_error(&events).expect("a session.error for the unreachable server");
    assert_eq!(failed.0, "mcp_connection_failed_error");
    assert_eq!(failed.1["mcp_server_name"], "gone");
    let call = &mcp_uses(&events)[0];
    assert_eq!(
        mcp_result(&events, &call.id).unwrap().is_error,
        Some(Some(true))
    );
}

/// The first `session.error`: its type and its error object.
fn mcp_error(events: &[Event]) -> Option<(String, Value)> {
    events.iter().find_map(|e| match e {
        Event::SessionError(error) => {
            let object = serde_json::to_value(&error.error).unwrap();
            Some((object["type"].as_str()?.to_string(), object))
        }
        _ => None,
    })
}
