//! `outrig host …`: register a host's tools on an agent, and serve sessions.

use crate::connect::Connection;
use crate::render::Renderer;
use anyhow::{bail, Result};
use clap::Subcommand;
use outrig_host::grants::HostConfig;
use outrig_host::journal::Journal;
use outrig_host::runner::{Runner, Until};
use outrig_host::ToolHost;
use std::path::PathBuf;
use std::sync::Arc;

/// `outrig host` subcommands.
#[derive(Debug, Subcommand)]
pub enum HostCommand {
    /// Make an agent's custom tools exactly the plugins' tools.
    Register {
        /// The grants file.
        #[arg(long, default_value = "outrig-host.toml")]
        config: PathBuf,
        /// The agent to update.
        #[arg(long)]
        agent: String,
        #[command(flatten)]
        connection: Connection,
    },
    /// Answer the custom tool calls of a session (or of every session of an agent).
    Run {
        /// The grants file.
        #[arg(long, default_value = "outrig-host.toml")]
        config: PathBuf,
        /// The session to serve.
        #[arg(long, conflicts_with = "all")]
        session: Option<String>,
        /// Serve every session of `--agent`, including new ones.
        #[arg(long, requires = "agent")]
        all: bool,
        /// The agent (with --all).
        #[arg(long)]
        agent: Option<String>,
        /// The journal of calls, so a restarted host neither loses a result nor runs a
        /// call twice (default: $XDG_DATA_HOME/outrig/host-journal.sqlite).
        #[arg(long)]
        state: Option<PathBuf>,
        #[command(flatten)]
        connection: Connection,
    },
}

async fn load(config: &std::path::Path) -> Result<(Arc<ToolHost>, HostConfig)> {
    let config = HostConfig::read(config)?;
    let progress =
        crate::progress::Progress::start(&format!("loading {} plugin(s)", config.plugins.len()));
    let host = ToolHost::load(&config).await?;
    progress.finish();
    for tool in host.tools() {
        eprintln!("  {}", tool.name);
    }
    Ok((Arc::new(host), config))
}

/// Runs a host command.
pub async fn run(command: HostCommand) -> Result<()> {
    match command {
        HostCommand::Register {
            config,
            agent,
            connection,
        } => {
            let (host, config) = load(&config).await?;
            let agent = Runner::new(host, connection.client(), config.max_parallel.unwrap_or(8))
                .register(&agent)
                .await?;
            println!(
                "agent {} is at version {} with {} custom tools",
                agent.id,
                agent.version,
                agent.custom_tools().count()
            );
        }
        HostCommand::Run {
            config,
            session,
            all,
            agent,
            state,
            connection,
        } => {
            let (host, config) = load(&config).await?;
            let journal = Journal::open(&state.unwrap_or_else(Journal::default_path))?;
            let runner = Runner::new(host, connection.client(), config.max_parallel.unwrap_or(8))
                .with_journal(journal)
                .with_confirmations(config.confirm);
            match (session, all, agent) {
                (Some(session), _, _) => {
                    let render = Renderer::for_stdout();
                    let summary = runner
                        .serve(&session, Until::SessionEnds, move |event| {
                            if let Some(line) = render.line(event) {
                                println!("{line}");
                            }
                        })
                        .await?;
                    eprintln!(
                        "session ended after {} events and {} tool calls",
                        summary.events,
                        summary.calls.len()
                    );
                }
                (None, true, Some(agent)) => runner.serve_all(&agent).await?,
                _ => bail!("give --session ID, or --all --agent ID"),
            }
        }
    }
    Ok(())
}
