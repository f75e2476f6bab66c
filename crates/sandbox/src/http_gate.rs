//! Outgoing `wasi:http` requests under a plugin's network grant. Every request is checked
//! before anything is sent: its `scheme://host:port` must be granted, and the address its
//! host resolves to now (not at load) must not be loopback, private or link-local unless
//! `allow_private`; the host connects to exactly the address it checked. TLS is done here,
//! redirects are never followed, connecting is bounded by the connect limit, and the bytes
//! of every response of one call together by the response limit. The call deadline bounds
//! the rest. A refused request fails inside the guest with a `wasi:http` error code and is
//! noted in the call's log. Each request is an `http.request` span of the call's, whose
//! `traceparent` it carries when spans are exported.

use crate::call_log::CallLog;
use crate::grants::NetworkPolicy;
use bytes::Bytes;
use http::uri::Scheme;
use http_body::{Body, Frame};
use http_body_util::BodyExt;
use outrig_api::network::{NOT_GRANTED, PRIVATE_REFUSED};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::net::TcpStream;
use wasmtime_wasi_http::{Error, RequestOptions, WasiBody, WasiHttpHooks};

/// What the gate needs of one call.
#[derive(Clone)]
pub struct HttpGate {
    policy: Arc<NetworkPolicy>,
    log: CallLog,
    connect_timeout: Duration,
    response_budget: Arc<AtomicUsize>,
    response_limit: usize,
    /// The span of the call (current when the gate was made): its requests' parent.
    call_span: tracing::Span,
}

type Io = Box<dyn Future<Output = Result<(), Error>> + Send>;
type Sent = Box<dyn Future<Output = Result<(http::Response<WasiBody>, Io), Error>> + Send>;

impl HttpGate {
    /// A gate for one call: `response_limit` bytes for all its responses together.
    pub fn new(
        policy: Arc<NetworkPolicy>,
        log: CallLog,
        connect_timeout: Duration,
        response_limit: usize,
    ) -> Self {
        HttpGate {
            policy,
            log,
            connect_timeout,
            response_budget: Arc::new(AtomicUsize::new(response_limit)),
            response_limit,
            call_span: tracing::Span::current(),
        }
    }
}

impl WasiHttpHooks for HttpGate {
    fn send_request(
        &mut self,
        request: http::Request<WasiBody>,
        options: Option<RequestOptions>,
        _response_errors: Io,
    ) -> Sent {
        let gate = self.clone();
        Box::new(async move {
            // Only the method and the origin: a path or query may hold what the plugin
            // was given (an account id, a token).
            let span = tracing::info_span!(
                parent: &gate.call_span,
                "http.request",
                http.request.method = %request.method(),
                server.address = request.uri().host().unwrap_or_default(),
                server.port = request.uri().port_u16(),
                http.response.status_code = tracing::field::Empty,
                outrig.refused = tracing::field::Empty,
            );
            let sent = gate.send(request, options, &span).await;
            if let Ok((response, _)) = &sent {
                span.record("http.response.status_code", response.status().as_u16());
            }
            sent
        })
    }
}

impl HttpGate {
    async fn send(
        self,
        mut request: http::Request<WasiBody>,
        options: Option<RequestOptions>,
        span: &tracing::Span,
    ) -> Result<(http::Response<WasiBody>, Io), Error> {
        let uri = request.uri().clone();
        let https = uri.scheme() == Some(&Scheme::HTTPS);
        let scheme = if https { "https" } else { "http" };
        let host = uri.host().ok_or(Error::HttpRequestUriInvalid)?;
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
        let origin = format!("{scheme}://{host}:{port}");
        if !self.policy.grants_origin(scheme, host, port) {
            span.record("outrig.refused", NOT_GRANTED);
            self.refuse(&origin, NOT_GRANTED);
            return Err(Error::HttpRequestDenied);
        }
        let connect_timeout = options
            .and_then(|o| o.connect_timeout)
            .map_or(self.connect_timeout, |t| t.min(self.connect_timeout));
        let addrs = tokio::time::timeout(connect_timeout, tokio::net::lookup_host((host, port)))
            .await
            .map_err(|_| Error::DnsTimeout)?
            .map_err(|e| Error::DnsError {
                rcode: Some(e.to_string()),
                info_code: None,
            })?;
        let Some(addr) = addrs
            .into_iter()
            .find(|a| self.policy.address_allowed(a.ip()))
        else {
            span.record("outrig.refused", PRIVATE_REFUSED);
            self.refuse(&origin, PRIVATE_REFUSED);
            return Err(Error::DestinationIpProhibited);
        };
        let tcp = tokio::time::timeout(connect_timeout, TcpStream::connect(addr))
            .await
            .map_err(|_| Error::ConnectionTimeout)?
            .map_err(|_| Error::ConnectionRefused)?;
        let (mut sender, connection) = if https {
            let name = rustls::pki_types::ServerName::try_from(host.to_string())
                .map_err(|_| Error::HttpRequestUriInvalid)?;
            let tls = tokio::time::timeout(connect_timeout, tls_connector().connect(name, tcp))
                .await
                .map_err(|_| Error::ConnectionTimeout)?
                .map_err(|_| Error::TlsCertificateError)?;
            handshake(tls, connect_timeout).await?
        } else {
            handshake(tcp, connect_timeout).await?
        };
        // The host's trace context replaces any the plugin set.
        if let Some(value) =
            crate::trace::traceparent(span).and_then(|v| http::HeaderValue::from_str(&v).ok())
        {
            request.headers_mut().insert("traceparent", value);
        }
        // The request line carries only the path; the host header was set from the URI.
        *request.uri_mut() = http::Uri::builder()
            .path_and_query(uri.path_and_query().map_or("/", |p| p.as_str()))
            .build()
            .map_err(|_| Error::HttpRequestUriInvalid)?;
        let connection = tokio::spawn(connection);
        let response = sender.send_request(request).await.map_err(Error::from)?;
        let (parts, body) = response.into_parts();
        let body = CappedBody {
            inner: body,
            budget: self.response_budget.clone(),
            limit: self.response_limit,
        };
        let io: Io = Box::new(async move {
            connection
                .await
                .map_err(|_| Error::ConnectionTerminated)?
                .map_err(Error::from)
        });
        Ok((http::Response::from_parts(parts, body.boxed_unsync()), io))
    }

    fn refuse(&self, origin: &str, why: &str) {
        tracing::warn!("refused a plugin's HTTP request to {origin}: {why}");
        self.log.push(
            "host",
            &format!("refused the HTTP request to {origin}: {why}"),
        );
    }
}

type Connection = Pin<Box<dyn Future<Output = Result<(), hyper::Error>> + Send>>;

/// An HTTP/1.1 connection over `io`, handshaken within `timeout`.
async fn handshake<T>(
    io: T,
    timeout: Duration,
) -> Result<
    (
        hyper::client::conn::http1::SendRequest<WasiBody>,
        Connection,
    ),
    Error,
>
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + Unpin + 'static,
{
    let (sender, connection) = tokio::time::timeout(
        timeout,
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(io)),
    )
    .await
    .map_err(|_| Error::ConnectionTimeout)?
    .map_err(Error::from)?;
    Ok((sender, Box::pin(connection)))
}

/// TLS with the Mozilla root certificates, built once.
fn tls_connector() -> tokio_rustls::TlsConnector {
    tokio_rustls::TlsConnector::from(tls_client_config())
}

/// The client TLS configuration every outgoing connection of the host uses: ring, the
/// default protocol versions and the Mozilla root certificates.
pub fn tls_client_config() -> Arc<rustls::ClientConfig> {
    static CONFIG: OnceLock<Arc<rustls::ClientConfig>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            let roots = rustls::RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.into(),
            };
            Arc::new(
                rustls::ClientConfig::builder_with_provider(Arc::new(
                    rustls::crypto::ring::default_provider(),
                ))
                .with_safe_default_protocol_versions()
                .expect("ring supports the default protocol versions")
                .with_root_certificates(roots)
                .with_no_client_auth(),
            )
        })
        .clone()
}

/// A response body that fails once the call's responses together pass the limit.
struct CappedBody {
    inner: hyper::body::Incoming,
    budget: Arc<AtomicUsize>,
    limit: usize,
}

impl Body for CappedBody {
    type Data = Bytes;
    type Error = Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Error>>> {
        let frame = match Pin::new(&mut self.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => frame,
            Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(Error::from(error)))),
            Poll::Ready(None) => return Poll::Ready(None),
            Poll::Pending => return Poll::Pending,
        };
        let size = frame.data_ref().map_or(0, Bytes::len);
        let left = self
            .budget
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(size)
            });
        match left {
            Ok(_) => Poll::Ready(Some(Ok(frame))),
            Err(_) => {
                self.budget.store(0, Ordering::Relaxed);
                Poll::Ready(Some(Err(Error::HttpResponseBodySize(Some(
                    self.limit as u64,
                )))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }
}
