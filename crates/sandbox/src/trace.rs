//! W3C trace context for what a call sends: the `traceparent` of a `tracing` span, when
//! spans are exported through OpenTelemetry (`tracing-opentelemetry`); none otherwise.

use opentelemetry::trace::TraceContextExt;
use tracing_opentelemetry::OpenTelemetrySpanExt;

/// The `traceparent` header value naming `span` as the parent, if it is being traced.
pub fn traceparent(span: &tracing::Span) -> Option<String> {
    let context = span.context();
    let span_context = context.span().span_context().clone();
    span_context.is_valid().then(|| {
        format!(
            "00-{}-{}-{:02x}",
            span_context.trace_id(),
            span_context.span_id(),
            span_context.trace_flags().to_u8()
        )
    })
}
