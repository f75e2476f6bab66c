//! `outrig host serve`: a stateless, webhook-driven tool host. `POST /webhooks` verifies the
//! Standard Webhooks signature (401 otherwise, and nothing is done); on
//! `session.requires_action` it reads the session's pending calls, claims each call it has
//! a tool for in the shared claims store, runs it and sends the result until the API
//! settles it. Several replicas behind any load balancer, all receiving every webhook,
//! run each call once. A sweeper takes over calls whose holder died (lease expired).
//! `GET /healthz` and `GET /metrics` (Prometheus text) are for the orchestrator.

use crate::claims::{Claim, Claims};
use crate::delivery::{send_until_settled, Delivery};
use crate::dispatch::ToolHost;
use crate::metrics::Metrics;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use outrig_api::events::AgentCustomToolUse;
use outrig_api::recovery::{recover, Record, Recovery};
use outrig_api::webhook::{verify, WebhookEvent};
use outrig_api::{ContentBlock, SendEvent, SessionState};
use outrig_client::transport::{BoxFuture, HttpRequest, HttpResponse, Transport};
use outrig_client::{Client, ClientOptions, Error};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

/// How a serving host behaves.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The `whsec_…` secret webhooks are signed with.
    pub webhook_secret: String,
    /// How far a webhook's timestamp may be from now, in seconds.
    pub tolerance_secs: i64,
    /// This replica's name in the claims store.
    pub holder: String,
    /// How long a claim lasts without renewal (renewed every third of it while a call runs).
    pub lease: Duration,
    /// How long a shutdown waits for calls in flight.
    pub grace: Duration,
    /// Timeouts and connection/request bounds of the HTTP listener.
    pub limits: outrig_listen::Limits,
}

/// The service: one per replica.
pub struct WebhookHost {
    host: Arc<ToolHost>,
    client: Client,
    claims: Arc<Claims>,
    options: ServeOptions,
    /// Counters for `/metrics`.
    pub metrics: Arc<Metrics>,
    /// The listener's counters (connections shed, timed out), also in `/metrics`.
    pub listener: Arc<outrig_listen::Stats>,
    /// Sessions being read now, and whether another webhook asked for them meanwhile.
    busy: Mutex<HashMap<String, bool>>,
    draining: AtomicBool,
    /// Why the last claim could not be recorded, until one can again.
    store_failure: Mutex<Option<String>>,
    in_flight: AtomicUsize,
    /// Cancelled when the grace period ends: sending stops.
    stopped: CancellationToken,
}

/// Counts every request the client sends.
struct Counting {
    inner: Arc<dyn Transport>,
    metrics: Arc<Metrics>,
}

impl Transport for Counting {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        Metrics::inc(&self.metrics.api_requests);
        self.inner.send(request)
    }
}

impl WebhookHost {
    /// A service over `host`, talking to the API with `client_options`.
    pub fn new(
        host: Arc<ToolHost>,
        client_options: ClientOptions,
        claims: Claims,
        options: ServeOptions,
    ) -> Arc<Self> {
        let metrics = Arc::new(Metrics::default());
        let transport = Arc::new(Counting {
            inner: crate::trace::Traced::default_transport(),
            metrics: metrics.clone(),
        });
        Arc::new(WebhookHost {
            host,
            client: Client::with_transport(client_options, transport),
            claims: Arc::new(claims),
            options,
            metrics,
            listener: Arc::default(),
            busy: Mutex::default(),
            draining: AtomicBool::new(false),
            store_failure: Mutex::default(),
            in_flight: AtomicUsize::new(0),
            stopped: CancellationToken::new(),
        })
    }

    /// The HTTP surface: `POST /webhooks`, `GET /healthz`, `GET /metrics`.
    pub fn router(self: &Arc<Self>) -> Router {
        Router::new()
            .route("/webhooks", post(webhook))
            .route("/healthz", get(healthz))
            .route("/metrics", get(metrics))
            .with_state(self.clone())
    }

    /// Serves on `listener` until `shutdown` resolves, then drains: new webhooks get 503
    /// (the sender retries them, another replica takes them), calls in flight finish for
    /// up to the grace period.
    pub async fn serve(
        self: Arc<Self>,
        listener: tokio::net::TcpListener,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let sweeper = tokio::spawn(self.clone().sweep());
        let me = self.clone();
        let served = outrig_listen::serve(
            listener,
            self.router(),
            self.options.limits.clone(),
            None,
            self.listener.clone(),
            async move {
                shutdown.await;
                me.draining.store(true, Ordering::SeqCst);
                tracing::info!("draining: no new calls, waiting for the ones in flight");
            },
        )
        .await;
        let deadline = Instant::now() + self.options.grace;
        while self.in_flight.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.stopped.cancel();
        sweeper.abort();
        served
    }

    /// Takes over calls whose holder's lease expired (a replica died).
    async fn sweep(self: Arc<Self>) {
        let mut tick = tokio::time::interval(self.options.lease / 2);
        loop {
            tick.tick().await;
            match self.claims.sessions_with_expired_claims().await {
                Ok(sessions) => {
                    for session in sessions {
                        tokio::spawn(self.clone().process_session(session));
                    }
                }
                Err(error) => tracing::error!("claims store: {error:#}"),
            }
        }
    }

    /// Handles one webhook delivery. Every replica may receive it: the delivery itself is
    /// claimed first, so only one of them reads the session (one list request per webhook,
    /// however many replicas). Its claim expires like a call's if that replica dies before
    /// it has claimed the calls, and the sweeper then reads the session again.
    async fn process_delivery(self: Arc<Self>, delivery_id: String, session_id: String) {
        let key = format!("webhook:{delivery_id}");
        match self
            .claims
            .claim(&session_id, &key, &self.options.holder, self.options.lease)
            .await
        {
            Ok(Claim::Lost) => return,
            Ok(_) => {}
            Err(error) => tracing::error!("claims store: {error:#}"),
        }
        self.clone().process_session(session_id).await;
        if let Err(error) = self.claims.settled(&key).await {
            tracing::error!("claims store: {error:#}");
        }
    }

    /// Reads a session's pending calls and claims the ones this host serves. Webhooks for
    /// a session already being read are folded into one more read.
    async fn process_session(self: Arc<Self>, session_id: String) {
        {
            let mut busy = self.busy.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(again) = busy.get_mut(&session_id) {
                *again = true;
                return;
            }
            busy.insert(session_id.clone(), false);
        }
        loop {
            if let Err(error) = self.claim_pending(&session_id).await {
                tracing::warn!(session = %session_id, "cannot read the session: {error}");
            }
            let mut busy = self.busy.lock().unwrap_or_else(|p| p.into_inner());
            match busy.get_mut(&session_id) {
                Some(again) if *again => *again = false,
                _ => {
                    busy.remove(&session_id);
                    return;
                }
            }
        }
    }

    async fn claim_pending(self: &Arc<Self>, session_id: &str) -> Result<(), Error> {
        let events = self
            .client
            .list_events(session_id)
            .instrument(tracing::info_span!("read_session"))
            .await?;
        let state = SessionState::from_events(&events);
        let calls: Vec<AgentCustomToolUse> = state
            .pending_custom_tool_uses()
            .filter(|c| self.host.serves(&c.name))
            .cloned()
            .collect();
        for call in calls {
            if self.draining.load(Ordering::SeqCst) {
                return Ok(());
            }
            // Under the webhook's span; a call the sweeper took over starts its own trace.
            let parent = tracing::Span::current();
            let via = if parent.is_none() { "sweep" } else { "webhook" };
            let span =
                crate::trace::tool_call(Some(&parent), via, session_id, &call.id, &call.name);
            let claiming = span.in_scope(|| crate::trace::claim("claims"));
            let claim = self
                .claims
                .claim(
                    session_id,
                    &call.id,
                    &self.options.holder,
                    self.options.lease,
                )
                .instrument(claiming.clone())
                .await;
            let claim = self
                .note_store(claim.map_err(|e| format!("claims store: {e:#}")))
                .map_err(Error::Invalid)?;
            claiming.record("outrig.claim", claim.label());
            if claim == Claim::Lost {
                Metrics::inc(&self.metrics.claims_lost);
                continue;
            }
            Metrics::inc(&self.metrics.claims_won);
            self.in_flight.fetch_add(1, Ordering::SeqCst);
            let (me, session) = (self.clone(), session_id.to_string());
            tokio::spawn(
                async move {
                    me.answer(&session, call, claim).await;
                    me.in_flight.fetch_sub(1, Ordering::SeqCst);
                }
                .instrument(span),
            );
        }
        Ok(())
    }

    /// Keeps whether the claims store works, for `/healthz`.
    fn note_store<T>(&self, result: Result<T, String>) -> Result<T, String> {
        let mut failure = self.store_failure.lock().unwrap_or_else(|p| p.into_inner());
        *failure = result.as_ref().err().cloned();
        result
    }

    /// Runs (or recovers) one claimed call and delivers its result.
    async fn answer(&self, session_id: &str, call: AgentCustomToolUse, claim: Claim) {
        let started = Instant::now();
        let record = match claim {
            Claim::TakenOverFinished { content, is_error } => {
                Some(Record::Finished { content, is_error })
            }
            Claim::TakenOverRunning => Some(Record::Started),
            Claim::Won | Claim::Lost => None,
        };
        let idempotent = self.host.is_idempotent(&call.name);
        let stopped = "the replica running it stopped";
        let (content, is_error) = match recover(record.as_ref(), &call.name, idempotent, stopped) {
            Recovery::Resend { content, is_error } => (content, is_error),
            Recovery::AnswerLost(message) => (vec![ContentBlock::text(message)], true),
            Recovery::Run | Recovery::Settled => self.run_renewing(&call).await,
        };
        self.metrics.observe_call(started.elapsed().as_secs_f64());
        Metrics::inc(if is_error {
            &self.metrics.calls_error
        } else {
            &self.metrics.calls_ok
        });
        if let Err(error) = self.claims.finished(&call.id, &content, is_error).await {
            tracing::error!(call = %call.id, "claims store: {error:#}");
        }
        let result = SendEvent::custom_tool_result(&call.id, content, is_error);
        let delivery =
            send_until_settled(&self.client, session_id, &call.id, result, &self.stopped).await;
        crate::trace::settled(&tracing::Span::current(), is_error, &delivery);
        if delivery == Delivery::Accepted {
            Metrics::inc(&self.metrics.results_accepted);
        }
        if matches!(delivery, Delivery::Accepted | Delivery::Refused(_)) {
            if let Err(error) = self.claims.settled(&call.id).await {
                tracing::error!(call = %call.id, "claims store: {error:#}");
            }
        }
    }

    /// Runs the tool, renewing the claim's lease until it returns.
    async fn run_renewing(&self, call: &AgentCustomToolUse) -> (Vec<ContentBlock>, bool) {
        let run = self.host.call(&call.name, &call.input);
        tokio::pin!(run);
        let mut renew = tokio::time::interval(self.options.lease / 3);
        renew.tick().await;
        loop {
            tokio::select! {
                outcome = &mut run => return (outcome.content, outcome.is_error),
                _ = renew.tick() => {
                    if let Err(error) = self.claims.renew(&call.id, &self.options.holder, self.options.lease).await {
                        tracing::error!(call = %call.id, "cannot renew the claim: {error:#}");
                    }
                }
            }
        }
    }
}

async fn webhook(
    State(me): State<Arc<WebhookHost>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    if let Err(error) = verify(
        &me.options.webhook_secret,
        &header,
        &body,
        now,
        me.options.tolerance_secs,
    ) {
        Metrics::inc(&me.metrics.webhook_verifications_failed);
        tracing::warn!("refused a webhook: {error}");
        return StatusCode::UNAUTHORIZED;
    }
    let Ok(event) = serde_json::from_slice::<WebhookEvent>(&body) else {
        Metrics::inc(&me.metrics.webhook_verifications_failed);
        return StatusCode::BAD_REQUEST;
    };
    if me.draining.load(Ordering::SeqCst) {
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    Metrics::inc(&me.metrics.webhooks_received);
    if event.data.kind == "session.requires_action" {
        let span = tracing::info_span!(
            parent: None,
            "webhook",
            outrig.webhook.type = %event.data.kind,
            outrig.webhook.id = %event.id,
            outrig.session_id = %event.data.id,
        );
        tokio::spawn(
            me.clone()
                .process_delivery(event.id, event.data.id)
                .instrument(span),
        );
    }
    StatusCode::NO_CONTENT
}

async fn healthz(State(me): State<Arc<WebhookHost>>) -> (StatusCode, String) {
    if me.draining.load(Ordering::SeqCst) {
        return (StatusCode::SERVICE_UNAVAILABLE, "draining\n".into());
    }
    // The claims store is what records that a call started: while it fails, no call is
    // taken, and the orchestrator is told why.
    match me
        .store_failure
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .as_deref()
    {
        Some(failure) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not taking calls: {failure}\n"),
        ),
        None => (StatusCode::OK, "ok\n".into()),
    }
}

async fn metrics(
    State(me): State<Arc<WebhookHost>>,
) -> ([(axum::http::HeaderName, &'static str); 1], String) {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        me.metrics.render() + &me.listener.render(),
    )
}
