//! Helpers the CLI's process-level tests share.
#![allow(dead_code)] // each test binary uses what it needs

pub mod sigstore;

/// Runs `outrig ARGS` in `dir`: whether it succeeded, and its stdout then stderr.
pub fn outrig_in(dir: &std::path::Path, args: &[&str]) -> (bool, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_outrig"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).to_string()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

/// `plugin call FILE convert_units` (100 F to C) in `dir` under a grants file whose one
/// entry is `FILE` with this `signer` (a TOML value).
pub fn call_units_signed(dir: &std::path::Path, file: &str, signer: &str) -> (bool, String) {
    let grants = dir.join(format!("{file}.toml"));
    std::fs::write(
        &grants,
        format!("[[plugin]]\npath = \"{file}\"\nsigner = {signer}\n"),
    )
    .unwrap();
    let grants = grants.display().to_string();
    let input = r#"{"value": 100, "from": "F", "to": "C"}"#;
    outrig_in(
        dir,
        &[
            "plugin",
            "call",
            file,
            "convert_units",
            input,
            "--grants",
            &grants,
        ],
    )
}

use outrig_api::events::{Event, UserCustomToolResult};
use outrig_client::Client;
use std::time::{Duration, Instant};

/// Polls `check` every 50 ms; panics with `what` after three minutes (a hang guard, not a
/// timing assertion).
#[allow(unused_imports)]
pub use outrig_test_support::eventually;

/// The `user.custom_tool_result` events of a session.
pub async fn results(client: &Client, session: &str) -> Vec<UserCustomToolResult> {
    client
        .list_events(session)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|e| match e {
            Event::UserCustomToolResult(r) => Some(r),
            _ => None,
        })
        .collect()
}

/// A `redis-server` on a free loopback port (installed by scripts/setup.sh), stopped on drop.
pub struct Redis {
    child: std::process::Child,
    /// `redis://127.0.0.1:PORT`
    pub url: String,
}

impl Redis {
    /// Starts one and waits until it accepts connections.
    pub fn start() -> Redis {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = std::process::Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("redis-server is installed by scripts/setup.sh (Debian package redis-server)");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "redis-server did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Redis {
            child,
            url: format!("redis://127.0.0.1:{port}"),
        }
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A Postgres server of its own (Debian's `postgresql`, installed by scripts/setup.sh) on a
/// free loopback port, in a fresh data directory, stopped on drop. As root it runs as the
/// `postgres` user, since Postgres refuses to run as root.
pub struct Postgres {
    child: std::process::Child,
    _data: tempfile::TempDir,
    /// `postgres://outrig@127.0.0.1:PORT/postgres`
    pub url: String,
}

impl Postgres {
    /// Creates a cluster, starts it and waits until it accepts connections.
    pub fn start() -> Postgres {
        use std::os::unix::process::CommandExt;
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()
            .and_then(|versions| versions.flatten().map(|v| v.path().join("bin")).max())
            .filter(|bin| bin.join("initdb").exists())
            .expect("Postgres is installed by scripts/setup.sh (Debian package postgresql)");
        let data = tempfile::tempdir().unwrap();
        let user = if running_as_root() {
            let ids = |flag: &str| {
                let out = std::process::Command::new("id")
                    .args([flag, "postgres"])
                    .output()
                    .unwrap();
                String::from_utf8(out.stdout)
                    .unwrap()
                    .trim()
                    .parse::<u32>()
                    .unwrap()
            };
            let (uid, gid) = (ids("-u"), ids("-g"));
            std::os::unix::fs::chown(data.path(), Some(uid), Some(gid)).unwrap();
            Some((uid, gid))
        } else {
            None
        };
        let command = |program: &str| {
            let mut command = std::process::Command::new(bin.join(program));
            if let Some((uid, gid)) = user {
                command.uid(uid).gid(gid);
            }
            command
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null());
            command
        };
        let cluster = data.path().join("cluster");
        let status = command("initdb")
            .args(["-A", "trust", "-U", "outrig", "--no-sync", "-D"])
            .arg(&cluster)
            .status()
            .unwrap();
        assert!(status.success(), "initdb failed");
        let port = free_ports(1)[0];
        let child = command("postgres")
            .arg("-D")
            .arg(&cluster)
            .args([
                "-p",
                &port.to_string(),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
            ])
            .arg("-k")
            .arg(data.path())
            .spawn()
            .unwrap();
        let started = Instant::now();
        let ready = || {
            command("pg_isready")
                .args(["-h", "127.0.0.1", "-p", &port.to_string()])
                .status()
                .is_ok_and(|s| s.success())
        };
        while !ready() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "postgres did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Postgres {
            child,
            _data: data,
            url: format!("postgres://outrig@127.0.0.1:{port}/postgres"),
        }
    }
}

fn running_as_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout.starts_with(b"0\n"))
}

impl Drop for Postgres {
    fn drop(&mut self) {
        // SIGQUIT: immediate shutdown, its backends exit with it.
        let _ = std::process::Command::new("kill")
            .args(["-QUIT", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

/// The secret the emulator signs webhooks with in these tests.
pub const WEBHOOK_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// `n` distinct free loopback ports (all held until all are known).
pub fn free_ports(n: usize) -> Vec<u16> {
    let held: Vec<_> = (0..n)
        .map(|_| std::net::TcpListener::bind("127.0.0.1:0").unwrap())
        .collect();
    held.iter()
        .map(|l| l.local_addr().unwrap().port())
        .collect()
}

/// An emulator that sends every webhook to `/webhooks` on each of `ports`, a client of it,
/// an agent whose custom tools are the plugins of `config` (`outrig host register`), and an
/// environment.
pub struct Webhooked {
    pub emulator: outrig_emulator::Running,
    pub client: Client,
    pub agent_id: String,
    pub environment_id: String,
}

/// Starts a [`Webhooked`] (with the emulator's webhook chaos if `chaos`).
pub async fn emulator_with_webhooks(
    ports: &[u16],
    chaos: bool,
    config: &std::path::Path,
) -> Webhooked {
    use outrig_api::objects::{CreateAgent, EnvironmentParams};
    let emulator = outrig_emulator::start(outrig_emulator::Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        delay_scale: 0.0,
        admin: Some(Default::default()),
        webhooks: Some(outrig_emulator::webhooks::WebhookConfig {
            urls: ports
                .iter()
                .map(|p| format!("http://127.0.0.1:{p}/webhooks"))
                .collect(),
            secret: WEBHOOK_SECRET.into(),
            chaos,
        }),
        ..Default::default()
    })
    .await
    .unwrap();
    let client = Client::new(outrig_client::ClientOptions {
        base_url: emulator.base_url(),
        api_key: Some(outrig_api::request::Secret::new("k")),
        ..Default::default()
    });
    let agent = client
        .create_agent(
            &serde_json::from_value::<CreateAgent>(
                serde_json::json!({"name": "scale", "model": "m"}),
            )
            .unwrap(),
        )
        .await
        .unwrap();
    let registered = std::process::Command::new(env!("CARGO_BIN_EXE_outrig"))
        .args(["host", "register", "--config"])
        .arg(config)
        .args(["--agent", &agent.id, "--base-url", &emulator.base_url()])
        .env("ANTHROPIC_API_KEY", "k")
        .output()
        .unwrap();
    assert!(registered.status.success(), "{registered:?}");
    let environment = client
        .create_environment(&EnvironmentParams {
            name: Some("scale".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    Webhooked {
        emulator,
        client,
        agent_id: agent.id,
        environment_id: environment.id,
    }
}

/// A grants file in `dir` serving the hostile plugin with nothing granted (its `ok` tool
/// answers at once).
pub fn hostile_config(dir: &std::path::Path) -> std::path::PathBuf {
    let config = dir.join("outrig-host.toml");
    let plugin = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../artifacts/plugins/hostile.wasm"
    );
    std::fs::write(&config, format!("[[plugin]]\npath = \"{plugin}\"\n")).unwrap();
    config
}

/// `outrig host run --all --agent AGENT` with the grants file `config`, its journal at
/// `journal`, against `base_url`, with `discovery` flags (`--poll-ms`…) added.
pub fn run_all_host(
    config: &std::path::Path,
    journal: &std::path::Path,
    agent_id: &str,
    base_url: &str,
    discovery: &[String],
) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_outrig"))
        .args(["host", "run", "--all", "--agent", agent_id, "--config"])
        .arg(config)
        .arg("--state")
        .arg(journal)
        .args(["--base-url", base_url])
        .args(discovery)
        .env("ANTHROPIC_API_KEY", "k")
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// An `outrig host serve` replica on `port`, named `name`, sharing the claims store `claims`.
pub fn replica(
    config: &std::path::Path,
    claims: &str,
    port: u16,
    name: &str,
    base_url: &str,
    lease_ms: u64,
    stderr: std::process::Stdio,
) -> std::process::Child {
    replica_command(config, claims, port, name, base_url, lease_ms)
        .stderr(stderr)
        .spawn()
        .unwrap()
}

/// The command [`replica`] runs (stdout discarded).
pub fn replica_command(
    config: &std::path::Path,
    claims: &str,
    port: u16,
    name: &str,
    base_url: &str,
    lease_ms: u64,
) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_outrig"));
    command
        .args(["host", "serve", "--config"])
        .arg(config)
        .args([
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--webhook-secret",
            WEBHOOK_SECRET,
        ])
        .arg(format!("--claims={claims}"))
        .args([
            "--holder",
            name,
            "--lease-ms",
            &lease_ms.to_string(),
            "--base-url",
            base_url,
        ])
        .env("ANTHROPIC_API_KEY", "k")
        .stdout(std::process::Stdio::null());
    command
}

/// A child process, killed when the test ends however it ends.
pub struct Process(pub std::process::Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `outrig emulator …` from `command` and returns it with the base URL it says it
/// listens on (the rest of its stderr is drained).
pub fn start_emulator(mut command: std::process::Command) -> (Process, String) {
    use std::io::BufRead;
    let mut child = command
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let process = Process(child);
    let mut lines = std::io::BufReader::new(stderr).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("the emulator says where it listens")
            .unwrap();
        if let Some(rest) = line.strip_prefix("outrig emulator on ") {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    (process, base)
}
