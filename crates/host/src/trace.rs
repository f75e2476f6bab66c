//! The spans of a tool call, exported through OpenTelemetry when the process sets it up
//! (the CLI does, from `OTEL_EXPORTER_OTLP_ENDPOINT`): one `tool_call` span per call, with
//! `claim` (who runs it), `run` (the plugin, from `outrig-sandbox`, with its `http.request`s)
//! and `send_result` (until the API accepts it) beneath; in webhook mode under the
//! `webhook` span that brought it. Attributes name the session, the call, the tool and what
//! became of it: never an input, a result, a header or a key. Requests to the API carry the
//! current span's `traceparent` ([`Traced`]), so a server that traces joins the trace.

use crate::delivery::Delivery;
use outrig_client::transport::{BoxFuture, HttpRequest, HttpResponse, Transport};
use outrig_client::Error;
use std::sync::Arc;
use tracing::field::Empty;

/// A `tool_call` span: `parent` none makes it the root of its own trace.
pub(crate) fn tool_call(
    parent: Option<&tracing::Span>,
    received_via: &'static str,
    session_id: &str,
    call_id: &str,
    tool: &str,
) -> tracing::Span {
    tracing::info_span!(
        parent: parent.and_then(|p| p.id()),
        "tool_call",
        outrig.received_via = received_via,
        outrig.session_id = session_id,
        outrig.call_id = call_id,
        outrig.tool = tool,
        outrig.is_error = Empty,
        outrig.delivery = Empty,
    )
}

/// A `claim` span: the call taken in `store` (the journal, or the shared claims store).
pub(crate) fn claim(store: &'static str) -> tracing::Span {
    tracing::info_span!("claim", outrig.claim.store = store, outrig.claim = Empty)
}

/// Records what became of a call on its `tool_call` span.
pub(crate) fn settled(span: &tracing::Span, is_error: bool, delivery: &Delivery) {
    span.record("outrig.is_error", is_error);
    span.record("outrig.delivery", delivery.label());
}

/// A transport whose requests carry the current span's `traceparent`.
pub struct Traced(pub Arc<dyn Transport>);

impl Traced {
    /// The default transport, traced.
    pub fn default_transport() -> Arc<dyn Transport> {
        Arc::new(Traced(outrig_client::transport::default_transport()))
    }
}

impl Transport for Traced {
    fn send(&self, mut request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        if let Some(value) = outrig_sandbox::trace::traceparent(&tracing::Span::current()) {
            request.headers.retain(|(name, _)| *name != "traceparent");
            request.headers.push(("traceparent", value));
        }
        self.0.send(request)
    }
}
