//! `outrig demo`: the whole system offline. Starts the emulator in-process, loads the
//! bundled Rust, JavaScript and Python plugins, creates an agent whose custom tools are
//! theirs, and streams a session in which the tool host answers every call.

use crate::render::Renderer;
use anyhow::{bail, Context, Result};
use clap::Args;
use outrig_api::objects::{CreateAgent, CreateSession, EnvironmentParams};
use outrig_api::request::Secret;
use outrig_api::SendEvent;
use outrig_client::{Client, ClientOptions};
use outrig_host::grants::{DirGrant, DirMode, Grants, PluginConfig};
use outrig_host::runner::{Runner, Until};
use outrig_host::HostConfig;
use outrig_host::ToolHost;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// Options of `outrig demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Directory with the built plugins (scripts/build-plugins.sh).
    #[arg(long, default_value = "artifacts/plugins")]
    plugins: PathBuf,
    /// Run against the real service with a real model (needs ANTHROPIC_API_KEY).
    #[arg(long)]
    live: bool,
}

const TASK: &str =
    "Please reconcile invoices.csv against ledger.csv, summarise the invoice amounts, \
convert the 1,250 lb shipment weight to kg for the customs form, and check with the \
invoice API whether anything missing from the ledger was paid.";

const PLUGINS: [(&str, &str); 3] = [
    ("invoices", "Rust"),
    ("units", "JavaScript"),
    ("stats", "Python"),
];

/// Runs the demo; fails unless every tool call was answered and the turn ended normally.
pub async fn run(args: DemoArgs) -> Result<()> {
    let started = Instant::now();
    let render = Renderer::for_stdout();
    let work = tempfile::tempdir()?;
    let data = work.path().join("data");
    std::fs::create_dir_all(&data)?;
    std::fs::write(data.join("invoices.csv"), include_str!("demo/invoices.csv"))?;
    std::fs::write(data.join("ledger.csv"), include_str!("demo/ledger.csv"))?;

    let (client, emulator) = if args.live {
        if std::env::var_os("ANTHROPIC_API_KEY").is_none() {
            bail!("--live needs ANTHROPIC_API_KEY");
        }
        let client = Client::new(ClientOptions::from_env());
        outln!("Outrig demo, live against {}", client.base_url());
        (client, None)
    } else {
        let scenarios = work.path().join("scenarios");
        std::fs::create_dir_all(&scenarios)?;
        std::fs::write(
            scenarios.join("bookkeeper.json"),
            include_str!("demo/bookkeeper.json"),
        )?;
        let emulator = outrig_emulator::start(outrig_emulator::Config {
            addr: "127.0.0.1:0".parse()?,
            db: work.path().join("emulator.sqlite"),
            scenarios: Some(scenarios),
            api_keys: vec!["demo".into()],
            ..Default::default()
        })
        .await?;
        let client = Client::new(ClientOptions {
            base_url: emulator.base_url(),
            api_key: Some(Secret::new("demo")),
            ..Default::default()
        });
        outln!(
            "Outrig demo, offline: emulator at {} (no API key needed)",
            emulator.base_url()
        );
        (client, Some(emulator))
    };

    let invoice_api = crate::demo_api::start().await?;
    outln!("invoice API (the Rust plugin's HTTP grant) at {invoice_api}");
    let host = load_plugins(&args.plugins, &data, &invoice_api).await?;
    let runner = Runner::new(host.clone(), client.clone(), 8);
    let mut agent_params = json!({
        "name": "Bookkeeper",
        "model": "claude-sonnet-4-6",
        "system": "You are a careful bookkeeper. Use the tools; the files are in the tool's /data directory.",
    });
    if !args.live {
        agent_params["metadata"] = json!({"scenario": "bookkeeper"});
    }
    let agent = client
        .create_agent(&serde_json::from_value::<CreateAgent>(agent_params)?)
        .await?;
    let agent = runner.register(&agent.id).await?;
    let environment = client
        .create_environment(&EnvironmentParams {
            name: Some("outrig-demo".into()),
            ..Default::default()
        })
        .await?;
    let session = client
        .create_session(&serde_json::from_value::<CreateSession>(json!({"agent": agent.id, "environment_id": environment.id, "title": "Month-end close"}))?)
        .await?;
    outln!(
        "agent {} (v{}, {} custom tools), session {}\n",
        agent.id,
        agent.version,
        agent.custom_tools().count(),
        session.id
    );

    let serving = {
        let (runner, id) = (runner.clone(), session.id.clone());
        tokio::spawn(async move {
            runner
                .serve(&id, Until::TurnEnds, move |event| {
                    if let Some(line) = render.line(event) {
                        outln!("{line}");
                    }
                })
                .await
        })
    };
    client
        .send_events(&session.id, vec![SendEvent::user_text(TASK)])
        .await?;
    let summary = serving.await.context("the runner stopped")??;

    outln!("\nsummary");
    outln!("  events streamed  {}", summary.events);
    outln!("  tool calls       {}", summary.calls.len());
    for call in &summary.calls {
        outln!(
            "    {:<20} {:>8.2} ms  {}",
            call.name,
            call.outcome.elapsed.as_secs_f64() * 1000.0,
            if call.outcome.is_error { "error" } else { "ok" }
        );
    }
    let stop = summary
        .stop_reason
        .as_ref()
        .map(|s| s.type_name().to_string())
        .unwrap_or_else(|| "none".into());
    outln!("  stop reason      {stop}");
    outln!(
        "  total time       {:.2} s",
        started.elapsed().as_secs_f64()
    );
    if let Some(emulator) = emulator {
        emulator.stop().await?;
    }
    let unanswered = summary.calls.iter().filter(|c| c.outcome.is_error).count();
    if stop != "end_turn" || summary.calls.is_empty() || unanswered > 0 {
        bail!(
            "the demo did not complete: stop reason {stop}, {} calls, {unanswered} failed",
            summary.calls.len()
        );
    }
    Ok(())
}

async fn load_plugins(dir: &Path, data: &Path, invoice_api: &str) -> Result<Arc<ToolHost>> {
    let mut plugins = Vec::new();
    for (file, _) in PLUGINS {
        let path = dir.join(format!("{file}.wasm"));
        if !path.is_file() {
            bail!(
                "{} is missing; build the plugins with scripts/build-plugins.sh",
                path.display()
            );
        }
        let mut grants = Grants::default();
        if file == "invoices" {
            grants.dirs.push(DirGrant {
                host: data.to_path_buf(),
                guest: "/data".into(),
                mode: DirMode::Ro,
            });
            grants.env.push(format!("INVOICES_API_URL={invoice_api}"));
            grants.network.push(invoice_api.to_string());
            // The demo's API is on loopback, which grants otherwise never reach.
            grants.allow_private = true;
        }
        plugins.push(PluginConfig {
            grants,
            ..PluginConfig::ungranted(path)
        });
    }
    let progress = crate::progress::Progress::start(
        "loading plugins (the first run compiles them, later runs use the cache)",
    );
    let host = HostConfig {
        plugins,
        ..Default::default()
    }
    .load_tools()
    .await?;
    progress.finish();
    for (plugin, (_, language)) in host.plugins().iter().zip(PLUGINS) {
        let tools: Vec<&str> = plugin.tools.iter().map(|t| t.name.as_str()).collect();
        outln!(
            "  {:<11} {:<44} {}",
            language,
            tools.join(", "),
            if plugin.from_cache {
                "cached"
            } else {
                "compiled"
            }
        );
    }
    Ok(Arc::new(host))
}
