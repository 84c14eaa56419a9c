//! A synthetic corpus for measuring scale: the bundled content's city records,
//! renamed for made-up municipalities and recombined, up to any size. Deterministic
//! for a seed, so every run of a benchmark measures the same corpus.
//!
//! Each made-up municipality copies one real city (its records, routes and crisis
//! lines): its records keep that `city` and carry their own `municipality`, so a
//! search scoped to the municipality selects its few hundred records out of N, as a
//! real deployment of every municipality would, and a search for the real city no
//! longer matches the copies.

use std::collections::HashMap;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::{Catalog, City, Record};

/// A tiny deterministic generator (SplitMix64): no dependency, same corpus everywhere.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[(self.next() % v.len() as u64) as usize]
    }
}

const TOWN_HEADS: [&str; 12] = [
    "北", "南", "東", "西", "中", "新", "大", "小", "上", "下", "本", "高",
];
const TOWN_TAILS: [&str; 12] = [
    "川", "山", "野", "田", "原", "浜", "里", "森", "沢", "島", "岡", "谷",
];

/// About how many records one made-up municipality publishes.
const PER_TOWN: usize = 300;

fn town(n: usize) -> String {
    let (a, b) = (TOWN_HEADS[n % 12], TOWN_TAILS[(n / 12) % 12]);
    format!("{a}{b}{}市", n / 144 + 1)
}

/// Which real city the `t`-th made-up municipality copies: they alternate.
fn template(t: usize) -> usize {
    t % 2
}

/// `base` with `n` records in all: the original records first, then synthetic ones.
pub fn synthesize(base: &Catalog, n: usize, seed: u64) -> Catalog {
    let mut rng = Mix(seed);
    let pool_of = |city: City| -> Vec<&Record> {
        base.records.iter().filter(|r| r.city == city).collect()
    };
    let pools: Vec<_> = [
        ("相模原市", pool_of(City::Sagamihara)),
        ("鶴岡市", pool_of(City::Tsuruoka)),
    ]
    .into_iter()
    .filter(|(_, pool)| !pool.is_empty())
    .collect();
    if pools.is_empty() {
        return base.clone();
    }
    let mut out = base.clone();
    let mut k = 0usize;
    while out.records.len() < n {
        let (city_name, pool) = &pools[template(k / PER_TOWN) % pools.len()];
        let r = *rng.pick(pool);
        let other = *rng.pick(pool);
        let name = town(k / PER_TOWN);
        let mut s = r.clone();
        s.id = format!("{}~{k}", r.id);
        s.title = r.title.replace(city_name, &name);
        if s.title == r.title {
            s.title = format!("{name} {}", r.title);
        }
        s.summary = r.summary.replace(city_name, &name);
        // Recombined: another record's aliases join this one's.
        s.keywords.extend(other.keywords.iter().take(3).cloned());
        // Each town has its own contacts (own strings, as a real corpus would).
        s.contacts = r
            .contacts
            .iter()
            .map(|c| {
                let mut c = c.as_ref().clone();
                c.name = c.name.replace(city_name, &name);
                Arc::new(c)
            })
            .collect();
        s.group = r.group.as_ref().map(|g| format!("{g}~{}", k / PER_TOWN));
        s.fallback = None;
        s.plan.clear();
        s.municipality = Some(name);
        out.records.push(s);
        k += 1;
    }
    out.records.truncate(n.max(base.records.len()));
    out.by_id = out
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.clone(), i))
        .collect::<HashMap<_, _>>();
    let mut h = Sha256::new();
    h.update(base.hash.as_bytes());
    h.update(n.to_le_bytes());
    h.update(seed.to_le_bytes());
    // The generator's own version: a change in what it makes must not reuse an index.
    h.update(b"synth 2: one municipality per town");
    out.hash = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_corpus() {
        let (base, _) = crate::testutil::fixture();
        let a = synthesize(&base, 500, 7);
        let b = synthesize(&base, 500, 7);
        assert_eq!(a.records.len(), 500);
        assert_eq!(a.hash, b.hash);
        assert_eq!(
            a.records.iter().map(|r| &r.title).collect::<Vec<_>>(),
            b.records.iter().map(|r| &r.title).collect::<Vec<_>>()
        );
        assert!(a.record(&a.records[499].id).is_some());
        assert_ne!(a.hash, synthesize(&base, 500, 8).hash);
        // Each made-up municipality copies one real city, and only it.
        let towns = a.municipalities();
        assert!(!towns.is_empty());
        for (m, city) in &towns {
            assert!(a
                .records
                .iter()
                .filter(|r| r.municipality.as_deref() == Some(*m))
                .all(|r| r.city == *city));
        }
    }
}
