//! Content insights, opt-in (`TSUNAGU_INSIGHTS_DIR`): one anonymised line per answered
//! question — time, city, channel, recognised needs and dangers, whether anything
//! specific matched — in an append-only JSON-lines file the server owns. The question
//! text itself is kept only when nothing specific matched (editors need it to add
//! content), and only after [`redact::redact`]. Lines older than the retention are
//! dropped at start and once a day. No SQLite: the server binary links none.
//!
//! Not a log: nothing here goes to stderr, and raw questions never reach the file.

pub mod redact;

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::analysis::Analyzer;
use crate::answer::Answer;

const FILE: &str = "insights.jsonl";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Event {
    /// Unix seconds.
    pub t: u64,
    pub city: Option<String>,
    /// `web` or `line`.
    pub channel: String,
    pub needs: Vec<String>,
    pub dangers: Vec<String>,
    /// Something specific matched (results, and no "only the general windows" notice).
    pub hit: bool,
    /// The redacted question, only when `hit` is false.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub question: Option<String>,
}

impl Event {
    pub fn of(analyzer: &Analyzer, question: &str, channel: &str, answer: &Answer) -> Event {
        let hit = !answer.results.is_empty() && answer.notice.is_none();
        Event {
            t: now(),
            city: answer.city.map(|c| c.as_str().to_string()),
            channel: channel.to_string(),
            needs: answer.need.iter().cloned().collect(),
            dangers: answer
                .emergency
                .iter()
                .flat_map(|e| e.dangers.iter().cloned())
                .chain(answer.support.iter().flat_map(|s| s.signs.iter().cloned()))
                .collect(),
            hit,
            question: (!hit).then(|| redact::redact(analyzer, question)),
        }
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The store: an append-only file and its retention.
pub struct Store {
    path: PathBuf,
    retention: Duration,
    state: Mutex<(std::fs::File, u64)>, // (file, last prune unix seconds)
}

impl Store {
    /// Opens (creating) the store in `dir` and drops lines older than `retention_days`.
    pub fn open(dir: &Path, retention_days: u32) -> std::io::Result<Store> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join(FILE);
        let retention = Duration::from_secs(u64::from(retention_days.max(1)) * 86_400);
        prune(&path, retention)?;
        let file = open_append(&path)?;
        Ok(Store {
            path,
            retention,
            state: Mutex::new((file, now())),
        })
    }

    pub fn record(&self, event: &Event) {
        let Ok(mut line) = serde_json::to_vec(event) else {
            return;
        };
        line.push(b'\n');
        let mut g = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if event.t >= g.1 + 86_400 {
            g.1 = event.t;
            match prune(&self.path, self.retention).and_then(|_| open_append(&self.path)) {
                Ok(f) => g.0 = f,
                Err(e) => tracing::warn!(error = %e, "insights: pruning failed"),
            }
        }
        if let Err(e) = g.0.write_all(&line) {
            tracing::warn!(error = %e, "insights: write failed");
        }
    }

    pub fn summary(&self, days: u32, top: usize) -> Summary {
        summarize(&self.path, days, top)
    }
}

fn open_append(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
}

fn read_events(path: &Path) -> Vec<Event> {
    let Ok(f) = std::fs::File::open(path) else {
        return Vec::new();
    };
    std::io::BufReader::new(f)
        .lines()
        .map_while(Result::ok)
        .filter_map(|l| serde_json::from_str(&l).ok())
        .collect()
}

/// Rewrites the file without events older than `retention` (atomically, via rename).
fn prune(path: &Path, retention: Duration) -> std::io::Result<()> {
    if !path.exists() {
        return Ok(());
    }
    let cutoff = now().saturating_sub(retention.as_secs());
    let kept: Vec<Event> = read_events(path)
        .into_iter()
        .filter(|e| e.t >= cutoff)
        .collect();
    let tmp = path.with_extension("jsonl.tmp");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
    for e in &kept {
        serde_json::to_writer(&mut out, e).map_err(std::io::Error::other)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    drop(out);
    std::fs::rename(tmp, path)
}

/// What editors look at: the most frequent needs and the questions nothing matched.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Summary {
    pub days: u32,
    pub questions: usize,
    pub zero_hit: usize,
    pub by_channel: Vec<(String, usize)>,
    pub by_city: Vec<(String, usize)>,
    pub top_needs: Vec<(String, usize)>,
    pub top_dangers: Vec<(String, usize)>,
    pub zero_hit_questions: Vec<(String, usize)>,
}

fn ranked(counts: HashMap<String, usize>, top: usize) -> Vec<(String, usize)> {
    let mut v: Vec<_> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(top);
    v
}

/// Summarises the store file in `dir` (the CLI reads it without a server).
pub fn summarize_dir(dir: &Path, days: u32, top: usize) -> Summary {
    summarize(&dir.join(FILE), days, top)
}

fn summarize(path: &Path, days: u32, top: usize) -> Summary {
    let cutoff = now().saturating_sub(u64::from(days) * 86_400);
    let events: Vec<Event> = read_events(path)
        .into_iter()
        .filter(|e| e.t >= cutoff)
        .collect();
    let mut channel = HashMap::new();
    let mut city = HashMap::new();
    let mut needs = HashMap::new();
    let mut dangers = HashMap::new();
    let mut missed = HashMap::new();
    for e in &events {
        *channel.entry(e.channel.clone()).or_default() += 1;
        *city
            .entry(e.city.clone().unwrap_or_else(|| "(none)".into()))
            .or_default() += 1;
        for n in &e.needs {
            *needs.entry(n.clone()).or_default() += 1;
        }
        for d in &e.dangers {
            *dangers.entry(d.clone()).or_default() += 1;
        }
        if let Some(q) = &e.question {
            *missed.entry(q.clone()).or_default() += 1;
        }
    }
    Summary {
        days,
        questions: events.len(),
        zero_hit: events.iter().filter(|e| !e.hit).count(),
        by_channel: ranked(channel, top),
        by_city: ranked(city, top),
        top_needs: ranked(needs, top),
        top_dangers: ranked(dangers, top),
        zero_hit_questions: ranked(missed, top),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(t: u64, need: &str, question: Option<&str>) -> Event {
        Event {
            t,
            city: Some("sagamihara".into()),
            channel: "web".into(),
            needs: vec![need.into()],
            dangers: vec![],
            hit: question.is_none(),
            question: question.map(str::to_string),
        }
    }

    #[test]
    fn old_events_are_dropped_and_the_rest_summarised() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path(), 30).unwrap();
            store.record(&event(now() - 40 * 86_400, "old", None));
            store.record(&event(now(), "kouken", None));
            store.record(&event(now(), "kouken", Some("〔氏名〕の件")));
            store.record(&event(now(), "rent", None));
        }
        // Reopening applies the retention.
        let store = Store::open(dir.path(), 30).unwrap();
        let s = store.summary(365, 10);
        assert_eq!(s.questions, 3);
        assert_eq!(s.zero_hit, 1);
        assert_eq!(s.top_needs[0], ("kouken".to_string(), 2));
        assert_eq!(s.zero_hit_questions, vec![("〔氏名〕の件".to_string(), 1)]);
        assert!(!std::fs::read_to_string(dir.path().join(FILE)).unwrap().contains("old"));
    }

    #[test]
    fn each_kind_of_personal_data_is_redacted() {
        let (_, analyzer) = crate::testutil::fixture();
        for (input, gone, label) in [
            ("電話は090-1234-5678です", "5678", redact::PHONE),
            // Fuzz finding: digits just before a number.
            ("c%07 090-1234-5678", "5678", redact::PHONE),
            ("携帯09012345678まで", "5678", redact::PHONE),
            ("０４２‐７６９‐９２２２に電話した", "９２２２", redact::PHONE),
            ("連絡先 taro.yamada@example.jp まで", "yamada", redact::EMAIL),
            ("LINE ID: taro_1985 です", "taro_1985", redact::LINE_ID),
            ("Uf0123456789abcdef0123456789abcdef から", "Uf0123", redact::LINE_ID),
            ("〒252-0236 に住んでいます", "0236", redact::POSTAL),
            ("中央区中央2丁目11-15に住んでいます", "11-15", redact::ADDRESS),
            ("上溝5-3-12のアパート", "5-3-12", redact::ADDRESS),
            ("山田太郎さんが困っています", "太郎", redact::NAME),
            ("佐藤さんの母の介護", "佐藤", redact::NAME),
        ] {
            let out = redact::redact(&analyzer, input);
            assert!(!out.contains(gone), "{input} → {out}");
            assert!(out.contains(label), "{input} → {out}");
        }
        // What editors need survives.
        let out = redact::redact(&analyzer, "母の介護のことで相談したい");
        assert_eq!(out, "母の介護のことで相談したい");
        assert_eq!(redact::redact(&analyzer, "189に電話"), "189に電話");
    }
}
