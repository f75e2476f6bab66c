//! `outrig plugin inspect`: what a plugin offers, what it imports, what it would need granted.

use crate::engine::ToolEngine;
use crate::grants::PluginConfig;
use crate::plugin::{linker, LoadedPlugin, ToolInfo};
use std::fmt;
use std::path::Path;

/// The report.
pub struct Inspection {
    /// File inspected.
    pub path: String,
    /// SHA-256 of the file (for the grants file's pin).
    pub sha256: String,
    /// File size.
    pub size: u64,
    /// Whether it carries a signature (embedded, `PATH.sig` or a Sigstore bundle beside it).
    pub signed: String,
    /// Every import of the component.
    pub imports: Vec<String>,
    /// Its `outrig:tool` version, tools and declared origins, or why it is refused.
    pub plugin: Result<Loaded, String>,
}

/// What a plugin that loads says of itself.
pub struct Loaded {
    /// The `outrig:tool` WIT version it was built against.
    pub wit_version: &'static str,
    /// Its tools.
    pub tools: Vec<ToolInfo>,
    /// The HTTP origins it says its tools call.
    pub origins: Vec<String>,
}

/// Inspects a plugin with nothing granted; when `pin` is given, only if its bytes hash to it.
pub async fn inspect(path: &Path, pin: Option<String>) -> anyhow::Result<Inspection> {
    let engine = ToolEngine::new(ToolEngine::default_cache_dir())?;
    let (component, sha256, _) = engine.load(path, None, pin).await?;
    let bytes = std::fs::read(path)?;
    let signed = match crate::signature::signed_by(path, &bytes) {
        Some((keys, place)) => format!(
            "{place}, by key {} (`outrig plugin keygen` prints a key's id; set `signer` to require it)",
            keys.join(", ")
        ),
        None => "not signed".to_string(),
    };
    let signed = match crate::sigstore::claimed_by(path) {
        Some(claim) => format!(
            "{signed}; a Sigstore bundle beside it names {claim} (verified only when `signer` requires that identity)"
        ),
        None => signed,
    };
    let mut imports: Vec<String> = component
        .component_type()
        .imports(&engine.engine)
        .map(|(name, _)| name.to_string())
        .collect();
    imports.sort();
    let config = PluginConfig::ungranted(path);
    let plugin = LoadedPlugin::load(&engine, &linker(&engine)?, &config)
        .await
        .map(|p| Loaded {
            wit_version: p.wit_version(),
            tools: p.tools,
            origins: p.origins,
        })
        .map_err(|e| format!("{e:#}"));
    Ok(Inspection {
        path: path.display().to_string(),
        sha256,
        size: bytes.len() as u64,
        signed,
        imports,
        plugin,
    })
}

impl Inspection {
    /// What the operator would have to grant for each capability the plugin imports.
    pub fn grantable(&self) -> Vec<&'static str> {
        let has = |prefix: &str| self.imports.iter().any(|i| i.starts_with(prefix));
        let mut needs = Vec::new();
        if has("wasi:filesystem") {
            needs.push("files: only directories listed in `grants.dirs` (none by default)");
        }
        if has("wasi:sockets") {
            needs.push(
                "network: only `grants.network` entries, scheme://host:port (none by default)",
            );
        }
        if has("wasi:cli/environment") {
            needs.push("environment: only variables named in `grants.env` (none by default)");
        }
        if has("wasi:http") {
            needs.push(
                "http: only `grants.network` entries, scheme://host:port (none by default); private addresses also need `allow_private`",
            );
        }
        needs
    }
}

impl fmt::Display for Inspection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} ({} bytes)\nsha256 = \"{}\"\nsignature: {}",
            self.path, self.size, self.sha256, self.signed
        )?;
        match &self.plugin {
            Ok(plugin) => {
                writeln!(f, "outrig:tool@{}", plugin.wit_version)?;
                writeln!(f, "\ntools:")?;
                for tool in &plugin.tools {
                    writeln!(
                        f,
                        "  {}  [{}]\n    {}\n    input: {}",
                        tool.name,
                        tool.hints.join(", "),
                        tool.description,
                        tool.input_schema
                    )?;
                    if let Some(output) = &tool.output_schema {
                        writeln!(f, "    output: {output}")?;
                    }
                }
                if !plugin.origins.is_empty() {
                    writeln!(
                        f,
                        "\nHTTP origins it calls (grant them in `grants.network`):"
                    )?;
                    for origin in &plugin.origins {
                        writeln!(f, "  {origin}")?;
                    }
                }
            }
            Err(error) => writeln!(f, "\nREFUSED: {error}")?,
        }
        writeln!(f, "\nimports:")?;
        for import in &self.imports {
            writeln!(f, "  {import}")?;
        }
        writeln!(f, "\nwould need granted:")?;
        let needs = self.grantable();
        if needs.is_empty() {
            writeln!(f, "  nothing")?;
        }
        for need in needs {
            writeln!(f, "  {need}")?;
        }
        Ok(())
    }
}
