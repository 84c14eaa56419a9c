//! Reads the 施策 items out of the two plans in tests/fixtures/seeds (copied from ../shared/seeds), so the coverage test can
//! check that content/coverage.toml maps every one of them to records. The rules follow
//! the plans' own markup: ● and 〇 bullets, numbered 施策の方向性, 基本目標, (n) 基本施策,
//! 【…】 headings and the 重層的支援 table.

fn clean(s: &str) -> String {
    let mut out = s.to_string();
    while let Some(start) = out.find("[bookmark:") {
        let end = out[start..]
            .find(']')
            .map(|e| start + e + 1)
            .unwrap_or(out.len());
        out.replace_range(start..end, "");
    }
    out.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim()
        .to_string()
}

const NOT_ITEMS: &[&str] = &[
    "主な取組",
    "重点的な取組事項",
    "成年後見制度利用促進基本計画",
    "再犯防止推進計画",
    "本件に関するお問合せ先",
    "計画の概要",
    "地域福祉を取り巻く現状と課題",
    "計画の基本的な考え方と施策の展開",
    "地域共生社会に向けた取組事例",
];

/// Items of the Sagamihara plan (seed 000).
pub fn sagamihara(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    for raw in text.lines() {
        let line = clean(raw);
        if line.is_empty() {
            continue;
        }
        for mark in ['●', '〇'] {
            if line.contains(mark) {
                for part in line.split(mark).skip(1) {
                    let p = clean(part.trim_start_matches("【主な取組】"));
                    if !p.is_empty() {
                        items.push(p);
                    }
                }
            }
        }
        let first = line.chars().next().unwrap_or(' ');
        let digits: String = line
            .chars()
            .take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
            .collect();
        if !digits.is_empty()
            && line.chars().count() < 60
            && line.ends_with("ます。")
            && !line.contains("計画")
        {
            items.push(line.clone());
        }
        if line.starts_with("基本目標") {
            items.push(
                line.split_once(' ')
                    .map(|(a, _)| a)
                    .unwrap_or(&line)
                    .to_string(),
            );
        }
        if first == '（' && line.chars().nth(2) == Some('）') {
            items.push(line.chars().take(25).collect());
        }
        if first == '【' && line.ends_with('】') {
            for part in line.split('【').filter(|p| !p.is_empty()) {
                let p = part.trim_end_matches('】');
                if !NOT_ITEMS.contains(&p) {
                    items.push(p.to_string());
                }
            }
        }
    }
    items.sort();
    items.dedup();
    items
}

/// Items of the Tsuruoka plan (seed 004).
pub fn tsuruoka(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    for raw in text.lines() {
        let line = raw.trim();
        if line.contains("<ul") {
            let (goal, rest) = line.split_once('\t').unwrap_or((line, ""));
            items.push(clean(goal));
            let mut rest = rest;
            while let Some(i) = rest.find('(') {
                let after = &rest[i..];
                let end = after[1..].find('(').map(|e| e + 1).unwrap_or(after.len());
                let item = clean(after[..end].split('<').next().unwrap_or(""));
                if item.len() > 4 {
                    items.push(item);
                }
                rest = &after[end..];
            }
        }
        if let Some(rest) = line.strip_prefix("- 目標") {
            items.push(clean(&format!("目標{rest}")));
        }
        if line.starts_with('第') && line.contains('号') {
            // 「第1号 ① 相談支援」 or 「第6号<TAB>支援プランの作成」: the function's name.
            let fields: Vec<&str> = line
                .split('\t')
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .collect();
            let head = fields.first().copied().unwrap_or("");
            let name = head.split_once('号').map(|(_, n)| n).unwrap_or("");
            let name = name
                .trim()
                .trim_start_matches(|c: char| ('①'..='⑳').contains(&c))
                .trim();
            let name = if name.is_empty() {
                fields.get(1).copied().unwrap_or("")
            } else {
                name
            };
            if !name.is_empty() {
                items.push(clean(name));
            }
        }
        if ["【介護】", "【障害】", "【子ども】", "【困窮】"]
            .iter()
            .any(|t| line.contains(t))
        {
            if let Some(last) = line.split('\t').map(str::trim).rfind(|f| !f.is_empty()) {
                items.push(clean(last));
            }
        }
    }
    items.sort();
    items.dedup();
    items
}
