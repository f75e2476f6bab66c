//! `outrig-emulator`: a local, persistent Managed Agents API server. Agents, environments,
//! sessions and every event live in SQLite; each session's agent is driven by a scenario.
//! Every wire type and rule comes from `outrig-api`.
#![warn(missing_docs)]

pub mod admin;
pub mod agent;
pub mod agent_events;
pub mod app;
pub mod bedrock;
pub mod bedrock_resources;
pub mod bedrock_shapes;
pub mod bedrock_surface;
pub mod chaos;
pub mod config;
pub mod determinism;
pub mod emit;
pub mod engine;
pub mod http;
pub mod hub;
pub mod mcp_client;
pub mod mcp_servers;
pub mod record;
pub mod replay;
pub mod requests;
pub mod routes;
pub mod scenario;
pub mod store;
pub mod threads;
pub mod trace;
pub mod validate;
pub mod webhooks;

pub use config::Config;

use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// A running emulator.
pub struct Running {
    /// The address it listens on.
    pub addr: SocketAddr,
    /// The session created from a `--replay` transcript file, if any.
    pub replay_session: Option<String>,
    /// The sessions given back by a `--replay` recording directory.
    pub replayed_sessions: Vec<String>,
    /// The listener's counters (connections shed, timed out), also served at
    /// `GET /_outrig/metrics`.
    pub listener: Arc<outrig_listen::Stats>,
    /// The admin surface's journal and chaos rules, when it is on (`Config::admin`).
    pub admin: Option<admin::Handles>,
    /// Where the admin surface listens, when it has a listener of its own.
    pub admin_addr: Option<SocketAddr>,
    admin_task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    shutdown: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    engine: Arc<engine::Engine>,
}

impl Running {
    /// The base URL, e.g. `http://127.0.0.1:4010`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting connections, stops every session's agent and waits for the server
    /// to end.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.engine.stop_all();
        if let Some(admin) = self.admin_task.take() {
            admin.abort();
        }
        self.task.abort();
        match self.task.await {
            Ok(result) => result,
            Err(_) => Ok(()),
        }
    }

    /// Serves until the process is told to stop (Ctrl-C).
    pub async fn wait(self) -> std::io::Result<()> {
        match self.task.await {
            Ok(result) => result,
            Err(e) => Err(std::io::Error::other(e)),
        }
    }
}

/// Opens the database, loads scenarios and starts serving.
pub async fn start(config: Config) -> anyhow::Result<Running> {
    determinism::install(config.seed, config.clock)?;
    let db = match &config.snapshot {
        Some(snapshot) => from_snapshot(snapshot, &config.db)?,
        None => config.db.clone(),
    };
    let store = Arc::new(store::Store::open(&db)?);
    let hub = Arc::new(hub::Hub::default());
    if let Some(webhooks) = &config.webhooks {
        outrig_api::webhook::sign(&webhooks.secret, "check", 0, b"")
            .map_err(|e| anyhow::anyhow!("webhook secret: {e}"))?;
    }
    let emitter = Arc::new(emit::Emitter {
        store: store.clone(),
        hub: hub.clone(),
        webhooks: config
            .webhooks
            .clone()
            .filter(|w| !w.urls.is_empty())
            .map(|w| Arc::new(webhooks::WebhookSender::start(w))),
    });
    let scenarios = match &config.scenarios {
        Some(dir) => scenario::load_dir(dir)?,
        None => Default::default(),
    };
    let engine = engine::Engine::new(
        emitter.clone(),
        scenarios,
        config.delay_scale,
        config
            .bedrock
            .as_ref()
            .map(|b| b.gateways.clone())
            .unwrap_or_default(),
    );
    engine.resume_working()?;
    if config.api_keys.is_empty() {
        tracing::warn!("no API keys configured: any key is accepted");
    }
    let (replay_session, replays) = match &config.replay {
        Some(dir) if dir.is_dir() => (None, replay::load_recording(&store, dir)?),
        Some(path) => (Some(replay::load(&store, path)?), Default::default()),
        None => Default::default(),
    };
    let mut replayed_sessions: Vec<String> = replays.keys().cloned().collect();
    replayed_sessions.sort();
    let admin = config.admin.clone();
    if let Some(admin) = &admin {
        let exposed = admin.addr.unwrap_or(config.addr);
        if admin.token.is_none() && !exposed.ip().is_loopback() {
            anyhow::bail!(
                "the admin surface on {exposed} (beyond loopback) needs a token: pass --admin-token"
            );
        }
    }
    let chaos = Arc::new(chaos::Chaos::default());
    if let Some(file) = &config.chaos {
        anyhow::ensure!(
            admin.is_some(),
            "--chaos needs --admin (its rules are listed and changed there)"
        );
        chaos.load(file)?;
    }
    let listener = TcpListener::bind(config.addr).await?;
    let addr = listener.local_addr()?;
    let limits = config.limits.clone();
    let recorder = match &config.record {
        Some(recording) => Some(record::Recorder::open(recording, config.max_body)?),
        None => None,
    };
    let (bedrock, max_body) = (config.bedrock.clone(), config.max_body);
    let state = app::AppState::new(store.clone(), emitter, engine.clone(), config, replays);
    let clock = tokio::spawn(run_clock(state.clone()));
    let (tx, rx) = oneshot::channel::<()>();
    let stats = Arc::new(outrig_listen::Stats::default());
    // Recording proxies every API request upstream: the emulator's own routes serve none.
    let router = match recorder {
        Some(recorder) => recorder.router(),
        None => {
            let api = app::router(state).map_err(|missing| {
                anyhow::anyhow!(
                    "the route table's endpoints {} have no handler in the emulator",
                    missing.join(", ")
                )
            })?;
            match bedrock {
                Some(bedrock) => bedrock::serve(api, bedrock, max_body),
                None => api,
            }
        }
    }
    .merge(metrics_route(stats.clone()));
    let handles = admin.as_ref().map(|_| admin::Handles {
        log: Arc::new(Default::default()),
        chaos,
        store,
        engine: engine.clone(),
        hub,
    });
    let (router, admin_surface) = match (&admin, &handles) {
        (Some(admin), Some(handles)) => {
            let router = admin::instrument(router, handles);
            let surface = admin::surface(admin, handles.clone());
            match admin.addr {
                // Its own listener: the API's port never answers `/_outrig/…` admin routes.
                Some(addr) => {
                    let listener = TcpListener::bind(addr).await?;
                    let bound = listener.local_addr()?;
                    (
                        router,
                        Some((bound, outrig_listen::spawn(listener, surface))),
                    )
                }
                None => (router.merge(surface), None),
            }
        }
        _ => (router, None),
    };
    let served_stats = stats.clone();
    let task = tokio::spawn(async move {
        let served = outrig_listen::serve(listener, router, limits, None, served_stats, async {
            let _ = rx.await;
        })
        .await;
        clock.abort();
        served
    });
    tracing::info!("emulator listening on http://{addr}");
    Ok(Running {
        addr,
        replay_session,
        replayed_sessions,
        listener: stats,
        admin: handles,
        admin_addr: admin_surface.as_ref().map(|(addr, _)| *addr),
        admin_task: admin_surface.map(|(_, task)| task),
        shutdown: Some(tx),
        task,
        engine,
    })
}

/// `GET /_outrig/metrics`: the listener's counters in the Prometheus text format (no key
/// needed, like a health check).
fn metrics_route(stats: Arc<outrig_listen::Stats>) -> axum::Router {
    axum::Router::new().route(
        "/_outrig/metrics",
        axum::routing::get(move || {
            let stats = stats.clone();
            async move {
                (
                    [(
                        axum::http::header::CONTENT_TYPE,
                        "text/plain; version=0.0.4",
                    )],
                    stats.render(),
                )
            }
        }),
    )
}

/// The database file to open for a start from `snapshot`: a copy of it at `db`, or in a
/// fresh temporary file when `db` is `:memory:`.
fn from_snapshot(
    snapshot: &std::path::Path,
    db: &std::path::Path,
) -> anyhow::Result<std::path::PathBuf> {
    let target = if db == std::path::Path::new(":memory:") {
        std::env::temp_dir().join(format!("outrig-emulator-{}.sqlite", rand::random::<u64>()))
    } else {
        anyhow::ensure!(
            !db.exists(),
            "{}: exists; a start from a snapshot writes a new database (pick another --db)",
            db.display()
        );
        db.to_path_buf()
    };
    std::fs::copy(snapshot, &target)
        .map_err(|e| anyhow::anyhow!("snapshot {}: {e}", snapshot.display()))?;
    Ok(target)
}

/// Work that happens by the clock: scheduled deployment runs and dreams in progress.
async fn run_clock(state: app::AppState) {
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(500));
    loop {
        tick.tick().await;
        if let Err(e) = routes::deployments::fire_due(&state) {
            tracing::error!("scheduled deployment runs: {e:#}");
        }
        if let Err(e) = routes::dreams::advance(&state) {
            tracing::error!("dreams: {}", e.message);
        }
    }
}
