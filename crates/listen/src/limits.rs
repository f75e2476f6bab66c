//! What a listener allows, with defaults sized for one replica behind a load balancer.

use std::time::Duration;

/// Timeouts and bounds of one listener.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// How long a client may take to send a request head, and how long a kept-alive
    /// connection may wait for its next request.
    pub header_read_timeout: Duration,
    /// How long one read of a request body may wait for bytes.
    pub body_timeout: Duration,
    /// How long a response write may make no progress (a client that stopped reading).
    pub write_stall_timeout: Duration,
    /// Connections open at once; more are answered 503 and closed.
    pub max_connections: usize,
    /// Requests being handled at once; more are answered 503.
    pub max_requests: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            write_stall_timeout: Duration::from_secs(60),
            max_connections: 512,
            max_requests: 256,
        }
    }
}

impl Limits {
    /// Refuses limits that would make the server useless or unbounded.
    pub fn validate(&self) -> Result<(), String> {
        let durations = [
            ("header read timeout", self.header_read_timeout),
            ("body timeout", self.body_timeout),
            ("write stall timeout", self.write_stall_timeout),
        ];
        if let Some((name, _)) = durations.iter().find(|(_, d)| d.is_zero()) {
            return Err(format!("the {name} must be more than zero"));
        }
        if self.max_connections == 0 || self.max_requests == 0 {
            return Err("the connection and request limits must be at least 1".into());
        }
        Ok(())
    }
}
