//! `outrig-host`: runs Managed Agents custom tools as sandboxed WebAssembly components.
//!
//! Plugins export the `outrig:tool` WIT interface (`wit/<version>/tool.wit`; every version
//! loads). The host compiles each once (cached by content hash), validates what
//! `describe()` claims under a load deadline, and runs every call asynchronously in a fresh
//! instance: input checked against the tool's schema, then a deadline that holds whatever
//! the plugin does, a memory cap, output caps and a log cap; WASI and `wasi:http` reach only
//! what the operator's grants file allows. The [`runner`] answers a session's
//! `agent.custom_tool_use` events with these calls.
#![warn(missing_docs)]

mod bindings;
pub mod call_log;
pub mod claims;
pub mod claims_postgres;
pub mod claims_redis;
pub mod confirm;
pub mod delivery;
pub mod discovery;
pub mod dispatch;
pub mod engine;
pub mod grants;
mod http_gate;
pub mod inspect;
pub mod journal;
pub mod metrics;
pub mod plugin;
pub mod runner;
pub mod sandbox;
pub mod serve;
pub mod worker;
pub mod world;

pub use dispatch::{CallOutcome, ToolHost};
pub use grants::HostConfig;
