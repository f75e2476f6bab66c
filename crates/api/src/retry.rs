//! The SDKs' retry policy as pure functions (spec §1.5). The caller supplies the clock and
//! the random number; this module only decides.

use std::time::Duration;

/// Every response header the policy reads.
pub const RETRY_HEADERS: [&str; 3] = ["x-should-retry", "retry-after-ms", "retry-after"];

/// What happened to one attempt.
#[derive(Clone, Copy)]
pub enum Attempt<'a> {
    /// The connection failed or timed out before a response.
    ConnectionFailed,
    /// A response arrived; `header` looks up a response header (case-insensitive).
    Response {
        /// HTTP status.
        status: u16,
        /// Header lookup.
        header: &'a dyn Fn(&str) -> Option<String>,
    },
}

/// Retry settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (SDK default 2).
    pub max_retries: u32,
    /// First backoff in seconds (0.5).
    pub initial_delay: f64,
    /// Backoff cap in seconds (8.0).
    pub max_delay: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            initial_delay: 0.5,
            max_delay: 8.0,
        }
    }
}

impl RetryPolicy {
    /// Decides whether to retry after `retries_made` retries. `random` is uniform in
    /// `[0, 1)`; `now_unix` (seconds) is needed only for an HTTP-date `retry-after`.
    /// Returns the delay before the next attempt, or `None` to give up.
    pub fn next_delay(
        &self,
        retries_made: u32,
        attempt: Attempt<'_>,
        random: f64,
        now_unix: f64,
    ) -> Option<Duration> {
        if retries_made >= self.max_retries {
            return None;
        }
        let server_delay = match attempt {
            Attempt::ConnectionFailed => None,
            Attempt::Response { status, header } => {
                if !should_retry(status, header) {
                    return None;
                }
                // As the SDKs do, a server delay beyond a minute (or a forged huge one)
                // is ignored in favour of the backoff, never waited for.
                server_retry_delay(header, now_unix).filter(|seconds| *seconds <= 60.0)
            }
        };
        let delay = server_delay.unwrap_or_else(|| self.backoff(retries_made, random));
        // Whole milliseconds; a float-seconds conversion (and its panics) would be the
        // largest part of this function in the npm package's wasm.
        Some(Duration::from_millis((delay * 1000.0) as u64))
    }

    /// `min(initial * 2^n, max) * jitter` with jitter in `(0.75, 1.0]`.
    pub fn backoff(&self, retries_made: u32, random: f64) -> f64 {
        let base =
            (self.initial_delay * 2f64.powi(retries_made.min(30) as i32)).min(self.max_delay);
        base * (1.0 - 0.25 * random.clamp(0.0, 1.0))
    }
}

/// `x-should-retry` first, then 408, 409, 429 and every status ≥ 500.
pub fn should_retry(status: u16, header: &dyn Fn(&str) -> Option<String>) -> bool {
    match header("x-should-retry").as_deref() {
        Some("true") => return true,
        Some("false") => return false,
        _ => {}
    }
    matches!(status, 408 | 409 | 429) || status >= 500
}

/// Whether an event stream that got `status` must give up: every 4xx but 408, 409 and 429
/// (which a later reconnect can fix, as can any 5xx).
pub fn stream_gives_up(status: u16) -> bool {
    (400..500).contains(&status) && !matches!(status, 408 | 409 | 429)
}

/// The server's requested delay in seconds: `retry-after-ms`, then `retry-after` (seconds or
/// an HTTP date). Only positive values count.
pub fn server_retry_delay(header: &dyn Fn(&str) -> Option<String>, now_unix: f64) -> Option<f64> {
    if let Some(ms) = header("retry-after-ms").and_then(|v| decimal(v.trim_ascii())) {
        if ms > 0.0 {
            return Some(ms / 1000.0);
        }
    }
    let value = header("retry-after")?;
    let value = value.trim_ascii();
    let seconds = match decimal(value) {
        Some(seconds) => seconds,
        None => parse_http_date(value)? - now_unix,
    };
    (seconds > 0.0 && seconds.is_finite()).then_some(seconds)
}

/// A plain decimal (`12`, `1.5`), as retry headers write delays. Hand-written rather than
/// `str::parse::<f64>`, whose general float parser is a fifth of the npm package's wasm code.
fn decimal(text: &str) -> Option<f64> {
    let (whole, fraction) = crate::scan::split_once_ascii(text, b'.').unwrap_or((text, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || whole.len() + fraction.len() > 15
    {
        return None;
    }
    let value = |part: &str| part.bytes().fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
    Some(value(whole) as f64 + value(fraction) as f64 / 10f64.powi(fraction.len() as i32))
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) to Unix seconds.
pub fn parse_http_date(text: &str) -> Option<f64> {
    // Fixed positions (RFC 9110 §5.6.7), read as bytes: string searching and splitting
    // would double the npm package's retry code.
    let b = text.as_bytes();
    if b.len() != 29 || &b[3..5] != b", " || &b[25..] != b" GMT" {
        return None;
    }
    if [7, 11, 16].iter().any(|&i| b[i] != b' ') || b[19] != b':' || b[22] != b':' {
        return None;
    }
    let number = |from: usize, to: usize| -> Option<i64> {
        b[from..to].iter().try_fold(0i64, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
        })
    };
    const MONTHS: &[u8; 36] = b"JanFebMarAprMayJunJulAugSepOctNovDec";
    let month = MONTHS.chunks(3).position(|m| m == &b[8..11])? as i64 + 1;
    let (day, year) = (number(5, 7)?, number(12, 16)?);
    let (h, m, sec) = (number(17, 19)?, number(20, 22)?, number(23, 25)?);
    let days = days_from_civil(year, month, day);
    Some((days * 86_400 + h * 3600 + m * 60 + sec) as f64)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}
