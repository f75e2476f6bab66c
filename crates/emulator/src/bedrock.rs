//! `--platform bedrock`: the API as Amazon Bedrock serves it, under `/anthropic`, each
//! request signed with AWS Signature Version 4 (service `bedrock`, this emulator's region,
//! one of its test key pairs) or carrying a Bedrock API key as `Authorization: Bearer`;
//! never `x-api-key`. A signature is checked over the full path (`/anthropic` included)
//! by `outrig_api::sigv4::verify`; the API is nested under the prefix.

use crate::http::ApiFailure;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use outrig_api::request::Secret;
use outrig_api::sigv4;
use serde_json::{json, Value};
use std::sync::Arc;

/// The path prefix Bedrock serves the API under.
pub const PREFIX: &str = "/anthropic";

/// How far `x-amz-date` may be from now, as AWS allows.
const SKEW_SECONDS: i64 = 15 * 60;

/// Bedrock settings.
#[derive(Debug, Clone)]
pub struct Bedrock {
    /// The region requests must be signed for (`us-east-1`).
    pub region: String,
    /// The accepted key pairs (access key id, secret).
    pub keys: Vec<(String, Secret)>,
    /// The IAM role each access key id stands for, when given: its requests are made by
    /// that `role_actor` (`created_by`, `sent_by`, `created_by_me`).
    pub roles: Vec<(String, String)>,
    /// The MCP server URL that stands for each AgentCore gateway ARN an agent names.
    pub gateways: Vec<(String, String)>,
}

/// Marks a request whose SigV4 signature was verified (no API key is asked of it).
#[derive(Debug, Clone)]
pub struct Signed {
    /// The access key id that signed it.
    pub access_key_id: String,
}

tokio::task_local! {
    /// Who made the request being served (Bedrock's `CallerIdentity`, or null).
    static CALLER: Value;
}

/// The caller of the request being served: the `role_actor` of the role its access key
/// stands for, else null (a Bedrock API key, or a key given without a role).
pub fn caller() -> Value {
    CALLER.try_with(Value::clone).unwrap_or(Value::Null)
}

/// The `role_actor` of a role ARN; its `role_id` (AWS's `AROA…` form) is derived from it.
fn role_actor(arn: &str) -> Value {
    let digest = outrig_api::digest::sha256_hex(arn.as_bytes()).to_ascii_uppercase();
    json!({"type": "role_actor", "arn": arn, "role_id": format!("AROA{}", &digest[..17])})
}

fn refused(status: StatusCode, message: impl Into<String>) -> Response {
    ApiFailure::new(status, message).into_response()
}

/// The gate's settings: the platform's, and the largest body it reads to check a
/// signature (the API's own limit).
struct Gate {
    bedrock: Bedrock,
    max_body: usize,
}

/// Nests `api` under [`PREFIX`] behind the platform's authentication; a signed body
/// longer than `max_body` is refused (413) rather than read whole.
pub fn serve(api: axum::Router, bedrock: Bedrock, max_body: usize) -> axum::Router {
    let settings = Arc::new(Gate { bedrock, max_body });
    axum::Router::new()
        .nest(
            PREFIX,
            api.layer(axum::middleware::from_fn_with_state(
                max_body,
                crate::bedrock_surface::rules,
            )),
        )
        .layer(axum::middleware::from_fn_with_state(settings, gate))
        .fallback(|| async {
            refused(
                StatusCode::NOT_FOUND,
                format!("Bedrock serves the API under `{PREFIX}/v1/…`"),
            )
        })
}

/// Checks the platform's authentication: a SigV4 signature is verified here (the API then
/// asks for no key); a Bearer key goes on to the API's own key check.
async fn gate(State(settings): State<Arc<Gate>>, request: Request, next: Next) -> Response {
    if request.headers().contains_key("x-api-key") {
        return refused(
            StatusCode::FORBIDDEN,
            "Bedrock takes no `x-api-key`: sign the request (SigV4) or send a Bedrock API key as `Authorization: Bearer`",
        );
    }
    let signed = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(sigv4::ALGORITHM));
    if !signed {
        return CALLER.scope(Value::Null, next.run(request)).await;
    }
    let (mut parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, settings.max_body).await else {
        return refused(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "request body larger than {} bytes, or unreadable",
                settings.max_body
            ),
        );
    };
    let path = parts.uri.path().to_string();
    let caller = match check(&settings.bedrock, &parts, &path, &bytes) {
        Ok(signed) => {
            let role = settings
                .bedrock
                .roles
                .iter()
                .find(|(key, _)| *key == signed.access_key_id);
            parts.extensions.insert(signed);
            role.map_or(Value::Null, |(_, arn)| role_actor(arn))
        }
        Err(why) => return refused(StatusCode::FORBIDDEN, why),
    };
    CALLER
        .scope(
            caller,
            next.run(Request::from_parts(parts, Body::from(bytes))),
        )
        .await
}

/// Verifies the signature and the signing time.
fn check(
    bedrock: &Bedrock,
    parts: &axum::http::request::Parts,
    path: &str,
    body: &[u8],
) -> Result<Signed, String> {
    let headers: Vec<(&str, &str)> = parts
        .headers
        .iter()
        .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
        .collect();
    let request = sigv4::Request {
        method: parts.method.as_str(),
        path,
        query: parts.uri.query().unwrap_or_default(),
        headers: &headers,
        body,
    };
    let secret_of = |id: &str| {
        bedrock
            .keys
            .iter()
            .find(|(key, _)| key == id)
            .map(|(_, secret)| secret.clone())
    };
    let verified = sigv4::verify(&request, secret_of, &bedrock.region, "bedrock")
        .map_err(|e| e.to_string())?;
    let amz_date = parts
        .headers
        .get("x-amz-date")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let signed_at = outrig_api::sigv4::parse_amz_date(amz_date)
        .ok_or("`x-amz-date` is not YYYYMMDDTHHMMSSZ")?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    if (now - signed_at).abs() > SKEW_SECONDS {
        return Err(format!(
            "the signature's time {amz_date} is more than 15 minutes from now"
        ));
    }
    Ok(Signed {
        access_key_id: verified.access_key_id,
    })
}
