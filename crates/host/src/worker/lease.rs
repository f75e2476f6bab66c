//! A work item's lease, as the SDK worker keeps it (spec part 3 §3): claimed by a first
//! heartbeat with `expected_last_heartbeat=NO_HEARTBEAT`, then extended every
//! `min(ttl/2, 30 s)` with the previous `last_heartbeat`. A 412 means another worker holds
//! it (the lease is lost: stop serving, send no stop); `lease_extended: false` means the
//! API wants the item to end; transient failures are retried until the lease would have
//! run out.

use outrig_api::request::Query;
use outrig_client::{Client, Error};
use serde_json::Value;
use std::time::Duration;
use tokio::time::Instant;

/// The longest wait between two heartbeats.
const HEARTBEAT_INTERVAL: Duration = Duration::from_secs(30);

/// Why holding the lease ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeaseEnd {
    /// Another worker may hold the item now (412, or no heartbeat got through in time).
    Lost(String),
    /// The API asked the item to end (`lease_extended: false`).
    Shutdown,
}

/// A claimed work item's lease.
pub struct Lease {
    client: Client,
    environment_id: String,
    work_id: String,
    last: String,
    ttl: Duration,
    expires: Instant,
    desired_ttl: Option<u64>,
}

impl Lease {
    /// Claims the item with its first heartbeat. `Err` when the API refused it (a 412: the
    /// item is someone else's).
    pub async fn claim(
        client: Client,
        environment_id: &str,
        work_id: &str,
        desired_ttl: Option<u64>,
    ) -> Result<Lease, Error> {
        let mut lease = Lease {
            client,
            environment_id: environment_id.to_string(),
            work_id: work_id.to_string(),
            last: "NO_HEARTBEAT".into(),
            ttl: Duration::from_secs(300),
            expires: Instant::now() + Duration::from_secs(300),
            desired_ttl,
        };
        match lease.heartbeat().await? {
            true => Ok(lease),
            false => Err(Error::Invalid(format!(
                "work item `{work_id}` is ending; it was not claimed"
            ))),
        }
    }

    /// The lease's current time to live.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Keeps the lease until it is lost or the API ends the item.
    pub async fn hold(mut self) -> LeaseEnd {
        loop {
            let due = (self.ttl / 2).min(HEARTBEAT_INTERVAL);
            tokio::time::sleep(due).await;
            let mut backoff = Duration::from_millis(250);
            loop {
                match self.heartbeat().await {
                    Ok(true) => break,
                    Ok(false) => return LeaseEnd::Shutdown,
                    Err(error) if error.status() == Some(412) => {
                        return LeaseEnd::Lost(format!("heartbeat precondition failed: {error}"))
                    }
                    Err(error) if matches!(error.status(), Some(401 | 403 | 404)) => {
                        return LeaseEnd::Lost(format!("the heartbeat was refused: {error}"))
                    }
                    Err(error) => {
                        if Instant::now() + backoff >= self.expires {
                            return LeaseEnd::Lost(format!(
                                "no heartbeat got through before the lease ran out: {error}"
                            ));
                        }
                        tracing::warn!(work = %self.work_id, "heartbeat failed ({error}); retrying");
                        tokio::time::sleep(backoff).await;
                        backoff = (backoff * 2).min(HEARTBEAT_INTERVAL);
                    }
                }
            }
        }
    }

    /// One heartbeat; `Ok(false)` when the API did not extend the lease.
    async fn heartbeat(&mut self) -> Result<bool, Error> {
        let sent = Instant::now();
        let query = Query::new()
            .opt("expected_last_heartbeat", Some(&self.last))
            .opt("desired_ttl_seconds", self.desired_ttl);
        let answer: Value = self
            .client
            .heartbeat_work(&self.environment_id, &self.work_id, &query)
            .await?;
        if answer["lease_extended"] != true {
            return Ok(false);
        }
        let ttl = answer["ttl_seconds"].as_u64().unwrap_or(300).clamp(1, 3600);
        self.ttl = Duration::from_secs(ttl);
        self.expires = sent + self.ttl;
        if let Some(last) = answer["last_heartbeat"].as_str() {
            self.last = last.to_string();
        }
        Ok(true)
    }
}

/// Force-stops the item: up to five attempts; a 409 (already stopped) is done.
pub async fn stop(client: &Client, environment_id: &str, work_id: &str) {
    let body = serde_json::json!({"force": true});
    for attempt in 0..5 {
        match client.stop_work(environment_id, work_id, &body).await {
            Ok(_) => return,
            Err(error) if error.status() == Some(409) => return,
            Err(error) if matches!(error.status(), Some(401 | 403 | 404)) => {
                tracing::error!(work = %work_id, "cannot stop the work item: {error}");
                return;
            }
            Err(error) => {
                tracing::warn!(work = %work_id, "stopping the work item failed ({error}); attempt {}", attempt + 1);
                tokio::time::sleep(Duration::from_secs(1 << attempt)).await;
            }
        }
    }
}
