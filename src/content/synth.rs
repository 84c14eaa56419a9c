//! A synthetic corpus for measuring scale: the bundled content's city records,
//! renamed for made-up municipalities and recombined, up to any size. Deterministic
//! for a seed, so every run of a benchmark measures the same corpus.
//!
//! Each made-up municipality is an ordinary place (`synth-<n>`, as if it had its own
//! folder and city.toml) copying one real municipality: its records, routes, first
//! contacts and crisis lines. A search for it selects its few hundred records out of
//! N, as a deployment of many municipalities would, and a search for the real
//! municipality does not reach the copies.

use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::{Catalog, City, CityInfo, Record};

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
    let pools: Vec<_> = base
        .cities
        .iter()
        .filter(|c| c.id != City::National)
        .map(|c| (c, pool_of(c.id)))
        .filter(|(_, pool)| !pool.is_empty())
        .collect();
    if pools.is_empty() {
        return base.clone();
    }
    let mut out = base.clone();
    let mut k = 0usize;
    while out.records.len() < n {
        let (real, pool) = &pools[template(k / PER_TOWN) % pools.len()];
        let city_name = &real.name;
        let r = *rng.pick(pool);
        let other = *rng.pick(pool);
        let name = town(k / PER_TOWN);
        if k.is_multiple_of(PER_TOWN) {
            add_place(&mut out, real, k / PER_TOWN, &name);
        }
        let place = City::named(&format!("synth-{}", k / PER_TOWN)).unwrap_or(City::National);
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
        s.city = place;
        out.records.push(s);
        k += 1;
    }
    out.records.truncate(n.max(base.records.len()));
    out.by_id = out
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.clone(), i))
        .collect::<super::model::RecordIds>();
    let mut h = Sha256::new();
    h.update(base.hash.as_bytes());
    h.update(n.to_le_bytes());
    h.update(seed.to_le_bytes());
    // The generator's own version: a change in what it makes must not reuse an index.
    h.update(b"synth 3: every town a place of its own");
    out.hash = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    out
}

/// The `t`-th made-up municipality as a place: `real`'s first contacts, routes and
/// crisis lines under its own slug.
fn add_place(out: &mut Catalog, real: &CityInfo, t: usize, name: &str) {
    let Some(id) = City::named(&format!("synth-{t}")) else { return };
    let mut info = real.clone();
    info.id = id;
    info.name = name.to_string();
    out.cities.insert(out.cities.len().saturating_sub(1), info);
    let routes: Vec<_> = out
        .routes
        .iter()
        .filter(|r| r.city == real.id)
        .map(|r| {
            let mut r = r.clone();
            r.id = format!("{}~{t}", r.id);
            r.city = id;
            r
        })
        .collect();
    out.routes.extend(routes);
    for d in &mut out.dangers {
        if let Some(lines) = d.city.get(&real.id).cloned() {
            d.city.insert(id, lines);
        }
    }
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
        // Each made-up municipality is a place of its own, with the routes of the
        // municipality it copies.
        let towns: Vec<_> = a
            .municipalities()
            .into_iter()
            .filter(|c| c.as_str().starts_with("synth-"))
            .collect();
        assert!(!towns.is_empty());
        for t in &towns {
            assert!(a.records.iter().any(|r| r.city == *t));
            assert!(a.city(*t).is_some_and(|c| c.name.ends_with('市')));
        }
        assert!(towns.iter().any(|t| a.routes.iter().any(|r| r.city == *t)));
    }
}
