//! One corpus size, measured in process: `cargo run --release --example scale -- 100000`.
//! Prints one Markdown table row: records, municipalities, index build time and size,
//! engine start, answer p50/p99 over the project's questions each asked in one
//! municipality (taking turns over all of them), the same questions with no city
//! (the whole corpus searched), staff browse p50 in one municipality, the process's
//! peak RSS, retrieval alone (p50/p99), and the FTS5 baseline (retrieval only) on
//! the same questions and scopes. `bench/scale.sh` runs it for every size (one process
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
        .filter_map(|l| l.split('\t').next_back())
        .filter(|q| !q.is_empty())
        .take(300)
        .collect();
    // Each question is asked in one municipality, taking turns: the two real cities
    // and every made-up one (a deployment of every municipality answers for one).
    let scopes: Vec<City> = catalog.municipalities();
    let asked: Vec<(&str, &City)> = questions
        .iter()
        .enumerate()
        .map(|(i, q)| (*q, &scopes[(i * 7919) % scopes.len()]))
        .collect();
    for (q, city) in asked.iter().take(50) {
        std::hint::black_box(engine.answer(q, Some(**city), 5));
    }
    // REPEAT=k runs the answer loops k times (for a profiler to see mostly answers).
    let repeat: usize = std::env::var("REPEAT").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
    let mut times = Vec::new();
    for _ in 0..repeat * 2 {
        for (q, city) in &asked {
            let t = Instant::now();
            std::hint::black_box(engine.answer(q, Some(**city), 5));
            times.push(t.elapsed());
        }
    }
    // Search remembers each clause's scores once seen (`index::ScoredCache`): the first
    // pass pays for recording them, later passes read them back. Both are in the row;
    // each on its own goes to stderr.
    let first = asked.len();
    let (c50, c99) = (pct(&mut times[..first].to_vec(), 0.5), pct(&mut times[..first].to_vec(), 0.99));
    let (a50, a99) = (pct(&mut times[first..].to_vec(), 0.5), pct(&mut times[first..].to_vec(), 0.99));
    eprintln!(
        "answer p50 / p99: first asking {:.0} / {:.0} µs, asked again {:.0} / {:.0} µs",
        c50.as_secs_f64() * 1e6,
        c99.as_secs_f64() * 1e6,
        a50.as_secs_f64() * 1e6,
        a99.as_secs_f64() * 1e6,
    );
    let (p50, p99) = (pct(&mut times, 0.5), pct(&mut times, 0.99));
    // Retrieval alone (analysis + tantivy, top 20, no lexicon or composition): what
    // the FTS5 baseline below does, for a like-for-like comparison.
    let mut retrieval = Vec::new();
    for (q, city) in &asked {
        let filters = Filters::for_place(Some(**city));
        let t = Instant::now();
        let text = engine.index.analyzer.query(q);
        std::hint::black_box(tsunagu::search::search(&engine.index, &text, &[], &filters, 20).ok());
        retrieval.push(t.elapsed());
    }
    let r50 = pct(&mut retrieval, 0.5);
    let r99 = pct(&mut retrieval, 0.99);
    // The same questions with no city at all: the whole corpus is searched.
    let mut whole = Vec::new();
    for q in questions.iter().take(100) {
        let t = Instant::now();
        std::hint::black_box(engine.answer(q, None, 5));
        whole.push(t.elapsed());
    }
    let (w50, w99) = (pct(&mut whole, 0.5), pct(&mut whole, 0.99));
    let mut browse = Vec::new();
    let filters = Filters::for_place(scopes.last().copied());
    for q in ["", "介護", "ひきこもり", "相談"] {
        for _ in 0..20 {
            let t = Instant::now();
            std::hint::black_box(engine.browse(q, &filters, 50, 0));
            browse.push(t.elapsed());
        }
    }
    let b50 = pct(&mut browse, 0.5);
    let baseline = fts5(&engine, &asked);
    println!(
        "| {n} | {} | {:.1} s | {:.1} MB | {:.0} ms | {:.0} µs | {:.0} µs | {:.0} µs / {:.0} µs | {:.1} ms | {} | {:.0} µs / {:.0} µs | {baseline} |",
        scopes.len(),
        build.as_secs_f64(),
        size as f64 / 1e6,
        start.as_secs_f64() * 1e3,
        p50.as_secs_f64() * 1e6,
        p99.as_secs_f64() * 1e6,
        w50.as_secs_f64() * 1e6,
        w99.as_secs_f64() * 1e6,
        b50.as_secs_f64() * 1e3,
        status("VmHWM:"),
        r50.as_secs_f64() * 1e6,
        r99.as_secs_f64() * 1e6,
    );
}

/// The SQLite FTS5 trigram baseline over the same corpus and questions (retrieval
/// only, no composition): p50 / p99, or a note when built without `--features baseline`.
#[cfg(feature = "baseline")]
fn fts5(engine: &Engine, asked: &[(&str, &City)]) -> String {
    // NO_FTS5=1 skips it (at 500k it alone takes minutes).
    if std::env::var_os("NO_FTS5").is_some() {
        return "(skipped)".to_string();
    }
    let base = tsunagu::relevance::Fts5Baseline::new(engine).expect("fts5");
    let mut times = Vec::new();
    for _ in 0..2 {
        for (q, city) in asked {
            let scope = city.as_str();
            let t = Instant::now();
            std::hint::black_box(base.search_in(q, scope));
            times.push(t.elapsed());
        }
    }
    let (p50, p99) = (pct(&mut times, 0.5), pct(&mut times, 0.99));
    format!("{:.0} µs / {:.0} µs", p50.as_secs_f64() * 1e6, p99.as_secs_f64() * 1e6)
}

#[cfg(not(feature = "baseline"))]
fn fts5(_: &Engine, _: &[(&str, &City)]) -> String {
    "(build with --features baseline)".to_string()
}
