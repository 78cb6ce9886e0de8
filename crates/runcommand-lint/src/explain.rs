//! `explain CODE` and `rules`: the catalogue, printed. Each writes its whole text at once and
//! ends quietly (status 0) when the reader has gone (`rules | head -1`).

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use runcommand_catalog::{CODES, Class, Evidence};

/// Writes `text` to standard output: a closed pipe is no error, any other write error is said
/// once on stderr (status 2).
fn emit(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => crate::output_failed(&e).unwrap_or(ExitCode::SUCCESS),
    }
}

/// Prints one code's documentation.
pub fn explain(code: &str) -> ExitCode {
    let Some(c) = runcommand_catalog::code(code) else {
        let names = CODES.iter().map(|c| c.code);
        match runcommand_rules::did_you_mean(code, names) {
            Some(s) => eprintln!("runcommand-lint: unknown code `{code}`; did you mean `{s}`?"),
            None => eprintln!(
                "runcommand-lint: unknown code `{code}`; `runcommand-lint rules` lists them"
            ),
        }
        return ExitCode::from(2);
    };
    let mut s = String::new();
    let _ = writeln!(s, "{}", c.code);
    let _ = writeln!(s, "{}", "=".repeat(c.code.len()));
    let _ = writeln!(s);
    match c.http_status {
        Some(st) => {
            let _ = writeln!(s, "HTTP status: {st}\nAPI message: {}", c.message);
        }
        None => {
            let _ = writeln!(s, "Project code (no HTTP status): {}", c.message);
        }
    }
    let _ = writeln!(s, "Default severity: {}", c.severity.as_str());
    let class = match c.class {
        Class::Request => "request (decided from the request alone)",
        Class::Inventory => "inventory (needs account state: instances, buckets, resource groups)",
        Class::Service => "service (only the live service knows)",
    };
    let _ = writeln!(s, "Class: {class}");
    if !c.parameters.is_empty() {
        let _ = writeln!(s, "Parameters: {}", c.parameters.join(", "));
    }
    let emitted = if runcommand_rules::rules::is_implemented(c.code) {
        "yes"
    } else {
        "not yet"
    };
    let _ = writeln!(s, "Emitted by this version: {emitted}");
    let _ = writeln!(s, "\n{}\n", c.description);
    if let Some(uri) = runcommand_catalog::help_uri(code) {
        let _ = writeln!(s, "{code}: see {uri}\n");
    }
    let _ = writeln!(s, "Offline: {}", c.offline);
    if !c.triggers.is_empty() {
        let _ = writeln!(
            s,
            "\nEvidence (a documented code whose trigger is only inferred is reported as a warning):\n"
        );
        for t in c.triggers {
            let grade = match t.evidence {
                Evidence::Documented => "documented",
                Evidence::Inferred => "inferred, warning",
                Evidence::Project => "project",
            };
            let _ = writeln!(s, "  - {} [{grade}]\n    source: {}", t.what, t.source);
        }
    }
    for (title, ex) in [
        ("Invalid example", c.invalid_example),
        ("Valid example", c.valid_example),
    ] {
        if let Some(ex) = ex {
            let _ = writeln!(s, "\n{title}:\n");
            for line in ex.trim_end().lines() {
                let _ = writeln!(s, "    {line}");
            }
        }
    }
    emit(&s)
}

/// Prints every code with its class, default severity, HTTP status, evidence and whether this
/// version emits it; `json`: the same as a JSON array, with each trigger's evidence and source.
pub fn rules(json: bool, class: Option<&str>, emitted_only: bool) -> ExitCode {
    // Sorted by code; filtered by class and by whether this version emits them.
    let mut codes: Vec<&runcommand_catalog::CodeInfo> = CODES
        .iter()
        .filter(|c| class.is_none_or(|k| c.class.as_str() == k))
        .filter(|c| !emitted_only || runcommand_rules::rules::is_implemented(c.code))
        .collect();
    codes.sort_by_key(|c| c.code);
    if json {
        let list: Vec<serde_json::Value> = codes
            .iter()
            .map(|c| {
                serde_json::json!({
                    "code": c.code,
                    "class": c.class.as_str(),
                    "severity": c.severity.as_str(),
                    "http_status": c.http_status,
                    "emitted": runcommand_rules::rules::is_implemented(c.code),
                    "evidence": c.evidence_summary(),
                    "message": c.message,
                    "triggers": c.triggers.iter().map(|t| serde_json::json!({
                        "what": t.what,
                        "evidence": t.evidence.as_str(),
                        "source": t.source,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let mut text = serde_json::to_string_pretty(&list).unwrap_or_default();
        text.push('\n');
        return emit(&text);
    }
    let width = codes.iter().map(|c| c.code.len()).max().unwrap_or(10);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:width$}  {:9}  {:8}  {:4}  {:10}  {:7}  summary",
        "code", "class", "severity", "http", "evidence", "emitted"
    );
    for c in codes {
        let status = c
            .http_status
            .map_or_else(|| "-".to_owned(), |st| st.to_string());
        let emitted = if runcommand_rules::rules::is_implemented(c.code) {
            "yes"
        } else {
            "-"
        };
        let _ = writeln!(
            s,
            "{:width$}  {:9}  {:8}  {:4}  {:10}  {emitted:7}  {}",
            c.code,
            c.class.as_str(),
            c.severity.as_str(),
            status,
            c.evidence_summary(),
            c.message,
        );
    }
    emit(&s)
}
