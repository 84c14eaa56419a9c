//! criterion benchmarks: `cargo bench --bench engine`.
//! Analyzer throughput, and answer / staff-browse latency on the bundled content and on
//! the synthetic corpus at 10k records (larger sizes: bench/scale.sh, one process each).
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use tsunagu::answer::Engine;
use tsunagu::content::{synth, City};

#[path = "common/questions.rs"]
mod questions;
use questions::QUESTIONS;

fn engine(n: Option<usize>) -> Engine {
    let dir = tsunagu::repo_root()
        .join("target/criterion-index")
        .join(n.map_or("bundled".to_string(), |n| n.to_string()));
    let paths = tsunagu::Paths::checkout(&dir);
    let (base, analyzer) = tsunagu::load_content(&paths).unwrap();
    let catalog = match n {
        Some(n) => std::sync::Arc::new(synth::synthesize(&base, n, 1)),
        None => base,
    };
    let idx = tsunagu::index::open_or_build(&dir, &catalog, &analyzer).unwrap();
    Engine::new(catalog, idx)
}

fn analyzer(c: &mut Criterion) {
    let e = engine(None);
    let text: String = e
        .catalog
        .records
        .iter()
        .take(50)
        .map(|r| r.summary.as_str())
        .collect();
    let mut g = c.benchmark_group("analyzer");
    g.throughput(Throughput::Elements(text.chars().count() as u64));
    g.bench_function("morph_terms (chars/s)", |b| {
        b.iter(|| e.index.analyzer.morph_terms(&text))
    });
    g.finish();
}

const CALM_QUESTION: &str = "親が認知症になり、施設入所の費用に充てようと定期預金を解約しに銀行へ行ったら、本人か後見人でないとできないと言われました";

fn answer(c: &mut Criterion) {
    let mut g = c.benchmark_group("answer");
    g.measurement_time(Duration::from_secs(5));
    for (label, n) in [("bundled", None), ("10k", Some(10_000))] {
        let e = engine(n);
        g.bench_with_input(BenchmarkId::new("6 questions", label), &e, |b, e| {
            b.iter(|| {
                for q in QUESTIONS {
                    std::hint::black_box(e.answer(q, Some(City::named("sagamihara").unwrap()), 5));
                }
            })
        });
        g.bench_with_input(BenchmarkId::new("crisis check", label), &e, |b, e| {
            b.iter(|| e.emergency("夫に殴られる", Some(City::named("sagamihara").unwrap())))
        });
        // A calm question: every rule is checked and found silent, and the learned
        // detector (when shipped) scores it too.
        g.bench_with_input(BenchmarkId::new("crisis check, calm", label), &e, |b, e| {
            b.iter(|| e.emergency(CALM_QUESTION, Some(City::named("sagamihara").unwrap())))
        });
    }
    g.finish();
}

criterion_group!(benches, analyzer, answer);
criterion_main!(benches);
