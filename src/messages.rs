//! Every Japanese sentence the program itself says to residents and staff.
//! Content (window names, summaries, routes, crisis messages) lives in `content/`;
//! what remains is the glue wording, kept here in one place for review and translation.

/// 「2022年1月時点の情報です。…」 for facts from older or second-hand sources.
pub fn as_of(date: Option<&str>) -> String {
    match date.map(|d| d.split('-').collect::<Vec<_>>()) {
        Some(parts) if parts.len() >= 2 => {
            let month: u32 = parts[1].parse().unwrap_or(0);
            format!(
                "{}年{}月時点の情報です。おかけになる前にご確認ください。",
                parts[0], month
            )
        }
        Some(parts) if parts.len() == 1 => {
            format!(
                "{}年時点の情報です。おかけになる前にご確認ください。",
                parts[0]
            )
        }
        _ => "日付のない資料の情報です。おかけになる前にご確認ください。".to_string(),
    }
}

/// 「2019年9月時点の情報です。…」 for a contact whose source is older than
/// `stale_after_years` (content/settings.toml), whatever its confidence.
pub fn stale(date: Option<&str>) -> String {
    format!(
        "{}時点の情報です。番号や受付時間が変わっている場合があります。市や運営団体のホームページでもご確認ください。",
        date_ja(date)
    )
}

/// 2019-09-01 → 2019年9月, 2019 → 2019年.
fn date_ja(date: Option<&str>) -> String {
    let parts: Vec<&str> = date.unwrap_or("").split('-').collect();
    match parts.as_slice() {
        [y, m, ..] => format!("{y}年{}月", m.parse::<u32>().unwrap_or(0)),
        [y] if !y.is_empty() => format!("{y}年"),
        _ => "日付不明".to_string(),
    }
}

/// Shown with a record that has no verified phone yet (CLI, LINE, web).
pub fn gap_note(fallback_title: Option<&str>) -> String {
    match fallback_title {
        Some(f) => format!("この窓口の電話番号は確認中です。まず「{f}」にお問い合わせください。"),
        None => "この窓口の電話番号は確認中です。".to_string(),
    }
}

/// Route step added when a record has no verified phone of its own.
pub fn fallback_step(record_title: &str, fallback_title: &str) -> String {
    format!("「{record_title}」の電話番号は確認中です。まず「{fallback_title}」にお電話ください。担当の窓口におつなぎします。")
}

/// CLI card line for a window whose own number is not verified yet.
pub const PHONE_PENDING_CALL_FIRST: &str = "(この窓口の番号は確認中) まず: ";

/// First step of a route built from a record alone (no route in content for its need).
pub fn direct_step(title: &str) -> String {
    format!("「{title}」にご相談ください。")
}

/// Shown with the general windows when nothing in the content matched.
pub const NO_MATCH: &str = "ぴったりの窓口が見つかりませんでした。どこに相談すればよいか分からないときは、こちらの総合窓口にご相談ください。";

/// HTTP error messages (the `message` of `{"error":{code,message}}`).
pub mod errors {
    pub const QUERY_TOO_LONG: &str = "質問が長すぎます。500文字以内で入力してください。";
    pub const QUERY_CONTROL_CHARS: &str = "質問に使えない制御文字が含まれています。";
    pub const UNKNOWN_CITY: &str =
        "市の指定が正しくありません。sagamihara か tsuruoka を指定してください。";
    pub const BAD_LIMIT: &str = "件数(limit)は1から50までの数字で指定してください。";
    pub const BAD_OFFSET: &str = "開始位置(offset)は0以上の数字で指定してください。";
    pub const BAD_KIND: &str =
        "種類(kind)が正しくありません。window, service, activity, hotline, plan のいずれかです。";
    pub const BAD_QUERY_STRING: &str = "リクエストのパラメータを読み取れませんでした。";
    pub const NOT_FOUND: &str = "指定されたページや情報は見つかりませんでした。";
    pub const METHOD_NOT_ALLOWED: &str = "この方法（HTTPメソッド）では利用できません。";
    pub const BAD_PATH: &str = "URLのIDを読み取れませんでした。";
    pub const UNAUTHORIZED: &str = "管理用の認証トークンが正しくありません。";
    pub const TOO_LARGE: &str = "リクエストが大きすぎます。";
    pub const CONTENT_INVALID: &str =
        "コンテンツに誤りがあるため再読み込みしませんでした。以前の内容で案内を続けています。";
    pub const INTERNAL: &str =
        "システムの内部でエラーが起きました。時間をおいてもう一度お試しください。";
    pub const TIMEOUT: &str = "処理に時間がかかりすぎたため中断しました。もう一度お試しください。";
    pub const EMPTY_QUERY: &str = "質問を入力してください。";
}
