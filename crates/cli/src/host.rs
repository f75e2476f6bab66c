//! `outrig host …`: register a host's tools on an agent, and serve sessions.

use crate::connect::Connection;
use crate::render::Renderer;
use anyhow::{bail, Context, Result};
use clap::Subcommand;
use outrig_host::claims::Claims;
use outrig_host::discovery::DiscoveryOptions;
use outrig_host::journal::Journal;
use outrig_host::runner::{Runner, Until};
use outrig_host::serve::{ServeOptions, WebhookHost};
use outrig_host::worker::{Worker, WorkerOptions};
use outrig_host::HostConfig;
use outrig_host::ToolHost;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// `outrig host` subcommands.
#[derive(Debug, Subcommand)]
pub enum HostCommand {
    /// Load every plugin of a grants file as the host would (pulling `oci://` ones,
    /// checking pins and signatures) and list their tools; exits 1 if one is refused.
    Check {
        /// The grants file.
        #[arg(long, default_value = "outrig-host.toml")]
        config: PathBuf,
    },
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
        /// With --all: ms between two polls for running and new sessions.
        #[arg(long, default_value_t = 2_000)]
        poll_ms: u64,
        /// With --all: ms between two sweeps of every session that is not terminated,
        /// which finds a call that became pending between two polls.
        #[arg(long, default_value_t = 60_000)]
        sweep_ms: u64,
        /// With --all: ms a session's stream stays open after its turn ends.
        #[arg(long, default_value_t = 10_000)]
        keep_idle_ms: u64,
        /// The journal of calls, so a restarted host neither loses a result nor runs a
        /// call twice (default: $XDG_DATA_HOME/outrig/host-journal.sqlite).
        #[arg(long)]
        state: Option<PathBuf>,
        #[command(flatten)]
        connection: Connection,
    },
    /// Be a self-hosted environment: poll its work queue, and run every tool call of each
    /// session (the agent's built-in tools in a per-session sandbox, its custom tools in
    /// the plugins).
    Work {
        /// The grants file (plugins, `[[confirm]]` rules, the `[sandbox]` table).
        #[arg(long, default_value = "outrig-host.toml")]
        config: PathBuf,
        /// The self-hosted environment to serve.
        #[arg(long)]
        environment: String,
        /// The environment key (default: ANTHROPIC_ENVIRONMENT_KEY). Never printed.
        #[arg(long, env = "ANTHROPIC_ENVIRONMENT_KEY", hide_env_values = true)]
        environment_key: Option<String>,
        /// Ms a session may rest (no turn, nothing running) before its item is stopped.
        #[arg(long, default_value_t = 60_000)]
        max_idle_ms: u64,
        /// Calls of one session run at once.
        #[arg(long, default_value_t = 1)]
        max_concurrent_calls: usize,
        /// Seconds of lease asked for on each heartbeat (default: the API's).
        #[arg(long)]
        lease_ttl_s: Option<u64>,
        /// The journal of calls (default: $XDG_DATA_HOME/outrig/host-journal.sqlite).
        #[arg(long)]
        state: Option<PathBuf>,
        #[command(flatten)]
        connection: Connection,
    },
    /// Serve webhooks: verify each, claim the calls of sessions that await them in a
    /// store shared by every replica, run them once, send the results.
    Serve {
        /// The grants file.
        #[arg(long, default_value = "outrig-host.toml")]
        config: PathBuf,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8787")]
        listen: std::net::SocketAddr,
        /// The `whsec_…` signing secret (default: OUTRIG_WEBHOOK_SECRET, then
        /// ANTHROPIC_WEBHOOK_SIGNING_KEY).
        #[arg(long)]
        webhook_secret: Option<String>,
        /// Claims store shared by the replicas: `sqlite:PATH`, `redis://HOST:PORT` or
        /// `postgres://USER@HOST/DB`
        /// (default: SQLite in the data dir).
        #[arg(long)]
        claims: Option<String>,
        /// This replica's name in the claims store (default: host name and process id).
        #[arg(long)]
        holder: Option<String>,
        /// How long a claim lasts without renewal, in ms.
        #[arg(long, default_value_t = 30_000)]
        lease_ms: u64,
        /// How long a shutdown waits for calls in flight, in ms.
        #[arg(long, default_value_t = 30_000)]
        grace_ms: u64,
        #[command(flatten)]
        listen_limits: crate::listen_args::ListenArgs,
        #[command(flatten)]
        connection: Connection,
    },
    /// Serve the plugins' tools to MCP clients: over stdio (`--stdio`), or over Streamable
    /// HTTP at `/mcp` behind a bearer token (OUTRIG_MCP_TOKEN, or --token-file).
    Mcp {
        /// The grants file.
        #[arg(long, default_value = "outrig-host.toml")]
        config: PathBuf,
        /// Speak MCP on stdin and stdout instead of HTTP (the client starts this process).
        #[arg(long, conflicts_with = "listen")]
        stdio: bool,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8788")]
        listen: std::net::SocketAddr,
        /// A file holding the bearer token (default: the OUTRIG_MCP_TOKEN variable).
        #[arg(long)]
        token_file: Option<PathBuf>,
        /// A `Host` (name or name:port) to accept besides localhost, 127.0.0.1 and ::1;
        /// repeatable. Needed when clients reach this host by another name.
        #[arg(long = "allow-host")]
        allow_hosts: Vec<String>,
        /// A browser origin (`https://app.example.com:443`, `http://localhost:*`) allowed to
        /// call; repeatable. Requests from any other origin are refused.
        #[arg(long = "allow-origin")]
        allow_origins: Vec<String>,
        /// Serve HTTPS with this PEM certificate chain (leaf first); needs --tls-key.
        #[arg(long, requires = "tls_key", conflicts_with = "stdio")]
        tls_cert: Option<PathBuf>,
        /// The PEM private key of --tls-cert.
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        #[command(flatten)]
        listen_limits: crate::listen_args::ListenArgs,
    },
}

async fn load(config: &std::path::Path) -> Result<(Arc<ToolHost>, HostConfig)> {
    let config = HostConfig::read(config)?;
    let progress =
        crate::progress::Progress::start(&format!("loading {} plugin(s)", config.plugins.len()));
    let host = config.load_tools().await?;
    progress.finish();
    for tool in host.tools() {
        eprintln!("  {}", tool.name);
    }
    Ok((Arc::new(host), config))
}

/// Runs a host command.
pub async fn run(command: HostCommand) -> Result<()> {
    match command {
        HostCommand::Check { config } => {
            let (host, _) = load(&config).await?;
            outln!("{} tool(s) from {}", host.tools().count(), config.display());
        }
        HostCommand::Register {
            config,
            agent,
            connection,
        } => {
            let (host, config) = load(&config).await?;
            let agent = Runner::new(host, connection.client()?, config.max_parallel.unwrap_or(8))
                .register(&agent)
                .await?;
            outln!(
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
            poll_ms,
            sweep_ms,
            keep_idle_ms,
            state,
            connection,
        } => {
            let (host, config) = load(&config).await?;
            let journal = Journal::open(&state.unwrap_or_else(Journal::default_path))?;
            let runner = Runner::new(host, connection.client()?, config.max_parallel.unwrap_or(8))
                .with_journal(journal)
                .with_confirmations(config.confirm);
            match (session, all, agent) {
                (Some(session), _, _) => {
                    let render = Renderer::for_stdout();
                    let summary = runner
                        .serve(&session, Until::SessionEnds, move |event| {
                            if let Some(line) = render.line(event) {
                                outln!("{line}");
                            }
                        })
                        .await?;
                    eprintln!(
                        "session ended after {} events and {} tool calls",
                        summary.events,
                        summary.calls.len()
                    );
                }
                (None, true, Some(agent)) => {
                    let discovery = DiscoveryOptions {
                        poll: Duration::from_millis(poll_ms),
                        sweep: Duration::from_millis(sweep_ms),
                        keep_idle: Duration::from_millis(keep_idle_ms),
                    };
                    runner.serve_all(&agent, discovery).await?
                }
                _ => bail!("give --session ID, or --all --agent ID"),
            }
        }
        HostCommand::Work {
            config,
            environment,
            environment_key,
            max_idle_ms,
            max_concurrent_calls,
            lease_ttl_s,
            state,
            connection,
        } => {
            if max_concurrent_calls == 0 {
                bail!("--max-concurrent-calls must be at least 1");
            }
            let (host, config) = load(&config).await?;
            let journal = Journal::open(&state.unwrap_or_else(Journal::default_path))?;
            let mut client = connection.options()?;
            if let Some(key) = environment_key {
                client.api_key = Some(outrig_api::request::Secret::new(key));
            }
            let options = WorkerOptions {
                environment_id: environment.clone(),
                client,
                sandbox: config.sandbox.clone(),
                max_idle: Duration::from_millis(max_idle_ms),
                max_concurrent_calls,
                lease_ttl_seconds: lease_ttl_s,
                poll_block_ms: 999,
            };
            let worker = Worker::new(host, journal, config.confirm, options);
            let stop = tokio_util::sync::CancellationToken::new();
            let stopping = stop.clone();
            tokio::spawn(async move {
                shutdown_signal().await;
                stopping.cancel();
            });
            eprintln!(
                "outrig host work: serving environment {environment} (workdirs under {})",
                config.sandbox.root().display()
            );
            worker.run(stop).await?;
        }
        HostCommand::Serve {
            config,
            listen,
            webhook_secret,
            claims,
            holder,
            lease_ms,
            grace_ms,
            listen_limits,
            connection,
        } => {
            let secret = webhook_secret
                .or_else(|| std::env::var("OUTRIG_WEBHOOK_SECRET").ok())
                .or_else(|| std::env::var("ANTHROPIC_WEBHOOK_SIGNING_KEY").ok())
                .context("give --webhook-secret whsec_… (or set OUTRIG_WEBHOOK_SECRET)")?;
            outrig_api::webhook::sign(&secret, "check", 0, b"")
                .map_err(|e| anyhow::anyhow!("--webhook-secret: {e}"))?;
            let claims_url = claims.unwrap_or_else(|| {
                let dir = Journal::default_path();
                format!("sqlite:{}", dir.with_file_name("claims.sqlite").display())
            });
            let claims = Claims::open_url(&claims_url).await?;
            let (host, _) = load(&config).await?;
            let holder = holder.unwrap_or_else(|| {
                let name =
                    std::fs::read_to_string("/etc/hostname").unwrap_or_else(|_| "host".into());
                format!("{}-{}", name.trim(), std::process::id())
            });
            let service = WebhookHost::new(
                host,
                connection.options()?,
                claims,
                ServeOptions {
                    webhook_secret: secret,
                    tolerance_secs: outrig_api::webhook::DEFAULT_TOLERANCE_SECS,
                    holder,
                    lease: std::time::Duration::from_millis(lease_ms),
                    grace: std::time::Duration::from_millis(grace_ms),
                    limits: listen_limits.limits()?,
                },
            );
            let listener = tokio::net::TcpListener::bind(listen).await?;
            eprintln!(
                "outrig host serve on http://{} (claims: {claims_url})",
                listener.local_addr()?
            );
            service.serve(listener, shutdown_signal()).await?;
        }
        HostCommand::Mcp {
            config,
            stdio,
            listen,
            token_file,
            allow_hosts,
            allow_origins,
            tls_cert,
            tls_key,
            listen_limits,
        } => {
            let tls = match (&tls_cert, &tls_key) {
                (Some(cert), Some(key)) => Some(outrig_listen::Tls::from_pem_files(cert, key)?),
                _ => None,
            };
            let (host, _) = load(&config).await?;
            if stdio {
                return outrig_host::mcp::serve_stdio(host).await;
            }
            let token = mcp_token(token_file.as_deref())?;
            let listener = tokio::net::TcpListener::bind(listen).await?;
            eprintln!(
                "outrig host mcp on {}://{}{}",
                if tls.is_some() { "https" } else { "http" },
                listener.local_addr()?,
                outrig_host::mcp_http::MCP_PATH
            );
            let options = outrig_host::mcp_http::McpHttpOptions {
                token,
                allowed_hosts: allow_hosts,
                allowed_origins: allow_origins,
                limits: listen_limits.limits()?,
                tls,
            };
            outrig_host::mcp_http::serve(host, listener, options, shutdown_signal()).await?;
        }
    }
    Ok(())
}

/// The HTTP endpoint's bearer token: from `file`, else OUTRIG_MCP_TOKEN; never printed.
fn mcp_token(file: Option<&std::path::Path>) -> Result<outrig_api::request::Secret> {
    let token = match file {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("reading the token file {}", path.display()))?,
        None => std::env::var("OUTRIG_MCP_TOKEN").unwrap_or_default(),
    };
    let token = token.trim();
    if token.len() < 16 {
        bail!("give the MCP endpoint a bearer token of at least 16 characters: set OUTRIG_MCP_TOKEN or --token-file (e.g. `openssl rand -hex 32`)");
    }
    Ok(outrig_api::request::Secret::new(token))
}

/// Resolves on Ctrl-C or SIGTERM (what an orchestrator sends before it kills).
pub(crate) async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => drop(signal.recv().await),
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
}
