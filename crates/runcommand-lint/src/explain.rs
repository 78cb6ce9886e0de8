//! `explain CODE` and `rules`: the catalogue, printed.

use std::process::ExitCode;

use runcommand_catalog::{CODES, Class};

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
    println!("{}", c.code);
    println!("{}", "=".repeat(c.code.len()));
    println!();
    match c.http_status {
        Some(s) => println!("HTTP status: {s}\nAPI message: {}", c.message),
        None => println!("Project code (no HTTP status): {}", c.message),
    }
    println!("Default severity: {}", c.severity.as_str());
    let class = match c.class {
        Class::Request => "request (decided from the request alone)",
        Class::Inventory => "inventory (needs account state: instances, buckets, resource groups)",
        Class::Service => "service (only the live service knows)",
    };
    println!("Class: {class}");
    if !c.parameters.is_empty() {
        println!("Parameters: {}", c.parameters.join(", "));
    }
    let emitted = if runcommand_rules::rules::is_implemented(c.code) {
        "yes"
    } else {
        "not yet"
    };
    println!("Emitted by this version: {emitted}");
    println!();
    println!("{}", c.description);
    println!();
    println!("Offline: {}", c.offline);
    if let Some(ex) = c.invalid_example {
        println!("\nInvalid example:\n");
        for line in ex.trim_end().lines() {
            println!("    {line}");
        }
    }
    if let Some(ex) = c.valid_example {
        println!("\nValid example:\n");
        for line in ex.trim_end().lines() {
            println!("    {line}");
        }
    }
    ExitCode::SUCCESS
}

/// Prints every code with its class, default severity and HTTP status.
pub fn rules() -> ExitCode {
    let width = CODES.iter().map(|c| c.code.len()).max().unwrap_or(10);
    println!(
        "{:width$}  {:9}  {:8}  {:4}  emitted",
        "code", "class", "severity", "http"
    );
    for c in CODES {
        let status = c
            .http_status
            .map_or_else(|| "-".to_owned(), |s| s.to_string());
        let emitted = if runcommand_rules::rules::is_implemented(c.code) {
            "yes"
        } else {
            "-"
        };
        println!(
            "{:width$}  {:9}  {:8}  {:4}  {emitted}",
            c.code,
            c.class.as_str(),
            c.severity.as_str(),
            status
        );
    }
    ExitCode::SUCCESS
}
