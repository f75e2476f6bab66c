//! `outrig-wasm`: the protocol core for JavaScript. The hand-written JS layer (`js/`) does
//! fetch, streams, iterators and error classes; every protocol decision it needs comes from
//! here, i.e. from `outrig-api`: SSE framing and the SDKs' message rules, the retry policy
//! (and, in `StreamMachine`, the whole resumable stream: reconnects, backfill, de-duplication, when to give up), headers, and query encoding. Event JSON is parsed by the JS engine's own `JSON.parse`
//! (faster there, and it keeps serde_json out of the wasm).
#![warn(missing_docs)]

mod size_classes;
mod stream_machine;

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: size_classes::SizeClasses = size_classes::SizeClasses::new();

use outrig_api::error::ErrorClass;
use outrig_api::request::{Credentials, Query, Secret};
use outrig_api::retry::{Attempt, RetryPolicy};
use wasm_bindgen::prelude::*;

/// Seconds to wait before retry number `retries_made + 1`, or `undefined` to give up.
/// `status` is absent for a connection failure; headers are looked up in `headers`
/// (a `Headers` object or `undefined`).
#[wasm_bindgen(js_name = retryDelay)]
pub fn retry_delay(
    retries_made: u32,
    max_retries: u32,
    status: Option<u16>,
    headers: Option<js_sys::Object>,
) -> Option<f64> {
    let policy = RetryPolicy {
        max_retries,
        ..RetryPolicy::default()
    };
    let lookup = move |name: &str| -> Option<String> {
        let headers = headers.as_ref()?;
        let get = js_sys::Reflect::get(headers, &"get".into())
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()?;
        get.call1(headers, &name.into()).ok()?.as_string()
    };
    let attempt = match status {
        Some(status) => Attempt::Response {
            status,
            header: &lookup,
        },
        None => Attempt::ConnectionFailed,
    };
    policy
        .next_delay(
            retries_made,
            attempt,
            js_sys::Math::random(),
            js_sys::Date::now() / 1000.0,
        )
        .map(|d| d.as_secs_f64())
}

/// The request headers as a flat `[name, value, …]` array.
#[wasm_bindgen(js_name = requestHeaders)]
pub fn request_headers(
    api_key: Option<String>,
    betas: Vec<String>,
    workspace_id: Option<String>,
    direct_browser_access: bool,
    beta: Option<String>,
    retry_count: u32,
) -> Vec<String> {
    let credentials = Credentials {
        api_key: api_key.map(Secret::new),
        betas,
        workspace_id,
        direct_browser_access,
    };
    credentials
        .headers(beta.as_deref(), retry_count)
        .into_iter()
        .flat_map(|(name, value)| [name.to_string(), value])
        .collect()
}

/// `?a=1&types%5B%5D=x` from flat `[key, value, …]` pairs; array keys end with `[]`.
#[wasm_bindgen(js_name = encodeQuery)]
pub fn encode_query(pairs: Vec<String>) -> String {
    let mut query = Query::new();
    for pair in pairs.chunks(2) {
        if let [key, value] = pair {
            query = query.opt(key, Some(value));
        }
    }
    query.encode()
}

/// The SDK error class name for a status (`RateLimitError`, …; `APIError` otherwise).
#[wasm_bindgen(js_name = errorClass)]
pub fn error_class(status: Option<u16>) -> String {
    let name = match ErrorClass::from_status(status) {
        ErrorClass::BadRequest => "BadRequestError",
        ErrorClass::Authentication => "AuthenticationError",
        ErrorClass::PaymentRequired => "PaymentRequiredError",
        ErrorClass::PermissionDenied => "PermissionDeniedError",
        ErrorClass::NotFound => "NotFoundError",
        ErrorClass::RequestTimeout => "RequestTimeoutError",
        ErrorClass::Conflict => "ConflictError",
        ErrorClass::PreconditionFailed => "PreconditionFailedError",
        ErrorClass::ContentTooLarge => "ContentTooLargeError",
        ErrorClass::UnprocessableEntity => "UnprocessableEntityError",
        ErrorClass::RateLimit => "RateLimitError",
        ErrorClass::Overloaded => "OverloadedError",
        ErrorClass::ServiceUnavailable => "ServiceUnavailableError",
        ErrorClass::GatewayTimeout => "GatewayTimeoutError",
        ErrorClass::InternalServer => "InternalServerError",
        ErrorClass::Api => "APIError",
    };
    name.to_string()
}
