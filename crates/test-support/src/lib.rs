//! `outrig-test-support`: the set-up the workspace's integration tests share, so each test
//! says what it checks and not how to start things: an emulator on loopback (no delays, key
//! `k`) with a client of it, the objects most tests begin with, and waiting for a condition.
#![warn(missing_docs)]

use outrig_api::request::Secret;
use outrig_api::routes::{Route, AGENTS_CREATE, ENVIRONMENTS_CREATE, SESSIONS_CREATE};
use outrig_client::{Client, ClientOptions};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// A running emulator and a client of it.
pub struct Emulated {
    /// The emulator (stopped when dropped).
    pub emulator: outrig_emulator::Running,
    /// A client with the key `k`.
    pub client: Client,
}

/// An emulator on a free loopback port, answering without simulated delays.
pub async fn emulator() -> Emulated {
    emulator_with(|_| {}).await
}

/// [`emulator`], its configuration adjusted first (scenarios, webhooks, …).
pub async fn emulator_with(adjust: impl FnOnce(&mut outrig_emulator::Config)) -> Emulated {
    let mut config = outrig_emulator::Config {
        addr: "127.0.0.1:0".parse().expect("a loopback address"),
        delay_scale: 0.0,
        ..Default::default()
    };
    adjust(&mut config);
    let emulator = outrig_emulator::start(config)
        .await
        .expect("the emulator starts");
    let client = Client::new(ClientOptions {
        base_url: emulator.base_url(),
        api_key: Some(Secret::new("k")),
        ..Default::default()
    });
    Emulated { emulator, client }
}

impl Emulated {
    /// The emulator's base URL.
    pub fn base_url(&self) -> String {
        self.emulator.base_url()
    }

    /// Creates an object through `route` (one without path ids); returns it.
    pub async fn create(&self, route: &Route, body: Value) -> Value {
        self.client
            .call(route, &[], &Default::default(), Some(&body))
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", route.name))
    }

    /// Creates an agent from `body`; returns its id.
    pub async fn agent(&self, body: Value) -> String {
        id(self.create(&AGENTS_CREATE, body).await)
    }

    /// Creates an environment from `body`; returns its id.
    pub async fn environment(&self, body: Value) -> String {
        id(self.create(&ENVIRONMENTS_CREATE, body).await)
    }

    /// Starts a session of `agent` in `environment`; returns its id.
    pub async fn session(&self, agent: &str, environment: &str) -> String {
        id(self
            .create(
                &SESSIONS_CREATE,
                json!({"agent": agent, "environment_id": environment}),
            )
            .await)
    }
}

fn id(object: Value) -> String {
    object["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {object}"))
        .to_string()
}

/// Polls `check` every 50 ms until it gives a value; fails the test, naming `what`, after
/// 180 s (a bound for a stuck test, not a timing assertion).
pub async fn eventually<T>(what: &str, mut check: impl AsyncFnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "never: {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
