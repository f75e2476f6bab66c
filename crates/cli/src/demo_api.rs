//! The demo's "internal invoice API": a real HTTP server on loopback that the invoices
//! plugin calls through `wasi:http`, as a company's billing service would be.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Json;
use serde_json::{json, Value};

/// Starts the API on a free loopback port; returns its base URL. It stops with the process.
pub async fn start() -> std::io::Result<String> {
    let app = axum::Router::new().route("/invoices/{id}", get(invoice));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    outrig_listen::spawn(listener, app);
    Ok(base)
}

async fn invoice(Path(id): Path<String>) -> Result<Json<Value>, StatusCode> {
    let (status, paid_at) = match id.as_str() {
        "INV-1001" | "INV-1002" | "INV-1003" | "INV-1005" => ("paid", Some("2026-11-28")),
        "INV-1004" => ("paid", Some("2026-11-30")),
        "INV-1006" => ("open", None),
        _ => return Err(StatusCode::NOT_FOUND),
    };
    Ok(Json(
        json!({"id": id, "status": status, "paid_at": paid_at, "currency": "EUR"}),
    ))
}
