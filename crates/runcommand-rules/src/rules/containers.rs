//! Containers (decisions.md §3 "Containers"), checked by `runcommand-container`.
//!
//! - `ContainerId` not matching `^(docker://|containerd://|cri-o://)?[0-9a-f]{64}$` →
//!   `InvalidContainerId.Malformed`; `ContainerName` not matching `^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$`
//!   or over 255 characters → `InvalidContainerName.Malformed`. Evidence rule: uppercase
//!   hexadecimal digits in an ID and a name over 255 characters give these codes as **warnings**
//!   (the reference documents 64 hexadecimal characters and the agent the name pattern; the case
//!   and the length bound are inferred). One finding per value, with the
//!   parser's message, underlining the part at fault (mapped); choice: an empty span (an empty
//!   value, `docker://` with nothing after it) underlines the whole value.
//!
//! With a container (a non-empty `ContainerId` or `ContainerName`, even a malformed one: the author
//! means to run in a container):
//! - `Type` other than `RunShellScript` → `Lint.ContainerRequiresShell` (error) on the `Type`
//!   value. Choice: only for the known values (`RunBatScript`, `RunPowerShellScript`); a misspelt
//!   Type already has its own finding.
//! - a `#!` interpreter line at the start of the script (after an optional BOM and blank lines; on
//!   the decoded script when ContentEncoding is Base64, then reported at the whole value) →
//!   `Lint.ContainerShebangIgnored` (warning) on that line.
//! - `Username` and `WorkingDir` → `Lint.IgnoredInContainer` (warning) on each key.

use runcommand_catalog::code;
use runcommand_catalog::param;
use runcommand_container::{ContainerErrorKind, check_container_id, check_container_name, shebang};

use super::{Rule, map};
use crate::Context;
use crate::diagnostic::Diagnostic;
use crate::request::Request;
use crate::request::script::script;

pub(super) const RULE: Rule = Rule {
    name: "containers",
    codes: &[
        code::INVALID_CONTAINER_ID_MALFORMED,
        code::INVALID_CONTAINER_NAME_MALFORMED,
        code::LINT_CONTAINER_REQUIRES_SHELL,
        code::LINT_CONTAINER_SHEBANG_IGNORED,
        code::LINT_IGNORED_IN_CONTAINER,
    ],
    check,
};

fn check(req: &Request<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let id = req.str(param::CONTAINER_ID);
    let name = req.str(param::CONTAINER_NAME);
    if let Some(id) = id
        && let Err(e) = check_container_id(id.value)
    {
        let span = if e.span.is_empty() {
            id.span()
        } else {
            map(req, &id, e.span.clone())
        };
        let mut d = Diagnostic::new(code::INVALID_CONTAINER_ID_MALFORMED, span, e.message)
                .param("ContainerId")
                .help("give the full 64-character ID, e.g. from `docker inspect --format '{{.Id}}' NAME`, optionally prefixed by docker://, containerd:// or cri-o://");
        // Evidence rule: the reference documents 64 hexadecimal characters, not their case.
        if e.kind == ContainerErrorKind::UppercaseHex {
            d = d.inferred();
        }
        out.push(d);
    }
    if let Some(name) = name
        && let Err(e) = check_container_name(name.value)
    {
        let span = if e.span.is_empty() {
            name.span()
        } else {
            map(req, &name, e.span.clone())
        };
        let mut d = Diagnostic::new(code::INVALID_CONTAINER_NAME_MALFORMED, span, e.message)
                .param("ContainerName")
                .help("container names are letters, digits, `_`, `.` and `-`, starting with a letter or digit (an optional leading `/`)");
        // Evidence rule: the pattern is the agent's; no source gives a length.
        if matches!(e.kind, ContainerErrorKind::NameTooLong { .. }) {
            d = d.inferred();
        }
        out.push(d);
    }
    let container = [id, name].iter().flatten().any(|t| !t.value.is_empty());
    if !container {
        return;
    }
    if let Some(ty) = req.str(param::TYPE)
        && matches!(ty.value, "RunBatScript" | "RunPowerShellScript")
    {
        out.push(
            Diagnostic::new(
                code::LINT_CONTAINER_REQUIRES_SHELL,
                ty.span(),
                format!(
                    "commands in a container run only as shell scripts, but Type is {}",
                    ty.value
                ),
            )
            .param("Type")
            .help("use `Type: RunShellScript`, or run on the instance itself (remove ContainerId/ContainerName)"),
        );
    }
    if let Some(s) = script(req)
        && let Some(line) = shebang(&s.text)
    {
        out.push(
            Diagnostic::new(
                code::LINT_CONTAINER_SHEBANG_IGNORED,
                s.span(req, line),
                "the `#!` interpreter line is ignored in a container: the script runs as a shell script",
            )
            .param("CommandContent")
            .help("call the interpreter explicitly, e.g. `python3 -c '...'` or `python3 script.py`"),
        );
    }
    for key in ["Username", "WorkingDir"] {
        if let Some(p) = req.get(key) {
            out.push(
                Diagnostic::new(
                    code::LINT_IGNORED_IN_CONTAINER,
                    p.key_span.clone(),
                    format!("{key} is ignored in a container: the command runs as the container's default user in its default working directory"),
                )
                .param(key)
                .help(format!("remove {key}, or run on the instance itself")),
            );
        }
    }
}
