//! The state of one call's store: a WASI context built from the grants only, memory
//! limits, and the `host` interface (capped logs, progress, cancellation).

use crate::bindings::outrig::tool::{host, types};
use crate::grants::{DirMode, Grants, Limits, NetworkPolicy};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use wasmtime::component::ResourceTable;
use wasmtime::{StoreLimits, StoreLimitsBuilder};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::sockets::SocketAddrUse;
use wasmtime_wasi::{FsPerms, WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

/// A log line a plugin wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    /// Severity.
    pub level: &'static str,
    /// Text.
    pub message: String,
}

/// Everything a store holds during one call.
pub struct CallState {
    wasi: WasiCtx,
    table: ResourceTable,
    /// Memory limits enforced by the store.
    pub limits: StoreLimits,
    /// Captured stderr (panic messages), capped.
    pub stderr: MemoryOutputPipe,
    /// Log lines kept.
    pub logs: Vec<LogLine>,
    /// Log bytes dropped over the cap.
    pub logs_dropped: usize,
    log_budget: usize,
    /// Last progress report.
    pub progress: Option<(u64, Option<u64>)>,
    cancelled: Arc<AtomicBool>,
}

/// A plugin's grants compiled once at load.
#[derive(Debug, Clone)]
pub struct Sandbox {
    /// The grants as configured.
    pub grants: Grants,
    /// Resolved network allowlist.
    pub network: Arc<NetworkPolicy>,
    /// Environment values captured at load, by name.
    pub env: Vec<(String, String)>,
    /// Limits per call.
    pub limits: Limits,
}

impl Sandbox {
    /// Checks the grants (directories exist, addresses resolve) and captures env values.
    pub fn new(grants: Grants, limits: Limits) -> anyhow::Result<Self> {
        for dir in &grants.dirs {
            anyhow::ensure!(
                dir.host.is_dir(),
                "granted directory {} does not exist",
                dir.host.display()
            );
        }
        let env = grants
            .env
            .iter()
            .filter_map(|name| std::env::var(name).ok().map(|value| (name.clone(), value)))
            .collect();
        Ok(Sandbox {
            network: Arc::new(NetworkPolicy::resolve(&grants)?),
            env,
            grants,
            limits,
        })
    }

    /// The store state of one call.
    pub fn call_state(&self, cancelled: Arc<AtomicBool>) -> anyhow::Result<CallState> {
        let stderr = MemoryOutputPipe::new(16 << 10);
        let mut builder = WasiCtxBuilder::new();
        builder.stderr(stderr.clone());
        for (name, value) in &self.env {
            builder.env(name, value);
        }
        for dir in &self.grants.dirs {
            let perms = match dir.mode {
                DirMode::Ro => FsPerms::ReadOnly,
                DirMode::Rw => FsPerms::ReadWrite,
            };
            builder.preopened_dir(&dir.host, &dir.guest, perms)?;
        }
        if self.network.any() {
            let policy = self.network.clone();
            builder.allow_ip_name_lookup(true);
            builder.socket_addr_check(move |addr, usage| {
                let allowed = match usage {
                    SocketAddrUse::TcpBind | SocketAddrUse::UdpBind => addr.ip().is_unspecified(),
                    _ => policy.permits(addr),
                };
                Box::pin(async move { allowed })
            });
        }
        Ok(CallState {
            wasi: builder.build(),
            table: ResourceTable::new(),
            limits: StoreLimitsBuilder::new()
                .memory_size((self.limits.memory_mib as usize) << 20)
                .trap_on_grow_failure(true)
                .build(),
            stderr,
            logs: Vec::new(),
            logs_dropped: 0,
            log_budget: self.limits.log_bytes,
            progress: None,
            cancelled,
        })
    }
}

impl WasiView for CallState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl types::Host for CallState {}

impl host::Host for CallState {
    fn log(&mut self, level: host::Level, message: String) {
        if message.len() > self.log_budget {
            self.logs_dropped += message.len();
            return;
        }
        self.log_budget -= message.len();
        let level = match level {
            host::Level::Trace => "trace",
            host::Level::Debug => "debug",
            host::Level::Info => "info",
            host::Level::Warn => "warn",
            host::Level::Error => "error",
        };
        self.logs.push(LogLine { level, message });
    }

    fn progress(&mut self, done: u64, total: Option<u64>, _message: Option<String>) {
        self.progress = Some((done, total));
    }

    fn cancelled(&mut self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
}
