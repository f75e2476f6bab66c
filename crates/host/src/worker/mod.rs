//! `outrig host work`: the self-hosted environment. It long-polls an environment's work
//! queue, claims each item with a first heartbeat and keeps its lease ([`lease`]), and
//! serves the item's session with the same runner as `host run` (the core's session
//! machine, the journal): the agent's built-in tools run in a per-session sandbox
//! ([`toolset`]) and its custom tools in the wasm plugins, each answered as the session
//! expects. When the session's work is done it force-stops the item; when the lease is
//! lost it stops serving and sends no stop. Several workers share one environment through
//! the queue's leases.

pub mod beneath;
pub mod config;
pub mod egress;
pub mod lease;
pub mod memory;
pub mod seccomp;
pub mod shell;
pub mod skills;
pub mod toolset;

use crate::confirm::ConfirmRule;
use crate::delivery::Executor;
use crate::dispatch::{CallOutcome, ToolHost};
use crate::journal::Journal;
use crate::runner::{Runner, Summary, Until};
use config::SandboxConfig;
use lease::{Lease, LeaseEnd};
use outrig_api::objects::SessionStatus;
use outrig_api::request::{Query, Secret};
use outrig_api::resources::WorkItem;
use outrig_api::state::Work;
use outrig_client::transport::BoxFuture;
use outrig_client::{Client, ClientOptions};
use shell::SandboxSpec;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use toolset::Toolset;

/// The longest one tool call may run, whatever the tool (the SDK's).
pub const TOOL_TIMEOUT: Duration = Duration::from_secs(325);

/// How a worker behaves.
#[derive(Debug, Clone)]
pub struct WorkerOptions {
    /// The environment whose queue it polls.
    pub environment_id: String,
    /// The API's address and the environment key (polling, and the calls of an item whose
    /// secret carries no sessions token).
    pub client: ClientOptions,
    /// The operator's sandbox settings.
    pub sandbox: SandboxConfig,
    /// How long a session may rest (no turn, nothing running, no event) before its item
    /// is stopped.
    pub max_idle: Duration,
    /// Calls of one session run at once (default 1, as the SDK's).
    pub max_concurrent_calls: usize,
    /// The lease asked for on each heartbeat (`None`: the API's default).
    pub lease_ttl_seconds: Option<u64>,
    /// `block_ms` of each poll.
    pub poll_block_ms: u64,
}

/// What became of one work item.
#[derive(Debug)]
pub enum Served {
    /// The item was not a session's, or its session had terminated: stopped at once.
    Skipped(String),
    /// The session was served and the item stopped.
    Done(Summary),
    /// The lease was lost (another worker may hold the item): not stopped.
    LeaseLost(String),
}

/// A self-hosted environment worker.
pub struct Worker {
    host: Arc<ToolHost>,
    journal: Arc<Journal>,
    confirm: Vec<ConfirmRule>,
    options: WorkerOptions,
}

impl Worker {
    /// A worker running custom tools with `host`, recording calls in `journal`.
    pub fn new(
        host: Arc<ToolHost>,
        journal: Journal,
        confirm: Vec<ConfirmRule>,
        options: WorkerOptions,
    ) -> Self {
        Worker {
            host,
            journal: Arc::new(journal),
            confirm,
            options,
        }
    }

    /// Polls for work and serves each item, until `stop` is cancelled or the journal fails.
    pub async fn run(&self, stop: CancellationToken) -> anyhow::Result<()> {
        let poller = Client::with_transport(
            self.options.client.clone(),
            crate::trace::Traced::default_transport(),
        );
        let environment = &self.options.environment_id;
        let mut backoff = Duration::from_millis(500);
        while !stop.is_cancelled() {
            if let Some(failure) = self.journal.failure() {
                anyhow::bail!("stopped taking work: {failure}");
            }
            let query =
                Query::new().opt("block_ms", Some(self.options.poll_block_ms.clamp(1, 999)));
            let polled = tokio::select! {
                polled = poller.poll_work(environment, &query) => polled,
                _ = stop.cancelled() => break,
            };
            let item = match polled {
                Ok(Some(item)) => item,
                Ok(None) => {
                    backoff = Duration::from_millis(500);
                    continue;
                }
                Err(error) if matches!(error.status(), Some(400 | 401 | 403 | 404)) => {
                    anyhow::bail!("cannot poll the work queue of {environment}: {error}")
                }
                Err(error) => {
                    tracing::warn!(
                        "polling the work queue failed ({error}); retrying in {backoff:?}"
                    );
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(60));
                    continue;
                }
            };
            if let Err(error) = poller.ack_work(environment, &item.id).await {
                tracing::warn!(work = %item.id, "cannot acknowledge the work item: {error}");
                continue;
            }
            match self.serve(&item).await {
                Ok(served) => tracing::info!(work = %item.id, "{}", describe(&served)),
                Err(error) => {
                    tracing::error!(work = %item.id, "serving the work item failed: {error:#}")
                }
            }
        }
        Ok(())
    }

    /// Serves one acknowledged item: claims it, serves its session while the lease holds,
    /// and stops it unless the lease was lost.
    pub async fn serve(&self, item: &WorkItem) -> anyhow::Result<Served> {
        let client = self.item_client(item);
        let environment = &item.environment_id;
        let lease = Lease::claim(
            client.clone(),
            environment,
            &item.id,
            self.options.lease_ttl_seconds,
        )
        .await?;
        let Some(session_id) = item.session_id() else {
            lease::stop(&client, environment, &item.id).await;
            return Ok(Served::Skipped("not a session's work item".into()));
        };
        let session = client.get_session(session_id).await?;
        if session.status == SessionStatus::Terminated {
            lease::stop(&client, environment, &item.id).await;
            return Ok(Served::Skipped(format!(
                "session {session_id} has terminated"
            )));
        }
        let session: serde_json::Value = client
            .call(
                &outrig_api::routes::SESSIONS_RETRIEVE,
                &[session_id],
                &Query::new(),
                None::<&()>,
            )
            .await?;
        let dir = self.options.sandbox.root().join(safe_name(session_id));
        let stores = memory::mount(
            &client,
            &session,
            &dir.join("memory"),
            self.options.sandbox.run_as(),
        )
        .await?;
        let toolset = Arc::new(self.toolset(&dir, &stores)?);
        let skills = skills::download(&client, &session["agent"], toolset.files()).await;
        if !skills.is_empty() {
            tracing::info!(session = %session_id, "skills in the workdir: {}", skills.join(", "));
        }
        let executor: Arc<dyn Executor> = Arc::new(WorkerExecutor {
            plugins: self.host.clone(),
            toolset: toolset.clone(),
        });
        let runner = Runner::new(
            self.host.clone(),
            client.clone(),
            self.options.max_concurrent_calls,
        )
        .one_call_per_thread()
        .with_shared_journal(self.journal.clone())
        .with_confirmations(self.confirm.clone());
        let until = Until::Quiet(self.options.max_idle);
        let syncing = async {
            let mut tick = tokio::time::interval(memory::SYNC_INTERVAL);
            tick.tick().await;
            loop {
                tick.tick().await;
                sync_stores(&client, &stores).await;
            }
        };
        let outcome = tokio::select! {
            served = runner.serve_with(session_id, until, executor, |_| {}) => Ok(served),
            end = lease.hold() => Err(end),
            never = syncing => never,
        };
        // No process of the session outlives its work.
        toolset.close().await;
        if !matches!(outcome, Err(LeaseEnd::Lost(_))) {
            sync_stores(&client, &stores).await;
        }
        match outcome {
            Err(LeaseEnd::Lost(why)) => Ok(Served::LeaseLost(why)),
            Err(LeaseEnd::Shutdown) => {
                lease::stop(&client, environment, &item.id).await;
                Ok(Served::Done(Summary::default()))
            }
            Ok(served) => {
                lease::stop(&client, environment, &item.id).await;
                Ok(Served::Done(served?))
            }
        }
    }

    /// The client for an item's calls: its sessions token, else the environment key.
    fn item_client(&self, item: &WorkItem) -> Client {
        let mut options = self.options.client.clone();
        if let Some(token) = item.sessions_token() {
            options.api_key = Some(Secret::new(token));
        }
        Client::with_transport(options, crate::trace::Traced::default_transport())
    }

    /// The session's toolset over its own directory `dir` (workdir and private files) and
    /// its mounted memory stores.
    fn toolset(
        &self,
        dir: &std::path::Path,
        stores: &[(memory::Mounted, beneath::Beneath)],
    ) -> anyhow::Result<Toolset> {
        let sandbox = &self.options.sandbox;
        let dir = dir.to_path_buf();
        let workdir = dir.join("workspace");
        let private_dir = dir.join("private");
        for made in [&dir, &workdir, &private_dir] {
            std::fs::create_dir_all(made)?;
        }
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o711))?;
        std::fs::set_permissions(&private_dir, std::fs::Permissions::from_mode(0o755))?;
        if let Some((uid, gid)) = sandbox.run_as() {
            std::os::unix::fs::chown(&workdir, Some(uid), Some(gid))?;
        }
        let mut spec = SandboxSpec {
            workdir,
            private_dir: private_dir.clone(),
            limits: sandbox.limits(),
            run_as: sandbox.run_as(),
            env: Vec::new(),
            ro_binds: Vec::new(),
            binds: Vec::new(),
            before: None,
        };
        let mut mounts = Vec::new();
        for (store, _) in stores {
            let bind = (store.host_dir.clone(), store.mount.clone());
            match store.read_only {
                true => spec.ro_binds.push(bind),
                false => spec.binds.push(bind),
            }
            let owner = if store.read_only {
                None
            } else {
                sandbox.run_as()
            };
            let root = beneath::Beneath::open(&store.host_dir, &store.mount, owner)?;
            mounts.push((root, store.read_only));
        }
        let mut proxy = None;
        if !sandbox.network.is_empty() {
            let policy =
                crate::grants::NetworkPolicy::new(&sandbox.network, sandbox.allow_private)?;
            let socket = private_dir.join("egress.sock");
            proxy = Some(egress::start(&socket, policy)?);
            spec.ro_binds
                .push((socket, egress::SOCKET_IN_SANDBOX.into()));
            // A relay inside the sandbox's own network namespace: its loopback is the only
            // network the sandbox has, and the socket the only way out of it.
            spec.before = Some(vec![
                "/usr/bin/socat".into(),
                "TCP-LISTEN:3128,bind=127.0.0.1,reuseaddr,fork".into(),
                format!("UNIX-CONNECT:{}", egress::SOCKET_IN_SANDBOX),
            ]);
            for name in ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"] {
                spec.env
                    .push((name.into(), egress::PROXY_IN_SANDBOX.into()));
            }
        }
        Ok(Toolset::new(spec)?
            .with_bash_timeout(sandbox.bash_timeout())
            .with_proxy(proxy)
            .with_mounts(mounts))
    }
}

/// Writes back what changed in the session's read-write memory stores.
async fn sync_stores(client: &Client, stores: &[(memory::Mounted, beneath::Beneath)]) {
    for (store, files) in stores {
        match memory::sync_back(client, store, files).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(store = %store.store_id, "{n} memories written back"),
            Err(error) => {
                tracing::warn!(store = %store.store_id, "memory write-back failed: {error:#}")
            }
        }
    }
}

/// A session id as a directory name (ids are `sesn_…`; anything else is replaced).
fn safe_name(id: &str) -> PathBuf {
    PathBuf::from(
        id.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect::<String>(),
    )
}

fn describe(served: &Served) -> String {
    match served {
        Served::Skipped(why) => format!("skipped: {why}"),
        Served::Done(summary) => format!("done: {} call(s) answered", summary.calls.len()),
        Served::LeaseLost(why) => format!("lease lost ({why}); not stopping the item"),
    }
}

/// The plugins' custom tools and the sandboxed built-in ones, for one session.
struct WorkerExecutor {
    plugins: Arc<ToolHost>,
    toolset: Arc<Toolset>,
}

impl Executor for WorkerExecutor {
    fn serves(&self, work: &Work) -> bool {
        match work {
            Work::Builtin(call) => toolset::TOOLS.contains(&call.name.as_str()),
            work => Executor::serves(self.plugins.as_ref(), work),
        }
    }

    fn idempotent(&self, work: &Work) -> bool {
        match work {
            // Reading never changes anything; bash, write and edit may.
            Work::Builtin(call) => matches!(call.name.as_str(), "read" | "glob" | "grep"),
            work => self.plugins.idempotent(work),
        }
    }

    fn run<'a>(&'a self, work: &'a Work, cancel: CancellationToken) -> BoxFuture<'a, CallOutcome> {
        Box::pin(async move {
            let started = std::time::Instant::now();
            let run = async {
                match work {
                    Work::Builtin(call) => self.toolset.run(call).await,
                    work => self.plugins.run(work, cancel).await,
                }
            };
            match tokio::time::timeout(TOOL_TIMEOUT, run).await {
                Ok(outcome) => outcome,
                Err(_) => CallOutcome {
                    content: vec![outrig_api::ContentBlock::text(format!(
                        "`{}` ran past the {}s tool timeout and was stopped",
                        work.name(),
                        TOOL_TIMEOUT.as_secs()
                    ))],
                    is_error: true,
                    elapsed: started.elapsed(),
                    logs: Vec::new(),
                    structured: None,
                },
            }
        })
    }
}
