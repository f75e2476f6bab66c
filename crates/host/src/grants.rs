//! The operator's grants file (`outrig-host.toml`): which plugins to load and what each
//! may touch. Nothing is granted by default, and nothing an agent says can change it.

use serde::Deserialize;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};

/// The whole file.
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
}

/// One `[[plugin]]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PluginConfig {
    /// The component file (relative to the config file).
    pub path: PathBuf,
    /// Refuse to load unless the file's SHA-256 (hex) matches.
    #[serde(default)]
    pub sha256: Option<String>,
    /// Prefix added to every tool name of this plugin (to avoid collisions).
    #[serde(default)]
    pub prefix: Option<String>,
    /// What the plugin may reach.
    #[serde(default)]
    pub grants: Grants,
    /// Per-call limits.
    #[serde(default)]
    pub limits: Limits,
}

/// Capabilities granted to a plugin; empty means none.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grants {
    /// Host directories preopened in the guest.
    #[serde(default)]
    pub dirs: Vec<DirGrant>,
    /// Environment variables passed through by name (from the host's environment).
    #[serde(default)]
    pub env: Vec<String>,
    /// Outbound connections allowed, as `scheme://host:port`.
    #[serde(default)]
    pub network: Vec<String>,
    /// Allow loopback/private/link-local addresses among the allowed ones.
    #[serde(default)]
    pub allow_private: bool,
}

/// A preopened directory.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirGrant {
    /// Directory on the host (relative to the config file).
    pub host: PathBuf,
    /// Where the guest sees it, e.g. `/data`.
    pub guest: String,
    /// `ro` (default) or `rw`.
    #[serde(default)]
    pub mode: DirMode,
}

/// Directory access.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DirMode {
    /// Read-only.
    #[default]
    Ro,
    /// Read-write.
    Rw,
}

/// Limits of one call; a call that exceeds one becomes an `is_error` result.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Wall-clock deadline in milliseconds.
    pub timeout_ms: u64,
    /// Linear memory cap in MiB.
    pub memory_mib: u64,
    /// Largest total result size in bytes.
    pub output_bytes: usize,
    /// Largest total log volume in bytes (the rest is dropped and counted).
    pub log_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout_ms: 30_000,
            memory_mib: 256,
            output_bytes: 1 << 20,
            log_bytes: 64 << 10,
        }
    }
}

impl HostConfig {
    /// Reads a grants file; relative paths become relative to its directory.
    pub fn read(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let mut config: HostConfig =
            toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        for plugin in &mut config.plugins {
            plugin.path = base.join(&plugin.path);
            for dir in &mut plugin.grants.dirs {
                dir.host = base.join(&dir.host);
            }
        }
        Ok(config)
    }
}

/// The network grants resolved to addresses, checked on every socket use.
#[derive(Debug, Clone, Default)]
pub struct NetworkPolicy {
    allowed: Vec<SocketAddr>,
    allow_private: bool,
}

impl NetworkPolicy {
    /// Resolves `scheme://host:port` entries (the port defaults from the scheme).
    pub fn resolve(grants: &Grants) -> anyhow::Result<Self> {
        let mut allowed = Vec::new();
        for entry in &grants.network {
            let (scheme, rest) = entry.split_once("://").ok_or_else(|| {
                anyhow::anyhow!("network grant `{entry}` must look like scheme://host:port")
            })?;
            let authority = rest.split('/').next().unwrap_or_default();
            let with_port = if authority
                .rsplit_once(':')
                .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
            {
                authority.to_string()
            } else {
                let port = match scheme {
                    "https" | "wss" => 443,
                    "http" | "ws" => 80,
                    other => {
                        anyhow::bail!("network grant `{entry}`: give a port for scheme `{other}`")
                    }
                };
                format!("{authority}:{port}")
            };
            allowed.extend(
                with_port
                    .to_socket_addrs()
                    .map_err(|e| anyhow::anyhow!("network grant `{entry}`: {e}"))?,
            );
        }
        Ok(NetworkPolicy {
            allowed,
            allow_private: grants.allow_private,
        })
    }

    /// Whether any network access is granted.
    pub fn any(&self) -> bool {
        !self.allowed.is_empty()
    }

    /// Whether the guest may connect to `addr`.
    pub fn permits(&self, addr: SocketAddr) -> bool {
        self.allowed.contains(&addr) && (self.allow_private || !is_private(addr.ip()))
    }
}

/// Loopback, private, link-local, unspecified and unique-local addresses.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.octets()[0] == 100 && (64..128).contains(&v4.octets()[1])
        }
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6.is_unspecified()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|v4| is_private(IpAddr::V4(v4)))
        }
    }
}
