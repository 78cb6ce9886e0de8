//! The rules: one small module per purpose. Each module's doc comment says what it checks and
//! which choices it makes where the sources are silent; the catalogue (`rules/codes.toml`) holds
//! each code's user-facing documentation (`runcommand-lint explain CODE`).

use runcommand_catalog::{Code, code};
use std::ops::Range;

use runcommand_document::source_map;

use crate::diagnostic::Diagnostic;
use crate::request::{Request, Text};

mod client_token;
mod containers;
mod content;
mod control_chars;
mod enums;
pub mod frequency;
mod instances;
mod lengths;
mod oss;
mod parameters;
pub(crate) mod region;
mod required;
mod resource_group;
mod schedule_mode;
pub(crate) mod script_traps;
pub(crate) mod secrets;
mod shellcheck;
pub use shellcheck::ScriptJob;
mod tags;
mod templates;
mod timeout;
mod windows_password;

/// One rule unit.
pub struct Rule {
    /// A short kebab-case name.
    pub name: &'static str,
    /// The codes it can emit.
    pub codes: &'static [runcommand_catalog::Code],
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
    shellcheck::RULE,
    script_traps::RULE,
    oss::RULE,
    containers::RULE,
    secrets::RULE,
];

/// Codes emitted outside the per-request rules: by the loader, the request view and the engine.
pub static STRUCTURAL_CODES: &[Code] = &[
    code::LINT_SYNTAX,
    code::LINT_ENCODING,
    code::LINT_FILE_TOO_LARGE,
    code::LINT_IO,
    code::LINT_INTERNAL_ERROR,
    code::LINT_EMPTY_DOCUMENT,
    code::LINT_DUPLICATE_KEY,
    code::PARAMETER_KEY_DUPLICATE,
    code::LINT_UNKNOWN_PARAMETER,
    code::LINT_TYPE_MISMATCH,
    code::LINT_MIXED_PARAMETER_FORMS,
    code::LINT_UNSUPPORTED_ACTION,
    code::LINT_NULL_VALUE,
    // The cross-request pass (`cross`: `idempotency`, `saved_command`).
    code::IDEMPOTENT_PARAMETER_MISMATCH,
    code::LINT_DUPLICATE_SAVED_COMMAND,
    // Suppression comments (`suppression`).
    code::LINT_INVALID_SUPPRESSION,
    code::LINT_UNUSED_SUPPRESSION,
    // OOS templates (`oos`).
    code::LINT_OOS_PARAMETER_COLLISION,
    code::LINT_OOS_UNKNOWN_PARAMETER,
    // ROS templates (`ros`).
    code::LINT_ROS_UNKNOWN_REFERENCE,
    code::LINT_ROS_SECRET_WITHOUT_NO_ECHO,
    code::LINT_ROS_UNSUPPORTED_VALUE,
    code::LINT_ROS_MISSING_SUB,
    // The engine's cap on the findings of one file (`Engine::cap`).
    code::LINT_TOO_MANY_FINDINGS,
];

/// Whether any part of the engine can emit `code` today.
pub fn is_implemented(code: &str) -> bool {
    runcommand_catalog::is_shellcheck_code(code)
        || STRUCTURAL_CODES.iter().any(|c| *c == code)
        || RULES.iter().any(|r| r.codes.iter().any(|c| *c == code))
}

/// Maps a byte range of a string value to the file (through the scalar's source map).
pub(crate) fn map(req: &Request<'_>, text: &Text<'_>, range: Range<usize>) -> Range<usize> {
    match req.composed(text.node) {
        Some(map) => map.map(range),
        None => source_map::map_range(req.text, text.node, range),
    }
}
