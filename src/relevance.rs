//! Offline relevance measurement: labelled questions → recall@1/3, MRR, crisis recall,
//! false alarms and zero-result rate, for the engine and for an SQLite FTS5 trigram
//! baseline over the same content (see ../shared/SEARCH.md §6).
//!
//! A question is answered well for a city when one of the phones expected for its
//! topic and city appears among the contacts (or route-step contacts) of the top
//! results. A crisis question is answered well when the crisis block is present and
//! names one of the crisis phones; any other question raising it is a false alarm.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use rusqlite::Connection;
use serde::Deserialize;

use crate::answer::{Answer, Engine, ResultItem};
use crate::content::City;

/// One labelled question. `city` None means "ask it in every city".
#[derive(Debug, Clone)]
pub struct Question {
    pub id: String,
    pub topic: String,
    pub crisis: bool,
    pub city: Option<City>,
    pub text: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Expectations {
    pub crisis: CrisisPhones,
    pub topics: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CrisisPhones {
    pub phones: Vec<String>,
}

impl Expectations {
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        Ok(toml::from_str(&std::fs::read_to_string(path)?)?)
    }

    fn phones(&self, topic: &str, city: City) -> Option<HashSet<&str>> {
        let set = self.topics.get(topic)?.get(city.as_str())?;
        Some(set.iter().map(String::as_str).collect())
    }
}

/// Reads a TSV with a header naming at least `id`, `topic`, `flag`, `text`, and
/// optionally `city`. `flag` is `crisis` for danger messages (`urgent` counts too).
pub fn load_questions(path: &Path) -> anyhow::Result<Vec<Question>> {
    let text = std::fs::read_to_string(path)?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (id, topic, flag, body) = (col("id"), col("topic"), col("flag"), col("text"));
    let city = col("city");
    let (Some(id), Some(topic), Some(flag), Some(body)) = (id, topic, flag, body) else {
        anyhow::bail!(
            "{}: header needs id, topic, flag and text columns",
            path.display()
        );
    };
    let mut out = Vec::new();
    for line in lines.filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        let get = |i: usize| f.get(i).copied().unwrap_or("").trim();
        out.push(Question {
            id: get(id).to_string(),
            topic: get(topic).to_string(),
            crisis: matches!(get(flag), "crisis" | "urgent"),
            city: city.and_then(|c| City::parse(get(c))),
            text: get(body).to_string(),
        });
    }
    Ok(out)
}

/// Which retrieval produced a ranking.
pub trait Ranker {
    fn name(&self) -> &str;
    fn answer(&self, q: &str, city: City) -> Answer;
}

impl Ranker for Engine {
    fn name(&self) -> &str {
        "tsunagu"
    }
    fn answer(&self, q: &str, city: City) -> Answer {
        Engine::answer(self, q, Some(city), 5)
    }
}

fn phones_of(item: &ResultItem) -> impl Iterator<Item = &str> {
    item.contacts
        .iter()
        .chain(item.route.iter().flat_map(|s| s.contacts.iter()))
        .filter_map(|c| c.phone.as_deref())
}

/// Aggregated figures for one slice (a city, a topic, or everything).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    pub questions: usize,
    pub hit1: usize,
    pub hit3: usize,
    pub rr: f64,
    pub zero: usize,
    pub crisis: usize,
    pub crisis_hit: usize,
    pub ordinary: usize,
    pub false_alarm: usize,
}

impl Figures {
    pub fn recall1(&self) -> f64 {
        ratio(self.hit1, self.questions)
    }
    pub fn recall3(&self) -> f64 {
        ratio(self.hit3, self.questions)
    }
    pub fn mrr(&self) -> f64 {
        if self.questions == 0 {
            0.0
        } else {
            self.rr / self.questions as f64
        }
    }
    pub fn crisis_recall(&self) -> f64 {
        if self.crisis == 0 {
            1.0
        } else {
            ratio(self.crisis_hit, self.crisis)
        }
    }
    pub fn false_alarm_rate(&self) -> f64 {
        ratio(self.false_alarm, self.ordinary)
    }
    pub fn zero_rate(&self) -> f64 {
        ratio(self.zero, self.questions + self.crisis)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// The outcome of one (question, city) pair, for the failure list.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub id: String,
    pub city: City,
    pub topic: String,
    pub text: String,
    pub rank: Option<usize>,
    pub crisis_ok: Option<bool>,
    pub false_alarm: bool,
    pub top: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub overall: Figures,
    pub by_city: BTreeMap<String, Figures>,
    pub by_topic: BTreeMap<String, Figures>,
    pub outcomes: Vec<Outcome>,
}

pub fn evaluate(ranker: &dyn Ranker, questions: &[Question], exp: &Expectations) -> Report {
    let crisis_phones: HashSet<&str> = exp.crisis.phones.iter().map(String::as_str).collect();
    let mut report = Report::default();
    for q in questions {
        let cities: Vec<City> = match q.city {
            Some(c) => vec![c],
            None => vec![City::Sagamihara, City::Tsuruoka],
        };
        for city in cities {
            let ans = ranker.answer(&q.text, city);
            let mut o = Outcome {
                id: q.id.clone(),
                city,
                topic: q.topic.clone(),
                text: q.text.clone(),
                rank: None,
                crisis_ok: None,
                false_alarm: false,
                top: ans.results.iter().take(3).map(|r| r.id.clone()).collect(),
            };
            let zero = ans.results.is_empty() || ans.notice.is_some();
            let mut f = Figures {
                zero: zero as usize,
                ..Figures::default()
            };
            if q.crisis {
                let ok = ans.emergency.as_ref().is_some_and(|e| {
                    e.contacts
                        .iter()
                        .filter_map(|c| c.phone.as_deref())
                        .any(|p| crisis_phones.contains(p))
                });
                o.crisis_ok = Some(ok);
                f.crisis = 1;
                f.crisis_hit = ok as usize;
            } else {
                f.ordinary = 1;
                o.false_alarm = ans.emergency.is_some();
                f.false_alarm = o.false_alarm as usize;
            }
            if let Some(expected) = exp.phones(&q.topic, city) {
                o.rank = ans
                    .results
                    .iter()
                    .position(|r| phones_of(r).any(|p| expected.contains(p)))
                    .map(|i| i + 1);
                if !q.crisis || o.rank.is_some() || !ans.results.is_empty() {
                    f.questions = 1;
                    f.hit1 = (o.rank == Some(1)) as usize;
                    f.hit3 = o.rank.is_some_and(|r| r <= 3) as usize;
                    f.rr = o.rank.map(|r| 1.0 / r as f64).unwrap_or(0.0);
                }
            }
            for slot in [
                &mut report.overall,
                report.by_city.entry(city.as_str().to_string()).or_default(),
                report.by_topic.entry(q.topic.clone()).or_default(),
            ] {
                add(slot, &f);
            }
            report.outcomes.push(o);
        }
    }
    report
}

fn add(a: &mut Figures, b: &Figures) {
    a.questions += b.questions;
    a.hit1 += b.hit1;
    a.hit3 += b.hit3;
    a.rr += b.rr;
    a.zero += b.zero;
    a.crisis += b.crisis;
    a.crisis_hit += b.crisis_hit;
    a.ordinary += b.ordinary;
    a.false_alarm += b.false_alarm;
}

/// The SQLite FTS5 `trigram` baseline: NFKC on both sides, query split into runs of
/// kanji/katakana/latin (particles and other hiragana are separators), terms of three
/// or more characters OR-ed in MATCH and ranked by bm25(), shorter terms matched with
/// `instr` on a plain table. Same content, same answer composition; no lexicon, no
/// crisis rules, no morphology.
pub struct Fts5Baseline<'a> {
    engine: &'a Engine,
    db: Connection,
}

fn nfkc(s: &str) -> String {
    crate::analysis::basic(s)
}

impl<'a> Fts5Baseline<'a> {
    pub fn new(engine: &'a Engine) -> anyhow::Result<Self> {
        let db = Connection::open_in_memory()?;
        db.execute_batch(
            "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, city UNINDEXED, body, tokenize='trigram');
             CREATE TABLE plain(id TEXT, city TEXT, body TEXT);",
        )?;
        for r in &engine.catalog.records {
            let contacts: Vec<&str> = r.contacts.iter().map(|c| c.name.as_str()).collect();
            let body = nfkc(&format!(
                "{} {} {} {} {}",
                r.title,
                r.summary,
                r.keywords.join(" "),
                r.topics.join(" "),
                contacts.join(" ")
            ));
            db.execute(
                "INSERT INTO docs VALUES (?1, ?2, ?3)",
                (&r.id, r.city.as_str(), &body),
            )?;
            db.execute(
                "INSERT INTO plain VALUES (?1, ?2, ?3)",
                (&r.id, r.city.as_str(), &body),
            )?;
        }
        Ok(Fts5Baseline { engine, db })
    }

    fn terms(q: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut cur = String::new();
        for c in nfkc(q).chars() {
            let keep = matches!(c, '\u{4E00}'..='\u{9FFF}' | 'ァ'..='ヺ' | 'ー' | '々')
                || c.is_ascii_alphanumeric();
            if keep {
                cur.push(c);
            } else if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        }
        if !cur.is_empty() {
            out.push(cur);
        }
        out.sort();
        out.dedup();
        out
    }

    pub fn search(&self, q: &str, city: City) -> Vec<String> {
        let terms = Self::terms(q);
        let (long, short): (Vec<&String>, Vec<&String>) =
            terms.iter().partition(|t| t.chars().count() >= 3);
        let cities = [city.as_str(), "national"];
        let mut ranked: Vec<String> = Vec::new();
        if !long.is_empty() {
            let expr = long
                .iter()
                .map(|t| format!("\"{}\"", t.replace('"', "")))
                .collect::<Vec<_>>()
                .join(" OR ");
            if let Ok(mut st) = self.db.prepare(
                "SELECT id FROM docs WHERE docs MATCH ?1 AND city IN (?2, ?3) ORDER BY bm25(docs) LIMIT 20",
            ) {
                if let Ok(rows) = st.query_map((&expr, cities[0], cities[1]), |r| r.get::<_, String>(0)) {
                    ranked.extend(rows.flatten());
                }
            }
        }
        if !short.is_empty() {
            let mut scored: Vec<(usize, String)> = Vec::new();
            if let Ok(mut st) = self
                .db
                .prepare("SELECT id, body FROM plain WHERE city IN (?1, ?2)")
            {
                if let Ok(rows) = st.query_map((cities[0], cities[1]), |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                }) {
                    for (id, body) in rows.flatten() {
                        let n = short.iter().filter(|t| body.contains(t.as_str())).count();
                        if n > 0 {
                            scored.push((n, id));
                        }
                    }
                }
            }
            scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            for (_, id) in scored {
                if !ranked.contains(&id) {
                    ranked.push(id);
                }
            }
        }
        ranked
    }
}

impl Ranker for Fts5Baseline<'_> {
    fn name(&self) -> &str {
        "fts5-trigram"
    }
    fn answer(&self, q: &str, city: City) -> Answer {
        let results: Vec<ResultItem> = self
            .search(q, city)
            .into_iter()
            .take(5)
            .filter_map(|id| self.engine.resource_in(&id, Some(city)))
            .collect();
        Answer {
            query: q.to_string(),
            city: Some(city),
            emergency: None,
            results,
            suggestions: Vec::new(),
            need: None,
            notice: None,
        }
    }
}

/// Markdown tables: one row per slice, engine and baseline side by side.
pub fn markdown(title: &str, runs: &[(&str, &Report)]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(out, "### {title}\n");
    let _ = writeln!(out, "| slice | system | n | recall@1 | recall@3 | MRR | crisis recall | false alarms | zero-result |");
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|---|");
    let row = |out: &mut String, slice: &str, sys: &str, f: &Figures| {
        let _ = writeln!(
            out,
            "| {slice} | {sys} | {} | {:.3} | {:.3} | {:.3} | {:.2} ({}/{}) | {:.3} ({}/{}) | {:.3} |",
            f.questions,
            f.recall1(),
            f.recall3(),
            f.mrr(),
            f.crisis_recall(),
            f.crisis_hit,
            f.crisis,
            f.false_alarm_rate(),
            f.false_alarm,
            f.ordinary,
            f.zero_rate()
        );
    };
    for (sys, r) in runs {
        row(&mut out, "all", sys, &r.overall);
    }
    if let Some((_, first)) = runs.first() {
        for slice in first.by_city.keys() {
            for (sys, r) in runs {
                row(&mut out, &format!("city: {slice}"), sys, &r.by_city[slice]);
            }
        }
        for slice in first.by_topic.keys() {
            for (sys, r) in runs {
                row(
                    &mut out,
                    &format!("topic: {slice}"),
                    sys,
                    &r.by_topic[slice],
                );
            }
        }
    }
    out
}
