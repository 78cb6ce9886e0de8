//! ShellCheck on the script (issue 16): `ShellCheck.SC<NNNN>` findings at their place in the
//! request file.
//!
//! **What is checked.** `CommandContent` of a request whose `Type` is `RunShellScript` (a bare
//! request, a line of a request log, an OOS step, a ROS resource), Base64 content decoded, when the
//! front end found ShellCheck ([`crate::Settings::shellcheck`]) and the file's configuration does
//! not say `[shellcheck] enabled = false`. Not checked: a request with `Launcher` (the launcher
//! chooses the interpreter), a script whose shebang names no shell ShellCheck knows (`python3`,
//! `perl`, `zsh`), nor a script over 32 KiB (the API rejects it anyway, and ShellCheck's time
//! grows faster than the script on some shapes).
//!
//! **The shell.** The script's shebang (`#!/bin/bash`, `#!/usr/bin/env bash`), read by ShellCheck
//! itself; without one, `sh`: the Cloud Assistant agent saves the script to a file and runs it
//! with `sh -c <file>` (its `taskengine/host/processor.go`), so a script without a shebang runs
//! under the instance's `sh`. `[shellcheck] shell` changes that default.
//!
//! **Stand-ins.** Text the service replaces before the script runs becomes underscores of the
//! same length, so that columns stay right and no stand-in is reported: `{{ }}` placeholders when
//! `EnableParameter` is true (or in an OOS step, where OOS fills its own), and the `${___}`
//! stand-ins of ROS template functions (see `ros`). Without `EnableParameter`, `{{name}}` reaches
//! the instance as written and ShellCheck sees it so.
//!
//! **Findings.** ShellCheck's error, warning and info levels are kept; its style level is info.
//! The message is ShellCheck's, the help its wiki page. Each finding is at its characters in the
//! file, through YAML block and quoted scalars and JSON escapes; in Base64 content, at the value,
//! with the decoded line named. `[shellcheck] severity` (the least level) and `exclude` (codes)
//! filter them; ShellCheck's own `# shellcheck disable=SC2086` directives in the script work as
//! ShellCheck documents; a suppression comment or `ignore = ["ShellCheck.SC2086"]` works as for
//! any code. ShellCheck runs once per distinct script and shell in a run: a check leaves its
//! scripts as [`ScriptJob`]s and [`crate::Engine::resolve_scripts`] gives the scripts of many
//! files to one ShellCheck process per chunk (it takes tens of milliseconds to start and a few to
//! check a script).

use runcommand_catalog::{Code, Severity, param};
use runcommand_document::source_map::ScalarMap;
use runcommand_shellcheck::Level;

use crate::diagnostic::Diagnostic;
use crate::request::Request;
use crate::request::script::placeholders;
use crate::rules::Rule;

pub const RULE: Rule = Rule {
    name: "shellcheck",
    codes: &[],
    check,
};

/// The longest script given to ShellCheck: 32 KiB, above the 24 KB (Base64) the API takes.
const SCRIPT_MAX_BYTES: usize = 32 * 1024;

/// The shells ShellCheck checks.
const SHELLS: &[&str] = &["sh", "bash", "dash", "ksh", "busybox"];

fn check(req: &Request<'_>, ctx: &crate::Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some((program, table)) = ctx.shellcheck else {
        return;
    };
    if req.str(param::TYPE).map(|t| t.value) != Some("RunShellScript") || req.has(param::LAUNCHER) {
        return;
    }
    let Some((script, scan)) = placeholders(req) else {
        return;
    };
    // A script over the API's limit is rejected anyway (`CmdContent.ExceedLimit`), and
    // ShellCheck's time grows faster than the script on some shapes: not given to it.
    if script.text.len() > SCRIPT_MAX_BYTES {
        return;
    }
    let shell = match shebang(&script.text) {
        Some(interpreter) if SHELLS.contains(&interpreter) => None,
        Some(_) => return,
        None => Some(table.shell.as_deref().unwrap_or("sh")),
    };
    // Stand-ins: same byte length, so offsets in the stand-in text are offsets in the script.
    let mut text = script.text.clone().into_owned().into_bytes();
    let mut blank = |r: std::ops::Range<usize>| {
        for b in text.get_mut(r).into_iter().flatten() {
            *b = b'_';
        }
    };
    if req.bool(param::ENABLE_PARAMETER) == Some(true) || req.oos.is_some() {
        for p in &scan.placeholders {
            if !matches!(p.kind, runcommand_template::PlaceholderKind::Invalid) {
                blank(p.span.clone());
            }
        }
    }
    if req.ros.is_some() {
        for r in ros_stand_ins(&script.text) {
            blank(r);
        }
    }
    // Underscores replace whole characters (placeholders and stand-ins are ASCII-delimited), so
    // the text stays UTF-8; if not, nothing is checked rather than a wrong text.
    let Ok(text) = String::from_utf8(text) else {
        return;
    };
    let map = if script.decoded {
        ScriptMap::Whole(script.value.span())
    } else {
        ScriptMap::Chars(
            req.composed(script.value.node)
                .cloned()
                .unwrap_or_else(|| ScalarMap::new(req.text, script.value.node)),
        )
    };
    let least = table
        .severity
        .as_deref()
        .and_then(Level::parse)
        .unwrap_or(Level::Style);
    let job = ScriptJob {
        text,
        shell: shell.map(str::to_owned),
        least,
        exclude: table.exclude.clone(),
        map,
        decoded: script.decoded,
        document: req.index,
    };
    match ctx.scripts {
        Some(jobs) => jobs.borrow_mut().push(job),
        // No run collects scripts (a caller of the rules alone): ShellCheck now.
        None => {
            let answer = program.check(&job.text, job.shell.as_deref());
            if let Ok(comments) = answer.as_ref() {
                job.findings(comments, out);
            }
        }
    }
}

/// Where a script's characters are in the file.
#[derive(Clone, Debug)]
pub(crate) enum ScriptMap {
    /// Character by character (plain content, or content ROS functions compose).
    Chars(ScalarMap),
    /// At the value as a whole (Base64 content, decoded).
    Whole(std::ops::Range<usize>),
}

/// A script waiting for ShellCheck: what a check of a source leaves for
/// [`crate::Engine::resolve_scripts`], which runs ShellCheck on the scripts of many sources at
/// once.
#[derive(Clone, Debug)]
pub struct ScriptJob {
    /// The script with its stand-ins.
    pub(crate) text: String,
    /// The shell when the script has no shebang.
    pub(crate) shell: Option<String>,
    /// The least level reported (`[shellcheck] severity`).
    pub(crate) least: Level,
    /// Codes not reported (`[shellcheck] exclude`).
    pub(crate) exclude: Vec<u32>,
    pub(crate) map: ScriptMap,
    pub(crate) decoded: bool,
    /// The request's index in its file.
    pub(crate) document: usize,
}

impl ScriptJob {
    /// The findings of ShellCheck's comments on this script.
    pub(crate) fn findings(
        &self,
        comments: &[runcommand_shellcheck::Comment],
        out: &mut Vec<Diagnostic>,
    ) {
        let text = self.text.as_str();
        let lines = line_starts(text);
        for c in comments {
            if c.level > self.least || self.exclude.contains(&c.code) {
                continue;
            }
            let Some(code) = Code::shellcheck(c.code) else {
                continue;
            };
            let start = offset(text, &lines, c.line, c.column);
            let mut end = offset(text, &lines, c.end_line, c.end_column).max(start);
            if end == start {
                // A point: the character there (or nothing at the end of the text).
                end = text
                    .get(start..)
                    .and_then(|r| r.chars().next())
                    .map_or(start, |ch| start + ch.len_utf8());
            }
            let mut message = c.message.clone();
            if self.decoded {
                message.push_str(&format!(" (line {} of the decoded script)", c.line));
            }
            let severity = match c.level {
                Level::Error => Severity::Error,
                Level::Warning => Severity::Warning,
                Level::Info | Level::Style => Severity::Info,
            };
            let span = match &self.map {
                ScriptMap::Chars(m) => m.map(start..end),
                ScriptMap::Whole(r) => r.clone(),
            };
            let mut d = Diagnostic::new(code, span, message)
                .param("CommandContent")
                .severity(severity)
                .help(format!("https://www.shellcheck.net/wiki/SC{}", c.code));
            d.document = self.document;
            out.push(d);
        }
    }
}

/// The interpreter a shebang names: the last path component of its program, or the program
/// `env` runs (`#!/usr/bin/env -S bash -e` → `bash`).
fn shebang(script: &str) -> Option<&str> {
    let line = script.strip_prefix("#!")?.lines().next()?;
    let mut words = line.split_whitespace();
    let program = words.next()?.rsplit('/').next()?;
    if program == "env" {
        return words.find(|w| !w.starts_with('-'));
    }
    Some(program)
}

/// The `${___}` stand-ins a ROS composition leaves for unknown pieces.
fn ros_stand_ins(text: &str) -> Vec<std::ops::Range<usize>> {
    let b = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(at) = memchr::memmem::find(b.get(i..).unwrap_or(&[]), b"${_").map(|o| i + o) {
        let mut j = at + 2;
        while b.get(j) == Some(&b'_') {
            j += 1;
        }
        if b.get(j) == Some(&b'}') {
            found.push(at..j + 1);
            i = j + 1;
        } else {
            i = j;
        }
    }
    found
}

/// The byte offset where each line starts.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
        .collect()
}

/// The byte offset of ShellCheck's 1-based (line, column), a column counting characters.
fn offset(text: &str, lines: &[usize], line: usize, column: usize) -> usize {
    let Some(&start) = line.checked_sub(1).and_then(|l| lines.get(l)) else {
        return text.len();
    };
    let rest = text.get(start..).unwrap_or("");
    let line_text = rest.split('\n').next().unwrap_or("");
    match line_text.char_indices().nth(column.saturating_sub(1)) {
        Some((i, _)) => start + i,
        None => start + line_text.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shebangs_name_their_interpreter() {
        assert_eq!(shebang("#!/bin/bash\necho"), Some("bash"));
        assert_eq!(shebang("#!/usr/bin/env -S bash -e\n"), Some("bash"));
        assert_eq!(shebang("#! /bin/sh\n"), Some("sh"));
        assert_eq!(shebang("#!/usr/bin/python3\n"), Some("python3"));
        assert_eq!(shebang("echo\n"), None);
    }

    #[test]
    fn positions_count_characters() {
        let text = "a\n\té $1\n";
        let lines = line_starts(text);
        // Line 2, column 4 is `$` (tab, é, space are one column each).
        assert_eq!(offset(text, &lines, 2, 4), "a\n\té ".len());
        assert_eq!(offset(text, &lines, 2, 99), "a\n\té $1".len());
        assert_eq!(offset(text, &lines, 9, 1), text.len());
    }

    #[test]
    fn ros_stand_ins_are_found() {
        assert_eq!(
            ros_stand_ins("cd ${____} ${x} ${_} ${__"),
            vec![3..10, 16..20]
        );
    }
}
