//! AWS Signature Version 4 (`AWS4-HMAC-SHA256`), as a pure function of the request, the
//! credentials, the scope and the time: the canonical request, the string to sign and the
//! `Authorization` header value. Amazon Bedrock's Managed Agents API takes it with service
//! `bedrock`. Checked against AWS's published test suite (`tests/sigv4_vectors.rs`).

use crate::request::Secret;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::fmt::Write;

/// The algorithm name in the string to sign and the header.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// AWS credentials. The secret never shows in `Debug` or in any error.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The access key id (`AKIA…`, `ASIA…`).
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: Secret,
    /// The session token of temporary credentials, sent as `x-amz-security-token`.
    pub session_token: Option<Secret>,
}

/// Where a signature is valid: the date, region and service.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    /// The request time, `YYYYMMDDTHHMMSSZ` (also sent as `x-amz-date`).
    pub amz_date: &'a str,
    /// The region, e.g. `us-east-1`.
    pub region: &'a str,
    /// The service, e.g. `bedrock`.
    pub service: &'a str,
}

impl Scope<'_> {
    /// `YYYYMMDD/region/service/aws4_request`.
    pub fn credential_scope(&self) -> String {
        let date = self.amz_date.get(..8).unwrap_or(self.amz_date);
        format!("{date}/{}/{}/aws4_request", self.region, self.service)
    }
}

/// A request to sign: its method, path and raw query as sent, every header that is to be
/// signed (names in any case; a name given twice is one header with the values joined by
/// commas, in order) and its body.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// `GET`, `POST`, …
    pub method: &'a str,
    /// The path as sent (`/anthropic/v1/agents`).
    pub path: &'a str,
    /// The query string as sent, without `?` (empty for none).
    pub query: &'a str,
    /// The headers to sign, `host` and `x-amz-date` among them.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body.
    pub body: &'a [u8],
}

/// The canonical request (task 1 of the signing process).
pub fn canonical_request(request: &Request<'_>) -> String {
    let (headers, signed) = canonical_headers(request.headers);
    format!(
        "{}\n{}\n{}\n{headers}\n{signed}\n{}",
        request.method,
        canonical_path(request.path),
        canonical_query(request.query),
        hex(&Sha256::digest(request.body)),
    )
}

/// The string to sign (task 2).
pub fn string_to_sign(canonical_request: &str, scope: &Scope<'_>) -> String {
    format!(
        "{ALGORITHM}\n{}\n{}\n{}",
        scope.amz_date,
        scope.credential_scope(),
        hex(&Sha256::digest(canonical_request.as_bytes()))
    )
}

/// The signature (task 3), hex.
pub fn signature(string_to_sign: &str, secret: &Secret, scope: &Scope<'_>) -> String {
    let date = scope.amz_date.get(..8).unwrap_or(scope.amz_date);
    let key = [date, scope.region, scope.service, "aws4_request"]
        .iter()
        .fold(
            format!("AWS4{}", secret.expose()).into_bytes(),
            |key, part| hmac(&key, part.as_bytes()),
        );
    hex(&hmac(&key, string_to_sign.as_bytes()))
}

/// The `Authorization` header value for `request` (task 4).
pub fn authorization(
    request: &Request<'_>,
    credentials: &Credentials,
    scope: &Scope<'_>,
) -> String {
    let canonical = canonical_request(request);
    let to_sign = string_to_sign(&canonical, scope);
    let (_, signed) = canonical_headers(request.headers);
    format!(
        "{ALGORITHM} Credential={}/{}, SignedHeaders={signed}, Signature={}",
        credentials.access_key_id,
        scope.credential_scope(),
        signature(&to_sign, &credentials.secret_access_key, scope)
    )
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// The path with `.` and `..` segments resolved and empty segments dropped (a trailing
/// slash kept), each segment percent-encoded as SigV4 requires.
fn canonical_path(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            segment => segments.push(segment),
        }
    }
    let trailing = !segments.is_empty()
        && (path.ends_with('/') || path.ends_with("/.") || path.ends_with("/.."));
    let mut out = String::from("/");
    out.push_str(
        &segments
            .iter()
            .map(|s| encode(&decode(s)))
            .collect::<Vec<_>>()
            .join("/"),
    );
    if trailing {
        out.push('/');
    }
    out
}

/// The query's parameters, each name and value percent-encoded, sorted by name, then value.
fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (encode(&decode(name)), encode(&decode(value)))
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// The canonical headers block (each `name:value\n`, sorted) and the signed-headers list.
fn canonical_headers(headers: &[(&str, &str)]) -> (String, String) {
    let mut joined: Vec<(String, String)> = Vec::new();
    for (name, value) in headers {
        let name = name.to_ascii_lowercase();
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        match joined.iter_mut().find(|(n, _)| *n == name) {
            Some((_, values)) => {
                values.push(',');
                values.push_str(&value);
            }
            None => joined.push((name, value)),
        }
    }
    joined.sort();
    let block = joined
        .iter()
        .map(|(name, value)| format!("{name}:{value}\n"))
        .collect();
    let signed = joined
        .iter()
        .map(|(name, _)| name.as_str())
        .collect::<Vec<_>>()
        .join(";");
    (block, signed)
}

/// Percent-encoding with SigV4's rule: everything but `A-Z a-z 0-9 - _ . ~`, as `%XX`.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// Undoes percent-encoding (so an already encoded name is not encoded twice); a `%` not
/// followed by two hex digits stays as it is.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex_at = |at: usize| bytes.get(at).and_then(|b| (*b as char).to_digit(16));
        match (bytes[i], hex_at(i + 1), hex_at(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
