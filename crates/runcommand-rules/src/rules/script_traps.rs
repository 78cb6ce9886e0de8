//! Script traps (issue 16), found without ShellCheck:
//! - `Lint.FoldedScript` (error): `CommandContent` written as a YAML folded block scalar (`>`,
//!   `>-`, `>+`) whose lines YAML joins with spaces: `#!/bin/bash` and the next command become one
//!   comment line, and the script does not run as written. Reported when the value has fewer
//!   non-empty lines than the block (lines were joined). The fix (unsafe: it changes the value
//!   sent) turns the block into a literal one (`|`), keeping its chomping indicator.
//! - `Lint.ScriptTypeMismatch` (warning): the script plainly belongs to another `Type`: a shell
//!   shebang (`#!/bin/bash`, `#!/usr/bin/env sh`) or a `set -e` line under RunPowerShellScript or
//!   RunBatScript; `$env:` or a `Write-Host` line (PowerShell), or `@echo off` (batch) under
//!   RunShellScript; `@echo off` under RunPowerShellScript; `$env:` or `Write-Host` under
//!   RunBatScript. The first such mark is reported, once per request.
//! - `Lint.CrlfScript` (warning): RunShellScript content with CR LF line endings: bash reads the
//!   `\r` into the last word of each line (`cd /opt\r` fails). (YAML turns the line breaks of a
//!   block scalar into LF, so a CR comes from a `\r` escape, a JSON string or Base64 content.) The
//!   safe fix removes the `\r` escapes from a JSON or double-quoted string; Base64 content gets no
//!   fix.
//!
//! A PowerShell or batch script under `ContainerId`/`ContainerName` is `containers`' error.

use runcommand_catalog::{code, param};
use runcommand_document::Style;

use crate::diagnostic::{Diagnostic, Fix};
use crate::request::Request;
use crate::request::script::script;
use crate::rules::Rule;

pub const RULE: Rule = Rule {
    name: "script-traps",
    codes: &[
        code::LINT_FOLDED_SCRIPT,
        code::LINT_SCRIPT_TYPE_MISMATCH,
        code::LINT_CRLF_SCRIPT,
    ],
    check,
};

fn check(req: &Request<'_>, _ctx: &crate::Context<'_>, out: &mut Vec<Diagnostic>) {
    folded(req, out);
    let Some(kind) = req.str(param::TYPE).map(|t| t.value) else {
        return;
    };
    let Some(script) = script(req) else {
        return;
    };
    if let Some((range, what, meant)) = mismatch(&script.text, kind) {
        out.push(
            Diagnostic::new(
                code::LINT_SCRIPT_TYPE_MISMATCH,
                script.span(req, range),
                format!("{what} under Type {kind}: the script looks like a {meant} script"),
            )
            .param("Type")
            .help(format!(
                "set the Type of a {meant} script, or write the script for {kind}"
            )),
        );
    }
    if kind == "RunShellScript"
        && let Some(cr) = memchr::memmem::find(script.text.as_bytes(), b"\r\n")
    {
        let mut d = Diagnostic::new(
            code::LINT_CRLF_SCRIPT,
            script.span(req, cr..cr + 1),
            "the script has CR LF line endings: bash reads each `\\r` into the line's last word",
        )
        .param("CommandContent")
        .help("use LF line endings");
        if !script.decoded
            && req.composed(script.value.node).is_none()
            && let Some(fixed) = without_cr_escapes(req, script.value.node)
        {
            d = d.fix(Fix {
                title: "Remove the `\\r` characters".to_owned(),
                span: script.value.span(),
                replacement: fixed,
                safe: true,
            });
        }
        out.push(d);
    }
}

/// `Lint.FoldedScript`.
fn folded(req: &Request<'_>, out: &mut Vec<Diagnostic>) {
    let Some(content) = req.str(param::COMMAND_CONTENT) else {
        return;
    };
    let Some(s) = content.node.as_scalar() else {
        return;
    };
    if s.style != Style::Folded || req.composed(content.node).is_some() {
        return;
    }
    let span = content.span();
    let Some(raw) = req.text.get(span.clone()) else {
        return;
    };
    // The block's lines (without a header line the span may hold).
    let body = if raw.starts_with('>') {
        raw.split_once('\n').map_or("", |(_, b)| b)
    } else {
        raw
    };
    let block_lines = body.lines().filter(|l| !l.trim().is_empty()).count();
    let value_lines = content
        .value
        .lines()
        .filter(|l| !l.trim().is_empty())
        .count();
    if value_lines >= block_lines {
        return;
    }
    let mut d = Diagnostic::new(
        code::LINT_FOLDED_SCRIPT,
        span.clone(),
        format!(
            "CommandContent is a folded block (`>`): YAML joins its {block_lines} lines into {value_lines}, so the script does not run as written"
        ),
    )
    .param("CommandContent")
    .help("write the script as a literal block (`|`), which keeps its lines");
    if let Some(at) = header(req.text, span.start) {
        d = d.fix(Fix {
            title: "Make it a literal block (`|`)".to_owned(),
            span: at..at + 1,
            replacement: "|".to_owned(),
            safe: false,
        });
    }
    out.push(d);
}

/// The offset of the `>` of a folded block's header, the scalar's span starting at `start`
/// (the header itself, or the block's first line).
fn header(text: &str, start: usize) -> Option<usize> {
    if text.as_bytes().get(start) == Some(&b'>') {
        return Some(start);
    }
    // The header line ends before the block's first line.
    let before = text.get(..start)?;
    let line_end = before.rfind('\n')?;
    let line_start = before.get(..line_end)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(line_start..line_end)?;
    let code = line.split(" #").next().unwrap_or(line);
    code.rfind('>').map(|i| line_start + i)
}

/// What [`line_mark`] returns: the mark's range, what it is, the type it means.
type Mark = (std::ops::Range<usize>, String, &'static str);

/// The first mark of a script meant for another type: (its range, what it is, the type it means).
///
/// Every mark but `$env:` is at the start of a line (after blanks), so a line is read only when
/// its first byte after ASCII blanks may start one (`#`, `s`, `@`, `w`/`W`, or a non-ASCII byte,
/// which [`str::trim`] may also take for a blank), or when it holds the script's first `$env:`:
/// no copies and no per-line trimming of the many lines that cannot hold a mark.
fn mismatch(script: &str, kind: &str) -> Option<Mark> {
    let (shell, powershell, batch) = looked_for(kind)?;
    let b = script.as_bytes();
    // The first `$env:` (any case) of the script: the line holding it has a PowerShell mark.
    let env_at = if powershell {
        memchr::memchr_iter(b'$', b).find(|&i| {
            b.get(i + 1..i + 5)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"env:"))
        })
    } else {
        None
    };
    let mut start = 0usize;
    while start <= b.len() {
        let end = b
            .get(start..)
            .and_then(|rest| memchr::memchr(b'\n', rest))
            .map_or(b.len(), |k| start + k);
        let lead = b.get(start..end).and_then(|l| {
            l.iter()
                .find(|c| !matches!(c, b' ' | b'\t' | b'\r' | 0x0b | 0x0c))
        });
        let may_mark = env_at.is_some_and(|e| (start..end).contains(&e))
            || lead.is_some_and(|&c| {
                c >= 0x80
                    || (shell && c == b's')
                    || (shell && start == 0 && c == b'#')
                    || (batch && c == b'@')
                    || (powershell && matches!(c, b'w' | b'W'))
            });
        if may_mark
            && let Some(line) = script.get(start..end)
            && let Some(found) = line_mark(line, start, kind, (shell, powershell, batch))
        {
            return Some(found);
        }
        start = end + 1;
    }
    None
}

/// Which signs are looked for under `kind`, as (shell, PowerShell, batch): only those of
/// another language than its own.
fn looked_for(kind: &str) -> Option<(bool, bool, bool)> {
    match kind {
        "RunShellScript" => Some((false, true, true)),
        "RunPowerShellScript" => Some((true, false, true)),
        "RunBatScript" => Some((true, true, false)),
        _ => None,
    }
}

/// The mark of another type on one line (starting at `start` in the script), if any.
fn line_mark(
    line: &str,
    start: usize,
    kind: &str,
    (shell, powershell, batch): (bool, bool, bool),
) -> Option<Mark> {
    let lead = line.len() - line.trim_start().len();
    let t = line.trim();
    let range = start + lead..start + lead + t.len();
    let shell_shebang = shell && start == 0 && shell_shebang(t);
    let set_e = shell && (t.starts_with("set -e") || t.starts_with("set -o errexit"));
    let batch = batch && t.eq_ignore_ascii_case("@echo off");
    let powershell = powershell && looks_like_powershell(t);
    match kind {
        "RunPowerShellScript" | "RunBatScript" if shell_shebang => {
            Some((range, "a shell shebang".to_owned(), "RunShellScript"))
        }
        "RunPowerShellScript" | "RunBatScript" if set_e => {
            Some((range, format!("`{t}`"), "RunShellScript"))
        }
        "RunShellScript" | "RunBatScript" if powershell => {
            Some((range, format!("`{t}`"), "RunPowerShellScript"))
        }
        "RunShellScript" | "RunPowerShellScript" if batch => {
            Some((range, format!("`{t}`"), "RunBatScript"))
        }
        _ => None,
    }
}

/// Whether a line starts with `Write-Host ` or holds `$env:` (any case).
fn looks_like_powershell(t: &str) -> bool {
    let b = t.as_bytes();
    if b.get(..11)
        .is_some_and(|p| p.eq_ignore_ascii_case(b"write-host "))
    {
        return true;
    }
    memchr::memchr_iter(b'$', b).any(|i| {
        b.get(i + 1..i + 5)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"env:"))
    })
}

/// Whether a line is a shebang naming a Unix shell (`#!/bin/bash`, `#!/usr/bin/env sh`).
fn shell_shebang(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("#!") else {
        return false;
    };
    let mut words = rest.split_whitespace();
    let program = words
        .next()
        .and_then(|w| w.rsplit('/').next())
        .unwrap_or("");
    let program = if program == "env" {
        words.find(|w| !w.starts_with('-')).unwrap_or("")
    } else {
        program
    };
    matches!(program, "bash" | "sh" | "dash" | "zsh" | "ksh")
}

/// The raw token of a JSON or double-quoted string without its `\r` escapes.
fn without_cr_escapes(req: &Request<'_>, node: &runcommand_document::Node) -> Option<String> {
    let s = node.as_scalar()?;
    if !matches!(s.style, Style::JsonString | Style::DoubleQuoted) {
        return None;
    }
    let raw = req.text.get(node.span.clone())?;
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('r') => {}
            Some(n) => {
                out.push('\\');
                out.push(n);
            }
            None => out.push('\\'),
        }
    }
    (out != raw).then_some(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use runcommand_document::Format;

    use crate::check_bytes;

    const HEAD: &str = "RegionId: cn-hangzhou\nInstanceId: [i-bp185dy2o3o6neg1234]\n";

    fn found(src: &str, format: Format) -> Vec<(&'static str, String, Option<String>)> {
        let r = check_bytes("t", src.as_bytes(), format);
        r.diagnostics
            .iter()
            .map(|d| {
                (
                    d.code.as_str(),
                    r.text[d.span.clone()].to_owned(),
                    d.fix.as_ref().map(|f| f.replacement.clone()),
                )
            })
            .collect()
    }

    #[test]
    fn a_folded_script_is_an_error_with_a_literal_block_fix() {
        let src = format!(
            "{HEAD}Type: RunShellScript\nCommandContent: >-  # the setup\n  #!/bin/bash\n  echo hello\n"
        );
        let f = found(&src, Format::Yaml);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].0, "Lint.FoldedScript");
        assert_eq!(f[0].2.as_deref(), Some("|"));
        // The fix makes it a literal block: clean.
        let fixed = src.replacen(">-", "|-", 1);
        assert_eq!(found(&fixed, Format::Yaml), vec![]);
        // A folded block of one line joins nothing.
        let one = format!("{HEAD}Type: RunShellScript\nCommandContent: >\n  echo hello\n");
        assert_eq!(found(&one, Format::Yaml), vec![]);
    }

    #[test]
    fn scripts_of_another_type_warn() {
        for (kind, script, mark) in [
            (
                "RunPowerShellScript",
                "#!/bin/bash\\necho hi",
                "#!/bin/bash",
            ),
            (
                "RunBatScript",
                "dir\\nset -euo pipefail",
                "set -euo pipefail",
            ),
            ("RunShellScript", "Write-Host hello", "Write-Host hello"),
            ("RunShellScript", "echo $env:PATH", "echo $env:PATH"),
            ("RunPowerShellScript", "@echo off\\ndir", "@echo off"),
        ] {
            let src = format!("{HEAD}Type: {kind}\nCommandContent: \"{script}\"\n");
            let f = found(&src, Format::Yaml);
            assert_eq!(
                f.iter()
                    .map(|(c, t, _)| (*c, t.as_str()))
                    .collect::<Vec<_>>(),
                vec![("Lint.ScriptTypeMismatch", mark)],
                "{kind} {script}"
            );
        }
        let fine = format!(
            "{HEAD}Type: RunShellScript\nCommandContent: \"#!/bin/bash\\nset -e\\necho $HOME\"\n"
        );
        assert_eq!(found(&fine, Format::Yaml), vec![]);
    }

    #[test]
    fn crlf_shell_scripts_warn_with_a_safe_fix() {
        let src = r#"{"RegionId": "cn-hangzhou", "InstanceId": ["i-bp185dy2o3o6neg1234"], "Type": "RunShellScript", "CommandContent": "cd /opt\r\n./run.sh\r\n"}"#;
        let f = found(src, Format::Json);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].0, "Lint.CrlfScript");
        assert_eq!(f[0].1, "\\r");
        assert_eq!(f[0].2.as_deref(), Some(r#""cd /opt\n./run.sh\n""#));
        // Under PowerShell, CR LF is fine.
        let ps = src.replace("RunShellScript", "RunPowerShellScript");
        assert_eq!(found(&ps, Format::Json), vec![]);
    }
}

/// The line filter of [`mismatch`] against reading every line with [`line_mark`]: the same
/// first mark on any script.
#[cfg(test)]
mod oracle {
    use super::*;
    use proptest::prelude::*;

    fn every_line(script: &str, kind: &str) -> Option<Mark> {
        let flags = looked_for(kind)?;
        let mut at = 0usize;
        for line in script.split('\n') {
            let start = at;
            at += line.len() + 1;
            if let Some(m) = line_mark(line, start, kind, flags) {
                return Some(m);
            }
        }
        None
    }

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("#!/bin/bash".to_owned()),
            Just("#!/usr/bin/env  sh".to_owned()),
            Just("set -e".to_owned()),
            Just("set -o errexit".to_owned()),
            Just("@ECHO OFF".to_owned()),
            Just("Write-Host hi".to_owned()),
            Just("echo $ENV:path".to_owned()),
            Just("$env".to_owned()),
            Just("\u{3000}@echo off".to_owned()),
            Just("\u{a0}set -e".to_owned()),
            "[ \t\r\x0b\x0cA-Za-z$:#@!/-]{0,12}",
        ]
    }

    proptest! {
        #[test]
        fn the_line_filter_drops_no_mark(
            lines in proptest::collection::vec(piece(), 0..8),
            kind in prop_oneof![
                Just("RunShellScript"),
                Just("RunPowerShellScript"),
                Just("RunBatScript"),
                Just("Other"),
            ],
        ) {
            let script = lines.join("\n");
            prop_assert_eq!(mismatch(&script, kind), every_line(&script, kind));
        }
    }
}
