//! The HTTP listener every Outrig server runs on (`host serve`, the emulator and the page it
//! serves, the demo's invoice API), so no server is left without limits.
//!
//! What it holds against, with hyper's own facilities where it has them:
//! - a client that sends its request head slowly, or keeps a connection idle between
//!   requests: hyper's header-read timeout (which also runs while a kept-alive connection
//!   waits for its next request) closes it;
//! - a client that sends a body slowly: every body read is bounded by [`Limits::body_timeout`]
//!   and the request fails with 408;
//! - a client that stops reading a response: a write that makes no progress for
//!   [`Limits::write_stall_timeout`] closes the connection ([`io::Deadlines`]);
//! - too many connections: past [`Limits::max_connections`] a new connection is answered
//!   `503` and closed at once, so file descriptors stay bounded;
//! - too many requests at once: past [`Limits::max_requests`] a request is answered `503`
//!   with `retry-after` instead of queueing.
//!
//! - a client that never finishes a TLS handshake ([`Tls`], optional): bounded by the
//!   header-read timeout.
//!
//! Everything shed or timed out is counted in [`Stats`], which servers expose in `/metrics`.

mod body;
mod io;
mod limits;
mod serve;
mod stats;
mod tls;

pub use limits::Limits;
pub use serve::{serve, spawn};
pub use stats::Stats;
pub use tls::Tls;
