//! `outrig-client`: an async client for the Managed Agents API. Every protocol decision
//! (paths, headers, retries, SSE, de-duplication) comes from `outrig-api`; this crate
//! moves bytes over reqwest.
#![warn(missing_docs)]

mod client;
mod error;
mod stream;

pub use client::{Client, ClientOptions};
pub use error::Error;
pub use stream::{EventStream, StreamOptions};
