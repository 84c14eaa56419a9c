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

use serde::Deserialize;

use crate::answer::{Answer, Engine, ResultItem};
use crate::content::City;

#[cfg(feature = "baseline")]
mod fts5;
mod table;

#[cfg(feature = "baseline")]
pub use fts5::Fts5Baseline;
pub use table::{danger_table, markdown};

/// One labelled question. `city` None means "ask it in every city".
#[derive(Debug, Clone)]
pub struct Question {
    pub id: String,
    pub topic: String,
    pub crisis: bool,
    /// Despair with no clear danger (flag `support`): must raise the support block, not
    /// the crisis block.
    pub support: bool,
    /// The danger class a crisis question is written for (`crisis:dv` → "dv"), so
    /// recall can be reported per class and checked against that class's lines.
    pub class: Option<String>,
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
    /// Per danger class, the lines its crisis block must include one of (e.g. dv →
    /// #8008); a class not listed here is checked against `phones` alone.
    #[serde(default)]
    pub class: BTreeMap<String, CrisisClass>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CrisisClass {
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
/// optionally `city`. `flag` is `crisis` (or `crisis:<class>`, `urgent`) for danger
/// messages, `support` for despair with no clear danger; anything else (empty, `calm`)
/// must not raise the crisis block.
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
        let (kind, class) = match get(flag).split_once(':') {
            Some((k, c)) => (k, Some(c.trim().to_string())),
            None => (get(flag), None),
        };
        out.push(Question {
            id: get(id).to_string(),
            topic: get(topic).to_string(),
            crisis: matches!(kind, "crisis" | "urgent"),
            support: kind == "support",
            class,
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
    /// Support questions, and those answered with the support block and no crisis block.
    pub support: usize,
    pub support_hit: usize,
    /// Calm questions (neither crisis nor support) that raised the support block.
    pub calm: usize,
    pub calm_support: usize,
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
    pub fn support_recall(&self) -> f64 {
        ratio(self.support_hit, self.support)
    }
    pub fn calm_support_rate(&self) -> f64 {
        ratio(self.calm_support, self.calm)
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
    /// For a support question: whether the support block (and no crisis block) came.
    pub support_ok: Option<bool>,
    /// A calm question that raised the support block.
    pub calm_support: bool,
    pub top: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub overall: Figures,
    pub by_city: BTreeMap<String, Figures>,
    pub by_topic: BTreeMap<String, Figures>,
    /// Crisis questions per danger class (`crisis:<class>` in the flag column).
    pub by_class: BTreeMap<String, Figures>,
    pub outcomes: Vec<Outcome>,
}

/// `cities`: where a question that names no city is asked (every municipality).
pub fn evaluate(
    ranker: &dyn Ranker,
    questions: &[Question],
    exp: &Expectations,
    cities: &[City],
) -> Report {
    let crisis_phones: HashSet<&str> = exp.crisis.phones.iter().map(String::as_str).collect();
    let mut report = Report::default();
    for q in questions {
        let cities: Vec<City> = match q.city {
            Some(c) => vec![c],
            None => cities.to_vec(),
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
                support_ok: None,
                calm_support: false,
                top: ans.results.iter().take(3).map(|r| r.id.clone()).collect(),
            };
            let zero = ans.results.is_empty() || ans.notice.is_some();
            let mut f = Figures {
                zero: zero as usize,
                ..Figures::default()
            };
            if q.crisis {
                let class_phones = q
                    .class
                    .as_ref()
                    .and_then(|c| exp.crisis.class.get(c))
                    .map(|c| c.phones.iter().map(String::as_str).collect::<HashSet<_>>());
                let ok = ans.emergency.as_ref().is_some_and(|e| {
                    let shown = || e.contacts.iter().filter_map(|c| c.phone.as_deref());
                    shown().any(|p| crisis_phones.contains(p))
                        && class_phones
                            .as_ref()
                            .is_none_or(|set| shown().any(|p| set.contains(p)))
                });
                o.crisis_ok = Some(ok);
                f.crisis = 1;
                f.crisis_hit = ok as usize;
            } else {
                f.ordinary = 1;
                o.false_alarm = ans.emergency.is_some();
                f.false_alarm = o.false_alarm as usize;
                if q.support {
                    let ok = ans.support.is_some() && ans.emergency.is_none();
                    o.support_ok = Some(ok);
                    f.support = 1;
                    f.support_hit = ok as usize;
                } else {
                    o.calm_support = ans.support.is_some();
                    f.calm = 1;
                    f.calm_support = o.calm_support as usize;
                }
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
            if let Some(c) = q.class.as_ref().filter(|_| q.crisis) {
                add(report.by_class.entry(c.clone()).or_default(), &f);
            }
            if q.support {
                add(report.by_class.entry("support".into()).or_default(), &f);
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
    a.support += b.support;
    a.support_hit += b.support_hit;
    a.calm += b.calm;
    a.calm_support += b.calm_support;
}
