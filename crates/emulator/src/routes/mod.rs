//! HTTP routes, one file per resource family.

pub mod agents;
pub mod environments;
pub mod events;
pub mod extras;
pub mod sessions;

use axum::extract::RawQuery;
use axum::Json;
use serde_json::{json, Value};

/// Decoded query pairs.
pub fn pairs(query: &RawQuery) -> Vec<(String, String)> {
    outrig_api::request::parse_query(query.0.as_deref().unwrap_or(""))
}

/// Stamps `archived_at` (and `updated_at`) unless already archived; returns whether it did.
pub fn mark_archived(object: &mut Value) -> bool {
    if !object["archived_at"].is_null() {
        return false;
    }
    let at = crate::http::now();
    object["archived_at"] = json!(at);
    object["updated_at"] = json!(at);
    true
}

/// `{"data", "next_page"}`
pub fn page(data: Vec<Value>, next: Option<String>) -> Json<Value> {
    Json(json!({ "data": data, "next_page": next }))
}
