//! Property tests over generated input (a seeded xorshift generator: reproducible, no
//! extra crates). Each property runs a fixed number of cases in `./run test`; `./run
//! fuzz [secs]` sets `TSUNAGU_FUZZ_SECS` and each runs for that long instead, printing
//! how many inputs it tried. Inputs that once failed are kept in `FINDINGS` and always
//! run first.
//!
//! - every token offset (morphological terms and bigrams) lies inside the input, on a
//!   char boundary;
//! - any text gets an answer (crisis check, lexicon, query building, ranking) without a
//!   panic, and redaction never panics nor leaves a phone number's digits;
//! - any mutation of a webhook body parses or is refused, never panics;
//! - over HTTP, any bytes as `q` give 200 or 400, never 500.

use std::time::{Duration, Instant};

use crate::helpers::*;

/// Inputs kept from earlier runs; any that ever failed is added here.
const FINDINGS: &[&str] = &[
    // `./run fuzz`: digits before the appended phone left "-5678" unredacted.
    "c%07",
    "",
    " ",
    "\u{3099}\u{309A}",
    "ｶﾞｶﾞｶﾞ\u{FF9E}\u{FF9E}",
    "👨‍👩‍👧👨‍👩‍👧 死に",
    "\u{0301}障がい\u{0301}",
    "〒〒〒0-0-0-0-0-0",
    "090-1234-5678090-1234-5678",
];

struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn char(&mut self) -> char {
        const PICKS: &str = "あいうえおかきくけこがぎゃゅょっーアイウエオヴァｶﾞﾊﾟ々ゝ〆漢字成年後見障がい子供死に家賃殴る助けて、。！？!?（）「」〒＠@- \n\t0123456789０１２３abcXYZＡＢ#%&😀👨‍👩‍👧\u{3099}\u{309A}\u{FF9E}\u{0301}\u{200B}\u{FEFF}\u{202E}";
        let ranges: [(u32, u32); 8] = [
            (0x20, 0x7e),
            (0x0, 0x1f),
            (0x3040, 0x30ff),
            (0x4e00, 0x9fff),
            (0xff00, 0xffef),
            (0x300, 0x36f),
            (0x1f300, 0x1faff),
            (0x80, 0x7ff),
        ];
        if self.below(2) == 0 {
            let picks: Vec<char> = PICKS.chars().collect();
            picks[self.below(picks.len() as u64) as usize]
        } else {
            let (a, b) = ranges[self.below(ranges.len() as u64) as usize];
            char::from_u32(a + self.below(u64::from(b - a + 1)) as u32).unwrap_or('?')
        }
    }

    fn text(&mut self, max: u64) -> String {
        let len = self.below(max + 1);
        (0..len).map(|_| self.char()).collect()
    }
}

/// Runs `check` on the findings, then on generated inputs: `cases` of them, or for
/// `TSUNAGU_FUZZ_SECS` seconds when set. Returns how many inputs were tried.
fn run(name: &str, seed: u64, cases: usize, mut check: impl FnMut(&mut Gen, Option<&str>)) {
    let mut g = Gen(seed);
    for f in FINDINGS {
        check(&mut g, Some(f));
    }
    let budget = std::env::var("TSUNAGU_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .map(Duration::from_secs);
    let started = Instant::now();
    let mut n = 0usize;
    loop {
        match budget {
            Some(b) if started.elapsed() >= b => break,
            None if n >= cases => break,
            _ => {}
        }
        check(&mut g, None);
        n += 1;
    }
    eprintln!("fuzz {name}: {n} generated inputs (+{} findings), no failure", FINDINGS.len());
}

#[test]
fn every_token_offset_lies_inside_the_input_on_a_char_boundary() {
    let analyzer = &engine().index.analyzer;
    run("offsets", 0x9E37_79B9_7F4A_7C15, 3000, |g, fixed| {
        let s = fixed.map(str::to_string).unwrap_or_else(|| g.text(80));
        for t in analyzer.morph_terms(&s).into_iter().chain(analyzer.bigrams(&s)) {
            assert!(t.from <= t.to && t.to <= s.len(), "{s:?}: {t:?}");
            assert!(s.is_char_boundary(t.from) && s.is_char_boundary(t.to), "{s:?}: {t:?}");
        }
        for (from, to) in analyzer.person_name_spans(&s) {
            assert!(s.is_char_boundary(from) && s.is_char_boundary(to) && to <= s.len());
        }
    });
}

#[test]
fn any_text_gets_an_answer_and_redaction_never_panics() {
    let e = engine();
    let cities = [
        None,
        Some(tsunagu::content::City::named("sagamihara").unwrap()),
        Some(tsunagu::content::City::named("tsuruoka").unwrap()),
    ];
    run("answer+redact", 0xD1B5_4A32_D192_ED03, 1500, |g, fixed| {
        let s = fixed.map(str::to_string).unwrap_or_else(|| g.text(120));
        let city = cities[g.below(3) as usize];
        let a = e.answer(&s, city, 5);
        assert!(a.results.len() <= 5);
        let r = tsunagu::insights::redact::redact(&e.index.analyzer, &s);
        let phone = format!("{s} 090-1234-5678");
        let rp = tsunagu::insights::redact::redact(&e.index.analyzer, &phone);
        assert!(!rp.contains("5678"), "{phone:?} → {rp:?}");
        let _ = r;
    });
}

#[test]
fn any_mutation_of_a_webhook_body_is_parsed_or_refused() {
    let (ev, _) = crate::line::text_event("成年後見について相談したい");
    let base = crate::line::body_of(vec![ev]);
    run("webhook", 0x2545_F491_4F6C_DD1D, 5000, |g, fixed| {
        let mut body = match fixed {
            Some(f) => f.as_bytes().to_vec(),
            None => base.clone(),
        };
        for _ in 0..=g.below(8) {
            if body.is_empty() {
                break;
            }
            let i = g.below(body.len() as u64) as usize;
            match g.below(3) {
                0 => body[i] = g.next() as u8,
                1 => {
                    body.remove(i);
                }
                _ => body.insert(i, b"{}[]\":,0\\"[g.below(9) as usize]),
            }
        }
        if let Ok(v) = serde_json::from_slice::<serde_json::Value>(&body) {
            for e in v["events"].as_array().into_iter().flatten() {
                let _ = tsunagu::line::webhook::Event::parse(e.clone());
            }
        }
    });
}

#[test]
fn any_bytes_as_a_question_get_200_or_400_over_http() {
    // One client firing as fast as it can: the rate limit (429) is tested elsewhere.
    let s = Server::start(&fixture_dir(), &[("TSUNAGU_RATE_PER_SEC", "0")]);
    let client = Server::client();
    run("http q", 0x1234_5678_9ABC_DEF1, 300, |g, fixed| {
        let bytes: Vec<u8> = match fixed {
            Some(f) => f.as_bytes().to_vec(),
            None if g.below(4) == 0 => (0..g.below(40)).map(|_| g.next() as u8).collect(),
            None => g.text(600).into_bytes(),
        };
        let q: String = bytes.iter().map(|b| format!("%{b:02X}")).collect();
        let r = client
            .get(s.url(&format!("/api/answer?q={q}&city=sagamihara")))
            .send()
            .unwrap();
        let st = r.status().as_u16();
        assert!(st == 200 || st == 400, "{st} for {bytes:?}");
        let v: serde_json::Value = r.json().unwrap();
        if st == 400 {
            assert!(v["error"]["code"].is_string());
        }
    });
}

#[test]
fn any_mutation_of_a_content_file_is_loaded_or_refused_with_messages() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture_dir(), dir.path());
    let mut files = Vec::new();
    let mut stack = vec![dir.path().to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "toml") {
                files.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    files.sort();
    run("content", 0x5851_F42D_4C95_7F2D, 300, |g, fixed| {
        let (path, original) = &files[g.below(files.len() as u64) as usize];
        let mut bytes = original.clone();
        match fixed {
            Some(f) => bytes.extend_from_slice(f.as_bytes()),
            None => {
                for _ in 0..=g.below(6) {
                    let i = g.below(bytes.len() as u64 + 1) as usize;
                    let piece = ["\"", "=", "[", "]]", "\n[[record]]\n", "#", "\u{3000}", "0", "id = \"\"", "\n"]
                        [g.below(10) as usize];
                    if g.below(2) == 0 && i < bytes.len() {
                        bytes.remove(i);
                    } else {
                        let at = (0..=i).rev().find(|j| std::str::from_utf8(&bytes[..*j]).is_ok()).unwrap_or(0);
                        bytes.splice(at..at, piece.bytes());
                    }
                }
            }
        }
        std::fs::write(path, &bytes).unwrap();
        if let Err(errors) = tsunagu::content::load(dir.path()) {
            assert!(!errors.0.is_empty());
            for e in &errors.0 {
                assert!(!e.to_string().is_empty());
            }
        }
        std::fs::write(path, original).unwrap();
    });
}
