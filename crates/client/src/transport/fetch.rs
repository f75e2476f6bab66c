//! The `wasm32` transport: the runtime's global `fetch` (browsers, workers, Node, Deno,
//! workerd), the body read through a `ReadableStream` reader, and an `AbortController` that
//! cancels the request when its future or its body is dropped.

use super::{BoxFuture, HttpRequest, HttpResponse, Transport};
use crate::error::Error;
use bytes::Bytes;
use futures_util::StreamExt;
use js_sys::{Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, ReadableStreamDefaultReader, RequestInit, Response};

/// `globalThis.fetch`.
#[derive(Debug, Clone, Copy, Default)]
pub struct FetchTransport;

impl Transport for FetchTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        Box::pin(send(request))
    }
}

/// Aborts the request when dropped (a no-op once the body has been read).
struct AbortOnDrop(AbortController);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn send(request: HttpRequest) -> Result<HttpResponse, Error> {
    let abort = AbortOnDrop(AbortController::new().map_err(js_error)?);
    let init = RequestInit::new();
    init.set_method(request.method.as_str());
    init.set_signal(Some(&abort.0.signal()));
    let headers = Headers::new().map_err(js_error)?;
    for (name, value) in &request.headers {
        headers.set(name, value).map_err(js_error)?;
    }
    init.set_headers(&headers);
    if let Some(body) = &request.body {
        init.set_body(&Uint8Array::from(body.as_slice()));
    }
    let global = js_sys::global();
    let fetch: Function = Reflect::get(&global, &JsValue::from_str("fetch"))
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| Error::Connection("this runtime has no global fetch".into()))?;
    let promise: Promise = fetch
        .call2(&global, &JsValue::from_str(&request.url), &init)
        .map_err(js_error)?
        .unchecked_into();
    let response: Response = JsFuture::from(promise)
        .await
        .map_err(js_error)?
        .unchecked_into();
    Ok(HttpResponse {
        status: response.status(),
        headers: header_pairs(&response.headers()),
        body: body_stream(&response, abort),
    })
}

fn header_pairs(headers: &Headers) -> Vec<(String, String)> {
    let Ok(Some(entries)) = js_sys::try_iter(headers) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let pair: js_sys::Array = entry.dyn_into().ok()?;
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

/// Chunks from the body's reader; the abort guard lives as long as the stream.
fn body_stream(response: &Response, abort: AbortOnDrop) -> super::ByteStream {
    let Some(body) = response.body() else {
        return futures_util::stream::empty().boxed_local();
    };
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let chunks = futures_util::stream::unfold(Some((reader, abort)), |state| async move {
        let (reader, abort) = state?;
        match JsFuture::from(reader.read()).await {
            Err(error) => Some((Err(js_error(error)), None)),
            Ok(result) => {
                let done = Reflect::get(&result, &JsValue::from_str("done"))
                    .map(|d| d.is_truthy())
                    .unwrap_or(true);
                if done {
                    return None;
                }
                let value = Reflect::get(&result, &JsValue::from_str("value")).ok()?;
                let bytes = Bytes::from(Uint8Array::new(&value).to_vec());
                Some((Ok(bytes), Some((reader, abort))))
            }
        }
    });
    chunks.boxed_local()
}

/// A JS exception as a connection error (its message only; never the request).
fn js_error(value: JsValue) -> Error {
    let message = value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "fetch failed".into());
    Error::Connection(message)
}
