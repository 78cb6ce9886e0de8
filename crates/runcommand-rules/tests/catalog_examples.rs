#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! Every invalid example in the catalogue (what `explain` prints) gives exactly one finding with
//! its code (other findings may only be `info`), and every valid example gives no error or
//! warning. Codes whose rules come with a later issue are listed in `PENDING`; the list is checked
//! too, so it cannot go stale: a pending code must not be emitted yet.

use runcommand_catalog::{CODES, Severity};
use runcommand_document::Format;
use runcommand_rules::{check_bytes, rules::is_implemented};

/// Codes whose rules belong to a later issue (number in the tracker).
const PENDING: &[(&str, u32)] = &[];

fn findings(src: &str) -> Vec<(&'static str, Severity, String)> {
    check_bytes("example.yaml", src.as_bytes(), Format::Yaml)
        .diagnostics
        .into_iter()
        .map(|d| (d.code.as_str(), d.severity, d.message))
        .collect()
}

#[test]
fn pending_codes_are_not_emitted_yet_and_exist() {
    for (code, issue) in PENDING {
        assert!(runcommand_catalog::code(code).is_some(), "{code}");
        assert!(
            !is_implemented(code),
            "{code} (issue {issue}) is implemented now: remove it from PENDING"
        );
    }
}

#[test]
fn every_request_code_is_implemented_or_pending() {
    for c in CODES {
        if c.class == runcommand_catalog::Class::Request {
            assert!(
                is_implemented(c.code) || PENDING.iter().any(|(p, _)| *p == c.code),
                "{} is a request code with no rule and not pending",
                c.code
            );
        }
    }
}

#[test]
fn invalid_examples_give_exactly_one_finding_of_their_code() {
    let mut checked = 0;
    for c in CODES.iter().filter(|c| is_implemented(c.code)) {
        let Some(ex) = c.invalid_example else {
            continue;
        };
        let f = findings(ex);
        let own = f.iter().filter(|(code, _, _)| *code == c.code).count();
        let others: Vec<_> = f
            .iter()
            .filter(|(code, sev, _)| *code != c.code && *sev != Severity::Info)
            .collect();
        assert_eq!(own, 1, "{}: invalid example gives {f:#?}", c.code);
        assert!(
            others.is_empty(),
            "{}: invalid example also gives {others:#?}",
            c.code
        );
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} examples checked");
}

#[test]
fn valid_examples_give_no_error_or_warning() {
    for c in CODES {
        let Some(ex) = c.valid_example else {
            continue;
        };
        let bad: Vec<_> = findings(ex)
            .into_iter()
            .filter(|(_, sev, _)| *sev != Severity::Info)
            .collect();
        assert!(bad.is_empty(), "{}: valid example gives {bad:#?}", c.code);
    }
}

/// The evidence rule (decisions.md §2): every documented code a rule emits says what triggers it
/// and how well each trigger is backed, and every source is named.
#[test]
fn every_emitted_documented_code_records_its_evidence() {
    for c in CODES {
        if c.is_lint() || !is_implemented(c.code) || c.class == runcommand_catalog::Class::Service {
            continue;
        }
        assert!(
            !c.triggers.is_empty(),
            "{} is emitted but rules/evidence.toml has no trigger for it",
            c.code
        );
        for t in c.triggers {
            assert!(!t.what.is_empty() && !t.source.is_empty(), "{}", c.code);
        }
    }
    for l in runcommand_catalog::LIMITS {
        assert!(!l.source.is_empty(), "limit {} has no source", l.name);
    }
}

/// A documented code with only inferred triggers is never an error: its invalid example (which
/// shows an inferred trigger) gives a warning.
#[test]
fn codes_with_only_inferred_triggers_warn() {
    use runcommand_catalog::Evidence;
    let mut checked = 0;
    for c in CODES {
        if c.is_lint()
            || c.triggers.is_empty()
            || c.triggers
                .iter()
                .any(|t| t.evidence == Evidence::Documented)
        {
            continue;
        }
        let Some(ex) = c.invalid_example else {
            continue;
        };
        for (code, severity, message) in findings(ex) {
            if code == c.code {
                assert_eq!(severity, Severity::Warning, "{}: {message}", c.code);
                checked += 1;
            }
        }
    }
    assert!(checked >= 3, "only {checked} codes checked");
}
