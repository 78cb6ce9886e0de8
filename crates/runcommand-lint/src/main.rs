//! The `runcommand-lint` command line: `check`, `explain`, `rules`.

#![forbid(unsafe_code)]

mod explain;
mod output;
mod walk;

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use runcommand_document::Format;
use runcommand_rules::{Content, Input, Severity};

/// Offline validation and linting of Alibaba Cloud ECS Cloud Assistant RunCommand requests.
#[derive(Parser)]
#[command(name = "runcommand-lint", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check request files and directories (recursively: .yaml, .yml, .json); `-` reads stdin.
    Check(CheckArgs),
    /// Print the documentation of a code.
    Explain {
        /// The code, e.g. InvalidParam.Frequency or Lint.DuplicateKey.
        code: String,
    },
    /// List every code with its class and default severity.
    Rules,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Files or directories to check; `-` for standard input.
    #[arg(required = true)]
    paths: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    format: OutputFormat,
    /// The name to report for standard input (its extension picks YAML or JSON).
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<String>,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    /// Files larger than this many bytes are not read (Lint.FileTooLarge).
    #[arg(long, value_name = "BYTES")]
    max_file_size: Option<u64>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    /// Snippets with codes, messages, help and HTTP statuses.
    Human,
    /// One JSON object (the stable contract, version 1).
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    // A panic is caught per file by the engine; keep its report to one line.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("runcommand-lint: internal error: {info}");
    }));
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check(args),
        Command::Explain { code } => explain::explain(&code),
        Command::Rules => explain::rules(),
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let max = args
        .max_file_size
        .unwrap_or_else(|| runcommand_rules::Options::default().max_file_size);
    let mut inputs = Vec::new();
    let mut unreadable = false;
    for path in &args.paths {
        if path == "-" {
            let name = args
                .stdin_filename
                .clone()
                .unwrap_or_else(|| "<stdin>".into());
            let mut bytes = Vec::new();
            let content = match std::io::stdin()
                .take(max.saturating_add(1))
                .read_to_end(&mut bytes)
            {
                Ok(n) if n as u64 > max => Content::TooLarge(n as u64),
                Ok(_) => Content::Bytes(bytes),
                Err(e) => {
                    unreadable = true;
                    Content::Unreadable(format!("cannot read standard input: {e}"))
                }
            };
            inputs.push(Input {
                format: Format::from_path(&name),
                path: name,
                content,
            });
            continue;
        }
        let found = walk::collect(path, max);
        unreadable |= found.unreadable;
        inputs.extend(found.inputs);
    }
    let mut reports = runcommand_rules::check_files(inputs);
    reports.sort_by(|a, b| a.path.cmp(&b.path));
    let stdout = std::io::stdout();
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = match args.format {
        OutputFormat::Human => output::human(&mut out, &reports, color),
        OutputFormat::Json => output::json(&mut out, &reports),
    };
    if written.and_then(|()| out.flush()).is_err() {
        // A closed pipe: nothing more to say.
        return ExitCode::from(2);
    }
    let errors = reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .any(|d| d.severity == Severity::Error);
    if unreadable {
        ExitCode::from(2)
    } else if errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
