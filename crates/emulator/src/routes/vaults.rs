//! `/v1/vaults` and their credentials. A credential's secrets (tokens, refresh tokens,
//! client secrets, secret values) are write-only: kept apart and never served.

use super::{
    list_page, load, mark_archived, new_metadata, optional_str, pairs, patch_object_metadata,
    refuse_archived, required_str, save,
};
use crate::app::AppState;
use crate::http::{new_id, now, parse_body, ApiFailure, ApiResult};
use crate::store::Kind;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::Json;
use serde_json::{json, Value};

/// Loads a vault or answers 404.
pub fn load_vault(state: &AppState, id: &str) -> ApiResult<Value> {
    load(state, Kind::Vault, "vault", "vault_not_found", id)
}

fn load_credential(state: &AppState, vault_id: &str, id: &str) -> ApiResult<Value> {
    load_vault(state, vault_id)?;
    let credential = load(
        state,
        Kind::Credential,
        "credential",
        "credential_not_found",
        id,
    )?;
    if credential["vault_id"] != vault_id {
        return Err(ApiFailure::not_found("credential", id).code("credential_not_found"));
    }
    Ok(credential)
}

/// `POST /v1/vaults`
pub async fn create(State(state): State<AppState>, body: Bytes) -> ApiResult<Json<Value>> {
    let params: Value = parse_body(&body)?;
    let at = now();
    let vault = json!({
        "type": "vault", "id": new_id("vlt"),
        "display_name": required_str(&params, "display_name")?,
        "metadata": new_metadata(&params["metadata"])?,
        "created_at": at, "updated_at": at, "archived_at": null,
    });
    save(&state, Kind::Vault, &vault)?;
    state
        .emitter
        .resource_webhook("vault.created", &vault, None);
    Ok(Json(vault))
}

/// `GET /v1/vaults/{id}`
pub async fn retrieve(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    load_vault(&state, &id).map(Json)
}

/// `POST /v1/vaults/{id}`
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let params: Value = parse_body(&body)?;
    let mut vault = load_vault(&state, &id)?;
    refuse_archived(&vault, "vault")?;
    if params.get("display_name").is_some_and(|v| !v.is_null()) {
        vault["display_name"] = json!(required_str(&params, "display_name")?);
    }
    patch_object_metadata(&mut vault, &params["metadata"])?;
    vault["updated_at"] = json!(now());
    save(&state, Kind::Vault, &vault)?;
    Ok(Json(vault))
}

/// `GET /v1/vaults`
pub async fn list(State(state): State<AppState>, query: RawQuery) -> ApiResult<Json<Value>> {
    list_page(&state, Kind::Vault, &pairs(&query), |_| true)
}

/// `DELETE /v1/vaults/{id}`: its credentials go with it.
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let vault = load_vault(&state, &id)?;
    for credential in state.store.list(Kind::Credential)? {
        if credential["vault_id"] == id.as_str() {
            let cid = credential["id"].as_str().unwrap_or_default();
            state.store.delete(Kind::Credential, cid)?;
            state.store.delete(Kind::CredentialSecret, cid)?;
        }
    }
    state.store.delete(Kind::Vault, &id)?;
    state
        .emitter
        .resource_webhook("vault.deleted", &vault, None);
    Ok(Json(json!({"id": id, "type": "vault_deleted"})))
}

/// `POST /v1/vaults/{id}/archive`
pub async fn archive(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut vault = load_vault(&state, &id)?;
    if mark_archived(&mut vault) {
        save(&state, Kind::Vault, &vault)?;
        state
            .emitter
            .resource_webhook("vault.archived", &vault, None);
    }
    Ok(Json(vault))
}

/// Splits credential `auth` params into what is served and the secrets kept apart.
/// `stored` is the served auth being updated (`None` on create).
fn split_auth(auth: &Value, stored: Option<&Value>, secrets: &mut Value) -> ApiResult<Value> {
    let kind = required_str(auth, "type").map_err(|_| {
        ApiFailure::invalid(
            "`auth.type` must be `mcp_oauth`, `static_bearer` or `environment_variable`",
        )
    })?;
    if let Some(stored) = stored {
        if stored["type"] != kind {
            return Err(ApiFailure::invalid(format!(
                "`auth.type` cannot change from `{}` to `{kind}`",
                stored["type"].as_str().unwrap_or_default()
            )));
        }
    }
    let creating = stored.is_none();
    let mut served = stored.cloned().unwrap_or_else(|| json!({"type": kind}));
    let mut keep_secret = |field: &str, required: bool| -> ApiResult<()> {
        match optional_str(auth, field)? {
            Some(value) => secrets[field] = json!(value),
            None if required && creating => {
                return Err(ApiFailure::invalid(format!("missing field `auth.{field}`")))
            }
            None => {}
        }
        Ok(())
    };
    match kind {
        "static_bearer" => {
            keep_secret("token", true)?;
            if creating {
                served["mcp_server_url"] = json!(required_str(auth, "mcp_server_url")?);
            }
        }
        "mcp_oauth" => {
            keep_secret("access_token", true)?;
            if creating {
                served["mcp_server_url"] = json!(required_str(auth, "mcp_server_url")?);
            }
            if auth.get("expires_at").is_some() || creating {
                served["expires_at"] = auth.get("expires_at").cloned().unwrap_or(Value::Null);
            }
            match auth.get("refresh") {
                None if creating => served["refresh"] = Value::Null,
                None => {}
                Some(Value::Null) => served["refresh"] = Value::Null,
                Some(refresh) => served["refresh"] = split_refresh(refresh, &served["refresh"], secrets)?,
            }
        }
        "environment_variable" => {
            keep_secret("secret_value", true)?;
            if creating {
                served["secret_name"] = json!(required_str(auth, "secret_name")?);
            }
            let location = auth.get("injection_location").filter(|v| !v.is_null());
            let mut served_location = served
                .get("injection_location")
                .cloned()
                .unwrap_or_else(|| json!({"body": false, "header": true}));
            for side in ["body", "header"] {
                if let Some(flag) = location.and_then(|l| l.get(side)).and_then(Value::as_bool) {
                    served_location[side] = json!(flag);
                }
            }
            served["injection_location"] = served_location;
            match auth.get("networking").filter(|v| !v.is_null()) {
                Some(networking) => served["networking"] = credential_networking(networking)?,
                None if creating => {
                    return Err(ApiFailure::invalid("missing field `auth.networking`"))
                }
                None => {}
            }
        }
        other => {
            return Err(ApiFailure::invalid(format!(
                "`auth.type`: unknown type `{other}`; expected `mcp_oauth`, `static_bearer` or `environment_variable`"
            )))
        }
    }
    Ok(served)
}

fn split_refresh(refresh: &Value, stored: &Value, secrets: &mut Value) -> ApiResult<Value> {
    let mut served = if stored.is_object() {
        stored.clone()
    } else {
        json!({})
    };
    let creating = !stored.is_object();
    for field in ["client_id", "token_endpoint"] {
        match optional_str(refresh, field)? {
            Some(value) => served[field] = json!(value),
            None if creating => {
                return Err(ApiFailure::invalid(format!(
                    "missing field `auth.refresh.{field}`"
                )))
            }
            None => {}
        }
    }
    for field in ["resource", "scope"] {
        if refresh.get(field).is_some() || creating {
            served[field] = json!(optional_str(refresh, field)?);
        }
    }
    match optional_str(refresh, "refresh_token")? {
        Some(token) => secrets["refresh_token"] = json!(token),
        None if creating => {
            return Err(ApiFailure::invalid(
                "missing field `auth.refresh.refresh_token`",
            ))
        }
        None => {}
    }
    if let Some(auth) = refresh.get("token_endpoint_auth").filter(|v| !v.is_null()) {
        let kind = required_str(auth, "type")?;
        match kind {
            "none" => {}
            "client_secret_basic" | "client_secret_post" => {
                if let Some(secret) = optional_str(auth, "client_secret")? {
                    secrets["client_secret"] = json!(secret);
                } else if creating {
                    return Err(ApiFailure::invalid(
                        "missing field `auth.refresh.token_endpoint_auth.client_secret`",
                    ));
                }
            }
            other => {
                return Err(ApiFailure::invalid(format!(
                    "`auth.refresh.token_endpoint_auth.type`: unknown type `{other}`"
                )))
            }
        }
        served["token_endpoint_auth"] = json!({"type": kind});
    } else if creating {
        return Err(ApiFailure::invalid(
            "missing field `auth.refresh.token_endpoint_auth`",
        ));
    }
    Ok(served)
}

fn credential_networking(networking: &Value) -> ApiResult<Value> {
    match networking["type"].as_str() {
        Some("unrestricted") => Ok(json!({"type": "unrestricted"})),
        Some("limited") => {
            let hosts = networking["allowed_hosts"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if !hosts.iter().all(Value::is_string) {
                return Err(ApiFailure::invalid(
                    "`auth.networking.allowed_hosts` must be strings",
                ));
            }
            Ok(json!({"type": "limited", "allowed_hosts": hosts}))
        }
        _ => Err(ApiFailure::invalid(
            "`auth.networking.type` must be `unrestricted` or `limited`",
        )),
    }
}

/// `POST /v1/vaults/{id}/credentials`
pub async fn create_credential(
    State(state): State<AppState>,
    Path(vault_id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let params: Value = parse_body(&body)?;
    let vault = load_vault(&state, &vault_id)?;
    refuse_archived(&vault, "vault")?;
    let auth = params
        .get("auth")
        .filter(|a| a.is_object())
        .ok_or_else(|| ApiFailure::invalid("missing field `auth`"))?;
    let mut secrets = json!({});
    let served = split_auth(auth, None, &mut secrets)?;
    let at = now();
    let id = new_id("vcrd");
    let credential = json!({
        "type": "vault_credential", "id": id, "vault_id": vault_id, "auth": served,
        "display_name": optional_str(&params, "display_name")?,
        "metadata": new_metadata(&params["metadata"])?,
        "created_at": at, "updated_at": at, "archived_at": null,
    });
    save(&state, Kind::Credential, &credential)?;
    save(
        &state,
        Kind::CredentialSecret,
        &json!({"id": id, "secrets": secrets}),
    )?;
    state.emitter.resource_webhook(
        "vault_credential.created",
        &credential,
        Some(("vault_id", &vault_id)),
    );
    Ok(Json(credential))
}

/// `GET /v1/vaults/{id}/credentials/{cid}`
pub async fn retrieve_credential(
    State(state): State<AppState>,
    Path((vault_id, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    load_credential(&state, &vault_id, &id).map(Json)
}

/// `POST /v1/vaults/{id}/credentials/{cid}`
pub async fn update_credential(
    State(state): State<AppState>,
    Path((vault_id, id)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let params: Value = parse_body(&body)?;
    let mut credential = load_credential(&state, &vault_id, &id)?;
    refuse_archived(&credential, "credential")?;
    let mut secret_row = state
        .store
        .get(Kind::CredentialSecret, &id, None)?
        .unwrap_or_else(|| json!({"id": id, "secrets": {}}));
    if let Some(auth) = params.get("auth").filter(|a| !a.is_null()) {
        credential["auth"] =
            split_auth(auth, Some(&credential["auth"]), &mut secret_row["secrets"])?;
    }
    if params.get("display_name").is_some() {
        credential["display_name"] = json!(optional_str(&params, "display_name")?);
    }
    patch_object_metadata(&mut credential, &params["metadata"])?;
    credential["updated_at"] = json!(now());
    save(&state, Kind::Credential, &credential)?;
    save(&state, Kind::CredentialSecret, &secret_row)?;
    Ok(Json(credential))
}

/// `GET /v1/vaults/{id}/credentials`
pub async fn list_credentials(
    State(state): State<AppState>,
    Path(vault_id): Path<String>,
    query: RawQuery,
) -> ApiResult<Json<Value>> {
    load_vault(&state, &vault_id)?;
    list_page(&state, Kind::Credential, &pairs(&query), |c| {
        c["vault_id"] == vault_id.as_str()
    })
}

/// `DELETE /v1/vaults/{id}/credentials/{cid}`
pub async fn delete_credential(
    State(state): State<AppState>,
    Path((vault_id, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let credential = load_credential(&state, &vault_id, &id)?;
    state.store.delete(Kind::Credential, &id)?;
    state.store.delete(Kind::CredentialSecret, &id)?;
    state.emitter.resource_webhook(
        "vault_credential.deleted",
        &credential,
        Some(("vault_id", &vault_id)),
    );
    Ok(Json(json!({"id": id, "type": "vault_credential_deleted"})))
}

/// `POST /v1/vaults/{id}/credentials/{cid}/archive`
pub async fn archive_credential(
    State(state): State<AppState>,
    Path((vault_id, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let mut credential = load_credential(&state, &vault_id, &id)?;
    if mark_archived(&mut credential) {
        save(&state, Kind::Credential, &credential)?;
        state.emitter.resource_webhook(
            "vault_credential.archived",
            &credential,
            Some(("vault_id", &vault_id)),
        );
    }
    Ok(Json(credential))
}

/// `POST /v1/vaults/{id}/credentials/{cid}/mcp_oauth_validate`: the emulator reaches no MCP
/// server, so it answers `unknown` and says whether a refresh token is on file.
pub async fn validate_credential(
    State(state): State<AppState>,
    Path((vault_id, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let credential = load_credential(&state, &vault_id, &id)?;
    if credential["auth"]["type"] != "mcp_oauth" {
        return Err(ApiFailure::invalid(format!(
            "credential `{id}` is not an `mcp_oauth` credential"
        )));
    }
    let secrets = state
        .store
        .get(Kind::CredentialSecret, &id, None)?
        .unwrap_or_default();
    let has_refresh = secrets["secrets"]["refresh_token"].is_string();
    Ok(Json(json!({
        "type": "vault_credential_validation", "credential_id": id, "vault_id": vault_id,
        "status": "unknown", "has_refresh_token": has_refresh,
        "mcp_probe": null,
        "refresh": if has_refresh { Value::Null } else { json!({"status": "no_refresh_token", "http_response": null}) },
        "validated_at": now(),
    })))
}
