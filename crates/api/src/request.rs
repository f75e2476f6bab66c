//! The request side (spec §1.2–§1.3): credentials, headers, paths and query strings.

use std::fmt;

/// API version the SDKs send.
pub const ANTHROPIC_VERSION: &str = "2026-10-21";
/// Beta flag every managed-agents route needs.
pub const MANAGED_AGENTS_BETA: &str = "managed-agents-2026-04-01";
/// Beta header of the memory store endpoints.
pub const MEMORY_BETA: &str = "agent-memory-2026-07-22";
/// Beta header of the dreams endpoints.
pub const DREAMS_BETA: &str = "dreaming-2026-04-21";
/// Beta header of the MCP tunnel endpoints.
pub const TUNNELS_BETA: &str = "mcp-tunnels-2026-06-22";
/// The beta header of the organization webhook endpoints.
pub const WEBHOOKS_BETA: &str = "webhooks-2026-10-07";
/// Default base URL of the real service.
pub const DEFAULT_BASE_URL: &str = "https://api.anthropic.com";
/// Header a browser client adds when it opts in to direct browser access.
pub const DIRECT_BROWSER_ACCESS_HEADER: &str = "anthropic-dangerous-direct-browser-access";

/// A secret (API key or token). Its `Debug` and `Display` never show the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// On the wire a secret is its plain string; only `Debug` and `Display` hide it.
impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::new)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// What every request carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Credentials {
    /// API key, sent as `Authorization: Bearer` (as SDK 2.10/1.10 do).
    pub api_key: Option<Secret>,
    /// Extra betas, sent before the managed-agents one.
    pub betas: Vec<String>,
    /// `anthropic-workspace-id`, when the credential spans workspaces.
    pub workspace_id: Option<String>,
    /// Adds the direct-browser-access header (off by default).
    pub direct_browser_access: bool,
}

impl Credentials {
    /// Headers for one attempt of a request; `beta` is the endpoint's own beta flag (see
    /// [`crate::routes`]), sent after the caller's.
    pub fn headers(&self, beta: Option<&str>, retry_count: u32) -> Vec<(&'static str, String)> {
        let mut headers = Vec::new();
        self.each_header(beta, retry_count, |name, value| {
            headers.push((name, value.to_string()))
        });
        headers
    }

    /// [`Credentials::headers`] one by one, each name and value handed to `header`.
    pub fn each_header(
        &self,
        beta: Option<&str>,
        retry_count: u32,
        mut header: impl FnMut(&'static str, &str),
    ) {
        header("anthropic-version", ANTHROPIC_VERSION);
        header("accept", "application/json");
        header("x-stainless-retry-count", &retry_count.to_string());
        if let Some(key) = &self.api_key {
            header("authorization", &["Bearer ", key.expose()].concat());
        }
        if let Some(beta) = beta_header(&self.betas, beta) {
            header("anthropic-beta", &beta);
        }
        if let Some(workspace) = &self.workspace_id {
            header("anthropic-workspace-id", workspace);
        }
        if self.direct_browser_access {
            header(DIRECT_BROWSER_ACCESS_HEADER, "true");
        }
    }
}

/// The caller's betas followed by the endpoint's, comma-joined without spaces.
pub fn beta_header(betas: &[String], endpoint: Option<&str>) -> Option<String> {
    let mut all: Vec<&str> = betas.iter().map(String::as_str).collect();
    if let Some(beta) = endpoint.filter(|b| !all.contains(b)) {
        all.push(beta);
    }
    (!all.is_empty()).then(|| all.join(","))
}

/// Whether a raw `anthropic-beta` header value names `beta`.
pub fn beta_header_contains(value: &str, beta: &str) -> bool {
    value.split(',').any(|item| item.trim() == beta)
}

/// Percent-encodes a string for a path segment or query component (RFC 3986 unreserved kept).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(HEX[usize::from(byte >> 4)] as char);
            out.push(HEX[usize::from(byte & 15)] as char);
        }
    }
    out
}

/// Decodes `%XX` escapes and `+` (as space) in a query component.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(digit: u8) -> Option<u8> {
    (digit as char).to_digit(16).map(|d| d as u8)
}

/// Error for an id the SDKs would reject before sending.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a non-empty value for `{0}`")]
pub struct EmptyId(pub &'static str);

/// Builds `/v1/...` paths from segments, percent-encoding ids and rejecting empty ones.
pub fn path(parts: &[PathPart<'_>]) -> Result<String, EmptyId> {
    let mut out = String::from("/v1");
    for part in parts {
        out.push('/');
        match part {
            PathPart::Literal(text) => out.push_str(text),
            PathPart::Id(name, id) => {
                if id.is_empty() {
                    return Err(EmptyId(name));
                }
                out.push_str(&percent_encode(id));
            }
        }
    }
    Ok(out)
}

/// One segment of a path.
#[derive(Debug, Clone, Copy)]
pub enum PathPart<'a> {
    /// A fixed segment such as `sessions`.
    Literal(&'a str),
    /// A named id such as (`session_id`, `sesn_…`).
    Id(&'static str, &'a str),
}

/// `?k=v&…` from key/value pairs, each percent-encoded; the empty string for none.
pub fn encode_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (key, value) in pairs {
        out.push(if out.is_empty() { '?' } else { '&' });
        out.push_str(&percent_encode(key));
        out.push('=');
        out.push_str(&percent_encode(value));
    }
    out
}

/// A query string in the SDKs' encoding: arrays as `key[]=v`, ranges as `key[gte]=v`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query(Vec<(String, String)>);

impl Query {
    /// An empty query.
    pub fn new() -> Self {
        Query::default()
    }

    /// Adds `key=value` when `value` is `Some`.
    pub fn opt(mut self, key: &str, value: Option<impl ToString>) -> Self {
        if let Some(value) = value {
            self.0.push((key.to_string(), value.to_string()));
        }
        self
    }

    /// Adds `key[]=v` for each value.
    pub fn array<S: AsRef<str>>(mut self, key: &str, values: &[S]) -> Self {
        for value in values {
            self.0
                .push((format!("{key}[]"), value.as_ref().to_string()));
        }
        self
    }

    /// The pairs added so far.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// `?a=1&b%5B%5D=2`, or the empty string.
    pub fn encode(&self) -> String {
        encode_pairs(self.0.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }
}

/// Parses a raw query string into decoded pairs.
pub fn parse_query(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key), percent_decode(value))
        })
        .collect()
}

/// All values of an array parameter, accepting both `key[]=v` and repeated `key=v`.
pub fn query_array(pairs: &[(String, String)], key: &str) -> Vec<String> {
    let bracket = format!("{key}[]");
    pairs
        .iter()
        .filter(|(k, _)| k == key || *k == bracket)
        .map(|(_, v)| v.clone())
        .collect()
}

/// The last value of a scalar parameter.
pub fn query_value<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Whether `a` and `b` are equal, in time that depends on their lengths only (for
/// comparing secrets and tags).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}
