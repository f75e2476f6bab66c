//! On `wasm32`: a session's events through an auth proxy (the npm package's `createProxy`),
//! read with the browser's `EventSource`, which cannot send an API key but reconnects by
//! itself, resuming with `Last-Event-ID`. Events are de-duplicated by id, as in
//! [`crate::EventStream`].

use crate::error::Error;
use futures_channel::mpsc;
use futures_util::{ready, Stream};
use outrig_api::events::Event;
use outrig_api::seen::SeenIds;
use outrig_api::stream::PROXY_ERROR_EVENT;
use outrig_api::{ApiError, SessionState};
use std::pin::Pin;
use std::task::{Context, Poll};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{EventSource, MessageEvent};

/// A stream of a session's events from an auth proxy's EventSource URL. Ends after
/// `session.deleted` or `session.status_terminated`; dropping it closes the connection.
pub struct ProxiedEvents {
    source: EventSource,
    receiver: mpsc::UnboundedReceiver<Result<Event, Error>>,
    state: SessionState,
    seen: SeenIds,
    finished: bool,
    _handlers: [Closure<dyn FnMut(web_sys::Event)>; 3],
}

/// Opens `url` (e.g. `https://edge.example/sessions/ID/events`) with `EventSource`.
pub fn proxied_events(url: &str) -> Result<ProxiedEvents, Error> {
    let source = EventSource::new(url)
        .map_err(|_| Error::Invalid(format!("EventSource cannot open `{url}`")))?;
    let (sender, receiver) = mpsc::unbounded();
    let on_message = handler(sender.clone(), |message| {
        Event::from_json(&message).map_err(|e| Error::Decode(e.to_string()))
    });
    let on_error_event = handler(sender.clone(), |message| {
        Err(Error::Api(ApiError::from_response(
            None,
            message.as_bytes(),
            None,
        )))
    });
    let watched = source.clone();
    let on_failure = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        // While CONNECTING the browser retries by itself; CLOSED is final.
        if watched.ready_state() == EventSource::CLOSED {
            let closed = Error::Connection("the event source was closed by the server".into());
            let _ = sender.unbounded_send(Err(closed));
        }
    });
    let listen = |name: &str, f: &Closure<dyn FnMut(web_sys::Event)>| {
        source
            .add_event_listener_with_callback(name, f.as_ref().unchecked_ref())
            .map_err(|_| Error::Invalid(format!("cannot listen for `{name}`")))
    };
    listen("message", &on_message)?;
    listen(PROXY_ERROR_EVENT, &on_error_event)?;
    listen("error", &on_failure)?;
    Ok(ProxiedEvents {
        source,
        receiver,
        state: SessionState::new(),
        seen: SeenIds::default(),
        finished: false,
        _handlers: [on_message, on_error_event, on_failure],
    })
}

/// A listener that turns each message's data into an item.
fn handler(
    sender: mpsc::UnboundedSender<Result<Event, Error>>,
    parse: impl Fn(String) -> Result<Event, Error> + 'static,
) -> Closure<dyn FnMut(web_sys::Event)> {
    Closure::new(move |event: web_sys::Event| {
        let data = event
            .dyn_ref::<MessageEvent>()
            .and_then(|m| m.data().as_string())
            .unwrap_or_default();
        let _ = sender.unbounded_send(parse(data));
    })
}

impl ProxiedEvents {
    /// The bookkeeping of everything seen so far (status, pending tool calls).
    pub fn state(&self) -> &SessionState {
        &self.state
    }
}

impl Stream for ProxiedEvents {
    type Item = Result<Event, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if self.finished {
                return Poll::Ready(None);
            }
            let Some(item) = ready!(Pin::new(&mut self.receiver).poll_next(cx)) else {
                return Poll::Ready(None);
            };
            match item {
                Ok(event) => {
                    // Previews have no id, so they are never duplicates.
                    if event.id().is_some_and(|id| !self.seen.insert(id)) {
                        continue;
                    }
                    self.state.handle_event(&event);
                    self.finished = event.ends_session();
                    return Poll::Ready(Some(Ok(event)));
                }
                Err(error) => {
                    // An error envelope or a closed source ends the stream; a bad message
                    // does not.
                    self.finished = !matches!(error, Error::Decode(_));
                    return Poll::Ready(Some(Err(error)));
                }
            }
        }
    }
}

impl Drop for ProxiedEvents {
    fn drop(&mut self) {
        self.source.close();
    }
}
