//! Loading a plugin: compile (or load from cache), check its pin, call `describe()` once in
//! a fresh sandbox and validate what it claims.

use crate::bindings::{Plugin, PluginPre};
use crate::engine::ToolEngine;
use crate::grants::PluginConfig;
use crate::sandbox::{CallState, Sandbox};
use serde_json::Value;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use wasmtime::component::Linker;
use wasmtime::Store;

/// A tool as the host exposes it.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolInfo {
    /// Name on the agent (prefix + the plugin's name).
    pub name: String,
    /// Name inside the plugin.
    pub plugin_name: String,
    /// For the model.
    pub description: String,
    /// JSON Schema (an object schema).
    pub input_schema: Value,
    /// JSON Schema of JSON results, if documented.
    pub output_schema: Option<Value>,
    /// `read-only`, `destructive`, `idempotent` hints that are true.
    pub hints: Vec<&'static str>,
}

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
    /// What it may reach.
    pub sandbox: Sandbox,
    pub(crate) pre: PluginPre<CallState>,
}

/// Builds the linker every plugin is instantiated with: WASI (limited per store by the
/// grants) and the `host` interface.
pub fn linker(engine: &ToolEngine) -> anyhow::Result<Linker<CallState>> {
    let mut linker = Linker::new(&engine.engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
    Plugin::add_to_linker::<_, wasmtime::component::HasSelf<_>>(&mut linker, |state| state)?;
    Ok(linker)
}

impl LoadedPlugin {
    /// Loads and validates the plugin of one `[[plugin]]` entry.
    pub fn load(
        engine: &ToolEngine,
        linker: &Linker<CallState>,
        config: &PluginConfig,
    ) -> anyhow::Result<Self> {
        let shown = config.path.display().to_string();
        let (component, sha256, from_cache) = engine.load(&config.path)?;
        if let Some(pin) = &config.sha256 {
            anyhow::ensure!(
                pin.eq_ignore_ascii_case(&sha256),
                "{shown}: SHA-256 is {sha256}, but the grants file pins {pin}"
            );
        }
        let pre = PluginPre::new(linker.instantiate_pre(&component).map_err(|e| {
            anyhow::anyhow!("{shown} needs imports this host does not provide: {e:#}")
        })?)?;
        let sandbox = Sandbox::new(config.grants.clone(), config.limits)?;
        let mut store = Store::new(
            &engine.engine,
            sandbox.call_state(Arc::new(AtomicBool::new(false)))?,
        );
        store.limiter(|state| &mut state.limits);
        store.set_epoch_deadline(engine.deadline(config.limits.timeout_ms));
        let specs = pre
            .instantiate(&mut store)
            .and_then(|plugin| plugin.outrig_tool_tool().call_describe(&mut store))
            .map_err(|e| anyhow::anyhow!("{shown}: describe() failed: {e:#}"))?;
        let prefix = config.prefix.clone().unwrap_or_default();
        let tools =
            validate(&specs, &prefix).map_err(|e| anyhow::anyhow!("{shown}: describe() {e}"))?;
        Ok(LoadedPlugin {
            path: config.path.clone(),
            sha256,
            from_cache,
            tools,
            sandbox,
            pre,
        })
    }
}

/// 1–64 characters of `[A-Za-z0-9_-]`.
pub fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn validate(
    specs: &[crate::bindings::outrig::tool::types::ToolSpec],
    prefix: &str,
) -> Result<Vec<ToolInfo>, String> {
    if specs.is_empty() {
        return Err("returned no tools".into());
    }
    let mut seen = HashSet::new();
    let mut tools = Vec::new();
    for spec in specs {
        let name = format!("{prefix}{}", spec.name);
        if !valid_name(&name) {
            return Err(format!("returned the tool name {:?}; names must be 1-64 characters of letters, digits, `_` or `-`", name));
        }
        if !seen.insert(name.clone()) {
            return Err(format!("returned the tool name `{name}` twice"));
        }
        if spec.description.trim().is_empty() {
            return Err(format!("returned no description for `{name}`"));
        }
        let input_schema: Value = serde_json::from_str(&spec.input_schema)
            .map_err(|e| format!("returned an input schema for `{name}` that is not JSON: {e}"))?;
        if input_schema.get("type").and_then(Value::as_str) != Some("object") {
            return Err(format!("returned an input schema for `{name}` that is not an object schema (`\"type\": \"object\"`)"));
        }
        let output_schema = match &spec.output_schema {
            Some(text) => Some(serde_json::from_str(text).map_err(|e| {
                format!("returned an output schema for `{name}` that is not JSON: {e}")
            })?),
            None => None,
        };
        let hints = [
            ("read-only", spec.hints.read_only),
            ("destructive", spec.hints.destructive),
            ("idempotent", spec.hints.idempotent),
        ]
        .into_iter()
        .filter_map(|(hint, on)| on.then_some(hint))
        .collect();
        tools.push(ToolInfo {
            name,
            plugin_name: spec.name.clone(),
            description: spec.description.clone(),
            input_schema,
            output_schema,
            hints,
        });
    }
    Ok(tools)
}
