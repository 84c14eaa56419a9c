//! Throws random text at the engine to look for panics:
//! `cargo run --release --example smoke_fuzz -- 20000`.
use tsunagu::content::City;
fn main() {
    let paths = tsunagu::Paths::checkout(std::env::temp_dir().join("tsunagu-fuzz"));
    let e = tsunagu::load_engine(&paths).unwrap();
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(5000);
    let alphabet: Vec<char> = "あいうえおかきくけこがぎゃゅょっーアイウエオヴァｶﾞﾊﾟ々ゝ〆漢字成年後見障がい子供死に家賃、。！？!?（）「」 \n\t0123456789０１２３abcXYZＡＢ#%&😀👨‍👩‍👧\u{3099}\u{309A}\u{FF9E}\u{0301}".chars().collect();
    let mut seed: u64 = 0x9E3779B97F4A7C15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for i in 0..n {
        let len = (next() % 120) as usize;
        let q: String = (0..len)
            .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
            .collect();
        let city = if i % 2 == 0 {
            Some(City::named("sagamihara").unwrap())
        } else {
            Some(City::named("tsuruoka").unwrap())
        };
        let a = e.answer(&q, city, 5);
        assert!(!a.results.is_empty(), "empty answer for {q:?}");
        let _ = e.browse(&q, &Default::default(), 5, 0);
        let _ = serde_json::to_string(&a).unwrap();
    }
    println!("{n} random questions: no panic, never an empty answer");
}
