//! The language server of runcommand-lint (`runcommand-lint lsp`): the same findings as `check`
//! while typing, plus hover, completion and quick fixes, over LSP on standard input and output.
//!
//! - Position encoding: UTF-16 unless the client offers `utf-8` in
//!   `general.positionEncodings`. Text sync: incremental.
//! - Diagnostics: published on open (at once) and after changes (debounced: once the document
//!   has been quiet for `initializationOptions.debounceMs`, default 75 ms; `0` lints on every
//!   change), cleared on close. Same codes, messages, severities and ranges as `check`; `source`
//!   is `runcommand-lint`; `codeDescription.href` is [`document::code_url`]; `data` holds
//!   `help`, `httpStatus`, `parameter` and `document`.
//! - Which documents: those that look like a request ([`runcommand_rules::detect`]), and those
//!   whose path matches a glob of `initializationOptions.include` ([`glob`]). Others get an empty
//!   list, no hover and no code actions; completion is offered there only while the document is
//!   blank or mentions a RunCommand-specific key.
//! - Robustness: our own framing reader ([`transport`]) answers malformed messages with
//!   `ParseError`/`InvalidRequest` (id `null` when unknown) and keeps serving; a panic in a
//!   handler becomes an `InternalError` response.
//!
//! Entry points: [`run_stdio`] (the subcommand) and [`run`] (any byte streams, for tests).

#![forbid(unsafe_code)]

pub mod actions;
pub mod completion;
pub mod document;
pub mod glob;
pub mod hover;
mod server;
pub mod text;
pub mod transport;

pub use document::Document;
pub use hover::frequency_hover;
pub use server::{DEFAULT_DEBOUNCE, run};
pub use text::Encoding;

/// Runs the language server on standard input and output; the exit status follows the protocol
/// (0 after `shutdown` then `exit`, 1 when `exit` comes without `shutdown` or the input ends).
pub fn run_stdio() -> std::process::ExitCode {
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    match run(std::io::stdin(), out) {
        Ok(0) => std::process::ExitCode::SUCCESS,
        Ok(_) => std::process::ExitCode::from(1),
        Err(e) => {
            eprintln!("runcommand-lint lsp: {e}");
            std::process::ExitCode::from(1)
        }
    }
}
