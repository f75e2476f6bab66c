//! The sandbox's only way out: an HTTP proxy the worker runs on a Unix socket bound into
//! the sandbox (a relay inside listens on `127.0.0.1:3128`, and `HTTP(S)_PROXY` point
//! there). It applies the same rules as a plugin's `wasi:http` ([`NetworkPolicy`]): the
//! `host:port` must be granted, every address it resolves to is checked, private ones are
//! refused unless allowed, and the connection goes to the checked address (no second
//! lookup to rebind). `CONNECT` tunnels (HTTPS) and absolute-form plain HTTP requests are
//! served; anything else is refused with a reason.

use crate::grants::NetworkPolicy;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpStream, UnixListener, UnixStream};

/// Where the sandbox reaches the proxy's socket, and where its relay listens.
pub const SOCKET_IN_SANDBOX: &str = "/run/outrig/egress.sock";
/// The proxy address programs in the sandbox are given.
pub const PROXY_IN_SANDBOX: &str = "http://127.0.0.1:3128";

/// The longest request head the proxy reads.
const MAX_HEAD: usize = 16 << 10;

/// Serves the proxy on `socket` until the returned task is aborted.
pub fn start(socket: &Path, policy: NetworkPolicy) -> std::io::Result<tokio::task::JoinHandle<()>> {
    let _ = std::fs::remove_file(socket);
    let listener = UnixListener::bind(socket)?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(socket, std::fs::Permissions::from_mode(0o666))?;
    let policy = Arc::new(policy);
    Ok(tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let policy = policy.clone();
            tokio::spawn(async move {
                if let Err(error) = serve(stream, &policy).await {
                    tracing::debug!("egress: {error}");
                }
            });
        }
    }))
}

async fn serve(stream: UnixStream, policy: &NetworkPolicy) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream);
    let mut head = Vec::new();
    loop {
        let read =
            tokio::time::timeout(Duration::from_secs(30), reader.read_until(b'\n', &mut head))
                .await;
        match read {
            Ok(Ok(0)) | Err(_) => return Ok(()),
            Ok(Ok(_)) if head.ends_with(b"\r\n\r\n") || head.ends_with(b"\n\n") => break,
            Ok(Ok(_)) if head.len() > MAX_HEAD => {
                return refuse(reader, 431, "request head too large").await
            }
            Ok(Ok(_)) => {}
            Ok(Err(e)) => return Err(e),
        }
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let request_line = text.lines().next().unwrap_or_default().to_string();
    let mut parts = request_line.split_whitespace();
    let (method, target) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let (host, port, forward) = if method.eq_ignore_ascii_case("CONNECT") {
        match split_authority(target, 443) {
            Some((host, port)) => (host, port, None),
            None => return refuse(reader, 400, "CONNECT needs host:port").await,
        }
    } else if let Some(rest) = target.strip_prefix("http://") {
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let Some((host, port)) = split_authority(authority, 80) else {
            return refuse(reader, 400, "bad request target").await;
        };
        if !policy.grants_origin("http", &host, port) {
            let why = format!("http://{host}:{port} is not granted to this sandbox");
            return refuse(reader, 403, &why).await;
        }
        let path = if path.is_empty() { "/" } else { path };
        let rest_of_head = text.split_once('\n').map(|(_, r)| r).unwrap_or_default();
        let rewritten = format!("{method} {path} HTTP/1.1\r\n{rest_of_head}");
        (host, port, Some(rewritten))
    } else {
        return refuse(
            reader,
            400,
            "only CONNECT and absolute http:// requests are proxied",
        )
        .await;
    };
    if forward.is_none() && !policy.grants_authority(&host, port) {
        let why = format!("{host}:{port} is not granted to this sandbox");
        return refuse(reader, 403, &why).await;
    }
    let address = match resolve(policy, &host, port).await {
        Ok(address) => address,
        Err(why) => return refuse(reader, 403, &why).await,
    };
    let mut upstream =
        match tokio::time::timeout(Duration::from_secs(10), TcpStream::connect(address)).await {
            Ok(Ok(upstream)) => upstream,
            _ => return refuse(reader, 502, &format!("cannot connect to {host}:{port}")).await,
        };
    match forward {
        None => {
            reader
                .get_mut()
                .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
                .await?
        }
        Some(head) => upstream.write_all(head.as_bytes()).await?,
    }
    let buffered = reader.buffer().to_vec();
    let mut client = reader.into_inner();
    upstream.write_all(&buffered).await?;
    tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
    Ok(())
}

/// The first address of `host` the policy allows.
async fn resolve(policy: &NetworkPolicy, host: &str, port: u16) -> Result<SocketAddr, String> {
    let found: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| format!("cannot resolve {host}: {e}"))?
        .collect();
    found
        .iter()
        .copied()
        .find(|a| policy.address_allowed(a.ip()))
        .ok_or_else(|| format!("{host} resolves only to private addresses, which are not granted"))
}

fn split_authority(authority: &str, default_port: u16) -> Option<(String, u16)> {
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(':') => (host, port.parse().ok()?),
        _ => (authority, default_port),
    };
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    (!host.is_empty()).then_some((host, port))
}

async fn refuse(reader: BufReader<UnixStream>, status: u16, why: &str) -> std::io::Result<()> {
    let body = format!("outrig egress: {why}\n");
    let reason = match status {
        403 => "Forbidden",
        431 => "Request Header Fields Too Large",
        502 => "Bad Gateway",
        _ => "Bad Request",
    };
    let mut stream = reader.into_inner();
    let answer = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(answer.as_bytes()).await?;
    stream.shutdown().await
}
