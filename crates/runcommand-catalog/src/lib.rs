//! The rule catalogue of runcommand-lint, compiled in from the data files under `rules/` at the
//! workspace root: every error code (documented API codes and project `Lint.*` codes) with its HTTP
//! status, message, description, class, default severity and examples; every request parameter
//! with its type, limits and enumeration; the numeric limits; the known regions.
//!
//! This is the single source of truth used by the engine, `explain`, `rules`, reporters and the
//! editor integration. Nothing here knows about documents or diagnostics.

#![forbid(unsafe_code)]

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The API would reject the request (or the file cannot be checked).
    Error,
    /// The request is accepted but probably does not do what was meant.
    Warning,
    /// Worth knowing; never fails a run.
    Info,
}

impl Severity {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// What it takes to decide a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// Decidable from the request alone (under decisions.md).
    Request,
    /// Needs account state (instances, buckets, resource groups).
    Inventory,
    /// Only the live service knows (quotas, permissions, faults).
    Service,
}

impl Class {
    /// The lowercase name used in `rules` and `explain`.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Request => "request",
            Class::Inventory => "inventory",
            Class::Service => "service",
        }
    }
}

/// How well a limit, pattern, enumeration or trigger is backed (decisions.md §2, the evidence
/// rule).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Evidence {
    /// Stated by the API reference, the official SDK model or API metadata, or the Cloud
    /// Assistant agent's code.
    Documented,
    /// Taken from a sibling API, another product's rule or example values: a documented code
    /// with only an inferred trigger is reported as a warning.
    Inferred,
    /// A setting of runcommand-lint itself (a file size cap, a nesting bound).
    Project,
}

impl Evidence {
    /// The lowercase name used in `rules`, `explain` and the JSON listing.
    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::Documented => "documented",
            Evidence::Inferred => "inferred",
            Evidence::Project => "project",
        }
    }
}

/// One condition that triggers a code, with its evidence.
#[derive(Debug)]
pub struct Trigger {
    /// What triggers the code.
    pub what: &'static str,
    /// Whether it is documented or inferred.
    pub evidence: Evidence,
    /// Where it comes from.
    pub source: &'static str,
}

/// One numeric limit with its source.
#[derive(Debug)]
pub struct LimitInfo {
    /// The constant's name in [`limits`].
    pub name: &'static str,
    /// Its value.
    pub value: i64,
    /// What it bounds.
    pub description: &'static str,
    /// Whether it is documented, inferred or the project's own.
    pub evidence: Evidence,
    /// Where it comes from.
    pub source: &'static str,
}

/// A code of the catalogue: its index in [`CODES`]. The constants in [`code`] name every one;
/// it compares, sorts and prints as its text.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Code(u16);

/// Where ShellCheck's codes start among [`Code`] values (catalogue codes are indexes below).
const SHELLCHECK_BASE: u16 = 0x8000;

impl Code {
    /// The code's text, e.g. `InvalidParam.Frequency` or `ShellCheck.SC2086`.
    pub fn as_str(self) -> &'static str {
        match self.shellcheck_number() {
            Some(n) => SHELLCHECK_NAMES
                .get(usize::from(n).saturating_sub(1000))
                .copied()
                .unwrap_or(""),
            None => self.info().code,
        }
    }

    /// The code's catalogue entry ([`SHELLCHECK`] for every ShellCheck code).
    pub fn info(self) -> &'static CodeInfo {
        if self.shellcheck_number().is_some() {
            return &SHELLCHECK;
        }
        CODES.get(usize::from(self.0)).unwrap_or(&UNKNOWN_CODE)
    }

    /// ShellCheck's code `SC<n>` (`n` from 1000 to 3999), as `ShellCheck.SC<n>`.
    pub fn shellcheck(n: u32) -> Option<Code> {
        let n = u16::try_from(n).ok().filter(|n| (1000..4000).contains(n))?;
        Some(Code(SHELLCHECK_BASE + n))
    }

    /// The number of a ShellCheck code (`2086` for `ShellCheck.SC2086`).
    pub fn shellcheck_number(self) -> Option<u16> {
        self.0.checked_sub(SHELLCHECK_BASE)
    }

    /// The code named `name`, if the catalogue has it (or it is a ShellCheck code).
    pub fn from_name(name: &str) -> Option<Code> {
        if let Some(n) = name.strip_prefix("ShellCheck.SC") {
            return n
                .parse::<u32>()
                .ok()
                .filter(|_| n.len() == 4)
                .and_then(Code::shellcheck);
        }
        CODES
            .iter()
            .position(|c| c.code == name)
            .and_then(|i| u16::try_from(i).ok())
            .map(Code)
    }
}

/// The entry of every `ShellCheck.SC<NNNN>` code: findings of ShellCheck on a RunShellScript
/// script (their severity is ShellCheck's).
pub static SHELLCHECK: CodeInfo = CodeInfo {
    code: "ShellCheck",
    http_status: None,
    class: Class::Request,
    severity: Severity::Warning,
    message: "A finding of ShellCheck on the script of a RunShellScript request.",
    description: "ShellCheck (https://www.shellcheck.net), run on `CommandContent` when `Type` is RunShellScript (Base64 content decoded), reports `ShellCheck.SC<NNNN>` at the place in the request file: its error, warning and info levels are kept, its style level is info. The shell is the script's shebang, or `sh` without one (the Cloud Assistant agent runs the script file with `sh -c`); a script whose shebang names another interpreter, or a request with `Launcher`, is not checked. `{{ }}` placeholders the API fills are replaced by same-length stand-ins first. ShellCheck is an external program: when it is not installed, these codes are not reported (see `[shellcheck]` in the configuration). Each code's explanation is on ShellCheck's wiki: https://www.shellcheck.net/wiki/SC<NNNN>.",
    parameters: &["CommandContent"],
    offline: "Checked when ShellCheck is installed.",
    invalid_example: None,
    valid_example: None,
    triggers: &[],
};

/// Whether `name` is a ShellCheck code (`ShellCheck.SC2086`) or the family (`ShellCheck`).
pub fn is_shellcheck_code(name: &str) -> bool {
    name == "ShellCheck" || Code::from_name(name).is_some_and(|c| c.shellcheck_number().is_some())
}

impl std::fmt::Debug for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Code {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<Code> for &str {
    fn eq(&self, other: &Code) -> bool {
        *self == other.as_str()
    }
}

impl std::ops::Deref for Code {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

/// One error code.
#[derive(Debug)]
pub struct CodeInfo {
    /// The code, e.g. `InvalidParam.Frequency` or `Lint.DuplicateKey`.
    pub code: &'static str,
    /// The HTTP status the API returns with it; `None` for `Lint.*` codes.
    pub http_status: Option<u16>,
    /// What it takes to decide it.
    pub class: Class,
    /// Default severity.
    pub severity: Severity,
    /// The reference's error message (for `Lint.*` codes, a one-line summary).
    pub message: &'static str,
    /// What it means and what triggers it.
    pub description: &'static str,
    /// The request parameters it concerns.
    pub parameters: &'static [&'static str],
    /// Whether and how it can be checked offline.
    pub offline: &'static str,
    /// A request document that gives exactly one finding with this code.
    pub invalid_example: Option<&'static str>,
    /// The same request corrected: no finding with this code.
    pub valid_example: Option<&'static str>,
    /// What triggers it, each with its evidence (`rules/evidence.toml`); empty for codes no
    /// rule emits and for `Lint.*` codes whose trigger is a project decision.
    pub triggers: &'static [Trigger],
}

impl CodeInfo {
    /// Whether this is a project code (`Lint.*`) rather than a documented API code.
    pub fn is_lint(&self) -> bool {
        self.code.starts_with("Lint.")
    }
}

/// The JSON/YAML shape a parameter takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamType {
    /// A string.
    String,
    /// An integer (a number or a decimal string).
    Integer,
    /// A boolean (a boolean or the strings true/false in any case).
    Boolean,
    /// A list of strings (a single string is a one-element list).
    StringList,
    /// A list of `{Key, Value}` mappings.
    TagList,
    /// A mapping (or a string holding a JSON object).
    Object,
}

impl ParamType {
    /// A short human name for messages.
    pub fn describe(self) -> &'static str {
        match self {
            ParamType::String => "a string",
            ParamType::Integer => "an integer",
            ParamType::Boolean => "a boolean",
            ParamType::StringList => "a list of strings",
            ParamType::TagList => "a list of {Key, Value} mappings",
            ParamType::Object => "a mapping",
        }
    }
}

/// One request parameter of RunCommand.
#[derive(Debug)]
pub struct ParamInfo {
    /// The name exactly as on the wire.
    pub name: &'static str,
    /// Its shape.
    pub ty: ParamType,
    /// Whether the request must give it.
    pub required: bool,
    /// What it means.
    pub description: &'static str,
    /// The default value, as text.
    pub default: Option<&'static str>,
    /// An example value, as text.
    pub example: Option<&'static str>,
    /// The maximum length in characters, where one is documented.
    pub max_chars: Option<u32>,
    /// The valid values, for enumerations.
    pub values: &'static [&'static str],
    /// Whether the enumeration is matched ignoring case.
    pub case_insensitive: bool,
    /// Whether the parameter is deprecated.
    pub deprecated: bool,
    /// The evidence for its enumeration and length, where it has one.
    pub evidence: Option<Evidence>,
    /// Where its enumeration and length come from, where it has one.
    pub source: Option<&'static str>,
}

impl CodeInfo {
    /// The code's evidence as one word: `documented` when every trigger is, `inferred` when
    /// none is, `mixed` otherwise; `project` for `Lint.*` codes without triggers and `-` for
    /// documented codes no rule emits.
    pub fn evidence_summary(&self) -> &'static str {
        let documented = self
            .triggers
            .iter()
            .filter(|t| t.evidence == Evidence::Documented)
            .count();
        match (self.triggers.len(), documented) {
            (0, _) if self.is_lint() => "project",
            (0, _) => "-",
            (n, d) if n == d => "documented",
            (_, 0) => "inferred",
            _ => "mixed",
        }
    }
}

/// A parameter of the catalogue: its index in [`PARAMETERS`]. The constants in [`param`] name
/// every one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ParamId(u8);

impl ParamId {
    /// The index in [`PARAMETERS`].
    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    /// The catalogue entry.
    pub fn info(self) -> &'static ParamInfo {
        // Every ParamId is a generated constant, an index of PARAMETERS.
        PARAMETERS.get(self.index()).unwrap_or(&UNKNOWN)
    }

    /// The name exactly as on the wire.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Every parameter, in the catalogue's order.
    pub fn all() -> impl Iterator<Item = ParamId> {
        (0..PARAMETERS.len())
            .filter_map(|i| u8::try_from(i).ok())
            .map(ParamId)
    }
}

/// What [`ParamId::info`] would give for an index outside the catalogue (never: the constants
/// are generated from it).
static UNKNOWN_CODE: CodeInfo = CodeInfo {
    code: "",
    http_status: None,
    class: Class::Request,
    severity: Severity::Error,
    message: "",
    description: "",
    parameters: &[],
    offline: "",
    invalid_example: None,
    valid_example: None,
    triggers: &[],
};

static UNKNOWN: ParamInfo = ParamInfo {
    name: "",
    ty: ParamType::String,
    required: false,
    description: "",
    default: None,
    example: None,
    max_chars: None,
    values: &[],
    case_insensitive: false,
    deprecated: false,
    evidence: None,
    source: None,
};

include!(concat!(env!("OUT_DIR"), "/catalog.rs"));

/// The page documenting every code (`docs/codes.md`, generated from the catalogue).
pub const CODES_URL: &str =
    "https://github.com/runcommand-lint/runcommand-lint/blob/main/docs/codes.md";

/// The documentation URL of a code: [`CODES_URL`] `#` the code in lowercase without its dots,
/// the anchor GitHub gives a `## InvalidParam.Frequency` heading
/// (`…/docs/codes.md#invalidparamfrequency`). Used by the LSP, SARIF and hovers.
pub fn code_url(code: &str) -> String {
    if let Some(u) = help_uri(code) {
        return u;
    }
    let anchor: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    format!("{CODES_URL}#{anchor}")
}

/// Looks a code up by its exact name.
pub fn code(name: &str) -> Option<&'static CodeInfo> {
    if is_shellcheck_code(name) {
        return Some(&SHELLCHECK);
    }
    CODES.iter().find(|c| c.code == name)
}

/// The page that explains a code outside the catalogue's own text: ShellCheck's wiki page of a
/// `ShellCheck.SC<NNNN>` code.
pub fn help_uri(name: &str) -> Option<String> {
    let n = name.strip_prefix("ShellCheck.")?;
    Code::from_name(name)?;
    Some(format!("https://www.shellcheck.net/wiki/{n}"))
}

/// Looks a parameter up by its exact (case-sensitive) name.
pub fn parameter(name: &str) -> Option<&'static ParamInfo> {
    PARAMETERS.get(parameter_index(name)?)
}

/// Whether a region ID is in the known list.
pub fn is_known_region(id: &str) -> bool {
    REGIONS.iter().any(|(r, _)| *r == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_code_has_a_status_and_lint_codes_none() {
        for c in CODES {
            assert_eq!(c.is_lint(), c.http_status.is_none(), "{}", c.code);
        }
    }

    #[test]
    fn the_reference_error_table_is_complete() {
        // The reference's error table has 71 rows.
        assert_eq!(CODES.iter().filter(|c| !c.is_lint()).count(), 71);
    }

    #[test]
    fn lookups_work() {
        assert_eq!(
            code("InvalidParam.Frequency").and_then(|c| c.http_status),
            Some(400)
        );
        assert!(code("Nope").is_none());
        assert_eq!(parameter("Type").map(|p| p.values.len()), Some(3));
        assert!(is_known_region("cn-hangzhou"));
        assert!(!is_known_region("cn-atlantis"));
    }

    #[test]
    fn parameter_index_finds_every_parameter_and_nothing_else() {
        for (i, p) in PARAMETERS.iter().enumerate() {
            assert_eq!(parameter_index(p.name), Some(i), "{}", p.name);
            // The same length and bytes elsewhere must not match.
            let mut other = p.name.to_owned().into_bytes();
            other.swap(1, 2);
            let other = String::from_utf8(other).unwrap_or_default();
            if other != p.name {
                assert_eq!(parameter_index(&other), None, "{other}");
            }
            assert_eq!(parameter_index(&p.name.to_lowercase()), None, "{}", p.name);
        }
        for n in [
            "",
            "T",
            "Ta",
            "Tags",
            "InstanceIds",
            "RegionID",
            "regionId",
            "Action",
        ] {
            assert_eq!(parameter_index(n), None, "{n}");
        }
        assert_eq!(PARAMETER_COUNT, PARAMETERS.len());
    }

    #[test]
    fn the_param_constants_name_their_parameters() {
        assert_eq!(param::REGION_ID.name(), "RegionId");
        assert_eq!(param::COMMAND_CONTENT.name(), "CommandContent");
        assert_eq!(param::OSS_OUTPUT_DELIVERY.name(), "OssOutputDelivery");
        assert_eq!(
            param::WINDOWS_PASSWORD_NAME.info().name,
            "WindowsPasswordName"
        );
        assert_eq!(
            parameter_index(param::INSTANCE_ID.name()),
            Some(param::INSTANCE_ID.index())
        );
    }

    #[test]
    fn enumerations_and_limits_are_consistent() {
        assert_eq!(limits::TIMEOUT_MAX, 86400);
        for p in PARAMETERS {
            if p.case_insensitive {
                assert!(!p.values.is_empty(), "{}", p.name);
            }
        }
    }
}
