//! `outrig-host`: runs Managed Agents custom tools as sandboxed WebAssembly components.
//!
//! Plugins export the `outrig:tool` WIT interface (`wit/tool.wit`). The host compiles each
//! once (cached by content hash), validates what `describe()` claims, and runs every call in
//! a fresh instance with a deadline, a memory cap, an output cap and a log cap; WASI reaches
//! only what the operator's grants file allows. The [`runner`] answers a session's
//! `agent.custom_tool_use` events with these calls.
#![warn(missing_docs)]

mod bindings;
pub mod dispatch;
pub mod engine;
pub mod grants;
pub mod inspect;
pub mod plugin;
pub mod runner;
pub mod sandbox;

pub use dispatch::{CallOutcome, ToolHost};
pub use grants::HostConfig;
