//! The admin surface (`--admin`): the request journal ([`crate::requests`]), chaos rules
//! ([`crate::chaos`]), snapshots, restores and resets under `/_outrig/`, behind the admin
//! token when one is set.

use crate::chaos::{self, Chaos};
use crate::config::Admin;
use crate::engine::Engine;
use crate::hub::Hub;
use crate::requests::{self, RequestLog};
use crate::store::Store;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use outrig_api::request::constant_time_eq;
use std::sync::Arc;

/// What the admin surface reaches.
#[derive(Clone)]
pub struct Handles {
    /// The request journal.
    pub log: Arc<RequestLog>,
    /// The chaos rules.
    pub chaos: Arc<Chaos>,
    /// The state snapshots are taken of and restored into.
    pub store: Arc<Store>,
    /// The sessions' agents, restarted after a restore or reset.
    pub engine: Arc<Engine>,
    /// The open streams, ended by a restore or reset.
    pub hub: Arc<Hub>,
}

/// Wraps `api` in the chaos rules and the journal (which records what the client sent and
/// what it got, chaos included).
pub fn instrument(api: Router, handles: &Handles) -> Router {
    api.layer(middleware::from_fn_with_state(
        handles.chaos.clone(),
        chaos::inject,
    ))
    .layer(middleware::from_fn_with_state(
        handles.log.clone(),
        requests::record,
    ))
}

/// The admin routes (journal, chaos rules, snapshot, restore, reset), behind the admin
/// token when one is set.
pub fn surface(admin: &Admin, handles: Handles) -> Router {
    let token = admin.token.clone();
    requests::routes(handles.log.clone())
        .merge(chaos::routes(handles.chaos.clone()))
        .merge(
            Router::new()
                .route("/_outrig/snapshot", get(snapshot))
                .route("/_outrig/restore", post(restore))
                .route("/_outrig/reset", post(reset))
                .with_state(handles),
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
        }))
}

fn scratch_file() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("outrig-snapshot-{}.sqlite", rand::random::<u64>()))
}

fn remove_scratch(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(name);
    }
}

/// `GET /_outrig/snapshot`: the whole state, consistent, as an SQLite file.
async fn snapshot(State(handles): State<Handles>) -> Response {
    let path = scratch_file();
    let store = handles.store;
    let taken = tokio::task::spawn_blocking(move || {
        let taken = store
            .snapshot_to(&path)
            .and_then(|()| Ok(std::fs::read(&path)?));
        remove_scratch(&path);
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

/// `POST /_outrig/restore` (the body: a snapshot from `GET /_outrig/snapshot`): replaces
/// the whole state. Open streams end; sessions that were working in the snapshot go on.
async fn restore(State(handles): State<Handles>, body: Bytes) -> Response {
    replace_state(handles, Some(body)).await
}

/// `POST /_outrig/reset`: forgets the whole state. Open streams end.
async fn reset(State(handles): State<Handles>) -> Response {
    replace_state(handles, None).await
}

async fn replace_state(handles: Handles, snapshot: Option<Bytes>) -> Response {
    let store = handles.store.clone();
    handles.engine.stop_all();
    handles.hub.close_all();
    let replaced = tokio::task::spawn_blocking(move || match snapshot {
        None => store.reset(),
        Some(bytes) => {
            let path = scratch_file();
            let restored = std::fs::write(&path, &bytes)
                .map_err(anyhow::Error::from)
                .and_then(|()| store.restore_from(&path));
            remove_scratch(&path);
            restored
        }
    })
    .await;
    let resumed = handles.engine.resume_working();
    match (replaced, resumed) {
        (Ok(Ok(())), Ok(())) => StatusCode::NO_CONTENT.into_response(),
        (Ok(Err(error)), _) | (_, Err(error)) => {
            crate::http::ApiFailure::invalid(format!("cannot replace the state: {error:#}"))
                .into_response()
        }
        (Err(_), _) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
