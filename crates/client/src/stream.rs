//! A session's event stream that survives dropped and stalled connections. It is a thin
//! shell around `outrig-api`'s [`StreamMachine`], which decides when to reconnect, what to
//! backfill (from the newest `processed_at` seen) and which events were already delivered;
//! this file only performs its I/O. The caller sees every event exactly once, in order; an
//! event that cannot be parsed comes as a non-fatal [`Error::MalformedEvent`] and the
//! stream goes on.

use crate::client::{id_path, Client};
use crate::error::Error;
use crate::platform;
use crate::transport::{ByteStream, Method};
use futures_util::StreamExt;
use outrig_api::error::ApiError;
use outrig_api::events::{Event, StopReason};
use outrig_api::request::Query;
use outrig_api::resume::{Action, Delivery, Fatal, Seen, StreamMachine};
use std::collections::VecDeque;
use std::time::Duration;

/// How a stream behaves.
#[derive(Debug, Clone)]
pub struct StreamOptions {
    /// Also deliver the history that precedes the first connection.
    pub backfill_on_start: bool,
    /// Reconnect when no byte (not even a `ping`) arrives for this long; also bounds the
    /// wait for a connection's response headers.
    pub stall_timeout: Duration,
    /// Preview types to request (`agent.message`, `agent.thinking`).
    pub event_deltas: Vec<String>,
    /// First reconnect delay; doubles up to 10 s.
    pub initial_backoff: Duration,
}

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions {
            backfill_on_start: false,
            stall_timeout: Duration::from_secs(45),
            event_deltas: Vec::new(),
            initial_backoff: Duration::from_millis(500),
        }
    }
}

/// Pull events with [`EventStream::next`]. Open it with [`EventStream::open`] before
/// sending input, so nothing is missed.
pub struct EventStream {
    client: Client,
    session_id: String,
    options: StreamOptions,
    machine: StreamMachine,
    body: Option<ByteStream>,
    ready: VecDeque<Result<Event, Error>>,
    last_error: Option<Error>,
}

impl EventStream {
    pub(crate) fn new(client: Client, session_id: String, options: StreamOptions) -> Self {
        EventStream {
            machine: StreamMachine::new(options.backfill_on_start, options.initial_backoff),
            client,
            session_id,
            options,
            body: None,
            ready: VecDeque::new(),
            last_error: None,
        }
    }

    /// Whether events received are waiting to be handed out by `next`.
    pub fn has_queued(&self) -> bool {
        !self.ready.is_empty()
    }

    /// How many times the stream reconnected.
    pub fn reconnects(&self) -> u32 {
        self.machine.reconnects()
    }

    /// Connects (and backfills, if asked) now; otherwise the first `next` does. Fails with
    /// the first connection's error, so a wrong address or key shows at once.
    pub async fn open(&mut self) -> Result<(), Error> {
        loop {
            match self.machine.poll() {
                Action::Read | Action::Finished => return Ok(()),
                Action::Wait(_) => {
                    return Err(self.last_error.take().unwrap_or_else(|| {
                        Error::Connection("the stream could not be opened".into())
                    }))
                }
                action => {
                    if let Some(Err(error)) = self.perform(action).await {
                        return Err(error);
                    }
                }
            }
        }
    }

    /// The next event; `None` once the session is deleted or terminated. An
    /// [`Error::MalformedEvent`] is not the end: call `next` again.
    pub async fn next(&mut self) -> Option<Result<Event, Error>> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Some(item);
            }
            let action = self.machine.poll();
            if let Some(end) = self.perform(action).await {
                return end.err().map(Err);
            }
        }
    }

    /// Yields events to `on_event` until the turn ends: returns the stop reason of the
    /// `session.status_idle` that ended it, or `None` if the session terminated. Malformed
    /// events are logged and skipped.
    pub async fn until_turn_ends(
        &mut self,
        mut on_event: impl FnMut(&Event),
    ) -> Result<Option<StopReason>, Error> {
        while let Some(event) = self.next().await {
            let event = match event {
                Err(Error::MalformedEvent { raw, message }) => {
                    tracing::warn!(session = %self.session_id, "skipped a malformed event ({message}): {raw:.200}");
                    continue;
                }
                other => other?,
            };
            on_event(&event);
            if let Event::SessionStatusIdle(idle) = &event {
                if idle.stop_reason.ends_turn() {
                    return Ok(Some(idle.stop_reason.clone()));
                }
            }
        }
        // The stream ends after the event that ends the session.
        Ok(None)
    }

    /// Performs one action of the machine. `Some(Ok(()))`: the stream is over;
    /// `Some(Err(_))`: it failed for good; `None`: carry on.
    async fn perform(&mut self, action: Action) -> Option<Result<(), Error>> {
        match action {
            Action::Connect => match self.connect().await {
                Ok(body) => {
                    self.body = Some(body);
                    self.machine.connected();
                }
                Err(error @ Error::Invalid(_)) => return Some(Err(error)),
                Err(error) => {
                    tracing::warn!(session = %self.session_id, "stream connect failed: {error}");
                    self.machine.connect_failed(error.status());
                    self.last_error = Some(error);
                }
            },
            Action::Backfill { since } => match self
                .client
                .list_events_since(&self.session_id, since.as_deref())
                .await
            {
                Ok(events) => {
                    for event in events {
                        let processed_at = processed_at_of(&event);
                        self.deliver(event, processed_at.as_deref());
                    }
                    self.machine.backfilled();
                }
                Err(error) => {
                    tracing::warn!(session = %self.session_id, "backfill failed: {error}");
                    self.machine.backfill_failed(error.status());
                    self.last_error = Some(error);
                }
            },
            Action::Read => self.read().await,
            Action::Wait(delay) => {
                platform::sleep(delay).await;
                self.machine.waited();
            }
            Action::Deliver(Delivery::Event(text)) => match Event::from_json(&text) {
                Ok(event) => {
                    // Already accepted by the machine.
                    self.ready.push_back(Ok(event));
                }
                Err(error) => {
                    self.machine.reject(&text);
                    self.ready.push_back(Err(Error::MalformedEvent {
                        raw: text,
                        message: error.to_string(),
                    }))
                }
            },
            Action::Deliver(Delivery::Malformed { raw, error }) => {
                self.ready.push_back(Err(Error::MalformedEvent {
                    raw,
                    message: error,
                }));
            }
            Action::GiveUp(Fatal::Status(_)) => {
                return Some(Err(self
                    .last_error
                    .take()
                    .unwrap_or_else(|| Error::Connection("the stream gave up".into()))))
            }
            Action::GiveUp(Fatal::ErrorEvent(data)) => {
                return Some(Err(Error::Api(ApiError::from_response(
                    None,
                    data.as_bytes(),
                    None,
                ))))
            }
            Action::Finished => return Some(Ok(())),
        }
        None
    }

    async fn read(&mut self) {
        let Some(body) = self.body.as_mut() else {
            self.machine.read_failed();
            return;
        };
        match platform::timeout(self.options.stall_timeout, body.next()).await {
            Some(Some(Ok(chunk))) => {
                self.machine.bytes(&chunk);
                return;
            }
            Some(Some(Err(error))) => {
                tracing::info!(session = %self.session_id, "stream read failed ({error}); reconnecting");
                self.machine.read_failed();
            }
            Some(None) => {
                tracing::info!(session = %self.session_id, "the server closed the stream; reconnecting");
                self.machine.closed();
            }
            None => {
                tracing::info!(session = %self.session_id, "no data for {:?}; reconnecting", self.options.stall_timeout);
                self.machine.stalled();
            }
        }
        self.body = None;
    }

    /// Delivers a backfilled event unless the stream already did.
    fn deliver(&mut self, event: Event, processed_at: Option<&str>) {
        let seen = Seen {
            id: event.id(),
            processed_at,
            ends_session: event.ends_session(),
        };
        if self.machine.accept(seen) {
            self.ready.push_back(Ok(event));
        }
    }

    async fn connect(&mut self) -> Result<ByteStream, Error> {
        let path = id_path(
            &["sessions"],
            "session_id",
            &self.session_id,
            &["events", "stream"],
        )?;
        let query = Query::new().array("event_deltas", &self.options.event_deltas);
        let response = self
            .client
            .send(
                Method::Get,
                &path,
                &query,
                None,
                Some(self.options.stall_timeout),
            )
            .await?;
        Ok(response.body)
    }
}

/// `processed_at` of a typed event (from a backfill: rare, so a re-serialisation is fine).
fn processed_at_of(event: &Event) -> Option<String> {
    serde_json::to_value(event)
        .ok()?
        .get("processed_at")?
        .as_str()
        .map(String::from)
}
