//! `check --fix`, `--diff`, `--unsafe-fixes` and `--show-fixes`: the engine finds and applies the
//! fixes ([`runcommand_rules::Engine::fix`]); this module writes the result (atomically, keeping
//! the file's permissions), prints it as a unified diff (`git apply` takes it), and keeps the
//! counts for the end of the run.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use runcommand_config::Config;
use runcommand_document::Format;
use runcommand_rules::{Content, Engine};

use crate::CheckArgs;
use crate::check::Fixing;

/// What `--fix` / `--diff` did to one file.
#[derive(Debug)]
pub struct FileFix {
    /// The path as given.
    pub path: String,
    /// The text before and after the fixes, when they changed it (no copy of an unchanged file
    /// is kept).
    pub change: Option<Change>,
    /// The findings fixed: code and the fix's title.
    pub applied: Vec<(runcommand_rules::Code, String)>,
    /// Fixes exist but their result would not parse: the file is left as it was (or at the last
    /// round that parsed).
    pub refused: bool,
    /// Whether the fixed text was written to the file.
    pub written: bool,
    /// Why writing failed.
    pub write_error: Option<String>,
}

/// A file's text before and after its fixes.
#[derive(Debug)]
pub struct Change {
    /// The text before.
    pub original: String,
    /// The text after every fix.
    pub fixed: String,
}

impl FileFix {
    /// The content to check after the fixes: the fixed text when it was written (the findings
    /// reported are then those left).
    pub fn checked_content(&self) -> Option<Content> {
        let change = self.change.as_ref().filter(|_| self.written)?;
        Some(Content::Bytes(change.fixed.clone().into_bytes()))
    }
}

/// Applies the fixes of one file; writes them with `--fix` (not for standard input).
pub fn fix_file(
    engine: &Engine,
    path: &str,
    format: Format,
    bytes: &[u8],
    config: Option<&Config>,
    fixing: Fixing,
    stdin: bool,
) -> FileFix {
    let f = engine.fix(path, format, bytes, config, fixing.unsafe_fixes);
    let change = f.text.map(|fixed| Change {
        original: String::from_utf8_lossy(bytes).into_owned(),
        fixed,
    });
    let mut out = FileFix {
        path: path.to_owned(),
        applied: if change.is_some() {
            f.applied
        } else {
            Vec::new()
        },
        change,
        refused: f.refused,
        written: false,
        write_error: None,
    };
    let Some(change) = &out.change else {
        return out;
    };
    if fixing.write {
        if stdin {
            out.write_error = Some("standard input cannot be fixed in place".into());
        } else {
            match write_atomically(Path::new(path), &change.fixed) {
                Ok(()) => out.written = true,
                Err(e) => out.write_error = Some(format!("cannot write the fixes: {e}")),
            }
        }
    }
    out
}

/// Replaces a file's content at once: a temporary file next to the target (a symbolic link is
/// followed, not replaced), with the target's permissions, renamed over it.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let permissions = std::fs::metadata(&target)?.permissions();
    let dir = target.parent().unwrap_or(Path::new("/"));
    let name = target
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(
        ".{name}.runcommand-lint-{}.tmp",
        std::process::id()
    ));
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        drop(f);
        std::fs::set_permissions(&tmp, permissions)?;
        std::fs::rename(&tmp, &target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A unified diff of one file, with `a/` and `b/` paths as `git apply` expects.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    let path = path.strip_prefix("./").unwrap_or(path);
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// The counts of a run.
#[derive(Debug, Default)]
pub struct Tally {
    /// Findings fixed.
    pub fixed: usize,
    /// Files changed.
    pub files: usize,
    /// Files whose diff was printed.
    pub diffs: usize,
    /// A file could not be written.
    pub write_failed: bool,
    /// What was fixed, per file (for `--show-fixes`).
    pub shown: Vec<(String, Vec<(runcommand_rules::Code, String)>)>,
    /// Files whose fixes were refused.
    pub refused: Vec<String>,
}

impl Tally {
    /// Counts one file; with `diff`, writes its diff to `out`.
    pub fn add(&mut self, f: &FileFix, out: &mut Vec<u8>, diff: bool) {
        if f.refused {
            self.refused.push(f.path.clone());
        }
        if let Some(e) = &f.write_error {
            eprintln!("runcommand-lint: {}: {e}", f.path);
            self.write_failed = true;
        }
        let Some(change) = &f.change else {
            return;
        };
        if diff {
            self.diffs += 1;
            out.extend_from_slice(
                unified_diff(&f.path, &change.original, &change.fixed).as_bytes(),
            );
        }
        if f.written || diff {
            self.fixed += f.applied.len();
            self.files += 1;
            self.shown.push((f.path.clone(), f.applied.clone()));
        }
    }

    /// The end of a `--fix` / `--diff` run, on standard error.
    pub fn report(&self, args: &CheckArgs) {
        let mut s = String::new();
        for path in &self.refused {
            let _ = writeln!(
                s,
                "runcommand-lint: {path}: some fixes were not applied: the result would not parse"
            );
        }
        if args.show_fixes {
            for (path, applied) in &self.shown {
                let _ = writeln!(s, "{path}:");
                for (code, title) in applied {
                    let _ = writeln!(s, "  {code}: {title}");
                }
            }
        }
        let verb = if args.diff { "would fix" } else { "fixed" };
        let _ = writeln!(
            s,
            "runcommand-lint: {verb} {} finding(s) in {} file(s)",
            self.fixed, self.files
        );
        let _ = std::io::stderr().write_all(s.as_bytes());
    }
}
