//! Live fan-out of a session's events to its open streams. Stored events are announced by
//! sequence number (streams re-read the log, so a slow stream never loses one); previews
//! and the final `session.deleted`, which are not stored, travel on a broadcast channel.

use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::{broadcast, watch};

/// Something not stored that a stream should forward, in order after `after_seq`.
#[derive(Debug, Clone)]
pub struct Transient {
    /// Forward only after stored events up to this sequence number.
    pub after_seq: i64,
    /// The event JSON.
    pub event: Value,
}

/// Channels of one session.
#[derive(Clone)]
pub struct SessionChannels {
    /// Latest stored sequence number.
    pub stored: watch::Sender<i64>,
    /// Previews and `session.deleted`.
    pub transient: broadcast::Sender<Transient>,
}

/// Channels of every session with listeners or activity.
#[derive(Default)]
pub struct Hub {
    sessions: Mutex<HashMap<String, SessionChannels>>,
}

impl Hub {
    /// The channels of a session, created on first use.
    pub fn channels(&self, session_id: &str) -> SessionChannels {
        let mut sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        sessions
            .entry(session_id.to_string())
            .or_insert_with(|| SessionChannels {
                stored: watch::channel(0).0,
                transient: broadcast::channel(1024).0,
            })
            .clone()
    }

    /// Announces a stored event.
    pub fn stored(&self, session_id: &str, seq: i64) {
        self.channels(session_id).stored.send_replace(seq);
    }

    /// Sends a transient event to current listeners.
    pub fn transient(&self, session_id: &str, after_seq: i64, event: Value) {
        let _ = self
            .channels(session_id)
            .transient
            .send(Transient { after_seq, event });
    }

    /// Forgets every session's channels, which ends every open stream (the state was
    /// replaced).
    pub fn close_all(&self) {
        self.sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    /// Forgets a deleted session's channels.
    pub fn remove(&self, session_id: &str) {
        self.sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(session_id);
    }
}

/// Shared handle.
pub type SharedHub = Arc<Hub>;
