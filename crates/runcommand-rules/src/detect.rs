//! The content test: does a file look like a RunCommand request file?
//!
//! Used wherever runcommand-lint meets files nobody chose for it (the pre-commit hook, the editor,
//! batch audits), so that an unrelated YAML or JSON file gets no findings. A file looks like a
//! request file when any of its requests (a YAML document, a JSON value, or an element of a
//! top-level list) is a mapping that
//! - has an `Action: RunCommand` key, or
//! - has a `CommandContent` key (any case), or
//! - has at least two keys that are RunCommand parameter names (exact, or in the flattened form
//!   `InstanceId.1`, `Tag.1.Key`) among the distinctive ones: `RegionId`, `Type`, `InstanceId`,
//!   `ResourceTag`, `RepeatMode`, `Frequency`, `EnableParameter`, `Parameters`, `ContentEncoding`,
//!   `WorkingDir`, `Timeout`, `KeepCommand`, `WindowsPasswordName`, `ContainerId`,
//!   `ContainerName`, `OssOutputDelivery`, `TerminationMode`, `Launcher`.
//!
//! An OOS template (see [`crate::oos`]) looks like a request file when it has a RunCommand step
//! (`ACS::ECS::RunCommand`, `ACS::ECS::RunCommandForLongTime`, or `ACS::ExecuteAPI` calling ECS
//! RunCommand), and not otherwise, whatever its other keys.
//!
//! A ROS template (see [`crate::ros`]) looks like a request file when it has an
//! `ALIYUN::ECS::RunCommand` resource (in a nested stack too), and not otherwise.
//!
//! A file that does not parse looks like a request file when its text contains `CommandContent`,
//! `ACS::ECS::RunCommand` or `ALIYUN::ECS::RunCommand`
//! (so a broken request still gets its `Lint.Syntax`, and a broken unrelated file gets nothing).

use runcommand_document::{Node, Value};

const DISTINCTIVE: &[&str] = &[
    "RegionId",
    "Type",
    "InstanceId",
    "ResourceTag",
    "RepeatMode",
    "Frequency",
    "EnableParameter",
    "Parameters",
    "ContentEncoding",
    "WorkingDir",
    "Timeout",
    "KeepCommand",
    "WindowsPasswordName",
    "ContainerId",
    "ContainerName",
    "OssOutputDelivery",
    "TerminationMode",
    "Launcher",
];

/// Whether one mapping looks like a RunCommand request.
pub fn mapping_looks_like_request(node: &Node) -> bool {
    let Some(entries) = node.as_map() else {
        return false;
    };
    if crate::ros::is_template(node) {
        return crate::ros::has_run_command_resources(node);
    }
    if crate::oos::is_template(node) {
        return crate::oos::has_run_command_steps(node);
    }
    let mut hits = 0;
    for e in entries {
        let Some(k) = e.key.as_key_str() else {
            continue;
        };
        if k == "Action" {
            if e.value.as_scalar().is_some_and(|s| s.text == "RunCommand") {
                return true;
            }
            continue;
        }
        if k.eq_ignore_ascii_case("CommandContent") {
            return true;
        }
        let head = k.split('.').next().unwrap_or(k);
        if DISTINCTIVE.contains(&head) {
            hits += 1;
            if hits >= 2 {
                return true;
            }
        }
    }
    false
}

/// Whether any of the roots (or elements of a top-level list) looks like a request.
pub fn roots_look_like_requests<'a>(roots: impl IntoIterator<Item = &'a Node>) -> bool {
    roots.into_iter().any(|root| match &root.value {
        Value::Seq(items) => items.iter().any(mapping_looks_like_request),
        _ => mapping_looks_like_request(root),
    })
}

/// The fallback for a file that does not parse.
pub fn text_looks_like_request(text: &str) -> bool {
    text.contains("CommandContent")
        || text.contains("ACS::ECS::RunCommand")
        || text.contains("ALIYUN::ECS::RunCommand")
}
