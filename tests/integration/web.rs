//! The web pages over real HTTP: what a resident and a front-desk worker see in the
//! HTML, checked against the engine's own JSON answer. Browser behaviour (keyboard,
//! script, print, accessibility) is in tests/browser/.

use std::collections::HashSet;

use crate::helpers::*;

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn page(s: &Server, path: &str) -> (u16, String, reqwest::header::HeaderMap) {
    let r = Server::client().get(s.url(path)).send().unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, r.text().unwrap(), headers)
}

/// The phones behind every `tel:` link on a page, as written on the link.
fn tel_links(html: &str) -> Vec<String> {
    html.split("href=\"tel:")
        .skip(1)
        .filter_map(|rest| {
            let text = rest.split_once("\">")?.1;
            Some(text.split('<').next()?.to_string())
        })
        .collect()
}

/// Every phone number the bundled content holds (residents' and staff-only).
fn content_phones() -> HashSet<String> {
    engine()
        .catalog
        .records
        .iter()
        .flat_map(|r| r.contacts.iter().chain(r.restricted.iter()))
        .filter_map(|c| c.phone.clone())
        .collect()
}

#[test]
fn the_resident_page_shows_the_engine_answer_with_phones_to_tap() {
    let s = Server::start(&content_dir(), &[]);
    let q = enc("成年後見について相談したい");
    let (st, html, headers) = page(&s, &format!("/?q={q}&city=sagamihara"));
    assert_eq!(st, 200);
    assert!(html.contains("<html lang=\"ja\">"));
    let (_, api) = s.get(&format!("/api/answer?q={q}&city=sagamihara"));
    // One card per result, in the engine's order.
    let cards: Vec<&str> = html.split("<article class=\"card\">").skip(1).collect();
    let results = api["results"].as_array().unwrap();
    assert_eq!(cards.len(), results.len());
    for (card, r) in cards.iter().zip(results) {
        let title = r["title"].as_str().unwrap();
        assert!(card.split("</h3>").next().unwrap().contains(title), "{title}");
    }
    let links = tel_links(&html);
    let api_text = api.to_string();
    assert!(!links.is_empty());
    for phone in &links {
        assert!(api_text.contains(phone.as_str()), "{phone} is in the engine's answer");
    }
    assert!(html.contains("時点の情報"), "each contact says how old it is");
    // The chosen city is remembered for the next visit, and nothing else is.
    let cookie = headers["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("tsunagu_city=sagamihara;"), "{cookie}");
    let back = Server::client()
        .get(s.url("/"))
        .header("cookie", "tsunagu_city=sagamihara")
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(back.contains("value=\"sagamihara\" checked"), "city remembered");
}

#[test]
fn danger_puts_the_crisis_lines_first_on_every_page() {
    let s = Server::start(&content_dir(), &[]);
    let q = enc("夫に殴られる");
    for path in [
        format!("/?q={q}&city=sagamihara"),
        format!("/?q={q}&city=sagamihara&part=results"),
        format!("/staff?q={q}&city=sagamihara"),
        "/staff/referral?b=sgm-jiritsu-midori&city=sagamihara&e=dv".to_string(),
    ] {
        let (st, html, _) = page(&s, &path);
        assert_eq!(st, 200, "{path}");
        let crisis = html.find("class=\"crisis\"").unwrap_or_else(|| panic!("{path}: crisis block"));
        let first = ["class=\"card\"", "class=\"record-row\"", "class=\"slip-window\"", "<h1"]
            .iter()
            .filter_map(|m| html.find(m))
            .min()
            .unwrap_or(usize::MAX);
        assert!(crisis < first, "{path}: crisis block before anything else");
        assert!(tel_links(&html[crisis..]).iter().any(|p| p.contains("8008") || p == "110"), "{path}");
    }
    // A case note naming danger: crisis first, and the DV window among the needs.
    let html = Server::client()
        .post(s.url("/staff"))
        .form(&[("note", "夫に殴られる。子どもは不登校、お金もない"), ("city", "sagamihara")])
        .send()
        .unwrap()
        .text()
        .unwrap();
    let crisis = html.find("class=\"crisis\"").expect("crisis block");
    assert!(crisis < html.find("<h1").unwrap());
    assert!(html.contains("e=") && html.contains("dv"), "the slip link carries the danger");
}

#[test]
fn furigana_adds_readings_only_when_asked() {
    let s = Server::start(&content_dir(), &[]);
    let q = enc("成年後見について相談したい");
    let (_, with, _) = page(&s, &format!("/?q={q}&city=tsuruoka&furigana=1"));
    assert!(with.contains("<rt>そうだん</rt>"), "相談 gets its reading");
    assert!(with.contains("<ruby>"));
    let (_, without, _) = page(&s, &format!("/?q={q}&city=tsuruoka"));
    assert!(!without.contains("<ruby>"));
}

/// The kanji a reader sees without a reading over them: text outside `<ruby>` in the
/// page's body (readings, scripts, screen-reader-only text and verbatim excerpts aside).
fn kanji_without_readings(html: &str) -> Vec<String> {
    let body = &html[html.find("<body").unwrap_or(0)..];
    let strip = regex::Regex::new(
        r#"(?s)<rt>.*?</rt>|<rp>.*?</rp>|<script.*?</script>|<(legend|span) class="visually-hidden">[^<]*</(legend|span)>"#,
    )
    .unwrap();
    let body = strip.replace_all(body, "");
    let text = regex::Regex::new(r"(<[^>]+>)([^<]+)").unwrap();
    text.captures_iter(&body)
        .filter(|c| !c[1].starts_with("<ruby"))
        .filter(|c| c[2].chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)))
        .map(|c| format!("{}{}", &c[1], &c[2]))
        .collect()
}

/// ふりがな is for the whole page, not only the answer: the header, the heading and hint,
/// the button, the city and ふりがな labels, the footer, the crisis heading; and on the
/// empty page (nothing asked yet) too.
#[test]
fn furigana_reaches_every_word_on_the_page_including_the_empty_page() {
    let s = Server::start(&content_dir(), &[]);
    let (_, empty, _) = page(&s, "/?furigana=1");
    assert_eq!(kanji_without_readings(&empty), Vec::<String>::new(), "the empty page");
    assert!(empty.contains("<rt>こま</rt>"), "the heading 困っていること… gets its reading");
    let (_, plain, _) = page(&s, "/");
    assert!(!plain.contains("<ruby>"), "no readings unless asked");
    assert!(!kanji_without_readings(&plain).is_empty(), "the check sees plain kanji");
    for q in ["死にたい", "成年後見について相談したい", "お金がなくて家賃が払えない"] {
        let (_, html, _) = page(&s, &format!("/?q={}&city=sagamihara&furigana=1", enc(q)));
        assert_eq!(kanji_without_readings(&html), Vec::<String>::new(), "{q}");
        assert!(html.contains("href=\"/resources/") && html.contains("furigana=1\""), "a card's page keeps ふりがな");
    }
    let (_, crisis, _) = page(&s, &format!("/?q={}&city=sagamihara&furigana=1", enc("死にたい")));
    let heading = crisis.split("id=\"crisis-title\">").nth(1).unwrap().split("</h2>").next().unwrap();
    assert!(heading.contains("<ruby>"), "the crisis heading: {heading}");
    let (_, record, _) = page(&s, "/resources/sgm-koureisha?city=sagamihara&furigana=1");
    assert_eq!(kanji_without_readings(&record), Vec::<String>::new(), "a window's page");
}

/// A front desk in a city opens the staff list on its own windows; national lines come
/// after, and the national lines in other languages (hours in English) last.
#[test]
fn the_staff_list_opens_with_the_citys_own_windows() {
    let s = Server::start(&content_dir(), &[]);
    let city_of = |id: &str| engine().catalog.record(id).map(|r| r.city.as_str()).unwrap_or("");
    let foreign = |id: &str| engine().catalog.record(id).is_some_and(|r| r.is_foreign_language_line());
    for city in ["sagamihara", "tsuruoka"] {
        let (_, html, _) = page(&s, &format!("/staff?city={city}"));
        let ids: Vec<&str> = html
            .split("class=\"record-row\" id=\"r-")
            .skip(1)
            .filter_map(|r| r.split('"').next())
            .collect();
        assert!(ids.len() >= 10, "{ids:?}");
        assert!(ids[..10].iter().all(|id| city_of(id) == city), "first entries: {:?}", &ids[..10]);
        // The whole order, over every page: the city's records, national lines, then
        // the lines in other languages.
        let all = engine().browse("", &tsunagu::search::Filters::for_place(tsunagu::content::City::parse(city)), 500, 0);
        let tiers: Vec<u8> = all
            .results
            .iter()
            .map(|r| match (city_of(&r.id) == city, foreign(&r.id)) {
                (true, _) => 0,
                (false, false) => 1,
                (false, true) => 2,
            })
            .collect();
        assert!(tiers.windows(2).all(|w| w[0] <= w[1]), "{city}: {tiers:?}");
        assert!(tiers.contains(&2), "the lines in other languages are kept");
        assert_eq!(all.results.len(), all.total);
    }
    let (_, html, _) = page(&s, "/staff");
    let first = html.split("class=\"record-row\" id=\"r-").nth(1).and_then(|r| r.split('"').next()).unwrap();
    assert_ne!(city_of(first), "national", "with no city chosen the cities' windows still come first");
}

#[test]
fn staff_filter_basket_and_slip() {
    let s = Server::start(&content_dir(), &[]);
    let count = |html: &str| html.matches("class=\"record-row\"").count();
    let (_, all, _) = page(&s, "/staff?city=sagamihara");
    let (_, narrowed, _) = page(&s, &format!("/staff?city=sagamihara&topic={}", enc("ひきこもり")));
    assert!(count(&narrowed) > 0 && count(&narrowed) < count(&all));
    // Three windows from three needs, one unknown id that must not reach the slip.
    let ids = ["sgm-koureisha", "sgm-hikikomori-station", "sgm-jiritsu-midori"];
    let basket = format!("{},no-such-record", ids.join(","));
    let (_, staff, _) = page(&s, &format!("/staff?city=sagamihara&b={basket}"));
    assert!(staff.contains(&format!("/staff/referral?b={}", ids.join(","))) || staff.contains("/staff/referral?b="));
    let (st, slip, _) = page(&s, &format!("/staff/referral?b={basket}&city=sagamihara"));
    assert_eq!(st, 200);
    let e = engine();
    for id in ids {
        let r = e.catalog.record(id).unwrap();
        assert!(slip.contains(&r.title), "{id} on the slip");
        let phone = e.catalog.reachable_contacts(r)[0].phone.clone().unwrap();
        assert!(tel_links(&slip).contains(&phone), "{id}: {phone} on the slip");
    }
    assert!(!slip.contains("no-such-record"));
    assert_eq!(slip.matches("class=\"slip-window\"").count(), 3);
    assert_eq!(slip.matches("<svg").count(), 3, "a QR code per window");
    assert!(slip.contains("class=\"memo\""), "room for the resident's note");
    let (st, one, _) = page(&s, "/staff/referral/tsr-kurashisu");
    assert_eq!(st, 200);
    assert!(one.contains("0235-29-1729") && one.contains("<svg"));
    let (st, _, _) = page(&s, "/staff/referral/no-such-record");
    assert_eq!(st, 404);
}

#[test]
fn a_case_note_gets_one_window_per_need_and_is_not_kept() {
    let s = Server::start(&content_dir(), &[]);
    let note = "80代の母と50代で無職の息子、家はごみだらけ、母は物忘れ";
    let html = Server::client()
        .post(s.url("/staff"))
        .form(&[("note", note), ("city", "sagamihara")])
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert_eq!(html.matches("class=\"case-need\"").count(), 3, "three needs");
    // 「家はごみだらけ」 is the hoarded house, its own need (issue 22), not money trouble.
    for need in ["gomi-yashiki", "ninchisho-kaigo", "hikikomori"] {
        let label = &e_need_label(need);
        assert!(html.contains(label.as_str()), "{need} ({label}) named");
    }
    let slip = html
        .split("href=\"/staff/referral?b=")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("the basket is pre-filled");
    assert_eq!(slip.split("&amp;").next().unwrap().split(',').count(), 3);
    // The note is answered, not echoed into the page, a URL or anything stored.
    assert!(!html.contains("ごみだらけ"), "the note is not repeated back");
}

fn e_need_label(need: &str) -> String {
    engine().catalog.need(need).unwrap().label.clone()
}

#[test]
fn pages_refuse_bad_input_with_a_message_and_show_only_content_numbers() {
    let s = Server::start(&content_dir(), &[]);
    let long = enc(&"あ".repeat(501));
    let (st, html, _) = page(&s, &format!("/?q={long}"));
    assert_eq!(st, 200);
    assert!(html.contains("500文字以内"), "the resident is told why");
    let (st, html, _) = page(&s, "/?q=%FF%FE");
    assert_eq!(st, 200);
    assert!(html.contains("class=\"error\""));
    let (st, html, _) = page(&s, "/resources/no-such-record");
    assert_eq!(st, 404);
    assert!(html.contains("<html lang=\"ja\">"), "a page, not a bare error");
    // No page offers a number that is not in content/.
    let known = content_phones();
    for q in ["家賃が払えない", "親の物忘れが心配", "死にたい", "子育てがつらい", "DV"] {
        for city in ["sagamihara", "tsuruoka"] {
            let (_, html, _) = page(&s, &format!("/?q={}&city={city}", enc(q)));
            for p in tel_links(&html) {
                assert!(known.contains(&p), "{q} {city}: {p} is not in content/");
            }
        }
    }
}

#[test]
fn assets_are_served_by_the_binary_small_and_compressed() {
    let s = Server::start(&content_dir(), &[]);
    let r = Server::client().get(s.url("/widget.js")).send().unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().contains("javascript"));
    let (_, html, _) = page(&s, "/");
    let css = html.split("href=\"/assets/style.css").nth(1).unwrap().split('"').next().unwrap();
    let mut total = 0;
    for path in [
        format!("/?q={}&city=sagamihara", enc("成年後見について相談したい")),
        format!("/assets/style.css{css}"),
        format!("/assets/app.js{css}"),
    ] {
        let r = Server::client()
            .get(s.url(&path))
            .header("accept-encoding", "gzip")
            .send()
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(r.headers()["content-encoding"], "gzip", "{path}");
        total += r.bytes().unwrap().len();
    }
    assert!(total < 50 * 1024, "the resident page weighs {total} bytes transferred");
}

/// The support block sits where the crisis block would: above the results on the
/// resident page, on the staff view, and on the slip that carries its sign.
#[test]
fn despair_shows_the_calm_support_block_first_on_every_page() {
    let s = Server::start(&content_dir(), &[]);
    let q = enc("毎日もう疲れた。誰にも頼れない");
    for path in [
        format!("/?q={q}&city=sagamihara"),
        format!("/staff?q={q}&city=sagamihara"),
        "/staff/referral?b=sgm-jiritsu-midori&city=sagamihara&e=despair".to_string(),
    ] {
        let (st, html, _) = page(&s, &path);
        assert_eq!(st, 200, "{path}");
        assert!(!html.contains("class=\"crisis\""), "{path}: no crisis block");
        let at = html.find("class=\"support\"").unwrap_or_else(|| panic!("{path}: support block"));
        let first = ["class=\"card\"", "class=\"record-row\"", "class=\"slip-window\"", "<h1"]
            .iter()
            .filter_map(|m| html.find(m))
            .min()
            .unwrap_or(usize::MAX);
        assert!(at < first, "{path}: support block before the results");
        assert!(html[at..].contains("つらい気持ちを話せる窓口"), "{path}");
        assert!(tel_links(&html[at..]).len() >= 2, "{path}: lines to tap");
    }
}

/// A case note belongs to one city and one family: without a city it is refused with a
/// reason (never answered across both cities); with one, an adult son is no child in
/// care, a son who shouts at his mother with dementia raises elder abuse with its window
/// first, the answer is not cached on a shared front-desk PC, and the city is remembered.
#[test]
fn a_case_note_reads_ages_and_elder_abuse_in_one_city_and_is_not_cached() {
    let s = Server::start(&content_dir(), &[]);
    let note = "80代の母と50代で無職の息子、家はごみだらけ、母は物忘れ。息子は母を怒鳴ることがある";
    let post = |form: &[(&str, &str)]| Server::client().post(s.url("/staff")).form(form).send().unwrap();
    let r = post(&[("note", note)]);
    assert_eq!(r.status(), 200);
    let html = r.text().unwrap();
    assert!(html.contains("市を選んでから"), "asks for the city");
    assert_eq!(html.matches("class=\"case-need\"").count(), 0, "nothing answered across cities");

    let r = post(&[("note", note), ("city", "tsuruoka")]);
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert!(r.headers()["set-cookie"].to_str().unwrap().contains("tsunagu_city=tsuruoka"));
    let html = r.text().unwrap();
    let crisis = html.find("class=\"crisis\"").expect("elder abuse raises the crisis block");
    assert!(crisis < html.find("<h1").unwrap());
    let needs: Vec<&str> = html.split("class=\"case-need\"").skip(1).collect();
    assert!(needs[0].contains(&e_need_label("gyakutai-elder")), "the reporting window first");
    assert!(!html.contains(&e_need_label("kosodate")), "a son in his fifties is no child in care");
    assert!(needs.iter().all(|n| !n.contains("/resources/sgm-")), "one city only");
}
