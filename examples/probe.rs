//! Runs an ad-hoc labelled TSV through the engine: `cargo run --release --example probe -- file.tsv`.
use tsunagu::relevance::{evaluate, load_questions, Expectations};
fn main() {
    let root = tsunagu::repo_root();
    let paths = tsunagu::Paths::checkout(std::env::temp_dir().join("tsunagu-probe"));
    let e = tsunagu::load_engine(&paths).unwrap();
    let file = std::env::args().nth(1).expect("a TSV file");
    let qs = load_questions(std::path::Path::new(&file)).unwrap();
    let exp = Expectations::load(&root.join("bench/expectations.toml")).unwrap();
    let r = evaluate(&e, &qs, &exp, &e.catalog.municipalities());
    println!(
        "recall@3 {:.3} crisis {:.2} false alarms {}",
        r.overall.recall3(),
        r.overall.crisis_recall(),
        r.overall.false_alarm
    );
    for o in r
        .outcomes
        .iter()
        .filter(|o| o.rank.is_none_or(|k| k > 3) || o.false_alarm || o.crisis_ok == Some(false))
    {
        println!(
            "{} [{}] {} {} rank={:?} fa={} top={:?}",
            o.id,
            o.city.as_str(),
            o.topic,
            o.text,
            o.rank,
            o.false_alarm,
            o.top
        );
    }
}
