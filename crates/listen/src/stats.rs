//! What a listener counts, for `/metrics`.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

/// Counters of one listener. All but `open_connections` only grow.
#[derive(Debug, Default)]
pub struct Stats {
    /// Connections open now.
    pub open_connections: AtomicU64,
    /// Connections accepted and served.
    pub connections_accepted: AtomicU64,
    /// Connections answered 503 because `max_connections` were open.
    pub connections_shed: AtomicU64,
    /// Requests answered 503 because `max_requests` were being handled.
    pub requests_shed: AtomicU64,
    /// Connections closed by a timeout (slow head, idle, slow body, stalled write).
    pub connections_timed_out: AtomicU64,
    /// TLS connections whose handshake failed or did not finish within the head timeout.
    pub tls_handshakes_failed: AtomicU64,
}

impl Stats {
    pub(crate) fn inc(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The counters in the Prometheus text format, names prefixed `outrig_listener_`.
    pub fn render(&self) -> String {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let rows = [
            (
                "open_connections",
                "gauge",
                "Connections open now.",
                get(&self.open_connections),
            ),
            (
                "connections_accepted_total",
                "counter",
                "Connections accepted.",
                get(&self.connections_accepted),
            ),
            (
                "connections_shed_total",
                "counter",
                "Connections answered 503 at the connection limit.",
                get(&self.connections_shed),
            ),
            (
                "requests_shed_total",
                "counter",
                "Requests answered 503 at the request limit.",
                get(&self.requests_shed),
            ),
            (
                "connections_timed_out_total",
                "counter",
                "Connections closed by a read, idle or write timeout.",
                get(&self.connections_timed_out),
            ),
            (
                "tls_handshakes_failed_total",
                "counter",
                "TLS handshakes that failed or timed out.",
                get(&self.tls_handshakes_failed),
            ),
        ];
        let mut out = String::new();
        for (name, kind, help, value) in rows {
            let name = format!("outrig_listener_{name}");
            writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}"
            )
            .expect("writing to a String");
        }
        out
    }
}
