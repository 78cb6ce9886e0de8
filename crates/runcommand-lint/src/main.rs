//! The `runcommand-lint` command line: `check`, `explain`, `rules`.

#![forbid(unsafe_code)]

mod check;
mod explain;
mod fixes;
mod progress;
mod report;
mod schedule;
mod sink;
mod walk;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// The allocator: a check allocates many small, short-lived trees and strings per file on every
/// thread, which mimalloc serves markedly faster than the system allocator (bench/audit.sh).
/// Built without transparent huge pages (`no_thp`): a run touches half the memory (17 instead of
/// 35 MB on the audit corpus) and does not stall on the kernel's compaction of huge pages, which
/// made `check` 5 % slower next to another large process.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Offline validation and linting of Alibaba Cloud ECS Cloud Assistant RunCommand requests.
#[derive(Parser)]
#[command(name = "runcommand-lint", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check request files, request logs and directories (walked: .yaml, .yml, .json, .jsonl,
    /// .ndjson, honouring .gitignore); `-` reads stdin.
    Check(CheckArgs),
    /// Print the documentation of a code.
    Explain {
        /// The code, e.g. InvalidParam.Frequency or Lint.DuplicateKey.
        code: String,
    },
    /// List every code with its class, default severity, HTTP status and evidence.
    Rules {
        /// Output format: a table, or JSON with each trigger's evidence and source.
        #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
        format: RulesFormat,
        /// Only the codes of this class.
        #[arg(long, value_parser = ["request", "inventory", "service"])]
        class: Option<String>,
        /// Only the codes this version emits.
        #[arg(long)]
        emitted: bool,
    },
    /// Check a Frequency expression, describe it and list its next firings.
    Schedule(schedule::ScheduleArgs),
    /// Run the language server on standard input and output (for editors).
    Lsp,
    /// Print a shell completion script (e.g. `runcommand-lint completions bash >
    /// /etc/bash_completion.d/runcommand-lint`).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `runcommand-lint man > runcommand-lint.1`.
    Man,
}

/// How `rules` prints the catalogue.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum RulesFormat {
    /// An aligned table.
    Table,
    /// A JSON array.
    Json,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Files or directories to check (default: the current directory); `-` for standard input.
    #[arg(default_value = ".")]
    paths: Vec<String>,
    /// Output format.
    #[arg(long, visible_alias = "output-format", value_enum, default_value_t = OutputFormat::Human)]
    format: OutputFormat,
    /// Write the output to this file instead of standard output (any format): written beside
    /// it under a temporary name and renamed over it at the end, so a reader never sees half a
    /// report.
    #[arg(long, short, value_name = "PATH")]
    output: Option<PathBuf>,
    /// The time taken as "now" (RFC 3339, e.g. 2026-11-28T00:00:00Z): for schedules in the past
    /// and the start of the HTML report's calendar, for reproducible reports [default: the clock].
    #[arg(long, value_name = "TIMESTAMP", value_parser = schedule::parse_from)]
    now: Option<chrono::DateTime<chrono::Utc>>,
    /// Days of firings the HTML report's schedule calendar shows, from "now" (1 to 31).
    #[arg(long, value_name = "N", default_value_t = 7, value_parser = clap::value_parser!(u16).range(1..=31))]
    calendar_days: u16,
    /// The time zone of the HTML report's second calendar, besides UTC (an IANA name such as
    /// Asia/Shanghai, GMT+8:00, UTC) [default: the zone most schedules name].
    #[arg(long, value_name = "ZONE", value_parser = parse_zone)]
    calendar_zone: Option<runcommand_frequency::Zone>,
    /// Report only these codes or code prefixes (as the configuration's `select`, applied after it).
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    select: Vec<String>,
    /// Never report these codes or code prefixes (as the configuration's `ignore`, applied after it).
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    ignore: Vec<String>,
    /// Findings only: no summary table and no counts (human format).
    #[arg(long, short)]
    quiet: bool,
    /// The name to report for standard input (its extension picks YAML or JSON).
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<String>,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Files larger than this many bytes are not read (Lint.FileTooLarge) [default: 10485760].
    #[arg(long, value_name = "BYTES")]
    max_file_size: Option<u64>,
    /// Show at most this many findings per file (or log line); one more finding counts the rest
    /// (0 shows all).
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    max_findings_per_file: usize,
    /// Use this configuration file for every file (no discovery of runcommand-lint.toml).
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Use no configuration file.
    #[arg(long)]
    no_config: bool,
    /// Do not run ShellCheck on scripts, whatever the configuration says (it costs a few
    /// milliseconds per distinct script: see README, "Scripts").
    #[arg(long)]
    no_shellcheck: bool,
    /// Skip files that do not look like RunCommand requests (the pre-commit hooks pass this).
    #[arg(long)]
    only_requests: bool,
    /// Apply the configuration's `exclude` to paths named on the command line too.
    #[arg(long)]
    force_exclude: bool,
    /// Say on standard error which files were skipped and which configuration files were used.
    #[arg(long, short)]
    verbose: bool,
    /// Print how many findings there are of each code: instead of the findings in human format
    /// (as ruff does), after them in concise, on standard error for the machine-readable formats.
    #[arg(long)]
    statistics: bool,
    /// How to read standard input and the files named on the command line (`auto`: by the
    /// extension; `.jsonl` and `.ndjson` are request logs, one request per line).
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    input_format: InputFormat,
    /// Walk directories without honouring .gitignore, .ignore and Git's exclude files.
    #[arg(long)]
    no_ignore: bool,
    /// Never show the progress bar (it only appears on a terminal, for long human-format runs).
    #[arg(long)]
    no_progress: bool,
    /// Read and parse only, without rules (the benchmarks' floor).
    #[arg(long, hide = true)]
    parse_only: bool,
    /// The lowest severity that makes the exit status 1.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Exit 0 whatever the findings (a configuration error or an unreadable path still exits 2).
    #[arg(long)]
    exit_zero: bool,
    /// Apply the safe fixes to the files in place (then report what is left).
    #[arg(long, conflicts_with_all = ["diff", "parse_only"])]
    fix: bool,
    /// With --fix or --diff, apply the unsafe fixes too.
    #[arg(long)]
    unsafe_fixes: bool,
    /// Print the fixes as a unified diff (`git apply` applies it) instead of writing them; exit 1
    /// when there is one.
    #[arg(long, conflicts_with = "parse_only")]
    diff: bool,
    /// With --fix, list on standard error what was fixed in each file.
    #[arg(long)]
    show_fixes: bool,
}

impl CheckArgs {
    /// `--statistics` in human format: the counts instead of the findings (as ruff does).
    fn counts_only(&self) -> bool {
        self.statistics && self.format == OutputFormat::Human
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum InputFormat {
    /// By the file name: `.json` JSON, `.jsonl`/`.ndjson` JSON Lines, anything else YAML.
    Auto,
    /// YAML (one request per document).
    Yaml,
    /// JSON (a request, or an array of requests).
    Json,
    /// JSON Lines: one request or audit-trail event record per line.
    Jsonl,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    /// Errors fail the run.
    Error,
    /// Errors and warnings fail the run.
    Warning,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    /// Snippets with codes, messages, help and HTTP statuses.
    Human,
    /// One JSON object (the stable contract, version 1).
    Json,
    /// One line per finding: `path:line:col: severity code message`.
    Concise,
    /// One JSON object per finding per line (the JSON contract's fields).
    JsonLines,
    /// SARIF 2.1.0 (code scanning).
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// One self-contained HTML page: summary, findings by code with snippets, the files with
    /// the most errors, and the fleet's schedule calendar (use with --output).
    Html,
}

/// A zone given on the command line, read as in a Frequency expression.
fn parse_zone(s: &str) -> Result<runcommand_frequency::Zone, String> {
    s.parse()
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// What a failed write of the output means: a closed pipe (the reader has gone, as with `| head`)
/// ends the command quietly, with the status it would have had; any other failure (a full disk)
/// is said once on standard error, status 2.
fn output_failed(e: &std::io::Error) -> Option<ExitCode> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        None
    } else {
        eprintln!("runcommand-lint: error: cannot write output: {e}");
        Some(ExitCode::from(2))
    }
}

/// Writes generated text to standard output (a closed pipe is no error).
fn emit_bytes(bytes: &[u8]) -> ExitCode {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => output_failed(&e).unwrap_or(ExitCode::SUCCESS),
    }
}

fn main() -> ExitCode {
    // A panic is caught per file by the engine; keep its report to one line.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("runcommand-lint: internal error: {info}");
    }));
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Explain { code } => explain::explain(&code),
        Command::Rules {
            format,
            class,
            emitted,
        } => explain::rules(format == RulesFormat::Json, class.as_deref(), emitted),
        Command::Schedule(args) => schedule::run(&args),
        Command::Lsp => runcommand_lsp::run_stdio(),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut cmd, "runcommand-lint", &mut out);
            emit_bytes(&out)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            match clap_mangen::Man::new(cmd).render(&mut out) {
                Ok(()) => emit_bytes(&out),
                Err(e) => crate::output_failed(&e).unwrap_or(ExitCode::SUCCESS),
            }
        }
    }
}
