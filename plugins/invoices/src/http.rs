//! A blocking HTTP GET over `wasi:http/outgoing-handler`: the request goes out through the
//! host, which allows it only to origins the operator granted.

use crate::wasi::http::outgoing_handler;
use crate::wasi::http::types::{Fields, Method, OutgoingRequest, Scheme};
use crate::wasi::io::streams::StreamError;

/// Most bytes of an answer this plugin reads.
const MAX_BODY: usize = 1 << 20;

/// A response: status and body.
pub struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

/// `scheme://host:port` of a URL, with the scheme's default port made explicit.
pub fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split('/').next()?;
    let has_port = authority
        .rsplit_once(':')
        .is_some_and(|(_, port)| port.parse::<u16>().is_ok());
    let port = match (has_port, scheme) {
        (true, _) => "",
        (false, "https") => ":443",
        (false, _) => ":80",
    };
    Some(format!("{scheme}://{authority}{port}"))
}

/// GETs `url` (`http://` or `https://`).
pub fn get(url: &str) -> Result<Response, String> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| format!("`{url}` is not an absolute URL"))?;
    let scheme = match scheme {
        "http" => Scheme::Http,
        "https" => Scheme::Https,
        other => return Err(format!("unsupported scheme `{other}`")),
    };
    let (authority, path) = match rest.find('/') {
        Some(slash) => rest.split_at(slash),
        None => (rest, "/"),
    };
    let request = OutgoingRequest::new(Fields::new());
    request.set_method(&Method::Get).map_err(|_| "bad method")?;
    request.set_scheme(Some(&scheme)).map_err(|_| "bad scheme")?;
    request
        .set_authority(Some(authority))
        .map_err(|_| format!("bad host `{authority}`"))?;
    request
        .set_path_with_query(Some(path))
        .map_err(|_| format!("bad path `{path}`"))?;
    let pending = outgoing_handler::handle(request, None).map_err(|e| format!("{e:?}"))?;
    pending.subscribe().block();
    let response = pending
        .get()
        .ok_or("no response")?
        .map_err(|_| "response already taken")?
        .map_err(|e| format!("{e:?}"))?;
    let status = response.status();
    let body = response.consume().map_err(|_| "no body")?;
    let stream = body.stream().map_err(|_| "no body stream")?;
    let mut bytes = Vec::new();
    loop {
        match stream.blocking_read(64 << 10) {
            Ok(chunk) => bytes.extend_from_slice(&chunk),
            Err(StreamError::Closed) => break,
            Err(StreamError::LastOperationFailed(error)) => {
                return Err(format!("reading the body: {}", error.to_debug_string()))
            }
        }
        if bytes.len() > MAX_BODY {
            return Err(format!("the answer is over {MAX_BODY} bytes"));
        }
    }
    Ok(Response { status, body: bytes })
}
