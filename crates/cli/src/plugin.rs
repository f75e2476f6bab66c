//! `outrig plugin …`: start a plugin project and build it, look at a plugin, check it, or
//! run one call through the real host (same limits and grants) with no API or emulator.

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use outrig_host::grants::{HostConfig, PluginConfig};
use outrig_host::ToolHost;
use std::path::{Path, PathBuf};

/// `outrig plugin` subcommands.
#[derive(Debug, Subcommand)]
pub enum PluginCommand {
    /// Write a new plugin project (one example tool, its schema, a README) in ./NAME.
    New {
        /// The plugin's name: lower-case letters, digits, `-`, `_`.
        name: String,
        /// Its language.
        #[arg(long, value_enum)]
        lang: crate::scaffold::Lang,
    },
    /// Build a plugin project into DIR/NAME.wasm with its language's toolchain.
    Build {
        /// The project directory.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Print a plugin's tools, schemas, imports and what it would need granted.
    Inspect {
        /// The component file.
        file: PathBuf,
    },
    /// Load a plugin as the host would (describe() under its deadline, every schema
    /// compiled) and print the report; exits 1 if the host would refuse it.
    Check {
        /// The component file.
        file: PathBuf,
    },
    /// Run one call through the host and print its result, logs and time; exits 1 if the
    /// result is an error.
    Call {
        /// The component file.
        file: PathBuf,
        /// The tool's name.
        tool: String,
        /// The input, a JSON object.
        #[arg(default_value = "{}")]
        input: String,
        /// A grants file: the plugin's `[[plugin]]` entry there (same file) gives its grants
        /// and limits. Without one, nothing is granted.
        #[arg(long)]
        grants: Option<PathBuf>,
    },
}

/// Runs a plugin command.
pub async fn run(command: PluginCommand) -> Result<()> {
    match command {
        PluginCommand::New { name, lang } => {
            let dir = crate::scaffold::new(Path::new("."), &name, lang)?;
            println!(
                "wrote {}: `cd {name} && outrig plugin build`, then `outrig plugin call {name}.wasm greet '{{\"name\":\"Ada\"}}'`",
                dir.display()
            );
        }
        PluginCommand::Build { dir } => {
            println!("built {}", crate::scaffold::build(&dir)?.display());
        }
        PluginCommand::Inspect { file } => {
            print!("{}", outrig_host::inspect::inspect(&file).await?);
        }
        PluginCommand::Check { file } => {
            let report = outrig_host::inspect::inspect(&file).await?;
            print!("{report}");
            if let Err(refusal) = &report.plugin {
                bail!("the host would refuse this plugin: {refusal}");
            }
        }
        PluginCommand::Call {
            file,
            tool,
            input,
            grants,
        } => call(&file, &tool, &input, grants.as_deref()).await?,
    }
    Ok(())
}

async fn call(file: &Path, tool: &str, input: &str, grants: Option<&Path>) -> Result<()> {
    let input: serde_json::Value =
        serde_json::from_str(input).context("the input must be a JSON object")?;
    let plugin = match grants {
        Some(path) => {
            let wanted = file.canonicalize().context("cannot find the plugin")?;
            HostConfig::read(path)?
                .plugins
                .into_iter()
                .find(|p| p.path.canonicalize().is_ok_and(|p| p == wanted))
                .with_context(|| {
                    format!(
                        "{} has no [[plugin]] for {}",
                        path.display(),
                        file.display()
                    )
                })?
        }
        None => PluginConfig::ungranted(file),
    };
    let started = std::time::Instant::now();
    let host = ToolHost::load(&HostConfig {
        plugins: vec![plugin],
        ..Default::default()
    })
    .await?;
    let loaded = started.elapsed();
    let outcome = host.call(tool, &input).await;
    for line in &outcome.logs {
        eprintln!("{line}");
    }
    for block in &outcome.content {
        match block.as_text() {
            Some(text) => println!("{text}"),
            None => println!("{}", serde_json::to_string(block)?),
        }
    }
    eprintln!(
        "{} in {:.2} ms (loading {:.2} ms)",
        if outcome.is_error { "error" } else { "ok" },
        outcome.elapsed.as_secs_f64() * 1e3,
        loaded.as_secs_f64() * 1e3
    );
    if outcome.is_error {
        bail!("the call failed");
    }
    Ok(())
}
