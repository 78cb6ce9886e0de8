//! Schedule facts: what a report that draws the fleet's schedules (the HTML report's calendar)
//! needs to know of each scheduled request, collected only when the front end asks for it
//! ([`crate::Engine::collecting_schedules`]), so that the other formats pay nothing.
//!
//! A request is scheduled when it has a non-empty `Frequency`, whatever its `RepeatMode`: the API
//! runs a request with a `Frequency` as a scheduled task (`Period`; the `schedule-mode` rule warns
//! about a different mode). Facts are read from the request view, so bare requests, request-log
//! lines, OOS steps and ROS resources all give them; the expression itself is not evaluated here
//! (the report parses and expands it over its own window).

use std::ops::Range;

use runcommand_catalog::param;

use crate::request::{PValue, Request};

/// One scheduled request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScheduleFact {
    /// 0-based index of the request in its file (as a finding's `document`).
    pub document: usize,
    /// The `Frequency` value as the API would receive it.
    pub frequency: String,
    /// Where the value is in the report's text (for its line, and for masking: a value inside a
    /// redacted range must not be printed).
    pub span: Range<usize>,
    /// The `RepeatMode` given, if any.
    pub repeat_mode: Option<String>,
    /// The distinct instance IDs given; `None` when the instances are not known offline
    /// (selected by `ResourceTag`, or given by an expression a template resolves at run time).
    pub instances: Option<usize>,
    /// Whether the instances are selected by `ResourceTag`.
    pub by_tag: bool,
    /// The `Name` of the request, if given (a saved command's name).
    pub name: Option<String>,
}

/// The schedule fact of a request, if it is scheduled.
pub(crate) fn fact(req: &Request<'_>) -> Option<ScheduleFact> {
    let frequency = req.str(param::FREQUENCY)?;
    if frequency.value.trim().is_empty() {
        return None;
    }
    let by_tag = match req.get(param::RESOURCE_TAG).map(|p| &p.value) {
        Some(PValue::Tags(t)) => !t.is_empty(),
        Some(_) => true,
        None => false,
    };
    let instances = match req.get(param::INSTANCE_ID).map(|p| &p.value) {
        Some(PValue::List(ids)) if !ids.is_empty() => {
            let mut seen: Vec<&str> = ids.iter().map(|t| t.value).collect();
            seen.sort_unstable();
            seen.dedup();
            Some(seen.len())
        }
        Some(PValue::Str(_)) => Some(1),
        _ => None,
    };
    Some(ScheduleFact {
        document: req.index,
        frequency: frequency.value.to_owned(),
        span: frequency.span(),
        repeat_mode: req.str(param::REPEAT_MODE).map(|m| m.value.to_owned()),
        instances: if by_tag { None } else { instances },
        by_tag,
        name: req.str(param::NAME).map(|n| n.value.to_owned()),
    })
}

/// Adds the fact of `req`, if any, to what the check collects (see [`crate::Context`]).
pub(crate) fn collect(req: &Request<'_>, into: &std::cell::RefCell<Vec<ScheduleFact>>) {
    if let Some(f) = fact(req)
        && let Ok(mut v) = into.try_borrow_mut()
    {
        v.push(f);
    }
}

#[cfg(test)]
mod tests {
    use crate::{Engine, Settings, Source};
    use runcommand_document::Format;

    fn facts(text: &str, format: Format) -> Vec<super::ScheduleFact> {
        let engine = Engine::new(Settings::default()).collecting_schedules(true);
        engine
            .check(
                Source::Bytes {
                    path: "t",
                    format,
                    bytes: text.as_bytes(),
                },
                None,
            )
            .schedules
    }

    #[test]
    fn a_scheduled_request_gives_its_frequency_instances_and_place() {
        let text = "RegionId: cn-hangzhou\nType: RunShellScript\nCommandContent: echo\nRepeatMode: Period\nFrequency: '0 30 2 * * ? Asia/Shanghai'\nName: nightly\nInstanceId: [i-a1, i-a2, i-a1]\n---\nRegionId: cn-hangzhou\nType: RunShellScript\nCommandContent: echo\nFrequency: rate(5m)\nResourceTag: [{Key: team, Value: web}]\n---\nRegionId: cn-hangzhou\nType: RunShellScript\nCommandContent: echo\nInstanceId: [i-a1]\n";
        let f = facts(text, Format::Yaml);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(f[0].frequency, "0 30 2 * * ? Asia/Shanghai");
        assert_eq!(f[0].document, 0);
        assert_eq!(f[0].instances, Some(2));
        assert_eq!(f[0].repeat_mode.as_deref(), Some("Period"));
        assert_eq!(f[0].name.as_deref(), Some("nightly"));
        assert_eq!(&text[f[0].span.clone()], "'0 30 2 * * ? Asia/Shanghai'");
        assert_eq!(f[1].document, 1);
        assert!(f[1].by_tag);
        assert_eq!(f[1].instances, None);
    }

    #[test]
    fn nothing_is_collected_unless_asked() {
        let text = "RegionId: cn-hangzhou\nType: RunShellScript\nCommandContent: echo\nFrequency: rate(5m)\nInstanceId: [i-a1]\n";
        let r = crate::check_bytes("t.yaml", text.as_bytes(), Format::Yaml);
        assert!(r.schedules.is_empty());
        assert_eq!(facts(text, Format::Yaml).len(), 1);
    }

    #[test]
    fn request_log_lines_count_their_lines() {
        let engine = Engine::new(Settings::default()).collecting_schedules(true);
        let line = br#"{"RegionId": "cn-hangzhou", "Type": "RunShellScript", "CommandContent": "echo", "Frequency": "rate(1h)", "InstanceId": ["i-a1"]}"#;
        let r = engine.check(
            Source::Line {
                path: "log.jsonl",
                bytes: line,
                number: 5,
            },
            None,
        );
        assert_eq!(r.schedules.len(), 1);
        assert_eq!(r.schedules[0].document, 4);
        assert_eq!(r.position(r.schedules[0].span.start).line, 5);
    }
}
