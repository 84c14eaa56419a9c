//! `tsunagu check [--gaps] [--report]`.

use std::process::ExitCode;

use tsunagu::content;
use tsunagu::Paths;

pub fn check(paths: &Paths, gaps: bool, report: bool) -> anyhow::Result<ExitCode> {
    match content::load(&paths.content) {
        Err(errors) => {
            for e in &errors.0 {
                println!("{e}");
            }
            eprintln!("{} error(s); nothing was indexed", errors.0.len());
            Ok(ExitCode::FAILURE)
        }
        Ok(catalog) => {
            let contacts: usize = catalog.records.iter().map(|r| r.contacts.len()).sum();
            println!(
                "content OK: {} records, {} contacts, {} routes, {} lexicon concepts, {} danger rules",
                catalog.records.len(),
                contacts,
                catalog.routes.len(),
                catalog.concepts.len(),
                catalog.dangers.len()
            );
            for w in &catalog.warnings {
                println!("warning: {w}");
            }
            if !catalog.warnings.is_empty() {
                println!("{} warning(s)", catalog.warnings.len());
            }
            if report {
                print_report(&catalog);
            }
            if gaps {
                let gaps = catalog.gaps();
                println!(
                    "\n{} record(s) without a verified phone or windows no source names (fill these in):",
                    gaps.len()
                );
                for g in gaps {
                    println!(
                        "  [{}] {} ({}){}{}",
                        g.city.as_str(),
                        g.title,
                        g.id,
                        g.note.map(|n| format!(" — {n}")).unwrap_or_default(),
                        g.fallback
                            .map(|f| format!(" → meanwhile: {f}"))
                            .unwrap_or_default()
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print_report(catalog: &content::Catalog) {
    println!(
        "\nper city (stale = phone source older than {} years):",
        catalog.stale_after_years
    );
    println!("  city        records  verified phone     stale  gaps");
    for r in content::report::city_reports(catalog) {
        println!(
            "  {:<10}  {:>7}  {:>5} ({:>5.1}%)  {:>6}  {:>4}",
            r.city.as_str(),
            r.records,
            r.with_phone,
            r.percent(),
            r.stale.len(),
            r.gaps
        );
    }
    for r in content::report::city_reports(catalog) {
        if !r.stale.is_empty() {
            println!("\nstale contacts in {}:", r.city.as_str());
            for s in &r.stale {
                println!("  {s}");
            }
        }
    }
}
