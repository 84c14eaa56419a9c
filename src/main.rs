//! `tsunagu`: check content, build the index, ask a question, or serve the API.
//!
//!     tsunagu check [--gaps] [--report]
//!     tsunagu gaps [--out gaps.csv]
//!     tsunagu index
//!     tsunagu ask "成年後見について相談したい" --city sagamihara [--json]
//!     tsunagu serve
//!     tsunagu export --hsds [--city C]
//!     tsunagu insights --dir D [--days 30] [--json]
//!     tsunagu line preview --city C "質問"
//!     tsunagu line richmenu --city C

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use tsunagu::content::{self, City};
use tsunagu::{answer, http, index, Paths};

#[derive(Parser)]
#[command(
    name = "tsunagu",
    version,
    about = "福祉の相談窓口をさがす / find the right welfare window"
)]
struct Cli {
    /// Folder with the content TOML files.
    #[arg(
        long,
        env = "TSUNAGU_CONTENT",
        default_value = "content",
        global = true
    )]
    content: PathBuf,
    /// Folder for the built index (and the compiled dictionary).
    #[arg(long, env = "TSUNAGU_INDEX", default_value = "index", global = true)]
    index: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate every content file; print each mistake as file:line: key: reason.
    Check {
        /// Also list records whose contact is still missing (for editors).
        #[arg(long)]
        gaps: bool,
        /// Print per city: records, records with a verified phone (%), stale contacts, gaps.
        #[arg(long)]
        report: bool,
    },
    /// Write the worklist of records without a verified phone as CSV (for a spreadsheet).
    Gaps {
        /// File to write; stdout when absent.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Build the search index into the index folder.
    Index,
    /// Answer a question the way the API would.
    Ask {
        question: String,
        #[arg(long)]
        city: Option<String>,
        #[arg(long)]
        json: bool,
        #[arg(long, default_value_t = answer::DEFAULT_LIMIT)]
        limit: usize,
    },
    /// A staff case note answered need by need (the first window for each), as JSON.
    Case {
        note: String,
        #[arg(long)]
        city: Option<String>,
    },
    /// Run the HTTP API.
    // Boxed: the server's options are many and the other commands few.
    Serve(Box<http::ServeArgs>),
    /// LINE official account: preview a reply, install the rich menu.
    Line {
        #[command(subcommand)]
        command: LineCommand,
    },
    /// Top needs and redacted zero-hit questions from the opt-in insights store.
    Insights {
        /// The store's folder (as given to `serve`).
        #[arg(long, env = "TSUNAGU_INSIGHTS_DIR")]
        dir: PathBuf,
        /// Days to look back.
        #[arg(long, default_value_t = 30)]
        days: u32,
        /// Entries per list.
        #[arg(long, default_value_t = 20)]
        top: usize,
        #[arg(long)]
        json: bool,
    },
    /// Write the content as Open Referral HSDS 3.0 JSON to stdout.
    Export {
        #[arg(long)]
        hsds: bool,
        #[arg(long)]
        city: Option<String>,
    },
}

#[derive(Subcommand)]
enum LineCommand {
    /// Print the exact reply body (JSON) the webhook would send for a question.
    Preview {
        question: String,
        #[arg(long)]
        city: String,
    },
    /// Create the city's rich menu through the Messaging API and make it the default
    /// (LINE_<CITY>_ACCESS_TOKEN, LINE_API_BASE).
    Richmenu {
        #[arg(long)]
        city: String,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn parse_city(city: Option<String>) -> anyhow::Result<Option<City>> {
    match city {
        None => Ok(None),
        Some(c) => match City::parse(&c) {
            Some(c) => Ok(Some(c)),
            None => bail!("unknown city {c:?}; use sagamihara, tsuruoka or national"),
        },
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let paths = Paths::new(cli.content, cli.index);
    match cli.command {
        Command::Check { gaps, report } => check(&paths, gaps, report),
        Command::Gaps { out } => {
            let catalog = content::load(&paths.content)?;
            let csv = content::report::gaps_csv(&catalog);
            match out {
                Some(path) => {
                    std::fs::write(&path, csv)
                        .with_context(|| format!("writing {}", path.display()))?;
                    println!(
                        "wrote {} record(s) without a verified phone to {}",
                        catalog.gaps().len(),
                        path.display()
                    );
                }
                None => print!("{csv}"),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Index => {
            let started = std::time::Instant::now();
            let (catalog, analyzer) = tsunagu::load_content(&paths)?;
            let built = index::build(&paths.index, &catalog, &analyzer)?;
            println!(
                "indexed {} records into {} in {:.2?} (content {})",
                built.num_docs(),
                paths.index.join(index::CURRENT).display(),
                started.elapsed(),
                &catalog.hash[..12]
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Case { note, city } => {
            let city = parse_city(city)?;
            let engine = tsunagu::load_engine(&paths)?;
            println!("{}", serde_json::to_string_pretty(&engine.case(&note, city))?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Ask {
            question,
            city,
            json,
            limit,
        } => {
            let city = parse_city(city)?;
            let engine = tsunagu::load_engine(&paths)?;
            let ans = engine.answer(&question, city, limit.clamp(1, 50));
            if json {
                println!("{}", serde_json::to_string_pretty(&ans)?);
            } else {
                print!("{}", tsunagu::answer::render_text(&ans));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Insights {
            dir,
            days,
            top,
            json,
        } => {
            let s = tsunagu::insights::summarize_dir(&dir, days, top);
            if json {
                println!("{}", serde_json::to_string_pretty(&s)?);
            } else {
                println!("過去{}日: 質問 {} 件、うち該当なし {} 件", s.days, s.questions, s.zero_hit);
                let list = |title: &str, v: &[(String, usize)]| {
                    println!("\n{title}");
                    for (k, n) in v {
                        println!("  {n:>6}  {k}");
                    }
                };
                list("よくある相談 (need)", &s.top_needs);
                list("危険の検出 (danger)", &s.top_dangers);
                list("該当なしの質問 (個人情報は伏せ字)", &s.zero_hit_questions);
                list("市", &s.by_city);
                list("経路", &s.by_channel);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve(args) => {
            let rt = tokio::runtime::Runtime::new().context("starting the async runtime")?;
            let served = rt.block_on(http::serve(paths, *args));
            // Connections were drained (bounded) by `serve`; don't wait on stragglers.
            rt.shutdown_timeout(std::time::Duration::from_secs(1));
            served?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Line { command } => line(&paths, command),
        Command::Export { hsds, city } => {
            if !hsds {
                bail!("choose an export format: --hsds");
            }
            let city = parse_city(city)?;
            let catalog = content::load(&paths.content)?;
            println!(
                "{}",
                serde_json::to_string_pretty(&tsunagu::http::hsds::export(&catalog, city))?
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn line_city(city: &str) -> anyhow::Result<City> {
    match City::parse(city) {
        Some(c) if c != City::National => Ok(c),
        _ => bail!("unknown city {city:?}; use sagamihara or tsuruoka"),
    }
}

fn line(paths: &Paths, command: LineCommand) -> anyhow::Result<ExitCode> {
    match command {
        LineCommand::Preview { question, city } => {
            let city = line_city(&city)?;
            let engine = tsunagu::load_engine(paths)?;
            let body = tsunagu::line::preview(&engine, city, &question);
            println!("{}", serde_json::to_string_pretty(&body)?);
        }
        LineCommand::Richmenu { city } => {
            let city = line_city(&city)?;
            let config = tsunagu::line::LineConfig::from_env();
            let rt = tokio::runtime::Runtime::new().context("starting the async runtime")?;
            let id = rt.block_on(tsunagu::line::richmenu::install(&config, city))?;
            println!(
                "rich menu {id} created and set as the default for {}",
                city.as_str()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn check(paths: &Paths, gaps: bool, report: bool) -> anyhow::Result<ExitCode> {
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
