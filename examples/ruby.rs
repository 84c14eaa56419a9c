//! Prints each line of stdin with its ふりがな as the pages show it, `漢字(かんじ)`:
//! `grep -h '^hours' content/*/*.toml | cargo run --release --example ruby`.
use std::io::BufRead;

fn main() {
    let root = tsunagu::repo_root();
    let cfg = tsunagu::content::load_analysis_config(&root.join("content")).expect("analysis.toml");
    let a = tsunagu::analysis::Analyzer::new(&root.join("index/dictionary"), &cfg).expect("dictionary");
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        let shown: String = a
            .furigana(&line)
            .iter()
            .map(|p| match &p.reading {
                Some(r) => format!("{}({r})", p.text),
                None => p.text.clone(),
            })
            .collect();
        println!("{line}\t{shown}");
    }
}
