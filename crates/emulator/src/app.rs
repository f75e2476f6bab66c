//! Shared state, middleware and the router.

use crate::config::Config;
use crate::emit::Emitter;
use crate::engine::Engine;
use crate::http::ApiFailure;
use crate::store::Store;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use outrig_api::request::beta_header_contains;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tower_http::cors::{AllowHeaders, AllowMethods, AllowOrigin, CorsLayer, ExposeHeaders};

/// Everything a route needs.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Arc<Store>,
    /// Event writer.
    pub emitter: Arc<Emitter>,
    /// The emulated agents.
    pub engine: Arc<Engine>,
    /// Settings.
    pub config: Arc<Config>,
    /// Wakes long polls of the work queue when an item is queued.
    pub work_arrived: Arc<tokio::sync::Notify>,
    /// When each worker (`Anthropic-Worker-ID`) last polled, per environment.
    workers: Arc<Mutex<HashMap<String, HashMap<String, Instant>>>>,
    /// Requests in the current one-second window, per API key.
    rate: Arc<Mutex<HashMap<String, (Instant, u32)>>>,
    /// Sessions given back by a recording (`--replay DIR`), with their events' pace.
    pub replays: Arc<crate::replay::Pacing>,
}

impl AppState {
    /// Bundles the parts.
    pub fn new(
        store: Arc<Store>,
        emitter: Arc<Emitter>,
        engine: Arc<Engine>,
        config: Config,
        replays: crate::replay::Pacing,
    ) -> Self {
        AppState {
            store,
            emitter,
            engine,
            config: Arc::new(config),
            work_arrived: Default::default(),
            workers: Default::default(),
            rate: Default::default(),
            replays: Arc::new(replays),
        }
    }

    /// Notes that a worker polled an environment's queue.
    pub fn note_worker(&self, environment_id: &str, worker: &str) {
        let mut workers = self.workers.lock().unwrap_or_else(|p| p.into_inner());
        workers
            .entry(environment_id.to_string())
            .or_default()
            .insert(worker.to_string(), Instant::now());
    }

    /// How many workers polled an environment's queue in the last 30 s.
    pub fn workers_polling(&self, environment_id: &str) -> usize {
        let workers = self.workers.lock().unwrap_or_else(|p| p.into_inner());
        workers.get(environment_id).map_or(0, |w| {
            w.values()
                .filter(|at| at.elapsed() < std::time::Duration::from_secs(30))
                .count()
        })
    }
}

/// The whole HTTP surface: the route table's endpoints (see [`crate::routes::table`]), or
/// the names of the table's routes that have no handler.
pub fn router(state: AppState) -> Result<Router, Vec<&'static str>> {
    let api = crate::routes::table::endpoints()?
        .fallback(|| async { ApiFailure::new(StatusCode::NOT_FOUND, "no such endpoint") })
        .layer(middleware::from_fn_with_state(state.clone(), limit_body))
        .layer(middleware::from_fn_with_state(state.clone(), authenticate))
        .layer(middleware::from_fn(request_id))
        .with_state(state.clone());
    let app = match &state.config.www {
        Some(dir) => api.fallback_service(tower_http::services::ServeDir::new(dir)),
        None => api,
    };
    Ok(app
        .layer(cors())
        .layer(middleware::from_fn(crate::trace::request_span)))
}

fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods(AllowMethods::list([
            Method::GET,
            Method::POST,
            Method::DELETE,
        ]))
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers(ExposeHeaders::list([
            "request-id".parse().expect("static"),
            "retry-after".parse().expect("static"),
        ]))
        .max_age(std::time::Duration::from_secs(600))
}

/// The key a request presents: `x-api-key`, or `Authorization: Bearer`.
fn presented_key(headers: &HeaderMap) -> Option<&str> {
    if let Some(key) = headers.get("x-api-key").and_then(|v| v.to_str().ok()) {
        return Some(key);
    }
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
}

async fn authenticate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let keys = &state.config.api_keys;
    // A Bedrock request whose SigV4 signature was verified needs no key.
    let signed = request
        .extensions()
        .get::<crate::bedrock::Signed>()
        .map(|s| s.access_key_id.clone());
    let key = match signed
        .as_deref()
        .or_else(|| presented_key(request.headers()))
    {
        Some(id) if signed.is_some() => id.to_string(),
        None => {
            return ApiFailure::new(
                StatusCode::UNAUTHORIZED,
                "missing API key: send `x-api-key: KEY` or `Authorization: Bearer KEY`",
            )
            .into_response()
        }
        // A work item's sessions token: valid for its session only, whatever keys are set.
        Some(token) if token.starts_with(crate::routes::work::SESSIONS_TOKEN_PREFIX) => {
            let allowed = crate::routes::work::token_allows(
                &state,
                token,
                request.method().as_str(),
                request.uri().path(),
            );
            return match allowed {
                Ok(()) => next.run(request).await,
                Err(why) if why.starts_with("invalid") => {
                    ApiFailure::new(StatusCode::UNAUTHORIZED, why).into_response()
                }
                Err(why) => ApiFailure::new(StatusCode::FORBIDDEN, why).into_response(),
            };
        }
        Some(key) if !keys.is_empty() && !keys.iter().any(|k| k == key) => {
            return ApiFailure::new(StatusCode::UNAUTHORIZED, "invalid API key").into_response()
        }
        Some(key) => key.to_string(),
    };
    if let Some(limit) = state.config.rate_limit {
        let mut windows = state.rate.lock().unwrap_or_else(|p| p.into_inner());
        let window = windows.entry(key).or_insert((Instant::now(), 0));
        if window.0.elapsed().as_secs() >= 1 {
            *window = (Instant::now(), 0);
        }
        window.1 += 1;
        if window.1 > limit {
            let mut failure = ApiFailure::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!("rate limit of {limit} requests per second exceeded"),
            );
            failure.retry_after = Some(1);
            return failure.into_response();
        }
    }
    next.run(request).await
}

/// Answers 400 unless the request's `anthropic-beta` names one of `betas`.
pub(crate) async fn require_any_beta(
    betas: &[&'static str],
    request: Request,
    next: Next,
) -> Response {
    let ok = request
        .headers()
        .get_all("anthropic-beta")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| betas.iter().any(|beta| beta_header_contains(v, beta)));
    if !ok {
        return ApiFailure::invalid(format!(
            "this endpoint requires the beta header `anthropic-beta: {}`",
            betas[0]
        ))
        .into_response();
    }
    next.run(request).await
}

/// Every answer carries a `request-id`, as the platform's do (errors set their own, which
/// their body repeats).
async fn request_id(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if !response.headers().contains_key("request-id") {
        let id = crate::http::new_id("req");
        response.headers_mut().insert(
            "request-id",
            axum::http::HeaderValue::from_str(&id).expect("ascii id"),
        );
    }
    response
}

async fn limit_body(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limit = state.config.max_body;
    let too_large = || {
        ApiFailure::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("request body is larger than the {limit}-byte limit"),
        )
        .into_response()
    };
    let declared = request
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(_) => too_large(),
    }
}
