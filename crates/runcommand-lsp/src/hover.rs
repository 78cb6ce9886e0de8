//! Hover: the catalogue's documentation of a parameter (on its key), of a code (on the word, e.g.
//! in a comment, or anywhere in a finding's range), and the meaning of a `Frequency` value.
//! Text-based around the cursor, so it works on documents that do not parse.

use runcommand_catalog::{CodeInfo, ParamInfo};
use runcommand_rules::Diagnostic;

use crate::document::code_url;
use crate::text;

/// What a hover shows: markdown, and the byte range it is about (if a word).
#[derive(Debug, PartialEq, Eq)]
pub struct HoverText {
    /// The markdown.
    pub markdown: String,
    /// The byte range of the word hovered, if any.
    pub span: Option<std::ops::Range<usize>>,
}

/// The hover at a byte offset. `diagnostics` are the document's current findings.
pub fn hover(text: &str, offset: usize, diagnostics: &[Diagnostic]) -> Option<HoverText> {
    let offset = text::floor_boundary(text, offset);
    let mut sections: Vec<String> = Vec::new();
    let mut shown_codes: Vec<&str> = Vec::new();
    let mut span = None;
    let line = text::line_around(text, offset);
    let line_text = text.get(line.clone()).unwrap_or("");
    let key = text::line_key(line_text);

    if let Some(w) = text::word_at(text, offset) {
        let word = text.get(w.clone()).unwrap_or("");
        if let Some(c) = runcommand_catalog::code(word) {
            sections.push(code_markdown(c));
            shown_codes.push(c.code);
            span = Some(w);
        } else if let Some((k, at, _)) = key
            && line.start + at == w.start
            && k == word
            && let Some(p) = param_of_key(word)
        {
            sections.push(param_markdown(p));
            span = Some(w);
        }
    }

    // A Frequency value: its meaning and next firings.
    if let Some((k, _, colon)) = key
        && k == "Frequency"
        && offset >= line.start + colon
    {
        let value = line_text.get(colon..).unwrap_or("");
        let value = value
            .split(" #")
            .next()
            .unwrap_or(value)
            .trim()
            .trim_end_matches(',')
            .trim_matches(['"', '\'']);
        if !value.is_empty()
            && let Some(md) = frequency_hover(value)
        {
            sections.push(md);
        }
    }

    // Findings whose range holds the cursor: message, help and the code's documentation.
    for d in diagnostics {
        let inside = if d.span.is_empty() {
            d.span.start == offset
        } else {
            d.span.start <= offset && offset < d.span.end
        };
        if !inside {
            continue;
        }
        let mut s = format!("**{}**: {}", d.code, d.message);
        if let Some(h) = &d.help {
            s.push_str(&format!("\n\nhelp: {h}"));
        }
        sections.push(s);
        if !shown_codes.contains(&d.code.as_str())
            && let Some(c) = runcommand_catalog::code(d.code.as_str())
        {
            sections.push(code_markdown(c));
            shown_codes.push(c.code);
        }
    }
    if sections.is_empty() {
        return None;
    }
    Some(HoverText {
        markdown: sections.join("\n\n---\n\n"),
        span,
    })
}

/// The parameter a key names: exactly, or the head of the flattened form (`InstanceId.1`,
/// `Tag.1.Key`).
pub fn param_of_key(key: &str) -> Option<&'static ParamInfo> {
    runcommand_catalog::parameter(key).or_else(|| {
        let head = key.split('.').next()?;
        if head.len() < key.len() {
            runcommand_catalog::parameter(head)
        } else {
            None
        }
    })
}

/// The documentation of a parameter, as markdown (also the completion items' documentation).
pub fn param_markdown(p: &ParamInfo) -> String {
    let mut s = format!(
        "**{}**: {}{}{}\n\n{}",
        p.name,
        p.ty.describe(),
        if p.required { ", required" } else { "" },
        if p.deprecated { ", deprecated" } else { "" },
        p.description
    );
    let mut facts = Vec::new();
    if !p.values.is_empty() {
        let values: Vec<String> = p.values.iter().map(|v| format!("`{v}`")).collect();
        facts.push(format!(
            "Valid values: {}{}",
            values.join(", "),
            if p.case_insensitive {
                " (any case)"
            } else {
                " (case-sensitive)"
            }
        ));
    }
    if let Some(n) = p.max_chars {
        facts.push(format!("Maximum length: {n} characters"));
    }
    if let Some(d) = p.default {
        facts.push(format!("Default: `{d}`"));
    }
    if let Some(e) = p.example {
        facts.push(format!("Example: `{e}`"));
    }
    for f in facts {
        s.push_str("\n- ");
        s.push_str(&f);
    }
    s
}

/// The explanation of a code, as markdown (what `runcommand-lint explain` prints, in short).
pub fn code_markdown(c: &CodeInfo) -> String {
    let status = c.http_status.map_or_else(
        || "no HTTP status (a runcommand-lint code)".to_owned(),
        |s| format!("HTTP {s}"),
    );
    let mut s = format!(
        "**{}**: {status}, {}, class {}\n\n> {}\n\n{}",
        c.code,
        c.severity.as_str(),
        c.class.as_str(),
        c.message,
        c.description
    );
    if !c.offline.is_empty() {
        s.push_str(&format!("\n\nOffline: {}", c.offline));
    }
    if !c.parameters.is_empty() {
        s.push_str(&format!("\n\nParameters: {}", c.parameters.join(", ")));
    }
    s.push_str(&format!("\n\n[Documentation]({})", code_url(c.code)));
    s
}

/// The hover of a `Frequency` value, as markdown, from `runcommand-frequency`: its plain-English
/// meaning, the next 5 firings (in the expression's zone and in UTC) and the smallest gap; for an
/// invalid expression, why.
pub fn frequency_hover(expr: &str) -> Option<String> {
    frequency_hover_at(expr, chrono::Utc::now())
}

/// [`frequency_hover`] with a fixed "now" (for tests).
pub fn frequency_hover_at(expr: &str, now: chrono::DateTime<chrono::Utc>) -> Option<String> {
    use std::fmt::Write as _;
    let mut md = format!("**Frequency** `{expr}`\n\n");
    match runcommand_frequency::parse(expr) {
        Err(errors) => {
            md.push_str("Invalid:\n");
            for e in errors {
                let _ = writeln!(md, "- {}", e.message);
            }
        }
        Ok(f) => {
            let _ = writeln!(md, "{}\n", f.describe());
            let zone = f.zone();
            let firings = f.next_firings(now, 5);
            if firings.is_empty() {
                md.push_str("Never fires again.\n");
            } else {
                let _ = writeln!(md, "Next {} firings ({zone} | UTC):\n", firings.len());
                for t in firings {
                    let local = zone.localize(t).format("%Y-%m-%d %H:%M:%S %:z");
                    let _ = writeln!(md, "- {local} | {}", t.format("%Y-%m-%d %H:%M:%S UTC"));
                }
            }
            if !f.zone_is_explicit() {
                md.push_str(
                    "\nNo time zone: runs in the instance's system time zone (shown as UTC).\n",
                );
            }
            if let Some(g) = f.min_gap(now) {
                let _ = writeln!(
                    md,
                    "\nSmallest gap: {}",
                    runcommand_rules::rules::frequency::human_duration(g.as_secs())
                );
            }
        }
    }
    Some(md)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_and_code_hovers() {
        let t = "Type: RunShellScript\n# InvalidParam.Frequency\nInstanceId.1: i-x\n";
        let h = hover(t, 1, &[]).unwrap();
        assert!(h.markdown.contains("RunShellScript"), "{}", h.markdown);
        assert_eq!(h.span, Some(0..4));
        let o = t.find("Param.").unwrap();
        let h = hover(t, o, &[]).unwrap();
        assert!(h.markdown.contains("HTTP 400"), "{}", h.markdown);
        let o = t.find("Id.1").unwrap();
        assert!(
            hover(t, o, &[])
                .unwrap()
                .markdown
                .starts_with("**InstanceId**")
        );
        // A value is not a key.
        assert!(hover(t, 8, &[]).is_none());
    }

    #[test]
    fn frequency_hover_shows_meaning_and_next_firings() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-28T00:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let md = frequency_hover_at("0 15 10 ? * 6#3 Asia/Shanghai", now).unwrap();
        assert!(md.contains("third Saturday of every month"), "{md}");
        assert!(
            md.contains("- 2026-12-19 10:15:00 +08:00 | 2026-12-19 02:15:00 UTC"),
            "{md}"
        );
        assert_eq!(md.matches("\n- ").count(), 5, "{md}");
        let md = frequency_hover_at("0 15 25 * * ?", now).unwrap();
        assert!(md.contains("hour must be 0-23"), "{md}");
    }
}
