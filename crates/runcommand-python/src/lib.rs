//! `runcommand_lint._native`: the engine for Python. The package `runcommand_lint`
//! (`python/runcommand_lint/__init__.py`) wraps it in its documented API; this module is its
//! implementation and has no stable API of its own.
//!
//! Every check goes through [`runcommand_rules::Engine`], as in the CLI and the language server,
//! and every finding leaves as the JSON contract's object ([`runcommand_contract`]), compact,
//! the same bytes as a line of `check --format json-lines`. The GIL is released while checking.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use pyo3::create_exception;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use runcommand_config::{Config, ShellCheckMode};
use runcommand_document::Format;
use runcommand_rules::{Conflict, CrossIndex, CrossKind, CrossUse, FileReport, Settings, Source};

create_exception!(
    _native,
    ConfigError,
    PyValueError,
    "A configuration that cannot be used: a file that cannot be read, a value of the wrong type, an unknown code, or ShellCheck required but not found."
);

/// One finding leaving for Python: (line, index of the finding in its report, code, severity,
/// the JSON contract's object as compact JSON).
type Row = (usize, usize, &'static str, &'static str, String);

/// One cross-request use leaving for Python: (kind, key, value, line, document, start, use
/// line, use column). Keys and values are 64-bit hashes, given as signed integers (Spark's
/// `long`).
type UseRow = (u8, i64, i64, usize, usize, usize, u32, u32);

/// One conflict coming from Python: (kind, document, first path, same report, first start,
/// first line, first column).
type ConflictRow = (u8, usize, String, bool, usize, u32, u32);

/// The engine with its configuration: built once, used from any thread.
#[pyclass(frozen, name = "Engine", module = "runcommand_lint._native")]
struct PyEngine {
    engine: runcommand_rules::Engine,
    config: Option<Arc<Config>>,
}

fn config_error(e: impl std::fmt::Display) -> PyErr {
    ConfigError::new_err(e.to_string())
}

/// The configuration given as TOML text (a dict converted by the caller: see `config_json`).
fn config_from_json(json: &str, cwd: PathBuf) -> PyResult<Config> {
    let value: serde_json::Value = serde_json::from_str(json)
        .map_err(|e| config_error(format!("the configuration is not a mapping: {e}")))?;
    if !value.is_object() {
        return Err(config_error(
            "the configuration must be a mapping (the tables and keys of runcommand-lint.toml)",
        ));
    }
    let toml_value: toml::Value = serde_json::from_value(value)
        .map_err(|e| config_error(format!("the configuration cannot be TOML: {e}")))?;
    let text = toml::to_string(&toml_value)
        .map_err(|e| config_error(format!("the configuration cannot be TOML: {e}")))?;
    Config::parse(&text, Path::new("<configuration mapping>"), cwd)
        .map_err(|e| config_error(format!("the configuration mapping: {}", e.message)))
}

/// The ShellCheck the engine uses: `mode` is `auto` (the configuration's `[shellcheck]` table
/// decides, as `check` does), `on` (required) or `off`; `path` names the binary (required).
fn find_shellcheck(
    mode: &str,
    path: Option<&str>,
    config: Option<&Config>,
) -> PyResult<Option<Arc<runcommand_shellcheck::ShellCheck>>> {
    let table = config.map(|c| c.shellcheck.clone()).unwrap_or_default();
    let (required, program) = match (mode, path) {
        ("off", _) => return Ok(None),
        (_, Some(p)) => (true, Some(PathBuf::from(p))),
        ("on", None) => (true, table.path.clone()),
        ("auto", None) => {
            if table.mode == ShellCheckMode::Off {
                return Ok(None);
            }
            (table.mode == ShellCheckMode::On, table.path.clone())
        }
        (other, None) => {
            return Err(PyValueError::new_err(format!(
                "shellcheck must be None, True, False or a path, not {other:?}"
            )));
        }
    };
    match runcommand_shellcheck::ShellCheck::find(program.as_deref()) {
        Ok(sc) => Ok(Some(Arc::new(sc))),
        Err(why) if required => Err(config_error(format!("ShellCheck is required but {why}"))),
        Err(_) => Ok(None),
    }
}

/// The format `check` reads a file at `path` in: `None` for a request log.
fn syntax_of(path: &str) -> Option<Format> {
    (!runcommand_rules::records::is_json_lines_path(path)).then(|| Format::from_path(path))
}

/// The findings of reports as one JSON array (the contract's objects).
fn json_array<'r>(reports: impl IntoIterator<Item = &'r FileReport>) -> String {
    let mut out = Vec::with_capacity(256);
    out.push(b'[');
    let mut first = true;
    for r in reports {
        for d in runcommand_contract::diagnostics(r) {
            if !first {
                out.push(b',');
            }
            first = false;
            // Serializing these plain structures cannot fail.
            let _ = serde_json::to_writer(&mut out, &d);
        }
    }
    out.push(b']');
    String::from_utf8(out).unwrap_or_default()
}

/// A report's findings as rows.
fn rows(line: usize, r: &FileReport) -> Vec<Row> {
    runcommand_contract::diagnostics(r)
        .zip(&r.diagnostics)
        .enumerate()
        .map(|(i, (d, raw))| {
            let json = serde_json::to_string(&d).unwrap_or_default();
            (line, i, raw.code.as_str(), raw.severity.as_str(), json)
        })
        .collect()
}

/// Hashes travel as the bits of a signed 64-bit integer.
fn signed(n: u64) -> i64 {
    i64::from_ne_bytes(n.to_ne_bytes())
}

fn use_row(line: usize, u: &CrossUse) -> UseRow {
    (
        u.kind.index(),
        signed(u.key),
        signed(u.value),
        line,
        u.document,
        u.start,
        u.line,
        u.column,
    )
}

/// Checks lines of a request log in order, with a run's cross-request index: what `check`
/// does for a log file. Lines are numbered from `first`.
fn check_lines(
    engine: &runcommand_rules::Engine,
    config: Option<&Config>,
    path: &str,
    lines: &[Vec<u8>],
    first: usize,
    index: &mut CrossIndex,
) -> Vec<FileReport> {
    let mut reports: Vec<FileReport> = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            engine.check_source(
                Source::Line {
                    path,
                    bytes: line,
                    number: first + i,
                },
                config,
            )
        })
        .collect();
    engine.resolve_scripts(reports.iter_mut());
    for r in &mut reports {
        engine.finish(r, index, config);
    }
    reports
}

#[pymethods]
impl PyEngine {
    #[new]
    #[pyo3(signature = (*, config_path=None, config_json=None, config_toml=None, shellcheck="auto", shellcheck_path=None, now=None, select=Vec::new(), ignore=Vec::new(), max_findings=None, max_file_size=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        config_path: Option<PathBuf>,
        config_json: Option<&str>,
        config_toml: Option<(String, PathBuf)>,
        shellcheck: &str,
        shellcheck_path: Option<&str>,
        now: Option<&str>,
        select: Vec<String>,
        ignore: Vec<String>,
        max_findings: Option<usize>,
        max_file_size: Option<u64>,
    ) -> PyResult<PyEngine> {
        let cwd = std::env::current_dir().unwrap_or_default();
        let config = if let Some(p) = config_path {
            Some(Config::load(&p).map_err(config_error)?)
        } else if let Some(j) = config_json {
            Some(config_from_json(j, cwd)?)
        } else if let Some((text, path)) = config_toml {
            // A file read elsewhere (the Spark driver): its globs stay relative to its folder.
            let dir = runcommand_config::absolute(&path)
                .parent()
                .map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
            Some(Config::parse(&text, &path, dir).map_err(config_error)?)
        } else {
            None
        };
        for list in [&select, &ignore] {
            runcommand_config::check_codes(list).map_err(config_error)?;
        }
        let now = match now {
            None => None,
            Some(s) => Some(
                chrono::DateTime::parse_from_rfc3339(s)
                    .map_err(|e| {
                        PyValueError::new_err(format!(
                            "now must be an RFC 3339 time such as 2026-12-01T00:00:00Z: {e}"
                        ))
                    })?
                    .with_timezone(&chrono::Utc),
            ),
        };
        let defaults = Settings::default();
        let settings = Settings {
            now,
            max_file_size: max_file_size.unwrap_or(defaults.max_file_size),
            max_findings: match max_findings {
                None => defaults.max_findings,
                Some(0) => None,
                Some(n) => Some(n),
            },
            select,
            ignore,
            shellcheck: find_shellcheck(shellcheck, shellcheck_path, config.as_ref())?,
        };
        Ok(PyEngine {
            engine: runcommand_rules::Engine::new(settings),
            config: config.map(Arc::new),
        })
    }

    /// The ShellCheck binary the engine runs, or `None`.
    #[getter]
    fn shellcheck(&self) -> Option<String> {
        self.engine
            .settings()
            .shellcheck
            .as_ref()
            .map(|s| s.program().display().to_string())
    }

    /// The findings of a file's content as `check` gives them for a file named `path` (its
    /// extension says YAML, JSON or a request log): a JSON array.
    fn check(&self, py: Python<'_>, data: Vec<u8>, path: String) -> String {
        let config = self.config.as_deref();
        py.detach(|| match syntax_of(&path) {
            Some(format) => {
                let report = self.engine.check(
                    Source::Bytes {
                        path: &path,
                        format,
                        bytes: &data,
                    },
                    config,
                );
                json_array([&report])
            }
            None => {
                let lines: Vec<Vec<u8>> = runcommand_rules::records::log_lines(&data)
                    .map(|(_, l)| l.to_vec())
                    .collect();
                let mut index = CrossIndex::default();
                let reports = check_lines(&self.engine, config, &path, &lines, 1, &mut index);
                json_array(&reports)
            }
        })
    }

    /// A run over the lines of one request log, fed in chunks.
    fn records(&self, path: String) -> Records {
        Records {
            engine: self.engine.clone(),
            config: self.config.clone(),
            path,
            state: Mutex::new((CrossIndex::default(), 1)),
        }
    }

    /// The Spark job's first half for one log file: every line's findings without the
    /// cross-request checks, and the cross-request uses. A file found in a directory (`named`
    /// false) drops the lines that hold no request, as `check` does for walked files.
    fn check_log_apart(
        &self,
        py: Python<'_>,
        path: String,
        data: Vec<u8>,
        named: bool,
    ) -> (Vec<Row>, Vec<UseRow>) {
        let config = self.config.as_deref();
        py.detach(|| {
            let mut found = Vec::new();
            let mut uses = Vec::new();
            self.engine
                .check_log_apart(&path, &data, config, |line, report, u| {
                    if !named && !report.looks_like_request {
                        return;
                    }
                    found.extend(rows(line, &report));
                    uses.extend(u.iter().map(|u| use_row(line, u)));
                });
            (found, uses)
        })
    }

    /// The Spark job's second half: the lines of one log file that have conflicts, checked
    /// again with them; `conflicts` are (line, conflict) pairs.
    fn check_log_with_conflicts(
        &self,
        py: Python<'_>,
        path: String,
        data: Vec<u8>,
        conflicts: Vec<(usize, ConflictRow)>,
    ) -> PyResult<Vec<Row>> {
        let mut by_line: std::collections::BTreeMap<usize, Vec<Conflict>> = Default::default();
        for (line, (kind, document, first_path, same_report, start, l, c)) in conflicts {
            let kind = CrossKind::from_index(kind)
                .ok_or_else(|| PyValueError::new_err(format!("no cross-request kind {kind}")))?;
            by_line.entry(line).or_default().push(Conflict {
                kind,
                document,
                first_path,
                same_report,
                first_start: start,
                first_line: l,
                first_column: c,
            });
        }
        let config = self.config.as_deref();
        Ok(py.detach(|| {
            let mut found = Vec::new();
            for (number, line) in runcommand_rules::records::log_lines(&data) {
                let Some(conflicts) = by_line.get(&number) else {
                    continue;
                };
                let report = self.engine.check_with_conflicts(
                    Source::Line {
                        path: &path,
                        bytes: line,
                        number,
                    },
                    config,
                    conflicts,
                );
                found.extend(rows(number, &report));
            }
            found
        }))
    }
}

/// A run over the lines of one request log, fed in chunks in order: the cross-request checks
/// see every line fed so far.
#[pyclass(frozen, module = "runcommand_lint._native")]
struct Records {
    engine: runcommand_rules::Engine,
    config: Option<Arc<Config>>,
    path: String,
    /// The run's index and the number of the next line.
    state: Mutex<(CrossIndex, usize)>,
}

#[pymethods]
impl Records {
    /// Checks the next lines (without line breaks): a JSON array of their findings.
    fn feed(&self, py: Python<'_>, lines: Vec<Vec<u8>>) -> PyResult<String> {
        py.detach(|| {
            let mut state = self
                .state
                .lock()
                .map_err(|_| PyRuntimeError::new_err("a previous check of these records failed"))?;
            let (index, next) = &mut *state;
            let reports = check_lines(
                &self.engine,
                self.config.as_deref(),
                &self.path,
                &lines,
                *next,
                index,
            );
            *next += lines.len();
            Ok(json_array(&reports))
        })
    }
}

/// The version of the package (the workspace's).
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyEngine>()?;
    m.add_class::<Records>()?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add("ConfigError", m.py().get_type::<ConfigError>())?;
    Ok(())
}
