//! The standard open datasets (自治体標準オープンデータセット) as CSV: columns are found
//! by their names in the header row, so column order and extra columns do not matter.
//! Shift_JIS or UTF-8, with or without BOM.

use super::Draft;

/// Which dataset a CSV is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    /// 公共施設一覧
    Facilities,
    /// 介護サービス事業所一覧
    Care,
    /// 医療機関一覧
    Medical,
}

impl Dataset {
    fn label(self) -> &'static str {
        match self {
            Dataset::Facilities => "公共施設一覧",
            Dataset::Care => "介護サービス事業所一覧",
            Dataset::Medical => "医療機関一覧",
        }
    }

    /// The column that says what kind of place a row is, if the dataset has one.
    fn kind_column(self) -> &'static [&'static str] {
        match self {
            Dataset::Facilities => &["POIコード", "施設分類", "種別"],
            Dataset::Care => &["介護サービスの種類"],
            Dataset::Medical => &["医療機関の種類"],
        }
    }

    fn topics(self) -> Vec<String> {
        vec![match self {
            Dataset::Facilities => "その他",
            Dataset::Care => "高齢者・介護",
            Dataset::Medical => "医療・在宅医療",
        }
        .to_string()]
    }

    fn audience(self) -> Vec<String> {
        vec![match self {
            Dataset::Care => "高齢者",
            _ => "全世代",
        }
        .to_string()]
    }
}

/// UTF-8 (a BOM is dropped) or else Shift_JIS; None when it is neither.
fn decode(bytes: &[u8]) -> Option<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Some(s.to_string());
    }
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(bytes);
    (!bad).then(|| text.into_owned())
}

/// The row as it stands in the file (from its first byte to the end of its last line):
/// the verbatim excerpt its record's phone, hours and address are proven against.
/// Also its 1-based line (the reader counts a CRLF's `\n` as a line of its own).
fn raw_row(text: &str, at: Option<&csv::Position>) -> (String, usize) {
    let Some(start) = at.map(|p| p.byte() as usize).filter(|&b| text.is_char_boundary(b)) else {
        return (String::new(), 0);
    };
    // A CRLF file's record starts, for the reader, at the `\n` after the `\r`.
    let start = start + text[start..].len() - text[start..].trim_start_matches(['\r', '\n']).len();
    let line = text[..start].matches('\n').count() + 1;
    let rest = &text[start..];
    // A quoted cell may hold line breaks: up to the first break outside quotes.
    let mut quoted = false;
    let end = rest
        .char_indices()
        .find(|&(_, c)| {
            if c == '"' {
                quoted = !quoted;
            }
            !quoted && (c == '\n' || c == '\r')
        })
        .map_or(rest.len(), |(i, _)| i);
    (rest[..end].to_string(), line)
}

pub(super) fn read(name: &str, bytes: &[u8], dataset: Dataset) -> Result<Vec<Draft>, Vec<String>> {
    let text = decode(bytes).ok_or_else(|| vec![format!("{name}:1: the file is neither UTF-8 nor Shift_JIS text")])?;
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(e) => return Err(vec![format!("{name}:1: the header row cannot be read: {e}")]),
    };
    let col = |names: &[&str]| names.iter().find_map(|n| header.iter().position(|h| h == n));
    let Some(name_col) = col(&["名称"]) else {
        return Err(vec![format!("{name}:1: no 名称 column: is this a {} file? (header: {})", dataset.label(), header.join(","))])
    };
    let phone = col(&["電話番号"]);
    let kana = col(&["名称_カナ"]);
    let address = col(&["住所"]);
    let kind = col(dataset.kind_column());
    let hours = col(&["利用可能日時特記事項", "診療日時特記事項", "利用可能曜日特記事項", "診療時間"]);
    let about = col(&["説明", "診療科目", "備考"]);
    let url = col(&["URL"]);
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(i + 2, |p| p.line() as usize);
                errors.push(format!("{name}:{line}: {e}"));
                continue;
            }
        };
        let (raw, line) = raw_row(&text, row.position());
        let line = if line == 0 { i + 2 } else { line };
        let get = |c: Option<usize>| c.and_then(|c| row.get(c)).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let Some(title) = get(Some(name_col)) else {
            errors.push(format!("{name}:{line}: 名称 is empty"));
            continue;
        };
        let phone = get(phone);
        if let Some(p) = &phone {
            if !crate::content::phone_is_valid(p) {
                errors.push(format!("{name}:{line}: 電話番号 {p:?} is not a number residents can dial (half-width digits with hyphens, e.g. 0235-25-2111)"));
                continue;
            }
        }
        let kind_text = get(kind);
        let summary = [kind_text.clone(), get(about)]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("。");
        let mut keywords: Vec<String> = [get(kana), kind_text].into_iter().flatten().collect();
        if dataset == Dataset::Medical {
            keywords.extend(get(about).iter().flat_map(|s| s.split(['、', ',', ';', '・']).map(str::trim).map(str::to_string)));
        }
        keywords.retain(|k| !k.is_empty());
        out.push(Draft {
            at: line.to_string(),
            key: line.to_string(),
            kind: "window",
            summary: if summary.is_empty() { format!("{}（{}）", title, dataset.label()) } else { summary },
            title,
            topics: dataset.topics(),
            audience: dataset.audience(),
            keywords,
            phone,
            hours: get(hours),
            address: get(address),
            url: get(url),
            excerpts: vec![raw],
        });
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shift_jis_and_bom_files_read_the_same() {
        let utf8 = "名称,電話番号\n架空町役場,0000-00-0008\n";
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(utf8);
        let bom = [b"\xEF\xBB\xBF".as_slice(), utf8.as_bytes()].concat();
        for bytes in [utf8.as_bytes(), &sjis, &bom] {
            let d = read("t.csv", bytes, Dataset::Facilities).unwrap();
            assert_eq!((d[0].title.as_str(), d[0].phone.as_deref()), ("架空町役場", Some("0000-00-0008")));
            assert_eq!(d[0].at, "2");
        }
    }

    #[test]
    fn bad_rows_are_reported_with_their_line() {
        let csv = "名称,電話番号\n良い,0000-00-0001\n,0000-00-0002\n悪い,00000000\n";
        let e = read("t.csv", csv.as_bytes(), Dataset::Care).unwrap_err();
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[0].starts_with("t.csv:3: 名称 is empty"), "{e:?}");
        assert!(e[1].starts_with("t.csv:4: 電話番号"), "{e:?}");
    }
}
