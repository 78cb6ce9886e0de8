//! `RegionId` (decisions.md §3): malformed (not `^[a-z]{2,3}(-[a-z0-9]+)+$`) →
//! `InvalidRegionId.NotFound`, error; well-formed but not in the known list (`rules/regions.toml`)
//! → the same code as a warning, since DescribeRegions may know regions the list does not.
//! Regions listed in the configuration (`extra-regions`, in the rule's [`Context`]) are known
//! too.

use super::Rule;
use crate::Context;
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::request::Request;
use crate::suggest::did_you_mean;
use runcommand_catalog::code;
use runcommand_catalog::param;

pub(super) const RULE: Rule = Rule {
    name: "region",
    codes: &[code::INVALID_REGION_ID_NOT_FOUND],
    check,
};

/// `^[a-z]{2,3}(-[a-z0-9]+)+$`
pub(crate) fn well_formed(id: &str) -> bool {
    let mut parts = id.split('-');
    let head = parts.next().unwrap_or("");
    let head_ok = (2..=3).contains(&head.len()) && head.bytes().all(|b| b.is_ascii_lowercase());
    let mut rest = 0;
    for p in parts {
        if p.is_empty()
            || !p
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            return false;
        }
        rest += 1;
    }
    head_ok && rest > 0
}

fn check(req: &Request<'_>, ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let extra = ctx.extra_regions;
    let Some(r) = req.str(param::REGION_ID) else {
        return;
    };
    if runcommand_catalog::is_known_region(r.value) || extra.iter().any(|e| e == r.value) {
        return;
    }
    let ids = runcommand_catalog::REGIONS.iter().map(|(id, _)| *id);
    let suggestion = did_you_mean(r.value.trim(), ids);
    let mut d = if well_formed(r.value) {
        Diagnostic::new(
            code::INVALID_REGION_ID_NOT_FOUND,
            r.span(),
            format!("`{}` is not a known region", r.value),
        )
        .severity(Severity::Warning)
    } else {
        Diagnostic::new(
            code::INVALID_REGION_ID_NOT_FOUND,
            r.span(),
            format!(
                "`{}` is not a region ID (region IDs look like `cn-hangzhou`)",
                r.value
            ),
        )
    }
    .param("RegionId");
    if let Some(s) = suggestion {
        d = d.help(format!("did you mean `{s}`?")).fix(Fix {
            title: format!("Replace with `{s}`"),
            span: r.span(),
            replacement: s.to_owned(),
            safe: false,
        });
    } else {
        d = d.help("call DescribeRegions for the current list (extra regions can be configured)");
    }
    out.push(d);
}

#[cfg(test)]
mod tests {
    use super::well_formed;

    #[test]
    fn extra_regions_are_known() {
        let src = "RegionId: cn-atlantis-1\nType: RunShellScript\nCommandContent: echo hi\nInstanceId: [i-bp185dy2o3o6neg1234]\n";
        let check = |extra: &[&str]| {
            let config = runcommand_config::Config::parse(
                &format!("extra-regions = {extra:?}"),
                std::path::Path::new("runcommand-lint.toml"),
                std::path::PathBuf::from("/"),
            )
            .unwrap();
            let content = crate::Content::Bytes(src.as_bytes().to_vec());
            let source = crate::Source::File {
                path: "t.yaml",
                format: runcommand_document::Format::Yaml,
                content: &content,
            };
            crate::Engine::default()
                .check(source, Some(&config))
                .diagnostics
                .iter()
                .map(|d| d.code.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(check(&[]), vec!["InvalidRegionId.NotFound"]);
        assert_eq!(check(&["cn-atlantis-2"]), vec!["InvalidRegionId.NotFound"]);
        assert!(check(&["cn-atlantis-1"]).is_empty());
    }

    #[test]
    fn region_format() {
        assert!(well_formed("cn-hangzhou"));
        assert!(well_formed("ap-southeast-1"));
        assert!(well_formed("cn-shanghai-finance-1"));
        assert!(!well_formed("cn"));
        assert!(!well_formed("CN-hangzhou"));
        assert!(!well_formed("cn--x"));
        assert!(!well_formed("hangzhou"));
        assert!(!well_formed("abcd-x"));
    }
}
