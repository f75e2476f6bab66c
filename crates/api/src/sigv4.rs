//! AWS Signature Version 4 (`AWS4-HMAC-SHA256`), as a pure function of the request, the
//! credentials, the scope and the time: the canonical request, the string to sign and the
//! `Authorization` header value. Amazon Bedrock's Managed Agents API takes it with service
//! `bedrock`. Checked against AWS's published test suite (`tests/sigv4_vectors.rs`).

use crate::digest::{hex, sha256_hex};
use crate::request::{percent_encode, Secret};
use hmac::{Hmac, Mac};
use sha2::Sha256;

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
        sha256_hex(request.body),
    )
}

/// The string to sign (task 2).
pub fn string_to_sign(canonical_request: &str, scope: &Scope<'_>) -> String {
    format!(
        "{ALGORITHM}\n{}\n{}\n{}",
        scope.amz_date,
        scope.credential_scope(),
        sha256_hex(canonical_request.as_bytes())
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

/// `YYYYMMDDTHHMMSSZ` for a time in seconds since the epoch (`x-amz-date`).
pub fn amz_date(unix_secs: i64) -> String {
    let iso = crate::time::rfc3339_from_micros(unix_secs.saturating_mul(1_000_000));
    let digits: String = iso
        .get(..19)
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == 'T')
        .collect();
    digits + "Z"
}

/// Seconds since the epoch of an `x-amz-date` (`YYYYMMDDTHHMMSSZ`).
pub fn parse_amz_date(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let iso = format!(
        "{}-{}-{}T{}:{}:{}Z",
        text.get(0..4)?,
        text.get(4..6)?,
        text.get(6..8)?,
        text.get(9..11)?,
        text.get(11..13)?,
        text.get(13..15)?
    );
    crate::time::parse_rfc3339_micros(&iso).map(|micros| micros / 1_000_000)
}

/// Who signs, for which service and region.
#[derive(Debug, Clone, Copy)]
pub struct Signer<'a> {
    /// The credentials.
    pub credentials: &'a Credentials,
    /// The region, e.g. `us-east-1`.
    pub region: &'a str,
    /// The service, e.g. `bedrock`.
    pub service: &'a str,
}

impl Signer<'_> {
    /// Signs a request to an absolute `url` at `unix_secs`: the headers to add to it
    /// (`x-amz-date`, `x-amz-security-token` for temporary credentials, `authorization`),
    /// computed over `headers` (any `authorization` among them is left out), the URL's
    /// `host` and the body. `host` itself is not returned: HTTP clients send it from the
    /// URL (and browsers' `fetch` refuses to set it).
    pub fn sign(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
        unix_secs: i64,
    ) -> Result<Vec<(&'static str, String)>, SignError> {
        let rest = url
            .split_once("://")
            .map(|(_, rest)| rest)
            .ok_or(SignError::NotAbsolute)?;
        let (authority, path_and_query) =
            rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
        let host = authority.rsplit('@').next().unwrap_or(authority);
        if host.is_empty() {
            return Err(SignError::NotAbsolute);
        }
        let (path, query) = path_and_query
            .split_once('?')
            .unwrap_or((path_and_query, ""));
        let path = if path.is_empty() { "/" } else { path };
        let date = amz_date(unix_secs);
        let mut added = vec![("x-amz-date", date.clone())];
        if let Some(token) = &self.credentials.session_token {
            added.push(("x-amz-security-token", token.expose().to_string()));
        }
        let mut signed: Vec<(&str, &str)> = headers
            .iter()
            .filter(|(name, _)| {
                !name.eq_ignore_ascii_case("authorization") && !name.eq_ignore_ascii_case("host")
            })
            .copied()
            .collect();
        signed.push(("host", host));
        signed.extend(added.iter().map(|(name, value)| (*name, value.as_str())));
        let scope = Scope {
            amz_date: &date,
            region: self.region,
            service: self.service,
        };
        let request = Request {
            method,
            path,
            query,
            headers: &signed,
            body,
        };
        added.push((
            "authorization",
            authorization(&request, self.credentials, &scope),
        ));
        Ok(added)
    }
}

/// Why a request could not be signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    /// The URL has no scheme or host.
    #[error("a signed request needs an absolute URL (scheme and host)")]
    NotAbsolute,
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
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
            .map(|s| percent_encode(&decode(s)))
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
            (
                percent_encode(&decode(name)),
                percent_encode(&decode(value)),
            )
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

/// The parts of an `Authorization: AWS4-HMAC-SHA256 …` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// The access key id.
    pub access_key_id: String,
    /// `YYYYMMDD`.
    pub date: String,
    /// The region.
    pub region: String,
    /// The service.
    pub service: String,
    /// The signed header names, lower case, in the order given.
    pub signed_headers: Vec<String>,
    /// The signature, hex.
    pub signature: String,
}

/// Why a signed request is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The header is not a SigV4 `Authorization`.
    #[error("the Authorization header is not AWS4-HMAC-SHA256 with Credential, SignedHeaders and Signature")]
    Malformed,
    /// The access key is not known.
    #[error("the access key `{0}` is not known")]
    UnknownKey(String),
    /// Signed for another service or region than this endpoint's.
    #[error("signed for service `{service}` in `{region}`, not `{expected_service}` in `{expected_region}`")]
    WrongScope {
        /// The signed service.
        service: String,
        /// The signed region.
        region: String,
        /// This endpoint's service.
        expected_service: String,
        /// This endpoint's region.
        expected_region: String,
    },
    /// A header the signature covers is missing (`host` and `x-amz-date` must be signed).
    #[error("the signed header `{0}` is missing")]
    MissingHeader(String),
    /// The signature does not match the request.
    #[error("the request signature does not match")]
    Mismatch,
}

/// Reads an `Authorization` header value.
pub fn parse_authorization(value: &str) -> Result<Authorization, VerifyError> {
    let rest = value
        .strip_prefix(ALGORITHM)
        .and_then(|r| r.strip_prefix(' '))
        .ok_or(VerifyError::Malformed)?;
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        match part.trim().split_once('=') {
            Some(("Credential", v)) => credential = Some(v),
            Some(("SignedHeaders", v)) => signed = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => return Err(VerifyError::Malformed),
        }
    }
    let credential: Vec<&str> = credential
        .ok_or(VerifyError::Malformed)?
        .split('/')
        .collect();
    let [key, date, region, service, "aws4_request"] = credential[..] else {
        return Err(VerifyError::Malformed);
    };
    let signature = signature.ok_or(VerifyError::Malformed)?;
    if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(VerifyError::Malformed);
    }
    Ok(Authorization {
        access_key_id: key.to_string(),
        date: date.to_string(),
        region: region.to_string(),
        service: service.to_string(),
        signed_headers: signed
            .ok_or(VerifyError::Malformed)?
            .split(';')
            .map(str::to_ascii_lowercase)
            .collect(),
        signature: signature.to_ascii_lowercase(),
    })
}

/// Checks a received request's SigV4 signature: `headers` are every header received (the
/// `Authorization` among them), `secret_of` gives the secret of an access key id, and the
/// signature must be for `service` in `region`. The signature is recomputed over the headers
/// it says it signed and compared in constant time. (How old `x-amz-date` may be is the
/// caller's rule.)
pub fn verify(
    request: &Request<'_>,
    secret_of: impl Fn(&str) -> Option<Secret>,
    region: &str,
    service: &str,
) -> Result<Authorization, VerifyError> {
    fn values<'a>(headers: &[(&'a str, &'a str)], name: &str) -> Vec<&'a str> {
        headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
            .collect()
    }
    let header = |name: &str| values(request.headers, name).into_iter();
    let value = header("authorization")
        .next()
        .ok_or(VerifyError::Malformed)?;
    let authorization = parse_authorization(value)?;
    if authorization.service != service || authorization.region != region {
        return Err(VerifyError::WrongScope {
            service: authorization.service,
            region: authorization.region,
            expected_service: service.into(),
            expected_region: region.into(),
        });
    }
    for required in ["host", "x-amz-date"] {
        if !authorization.signed_headers.iter().any(|h| h == required) {
            return Err(VerifyError::MissingHeader(required.into()));
        }
    }
    let mut signed: Vec<(&str, &str)> = Vec::new();
    for name in &authorization.signed_headers {
        let before = signed.len();
        signed.extend(header(name).map(|value| (name.as_str(), value)));
        if signed.len() == before {
            return Err(VerifyError::MissingHeader(name.clone()));
        }
    }
    let secret = secret_of(&authorization.access_key_id)
        .ok_or_else(|| VerifyError::UnknownKey(authorization.access_key_id.clone()))?;
    let amz_date = header("x-amz-date").next().unwrap_or_default();
    if amz_date.get(..8) != Some(authorization.date.as_str()) {
        return Err(VerifyError::Mismatch);
    }
    let scope = Scope {
        amz_date,
        region,
        service,
    };
    let to_sign = string_to_sign(
        &canonical_request(&Request {
            headers: &signed,
            ..*request
        }),
        &scope,
    );
    let expected = signature(&to_sign, &secret, &scope);
    if !crate::request::constant_time_eq(expected.as_bytes(), authorization.signature.as_bytes()) {
        return Err(VerifyError::Mismatch);
    }
    Ok(authorization)
}
