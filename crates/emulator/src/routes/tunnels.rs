//! `/v1/tunnels` (MCP tunnels) and their CA certificates. The emulator opens no tunnel;
//! it keeps the objects, hands out and rotates tokens, and fingerprints certificates.

use super::{
    list_page, load, mark_archived, optional_str, pairs, public_view, refuse_archived,
    required_str, save,
};
use crate::app::AppState;
use crate::http::{new_id, now, parse_body, ApiFailure, ApiResult};
use crate::store::Kind;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::Json;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

fn load_tunnel(state: &AppState, id: &str) -> ApiResult<Value> {
    load(state, Kind::Tunnel, "tunnel", "tunnel_not_found", id)
}

fn parse_optional(body: &Bytes) -> ApiResult<Value> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    parse_body(body)
}

/// `POST /v1/tunnels` (the token is kept in `_token`, shown only by reveal/rotate)
pub async fn create(State(state): State<AppState>, body: Bytes) -> ApiResult<Json<Value>> {
    let params = parse_optional(&body)?;
    let id = new_id("tunl");
    let tunnel = json!({
        "type": "tunnel", "id": id, "display_name": optional_str(&params, "display_name")?,
        "domain": format!("{}.tunnels.emulator.invalid", id.trim_start_matches("tunl_")),
        "created_at": now(), "archived_at": null, "_token": new_id("tunnel_token"),
    });
    save(&state, Kind::Tunnel, &tunnel)?;
    Ok(Json(public_view(&tunnel)))
}

/// `GET /v1/tunnels/{id}`
pub async fn retrieve(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    load_tunnel(&state, &id).map(|t| Json(public_view(&t)))
}

/// `GET /v1/tunnels`
pub async fn list(State(state): State<AppState>, query: RawQuery) -> ApiResult<Json<Value>> {
    let Json(mut page) = list_page(&state, Kind::Tunnel, &pairs(&query), |_| true)?;
    for tunnel in page["data"].as_array_mut().into_iter().flatten() {
        *tunnel = public_view(tunnel);
    }
    Ok(Json(page))
}

/// `POST /v1/tunnels/{id}/archive`
pub async fn archive(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut tunnel = load_tunnel(&state, &id)?;
    if tunnel["archived_at"].is_null() {
        tunnel["archived_at"] = json!(now());
        save(&state, Kind::Tunnel, &tunnel)?;
    }
    Ok(Json(public_view(&tunnel)))
}

fn token(tunnel: &Value) -> Value {
    json!({"type": "tunnel_token", "id": tunnel["id"], "tunnel_token": tunnel["_token"]})
}

/// `POST /v1/tunnels/{id}/reveal_token`
pub async fn reveal_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let tunnel = load_tunnel(&state, &id)?;
    refuse_archived(&tunnel, "tunnel")?;
    Ok(Json(token(&tunnel)))
}

/// `POST /v1/tunnels/{id}/rotate_token`: the old token stops working.
pub async fn rotate_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let params = parse_optional(&body)?;
    optional_str(&params, "reason")?;
    let mut tunnel = load_tunnel(&state, &id)?;
    refuse_archived(&tunnel, "tunnel")?;
    tunnel["_token"] = json!(new_id("tunnel_token"));
    save(&state, Kind::Tunnel, &tunnel)?;
    Ok(Json(token(&tunnel)))
}

/// A CA certificate's SHA-256 fingerprint (`AB:CD:…`) and its `notAfter` (RFC 3339).
fn inspect_certificate(pem: &str) -> ApiResult<(String, String)> {
    let der = outrig_api::pem::certificate_der(pem).ok_or_else(|| {
        ApiFailure::invalid("`ca_certificate_pem` is not a PEM `CERTIFICATE` block")
    })?;
    let certificate =
        <x509_cert::Certificate as x509_cert::der::Decode>::from_der(&der).map_err(|e| {
            ApiFailure::invalid(format!(
                "`ca_certificate_pem` is not an X.509 certificate: {e}"
            ))
        })?;
    let not_after = certificate
        .tbs_certificate
        .validity
        .not_after
        .to_unix_duration();
    let fingerprint = Sha256::digest(&der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":");
    let expires_at = outrig_api::time::rfc3339_from_micros(not_after.as_micros() as i64);
    Ok((fingerprint, expires_at))
}

fn load_certificate(state: &AppState, tunnel_id: &str, id: &str) -> ApiResult<Value> {
    load_tunnel(state, tunnel_id)?;
    let certificate = load(
        state,
        Kind::TunnelCertificate,
        "tunnel certificate",
        "tunnel_certificate_not_found",
        id,
    )?;
    if certificate["tunnel_id"] != tunnel_id {
        return Err(ApiFailure::not_found("tunnel certificate", id));
    }
    Ok(certificate)
}

/// `POST /v1/tunnels/{id}/certificates`
pub async fn create_certificate(
    State(state): State<AppState>,
    Path(tunnel_id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let params: Value = parse_body(&body)?;
    let tunnel = load_tunnel(&state, &tunnel_id)?;
    refuse_archived(&tunnel, "tunnel")?;
    let (fingerprint, expires_at) =
        inspect_certificate(required_str(&params, "ca_certificate_pem")?)?;
    let certificate = json!({
        "type": "tunnel_certificate", "id": new_id("tcert"), "tunnel_id": tunnel_id,
        "fingerprint": fingerprint, "expires_at": expires_at, "created_at": now(), "archived_at": null,
    });
    save(&state, Kind::TunnelCertificate, &certificate)?;
    Ok(Json(certificate))
}

/// `GET /v1/tunnels/{id}/certificates/{cid}`
pub async fn retrieve_certificate(
    State(state): State<AppState>,
    Path((tunnel_id, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    load_certificate(&state, &tunnel_id, &id).map(Json)
}

/// `GET /v1/tunnels/{id}/certificates`
pub async fn list_certificates(
    State(state): State<AppState>,
    Path(tunnel_id): Path<String>,
    query: RawQuery,
) -> ApiResult<Json<Value>> {
    load_tunnel(&state, &tunnel_id)?;
    list_page(&state, Kind::TunnelCertificate, &pairs(&query), |c| {
        c["tunnel_id"] == tunnel_id.as_str()
    })
}

/// `POST /v1/tunnels/{id}/certificates/{cid}/archive`
pub async fn archive_certificate(
    State(state): State<AppState>,
    Path((tunnel_id, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    let mut certificate = load_certificate(&state, &tunnel_id, &id)?;
    if mark_archived(&mut certificate) {
        if let Some(fields) = certificate.as_object_mut() {
            fields.remove("updated_at");
        }
        save(&state, Kind::TunnelCertificate, &certificate)?;
    }
    Ok(Json(certificate))
}
