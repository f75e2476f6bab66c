//! One plugin's entry of the operator's grants file (`[[plugin]]` of `outrig-host.toml`):
//! what it may touch and its limits. Nothing is granted by default, and nothing an agent
//! says can change it.

use outrig_api::network::NetworkGrant;
use outrig_api::plugin::ContractLimits;
use serde::Deserialize;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

/// One `[[plugin]]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PluginConfig {
    /// The component file (relative to the config file).
    pub path: PathBuf,
    /// Refuse to load unless the file's SHA-256 (hex) matches.
    #[serde(default)]
    pub sha256: Option<String>,
    /// Refuse to load unless the component is signed by this signer.
    #[serde(default)]
    pub signer: Option<SignerConfig>,
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

impl PluginConfig {
    /// The plugin at `path` with nothing granted, default limits, no pin and no prefix.
    pub fn ungranted(path: impl Into<PathBuf>) -> Self {
        PluginConfig {
            path: path.into(),
            sha256: None,
            signer: None,
            prefix: None,
            grants: Grants::default(),
            limits: Limits::default(),
        }
    }
}

/// Whose signature a plugin must carry.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum SignerConfig {
    /// An Ed25519 public key (a file, relative to the config file: PEM, DER or OpenSSH);
    /// the signature is embedded or in `PATH.sig`.
    Key(PathBuf),
    /// A Sigstore keyless signature: the certificate's identity (URI or e-mail) and OIDC
    /// issuer, under a trust root (Sigstore's `trusted_root.json`, relative to the config
    /// file); the bundle is `PATH.sigstore.json`.
    Keyless {
        /// e.g. `https://github.com/ORG/REPO/.github/workflows/release.yml@refs/tags/v1.0.0`.
        identity: String,
        /// e.g. `https://token.actions.githubusercontent.com`.
        issuer: String,
        /// The trust root file.
        trust_root: PathBuf,
    },
}

impl SignerConfig {
    /// With its files relative to `base`.
    pub fn relative_to(&self, base: &std::path::Path) -> SignerConfig {
        match self {
            SignerConfig::Key(file) => SignerConfig::Key(base.join(file)),
            SignerConfig::Keyless {
                identity,
                issuer,
                trust_root,
            } => SignerConfig::Keyless {
                identity: identity.clone(),
                issuer: issuer.clone(),
                trust_root: base.join(trust_root),
            },
        }
    }
}

/// Capabilities granted to a plugin; empty means none.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grants {
    /// Host directories preopened in the guest.
    #[serde(default)]
    pub dirs: Vec<DirGrant>,
    /// Environment variables: `NAME` passes the host's value through, `NAME=value` sets
    /// one (e.g. an API's base URL).
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
    /// Most log lines kept (the rest is dropped and counted).
    pub log_lines: usize,
    /// Most content blocks in one result.
    pub output_blocks: usize,
    /// Deadline of `describe()` at load, in milliseconds.
    pub load_timeout_ms: u64,
    /// After a `user.interrupt`, how long a call may run on (seeing `cancelled()`) before
    /// it is stopped.
    pub cancel_grace_ms: u64,
    /// Deadline for resolving and connecting one HTTP request, in milliseconds.
    pub http_connect_timeout_ms: u64,
    /// Largest total size of the HTTP response bodies of one call.
    pub http_response_bytes: usize,
    /// Most tools one plugin may declare.
    pub max_tools: usize,
    /// Largest tool description, in bytes.
    pub max_description_bytes: usize,
    /// Largest input or output schema, in bytes of JSON text.
    pub max_schema_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        let contract = ContractLimits::DEFAULT;
        Limits {
            timeout_ms: contract.timeout_ms,
            memory_mib: 256,
            output_bytes: contract.output_bytes,
            log_bytes: contract.log_bytes,
            log_lines: contract.log_lines,
            output_blocks: contract.output_blocks,
            load_timeout_ms: 5_000,
            cancel_grace_ms: 1_000,
            http_connect_timeout_ms: 10_000,
            http_response_bytes: 16 << 20,
            max_tools: contract.max_tools,
            max_description_bytes: contract.max_description_bytes,
            max_schema_bytes: contract.max_schema_bytes,
        }
    }
}

impl Limits {
    /// The limits the plugin contract defines (`outrig_api::plugin`).
    pub fn contract(&self) -> ContractLimits {
        ContractLimits {
            timeout_ms: self.timeout_ms,
            output_bytes: self.output_bytes,
            output_blocks: self.output_blocks,
            log_bytes: self.log_bytes,
            log_lines: self.log_lines,
            max_tools: self.max_tools,
            max_description_bytes: self.max_description_bytes,
            max_schema_bytes: self.max_schema_bytes,
        }
    }
}

/// The network grants, as `scheme://host:port` origins (`outrig_api::network`, the rule the
/// edge runner shares). Host names are resolved when a plugin connects (never only at
/// load), so a check always sees the current addresses.
#[derive(Debug, Clone, Default)]
pub struct NetworkPolicy {
    grant: NetworkGrant,
}

impl NetworkPolicy {
    /// Parses a plugin's `scheme://host:port` entries (the port defaults from the scheme).
    pub fn from_grants(grants: &Grants) -> anyhow::Result<Self> {
        Self::new(&grants.network, grants.allow_private)
    }

    /// Parses `scheme://host:port` entries; `allow_private` lets them resolve to private
    /// addresses.
    pub fn new(network: &[String], allow_private: bool) -> anyhow::Result<Self> {
        let grant = NetworkGrant::parse(network, allow_private).map_err(anyhow::Error::msg)?;
        Ok(NetworkPolicy { grant })
    }

    /// Whether any network access is granted.
    pub fn any(&self) -> bool {
        self.grant.any()
    }

    /// Whether the guest may open a socket to `addr`: an allowed address that a granted
    /// host (an address, or a name resolved now) has, on a granted port.
    pub async fn permits(&self, addr: SocketAddr) -> bool {
        if !self.address_allowed(addr.ip()) {
            return false;
        }
        for origin in self.grant.origins() {
            if origin.port != addr.port() {
                continue;
            }
            let found = match origin.host.parse::<IpAddr>() {
                Ok(ip) => ip == addr.ip(),
                Err(_) => tokio::net::lookup_host((origin.host.as_str(), origin.port))
                    .await
                    .is_ok_and(|mut resolved| resolved.any(|a| a.ip() == addr.ip())),
            };
            if found {
                return true;
            }
        }
        false
    }

    /// Whether some origin at `host:port` is granted, whatever its scheme (a `CONNECT`
    /// tunnel does not say which scheme it carries).
    pub fn grants_authority(&self, host: &str, port: u16) -> bool {
        self.grant.grants_authority(host, port)
    }

    /// Whether an HTTP request to `scheme://host:port` is granted (before resolving it).
    pub fn grants_origin(&self, scheme: &str, host: &str, port: u16) -> bool {
        self.grant.grants_origin(scheme, host, port)
    }

    /// Whether a resolved address may be reached: public, or private with `allow_private`.
    pub fn address_allowed(&self, ip: IpAddr) -> bool {
        self.grant.address_allowed(ip)
    }
}
