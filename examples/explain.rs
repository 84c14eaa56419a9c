//! Prints how the analyser sees each argument: `cargo run --example explain -- 成年後見人`.
fn main() {
    let root = tsunagu::repo_root();
    let cfg = tsunagu::content::load_analysis_config(&root.join("content")).expect("analysis.toml");
    let a =
        tsunagu::analysis::Analyzer::new(&root.join("index/dictionary"), &cfg).expect("dictionary");
    for q in std::env::args().skip(1) {
        let m: Vec<String> = a.morph_terms(&q).into_iter().map(|t| t.text).collect();
        let r: Vec<String> = a.reading_bigrams(&q).into_iter().map(|t| t.text).collect();
        println!(
            "{q}\n  chain: {}\n  morph: {}\n  reading: {}",
            a.explain(&q),
            m.join(" "),
            r.join(" ")
        );
    }
}
