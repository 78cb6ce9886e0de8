//! Code actions: one quick fix per [`runcommand_rules::Fix`] a finding carries, and one per
//! alternative (an enumeration value with no single close match offers each valid value). The
//! edits are the engine's, final (an entry removal already takes its whole line or its comma:
//! `runcommand_rules::fix`), so the editor applies what `check --fix` applies.

use std::ops::Range;

use runcommand_rules::Diagnostic;

/// A quick fix: the finding it fixes and the edit (a byte range of the text and its new text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuickFix {
    /// The title shown, from the engine.
    pub title: String,
    /// The index of the finding in the list given to [`quick_fixes`].
    pub diagnostic: usize,
    /// The byte range replaced.
    pub span: Range<usize>,
    /// The new text.
    pub new_text: String,
    /// Whether the engine marks it safe (then it is the preferred action).
    pub preferred: bool,
}

/// The quick fixes of the findings whose range meets `range` (byte offsets, inclusive ends, so a
/// cursor at either end of a finding counts): each finding's fix, then its alternatives.
pub fn quick_fixes(text: &str, diagnostics: &[Diagnostic], range: Range<usize>) -> Vec<QuickFix> {
    diagnostics
        .iter()
        .enumerate()
        .filter(|(_, d)| d.span.start <= range.end && range.start <= d.span.end)
        .flat_map(|(i, d)| {
            d.fix
                .iter()
                .map(move |f| (i, f, f.safe))
                .chain(d.alternatives.iter().map(move |f| (i, f, false)))
        })
        .filter(|(_, f, _)| text.get(f.span.clone()).is_some())
        .map(|(i, f, preferred)| QuickFix {
            title: f.title.clone(),
            diagnostic: i,
            span: f.span.clone(),
            new_text: f.replacement.clone(),
            preferred,
        })
        .collect()
}

/// Applies one edit to a text (for tests and clients without edits of their own).
pub fn apply(text: &str, span: &Range<usize>, new_text: &str) -> String {
    let mut s = text.to_owned();
    if s.get(span.clone()).is_some() {
        s.replace_range(span.clone(), new_text);
    }
    s
}
