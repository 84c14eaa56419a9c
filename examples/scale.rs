//! One corpus size, measured in process: `cargo run --release --example scale -- 100000`.
//! Prints one Markdown table row: records, index build time and size, engine start,
//! answer p50/p99 over the project's questions in both cities, staff browse p50,
//! and the process's peak RSS. `bench/scale.sh` runs it for every size (one process
//! per size, so RSS is that size's own).
use std::time::{Duration, Instant};

use tsunagu::answer::Engine;
use tsunagu::content::{synth, City};
use tsunagu::search::Filters;

fn dir_size(p: &std::path::Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

fn status(field: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .map(|l| l[field.len()..].trim().to_string())
        .unwrap_or_default()
}

fn pct(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let root = tsunagu::repo_root();
    let work = root.join("target/scale").join(n.to_string());
    std::fs::create_dir_all(&work).unwrap();
    let paths = tsunagu::Paths::checkout(&work);
    let (base, analyzer) = tsunagu::load_content(&paths).expect("content");
    let catalog = std::sync::Arc::new(synth::synthesize(&base, n, 1));
    let t = Instant::now();
    let idx = tsunagu::index::build(&work, &catalog, &analyzer).expect("index");
    let build = t.elapsed();
    let size = dir_size(&work.join(tsunagu::index::CURRENT).canonicalize().unwrap());
    drop(idx);
    let t = Instant::now();
    let idx = tsunagu::index::open(&work, &catalog, &analyzer).expect("open");
    let engine = Engine::new(catalog.clone(), idx);
    let start = t.elapsed();

    let text = std::fs::read_to_string(root.join("bench/questions.tsv")).unwrap();
    let questions: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("id\t"))
        .filter_map(|l| l.split('\t').last())
        .filter(|q| !q.is_empty())
        .take(300)
        .collect();
    for q in questions.iter().take(50) {
        std::hint::black_box(engine.answer(q, Some(City::Sagamihara), 5));
    }
    let mut times = Vec::new();
    // REPEAT=k runs the answer loop k times (for a profiler to see mostly answers).
    let repeat: usize = std::env::var("REPEAT").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
    for city in std::iter::repeat_n([City::Sagamihara, City::Tsuruoka], repeat).flatten() {
        for q in &questions {
            let t = Instant::now();
            std::hint::black_box(engine.answer(q, Some(city), 5));
            times.push(t.elapsed());
        }
    }
    let (p50, p99) = (pct(&mut times, 0.5), pct(&mut times, 0.99));
    let mut browse = Vec::new();
    let filters = Filters {
        cities: vec![City::Sagamihara, City::National],
        ..Filters::default()
    };
    for q in ["", "介護", "ひきこもり", "相談"] {
        for _ in 0..20 {
            let t = Instant::now();
            std::hint::black_box(engine.browse(q, &filters, 50, 0));
            browse.push(t.elapsed());
        }
    }
    let b50 = pct(&mut browse, 0.5);
    let baseline = fts5(&engine, &questions);
    println!(
        "| {n} | {:.1} s | {:.1} MB | {:.0} ms | {:.0} µs | {:.0} µs | {:.1} ms | {} | {baseline} |",
        build.as_secs_f64(),
        size as f64 / 1e6,
        start.as_secs_f64() * 1e3,
        p50.as_secs_f64() * 1e6,
        p99.as_secs_f64() * 1e6,
        b50.as_secs_f64() * 1e3,
        status("VmHWM:"),
    );
}

/// The SQLite FTS5 trigram baseline over the same corpus and questions (retrieval
/// only, no composition): p50 / p99, or a note when built without `--features baseline`.
#[cfg(feature = "baseline")]
fn fts5(engine: &Engine, questions: &[&str]) -> String {
    // NO_FTS5=1 skips it (at 500k it alone takes minutes).
    if std::env::var_os("NO_FTS5").is_some() {
        return "(skipped)".to_string();
    }
    let base = tsunagu::relevance::Fts5Baseline::new(engine).expect("fts5");
    let mut times = Vec::new();
    for city in [City::Sagamihara, City::Tsuruoka] {
        for q in questions {
            let t = Instant::now();
            std::hint::black_box(base.search(q, city));
            times.push(t.elapsed());
        }
    }
    let (p50, p99) = (pct(&mut times, 0.5), pct(&mut times, 0.99));
    format!("{:.0} µs / {:.0} µs", p50.as_secs_f64() * 1e6, p99.as_secs_f64() * 1e6)
}

#[cfg(not(feature = "baseline"))]
fn fts5(_: &Engine, _: &[&str]) -> String {
    "(build with --features baseline)".to_string()
}
