//! The accept loop (instead of `axum::serve`, which has no header-read timeout): every
//! connection takes a slot from the connection cap or gets a 503 JSON and is closed;
//! a request head must arrive within `header_timeout` (counted from when the connection
//! opens or its last response was sent, so idle keep-alive connections close too);
//! errors hyper writes itself (400 unparseable, 414, 431) get a JSON body; on shutdown
//! connections get `shutdown_timeout` to finish, then are dropped. Past the high-water
//! mark the longest-idle connections are closed first (`idle.rs`).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tower::ServiceExt;

use crate::app::error::raw_response;
use super::idle::BusyBody;
use super::AppState;
use crate::messages::errors as msg;

/// The longest request head read (issue 23): the longest real URL is a 500-character
/// question percent-encoded (≈ 4.5 KB), and 32 KiB of headers is plenty. hyper's own
/// default (≈ 400 KB) let each half-sent head hold that much; beyond this the client
/// gets 431 as soon as it is passed. hyper's buffer starts small and grows with what
/// arrived, up to this. hyper checks its limit when a read leaves the head unfinished,
/// so a complete head that arrived in one read of up to ~64 KiB passes it; `guard`
/// (mod.rs) refuses those by their parsed size.
pub(super) const MAX_HEAD_BYTES: usize = 32 * 1024;
/// Above this share of the connection cap, new connections must send their head within
/// [`PRESSED_HEADER_TIMEOUT`] instead of the configured timeout (as nginx and HAProxy
/// shorten timeouts under pressure): a flood from many addresses then costs each wave
/// seconds, not the service.
const HIGH_WATER: (usize, usize) = (3, 4);
const PRESSED_HEADER_TIMEOUT: Duration = Duration::from_secs(2);

fn builder(header_timeout: Duration) -> Arc<http1::Builder> {
    let mut b = http1::Builder::new();
    b.timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .max_buf_size(MAX_HEAD_BYTES)
        .keep_alive(true);
    Arc::new(b)
}

/// Serves `app` on `listener` until `shutdown` resolves, then drains (bounded).
/// `gate` is the connection cap this listener counts against (the public one, or the
/// probe listener's own).
pub(super) async fn serve_connections(
    listener: TcpListener,
    app: Router,
    state: AppState,
    gate: Arc<crate::app::limits::ConnGate>,
    shutdown: impl Future<Output = ()>,
) {
    let config = state.config.clone();
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut conns = JoinSet::new();
    let normal = builder(config.header_timeout);
    let pressed = builder(config.header_timeout.min(PRESSED_HEADER_TIMEOUT));
    let high_water = gate.max() * HIGH_WATER.0 / HIGH_WATER.1;
    let tracker = super::idle::Tracker::new();
    tokio::pin!(shutdown);
    loop {
        while conns.try_join_next().is_some() {}
        let (stream, peer) = tokio::select! {
            _ = &mut shutdown => break,
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(e) => {
                    // EMFILE and friends: back off instead of spinning; the connections
                    // already open keep being served.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            }
        };
        let Some(permit) = gate.admit(peer.ip()) else {
            state.metrics.refused_connection();
            tokio::spawn(refuse(stream));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let open = gate.open();
        if open > high_water {
            tracker.evict_oldest_idle(open - high_water);
        }
        let (tracked, untrack) = tracker.track();
        let app = app.clone();
        let (tr, t) = (tracker.clone(), tracked.clone());
        let svc = hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            let busy = tr.enter(&t);
            let answer = app.clone().oneshot(req.map(axum::body::Body::new));
            async move { Ok::<_, std::convert::Infallible>(answer.await?.map(|b| BusyBody::wrap(b, busy))) }
        });
        let builder = if open > high_water { pressed.clone() } else { normal.clone() };
        let mut stop = stop_rx.clone();
        conns.spawn(async move {
            let (_permit, _untrack) = (permit, untrack);
            let conn = builder.serve_connection(TokioIo::new(JsonErrors::new(stream)), svc);
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                // Under pressure and idle longest: closed (no request is in flight).
                _ = tracked.evicted() => {}
                _ = async { let _ = stop.wait_for(|s| *s).await; } => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let drained = tokio::time::timeout(config.shutdown_timeout, async {
        while conns.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            open = conns.len(),
            "connections still open after the shutdown timeout; closing them"
        );
        conns.abort_all();
    }
}

/// Tells a client over the cap why, and frees the descriptor within a second.
async fn refuse(mut stream: TcpStream) {
    let bytes = raw_response(503, "Service Unavailable", "busy", msg::BUSY);
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        stream.write_all(&bytes).await?;
        stream.shutdown().await
    })
    .await;
}

/// Replaces the empty-bodied error responses hyper writes itself when it cannot parse a
/// request (400, 414, 431) with our JSON error; everything else passes untouched.
struct JsonErrors<T> {
    inner: T,
    /// A replacement response still being written, and how much of it went out.
    pending: Option<(Vec<u8>, usize)>,
}

impl<T> JsonErrors<T> {
    fn new(inner: T) -> Self {
        JsonErrors {
            inner,
            pending: None,
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The JSON replacement for a hyper-written error head (`content-length: 0`, no body).
fn replacement(buf: &[u8]) -> Option<Vec<u8>> {
    let end = find(buf, b"\r\n\r\n")?;
    if end + 4 != buf.len() || !buf.starts_with(b"HTTP/1.1 ") || buf.len() < 12 {
        return None;
    }
    find(&buf[..end + 2], b"\r\ncontent-length: 0\r\n")?;
    let (status, reason, code, message) = match &buf[9..12] {
        b"400" => (400, "Bad Request", "bad_request", msg::BAD_HTTP),
        b"414" => (414, "URI Too Long", "uri_too_long", msg::URI_TOO_LONG),
        b"431" => (
            431,
            "Request Header Fields Too Large",
            "headers_too_large",
            msg::HEADERS_TOO_LARGE,
        ),
        _ => return None,
    };
    Some(raw_response(status, reason, code, message))
}

impl<T: AsyncWrite + Unpin> JsonErrors<T> {
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Some((bytes, done)) = &mut self.pending {
            if *done == bytes.len() {
                self.pending = None;
                break;
            }
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &bytes[*done..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *done += n;
        }
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for JsonErrors<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for JsonErrors<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if this.pending.is_some() {
            ready!(this.poll_pending(cx))?;
        }
        if let Some(bytes) = replacement(buf) {
            this.pending = Some((bytes, 0));
            // The original head is consumed; the replacement goes out now or on flush.
            let _ = this.poll_pending(cx)?;
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    /// Vectored writes stay vectored (no copy of every response into one buffer); hyper
    /// writes its own error heads as a single slice, which is checked here too.
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if this.pending.is_some() {
            ready!(this.poll_pending(cx))?;
        }
        let nonempty: Vec<&io::IoSlice<'_>> = bufs.iter().filter(|b| !b.is_empty()).collect();
        if let [only] = nonempty.as_slice() {
            if let Some(bytes) = replacement(only) {
                this.pending = Some((bytes, 0));
                let _ = this.poll_pending(cx)?;
                return Poll::Ready(Ok(only.len()));
            }
        }
        Pin::new(&mut this.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_empty_hyper_error_heads_are_replaced() {
        let hyper_431 = b"HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\ncontent-length: 0\r\ndate: x\r\n\r\n";
        let r = String::from_utf8(replacement(hyper_431).unwrap()).unwrap();
        assert!(r.starts_with("HTTP/1.1 431 "), "{r}");
        assert!(r.contains("\"code\":\"headers_too_large\""), "{r}");
        let ours = b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 20\r\n\r\n";
        assert!(replacement(ours).is_none());
        let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
        assert!(replacement(ok).is_none());
    }
}
