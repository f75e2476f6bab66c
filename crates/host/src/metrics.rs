//! Counters of a serving host, in the Prometheus text format (`GET /metrics`).

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// What a host counts. All counters only grow.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Webhooks whose signature verified.
    pub webhooks_received: AtomicU64,
    /// Webhooks refused: bad or missing signature, stale timestamp, bad body.
    pub webhook_verifications_failed: AtomicU64,
    /// Calls this replica claimed (or took over).
    pub claims_won: AtomicU64,
    /// Calls another replica held, or that were settled already.
    pub claims_lost: AtomicU64,
    /// Calls answered with a result.
    pub calls_ok: AtomicU64,
    /// Calls answered with an error result.
    pub calls_error: AtomicU64,
    /// Results the API accepted.
    pub results_accepted: AtomicU64,
    /// HTTP requests sent to the API (every attempt).
    pub api_requests: AtomicU64,
    /// Sum and count of call durations in seconds.
    durations: Mutex<(f64, u64)>,
}

impl Metrics {
    /// Adds one to a counter.
    pub fn inc(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Records how long a call ran.
    pub fn observe_call(&self, seconds: f64) {
        let mut durations = self.durations.lock().unwrap_or_else(|p| p.into_inner());
        durations.0 += seconds;
        durations.1 += 1;
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let mut counter = |name: &str, help: &str, samples: &[(&str, u64)]| {
            writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter").unwrap();
            for (labels, value) in samples {
                writeln!(out, "{name}{labels} {value}").unwrap();
            }
        };
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        counter(
            "outrig_webhooks_received_total",
            "Webhooks whose signature verified.",
            &[("", get(&self.webhooks_received))],
        );
        counter(
            "outrig_webhook_verifications_failed_total",
            "Webhooks refused (signature, timestamp or body).",
            &[("", get(&self.webhook_verifications_failed))],
        );
        counter(
            "outrig_claims_total",
            "Claims on tool calls, by result.",
            &[
                ("{result=\"won\"}", get(&self.claims_won)),
                ("{result=\"lost\"}", get(&self.claims_lost)),
            ],
        );
        counter(
            "outrig_calls_total",
            "Tool calls answered, by outcome.",
            &[
                ("{outcome=\"ok\"}", get(&self.calls_ok)),
                ("{outcome=\"error\"}", get(&self.calls_error)),
            ],
        );
        counter(
            "outrig_results_accepted_total",
            "Results the API accepted.",
            &[("", get(&self.results_accepted))],
        );
        counter(
            "outrig_api_requests_total",
            "HTTP requests sent to the API, retries included.",
            &[("", get(&self.api_requests))],
        );
        let (sum, count) = *self.durations.lock().unwrap_or_else(|p| p.into_inner());
        writeln!(out, "# HELP outrig_call_duration_seconds How long tool calls ran.\n# TYPE outrig_call_duration_seconds summary").unwrap();
        writeln!(
            out,
            "outrig_call_duration_seconds_sum {sum}\noutrig_call_duration_seconds_count {count}"
        )
        .unwrap();
        out
    }
}
