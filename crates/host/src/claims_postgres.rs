//! The Postgres claims store: one row per call in `outrig_claims`. A claim is an
//! `INSERT … ON CONFLICT DO NOTHING`; a takeover is an `UPDATE` whose `WHERE` requires the
//! lease to have run out, so of two replicas racing for it the row lock lets one through.
//! Leases are measured on the server's clock (`now()`), so replicas' clocks need not agree.
//! TLS is used when the URL asks for it (`sslmode=require`), with the Mozilla roots; the
//! connection is made again after it drops.

use crate::claims::{without_password, Claim};
use outrig_api::content::ContentBlock;
use std::sync::Arc;
use std::time::Duration;
use tokio_postgres::Client;

/// Created once, under an advisory lock: replicas starting together would otherwise race
/// in `CREATE TABLE IF NOT EXISTS` (it is not atomic in Postgres).
const SCHEMA: &str = "SELECT pg_advisory_xact_lock(4242424242);
     CREATE TABLE IF NOT EXISTS outrig_claims (
         call_id TEXT PRIMARY KEY,
         session_id TEXT NOT NULL,
         holder TEXT NOT NULL,
         lease_until TIMESTAMPTZ NOT NULL,
         state TEXT NOT NULL CHECK (state IN ('running', 'finished', 'settled')),
         content TEXT,
         is_error BOOLEAN
     );
     CREATE INDEX IF NOT EXISTS outrig_claims_expiring ON outrig_claims(state, lease_until);";

/// A Postgres claims store.
pub struct PostgresClaims {
    url: String,
    client: tokio::sync::Mutex<Option<Arc<Client>>>,
}

fn lease_ms(lease: Duration) -> f64 {
    lease.as_millis() as f64
}

impl PostgresClaims {
    /// Connects to `postgres://…` and creates the table if it is missing.
    pub async fn open(url: &str) -> anyhow::Result<Self> {
        url.parse::<tokio_postgres::Config>()
            .map_err(|e| anyhow::anyhow!("claims store {}: {e}", without_password(url)))?;
        let claims = PostgresClaims {
            url: url.to_string(),
            client: tokio::sync::Mutex::new(None),
        };
        let client = claims.client().await?;
        client
            .batch_execute(&format!("BEGIN; {SCHEMA} COMMIT;"))
            .await
            .map_err(|e| anyhow::anyhow!("claims store {}: {e}", without_password(url)))?;
        Ok(claims)
    }

    /// The open connection, made (again) if there is none or it dropped.
    async fn client(&self) -> anyhow::Result<Arc<Client>> {
        let mut slot = self.client.lock().await;
        if let Some(client) = slot.as_ref().filter(|c| !c.is_closed()) {
            return Ok(client.clone());
        }
        let tls = tokio_postgres_rustls::MakeRustlsConnect::new(
            (*outrig_sandbox::tls_client_config()).clone(),
        );
        let connecting = tokio_postgres::connect(&self.url, tls);
        let (client, connection) = tokio::time::timeout(Duration::from_secs(10), connecting)
            .await
            .map_err(|_| {
                anyhow::anyhow!(
                    "cannot connect to the claims store {}: timed out",
                    without_password(&self.url)
                )
            })?
            .map_err(|e| {
                anyhow::anyhow!(
                    "cannot connect to the claims store {}: {e}",
                    without_password(&self.url)
                )
            })?;
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::warn!("claims store connection closed: {error}");
            }
        });
        let client = Arc::new(client);
        *slot = Some(client.clone());
        Ok(client)
    }

    /// See [`crate::claims::Claims::claim`].
    pub async fn claim(
        &self,
        session_id: &str,
        call_id: &str,
        holder: &str,
        lease: Duration,
    ) -> anyhow::Result<Claim> {
        let client = self.client().await?;
        let inserted = client
            .execute(
                "INSERT INTO outrig_claims(call_id, session_id, holder, lease_until, state)
                 VALUES ($1, $2, $3, now() + $4::float8 * interval '1 millisecond', 'running')
                 ON CONFLICT (call_id) DO NOTHING",
                &[&call_id, &session_id, &holder, &lease_ms(lease)],
            )
            .await
            .map_err(store_error)?;
        if inserted == 1 {
            return Ok(Claim::Won);
        }
        // A live lease is never taken over, not even by its own holder.
        let taken = client
            .query_opt(
                "UPDATE outrig_claims SET holder = $2, lease_until = now() + $3::float8 * interval '1 millisecond'
                 WHERE call_id = $1 AND state <> 'settled' AND lease_until < now()
                 RETURNING state, content, is_error",
                &[&call_id, &holder, &lease_ms(lease)],
            )
            .await
            .map_err(store_error)?;
        Ok(match taken {
            None => Claim::Lost,
            Some(row) => match (row.get::<_, &str>(0), row.get::<_, Option<&str>>(1)) {
                ("finished", Some(content)) => Claim::TakenOverFinished {
                    content: serde_json::from_str(content).unwrap_or_default(),
                    is_error: row.get::<_, Option<bool>>(2).unwrap_or(false),
                },
                _ => Claim::TakenOverRunning,
            },
        })
    }

    /// See [`crate::claims::Claims::renew`].
    pub async fn renew(
        &self,
        call_id: &str,
        holder: &str,
        lease: Duration,
    ) -> anyhow::Result<bool> {
        let renewed = self
            .client()
            .await?
            .execute(
                "UPDATE outrig_claims SET lease_until = now() + $3::float8 * interval '1 millisecond'
                 WHERE call_id = $1 AND holder = $2 AND state <> 'settled'",
                &[&call_id, &holder, &lease_ms(lease)],
            )
            .await
            .map_err(store_error)?;
        Ok(renewed == 1)
    }

    /// See [`crate::claims::Claims::finished`].
    pub async fn finished(
        &self,
        call_id: &str,
        content: &[ContentBlock],
        is_error: bool,
    ) -> anyhow::Result<()> {
        let content = serde_json::to_string(content)?;
        self.client()
            .await?
            .execute(
                "UPDATE outrig_claims SET state = 'finished', content = $2, is_error = $3
                 WHERE call_id = $1 AND state = 'running'",
                &[&call_id, &content, &is_error],
            )
            .await
            .map_err(store_error)?;
        Ok(())
    }

    /// See [`crate::claims::Claims::settled`].
    pub async fn settled(&self, call_id: &str) -> anyhow::Result<()> {
        self.client()
            .await?
            .execute(
                "UPDATE outrig_claims SET state = 'settled', content = NULL WHERE call_id = $1",
                &[&call_id],
            )
            .await
            .map_err(store_error)?;
        Ok(())
    }

    /// See [`crate::claims::Claims::sessions_with_expired_claims`].
    pub async fn sessions_with_expired_claims(&self) -> anyhow::Result<Vec<String>> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT DISTINCT session_id FROM outrig_claims
                 WHERE state <> 'settled' AND lease_until < now() ORDER BY session_id",
                &[],
            )
            .await
            .map_err(store_error)?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }
}

fn store_error(error: tokio_postgres::Error) -> anyhow::Error {
    anyhow::anyhow!("claims store: {error}")
}
