//! Where an answer's time goes: `cargo run --release --example profile`.
use std::time::Instant;
use tsunagu::content::City;

#[path = "../benches/common/questions.rs"]
mod questions;
/// The answers alone, in a function of its own so that an instruction counter can be
/// pointed at it: `ONLY=answer N=5 valgrind --tool=callgrind
/// '--toggle-collect=*answer_loop*' target/release/examples/profile` (the start-up
/// self-check also answers, and must not be counted).
#[inline(never)]
fn answer_loop(e: &tsunagu::answer::Engine, n: u32) {
    let city = City::named("sagamihara");
    for _ in 0..n {
        for q in questions::QUESTIONS {
            std::hint::black_box(e.answer(q, city, 5));
        }
    }
}

fn main() {
    let paths = tsunagu::Paths::checkout(std::env::temp_dir().join("tsunagu-profile"));
    let e = tsunagu::load_engine(&paths).unwrap();
    let qs = questions::QUESTIONS;
    let n: u32 = std::env::var("N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    // ONLY=answer runs the answer loop alone (for perf record).
    if std::env::var("ONLY").is_ok_and(|v| v == "answer") {
        let t = Instant::now();
        answer_loop(&e, n);
        println!("answer: {:?}/q", t.elapsed() / (n * qs.len() as u32));
        return;
    }
    let t = Instant::now();
    for _ in 0..n {
        for q in qs {
            std::hint::black_box(e.index.analyzer.morph_terms(q));
        }
    }
    println!("morph_terms: {:?}/q", t.elapsed() / (n * qs.len() as u32));
    let t = Instant::now();
    for _ in 0..n {
        for q in qs {
            std::hint::black_box(
                tsunagu::search::search(
                    &e.index,
                    &e.index.analyzer.query(q),
                    &[],
                    &Default::default(),
                    60,
                )
                .unwrap(),
            );
        }
    }
    println!(
        "search (no expansions): {:?}/q",
        t.elapsed() / (n * qs.len() as u32)
    );
    let t = Instant::now();
    for _ in 0..n {
        for q in qs {
            std::hint::black_box(e.answer(q, Some(City::named("sagamihara").unwrap()), 5));
        }
    }
    println!("answer: {:?}/q", t.elapsed() / (n * qs.len() as u32));
    let t = Instant::now();
    for _ in 0..n {
        for q in qs {
            let norm = e.index.analyzer.normalize(q).text;
            std::hint::black_box(e.emergency(&norm, Some(City::named("sagamihara").unwrap())));
        }
    }
    println!("emergency: {:?}/q", t.elapsed() / (n * qs.len() as u32));
    let t = Instant::now();
    for _ in 0..n {
        for q in qs {
            let norm = e.index.analyzer.normalize(q).text;
            std::hint::black_box(e.understand(&norm));
        }
    }
    println!("lexicon: {:?}/q", t.elapsed() / (n * qs.len() as u32));
    let t = Instant::now();
    for _ in 0..n {
        for q in qs {
            let norm = e.index.analyzer.normalize(q).text;
            let u = e.understand(&norm);
            std::hint::black_box(
                tsunagu::search::search(
                    &e.index,
                    &e.index.analyzer.query(q),
                    &u.expansions,
                    &tsunagu::search::Filters {
                        cities: vec![City::named("sagamihara").unwrap(), City::National],
                        ..Default::default()
                    },
                    30,
                )
                .unwrap(),
            );
        }
    }
    println!(
        "search with expansions+filter: {:?}/q",
        t.elapsed() / (n * qs.len() as u32)
    );
    let answers: Vec<_> = qs
        .iter()
        .map(|q| e.answer(q, Some(City::named("sagamihara").unwrap()), 5))
        .collect();
    let t = Instant::now();
    let mut bytes = 0;
    for _ in 0..n {
        for a in &answers {
            bytes += serde_json::to_vec(a).unwrap().len();
        }
    }
    println!(
        "serialize: {:?}/q, {} bytes/answer",
        t.elapsed() / (n * qs.len() as u32),
        bytes / (n as usize * qs.len())
    );
}
