//! `outrig-wasm`: the protocol core for JavaScript. The hand-written JS layer (`js/`) does
//! fetch, streams, iterators and error classes; every protocol decision it needs comes from
//! here, i.e. from `outrig-api`: SSE framing and the SDKs' message rules, the retry policy
//! (and, in `StreamMachine`, the whole resumable stream: reconnects, backfill, de-duplication, when to give up), headers, and query encoding. Event JSON is parsed by the JS engine's own `JSON.parse`
//! (faster there, and it keeps serde_json out of the wasm).
#![warn(missing_docs)]

mod stream_machine;

use outrig_api::error::ErrorClass;
use outrig_api::request::{Credentials, Query, Secret};
use outrig_api::retry::{Attempt, RetryPolicy};
use outrig_api::sse::{SseDecoder, SseMessage, DEFAULT_MAX_LINE};
use outrig_api::stream::{classify, Frame};
use wasm_bindgen::prelude::*;

/// Incremental SSE decoding with the SDKs' rules. `push` returns a flat array
/// `[kind, data, kind, data, …]` where kind is `"event"` (data = event JSON) or `"error"`
/// (data = error envelope JSON; the stream ends).
#[wasm_bindgen]
pub struct EventParser {
    sse: SseDecoder,
    messages: Vec<SseMessage>,
}

#[wasm_bindgen]
impl EventParser {
    /// A parser refusing lines longer than `max_line` bytes (default 16 MiB).
    #[wasm_bindgen(constructor)]
    pub fn new(max_line: Option<usize>) -> EventParser {
        EventParser {
            sse: SseDecoder::new(max_line.unwrap_or(DEFAULT_MAX_LINE)),
            messages: Vec::new(),
        }
    }

    /// Feeds a chunk of the response body.
    pub fn push(&mut self, chunk: &[u8]) -> Result<Vec<String>, JsError> {
        let framing = self.sse.push(chunk, &mut self.messages);
        let mut out = Vec::new();
        for message in self.messages.drain(..) {
            match classify(&message) {
                Frame::Skip => {}
                Frame::Event(data) => out.extend(["event".to_string(), data.to_string()]),
                Frame::Error(data) => out.extend(["error".to_string(), data.to_string()]),
            }
        }
        framing.map_err(|e| JsError::new(&e.to_string()))?;
        Ok(out)
    }

    /// Ends the body; returns whether an unterminated message was dropped.
    pub fn finish(&mut self) -> bool {
        self.sse.finish()
    }
}

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
