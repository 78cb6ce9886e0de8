//! Where `check` writes its output: standard output, or the file of `--output`, written under a
//! temporary name beside it and renamed over it once complete, so that a reader (a browser
//! opening `report.html`, a CI step uploading SARIF) never sees half a report, and a failed run
//! leaves the previous file as it was.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// The output of a run.
pub enum Sink {
    /// Standard output.
    Stdout(io::Stdout),
    /// A file, complete only after [`Sink::commit`].
    File(FileSink),
}

/// The temporary file being written and the path it becomes.
pub struct FileSink {
    file: Option<BufWriter<File>>,
    tmp: PathBuf,
    target: PathBuf,
}

impl Sink {
    /// Standard output, or a temporary file beside `path`.
    pub fn open(path: Option<&Path>) -> io::Result<Sink> {
        let Some(path) = path else {
            return Ok(Sink::Stdout(io::stdout()));
        };
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = path
            .file_name()
            .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
        let tmp = dir.join(format!(
            ".{name}.runcommand-lint-{}.tmp",
            std::process::id()
        ));
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)?;
        Ok(Sink::File(FileSink {
            file: Some(BufWriter::with_capacity(1 << 16, file)),
            tmp,
            target: path.to_path_buf(),
        }))
    }

    /// Whether the output is a terminal (for colour).
    pub fn is_terminal(&self) -> bool {
        use std::io::IsTerminal as _;
        match self {
            Sink::Stdout(s) => s.is_terminal(),
            Sink::File(_) => false,
        }
    }

    /// Completes the output: flushes standard output, or renames the file into place.
    pub fn commit(self) -> io::Result<()> {
        match self {
            Sink::Stdout(mut s) => s.flush(),
            Sink::File(mut f) => {
                let Some(w) = f.file.take() else {
                    return Ok(());
                };
                let file = w.into_inner().map_err(io::IntoInnerError::into_error)?;
                file.sync_all()?;
                drop(file);
                std::fs::rename(&f.tmp, &f.target)
            }
        }
    }
}

impl Drop for FileSink {
    /// A file not committed (a failed write, an early return) is removed.
    fn drop(&mut self) {
        // After a commit the name is gone and this does nothing.
        drop(self.file.take());
        let _ = std::fs::remove_file(&self.tmp);
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(s) => s.write(buf),
            Sink::File(f) => match &mut f.file {
                Some(w) => w.write(buf),
                None => Err(io::Error::other("the output is already complete")),
            },
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Sink::Stdout(s) => s.write_all(buf),
            Sink::File(f) => match &mut f.file {
                Some(w) => w.write_all(buf),
                None => Err(io::Error::other("the output is already complete")),
            },
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(s) => s.flush(),
            // The file is flushed once, when committed: a flush per batch would only cost.
            Sink::File(_) => Ok(()),
        }
    }
}
