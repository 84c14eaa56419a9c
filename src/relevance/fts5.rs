//! The SQLite FTS5 trigram baseline the engine is measured against (../shared/SEARCH.md §6).

use rusqlite::Connection;

use super::Ranker;
use crate::answer::{Answer, Engine, ResultItem};
use crate::content::City;

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
             CREATE TABLE plain(id TEXT, city TEXT, body TEXT);
             CREATE INDEX plain_city ON plain(city);",
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
                (&r.id, r.scope_key(), &body),
            )?;
            db.execute(
                "INSERT INTO plain VALUES (?1, ?2, ?3)",
                (&r.id, r.scope_key(), &body),
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
        self.search_in(q, city.as_str())
    }

    /// Searches one scope (a city or a municipality, `Record::scope_key`) plus the
    /// national lines, as `Filters` does for the engine.
    pub fn search_in(&self, q: &str, scope: &str) -> Vec<String> {
        let terms = Self::terms(q);
        let (long, short): (Vec<&String>, Vec<&String>) =
            terms.iter().partition(|t| t.chars().count() >= 3);
        let cities = [scope, "national"];
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
            support: None,
            results,
            suggestions: Vec::new(),
            need: None,
            notice: None,
            lang: crate::answer::lang::detect(q),
            need_label: None,
        }
    }
}
