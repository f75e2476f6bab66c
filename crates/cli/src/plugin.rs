//! `outrig plugin …`: start a plugin project and build it, look at a plugin, check it, or
//! run one call through the real host (same limits and grants) with no API or emulator.

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use outrig_host::grants::PluginConfig;
use outrig_host::signature;
use outrig_host::HostConfig;
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
    /// Build a plugin project into DIR/NAME.wasm with its language's toolchain; with
    /// `--target edge`, also transpile it (jco) into DIR/edge/ for the npm package's
    /// `outrig/plugin` runner. DIR may also be a built component (`.wasm`), which is then
    /// only transpiled, into NAME.edge/ beside it.
    Build {
        /// The project directory, or a component file with `--target edge`.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// `native` (the component, for `outrig host`) or `edge` (also an ES module).
        #[arg(long, value_enum, default_value = "native")]
        target: Target,
        /// Where the edge module goes (default: DIR/edge, or NAME.edge beside a component).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Write a new Ed25519 key pair for signing plugins: the secret key (PEM, mode 0600)
    /// and the public key an operator names as `signer` in the grants file.
    Keygen {
        /// Where the secret key goes (never overwritten).
        #[arg(long)]
        secret_key: PathBuf,
        /// Where the public key goes.
        #[arg(long)]
        public_key: PathBuf,
    },
    /// Sign a plugin: the signature embedded in a copy at --out, or with --detached,
    /// written beside FILE as FILE.sig (the component unchanged).
    Sign {
        /// The component file.
        file: PathBuf,
        /// The secret key (PEM from `plugin keygen`, or an OpenSSH Ed25519 key).
        #[arg(long)]
        secret_key: PathBuf,
        /// The signed component (default: FILE, replaced).
        #[arg(long, conflicts_with = "detached")]
        out: Option<PathBuf>,
        /// Write the signature to FILE.sig instead of embedding it.
        #[arg(long)]
        detached: bool,
    },
    /// Push a plugin to an OCI registry (`oci://REGISTRY/REPO:TAG`), with the Docker
    /// config's credentials; prints the manifest digest to pin it by.
    Push {
        /// The component file.
        file: PathBuf,
        /// Where: `oci://REGISTRY/REPO:TAG`.
        reference: String,
        /// A TOML file of the grants the plugin requests, carried in the artifact (shown to
        /// operators when they pull it; never granted by pulling).
        #[arg(long)]
        requested_grants: Option<PathBuf>,
    },
    /// Print a plugin's tools, schemas, imports and what it would need granted.
    Inspect {
        /// The component file, or an `oci://` reference (pulled first).
        file: PathBuf,
    },
    /// Load a plugin as the host would (describe() under its deadline, every schema
    /// compiled) and print the report; exits 1 if the host would refuse it.
    Check {
        /// The component file, or an `oci://` reference (pulled first).
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

/// What `plugin build` produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    /// A component for `outrig host`.
    Native,
    /// The component and its jco transpilation for JavaScript engines.
    Edge,
}

/// Runs a plugin command.
pub async fn run(command: PluginCommand) -> Result<()> {
    match command {
        PluginCommand::New { name, lang } => {
            let dir = crate::scaffold::new(Path::new("."), &name, lang)?;
            outln!(
                "wrote {}: `cd {name} && outrig plugin build`, then `outrig plugin call {name}.wasm greet '{{\"name\":\"Ada\"}}'`",
                dir.display()
            );
        }
        PluginCommand::Build { dir, target, out } => {
            let is_component = dir.extension().is_some_and(|e| e == "wasm");
            let component = match (is_component, target) {
                (true, Target::Edge) => dir.clone(),
                (true, Target::Native) => bail!(
                    "{} is already a component: pass a project directory, or `--target edge` to transpile it",
                    dir.display()
                ),
                (false, _) => {
                    let built = crate::scaffold::build(&dir)?;
                    outln!("built {}", built.display());
                    built
                }
            };
            if target == Target::Edge {
                let out = out.unwrap_or_else(|| match is_component {
                    true => component.with_extension("edge"),
                    false => dir.join("edge"),
                });
                let module = crate::edge::transpile(&component, &out)?;
                outln!(
                    "built {} (load it with `loadPlugin` from `outrig/plugin`)",
                    module.display()
                );
            }
        }
        PluginCommand::Keygen {
            secret_key,
            public_key,
        } => {
            let id = signature::generate_key_pair(&secret_key, &public_key)?;
            eprintln!(
                "secret key: {} (keep it private)\npublic key: {} (the grants file's `signer`)\nkey id: {id}",
                secret_key.display(),
                public_key.display()
            );
        }
        PluginCommand::Sign {
            file,
            secret_key,
            out,
            detached,
        } => {
            let component =
                std::fs::read(&file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let signed = signature::sign(&component, &secret_key, detached)
                .map_err(|e| anyhow::anyhow!("{}: {e:#}", file.display()))?;
            let target = if detached {
                signature::detached_path(&file)
            } else {
                out.unwrap_or_else(|| file.clone())
            };
            std::fs::write(&target, signed)?;
            eprintln!("signed {}: {}", file.display(), target.display());
        }
        PluginCommand::Push {
            file,
            reference,
            requested_grants,
        } => {
            let component =
                std::fs::read(&file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let requested = match &requested_grants {
                Some(path) => Some(
                    std::fs::read_to_string(path)
                        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?,
                ),
                None => None,
            };
            // A Sigstore bundle beside the component travels with it, as a second layer.
            let bundle = std::fs::read(outrig_host::sigstore::bundle_path(&file)).ok();
            if bundle.is_some() {
                eprintln!("with its Sigstore bundle (a second layer)");
            }
            let digest = outrig_host::oci::push(
                &component,
                bundle.as_deref(),
                &reference,
                requested.as_deref(),
            )
            .await?;
            let repository = match reference.rsplit_once(':') {
                Some((repository, tag)) if !tag.contains('/') => repository,
                _ => reference.as_str(),
            };
            outln!("{digest}");
            eprintln!(
                "pushed {}: pin it as path = \"{repository}@{digest}\"",
                file.display()
            );
        }
        PluginCommand::Inspect { file } => {
            out!("{}", inspect(&file).await?);
        }
        PluginCommand::Check { file } => {
            let report = inspect(&file).await?;
            out!("{report}");
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
    let host = HostConfig {
        plugins: vec![plugin],
        ..Default::default()
    }
    .load_tools()
    .await?;
    let loaded = started.elapsed();
    let outcome = host.call(tool, &input).await;
    for line in &outcome.logs {
        eprintln!("{line}");
    }
    for block in &outcome.content {
        match block.as_text() {
            Some(text) => outln!("{text}"),
            None => outln!("{}", serde_json::to_string(block)?),
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

/// Inspects `file`, or for an `oci://` reference the component pulled into the default
/// cache, refused unless its bytes hash to the manifest's layer digest.
async fn inspect(file: &Path) -> Result<outrig_host::inspect::Inspection> {
    let local = outrig_host::oci::local_path(file, &outrig_host::oci::cache_dir(None)).await?;
    outrig_host::inspect::inspect(&local.path, local.sha256).await
}
