//! The one seam between the client and the network: a [`Transport`] sends a request and
//! returns the status, the headers and the body as a byte stream. Natively it is reqwest;
//! on `wasm32` it is the runtime's `fetch` (browsers, Node, Deno, workerd).

use crate::error::Error;
use bytes::Bytes;
use futures_util::StreamExt;

#[cfg(target_arch = "wasm32")]
mod fetch;
#[cfg(not(target_arch = "wasm32"))]
mod native;

#[cfg(target_arch = "wasm32")]
pub use fetch::FetchTransport;
#[cfg(not(target_arch = "wasm32"))]
pub use native::ReqwestTransport;

#[cfg(not(target_arch = "wasm32"))]
mod bounds {
    /// `Send + Sync` natively; nothing on `wasm32`, where JS values are not `Send`.
    pub trait MaybeSend: Send + Sync {}
    impl<T: Send + Sync> MaybeSend for T {}
    /// A boxed future (`Send` natively).
    pub type BoxFuture<'a, T> = futures_util::future::BoxFuture<'a, T>;
    /// A boxed stream (`Send` natively).
    pub type BoxStream<'a, T> = futures_util::stream::BoxStream<'a, T>;
}

#[cfg(target_arch = "wasm32")]
mod bounds {
    /// `Send + Sync` natively; nothing on `wasm32`, where JS values are not `Send`.
    pub trait MaybeSend {}
    impl<T> MaybeSend for T {}
    /// A boxed future (`Send` natively).
    pub type BoxFuture<'a, T> = futures_util::future::LocalBoxFuture<'a, T>;
    /// A boxed stream (`Send` natively).
    pub type BoxStream<'a, T> = futures_util::stream::LocalBoxStream<'a, T>;
}

pub use bounds::{BoxFuture, BoxStream, MaybeSend};

/// A response body, chunk by chunk.
pub type ByteStream = BoxStream<'static, Result<Bytes, Error>>;

/// The methods the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// One attempt of a request, fully built.
#[derive(Debug, Clone)]
pub struct HttpRequest {
    /// Method.
    pub method: Method,
    /// Absolute URL with the query.
    pub url: String,
    /// Headers, names in lower case. May hold the API key: never log them.
    pub headers: Vec<(&'static str, String)>,
    /// JSON body.
    pub body: Option<Vec<u8>>,
}

/// A response whose body has not been read yet.
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body; dropping it closes the connection.
    pub body: ByteStream,
}

impl HttpResponse {
    /// The first value of a header (`name` in lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// Reads the whole body.
    pub async fn bytes(mut self) -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        while let Some(chunk) = self.body.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out)
    }
}

/// Sends requests. Errors are connection failures (never containing header values).
pub trait Transport: MaybeSend {
    /// Sends one request; resolves once the status and headers arrive.
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>>;
}

/// The transport for this target.
pub fn default_transport() -> std::sync::Arc<dyn Transport> {
    #[cfg(not(target_arch = "wasm32"))]
    return std::sync::Arc::new(ReqwestTransport::default());
    #[cfg(target_arch = "wasm32")]
    return std::sync::Arc::new(FetchTransport);
}
