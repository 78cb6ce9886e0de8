//! Compiles `rules/*.toml` (the catalogue, kept as data at the workspace root) into static Rust
//! tables. A malformed catalogue fails the build with a message naming the file and the entry, so a
//! bad catalogue can never reach a user at run time.

// A build script fails the build by panicking: that is the point here, the catalogue is not user
// input but the project's own data, checked before it can ship.
#![allow(clippy::panic, clippy::expect_used, clippy::unwrap_used)]
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodesFile {
    code: Vec<Code>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Code {
    code: String,
    http_status: Option<u16>,
    class: String,
    severity: String,
    message: String,
    description: String,
    #[serde(default)]
    parameters: Vec<String>,
    offline: String,
    #[serde(default)]
    invalid: Option<String>,
    #[serde(default)]
    valid: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParamsFile {
    parameter: Vec<Param>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Param {
    name: String,
    #[serde(rename = "type")]
    ty: String,
    #[serde(default)]
    required: bool,
    description: String,
    #[serde(default)]
    default: Option<String>,
    #[serde(default)]
    example: Option<String>,
    #[serde(default)]
    max_chars: Option<u32>,
    #[serde(default)]
    values: Vec<String>,
    #[serde(default)]
    case_insensitive: bool,
    #[serde(default)]
    deprecated: bool,
    #[serde(default)]
    evidence: Option<String>,
    #[serde(default)]
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LimitsFile {
    limit: Vec<Limit>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Limit {
    name: String,
    value: i64,
    evidence: String,
    source: String,
    description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EvidenceFile {
    code: Vec<CodeEvidence>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeEvidence {
    code: String,
    trigger: Vec<TriggerEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TriggerEntry {
    what: String,
    evidence: String,
    source: String,
}

fn evidence(s: &str, ctx: &str, project: bool) -> &'static str {
    match s {
        "documented" => "Evidence::Documented",
        "inferred" => "Evidence::Inferred",
        "project" if project => "Evidence::Project",
        other => panic!("{ctx}: unknown evidence `{other}`"),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionsFile {
    region: Vec<Region>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Region {
    id: String,
    name: String,
}

fn read<T: for<'de> Deserialize<'de>>(path: &Path) -> T {
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn severity(s: &str, ctx: &str) -> &'static str {
    match s {
        "error" => "Severity::Error",
        "warning" => "Severity::Warning",
        "info" => "Severity::Info",
        other => panic!("{ctx}: unknown severity `{other}`"),
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let rules = manifest.join("../../rules");
    let codes: CodesFile = read(&rules.join("codes.toml"));
    let params: ParamsFile = read(&rules.join("parameters.toml"));
    let limits: LimitsFile = read(&rules.join("limits.toml"));
    let regions: RegionsFile = read(&rules.join("regions.toml"));
    let evidence_file: EvidenceFile = read(&rules.join("evidence.toml"));
    let mut triggers: std::collections::BTreeMap<&str, &[TriggerEntry]> =
        std::collections::BTreeMap::new();
    for e in &evidence_file.code {
        let ctx = format!("rules/evidence.toml: code `{}`", e.code);
        assert!(
            codes.code.iter().any(|c| c.code == e.code),
            "{ctx}: not in rules/codes.toml"
        );
        assert!(!e.trigger.is_empty(), "{ctx}: no trigger");
        assert!(
            triggers.insert(e.code.as_str(), &e.trigger).is_none(),
            "{ctx}: given twice"
        );
    }

    let mut out = String::new();
    let mut seen = BTreeSet::new();
    out.push_str("/// Every code, documented API codes first (as in the catalogue file), then `Lint.*` codes.\npub static CODES: &[CodeInfo] = &[\n");
    for c in &codes.code {
        let ctx = format!("rules/codes.toml: code `{}`", c.code);
        assert!(seen.insert(c.code.clone()), "{ctx}: given twice");
        let is_lint = c.code.starts_with("Lint.");
        assert!(
            is_lint == c.http_status.is_none(),
            "{ctx}: documented codes have an HTTP status, Lint.* codes have none"
        );
        let class = match c.class.as_str() {
            "request" => "Class::Request",
            "inventory" => "Class::Inventory",
            "service" => "Class::Service",
            other => panic!("{ctx}: unknown class `{other}`"),
        };
        if !is_lint {
            assert!(c.severity == "error", "{ctx}: documented codes are errors");
        }
        if c.class == "request" && !is_lint {
            assert!(
                c.invalid.is_some() && c.valid.is_some(),
                "{ctx}: a request-class code needs an invalid and a valid example"
            );
        }
        let status = match c.http_status {
            Some(s) => format!("Some({s})"),
            None => "None".into(),
        };
        let opt = |o: &Option<String>| match o {
            Some(s) => format!("Some({s:?})"),
            None => "None".into(),
        };
        let mut list = String::new();
        for t in triggers.get(c.code.as_str()).copied().unwrap_or(&[]) {
            write!(
                list,
                "Trigger {{ what: {:?}, evidence: {}, source: {:?} }}, ",
                t.what,
                evidence(&t.evidence, &ctx, false),
                t.source
            )
            .ok();
        }
        writeln!(
            out,
            "    CodeInfo {{ code: {:?}, http_status: {status}, class: {class}, severity: {}, message: {:?}, description: {:?}, parameters: &{:?}, offline: {:?}, invalid_example: {}, valid_example: {}, triggers: &[{list}] }},",
            c.code,
            severity(&c.severity, &ctx),
            c.message,
            c.description,
            c.parameters,
            c.offline,
            opt(&c.invalid),
            opt(&c.valid),
        )
        .ok();
    }
    out.push_str("];\n\n");
    code_constants(
        &mut out,
        &codes
            .code
            .iter()
            .map(|c| c.code.as_str())
            .collect::<Vec<_>>(),
    );

    out.push_str("/// Every request parameter of RunCommand, in the reference's order.\npub static PARAMETERS: &[ParamInfo] = &[\n");
    let mut pseen = BTreeSet::new();
    for p in &params.parameter {
        let ctx = format!("rules/parameters.toml: parameter `{}`", p.name);
        assert!(pseen.insert(p.name.clone()), "{ctx}: given twice");
        let ty = match p.ty.as_str() {
            "string" => "ParamType::String",
            "integer" => "ParamType::Integer",
            "boolean" => "ParamType::Boolean",
            "string-list" => "ParamType::StringList",
            "tag-list" => "ParamType::TagList",
            "object" => "ParamType::Object",
            other => panic!("{ctx}: unknown type `{other}`"),
        };
        let opt = |o: &Option<String>| match o {
            Some(s) => format!("Some({s:?})"),
            None => "None".into(),
        };
        let max = match p.max_chars {
            Some(m) => format!("Some({m})"),
            None => "None".into(),
        };
        if !p.values.is_empty() || p.max_chars.is_some() {
            assert!(
                p.evidence.is_some() && p.source.is_some(),
                "{ctx}: an enumeration or a length needs its `evidence` and `source`"
            );
        }
        let ev = match &p.evidence {
            Some(e) => format!("Some({})", evidence(e, &ctx, false)),
            None => "None".into(),
        };
        writeln!(
            out,
            "    ParamInfo {{ name: {:?}, ty: {ty}, required: {}, description: {:?}, default: {}, example: {}, max_chars: {max}, values: &{:?}, case_insensitive: {}, deprecated: {}, evidence: {ev}, source: {} }},",
            p.name,
            p.required,
            p.description,
            opt(&p.default),
            opt(&p.example),
            p.values,
            p.case_insensitive,
            p.deprecated,
            opt(&p.source),
        )
        .ok();
    }
    out.push_str("];\n\n");

    parameter_lookup(
        &mut out,
        &params
            .parameter
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
    );

    out.push_str("/// Numeric limits, each documented in `rules/limits.toml`.\npub mod limits {\n");
    let mut lseen = BTreeSet::new();
    for l in &limits.limit {
        assert!(
            lseen.insert(l.name.clone()),
            "rules/limits.toml: limit `{}` given twice",
            l.name
        );
        assert!(
            l.name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'),
            "rules/limits.toml: limit name `{}` must be UPPER_SNAKE_CASE",
            l.name
        );
        writeln!(
            out,
            "    #[doc = {:?}]\n    pub const {}: i64 = {};",
            l.description, l.name, l.value
        )
        .ok();
    }
    out.push_str("}\n\n");
    out.push_str("/// Every numeric limit with its evidence and source.\npub static LIMITS: &[LimitInfo] = &[\n");
    for l in &limits.limit {
        let ctx = format!("rules/limits.toml: limit `{}`", l.name);
        writeln!(
            out,
            "    LimitInfo {{ name: {:?}, value: {}, description: {:?}, evidence: {}, source: {:?} }},",
            l.name,
            l.value,
            l.description,
            evidence(&l.evidence, &ctx, true),
            l.source
        )
        .ok();
    }
    out.push_str("];\n\n");

    out.push_str(
        "/// Known region IDs with their names.\npub static REGIONS: &[(&str, &str)] = &[\n",
    );
    for r in &regions.region {
        writeln!(out, "    ({:?}, {:?}),", r.id, r.name).ok();
    }
    out.push_str("];\n");

    // The names of ShellCheck's codes (SC1000 to SC3999), each `ShellCheck.SC<NNNN>`: a finding
    // of ShellCheck carries one (see `Code::shellcheck`).
    out.push_str("/// `ShellCheck.SC1000` .. `ShellCheck.SC3999`.\npub static SHELLCHECK_NAMES: [&str; 3000] = [\n");
    for n in 1000..4000 {
        out.push_str(&format!("    \"ShellCheck.SC{n}\",\n"));
    }
    out.push_str("];\n");

    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("catalog.rs");
    std::fs::write(&dest, out).expect("write catalog.rs");
}

/// Writes `code::NAME` constants: every code as a [`Code`], named in upper snake case
/// (`InvalidParam.Frequency` is `code::INVALID_PARAM_FREQUENCY`), so a misspelt code does not
/// compile.
fn code_constants(out: &mut String, names: &[&str]) {
    out.push_str("/// Every code as a [`Code`] constant (`InvalidParam.Frequency` is\n/// `code::INVALID_PARAM_FREQUENCY`): what findings carry, checked by the compiler.\npub mod code {\n    use super::Code;\n");
    let mut seen = BTreeSet::new();
    for (i, n) in names.iter().enumerate() {
        let mut constant = String::new();
        let mut prev_lower = false;
        for c in n.chars() {
            if c == '.' || c == '-' {
                constant.push('_');
                prev_lower = false;
                continue;
            }
            if c.is_ascii_uppercase() && prev_lower {
                constant.push('_');
            }
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            constant.push(c.to_ascii_uppercase());
        }
        assert!(
            seen.insert(constant.clone()),
            "rules/codes.toml: two codes give the constant {constant}"
        );
        writeln!(
            out,
            "    #[doc = \"`{n}`\"]\n    pub const {constant}: Code = Code({i});"
        )
        .ok();
    }
    out.push_str("}\n\n");
}

/// Writes `parameter_index`, the index in `PARAMETERS` of a name. Rules look parameters up by
/// name dozens of times per request, so this is no scan of the list: the name's length and two
/// of its bytes (at positions found here, one from the start and one from the end, that tell
/// every parameter apart) select the one candidate, and one comparison confirms it. When no such
/// pair of positions exists the function is a plain `match` on the name.
fn parameter_lookup(out: &mut String, names: &[&str]) {
    use std::fmt::Write as _;
    let count = names.len();
    writeln!(
        out,
        "/// How many parameters [`PARAMETERS`] holds.\npub const PARAMETER_COUNT: usize = {count};\n"
    )
    .ok();
    assert!(
        count <= usize::from(u8::MAX),
        "rules/parameters.toml: too many parameters"
    );
    out.push_str(
        "/// Every parameter as a [`ParamId`], named in upper snake case (`RegionId` is \n/// `param::REGION_ID`): what the rules look parameters up by, checked by the compiler.\npub mod param {\n    use super::ParamId;\n",
    );
    for (i, n) in names.iter().enumerate() {
        let mut constant = String::new();
        for (j, c) in n.chars().enumerate() {
            if c.is_ascii_uppercase() && j > 0 {
                constant.push('_');
            }
            constant.push(c.to_ascii_uppercase());
        }
        writeln!(
            out,
            "    #[doc = \"`{n}`\"]\n    pub const {constant}: ParamId = ParamId({i});"
        )
        .ok();
    }
    out.push_str("}\n\n");
    let key = |n: &str, from_start: usize, from_end: usize| -> Option<(usize, u8, u8)> {
        let b = n.as_bytes();
        let x = *b.get(from_start)?;
        let y = *b.get(b.len().checked_sub(from_end)?)?;
        Some((b.len(), x, y))
    };
    let positions = (0..6usize)
        .flat_map(|s| (1..7usize).map(move |e| (s, e)))
        .find(|&(s, e)| {
            let keys: Option<BTreeSet<_>> = names.iter().map(|n| key(n, s, e)).collect();
            keys.is_some_and(|k| k.len() == names.len())
        });
    out.push_str(
        "/// The index in [`PARAMETERS`] of the parameter named `name` (exact, case-sensitive).\npub fn parameter_index(name: &str) -> Option<usize> {\n",
    );
    match positions {
        Some((s, e)) => {
            let first = if s == 0 {
                "b.first()".to_owned()
            } else {
                format!("b.get({s})")
            };
            writeln!(
                out,
                "    let b = name.as_bytes();\n    let x = *{first}?;\n    let y = *b.get(b.len().checked_sub({e})?)?;\n    let i = match (b.len(), x, y) {{"
            )
            .ok();
            for (i, n) in names.iter().enumerate() {
                if let Some((len, x, y)) = key(n, s, e) {
                    writeln!(out, "        ({len}, {x}, {y}) => {i}, // {n}").ok();
                }
            }
            out.push_str(
                "        _ => return None,\n    };\n    (PARAMETERS.get(i)?.name == name).then_some(i)\n}\n\n",
            );
        }
        None => {
            out.push_str("    match name {\n");
            for (i, n) in names.iter().enumerate() {
                writeln!(out, "        {n:?} => Some({i}),").ok();
            }
            out.push_str("        _ => None,\n    }\n}\n\n");
        }
    }
}
