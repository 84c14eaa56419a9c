//! Remembers `webhookEventId`s so a redelivered or duplicated event is answered once.
//! Bounded twice: entries expire after `ttl` (≥20 min, the reply-token ceiling), and
//! beyond `cap` entries the oldest go first. Ids are kept as 64-bit digests.

use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

pub struct Seen {
    set: HashSet<u64>,
    order: VecDeque<(Instant, u64)>,
    ttl: Duration,
    cap: usize,
}

fn key(id: &str) -> u64 {
    let d = Sha256::digest(id.as_bytes());
    u64::from_le_bytes(d[..8].try_into().expect("8 bytes"))
}

impl Seen {
    pub fn new(ttl: Duration, cap: usize) -> Seen {
        Seen {
            set: HashSet::new(),
            order: VecDeque::new(),
            ttl,
            cap: cap.max(1),
        }
    }

    /// Whether `id` was already accepted (and not yet forgotten).
    pub fn contains(&mut self, id: &str, now: Instant) -> bool {
        self.expire(now);
        self.set.contains(&key(id))
    }

    /// Records `id` as accepted.
    pub fn insert(&mut self, id: &str, now: Instant) {
        let k = key(id);
        if !self.set.insert(k) {
            return;
        }
        if self.order.len() >= self.cap {
            if let Some((_, old)) = self.order.pop_front() {
                self.set.remove(&old);
            }
        }
        self.order.push_back((now, k));
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.order.len()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    fn expire(&mut self, now: Instant) {
        while let Some(&(t, k)) = self.order.front() {
            if now.duration_since(t) < self.ttl {
                break;
            }
            self.order.pop_front();
            self.set.remove(&k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_remembered_until_it_expires() {
        let t0 = Instant::now();
        let mut s = Seen::new(Duration::from_secs(20 * 60), 10);
        assert!(!s.contains("01H", t0));
        s.insert("01H", t0);
        assert!(s.contains("01H", t0 + Duration::from_secs(19 * 60)));
        assert!(!s.contains("01H", t0 + Duration::from_secs(20 * 60)));
        assert!(s.is_empty());
    }

    #[test]
    fn memory_is_bounded_by_the_cap() {
        let t0 = Instant::now();
        let mut s = Seen::new(Duration::from_secs(3600), 3);
        for i in 0..10 {
            s.insert(&format!("id{i}"), t0);
        }
        assert_eq!(s.len(), 3);
        assert!(s.contains("id9", t0));
        assert!(!s.contains("id0", t0));
    }
}
