//! A request body whose reads may not wait for ever (a client sending one byte a minute).

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::{sleep, Sleep};

use crate::Stats;

/// Why a body read failed: no bytes came within the bound.
#[derive(Debug)]
pub struct BodyTimedOut(pub Duration);

impl std::fmt::Display for BodyTimedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the request body sent nothing for {:?}", self.0)
    }
}

impl std::error::Error for BodyTimedOut {}

/// `inner` where each frame must arrive within `bound` of asking for it.
pub struct TimedBody<B> {
    inner: B,
    bound: Duration,
    timer: Option<Pin<Box<Sleep>>>,
    stats: Arc<Stats>,
}

impl<B> TimedBody<B> {
    pub fn new(inner: B, bound: Duration, stats: Arc<Stats>) -> Self {
        TimedBody {
            inner,
            bound,
            timer: None,
            stats,
        }
    }
}

impl<B> Body for TimedBody<B>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: Into<axum::BoxError>,
{
    type Data = Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.inner).poll_frame(cx) {
            self.timer = None;
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        let bound = self.bound;
        let timer = self.timer.get_or_insert_with(|| Box::pin(sleep(bound)));
        if timer.as_mut().poll(cx).is_pending() {
            return Poll::Pending;
        }
        Stats::inc(&self.stats.connections_timed_out);
        Poll::Ready(Some(Err(Box::new(BodyTimedOut(bound)))))
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
