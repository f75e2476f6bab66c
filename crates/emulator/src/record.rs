//! `--record-from URL --record DIR`: the emulator forwards every API request to a real
//! Managed Agents API (the caller's key passed through, never written) and writes what
//! serves the same sessions offline later (`--replay DIR`): every agent, environment and
//! session object it answered (`objects.jsonl`, the last one of an id wins), and each
//! session's events in log order, once each, with the milliseconds since the session's
//! first recorded event (`sessions/ID.jsonl`). Events come from streams and event lists
//! alike.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use outrig_api::routes::{Route, SESSIONS_EVENTS_LIST, SESSIONS_EVENTS_STREAM};
use outrig_api::sse::SseDecoder;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Where to record from and to.
#[derive(Debug, Clone)]
pub struct Recording {
    /// The API forwarded to, e.g. `https://api.anthropic.com`.
    pub upstream: String,
    /// The directory written (created; must be empty if it exists).
    pub dir: PathBuf,
}

/// Object types kept for a replay.
pub const KEPT_TYPES: [&str; 3] = ["agent", "environment", "session"];

/// One session's transcript being written.
struct Transcript {
    first: Instant,
    seen: HashSet<String>,
    file: std::fs::File,
}

/// The recording proxy.
pub struct Recorder {
    upstream: String,
    dir: PathBuf,
    http: reqwest::Client,
    max_body: usize,
    objects: Mutex<std::fs::File>,
    transcripts: Mutex<HashMap<String, Transcript>>,
}

impl Recorder {
    /// Prepares `recording.dir` (refusing one with files in it).
    pub fn open(recording: &Recording, max_body: usize) -> anyhow::Result<Arc<Self>> {
        let dir = &recording.dir;
        if dir.exists() {
            anyhow::ensure!(
                std::fs::read_dir(dir)?.next().is_none(),
                "{}: not empty; a recording goes into a new or empty directory",
                dir.display()
            );
        }
        std::fs::create_dir_all(dir.join("sessions"))?;
        let objects = std::fs::File::create(dir.join("objects.jsonl"))?;
        Ok(Arc::new(Recorder {
            upstream: recording.upstream.trim_end_matches('/').to_string(),
            dir: dir.clone(),
            http: reqwest::Client::new(),
            max_body,
            objects: Mutex::new(objects),
            transcripts: Mutex::new(HashMap::new()),
        }))
    }

    /// The router that forwards and records everything.
    pub fn router(self: Arc<Self>) -> axum::Router {
        axum::Router::new().fallback(forward).with_state(self)
    }

    fn object(&self, object: &Value) {
        let kept = object["type"]
            .as_str()
            .is_some_and(|t| KEPT_TYPES.contains(&t))
            && object["id"].is_string();
        if kept {
            let mut file = self.objects.lock().unwrap_or_else(|p| p.into_inner());
            if let Err(error) = writeln!(file, "{object}") {
                tracing::error!("recording an object: {error}");
            }
        }
    }

    fn event(&self, session_id: &str, event: &Value) {
        let Some(id) = event["id"].as_str() else {
            return; // previews (`event_start`, `event_delta`) are not part of the log
        };
        let mut transcripts = self.transcripts.lock().unwrap_or_else(|p| p.into_inner());
        let transcript = match transcripts.entry(session_id.to_string()) {
            std::collections::hash_map::Entry::Occupied(t) => t.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => {
                let path = transcript_path(&self.dir, session_id);
                match std::fs::File::create(&path) {
                    Ok(file) => v.insert(Transcript {
                        first: Instant::now(),
                        seen: HashSet::new(),
                        file,
                    }),
                    Err(error) => {
                        tracing::error!("{}: {error}", path.display());
                        return;
                    }
                }
            }
        };
        if transcript.seen.insert(id.to_string()) {
            let after_ms = transcript.first.elapsed().as_millis() as u64;
            let line = json!({"after_ms": after_ms, "event": event});
            if let Err(error) = writeln!(transcript.file, "{line}") {
                tracing::error!("recording an event: {error}");
            }
        }
    }

    /// Records what a whole (not streamed) answer holds.
    fn answer(&self, route: Option<&Route>, session_id: Option<&str>, body: &[u8]) {
        let Ok(value) = serde_json::from_slice::<Value>(body) else {
            return;
        };
        let items = match value["data"].as_array() {
            Some(items) => items.clone(),
            None => vec![value],
        };
        for item in &items {
            match (route, session_id) {
                (Some(r), Some(session)) if r.name == SESSIONS_EVENTS_LIST.name => {
                    self.event(session, item)
                }
                _ => self.object(item),
            }
        }
    }
}

/// `DIR/sessions/ID.jsonl` (ids are `[A-Za-z0-9_]`; anything else is replaced).
pub fn transcript_path(dir: &Path, session_id: &str) -> PathBuf {
    let safe: String = session_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    dir.join("sessions").join(format!("{safe}.jsonl"))
}

/// The session id of a `/v1/sessions/{id}/…` path.
fn session_of(path: &str) -> Option<&str> {
    path.strip_prefix("/v1/sessions/")?.split('/').next()
}

async fn forward(State(recorder): State<Arc<Recorder>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, recorder.max_body).await else {
        return failure(StatusCode::PAYLOAD_TOO_LARGE, "request body too large");
    };
    let path = parts.uri.path().to_string();
    let route = Route::of_request(parts.method.as_str(), &path);
    let url = format!(
        "{}{}",
        recorder.upstream,
        parts.uri.path_and_query().map_or("/", |p| p.as_str())
    );
    let mut upstream = recorder.http.request(parts.method.clone(), url).body(body);
    for (name, value) in &parts.headers {
        if name != "host" && name != "content-length" {
            upstream = upstream.header(name, value);
        }
    }
    let answer = match upstream.send().await {
        Ok(answer) => answer,
        Err(error) => {
            // The error names the URL, never a header: the key stays out of it.
            return failure(
                StatusCode::BAD_GATEWAY,
                &format!("the upstream API cannot be reached: {error}"),
            );
        }
    };
    let mut response = Response::builder().status(answer.status().as_u16());
    for (name, value) in answer.headers() {
        if name != "content-length" && name != "transfer-encoding" {
            response = response.header(name, value);
        }
    }
    let session = session_of(&path).map(str::to_string);
    let streamed = route.is_some_and(|r| r.name == SESSIONS_EVENTS_STREAM.name);
    let body = if streamed && answer.status().is_success() {
        let session = session.unwrap_or_default();
        let mut decoder = SseDecoder::default();
        let recording = recorder.clone();
        Body::from_stream(answer.bytes_stream().map(move |chunk| {
            if let Ok(bytes) = &chunk {
                let mut messages = Vec::new();
                if decoder.push(bytes, &mut messages).is_ok() {
                    for message in messages {
                        if let Ok(event) = serde_json::from_str::<Value>(&message.data) {
                            recording.event(&session, &event);
                        }
                    }
                }
            }
            chunk.map_err(std::io::Error::other)
        }))
    } else {
        let status = answer.status();
        let bytes: Bytes = match answer.bytes().await {
            Ok(bytes) => bytes,
            Err(error) => {
                return failure(
                    StatusCode::BAD_GATEWAY,
                    &format!("the upstream API's answer broke off: {error}"),
                )
            }
        };
        if status.is_success() {
            recorder.answer(route, session.as_deref(), &bytes);
        }
        Body::from(bytes)
    };
    response
        .body(body)
        .unwrap_or_else(|_| failure(StatusCode::BAD_GATEWAY, "unreadable upstream answer"))
}

fn failure(status: StatusCode, message: &str) -> Response {
    crate::http::ApiFailure::new(status, message.to_string()).into_response()
}
