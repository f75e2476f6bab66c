//! Webhooks as the platform sends them: every session status change and the `session.*`
//! events spec part 2 §2.5 lists, in the `{"type":"event","id","created_at","data"}`
//! envelope, signed with the Standard Webhooks scheme (`outrig_api::webhook::sign`), POSTed
//! to every configured URL, and retried with backoff on a non-2xx answer or a timeout:
//! delivered at least once. With chaos on, deliveries are also duplicated, delayed and
//! reordered, as a receiver must tolerate.

use crate::http::{new_id, now};
use outrig_api::events::{Event, StopReason};
use outrig_api::webhook::{sign, WebhookData, WebhookEvent};
use serde_json::json;
use std::time::Duration;
use tokio::sync::mpsc;

/// Where and how webhooks go.
#[derive(Debug, Clone, Default)]
pub struct WebhookConfig {
    /// Every URL receives every event.
    pub urls: Vec<String>,
    /// The `whsec_…` signing secret.
    pub secret: String,
    /// Duplicate, delay and reorder deliveries (for tests of receivers).
    pub chaos: bool,
}

/// Attempts per delivery before it is dropped (and logged).
const ATTEMPTS: u32 = 10;

/// Hands webhook events to one delivery task per URL.
pub struct WebhookSender {
    queues: Vec<mpsc::UnboundedSender<WebhookEvent>>,
}

impl WebhookSender {
    /// Starts the delivery tasks.
    pub fn start(config: WebhookConfig) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("the HTTP client builds");
        let queues = config
            .urls
            .iter()
            .map(|url| {
                let (tx, rx) = mpsc::unbounded_channel();
                tokio::spawn(deliver_all(
                    http.clone(),
                    url.clone(),
                    config.secret.clone(),
                    config.chaos,
                    rx,
                ));
                tx
            })
            .collect();
        WebhookSender { queues }
    }

    /// Queues the webhook `event` of `session_id` implies, if any.
    pub fn session_event(&self, session_id: &str, event: &Event) {
        if let Some(kind) = webhook_type(event) {
            self.send(
                kind,
                session_id,
                thread_id(event).map(|t| ("session_thread_id", t)),
            );
        }
    }

    /// Queues a lifecycle webhook that no session event carries (`session.created`,
    /// `session.archived`, `session.deleted`).
    pub fn session_lifecycle(&self, session_id: &str, kind: &'static str) {
        self.send(kind, session_id, None);
    }

    /// Queues a webhook of type `kind` about the object `id`, with one extra field
    /// (`session_thread_id`, `vault_id`) where the type has one.
    pub fn send(&self, kind: &str, id: &str, extra: Option<(&str, &str)>) {
        let mut data = WebhookData {
            kind: kind.to_string(),
            id: id.to_string(),
            organization_id: "org_emulator".into(),
            workspace_id: Some("wrkspc_emulator".into()),
            extra: Default::default(),
        };
        if let Some((field, value)) = extra {
            data.extra.insert(field.into(), json!(value));
        }
        let envelope = WebhookEvent {
            kind: "event".into(),
            id: new_id("wevt"),
            created_at: now(),
            data,
        };
        for queue in &self.queues {
            let _ = queue.send(envelope.clone());
        }
    }
}

/// The webhook type a session event implies.
fn webhook_type(event: &Event) -> Option<&'static str> {
    Some(match event {
        Event::SessionStatusRunning(_) => "session.running",
        Event::SessionStatusIdle(idle) => match idle.stop_reason {
            StopReason::RequiresAction(_) => "session.requires_action",
            _ => "session.idled",
        },
        Event::SessionStatusRescheduled(_) => "session.status_rescheduled",
        Event::SessionStatusTerminated(_) => "session.status_terminated",
        Event::SessionUpdated(_) => "session.updated",
        Event::SessionThreadCreated(_) => "session.thread_created",
        Event::SessionThreadStatusIdle(_) => "session.thread_idled",
        Event::SessionThreadStatusTerminated(_) => "session.thread_terminated",
        Event::SpanOutcomeEvaluationEnd(_) => "session.outcome_evaluation_ended",
        _ => return None,
    })
}

fn thread_id(event: &Event) -> Option<&str> {
    match event {
        Event::SessionThreadCreated(e) => Some(&e.session_thread_id),
        Event::SessionThreadStatusIdle(e) => Some(&e.session_thread_id),
        Event::SessionThreadStatusTerminated(e) => Some(&e.session_thread_id),
        _ => None,
    }
}

async fn deliver_all(
    http: reqwest::Client,
    url: String,
    secret: String,
    chaos: bool,
    mut queue: mpsc::UnboundedReceiver<WebhookEvent>,
) {
    // With chaos, an event may be held back until the next one (or 100 ms) has passed.
    let mut held: Option<WebhookEvent> = None;
    loop {
        let next = match held {
            Some(_) => match tokio::time::timeout(Duration::from_millis(100), queue.recv()).await {
                Ok(next) => next,
                Err(_) => {
                    let earlier = held.take().expect("held");
                    deliver(&http, &url, &secret, &earlier).await;
                    continue;
                }
            },
            None => queue.recv().await,
        };
        let Some(event) = next else { break };
        if !chaos {
            deliver(&http, &url, &secret, &event).await;
            continue;
        }
        if held.is_none() && rand::random::<bool>() {
            held = Some(event);
            continue;
        }
        tokio::time::sleep(Duration::from_millis(rand::random_range(0..50))).await;
        deliver(&http, &url, &secret, &event).await;
        if rand::random::<bool>() {
            deliver(&http, &url, &secret, &event).await;
        }
        if let Some(earlier) = held.take() {
            deliver(&http, &url, &secret, &earlier).await;
        }
    }
    if let Some(earlier) = held {
        deliver(&http, &url, &secret, &earlier).await;
    }
}

/// POSTs one delivery until a 2xx answer, with backoff.
async fn deliver(http: &reqwest::Client, url: &str, secret: &str, event: &WebhookEvent) {
    let body = serde_json::to_vec(event).expect("an envelope serialises");
    let mut backoff = Duration::from_millis(200);
    for attempt in 1..=ATTEMPTS {
        let timestamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let signature = match sign(secret, &event.id, timestamp, &body) {
            Ok(signature) => signature,
            Err(error) => {
                tracing::error!("cannot sign webhooks: {error}");
                return;
            }
        };
        let sent = http
            .post(url)
            .header("content-type", "application/json")
            .header("webhook-id", &event.id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(body.clone())
            .send()
            .await;
        match sent {
            Ok(answer) if answer.status().is_success() => return,
            Ok(answer) => tracing::warn!(
                "webhook {} to {url}: {} (attempt {attempt})",
                event.id,
                answer.status()
            ),
            Err(error) => {
                tracing::warn!("webhook {} to {url}: {error} (attempt {attempt})", event.id)
            }
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(30));
    }
    tracing::error!(
        "webhook {} to {url} dropped after {ATTEMPTS} attempts",
        event.id
    );
}
