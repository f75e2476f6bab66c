//! `outrig plugin call` of a trivial tool (the Rust example plugin's `echo`) the way a
//! plugin author runs it: the whole process, cold (an empty compile cache, so the
//! component is compiled) and cached (the precompiled copy is loaded). Prints medians of
//! the process's wall time and of the load and call times it reports.
//! `scripts/build-plugins.sh && cargo bench -p outrig-cli --bench plugin_call`

use std::path::Path;
use std::process::Command;
use std::time::Instant;

const ROUNDS: usize = 7;

/// One `plugin call`: wall ms, and the (loading, call) ms it printed.
fn call(plugin: &Path, cache: &Path) -> (f64, f64, f64) {
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_outrig"))
        .args(["plugin", "call"])
        .arg(plugin)
        .args(["echo", r#"{"hello":"world"}"#])
        .env("XDG_CACHE_HOME", cache)
        .output()
        .expect("runs outrig");
    let wall = started.elapsed().as_secs_f64() * 1e3;
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    // "ok in 0.12 ms (loading 3.45 ms)"
    let number = |after: &str| -> f64 {
        let rest = &stderr[stderr.find(after).expect("timing line") + after.len()..];
        rest.split(' ').next().unwrap().parse().unwrap()
    };
    (wall, number("loading "), number("ok in "))
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let plugin =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../artifacts/plugins/invoices.wasm");
    assert!(plugin.is_file(), "run scripts/build-plugins.sh first");
    let (mut cold, mut cached) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let cache = tempfile::tempdir().unwrap();
        cold.push(call(&plugin, cache.path()));
        for _ in 0..3 {
            cached.push(call(&plugin, cache.path()));
        }
    }
    println!("| `outrig plugin call invoices.wasm echo` | runs | process wall p50 | loading p50 | call p50 |");
    println!("|---|---|---|---|---|");
    for (name, runs) in [("cold (empty cache)", cold), ("cached", cached)] {
        let n = runs.len();
        let wall = median(runs.iter().map(|r| r.0).collect());
        let load = median(runs.iter().map(|r| r.1).collect());
        let run = median(runs.iter().map(|r| r.2).collect());
        println!("| {name} | {n} | {wall:.1} ms | {load:.1} ms | {run:.2} ms |");
    }
}
