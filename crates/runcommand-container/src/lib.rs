//! Syntax checks for the container parameters of ECS Cloud Assistant `RunCommand`.
//!
//! This crate knows nothing of the linter engine: every function takes a `&str` and returns values
//! whose spans are [`Range<usize>`] **byte** offsets into that string, always on `char` boundaries.
//!
//! # `ContainerId` ([`check_container_id`])
//!
//! Grammar (decisions §3 "Containers", constraints §2.21):
//!
//! ```text
//! container-id = [ runtime "://" ] 64 * ( %x30-39 / %x61-66 )   ; ^(docker://|containerd://|cri-o://)?[0-9a-f]{64}$
//! runtime      = "docker" / "containerd" / "cri-o"               ; case-sensitive
//! ```
//!
//! Documented choices:
//! - A value containing `://` has a runtime prefix: everything up to and including the first `://`.
//!   Any prefix other than the three lowercase ones (`podman://`, `Docker://`, `://`) is an
//!   [`ContainerErrorKind::UnknownRuntime`] whose span is the whole prefix, `://` included. The agent
//!   reports the same as `UnsupportedContainerRuntime`.
//! - In the ID part, the first character that is not `[0-9a-f]` is reported (span = that character);
//!   uppercase hexadecimal digits get their own kind ([`ContainerErrorKind::UppercaseHex`]), since
//!   only lowercase is documented. Only when every character is a hex digit is the length checked
//!   ([`ContainerErrorKind::WrongLength`], span = the ID part). A 12-character short ID is rejected
//!   (the API documents 64 characters).
//! - An empty ID part (`""`, `docker://`) is [`ContainerErrorKind::EmptyId`], with an empty span at
//!   the end of the value.
//! - No trimming: surrounding whitespace is an invalid character, as the API would see it.
//! - One error per value (the first found, left to right), so that a finding has one span.
//!
//! # `ContainerName` ([`check_container_name`])
//!
//! `^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$` (the agent's `containerNameValidator`, Docker's own rule) and at
//! most [`MAX_CONTAINER_NAME_CHARS`] characters, counting the optional leading `/`.
//! The first bad character is reported; then a name that is too short (fewer than 2 characters after
//! the optional `/`); then one that is too long (span = the characters past the limit).
//!
//! # Interpreter lines ([`shebang`], [`shebang_command`])
//!
//! In a container only shell scripts run and a `#!` interpreter line is ignored (constraints §2.21).
//! [`shebang`] finds a `#!` line at the start of the script. Choice: an optional UTF-8 BOM and any
//! leading ASCII whitespace (spaces, tabs, blank lines) are skipped first, because the author's intent
//! (choose an interpreter) is the same and the line is ignored either way. The span is the line
//! without its terminator (`\n` or `\r\n`).

use std::fmt;
use std::ops::Range;

/// Maximum length of `ContainerName`, in characters (the leading `/` counts).
pub const MAX_CONTAINER_NAME_CHARS: usize =
    runcommand_catalog::limits::CONTAINER_NAME_MAX_CHARS as usize;

/// Length of a full container ID, in hexadecimal characters.
pub const CONTAINER_ID_HEX_LEN: usize = runcommand_catalog::limits::CONTAINER_ID_HEX_CHARS as usize;

/// A container runtime named by a `ContainerId` prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Runtime {
    /// `docker://`
    Docker,
    /// `containerd://`
    Containerd,
    /// `cri-o://`
    CriO,
}

impl Runtime {
    /// All runtimes, in the order the API reference lists them.
    pub const ALL: [Runtime; 3] = [Runtime::Docker, Runtime::Containerd, Runtime::CriO];

    /// The prefix as written in a `ContainerId`, `://` included.
    pub fn prefix(self) -> &'static str {
        match self {
            Runtime::Docker => "docker://",
            Runtime::Containerd => "containerd://",
            Runtime::CriO => "cri-o://",
        }
    }

    /// The runtime for an exact (case-sensitive) prefix such as `docker://`.
    pub fn from_prefix(prefix: &str) -> Option<Runtime> {
        Runtime::ALL.into_iter().find(|r| r.prefix() == prefix)
    }
}

/// A well-formed `ContainerId`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerId {
    /// The runtime prefix, if one was given.
    pub runtime: Option<Runtime>,
    /// Span of the prefix (`://` included), if one was given.
    pub runtime_span: Option<Range<usize>>,
    /// Span of the 64 hexadecimal characters.
    pub hex_span: Range<usize>,
}

/// What is wrong with a container ID or name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContainerErrorKind {
    /// A `://` prefix other than `docker://`, `containerd://`, `cri-o://`.
    UnknownRuntime,
    /// Nothing after the (optional) prefix.
    EmptyId,
    /// An uppercase hexadecimal digit in the ID.
    UppercaseHex,
    /// A character that is not a hexadecimal digit in the ID.
    InvalidCharacter,
    /// All hex digits, but not 64 of them.
    WrongLength {
        /// Number of characters found.
        found: usize,
    },
    /// Empty `ContainerName`.
    EmptyName,
    /// `ContainerName` (after the optional `/`) does not start with a letter or digit.
    BadNameStart,
    /// `ContainerName` has fewer than 2 characters after the optional `/`.
    NameTooShort,
    /// `ContainerName` longer than [`MAX_CONTAINER_NAME_CHARS`].
    NameTooLong {
        /// Number of characters found.
        chars: usize,
    },
}

/// An error with a byte span into the checked value and a precise message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerError {
    /// What is wrong.
    pub kind: ContainerErrorKind,
    /// Byte span in the checked value (may be empty, then it marks a position).
    pub span: Range<usize>,
    /// Human-readable explanation.
    pub message: String,
}

impl fmt::Display for ContainerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ContainerError {}

fn err(kind: ContainerErrorKind, span: Range<usize>, message: String) -> ContainerError {
    ContainerError {
        kind,
        span,
        message,
    }
}

/// Describes a character for a message: printable ones quoted, others as `U+XXXX`.
fn describe_char(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("`{c}`")
    }
}

fn expected_runtimes() -> String {
    let names: Vec<&str> = Runtime::ALL.iter().map(|r| r.prefix()).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => (*last).to_string(),
        None => String::new(),
    }
}

/// Checks a `ContainerId` against `^(docker://|containerd://|cri-o://)?[0-9a-f]{64}$`.
pub fn check_container_id(id: &str) -> Result<ContainerId, ContainerError> {
    let (runtime, runtime_span, hex_start) = match id.find("://") {
        Some(pos) => {
            let end = pos + 3;
            let prefix = id.get(..end).unwrap_or_default();
            match Runtime::from_prefix(prefix) {
                Some(r) => (Some(r), Some(0..end), end),
                None => {
                    let hint = match Runtime::ALL
                        .iter()
                        .find(|r| r.prefix().eq_ignore_ascii_case(prefix))
                    {
                        Some(r) => format!(" (runtime prefixes are lowercase: `{}`)", r.prefix()),
                        None => String::new(),
                    };
                    return Err(err(
                        ContainerErrorKind::UnknownRuntime,
                        0..end,
                        format!(
                            "unknown runtime `{prefix}`; expected {}{hint}",
                            expected_runtimes()
                        ),
                    ));
                }
            }
        }
        None => (None, None, 0),
    };
    let hex = id.get(hex_start..).unwrap_or_default();
    if hex.is_empty() {
        return Err(err(
            ContainerErrorKind::EmptyId,
            id.len()..id.len(),
            "container ID is empty; expected 64 lowercase hexadecimal characters".to_string(),
        ));
    }
    for (i, c) in hex.char_indices() {
        let at = hex_start + i..hex_start + i + c.len_utf8();
        if c.is_ascii_digit() || ('a'..='f').contains(&c) {
            continue;
        }
        if ('A'..='F').contains(&c) {
            return Err(err(
                ContainerErrorKind::UppercaseHex,
                at,
                format!(
                    "uppercase hexadecimal digit `{c}` in container ID; container IDs are 64 lowercase hexadecimal characters"
                ),
            ));
        }
        return Err(err(
            ContainerErrorKind::InvalidCharacter,
            at,
            format!(
                "invalid character {} in container ID; container IDs are 64 lowercase hexadecimal characters",
                describe_char(c)
            ),
        ));
    }
    // Only ASCII hex digits remain, so bytes == characters.
    let found = hex.len();
    if found != CONTAINER_ID_HEX_LEN {
        let hint = if found == 12 {
            " (a short ID is not accepted: use the full ID, e.g. from `docker inspect` or `crictl inspect`)"
        } else {
            ""
        };
        return Err(err(
            ContainerErrorKind::WrongLength { found },
            hex_start..id.len(),
            format!(
                "container ID must be 64 lowercase hexadecimal characters, found {found}{hint}"
            ),
        ));
    }
    Ok(ContainerId {
        runtime,
        runtime_span,
        hex_span: hex_start..id.len(),
    })
}

/// Checks a `ContainerName` against `^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$` and the 255-character limit.
pub fn check_container_name(name: &str) -> Result<(), ContainerError> {
    if name.is_empty() {
        return Err(err(
            ContainerErrorKind::EmptyName,
            0..0,
            "container name is empty".to_string(),
        ));
    }
    let body_start = usize::from(name.starts_with('/'));
    let body = name.get(body_start..).unwrap_or_default();
    for (i, c) in body.char_indices() {
        let at = body_start + i..body_start + i + c.len_utf8();
        if i == 0 {
            if !c.is_ascii_alphanumeric() {
                let what = if c == '/' && body_start == 1 {
                    "only one leading `/` is allowed".to_string()
                } else {
                    format!(
                        "container name must start with a letter or digit{}, found {}",
                        if body_start == 1 { " after `/`" } else { "" },
                        describe_char(c)
                    )
                };
                return Err(err(ContainerErrorKind::BadNameStart, at, what));
            }
        } else if !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')) {
            return Err(err(
                ContainerErrorKind::InvalidCharacter,
                at,
                format!(
                    "invalid character {} in container name; allowed: letters, digits, `_`, `.` and `-` (and one leading `/`)",
                    describe_char(c)
                ),
            ));
        }
    }
    // Only ASCII remains, so bytes == characters.
    if body.len() < 2 {
        return Err(err(
            ContainerErrorKind::NameTooShort,
            0..name.len(),
            "container name must have at least 2 characters (after an optional leading `/`)"
                .to_string(),
        ));
    }
    if name.len() > MAX_CONTAINER_NAME_CHARS {
        return Err(err(
            ContainerErrorKind::NameTooLong { chars: name.len() },
            MAX_CONTAINER_NAME_CHARS..name.len(),
            format!(
                "container name is {} characters long; at most {MAX_CONTAINER_NAME_CHARS} are allowed",
                name.len()
            ),
        ));
    }
    Ok(())
}

/// Byte offset where the script text starts after an optional UTF-8 BOM and leading ASCII
/// whitespace.
fn script_start(script: &str) -> usize {
    let bom = if script.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let rest = script.get(bom..).unwrap_or_default();
    let trimmed = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
    bom + (rest.len() - trimmed.len())
}

/// The span of a `#!` interpreter line at the start of `script`, without its line terminator.
///
/// An optional UTF-8 BOM and leading ASCII whitespace (including blank lines) are skipped.
pub fn shebang(script: &str) -> Option<Range<usize>> {
    let start = script_start(script);
    let rest = script.get(start..)?;
    if !rest.starts_with("#!") {
        return None;
    }
    let line = rest.split('\n').next().unwrap_or_default();
    let line = line.strip_suffix('\r').unwrap_or(line);
    Some(start..start + line.len())
}

/// The span of the program a `#!` line runs: the interpreter path (`/usr/bin/python3`), or the
/// first argument of `env` (`python3` in `#!/usr/bin/env python3`, skipping `env` options such as
/// `-S`). `None` when there is no `#!` line or it names no program.
pub fn shebang_command(script: &str) -> Option<Range<usize>> {
    let line_span = shebang(script)?;
    let line = script.get(line_span.clone())?;
    // Words after "#!", with their byte offsets in `script`.
    let mut words = Vec::new();
    let mut word_start: Option<usize> = None;
    for (i, c) in line.char_indices().skip(2) {
        if c == ' ' || c == '\t' {
            if let Some(s) = word_start.take() {
                words.push(s..i);
            }
        } else if word_start.is_none() {
            word_start = Some(i);
        }
    }
    if let Some(s) = word_start {
        words.push(s..line.len());
    }
    let mut iter = words.into_iter();
    let first = iter.next()?;
    let first_text = line.get(first.clone())?;
    let is_env = first_text == "env" || first_text.ends_with("/env");
    let chosen = if is_env {
        iter.find(|w| {
            line.get(w.clone())
                .is_some_and(|t| !t.starts_with('-') && !t.contains('='))
        })?
    } else {
        first
    };
    Some(line_span.start + chosen.start..line_span.start + chosen.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "ab141ddfbacfe02d9dbc25966ed971536124527097398d419a6746873fea1234";

    #[test]
    fn hex_constant_is_64() {
        assert_eq!(HEX.len(), 64);
    }

    #[test]
    fn valid_ids() {
        let id = check_container_id(HEX).unwrap();
        assert_eq!(id.runtime, None);
        assert_eq!(id.runtime_span, None);
        assert_eq!(id.hex_span, 0..64);
        for r in Runtime::ALL {
            let v = format!("{}{HEX}", r.prefix());
            let id = check_container_id(&v).unwrap();
            assert_eq!(id.runtime, Some(r));
            let p = r.prefix().len();
            assert_eq!(id.runtime_span, Some(0..p));
            assert_eq!(id.hex_span, p..p + 64);
            assert_eq!(&v[id.hex_span], HEX);
        }
    }

    #[test]
    fn unknown_runtime() {
        let v = format!("podman://{HEX}");
        let e = check_container_id(&v).unwrap_err();
        assert_eq!(e.kind, ContainerErrorKind::UnknownRuntime);
        assert_eq!(e.span, 0..9);
        assert_eq!(
            e.message,
            "unknown runtime `podman://`; expected docker://, containerd:// or cri-o://"
        );
    }

    #[test]
    fn runtime_is_case_sensitive() {
        let v = format!("Docker://{HEX}");
        let e = check_container_id(&v).unwrap_err();
        assert_eq!(e.kind, ContainerErrorKind::UnknownRuntime);
        assert_eq!(e.span, 0..9);
        assert!(
            e.message.contains("lowercase: `docker://`"),
            "{}",
            e.message
        );
    }

    #[test]
    fn empty_runtime_name() {
        let e = check_container_id(&format!("://{HEX}")).unwrap_err();
        assert_eq!(e.kind, ContainerErrorKind::UnknownRuntime);
        assert_eq!(e.span, 0..3);
    }

    #[test]
    fn short_id() {
        let e = check_container_id("ab141ddfbacf").unwrap_err();
        assert_eq!(e.kind, ContainerErrorKind::WrongLength { found: 12 });
        assert_eq!(e.span, 0..12);
        assert!(
            e.message
                .starts_with("container ID must be 64 lowercase hexadecimal characters, found 12")
        );
        let e = check_container_id("docker://ab141ddfbacf").unwrap_err();
        assert_eq!(e.span, 9..21);
    }

    #[test]
    fn long_id() {
        let e = check_container_id(&format!("{HEX}0")).unwrap_err();
        assert_eq!(e.kind, ContainerErrorKind::WrongLength { found: 65 });
        assert_eq!(e.span, 0..65);
        assert_eq!(
            e.message,
            "container ID must be 64 lowercase hexadecimal characters, found 65"
        );
    }

    #[test]
    fn uppercase_hex() {
        let v = HEX.replacen('a', "A", 1);
        let e = check_container_id(&v).unwrap_err();
        assert_eq!(e.kind, ContainerErrorKind::UppercaseHex);
        assert_eq!(e.span, 0..1);
    }

    #[test]
    fn non_hex_character_reported_before_length() {
        let e = check_container_id("docker://abcxyz").unwrap_err();
        assert_eq!(e.kind, ContainerErrorKind::InvalidCharacter);
        assert_eq!(e.span, 12..13);
        assert_eq!(
            e.message,
            "invalid character `x` in container ID; container IDs are 64 lowercase hexadecimal characters"
        );
    }

    #[test]
    fn multibyte_and_whitespace() {
        let e = check_container_id("abé").unwrap_err();
        assert_eq!(e.span, 2..4);
        let e = check_container_id(" abc").unwrap_err();
        assert_eq!(e.span, 0..1);
        assert!(e.message.contains("U+0020"));
    }

    #[test]
    fn empty_ids() {
        let e = check_container_id("").unwrap_err();
        assert_eq!(e.kind, ContainerErrorKind::EmptyId);
        assert_eq!(e.span, 0..0);
        let e = check_container_id("cri-o://").unwrap_err();
        assert_eq!(e.kind, ContainerErrorKind::EmptyId);
        assert_eq!(e.span, 8..8);
    }

    #[test]
    fn valid_names() {
        for n in ["test-container", "/web_1", "a1", "/A.b-c_d", "0x"] {
            assert_eq!(check_container_name(n), Ok(()), "{n}");
        }
        let max = format!("a{}", "b".repeat(254));
        assert_eq!(check_container_name(&max), Ok(()));
        let max_slash = format!("/a{}", "b".repeat(253));
        assert_eq!(check_container_name(&max_slash), Ok(()));
    }

    #[test]
    fn name_errors() {
        let e = check_container_name("").unwrap_err();
        assert_eq!((e.kind, e.span), (ContainerErrorKind::EmptyName, 0..0));
        let e = check_container_name("a").unwrap_err();
        assert_eq!((e.kind, e.span), (ContainerErrorKind::NameTooShort, 0..1));
        let e = check_container_name("/a").unwrap_err();
        assert_eq!((e.kind, e.span), (ContainerErrorKind::NameTooShort, 0..2));
        let e = check_container_name("/").unwrap_err();
        assert_eq!((e.kind, e.span), (ContainerErrorKind::NameTooShort, 0..1));
        let e = check_container_name("_web").unwrap_err();
        assert_eq!((e.kind, e.span), (ContainerErrorKind::BadNameStart, 0..1));
        assert_eq!(
            e.message,
            "container name must start with a letter or digit, found `_`"
        );
        let e = check_container_name("//web").unwrap_err();
        assert_eq!((e.kind, e.span), (ContainerErrorKind::BadNameStart, 1..2));
        assert_eq!(e.message, "only one leading `/` is allowed");
        let e = check_container_name("my container").unwrap_err();
        assert_eq!(
            (e.kind, e.span),
            (ContainerErrorKind::InvalidCharacter, 2..3)
        );
        let e = check_container_name("a/b").unwrap_err();
        assert_eq!(e.span, 1..2);
        let e = check_container_name("ab日本").unwrap_err();
        assert_eq!(
            (e.kind, e.span),
            (ContainerErrorKind::InvalidCharacter, 2..5)
        );
        let long = format!("a{}", "b".repeat(255));
        let e = check_container_name(&long).unwrap_err();
        assert_eq!(e.kind, ContainerErrorKind::NameTooLong { chars: 256 });
        assert_eq!(e.span, 255..256);
        assert_eq!(
            e.message,
            "container name is 256 characters long; at most 255 are allowed"
        );
    }

    #[test]
    fn shebang_lines() {
        assert_eq!(shebang("#!/usr/bin/python3\nprint(1)\n"), Some(0..18));
        assert_eq!(shebang("#!/bin/bash\r\necho"), Some(0..11));
        assert_eq!(shebang("#!/bin/sh"), Some(0..9));
        assert_eq!(shebang("\u{feff}#!/bin/sh\n"), Some(3..12));
        assert_eq!(shebang("\n  \n\t#!/bin/sh\n"), Some(5..14));
        assert_eq!(shebang("echo hi\n#!/bin/sh\n"), None);
        assert_eq!(shebang("# comment\n"), None);
        assert_eq!(shebang(""), None);
        assert_eq!(shebang("#!"), Some(0..2));
        assert_eq!(shebang("#!/usr/bin/env é\nx"), Some(0..17));
    }

    #[test]
    fn shebang_commands() {
        let s = "#!/usr/bin/python3 -u\n";
        assert_eq!(shebang_command(s).map(|r| &s[r]), Some("/usr/bin/python3"));
        let s = "#!/usr/bin/env python3\n";
        assert_eq!(shebang_command(s).map(|r| &s[r]), Some("python3"));
        let s = "#! /usr/bin/env -S FOO=1 perl -w\n";
        assert_eq!(shebang_command(s).map(|r| &s[r]), Some("perl"));
        let s = "\u{feff}#!/bin/bash";
        assert_eq!(shebang_command(s), Some(5..14));
        assert_eq!(shebang_command("#!"), None);
        assert_eq!(shebang_command("#!/usr/bin/env"), None);
        assert_eq!(shebang_command("echo"), None);
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        fn check_span(s: &str, r: &Range<usize>) {
            assert!(r.start <= r.end && r.end <= s.len(), "{r:?} in {s:?}");
            assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
        }

        fn id_like() -> impl Strategy<Value = String> {
            (
                prop_oneof![
                    Just(String::new()),
                    Just("docker://".to_string()),
                    Just("cri-o://".to_string()),
                    "[a-zé]{0,6}://",
                ],
                "[0-9a-fA-Fé ]{0,70}",
            )
                .prop_map(|(p, h)| format!("{p}{h}"))
        }

        proptest! {
            #[test]
            fn id_spans_are_valid(s in prop_oneof![any::<String>(), id_like()]) {
                match check_container_id(&s) {
                    Ok(id) => {
                        check_span(&s, &id.hex_span);
                        prop_assert_eq!(id.hex_span.len(), 64);
                        if let Some(r) = &id.runtime_span {
                            check_span(&s, r);
                            prop_assert_eq!(Some(&s[r.clone()]), id.runtime.map(Runtime::prefix));
                        }
                    }
                    Err(e) => {
                        check_span(&s, &e.span);
                        prop_assert!(!e.message.is_empty());
                    }
                }
            }

            #[test]
            fn name_spans_are_valid(s in prop_oneof![any::<String>(), "/?[a-zA-Z0-9_.é /-]{0,260}"]) {
                if let Err(e) = check_container_name(&s) {
                    check_span(&s, &e.span);
                    if matches!(e.kind, ContainerErrorKind::InvalidCharacter | ContainerErrorKind::BadNameStart) {
                        prop_assert_eq!(s[e.span.clone()].chars().count(), 1);
                    }
                }
            }

            #[test]
            fn shebang_spans_are_valid(s in prop_oneof![any::<String>(), "[\u{feff} \n\t]{0,3}#![a-z/ é\r\n-]{0,20}"]) {
                if let Some(r) = shebang(&s) {
                    check_span(&s, &r);
                    prop_assert!(s[r.clone()].starts_with("#!"));
                    prop_assert!(!s[r.clone()].contains('\n'));
                    if let Some(c) = shebang_command(&s) {
                        check_span(&s, &c);
                        prop_assert!(c.start >= r.start && c.end <= r.end && !c.is_empty());
                    }
                }
            }
        }
    }
}
