//! The operator's `[sandbox]` table of the grants file: where workdirs live, what the
//! sandbox may use, and which network origins it may reach. Nothing is granted by default,
//! and nothing an agent sends can widen it.

use super::shell::ShellLimits;
use serde::Deserialize;
use std::path::PathBuf;
use std::time::Duration;

/// `[sandbox]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SandboxConfig {
    /// Where each session's workdir is made (default `$XDG_DATA_HOME/outrig/work`).
    #[serde(default)]
    pub root: Option<PathBuf>,
    /// The host user (and group) the sandbox runs as when the worker runs as root
    /// (default 65534, `nobody`). The sandbox never runs as root.
    #[serde(default)]
    pub user: Option<u32>,
    /// Processes (and threads) at once per sandbox (default 256).
    #[serde(default)]
    pub processes: Option<u64>,
    /// Address space per process, MiB (default 2048).
    #[serde(default)]
    pub memory_mib: Option<u64>,
    /// CPU seconds per process (default 600).
    #[serde(default)]
    pub cpu_seconds: Option<u64>,
    /// Largest file a process may write, MiB (default 1024).
    #[serde(default)]
    pub file_mib: Option<u64>,
    /// The longest a bash command may run, ms (default 295 000, the SDK's).
    #[serde(default)]
    pub bash_timeout_ms: Option<u64>,
    /// Origins (`scheme://host:port`) the sandbox may reach through the egress proxy,
    /// under the same rules as a plugin's `wasi:http` (default: none, no network at all).
    #[serde(default)]
    pub network: Vec<String>,
    /// Whether granted origins may resolve to private addresses (default false).
    #[serde(default)]
    pub allow_private: bool,
}

impl SandboxConfig {
    /// The resource limits, with defaults.
    pub fn limits(&self) -> ShellLimits {
        let defaults = ShellLimits::default();
        ShellLimits {
            processes: self.processes.unwrap_or(defaults.processes),
            memory_mib: self.memory_mib.unwrap_or(defaults.memory_mib),
            cpu_seconds: self.cpu_seconds.unwrap_or(defaults.cpu_seconds),
            file_mib: self.file_mib.unwrap_or(defaults.file_mib),
        }
    }

    /// The longest a bash command may run.
    pub fn bash_timeout(&self) -> Duration {
        self.bash_timeout_ms
            .map(Duration::from_millis)
            .unwrap_or(super::toolset::BASH_TIMEOUT)
    }

    /// The root of the workdirs.
    pub fn root(&self) -> PathBuf {
        self.root.clone().unwrap_or_else(|| {
            std::env::var_os("XDG_DATA_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
                .unwrap_or_else(std::env::temp_dir)
                .join("outrig/work")
        })
    }

    /// The host user and group the sandbox runs as: the configured (or `nobody`) one when
    /// the worker is root, else the worker's own (`None`).
    pub fn run_as(&self) -> Option<(u32, u32)> {
        // SAFETY: getuid cannot fail.
        let root = unsafe { libc::getuid() } == 0;
        root.then(|| {
            let uid = self.user.unwrap_or(65534);
            (uid, uid)
        })
    }
}
