//! The configuration file, `runcommand-lint.toml`: discovery, parsing, validation, and the
//! questions the engine (is this code reported for this file, at which severity, which extra
//! regions) and the walk (is this path included or excluded) ask of it. Every front end (the
//! CLI, the language server, the Python package) resolves configurations here, the same way.
//!
//! Discovery: for each checked file, the nearest `runcommand-lint.toml` in its directory or one of
//! its parents (up to the filesystem root); lookups are cached per directory. `--config PATH`
//! uses one file for everything; `--no-config` uses none. Globs are relative to the directory of
//! the configuration file that applies.
//!
//! Keys (all optional; unknown keys are errors):
//! - `select = [codes or prefixes]`: only these codes are reported (default: all). A prefix is a
//!   code's leading dotted part (`Lint`, `InvalidParam`), matched at a dot.
//! - `ignore = [codes or prefixes]`: never reported; wins over `select`.
//! - `[severity]`: code or prefix → `"error" | "warning" | "info"`; the longest matching key wins.
//! - `[per-path-ignores]`: glob → codes or prefixes ignored in the matching files.
//! - `include = [globs]`: a directory walk checks only `.yaml`/`.yml`/`.json` files matching one.
//! - `exclude = [globs]`: a directory walk skips matching files and directories (and so do paths
//!   named on the command line with `--force-exclude`).
//! - `extra-regions = [region IDs]`: regions known besides the built-in list.
//!
//! Globs (`globset` syntax, `*` does not cross `/`): one without `/` matches a file or directory
//! name at any depth (`*.draft.yaml`, `node_modules`); one with `/` matches the path from the
//! configuration file's directory (`legacy/**`, `requests/old`); a pattern matching a directory
//! matches everything under it.
//!
//! Any error (TOML syntax, unknown key, unknown code, bad severity, bad glob, bad region ID) is
//! reported with the file, line and column, and the run stops with exit status 2.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use globset::{GlobBuilder, GlobMatcher};
use runcommand_catalog::Severity;
use serde::Deserialize;
use toml::Spanned;

/// The configuration file's name.
pub const FILE_NAME: &str = "runcommand-lint.toml";

/// A configuration file that cannot be used.
#[derive(Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line and column (characters) of the problem, when known.
    pub position: Option<(u32, u32)>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, column)) => write!(
                f,
                "{}:{line}:{column}: {}",
                self.path.display(),
                self.message
            ),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum SeverityName {
    Error,
    Warning,
    Info,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, SeverityName>,
    #[serde(default)]
    per_path_ignores: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    include: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    extra_regions: Vec<Spanned<String>>,
    shellcheck: Option<RawShellCheck>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Enabled {
    Bool(bool),
    Word(Spanned<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawShellCheck {
    enabled: Option<Enabled>,
    path: Option<String>,
    severity: Option<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    shell: Option<Spanned<String>>,
}

/// Whether ShellCheck runs (`[shellcheck] enabled`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ShellCheckMode {
    /// When it is installed (the default).
    #[default]
    Auto,
    /// Always: a missing ShellCheck is an error of the run.
    On,
    /// Never.
    Off,
}

/// The `[shellcheck]` table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShellCheckConfig {
    /// `enabled`: `"auto"` (default), `true`, `false`.
    pub mode: ShellCheckMode,
    /// `path`: the program (a path, relative to the configuration's directory, or a name on
    /// `PATH`).
    pub path: Option<PathBuf>,
    /// `severity`: the least ShellCheck level reported (`error`, `warning`, `info`, `style`;
    /// default `style`: all).
    pub severity: Option<String>,
    /// `exclude`: ShellCheck codes never run for (`SC2086` or `2086`), as numbers.
    pub exclude: Vec<u32>,
    /// `shell`: the shell of a script without a shebang (default `sh`, as the agent runs it).
    pub shell: Option<String>,
}

impl ShellCheckConfig {
    /// No `[shellcheck]` table.
    pub const DEFAULT: ShellCheckConfig = ShellCheckConfig {
        mode: ShellCheckMode::Auto,
        path: None,
        severity: None,
        exclude: Vec::new(),
        shell: None,
    };
}

/// A glob of the configuration.
#[derive(Debug)]
struct Pattern {
    matcher: GlobMatcher,
    /// Matched against paths from the configuration's directory (it has a `/`), else against
    /// each name.
    anchored: bool,
}

impl Pattern {
    /// Whether the pattern matches `rel` (a path relative to the configuration's directory) or
    /// one of its parent directories.
    fn matches(&self, rel: &Path) -> bool {
        if self.anchored {
            rel.ancestors()
                .filter(|a| !a.as_os_str().is_empty())
                .any(|a| self.matcher.is_match(a))
        } else {
            rel.components().any(|c| match c {
                Component::Normal(name) => self.matcher.is_match(name),
                _ => false,
            })
        }
    }
}

/// One configuration file, validated.
#[derive(Debug)]
pub struct Config {
    /// The file.
    pub path: PathBuf,
    /// Its directory (globs are relative to it).
    pub dir: PathBuf,
    select: Option<Vec<String>>,
    ignore: Vec<String>,
    severity: Vec<(String, Severity)>,
    per_path_ignores: Vec<(Pattern, Vec<String>)>,
    include: Option<Vec<Pattern>>,
    exclude: Vec<Pattern>,
    /// Region IDs known besides the catalogue's (`extra-regions`).
    pub extra_regions: Vec<String>,
    /// The `[shellcheck]` table.
    pub shellcheck: ShellCheckConfig,
}

/// Checks codes or code prefixes given outside a file (`--select`, `--ignore`): `Err` names the
/// first that is none, with "did you mean".
pub fn check_codes(list: &[String]) -> Result<(), String> {
    for v in list {
        let v = v.trim();
        if !v.is_empty()
            && (runcommand_catalog::CODES
                .iter()
                .any(|c| code_matches(v, c.code))
                || runcommand_catalog::is_shellcheck_code(v))
        {
            continue;
        }
        let hint = match did_you_mean(v, runcommand_catalog::CODES.iter().map(|c| c.code)) {
            Some(s) => format!("; did you mean `{s}`?"),
            None => "; `runcommand-lint rules` lists the codes".to_owned(),
        };
        return Err(format!("`{v}` is not a code or a code prefix{hint}"));
    }
    Ok(())
}

/// The closest code to a misspelt one (as the engine's "did you mean").
fn did_you_mean<'c>(
    word: &str,
    candidates: impl Iterator<Item = &'c str> + Clone,
) -> Option<&'c str> {
    let max = usize::try_from(runcommand_catalog::limits::SUGGESTION_MAX_DISTANCE).unwrap_or(3);
    runcommand_suggest::did_you_mean(word, candidates, max)
}

/// Whether `pattern` (a code or a dotted prefix) matches `code`.
pub fn code_matches(pattern: &str, code: &str) -> bool {
    code.strip_prefix(pattern)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

impl Config {
    /// Reads and validates a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: path.to_owned(),
            position: None,
            message: format!("cannot read the configuration: {e}"),
        })?;
        let dir = absolute(path)
            .parent()
            .map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
        Config::parse(&text, path, dir)
    }

    /// Parses and validates the text of a configuration file at `path` in `dir`.
    pub fn parse(text: &str, path: &Path, dir: PathBuf) -> Result<Config, ConfigError> {
        let index = runcommand_document::LineIndex::new(text);
        let error = |span: Option<Range<usize>>, message: String| ConfigError {
            path: path.to_owned(),
            position: span.map(|s| {
                let lc = index.line_col(text, s.start);
                (lc.line, lc.column)
            }),
            message,
        };
        let raw: Raw = toml::from_str(text).map_err(|e| error(e.span(), e.message().to_owned()))?;
        let code = |s: &Spanned<String>| -> Result<String, ConfigError> {
            let v = s.get_ref().trim();
            let known = runcommand_catalog::CODES
                .iter()
                .any(|c| code_matches(v, c.code))
                || runcommand_catalog::is_shellcheck_code(v);
            if known && !v.is_empty() {
                return Ok(v.to_owned());
            }
            let names = runcommand_catalog::CODES.iter().map(|c| c.code);
            let hint = match did_you_mean(v, names) {
                Some(s) => format!("; did you mean `{s}`?"),
                None => "; `runcommand-lint rules` lists the codes".to_owned(),
            };
            Err(error(
                Some(s.span()),
                format!("`{v}` is not a code or a code prefix{hint}"),
            ))
        };
        let codes = |list: &[Spanned<String>]| list.iter().map(code).collect::<Result<Vec<_>, _>>();
        let glob = |s: &Spanned<String>| -> Result<Pattern, ConfigError> {
            let mut t = s.get_ref().trim();
            t = t.strip_prefix("./").unwrap_or(t);
            let t = t.trim_end_matches('/');
            let anchored = t.contains('/');
            let t = t.trim_start_matches('/');
            if t.is_empty() {
                return Err(error(Some(s.span()), "an empty glob".to_owned()));
            }
            let g = GlobBuilder::new(t)
                .literal_separator(true)
                .build()
                .map_err(|e| {
                    error(
                        Some(s.span()),
                        format!("invalid glob `{}`: {}", s.get_ref(), e.kind()),
                    )
                })?;
            Ok(Pattern {
                matcher: g.compile_matcher(),
                anchored,
            })
        };
        let globs = |list: &[Spanned<String>]| list.iter().map(glob).collect::<Result<Vec<_>, _>>();
        let mut severity = Vec::new();
        for (k, v) in &raw.severity {
            let sev = match v {
                SeverityName::Error => Severity::Error,
                SeverityName::Warning => Severity::Warning,
                SeverityName::Info => Severity::Info,
            };
            severity.push((code(k)?, sev));
        }
        // Longest (most specific) first.
        severity.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
        let mut per_path_ignores = Vec::new();
        for (k, v) in &raw.per_path_ignores {
            per_path_ignores.push((glob(k)?, codes(v)?));
        }
        let mut extra_regions = Vec::new();
        for r in &raw.extra_regions {
            let v = r.get_ref();
            let ok = !v.is_empty()
                && v.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !ok {
                return Err(error(
                    Some(r.span()),
                    format!(
                        "`{v}` is not a region ID (lowercase letters, digits and `-`, like `cn-hangzhou`)"
                    ),
                ));
            }
            extra_regions.push(v.clone());
        }
        let shellcheck = match &raw.shellcheck {
            None => ShellCheckConfig::default(),
            Some(r) => {
                let mode = match &r.enabled {
                    None => ShellCheckMode::Auto,
                    Some(Enabled::Bool(true)) => ShellCheckMode::On,
                    Some(Enabled::Bool(false)) => ShellCheckMode::Off,
                    Some(Enabled::Word(w)) if w.get_ref() == "auto" => ShellCheckMode::Auto,
                    Some(Enabled::Word(w)) => {
                        return Err(error(
                            Some(w.span()),
                            format!(
                                "`enabled` is \"auto\", true or false, not `{}`",
                                w.get_ref()
                            ),
                        ));
                    }
                };
                if let Some(sev) = &r.severity
                    && !["error", "warning", "info", "style"].contains(&sev.get_ref().as_str())
                {
                    return Err(error(
                        Some(sev.span()),
                        format!(
                            "`{}` is no ShellCheck level (error, warning, info, style)",
                            sev.get_ref()
                        ),
                    ));
                }
                if let Some(sh) = &r.shell
                    && !["sh", "bash", "dash", "ksh", "busybox"].contains(&sh.get_ref().as_str())
                {
                    return Err(error(
                        Some(sh.span()),
                        format!(
                            "`{}` is no shell ShellCheck checks (sh, bash, dash, ksh, busybox)",
                            sh.get_ref()
                        ),
                    ));
                }
                let mut exclude = Vec::new();
                for e in &r.exclude {
                    let t = e.get_ref().trim();
                    let n = t.strip_prefix("SC").unwrap_or(t);
                    match n.parse::<u32>() {
                        Ok(n) if (1000..4000).contains(&n) => exclude.push(n),
                        _ => {
                            return Err(error(
                                Some(e.span()),
                                format!("`{t}` is no ShellCheck code (SC1000 to SC3999)"),
                            ));
                        }
                    }
                }
                ShellCheckConfig {
                    mode,
                    path: r.path.as_ref().map(|p| {
                        let p = PathBuf::from(p);
                        if p.components().count() > 1 && p.is_relative() {
                            dir.join(p)
                        } else {
                            p
                        }
                    }),
                    severity: r.severity.as_ref().map(|s| s.get_ref().clone()),
                    exclude,
                    shell: r.shell.as_ref().map(|s| s.get_ref().clone()),
                }
            }
        };
        Ok(Config {
            path: path.to_owned(),
            dir,
            shellcheck,
            select: raw.select.as_deref().map(codes).transpose()?,
            ignore: codes(&raw.ignore)?,
            severity,
            per_path_ignores,
            include: raw.include.as_deref().map(globs).transpose()?,
            exclude: globs(&raw.exclude)?,
            extra_regions,
        })
    }

    /// `path` relative to the configuration's directory (as is when outside it).
    pub fn relative<'p>(&self, path: &'p Path) -> &'p Path {
        path.strip_prefix(&self.dir).unwrap_or(path)
    }

    /// Whether a path (absolute) is excluded.
    pub fn excludes(&self, path: &Path) -> bool {
        let rel = self.relative(path);
        self.exclude.iter().any(|p| p.matches(rel))
    }

    /// Whether a file found in a directory walk (absolute path) is included.
    pub fn includes(&self, path: &Path) -> bool {
        let rel = self.relative(path);
        self.include
            .as_ref()
            .is_none_or(|inc| inc.iter().any(|p| p.matches(rel)))
    }

    /// Whether `code` is reported for the file at `path` (absolute): `select`, `ignore` and
    /// `per-path-ignores`.
    pub fn enabled(&self, code: &str, path: &Path) -> bool {
        let selected = self
            .select
            .as_ref()
            .is_none_or(|s| s.iter().any(|p| code_matches(p, code)));
        if !selected || self.ignore.iter().any(|p| code_matches(p, code)) {
            return false;
        }
        let rel = self.relative(path);
        !self
            .per_path_ignores
            .iter()
            .any(|(g, codes)| codes.iter().any(|p| code_matches(p, code)) && g.matches(rel))
    }

    /// The severity `[severity]` gives `code` (the longest matching key), if any.
    pub fn severity_of(&self, code: &str) -> Option<Severity> {
        self.severity
            .iter()
            .find(|(p, _)| code_matches(p, code))
            .map(|(_, s)| *s)
    }
}

/// The current directory, read once (the process never changes it; a walk asks for it per file).
fn current_dir() -> &'static Path {
    static CWD: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    CWD.get_or_init(|| std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/")))
}

/// `path` made absolute (from the current directory) and normalised without touching the
/// filesystem (`.` dropped, `..` applied).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        current_dir().join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// How configurations are found.
pub struct Configs {
    /// `--config PATH`: this one for every file.
    fixed: Option<Arc<Config>>,
    /// `--no-config`.
    disabled: bool,
    /// Directory → the configuration that applies there.
    by_dir: HashMap<PathBuf, Option<Arc<Config>>>,
    /// A file's directory as written (relative or not) → its configuration, for
    /// [`Configs::for_file`]; and the last one asked for.
    by_written_dir: HashMap<PathBuf, Option<Arc<Config>>>,
    last_dir: Option<(PathBuf, Option<Arc<Config>>)>,
    /// Every configuration file loaded so far, in order (for `--verbose`).
    pub loaded: Vec<Arc<Config>>,
}

impl Configs {
    /// Discovery as the options say: `--config PATH` (loaded now) or `--no-config`, else
    /// discovery from each file's directory.
    pub fn new(fixed: Option<&Path>, disabled: bool) -> Result<Configs, ConfigError> {
        let fixed = fixed.map(Config::load).transpose()?.map(Arc::new);
        Ok(Configs {
            loaded: fixed.iter().cloned().collect(),
            fixed,
            disabled,
            by_dir: HashMap::new(),
            by_written_dir: HashMap::new(),
            last_dir: None,
        })
    }

    /// The configuration for a file given by its path as walked or named: what
    /// [`Configs::for_path`] says of its absolute path, looked up once per directory as written
    /// (a walk meets thousands of files, a directory's one after the other, and most runs have
    /// no configuration at all: no absolute path is made per file).
    /// No configuration at all (`--no-config`), for any path.
    pub fn disabled() -> Configs {
        Configs {
            fixed: None,
            disabled: true,
            by_dir: HashMap::new(),
            by_written_dir: HashMap::new(),
            last_dir: None,
            loaded: Vec::new(),
        }
    }

    pub fn for_file(&mut self, path: &Path) -> Result<Option<Arc<Config>>, ConfigError> {
        if self.disabled {
            return Ok(None);
        }
        if let Some(c) = &self.fixed {
            return Ok(Some(Arc::clone(c)));
        }
        let Some(dir) = path.parent() else {
            return self.for_path(&absolute(path));
        };
        if let Some((last, c)) = &self.last_dir
            && last.as_path() == dir
        {
            return Ok(c.clone());
        }
        let found = match self.by_written_dir.get(dir) {
            Some(c) => c.clone(),
            None => {
                let c = self.for_path(&absolute(path))?;
                self.by_written_dir.insert(dir.to_path_buf(), c.clone());
                c
            }
        };
        self.last_dir = Some((dir.to_path_buf(), found.clone()));
        Ok(found)
    }

    /// The configuration for a file or directory at `path` (absolute): the nearest one in its
    /// parent directory or above.
    pub fn for_path(&mut self, path: &Path) -> Result<Option<Arc<Config>>, ConfigError> {
        match path.parent() {
            Some(dir) => self.for_dir(dir),
            None => self.for_dir(path),
        }
    }

    /// The configuration for files in `dir` (absolute): the nearest one in `dir` or above.
    pub fn for_dir(&mut self, dir: &Path) -> Result<Option<Arc<Config>>, ConfigError> {
        if self.disabled {
            return Ok(None);
        }
        if let Some(c) = &self.fixed {
            return Ok(Some(Arc::clone(c)));
        }
        let mut visited = Vec::new();
        let mut found = None;
        for d in dir.ancestors() {
            if let Some(c) = self.by_dir.get(d) {
                found = c.clone();
                break;
            }
            visited.push(d.to_path_buf());
            let candidate = d.join(FILE_NAME);
            if candidate.is_file() {
                let c = Arc::new(Config::load(&candidate)?);
                self.loaded.push(Arc::clone(&c));
                found = Some(c);
                break;
            }
        }
        for d in visited {
            self.by_dir.insert(d, found.clone());
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("cfg.toml"), PathBuf::from("/repo"))
    }

    fn err(text: &str) -> (Option<(u32, u32)>, String) {
        let e = parse(text).unwrap_err();
        (e.position, e.message)
    }

    const FULL: &str = r#"
select = ["Lint", "InvalidCmdType.NotFound", "InvalidRegionId"]
ignore = ["Lint.TimeoutTooShort"]
include = ["requests/**"]
exclude = ["*.draft.yaml", "requests/old"]
extra-regions = ["cn-atlantis-1"]

[severity]
"Lint" = "info"
"Lint.DuplicateKey" = "error"

[per-path-ignores]
"legacy/**" = ["Lint.UnknownParameter"]
"#;

    #[test]
    fn a_full_configuration_parses_and_applies() {
        let c = parse(FULL).unwrap();
        assert_eq!(c.extra_regions, vec!["cn-atlantis-1"]);
        // What the engine does with a file's findings: drop the codes not enabled, then apply
        // `[severity]` over each code's default.
        let apply = |path: &str, codes: &[&'static str]| {
            codes
                .iter()
                .filter(|code| c.enabled(code, Path::new(path)))
                .map(|code| {
                    let default = runcommand_catalog::code(code).map(|i| i.severity);
                    let sev = c.severity_of(code).or(default).unwrap_or(Severity::Error);
                    (*code, sev.as_str())
                })
                .collect::<Vec<_>>()
        };
        let all = [
            "Lint.DuplicateKey",
            "Lint.TimeoutTooShort",
            "Lint.UnknownParameter",
            "InvalidCmdType.NotFound",
            "InvalidRegionId.NotFound",
            "InvalidTimeout.ExceedLimit",
        ];
        assert_eq!(
            apply("/repo/requests/a.yaml", &all),
            vec![
                ("Lint.DuplicateKey", "error"),
                ("Lint.UnknownParameter", "info"),
                ("InvalidCmdType.NotFound", "error"),
                ("InvalidRegionId.NotFound", "error"),
            ]
        );
        assert_eq!(
            apply("/repo/legacy/x/a.yaml", &all),
            vec![
                ("Lint.DuplicateKey", "error"),
                ("InvalidCmdType.NotFound", "error"),
                ("InvalidRegionId.NotFound", "error"),
            ]
        );
    }

    #[test]
    fn include_and_exclude_globs() {
        let c = parse(FULL).unwrap();
        let p = Path::new;
        assert!(c.includes(p("/repo/requests/a.yaml")));
        assert!(c.includes(p("/repo/requests/deep/a.json")));
        assert!(!c.includes(p("/repo/other/a.yaml")));
        assert!(c.excludes(p("/repo/requests/x.draft.yaml")));
        assert!(c.excludes(p("/repo/deep/down/x.draft.yaml")));
        assert!(c.excludes(p("/repo/requests/old")));
        assert!(c.excludes(p("/repo/requests/old/a.yaml")));
        assert!(!c.excludes(p("/repo/requests/older/a.yaml")));
        assert!(!c.excludes(p("/repo/x/requests/old/a.yaml")));
        // No include: everything is included.
        assert!(parse("").unwrap().includes(p("/repo/a.yaml")));
    }

    #[test]
    fn prefixes_match_at_dots() {
        assert!(code_matches("Lint", "Lint.DuplicateKey"));
        assert!(code_matches("Lint.DuplicateKey", "Lint.DuplicateKey"));
        assert!(!code_matches("Lin", "Lint.DuplicateKey"));
        assert!(!code_matches(
            "InvalidParam",
            "InvalidParameter.OssOutputDelivery"
        ));
    }

    #[test]
    fn errors_have_positions() {
        assert_eq!(err("select = [\"Lint\"\n").0, Some((1, 17)));
        let (pos, msg) = err("selct = []\n");
        assert_eq!(pos, Some((1, 1)));
        assert!(msg.contains("unknown field `selct`"), "{msg}");
        let (pos, msg) = err("ignore = [\"Lint.TimeoutTooShort\", \"Lint.TimeoutTooShrt\"]\n");
        assert_eq!(pos, Some((1, 35)));
        assert!(msg.contains("did you mean `Lint.TimeoutTooShort`"), "{msg}");
        let (pos, msg) = err("\n[severity]\n\"Lint.DuplicateKey\" = \"fatal\"\n");
        assert_eq!(pos, Some((3, 23)));
        assert!(msg.contains("unknown variant `fatal`"), "{msg}");
        let (pos, msg) = err("[severity]\nNope = \"error\"\n");
        assert_eq!(pos, Some((2, 1)));
        assert!(msg.contains("`Nope` is not a code"), "{msg}");
        let (pos, msg) = err("exclude = [\"a/[b\"]\n");
        assert_eq!(pos, Some((1, 12)));
        assert!(msg.contains("invalid glob `a/[b`"), "{msg}");
        let (pos, msg) = err("[per-path-ignores]\n\"{a\" = [\"Lint\"]\n");
        assert_eq!(pos, Some((2, 1)));
        assert!(msg.contains("invalid glob"), "{msg}");
        let (pos, _) = err("[per-path-ignores]\n\"a/**\" = [\"Lint.Nope\"]\n");
        assert_eq!(pos, Some((2, 11)));
        let (pos, msg) = err("extra-regions = [\"cn_x\"]\n");
        assert_eq!(pos, Some((1, 18)));
        assert!(msg.contains("not a region ID"), "{msg}");
        let (pos, msg) = err("select = \"Lint\"\n");
        assert_eq!(pos, Some((1, 10)));
        assert!(msg.contains("expected a sequence"), "{msg}");
        let (pos, msg) = err("include = [\"\"]\n");
        assert_eq!(pos, Some((1, 12)));
        assert!(msg.contains("empty glob"), "{msg}");
        let e = parse("selct = []").unwrap_err();
        assert_eq!(e.to_string(), format!("cfg.toml:1:1: {}", e.message));
    }

    #[test]
    fn discovery_walks_up_and_caches() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("a/b/c")).unwrap();
        std::fs::create_dir_all(root.join("x")).unwrap();
        std::fs::write(root.join("a").join(FILE_NAME), "ignore = [\"Lint\"]\n").unwrap();
        std::fs::write(root.join("a/b/c").join(FILE_NAME), "").unwrap();
        let mut configs = Configs::new(None, false).unwrap();
        let at = |configs: &mut Configs, p: &str| {
            configs
                .for_path(&root.join(p))
                .unwrap()
                .map(|c| c.path.clone())
        };
        assert_eq!(
            at(&mut configs, "a/b/r.yaml"),
            Some(root.join("a").join(FILE_NAME))
        );
        assert_eq!(
            at(&mut configs, "a/r.yaml"),
            Some(root.join("a").join(FILE_NAME))
        );
        assert_eq!(
            at(&mut configs, "a/b/c/r.yaml"),
            Some(root.join("a/b/c").join(FILE_NAME))
        );
        assert_eq!(configs.loaded.len(), 2, "each file is loaded once");
        // Above the temporary directory there is (normally) no configuration.
        let above = at(&mut configs, "x/r.yaml");
        assert!(above.is_none_or(|p| !p.starts_with(root)));
        // --config wins; --no-config disables.
        let fixed = root.join("a/b/c").join(FILE_NAME);
        let mut configs = Configs::new(Some(&fixed), false).unwrap();
        assert_eq!(at(&mut configs, "a/r.yaml"), Some(fixed));
        let mut configs = Configs::new(None, true).unwrap();
        assert_eq!(at(&mut configs, "a/r.yaml"), None);
        // A broken file is an error when it is found.
        std::fs::write(root.join("x").join(FILE_NAME), "nope = 1\n").unwrap();
        let mut configs = Configs::new(None, false).unwrap();
        let e = configs.for_path(&root.join("x/r.yaml")).unwrap_err();
        assert_eq!(e.position, Some((1, 1)));
        assert_eq!(e.path, root.join("x").join(FILE_NAME));
    }

    #[test]
    fn absolute_paths_are_normalised() {
        assert_eq!(absolute(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
        assert!(absolute(Path::new("x/y")).is_absolute());
    }
}
