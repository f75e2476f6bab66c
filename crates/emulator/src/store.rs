//! SQLite persistence: objects (agents with every version, environments, sessions, files,
//! and the rest of the API's resources) as JSON documents, and each session's event log in append order.

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;
use std::path::Path;
use std::sync::Mutex;

/// A stored event with its position in the log.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    /// Global append order.
    pub seq: i64,
    /// The event JSON as served.
    pub json: Value,
}

/// An event to append: its JSON and the thread it belongs to.
#[derive(Debug, Clone)]
pub struct EventRow {
    /// A sub-thread id, or `None` for the primary thread.
    pub thread: Option<String>,
    /// Whether a sub-thread's event also shows in the session's own log.
    pub cross_posted: bool,
    /// The event JSON as served.
    pub json: Value,
}

/// A stored event of any thread of a session.
#[derive(Debug, Clone)]
pub struct LogRow {
    /// Global append order.
    pub seq: i64,
    /// A sub-thread id, or `None` for the primary thread.
    pub thread: Option<String>,
    /// The event JSON as served.
    pub json: Value,
}

/// Which events of a session a reader sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View<'a> {
    /// The session (primary thread): its own events and those sub-threads cross-post.
    Primary,
    /// One sub-thread's own events.
    Thread(&'a str),
}

/// The database. All access goes through one connection; every operation is short.
pub struct Store {
    conn: Mutex<Connection>,
}

impl Store {
    /// Writes a consistent copy of the whole database to `path` (SQLite's `VACUUM INTO`),
    /// while it serves; an emulator started from it (`--snapshot`) goes on from there.
    pub fn snapshot_to(&self, path: &Path) -> anyhow::Result<()> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        let path = path
            .to_str()
            .ok_or_else(|| anyhow::anyhow!("{}: not a UTF-8 path", path.display()))?;
        conn.execute("VACUUM INTO ?1", [path])?;
        Ok(())
    }

    /// Replaces the whole state with the snapshot at `path` (in one transaction: a reader
    /// sees the old state or the new one).
    pub fn restore_from(&self, path: &Path) -> anyhow::Result<()> {
        let snapshot =
            Store::open(path).map_err(|e| anyhow::anyhow!("not an emulator snapshot: {e}"))?;
        drop(snapshot);
        let path = path
            .to_str()
            .ok_or_else(|| anyhow::anyhow!("{}: not a UTF-8 path", path.display()))?;
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        conn.execute("ATTACH DATABASE ?1 AS snapshot", [path])?;
        let copied = conn.execute_batch(&format!(
            "BEGIN; {CLEAR}
             INSERT INTO main.objects(kind, id, version, created_at, json)
                 SELECT kind, id, version, created_at, json FROM snapshot.objects;
             INSERT INTO main.events(seq, session_id, id, type, processed_at, json, thread, cross_posted)
                 SELECT seq, session_id, id, type, processed_at, json, thread, cross_posted FROM snapshot.events;
             INSERT INTO main.file_contents(id, bytes) SELECT id, bytes FROM snapshot.file_contents;
             COMMIT;"
        ));
        if copied.is_err() {
            let _ = conn.execute_batch("ROLLBACK;");
        }
        let detached = conn.execute_batch("DETACH DATABASE snapshot;");
        copied?;
        Ok(detached?)
    }

    /// Forgets everything: objects, events and file contents.
    pub fn reset(&self) -> anyhow::Result<()> {
        self.with(|conn| conn.execute_batch(&format!("BEGIN; {CLEAR} COMMIT;")))
    }
}

/// Empties every table of the main database.
const CLEAR: &str =
    "DELETE FROM main.objects; DELETE FROM main.events; DELETE FROM main.file_contents;";

/// Object kinds kept in the `objects` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Agents (one row per version).
    Agent,
    /// Environments.
    Environment,
    /// Sessions.
    Session,
    /// Files API metadata.
    File,
    /// Vaults.
    Vault,
    /// Vault credentials (as served: no secrets).
    Credential,
    /// The secret half of a credential, never served.
    CredentialSecret,
    /// Self-hosted work items.
    Work,
    /// Deployments.
    Deployment,
    /// Deployment runs.
    DeploymentRun,
    /// Memory stores.
    MemoryStore,
    /// Memories (the current version of each path).
    Memory,
    /// Memory versions.
    MemoryVersion,
    /// Dreams.
    Dream,
    /// MCP tunnels.
    Tunnel,
    /// Tunnel CA certificates.
    TunnelCertificate,
    /// Skills.
    Skill,
    /// Skill versions.
    SkillVersion,
    /// Sub-threads of multi-agent sessions (the primary thread is derived from its session).
    Thread,
    /// Organization webhook endpoints.
    OrgWebhook,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Agent => "agent",
            Kind::Environment => "environment",
            Kind::Session => "session",
            Kind::File => "file",
            Kind::Vault => "vault",
            Kind::Credential => "vault_credential",
            Kind::CredentialSecret => "vault_credential_secret",
            Kind::Work => "work",
            Kind::Deployment => "deployment",
            Kind::DeploymentRun => "deployment_run",
            Kind::MemoryStore => "memory_store",
            Kind::Memory => "memory",
            Kind::MemoryVersion => "memory_version",
            Kind::Dream => "dream",
            Kind::Tunnel => "tunnel",
            Kind::TunnelCertificate => "tunnel_certificate",
            Kind::Skill => "skill",
            Kind::SkillVersion => "skill_version",
            Kind::Thread => "session_thread",
            Kind::OrgWebhook => "webhook_endpoint",
        }
    }
}

impl Store {
    /// Opens (or creates) the database; `:memory:` keeps it in memory.
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        let conn = Connection::open(path)?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL;
             PRAGMA synchronous=NORMAL;
             CREATE TABLE IF NOT EXISTS objects(
                 kind TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,
                 created_at TEXT NOT NULL, json TEXT NOT NULL,
                 PRIMARY KEY(kind, id, version));
             CREATE TABLE IF NOT EXISTS events(
                 seq INTEGER PRIMARY KEY AUTOINCREMENT,
                 session_id TEXT NOT NULL, id TEXT NOT NULL UNIQUE,
                 type TEXT NOT NULL, processed_at TEXT, json TEXT NOT NULL);
             CREATE INDEX IF NOT EXISTS events_by_session ON events(session_id, seq);
             CREATE TABLE IF NOT EXISTS file_contents(id TEXT PRIMARY KEY, bytes BLOB NOT NULL);",
        )?;
        // Sub-thread events (added after the first release: older databases gain the columns).
        let has_thread: bool = conn
            .prepare("SELECT 1 FROM pragma_table_info('events') WHERE name='thread'")?
            .exists([])?;
        if !has_thread {
            conn.execute_batch(
                "ALTER TABLE events ADD COLUMN thread TEXT;
                 ALTER TABLE events ADD COLUMN cross_posted INTEGER NOT NULL DEFAULT 0;",
            )?;
        }
        Ok(Store {
            conn: Mutex::new(conn),
        })
    }

    fn with<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> anyhow::Result<T> {
        let conn = self
            .conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        Ok(f(&conn)?)
    }

    /// Inserts or replaces one object version.
    pub fn put(&self, kind: Kind, id: &str, version: i64, json: &Value) -> anyhow::Result<()> {
        self.with(|c| insert_object(c, kind, id, version, json))
    }

    /// The latest version of an object, or a given version.
    pub fn get(&self, kind: Kind, id: &str, version: Option<i64>) -> anyhow::Result<Option<Value>> {
        let text: Option<String> = self.with(|c| {
            match version {
                Some(v) => c
                    .query_row(
                        "SELECT json FROM objects WHERE kind=?1 AND id=?2 AND version=?3",
                        params![kind.name(), id, v],
                        |row| row.get(0),
                    )
                    .optional(),
                None => c
                    .query_row(
                        "SELECT json FROM objects WHERE kind=?1 AND id=?2 ORDER BY version DESC LIMIT 1",
                        params![kind.name(), id],
                        |row| row.get(0),
                    )
                    .optional(),
            }
        })?;
        Ok(text.map(|t| serde_json::from_str(&t)).transpose()?)
    }

    /// Latest versions of every object of a kind, newest first.
    pub fn list(&self, kind: Kind) -> anyhow::Result<Vec<Value>> {
        let texts: Vec<String> = self.with(|c| {
            let mut stmt = c.prepare(
                "SELECT json FROM objects o WHERE kind=?1 AND version=(SELECT MAX(version) FROM objects i WHERE i.kind=o.kind AND i.id=o.id)
                 ORDER BY created_at DESC, id DESC",
            )?;
            let rows = stmt.query_map(params![kind.name()], |row| row.get(0))?;
            rows.collect()
        })?;
        texts.iter().map(|t| Ok(serde_json::from_str(t)?)).collect()
    }

    /// Every version of one object, newest first.
    pub fn versions(&self, kind: Kind, id: &str) -> anyhow::Result<Vec<Value>> {
        let texts: Vec<String> = self.with(|c| {
            let mut stmt = c.prepare(
                "SELECT json FROM objects WHERE kind=?1 AND id=?2 ORDER BY version DESC",
            )?;
            let rows = stmt.query_map(params![kind.name(), id], |row| row.get(0))?;
            rows.collect()
        })?;
        texts.iter().map(|t| Ok(serde_json::from_str(t)?)).collect()
    }

    /// Deletes an object (every version) and, for sessions, its events.
    pub fn delete(&self, kind: Kind, id: &str) -> anyhow::Result<()> {
        self.with(|c| {
            c.execute(
                "DELETE FROM objects WHERE kind=?1 AND id=?2",
                params![kind.name(), id],
            )?;
            if kind == Kind::Session {
                c.execute("DELETE FROM events WHERE session_id=?1", params![id])?;
                c.execute(
                    "DELETE FROM objects WHERE kind='session_thread' AND json_extract(json, '$.session_id')=?1",
                    params![id],
                )?;
            }
            if matches!(kind, Kind::File | Kind::SkillVersion) {
                c.execute("DELETE FROM file_contents WHERE id=?1", params![id])?;
            }
            Ok(())
        })
    }

    /// Appends an event of the primary thread; returns its sequence number.
    pub fn append_event(&self, session_id: &str, json: &Value) -> anyhow::Result<i64> {
        let row = EventRow {
            thread: None,
            cross_posted: false,
            json: json.clone(),
        };
        let appended = self.append_batch(session_id, None, &[], &[row], |_, _| {})?;
        Ok(appended
            .and_then(|seqs| seqs.last().copied())
            .unwrap_or_default())
    }

    /// Appends events of a session together with the objects they start, in one
    /// transaction, if the session's latest sequence number is still `expected` (any, if
    /// `None`); returns their sequence numbers, or `None` if the log moved on.
    /// `before_commit` sees each row and its number while no reader can see them yet.
    pub fn append_batch(
        &self,
        session_id: &str,
        expected: Option<i64>,
        objects: &[(Kind, Value)],
        rows: &[EventRow],
        mut before_commit: impl FnMut(i64, &EventRow),
    ) -> anyhow::Result<Option<Vec<i64>>> {
        self.with(|c| {
            let tx = c.unchecked_transaction()?;
            if let Some(expected) = expected {
                let last: i64 = tx.query_row(
                    "SELECT COALESCE(MAX(seq), 0) FROM events WHERE session_id=?1",
                    params![session_id],
                    |row| row.get(0),
                )?;
                if last != expected {
                    return Ok(None);
                }
            }
            for (kind, json) in objects {
                insert_object(&tx, *kind, json["id"].as_str().unwrap_or_default(), 0, json)?;
            }
            let mut seqs = Vec::with_capacity(rows.len());
            for row in rows {
                let json = &row.json;
                tx.execute(
                    "INSERT INTO events(session_id, id, type, processed_at, json, thread, cross_posted) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![
                        session_id,
                        json["id"].as_str().unwrap_or_default(),
                        json["type"].as_str().unwrap_or_default(),
                        json["processed_at"].as_str(),
                        json.to_string(),
                        row.thread,
                        row.cross_posted
                    ],
                )?;
                let seq = tx.last_insert_rowid();
                before_commit(seq, row);
                seqs.push(seq);
            }
            tx.commit()?;
            Ok(Some(seqs))
        })
    }

    /// Every event of a session with `seq > after` (all threads), in order, with the
    /// thread each belongs to.
    pub fn log_after(&self, session_id: &str, after: i64) -> anyhow::Result<Vec<LogRow>> {
        let rows: Vec<(i64, Option<String>, String)> = self.with(|c| {
            let mut stmt = c.prepare(
                "SELECT seq, thread, json FROM events WHERE session_id=?1 AND seq>?2 ORDER BY seq",
            )?;
            let rows = stmt.query_map(params![session_id, after], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })?;
            rows.collect()
        })?;
        rows.into_iter()
            .map(|(seq, thread, text)| {
                Ok(LogRow {
                    seq,
                    thread,
                    json: serde_json::from_str(&text)?,
                })
            })
            .collect()
    }

    /// Events of a session's primary view with `seq > after`, in order, at most `limit`.
    pub fn events_after(
        &self,
        session_id: &str,
        after: i64,
        limit: i64,
    ) -> anyhow::Result<Vec<StoredEvent>> {
        self.view_after(session_id, View::Primary, after, limit)
    }

    /// Events a view of a session sees with `seq > after`, in order, at most `limit`.
    pub fn view_after(
        &self,
        session_id: &str,
        view: View,
        after: i64,
        limit: i64,
    ) -> anyhow::Result<Vec<StoredEvent>> {
        let rows: Vec<(i64, String)> = self.with(|c| {
            let (filter, thread) = match view {
                View::Primary => ("(thread IS NULL OR cross_posted=1)", ""),
                View::Thread(id) => ("thread=?4", id),
            };
            let sql = format!(
                "SELECT seq, json FROM events WHERE session_id=?1 AND seq>?2 AND {filter} ORDER BY seq LIMIT ?3"
            );
            let mut stmt = c.prepare(&sql)?;
            let map = |row: &rusqlite::Row| Ok((row.get(0)?, row.get(1)?));
            let rows = match view {
                View::Primary => stmt.query_map(params![session_id, after, limit], map)?,
                View::Thread(_) => stmt.query_map(params![session_id, after, limit, thread], map)?,
            };
            rows.collect()
        })?;
        rows.into_iter()
            .map(|(seq, text)| {
                Ok(StoredEvent {
                    seq,
                    json: serde_json::from_str(&text)?,
                })
            })
            .collect()
    }

    /// The sequence number of a session's latest event (0 when it has none).
    pub fn last_seq(&self, session_id: &str) -> anyhow::Result<i64> {
        self.with(|c| {
            c.query_row(
                "SELECT COALESCE(MAX(seq), 0) FROM events WHERE session_id=?1",
                params![session_id],
                |row| row.get(0),
            )
        })
    }

    /// The whole event log of a session.
    pub fn history(&self, session_id: &str) -> anyhow::Result<Vec<StoredEvent>> {
        self.events_after(session_id, 0, i64::MAX)
    }

    /// Stores a file's bytes.
    pub fn put_file_content(&self, id: &str, bytes: &[u8]) -> anyhow::Result<()> {
        self.with(|c| {
            c.execute(
                "INSERT OR REPLACE INTO file_contents(id, bytes) VALUES (?1, ?2)",
                params![id, bytes],
            )
            .map(drop)
        })
    }

    /// A file's bytes.
    pub fn file_content(&self, id: &str) -> anyhow::Result<Option<Vec<u8>>> {
        self.with(|c| {
            c.query_row(
                "SELECT bytes FROM file_contents WHERE id=?1",
                params![id],
                |row| row.get(0),
            )
            .optional()
        })
    }
}

/// Inserts or replaces one object version (inside `Store::with`, or a transaction).
fn insert_object(
    c: &Connection,
    kind: Kind,
    id: &str,
    version: i64,
    json: &Value,
) -> rusqlite::Result<()> {
    c.execute(
        "INSERT OR REPLACE INTO objects(kind, id, version, created_at, json) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![kind.name(), id, version, json["created_at"].as_str().unwrap_or_default(), json.to_string()],
    )
    .map(drop)
}
