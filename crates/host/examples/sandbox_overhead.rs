//! Measures the self-hosted sandbox: how long a session's sandbox takes to start, and the
//! per-command cost of a trivial `bash` call (`true`) in it. `scripts/bench-sandbox.sh` runs
//! it next to the SDK's unsandboxed `BashSession` on the same machine, in the same run.

use outrig_host::worker::config::SandboxConfig;
use outrig_host::worker::shell::{SandboxSpec, Shell};
use std::time::{Duration, Instant};

fn summary(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q) as usize].as_secs_f64() * 1000.0;
    println!(
        "{name}: n={} median={:.3} ms p10={:.3} ms p90={:.3} ms",
        samples.len(),
        at(0.5),
        at(0.1),
        at(0.9)
    );
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let config = SandboxConfig::default();
    let workdir = dir.path().join("workspace");
    std::fs::create_dir_all(&workdir).unwrap();
    if let Some((uid, gid)) = config.run_as() {
        std::os::unix::fs::chown(&workdir, Some(uid), Some(gid)).unwrap();
    }
    let spec = SandboxSpec {
        workdir,
        private_dir: dir.path().join("private"),
        limits: config.limits(),
        run_as: config.run_as(),
        env: Vec::new(),
        ro_binds: Vec::new(),
        binds: Vec::new(),
        before: None,
    };
    let mut starts = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        let mut shell = Shell::start(&spec).await.unwrap();
        starts.push(started.elapsed());
        shell.kill().await;
    }
    summary(
        "outrig sandbox start (bwrap + bash + first command)",
        starts,
    );
    let mut shell = Shell::start(&spec).await.unwrap();
    for _ in 0..100 {
        shell.exec("true", Duration::from_secs(10)).await;
    }
    let mut calls = Vec::new();
    for _ in 0..1000 {
        let started = Instant::now();
        shell.exec("true", Duration::from_secs(10)).await;
        calls.push(started.elapsed());
    }
    summary("outrig sandboxed bash, `true` per call", calls);
    shell.kill().await;
}
