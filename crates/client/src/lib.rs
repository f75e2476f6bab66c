//! `outrig-client`: an async client for the Managed Agents API. Every protocol decision
//! (paths, headers, retries, SSE, de-duplication) comes from `outrig-api`; this crate
//! moves bytes over a [`transport::Transport`]: reqwest natively, `fetch` on `wasm32`.
#![warn(missing_docs)]

pub mod aws_config;
mod client;
mod endpoints;
mod error;
#[cfg(target_arch = "wasm32")]
mod event_source;
mod platform;
mod stream;
pub mod transport;

pub use client::{AwsSigning, Client, ClientOptions};
pub use endpoints::UploadFile;
pub use error::Error;
#[cfg(target_arch = "wasm32")]
pub use event_source::{proxied_events, ProxiedEvents};
pub use stream::{EventStream, StreamOptions};
