//! Session resources, and the Files API endpoints sessions reference.

use super::{page, pairs};
use crate::app::AppState;
use crate::http::{new_id, now, parse_body, ApiFailure, ApiResult, Window};
use crate::routes::sessions;
use crate::store::Kind;
use axum::body::{Body, Bytes};
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

fn resource_index(session: &Value, rid: &str) -> ApiResult<usize> {
    session["resources"]
        .as_array()
        .and_then(|r| r.iter().position(|x| x["id"] == rid))
        .ok_or_else(|| ApiFailure::not_found("session resource", rid))
}

/// `GET /v1/sessions/{id}/resources`
pub async fn list_resources(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: RawQuery,
) -> ApiResult<Json<Value>> {
    let pairs = pairs(&query);
    let session = sessions::load(&state, &id)?;
    let items = session["resources"].as_array().cloned().unwrap_or_default();
    let window = Window::from_pairs(&pairs, items.len().max(1), 1000)?;
    let (data, next, _) = window.apply(&items);
    Ok(page(data, next))
}

/// `POST /v1/sessions/{id}/resources`: only files can be added after creation.
pub async fn add_resource(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let params: Value = parse_body(&body)?;
    if params["type"] != "file" {
        return Err(ApiFailure::invalid(
            "only `{\"type\":\"file\"}` resources can be added to an existing session",
        ));
    }
    let file_id = params["file_id"]
        .as_str()
        .ok_or_else(|| ApiFailure::invalid("missing field `file_id`"))?;
    state
        .store
        .get(Kind::File, file_id, None)?
        .ok_or_else(|| ApiFailure::not_found("file", file_id))?;
    let mut session = sessions::load(&state, &id)?;
    let at = now();
    let mount = params["mount_path"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| format!("/mnt/session/uploads/{file_id}"));
    let resource = json!({"type":"file","id":new_id("sesrsc"),"file_id":file_id,"mount_path":mount,"created_at":at,"updated_at":at});
    session["resources"]
        .as_array_mut()
        .expect("array")
        .push(resource.clone());
    state.store.put(Kind::Session, &id, 0, &session)?;
    Ok(Json(resource))
}

/// `GET /v1/sessions/{id}/resources/{rid}`
pub async fn get_resource(
    State(state): State<AppState>,
    Path((id, rid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let session = sessions::load(&state, &id)?;
    let index = resource_index(&session, &rid)?;
    Ok(Json(session["resources"][index].clone()))
}

/// `POST /v1/sessions/{id}/resources/{rid}`: rotates a repository token.
pub async fn update_resource(
    State(state): State<AppState>,
    Path((id, rid)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let params: Value = parse_body(&body)?;
    let mut session = sessions::load(&state, &id)?;
    let index = resource_index(&session, &rid)?;
    if session["resources"][index]["type"] != "github_repository" {
        return Err(ApiFailure::invalid(
            "only github_repository resources can be updated",
        ));
    }
    if !params["authorization_token"].is_string() {
        return Err(ApiFailure::invalid("missing field `authorization_token`"));
    }
    session["resources"][index]["updated_at"] = json!(now());
    state.store.put(Kind::Session, &id, 0, &session)?;
    Ok(Json(session["resources"][index].clone()))
}

/// `DELETE /v1/sessions/{id}/resources/{rid}`
pub async fn delete_resource(
    State(state): State<AppState>,
    Path((id, rid)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let mut session = sessions::load(&state, &id)?;
    let index = resource_index(&session, &rid)?;
    session["resources"]
        .as_array_mut()
        .expect("array")
        .remove(index);
    state.store.put(Kind::Session, &id, 0, &session)?;
    Ok(Json(json!({"id": rid, "type": "session_resource_deleted"})))
}

/// `POST /v1/files` (multipart part `file`)
pub async fn upload_file(
    State(state): State<AppState>,
    mut form: Multipart,
) -> ApiResult<Json<Value>> {
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| ApiFailure::invalid(format!("malformed multipart body: {e}")))?
    {
        if field.name() != Some("file") {
            continue;
        }
        let raw_name = field.file_name().unwrap_or_default().to_string();
        let filename = raw_name
            .rsplit(['/', '\\'])
            .next()
            .filter(|n| !n.is_empty())
            .unwrap_or("unnamed.bin")
            .to_string();
        let mime = field
            .content_type()
            .unwrap_or("application/octet-stream")
            .to_string();
        let bytes = field
            .bytes()
            .await
            .map_err(|e| ApiFailure::invalid(format!("cannot read the file part: {e}")))?;
        let file = json!({"type":"file","id":new_id("file"),"filename":filename,"mime_type":mime,
            "size_bytes":bytes.len(),"created_at":now(),"downloadable":true});
        let id = file["id"].as_str().expect("id").to_string();
        state.store.put_file_content(&id, &bytes)?;
        state.store.put(Kind::File, &id, 0, &file)?;
        return Ok(Json(file));
    }
    Err(ApiFailure::invalid("multipart body has no `file` part"))
}

/// `GET /v1/files`
pub async fn list_files(State(state): State<AppState>, query: RawQuery) -> ApiResult<Json<Value>> {
    let pairs = pairs(&query);
    let window = Window::from_pairs(&pairs, 20, 1000)?;
    let (data, next, _) = window.apply(&state.store.list(Kind::File)?);
    Ok(page(data, next))
}

/// `GET /v1/files/{id}`
pub async fn get_file(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    state
        .store
        .get(Kind::File, &id, None)?
        .map(Json)
        .ok_or_else(|| ApiFailure::not_found("file", &id))
}

/// `GET /v1/files/{id}/content`
pub async fn file_content(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let file = state
        .store
        .get(Kind::File, &id, None)?
        .ok_or_else(|| ApiFailure::not_found("file", &id))?;
    let bytes = state.store.file_content(&id)?.unwrap_or_default();
    let mime = file["mime_type"]
        .as_str()
        .unwrap_or("application/octet-stream")
        .to_string();
    Ok(([(header::CONTENT_TYPE, mime)], Body::from(bytes)).into_response())
}

/// `DELETE /v1/files/{id}`
pub async fn delete_file(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    state
        .store
        .get(Kind::File, &id, None)?
        .ok_or_else(|| ApiFailure::not_found("file", &id))?;
    state.store.delete(Kind::File, &id)?;
    Ok(Json(json!({"id": id, "type": "file_deleted"})))
}
