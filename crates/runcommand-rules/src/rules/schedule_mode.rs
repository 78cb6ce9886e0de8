//! `RepeatMode`, `Frequency` and `Timed` together (decisions.md §3 "Frequency and RepeatMode"):
//! - `RepeatMode: Period` without `Frequency` (or with an empty one) → `MissingParam.Frequency`;
//! - `Frequency` with `Once`, `NextRebootOnly`, `EveryReboot` or `DryRun` →
//!   `Lint.FrequencyOverridesRepeatMode` (warning): the API turns the mode into `Period`;
//! - `Timed` → `Lint.DeprecatedParameter` (warning): it has no effect any more; the fix removes it.
//!
//! The `Frequency` expression itself is checked by the schedule rules.

use super::Rule;
use crate::Context;
use crate::diagnostic::{Diagnostic, Fix};
use crate::request::Request;
use runcommand_catalog::code;
use runcommand_catalog::param;

pub(super) const RULE: Rule = Rule {
    name: "schedule-mode",
    codes: &[
        code::MISSING_PARAM_FREQUENCY,
        code::LINT_FREQUENCY_OVERRIDES_REPEAT_MODE,
        code::LINT_DEPRECATED_PARAMETER,
    ],
    check,
};

fn check(req: &Request<'_>, _ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mode = req.str(param::REPEAT_MODE);
    let frequency = req
        .str(param::FREQUENCY)
        .filter(|f| !f.value.trim().is_empty());
    if let Some(m) = mode {
        if m.value == "Period"
            && frequency.is_none()
            && !matches!(req.get(param::FREQUENCY), Some(p) if matches!(p.value, crate::request::PValue::Invalid))
        {
            out.push(
                Diagnostic::new(
                    code::MISSING_PARAM_FREQUENCY,
                    m.span(),
                    "RepeatMode Period needs a Frequency (rate, at or cron expression)",
                )
                .param("Frequency")
                .help("add e.g. `Frequency: 0 0 2 * * ?` (every day at 02:00)"),
            );
        }
        if let Some(f) = frequency
            && matches!(
                m.value,
                "Once" | "NextRebootOnly" | "EveryReboot" | "DryRun"
            )
        {
            let mut d = Diagnostic::new(
                code::LINT_FREQUENCY_OVERRIDES_REPEAT_MODE,
                m.span(),
                format!(
                    "RepeatMode is {} but Frequency is given: the API runs the command as a scheduled task (Period)",
                    m.value
                ),
            )
            .param("RepeatMode")
            .help("set RepeatMode: Period, or remove Frequency")
            .fix(Fix {
                title: "Replace with `Period`".into(),
                span: m.span(),
                replacement: "Period".into(),
                safe: false,
            });
            d = d.related_here(f.span(), "Frequency is given here");
            out.push(d);
        }
    }
    if let Some(p) = req.get(param::TIMED) {
        let entry_span = p.key_span.start..p.value_span.end.max(p.key_span.end);
        out.push(
            Diagnostic::new(
                code::LINT_DEPRECATED_PARAMETER,
                p.key_span.clone(),
                "Timed is deprecated and has no effect",
            )
            .param("Timed")
            .help("remove it; use RepeatMode and Frequency for scheduled tasks")
            .fix(Fix {
                title: "Remove `Timed`".into(),
                span: entry_span,
                replacement: String::new(),
                safe: false,
            }),
        );
    }
}
