//! The parallel part of `check`: the producer turns planned sources into batches of jobs (a
//! file, a line of a request log) within a byte budget, and the pool reads and checks each job
//! (`Engine::check_source`, and `--fix`/`--diff` through the engine).

use super::*;

/// How many jobs, and how many bytes of them, one batch holds at most.
pub(super) const BATCH_JOBS: usize = 512;
pub(super) const BATCH_BYTES: u64 = 8 << 20;

/// The bytes the file jobs of one batch may read: [`BATCH_BYTES`], or one file of any size when
/// it is the first.
pub(super) struct Budget(AtomicU64);

impl Budget {
    pub(super) fn new() -> Budget {
        Budget(AtomicU64::new(0))
    }

    /// Takes `bytes` from the budget, if they fit.
    pub(super) fn claim(&self, bytes: u64) -> bool {
        self.0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |used| {
                (used == 0 || used.saturating_add(bytes) <= BATCH_BYTES)
                    .then(|| used.saturating_add(bytes))
            })
            .is_ok()
    }
}

/// A job of the pool: checked, or handed back unread (its file did not fit the batch's budget).
pub(super) enum Outcome {
    Done(Box<Done>),
    Deferred(Job),
}

/// One unit of checking work.
pub(super) struct Job {
    pub(super) work: Work,
    pub(super) config: Option<Arc<Config>>,
    /// Index of the source it comes from (files are counted once).
    pub(super) source: usize,
    /// Named on the command line (checked even when it does not look like a request).
    pub(super) named: bool,
}

pub(super) enum Work {
    /// A whole file (its bytes already read for standard input).
    File {
        path: String,
        format: Format,
        content: Option<Content>,
        /// Read from standard input (never written back by `--fix`).
        stdin: bool,
    },
    /// One line of a request log.
    Line {
        path: Arc<str>,
        number: usize,
        bytes: Vec<u8>,
    },
    /// A line longer than the size cap.
    LongLine {
        path: Arc<str>,
        number: usize,
        len: u64,
    },
    /// A path that could not be walked or read.
    Problem {
        path: String,
        message: String,
        unreadable: bool,
    },
}

/// A checked job.
pub(super) struct Done {
    pub(super) report: FileReport,
    /// What `--fix` / `--diff` did to the file.
    pub(super) fixed: Option<Box<crate::fixes::FileFix>>,
    pub(super) config: Option<Arc<Config>>,
    pub(super) source: usize,
    pub(super) named: bool,
    pub(super) is_line: bool,
    /// A path that could not be walked or read (counted as a file when it is a file that could
    /// not be read, not when it is a symlink loop).
    pub(super) is_problem: bool,
    pub(super) unreadable: bool,
    pub(super) bytes: u64,
}

/// The request log being read.
pub(super) struct LineReader {
    pub(super) reader: Box<dyn BufRead + Send>,
    pub(super) path: Arc<str>,
    pub(super) number: usize,
    pub(super) source: usize,
    pub(super) named: bool,
    pub(super) config: Option<Arc<Config>>,
}

pub(super) enum LineRead {
    Line,
    TooLong(u64),
    Eof,
}

/// Reads one line into `buf` (without its `\n`), keeping at most `max` bytes: a longer line is
/// consumed and reported by its length.
pub(super) fn read_line_capped(
    r: &mut dyn BufRead,
    max: u64,
    buf: &mut Vec<u8>,
) -> std::io::Result<LineRead> {
    buf.clear();
    let mut len: u64 = 0;
    let mut any = false;
    loop {
        let chunk = r.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        any = true;
        let (part, newline) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (chunk.get(..i).unwrap_or(&[]), true),
            None => (chunk, false),
        };
        len += part.len() as u64;
        if len <= max {
            buf.extend_from_slice(part);
        }
        let used = part.len() + usize::from(newline);
        r.consume(used);
        if newline {
            break;
        }
    }
    if !any {
        Ok(LineRead::Eof)
    } else if len > max {
        buf.clear();
        Ok(LineRead::TooLong(len))
    } else {
        Ok(LineRead::Line)
    }
}

/// Turns the planned sources into batches of jobs.
pub(super) struct Producer {
    pub(super) sources: std::iter::Enumerate<std::vec::IntoIter<Planned>>,
    /// How many jobs the next batch holds at most (fewer after a batch whose files did not all
    /// fit its budget).
    pub(super) limit: usize,
    pub(super) lines: Option<LineReader>,
    pub(super) max: u64,
    pub(super) input_format: InputFormat,
    pub(super) stdin_name: String,
    /// Whether standard input could not be read.
    pub(super) unreadable: bool,
}

impl Producer {
    pub(super) fn next_batch(&mut self) -> Vec<Job> {
        let mut jobs = Vec::new();
        let mut bytes: u64 = 0;
        while jobs.len() < self.limit && bytes < BATCH_BYTES {
            if let Some(lr) = &mut self.lines {
                let mut buf = Vec::new();
                let read = read_line_capped(lr.reader.as_mut(), self.max, &mut buf);
                // A read error ends the log with a problem, which is never skipped.
                let (work, failed) = match read {
                    Ok(LineRead::Eof) => {
                        self.lines = None;
                        continue;
                    }
                    Ok(LineRead::Line) => {
                        lr.number += 1;
                        bytes += buf.len() as u64 + 1;
                        let path = Arc::clone(&lr.path);
                        let number = lr.number;
                        (
                            Work::Line {
                                path,
                                number,
                                bytes: buf,
                            },
                            false,
                        )
                    }
                    Ok(LineRead::TooLong(len)) => {
                        lr.number += 1;
                        let path = Arc::clone(&lr.path);
                        (
                            Work::LongLine {
                                path,
                                number: lr.number,
                                len,
                            },
                            false,
                        )
                    }
                    Err(e) => {
                        let path = lr.path.to_string();
                        let message = format!("cannot read {path} after line {}: {e}", lr.number);
                        let work = Work::Problem {
                            path,
                            message,
                            unreadable: true,
                        };
                        (work, true)
                    }
                };
                jobs.push(Job {
                    work,
                    config: lr.config.clone(),
                    source: lr.source,
                    named: lr.named || failed,
                });
                if failed {
                    self.lines = None;
                }
                continue;
            }
            let Some((index, planned)) = self.sources.next() else {
                break;
            };
            let Planned { source, config } = planned;
            let (work, named, size) = match source {
                Planned0::Stdin => {
                    let name = self.stdin_name.clone();
                    match syntax_of(&name, self.input_format) {
                        Syntax::Lines => {
                            self.lines = Some(LineReader {
                                reader: Box::new(std::io::BufReader::new(std::io::stdin())),
                                path: Arc::from(name.as_str()),
                                number: 0,
                                source: index,
                                named: true,
                                config,
                            });
                            continue;
                        }
                        Syntax::Document(format) => {
                            let content = self.read_stdin();
                            (
                                Work::File {
                                    path: name,
                                    format,
                                    content: Some(content),
                                    stdin: true,
                                },
                                true,
                                0,
                            )
                        }
                    }
                }
                Planned0::Source(Source::Problem {
                    path,
                    message,
                    unreadable,
                }) => (
                    Work::Problem {
                        path,
                        message,
                        unreadable,
                    },
                    true,
                    0,
                ),
                Planned0::Source(Source::File { path, named, size }) => {
                    let forced = if named {
                        self.input_format
                    } else {
                        InputFormat::Auto
                    };
                    match syntax_of(&path, forced) {
                        Syntax::Lines => match std::fs::File::open(&path) {
                            Ok(f) => {
                                self.lines = Some(LineReader {
                                    reader: Box::new(std::io::BufReader::with_capacity(1 << 16, f)),
                                    path: Arc::from(path.as_str()),
                                    number: 0,
                                    source: index,
                                    named,
                                    config,
                                });
                                continue;
                            }
                            Err(e) => (
                                Work::Problem {
                                    message: format!("cannot read {path}: {e}"),
                                    path,
                                    unreadable: true,
                                },
                                true,
                                0,
                            ),
                        },
                        Syntax::Document(format) => (
                            Work::File {
                                path,
                                format,
                                content: None,
                                stdin: false,
                            },
                            named,
                            size,
                        ),
                    }
                }
            };
            bytes += size;
            jobs.push(Job {
                work,
                config,
                source: index,
                named,
            });
        }
        jobs
    }

    pub(super) fn read_stdin(&mut self) -> Content {
        let mut bytes = Vec::new();
        match std::io::stdin()
            .take(self.max.saturating_add(1))
            .read_to_end(&mut bytes)
        {
            Ok(n) if n as u64 > self.max => Content::TooLarge(n as u64),
            Ok(_) => Content::Bytes(bytes),
            Err(e) => {
                self.unreadable = true;
                Content::Unreadable(format!("cannot read standard input: {e}"))
            }
        }
    }
}

/// Checks one job on a pool thread, unless it is a file that does not fit the batch's budget.
pub(super) fn run_job(
    engine: &Engine,
    mut job: Job,
    max: u64,
    parse_only: bool,
    fixing: Option<Fixing>,
    budget: &Budget,
) -> Outcome {
    if let Work::File {
        path,
        content: content @ None,
        ..
    } = &mut job.work
    {
        *content = Some(match walk::open(path, max, !job.named) {
            Ok(file) if !budget.claim(file.size()) => return Outcome::Deferred(job),
            Ok(file) => file.read(path, max),
            Err(unread) => unread,
        });
    }
    Outcome::Done(Box::new(check_job(engine, job, max, parse_only, fixing)))
}

/// Checks one job.
pub(super) fn check_job(
    engine: &Engine,
    job: Job,
    max: u64,
    parse_only: bool,
    fixing: Option<Fixing>,
) -> Done {
    let config = job.config.as_deref();
    let mut fixed = None;
    let mut unreadable = false;
    let mut is_line = false;
    let is_problem = matches!(job.work, Work::Problem { .. });
    let (report, bytes) = match job.work {
        Work::File {
            path,
            format,
            content,
            stdin,
        } => {
            let mut content = content.unwrap_or_else(|| walk::read(&path, max, !job.named));
            if let (Some(fx), Content::Bytes(bytes)) = (fixing, &content) {
                let outcome =
                    crate::fixes::fix_file(engine, &path, format, bytes, config, fx, stdin);
                if let Some(new) = outcome.checked_content() {
                    content = new;
                }
                fixed = Some(Box::new(outcome));
            }
            unreadable = matches!(content, Content::Unreadable(_));
            let len = match &content {
                Content::Bytes(b) => b.len() as u64,
                _ => 0,
            };
            let report = match content {
                Content::Bytes(b) if parse_only => {
                    let p = path.clone();
                    runcommand_rules::guarded(&path, move || {
                        runcommand_rules::parse_only(&p, &b, format)
                    })
                }
                content => engine.check_source(
                    runcommand_rules::Source::File {
                        path: &path,
                        format,
                        content: &content,
                    },
                    config,
                ),
            };
            (report, len)
        }
        Work::Line {
            path,
            number,
            bytes,
        } => {
            is_line = true;
            let len = bytes.len() as u64 + 1;
            let report = runcommand_rules::guarded(&path, || {
                if parse_only {
                    runcommand_rules::records::parse_only_line(&path, &bytes, number)
                } else {
                    engine.check_source(
                        runcommand_rules::Source::Line {
                            path: &path,
                            bytes: &bytes,
                            number,
                        },
                        config,
                    )
                }
            });
            (report, len)
        }
        Work::LongLine { path, number, len } => {
            is_line = true;
            (engine.long_line(&path, number, len), len + 1)
        }
        Work::Problem {
            path,
            message,
            unreadable: u,
        } => {
            unreadable = u;
            (
                FileReport::failed(&path, runcommand_catalog::code::LINT_IO, message),
                0,
            )
        }
    };
    Done {
        report,
        fixed,
        config: job.config,
        source: job.source,
        named: job.named,
        is_line,
        is_problem,
        unreadable,
        bytes,
    }
}

/// What `--fix` and `--diff` ask of each file.
#[derive(Clone, Copy, Debug)]
pub struct Fixing {
    /// Write the fixed text back (`--fix`); else only show it (`--diff`).
    pub write: bool,
    /// Apply unsafe fixes too.
    pub unsafe_fixes: bool,
}
