//! Emulator settings.

use std::net::SocketAddr;
use std::path::PathBuf;

/// How to run an emulator.
#[derive(Debug, Clone)]
pub struct Config {
    /// Listen address (port 0 picks a free port).
    pub addr: SocketAddr,
    /// SQLite file, or `:memory:`.
    pub db: PathBuf,
    /// Accepted API keys; empty accepts any key (with a warning at start).
    pub api_keys: Vec<String>,
    /// Directory of scenario files (`NAME.json`), selected by agent `metadata.scenario`.
    pub scenarios: Option<PathBuf>,
    /// Requests per second before answering 429 (`None` = unlimited).
    pub rate_limit: Option<u32>,
    /// Largest accepted request body in bytes.
    pub max_body: usize,
    /// A transcript (JSON lines of events) to serve as a session, or a recording directory
    /// (`record`) to serve the sessions of.
    pub replay: Option<PathBuf>,
    /// Forward every API request to a real API and record what it answers, instead of
    /// serving from the database.
    pub record: Option<crate::record::Recording>,
    /// A directory of static files served at `/` (the www page).
    pub www: Option<PathBuf>,
    /// Scale for scripted delays (1.0 = as written; tests use 0).
    pub delay_scale: f64,
    /// Webhooks to send, if any.
    pub webhooks: Option<crate::webhooks::WebhookConfig>,
    /// Timeouts and connection/request bounds of the HTTP listener.
    pub limits: outrig_listen::Limits,
    /// The admin surface (`/_outrig/requests`, `/_outrig/chaos`); off when `None`.
    pub admin: Option<Admin>,
    /// Chaos rules to start with (a JSON array; needs `admin`).
    pub chaos: Option<PathBuf>,
    /// Start from this snapshot (`GET /_outrig/snapshot`): it is copied to `db` (which must
    /// not exist yet), or to a fresh file when `db` is `:memory:`; the file is not changed.
    pub snapshot: Option<PathBuf>,
    /// Derive ids from this seed (reproducible from run to run; see [`crate::determinism`]).
    pub seed: Option<u64>,
    /// Read timestamps from this clock instead of the system's.
    pub clock: Option<crate::determinism::Clock>,
    /// Serve the API as Amazon Bedrock does (`/anthropic`, SigV4); first-party when `None`.
    pub bedrock: Option<crate::bedrock::Bedrock>,
}

/// How the admin surface is reached.
#[derive(Debug, Clone, Default)]
pub struct Admin {
    /// When set, every admin request must carry it in `x-outrig-admin-token` (checked in
    /// constant time); required when the emulator listens beyond loopback, so an API key
    /// alone never reaches the admin surface there.
    pub token: Option<String>,
    /// Serve the admin surface on this address instead of the API's (port 0 picks one).
    pub addr: Option<std::net::SocketAddr>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: "127.0.0.1:4010".parse().expect("valid address"),
            db: PathBuf::from(":memory:"),
            api_keys: Vec::new(),
            scenarios: None,
            rate_limit: None,
            max_body: 32 << 20,
            replay: None,
            record: None,
            www: None,
            delay_scale: 1.0,
            webhooks: None,
            limits: outrig_listen::Limits::default(),
            admin: None,
            chaos: None,
            snapshot: None,
            seed: None,
            clock: None,
            bedrock: None,
        }
    }
}
