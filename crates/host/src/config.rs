//! The operator's grants file (`outrig-host.toml`): which plugins to load and what each
//! may touch (`[[plugin]]`, see [`outrig_sandbox::grants`]), how confirmations are answered
//! (`[[confirm]]`) and the self-hosted environment's sandbox (`[sandbox]`).

use outrig_sandbox::grants::PluginConfig;
use outrig_sandbox::ToolHost;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The whole grants file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostConfig {
    /// Calls run at once per session (default 8).
    #[serde(default)]
    pub max_parallel: Option<usize>,
    /// Where precompiled plugins are cached (default `~/.cache/outrig/plugins`).
    #[serde(default)]
    pub cache_dir: Option<PathBuf>,
    /// The plugins.
    #[serde(default, rename = "plugin")]
    pub plugins: Vec<PluginConfig>,
    /// How the host answers tool confirmations (`[[confirm]]`); none: a person does.
    #[serde(default, rename = "confirm")]
    pub confirm: Vec<crate::confirm::ConfirmRule>,
    /// The self-hosted environment's sandbox (`[sandbox]`, used by `host work`).
    #[serde(default)]
    pub sandbox: crate::worker::config::SandboxConfig,
}

impl HostConfig {
    /// Loads its plugins (see [`ToolHost::load`]), pulling `oci://` ones first (into
    /// `oci` beside the compiled-code cache; offline when pinned by a cached digest).
    pub async fn load_tools(&self) -> anyhow::Result<ToolHost> {
        let cache = crate::oci::cache_dir(self.cache_dir.as_deref());
        let mut plugins = self.plugins.clone();
        for plugin in &mut plugins {
            let local = crate::oci::local_path(&plugin.path, &cache).await?;
            plugin.path = local.path;
            // The operator's own pin, if any, is checked too: both must hold.
            if plugin.sha256.is_none() {
                plugin.sha256 = local.sha256;
            }
        }
        ToolHost::load(&plugins, self.cache_dir.clone()).await
    }

    /// Reads a grants file; relative paths become relative to its directory.
    pub fn read(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let mut config: HostConfig =
            toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        for plugin in &mut config.plugins {
            if !crate::oci::is_reference(&plugin.path) {
                plugin.path = base.join(&plugin.path);
            }
            plugin.signer = plugin
                .signer
                .as_ref()
                .map(|signer| signer.relative_to(base));
            for dir in &mut plugin.grants.dirs {
                dir.host = base.join(&dir.host);
            }
        }
        Ok(config)
    }
}
