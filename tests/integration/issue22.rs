//! Issue 22, what a reader of the pages notices: a number given in place of a window's
//! own is shown with its hours wherever it appears, and a hoarded house (ごみ屋敷) is a
//! need of its own in a case note, sent to the city's windows for tangled cases with a
//! word that no dedicated window is published.

use tsunagu::content::City;

use crate::helpers::*;

fn get(s: &Server, path: &str) -> String {
    let r = Server::client().get(s.url(path)).send().unwrap();
    assert_eq!(r.status().as_u16(), 200, "{path}");
    r.text().unwrap()
}

/// Every place `phone` is written as text on a page, what follows it up to the next
/// list item or window: the hours must be there.
fn after_each(html: &str, phone: &str) -> Vec<String> {
    html.split(&format!(">{phone}<"))
        .skip(1)
        .map(|rest| {
            let end = ["<li", "<article", "</ol>", "</aside>"]
                .iter()
                .filter_map(|m| rest.find(m))
                .min()
                .unwrap_or(rest.len());
            rest[..end].to_string()
        })
        .collect()
}

/// 警察相談専用電話 #9110 (DV worries among others) has no sourced number: residents are
/// sent to よりそいホットライン, whose own record gives its hours. Page, staff basket,
/// slip and LINE all say when that line answers.
#[test]
fn a_fallback_number_comes_with_its_hours_on_every_surface() {
    let e = engine();
    let window = e.catalog.record("nat-9110").unwrap();
    assert!(!window.has_phone() && window.topics.iter().any(|t| t == "虐待・DV"));
    let fallback = e.catalog.record(window.fallback.as_deref().unwrap()).unwrap();
    let c = fallback.contacts.iter().find(|c| c.phone.is_some()).unwrap();
    let (phone, hours) = (c.phone.as_deref().unwrap(), c.hours.as_deref().unwrap());

    let s = Server::start(&content_dir(), &[]);
    for path in [
        "/resources/nat-9110?city=sagamihara",
        "/staff?city=sagamihara&b=nat-9110",
        "/staff/referral/nat-9110?city=sagamihara",
    ] {
        let html = get(&s, path);
        let shown = after_each(&html, phone);
        assert!(!shown.is_empty(), "{path}: the fallback number is shown");
        for rest in &shown {
            assert!(rest.contains(hours), "{path}: {phone} without its hours: {rest}");
        }
    }
    // The staff basket names the office whose number it gives, not only the window.
    let basket = get(&s, "/staff?city=sagamihara&b=nat-9110");
    let basket = basket.split("<aside").nth(1).unwrap().split("</aside>").next().unwrap();
    assert!(basket.contains(&c.name), "{basket}");

    let reply = tsunagu::line::render::details(e, City::named("sagamihara").unwrap(), "nat-9110");
    let text = reply.messages[0]["text"].as_str().unwrap();
    let line = text.lines().find(|l| l.contains(phone)).expect("the route gives the number");
    assert!(line.contains(hours), "LINE details: {line}");
}

const NOTE: &str = "80代の母と50代で無職の息子、家はごみだらけ、母は物忘れ。息子は母を怒鳴ることがある";

/// The note names a hoarded house: that is a need of its own (not money trouble), its
/// window the city's window for tangled cases, with a note that no dedicated window is
/// published; elder abuse still comes first with the crisis block.
#[test]
fn a_case_note_about_a_house_full_of_rubbish_names_that_need() {
    let e = engine();
    let label = &e.catalog.need("gomi-yashiki").unwrap().label;
    for (city, window) in [(City::named("sagamihara").unwrap(), "sgm-csw"), (City::named("tsuruoka").unwrap(), "tsr-sogo-sodan")] {
        let case = e.case(NOTE, Some(city));
        assert!(case.emergency.is_some(), "the shouting still raises the crisis block");
        assert_eq!(case.needs[0].need, "gyakutai-elder", "the reporting window first");
        let gomi = case.needs.iter().find(|n| n.need == "gomi-yashiki").expect("the hoarded house is a need");
        assert_eq!(gomi.window.id, window, "{city:?}");
        assert!(gomi.note.as_deref().is_some_and(|n| n.contains("ごみ屋敷")), "{:?}", gomi.note);
        assert!(!case.needs.iter().any(|n| n.need == "konkyu"), "rubbish is not money trouble");
    }

    let s = Server::start(&content_dir(), &[]);
    let html = Server::client()
        .post(s.url("/staff"))
        .form(&[("note", NOTE), ("city", "sagamihara")])
        .send()
        .unwrap()
        .text()
        .unwrap();
    let need = html
        .split("class=\"case-need\"")
        .skip(1)
        .find(|n| n.contains(label.as_str()))
        .expect("the staff page shows the need");
    assert!(need.contains("/resources/sgm-csw"), "{need}");
    assert!(need.contains("href=\"tel:"), "with a number to call: {need}");
    assert!(need.contains("確認できた市の資料には載っていません"), "no dedicated window: {need}");
}

/// A resident who asks about it is told the same, above the windows.
#[test]
fn a_resident_asking_about_a_hoarded_house_is_told_no_dedicated_window_is_published() {
    let a = engine().answer("実家がごみ屋敷になっていて片付けられない", Some(City::named("tsuruoka").unwrap()), 5);
    assert_eq!(a.need.as_deref(), Some("gomi-yashiki"));
    assert!(a.notice.as_deref().is_some_and(|n| n.contains("載っていません")), "{:?}", a.notice);
    assert!(a.results.iter().take(3).any(|r| r.id == "tsr-sogo-sodan"), "the route's first window is in view");
}

/// Editors see the missing window on their worklist, for both cities.
#[test]
fn the_missing_dedicated_window_is_on_the_gaps_worklist() {
    let (out, _) = cli(&content_dir(), &["check", "--gaps"]);
    let text = stdout(&out);
    for id in ["sgm-route-gomi", "tsr-route-gomi"] {
        let line = text.lines().find(|l| l.contains(id)).unwrap_or_else(|| panic!("{id}: {text}"));
        assert!(line.contains("ごみ屋敷"), "{line}");
    }
    let csv = tsunagu::content::report::gaps_csv(&engine().catalog);
    assert!(csv.contains("\"sgm-route-gomi\"") && csv.contains("\"tsr-route-gomi\""));
}
