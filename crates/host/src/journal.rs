//! The host's durable journal of tool calls (SQLite): for each call it records that it
//! *started*, that it *finished* (with its result), and that the result was *settled* (the
//! API accepted it, or said it no longer awaits one). A host that crashes and restarts
//! reads it back, so it never runs a finished call again and never runs a call that was
//! interrupted mid-way twice unless the tool says it is idempotent.
//!
//! It fails closed: once a read or write fails, every later `started` is refused with the
//! first failure's reason (naming the file), so no call starts without a durable record,
//! and runners stop taking calls ([`Journal::failure`]).

use outrig_api::content::ContentBlock;
use outrig_api::recovery::Record;
use rusqlite::{params, Connection, OptionalExtension};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The journal, safe to share between calls.
pub struct Journal {
    db: Mutex<Connection>,
    /// What error messages call it: `the journal PATH`.
    name: String,
    /// The first read or write that failed; from then on no call may start.
    failure: Mutex<Option<String>>,
}

impl Journal {
    /// Opens (creating) the journal at `path`.
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        let name = format!("the journal {}", path.display());
        let opened = (|| {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            Self::init(Connection::open(path)?, name.clone())
        })();
        opened.map_err(|e| anyhow::anyhow!("cannot open {name}: {e:#}"))
    }

    /// A journal that lasts as long as the process (no crash recovery).
    pub fn in_memory() -> Self {
        let db = Connection::open_in_memory().expect("in-memory SQLite opens");
        Self::init(db, "the in-memory journal".into()).expect("the schema applies")
    }

    fn init(db: Connection, name: String) -> anyhow::Result<Self> {
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
        Ok(Journal {
            db: Mutex::new(db),
            name,
            failure: Mutex::default(),
        })
    }

    /// Why the journal stopped accepting calls, if a read or write failed.
    pub fn failure(&self) -> Option<String> {
        self.failure
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Runs `op` on the database, unless the journal already failed; a failure is kept.
    fn run<T>(
        &self,
        doing: &str,
        op: impl FnOnce(&Connection) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        if let Some(failure) = self.failure() {
            anyhow::bail!(
                "{failure}; no call is started until the host restarts with a working journal"
            );
        }
        let done = op(&self.db.lock().unwrap_or_else(|e| e.into_inner()));
        done.map_err(|e| {
            let failure = format!("cannot {doing} {}: {e:#}", self.name);
            let mut kept = self.failure.lock().unwrap_or_else(|e| e.into_inner());
            kept.get_or_insert(failure.clone());
            anyhow::anyhow!(failure)
        })
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
    pub fn entry(&self, call_id: &str) -> anyhow::Result<Option<Record>> {
        let row: Option<(String, Option<String>, Option<bool>)> = self.run("read", |db| {
            Ok(db
                .query_row(
                    "SELECT state, content, is_error FROM calls WHERE call_id = ?1",
                    [call_id],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                )
                .optional()?)
        })?;
        Ok(match row {
            None => None,
            Some((state, _, _)) if state == "started" => Some(Record::Started),
            Some((state, _, _)) if state == "settled" => Some(Record::Settled),
            Some((_, content, is_error)) => Some(Record::Finished {
                content: serde_json::from_str::<Vec<ContentBlock>>(
                    content.as_deref().unwrap_or("[]"),
                )?,
                is_error: is_error.unwrap_or(true),
            }),
        })
    }

    /// The call is about to run.
    pub fn started(&self, session_id: &str, call_id: &str, tool: &str) -> anyhow::Result<()> {
        self.run("write", |db| {
            db.execute(
                "INSERT INTO calls (call_id, session_id, tool, state) VALUES (?1, ?2, ?3, 'started')
                 ON CONFLICT (call_id) DO UPDATE SET state = 'started'",
                params![call_id, session_id, tool],
            )?;
            Ok(())
        })
    }

    /// The call finished with this result (before it is sent).
    pub fn finished(
        &self,
        call_id: &str,
        content: &[ContentBlock],
        is_error: bool,
    ) -> anyhow::Result<()> {
        let content = serde_json::to_string(content)?;
        self.run("write", |db| {
            db.execute(
                "UPDATE calls SET state = 'finished', content = ?2, is_error = ?3,
                     updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                 WHERE call_id = ?1",
                params![call_id, content, is_error],
            )?;
            Ok(())
        })
    }

    /// The call's result was accepted by the API, or the API no longer awaits one.
    pub fn settled(&self, call_id: &str) -> anyhow::Result<()> {
        self.run("write", |db| {
            db.execute(
                "UPDATE calls SET state = 'settled', updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                 WHERE call_id = ?1",
                [call_id],
            )?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Journal;
    use outrig_api::content::ContentBlock;
    use outrig_api::recovery::Record;

    #[test]
    fn a_call_moves_from_started_to_finished_to_settled_and_survives_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.sqlite");
        let journal = Journal::open(&path).unwrap();
        assert_eq!(journal.entry("c1").unwrap(), None);
        journal.started("s", "c1", "tool").unwrap();
        assert_eq!(journal.entry("c1").unwrap(), Some(Record::Started));
        journal
            .finished("c1", &[ContentBlock::text("done")], false)
            .unwrap();
        drop(journal);
        let journal = Journal::open(&path).unwrap();
        assert_eq!(
            journal.entry("c1").unwrap(),
            Some(Record::Finished {
                content: vec![ContentBlock::text("done")],
                is_error: false
            })
        );
        journal.settled("c1").unwrap();
        assert_eq!(journal.entry("c1").unwrap(), Some(Record::Settled));
    }

    #[test]
    fn a_failed_write_closes_the_journal_and_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.sqlite");
        let journal = Journal::open(&path).unwrap();
        journal.started("s", "c1", "tool").unwrap();
        // Another process holds the write lock: the journal cannot write.
        let other = rusqlite::Connection::open(&path).unwrap();
        other.execute_batch("BEGIN EXCLUSIVE").unwrap();
        let error = journal.started("s", "c2", "tool").unwrap_err().to_string();
        assert!(error.contains(&path.display().to_string()), "{error}");
        assert!(journal.failure().is_some());
        other.execute_batch("COMMIT").unwrap();
        // Even with the lock gone, no call starts until a restart.
        let refused = journal.started("s", "c3", "tool").unwrap_err().to_string();
        assert!(refused.contains("no call is started"), "{refused}");
    }

    #[test]
    fn an_unopenable_journal_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, "").unwrap();
        let path = file.join("journal.sqlite");
        let error = Journal::open(&path).err().unwrap().to_string();
        assert!(error.contains(&path.display().to_string()), "{error}");
    }
}
