//! Which sessions of an agent `host run --all` serves, found with the list filters the API
//! has rather than by listing every session ever created on every poll:
//!
//! - every poll (`--poll-ms`, 2 s): the sessions that are `running` or `rescheduling`, and
//!   those created since the newest one seen (`created_at[gte]`, with a few seconds of
//!   overlap for clocks during the first polls after it): two list requests, however many
//!   sessions the agent has;
//! - every sweep (`--sweep-ms`, 60 s, and at start): every session that is not terminated,
//!   of which only the idle ones whose `updated_at` changed since they were last served are
//!   opened (to answer a call that became pending between two polls: a turn that ran and
//!   reached `requires_action` in under a poll is found here);
//! - a served session's stream is kept while it works and for `--keep-idle-ms` (10 s)
//!   after its turn ends, then closed; the polls open it again when it runs.
//!
//! Webhooks (`outrig host serve`) have none of this delay; this is for hosts without an
//! address the platform can reach.

use crate::runner::Until;
use outrig_api::objects::{Session, SessionStatus};
use std::collections::HashMap;
use std::time::Duration;

/// How often `serve_all` looks, and how long it keeps an idle session's stream.
#[derive(Debug, Clone, Copy)]
pub struct DiscoveryOptions {
    /// Between two polls for running and new sessions.
    pub poll: Duration,
    /// Between two sweeps of every session that is not terminated.
    pub sweep: Duration,
    /// How long a served session's stream stays open after its turn ends.
    pub keep_idle: Duration,
}

impl Default for DiscoveryOptions {
    fn default() -> Self {
        DiscoveryOptions {
            poll: Duration::from_secs(2),
            sweep: Duration::from_secs(60),
            keep_idle: Duration::from_secs(10),
        }
    }
}

/// What one listing asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Listing {
    /// Every session that is not terminated.
    Sweep,
    /// Running and rescheduling sessions.
    Active,
    /// Sessions created at or after this instant.
    CreatedSince(String),
}

impl Listing {
    /// The statuses filter of this listing (empty: any).
    pub fn statuses(&self) -> &'static [SessionStatus] {
        match self {
            Listing::Sweep => &[
                SessionStatus::Idle,
                SessionStatus::Running,
                SessionStatus::Rescheduling,
            ],
            Listing::Active => &[SessionStatus::Running, SessionStatus::Rescheduling],
            Listing::CreatedSince(_) => &[],
        }
    }

    /// The `created_at[gte]` filter of this listing.
    pub fn created_since(&self) -> Option<&str> {
        match self {
            Listing::CreatedSince(at) => Some(at),
            _ => None,
        }
    }
}

/// What discovery remembers between polls: the newest session seen, and the `updated_at`
/// of each session when it was last opened.
#[derive(Debug, Default)]
pub struct Discovery {
    newest_created_micros: Option<i64>,
    /// Polls since the newest session changed.
    polls_since_newest: u32,
    opened_at_version: HashMap<String, String>,
}

/// Sessions created this long before the newest one seen are listed again, in case the
/// API's clocks or its ordering let one appear late...
const CREATED_OVERLAP_MICROS: i64 = 5_000_000;
/// ...for this many polls after the newest one changed (a burst of sessions would
/// otherwise be listed again on every poll).
const OVERLAP_POLLS: u32 = 3;

impl Discovery {
    /// Forgets what was seen of a session, so the next sweep opens it whatever its
    /// `updated_at` (its serving failed).
    pub fn forget(&mut self, session_id: &str) {
        self.opened_at_version.remove(session_id);
    }

    /// The listings of one poll: a sweep if `sweep`, otherwise the active and new sessions.
    pub fn listings(&mut self, sweep: bool) -> Vec<Listing> {
        match (sweep, self.newest_created_micros) {
            (true, _) | (false, None) => vec![Listing::Sweep],
            (false, Some(newest)) => {
                let overlap = if self.polls_since_newest < OVERLAP_POLLS {
                    CREATED_OVERLAP_MICROS
                } else {
                    0
                };
                self.polls_since_newest += 1;
                vec![
                    Listing::Active,
                    Listing::CreatedSince(outrig_api::time::rfc3339_from_micros(newest - overlap)),
                ]
            }
        }
    }

    /// Whether to open `session` (not served right now) and until when; `None` to leave it.
    pub fn open(&mut self, session: &Session, keep_idle: Duration) -> Option<Until> {
        if let Some(created) = outrig_api::time::parse_rfc3339_micros(&session.created_at) {
            if self
                .newest_created_micros
                .is_none_or(|newest| created > newest)
            {
                self.newest_created_micros = Some(created);
                self.polls_since_newest = 0;
            }
        }
        let until = match session.status {
            SessionStatus::Terminated => {
                self.opened_at_version.remove(&session.id);
                return None;
            }
            SessionStatus::Running | SessionStatus::Rescheduling => Until::Quiet(keep_idle),
            SessionStatus::Idle => {
                match self.opened_at_version.get(&session.id) {
                    // Nothing happened since it was last opened.
                    Some(version) if *version == session.updated_at => return None,
                    // Seen before and changed since: look once, for a call left pending.
                    Some(_) => Until::Quiet(Duration::ZERO),
                    // New to this host: it is probably about to be used.
                    None => Until::Quiet(keep_idle),
                }
            }
        };
        self.opened_at_version
            .insert(session.id.clone(), session.updated_at.clone());
        Some(until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(id: &str, status: &str, created_at: &str, updated_at: &str) -> Session {
        serde_json::from_value(serde_json::json!({
            "type": "session", "id": id, "status": status, "title": null,
            "agent": {"type": "agent", "id": "agent_1", "version": 1, "name": "a",
                      "description": null, "model": {"id": "claude-sonnet-4-6", "speed": "standard"},
                      "system": null, "tools": [], "mcp_servers": [], "skills": []},
            "environment_id": "env_1", "resources": [], "metadata": {}, "vault_ids": [],
            "usage": {}, "stats": {}, "outcome_evaluations": [],
            "created_at": created_at, "updated_at": updated_at, "archived_at": null
        }))
        .unwrap()
    }

    #[test]
    fn the_first_poll_sweeps_and_later_ones_list_active_and_new_sessions() {
        let mut discovery = Discovery::default();
        assert_eq!(discovery.listings(false), [Listing::Sweep]);
        let keep = Duration::from_secs(300);
        discovery.open(
            &session("s1", "idle", "2026-12-01T10:00:10Z", "2026-12-01T10:00:10Z"),
            keep,
        );
        let overlapping = [
            Listing::Active,
            Listing::CreatedSince("2026-12-01T10:00:05.000000Z".into()),
        ];
        for _ in 0..OVERLAP_POLLS {
            assert_eq!(discovery.listings(false), overlapping);
        }
        // No newer session for a while: the overlap stops.
        assert_eq!(
            discovery.listings(false),
            [
                Listing::Active,
                Listing::CreatedSince("2026-12-01T10:00:10.000000Z".into())
            ]
        );
        assert_eq!(discovery.listings(true), [Listing::Sweep]);
        // A newer session brings it back.
        discovery.open(
            &session("s2", "idle", "2026-12-01T10:01:00Z", "2026-12-01T10:01:00Z"),
            keep,
        );
        assert_eq!(
            discovery.listings(false)[1],
            Listing::CreatedSince("2026-12-01T10:00:55.000000Z".into())
        );
    }

    #[test]
    fn an_idle_session_is_opened_again_only_when_it_changed() {
        let mut discovery = Discovery::default();
        let keep = Duration::from_secs(300);
        let at = "2026-12-01T10:00:00Z";
        let idle = session("s1", "idle", at, at);
        assert_eq!(discovery.open(&idle, keep), Some(Until::Quiet(keep)));
        assert_eq!(discovery.open(&idle, keep), None, "unchanged");
        let changed = session("s1", "idle", at, "2026-12-01T10:05:00Z");
        assert_eq!(
            discovery.open(&changed, keep),
            Some(Until::Quiet(Duration::ZERO))
        );
        let running = session("s1", "running", at, "2026-12-01T10:06:00Z");
        assert_eq!(discovery.open(&running, keep), Some(Until::Quiet(keep)));
        assert_eq!(
            discovery.open(&session("s1", "terminated", at, at), keep),
            None
        );
    }
}
