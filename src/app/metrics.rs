//! Prometheus text metrics: request counts and latency histograms per route template,
//! index size and last reload time. Hand-rolled: a dozen lines beat a dependency.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const BUCKETS: &[f64] = &[
    0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

#[derive(Default)]
struct RouteStats {
    by_status: BTreeMap<u16, u64>,
    buckets: Vec<u64>,
    sum: f64,
    count: u64,
}

#[derive(Default)]
pub struct Metrics {
    routes: Mutex<BTreeMap<String, RouteStats>>,
    index: Mutex<(u64, u64)>, // (docs, last reload unix seconds)
    refused: AtomicU64,
}

impl Metrics {
    pub fn observe(&self, route: &str, status: u16, elapsed: Duration) {
        let secs = elapsed.as_secs_f64();
        let mut routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        let s = routes.entry(route.to_string()).or_default();
        if s.buckets.is_empty() {
            s.buckets = vec![0; BUCKETS.len()];
        }
        *s.by_status.entry(status).or_default() += 1;
        for (i, b) in BUCKETS.iter().enumerate() {
            if secs <= *b {
                s.buckets[i] += 1;
            }
        }
        s.sum += secs;
        s.count += 1;
    }

    /// A connection closed at once because the server or its client was at the cap.
    pub fn refused_connection(&self) {
        self.refused.fetch_add(1, Ordering::Relaxed);
    }

    pub fn set_reloaded(&self, docs: u64) {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        *self.index.lock().unwrap_or_else(|e| e.into_inner()) = (docs, now);
    }

    pub fn render(&self, open_connections: usize) -> String {
        let mut out = String::new();
        let routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        out.push_str("# HELP tsunagu_requests_total HTTP requests by route template and status.\n");
        out.push_str("# TYPE tsunagu_requests_total counter\n");
        for (route, s) in routes.iter() {
            for (status, n) in &s.by_status {
                let _ = writeln!(
                    out,
                    "tsunagu_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
                );
            }
        }
        out.push_str(
            "# HELP tsunagu_request_duration_seconds Request latency by route template.\n",
        );
        out.push_str("# TYPE tsunagu_request_duration_seconds histogram\n");
        for (route, s) in routes.iter() {
            for (i, b) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "tsunagu_request_duration_seconds_bucket{{route=\"{route}\",le=\"{b}\"}} {}",
                    s.buckets[i]
                );
            }
            let _ = writeln!(
                out,
                "tsunagu_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                s.count
            );
            let _ = writeln!(
                out,
                "tsunagu_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                s.sum
            );
            let _ = writeln!(
                out,
                "tsunagu_request_duration_seconds_count{{route=\"{route}\"}} {}",
                s.count
            );
        }
        let (docs, reloaded) = *self.index.lock().unwrap_or_else(|e| e.into_inner());
        out.push_str("# HELP tsunagu_index_documents Records in the serving index.\n# TYPE tsunagu_index_documents gauge\n");
        let _ = writeln!(out, "tsunagu_index_documents {docs}");
        out.push_str("# HELP tsunagu_last_reload_timestamp_seconds When the serving index was loaded.\n# TYPE tsunagu_last_reload_timestamp_seconds gauge\n");
        let _ = writeln!(out, "tsunagu_last_reload_timestamp_seconds {reloaded}");
        out.push_str("# HELP tsunagu_connections_refused_total Connections closed at once: server or client at its connection cap.\n# TYPE tsunagu_connections_refused_total counter\n");
        let _ = writeln!(out, "tsunagu_connections_refused_total {}", self.refused.load(Ordering::Relaxed));
        out.push_str("# HELP tsunagu_connections_open Open client connections.\n# TYPE tsunagu_connections_open gauge\n");
        let _ = writeln!(out, "tsunagu_connections_open {open_connections}");
        out
    }
}
