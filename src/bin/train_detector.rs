//! Trains the learned danger detector: `cargo run --release --features train --bin train-detector`.
//!
//! Reads the labelled questions in the repository (the project's own set,
//! `bench/questions.tsv`, and the tune half of the unseen sets, `bench/unseen/tune.tsv`;
//! never the held-back half), turns each message into character n-grams as the rules
//! see it, and fits one L2-regularised logistic regression per sign (linfa). The
//! regularisation and both thresholds are chosen by 5-fold cross-validation on those
//! questions alone. Writes `content/detector.toml`; the same data and code give the same
//! weights.

use std::collections::{BTreeMap, HashMap};

use linfa::prelude::*;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};
use tsunagu::answer::detector::to_toml;
use tsunagu::content::DetectorModel;
use tsunagu::relevance::{load_questions, Question};
use tsunagu::{load_engine, repo_root, Paths};

const FOLDS: usize = 5;
const ALPHAS: [f64; 2] = [0.1, 1.0];
/// Calm questions that may reach the crisis threshold in cross-validation.
const MAX_FALSE_ALARMS: f64 = 0.01;
/// Calm questions that may reach the support threshold in cross-validation.
const MAX_CALM_SUPPORT: f64 = 0.03;

/// The rule a labelled class is shown as.
fn label_of(q: &Question) -> Option<&'static str> {
    if q.support {
        return Some("despair");
    }
    if !q.crisis {
        return None;
    }
    Some(match q.class.as_deref()? {
        "suicide" => "suicide",
        "self-harm" => "self-harm",
        "dv" => "dv",
        "child-abuse" => "child-abuse",
        "elder-abuse" => "elder-abuse",
        "carer-harm" => "carer-crisis",
        "violence-now" => "violence-now",
        "no-food" => "no-food",
        _ => return None,
    })
}

const LABELS: [&str; 9] = [
    "suicide", "self-harm", "dv", "child-abuse", "elder-abuse", "carer-crisis", "violence-now", "no-food", "despair",
];

struct Data {
    x: Array2<f64>,
    /// Per message: its label index, or None for calm.
    y: Vec<Option<usize>>,
    vocab: Vec<String>,
}

fn fit(x: &Array2<f64>, y: &[bool], alpha: f64) -> Option<(Vec<f64>, f64)> {
    if !y.iter().any(|b| *b) || y.iter().all(|b| *b) {
        return None;
    }
    let ds = Dataset::new(x.clone(), Array1::from(y.to_vec()));
    let m = LogisticRegression::default().alpha(alpha).max_iterations(100).fit(&ds).ok()?;
    let (w, b) = (m.params().to_vec(), m.intercept());
    // Which class linfa's parameters point at is its own business: orient them so the
    // messages of this sign score higher than the rest on the data they were fitted to.
    let z = |i: usize| x.row(i).iter().zip(&w).map(|(a, c)| a * c).sum::<f64>() + b;
    let mean = |want: bool| {
        let v: Vec<f64> = (0..y.len()).filter(|&i| y[i] == want).map(z).collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    if mean(true) < mean(false) {
        return Some((w.iter().map(|v| -v).collect(), -b));
    }
    Some((w, b))
}

fn score(x: &Array2<f64>, i: usize, model: &Option<(Vec<f64>, f64)>) -> f64 {
    match model {
        Some((w, b)) => {
            let z: f64 = x.row(i).iter().zip(w).map(|(a, c)| a * c).sum::<f64>() + b;
            1.0 / (1.0 + (-z).exp())
        }
        None => 0.0,
    }
}

/// Out-of-fold probabilities, message × label.
fn cross_validate(d: &Data, alpha: f64) -> Vec<Vec<f64>> {
    let n = d.y.len();
    let mut out = vec![vec![0.0; LABELS.len()]; n];
    for fold in 0..FOLDS {
        let train: Vec<usize> = (0..n).filter(|i| i % FOLDS != fold).collect();
        let test: Vec<usize> = (0..n).filter(|i| i % FOLDS == fold).collect();
        let xt = d.x.select(ndarray::Axis(0), &train);
        for (l, _) in LABELS.iter().enumerate() {
            let y: Vec<bool> = train.iter().map(|&i| d.y[i] == Some(l)).collect();
            let m = fit(&xt, &y, alpha);
            for &i in &test {
                out[i][l] = score(&d.x, i, &m);
            }
        }
    }
    out
}

/// The lowest threshold at which at most `share` of the calm messages reach it.
fn threshold(calm: &mut [f64], share: f64, floor: f64) -> f64 {
    calm.sort_by(|a, b| b.total_cmp(a));
    let allowed = (calm.len() as f64 * share).floor() as usize;
    let t = calm.get(allowed).copied().unwrap_or(0.0) + 1e-4;
    t.clamp(floor, 0.9999)
}

fn main() -> anyhow::Result<()> {
    let root = repo_root();
    // The features do not depend on the old model, and a broken one would stop the
    // content from loading: it is replaced whole.
    let _ = std::fs::remove_file(root.join("content/detector.toml"));
    let engine = load_engine(&Paths::new(root.join("content"), root.join("index")))?;
    let mut qs = load_questions(&root.join("bench/questions.tsv"))?;
    qs.extend(load_questions(&root.join("bench/unseen/tune.tsv"))?);
    // Crisis questions without a class name no sign; they are left out, not called calm.
    qs.retain(|q| !q.crisis || label_of(q).is_some());
    let feats: Vec<Vec<String>> = qs.iter().map(|q| engine.detector_features(&q.text)).collect();
    let mut df: HashMap<&str, usize> = HashMap::new();
    for f in &feats {
        for t in f {
            *df.entry(t.as_str()).or_default() += 1;
        }
    }
    let mut vocab: Vec<String> = df.iter().filter(|(_, n)| **n >= 2).map(|(t, _)| t.to_string()).collect();
    vocab.sort();
    let col: HashMap<&str, usize> = vocab.iter().enumerate().map(|(i, t)| (t.as_str(), i)).collect();
    let mut x = Array2::<f64>::zeros((qs.len(), vocab.len()));
    for (i, f) in feats.iter().enumerate() {
        for t in f {
            if let Some(&j) = col.get(t.as_str()) {
                x[[i, j]] = 1.0;
            }
        }
    }
    let y: Vec<Option<usize>> = qs
        .iter()
        .map(|q| label_of(q).and_then(|l| LABELS.iter().position(|x| *x == l)))
        .collect();
    let d = Data { x, y, vocab };
    eprintln!("{} messages, {} features", qs.len(), d.vocab.len());
    let despair = LABELS.len() - 1;
    // Pick the regularisation that finds the most dangers at the calibrated threshold.
    let mut best: Option<(f64, f64, f64, f64)> = None; // (recall, alpha, t_e, t_s)
    for alpha in ALPHAS {
        let oof = cross_validate(&d, alpha);
        let danger_max = |i: usize| (0..despair).map(|l| oof[i][l]).fold(0.0, f64::max);
        let any_max = |i: usize| oof[i].iter().copied().fold(0.0, f64::max);
        let calm: Vec<usize> = (0..qs.len()).filter(|&i| d.y[i].is_none()).collect();
        let mut calm_danger: Vec<f64> = calm.iter().map(|&i| danger_max(i)).collect();
        let mut calm_any: Vec<f64> = calm.iter().map(|&i| any_max(i)).collect();
        let t_e = threshold(&mut calm_danger, MAX_FALSE_ALARMS, 0.5);
        let t_s = threshold(&mut calm_any, MAX_CALM_SUPPORT, 0.3);
        let dangers: Vec<usize> = (0..qs.len()).filter(|&i| d.y[i].is_some_and(|l| l < despair)).collect();
        let hit = dangers
            .iter()
            .filter(|&&i| {
                let l = d.y[i].unwrap();
                danger_max(i) >= t_e && (0..despair).all(|k| oof[i][k] <= oof[i][l])
            })
            .count();
        let recall = hit as f64 / dangers.len().max(1) as f64;
        eprintln!("alpha {alpha}: cross-validated crisis recall {recall:.3} (right class) at {t_e:.3}; support at {t_s:.3}");
        if best.is_none_or(|b| recall > b.0) {
            best = Some((recall, alpha, t_e, t_s));
        }
    }
    let (recall, alpha, t_e, t_s) = best.expect("at least one alpha");
    let mut weights: BTreeMap<String, Vec<f32>> = BTreeMap::new();
    let mut bias = Vec::new();
    for (l, _) in LABELS.iter().enumerate() {
        let y: Vec<bool> = d.y.iter().map(|v| *v == Some(l)).collect();
        let (w, b) = fit(&d.x, &y, alpha).unwrap_or((vec![0.0; d.vocab.len()], -10.0));
        bias.push(b as f32);
        for (j, t) in d.vocab.iter().enumerate() {
            weights.entry(t.clone()).or_insert_with(|| vec![0.0; LABELS.len()])[l] = w[j] as f32;
        }
    }
    weights.retain(|_, v| v.iter().any(|w| w.abs() >= 0.02));
    let kept = weights.len();
    let weights: String = weights
        .iter()
        .map(|(k, v)| {
            let ws: Vec<String> = v.iter().map(|w| format!("{w:.4}")).collect();
            format!("{k}\t{}\n", ws.join(" "))
        })
        .collect();
    let model = DetectorModel {
        labels: LABELS.iter().map(|s| s.to_string()).collect(),
        bias,
        emergency_at: t_e as f32,
        support_at: t_s as f32,
        weights,
    };
    let header = format!(
        "The learned danger detector (src/answer/detector.rs). Written by\n`cargo run --release --features train --bin train-detector`; do not edit by hand.\nTrained on bench/questions.tsv and bench/unseen/tune.tsv ({} messages, {} features kept);\nL2 alpha {alpha} and thresholds chosen by {FOLDS}-fold cross-validation on them\n(cross-validated crisis recall {recall:.3} with at most {:.0} % calm at the crisis threshold).\n",
        qs.len(),
        kept,
        MAX_FALSE_ALARMS * 100.0
    );
    std::fs::write(root.join("content/detector.toml"), to_toml(&model, &header))?;
    eprintln!("wrote content/detector.toml: {kept} features");
    Ok(())
}
