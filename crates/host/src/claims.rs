//! Claims on custom tool calls, shared by every replica of a host so that a call runs once.
//! A claim is a lease: its holder renews it while the call runs, records the result when it
//! finishes and marks it settled once the API has it. A claim whose holder died expires;
//! the next replica to claim the call takes it over under the journal's rule: a recorded
//! result is sent as is, and a call that was running is run again only if its tool is
//! idempotent (otherwise it is answered with an error saying so).
//!
//! `sqlite:PATH` is the store for replicas on one machine (one row per call);
//! `redis://HOST:PORT` and `postgres://…` for replicas anywhere (one hash per call claimed by
//! a Lua script, or one row claimed by `INSERT … ON CONFLICT DO NOTHING`; both on the
//! server's clock, so replicas' clocks need not agree).

use outrig_api::content::ContentBlock;
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

/// What claiming a call gave this replica.
#[derive(Debug, Clone, PartialEq)]
pub enum Claim {
    /// Nobody had it: run it.
    Won,
    /// Another replica holds a live lease, or the call is settled: leave it.
    Lost,
    /// Its holder died while running it: run it again only if the tool is idempotent.
    TakenOverRunning,
    /// Its holder died after the call finished: send this recorded result.
    TakenOverFinished {
        /// The result content.
        content: Vec<ContentBlock>,
        /// Whether it reports a failure.
        is_error: bool,
    },
}

impl Claim {
    /// A short name for it (the `outrig.claim` of a `claim` span).
    pub fn label(&self) -> &'static str {
        match self {
            Claim::Won => "won",
            Claim::Lost => "lost",
            Claim::TakenOverRunning => "taken_over_running",
            Claim::TakenOverFinished { .. } => "taken_over_finished",
        }
    }
}

/// A call's row, as far as claiming it needs.
struct Row {
    lease_until: i64,
    state: String,
    content: Option<String>,
    is_error: Option<bool>,
}

/// A claims store, safe to share between tasks and, through the store, between replicas.
pub enum Claims {
    /// `sqlite:PATH`
    Sqlite(SqliteClaims),
    /// `redis://…` (feature `redis`)
    #[cfg(feature = "redis")]
    Redis(crate::claims_redis::RedisClaims),
    /// `postgres://…` (feature `postgres`)
    #[cfg(feature = "postgres")]
    Postgres(crate::claims_postgres::PostgresClaims),
}

/// The SQLite store.
pub struct SqliteClaims {
    db: Mutex<Connection>,
}

const SCHEMA: &str = "PRAGMA journal_mode = WAL;
     PRAGMA synchronous = FULL;
     CREATE TABLE IF NOT EXISTS claims (
         call_id TEXT PRIMARY KEY,
         session_id TEXT NOT NULL,
         holder TEXT NOT NULL,
         lease_until INTEGER NOT NULL,
         state TEXT NOT NULL CHECK (state IN ('running', 'finished', 'settled')),
         content TEXT,
         is_error INTEGER
     );
     CREATE INDEX IF NOT EXISTS claims_expiring ON claims(state, lease_until);";

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// `url` with any password replaced by `…`, for errors and logs.
#[cfg(any(feature = "redis", feature = "postgres"))]
pub(crate) fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => {
            let user = rest[..at].split(':').next().unwrap_or_default();
            let password = if rest[..at].contains(':') { ":…" } else { "" };
            format!("{scheme}://{user}{password}{}", &rest[at..])
        }
        None => url.to_string(),
    }
}

/// The SQLite and Redis stores answer at once (a local file, one round trip); Postgres's
/// client is async.
macro_rules! each_store {
    ($self:ident, $store:ident => $call:expr) => {
        match $self {
            Claims::Sqlite($store) => $call,
            #[cfg(feature = "redis")]
            Claims::Redis($store) => $call,
            #[cfg(feature = "postgres")]
            Claims::Postgres($store) => $call.await,
        }
    };
}

impl Claims {
    /// Opens `sqlite:PATH`, `redis://HOST:PORT[/DB]` or `postgres://USER@HOST/DB`.
    pub async fn open_url(url: &str) -> anyhow::Result<Self> {
        if let Some(path) = url.strip_prefix("sqlite:") {
            return Ok(Claims::Sqlite(SqliteClaims::open(Path::new(path))?));
        }
        if url.starts_with("redis://") || url.starts_with("rediss://") {
            #[cfg(feature = "redis")]
            return Ok(Claims::Redis(crate::claims_redis::RedisClaims::open(url)?));
            #[cfg(not(feature = "redis"))]
            anyhow::bail!(
                "this build has no Redis claims store: build outrig-host with the `redis` feature"
            );
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            #[cfg(feature = "postgres")]
            return Ok(Claims::Postgres(
                crate::claims_postgres::PostgresClaims::open(url).await?,
            ));
            #[cfg(not(feature = "postgres"))]
            anyhow::bail!("this build has no Postgres claims store: build outrig-host with the `postgres` feature");
        }
        let scheme = url.split(':').next().unwrap_or_default();
        anyhow::bail!(
            "claims store scheme `{scheme}:` is not supported: use `sqlite:PATH`, `redis://HOST:PORT` or `postgres://USER@HOST/DB`"
        )
    }

    /// Claims `call_id` for `holder` for `lease`.
    pub async fn claim(
        &self,
        session_id: &str,
        call_id: &str,
        holder: &str,
        lease: Duration,
    ) -> anyhow::Result<Claim> {
        each_store!(self, store => store.claim(session_id, call_id, holder, lease))
    }

    /// Extends the lease of a call this holder runs; false if it is no longer its own.
    pub async fn renew(
        &self,
        call_id: &str,
        holder: &str,
        lease: Duration,
    ) -> anyhow::Result<bool> {
        each_store!(self, store => store.renew(call_id, holder, lease))
    }

    /// Records a call's result before it is sent.
    pub async fn finished(
        &self,
        call_id: &str,
        content: &[ContentBlock],
        is_error: bool,
    ) -> anyhow::Result<()> {
        each_store!(self, store => store.finished(call_id, content, is_error))
    }

    /// Marks a call settled with the API: nothing is left to do, by anyone.
    pub async fn settled(&self, call_id: &str) -> anyhow::Result<()> {
        each_store!(self, store => store.settled(call_id))
    }

    /// Sessions with a call whose holder's lease ran out before it was settled.
    pub async fn sessions_with_expired_claims(&self) -> anyhow::Result<Vec<String>> {
        each_store!(self, store => store.sessions_with_expired_claims())
    }
}

impl SqliteClaims {
    /// Opens (creating) a claims database.
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let db = Connection::open(path)
            .map_err(|e| anyhow::anyhow!("cannot open the claims store {}: {e}", path.display()))?;
        db.busy_timeout(Duration::from_secs(10))?;
        // Replicas starting together race to create the schema; switching to WAL does not
        // wait on the busy handler, so a locked database is retried here.
        let started = std::time::Instant::now();
        loop {
            match db.execute_batch(SCHEMA) {
                Ok(()) => break,
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == rusqlite::ErrorCode::DatabaseBusy
                        && started.elapsed() < Duration::from_secs(10) =>
                {
                    std::thread::sleep(Duration::from_millis(20))
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(SqliteClaims { db: Mutex::new(db) })
    }

    fn with<T>(&self, f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>) -> anyhow::Result<T> {
        let mut db = self.db.lock().unwrap_or_else(|p| p.into_inner());
        Ok(f(&mut db)?)
    }

    /// Claims `call_id` for `holder` for `lease`.
    pub fn claim(
        &self,
        session_id: &str,
        call_id: &str,
        holder: &str,
        lease: Duration,
    ) -> anyhow::Result<Claim> {
        let until = now_ms() + lease.as_millis() as i64;
        self.with(|db| {
            // IMMEDIATE: the read and the write are one step for every process.
            let tx = db.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let row = tx
                .query_row(
                    "SELECT lease_until, state, content, is_error FROM claims WHERE call_id=?1",
                    params![call_id],
                    |r| {
                        Ok(Row {
                            lease_until: r.get(0)?,
                            state: r.get(1)?,
                            content: r.get(2)?,
                            is_error: r.get(3)?,
                        })
                    },
                )
                .optional()?;
            let claim = match row {
                None => {
                    tx.execute(
                        "INSERT INTO claims(call_id, session_id, holder, lease_until, state) VALUES (?1, ?2, ?3, ?4, 'running')",
                        params![call_id, session_id, holder, until],
                    )?;
                    Claim::Won
                }
                Some(row) if row.state == "settled" => Claim::Lost,
                // A live lease is never taken over, not even by its own holder: a second
                // webhook for a call already running here must not start it again.
                Some(row) if row.lease_until > now_ms() => Claim::Lost,
                Some(Row {
                    state,
                    content,
                    is_error,
                    ..
                }) => {
                    tx.execute(
                        "UPDATE claims SET holder=?2, lease_until=?3 WHERE call_id=?1",
                        params![call_id, holder, until],
                    )?;
                    match (state.as_str(), content) {
                        ("finished", Some(content)) => Claim::TakenOverFinished {
                            content: serde_json::from_str(&content).unwrap_or_default(),
                            is_error: is_error.unwrap_or(false),
                        },
                        _ => Claim::TakenOverRunning,
                    }
                }
            };
            tx.commit()?;
            Ok(claim)
        })
    }

    /// Extends the lease of a call this holder runs; false if it is no longer its own.
    pub fn renew(&self, call_id: &str, holder: &str, lease: Duration) -> anyhow::Result<bool> {
        let until = now_ms() + lease.as_millis() as i64;
        self.with(|db| {
            db.execute(
                "UPDATE claims SET lease_until=?3 WHERE call_id=?1 AND holder=?2 AND state!='settled'",
                params![call_id, holder, until],
            )
            .map(|n| n == 1)
        })
    }

    /// Records a call's result before it is sent.
    pub fn finished(
        &self,
        call_id: &str,
        content: &[ContentBlock],
        is_error: bool,
    ) -> anyhow::Result<()> {
        let content = serde_json::to_string(content)?;
        self.with(|db| {
            db.execute(
                "UPDATE claims SET state='finished', content=?2, is_error=?3 WHERE call_id=?1 AND state='running'",
                params![call_id, content, is_error],
            )
            .map(drop)
        })
    }

    /// Marks a call settled with the API: nothing is left to do, by anyone.
    pub fn settled(&self, call_id: &str) -> anyhow::Result<()> {
        self.with(|db| {
            db.execute(
                "UPDATE claims SET state='settled', content=NULL WHERE call_id=?1",
                params![call_id],
            )
            .map(drop)
        })
    }

    /// Sessions with a call whose holder's lease ran out before it was settled.
    pub fn sessions_with_expired_claims(&self) -> anyhow::Result<Vec<String>> {
        self.with(|db| {
            let mut stmt = db.prepare(
                "SELECT DISTINCT session_id FROM claims WHERE state!='settled' AND lease_until < ?1",
            )?;
            let rows = stmt.query_map(params![now_ms()], |r| r.get(0))?;
            rows.collect()
        })
    }
}

#[cfg(all(test, any(feature = "redis", feature = "postgres")))]
mod tests {
    use super::without_password;

    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(
            without_password("postgres://app:s3cret@db:5432/claims?sslmode=require"),
            "postgres://app:…@db:5432/claims?sslmode=require"
        );
        assert_eq!(
            without_password("redis://:pw@cache/0"),
            "redis://:…@cache/0"
        );
        assert_eq!(without_password("redis://cache:6379"), "redis://cache:6379");
        assert_eq!(
            without_password("postgres://app@db/x"),
            "postgres://app@db/x"
        );
    }
}
