//! Loading a plugin: compile (or load from cache), check its pin, call `describe()` once in
//! a fresh sandbox under the load deadline, and validate what it claims against the
//! load limits (tool count, name, description and schema sizes, valid schemas).

use crate::engine::ToolEngine;
use crate::grants::{Limits, PluginConfig};
use crate::sandbox::{CallState, Sandbox};
use crate::schema::Schema;
use crate::world::{add_host_interfaces, PluginPre, ToolSpec};
use serde_json::Value;
use std::collections::HashSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;
use wasmtime::component::Linker;

/// Most origins a plugin may list in `origins()`.
const MAX_ORIGINS: usize = 64;

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
        let (component, sha256, from_cache) = engine.load(&config.path).await?;
        if let Some(pin) = &config.sha256 {
            anyhow::ensure!(
                pin.eq_ignore_ascii_case(&sha256),
                "{shown}: SHA-256 is {sha256}, but the grants file pins {pin}"
            );
        }
        let pre =
            PluginPre::new(linker, &component).map_err(|e| anyhow::anyhow!("{shown} {e:#}"))?;
        let sandbox = Sandbox::new(config.grants.clone(), config.limits)?;
        let limit = Duration::from_millis(config.limits.load_timeout_ms);
        let (state, _) = sandbox.call_state(CancellationToken::new())?;
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

/// 1–64 characters of `[A-Za-z0-9_-]`.
pub fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn describe_too_slow(shown: &str, limit: Duration) -> anyhow::Error {
    anyhow::anyhow!(
        "{shown}: describe() did not return within the {} ms load limit (`limits.load_timeout_ms`)",
        limit.as_millis()
    )
}

type Validated = (Vec<ToolInfo>, Vec<(Schema, Option<Schema>)>);

fn validate(specs: &[ToolSpec], prefix: &str, limits: &Limits) -> Result<Validated, String> {
    if specs.is_empty() {
        return Err("returned no tools".into());
    }
    if specs.len() > limits.max_tools {
        return Err(format!(
            "returned {} tools, over the limit of {} (`limits.max_tools`)",
            specs.len(),
            limits.max_tools
        ));
    }
    let mut seen = HashSet::new();
    let mut tools = Vec::new();
    let mut schemas = Vec::new();
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
        if spec.description.len() > limits.max_description_bytes {
            return Err(format!(
                "returned a description of {} bytes for `{name}`, over the limit of {} (`limits.max_description_bytes`)",
                spec.description.len(),
                limits.max_description_bytes
            ));
        }
        let input_schema = parse_schema(&spec.input_schema, "input", &name, limits)?;
        if input_schema.get("type").and_then(Value::as_str) != Some("object") {
            return Err(format!("returned an input schema for `{name}` that is not an object schema (`\"type\": \"object\"`)"));
        }
        let output_schema = match &spec.output_schema {
            Some(text) => Some(parse_schema(text, "output", &name, limits)?),
            None => None,
        };
        let compile = |schema: &Value, which: &str| {
            Schema::compile(schema)
                .map_err(|e| format!("returned an {which} schema for `{name}` that {e}"))
        };
        schemas.push((
            compile(&input_schema, "input")?,
            output_schema
                .as_ref()
                .map(|s| compile(s, "output"))
                .transpose()?,
        ));
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
    Ok((tools, schemas))
}

fn parse_schema(text: &str, which: &str, name: &str, limits: &Limits) -> Result<Value, String> {
    if text.len() > limits.max_schema_bytes {
        return Err(format!(
            "returned an {which} schema of {} bytes for `{name}`, over the limit of {} (`limits.max_schema_bytes`)",
            text.len(),
            limits.max_schema_bytes
        ));
    }
    serde_json::from_str(text)
        .map_err(|e| format!("returned an {which} schema for `{name}` that is not JSON: {e}"))
}
