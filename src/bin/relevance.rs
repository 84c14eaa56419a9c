//! Relevance benchmark: `cargo run --release --bin relevance`.
//!
//! Runs the project's own labelled questions (`bench/questions.tsv` with
//! `bench/expectations.toml`) and, when `../shared/eval` exists, the shared development
//! set, through the engine and the SQLite FTS5 trigram baseline, and prints markdown
//! tables (paste them into BENCHMARKS.md) followed by the questions that still fail.
//!
//! Then the danger sets nobody tuned the rules to (`bench/unseen/`): the held-back half
//! first, as figures only (its texts are read by nobody until the work is done), then
//! the tune half, whose failures are listed. `--unseen` runs only those.

use std::path::{Path, PathBuf};

use tsunagu::relevance::{
    danger_table, evaluate, load_questions, markdown, Expectations, Fts5Baseline, Report,
};
use tsunagu::{load_engine, repo_root, Paths};

fn failures(name: &str, r: &Report) {
    let bad: Vec<_> = r
        .outcomes
        .iter()
        .filter(|o| {
            o.crisis_ok == Some(false)
                || o.false_alarm
                || o.support_ok == Some(false)
                || o.calm_support
                || o.rank.is_none_or(|k| k > 3)
        })
        .collect();
    println!(
        "\n#### {name}: {} question×city pairs below the bar\n",
        bad.len()
    );
    for o in bad {
        let why = match (o.crisis_ok, o.false_alarm, o.rank) {
            (Some(false), _, _) => "crisis block missing".to_string(),
            (_, true, _) => "false alarm".to_string(),
            _ if o.support_ok == Some(false) => "support block missing".to_string(),
            _ if o.calm_support => "support block on a calm question".to_string(),
            (_, _, None) => "no expected phone in top 5".to_string(),
            (_, _, Some(k)) => format!("first expected phone at rank {k}"),
        };
        println!(
            "- {} [{}] {} — {} — top: {}",
            o.id,
            o.city.as_str(),
            o.text.chars().take(40).collect::<String>(),
            why,
            o.top.join(", ")
        );
    }
}

/// A path as the reader would type it from the repository root.
fn shown(p: &Path) -> String {
    let root = repo_root();
    if let Ok(r) = p.strip_prefix(root) {
        return r.display().to_string();
    }
    match root.parent().and_then(|up| p.strip_prefix(up).ok()) {
        Some(r) => format!("../{}", r.display()),
        None => p.display().to_string(),
    }
}

fn run(
    set: &str,
    questions: &Path,
    expectations: &Path,
    engine: &tsunagu::answer::Engine,
) -> anyhow::Result<()> {
    let qs = load_questions(questions)?;
    let exp = Expectations::load(expectations)?;
    let ours = evaluate(engine, &qs, &exp, &engine.catalog.municipalities());
    let baseline = Fts5Baseline::new(engine)?;
    let base = evaluate(&baseline, &qs, &exp, &engine.catalog.municipalities());
    println!(
        "{}",
        markdown(
            &format!("{set} ({} questions, `{}`)", qs.len(), shown(questions)),
            &[("tsunagu", &ours), ("fts5", &base)]
        )
    );
    if std::env::args().any(|a| a == "--failures") {
        failures(set, &ours);
    }
    Ok(())
}

/// The sets in `bench/unseen/`: held-back figures first, then the tune half.
fn unseen(root: &Path, engine: &tsunagu::answer::Engine) -> anyhow::Result<()> {
    let dir = root.join("bench/unseen");
    let exp = Expectations::load(&dir.join("expectations.toml"))?;
    let rules = engine.clone().without_detector();
    for (name, file, list) in [
        ("Held-back half", "heldback.tsv", false),
        ("Tune half", "tune.tsv", true),
    ] {
        let qs = load_questions(&dir.join(file))?;
        let r = evaluate(engine, &qs, &exp, &engine.catalog.municipalities());
        let alone = evaluate(&rules, &qs, &exp, &engine.catalog.municipalities());
        let title = format!("{name} ({} messages, `bench/unseen/{file}`)", qs.len());
        println!(
            "{}",
            danger_table(&title, &[("rules + detector", &r), ("rules alone", &alone)])
        );
        if list && std::env::args().any(|a| a == "--failures") {
            failures(name, &r);
        }
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let root = repo_root();
    let paths = Paths::new(root.join("content"), root.join("index"));
    let engine = load_engine(&paths)?;
    if std::env::args().any(|a| a == "--unseen") {
        return unseen(root, &engine);
    }
    run(
        "Project set",
        &root.join("bench/questions.tsv"),
        &root.join("bench/expectations.toml"),
        &engine,
    )?;
    let shared: PathBuf = root.parent().unwrap_or(root).join("shared/eval");
    if shared.join("dev.tsv").exists() {
        run(
            "Shared development set",
            &shared.join("dev.tsv"),
            &shared.join("expectations.toml"),
            &engine,
        )?;
    } else {
        println!("(../shared/eval not found: shared development set skipped)");
    }
    unseen(root, &engine)
}
