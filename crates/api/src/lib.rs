//! `outrig-api`: the wire format and protocol logic of Claude Managed Agents, with no I/O
//! and no async runtime. Every other Outrig crate moves bytes and calls into this one.
//!
//! * [`events`], [`send`], [`content`], [`objects`], [`resources`], [`page`], [`shapes`]: serde models;
//!   unknown types and fields are kept verbatim.
//! * [`sse`] and [`stream`]: incremental SSE decoding into typed events.
//! * [`request`], [`retry`], [`error`]: headers, paths, queries, the retry policy, errors.
//! * [`resume`]: the resumable stream as a sans-IO machine (both clients drive it).
//! * [`state`]: which tool calls are pending, which events were seen.
//! * [`routes`]: every endpoint (method, path, beta header), defined once.
//! * [`webhook`]: the webhook envelope and Standard Webhooks signatures.
#![warn(missing_docs)]

mod union;

pub mod content;
pub mod error;
pub mod events;
pub mod objects;
pub mod page;
pub mod presence;
pub mod request;
pub mod resources;
pub mod resume;
pub mod retry;
pub mod routes;
pub mod send;
pub mod shapes;
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
