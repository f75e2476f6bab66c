//! The listener flags shared by `outrig host serve` and `outrig emulator`.

use clap::Args;
use outrig_listen::Limits;
use std::time::Duration;

/// Timeouts and bounds of a server's HTTP listener (defaults: `outrig_listen::Limits`).
#[derive(Debug, Args)]
pub struct ListenArgs {
    /// Ms a client may take to send a request head, or stay idle between requests.
    #[arg(long, default_value_t = 10_000)]
    header_timeout_ms: u64,
    /// Ms one read of a request body may wait for bytes.
    #[arg(long, default_value_t = 30_000)]
    body_timeout_ms: u64,
    /// Ms a response write may make no progress before the connection is closed.
    #[arg(long, default_value_t = 60_000)]
    write_stall_timeout_ms: u64,
    /// Connections open at once; more are answered 503 and closed.
    #[arg(long, default_value_t = 512)]
    max_connections: usize,
    /// Requests handled at once; more are answered 503 with retry-after.
    #[arg(long, default_value_t = 256)]
    max_requests: usize,
}

impl ListenArgs {
    /// The limits, checked.
    pub fn limits(&self) -> anyhow::Result<Limits> {
        let limits = Limits {
            header_read_timeout: Duration::from_millis(self.header_timeout_ms),
            body_timeout: Duration::from_millis(self.body_timeout_ms),
            write_stall_timeout: Duration::from_millis(self.write_stall_timeout_ms),
            max_connections: self.max_connections,
            max_requests: self.max_requests,
        };
        limits.validate().map_err(anyhow::Error::msg)?;
        Ok(limits)
    }
}
