//! Drafts → content files (a record file and its sources), as an editor would write them.

use super::{Draft, Options};

/// A TOML string literal.
fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn list(v: &[String]) -> String {
    format!("[{}]", v.iter().map(|s| q(s)).collect::<Vec<_>>().join(", "))
}

/// The file name as an id part: ASCII letters and digits, the rest `-`.
pub(super) fn stem(name: &str) -> String {
    let base = name.rsplit_once('.').map_or(name, |(b, _)| b);
    let s: String = base
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    let s = s.trim_matches('-').to_string();
    if s.is_empty() { "data".into() } else { s }
}

pub(super) fn render(opts: &Options<'_>, name: &str, stem: &str, drafts: &[Draft]) -> (String, String) {
    let mut rec = format!(
        "# Imported by `tsunagu import` from {name}. Fix the data at its source and import\n# again rather than editing here: a new import replaces this file.\ncity = {}\n",
        q(opts.city)
    );
    let mut src = format!("# The rows of {name} that the records of imported-{stem}.toml cite, verbatim.\n");
    for d in drafts {
        let id = format!("imp-{stem}-{}", d.key);
        rec.push_str(&format!(
            "\n[[record]]\nid = {}\nkind = {}\ntitle = {}\nsummary = {}\ntopics = {}\naudience = {}\nkeywords = {}\nimported = {}\n",
            q(&id),
            q(d.kind),
            q(&d.title),
            q(&d.summary),
            list(&d.topics),
            list(&d.audience),
            list(&d.keywords),
            q(&format!("{name}:{}", d.at)),
        ));
        if d.phone.is_none() {
            if let Some(f) = &opts.fallback {
                rec.push_str(&format!("fallback = {}\ngap = {}\n", q(f), q("取込元のデータに電話番号がありません")));
            }
        }
        rec.push_str(&format!("source = {}\n", q(&id)));
        if d.phone.is_some() || d.address.is_some() {
            rec.push_str(&format!("[[record.contact]]\nname = {}\n", q(&d.title)));
            for (k, v) in [("phone", &d.phone), ("hours", &d.hours), ("address", &d.address), ("url", &d.url)] {
                if let Some(v) = v {
                    rec.push_str(&format!("{k} = {}\n", q(v)));
                }
            }
            rec.push_str(&format!("source = {}\n", q(&id)));
        }
        src.push_str(&format!(
            "\n[source.{id}]\ntitle = {}\n{}confidence = \"high\"\nseen = {}\nvia = {}\nexcerpts = {}\n",
            q(&if d.at.bytes().all(|b| b.is_ascii_digit()) {
                format!("{name} {}行目", d.at)
            } else {
                format!("{name} {}", d.at)
            }),
            opts.as_of.as_ref().map(|a| format!("date = {}\n", q(a))).unwrap_or_default(),
            q(&crate::content::Date::today().to_string()),
            q(&format!("import: {name}:{}", d.at)),
            list(&d.excerpts),
        ));
    }
    (rec, src)
}
