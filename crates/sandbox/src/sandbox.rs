//! The state of one call's store: a WASI context built from the grants only, `wasi:http`
//! behind the plugin's network grant, memory limits, and the `host` interface (capped
//! logs, progress, cancellation).

use crate::bindings::{v1, v2};
use crate::call_log::CallLog;
use crate::grants::{DirMode, Grants, Limits, NetworkPolicy};
use crate::http_gate::HttpGate;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;
use wasmtime::component::ResourceTable;
use wasmtime::{StoreLimits, StoreLimitsBuilder};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::sockets::SocketAddrUse;
use wasmtime_wasi::{FsPerms, WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpView};

/// Everything a store holds during one call.
pub struct CallState {
    wasi: WasiCtx,
    http: WasiHttpCtx,
    gate: HttpGate,
    table: ResourceTable,
    /// Memory limits enforced by the store.
    pub limits: StoreLimits,
    log: CallLog,
    progress: watch::Sender<Option<Progress>>,
    cancelled: CancellationToken,
}

/// A plugin's latest `progress` report. A watch keeps only the newest, so a plugin that
/// reports in a tight loop costs its caller nothing more than one that reports once.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// Units done.
    pub done: u64,
    /// Units in all, if known.
    pub total: Option<u64>,
    /// What it is doing, cut to [`PROGRESS_MESSAGE_BYTES`].
    pub message: Option<String>,
}

/// The longest progress message passed on; the rest is cut at a character boundary.
pub const PROGRESS_MESSAGE_BYTES: usize = 256;

/// What the caller keeps of a call's store, readable after the store is gone.
#[derive(Clone)]
pub struct CallWitness {
    /// Captured stderr (panic messages), capped.
    pub stderr: MemoryOutputPipe,
    /// The call's log.
    pub log: CallLog,
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
    /// Checks the grants (directories exist, network entries parse) and captures env values:
    /// `NAME` passes the host's value, `NAME=value` sets one.
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
            .filter_map(|entry| match entry.split_once('=') {
                Some((name, value)) => Some((name.to_string(), value.to_string())),
                None => std::env::var(entry)
                    .ok()
                    .map(|value| (entry.clone(), value)),
            })
            .collect();
        Ok(Sandbox {
            network: Arc::new(NetworkPolicy::from_grants(&grants)?),
            env,
            grants,
            limits,
        })
    }

    /// The store state of one call, and what the caller keeps of it; the plugin's progress
    /// reports go to `progress`.
    pub fn call_state(
        &self,
        cancelled: CancellationToken,
        progress: watch::Sender<Option<Progress>>,
    ) -> anyhow::Result<(CallState, CallWitness)> {
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
                let policy = policy.clone();
                Box::pin(async move {
                    match usage {
                        SocketAddrUse::TcpBind | SocketAddrUse::UdpBind => {
                            addr.ip().is_unspecified()
                        }
                        _ => policy.permits(addr).await,
                    }
                })
            });
        }
        let log = CallLog::new(self.limits.log_lines, self.limits.log_bytes);
        let state = CallState {
            wasi: builder.build(),
            http: WasiHttpCtx::new(),
            gate: HttpGate::new(
                self.network.clone(),
                log.clone(),
                Duration::from_millis(self.limits.http_connect_timeout_ms),
                self.limits.http_response_bytes,
            ),
            table: ResourceTable::new(),
            limits: StoreLimitsBuilder::new()
                .memory_size((self.limits.memory_mib as usize) << 20)
                .trap_on_grow_failure(true)
                .build(),
            log: log.clone(),
            progress,
            cancelled,
        };
        Ok((state, CallWitness { stderr, log }))
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

impl WasiHttpView for CallState {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: &mut self.gate,
        }
    }
}

/// The `host` interface, the same in every `outrig:tool` version.
macro_rules! host_interface {
    ($version:ident) => {
        impl $version::outrig::tool::types::Host for CallState {}

        impl $version::outrig::tool::host::Host for CallState {
            fn log(&mut self, level: $version::outrig::tool::host::Level, message: String) {
                use $version::outrig::tool::host::Level;
                let level = match level {
                    Level::Trace => "trace",
                    Level::Debug => "debug",
                    Level::Info => "info",
                    Level::Warn => "warn",
                    Level::Error => "error",
                };
                self.log.push(level, &message);
            }

            fn progress(&mut self, done: u64, total: Option<u64>, message: Option<String>) {
                let message = message.map(|mut text| {
                    if text.len() > PROGRESS_MESSAGE_BYTES {
                        let mut end = PROGRESS_MESSAGE_BYTES;
                        while !text.is_char_boundary(end) {
                            end -= 1;
                        }
                        text.truncate(end);
                    }
                    text
                });
                self.progress.send_replace(Some(Progress {
                    done,
                    total,
                    message,
                }));
            }

            fn cancelled(&mut self) -> bool {
                self.cancelled.is_cancelled()
            }
        }
    };
}

host_interface!(v1);
host_interface!(v2);
