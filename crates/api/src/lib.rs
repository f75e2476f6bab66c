//! `outrig-api`: the wire format and protocol logic of Claude Managed Agents, with no I/O
//! and no async runtime. Every other Outrig crate moves bytes and calls into this one.
//!
//! * [`events`], [`send`], [`content`], [`objects`], [`resources`], [`page`], [`shapes`]: serde models;
//!   unknown types and fields are kept verbatim.
//! * [`sse`] and [`stream`]: incremental SSE decoding into typed events.
//! * [`request`], [`retry`], [`error`]: headers, paths, queries, the retry policy, errors.
//! * [`resume`]: the resumable stream as a sans-IO machine (both clients drive it).
//! * [`state`]: one session as a sans-IO machine: which calls to run, cancel, when a turn ends.
//! * [`recovery`]: what to do with a call whose runner died; when sending an answer stops.
//! * [`routes`]: every endpoint (method, path, beta header), defined once.
//! * [`plugin`]: the plugin contract (declarations, limits, results) both hosts apply;
//!   [`schema`] (feature `schema`) compiles and checks their JSON Schemas.
//! * [`webhook`]: the webhook envelope and Standard Webhooks signatures.
//! * [`address`]: which IP addresses a sandboxed guest may not reach.
#![warn(missing_docs)]

mod union;

pub mod address;
pub mod bedrock;
pub mod content;
pub mod digest;
pub mod error;
pub mod events;
pub mod network;
pub mod objects;
pub mod page;
pub mod pem;
pub mod plugin;
pub mod presence;
pub mod recovery;
pub mod request;
pub mod resources;
pub mod resume;
pub mod retry;
pub mod routes;
pub mod scan;
#[cfg(feature = "schema")]
pub mod schema;
pub mod seen;
pub mod send;
pub mod shapes;
pub mod sigv4;
pub mod sse;
pub mod state;
pub mod stream;
pub mod time;
pub mod webhook;

pub use content::ContentBlock;
pub use error::{ApiError, ErrorClass, ErrorEnvelope};
pub use events::{Event, StopReason};
pub use page::Page;
pub use send::SendEvent;
pub use state::SessionState;
pub use stream::{EventDecoder, StreamError};
