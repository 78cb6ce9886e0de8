//! The names OOS resolves itself in a template (its parameters, its built-ins, its tasks'
//! outputs): a RunCommand step's request view holds them, so that the rules tell OOS's `{{ }}`
//! from Cloud Assistant's.

use std::collections::BTreeSet;

/// OOS built-in expressions (resolved by OOS, never by Cloud Assistant). OOS publishes no complete
/// list: these are the names its documentation and Alibaba's own templates use. Matched ignoring
/// ASCII case (Alibaba's public templates write `{{ Acs::CurrentDate }}`).
pub const OOS_BUILTINS: &[&str] = &[
    "ACS::RegionId",
    "ACS::AccountId",
    "ACS::ExecutionId",
    "ACS::TaskExecutionId",
    "ACS::TaskLoopItem",
    "ACS::TaskName",
    "ACS::TemplateName",
    "ACS::TemplateVersion",
    "ACS::ParentExecutionId",
    "ACS::OOSUtilVersion",
    "ACS::CurrentUTCTime",
    "ACS::CurrentDate",
    "ACS::ExecuteUser",
];

/// Whether `name` is an OOS built-in (ignoring ASCII case).
pub(crate) fn is_oos_builtin(name: &str) -> bool {
    OOS_BUILTINS.iter().any(|b| b.eq_ignore_ascii_case(name))
}

/// The names OOS resolves itself in a template.
#[derive(Debug, Default)]
pub struct OosNames {
    pub(crate) params: BTreeSet<String>,
    pub(crate) tasks: BTreeSet<String>,
    /// Names in the current step's `commandContent` reported as `Lint.OosUnknownParameter`: no
    /// Cloud Assistant parameter either, so the template rules leave them alone.
    pub(crate) reported: std::cell::RefCell<BTreeSet<String>>,
    /// Candidate names "did you mean" may still compare in this template: a template with
    /// thousands of parameters and as many unknown names would otherwise compare every pair
    /// (quadratic work); past the budget, a finding has no suggestion.
    pub(crate) suggestions: std::cell::Cell<usize>,
}

impl OosNames {
    /// Whether `{{ name }}` (trimmed) is an OOS expression: a template parameter, an OOS built-in
    /// or a task output `task.output` (or a name of the step already reported as unknown to OOS).
    pub fn owns(&self, name: &str) -> bool {
        self.resolves(name) || self.reported.borrow().contains(name)
    }

    /// Takes `n` comparisons from the "did you mean" budget; `false` when it is spent.
    pub(crate) fn may_suggest(&self, n: usize) -> bool {
        let left = self.suggestions.get();
        if n > left {
            return false;
        }
        self.suggestions.set(left - n);
        true
    }

    /// Whether OOS resolves `{{ name }}`.
    pub(crate) fn resolves(&self, name: &str) -> bool {
        self.params.contains(name)
            || is_oos_builtin(name)
            || name
                .split_once('.')
                .is_some_and(|(t, o)| !o.is_empty() && self.tasks.contains(t))
    }
}
