//! Loading a plugin: compile (or load from cache), check its pin, call `describe()` once in
//! a fresh sandbox under the load deadline, and validate what it claims against the
//! load limits (tool count, name, description and schema sizes, valid schemas).

use crate::engine::ToolEngine;
use crate::grants::{Limits, PluginConfig};
use crate::sandbox::{CallState, Sandbox};
use crate::signature::Signer;
use crate::world::{add_host_interfaces, PluginPre, ToolSpec};
use outrig_api::plugin::{check_declarations, Checked, DeclarationError, Declared, Schema};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;
use wasmtime::component::Linker;

/// Most origins a plugin may list in `origins()`.
const MAX_ORIGINS: usize = 64;

/// A tool as the host exposes it.
pub use outrig_api::plugin::CheckedTool as ToolInfo;

/// A loaded, validated plugin, ready to instantiate per call.
pub struct LoadedPlugin {
    /// File it came from.
    pub path: PathBuf,
    /// SHA-256 of the file.
    pub sha256: String,
    /// Whether the precompiled cache was used.
    pub from_cache: bool,
    /// Its tools.
    pub tools: Vec<ToolInfo>,
    /// The `scheme://host:port` origins it says its tools call (granting is separate).
    pub origins: Vec<String>,
    /// What it may reach.
    pub sandbox: Sandbox,
    /// Compiled input and output schemas, by tool index.
    pub(crate) schemas: Vec<(Schema, Option<Schema>)>,
    pub(crate) pre: PluginPre,
}

/// Builds the linker every plugin is instantiated with: WASI and `wasi:http` (limited per
/// store by the grants) and the `host` interface of every `outrig:tool` version.
pub fn linker(engine: &ToolEngine) -> anyhow::Result<Linker<CallState>> {
    let mut linker = Linker::new(&engine.engine);
    wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
    wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)?;
    add_host_interfaces(&mut linker)?;
    Ok(linker)
}

impl LoadedPlugin {
    /// Loads and validates the plugin of one `[[plugin]]` entry.
    pub async fn load(
        engine: &ToolEngine,
        linker: &Linker<CallState>,
        config: &PluginConfig,
    ) -> anyhow::Result<Self> {
        let shown = config.path.display().to_string();
        let signer = config
            .signer
            .as_ref()
            .map(Signer::from_config)
            .transpose()?;
        let (component, sha256, from_cache) = engine
            .load(&config.path, signer, config.sha256.clone())
            .await?;
        let pre =
            PluginPre::new(linker, &component).map_err(|e| anyhow::anyhow!("{shown} {e:#}"))?;
        let sandbox = Sandbox::new(config.grants.clone(), config.limits)?;
        let limit = Duration::from_millis(config.limits.load_timeout_ms);
        let (state, _) = sandbox.call_state(
            CancellationToken::new(),
            tokio::sync::watch::channel(None).0,
        )?;
        let mut store = engine.store(state, Instant::now() + limit);
        let (specs, origins) = match tokio::time::timeout(limit, pre.describe(&mut store)).await {
            Ok(specs) => specs.map_err(|e| {
                if matches!(e.downcast_ref(), Some(wasmtime::Trap::Interrupt)) {
                    describe_too_slow(&shown, limit)
                } else {
                    anyhow::anyhow!("{shown}: describe() failed: {e:#}")
                }
            })?,
            Err(_) => return Err(describe_too_slow(&shown, limit)),
        };
        if origins.len() > MAX_ORIGINS || origins.iter().any(|o| o.len() > 300) {
            anyhow::bail!(
                "{shown}: origins() returned {} origins; at most {MAX_ORIGINS} of at most 300 bytes each",
                origins.len()
            );
        }
        let prefix = config.prefix.clone().unwrap_or_default();
        let (tools, schemas) = validate(&specs, &prefix, &config.limits)
            .map_err(|e| anyhow::anyhow!("{shown}: describe() {e}"))?;
        Ok(LoadedPlugin {
            path: config.path.clone(),
            sha256,
            from_cache,
            tools,
            origins,
            sandbox,
            schemas,
            pre,
        })
    }

    /// The `outrig:tool` version the plugin was built against.
    pub fn wit_version(&self) -> &'static str {
        self.pre.version()
    }
}

fn describe_too_slow(shown: &str, limit: Duration) -> anyhow::Error {
    anyhow::anyhow!(
        "{shown}: describe() did not return within the {} ms load limit (`limits.load_timeout_ms`)",
        limit.as_millis()
    )
}

/// `describe()`'s specs checked by the contract, with their schemas compiled.
fn validate(
    specs: &[ToolSpec],
    prefix: &str,
    limits: &Limits,
) -> Result<Checked<Schema>, DeclarationError> {
    let declared: Vec<Declared> = specs
        .iter()
        .map(|spec| Declared {
            name: spec.name.clone(),
            description: spec.description.clone(),
            input_schema: spec.input_schema.clone(),
            output_schema: spec.output_schema.clone(),
            read_only: spec.hints.read_only,
            destructive: spec.hints.destructive,
            idempotent: spec.hints.idempotent,
        })
        .collect();
    check_declarations(&declared, prefix, &limits.contract(), Schema::compile)
}
