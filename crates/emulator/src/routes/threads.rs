//! `/v1/sessions/{id}/threads…`: the primary thread (derived from the session) and the
//! sub-threads a multi-agent session starts, with their own histories and streams.

use super::{page, pairs, save};
use crate::app::AppState;
use crate::http::{now, ApiFailure, ApiResult, Window};
use crate::routes::{events, sessions};
use crate::store::{Kind, View};
use crate::threads::{of_session, primary_id};
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use outrig_api::request::query_array;
use serde_json::{json, Value};

/// The primary thread of a session.
fn primary_thread(session: &Value) -> Value {
    json!({
        "type": "session_thread", "id": primary_id(session["id"].as_str().unwrap_or_default()),
        "session_id": session["id"], "status": session["status"],
        "agent": crate::routes::multiagent::thread_agent(&session["agent"]),
        "parent_thread_id": null, "workflow_run_id": null, "stats": null, "usage": null,
        "created_at": session["created_at"], "updated_at": session["updated_at"], "archived_at": null,
    })
}

/// A thread of a session and whether it is the primary one.
fn load_thread(state: &AppState, id: &str, tid: &str) -> ApiResult<(Value, bool)> {
    let session = sessions::load(state, id)?;
    if tid == primary_id(id) {
        return Ok((primary_thread(&session), true));
    }
    match state.store.get(Kind::Thread, tid, None)? {
        Some(thread) if thread["session_id"] == id => Ok((thread, false)),
        _ => Err(ApiFailure::not_found("thread", tid).code("thread_not_found")),
    }
}

/// `GET /v1/sessions/{id}/threads` (`statuses[]`, `limit` default 1000)
pub async fn list_threads(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: RawQuery,
) -> ApiResult<Json<Value>> {
    let pairs = pairs(&query);
    let session = sessions::load(&state, &id)?;
    let statuses = query_array(&pairs, "statuses");
    if let Some(bad) = statuses
        .iter()
        .find(|s| !["idle", "running", "rescheduling", "terminated"].contains(&s.as_str()))
    {
        return Err(ApiFailure::invalid(format!(
            "`statuses[]`: unknown status `{bad}`"
        )));
    }
    let window = Window::from_pairs(&pairs, 1000, 1000)?;
    let mut threads = vec![primary_thread(&session)];
    threads.extend(of_session(&state.store, &id)?);
    threads.retain(|t| statuses.is_empty() || statuses.iter().any(|s| t["status"] == s.as_str()));
    let (data, next, _) = window.apply(&threads);
    Ok(page(data, next))
}

/// `GET /v1/sessions/{id}/threads/{tid}`
pub async fn get_thread(
    State(state): State<AppState>,
    Path((id, tid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    load_thread(&state, &id, &tid).map(|(thread, _)| Json(thread))
}

/// `POST /v1/sessions/{id}/threads/{tid}/archive`: a sub-thread only; a thread still
/// running is terminated first.
pub async fn archive_thread(
    State(state): State<AppState>,
    Path((id, tid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let (thread, primary) = load_thread(&state, &id, &tid)?;
    if primary {
        return Err(ApiFailure::invalid(
            "the primary thread cannot be archived; archive the session instead",
        ));
    }
    if thread["archived_at"].is_null() {
        if thread["status"] != "terminated" {
            let agent_name = thread["agent"]["name"].as_str().unwrap_or_default();
            let terminated = crate::agent_events::thread_terminated(&tid, agent_name);
            state.emitter.emit_event(&id, Some(&tid), terminated)?;
        }
        let mut thread = load_thread(&state, &id, &tid)?.0;
        thread["archived_at"] = json!(now());
        save(&state, Kind::Thread, &thread)?;
    }
    load_thread(&state, &id, &tid).map(|(thread, _)| Json(thread))
}

/// `GET /v1/sessions/{id}/threads/{tid}/events`
pub async fn thread_events(
    State(state): State<AppState>,
    Path((id, tid)): Path<(String, String)>,
    query: RawQuery,
) -> ApiResult<Json<Value>> {
    let (_, primary) = load_thread(&state, &id, &tid)?;
    let view = if primary {
        View::Primary
    } else {
        View::Thread(&tid)
    };
    events::list_events(&state, &id, view, &pairs(&query))
}

/// `GET /v1/sessions/{id}/threads/{tid}/stream`
pub async fn thread_stream(
    State(state): State<AppState>,
    Path((id, tid)): Path<(String, String)>,
    query: RawQuery,
) -> ApiResult<Response> {
    let (_, primary) = load_thread(&state, &id, &tid)?;
    let thread = (!primary).then_some(tid);
    Ok(events::open_stream(state, id, thread, &pairs(&query))?.into_response())
}
