//! `outrig-wasm`: the protocol core for JavaScript. The hand-written JS layer (`js/`) does
//! fetch, streams, iterators and error classes; every protocol decision it needs comes from
//! here, i.e. from `outrig-api`: SSE framing and the SDKs' message rules, the retry policy
//! (and, in `StreamMachine`, the whole resumable stream: reconnects, backfill, de-duplication, when to give up), headers, and query encoding. Event JSON is parsed by the JS engine's own `JSON.parse`
//! (faster there, and it keeps serde_json out of the wasm).
#![warn(missing_docs)]

mod batch;
mod latin1;
mod size_classes;
mod stream_machine;
mod utf16;

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: size_classes::SizeClasses = size_classes::SizeClasses::new();

use outrig_api::error::ErrorClass;
use outrig_api::request::{encode_pairs, Credentials, Secret};
use outrig_api::retry::{Attempt, RetryPolicy, RETRY_HEADERS};
use outrig_api::scan::split_ascii;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `Math.random()`: the retry delay's jitter.
    #[wasm_bindgen(js_namespace = Math)]
    fn random() -> f64;
    /// `Date.now()`: a `retry-after` date is compared with it.
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn now_ms() -> f64;
}

/// The response headers `retryDelay` reads, NUL-joined, in the order it takes their values.
#[wasm_bindgen(js_name = retryHeaders)]
pub fn retry_headers() -> String {
    RETRY_HEADERS.join("\0")
}

/// Seconds to wait before retry number `retries_made + 1`, or `undefined` to give up.
/// `status` is absent for a connection failure; `header_values` are the values of
/// [`retry_headers`], NUL-joined (an empty value counts as absent).
#[wasm_bindgen(js_name = retryDelay)]
pub fn retry_delay(
    retries_made: u32,
    max_retries: u32,
    status: Option<u16>,
    header_values: &str,
) -> Option<f64> {
    let policy = RetryPolicy {
        max_retries,
        ..RetryPolicy::default()
    };
    let lookup = |name: &str| -> Option<String> {
        let at = RETRY_HEADERS.iter().position(|known| *known == name)?;
        let value = split_ascii(header_values, 0).nth(at)?;
        (!value.is_empty()).then(|| value.to_string())
    };
    let attempt = match status {
        Some(status) => Attempt::Response {
            status,
            header: &lookup,
        },
        None => Attempt::ConnectionFailed,
    };
    policy
        .next_delay(retries_made, attempt, random(), now_ms() / 1000.0)
        .map(|d| d.as_secs_f64())
}

/// The request headers as `name\0value\0…`; `betas` are joined by NUL too (strings, not
/// arrays, cross the boundary: array conversions were a tenth of this module).
#[wasm_bindgen(js_name = requestHeaders)]
pub fn request_headers(
    api_key: Option<String>,
    betas: &str,
    workspace_id: Option<String>,
    direct_browser_access: bool,
    beta: Option<String>,
    retry_count: u32,
) -> String {
    let credentials = Credentials {
        api_key: api_key.map(Secret::new),
        betas: split_ascii(betas, 0)
            .filter(|b| !b.is_empty())
            .map(str::to_string)
            .collect(),
        workspace_id,
        direct_browser_access,
    };
    let mut flat = String::new();
    credentials.each_header(beta.as_deref(), retry_count, |name, value| {
        push_field(&mut flat, name);
        push_field(&mut flat, value);
    });
    flat
}

/// Appends `text` to NUL-separated `out` (the form strings cross the boundary in).
fn push_field(out: &mut String, text: &str) {
    if !out.is_empty() {
        out.push('\0');
    }
    out.push_str(text);
}

/// `?a=1&types%5B%5D=x` from `key\0value\0…` (no NUL inside a key or value); array keys
/// end with `[]`.
#[wasm_bindgen(js_name = encodeQuery)]
pub fn encode_query(pairs: &str) -> String {
    let mut fields = split_ascii(pairs, 0);
    encode_pairs(std::iter::from_fn(|| {
        Some((fields.next()?, fields.next()?))
    }))
}

/// The SDK error class for a status, as its place in `ErrorClass` (`client.js` lists the
/// classes in that order): a number crosses the boundary in less code than a name.
#[wasm_bindgen(js_name = errorClass)]
pub fn error_class(status: Option<u16>) -> u8 {
    ErrorClass::from_status(status) as u8
}
