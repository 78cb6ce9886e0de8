//! `check`: collect the inputs (with each file's configuration), check them, apply the
//! configuration, render, and decide the exit status.
//!
//! Exit status: 2 for a configuration error (nothing is checked) or an unreadable path (the
//! others are still checked and reported), whatever `--exit-zero` says; else 0 with
//! `--exit-zero`; else 1 when a finding is at or above `--fail-on` (default `error`; `info`
//! never fails), else 0.

use std::io::{IsTerminal, Read, Write};
use std::path::Path;
use std::process::ExitCode;
use std::rc::Rc;

use runcommand_document::Format;
use runcommand_rules::{Content, FileReport, Input, Options, Severity};

use crate::config::{Config, ConfigError, Configs, absolute};
use crate::walk::{self, Seen};
use crate::{CheckArgs, ColorChoice, FailOn, OutputFormat, formats, output};

fn config_failed(e: &ConfigError) -> ExitCode {
    eprintln!("runcommand-lint: error: invalid configuration: {e}");
    ExitCode::from(2)
}

/// Runs `check`.
pub fn run(args: CheckArgs) -> ExitCode {
    let max = args
        .max_file_size
        .unwrap_or_else(|| Options::default().max_file_size);
    let mut configs = match Configs::new(args.config.as_deref(), args.no_config) {
        Ok(c) => c,
        Err(e) => return config_failed(&e),
    };
    let mut entries: Vec<(Input, Option<Rc<Config>>)> = Vec::new();
    let mut unreadable = false;
    let mut config_error: Option<ConfigError> = None;
    for path in &args.paths {
        if path == "-" {
            let name = args
                .stdin_filename
                .clone()
                .unwrap_or_else(|| "<stdin>".into());
            let config = match configs.for_path(&absolute(Path::new(&name))) {
                Ok(c) => c,
                Err(e) => return config_failed(&e),
            };
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
            let input = Input {
                format: Format::from_path(&name),
                path: name,
                content,
            };
            entries.push((input, config));
            continue;
        }
        let mut keep = |p: &Path, seen: Seen| -> bool {
            if config_error.is_some() {
                return false;
            }
            let abs = absolute(p);
            let config = match configs.for_path(&abs) {
                Ok(Some(c)) => c,
                Ok(None) => return true,
                Err(e) => {
                    config_error = Some(e);
                    return false;
                }
            };
            let skip = match seen {
                Seen::Named => args.force_exclude && config.excludes(&abs),
                Seen::Dir => config.excludes(&abs),
                Seen::File => config.excludes(&abs) || !config.includes(&abs),
            };
            if skip && args.verbose {
                eprintln!(
                    "runcommand-lint: skipped {}: excluded by {}",
                    p.display(),
                    config.path.display()
                );
            }
            !skip
        };
        let found = walk::collect(path, max, &mut keep);
        if let Some(e) = &config_error {
            return config_failed(e);
        }
        unreadable |= found.unreadable;
        for input in found.inputs {
            let config = match configs.for_path(&absolute(Path::new(&input.path))) {
                Ok(c) => c,
                Err(e) => return config_failed(&e),
            };
            entries.push((input, config));
        }
    }
    if args.verbose {
        for c in &configs.loaded {
            eprintln!("runcommand-lint: using {}", c.path.display());
        }
    }

    let default = Options::default();
    let (inputs, config_list): (Vec<Input>, Vec<Option<Rc<Config>>>) = entries.into_iter().unzip();
    let pairs = inputs
        .into_iter()
        .zip(
            config_list
                .iter()
                .map(|c| c.as_ref().map_or(&default, |c| &c.options)),
        )
        .collect();
    let reports = runcommand_rules::check_files_with(pairs);
    let mut checked: Vec<(FileReport, Option<Rc<Config>>)> =
        reports.into_iter().zip(config_list).collect();
    checked.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    if args.only_requests {
        checked.retain(|(r, _)| {
            if !r.looks_like_request && args.verbose {
                eprintln!(
                    "runcommand-lint: skipped {}: does not look like a RunCommand request",
                    r.path
                );
            }
            r.looks_like_request
        });
    }
    let reports: Vec<FileReport> = checked
        .into_iter()
        .map(|(mut r, config)| {
            if let Some(c) = config {
                c.apply(&absolute(Path::new(&r.path)), &mut r.diagnostics);
            }
            r
        })
        .collect();

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
        OutputFormat::JsonLines => output::json_lines(&mut out, &reports),
        OutputFormat::Concise => formats::concise(&mut out, &reports),
        OutputFormat::Sarif => formats::sarif(&mut out, &reports),
        OutputFormat::Github => formats::github(&mut out, &reports),
    };
    let written = written.and_then(|()| {
        if !args.statistics {
            return Ok(());
        }
        // After the findings: on stdout for the formats people read, else on stderr so the
        // machine-readable output stays valid.
        match args.format {
            OutputFormat::Human | OutputFormat::Concise => formats::statistics(&mut out, &reports),
            _ => formats::statistics(&mut std::io::stderr().lock(), &reports),
        }
    });
    if written.and_then(|()| out.flush()).is_err() {
        // A closed pipe: nothing more to say.
        return ExitCode::from(2);
    }
    let threshold = |s: Severity| match args.fail_on {
        FailOn::Error => s == Severity::Error,
        FailOn::Warning => matches!(s, Severity::Error | Severity::Warning),
    };
    let fails = reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .any(|d| threshold(d.severity));
    if unreadable {
        ExitCode::from(2)
    } else if args.exit_zero || !fails {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
