//! Issue 22, what a reader of the pages notices: a number given in place of a window's
//! own is shown with its hours wherever it appears.

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

    let reply = tsunagu::line::render::details(e, City::Sagamihara, "nat-9110");
    let text = reply.messages[0]["text"].as_str().unwrap();
    let line = text.lines().find(|l| l.contains(phone)).expect("the route gives the number");
    assert!(line.contains(hours), "LINE details: {line}");
}
