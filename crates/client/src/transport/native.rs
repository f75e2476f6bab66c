//! The native transport: reqwest with rustls.

use super::{BoxFuture, HttpRequest, HttpResponse, Method, Transport};
use crate::error::Error;
use futures_util::{StreamExt, TryStreamExt};

/// reqwest, with one connection pool per transport.
#[derive(Debug, Clone, Default)]
pub struct ReqwestTransport {
    http: reqwest::Client,
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self.http.request(method, &request.url);
        for (name, value) in request.headers {
            builder = builder.header(name, value);
        }
        if let Some(body) = request.body {
            builder = builder.body(body);
        }
        Box::pin(async move {
            let response = builder.send().await.map_err(connection)?;
            let headers = response
                .headers()
                .iter()
                .filter_map(|(name, value)| {
                    Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
                })
                .collect();
            Ok(HttpResponse {
                status: response.status().as_u16(),
                headers,
                body: response.bytes_stream().map_err(connection).boxed(),
            })
        })
    }
}

/// A reqwest error as a message without the URL or any header.
fn connection(error: reqwest::Error) -> Error {
    Error::Connection(error.without_url().to_string())
}
