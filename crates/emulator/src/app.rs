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
use axum::routing::{get, post};
use axum::Router;
use outrig_api::request::{
    beta_header_contains, DREAMS_BETA, MANAGED_AGENTS_BETA, MEMORY_BETA, TUNNELS_BETA,
    WEBHOOKS_BETA,
};
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
}

impl AppState {
    /// Bundles the parts.
    pub fn new(
        store: Arc<Store>,
        emitter: Arc<Emitter>,
        engine: Arc<Engine>,
        config: Config,
    ) -> Self {
        AppState {
            store,
            emitter,
            engine,
            config: Arc::new(config),
            work_arrived: Default::default(),
            workers: Default::default(),
            rate: Default::default(),
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

/// The whole HTTP surface.
pub fn router(state: AppState) -> Router {
    use crate::routes::{
        agents, deployments, dreams, environments, events, extras, memory, org_webhooks, sessions,
        skills, threads, tunnels, vaults, work,
    };
    let managed = Router::new()
        .route("/v1/agents", post(agents::create).get(agents::list))
        .route(
            "/v1/agents/{id}",
            get(agents::retrieve).post(agents::update),
        )
        .route("/v1/agents/{id}/archive", post(agents::archive))
        .route("/v1/agents/{id}/versions", get(agents::versions))
        .route(
            "/v1/environments",
            post(environments::create).get(environments::list),
        )
        .route(
            "/v1/environments/{id}",
            get(environments::retrieve)
                .post(environments::update)
                .delete(environments::delete),
        )
        .route("/v1/environments/{id}/archive", post(environments::archive))
        .route("/v1/sessions", post(sessions::create).get(sessions::list))
        .route(
            "/v1/sessions/{id}",
            get(sessions::retrieve)
                .post(sessions::update)
                .delete(sessions::delete),
        )
        .route("/v1/sessions/{id}/archive", post(sessions::archive))
        .route(
            "/v1/sessions/{id}/events",
            post(events::send).get(events::list),
        )
        .route("/v1/sessions/{id}/events/stream", get(events::stream))
        .route(
            "/v1/sessions/{id}/resources",
            get(extras::list_resources).post(extras::add_resource),
        )
        .route(
            "/v1/sessions/{id}/resources/{rid}",
            get(extras::get_resource)
                .post(extras::update_resource)
                .delete(extras::delete_resource),
        )
        .route("/v1/sessions/{id}/threads", get(threads::list_threads))
        .route("/v1/sessions/{id}/threads/{tid}", get(threads::get_thread))
        .route(
            "/v1/sessions/{id}/threads/{tid}/archive",
            post(threads::archive_thread),
        )
        .route(
            "/v1/sessions/{id}/threads/{tid}/events",
            get(threads::thread_events),
        )
        .route(
            "/v1/sessions/{id}/threads/{tid}/stream",
            get(threads::thread_stream),
        )
        .route("/v1/environments/{id}/work", get(work::list))
        .route("/v1/environments/{id}/work/poll", get(work::poll))
        .route("/v1/environments/{id}/work/stats", get(work::stats))
        .route(
            "/v1/environments/{id}/work/{wid}",
            get(work::retrieve).post(work::update),
        )
        .route("/v1/environments/{id}/work/{wid}/ack", post(work::ack))
        .route(
            "/v1/environments/{id}/work/{wid}/heartbeat",
            post(work::heartbeat),
        )
        .route("/v1/environments/{id}/work/{wid}/stop", post(work::stop))
        .route("/v1/vaults", post(vaults::create).get(vaults::list))
        .route(
            "/v1/vaults/{id}",
            get(vaults::retrieve)
                .post(vaults::update)
                .delete(vaults::delete),
        )
        .route("/v1/vaults/{id}/archive", post(vaults::archive))
        .route(
            "/v1/vaults/{id}/credentials",
            post(vaults::create_credential).get(vaults::list_credentials),
        )
        .route(
            "/v1/vaults/{id}/credentials/{cid}",
            get(vaults::retrieve_credential)
                .post(vaults::update_credential)
                .delete(vaults::delete_credential),
        )
        .route(
            "/v1/vaults/{id}/credentials/{cid}/archive",
            post(vaults::archive_credential),
        )
        .route(
            "/v1/vaults/{id}/credentials/{cid}/mcp_oauth_validate",
            post(vaults::validate_credential),
        )
        .route(
            "/v1/deployments",
            post(deployments::create).get(deployments::list),
        )
        .route(
            "/v1/deployments/{id}",
            get(deployments::retrieve).post(deployments::update),
        )
        .route("/v1/deployments/{id}/archive", post(deployments::archive))
        .route("/v1/deployments/{id}/pause", post(deployments::pause))
        .route("/v1/deployments/{id}/unpause", post(deployments::unpause))
        .route("/v1/deployments/{id}/run", post(deployments::run))
        .route("/v1/deployment_runs", get(deployments::list_runs))
        .route("/v1/deployment_runs/{id}", get(deployments::retrieve_run))
        .route_layer(middleware::from_fn(|r, n| {
            require_beta(MANAGED_AGENTS_BETA, r, n)
        }));
    let memory = Router::new()
        .route(
            "/v1/memory_stores",
            post(memory::create_store).get(memory::list_stores),
        )
        .route(
            "/v1/memory_stores/{id}",
            get(memory::retrieve_store)
                .post(memory::update_store)
                .delete(memory::delete_store),
        )
        .route(
            "/v1/memory_stores/{id}/archive",
            post(memory::archive_store),
        )
        .route(
            "/v1/memory_stores/{id}/memories",
            post(memory::create_memory).get(memory::list_memories),
        )
        .route(
            "/v1/memory_stores/{id}/memories/{mid}",
            get(memory::retrieve_memory)
                .post(memory::update_memory)
                .delete(memory::delete_memory),
        )
        .route(
            "/v1/memory_stores/{id}/memory_versions",
            get(memory::list_versions),
        )
        .route(
            "/v1/memory_stores/{id}/memory_versions/{vid}",
            get(memory::retrieve_version),
        )
        .route(
            "/v1/memory_stores/{id}/memory_versions/{vid}/redact",
            post(memory::redact_version),
        )
        .route_layer(middleware::from_fn(|r, n| {
            require_any_beta(&[MEMORY_BETA, MANAGED_AGENTS_BETA], r, n)
        }));
    let dreams = Router::new()
        .route("/v1/dreams", post(dreams::create).get(dreams::list))
        .route("/v1/dreams/{id}", get(dreams::retrieve))
        .route("/v1/dreams/{id}/archive", post(dreams::archive))
        .route("/v1/dreams/{id}/cancel", post(dreams::cancel))
        .route_layer(middleware::from_fn(|r, n| require_beta(DREAMS_BETA, r, n)));
    let tunnels = Router::new()
        .route("/v1/tunnels", post(tunnels::create).get(tunnels::list))
        .route("/v1/tunnels/{id}", get(tunnels::retrieve))
        .route("/v1/tunnels/{id}/archive", post(tunnels::archive))
        .route("/v1/tunnels/{id}/reveal_token", post(tunnels::reveal_token))
        .route("/v1/tunnels/{id}/rotate_token", post(tunnels::rotate_token))
        .route(
            "/v1/tunnels/{id}/certificates",
            post(tunnels::create_certificate).get(tunnels::list_certificates),
        )
        .route(
            "/v1/tunnels/{id}/certificates/{cid}",
            get(tunnels::retrieve_certificate),
        )
        .route(
            "/v1/tunnels/{id}/certificates/{cid}/archive",
            post(tunnels::archive_certificate),
        )
        .route_layer(middleware::from_fn(|r, n| require_beta(TUNNELS_BETA, r, n)));
    let skills = Router::new()
        .route("/v1/skills", post(skills::create).get(skills::list))
        .route(
            "/v1/skills/{id}",
            get(skills::retrieve).delete(skills::delete),
        )
        .route(
            "/v1/skills/{id}/versions",
            post(skills::create_version).get(skills::list_versions),
        )
        .route(
            "/v1/skills/{id}/versions/{version}",
            get(skills::retrieve_version).delete(skills::delete_version),
        )
        .route(
            "/v1/skills/{id}/versions/{version}/content",
            get(skills::download_version),
        );
    let files = Router::new()
        .route(
            "/v1/files",
            post(extras::upload_file).get(extras::list_files),
        )
        .route(
            "/v1/files/{id}",
            get(extras::get_file).delete(extras::delete_file),
        )
        .route("/v1/files/{id}/content", get(extras::file_content));
    let org_webhooks = Router::new()
        .route(
            "/v1/organizations/webhooks",
            post(org_webhooks::create).get(org_webhooks::list),
        )
        .route(
            "/v1/organizations/webhooks/{id}",
            get(org_webhooks::retrieve)
                .post(org_webhooks::update)
                .delete(org_webhooks::delete),
        )
        .route(
            "/v1/organizations/webhooks/{id}/regenerate_signing_secret",
            post(org_webhooks::regenerate_signing_secret),
        )
        .route_layer(middleware::from_fn(|r, n| {
            require_beta(WEBHOOKS_BETA, r, n)
        }));
    let api = managed
        .merge(memory)
        .merge(org_webhooks)
        .merge(dreams)
        .merge(tunnels)
        .merge(skills)
        .merge(files)
        .fallback(|| async { ApiFailure::new(StatusCode::NOT_FOUND, "no such endpoint") })
        .layer(middleware::from_fn_with_state(state.clone(), limit_body))
        .layer(middleware::from_fn_with_state(state.clone(), authenticate))
        .layer(middleware::from_fn(request_id))
        .with_state(state.clone());
    let app = match &state.config.www {
        Some(dir) => api.fallback_service(tower_http::services::ServeDir::new(dir)),
        None => api,
    };
    app.layer(cors())
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
    let key = match presented_key(request.headers()) {
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

async fn require_beta(beta: &'static str, request: Request, next: Next) -> Response {
    require_any_beta(&[beta], request, next).await
}

/// Answers 400 unless the request's `anthropic-beta` names one of `betas`.
async fn require_any_beta(betas: &[&'static str], request: Request, next: Next) -> Response {
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
