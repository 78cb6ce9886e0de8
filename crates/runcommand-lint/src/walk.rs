//! Turning the paths on the command line into inputs: files as given, directories walked
//! recursively (sorted, symlinks to directories not followed, so no loop), keeping `.yaml`, `.yml`
//! and `.json` files. Unreadable paths become `Lint.Io` inputs so they are reported with the rest.
//! A filter (the configuration's `include`/`exclude`) decides which paths are kept.

use std::path::Path;

use runcommand_document::Format;
use runcommand_rules::{Content, Input};

/// What the filter is asked about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seen {
    /// A path named on the command line.
    Named,
    /// A directory met in a walk (skipping it skips everything under it).
    Dir,
    /// A `.yaml`, `.yml` or `.json` file met in a walk.
    File,
}

/// What a command-line path produced.
pub struct Found {
    /// The inputs, in sorted order.
    pub inputs: Vec<Input>,
    /// Whether some path could not be read (exit status 2).
    pub unreadable: bool,
}

fn is_request_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "yaml" | "yml" | "json"))
}

fn read(path: &str, max: u64) -> Content {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return Content::Unreadable(format!("cannot read {path}: {e}")),
    };
    if !meta.is_file() {
        return Content::Unreadable(format!("{path} is not a regular file"));
    }
    if meta.len() > max {
        return Content::TooLarge(meta.len());
    }
    match std::fs::read(path) {
        Ok(b) if b.len() as u64 > max => Content::TooLarge(b.len() as u64),
        Ok(b) => Content::Bytes(b),
        Err(e) => Content::Unreadable(format!("cannot read {path}: {e}")),
    }
}

fn input(path: String, max: u64) -> Input {
    let content = read(&path, max);
    Input {
        format: Format::from_path(&path),
        path,
        content,
    }
}

/// Collects the inputs for one command-line path; `keep` says which paths to keep.
pub fn collect(path: &str, max: u64, keep: &mut dyn FnMut(&Path, Seen) -> bool) -> Found {
    if !keep(Path::new(path), Seen::Named) {
        return Found {
            inputs: Vec::new(),
            unreadable: false,
        };
    }
    let meta = std::fs::metadata(path);
    let Ok(meta) = meta else {
        let why = meta.err().map_or_else(String::new, |e| e.to_string());
        return Found {
            inputs: vec![Input {
                path: path.to_owned(),
                format: Format::from_path(path),
                content: Content::Unreadable(format!("cannot read {path}: {why}")),
            }],
            unreadable: true,
        };
    };
    if !meta.is_dir() {
        let i = input(path.to_owned(), max);
        let unreadable = matches!(i.content, Content::Unreadable(_));
        return Found {
            inputs: vec![i],
            unreadable,
        };
    }
    let mut files = Vec::new();
    let mut unreadable = false;
    let mut problems = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(path)];
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                unreadable = true;
                problems.push(Input {
                    path: dir.display().to_string(),
                    format: Format::Yaml,
                    content: Content::Unreadable(format!(
                        "cannot read directory {}: {e}",
                        dir.display()
                    )),
                });
                continue;
            }
        };
        for entry in entries.flatten() {
            let p = entry.path();
            let Ok(ft) = entry.file_type() else {
                continue;
            };
            if ft.is_dir() {
                if keep(&p, Seen::Dir) {
                    stack.push(p);
                }
            // Files, symlinks and special files (a FIFO, a socket) named like requests: a
            // special file is reported by `read` as not a regular file, never opened.
            } else if is_request_file(&p) && keep(&p, Seen::File) {
                files.push(p.display().to_string());
            }
        }
    }
    files.sort();
    let inputs: Vec<Input> = files.into_iter().map(|f| input(f, max)).collect();
    unreadable |= inputs
        .iter()
        .any(|i| matches!(i.content, Content::Unreadable(_)));
    let mut all = problems;
    all.extend(inputs);
    Found {
        inputs: all,
        unreadable,
    }
}
