//! `--seed` and `--clock`: ids and timestamps reproducible from run to run. With a seed,
//! the n-th id of each prefix is derived from the seed, the prefix and n (SHA-256), so two
//! runs that create the same objects in the same order get the same ids. With a clock,
//! every timestamp is read from it: fixed, or advanced by a step at each reading. The
//! settings hold for the whole process (one emulator process per seed).

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// A clock that is not the system's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    /// The first reading, in microseconds since the Unix epoch.
    pub start_micros: i64,
    /// How much each reading advances it (0: fixed).
    pub step_micros: i64,
}

impl std::str::FromStr for Clock {
    type Err = String;

    /// `2026-01-01T00:00:00Z` (fixed) or `2026-01-01T00:00:00Z+1ms` (stepped; `us`, `ms`,
    /// `s`).
    fn from_str(text: &str) -> Result<Self, String> {
        let (start, step) = match text.rsplit_once('+') {
            Some((start, step)) if step.ends_with('s') => (start, Some(step)),
            _ => (text, None),
        };
        let start_micros = outrig_api::time::parse_rfc3339_micros(start)
            .ok_or_else(|| format!("`{start}` is not an RFC 3339 time"))?;
        let step_micros = match step {
            None => 0,
            Some(step) => {
                let (number, unit) = step
                    .find(|c: char| !c.is_ascii_digit())
                    .map(|at| step.split_at(at))
                    .unwrap_or((step, ""));
                let scale = match unit {
                    "us" => 1,
                    "ms" => 1_000,
                    "s" => 1_000_000,
                    _ => return Err(format!("`{step}`: a step is a number of us, ms or s")),
                };
                number
                    .parse::<i64>()
                    .map_err(|_| format!("`{step}`: a step is a number of us, ms or s"))?
                    * scale
            }
        };
        Ok(Clock {
            start_micros,
            step_micros,
        })
    }
}

struct Settings {
    seed: Option<u64>,
    clock: Option<Clock>,
    ids: Mutex<HashMap<String, u64>>,
    readings: Mutex<i64>,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();

/// Makes ids (with `seed`) and timestamps (with `clock`) reproducible for this process.
/// Nothing to do when both are `None`; an error when other settings were made already.
pub fn install(seed: Option<u64>, clock: Option<Clock>) -> anyhow::Result<()> {
    if seed.is_none() && clock.is_none() {
        return Ok(());
    }
    let settings = SETTINGS.get_or_init(|| Settings {
        seed,
        clock,
        ids: Mutex::new(HashMap::new()),
        readings: Mutex::new(0),
    });
    anyhow::ensure!(
        settings.seed == seed && settings.clock == clock,
        "this process already runs an emulator with another --seed or --clock"
    );
    Ok(())
}

/// The next id suffix for `prefix` (24 characters of `[0-9a-z]`), if a seed is set.
pub fn seeded_suffix(prefix: &str) -> Option<String> {
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let settings = SETTINGS.get()?;
    let seed = settings.seed?;
    let n = {
        let mut ids = settings.ids.lock().unwrap_or_else(|p| p.into_inner());
        let n = ids.entry(prefix.to_string()).or_default();
        *n += 1;
        *n
    };
    let digest = Sha256::new()
        .chain_update(seed.to_be_bytes())
        .chain_update(prefix.as_bytes())
        .chain_update(n.to_be_bytes())
        .finalize();
    Some(
        digest
            .iter()
            .take(24)
            .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
            .collect(),
    )
}

/// The clock's next reading in microseconds, if a clock is set.
pub fn clock_micros() -> Option<i64> {
    let settings = SETTINGS.get()?;
    let clock = settings.clock?;
    let mut readings = settings.readings.lock().unwrap_or_else(|p| p.into_inner());
    let at = clock.start_micros + clock.step_micros * *readings;
    *readings += 1;
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::Clock;

    #[test]
    fn clocks_parse_fixed_and_stepped() {
        let fixed: Clock = "2026-01-01T00:00:00Z".parse().unwrap();
        assert_eq!(fixed.step_micros, 0);
        let stepped: Clock = "2026-01-01T00:00:00Z+250ms".parse().unwrap();
        assert_eq!(stepped.start_micros, fixed.start_micros);
        assert_eq!(stepped.step_micros, 250_000);
        assert!("2026-01-01T00:00:00+01:00".parse::<Clock>().is_ok());
        assert!("yesterday".parse::<Clock>().is_err());
        assert!("2026-01-01T00:00:00Z+3h".parse::<Clock>().is_err());
    }
}
