//! `outrig`: Claude Managed Agents from the terminal.

mod decode;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

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
    /// Work with event transcripts.
    #[command(subcommand)]
    Events(EventsCommand),
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Events(EventsCommand::Decode { sse }) => {
            let format = if sse {
                decode::Format::Sse
            } else {
                decode::Format::Json
            };
            let stdout = std::io::stdout();
            decode::run(std::io::stdin().lock(), &mut stdout.lock(), format).map(|_| ())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
