//! OpenTelemetry trace export, off by default and configured the standard way: on when
//! `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set or
//! `OTEL_TRACES_EXPORTER=otlp`; off with `OTEL_SDK_DISABLED=true` or
//! `OTEL_TRACES_EXPORTER=none`. OTLP over HTTP with protobuf (the exporter reads the
//! endpoint, `OTEL_EXPORTER_OTLP_HEADERS` and the timeout itself; `OTEL_SERVICE_NAME`
//! defaults to `outrig`). Only the spans of Outrig's own crates are exported, never log
//! lines: a span carries only the attributes its crate chose (see `outrig_host::trace`).

use anyhow::{bail, Context};
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::trace::SdkTracerProvider;
use opentelemetry_sdk::Resource;
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::Layer;

/// The tracer provider the environment asks for, if any.
pub fn provider() -> anyhow::Result<Option<SdkTracerProvider>> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    if var("OTEL_SDK_DISABLED").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        return Ok(None);
    }
    let exporter = var("OTEL_TRACES_EXPORTER");
    match exporter.as_deref() {
        Some("none") => return Ok(None),
        Some("otlp") | None => {}
        Some(other) => bail!("OTEL_TRACES_EXPORTER={other}: only `otlp` and `none` are built in"),
    }
    let endpoint = var("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").or(var("OTEL_EXPORTER_OTLP_ENDPOINT"));
    if endpoint.is_none() && exporter.is_none() {
        return Ok(None);
    }
    for name in [
        "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
        "OTEL_EXPORTER_OTLP_PROTOCOL",
    ] {
        if let Some(protocol) = var(name).filter(|p| p != "http/protobuf") {
            bail!(
                "{name}={protocol}: only `http/protobuf` is built in (OTLP over HTTP, port 4318)"
            );
        }
    }
    // An https endpoint needs a TLS provider; the process uses ring throughout.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .build()
        .context("cannot set up the OTLP trace exporter")?;
    let mut resource = Resource::builder().with_attribute(opentelemetry::KeyValue::new(
        "service.version",
        env!("CARGO_PKG_VERSION"),
    ));
    if var("OTEL_SERVICE_NAME").is_none() {
        resource = resource.with_service_name("outrig");
    }
    Ok(Some(
        SdkTracerProvider::builder()
            .with_batch_exporter(exporter)
            .with_resource(resource.build())
            .build(),
    ))
}

/// The layer that turns Outrig's spans (info and above) into OpenTelemetry spans.
pub fn layer<S>(provider: &SdkTracerProvider) -> impl Layer<S>
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    tracing_opentelemetry::layer()
        .with_tracer(provider.tracer("outrig"))
        .with_filter(filter_fn(|meta| {
            meta.is_span()
                && meta.target().starts_with("outrig")
                && *meta.level() <= tracing::Level::INFO
        }))
}
