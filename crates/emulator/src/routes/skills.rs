//! `/v1/skills` and their versions, uploaded as multipart `files` (one top-level folder
//! holding a `SKILL.md` whose front matter names and describes the skill). Uploaded files
//! are kept with the version (`_files`), never served back in metadata.

use super::{load, page, pairs, public_view, save};
use crate::app::AppState;
use crate::http::{new_id, now, ApiFailure, ApiResult, Window};
use crate::store::Kind;
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::Json;
use base64::Engine as _;
use outrig_api::request::query_value;
use serde_json::{json, Value};

fn load_skill(state: &AppState, id: &str) -> ApiResult<Value> {
    load(state, Kind::Skill, "skill", "skill_not_found", id)
}

/// The uploaded files and the optional `display_name` field of a multipart body.
async fn read_upload(mut form: Multipart) -> ApiResult<(Vec<(String, Vec<u8>)>, Option<String>)> {
    let mut files = Vec::new();
    let mut display_name = None;
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| ApiFailure::invalid(format!("malformed multipart body: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_string();
        let filename = field.file_name().map(str::to_owned);
        let bytes = field
            .bytes()
            .await
            .map_err(|e| ApiFailure::invalid(format!("cannot read part `{name}`: {e}")))?;
        match (name.as_str(), filename) {
            ("display_name", _) => {
                display_name = Some(String::from_utf8_lossy(&bytes).into_owned())
            }
            (n, Some(filename)) if n.starts_with("files") => files.push((filename, bytes.to_vec())),
            _ => {}
        }
    }
    if files.is_empty() {
        return Err(ApiFailure::invalid(
            "multipart body has no `files` part with a filename (each file's path in the skill)",
        ));
    }
    Ok((files, display_name))
}

/// `(name, description)` from the `SKILL.md` front matter; every file under one folder.
fn read_manifest(files: &[(String, Vec<u8>)]) -> ApiResult<(String, String)> {
    let top = |path: &str| path.split('/').next().unwrap_or_default().to_string();
    let folder = top(&files[0].0);
    if files
        .iter()
        .any(|(path, _)| !path.contains('/') || top(path) != folder)
    {
        return Err(ApiFailure::invalid(
            "all files must be in the same top-level directory (e.g. `my-skill/SKILL.md`)",
        ));
    }
    let manifest = files
        .iter()
        .find(|(path, _)| *path == format!("{folder}/SKILL.md"))
        .ok_or_else(|| ApiFailure::invalid(format!("the upload has no `{folder}/SKILL.md`")))?;
    let text = String::from_utf8_lossy(&manifest.1);
    let front = text
        .strip_prefix("---")
        .and_then(|rest| rest.split_once("\n---"))
        .map(|(front, _)| front)
        .ok_or_else(|| ApiFailure::invalid("SKILL.md must start with `---` front matter"))?;
    let field = |key: &str| {
        front.lines().find_map(|line| {
            line.strip_prefix(key)
                .and_then(|rest| rest.strip_prefix(':'))
                .map(|v| v.trim().trim_matches('"').to_string())
                .filter(|v| !v.is_empty())
        })
    };
    let name =
        field("name").ok_or_else(|| ApiFailure::invalid("SKILL.md front matter has no `name`"))?;
    let description = field("description")
        .ok_or_else(|| ApiFailure::invalid("SKILL.md front matter has no `description`"))?;
    Ok((name, description))
}

/// A version id: the creation time in microseconds, as the platform's are (the
/// `--clock`'s, if set).
fn version_id() -> String {
    crate::determinism::clock_micros()
        .map(|micros| micros.to_string())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_micros().to_string())
                .unwrap_or_default()
        })
}

fn new_version(state: &AppState, skill_id: &str, files: &[(String, Vec<u8>)]) -> ApiResult<Value> {
    let (name, description) = read_manifest(files)?;
    let stored: Vec<Value> = files
        .iter()
        .map(|(path, bytes)| json!({"path": path, "base64": base64::engine::general_purpose::STANDARD.encode(bytes)}))
        .collect();
    let version = json!({
        "type": "skill_version", "id": version_id(), "skill_id": skill_id, "name": name,
        "description": description, "created_at": now(), "_files": stored,
    });
    save(state, Kind::SkillVersion, &version)?;
    Ok(version)
}

/// `POST /v1/skills`
pub async fn create(State(state): State<AppState>, form: Multipart) -> ApiResult<Json<Value>> {
    let (files, display_name) = read_upload(form).await?;
    let id = new_id("skill");
    let version = new_version(&state, &id, &files)?;
    let at = now();
    let skill = json!({
        "type": "skill", "id": id, "source": {"type": "custom"},
        "display_name": display_name.unwrap_or_else(|| version["name"].as_str().unwrap_or_default().to_string()),
        "latest_version_id": version["id"], "created_at": at, "updated_at": at,
    });
    save(&state, Kind::Skill, &skill)?;
    Ok(Json(skill))
}

/// `GET /v1/skills/{id}`
pub async fn retrieve(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    load_skill(&state, &id).map(Json)
}

/// `GET /v1/skills`
pub async fn list(State(state): State<AppState>, query: RawQuery) -> ApiResult<Json<Value>> {
    let pairs = pairs(&query);
    let window = Window::from_pairs(&pairs, 20, 100)?;
    let source = query_value(&pairs, "source");
    let items: Vec<Value> = state
        .store
        .list(Kind::Skill)?
        .into_iter()
        .filter(|s| source.is_none_or(|src| s["source"]["type"] == src))
        .collect();
    let (data, next, _) = window.apply(&items);
    Ok(page(data, next))
}

fn versions_of(state: &AppState, skill_id: &str) -> ApiResult<Vec<Value>> {
    Ok(state
        .store
        .list(Kind::SkillVersion)?
        .into_iter()
        .filter(|v| v["skill_id"] == skill_id)
        .collect())
}

/// `DELETE /v1/skills/{id}`: only once its versions are deleted.
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    load_skill(&state, &id)?;
    let left = versions_of(&state, &id)?.len();
    if left > 0 {
        return Err(ApiFailure::invalid(format!(
            "skill `{id}` still has {left} version(s); delete them first"
        )));
    }
    state.store.delete(Kind::Skill, &id)?;
    Ok(Json(json!({"id": id, "type": "skill_deleted"})))
}

/// `POST /v1/skills/{id}/versions`
pub async fn create_version(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: Multipart,
) -> ApiResult<Json<Value>> {
    let mut skill = load_skill(&state, &id)?;
    let (files, _) = read_upload(form).await?;
    let version = new_version(&state, &id, &files)?;
    skill["latest_version_id"] = version["id"].clone();
    skill["updated_at"] = json!(now());
    save(&state, Kind::Skill, &skill)?;
    Ok(Json(public_view(&version)))
}

fn load_version(state: &AppState, skill_id: &str, version: &str) -> ApiResult<Value> {
    let skill = load_skill(state, skill_id)?;
    let wanted = if version == "latest" {
        skill["latest_version_id"].as_str().unwrap_or_default()
    } else {
        version
    };
    versions_of(state, skill_id)?
        .into_iter()
        .find(|v| v["id"] == wanted)
        .ok_or_else(|| ApiFailure::not_found("skill version", version))
}

/// `GET /v1/skills/{id}/versions/{version}` (a version id, or `latest`)
pub async fn retrieve_version(
    State(state): State<AppState>,
    Path((id, version)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    load_version(&state, &id, &version).map(|v| Json(public_view(&v)))
}

/// `GET /v1/skills/{id}/versions`
pub async fn list_versions(
    State(state): State<AppState>,
    Path(id): Path<String>,
    query: RawQuery,
) -> ApiResult<Json<Value>> {
    load_skill(&state, &id)?;
    let window = Window::from_pairs(&pairs(&query), 20, 100)?;
    let items: Vec<Value> = versions_of(&state, &id)?.iter().map(public_view).collect();
    let (data, next, _) = window.apply(&items);
    Ok(page(data, next))
}

/// `DELETE /v1/skills/{id}/versions/{version}`: the latest moves to the newest left.
pub async fn delete_version(
    State(state): State<AppState>,
    Path((id, version)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let found = load_version(&state, &id, &version)?;
    let version_id = found["id"].as_str().unwrap_or_default().to_string();
    state.store.delete(Kind::SkillVersion, &version_id)?;
    let mut skill = load_skill(&state, &id)?;
    if skill["latest_version_id"] == version_id.as_str() {
        let newest = versions_of(&state, &id)?.first().map(|v| v["id"].clone());
        skill["latest_version_id"] = newest.unwrap_or(json!(""));
        skill["updated_at"] = json!(now());
        save(&state, Kind::Skill, &skill)?;
    }
    Ok(Json(
        json!({"id": version_id, "type": "skill_version_deleted"}),
    ))
}

/// `GET /v1/skills/{id}/versions/{version}/content`: the uploaded files as a zip archive.
pub async fn download_version(
    State(state): State<AppState>,
    Path((id, version)): Path<(String, String)>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    use std::io::Write;
    let found = load_version(&state, &id, &version)?;
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for file in found["_files"].as_array().into_iter().flatten() {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(file["base64"].as_str().unwrap_or_default())
            .map_err(|e| anyhow::anyhow!("stored skill file: {e}"))?;
        archive
            .start_file(file["path"].as_str().unwrap_or_default(), options)
            .and_then(|()| archive.write_all(&bytes).map_err(Into::into))
            .map_err(|e| anyhow::anyhow!("zip: {e}"))?;
    }
    let bytes = archive
        .finish()
        .map_err(|e| anyhow::anyhow!("zip: {e}"))?
        .into_inner();
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/zip")],
        bytes,
    )
        .into_response())
}
