//! A session's event stream that survives dropped and stalled connections: it reconnects,
//! backfills from the list endpoint, and de-duplicates by event id (with `outrig-api`'s
//! `SessionState`), so the caller sees every event exactly once, in order.

use crate::client::{id_path, Client};
use crate::error::Error;
use crate::platform;
use crate::transport::{ByteStream, Method};
use futures_util::StreamExt;
use outrig_api::events::{Event, StopReason};
use outrig_api::request::Query;
use outrig_api::retry::stream_gives_up;
use outrig_api::state::Applied;
use outrig_api::{EventDecoder, SessionState, StreamError};
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
    state: SessionState,
    decoder: EventDecoder,
    body: Option<ByteStream>,
    ready: VecDeque<Event>,
    connected_once: bool,
    backoff: Duration,
    reconnects: u32,
    finished: bool,
}

impl EventStream {
    pub(crate) fn new(client: Client, session_id: String, options: StreamOptions) -> Self {
        EventStream {
            backoff: options.initial_backoff,
            client,
            session_id,
            options,
            state: SessionState::new(),
            decoder: EventDecoder::default(),
            body: None,
            ready: VecDeque::new(),
            connected_once: false,
            reconnects: 0,
            finished: false,
        }
    }

    /// The bookkeeping of everything seen so far (status, pending tool calls).
    pub fn state(&self) -> &SessionState {
        &self.state
    }

    /// Mutable bookkeeping, e.g. to mark a tool call answered before its echo arrives.
    pub fn state_mut(&mut self) -> &mut SessionState {
        &mut self.state
    }

    /// How many times the stream reconnected.
    pub fn reconnects(&self) -> u32 {
        self.reconnects
    }

    /// Connects now (otherwise the first `next` does).
    pub async fn open(&mut self) -> Result<(), Error> {
        if self.body.is_none() {
            self.connect().await?;
        }
        Ok(())
    }

    /// The next event; `None` once the session is deleted or terminated.
    pub async fn next(&mut self) -> Option<Result<Event, Error>> {
        loop {
            if let Some(event) = self.ready.pop_front() {
                return Some(Ok(event));
            }
            if self.finished {
                return None;
            }
            if self.body.is_none() {
                match self.connect().await {
                    Ok(()) => continue,
                    Err(error) if is_fatal(&error) => {
                        self.finished = true;
                        return Some(Err(error));
                    }
                    Err(error) => {
                        tracing::warn!(session = %self.session_id, "stream connect failed: {error}; retrying in {:?}", self.backoff);
                        self.wait_backoff().await;
                        continue;
                    }
                }
            }
            let body = self.body.as_mut().expect("connected");
            match platform::timeout(self.options.stall_timeout, body.next()).await {
                Some(Some(Ok(chunk))) => {
                    for result in self.decoder.push(&chunk) {
                        match result {
                            Ok(event) => self.accept(event),
                            Err(StreamError::Api(error)) => {
                                self.body = None;
                                if is_fatal(&Error::Api(error.clone())) {
                                    self.finished = true;
                                    return Some(Err(Error::Api(error)));
                                }
                            }
                            Err(error) => return Some(Err(error.into())),
                        }
                    }
                }
                Some(Some(Err(error))) => {
                    self.drop_connection(&format!("read failed: {error}")).await
                }
                Some(None) => self.drop_connection("the server closed the stream").await,
                None => {
                    self.drop_connection(&format!("no data for {:?}", self.options.stall_timeout))
                        .await
                }
            }
        }
    }

    /// Yields events to `on_event` until the turn ends: returns the stop reason of the
    /// `session.status_idle` that ended it, or `None` if the session terminated.
    pub async fn until_turn_ends(
        &mut self,
        mut on_event: impl FnMut(&Event),
    ) -> Result<Option<StopReason>, Error> {
        while let Some(event) = self.next().await {
            let event = event?;
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

    fn accept(&mut self, event: Event) {
        // Previews have no id, so they are never duplicates.
        if self.state.apply(&event) == Applied::Duplicate {
            return;
        }
        self.finished |= event.ends_session();
        self.ready.push_back(event);
    }

    async fn drop_connection(&mut self, why: &str) {
        tracing::info!(session = %self.session_id, "stream dropped ({why}); reconnecting");
        self.body = None;
        self.decoder.finish();
        self.reconnects += 1;
        self.wait_backoff().await;
    }

    async fn wait_backoff(&mut self) {
        platform::sleep(self.backoff).await;
        self.backoff = (self.backoff * 2).min(Duration::from_secs(10));
    }

    /// Opens the stream, then backfills history it may have missed (always after a
    /// reconnect; on the first connection only when asked).
    async fn connect(&mut self) -> Result<(), Error> {
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
        self.decoder = EventDecoder::default();
        self.body = Some(response.body);
        if self.connected_once || self.options.backfill_on_start {
            for event in self.client.list_events(&self.session_id).await? {
                self.accept(event);
            }
        }
        self.connected_once = true;
        self.backoff = self.options.initial_backoff;
        Ok(())
    }
}

/// Errors a reconnect cannot fix: the statuses `outrig-api` says a stream gives up on, an
/// invalid request, and an API error without a status (an `event: error` in the stream).
fn is_fatal(error: &Error) -> bool {
    match error.status() {
        Some(status) => stream_gives_up(status),
        None => matches!(error, Error::Invalid(_) | Error::Api(_)),
    }
}
