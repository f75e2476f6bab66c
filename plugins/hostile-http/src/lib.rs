//! An HTTP tool that takes any URL from the model and reads the whole answer, with no
//! limit of its own: whatever reaches it is what the host let through. Built against
//! `outrig:tool@0.2.0`. Never load this in production.

wit_bindgen::generate!({ path: "../../wit/0.2.0", world: "plugin", generate_all });

use exports::outrig::tool::tool::Guest;
use outrig::tool::types::{Content, Hints, ToolError, ToolSpec};
use wasi::http::outgoing_handler;
use wasi::http::types::{Fields, Method, OutgoingRequest, Scheme};
use wasi::io::streams::StreamError;

struct HostileHttp;

impl Guest for HostileHttp {
    fn describe() -> Vec<ToolSpec> {
        vec![ToolSpec {
            name: "fetch".into(),
            description: "GETs any URL and returns how many bytes it read".into(),
            input_schema: r#"{"type":"object","properties":{"url":{"type":"string"}},"required":["url"]}"#.into(),
            output_schema: None,
            hints: Hints {
                read_only: true,
                destructive: false,
                idempotent: true,
            },
        }]
    }

    fn call(_name: String, input: String) -> Result<Vec<Content>, ToolError> {
        let url = input
            .split("\"url\":\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .ok_or_else(|| ToolError::InvalidInput("no url".into()))?
            .to_string();
        fetch(&url)
            .map(|(status, read)| {
                vec![Content::Text(format!("HTTP {status}, read {read} bytes from {url}"))]
            })
            .map_err(|e| ToolError::Failed(format!("{url}: {e}")))
    }

    fn origins() -> Vec<String> {
        Vec::new()
    }
}

/// Reads the whole body of `url`; returns the status and the body's size.
fn fetch(url: &str) -> Result<(u16, usize), String> {
    let (scheme, rest) = url.split_once("://").ok_or("not a URL")?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let request = OutgoingRequest::new(Fields::new());
    let scheme = if scheme == "https" { Scheme::Https } else { Scheme::Http };
    request.set_method(&Method::Get).map_err(|_| "method")?;
    request.set_scheme(Some(&scheme)).map_err(|_| "scheme")?;
    request.set_authority(Some(authority)).map_err(|_| "authority")?;
    let path = if path.is_empty() { "/" } else { path };
    request.set_path_with_query(Some(path)).map_err(|_| "path")?;
    let pending = outgoing_handler::handle(request, None).map_err(|e| format!("refused: {e:?}"))?;
    pending.subscribe().block();
    let response = pending
        .get()
        .ok_or("no response")?
        .map_err(|_| "taken")?
        .map_err(|e| format!("refused: {e:?}"))?;
    let status = response.status();
    let body = response.consume().map_err(|_| "no body")?;
    let stream = body.stream().map_err(|_| "no stream")?;
    let mut read = 0;
    loop {
        match stream.blocking_read(1 << 20) {
            Ok(chunk) => read += chunk.len(),
            Err(StreamError::Closed) => return Ok((status, read)),
            Err(StreamError::LastOperationFailed(e)) => {
                return Err(format!("body failed after {read} bytes: {}", e.to_debug_string()))
            }
        }
    }
}

export!(HostileHttp);
