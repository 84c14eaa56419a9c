//! The questions whose answers take longest, warm (each asked once first, then 20 times
//! timed): `cargo run --release --example slowest`. Where the tail of the answer-time
//! distribution comes from (it found the record analysis in `covers`).
use std::time::Instant;
use tsunagu::content::City;
fn main() {
    let paths = tsunagu::Paths::checkout(std::env::temp_dir().join("tsunagu-slow"));
    let e = tsunagu::load_engine(&paths).unwrap();
    let text = std::fs::read_to_string("bench/questions.tsv").unwrap();
    let qs: Vec<&str> = text.lines().filter(|l| !l.starts_with('#') && !l.starts_with("id\t")).filter_map(|l| l.split('\t').next_back()).take(300).collect();
    let city = City::named("sagamihara");
    for q in &qs { e.answer(q, city, 5); }
    let mut t: Vec<(u128, &str)> = qs.iter().map(|q| { let s = Instant::now(); for _ in 0..20 { std::hint::black_box(e.answer(q, city, 5)); } (s.elapsed().as_nanos() / 20 / 1000, *q) }).collect();
    t.sort();
    for (us, q) in t.iter().rev().take(12) { println!("{us} µs {} chars {q}", q.chars().count()); }
    println!("median {}", t[t.len()/2].0);
}
