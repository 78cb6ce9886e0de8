//! Turning the paths on the command line into sources: files as given, directories walked.
//!
//! A directory is walked in parallel by the `ignore` crate (the walker of ripgrep):
//! - `.gitignore` (inside a Git repository or not), `.git/info/exclude`, the global Git excludes
//!   file and `.ignore` files are honoured, in the directory and its parents; `--no-ignore` turns
//!   them all off. Hidden files are walked (a `.github/` folder may hold requests); `.git`,
//!   `.hg`, `.svn` and `node_modules` directories never are;
//! - files named `*.yaml`, `*.yml`, `*.json` (request files) and `*.jsonl`, `*.ndjson` (request
//!   logs) are kept, any case; the configuration's `include`/`exclude` is applied as the walk
//!   goes (an excluded directory is not entered). Whether a kept file holds requests is decided
//!   later, from its content (`runcommand_rules::detect`): a walked file that does not look like
//!   one is skipped;
//! - symbolic links are followed, so a linked folder of requests is checked; a link that leads
//!   back to one of its own ancestors (a loop) is reported once, where it is met, and not
//!   followed; a broken link, a directory that cannot be read, and a special file (FIFO, socket,
//!   device) named like a request are reported once each and never opened. The walk goes on.
//!
//! The walk only collects paths (about a hundred bytes each); they are sorted so that output
//! and "first"/"later" in the cross-request checks do not depend on thread timing. Reading and
//! checking happen afterwards, streamed (see `check`).

use std::path::Path;
use std::sync::Mutex;

use ignore::{WalkBuilder, WalkState};

/// What the filter is asked about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seen {
    /// A path named on the command line.
    Named,
    /// A directory met in a walk (skipping it skips everything under it).
    Dir,
    /// A request file met in a walk.
    File,
}

/// One thing to check.
#[derive(Debug)]
pub enum Source {
    /// A file, named on the command line (always checked) or met in a walk (checked when it
    /// looks like a request file).
    File {
        /// The path as given or as walked.
        path: String,
        /// Named on the command line.
        named: bool,
        /// Its size in bytes: for a named file, and for a walked one when the walk was asked
        /// for sizes ([`WalkOptions::sizes`], for the progress bar); else 0 (unknown).
        size: u64,
    },
    /// A path that cannot be walked or read (`Lint.Io`, reported once).
    Problem {
        /// The path.
        path: String,
        /// Why.
        message: String,
        /// Whether something could not be read (exit status 2); a symlink loop loses nothing.
        unreadable: bool,
    },
}

impl Source {
    /// The path.
    pub fn path(&self) -> &str {
        match self {
            Source::File { path, .. } | Source::Problem { path, .. } => path,
        }
    }
}

/// Whether a file name is one of a request file or a request log.
pub fn is_request_file(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "yaml" | "yml" | "json" | "jsonl" | "ndjson"
        )
    })
}

/// Directories no walk enters.
const NEVER_WALKED: &[&str] = &[".git", ".hg", ".svn", "node_modules"];

/// Walk settings.
#[derive(Clone, Copy, Debug, Default)]
pub struct WalkOptions {
    /// Do not honour `.gitignore`, `.ignore` and Git's exclude files.
    pub no_ignore: bool,
    /// Look up the size of every walked file (one `stat` each, which doubles the time of a
    /// walk): only the progress bar needs the total before reading.
    pub sizes: bool,
}

/// The path of an `ignore` error and its message.
fn describe(err: &ignore::Error) -> (Option<String>, String, bool) {
    match err {
        ignore::Error::Loop { ancestor, child } => (
            Some(child.display().to_string()),
            format!(
                "symbolic link loop: {} leads back to its ancestor {}; not followed",
                child.display(),
                ancestor.display()
            ),
            false,
        ),
        ignore::Error::WithPath { path, err } => {
            let (_, message, unreadable) = describe(err);
            (
                Some(path.display().to_string()),
                format!("cannot read {}: {message}", path.display()),
                unreadable,
            )
        }
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            describe(err)
        }
        ignore::Error::Partial(errs) => match errs.first() {
            Some(e) => describe(e),
            None => (None, err.to_string(), true),
        },
        other => (None, other.to_string(), true),
    }
}

/// The filter: `Ok(true)` to keep a path; an error stops the walk (a bad configuration file).
pub type Filter<'a, E> = dyn Fn(&Path, Seen) -> Result<bool, E> + Sync + 'a;

/// Collects the sources for one command-line path, sorted by path. `keep` decides which paths
/// are kept; its first error stops the walk and is returned.
pub fn collect<E: Send>(
    path: &str,
    options: WalkOptions,
    keep: &Filter<'_, E>,
) -> Result<Vec<Source>, E> {
    if !keep(Path::new(path), Seen::Named)? {
        return Ok(Vec::new());
    }
    match std::fs::metadata(path) {
        Err(e) => Ok(vec![Source::Problem {
            path: path.to_owned(),
            message: format!("cannot read {path}: {e}"),
            unreadable: true,
        }]),
        Ok(meta) if !meta.is_dir() => Ok(vec![Source::File {
            path: path.to_owned(),
            named: true,
            size: meta.len(),
        }]),
        Ok(_) => walk(path, options, keep),
    }
}

fn walk<E: Send>(root: &str, options: WalkOptions, keep: &Filter<'_, E>) -> Result<Vec<Source>, E> {
    let found: Mutex<Vec<Source>> = Mutex::new(Vec::new());
    let failed: Mutex<Option<E>> = Mutex::new(None);
    let on = !options.no_ignore;
    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(false)
        .parents(on)
        .ignore(on)
        .git_ignore(on)
        .git_global(on)
        .git_exclude(on)
        .require_git(false)
        .follow_links(true)
        .filter_entry(|e| {
            !(e.depth() > 0
                && e.file_type().is_some_and(|t| t.is_dir())
                && e.file_name()
                    .to_str()
                    .is_some_and(|n| NEVER_WALKED.contains(&n)))
        });
    let push = |s: Source| {
        if let Ok(mut v) = found.lock() {
            v.push(s);
        }
    };
    let fail = |e: E| {
        if let Ok(mut f) = failed.lock()
            && f.is_none()
        {
            *f = Some(e);
        }
        WalkState::Quit
    };
    builder.build_parallel().run(|| {
        Box::new(|entry| {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    let (path, message, unreadable) = describe(&err);
                    push(Source::Problem {
                        path: path.unwrap_or_else(|| root.to_owned()),
                        message,
                        unreadable,
                    });
                    return WalkState::Continue;
                }
            };
            if entry.depth() == 0 {
                return WalkState::Continue;
            }
            let path = entry.path();
            let Some(ft) = entry.file_type() else {
                return WalkState::Continue;
            };
            if ft.is_dir() {
                return match keep(path, Seen::Dir) {
                    Ok(true) => WalkState::Continue,
                    Ok(false) => WalkState::Skip,
                    Err(e) => fail(e),
                };
            }
            if !is_request_file(path) {
                return WalkState::Continue;
            }
            match keep(path, Seen::File) {
                Ok(true) => {}
                Ok(false) => return WalkState::Continue,
                Err(e) => return fail(e),
            }
            let shown = path.display().to_string();
            if ft.is_file() {
                let size = if options.sizes {
                    entry.metadata().map_or(0, |m| m.len())
                } else {
                    0
                };
                push(Source::File {
                    path: shown,
                    named: false,
                    size,
                });
            } else {
                push(Source::Problem {
                    message: format!("{shown} is not a regular file; it was not opened"),
                    path: shown,
                    unreadable: true,
                });
            }
            WalkState::Continue
        })
    });
    if let Some(e) = failed.into_inner().ok().flatten() {
        return Err(e);
    }
    let mut sources = found.into_inner().unwrap_or_default();
    sources.sort_by(|a, b| a.path().cmp(b.path()));
    Ok(sources)
}

/// Reads a file for checking: its bytes, or why not (`Lint.Io`, `Lint.FileTooLarge`).
/// `regular` says the walk already saw a regular file: then it is opened at once (one system
/// call less per file); otherwise it is looked at first, so that a FIFO is never opened.
pub fn read(path: &str, max: u64, regular: bool) -> runcommand_rules::Content {
    match open(path, max, regular) {
        Ok(file) => file.read(path, max),
        Err(content) => content,
    }
}

/// A file opened for checking, with its size; read it with [`Opened::read`].
pub struct Opened {
    file: std::fs::File,
    len: u64,
}

/// Opens a file for checking ([`read`] in two steps, so that the caller knows the size before
/// the bytes are read): the file, or why it will not be read (`Content::Unreadable`,
/// `Content::TooLarge`).
pub fn open(path: &str, max: u64, regular: bool) -> Result<Opened, runcommand_rules::Content> {
    use runcommand_rules::Content;
    let unreadable = |e: std::io::Error| Content::Unreadable(format!("cannot read {path}: {e}"));
    if !regular {
        match std::fs::metadata(path) {
            Ok(meta) if !meta.is_file() => {
                return Err(Content::Unreadable(format!("{path} is not a regular file")));
            }
            Ok(_) => {}
            Err(e) => return Err(unreadable(e)),
        }
    }
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let len = file.metadata().map_err(unreadable)?.len();
    if len > max {
        return Err(Content::TooLarge(len));
    }
    Ok(Opened { file, len })
}

impl Opened {
    /// The size when opened.
    pub fn size(&self) -> u64 {
        self.len
    }

    /// Reads the bytes: the size it had when opened (one `read` call: a file that grew since
    /// is read as it was), or, when that size is 0 (an empty file, or one of `/proc` whose
    /// size says nothing), up to the end, at most `max` (more is `Content::TooLarge`).
    pub fn read(self, path: &str, max: u64) -> runcommand_rules::Content {
        use runcommand_rules::Content;
        use std::io::Read;
        let mut bytes = Vec::with_capacity(usize::try_from(self.len).unwrap_or(0));
        let limit = if self.len == 0 {
            max.saturating_add(1)
        } else {
            self.len
        };
        match self.file.take(limit).read_to_end(&mut bytes) {
            Ok(n) if n as u64 > max => Content::TooLarge(n as u64),
            Ok(_) => Content::Bytes(bytes),
            Err(e) => Content::Unreadable(format!("cannot read {path}: {e}")),
        }
    }
}
