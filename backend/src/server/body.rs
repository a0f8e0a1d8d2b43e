//! A request body that fails when the client stops sending it.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use hyper::body::{Body as HttpBody, Frame, Incoming, SizeHint};

/// A request body that fails with [`BodyStalled`] when no data has come for `patience`:
/// a client that announces a body and stops sending it holds its memory no longer.
pub struct TimedBody {
    inner: Incoming,
    patience: Duration,
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl TimedBody {
    pub(super) fn new(inner: Incoming, patience: Duration) -> TimedBody {
        TimedBody {
            inner,
            patience,
            timer: None,
        }
    }
}

/// The request body stopped arriving.
#[derive(Debug)]
pub struct BodyStalled;

impl std::fmt::Display for BodyStalled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the request body stopped arriving")
    }
}

impl std::error::Error for BodyStalled {}

/// Whether `error`, or an error it was caused by, is a body that stopped arriving.
pub fn is_stalled_body(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(e) = cause {
        if e.is::<BodyStalled>() {
            return true;
        }
        cause = e.source();
    }
    false
}

impl HttpBody for TimedBody {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            if let Some(timer) = &mut this.timer {
                timer
                    .as_mut()
                    .reset(tokio::time::Instant::now() + this.patience);
            }
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        let patience = this.patience;
        let timer = this
            .timer
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(patience)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(BodyStalled)))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
