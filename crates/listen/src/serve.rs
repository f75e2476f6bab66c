//! The accept loop: one hyper HTTP/1 connection per client, within [`Limits`].

use crate::body::TimedBody;
use crate::io::Deadlines;
use crate::{Limits, Stats, Tls};
use axum::body::Body;
use axum::http::{header, Request, Response, StatusCode};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// How many refused connections may be answered at once; beyond that they are just closed.
const REFUSALS_IN_FLIGHT: usize = 64;

/// What a refused connection is told before it is closed.
const REFUSAL: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n\
retry-after: 1\r\nconnection: close\r\ncontent-length: 85\r\n\r\n\
{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"too many connections\"}}";

/// Serves `router` on `listener` within `limits` (over TLS with `tls`) until `shutdown`
/// resolves, then stops accepting and waits for the open connections to finish their requests.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    tls: Option<Tls>,
    stats: Arc<Stats>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    limits
        .validate()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    let connections = Arc::new(Semaphore::new(limits.max_connections));
    let refusals = Arc::new(Semaphore::new(REFUSALS_IN_FLIGHT));
    let requests = Arc::new(Semaphore::new(limits.max_requests));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    // Out of file descriptors, or a connection reset before it was taken:
                    // wait a little rather than spin, and keep serving.
                    tracing::warn!("accepting a connection failed: {error}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = connections.clone().try_acquire_owned() else {
            Stats::inc(&stats.connections_shed);
            if let Ok(refusal) = refusals.clone().try_acquire_owned() {
                tokio::spawn(async move {
                    refuse(stream).await;
                    drop(refusal);
                });
            }
            continue;
        };
        let _ = stream.set_nodelay(true);
        Stats::inc(&stats.connections_accepted);
        stats.open_connections.fetch_add(1, Ordering::Relaxed);
        let service = RequestService {
            router: router.clone(),
            requests: requests.clone(),
            stats: stats.clone(),
            body_timeout: limits.body_timeout,
        };
        let watcher = graceful.watcher();
        let (stats, tls, limits) = (stats.clone(), tls.clone(), limits.clone());
        tokio::spawn(async move {
            let served = match tls {
                None => serve_connection(stream, service, &limits, watcher).await,
                Some(tls) => {
                    match tokio::time::timeout(
                        limits.header_read_timeout,
                        tls.acceptor.accept(stream),
                    )
                    .await
                    {
                        Ok(Ok(stream)) => serve_connection(stream, service, &limits, watcher).await,
                        Ok(Err(_)) | Err(_) => {
                            Stats::inc(&stats.tls_handshakes_failed);
                            Ok(())
                        }
                    }
                }
            };
            if served.as_ref().is_err_and(timed_out) {
                Stats::inc(&stats.connections_timed_out);
            }
            stats.open_connections.fetch_sub(1, Ordering::Relaxed);
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// Serves `router` on `listener` in the background with the default limits, until the
/// process ends (helper servers: the demo's API, test proxies).
pub fn spawn(listener: TcpListener, router: Router) -> tokio::task::JoinHandle<io::Result<()>> {
    tokio::spawn(serve(
        listener,
        router,
        Limits::default(),
        None,
        Arc::default(),
        std::future::pending(),
    ))
}

/// Serves HTTP/1 on one accepted (and, with TLS, handshaken) connection until it closes.
async fn serve_connection<S>(
    stream: S,
    service: RequestService,
    limits: &Limits,
    watcher: Watcher,
) -> Result<(), hyper::Error>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .serve_connection(
            TokioIo::new(Deadlines::new(stream, limits.write_stall_timeout)),
            hyper::service::service_fn(move |request| service.clone().call(request)),
        );
    watcher.watch(connection).await
}

/// One connection's view of the router, the request limit and the body bound.
#[derive(Clone)]
struct RequestService {
    router: Router,
    requests: Arc<Semaphore>,
    stats: Arc<Stats>,
    body_timeout: Duration,
}

impl RequestService {
    async fn call(self, request: Request<Incoming>) -> Result<Response<Body>, Infallible> {
        let Ok(permit) = self.requests.clone().try_acquire_owned() else {
            Stats::inc(&self.stats.requests_shed);
            return Ok(overloaded("too many requests in progress"));
        };
        let bound = self.body_timeout;
        let stats = self.stats.clone();
        let request = request.map(|body| Body::new(TimedBody::new(body, bound, stats)));
        let response = self.router.oneshot(request).await;
        drop(permit);
        response
    }
}

/// A 503 in the API's error shape, with the `retry-after` clients honour.
fn overloaded(message: &str) -> Response<Body> {
    let body = format!(
        "{{\"type\":\"error\",\"error\":{{\"type\":\"overloaded_error\",\"message\":\"{message}\"}}}}"
    );
    Response::builder()
        .status(StatusCode::SERVICE_UNAVAILABLE)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::RETRY_AFTER, "1")
        .body(Body::from(body))
        .expect("a valid response")
}

/// Tells a connection past the limit that the server is overloaded, then closes it.
async fn refuse(mut stream: TcpStream) {
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        stream.write_all(REFUSAL).await?;
        stream.shutdown().await
    })
    .await;
}

/// Whether a connection ended by one of the listener's timeouts.
fn timed_out(error: &hyper::Error) -> bool {
    if error.is_timeout() {
        return true;
    }
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::TimedOut)
        {
            return true;
        }
        source = cause.source();
    }
    false
}
