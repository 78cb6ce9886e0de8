//! The rules: one small module per purpose. Each module's doc comment says what it checks and
//! which choices it makes where the sources are silent; the catalogue (`rules/codes.toml`) holds
//! each code's user-facing documentation (`runcommand-lint explain CODE`).

use std::ops::Range;

use runcommand_document::source_map;

use crate::diagnostic::Diagnostic;
use crate::request::{Request, Text};

mod client_token;
mod containers;
pub(crate) mod content;
mod control_chars;
mod enums;
pub mod frequency;
mod instances;
mod lengths;
mod oss;
pub(crate) mod parameters;
pub(crate) mod region;
mod required;
mod resource_group;
mod schedule_mode;
mod secrets;
mod tags;
mod templates;
mod timeout;
mod windows_password;

/// One rule unit.
pub struct Rule {
    /// A short kebab-case name.
    pub name: &'static str,
    /// The codes it can emit.
    pub codes: &'static [&'static str],
    /// Checks one request, in the context of its file (the time, the configuration's regions).
    pub check: fn(&Request<'_>, &crate::Context<'_>, &mut Vec<Diagnostic>),
}

/// Every per-request rule, in a fixed order (output is sorted anyway).
pub static RULES: &[Rule] = &[
    required::RULE,
    enums::RULE,
    lengths::RULE,
    control_chars::RULE,
    timeout::RULE,
    content::RULE,
    windows_password::RULE,
    instances::RULE,
    tags::RULE,
    client_token::RULE,
    region::RULE,
    resource_group::RULE,
    schedule_mode::RULE,
    frequency::RULE,
    templates::RULE,
    parameters::RULE,
    oss::RULE,
    containers::RULE,
    secrets::RULE,
];

/// Codes emitted outside the per-request rules: by the loader, the request view and the engine.
pub static STRUCTURAL_CODES: &[&str] = &[
    "Lint.Syntax",
    "Lint.Encoding",
    "Lint.FileTooLarge",
    "Lint.Io",
    "Lint.InternalError",
    "Lint.EmptyDocument",
    "Lint.DuplicateKey",
    "ParameterKey.Duplicate",
    "Lint.UnknownParameter",
    "Lint.TypeMismatch",
    "Lint.MixedParameterForms",
    "Lint.UnsupportedAction",
    "Lint.NullValue",
    // The cross-request pass (`cross`: `idempotency`, `saved_command`).
    "IdempotentParameterMismatch",
    "Lint.DuplicateSavedCommand",
    // Suppression comments (`suppression`).
    "Lint.InvalidSuppression",
    "Lint.UnusedSuppression",
    // OOS templates (`oos`).
    "Lint.OosParameterCollision",
    "Lint.OosUnknownParameter",
];

/// Whether any part of the engine can emit `code` today.
pub fn is_implemented(code: &str) -> bool {
    STRUCTURAL_CODES.contains(&code) || RULES.iter().any(|r| r.codes.contains(&code))
}

/// Maps a byte range of a string value to the file (through the scalar's source map).
pub(crate) fn map(req: &Request<'_>, text: &Text<'_>, range: Range<usize>) -> Range<usize> {
    source_map::map_range(req.text, text.node, range)
}
