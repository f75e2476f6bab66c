//! The admin surface (`--admin`): the request journal ([`crate::requests`]) and chaos rules
//! ([`crate::chaos`]) under `/_outrig/`, behind the admin token when one is set.

use crate::chaos::{self, Chaos};
use crate::config::Admin;
use crate::requests::{self, RequestLog};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::IntoResponse;
use axum::Router;
use std::sync::Arc;

/// Wraps `api` in the journal and the chaos rules, and adds their admin routes.
pub fn wrap(api: Router, admin: &Admin, log: Arc<RequestLog>, chaos: Arc<Chaos>) -> Router {
    let token = admin.token.clone();
    let surface = requests::routes(log.clone())
        .merge(chaos::routes(chaos.clone()))
        .route_layer(middleware::from_fn(move |request: Request, next: Next| {
            let token = token.clone();
            async move {
                let presented = request
                    .headers()
                    .get("x-outrig-admin-token")
                    .map(|v| v.as_bytes());
                match token {
                    Some(token) if !presented.is_some_and(|p| same(p, token.as_bytes())) => {
                        crate::http::ApiFailure::new(
                            StatusCode::UNAUTHORIZED,
                            "the admin surface needs `x-outrig-admin-token`",
                        )
                        .into_response()
                    }
                    _ => next.run(request).await,
                }
            }
        }));
    // The journal records what the client sent and what it got, chaos included.
    api.layer(middleware::from_fn_with_state(chaos, chaos::inject))
        .merge(surface)
        .layer(middleware::from_fn_with_state(log, requests::record))
}

/// Equal, in time that depends on the lengths only.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}
