#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! `check --format html` and `--output`, through the real binary: a self-contained page with the
//! run's counts and calendar; `--output` writes any format to a file, whole or not at all.

mod common;

use common::{run, run_in};

const NOW: &str = "2026-11-26T10:17:42Z";

fn html(args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["check", "--no-progress", "--format", "html", "--now", NOW];
    all.extend_from_slice(args);
    let out = run(&all);
    (out.status.code(), String::from_utf8(out.stdout).unwrap())
}

/// The page without the run's time (the one thing that differs from run to run).
fn timeless(page: &str) -> String {
    let at = page.find("id=\"count-time\">").unwrap();
    let end = at + page[at..].find('<').unwrap();
    format!("{}{}", &page[..at], &page[end..])
}

#[test]
fn the_examples_make_one_self_contained_page() {
    let (status, page) = html(&["examples/"]);
    assert_eq!(status, Some(1), "the examples hold errors");
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(page.ends_with("</html>\n"));
    // Nothing to fetch: no external script, stylesheet, font or image.
    for tag in ["<link", "<img", "src=", "@import", "url("] {
        assert!(!page.contains(tag), "{tag}");
    }
    let json = common::json(&run(&["check", "--format", "json", "examples/"]));
    let errors = json["summary"]["errors"].as_u64().unwrap();
    assert!(page.contains(&format!("id=\"count-errors\">{errors}</span>")));
    assert!(page.contains("id=\"count-files\">5</span>"), "{page}");
    // Every code found has its row, linked to its documentation.
    for code in common::codes(&json) {
        assert!(
            page.contains(&format!("<details class=\"code\" data-code=\"{code}\">")),
            "{code}"
        );
    }
    assert!(page.contains("docs/codes.md#invalidcmdtypenotfound"));
    // The calendar: three requests at 02:00 Shanghai time on Sunday 29 November.
    assert!(
        page.contains("id=\"busiest-utc\">Busiest hour: <strong>Sat 2026-11-28 18:00–19:00</strong> (UTC), 3 task starts."),
        "{page}"
    );
    assert!(page.contains(
        "id=\"busiest-local\">Busiest hour: <strong>Sun 2026-11-29 02:00–03:00</strong> (Asia/Shanghai)"
    ));
    // Deterministic: the same run gives the same page, its time aside.
    let (_, again) = html(&["examples/"]);
    assert_eq!(timeless(&page), timeless(&again));
}

#[test]
fn calendar_options_change_the_window_and_the_zone() {
    let (_, page) = html(&[
        "--calendar-days",
        "2",
        "--calendar-zone",
        "GMT-5:00",
        "examples/fleet-schedules.yaml",
    ]);
    assert!(page.contains("over the 2 days from 2026-11-26 10:17 to 2026-11-28 10:17 UTC"));
    assert!(page.contains("Task starts per hour, GMT-5:00"));
    // 18:00 UTC is 13:00 at UTC-5; two daily requests in a 2-day window.
    assert!(
        page.contains(
            "Busiest hour: <strong>Thu 2026-11-26 13:00–14:00</strong> (GMT-5:00), 2 task starts."
        ),
        "{page}"
    );
    for bad in [
        &["--calendar-zone", "Asia/Shanghia"][..],
        &["--calendar-days", "0"][..],
        &["--calendar-days", "32"][..],
        &["--now", "yesterday"][..],
    ] {
        let mut args = vec!["check", "--format", "html", "examples/"];
        args.extend_from_slice(bad);
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(out.stdout.is_empty());
    }
    let out = run(&["check", "--calendar-zone", "Asia/Shanghia", "examples/"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("did you mean `Asia/Shanghai`?"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn output_writes_any_format_to_a_file_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(
        d.join("a.yaml"),
        "RegionId: cn-hangzhou\nType: RunShellscript\nCommandContent: echo\nInstanceId: [i-bp185dy2o3o6neg1234]\n",
    )
    .unwrap();
    std::fs::write(d.join("report.html"), "old").unwrap();
    for (format, file, start) in [
        ("html", "report.html", "<!DOCTYPE html>"),
        ("json", "out/report.json", "{\n  \"version\": 1"),
        (
            "concise",
            "report.txt",
            "a.yaml:2:7: error InvalidCmdType.NotFound",
        ),
        ("human", "human.txt", "error[InvalidCmdType.NotFound]"),
    ] {
        if file.contains('/') {
            std::fs::create_dir_all(d.join("out")).unwrap();
        }
        let out = run_in(
            d,
            &["check", "--format", format, "--output", file, "a.yaml"],
            None,
        );
        assert_eq!(out.status.code(), Some(1), "{format}");
        assert!(
            out.stdout.is_empty(),
            "{format}: nothing on standard output"
        );
        let written = std::fs::read_to_string(d.join(file)).unwrap();
        assert!(written.starts_with(start), "{format}: {written}");
        // The same bytes as standard output gives (human: no colour in a file either).
        let direct = run_in(d, &["check", "--format", format, "a.yaml"], None);
        if format != "html" && format != "human" {
            assert_eq!(written.as_bytes(), direct.stdout, "{format}");
        }
    }
    assert!(
        !std::fs::read_to_string(d.join("human.txt"))
            .unwrap()
            .contains('\x1b')
    );
    // No temporary file is left beside the output.
    let mut names: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["a.yaml", "human.txt", "out", "report.html", "report.txt"]
    );
    // A directory that does not exist: an error, status 2, nothing written.
    let out = run_in(d, &["check", "--output", "nowhere/r.html", "a.yaml"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write nowhere/r.html"));
    // A configuration error writes nothing and keeps the previous file.
    std::fs::write(d.join("runcommand-lint.toml"), "selct = []\n").unwrap();
    std::fs::write(d.join("report.html"), "old").unwrap();
    let out = run_in(
        d,
        &["check", "--format", "html", "-o", "report.html", "a.yaml"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(d.join("report.html")).unwrap(),
        "old"
    );
}
