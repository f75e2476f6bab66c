//! `outrig-sandbox`: runs custom tools as sandboxed WebAssembly components.
//!
//! Plugins export the `outrig:tool` WIT interface (`wit/<version>/tool.wit`; every version
//! loads). [`ToolHost`] compiles each once (cached by content hash), checks what
//! `describe()` declares by the plugin contract (`outrig_api::plugin`) under a load deadline,
//! and runs every call asynchronously in a fresh instance: input checked against the tool's
//! schema, then a deadline that holds whatever the plugin does, a memory cap, output caps and
//! a log cap; WASI and `wasi:http` reach only what its [`grants`] allow. It knows nothing of
//! sessions: the runners of `outrig-host` call it.
#![warn(missing_docs)]

mod bindings;
pub mod call_log;
pub mod dispatch;
pub mod engine;
pub mod grants;
mod http_gate;
pub mod inspect;
pub mod plugin;
pub mod sandbox;
pub mod signature;
pub mod sigstore;
pub mod trace;
pub mod world;

pub use dispatch::{CallOutcome, ToolHost};
pub use http_gate::tls_client_config;
