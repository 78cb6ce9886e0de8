//! Credentials in plain text (decisions.md §3 "Secrets") → `Lint.PlaintextSecret` (warning),
//! suggesting an encrypted Parameter Store reference `{{oos-secret:NAME}}`.
//!
//! Where:
//! - `Parameters` values (mapping or JSON string). A string or number value under a credential
//!   key is reported as a whole, unless it is empty or itself a `{{oos-secret:...}}` /
//!   `{{oos:...}}` reference. Credential keys (choice): the key lowercased without `_`, `-` and `.`
//!   contains `password`, `passwd`, `secret`, `token`, `accesskey`, `apikey`, `credential` or
//!   `privatekey`, or ends with `pwd`; unless it ends with `name`, `file`, `path`, `dir`, `hint`
//!   or `policy` (`secret_name`, `password_file` name a secret, they do not hold one). A value
//!   under any other key is searched for the patterns below.
//! - `CommandContent` literals: the script (decoded when ContentEncoding is Base64) with every
//!   `{{...}}` placeholder masked first (`mask_placeholders`: offsets are kept), and a match that
//!   overlaps a placeholder dropped, so `PASSWORD={{oos-secret:db-pass}}` never matches.
//!
//! Patterns:
//! - an AccessKey ID: `LTAI` followed by 12 to 30 letters and digits, not inside a longer word;
//! - a private key block: `-----BEGIN ... PRIVATE KEY-----` to its `-----END ...-----` line (or
//!   to the end of the text when it is not closed);
//! - a password in a URL: `scheme://user:password@host` (the password part);
//! - an assignment of a literal to a credential name: a word ending with one of the credential
//!   keys above (`DB_PASSWORD`, `mysql_pwd`, `api-key`; a bare `pwd` is the shell's working
//!   directory and does not count), followed by `=` (not `==`) or `:` (also as a quoted key,
//!   `"password": "..."`), or a flag `--password VALUE` / `-password VALUE`. The value is a quoted
//!   string or a word; it is not reported when empty or when it is a reference: `$VAR`, `${VAR}`,
//!   `$(...)`, a backquote, `%VAR%`, `<...>`, or `***`. A `:` after a word that follows an opening
//!   quote is a prompt (`read -p "Password: "`), not an assignment.
//!
//! Overlapping matches are reported once (the first by position, then by the order above).
//!
//! The value is never printed: messages name the kind ("an AccessKey ID", "a password in a URL");
//! each finding carries the secret's byte range (`Diagnostic::secret`), which the engine collects
//! into `FileReport::redactions` for reporters to mask in snippets. For Base64 content the
//! decoded offsets have no place in the file, so one finding names every kind found and masks
//! the whole value.

use runcommand_catalog::code;
use std::ops::Range;

use runcommand_document::{Node, ScalarKind, Value};
use std::borrow::Cow;
use std::sync::LazyLock;

use memchr::memmem::Finder;

use runcommand_template::{MASK_FILLER, Placeholder, PlaceholderKind, mask_scanned, scan};

use super::Rule;
use crate::Context;
use crate::diagnostic::Diagnostic;
use crate::request::Request;
use crate::request::parameters::{Read, read};
use crate::request::script::placeholders;

pub(super) const RULE: Rule = Rule {
    name: "secrets",
    codes: &[code::LINT_PLAINTEXT_SECRET],
    check,
};

const HELP: &str = "store it in Parameter Store as an encrypted parameter and write `{{oos-secret:NAME}}` instead (with `EnableParameter: true`)";

/// Credential words (lowercase, separators removed), matched anywhere in a key.
const CREDENTIAL_WORDS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "accesskey",
    "apikey",
    "credential",
    "privatekey",
];

/// Suffixes of keys that name a secret rather than hold one.
const NOT_A_VALUE: &[&str] = &["name", "file", "path", "dir", "hint", "policy"];

/// What kind of credential a match is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    PrivateKey,
    AccessKeyId,
    UrlPassword,
    Assignment,
}

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Kind::PrivateKey => "a private key",
            Kind::AccessKeyId => "an AccessKey ID",
            Kind::UrlPassword => "a password in a URL",
            Kind::Assignment => "a credential assigned to a literal",
        }
    }
}

/// One match: its kind, the secret's byte range and, for assignments, the name's range.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Found {
    kind: Kind,
    range: Range<usize>,
    name: Option<Range<usize>>,
}

impl Found {
    fn describe(&self, text: &str) -> String {
        match self.name.as_ref().and_then(|n| text.get(n.clone())) {
            Some(name) => format!("a credential assigned to `{name}`"),
            None => self.kind.describe().to_owned(),
        }
    }
}

fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

/// Whether a key names a credential (see the module docs).
pub(crate) fn is_credential_key(key: &str) -> bool {
    // Every Parameters key of every request comes here: an ASCII key (nearly all) is normalized
    // in a buffer on the stack, any other as a String.
    let mut buf = [0u8; 64];
    let mut n = 0;
    let norm: Cow<'_, [u8]> = if key.is_ascii() && key.len() <= buf.len() {
        for c in key.bytes().filter(|c| !matches!(c, b'_' | b'-' | b'.')) {
            if let Some(slot) = buf.get_mut(n) {
                *slot = c.to_ascii_lowercase();
                n += 1;
            }
        }
        Cow::Borrowed(buf.get(..n).unwrap_or(&[]))
    } else {
        Cow::Owned(
            key.chars()
                .filter(|c| !matches!(c, '_' | '-' | '.'))
                .flat_map(char::to_lowercase)
                .collect::<String>()
                .into_bytes(),
        )
    };
    if NOT_A_VALUE.iter().any(|s| norm.ends_with(s.as_bytes())) {
        return false;
    }
    let contains = |w: &str| norm.windows(w.len()).any(|x| x == w.as_bytes());
    CREDENTIAL_WORDS.iter().any(|w| contains(w)) || norm.ends_with(b"pwd")
}

/// Whether a lowercase letter may end a credential word (every one in `CREDENTIAL_WORDS`, and
/// `pwd`, ends with one of these): the fast reject of most words.
fn may_end_credential(c: u8) -> bool {
    matches!(c, b'd' | b't' | b'n' | b'y' | b'l')
}

/// The fast reject of [`is_credential_name`], on a word's bytes: its last letter (after trailing
/// separators) may end a credential word.
fn may_end_name(word: &[u8]) -> bool {
    word.iter()
        .rev()
        .find(|c| !matches!(c, b'_' | b'-' | b'.'))
        .is_some_and(|&c| may_end_credential(c.to_ascii_lowercase()))
}

/// The length of the longest credential word (`credential`, `privatekey`).
const LONGEST_WORD: usize = 10;

/// Whether a word (an assignment's name) ends with a credential key: the word lowercased
/// without `_`, `-` and `.`, compared from its end. Every word of every script goes through
/// here, so there is no allocation: the last [`LONGEST_WORD`] bytes of the normalized word are
/// gathered, last first, and most words stop at the first one.
fn is_credential_name(word: &str) -> bool {
    let mut tail = [0u8; LONGEST_WORD];
    let mut n = 0;
    for c in word.bytes().rev() {
        if matches!(c, b'_' | b'-' | b'.') {
            continue;
        }
        let c = c.to_ascii_lowercase();
        if n == 0 && !may_end_credential(c) {
            return false;
        }
        let Some(slot) = tail.get_mut(n) else {
            break;
        };
        *slot = c;
        n += 1;
    }
    let tail = tail.get(..n).unwrap_or(&[]);
    let ends_with =
        |w: &str| w.len() <= tail.len() && w.bytes().rev().zip(tail).all(|(a, &b)| a == b);
    // A bare `pwd` is the shell's working directory: it needs a longer name (`mysql_pwd`).
    CREDENTIAL_WORDS.iter().any(|w| ends_with(w)) || (ends_with("pwd") && n > 3)
}

/// Substring searchers built once (building one per search costs more than the search).
static FIND_LTAI: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"LTAI"));
static FIND_BEGIN: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"-----BEGIN "));
static FIND_SCHEME: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"://"));

fn access_keys(text: &str, out: &mut Vec<Found>) {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(i) = b.get(from..).and_then(|t| FIND_LTAI.find(t)) {
        let s = from + i;
        let mut e = s + 4;
        while at(b, e).is_ascii_alphanumeric() {
            e += 1;
        }
        from = e;
        if s > 0 && at(b, s - 1).is_ascii_alphanumeric() {
            continue;
        }
        if (12..=30).contains(&(e - s - 4)) {
            out.push(Found {
                kind: Kind::AccessKeyId,
                range: s..e,
                name: None,
            });
        }
    }
}

fn private_keys(text: &str, out: &mut Vec<Found>) {
    let mut from = 0;
    while let Some(i) = text.as_bytes().get(from..).and_then(|t| FIND_BEGIN.find(t)) {
        let s = from + i;
        let line_end = text
            .get(s..)
            .and_then(|t| t.find('\n'))
            .map_or(text.len(), |j| s + j);
        from = line_end;
        let header = text.get(s..line_end).unwrap_or("");
        if !header.contains("PRIVATE KEY-----") {
            continue;
        }
        let end = text
            .get(line_end..)
            .and_then(|t| t.find("-----END "))
            .and_then(|j| {
                let t0 = line_end + j + 9;
                text.get(t0..)
                    .and_then(|t| t.find("-----"))
                    .map(|k| t0 + k + 5)
            })
            .unwrap_or_else(|| text.trim_end().len().max(line_end));
        from = end.max(from);
        out.push(Found {
            kind: Kind::PrivateKey,
            range: s..end,
            name: None,
        });
    }
}

fn is_url_delimiter(c: u8) -> bool {
    c == 0 || c.is_ascii_whitespace() || b"/?#\"'<>`()[]{}|\\;,".contains(&c)
}

fn url_passwords(text: &str, out: &mut Vec<Found>) {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(i) = b.get(from..).and_then(|t| FIND_SCHEME.find(t)) {
        let p = from + i;
        from = p + 3;
        // A scheme: a letter, then letters, digits, `+`, `.`, `-`.
        let mut s = p;
        while s > 0 && {
            let c = at(b, s - 1);
            c.is_ascii_alphanumeric() || matches!(c, b'+' | b'.' | b'-')
        } {
            s -= 1;
        }
        if s == p || !at(b, s).is_ascii_alphabetic() {
            continue;
        }
        let a = p + 3;
        let mut e = a;
        while !is_url_delimiter(at(b, e)) {
            e += 1;
        }
        let Some(q) = text.get(a..e).and_then(|t| t.rfind('@')).map(|q| a + q) else {
            continue;
        };
        let Some(colon) = text.get(a..q).and_then(|t| t.find(':')).map(|c| a + c) else {
            continue;
        };
        let pw = colon + 1..q;
        if pw.is_empty() || matches!(at(b, pw.start), b'$' | b'%') {
            continue;
        }
        out.push(Found {
            kind: Kind::UrlPassword,
            range: pw,
            name: None,
        });
    }
}

/// The bytes of a word (an assignment's name): ASCII letters, digits, `_`, `-`, `.`.
fn is_word(c: u8) -> bool {
    WORD_BYTES.get(usize::from(c)).copied().unwrap_or(false)
}

/// [`is_word`] as a table: one load per byte in the scan over every script.
// Indexing in a const initializer cannot panic at run time (out of bounds fails the build), and
// `c < 256` anyway.
#[allow(clippy::indexing_slicing)]
static WORD_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.');
        c += 1;
    }
    t
};

fn is_value_end(c: u8) -> bool {
    c == 0 || c.is_ascii_whitespace() || b";&|<>()`,\"'}]".contains(&c)
}

/// Every assignment of a literal to a credential name, by position.
///
/// An assignment's name is followed, after an optional closing quote and blanks, by `=` or `:`,
/// or is a flag starting with `-`: only the words at those bytes are looked at (every byte of
/// every script goes through here, so the scan is a search for three bytes), and a word whose
/// last letter cannot end a credential word ([`may_end_name`]) is dropped before [`assignment`]
/// reads it: scripts are full of `-` and `=`, and almost none of them follows a credential name.
fn assignments(text: &str, out: &mut Vec<Found>) {
    scan_assignments(text, out, true);
}

/// [`assignments`]; `fast_reject: false` reads every word met with [`assignment`] (the tests'
/// oracle: the fast rejects must drop no assignment).
fn scan_assignments(text: &str, out: &mut Vec<Found>, fast_reject: bool) {
    let b = text.as_bytes();
    let mut checked = usize::MAX..usize::MAX;
    // Words starting before this offset are inside a value already reported.
    let mut cursor = 0;
    let mut from = 0;
    while let Some(p) = b
        .get(from..)
        .and_then(|rest| memchr::memchr3(b'=', b':', b'-', rest))
        .map(|k| from + k)
    {
        from = p + 1;
        let word = if at(b, p) == b'-' {
            if p > 0 && is_word(at(b, p - 1)) {
                continue;
            }
            let end = b
                .get(p..)
                .and_then(|rest| rest.iter().position(|&c| !is_word(c)))
                .map_or(b.len(), |k| p + k);
            // A flag reached from its dash is an assignment only when a blank follows it
            // (`--password VALUE`): followed by `=` or `:` the word is met again from there.
            if fast_reject && !matches!(at(b, end), b' ' | b'\t') {
                continue;
            }
            p..end
        } else {
            let mut e = p;
            while e > 0 && matches!(at(b, e - 1), b' ' | b'\t') {
                e -= 1;
            }
            if e > 0 && matches!(at(b, e - 1), b'"' | b'\'') {
                e -= 1;
            }
            let mut s = e;
            while s > 0 && is_word(at(b, s - 1)) {
                s -= 1;
            }
            s..e
        };
        if word.is_empty()
            || word.start < cursor
            || word == checked
            || (fast_reject && !may_end_name(b.get(word.clone()).unwrap_or(&[])))
        {
            continue;
        }
        checked = word.clone();
        if let Some(f) = assignment(text, word.start, word.end) {
            cursor = f.range.end.max(word.end);
            from = from.max(cursor);
            out.push(f);
        }
    }
}

/// The assignment whose name is the word `text[start..end]`, if any.
fn assignment(text: &str, start: usize, end: usize) -> Option<Found> {
    let b = text.as_bytes();
    let word = text.get(start..end)?;
    let core = word.trim_start_matches('-');
    let dashes = word.len() - core.len();
    let name_start = start + dashes;
    if core.is_empty() || !is_credential_name(core) {
        return None;
    }
    // `$PASSWORD`, `${PASSWORD}`: a reference, not an assignment.
    let before = if start > 0 { at(b, start - 1) } else { 0 };
    if before == b'$' || (before == b'{' && start > 1 && at(b, start - 2) == b'$') {
        return None;
    }
    let quoted_before = matches!(before, b'"' | b'\'');
    let mut j = end;
    let mut quoted_key = false;
    if matches!(at(b, j), b'"' | b'\'') {
        if !(quoted_before && at(b, j) == before) {
            return None;
        }
        quoted_key = true;
        j += 1;
    }
    let mut k = j;
    while matches!(at(b, k), b' ' | b'\t') {
        k += 1;
    }
    let value_from = match at(b, k) {
        b'=' if at(b, k + 1) != b'=' && (k == j || !quoted_before || quoted_key) => k + 1,
        b':' if (quoted_key || !quoted_before)
            && at(b, k + 1) != b':'
            && !text.get(k..).is_some_and(|t| t.starts_with("://")) =>
        {
            k + 1
        }
        _ if dashes > 0 && k > j && !quoted_key => k,
        _ => return None,
    };
    let mut v = value_from;
    while matches!(at(b, v), b' ' | b'\t') {
        v += 1;
    }
    let q = at(b, v);
    let range = if matches!(q, b'"' | b'\'') {
        let rest = text.get(v + 1..)?;
        let line = rest.split('\n').next().unwrap_or("");
        let close = line.find(char::from(q))?;
        v + 1..v + 1 + close
    } else {
        let mut e = v;
        while !is_value_end(at(b, e)) {
            e += 1;
        }
        v..e
    };
    let value = text.get(range.clone())?;
    let reference = value.is_empty()
        || value.starts_with(['$', '%', '<', '`'])
        || (dashes > 0 && value_from == k && value.starts_with('-'))
        || value.chars().all(|c| c == '*');
    if reference {
        return None;
    }
    Some(Found {
        kind: Kind::Assignment,
        range,
        name: Some(name_start..end),
    })
}

/// The length up to which [`find_around`] first looks for the bytes every match needs.
const SHORT: usize = 256;

/// Every credential in `text`, by position, overlaps removed, none touching a placeholder.
/// Ranges are into `text`; `masked` is the text matched (placeholders masked).
fn find(text: &str) -> (Cow<'_, str>, Vec<Found>) {
    if text.contains("{{") {
        find_around(text, &scan(text).placeholders)
    } else {
        find_around(text, &[])
    }
}

/// [`find`] in a text whose placeholders are known (`placeholders`: sorted and disjoint, as
/// [`scan`] gives them).
fn find_around<'t>(text: &'t str, placeholders: &[Placeholder]) -> (Cow<'t, str>, Vec<Found>) {
    // Every match holds one of these bytes (`-----BEGIN`, `LTAI`, `://`, and `=`, `:` or a flag's
    // `-` after a credential name): a short text (a Parameters value) without any is done in one
    // pass instead of four searches.
    if text.len() <= SHORT && !text.bytes().any(|c| matches!(c, b'-' | b':' | b'=' | b'L')) {
        return (Cow::Borrowed(text), Vec::new());
    }
    find_all(text, placeholders)
}

/// [`find_around`] without its first look at a short text.
fn find_all<'t>(text: &'t str, placeholders: &[Placeholder]) -> (Cow<'t, str>, Vec<Found>) {
    let masked = if placeholders.is_empty() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(mask_scanned(text, placeholders, MASK_FILLER))
    };
    let mut all = Vec::new();
    private_keys(&masked, &mut all);
    access_keys(&masked, &mut all);
    url_passwords(&masked, &mut all);
    assignments(&masked, &mut all);
    // Placeholders are sorted and disjoint: find the first one ending after the match starts.
    all.retain(|f| {
        let i = placeholders.partition_point(|p| p.span.end <= f.range.start);
        placeholders
            .get(i)
            .is_none_or(|p| p.span.start >= f.range.end)
    });
    all.sort_by_key(|f| (f.range.start, f.kind));
    // Sorted by start: a match overlaps a kept one exactly when it starts before the furthest
    // end kept so far.
    let mut kept: Vec<Found> = Vec::new();
    let mut kept_end = 0;
    for f in all {
        if !kept.is_empty() && f.range.start < kept_end {
            continue;
        }
        kept_end = kept_end.max(f.range.end);
        kept.push(f);
    }
    (masked, kept)
}

/// Whether a value is exactly one Parameter Store reference.
fn is_oos_reference(value: &str) -> bool {
    // One placeholder that is the whole (trimmed) value: no scan for the values that are not.
    let t = value.trim();
    if !(t.starts_with("{{") && t.ends_with("}}")) {
        return false;
    }
    let s = scan(value);
    match s.placeholders.as_slice() {
        [p] => {
            matches!(p.kind, PlaceholderKind::OosParam { .. })
                && value.get(p.span.clone()) == Some(t)
        }
        _ => false,
    }
}

fn join_kinds(kinds: &[&str]) -> String {
    match kinds {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn check_parameters(req: &Request<'_>, out: &mut Vec<Diagnostic>) {
    let Read::Given(params) = read(req) else {
        return;
    };
    for e in params.entries() {
        let (Some(key), Value::Scalar(s)) = (e.key.as_key_str(), &e.value.value) else {
            continue;
        };
        if !matches!(
            s.kind,
            ScalarKind::Str | ScalarKind::Int | ScalarKind::Float
        ) {
            continue;
        }
        let value = s.text.as_str();
        if value.trim().is_empty() || is_oos_reference(value) {
            continue;
        }
        let node: &Node = &e.value;
        if is_credential_key(key) {
            let range = params.map(node, 0..value.len());
            out.push(
                Diagnostic::new(
                    code::LINT_PLAINTEXT_SECRET,
                    range.clone(),
                    format!(
                        "the Parameters value of `{key}` is a credential in plain text (the key names a password, secret or token)"
                    ),
                )
                .param("Parameters")
                .help(HELP)
                .secret(range),
            );
            continue;
        }
        let (masked, found) = find(value);
        if found.is_empty() {
            continue;
        }
        // The value's source map only for a value with a finding (building it reads the value).
        let node_map = params.node_map(node);
        for f in found {
            let range = node_map.map(f.range.clone());
            out.push(
                Diagnostic::new(
                    code::LINT_PLAINTEXT_SECRET,
                    range.clone(),
                    format!(
                        "the Parameters value of `{key}` holds {} in plain text",
                        f.describe(&masked)
                    ),
                )
                .param("Parameters")
                .help(HELP)
                .secret(range),
            );
        }
    }
}

fn check_content(req: &Request<'_>, out: &mut Vec<Diagnostic>) {
    let Some((script, scan)) = placeholders(req) else {
        return;
    };
    let (masked, found) = find_around(&script.text, &scan.placeholders);
    if found.is_empty() {
        return;
    }
    if script.decoded {
        let mut kinds: Vec<&str> = found.iter().map(|f| f.kind.describe()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        let span = script.value.span();
        out.push(
            Diagnostic::new(
                code::LINT_PLAINTEXT_SECRET,
                span.clone(),
                format!(
                    "the Base64-decoded CommandContent holds {} in plain text",
                    join_kinds(&kinds)
                ),
            )
            .param("CommandContent")
            .help(HELP)
            .secret(span),
        );
        return;
    }
    for f in found {
        let range = script.span(req, f.range.clone());
        out.push(
            Diagnostic::new(
                code::LINT_PLAINTEXT_SECRET,
                range.clone(),
                format!("CommandContent holds {} in plain text", f.describe(&masked)),
            )
            .param("CommandContent")
            .help(HELP)
            .secret(range),
        );
    }
}

fn check(req: &Request<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    check_parameters(req, out);
    check_content(req, out);
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]
    use super::*;

    fn secrets(text: &str) -> Vec<(Kind, &str)> {
        find(text)
            .1
            .into_iter()
            .map(|f| (f.kind, &text[f.range]))
            .collect()
    }

    #[test]
    fn access_key_ids() {
        assert_eq!(
            secrets("aliyun configure --ak LTAI5tFakeExampleKey0000 x"),
            vec![(Kind::AccessKeyId, "LTAI5tFakeExampleKey0000")]
        );
        assert!(secrets("LTAIshort").is_empty());
        assert!(secrets("xLTAI5tFakeExampleKey0000").is_empty());
        assert!(secrets(&format!("LTAI{}", "a".repeat(31))).is_empty());
    }

    #[test]
    fn private_key_blocks() {
        let t = "cat > k <<EOF\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow==\n-----END RSA PRIVATE KEY-----\nEOF\n";
        let s = secrets(t);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].0, Kind::PrivateKey);
        assert!(s[0].1.starts_with("-----BEGIN") && s[0].1.ends_with("KEY-----"));
        assert!(secrets("-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----").is_empty());
    }

    #[test]
    fn url_passwords() {
        assert_eq!(
            secrets("git clone https://bob:hunter22@example.com/r.git"),
            vec![(Kind::UrlPassword, "hunter22")]
        );
        assert!(secrets("curl https://bob@example.com/").is_empty());
        assert!(secrets("curl https://bob:$PASS@example.com/").is_empty());
        assert!(secrets("mysql://u:{{oos-secret:db}}@h/").is_empty());
    }

    #[test]
    fn assignments() {
        assert_eq!(
            secrets("export DB_PASSWORD=s3cr3t; run"),
            vec![(Kind::Assignment, "s3cr3t")]
        );
        assert_eq!(
            secrets("mysql --password 'p w' -u root"),
            vec![(Kind::Assignment, "p w")]
        );
        assert_eq!(
            secrets("{\"api_key\": \"abc123\"}"),
            vec![(Kind::Assignment, "abc123")]
        );
        assert_eq!(
            secrets("PASSWORD: hunter2"),
            vec![(Kind::Assignment, "hunter2")]
        );
        assert_eq!(
            secrets("mysql --password=abc"),
            vec![(Kind::Assignment, "abc")]
        );
        for quiet in [
            "PASSWORD=$PW",
            "PASSWORD=\"${PW}\"",
            "PASSWORD=$(cat f)",
            "PASSWORD=",
            "PASSWORD=\"\"",
            "echo $PASSWORD",
            "read -p \"Password: \" pw",
            "if [ \"$x\" == y ]; then :; fi",
            "PWD=/tmp",
            "password_file=/etc/p",
            "PASSWORD={{oos-secret:pw}}",
            "TOKEN={{token}} run",
            "mysql --password -u root",
            "[ $password == x ]",
        ] {
            assert!(secrets(quiet).is_empty(), "{quiet}: {:?}", secrets(quiet));
        }
    }

    #[test]
    fn credential_keys() {
        for k in [
            "password",
            "DbPassword",
            "pwd",
            "mysql_pwd",
            "secret",
            "client_secret",
            "token",
            "accessKey",
            "access_key",
            "secretKey",
            "apiKey",
            "credential",
            "privateKey",
            "PASSWD",
        ] {
            assert!(is_credential_key(k), "{k}");
        }
        for k in ["name", "user", "secret_name", "password_file", "region"] {
            assert!(!is_credential_key(k), "{k}");
        }
    }
}

#[cfg(test)]
mod fast_reject {
    use super::*;

    #[test]
    fn every_credential_word_ends_with_a_letter_of_the_fast_reject() {
        for w in CREDENTIAL_WORDS.iter().chain(&["pwd"]) {
            assert!(
                w.as_bytes().last().copied().is_some_and(may_end_credential),
                "{w}"
            );
        }
        assert!(is_credential_name("DB_PASS-WORD"));
        assert!(is_credential_name("mysql_pwd"));
        assert!(!is_credential_name("pwd"));
        assert!(!is_credential_name("keyboard"));
    }
}

/// The scan with its fast rejects against the same scan reading every word with [`assignment`],
/// and the tail-buffer name test against the name test it replaced (over iterator chains): both
/// must find exactly the same assignments.
#[cfg(test)]
mod oracle {
    use super::*;
    use proptest::prelude::*;

    fn old_is_credential_name(word: &str) -> bool {
        let norm = word
            .bytes()
            .rev()
            .filter(|c| !matches!(c, b'_' | b'-' | b'.'))
            .map(|c| c.to_ascii_lowercase());
        if !norm.clone().next().is_some_and(may_end_credential) {
            return false;
        }
        let ends_with = |suffix: &str| {
            let mut it = norm.clone();
            suffix.bytes().rev().all(|s| it.next() == Some(s))
        };
        CREDENTIAL_WORDS.iter().any(|w| ends_with(w))
            || (ends_with("pwd") && norm.clone().count() > 3)
    }

    fn without_fast_rejects(text: &str) -> Vec<Found> {
        let mut out = Vec::new();
        scan_assignments(text, &mut out, false);
        out
    }

    /// Texts made of the pieces that matter: credential names in several spellings, other
    /// words, every trigger, quotes, blanks and reference starts.
    fn text() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "password",
            "DB_PASSWORD",
            "Pass-Word",
            "--password",
            "-pwd",
            "pwd",
            "mysql_pwd",
            "api-key",
            "ACCESS.KEY",
            "token",
            "secret",
            "credential",
            "privateKey",
            "keyboard",
            "echo",
            "x",
            "a-b",
            "--only-upgrade",
            "-y",
            "=",
            "==",
            ":",
            "::",
            "://",
            "-",
            "--",
            "\"",
            "'",
            " ",
            "  ",
            "\t",
            "\n",
            "$",
            "${",
            "}",
            "$(",
            ")",
            "`",
            "%",
            "<",
            ">",
            "***",
            "*",
            ";",
            "&",
            "|",
            ",",
            "]",
            "hunter2",
            "s3cr3t",
            "é",
            "{{",
            "}}",
            "LTAI5tFakeExampleKey0000",
            "-----BEGIN RSA PRIVATE KEY-----",
            "-----END RSA PRIVATE KEY-----",
            "https",
            "u:p@h",
        ]);
        prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn name_test_is_unchanged(word in "[-_.a-zA-Z0-9]{0,16}") {
            prop_assert_eq!(is_credential_name(&word), old_is_credential_name(&word));
        }

        #[test]
        fn name_test_is_unchanged_on_credential_words(
            head in "[-_.a-zA-Z0-9]{0,6}",
            w in prop::sample::select(vec![
                "password", "passwd", "secret", "token", "accesskey", "apikey", "credential",
                "privatekey", "pwd", "PASS_WORD", "api-key", "Private.Key", "word", "key",
            ]),
            sep in "[-_.]{0,3}",
        ) {
            let word = format!("{head}{sep}{w}");
            prop_assert_eq!(is_credential_name(&word), old_is_credential_name(&word));
        }

        #[test]
        fn the_short_text_test_drops_no_secret(t in text()) {
            let placeholders = scan(&t).placeholders;
            prop_assert_eq!(find_around(&t, &placeholders).1, find_all(&t, &placeholders).1);
        }

        #[test]
        fn fast_reject_drops_no_assignment(t in text()) {
            let mut new = Vec::new();
            assignments(&t, &mut new);
            prop_assert_eq!(new, without_fast_rejects(&t));
        }
    }

    #[test]
    fn the_oracle_finds_something() {
        // The generator is worth running only if the oracle reports assignments at all.
        assert_eq!(without_fast_rejects("DB_PASSWORD=s3cr3t").len(), 1);
        assert_eq!(without_fast_rejects("mysql --password 'p w'").len(), 1);
        assert_eq!(without_fast_rejects("mysql --password=pw").len(), 1);
        assert!(old_is_credential_name("mysql_pwd") && !old_is_credential_name("pwd"));
    }
}
