//! `outrig agents|environments|sessions …`: the API from the terminal. Human output by
//! default, the API's JSON with `--json`.

use crate::connect::Connection;
use crate::render::Renderer;
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use outrig_api::request::Query;
use outrig_api::routes::{self, Route};
use outrig_api::SendEvent;
use outrig_client::{Client, StreamOptions};
use serde_json::{json, Map, Value};

/// Flags every API command takes.
#[derive(Debug, Clone, Args)]
pub struct Common {
    /// Print the API's JSON instead of a summary.
    #[arg(long, global = true)]
    pub(crate) json: bool,
    #[command(flatten)]
    connection: Connection,
}

impl Common {
    /// A client for the API these flags point at.
    pub fn client(&self) -> anyhow::Result<Client> {
        self.connection.client()
    }
}

/// `outrig agents …`
#[derive(Debug, Subcommand)]
pub enum AgentsCommand {
    /// Create an agent.
    Create {
        /// Name.
        #[arg(long)]
        name: String,
        /// Model id.
        #[arg(long, default_value = "claude-sonnet-4-6")]
        model: String,
        /// System prompt.
        #[arg(long)]
        system: Option<String>,
        /// A JSON file with the `tools` array.
        #[arg(long)]
        tools: Option<std::path::PathBuf>,
        /// Metadata `key=value` (repeatable).
        #[arg(long = "metadata", value_parser = key_value)]
        metadata: Vec<(String, String)>,
    },
    /// Show an agent (optionally an older version).
    Get {
        /// Agent id.
        id: String,
        /// Version.
        #[arg(long)]
        version: Option<u32>,
    },
    /// List agents.
    List {
        /// Include archived agents.
        #[arg(long)]
        include_archived: bool,
    },
    /// Update an agent (a new version).
    Update {
        /// Agent id.
        id: String,
        /// The version you are updating (optimistic concurrency).
        #[arg(long)]
        version: Option<i64>,
        /// New name.
        #[arg(long)]
        name: Option<String>,
        /// New system prompt.
        #[arg(long)]
        system: Option<String>,
    },
    /// Archive an agent.
    Archive {
        /// Agent id.
        id: String,
    },
}

/// `outrig environments …`
#[derive(Debug, Subcommand)]
pub enum EnvironmentsCommand {
    /// Create an environment.
    Create {
        /// Name.
        #[arg(long)]
        name: String,
        /// Description.
        #[arg(long)]
        description: Option<String>,
    },
    /// Show an environment.
    Get {
        /// Environment id.
        id: String,
    },
    /// List environments.
    List {
        /// Include archived ones.
        #[arg(long)]
        include_archived: bool,
    },
    /// Update an environment.
    Update {
        /// Environment id.
        id: String,
        /// New name.
        #[arg(long)]
        name: Option<String>,
        /// New description.
        #[arg(long)]
        description: Option<String>,
    },
    /// Archive an environment.
    Archive {
        /// Environment id.
        id: String,
    },
    /// Delete an environment.
    Delete {
        /// Environment id.
        id: String,
    },
}

/// `outrig sessions …`
#[derive(Debug, Subcommand)]
pub enum SessionsCommand {
    /// Create a session.
    Create {
        /// Agent id.
        #[arg(long)]
        agent: String,
        /// Environment id.
        #[arg(long)]
        environment: String,
        /// Title.
        #[arg(long)]
        title: Option<String>,
    },
    /// Show a session.
    Get {
        /// Session id.
        id: String,
    },
    /// List sessions.
    List {
        /// Only this agent's.
        #[arg(long)]
        agent: Option<String>,
    },
    /// Update a session's title.
    Update {
        /// Session id.
        id: String,
        /// New title.
        #[arg(long)]
        title: String,
    },
    /// Archive a session.
    Archive {
        /// Session id.
        id: String,
    },
    /// Delete a session.
    Delete {
        /// Session id.
        id: String,
    },
    /// Send a user message.
    Send {
        /// Session id.
        id: String,
        /// The message.
        text: String,
    },
    /// Stop the session's current turn (tool calls in flight are cancelled).
    Interrupt {
        /// Session id.
        id: String,
    },
    /// Answer a built-in or MCP tool call that awaits confirmation (`always_ask`).
    Confirm {
        /// Session id.
        id: String,
        /// The `agent.tool_use` / `agent.mcp_tool_use` event id.
        event: String,
        /// Let the call run.
        #[arg(long, conflicts_with = "deny", required_unless_present = "deny")]
        allow: bool,
        /// Refuse it, with this message for the model.
        #[arg(long, value_name = "WHY")]
        deny: Option<String>,
    },
    /// Follow a session live (reconnecting and de-duplicating) until it ends or Ctrl-C.
    Stream {
        /// Session id.
        id: String,
        /// Include the history before now.
        #[arg(long)]
        history: bool,
    },
    /// List a session's events.
    Events {
        /// Session id.
        id: String,
    },
}

pub(crate) fn key_value(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .ok_or_else(|| format!("expected key=value, got `{text}`"))
}

pub(crate) fn print_one(common: &Common, value: &Value) {
    if common.json {
        outln!("{}", serde_json::to_string_pretty(value).expect("json"));
        return;
    }
    let pick = |key: &str| {
        value.get(key).and_then(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    };
    let mut parts = vec![pick("id").unwrap_or_default()];
    for key in ["name", "title", "status", "version", "type"] {
        if let Some(text) = pick(key) {
            parts.push(format!("{key}={text}"));
        }
    }
    if value.get("archived_at").is_some_and(|a| !a.is_null()) {
        parts.push("archived".into());
    }
    outln!("{}", parts.join("  "));
}

pub(crate) fn print_list(common: &Common, items: Vec<Value>) {
    if common.json {
        outln!("{}", serde_json::to_string_pretty(&items).expect("json"));
    } else {
        items.iter().for_each(|item| print_one(common, item));
    }
}

fn body(pairs: &[(&str, Option<Value>)]) -> Value {
    Value::Object(
        pairs
            .iter()
            .filter_map(|(k, v)| v.clone().map(|v| (k.to_string(), v)))
            .collect::<Map<_, _>>(),
    )
}

/// Every item of a paginated route.
pub async fn list(client: &Client, route: &Route, query: Query) -> Result<Vec<Value>> {
    Ok(client.call_all(route, &[], query).await?)
}

/// A route that takes one id and nothing else.
pub async fn plain(client: &Client, route: &Route, id: &str) -> Result<Value> {
    Ok(client
        .call(route, &[id], &Query::new(), None::<&()>)
        .await?)
}

/// Runs `outrig agents …`.
pub async fn agents(command: AgentsCommand, common: Common) -> Result<()> {
    let client = common.connection.client()?;
    let value: Value = match command {
        AgentsCommand::Create {
            name,
            model,
            system,
            tools,
            metadata,
        } => {
            let tools = match tools {
                Some(path) => Some(serde_json::from_str::<Value>(
                    &std::fs::read_to_string(&path).with_context(|| path.display().to_string())?,
                )?),
                None => None,
            };
            let metadata: Map<String, Value> =
                metadata.into_iter().map(|(k, v)| (k, json!(v))).collect();
            let body = body(&[
                ("name", Some(json!(name))),
                ("model", Some(json!(model))),
                ("system", system.map(Value::from)),
                ("tools", tools),
                (
                    "metadata",
                    (!metadata.is_empty()).then_some(Value::Object(metadata)),
                ),
            ]);
            client
                .call(&routes::AGENTS_CREATE, &[], &Query::new(), Some(&body))
                .await?
        }
        AgentsCommand::Get { id, version } => {
            client
                .call(
                    &routes::AGENTS_RETRIEVE,
                    &[&id],
                    &Query::new().opt("version", version),
                    None::<&()>,
                )
                .await?
        }
        AgentsCommand::List { include_archived } => {
            print_list(
                &common,
                list(
                    &client,
                    &routes::AGENTS_LIST,
                    Query::new().opt("include_archived", include_archived.then_some(true)),
                )
                .await?,
            );
            return Ok(());
        }
        AgentsCommand::Update {
            id,
            version,
            name,
            system,
        } => {
            let body = body(&[
                ("version", version.map(Value::from)),
                ("name", name.map(Value::from)),
                ("system", system.map(Value::from)),
            ]);
            client
                .call(&routes::AGENTS_UPDATE, &[&id], &Query::new(), Some(&body))
                .await?
        }
        AgentsCommand::Archive { id } => plain(&client, &routes::AGENTS_ARCHIVE, &id).await?,
    };
    print_one(&common, &value);
    Ok(())
}

/// Runs `outrig environments …`.
pub async fn environments(command: EnvironmentsCommand, common: Common) -> Result<()> {
    let client = common.connection.client()?;
    let value: Value = match command {
        EnvironmentsCommand::Create { name, description } => {
            client
                .call(
                    &routes::ENVIRONMENTS_CREATE,
                    &[],
                    &Query::new(),
                    Some(&body(&[
                        ("name", Some(json!(name))),
                        ("description", description.map(Value::from)),
                    ])),
                )
                .await?
        }
        EnvironmentsCommand::Get { id } => {
            plain(&client, &routes::ENVIRONMENTS_RETRIEVE, &id).await?
        }
        EnvironmentsCommand::List { include_archived } => {
            print_list(
                &common,
                list(
                    &client,
                    &routes::ENVIRONMENTS_LIST,
                    Query::new().opt("include_archived", include_archived.then_some(true)),
                )
                .await?,
            );
            return Ok(());
        }
        EnvironmentsCommand::Update {
            id,
            name,
            description,
        } => {
            client
                .call(
                    &routes::ENVIRONMENTS_UPDATE,
                    &[&id],
                    &Query::new(),
                    Some(&body(&[
                        ("name", name.map(Value::from)),
                        ("description", description.map(Value::from)),
                    ])),
                )
                .await?
        }
        EnvironmentsCommand::Archive { id } => {
            plain(&client, &routes::ENVIRONMENTS_ARCHIVE, &id).await?
        }
        EnvironmentsCommand::Delete { id } => {
            plain(&client, &routes::ENVIRONMENTS_DELETE, &id).await?
        }
    };
    print_one(&common, &value);
    Ok(())
}

/// Runs `outrig sessions …`.
pub async fn sessions(command: SessionsCommand, common: Common) -> Result<()> {
    let client = common.connection.client()?;
    let render = Renderer::for_stdout();
    let value: Value = match command {
        SessionsCommand::Create {
            agent,
            environment,
            title,
        } => {
            client
                .call(
                    &routes::SESSIONS_CREATE,
                    &[],
                    &Query::new(),
                    Some(&body(&[
                        ("agent", Some(json!(agent))),
                        ("environment_id", Some(json!(environment))),
                        ("title", title.map(Value::from)),
                    ])),
                )
                .await?
        }
        SessionsCommand::Get { id } => plain(&client, &routes::SESSIONS_RETRIEVE, &id).await?,
        SessionsCommand::List { agent } => {
            print_list(
                &common,
                list(
                    &client,
                    &routes::SESSIONS_LIST,
                    Query::new().opt("agent_id", agent),
                )
                .await?,
            );
            return Ok(());
        }
        SessionsCommand::Update { id, title } => {
            client
                .call(
                    &routes::SESSIONS_UPDATE,
                    &[&id],
                    &Query::new(),
                    Some(&json!({"title": title})),
                )
                .await?
        }
        SessionsCommand::Archive { id } => plain(&client, &routes::SESSIONS_ARCHIVE, &id).await?,
        SessionsCommand::Delete { id } => plain(&client, &routes::SESSIONS_DELETE, &id).await?,
        SessionsCommand::Send { id, text } => {
            return send_and_print(&client, &common, &render, &id, SendEvent::user_text(text))
                .await;
        }
        SessionsCommand::Interrupt { id } => {
            return send_and_print(&client, &common, &render, &id, SendEvent::interrupt()).await;
        }
        SessionsCommand::Confirm {
            id,
            event,
            allow,
            deny,
        } => {
            use outrig_host::confirm::{confirmation, Decision};
            let answer = match (allow, deny) {
                (true, _) => confirmation(&event, Decision::Allow, None),
                (false, why) => confirmation(&event, Decision::Deny, why),
            };
            return send_and_print(&client, &common, &render, &id, answer).await;
        }
        SessionsCommand::Stream { id, history } => {
            let mut stream = client.stream_events(
                &id,
                StreamOptions {
                    backfill_on_start: history,
                    ..Default::default()
                },
            );
            while let Some(event) = stream.next().await {
                print_event(&common, &render, &event?);
            }
            return Ok(());
        }
        SessionsCommand::Events { id } => {
            for event in client.list_events(&id).await? {
                print_event(&common, &render, &event);
            }
            return Ok(());
        }
    };
    print_one(&common, &value);
    Ok(())
}

/// Sends one event and prints the echoes.
async fn send_and_print(
    client: &Client,
    common: &Common,
    render: &Renderer,
    id: &str,
    event: SendEvent,
) -> Result<()> {
    for echo in &client.send_events(id, vec![event]).await? {
        print_event(common, render, echo);
    }
    Ok(())
}

fn print_event(common: &Common, render: &Renderer, event: &outrig_api::Event) {
    if common.json {
        outln!("{}", serde_json::to_string(event).expect("json"));
    } else if let Some(line) = render.line(event) {
        outln!("{line}");
    }
}
