//! A span per API request (`http.request.method`, `http.route`, the status), a child of
//! the `traceparent` the request carries: exported through OpenTelemetry when the process
//! sets it up (the CLI does, from `OTEL_EXPORTER_OTLP_ENDPOINT`). Never a header, a body or
//! a query: the route is the template (`/v1/sessions/{session_id}`), not the path.

use axum::extract::Request;
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use opentelemetry::propagation::{Extractor, TextMapPropagator};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use outrig_api::routes::Route;
use tracing::field::Empty;
use tracing::Instrument;
use tracing_opentelemetry::OpenTelemetrySpanExt;

/// The outermost layer: the request's span, named by the route table's endpoint.
pub async fn request_span(request: Request, next: Next) -> Response {
    let method = request.method().as_str();
    let route = Route::of_request(method, request.uri().path());
    let span = tracing::info_span!(
        "request",
        otel.name = route.map_or(method.to_string(), |r| format!("{method} {}", r.path)),
        otel.kind = "server",
        otel.status_code = Empty,
        http.request.method = method,
        http.route = route.map(|r| r.path),
        outrig.endpoint = route.map(|r| r.name),
        http.response.status_code = Empty,
    );
    let parent = TraceContextPropagator::new().extract(&Headers(request.headers()));
    let _ = span.set_parent(parent);
    let response = next.run(request).instrument(span.clone()).await;
    let status = response.status();
    span.record("http.response.status_code", status.as_u16());
    if status.is_server_error() {
        span.record("otel.status_code", "ERROR");
    }
    response
}

struct Headers<'a>(&'a HeaderMap);

impl Extractor for Headers<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.to_str().ok())
    }

    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(|k| k.as_str()).collect()
    }
}
