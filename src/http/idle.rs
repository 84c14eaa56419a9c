//! Oldest idle first (issue 23): when open connections pass the high-water mark, each new
//! connection closes the connections that have waited longest without a request in
//! flight, until the count is back at the mark. Idle keep-alive connections and
//! slow-head connections (a head still arriving is not a request yet) are both idle; a
//! connection answering a request, body included, is never closed this way. A flood of
//! idle connections from many addresses then costs its own oldest members their slots
//! instead of keeping residents and `/healthz` out until the header timeout.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Instant;

use axum::body::{Body, Bytes, HttpBody};
use tokio::sync::Notify;

/// Every open connection of one listener, for choosing whom to close.
pub(super) struct Tracker {
    epoch: Instant,
    next: AtomicU64,
    conns: Mutex<HashMap<u64, Arc<Tracked>>>,
}

/// One connection's state as the tracker sees it.
pub(super) struct Tracked {
    /// Requests whose response (body included) is not yet fully written.
    busy: AtomicUsize,
    /// Microseconds since the tracker's epoch when `busy` last fell to zero (or the
    /// connection opened).
    idle_since: AtomicU64,
    evicted: AtomicBool,
    kill: Notify,
}

/// Removes its connection from the tracker when the connection's task ends.
pub(super) struct Untrack {
    tracker: Arc<Tracker>,
    id: u64,
}

impl Drop for Untrack {
    fn drop(&mut self) {
        self.tracker.lock().remove(&self.id);
    }
}

impl Tracker {
    pub(super) fn new() -> Arc<Self> {
        Arc::new(Tracker {
            epoch: Instant::now(),
            next: AtomicU64::new(0),
            conns: Mutex::new(HashMap::new()),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<Tracked>>> {
        self.conns.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn now(&self) -> u64 {
        self.epoch.elapsed().as_micros() as u64
    }

    /// Registers a new connection (idle from now).
    pub(super) fn track(self: &Arc<Self>) -> (Arc<Tracked>, Untrack) {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let t = Arc::new(Tracked {
            busy: AtomicUsize::new(0),
            idle_since: AtomicU64::new(self.now()),
            evicted: AtomicBool::new(false),
            kill: Notify::new(),
        });
        self.lock().insert(id, t.clone());
        (
            t,
            Untrack {
                tracker: self.clone(),
                id,
            },
        )
    }

    /// Asks the `excess` longest-idle connections to close, counting those already asked
    /// and not yet gone. Returns how many were asked now.
    pub(super) fn evict_oldest_idle(&self, excess: usize) -> usize {
        let conns = self.lock();
        let mut pending = 0;
        let mut idle: Vec<(u64, &Arc<Tracked>)> = Vec::new();
        for t in conns.values() {
            if t.evicted.load(Ordering::Relaxed) {
                pending += 1;
            } else if t.busy.load(Ordering::Acquire) == 0 {
                idle.push((t.idle_since.load(Ordering::Relaxed), t));
            }
        }
        let n = excess.saturating_sub(pending).min(idle.len());
        if n == 0 {
            return 0;
        }
        if n < idle.len() {
            idle.select_nth_unstable_by_key(n - 1, |(since, _)| *since);
        }
        for (_, t) in &idle[..n] {
            t.evicted.store(true, Ordering::Relaxed);
            t.kill.notify_one();
        }
        n
    }

    /// Marks a request as started on `t`; the returned guard marks it done when dropped
    /// (put it in the response body, so a body still being written counts as busy).
    pub(super) fn enter(self: &Arc<Self>, t: &Arc<Tracked>) -> Busy {
        t.busy.fetch_add(1, Ordering::AcqRel);
        Busy {
            tracker: self.clone(),
            t: t.clone(),
        }
    }
}

impl Tracked {
    /// Resolves when the tracker asked this connection to close and it has no request
    /// in flight (checked by the connection's own task, so no request can start between
    /// the check and the close).
    pub(super) async fn evicted(&self) {
        loop {
            self.kill.notified().await;
            if self.busy.load(Ordering::Acquire) == 0 {
                return;
            }
            // A request arrived after it was chosen: it stays, and may be chosen again.
            self.evicted.store(false, Ordering::Relaxed);
        }
    }
}

/// A request in flight on a tracked connection.
pub(super) struct Busy {
    tracker: Arc<Tracker>,
    t: Arc<Tracked>,
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.t.idle_since.store(self.tracker.now(), Ordering::Relaxed);
        self.t.busy.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A response body that keeps its connection busy until it has been written or dropped.
pub(super) struct BusyBody {
    inner: Body,
    _busy: Busy,
}

impl BusyBody {
    pub(super) fn wrap(inner: Body, busy: Busy) -> Body {
        Body::new(BusyBody { inner, _busy: busy })
    }
}

impl HttpBody for BusyBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_idle_go_first_and_busy_connections_stay() {
        let tr = Tracker::new();
        let (a, _ua) = tr.track();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let (b, _ub) = tr.track();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let (c, _uc) = tr.track();
        let busy = tr.enter(&a); // the oldest is answering a request
        assert_eq!(tr.evict_oldest_idle(1), 1);
        assert!(b.evicted.load(Ordering::Relaxed), "the longest idle is asked first");
        assert!(!a.evicted.load(Ordering::Relaxed) && !c.evicted.load(Ordering::Relaxed));
        // Already asked and not yet gone counts toward the excess.
        assert_eq!(tr.evict_oldest_idle(1), 0);
        drop(busy);
        // a is idle again, but only since its answer was written: c has waited longer.
        assert_eq!(tr.evict_oldest_idle(2), 1);
        assert!(c.evicted.load(Ordering::Relaxed) && !a.evicted.load(Ordering::Relaxed));
    }
}
