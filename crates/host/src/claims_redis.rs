//! The Redis claims store: one hash per call (`outrig:claim:{id}`: session, holder,
//! lease_until, state, content, is_error) and a sorted set of unsettled calls by lease end
//! (`outrig:open`), which the sweeper reads. Each step is a Lua script, so it is atomic, and
//! leases are measured on the Redis server's clock. Settled calls expire after a week.

use crate::claims::{without_password, Claim};
use outrig_api::content::ContentBlock;
use redis::Script;
use std::sync::Mutex;
use std::time::Duration;

const OPEN: &str = "outrig:open";
const SETTLED_TTL_SECS: u64 = 7 * 24 * 3600;

/// Milliseconds on the server's clock, as every script reads it.
const NOW: &str = "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)";

/// A Redis claims store.
pub struct RedisClaims {
    connection: Mutex<redis::Connection>,
    claim: Script,
    renew: Script,
    finish: Script,
    expired: Script,
}

fn key(call_id: &str) -> String {
    format!("outrig:claim:{call_id}")
}

impl RedisClaims {
    /// Connects to `redis://HOST:PORT[/DB]`.
    pub fn open(url: &str) -> anyhow::Result<Self> {
        let shown = without_password(url);
        let client =
            redis::Client::open(url).map_err(|e| anyhow::anyhow!("claims store {shown}: {e}"))?;
        let connection = client
            .get_connection_with_timeout(Duration::from_secs(10))
            .map_err(|e| anyhow::anyhow!("cannot connect to the claims store {shown}: {e}"))?;
        Ok(RedisClaims {
            connection: Mutex::new(connection),
            claim: Script::new(&format!(
                "{NOW}
                 local state = redis.call('HGET', KEYS[1], 'state')
                 local lease_until = now + tonumber(ARGV[4])
                 if not state then
                   redis.call('HSET', KEYS[1], 'session', ARGV[2], 'holder', ARGV[3], 'lease_until', lease_until, 'state', 'running')
                   redis.call('ZADD', KEYS[2], lease_until, ARGV[1])
                   return {{'won'}}
                 end
                 if state == 'settled' then return {{'lost'}} end
                 if tonumber(redis.call('HGET', KEYS[1], 'lease_until')) > now then return {{'lost'}} end
                 redis.call('HSET', KEYS[1], 'holder', ARGV[3], 'lease_until', lease_until)
                 redis.call('ZADD', KEYS[2], lease_until, ARGV[1])
                 if state == 'finished' then
                   return {{'finished', redis.call('HGET', KEYS[1], 'content'), redis.call('HGET', KEYS[1], 'is_error')}}
                 end
                 return {{'running'}}"
            )),
            renew: Script::new(&format!(
                "{NOW}
                 if redis.call('HGET', KEYS[1], 'holder') ~= ARGV[2] or redis.call('HGET', KEYS[1], 'state') == 'settled' then return 0 end
                 local lease_until = now + tonumber(ARGV[3])
                 redis.call('HSET', KEYS[1], 'lease_until', lease_until)
                 redis.call('ZADD', KEYS[2], lease_until, ARGV[1])
                 return 1"
            )),
            finish: Script::new(
                "if redis.call('HGET', KEYS[1], 'state') == 'running' then
                   redis.call('HSET', KEYS[1], 'state', 'finished', 'content', ARGV[1], 'is_error', ARGV[2])
                 end
                 return 0"
            ),
            expired: Script::new(&format!(
                "{NOW}
                 local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. now)
                 local sessions = {{}}
                 for _, id in ipairs(ids) do
                   local session = redis.call('HGET', 'outrig:claim:' .. id, 'session')
                   if session then table.insert(sessions, session) end
                 end
                 return sessions"
            )),
        })
    }

    fn with<T>(
        &self,
        f: impl FnOnce(&mut redis::Connection) -> redis::RedisResult<T>,
    ) -> anyhow::Result<T> {
        let mut connection = self.connection.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut connection).map_err(|e| anyhow::anyhow!("claims store: {e}"))
    }

    /// See [`crate::claims::Claims::claim`].
    pub fn claim(
        &self,
        session_id: &str,
        call_id: &str,
        holder: &str,
        lease: Duration,
    ) -> anyhow::Result<Claim> {
        let answer: Vec<String> = self.with(|c| {
            self.claim
                .key(key(call_id))
                .key(OPEN)
                .arg(call_id)
                .arg(session_id)
                .arg(holder)
                .arg(lease.as_millis() as u64)
                .invoke(c)
        })?;
        Ok(match answer.first().map(String::as_str) {
            Some("won") => Claim::Won,
            Some("running") => Claim::TakenOverRunning,
            Some("finished") => Claim::TakenOverFinished {
                content: answer
                    .get(1)
                    .and_then(|c| serde_json::from_str(c).ok())
                    .unwrap_or_default(),
                is_error: answer.get(2).is_some_and(|e| e == "1"),
            },
            _ => Claim::Lost,
        })
    }

    /// See [`crate::claims::Claims::renew`].
    pub fn renew(&self, call_id: &str, holder: &str, lease: Duration) -> anyhow::Result<bool> {
        let renewed: i64 = self.with(|c| {
            self.renew
                .key(key(call_id))
                .key(OPEN)
                .arg(call_id)
                .arg(holder)
                .arg(lease.as_millis() as u64)
                .invoke(c)
        })?;
        Ok(renewed == 1)
    }

    /// See [`crate::claims::Claims::finished`].
    pub fn finished(
        &self,
        call_id: &str,
        content: &[ContentBlock],
        is_error: bool,
    ) -> anyhow::Result<()> {
        let content = serde_json::to_string(content)?;
        self.with(|c| {
            self.finish
                .key(key(call_id))
                .arg(content)
                .arg(if is_error { 1 } else { 0 })
                .invoke::<i64>(c)
                .map(drop)
        })
    }

    /// See [`crate::claims::Claims::settled`].
    pub fn settled(&self, call_id: &str) -> anyhow::Result<()> {
        self.with(|c| {
            redis::pipe()
                .atomic()
                .hset(key(call_id), "state", "settled")
                .hdel(key(call_id), "content")
                .expire(key(call_id), SETTLED_TTL_SECS as i64)
                .zrem(OPEN, call_id)
                .query::<()>(c)
        })
    }

    /// See [`crate::claims::Claims::sessions_with_expired_claims`].
    pub fn sessions_with_expired_claims(&self) -> anyhow::Result<Vec<String>> {
        self.with(|c| self.expired.key(OPEN).invoke(c))
            .map(|mut sessions: Vec<String>| {
                sessions.sort();
                sessions.dedup();
                sessions
            })
    }
}
