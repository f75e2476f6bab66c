//! The client: configuration, requests with the SDK retry policy, typed endpoints.

use crate::error::Error;
use crate::platform;
use crate::stream::{EventStream, StreamOptions};
use crate::transport::{default_transport, HttpRequest, HttpResponse, Method, Transport};
use futures_util::TryStreamExt;
use outrig_api::events::Event;
use outrig_api::objects::{
    Agent, CreateAgent, CreateSession, Environment, EnvironmentParams, Session, SessionResource,
    SessionStatus, SessionThread, UpdateAgent, UpdateSession,
};
use outrig_api::request::{path, Credentials, PathPart, Query, Secret, DEFAULT_BASE_URL};
use outrig_api::retry::{Attempt, RetryPolicy};
use outrig_api::routes::{self, Route};
use outrig_api::send::{SendEvent, SendEventsBody};
use outrig_api::sigv4;
use outrig_api::{ApiError, Page};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;

/// Client settings; [`ClientOptions::from_env`] reads them as the SDKs do.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// e.g. `https://api.anthropic.com` or an emulator's URL.
    pub base_url: String,
    /// API key or auth token (either is sent as `Authorization: Bearer`).
    pub api_key: Option<Secret>,
    /// Extra betas, sent before the managed-agents one.
    pub betas: Vec<String>,
    /// `anthropic-workspace-id`.
    pub workspace_id: Option<String>,
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// Per-request timeout (not applied to streams, which use a stall timeout).
    pub timeout: Duration,
    /// Allows sending the API key from a web page (adds the SDKs' direct-browser-access
    /// header). Off by default: in a browser, prefer an auth proxy.
    pub dangerously_allow_browser: bool,
    /// Sign every request with AWS Signature Version 4 (Amazon Bedrock); see
    /// [`ClientOptions::bedrock`].
    pub aws: Option<AwsSigning>,
    /// Amazon Bedrock: only its 34 operations are sent (others are refused before
    /// sending), each with the managed-agents beta. Set by the `bedrock` constructors.
    pub bedrock: bool,
}

/// How requests to Amazon Bedrock are signed: service `bedrock`, in this region.
#[derive(Debug, Clone)]
pub struct AwsSigning {
    /// The region, e.g. `us-east-1`.
    pub region: String,
    /// The credentials.
    pub credentials: sigv4::Credentials,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            base_url: DEFAULT_BASE_URL.into(),
            api_key: None,
            betas: Vec::new(),
            workspace_id: None,
            max_retries: 2,
            timeout: Duration::from_secs(600),
            dangerously_allow_browser: false,
            aws: None,
            bedrock: false,
        }
    }
}

impl ClientOptions {
    /// `ANTHROPIC_API_KEY` (or else `ANTHROPIC_AUTH_TOKEN`) and `ANTHROPIC_BASE_URL`, as
    /// the SDKs read them.
    pub fn from_env() -> Self {
        ClientOptions {
            base_url: std::env::var("ANTHROPIC_BASE_URL")
                .unwrap_or_else(|_| DEFAULT_BASE_URL.into()),
            api_key: std::env::var("ANTHROPIC_API_KEY")
                .or_else(|_| std::env::var("ANTHROPIC_AUTH_TOKEN"))
                .ok()
                .map(Secret::new),
            ..Default::default()
        }
    }
}

impl ClientOptions {
    /// Managed Agents on Amazon Bedrock in `region`
    /// (`https://bedrock.{region}.amazonaws.com/anthropic`), every request signed with
    /// these credentials; no API key.
    pub fn bedrock(region: &str, credentials: sigv4::Credentials) -> Self {
        ClientOptions {
            base_url: outrig_api::bedrock::base_url(region),
            aws: Some(AwsSigning {
                region: region.to_string(),
                credentials,
            }),
            bedrock: true,
            ..Default::default()
        }
    }

    /// Managed Agents on Amazon Bedrock in `region` with a Bedrock API key (sent as
    /// `Authorization: Bearer`) instead of SigV4 signatures.
    pub fn bedrock_api_key(region: &str, key: Secret) -> Self {
        ClientOptions {
            base_url: outrig_api::bedrock::base_url(region),
            api_key: Some(key),
            bedrock: true,
            ..Default::default()
        }
    }

    /// [`ClientOptions::bedrock`] with the region and credentials of the environment or
    /// the AWS profile files (see [`crate::aws_config`]).
    pub fn bedrock_from_env() -> Result<Self, Error> {
        let region = crate::aws_config::region().ok_or_else(|| {
            Error::Invalid("set AWS_REGION (or a region in the AWS profile) for Bedrock".into())
        })?;
        Ok(ClientOptions::bedrock(
            &region,
            crate::aws_config::credentials()?,
        ))
    }
}

/// A Managed Agents client. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    transport: Arc<dyn Transport>,
    options: ClientOptions,
    credentials: Credentials,
    retry: RetryPolicy,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.options.base_url)
            .finish_non_exhaustive()
    }
}

/// Adds `x-amz-date`, the session token if any, and the SigV4 `authorization` over every
/// header of this attempt and the URL's host (each retry is signed anew).
fn sign(
    aws: &AwsSigning,
    method: Method,
    url: &str,
    headers: &mut Vec<(&'static str, String)>,
    body: &[u8],
) -> Result<(), Error> {
    let unsigned: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let signer = sigv4::Signer {
        credentials: &aws.credentials,
        region: &aws.region,
        service: outrig_api::bedrock::SIGNING_SERVICE,
    };
    let added = signer
        .sign(
            method.as_str(),
            url,
            &unsigned,
            body,
            platform::unix_now_secs() as i64,
        )
        .map_err(|e| Error::Invalid(format!("`{url}`: {e}")))?;
    headers.retain(|(name, _)| *name != "authorization");
    headers.extend(added);
    Ok(())
}

impl Client {
    /// A client with these options over this target's transport.
    pub fn new(options: ClientOptions) -> Self {
        Client::with_transport(options, default_transport())
    }

    /// A client with these options over `transport`.
    pub fn with_transport(options: ClientOptions, transport: Arc<dyn Transport>) -> Self {
        let credentials = Credentials {
            api_key: options.api_key.clone(),
            betas: options.betas.clone(),
            workspace_id: options.workspace_id.clone(),
            direct_browser_access: options.dangerously_allow_browser,
        };
        Client {
            transport,
            retry: RetryPolicy {
                max_retries: options.max_retries,
                ..RetryPolicy::default()
            },
            credentials,
            options,
        }
    }

    /// The beta header of a request; on Bedrock, a request outside its operations is
    /// refused here, saying so.
    fn beta_for(&self, method: Method, path: &str) -> Result<Option<&'static str>, Error> {
        if !self.options.bedrock {
            return Ok(endpoint_beta(method, path));
        }
        if let Some(route) = Route::of_request(method.as_str(), path) {
            if let Some(refusal) = outrig_api::bedrock::not_served(route) {
                return Err(Error::Invalid(refusal));
            }
        }
        Ok(Some(outrig_api::bedrock::BETA))
    }

    /// The settings it was made with.
    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    /// The base URL.
    pub fn base_url(&self) -> &str {
        &self.options.base_url
    }

    fn url(&self, path: &str, query: &Query) -> String {
        format!(
            "{}{}{}",
            self.options.base_url.trim_end_matches('/'),
            path,
            query.encode()
        )
    }

    /// Sends one request with retries; returns the successful response. `timeout` bounds
    /// each attempt until the response headers arrive.
    pub(crate) async fn send(
        &self,
        method: Method,
        path: &str,
        query: &Query,
        body: Option<Vec<u8>>,
        timeout: Option<Duration>,
    ) -> Result<HttpResponse, Error> {
        self.send_as(method, path, query, body, "application/json", timeout)
            .await
    }

    /// [`Client::send`] with a body of another content type (multipart uploads).
    pub(crate) async fn send_as(
        &self,
        method: Method,
        path: &str,
        query: &Query,
        body: Option<Vec<u8>>,
        content_type: &str,
        timeout: Option<Duration>,
    ) -> Result<HttpResponse, Error> {
        if self.credentials.api_key.is_some()
            && !self.credentials.direct_browser_access
            && platform::in_browser()
        {
            return Err(Error::Invalid(
                "refusing to send an API key from a web page (it would be exposed to its users); \
                 use an auth proxy, or set dangerously_allow_browser"
                    .into(),
            ));
        }
        let beta = self.beta_for(method, path)?;
        let mut retries = 0;
        loop {
            let mut headers = self.credentials.headers(beta, retries);
            if body.is_some() {
                headers.push(("content-type", content_type.to_string()));
            }
            let url = self.url(path, query);
            if let Some(aws) = &self.options.aws {
                sign(
                    aws,
                    method,
                    &url,
                    &mut headers,
                    body.as_deref().unwrap_or_default(),
                )?;
            }
            let request = HttpRequest {
                method,
                url,
                headers,
                body: body.clone(),
            };
            let attempt = self.transport.send(request);
            let result = match timeout {
                Some(limit) => within(limit, attempt).await,
                None => attempt.await,
            };
            let now = platform::unix_now_secs();
            let delay = match &result {
                Ok(response) if response.is_success() => return result,
                Ok(response) => self.retry.next_delay(
                    retries,
                    Attempt::Response {
                        status: response.status,
                        header: &|name: &str| response.header(name).map(str::to_owned),
                    },
                    platform::random_unit(),
                    now,
                ),
                Err(_) => self.retry.next_delay(
                    retries,
                    Attempt::ConnectionFailed,
                    platform::random_unit(),
                    now,
                ),
            };
            match (delay, result) {
                (Some(delay), _) => {
                    tracing::debug!(path, retries, ?delay, "retrying");
                    platform::sleep(delay).await;
                    retries += 1;
                }
                (None, Ok(response)) => return Err(api_error(response).await),
                (None, Err(error)) => return Err(error),
            }
        }
    }

    pub(crate) async fn json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: &Query,
        body: Option<&impl Serialize>,
    ) -> Result<T, Error> {
        let body = body.map(|b| serde_json::to_vec(b).expect("request bodies serialise"));
        let limit = self.options.timeout;
        let response = self.send(method, path, query, body, Some(limit)).await?;
        let bytes = within(limit, response.bytes()).await?;
        serde_json::from_slice(&bytes).map_err(|e| Error::Decode(e.to_string()))
    }

    /// GET a JSON document.
    pub async fn get<T: DeserializeOwned>(&self, path: &str, query: &Query) -> Result<T, Error> {
        self.json(Method::Get, path, query, None::<&()>).await
    }

    /// POST a JSON body (or an empty one).
    pub async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        body: Option<&impl Serialize>,
    ) -> Result<T, Error> {
        self.json(Method::Post, path, &Query::new(), body).await
    }

    /// DELETE a resource.
    pub async fn delete<T: DeserializeOwned>(&self, path: &str) -> Result<T, Error> {
        self.json(Method::Delete, path, &Query::new(), None::<&()>)
            .await
    }

    /// Every item of a paginated list, following `next_page`.
    pub async fn list_all<T: DeserializeOwned + Send + 'static>(
        &self,
        path: &str,
        query: Query,
    ) -> Result<Vec<T>, Error> {
        self.paginate(path, query).try_collect().await
    }

    /// Every item of a paginated list as an async stream, fetching pages as it goes.
    pub fn paginate<T: DeserializeOwned + Send + 'static>(
        &self,
        path: &str,
        query: Query,
    ) -> impl futures_util::Stream<Item = Result<T, Error>> + '_ {
        struct Cursor<T> {
            items: std::vec::IntoIter<T>,
            next: Option<Option<String>>,
        }
        let start = Cursor {
            items: Vec::new().into_iter(),
            next: Some(None),
        };
        let path = path.to_string();
        futures_util::stream::try_unfold(start, move |mut cursor| {
            let (path, query) = (path.clone(), query.clone());
            async move {
                loop {
                    if let Some(item) = cursor.items.next() {
                        return Ok(Some((item, cursor)));
                    }
                    let Some(page_cursor) = cursor.next.take() else {
                        return Ok(None);
                    };
                    let page: Page<T> = self
                        .get(&path, &query.clone().opt("page", page_cursor.as_deref()))
                        .await?;
                    cursor.next = page.next_page.filter(|c| !c.is_empty()).map(Some);
                    cursor.items = page.data.into_iter();
                }
            }
        })
    }

    /// `POST /v1/agents`
    pub async fn create_agent(&self, params: &CreateAgent) -> Result<Agent, Error> {
        self.call(&routes::AGENTS_CREATE, &[], &Query::new(), Some(params))
            .await
    }

    /// `POST /v1/agents/{id}`
    pub async fn update_agent(&self, id: &str, params: &UpdateAgent) -> Result<Agent, Error> {
        self.call(&routes::AGENTS_UPDATE, &[id], &Query::new(), Some(params))
            .await
    }

    /// `POST /v1/environments`
    pub async fn create_environment(
        &self,
        params: &EnvironmentParams,
    ) -> Result<Environment, Error> {
        self.call(
            &routes::ENVIRONMENTS_CREATE,
            &[],
            &Query::new(),
            Some(params),
        )
        .await
    }

    /// `POST /v1/environments/{id}`
    pub async fn update_environment(
        &self,
        id: &str,
        params: &EnvironmentParams,
    ) -> Result<Environment, Error> {
        self.call(
            &routes::ENVIRONMENTS_UPDATE,
            &[id],
            &Query::new(),
            Some(params),
        )
        .await
    }

    /// `POST /v1/sessions`
    pub async fn create_session(&self, params: &CreateSession) -> Result<Session, Error> {
        self.call(&routes::SESSIONS_CREATE, &[], &Query::new(), Some(params))
            .await
    }

    /// `POST /v1/sessions/{id}`
    pub async fn update_session(&self, id: &str, params: &UpdateSession) -> Result<Session, Error> {
        self.call(&routes::SESSIONS_UPDATE, &[id], &Query::new(), Some(params))
            .await
    }

    /// `GET /v1/agents/{id}?version=N`
    pub async fn get_agent_version(&self, id: &str, version: i64) -> Result<Agent, Error> {
        let query = Query::new().opt("version", Some(version));
        self.call(&routes::AGENTS_RETRIEVE, &[id], &query, None::<&()>)
            .await
    }

    /// `GET /v1/agents` (every page).
    pub async fn list_agents(&self, include_archived: bool) -> Result<Vec<Agent>, Error> {
        self.call_all(
            &routes::AGENTS_LIST,
            &[],
            archived_and_limit(include_archived),
        )
        .await
    }

    /// `GET /v1/agents/{id}/versions` (every page).
    pub async fn list_agent_versions(&self, id: &str) -> Result<Vec<Agent>, Error> {
        let query = Query::new().opt("limit", Some(100));
        self.call_all(&routes::AGENTS_VERSIONS_LIST, &[id], query)
            .await
    }

    /// `GET /v1/environments` (every page).
    pub async fn list_environments(
        &self,
        include_archived: bool,
    ) -> Result<Vec<Environment>, Error> {
        let query = archived_and_limit(include_archived);
        self.call_all(&routes::ENVIRONMENTS_LIST, &[], query).await
    }

    /// `POST /v1/sessions/{id}/resources`: mounts a Files API file.
    pub async fn add_file_resource(
        &self,
        session_id: &str,
        file_id: &str,
        mount_path: Option<&str>,
    ) -> Result<SessionResource, Error> {
        let body =
            serde_json::json!({"type": "file", "file_id": file_id, "mount_path": mount_path});
        self.call(
            &routes::SESSIONS_RESOURCES_ADD,
            &[session_id],
            &Query::new(),
            Some(&body),
        )
        .await
    }

    /// `GET /v1/sessions/{id}/resources` (every page).
    pub async fn list_resources(&self, session_id: &str) -> Result<Vec<SessionResource>, Error> {
        self.call_all(
            &routes::SESSIONS_RESOURCES_LIST,
            &[session_id],
            Query::new(),
        )
        .await
    }

    /// `GET /v1/sessions/{id}/threads` (every page).
    pub async fn list_threads(&self, session_id: &str) -> Result<Vec<SessionThread>, Error> {
        self.call_all(&routes::SESSIONS_THREADS_LIST, &[session_id], Query::new())
            .await
    }

    /// Every session of an agent (all statuses but archived ones).
    pub async fn list_sessions(&self, agent_id: Option<&str>) -> Result<Vec<Session>, Error> {
        let query = Query::new()
            .opt("agent_id", agent_id)
            .opt("limit", Some(100));
        self.call_all(&routes::SESSIONS_LIST, &[], query).await
    }

    /// The sessions of an agent in one of `statuses` (any status when empty) created at or
    /// after `created_since` (RFC 3339), newest first: the filters `GET /v1/sessions` has.
    pub async fn list_sessions_where(
        &self,
        agent_id: &str,
        statuses: &[SessionStatus],
        created_since: Option<&str>,
    ) -> Result<Vec<Session>, Error> {
        let statuses: Vec<&str> = statuses.iter().map(|s| s.as_str()).collect();
        let query = Query::new()
            .opt("agent_id", Some(agent_id))
            .array("statuses", &statuses)
            .opt("created_at[gte]", created_since)
            .opt("limit", Some(100));
        self.call_all(&routes::SESSIONS_LIST, &[], query).await
    }

    /// `POST /v1/sessions/{id}/events`: returns the echoed events.
    pub async fn send_events(
        &self,
        session_id: &str,
        events: Vec<SendEvent>,
    ) -> Result<Vec<Event>, Error> {
        let body = SendEventsBody { events };
        let page: Page<Event> = self
            .call(
                &routes::SESSIONS_EVENTS_SEND,
                &[session_id],
                &Query::new(),
                Some(&body),
            )
            .await?;
        Ok(page.data)
    }

    /// The whole event history of a session, oldest first.
    pub async fn list_events(&self, session_id: &str) -> Result<Vec<Event>, Error> {
        self.list_events_since(session_id, None).await
    }

    /// The event history from `processed_at` `since` on (inclusive), oldest first.
    pub async fn list_events_since(
        &self,
        session_id: &str,
        since: Option<&str>,
    ) -> Result<Vec<Event>, Error> {
        let query = Query::new()
            .opt("limit", Some(1000))
            .opt("created_at[gte]", since);
        self.call_all(&routes::SESSIONS_EVENTS_LIST, &[session_id], query)
            .await
    }

    /// A resumable stream of a session's events (see [`EventStream`]).
    pub fn stream_events(&self, session_id: &str, options: StreamOptions) -> EventStream {
        EventStream::new(self.clone(), session_id.to_string(), options)
    }
}

/// `include_archived` (when true) and the largest page.
fn archived_and_limit(include_archived: bool) -> Query {
    Query::new()
        .opt("include_archived", include_archived.then_some(true))
        .opt("limit", Some(100))
}

/// `future`'s result, or a connection error once `limit` passes.
pub(crate) async fn within<T>(
    limit: Duration,
    future: impl std::future::Future<Output = Result<T, Error>>,
) -> Result<T, Error> {
    platform::timeout(limit, future)
        .await
        .unwrap_or_else(|| Err(Error::Connection(format!("timed out after {limit:?}"))))
}

/// The beta flag of the endpoint a request is for; paths outside the table (anything a
/// caller builds by hand under `/v1`) get the managed-agents one, as before.
fn endpoint_beta(method: Method, path: &str) -> Option<&'static str> {
    match Route::of_request(method.as_str(), path) {
        Some(route) => route.beta,
        None if path.starts_with("/v1/files") => None,
        None => Some(outrig_api::request::MANAGED_AGENTS_BETA),
    }
}

/// `/v1/<base…>/<id>/<rest…>` with the id checked and encoded.
pub(crate) fn id_path(
    base: &[&str],
    name: &'static str,
    id: &str,
    rest: &[&str],
) -> Result<String, Error> {
    let mut parts: Vec<PathPart> = base.iter().map(|p| PathPart::Literal(p)).collect();
    parts.push(PathPart::Id(name, id));
    parts.extend(rest.iter().map(|p| PathPart::Literal(p)));
    path(&parts).map_err(|e| Error::Invalid(e.to_string()))
}

/// The typed error of a non-2xx response.
pub(crate) async fn api_error(response: HttpResponse) -> Error {
    let status = response.status;
    let request_id = response.header("request-id").map(str::to_owned);
    let retry_after = outrig_api::retry::server_retry_delay(
        &|name| response.header(name).map(str::to_owned),
        platform::unix_now_secs(),
    );
    let body = response.bytes().await.unwrap_or_default();
    let mut error = ApiError::from_response(Some(status), &body, request_id.as_deref());
    error.retry_after_ms = retry_after.map(|secs| (secs * 1000.0).min(u32::MAX as f64) as u32);
    Error::Api(error)
}
