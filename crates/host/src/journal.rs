//! The host's durable journal of tool calls (SQLite): for each call it records that it
//! *started*, that it *finished* (with its result), and that the result was *settled* (the
//! API accepted it, or said it no longer awaits one). A host that crashes and restarts
//! reads it back, so it never runs a finished call again and never runs a call that was
//! interrupted mid-way twice unless the tool says it is idempotent.

use outrig_api::content::ContentBlock;
use rusqlite::{params, Connection, OptionalExtension};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What the journal knows of one call.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// It was running when the host stopped.
    Started,
    /// It finished with this result, which may not have reached the API.
    Finished {
        /// The result content.
        content: Vec<ContentBlock>,
        /// Whether it reports a failure.
        is_error: bool,
    },
    /// Its result was settled with the API: nothing is left to do.
    Settled,
}

/// The journal, safe to share between calls.
pub struct Journal {
    db: Mutex<Connection>,
}

impl Journal {
    /// Opens (creating) the journal at `path`.
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let db = Connection::open(path)
            .map_err(|e| anyhow::anyhow!("cannot open the journal {}: {e}", path.display()))?;
        Self::init(db)
    }

    /// A journal that lasts as long as the process (no crash recovery).
    pub fn in_memory() -> Self {
        Self::init(Connection::open_in_memory().expect("in-memory SQLite opens"))
            .expect("the schema applies")
    }

    fn init(db: Connection) -> anyhow::Result<Self> {
        // WAL with full sync: a write the journal acknowledged survives `kill -9`.
        db.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             CREATE TABLE IF NOT EXISTS calls (
                 call_id TEXT PRIMARY KEY,
                 session_id TEXT NOT NULL,
                 tool TEXT NOT NULL,
                 state TEXT NOT NULL CHECK (state IN ('started', 'finished', 'settled')),
                 content TEXT,
                 is_error INTEGER,
                 updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
             );",
        )?;
        Ok(Journal { db: Mutex::new(db) })
    }

    /// The default place: `$XDG_DATA_HOME/outrig/host-journal.sqlite` (or under
    /// `~/.local/share`).
    pub fn default_path() -> PathBuf {
        std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
            .unwrap_or_else(std::env::temp_dir)
            .join("outrig/host-journal.sqlite")
    }

    /// What is known of `call_id`.
    pub fn entry(&self, call_id: &str) -> anyhow::Result<Option<Entry>> {
        let db = self.lock();
        let row: Option<(String, Option<String>, Option<bool>)> = db
            .query_row(
                "SELECT state, content, is_error FROM calls WHERE call_id = ?1",
                [call_id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()?;
        Ok(match row {
            None => None,
            Some((state, _, _)) if state == "started" => Some(Entry::Started),
            Some((state, _, _)) if state == "settled" => Some(Entry::Settled),
            Some((_, content, is_error)) => Some(Entry::Finished {
                content: serde_json::from_str(content.as_deref().unwrap_or("[]"))?,
                is_error: is_error.unwrap_or(true),
            }),
        })
    }

    /// The call is about to run.
    pub fn started(&self, session_id: &str, call_id: &str, tool: &str) -> anyhow::Result<()> {
        self.lock().execute(
            "INSERT INTO calls (call_id, session_id, tool, state) VALUES (?1, ?2, ?3, 'started')
             ON CONFLICT (call_id) DO UPDATE SET state = 'started'",
            params![call_id, session_id, tool],
        )?;
        Ok(())
    }

    /// The call finished with this result (before it is sent).
    pub fn finished(
        &self,
        call_id: &str,
        content: &[ContentBlock],
        is_error: bool,
    ) -> anyhow::Result<()> {
        self.lock().execute(
            "UPDATE calls SET state = 'finished', content = ?2, is_error = ?3,
                 updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE call_id = ?1",
            params![call_id, serde_json::to_string(content)?, is_error],
        )?;
        Ok(())
    }

    /// The call's result was accepted by the API, or the API no longer awaits one.
    pub fn settled(&self, call_id: &str) -> anyhow::Result<()> {
        self.lock().execute(
            "UPDATE calls SET state = 'settled', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
             WHERE call_id = ?1",
            [call_id],
        )?;
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.db.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::{Entry, Journal};
    use outrig_api::content::ContentBlock;

    #[test]
    fn a_call_moves_from_started_to_finished_to_settled_and_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.sqlite");
        let journal = Journal::open(&path).unwrap();
        assert_eq!(journal.entry("c1").unwrap(), None);
        journal.started("s", "c1", "tool").unwrap();
        assert_eq!(journal.entry("c1").unwrap(), Some(Entry::Started));
        journal
            .finished("c1", &[ContentBlock::text("done")], false)
            .unwrap();
        drop(journal);
        let journal = Journal::open(&path).unwrap();
        assert_eq!(
            journal.entry("c1").unwrap(),
            Some(Entry::Finished {
                content: vec![ContentBlock::text("done")],
                is_error: false
            })
        );
        journal.settled("c1").unwrap();
        assert_eq!(journal.entry("c1").unwrap(), Some(Entry::Settled));
    }
}
