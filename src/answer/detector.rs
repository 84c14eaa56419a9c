//! A second danger detector that does not depend on listing words: a character n-gram
//! linear model (one logistic regression per sign, one-vs-rest) over the message as the
//! rules see it. Weights live in `content/detector.toml`, written by
//! `cargo run --release --features train --bin train-detector` from the labelled
//! questions in the repository (README, "The learned detector").
//!
//! It only speaks when the rules found nothing: above `support_at` it raises the calm
//! support block; above `emergency_at` (calibrated so calm questions almost never reach
//! it) the crisis block of the sign it scores highest. It never silences a rule.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::spelling::View;
use crate::content::DetectorModel;

/// Longest character n-gram read from the message.
const MAX_N: usize = 3;

/// The model, ready to score.
#[derive(Debug, Clone)]
pub struct Detector {
    labels: Vec<String>,
    bias: Vec<f32>,
    weights: HashMap<String, Vec<f32>>,
    emergency_at: f32,
    support_at: f32,
}

/// What the model says of a message the rules found nothing in.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Calm,
    Support,
    /// The sign (a danger rule's id) scored highest.
    Emergency(String),
}

/// The features of a message: its character 1–3-grams (katakana read as hiragana,
/// spaces removed, as the rules see it) and its English words and word pairs, each once.
pub fn features(view: &View) -> Vec<String> {
    let mut v = Vec::new();
    each_feature(view, |f| v.push(f.to_string()));
    v.sort();
    v
}

/// Calls `f` once per distinct feature, borrowing slices instead of allocating one
/// string per n-gram: this runs on every calm question, inside the answer's budget.
fn each_feature(view: &View, mut f: impl FnMut(&str)) {
    let text: String = std::iter::once('^')
        .chain(view.kana().chars().filter(|c| !c.is_ascii()))
        .chain(std::iter::once('$'))
        .collect();
    let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
    let mut seen: HashSet<&str> = HashSet::default();
    seen.reserve(starts.len() * MAX_N);
    for n in 1..=MAX_N {
        for w in starts.windows(n + 1) {
            let gram = &text[w[0]..w[n]];
            if seen.insert(gram) {
                f(gram);
            }
        }
    }
    let words: Vec<&str> = view.words().split(' ').filter(|w| !w.is_empty()).collect();
    let mut seen_words: HashSet<String> = HashSet::default();
    let pairs = words.windows(2).map(|p| format!("w:{} {}", p[0], p[1]));
    for w in words.iter().map(|w| format!("w:{w}")).chain(pairs) {
        if seen_words.insert(w.clone()) {
            f(&w);
        }
    }
}

impl Detector {
    pub fn new(m: &DetectorModel) -> Detector {
        Detector {
            labels: m.labels.clone(),
            bias: m.bias.clone(),
            // Checked when the content was loaded; a bad line cannot reach here.
            weights: m
                .rows()
                .unwrap_or_default()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            emergency_at: m.emergency_at,
            support_at: m.support_at,
        }
    }

    /// Each sign's probability for the message, in `labels` order.
    pub fn scores(&self, view: &View) -> Vec<(String, f32)> {
        let mut z = self.bias.clone();
        each_feature(view, |f| {
            if let Some(w) = self.weights.get(f) {
                for (zi, wi) in z.iter_mut().zip(w) {
                    *zi += wi;
                }
            }
        });
        self.labels
            .iter()
            .cloned()
            .zip(z.into_iter().map(|x| 1.0 / (1.0 + (-x).exp())))
            .collect()
    }

    pub fn judge(&self, view: &View, support_sign: &str) -> Verdict {
        let scores = self.scores(view);
        let danger = scores
            .iter()
            .filter(|(l, _)| l != support_sign)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((label, p)) = danger {
            if *p >= self.emergency_at {
                return Verdict::Emergency(label.clone());
            }
        }
        if scores.iter().any(|(_, p)| *p >= self.support_at) {
            return Verdict::Support;
        }
        Verdict::Calm
    }
}

/// Writes a model as `content/detector.toml` text (used by the trainer).
pub fn to_toml(m: &DetectorModel, header: &str) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    for line in header.lines() {
        let _ = writeln!(s, "# {line}");
    }
    let q = |x: &str| toml::Value::String(x.to_string()).to_string();
    let nums = |v: &[f32]| v.iter().map(|x| format!("{x:.4}")).collect::<Vec<_>>().join(", ");
    let _ = writeln!(s, "labels = [{}]", m.labels.iter().map(|l| q(l)).collect::<Vec<_>>().join(", "));
    let _ = writeln!(s, "bias = [{}]", nums(&m.bias));
    let _ = writeln!(s, "emergency_at = {:.4}", m.emergency_at);
    let _ = writeln!(s, "support_at = {:.4}", m.support_at);
    let _ = writeln!(s, "weights = '''");
    s.push_str(&m.weights);
    let _ = writeln!(s, "'''");
    s
}
