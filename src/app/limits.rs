//! One client cannot take the service down: a cap on open connections (overall, with
//! headroom below the open-file limit, and per client address), per-client token buckets
//! for public routes and for wrong admin tokens (429 JSON with `Retry-After`), and a cap
//! on answers and searches computed at once. Timeouts on connections live in
//! `http/conn.rs`, the middleware that applies the buckets in `http/throttle.rs`.
//!
//! A client is its TCP peer address. Behind a reverse proxy every resident shares the
//! proxy's address: raise the per-client settings there, or limit at the proxy.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use super::Config;

/// File descriptors kept for the index, the dictionary, logs and the insights store.
const FD_HEADROOM: usize = 256;

/// The soft open-file limit minus [`FD_HEADROOM`], at most 10,000 (Linux reads
/// `/proc/self/limits`; elsewhere 1,000).
pub fn default_max_connections() -> usize {
    let soft = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("Max open files"))
                .and_then(|l| l.split_whitespace().nth(3).map(str::to_string))
        })
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(1024 + FD_HEADROOM);
    soft.saturating_sub(FD_HEADROOM).clamp(16, 10_000)
}

/// Counts open connections, overall and per client address.
pub struct ConnGate {
    max: usize,
    per_client: usize,
    open: Mutex<(usize, HashMap<IpAddr, usize>)>,
}

/// Held by a connection while it is open; frees its slot on drop.
pub struct ConnPermit {
    gate: Arc<ConnGate>,
    ip: IpAddr,
}

impl ConnGate {
    pub fn new(max: usize, per_client: usize) -> Arc<Self> {
        Arc::new(ConnGate {
            max,
            per_client,
            open: Mutex::new((0, HashMap::new())),
        })
    }

    /// A slot for a new connection from `ip`, or `None` when the server or this client
    /// is at its cap.
    pub fn admit(self: &Arc<Self>, ip: IpAddr) -> Option<ConnPermit> {
        let mut g = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let (total, per) = &mut *g;
        let mine = per.entry(ip).or_insert(0);
        if *total >= self.max || *mine >= self.per_client {
            if *mine == 0 {
                per.remove(&ip);
            }
            return None;
        }
        *mine += 1;
        *total += 1;
        Some(ConnPermit {
            gate: self.clone(),
            ip,
        })
    }

    pub fn max(&self) -> usize {
        self.max
    }

    pub fn open(&self) -> usize {
        self.open.lock().unwrap_or_else(|e| e.into_inner()).0
    }
}

impl Drop for ConnPermit {
    fn drop(&mut self) {
        let mut g = self.gate.open.lock().unwrap_or_else(|e| e.into_inner());
        let (total, per) = &mut *g;
        *total = total.saturating_sub(1);
        if let Some(n) = per.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                per.remove(&self.ip);
            }
        }
    }
}

/// Token buckets keyed by client address: `burst` tokens, refilled at `per_sec`.
pub struct RateLimiter {
    per_sec: f64,
    burst: f64,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

/// Buckets kept before full ones are forgotten (a full bucket is the same as none).
const MAX_BUCKETS: usize = 100_000;

impl RateLimiter {
    pub fn new(per_sec: f64, burst: u32) -> Self {
        RateLimiter {
            per_sec,
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    fn with_bucket<T>(&self, ip: IpAddr, f: impl FnOnce(&mut f64) -> T) -> T {
        let now = Instant::now();
        let mut map = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MAX_BUCKETS {
            let (rate, burst) = (self.per_sec, self.burst);
            map.retain(|_, (t, at)| *t + now.duration_since(*at).as_secs_f64() * rate < burst);
        }
        let (tokens, at) = map.entry(ip).or_insert((self.burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * self.per_sec).min(self.burst);
        *at = now;
        f(tokens)
    }

    fn wait_for_one(&self, tokens: f64) -> Duration {
        Duration::from_secs_f64(((1.0 - tokens) / self.per_sec).max(0.0))
    }

    /// Takes one token, or says how long to wait for one.
    pub fn take(&self, ip: IpAddr) -> Result<(), Duration> {
        self.with_bucket(ip, |t| {
            if *t >= 1.0 {
                *t -= 1.0;
                Ok(())
            } else {
                Err(self.wait_for_one(*t))
            }
        })
        .map_err(|d| d.max(Duration::from_secs(1)))
    }

    /// Whether a token is there, without taking it.
    pub fn check(&self, ip: IpAddr) -> Result<(), Duration> {
        self.with_bucket(ip, |t| {
            if *t >= 1.0 {
                Ok(())
            } else {
                Err(self.wait_for_one(*t).max(Duration::from_secs(1)))
            }
        })
    }

    /// Takes a token if there is one (used after the fact, for failures).
    pub fn spend(&self, ip: IpAddr) {
        self.with_bucket(ip, |t| *t = (*t - 1.0).max(0.0));
    }
}

/// Everything this module limits, shared by the accept loop and the middleware.
pub struct Limits {
    pub conns: Arc<ConnGate>,
    pub(crate) public: Option<RateLimiter>,
    pub(crate) admin: RateLimiter,
    /// Answers and searches computed at once.
    pub answers: Arc<Semaphore>,
}

impl Limits {
    pub fn new(config: &Config) -> Self {
        Limits {
            conns: ConnGate::new(config.max_connections, config.max_connections_per_client),
            public: (config.rate_per_sec > 0)
                .then(|| RateLimiter::new(f64::from(config.rate_per_sec), config.rate_burst)),
            // One more try per minute once the allowance is spent.
            admin: RateLimiter::new(1.0 / 60.0, config.admin_failures),
            answers: Arc::new(Semaphore::new(config.max_answers)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_over_its_burst_waits_and_others_are_not_affected() {
        let l = RateLimiter::new(1.0, 3);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        for _ in 0..3 {
            assert!(l.take(a).is_ok());
        }
        let wait = l.take(a).unwrap_err();
        assert!(wait >= Duration::from_secs(1), "{wait:?}");
        assert!(l.take(b).is_ok());
    }

    #[test]
    fn failures_spend_the_allowance_successes_do_not() {
        let l = RateLimiter::new(1.0 / 60.0, 2);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        assert!(l.check(a).is_ok());
        assert!(l.check(a).is_ok());
        l.spend(a);
        l.spend(a);
        assert!(l.check(a).is_err());
    }

    #[test]
    fn the_connection_cap_counts_per_client_and_frees_slots_on_drop() {
        let g = ConnGate::new(3, 2);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        let p1 = g.admit(a).unwrap();
        let _p2 = g.admit(a).unwrap();
        assert!(g.admit(a).is_none(), "per-client cap");
        let _p3 = g.admit(b).unwrap();
        assert!(g.admit(b).is_none(), "overall cap");
        drop(p1);
        assert!(g.admit(b).is_some());
        assert!(default_max_connections() >= 16);
    }
}
