//! `outrig-host`: answers Managed Agents tool calls with the sandboxed plugins of
//! `outrig-sandbox` (re-exported here), and is a self-hosted environment.
//!
//! The [`runner`] answers a session's calls from its stream over the session machine
//! (`outrig_api::state`); [`serve`] answers them from webhooks, with several replicas sharing
//! a [`claims`] store (SQLite; Redis and Postgres behind the `redis` and `postgres` features);
//! the [`worker`] runs every tool call of a self-hosted session in a kernel sandbox.
//! [`delivery`] sends results, [`journal`] keeps a call from running twice across restarts,
//! [`confirm`] answers tool confirmations by the operator's rules. [`mcp`] serves the plugins'
//! tools to any MCP client, over stdio or ([`mcp_http`]) Streamable HTTP.
#![warn(missing_docs)]

pub mod claims;
#[cfg(feature = "postgres")]
pub mod claims_postgres;
#[cfg(feature = "redis")]
pub mod claims_redis;
pub mod config;
pub mod confirm;
pub mod delivery;
pub mod discovery;
pub mod journal;
pub mod mcp;
pub mod mcp_http;
pub mod metrics;
pub mod oci;
pub mod runner;
pub mod serve;
pub mod trace;
pub mod worker;

pub use config::HostConfig;
pub use outrig_sandbox::{
    call_log, dispatch, engine, grants, inspect, plugin, sandbox, signature, sigstore, world,
    CallOutcome, ToolHost,
};
