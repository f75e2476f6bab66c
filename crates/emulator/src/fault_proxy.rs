//! A reverse proxy that injects faults between a client and an API (the emulator, in
//! tests): `user.custom_tool_result` POSTs answered 503 without reaching the API, or
//! forwarded and accepted but their response lost (the connection breaks after the
//! headers); stream connections that start with a garbled event, or are cut after some
//! bytes. Everything else passes through unchanged, streams included. It also counts
//! what passes (requests, streams opened and still open). Feature `fault-proxy`.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use futures_util::StreamExt;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;

/// The faults to inject, changeable while the proxy runs.
#[derive(Debug, Default)]
pub struct Faults {
    /// The next this-many result POSTs are answered 503 and never forwarded.
    pub reject_results: AtomicU32,
    /// The next this-many result POSTs are forwarded (the API accepts them), but their
    /// response is cut after the headers.
    pub lose_result_responses: AtomicU32,
    /// Every stream connection starts with a malformed event.
    pub garble_streams: AtomicBool,
    /// Every stream connection is closed after this many bytes (0: never).
    pub cut_streams_after: AtomicU64,
    /// Result POSTs seen, faulty or not.
    pub result_posts: AtomicU32,
    /// Stream connections opened.
    pub streams: AtomicU32,
    /// Stream connections open now.
    pub open_streams: AtomicI64,
    /// Requests of any kind.
    pub requests: AtomicU64,
}

/// Counts a stream as open until its body is dropped.
struct OpenStream(Arc<Faults>);

impl Drop for OpenStream {
    fn drop(&mut self) {
        self.0.open_streams.fetch_sub(1, Ordering::SeqCst);
    }
}

struct Proxy {
    upstream: String,
    faults: Arc<Faults>,
    http: reqwest::Client,
}

/// Starts a proxy on a free loopback port in front of `upstream`; returns its base URL.
pub async fn start(upstream: &str, faults: Arc<Faults>) -> std::io::Result<String> {
    let proxy = Arc::new(Proxy {
        upstream: upstream.trim_end_matches('/').to_string(),
        faults,
        http: reqwest::Client::new(),
    });
    let app = axum::Router::new().fallback(forward).with_state(proxy);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    outrig_listen::spawn(listener, app);
    Ok(base)
}

/// Takes one from a fault counter, if any is left.
fn take(counter: &AtomicU32) -> bool {
    counter
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
}

async fn forward(State(proxy): State<Arc<Proxy>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, 64 << 20).await else {
        return status(StatusCode::BAD_REQUEST);
    };
    let faults = &proxy.faults;
    faults.requests.fetch_add(1, Ordering::SeqCst);
    let needle = b"\"user.custom_tool_result\"";
    let is_result =
        parts.method == axum::http::Method::POST && body.windows(needle.len()).any(|w| w == needle);
    let is_stream = parts.uri.path().ends_with("/events/stream");
    if is_result {
        faults.result_posts.fetch_add(1, Ordering::SeqCst);
        if take(&faults.reject_results) {
            return status(StatusCode::SERVICE_UNAVAILABLE);
        }
    }
    let url = format!(
        "{}{}",
        proxy.upstream,
        parts.uri.path_and_query().map_or("/", |p| p.as_str())
    );
    let mut upstream = proxy.http.request(parts.method.clone(), url).body(body);
    for (name, value) in &parts.headers {
        if name != "host" && name != "content-length" {
            upstream = upstream.header(name, value);
        }
    }
    let answer = match upstream.send().await {
        Ok(answer) => answer,
        Err(error) => return unreachable_upstream(&error),
    };
    let mut response = Response::builder().status(answer.status().as_u16());
    for (name, value) in answer.headers() {
        if name != "content-length" && name != "transfer-encoding" {
            response = response.header(name, value);
        }
    }
    let lose = is_result && answer.status().is_success() && take(&faults.lose_result_responses);
    let bytes = answer
        .bytes_stream()
        .map(|chunk| chunk.map_err(std::io::Error::other));
    let body = if lose {
        drop(bytes);
        Body::from_stream(futures_util::stream::once(async {
            Err::<bytes::Bytes, _>(std::io::Error::other("response lost on purpose"))
        }))
    } else if is_stream {
        faults.streams.fetch_add(1, Ordering::SeqCst);
        faults.open_streams.fetch_add(1, Ordering::SeqCst);
        let open = OpenStream(faults.clone());
        let bytes = bytes.map(move |chunk| {
            let _open = &open;
            chunk
        });
        let garbled = faults.garble_streams.load(Ordering::SeqCst).then(|| {
            Ok(bytes::Bytes::from_static(
                b"event: agent.custom_tool_use\ndata: {\"type\":\"agent.custom_tool_use\",\"id\":\n\n",
            ))
        });
        let head = futures_util::stream::iter(garbled);
        match faults.cut_streams_after.load(Ordering::SeqCst) {
            0 => Body::from_stream(head.chain(bytes)),
            limit => Body::from_stream(head.chain(cut_after(bytes, limit))),
        }
    } else {
        Body::from_stream(bytes)
    };
    response
        .body(body)
        .unwrap_or_else(|_| status(StatusCode::BAD_GATEWAY))
}

/// The stream's first `limit` bytes, then its end.
fn cut_after(
    bytes: impl futures_util::Stream<Item = std::io::Result<bytes::Bytes>> + Send + 'static,
    limit: u64,
) -> impl futures_util::Stream<Item = std::io::Result<bytes::Bytes>> + Send + 'static {
    bytes.scan(limit, |left, chunk| {
        if *left == 0 {
            return std::future::ready(None);
        }
        std::future::ready(Some(chunk.map(|mut chunk| {
            let keep = (chunk.len() as u64).min(*left);
            *left -= keep;
            chunk.truncate(keep as usize);
            chunk
        })))
    })
}

/// An injected fault.
fn status(code: StatusCode) -> Response {
    error_response(code, &format!("injected fault: {code}"))
}

/// The API could not be reached through the proxy (not an injected fault).
fn unreachable_upstream(error: &reqwest::Error) -> Response {
    error_response(
        StatusCode::BAD_GATEWAY,
        &format!("the proxy cannot reach the API: {error}"),
    )
}

fn error_response(code: StatusCode, message: &str) -> Response {
    let body =
        serde_json::json!({"type": "error", "error": {"type": "api_error", "message": message}});
    Response::builder()
        .status(code)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .expect("a static response builds")
}
