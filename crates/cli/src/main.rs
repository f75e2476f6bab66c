//! `outrig`: Claude Managed Agents from the terminal.

// First: its macros (`outln!`, `out!`) serve the modules after it.
#[macro_use]
mod stdout;
mod api;
mod connect;
mod decode;
mod demo;
mod demo_api;
mod edge;
mod emulator;
mod host;
mod listen_args;
mod plugin;
mod progress;
mod render;
mod resources;
mod scaffold;
mod telemetry;

use clap::{Parser, Subcommand};
use std::process::ExitCode;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::Layer;

#[derive(Parser)]
#[command(
    name = "outrig",
    version,
    about = "Managed Agents from code you control"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Agents: create, get, list, update, archive.
    Agents {
        #[command(subcommand)]
        command: api::AgentsCommand,
        #[command(flatten)]
        common: api::Common,
    },
    /// Environments: create, get, list, update, archive, delete.
    Environments {
        #[command(subcommand)]
        command: api::EnvironmentsCommand,
        #[command(flatten)]
        common: api::Common,
    },
    /// Sessions: create, get, list, update, archive, delete, send, stream, events.
    Sessions {
        #[command(subcommand)]
        command: api::SessionsCommand,
        #[command(flatten)]
        common: api::Common,
    },
    /// Vaults and their credentials (secrets are write-only).
    Vaults {
        #[command(subcommand)]
        command: resources::VaultsCommand,
        #[command(flatten)]
        common: api::Common,
    },
    /// Skills: upload a folder, versions, download, delete.
    Skills {
        #[command(subcommand)]
        command: resources::SkillsCommand,
        #[command(flatten)]
        common: api::Common,
    },
    /// Memory stores and their memories.
    MemoryStores {
        #[command(subcommand)]
        command: resources::MemoryCommand,
        #[command(flatten)]
        common: api::Common,
    },
    /// Deployments: session templates run on demand or on a cron schedule.
    Deployments {
        #[command(subcommand)]
        command: resources::DeploymentsCommand,
        #[command(flatten)]
        common: api::Common,
    },
    /// Any endpoint by name (`outrig call --list`), with ids, `--query` and `--body`.
    Call {
        #[command(flatten)]
        args: resources::CallArgs,
        #[command(flatten)]
        common: api::Common,
    },
    /// Work with event transcripts.
    #[command(subcommand)]
    Events(EventsCommand),
    /// Serve a local, persistent Managed Agents API (the offline default).
    Emulator(Box<emulator::EmulatorArgs>),
    /// Run custom tools from WebAssembly plugins for agents and sessions.
    #[command(subcommand)]
    Host(host::HostCommand),
    /// Work with plugin files.
    #[command(subcommand)]
    Plugin(plugin::PluginCommand),
    /// The whole system offline: emulator, tool host, plugins, a streamed session.
    Demo(demo::DemoArgs),
}

#[derive(Subcommand)]
enum EventsCommand {
    /// Read events (JSON array, JSON lines, or --sse transcript) on stdin and write each as
    /// one canonical JSON line.
    Decode {
        /// Read a raw SSE transcript instead of JSON.
        #[arg(long)]
        sse: bool,
    },
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let telemetry = match telemetry::provider() {
        Ok(provider) => provider,
        Err(error) => {
            eprintln!("error: {error:#}");
            return ExitCode::FAILURE;
        }
    };
    let log = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_filter(
            tracing_subscriber::EnvFilter::try_from_env("OUTRIG_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        );
    tracing_subscriber::registry()
        .with(log)
        .with(telemetry.as_ref().map(telemetry::layer))
        .init();
    let result = run(cli.command);
    // Sends the spans still buffered.
    if let Some(provider) = telemetry {
        if let Err(error) = provider.shutdown() {
            eprintln!("warning: cannot export the last spans: {error}");
        }
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs one command.
fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Emulator(args) => runtime().and_then(|rt| rt.block_on(emulator::run(*args))),
        Command::Agents { command, common } => {
            runtime().and_then(|rt| rt.block_on(api::agents(command, common)))
        }
        Command::Environments { command, common } => {
            runtime().and_then(|rt| rt.block_on(api::environments(command, common)))
        }
        Command::Sessions { command, common } => {
            runtime().and_then(|rt| rt.block_on(api::sessions(command, common)))
        }
        Command::Vaults { command, common } => {
            runtime().and_then(|rt| rt.block_on(resources::vaults(command, common)))
        }
        Command::Skills { command, common } => {
            runtime().and_then(|rt| rt.block_on(resources::skills(command, common)))
        }
        Command::MemoryStores { command, common } => {
            runtime().and_then(|rt| rt.block_on(resources::memory_stores(command, common)))
        }
        Command::Deployments { command, common } => {
            runtime().and_then(|rt| rt.block_on(resources::deployments(command, common)))
        }
        Command::Call { args, common } => {
            runtime().and_then(|rt| rt.block_on(resources::call(args, common)))
        }
        Command::Host(command) => runtime().and_then(|rt| rt.block_on(host::run(command))),
        Command::Demo(args) => runtime().and_then(|rt| rt.block_on(demo::run(args))),
        Command::Plugin(command) => runtime().and_then(|rt| rt.block_on(plugin::run(command))),
        Command::Events(EventsCommand::Decode { sse }) => {
            let format = if sse {
                decode::Format::Sse
            } else {
                decode::Format::Json
            };
            let mut out = std::io::BufWriter::new(stdout::Stdout);
            decode::run(std::io::stdin().lock(), &mut out, format)?;
            Ok(std::io::Write::flush(&mut out)?)
        }
    }
}
