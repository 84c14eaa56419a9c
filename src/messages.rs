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
pub fn date_ja(date: Option<&str>) -> String {
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

/// Editors' note on a window a route needs that no public source names (`tsunagu gaps`).
pub const MISSING_WINDOW: &str =
    "専用の窓口が公開資料に見つかりません。見つかるまでは、複合的な課題を受け止める市の窓口へ案内しています。";

/// Said with the windows for a need whose own window no public source names (a route's
/// `missing`, e.g. ごみ屋敷): residents learn why they are sent to general windows.
pub fn missing_window(missing: &str) -> String {
    format!("{missing}は、確認できた市の資料には載っていません。いくつもの困りごとが重なる世帯を支える窓口をご案内します。")
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
    pub const UNSUPPORTED_MEDIA_TYPE: &str = "この形式の送信には対応していません。ページのフォームから送ってください（application/x-www-form-urlencoded）。";
    pub const QUERY_CONTROL_CHARS: &str = "質問に使えない制御文字が含まれています。";
    pub const UNKNOWN_CITY: &str =
        "市の指定が正しくありません。/api/cities の一覧にある id を指定してください。";
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
    pub const BAD_FORM: &str = "form には full か compact を指定してください。";
    pub const TOO_MANY_REQUESTS: &str =
        "短い時間に多くのリクエストがありました。少し待ってからもう一度お試しください。";
    pub const BUSY: &str = "ただいま混み合っています。少し待ってからもう一度お試しください。";
    pub const BAD_HTTP: &str = "リクエストの形式が正しくありません。";
    pub const URI_TOO_LONG: &str = "URLが長すぎます。";
    pub const HEADERS_TOO_LARGE: &str = "リクエストのヘッダーが大きすぎます。";
    pub const RELOAD_FAILED: &str =
        "辞書または索引が壊れているため再読み込みしませんでした。以前の内容で案内を続けています。";
    pub const BAD_DAYS: &str = "期間(days)は1から3650までの数字で指定してください。";
    pub const NOT_READY: &str =
        "準備中のため、まだご案内できません。少し待ってからもう一度お試しください。";
}

/// What the LINE bot says around the engine's answer (the answer itself comes from
/// content). Button labels count against LINE's limits: quick replies ≤20, Flex ≤40.
pub mod line {
    pub const CALL: &str = "電話する";
    pub const DETAILS: &str = "詳しく見る";
    pub const WEB: &str = "ウェブで見る";
    pub const MORE: &str = "もっと見る";
    pub const HELP: &str = "使い方";
    pub const CRISIS_TITLE: &str = "今すぐ話せる相談先";
    pub const HOURS: &str = "受付";
    pub const ROUTE: &str = "相談の流れ";
    pub const SOURCE: &str = "出典";
    pub const PHONE_PENDING: &str = "この窓口の番号は確認中です。まずこちらへ";

    /// Greeting on `follow` and for 使い方: what the bot can do, and what it keeps.
    pub const GREETING: &str = "友だち追加ありがとうございます。つなぐは、福祉の困りごとを相談できる市の窓口をご案内します。\n\n「親の物忘れが心配」「家賃が払えない」のように、困っていることをそのまま言葉で送ってください。窓口の電話番号・受付時間・相談の流れをお知らせします。\n\n下のボタンからも選べます。命に危険があるときは119番・110番へ。";
    pub const WELCOME_BACK: &str = "おかえりなさい。困っていることを言葉で送っていただければ、相談できる窓口をご案内します。命に危険があるときは119番・110番へ。";
    /// On joining a group or room: how to call the bot without flooding the chat.
    pub const JOIN: &str = "つなぐです。このグループでは、メンションするか「つなぐ」で始めて送られた質問にだけお答えします。例:「つなぐ 介護の相談」";
    /// Stickers, photos, location and other non-text messages.
    pub const PLEASE_TYPE: &str = "ありがとうございます。スタンプや写真・位置情報の内容はお答えできません。困っていることを「介護の相談をしたい」のように言葉で送ってください。";
    pub const EMPTY_TEXT: &str = "困っていることを言葉で送ってください。";
    pub const EXPIRED_BUTTON: &str =
        "このボタンの情報が見つかりませんでした。もう一度、困っていることを言葉で送ってください。";
    pub const NO_MORE: &str = "ご案内できる窓口はここまでです。ほかの言葉で送っていただくと、別の窓口が見つかることがあります。";
    pub const MORE_INTRO: &str = "続きの窓口です。";
    pub const ALT_TEXT: &str = "相談窓口のご案内";

    /// First line of a reply: what was understood.
    pub fn understood(need_label: Option<&str>, count: usize) -> String {
        match need_label {
            Some(l) => format!("「{l}」のご相談として、窓口を{count}件ご案内します。"),
            None => format!("ご相談の窓口を{count}件ご案内します。"),
        }
    }

    pub fn details_display(title: &str) -> String {
        format!("「{title}」について詳しく")
    }

    pub fn source_line(title: &str, date: Option<&str>) -> String {
        match date {
            Some(d) => format!("{SOURCE}: {title}（{d}）"),
            None => format!("{SOURCE}: {title}"),
        }
    }

    /// Rich menu: six areas (label shown on the image, text sent when tapped).
    pub const RICHMENU_CHAT_BAR: &str = "相談メニュー";
    pub const RICHMENU_AREAS: [(&str, &str); 6] = [
        ("介護・認知症", "介護の相談をしたい"),
        ("子育て・こども", "子育ての相談をしたい"),
        ("生活・お金", "生活費が足りなくて困っている"),
        ("こころ・ひきこもり", "こころの相談をしたい"),
        ("緊急の相談", "つらくて今すぐ誰かに話を聞いてほしい"),
        (HELP, ""),
    ];

    /// Webhook refusal (JSON `message`).
    pub const BAD_SIGNATURE: &str = "署名（x-line-signature）が正しくありません。";
    pub const BAD_BODY: &str = "Webhookの本文を読み取れませんでした。";
    pub const BUSY: &str = "混み合っているため受け付けられませんでした。";
}

/// The web pages: resident search, record pages, the staff view and referral slips.
pub mod web {
    pub const SITE: &str = "つなぐ 福祉の相談窓口案内";
    pub const SKIP: &str = "本文へ移動";
    pub const ASK: &str = "どんなことでお困りですか";
    pub const ASK_HINT: &str = "困っていることをそのまま書いてください。例:「親の物忘れが心配」「家賃が払えない」";
    pub const SEARCH: &str = "相談先をさがす";
    pub const CITY: &str = "お住まいの市";
    pub const ALL_CITIES: &str = "指定しない";
    pub const FURIGANA: &str = "ふりがなをつける";
    pub const EXAMPLES: &str = "よくある相談";
    pub const EXAMPLE_QUESTIONS: [&str; 5] = [
        "成年後見について相談したい",
        "お金がなくて家賃が払えない",
        "親の物忘れが心配",
        "子育てがつらい",
        "ひきこもりの家族がいる",
    ];
    pub const RESULTS: &str = "ご案内する相談先";
    pub const CRISIS_TITLE: &str = "今すぐ話せる相談先";
    pub const UNDERSTOOD: &str = "ご相談の内容";
    pub const PHONE: &str = "電話";
    pub const HOURS: &str = "受付";
    pub const ADDRESS: &str = "所在地";
    pub const EMAIL: &str = "メール";
    pub const WEBSITE: &str = "ホームページ";
    pub const ROUTE: &str = "相談の流れ";
    pub const SOURCE: &str = "出典";
    pub const SOURCES: &str = "この情報の出典";
    pub const EXCERPT: &str = "出典の記載";
    pub const DETAILS: &str = "詳しく見る";
    pub const RELATED: &str = "関連する相談";
    pub const BACK: &str = "相談先をさがすページへ戻る";
    pub const NOT_FOUND: &str = "お探しの情報は見つかりませんでした。";
    pub const RESTRICTED: &str = "関係機関向けの番号（住民の方には案内しないでください）";
    pub const JS_ERROR: &str = "読み込みに失敗しました。もう一度お試しください。";
    pub const FOOTER: &str = "掲載している電話番号・受付時間は、出典に書かれた時点の情報です。おかけになる前に市のホームページなどでもご確認ください。命に危険があるときは119番・110番へ。";

    pub const STAFF_TITLE: &str = "窓口職員向け つなぎ先検索";
    pub const STAFF_QUERY: &str = "キーワード";
    pub const TOPIC: &str = "分野";
    pub const AUDIENCE: &str = "対象";
    pub const KIND: &str = "種類";
    pub const FUNCTION: &str = "重層的支援の機能";
    pub const ANY: &str = "すべて";
    pub const FILTER: &str = "絞り込む";
    pub const COUNT: &str = "件";
    pub const ADD: &str = "つなぎに追加";
    pub const REMOVE: &str = "外す";
    pub const BASKET: &str = "つなぎ先（つなぎシートに載せる窓口）";
    pub const BASKET_EMPTY: &str = "まだ選ばれていません。一覧の「つなぎに追加」で加えてください。";
    pub const PRINT_SLIP: &str = "つなぎシートを印刷する";
    pub const NOTE: &str = "相談メモ（複数の困りごとをまとめて書けます。メモは保存されません）";
    pub const NOTE_BUTTON: &str = "困りごとごとに窓口を出す";
    pub const NOTE_RESULT: &str = "メモから読み取った困りごとと最初の窓口";
    pub const NOTE_NONE: &str = "メモから困りごとを読み取れませんでした。キーワードで検索してください。";
    pub const ERROR_TITLE: &str = "ご案内できませんでした";
    pub const ERROR_BACK: &str = "相談先をさがすページへ戻る";
    pub const NOTE_CITY: &str = "どちらの市の相談ですか（必須）";
    pub const NOTE_CITY_REQUIRED: &str = "相談メモは市を選んでから送ってください。一つの相談に二つの市の窓口が混ざらないようにするためです。";
    pub const NOTE_CONFIRM: &str = "この窓口をつなぎ先にする（確認のうえ）";
    pub const SLIP_TITLE: &str = "つなぎシート";
    pub const SLIP_LEAD: &str = "次の窓口にご相談ください。電話番号と受付時間は下のとおりです。";
    pub const SLIP_ISSUED: &str = "発行日";
    pub const SLIP_MEMO: &str = "ご本人のメモ（相談したいこと・聞きたいこと）";
    pub const SLIP_QR: &str = "窓口の詳しい情報（読み取るとページが開きます）";
    pub const SLIP_EMPTY: &str = "つなぎ先が選ばれていません。";
    pub const PRINT: &str = "印刷する";
    pub const PAGING: &str = "ページ送り";
    pub const PREV: &str = "前の50件";
    pub const NEXT: &str = "次の50件";

    /// 「2024年3月時点の情報」 for a source date.
    pub fn dated(date: Option<&str>) -> String {
        match date {
            Some(_) => format!("{}時点の情報", super::date_ja(date)),
            None => "資料に日付の記載なし".to_string(),
        }
    }

    /// Record kinds as staff read them.
    pub fn kind_label(kind: &str) -> &'static str {
        match kind {
            "window" => "相談窓口",
            "service" => "制度・サービス",
            "activity" => "地域の活動",
            "hotline" => "電話相談",
            "plan" => "計画",
            _ => "その他",
        }
    }

    pub fn results_count(n: usize) -> String {
        format!("{n}件")
    }

    /// The summary that opens the rest of a card's route (folded on phones).
    pub fn route_more(steps: usize) -> String {
        format!("この後の流れ（あと{steps}段階）")
    }
}
