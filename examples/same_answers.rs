//! Whether scoring from remembered clauses (and the lexicon's expansions scored once per
//! index) changes any answer: `cargo run --release --example same_answers`. Every
//! question of the project's sets (and `../shared/eval/dev.tsv` when present) is
//! answered for each city and for none, once as shipped and once as one tantivy query
//! with every expansion run as its phrase, and the two answers' JSON compared: byte for
//! byte, and where that differs, with scores equal to a millionth (a sum of the same
//! scores in another order differs in the last bit) and everything else equal.
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use tsunagu::answer::Engine;
use tsunagu::content::City;

fn questions() -> Vec<String> {
    let mut files = vec![
        "bench/questions.tsv",
        "bench/unseen/heldback.tsv",
        "bench/unseen/tune.tsv",
    ];
    if std::path::Path::new("../shared/eval/dev.tsv").exists() {
        files.push("../shared/eval/dev.tsv");
    }
    let mut texts = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{f}: {e}"));
        for line in text.lines().skip(1).filter(|l| !l.starts_with('#')) {
            // The question is the last column of every set.
            texts.extend(line.rsplit('\t').next().map(str::to_string));
        }
    }
    texts
}

fn main() {
    let paths = tsunagu::Paths::checkout(std::env::temp_dir().join("tsunagu-same-answers"));
    let shipped = tsunagu::load_engine(&paths).expect("the bundled content loads");
    let mut idx = shipped.index.clone();
    idx.expansion_hits = Arc::new(OnceLock::from(HashMap::new()));
    idx.clause_scores = None;
    let phrases = Engine::new(shipped.catalog.clone(), idx);
    let mut places: Vec<Option<City>> = shipped.catalog.municipalities().into_iter().map(Some).collect();
    places.push(None);
    let (mut n, mut last_bits, mut ties, mut differ) = (0, 0, 0, 0);
    for q in questions() {
        for &city in &places {
            let a = serde_json::to_value(shipped.answer(&q, city, 10)).expect("serialises");
            let b = serde_json::to_value(phrases.answer(&q, city, 10)).expect("serialises");
            n += 1;
            if a == b {
                continue;
            }
            if close(&a, &b) {
                last_bits += 1;
            } else if close(&tie_order(a), &tie_order(b)) {
                ties += 1;
                eprintln!("equal scores in another order: {q} ({city:?})");
            } else {
                differ += 1;
                eprintln!("differs: {q} ({city:?})");
            }
        }
    }
    println!(
        "{n} answers compared: {last_bits} differ only in a score's last bits, {ties} only in \
         the order of results whose scores are equal to a millionth, {differ} otherwise"
    );
    if let Some(kept) = &shipped.index.clause_scores {
        let (clauses, postings) = kept.size();
        println!("remembered after every set: {clauses} clauses, {postings} (document, score) pairs");
    }
    if differ > 0 {
        std::process::exit(1);
    }
}

/// Equal, but for numbers within a millionth of each other.
fn close(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(f64::NAN), y.as_f64().unwrap_or(f64::NAN));
            x == y || (x - y).abs() <= 1e-6 * x.abs().max(y.abs())
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| close(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| close(v, w)))
        }
        _ => a == b,
    }
}

/// The answer with its results ordered by score to a millionth, then id: two records
/// whose scores differ only in the last bit may come in either order.
fn tie_order(mut a: serde_json::Value) -> serde_json::Value {
    if let Some(results) = a.get_mut("results").and_then(|r| r.as_array_mut()) {
        let key = |r: &serde_json::Value| {
            let score = r["score"].as_f64().unwrap_or(0.0);
            ((-score * 1e4).round() as i64, r["id"].as_str().unwrap_or("").to_string())
        };
        results.sort_by_key(key);
    }
    a
}
