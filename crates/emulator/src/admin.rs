//! The admin surface (`--admin`): the request journal ([`crate::requests`]), chaos rules
//! ([`crate::chaos`]) and snapshots under `/_outrig/`, behind the admin token when one is
//! set.

use crate::chaos::{self, Chaos};
use crate::config::Admin;
use crate::requests::{self, RequestLog};
use crate::store::Store;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use outrig_api::request::constant_time_eq;
use std::sync::Arc;

/// Wraps `api` in the journal and the chaos rules, and adds their admin routes and the
/// snapshot of `store`.
pub fn wrap(
    api: Router,
    admin: &Admin,
    log: Arc<RequestLog>,
    chaos: Arc<Chaos>,
    store: Arc<Store>,
) -> Router {
    let token = admin.token.clone();
    let surface = requests::routes(log.clone())
        .merge(chaos::routes(chaos.clone()))
        .merge(
            Router::new()
                .route("/_outrig/snapshot", get(snapshot))
                .with_state(store),
        )
        .route_layer(middleware::from_fn(move |request: Request, next: Next| {
            let token = token.clone();
            async move {
                let presented = request
                    .headers()
                    .get("x-outrig-admin-token")
                    .map(|v| v.as_bytes());
                match token {
                    Some(token)
                        if !presented.is_some_and(|p| constant_time_eq(p, token.as_bytes())) =>
                    {
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

/// `GET /_outrig/snapshot`: the whole state, consistent, as an SQLite file.
async fn snapshot(State(store): State<Arc<Store>>) -> Response {
    let path =
        std::env::temp_dir().join(format!("outrig-snapshot-{}.sqlite", rand::random::<u64>()));
    let taken = tokio::task::spawn_blocking(move || {
        let taken = store
            .snapshot_to(&path)
            .and_then(|()| Ok(std::fs::read(&path)?));
        let _ = std::fs::remove_file(&path);
        taken
    })
    .await;
    match taken {
        Ok(Ok(bytes)) => {
            ([(header::CONTENT_TYPE, "application/vnd.sqlite3")], bytes).into_response()
        }
        Ok(Err(error)) => crate::http::ApiFailure::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot take a snapshot: {error}"),
        )
        .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
