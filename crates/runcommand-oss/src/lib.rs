//! Parser for the `OssOutputDelivery` parameter of ECS Cloud Assistant `RunCommand`.
//!
//! This crate knows nothing of the linter engine: [`parse`] takes a `&str` and returns an [`OssUri`]
//! or a list of [`OssError`]s whose spans are [`Range<usize>`] **byte** offsets into that string,
//! always on `char` boundaries.
//!
//! # Grammar
//!
//! Decisions §3 "OssOutputDelivery", constraints §2.24 and §7:
//!
//! ```text
//! delivery = "oss://" bucket [ "/" prefix ]
//! bucket   = ^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$      ; 3..63 characters
//! prefix   = any text, not starting with "/" or "\", at most 254 characters,
//!            without control characters (U+0000..U+001F, U+007F)
//! ```
//!
//! So `oss://bucket`, `oss://bucket/` and `oss://bucket/prefix` are accepted.
//!
//! # Error kinds and spans
//!
//! Every error has an [`OssIssue`] (what exactly is wrong) and, through [`OssError::kind`], one of
//! two [`OssErrorKind`]s that map to API codes:
//! - [`OssErrorKind::InvalidDelivery`] (`InvalidParameter.OssOutputDelivery`): missing or wrong
//!   scheme (span = the scheme part, or an empty span at 0 when there is none), empty or invalid
//!   bucket (span = the bucket; one error listing every reason: uppercase, characters other than
//!   lowercase letters, digits and `-`, length outside 3..63, start or end not a letter or digit).
//! - [`OssErrorKind::KeyPrefixMalformed`] (`InvalidOssOutputDelivery.KeyPrefixMalformed`): prefix
//!   starting with `/` or `\` (span = that character), longer than 254 characters (span = the
//!   prefix), containing control characters (span = the first one).
//!
//! # Documented choices
//! - The scheme is case-sensitive: `OSS://b` is a wrong scheme (with a hint).
//! - A scheme is whatever comes before the first `://` when no `/` precedes it. A value that starts
//!   with `oss:` but not `oss://` (`oss:/b`, `oss:b`, `oss:\\b`) has a malformed scheme (span =
//!   `oss:` and any `/` or `\` after it) and its bucket and prefix are still checked. Any other value
//!   without `://` has no scheme: one error, empty span at 0, nothing else checked.
//! - Errors are collected: a wrong scheme, a bad bucket and a bad prefix are all reported.
//! - No trimming and no percent-decoding: the value is checked as the API receives it.
//! - Lengths are counted in characters (Unicode scalar values), as decisions §3 does for lengths.

use std::fmt;
use std::ops::Range;

/// The scheme every delivery URI must start with.
pub const SCHEME: &str = "oss://";
/// Minimum bucket name length, in characters.
pub const MIN_BUCKET_CHARS: usize = runcommand_catalog::limits::OSS_BUCKET_MIN_CHARS as usize;
/// Maximum bucket name length, in characters.
pub const MAX_BUCKET_CHARS: usize = runcommand_catalog::limits::OSS_BUCKET_MAX_CHARS as usize;
/// Maximum prefix length, in characters.
pub const MAX_PREFIX_CHARS: usize = runcommand_catalog::limits::OSS_PREFIX_MAX_CHARS as usize;

/// A well-formed `OssOutputDelivery` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OssUri {
    /// The bucket name.
    pub bucket: String,
    /// Byte span of the bucket name.
    pub bucket_span: Range<usize>,
    /// True when a `/` follows the bucket (`oss://b/` or `oss://b/prefix`).
    pub has_slash: bool,
    /// The prefix, empty for `oss://b` and `oss://b/`.
    pub prefix: String,
    /// Byte span of the prefix (empty, at the end of the value, when there is none).
    pub prefix_span: Range<usize>,
}

/// The two API error codes a malformed value maps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OssErrorKind {
    /// `InvalidParameter.OssOutputDelivery`: scheme or bucket.
    InvalidDelivery,
    /// `InvalidOssOutputDelivery.KeyPrefixMalformed`: prefix.
    KeyPrefixMalformed,
}

/// One reason a bucket name is invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BucketIssue {
    /// Length outside 3..63 characters.
    Length {
        /// Characters found.
        chars: usize,
    },
    /// Contains uppercase ASCII letters.
    Uppercase,
    /// Contains a character other than lowercase letters, digits and `-` (the first such).
    InvalidCharacter(char),
    /// Starts with `-`.
    BadStart,
    /// Ends with `-`.
    BadEnd,
}

/// What exactly is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OssIssue {
    /// No `oss://` scheme at all.
    MissingScheme,
    /// A scheme other than `oss://`, or a malformed `oss:` scheme.
    WrongScheme,
    /// Nothing between `oss://` and the first `/`.
    EmptyBucket,
    /// The bucket name breaks the naming rules (every reason found).
    InvalidBucket(Vec<BucketIssue>),
    /// The prefix starts with `/` or `\`.
    PrefixLeadingSlash,
    /// The prefix is longer than 254 characters.
    PrefixTooLong {
        /// Characters found.
        chars: usize,
    },
    /// The prefix contains control characters.
    PrefixControlCharacter {
        /// The first control character.
        first: char,
        /// How many control characters the prefix holds.
        count: usize,
    },
}

/// An error with a byte span into the parsed value and a precise message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OssError {
    /// What exactly is wrong.
    pub issue: OssIssue,
    /// Byte span in the value (may be empty, then it marks a position).
    pub span: Range<usize>,
    /// Human-readable explanation.
    pub message: String,
}

impl OssError {
    /// The error code family this error belongs to.
    pub fn kind(&self) -> OssErrorKind {
        match self.issue {
            OssIssue::MissingScheme
            | OssIssue::WrongScheme
            | OssIssue::EmptyBucket
            | OssIssue::InvalidBucket(_) => OssErrorKind::InvalidDelivery,
            OssIssue::PrefixLeadingSlash
            | OssIssue::PrefixTooLong { .. }
            | OssIssue::PrefixControlCharacter { .. } => OssErrorKind::KeyPrefixMalformed,
        }
    }
}

impl fmt::Display for OssError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for OssError {}

fn error(issue: OssIssue, span: Range<usize>, message: String) -> OssError {
    OssError {
        issue,
        span,
        message,
    }
}

/// Control characters as decisions §3 defines them: U+0000..U+001F and U+007F.
fn is_control(c: char) -> bool {
    c <= '\u{1f}' || c == '\u{7f}'
}

fn describe_char(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("`{c}`")
    }
}

/// Finds the scheme. Returns the byte offset where the bucket starts, or `None` when the value has
/// no recognisable scheme (then nothing else is checked).
fn parse_scheme(uri: &str, errors: &mut Vec<OssError>) -> Option<usize> {
    if uri.starts_with(SCHEME) {
        return Some(SCHEME.len());
    }
    if let Some(pos) = uri.find("://") {
        let scheme = uri.get(..pos).unwrap_or_default();
        if !scheme.contains('/') {
            let end = pos + 3;
            let message = if scheme.eq_ignore_ascii_case("oss") {
                format!("scheme `{scheme}://` must be lowercase: `oss://`")
            } else {
                format!(
                    "unsupported scheme `{scheme}://`; expected `oss://BUCKET` or `oss://BUCKET/PREFIX`"
                )
            };
            errors.push(error(OssIssue::WrongScheme, 0..end, message));
            return Some(end);
        }
    }
    let head = uri.get(..4).unwrap_or_default();
    if head.eq_ignore_ascii_case("oss:") {
        let rest = uri.get(4..).unwrap_or_default();
        let slashes = rest.len() - rest.trim_start_matches(['/', '\\']).len();
        let end = 4 + slashes;
        let written = uri.get(..end).unwrap_or_default();
        errors.push(error(
            OssIssue::WrongScheme,
            0..end,
            format!("malformed scheme `{written}`; expected `oss://`"),
        ));
        return Some(end);
    }
    errors.push(error(
        OssIssue::MissingScheme,
        0..0,
        "missing `oss://` scheme; expected `oss://BUCKET` or `oss://BUCKET/PREFIX`".to_string(),
    ));
    None
}

fn check_bucket(bucket: &str, span: Range<usize>, errors: &mut Vec<OssError>) {
    if bucket.is_empty() {
        errors.push(error(
            OssIssue::EmptyBucket,
            span,
            "missing bucket name after `oss://`".to_string(),
        ));
        return;
    }
    let mut issues = Vec::new();
    let mut reasons = Vec::new();
    let chars = bucket.chars().count();
    if !(MIN_BUCKET_CHARS..=MAX_BUCKET_CHARS).contains(&chars) {
        issues.push(BucketIssue::Length { chars });
        reasons.push(format!(
            "it is {chars} character{} long (bucket names are {MIN_BUCKET_CHARS} to {MAX_BUCKET_CHARS} characters)",
            if chars == 1 { "" } else { "s" }
        ));
    }
    if bucket.chars().any(|c| c.is_ascii_uppercase()) {
        issues.push(BucketIssue::Uppercase);
        reasons.push("it contains uppercase letters (bucket names are lowercase)".to_string());
    }
    if let Some(c) = bucket.chars().find(|c| {
        !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || c.is_ascii_uppercase())
    }) {
        issues.push(BucketIssue::InvalidCharacter(c));
        reasons.push(format!(
            "it contains {} (only lowercase letters, digits and `-` are allowed)",
            describe_char(c)
        ));
    }
    if bucket.starts_with('-') {
        issues.push(BucketIssue::BadStart);
        reasons.push("it starts with `-` (it must start with a letter or digit)".to_string());
    }
    if bucket.ends_with('-') {
        issues.push(BucketIssue::BadEnd);
        reasons.push("it ends with `-` (it must end with a letter or digit)".to_string());
    }
    if !issues.is_empty() {
        errors.push(error(
            OssIssue::InvalidBucket(issues),
            span,
            format!("invalid bucket name `{bucket}`: {}", reasons.join("; ")),
        ));
    }
}

fn check_prefix(prefix: &str, start: usize, errors: &mut Vec<OssError>) {
    if let Some(c) = prefix.chars().next().filter(|c| matches!(c, '/' | '\\')) {
        errors.push(error(
            OssIssue::PrefixLeadingSlash,
            start..start + 1,
            format!("the prefix must not start with `{c}`"),
        ));
    }
    let chars = prefix.chars().count();
    if chars > MAX_PREFIX_CHARS {
        errors.push(error(
            OssIssue::PrefixTooLong { chars },
            start..start + prefix.len(),
            format!(
                "the prefix is {chars} characters long; at most {MAX_PREFIX_CHARS} are allowed"
            ),
        ));
    }
    let mut controls = prefix.char_indices().filter(|(_, c)| is_control(*c));
    if let Some((i, first)) = controls.next() {
        let count = 1 + controls.count();
        let more = if count > 1 {
            format!(" (and {} more)", count - 1)
        } else {
            String::new()
        };
        errors.push(error(
            OssIssue::PrefixControlCharacter { first, count },
            start + i..start + i + first.len_utf8(),
            format!(
                "the prefix contains the control character {}{more}",
                describe_char(first)
            ),
        ));
    }
}

/// Parses an `OssOutputDelivery` value: `oss://BUCKET`, `oss://BUCKET/` or `oss://BUCKET/PREFIX`.
///
/// All errors found are returned, in order of position.
pub fn parse(uri: &str) -> Result<OssUri, Vec<OssError>> {
    let mut errors = Vec::new();
    let Some(bucket_start) = parse_scheme(uri, &mut errors) else {
        return Err(errors);
    };
    let rest = uri.get(bucket_start..).unwrap_or_default();
    let (bucket, has_slash, prefix) = match rest.split_once('/') {
        Some((b, p)) => (b, true, p),
        None => (rest, false, ""),
    };
    let bucket_span = bucket_start..bucket_start + bucket.len();
    check_bucket(bucket, bucket_span.clone(), &mut errors);
    let prefix_start = uri.len() - prefix.len();
    check_prefix(prefix, prefix_start, &mut errors);
    if errors.is_empty() {
        Ok(OssUri {
            bucket: bucket.to_string(),
            bucket_span,
            has_slash,
            prefix: prefix.to_string(),
            prefix_span: prefix_start..uri.len(),
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(uri: &str) -> OssError {
        let errs = parse(uri).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        errs.into_iter().next().unwrap()
    }

    #[test]
    fn valid_forms() {
        let u = parse("oss://my-bucket").unwrap();
        assert_eq!(u.bucket, "my-bucket");
        assert_eq!(u.bucket_span, 6..15);
        assert!(!u.has_slash);
        assert_eq!(u.prefix, "");
        assert_eq!(u.prefix_span, 15..15);

        let u = parse("oss://my-bucket/").unwrap();
        assert!(u.has_slash);
        assert_eq!(u.prefix_span, 16..16);

        let u = parse("oss://abc/logs/run-1/").unwrap();
        assert_eq!(u.bucket, "abc");
        assert_eq!(u.prefix, "logs/run-1/");
        assert_eq!(u.prefix_span, 10..21);

        let u = parse("oss://0a9/日志 ü").unwrap();
        assert_eq!(u.prefix, "日志 ü");
        assert_eq!(u.prefix_span, 10..19);

        let b63 = format!("a{}z", "-".repeat(61));
        assert!(parse(&format!("oss://{b63}")).is_ok());
        let p254 = "é".repeat(254);
        assert!(parse(&format!("oss://abc/{p254}")).is_ok());
        // Backslashes and slashes inside the prefix are fine.
        assert!(parse("oss://abc/a\\b//c").is_ok());
    }

    #[test]
    fn missing_scheme() {
        let e = one("my-bucket/logs");
        assert_eq!(e.issue, OssIssue::MissingScheme);
        assert_eq!(e.kind(), OssErrorKind::InvalidDelivery);
        assert_eq!(e.span, 0..0);
        let e = one("");
        assert_eq!(e.issue, OssIssue::MissingScheme);
        // A `://` after a `/` is not a scheme.
        let e = one("bucket/x://y");
        assert_eq!(e.issue, OssIssue::MissingScheme);
    }

    #[test]
    fn wrong_scheme() {
        let e = one("s3://my-bucket/logs");
        assert_eq!(e.issue, OssIssue::WrongScheme);
        assert_eq!(e.span, 0..5);
        assert_eq!(
            e.message,
            "unsupported scheme `s3://`; expected `oss://BUCKET` or `oss://BUCKET/PREFIX`"
        );
        let e = one("OSS://my-bucket");
        assert_eq!(e.span, 0..6);
        assert_eq!(e.message, "scheme `OSS://` must be lowercase: `oss://`");
        let e = one("https://my-bucket");
        assert_eq!(e.span, 0..8);
    }

    #[test]
    fn malformed_oss_scheme_still_checks_bucket() {
        let e = one("oss:/my-bucket");
        assert_eq!(e.issue, OssIssue::WrongScheme);
        assert_eq!(e.span, 0..5);
        assert_eq!(e.message, "malformed scheme `oss:/`; expected `oss://`");
        let e = one("oss:my-bucket");
        assert_eq!(e.span, 0..4);
        let errs = parse("oss:\\\\My_bucket").unwrap_err();
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[0].span, 0..6);
        assert_eq!(errs[1].span, 6..15);
    }

    #[test]
    fn bucket_errors() {
        let e = one("oss://Examplebucket1/x");
        assert_eq!(
            e.issue,
            OssIssue::InvalidBucket(vec![BucketIssue::Uppercase])
        );
        assert_eq!(e.span, 6..20);
        assert_eq!(
            e.message,
            "invalid bucket name `Examplebucket1`: it contains uppercase letters (bucket names are lowercase)"
        );

        let e = one("oss://test_bucket_2021");
        assert_eq!(
            e.issue,
            OssIssue::InvalidBucket(vec![BucketIssue::InvalidCharacter('_')])
        );
        assert_eq!(e.span, 6..22);
        assert!(
            e.message
                .contains("`_` (only lowercase letters, digits and `-` are allowed)")
        );

        let e = one("oss://aliyun-oss-bucket-/");
        assert_eq!(e.issue, OssIssue::InvalidBucket(vec![BucketIssue::BadEnd]));
        assert_eq!(e.span, 6..24);

        let e = one("oss://-abc");
        assert_eq!(
            e.issue,
            OssIssue::InvalidBucket(vec![BucketIssue::BadStart])
        );

        let e = one("oss://ab");
        assert_eq!(
            e.issue,
            OssIssue::InvalidBucket(vec![BucketIssue::Length { chars: 2 }])
        );
        assert_eq!(
            e.message,
            "invalid bucket name `ab`: it is 2 characters long (bucket names are 3 to 63 characters)"
        );
        let long = "a".repeat(64);
        let e = one(&format!("oss://{long}"));
        assert_eq!(
            e.issue,
            OssIssue::InvalidBucket(vec![BucketIssue::Length { chars: 64 }])
        );
        assert_eq!(e.span, 6..70);

        // The doc example `testBucket` is not a valid bucket name.
        let e = one("oss://testBucket/testPrefix");
        assert_eq!(
            e.issue,
            OssIssue::InvalidBucket(vec![BucketIssue::Uppercase])
        );
        assert_eq!(e.span, 6..16);

        let e = one("oss://T_-");
        assert_eq!(
            e.issue,
            OssIssue::InvalidBucket(vec![
                BucketIssue::Uppercase,
                BucketIssue::InvalidCharacter('_'),
                BucketIssue::BadEnd
            ])
        );
        let e = one("oss://bü-x");
        assert_eq!(
            e.issue,
            OssIssue::InvalidBucket(vec![BucketIssue::InvalidCharacter('ü')])
        );
        assert_eq!(e.span, 6..11);
        let e = one("oss://a.b.c");
        assert_eq!(
            e.issue,
            OssIssue::InvalidBucket(vec![BucketIssue::InvalidCharacter('.')])
        );
    }

    #[test]
    fn empty_bucket() {
        let e = one("oss://");
        assert_eq!(e.issue, OssIssue::EmptyBucket);
        assert_eq!(e.span, 6..6);
        let e = one("oss:///logs");
        assert_eq!(e.issue, OssIssue::EmptyBucket);
        assert_eq!(e.span, 6..6);
    }

    #[test]
    fn prefix_errors() {
        let e = one("oss://abc//logs");
        assert_eq!(e.issue, OssIssue::PrefixLeadingSlash);
        assert_eq!(e.kind(), OssErrorKind::KeyPrefixMalformed);
        assert_eq!(e.span, 10..11);
        assert_eq!(e.message, "the prefix must not start with `/`");
        let e = one("oss://abc/\\logs");
        assert_eq!(e.span, 10..11);
        assert_eq!(e.message, "the prefix must not start with `\\`");

        let long = "x".repeat(255);
        let e = one(&format!("oss://abc/{long}"));
        assert_eq!(e.issue, OssIssue::PrefixTooLong { chars: 255 });
        assert_eq!(e.span, 10..265);

        let e = one("oss://abc/a\tb\nc");
        assert_eq!(
            e.issue,
            OssIssue::PrefixControlCharacter {
                first: '\t',
                count: 2
            }
        );
        assert_eq!(e.span, 11..12);
        assert_eq!(
            e.message,
            "the prefix contains the control character U+0009 (and 1 more)"
        );
        let e = one("oss://abc/é\u{7f}");
        assert_eq!(e.span, 12..13);
    }

    #[test]
    fn errors_are_collected_in_order() {
        let errs = parse("s3://Bad_Bucket//\u{1}").unwrap_err();
        let spans: Vec<_> = errs.iter().map(|e| e.span.clone()).collect();
        assert_eq!(spans, vec![0..5, 5..15, 16..17, 17..18]);
        let kinds: Vec<_> = errs.iter().map(OssError::kind).collect();
        assert_eq!(
            kinds,
            vec![
                OssErrorKind::InvalidDelivery,
                OssErrorKind::InvalidDelivery,
                OssErrorKind::KeyPrefixMalformed,
                OssErrorKind::KeyPrefixMalformed
            ]
        );
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        fn uri_like() -> impl Strategy<Value = String> {
            (
                prop_oneof![
                    Just("oss://"),
                    Just("OSS://"),
                    Just("oss:/"),
                    Just("s3://"),
                    Just("")
                ],
                "[a-zA-Z0-9_é.-]{0,66}",
                proptest::option::of("[/\\\\]?[a-z/\\\\é日\u{0}\n -]{0,260}"),
            )
                .prop_map(|(s, b, p)| match p {
                    Some(p) => format!("{s}{b}/{p}"),
                    None => format!("{s}{b}"),
                })
        }

        fn check_span(s: &str, r: &Range<usize>) {
            assert!(r.start <= r.end && r.end <= s.len(), "{r:?} in {s:?}");
            assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
        }

        proptest! {
            #[test]
            fn spans_are_valid(s in prop_oneof![any::<String>(), uri_like()]) {
                match parse(&s) {
                    Ok(u) => {
                        check_span(&s, &u.bucket_span);
                        check_span(&s, &u.prefix_span);
                        prop_assert_eq!(&s[u.bucket_span.clone()], u.bucket.as_str());
                        prop_assert_eq!(&s[u.prefix_span.clone()], u.prefix.as_str());
                        prop_assert!(s.starts_with("oss://"));
                    }
                    Err(errs) => {
                        prop_assert!(!errs.is_empty());
                        let mut last = 0;
                        for e in &errs {
                            check_span(&s, &e.span);
                            prop_assert!(e.span.start >= last);
                            last = e.span.start;
                            if let OssIssue::InvalidBucket(issues) = &e.issue {
                                prop_assert!(!issues.is_empty());
                            }
                        }
                    }
                }
            }
        }
    }
}
