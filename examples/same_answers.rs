//! Whether scoring the lexicon's expansions once per index changes any answer:
//! `cargo run --release --example same_answers`. Every question of the project's sets
//! (and `../shared/eval/dev.tsv` when present) is answered for each city and for none,
//! once as shipped and once with every expansion run as its phrase query, and the two
//! answers' JSON (scores included) compared byte for byte.
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
    let phrases = Engine::new(shipped.catalog.clone(), idx);
    let mut places: Vec<Option<City>> = shipped.catalog.municipalities().into_iter().map(Some).collect();
    places.push(None);
    let (mut n, mut differ) = (0, 0);
    for q in questions() {
        for &city in &places {
            let a = serde_json::to_string(&shipped.answer(&q, city, 10)).expect("serialises");
            let b = serde_json::to_string(&phrases.answer(&q, city, 10)).expect("serialises");
            n += 1;
            if a != b {
                differ += 1;
                eprintln!("differs: {q} ({city:?})");
            }
        }
    }
    println!("{n} answers compared, {differ} differ");
    if differ > 0 {
        std::process::exit(1);
    }
}
