#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! `docs/codes.md` (the page the LSP's code links and SARIF `helpUri`s point at) is generated
//! from the catalogue and must stay in step with it. To regenerate:
//! `RUNCOMMAND_LINT_UPDATE_DOCS=1 cargo test -p runcommand-lint --test docs`.

use runcommand_catalog::CODES;

fn render() -> String {
    let mut s = String::from(
        "# runcommand-lint codes\n\nGenerated from `rules/codes.toml` and `rules/evidence.toml` by `crates/runcommand-lint/tests/docs.rs`; do not edit by hand.\n`runcommand-lint explain CODE` prints the same text.\n\nEvidence (decisions.md §2): a documented code is an error only where its trigger is documented by the API reference, the official SDK model or API metadata, or the Cloud Assistant agent's code; a trigger that is only inferred (a sibling API's bound, another product's rule, example values) gives the code as a warning.\n",
    );
    for c in CODES {
        s.push_str(&format!("\n## {}\n\n", c.code));
        match c.http_status {
            Some(st) => s.push_str(&format!(
                "- HTTP status: {st}\n- API message: {}\n",
                c.message
            )),
            None => s.push_str(&format!("- Project code: {}\n", c.message)),
        }
        s.push_str(&format!(
            "- Default severity: {}\n- Class: {}\n",
            c.severity.as_str(),
            c.class.as_str()
        ));
        if !c.parameters.is_empty() {
            s.push_str(&format!("- Parameters: {}\n", c.parameters.join(", ")));
        }
        s.push_str(&format!(
            "- Evidence: {}\n\n{}\n\nOffline: {}\n",
            c.evidence_summary(),
            c.description,
            c.offline
        ));
        if !c.triggers.is_empty() {
            s.push_str("\n| trigger | evidence | source |\n|---|---|---|\n");
            for t in c.triggers {
                s.push_str(&format!(
                    "| {} | {} | {} |\n",
                    t.what.replace('|', "\\|"),
                    t.evidence.as_str(),
                    t.source.replace('|', "\\|")
                ));
            }
        }
        for (title, ex) in [("Invalid", c.invalid_example), ("Valid", c.valid_example)] {
            if let Some(ex) = ex {
                // Very long examples (size limits) are cut for the page.
                let shown: String = ex
                    .lines()
                    .map(|l| {
                        if l.chars().count() > 200 {
                            let cut: String = l.chars().take(200).collect();
                            format!("{cut}…")
                        } else {
                            l.to_owned()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                s.push_str(&format!(
                    "\n{title} example:\n\n```yaml\n{}\n```\n",
                    shown.trim_end()
                ));
            }
        }
    }
    s
}

#[test]
fn docs_codes_md_matches_the_catalogue() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/codes.md");
    let want = render();
    if std::env::var_os("RUNCOMMAND_LINT_UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/codes.md is out of date: run RUNCOMMAND_LINT_UPDATE_DOCS=1 cargo test -p runcommand-lint --test docs"
    );
    // Every code has a heading (the anchor the links use).
    for c in CODES {
        assert!(have.contains(&format!("\n## {}\n", c.code)), "{}", c.code);
    }
}
