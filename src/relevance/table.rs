//! Markdown tables of relevance figures, for BENCHMARKS.md.

use super::{Figures, Report};

/// Markdown tables: one row per slice, engine and baseline side by side.
pub fn markdown(title: &str, runs: &[(&str, &Report)]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(out, "### {title}\n");
    let _ = writeln!(out, "| slice | system | n | recall@1 | recall@3 | MRR | crisis recall | false alarms | zero-result |");
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|---|");
    let row = |out: &mut String, slice: &str, sys: &str, f: &Figures| {
        let _ = writeln!(
            out,
            "| {slice} | {sys} | {} | {:.3} | {:.3} | {:.3} | {:.2} ({}/{}) | {:.3} ({}/{}) | {:.3} |",
            f.questions,
            f.recall1(),
            f.recall3(),
            f.mrr(),
            f.crisis_recall(),
            f.crisis_hit,
            f.crisis,
            f.false_alarm_rate(),
            f.false_alarm,
            f.ordinary,
            f.zero_rate()
        );
    };
    for (sys, r) in runs {
        row(&mut out, "all", sys, &r.overall);
    }
    if let Some((_, first)) = runs.first() {
        for slice in first.by_city.keys() {
            for (sys, r) in runs {
                row(&mut out, &format!("city: {slice}"), sys, &r.by_city[slice]);
            }
        }
        for slice in first.by_topic.keys() {
            for (sys, r) in runs {
                row(
                    &mut out,
                    &format!("topic: {slice}"),
                    sys,
                    &r.by_topic[slice],
                );
            }
        }
        for slice in first.by_class.keys() {
            for (sys, r) in runs {
                if let Some(f) = r.by_class.get(slice) {
                    row(&mut out, &format!("danger: {slice}"), sys, f);
                }
            }
        }
    }
    out
}

/// The danger figures alone (crisis recall, false alarms, the support block) per class
/// and per city: what a set held back from tuning is reported with. It prints no
/// question, so nobody reads a held-back text by running it.
pub fn danger_table(title: &str, runs: &[(&str, &Report)]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(out, "### {title}\n");
    let _ = writeln!(out, "| slice | system | crisis recall | false alarms | support recall | support on calm | recall@3 |");
    let _ = writeln!(out, "|---|---|---|---|---|---|---|");
    let row = |out: &mut String, slice: &str, sys: &str, f: &Figures| {
        let _ = writeln!(
            out,
            "| {slice} | {sys} | {:.3} ({}/{}) | {:.3} ({}/{}) | {:.3} ({}/{}) | {:.3} ({}/{}) | {:.3} ({}/{}) |",
            f.crisis_recall(),
            f.crisis_hit,
            f.crisis,
            f.false_alarm_rate(),
            f.false_alarm,
            f.ordinary,
            f.support_recall(),
            f.support_hit,
            f.support,
            f.calm_support_rate(),
            f.calm_support,
            f.calm,
            f.recall3(),
            f.hit3,
            f.questions,
        );
    };
    let Some((_, first)) = runs.first() else {
        return out;
    };
    for (sys, r) in runs {
        row(&mut out, "all", sys, &r.overall);
    }
    for slice in first.by_city.keys() {
        for (sys, r) in runs {
            row(&mut out, &format!("city: {slice}"), sys, &r.by_city[slice]);
        }
    }
    for slice in first.by_class.keys() {
        for (sys, r) in runs {
            if let Some(f) = r.by_class.get(slice) {
                row(&mut out, &format!("class: {slice}"), sys, f);
            }
        }
    }
    out
}
