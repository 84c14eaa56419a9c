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
use tsunagu::content;
use tsunagu::{answer, http, index, Paths};

mod cli;
use cli::parse_city;

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
    /// Write the worklist of records without a verified phone as CSV (for a spreadsheet);
    /// with --city, everything that municipality still lacks, one line each.
    Gaps {
        /// File to write; stdout when absent.
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        city: Option<String>,
    },
    /// Municipalities: `city new <slug> --name … --prefecture …` writes its folder.
    City {
        #[command(subcommand)]
        command: CityCommand,
    },
    /// Import a standard open dataset (CSV) or an HSDS 3.0 JSON file into a municipality.
    Import {
        file: PathBuf,
        #[arg(long)]
        city: String,
        /// facilities (公共施設一覧), care (介護サービス事業所一覧), medical (医療機関一覧) or hsds.
        #[arg(long)]
        format: String,
        /// The date of the data (YYYY-MM or YYYY-MM-DD), shown to residents with its age.
        #[arg(long)]
        as_of: Option<String>,
        /// Where residents call for rows without a phone (a record id with a phone).
        #[arg(long)]
        fallback: Option<String>,
        /// Check only; write nothing.
        #[arg(long)]
        dry_run: bool,
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
enum CityCommand {
    /// Write content/<slug>/ with the minimum a municipality needs, commented.
    New {
        slug: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        prefecture: String,
        /// The name in kana (e.g. さかたし).
        #[arg(long, default_value = "")]
        reading: String,
        #[arg(long)]
        area_code: Option<String>,
    },
}

#[derive(Subcommand)]
pub(crate) enum LineCommand {
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

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let paths = Paths::new(cli.content, cli.index);
    match cli.command {
        Command::Check { gaps, report } => cli::check::check(&paths, gaps, report),
        Command::Gaps {
            out,
            city: Some(city),
        } => cli::places::gaps(&paths, out, &city),
        Command::City {
            command:
                CityCommand::New {
                    slug,
                    name,
                    prefecture,
                    reading,
                    area_code,
                },
        } => cli::places::city_new(
            &paths,
            &slug,
            &name,
            &prefecture,
            &reading,
            area_code.as_deref(),
        ),
        Command::Import {
            file,
            city,
            format,
            as_of,
            fallback,
            dry_run,
        } => cli::places::import(&paths, &file, &city, &format, as_of, fallback, dry_run),
        Command::Gaps { out, city: None } => {
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
            let engine = tsunagu::load_engine(&paths)?;
            let city = parse_city(&engine.catalog, city)?;
            println!(
                "{}",
                serde_json::to_string_pretty(&engine.case(&note, city))?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Ask {
            question,
            city,
            json,
            limit,
        } => {
            let engine = tsunagu::load_engine(&paths)?;
            let city = parse_city(&engine.catalog, city)?;
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
                println!(
                    "過去{}日: 質問 {} 件、うち該当なし {} 件",
                    s.days, s.questions, s.zero_hit
                );
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
        Command::Line { command } => cli::line::line(&paths, command),
        Command::Export { hsds, city } => {
            if !hsds {
                bail!("choose an export format: --hsds");
            }
            let catalog = content::load(&paths.content)?;
            let city = parse_city(&catalog, city)?;
            println!(
                "{}",
                serde_json::to_string_pretty(&tsunagu::http::hsds::export(&catalog, city))?
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
