//! `html`: one self-contained page for people who act on an audit (no network: inline CSS, a
//! small inline script, no font or image to fetch; readable without the script).
//!
//! - A summary (files, requests, findings by severity, time), findings by code as a bar chart
//!   whose rows open (`<details>`) on their occurrences, each with its snippet (credentials
//!   masked by the human format's own code, [`super::human::snippet`]), help and HTTP status,
//!   and a link to the code's documentation; the files with the most errors; a filter by code
//!   and path (the script; without it everything is shown).
//! - The fleet schedule calendar ([`super::calendar`]).
//!
//! Size and memory are bounded whatever the run: at most [`MAX_OCCURRENCES`] occurrences per
//! code are kept (rendered as they arrive, the others counted: "and N more"), the
//! [`TOP_FILES`] files with the most errors, and the calendar's own caps. The page is written
//! at the end, as its summary comes first. Every text that comes from a request file (paths,
//! values quoted in messages, snippets, expressions) is escaped by [`esc`].

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use runcommand_frequency::Zone;
use runcommand_rules::{Diagnostic, FileReport, Severity};

use super::calendar::{self, Calendar, HeatMap, Sample};
use super::human::{Style, gutter, redact, snippet};
use super::{Options, Reporter, Totals};

/// Occurrences listed per code.
pub const MAX_OCCURRENCES: usize = 50;
/// Files listed in the ranking.
pub const TOP_FILES: usize = 25;
/// Schedules listed per busy minute (each with its first [`calendar::SAMPLES`] requests).
const FIRING_EXPRS: usize = 4;

/// Escapes text for HTML content and double- or single-quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One code's findings.
#[derive(Default)]
struct Group {
    /// The first occurrences, rendered.
    shown: Vec<String>,
    /// All of them.
    total: usize,
}

/// One file's counts (a request log's lines add up).
#[derive(Clone, Debug, PartialEq, Eq)]
struct FileRow {
    path: String,
    errors: usize,
    warnings: usize,
    infos: usize,
    requests: usize,
}

impl FileRow {
    /// Ranking order: most errors, then warnings, then infos, then by path.
    fn rank(&self) -> (std::cmp::Reverse<(usize, usize, usize)>, &str) {
        (
            std::cmp::Reverse((self.errors, self.warnings, self.infos)),
            &self.path,
        )
    }
}

/// The `html` reporter.
pub struct Html {
    now: DateTime<Utc>,
    zone: Option<Zone>,
    paths: Vec<String>,
    codes: BTreeMap<&'static str, Group>,
    current: Option<FileRow>,
    top: Vec<FileRow>,
    files_with_findings: usize,
    calendar: Calendar,
}

impl Html {
    /// A new one.
    pub fn new(o: &Options) -> Html {
        Html {
            now: o.now,
            zone: o.calendar_zone,
            paths: o.paths.clone(),
            codes: BTreeMap::new(),
            current: None,
            top: Vec::new(),
            files_with_findings: 0,
            calendar: Calendar::new(o.now, o.calendar_days),
        }
    }

    /// Ends the file being counted: into the ranking if it has findings.
    fn close_file(&mut self) {
        let Some(row) = self.current.take() else {
            return;
        };
        if row.errors + row.warnings + row.infos == 0 {
            return;
        }
        self.files_with_findings += 1;
        self.top.push(row);
        if self.top.len() >= 2 * TOP_FILES {
            self.trim_top();
        }
    }

    fn trim_top(&mut self) {
        self.top.sort_by(|a, b| a.rank().cmp(&b.rank()));
        self.top.truncate(TOP_FILES);
    }
}

impl Reporter for Html {
    fn file(&mut self, _out: &mut Vec<u8>, r: &FileReport) -> io::Result<()> {
        if self.current.as_ref().is_none_or(|c| c.path != r.path) {
            self.close_file();
            self.current = Some(FileRow {
                path: r.path.clone(),
                errors: 0,
                warnings: 0,
                infos: 0,
                requests: 0,
            });
        }
        if let Some(row) = &mut self.current {
            row.requests += r.requests;
            for d in &r.diagnostics {
                match d.severity {
                    Severity::Error => row.errors += 1,
                    Severity::Warning => row.warnings += 1,
                    Severity::Info => row.infos += 1,
                }
            }
        }
        for d in &r.diagnostics {
            let group = self.codes.entry(d.code.as_str()).or_default();
            group.total += 1;
            if group.shown.len() < MAX_OCCURRENCES {
                group.shown.push(occurrence(r, d));
            }
        }
        for s in &r.schedules {
            // The API rejects the request for its `Frequency`: it never runs.
            let rejected = r.diagnostics.iter().any(|d| {
                d.code == runcommand_catalog::code::INVALID_PARAM_FREQUENCY
                    && d.severity == Severity::Error
                    && d.document == s.document
                    && d.span.start < s.span.end.max(s.span.start + 1)
                    && s.span.start <= d.span.start
            });
            if rejected {
                self.calendar.add_rejected();
                continue;
            }
            let line = r.position(s.span.start).line;
            calendar_add(&mut self.calendar, r, s, line);
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut Vec<u8>, totals: &Totals, elapsed: Duration) -> io::Result<()> {
        self.close_file();
        self.trim_top();
        let mut page = String::with_capacity(1 << 16);
        self.page(&mut page, totals, elapsed)
            .map_err(|_| io::Error::other("cannot format the report"))?;
        out.write_all(page.as_bytes())
    }
}

/// Adds a scheduled request to the calendar, its expression masked where a credential finding
/// covers it (as every snippet is).
fn calendar_add(
    calendar: &mut Calendar,
    r: &FileReport,
    s: &runcommand_rules::ScheduleFact,
    line: u32,
) {
    let covered = r
        .redactions
        .iter()
        .any(|x| x.start < s.span.end && s.span.start < x.end);
    let shown = if covered {
        r.text.get(s.span.clone()).map_or_else(
            || "*".repeat(8),
            |t| redact(t, s.span.start, &r.redactions, false),
        )
    } else {
        s.frequency.clone()
    };
    calendar.add(
        &s.frequency,
        &shown,
        Sample {
            path: r.path.clone(),
            line,
            instances: s.instances,
            by_tag: s.by_tag,
        },
    );
}

/// A severity's CSS class.
fn sev_class(s: Severity) -> &'static str {
    match s {
        Severity::Error => "sev-error",
        Severity::Warning => "sev-warning",
        Severity::Info => "sev-info",
    }
}

/// A snippet as HTML: the human format's lines (credentials masked there), escaped, with the
/// caret lines marked.
fn snippet_html(r: &FileReport, d: &Diagnostic) -> String {
    let mut raw = Vec::new();
    let width = gutter(r, d);
    if snippet(&mut raw, r, d, &Style { color: false }, width).is_err() {
        return String::new();
    }
    let text = String::from_utf8_lossy(&raw);
    let mut out = String::new();
    for line in text.lines() {
        let carets = line
            .split_once('|')
            .map(|(_, rest)| rest.trim_start())
            .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c == '^'));
        if carets {
            let cut = line.find('^').unwrap_or(line.len());
            let (lead, marks) = line.split_at(cut);
            let _ = writeln!(
                out,
                "{}<span class=\"caret\">{}</span>",
                esc(lead),
                esc(marks)
            );
        } else {
            let _ = writeln!(out, "{}", esc(line));
        }
    }
    out
}

/// One finding, rendered.
fn occurrence(r: &FileReport, d: &Diagnostic) -> String {
    let pos = r.position(d.span.start);
    let mut s = String::new();
    let _ = write!(
        s,
        "<li class=\"occ\" data-code=\"{code}\" data-path=\"{path}\"><div class=\"occ-head\"><span class=\"badge {cls}\">{sev}</span> <code class=\"loc\">{path}:{line}:{col}</code></div><p class=\"msg\">{msg}</p>",
        code = esc(d.code.as_str()),
        path = esc(&r.path),
        cls = sev_class(d.severity),
        sev = d.severity.as_str(),
        line = pos.line,
        col = pos.column,
        msg = esc(&d.message),
    );
    let snip = snippet_html(r, d);
    if !snip.is_empty() {
        let _ = write!(s, "<pre class=\"snippet\">{snip}</pre>");
    }
    for rel in &d.related {
        let p = match rel.position {
            Some((line, column)) => runcommand_document::LineCol { line, column },
            None => r.position(rel.span.start),
        };
        let path = rel.path.as_deref().unwrap_or(&r.path);
        let _ = write!(
            s,
            "<p class=\"note\">note: {} <code>{}:{}:{}</code></p>",
            esc(&rel.message),
            esc(path),
            p.line,
            p.column
        );
    }
    if let Some(h) = &d.help {
        let _ = write!(s, "<p class=\"help\"><b>help:</b> {}</p>", esc(h));
    }
    if let Some(status) = d.http_status() {
        let message = runcommand_catalog::code(d.code.as_str()).map_or("", |c| c.message);
        let _ = write!(
            s,
            "<p class=\"http\"><b>HTTP {status}</b> {}</p>",
            esc(message)
        );
    }
    s.push_str("</li>");
    s
}

/// A count with thousands separators.
fn num(n: impl Into<u64>) -> String {
    let s = n.into().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A count in at most 4 characters (a heat map cell).
fn compact(n: u64) -> String {
    match n {
        0..=999 => n.to_string(),
        1_000..=9_999 => format!("{:.1}k", n as f64 / 1000.0),
        10_000..=999_999 => format!("{}k", n / 1000),
        _ => format!("{}M", n / 1_000_000),
    }
}

/// `n thing` or `n things`.
fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", num(n), if n == 1 { one } else { many })
}

/// The stylesheet: system fonts, a clear hierarchy, colours with enough contrast on white.
const CSS: &str = r#"
:root{--fg:#1f2933;--muted:#52606d;--line:#d9e2ec;--bg:#f5f7fa;--card:#fff;--err:#b42318;--warn:#a15c07;--info:#175cd3;--accent:#0b6e99}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
header.top{background:#102a43;color:#f0f4f8;padding:24px 32px}
header.top h1{margin:0 0 4px;font-size:24px;font-weight:650;letter-spacing:-.01em}
header.top p{margin:0;color:#bcccdc;font-size:14px}
header.top code{color:#f0f4f8}
nav.toc{display:flex;gap:20px;padding:10px 32px;background:#fff;border-bottom:1px solid var(--line);font-size:14px;position:sticky;top:0;z-index:2}
nav.toc a{color:var(--accent);text-decoration:none;font-weight:500}
main{max-width:1180px;margin:0 auto;padding:24px 32px 48px}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:20px 24px;margin:0 0 24px}
h2{font-size:19px;margin:0 0 4px;font-weight:650}
h3{font-size:15px;margin:20px 0 8px;font-weight:600}
p.lead{color:var(--muted);margin:0 0 16px;font-size:14px}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:13px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:12px;margin:0 0 16px}
.card{border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card .n{display:block;font-size:26px;font-weight:650;font-variant-numeric:tabular-nums}
.card .k{color:var(--muted);font-size:13px}
.card.sev-error .n{color:var(--err)}.card.sev-warning .n{color:var(--warn)}.card.sev-info .n{color:var(--info)}
.stack{display:flex;height:14px;border-radius:7px;overflow:hidden;background:#e4e7eb}
.stack span{display:block;height:100%}
.legend{display:flex;gap:16px;font-size:13px;color:var(--muted);margin:6px 0 0}
.dot{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.bg-error{background:var(--err)}.bg-warning{background:#dc8a12}.bg-info{background:#2e90fa}
#filters{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin:0 0 12px;padding:10px 12px;background:var(--bg);border-radius:8px;font-size:14px}
#filters label{color:var(--muted)}
#filters select,#filters input{font:inherit;padding:4px 8px;border:1px solid #9aa5b1;border-radius:6px;background:#fff;min-width:200px}
#f-status{color:var(--muted)}
details.code{border-top:1px solid var(--line)}
details.code>summary{display:grid;grid-template-columns:minmax(220px,300px) 1fr 70px;gap:12px;align-items:center;padding:7px 4px;cursor:pointer;list-style:none}
details.code>summary::-webkit-details-marker{display:none}
details.code>summary:hover{background:#f0f4f8}
details.code>summary .name{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;overflow-wrap:anywhere}
details.code>summary .name::before{content:"\25B8";display:inline-block;width:14px;color:var(--muted)}
details.code[open]>summary .name::before{content:"\25BE"}
.track{display:flex;height:16px;background:#f0f4f8;border-radius:3px;overflow:hidden}
.track span{display:block;height:100%}
.count{text-align:right;font-variant-numeric:tabular-nums;font-weight:600}
.code-body{padding:4px 4px 14px 18px}
.code-body .desc{margin:4px 0 10px;color:var(--muted);font-size:14px}
.code-body .desc a{color:var(--accent)}
ol.occs{list-style:none;margin:0;padding:0}
li.occ{border:1px solid var(--line);border-radius:8px;padding:10px 12px;margin:0 0 10px}
.occ-head{display:flex;gap:8px;align-items:center;flex-wrap:wrap}
.badge{font-size:12px;font-weight:600;border-radius:4px;padding:1px 7px;color:#fff}
.badge.sev-error{background:var(--err)}.badge.sev-warning{background:var(--warn)}.badge.sev-info{background:var(--info)}
.loc{color:var(--fg);overflow-wrap:anywhere}
li.occ p{margin:6px 0 0}
.msg{font-weight:500}
pre.snippet{background:#102a43;color:#e4e7eb;border-radius:6px;padding:8px 12px;margin:8px 0 0;overflow-x:auto;line-height:1.4}
pre.snippet .caret{color:#ffb4a8;font-weight:700}
.help{color:#1f5f3a}.http{color:var(--muted);font-size:14px}.note{color:var(--muted);font-size:14px}
.more{color:var(--muted);font-size:14px;font-style:italic}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:13px}
td.r,th.r{text-align:right;font-variant-numeric:tabular-nums}
td.err{color:var(--err);font-weight:600}
.heat-wrap{overflow-x:auto;margin:0 0 8px}
table.heat{width:auto;border-collapse:separate;border-spacing:2px;font-size:11px}
table.heat th{font-size:11px;padding:2px 4px;border:0;white-space:nowrap}
table.heat td{width:34px;height:26px;padding:0;text-align:center;border:0;border-radius:3px;font-variant-numeric:tabular-nums}
td.h0{background:#eef2f6;color:#7b8794}td.h1{background:#d3e4fd}td.h2{background:#8ab8f8}td.h3{background:#2f6fd6;color:#fff}td.h4{background:#0b2e6b;color:#fff}
td.out{background:repeating-linear-gradient(45deg,#fff,#fff 3px,#eef2f6 3px,#eef2f6 6px)}
.busiest{font-size:15px;margin:6px 0 12px}
td.when{white-space:nowrap}
div.reqs{color:var(--muted);font-size:13px;margin:2px 0 6px}
ul.exprs{margin:0;padding-left:16px}
ul.exprs small{color:var(--muted)}
ul.notes{color:var(--muted);font-size:14px;padding-left:18px}
footer{color:var(--muted);font-size:13px;text-align:center;padding:0 0 32px}
"#;

/// The filter: by code (a list) and by path (a substring, any case); hides the occurrences,
/// codes and file rows that do not match. Without it everything stays shown.
const SCRIPT: &str = r#"
(function(){
var box=document.getElementById('filters');if(!box)return;box.hidden=false;
var code=document.getElementById('f-code'),path=document.getElementById('f-path'),status=document.getElementById('f-status');
function apply(){
var c=code.value,p=path.value.trim().toLowerCase(),n=0;
document.querySelectorAll('li.occ').forEach(function(li){var ok=(!c||li.dataset.code===c)&&(!p||li.dataset.path.toLowerCase().indexOf(p)>=0);li.hidden=!ok;if(ok)n++;});
document.querySelectorAll('details.code').forEach(function(d){var ok=(!c||d.dataset.code===c)&&(!p||d.querySelector('li.occ:not([hidden])')!==null);d.hidden=!ok;if(ok&&(c||p))d.open=true;});
document.querySelectorAll('tr[data-path]').forEach(function(tr){tr.hidden=!!p&&tr.dataset.path.toLowerCase().indexOf(p)<0;});
status.textContent=(c||p)?n+(n===1?' listed finding matches':' listed findings match'):'';
}
code.addEventListener('change',apply);path.addEventListener('input',apply);
document.querySelectorAll('[data-filter-code]').forEach(function(a){a.addEventListener('click',function(e){e.preventDefault();code.value=a.dataset.filterCode;apply();document.getElementById('findings').scrollIntoView();});});
})();
"#;

impl Html {
    /// Writes the whole page.
    fn page(&self, s: &mut String, t: &Totals, elapsed: Duration) -> std::fmt::Result {
        let checked = if self.paths.is_empty() {
            ".".to_owned()
        } else {
            self.paths.join(" ")
        };
        write!(
            s,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"runcommand-lint {ver}\">\n<title>RunCommand audit: {title}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<header class=\"top\"><h1>RunCommand audit report</h1><p>Checked <code>{title}</code> · now {now} · runcommand-lint {ver}</p></header>\n<nav class=\"toc\"><a href=\"#summary\">Summary</a><a href=\"#findings\">Findings by code</a><a href=\"#files\">Files</a><a href=\"#calendar\">Schedule calendar</a></nav>\n<main>\n",
            ver = env!("CARGO_PKG_VERSION"),
            title = esc(&checked),
            now = self.now.to_rfc3339_opts(SecondsFormat::Secs, true),
        )?;
        self.summary(s, t, elapsed)?;
        self.findings(s, t)?;
        self.files(s, t)?;
        self.calendar(s)?;
        write!(
            s,
            "</main>\n<footer>Generated by runcommand-lint {}: every finding, snippet and schedule comes from the files checked; credentials are masked.</footer>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
            env!("CARGO_PKG_VERSION")
        )
    }

    fn summary(&self, s: &mut String, t: &Totals, elapsed: Duration) -> std::fmt::Result {
        let (e, w, i) = (
            t.count(Severity::Error),
            t.count(Severity::Warning),
            t.count(Severity::Info),
        );
        let skipped = if t.skipped > 0 {
            format!(
                "; {} skipped (not RunCommand requests)",
                plural(t.skipped as u64, "file", "files")
            )
        } else {
            String::new()
        };
        write!(
            s,
            "<section id=\"summary\"><h2>Summary</h2><p class=\"lead\">{} with errors, {} with findings{skipped}.</p><div class=\"cards\">",
            plural(t.files_with_errors as u64, "file", "files"),
            num(self.files_with_findings as u64),
        )?;
        for (id, n, label, cls) in [
            ("files", num(t.files as u64), "files checked", ""),
            ("requests", num(t.requests as u64), "requests", ""),
            ("errors", num(e as u64), "errors", "sev-error"),
            ("warnings", num(w as u64), "warnings", "sev-warning"),
            ("infos", num(i as u64), "infos", "sev-info"),
            (
                "time",
                format!("{:.2} s", elapsed.as_secs_f64()),
                "time",
                "",
            ),
        ] {
            write!(
                s,
                "<div class=\"card {cls}\"><span class=\"n\" id=\"count-{id}\">{n}</span><span class=\"k\">{label}</span></div>"
            )?;
        }
        s.push_str("</div>");
        let all = (e + w + i).max(1) as f64;
        s.push_str("<div class=\"stack\" role=\"img\" aria-label=\"findings by severity\">");
        for (n, cls) in [(e, "error"), (w, "warning"), (i, "info")] {
            if n > 0 {
                write!(
                    s,
                    "<span class=\"bg-{cls}\" style=\"width:{:.2}%\" title=\"{n} {cls}\"></span>",
                    100.0 * n as f64 / all
                )?;
            }
        }
        writeln!(
            s,
            "</div><p class=\"legend\"><span><i class=\"dot bg-error\"></i>errors {}</span><span><i class=\"dot bg-warning\"></i>warnings {}</span><span><i class=\"dot bg-info\"></i>infos {}</span></p></section>",
            num(e as u64),
            num(w as u64),
            num(i as u64)
        )
    }

    fn findings(&self, s: &mut String, t: &Totals) -> std::fmt::Result {
        // Codes by count (any severity), then name; each with its counts by severity.
        let mut rows: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
        for ((code, sev), n) in &t.by_code {
            let slot = match sev {
                Severity::Error => 0,
                Severity::Warning => 1,
                Severity::Info => 2,
            };
            if let Some(c) = rows.entry(code).or_default().get_mut(slot) {
                *c += n;
            }
        }
        let mut rows: Vec<(&str, [usize; 3])> = rows.into_iter().collect();
        rows.sort_by(|a, b| {
            b.1.iter()
                .sum::<usize>()
                .cmp(&a.1.iter().sum::<usize>())
                .then(a.0.cmp(b.0))
        });
        let max = rows.first().map_or(1, |r| r.1.iter().sum::<usize>()).max(1) as f64;
        write!(
            s,
            "<section id=\"findings\"><h2>Findings by code</h2><p class=\"lead\">{} of {}. Open a code for its occurrences (at most {MAX_OCCURRENCES} listed per code), with the source, the help and the HTTP status the API would answer.</p>",
            plural(
                rows.iter()
                    .map(|r| r.1.iter().sum::<usize>())
                    .sum::<usize>() as u64,
                "finding",
                "findings"
            ),
            plural(rows.len() as u64, "code", "codes"),
        )?;
        s.push_str("<div id=\"filters\" hidden><label for=\"f-code\">Code</label><select id=\"f-code\"><option value=\"\">all codes</option>");
        for (code, _) in &rows {
            write!(s, "<option value=\"{c}\">{c}</option>", c = esc(code))?;
        }
        s.push_str("</select><label for=\"f-path\">Path contains</label><input id=\"f-path\" type=\"search\" placeholder=\"e.g. prod/\" autocomplete=\"off\"><span id=\"f-status\" aria-live=\"polite\"></span></div>");
        if rows.is_empty() {
            s.push_str("<p>No findings.</p>");
        }
        for (code, counts) in &rows {
            let total: usize = counts.iter().sum();
            let info = runcommand_catalog::code(code);
            write!(
                s,
                "<details class=\"code\" data-code=\"{c}\"><summary><span class=\"name\">{c}</span><span class=\"track\" role=\"img\" aria-label=\"{total} findings\">",
                c = esc(code)
            )?;
            for (n, cls) in counts.iter().zip(["error", "warning", "info"]) {
                if *n > 0 {
                    write!(
                        s,
                        "<span class=\"bar bg-{cls}\" style=\"width:{:.2}%\" title=\"{n} {cls}\"></span>",
                        100.0 * *n as f64 / max
                    )?;
                }
            }
            write!(
                s,
                "</span><span class=\"count\">{}</span></summary><div class=\"code-body\"><p class=\"desc\">{} <a href=\"{}\" rel=\"noopener\">Documentation of {}</a></p><ol class=\"occs\">",
                num(total as u64),
                esc(info.map_or("", |i| i.message)),
                esc(&runcommand_catalog::code_url(code)),
                esc(code),
            )?;
            let group = self.codes.get(code);
            for o in group.map(|g| g.shown.as_slice()).unwrap_or_default() {
                s.push_str(o);
            }
            s.push_str("</ol>");
            let listed = group.map_or(0, |g| g.shown.len());
            if total > listed {
                write!(
                    s,
                    "<p class=\"more\">and {} more not listed</p>",
                    num((total - listed) as u64)
                )?;
            }
            s.push_str("</div></details>\n");
        }
        s.push_str("</section>\n");
        Ok(())
    }

    fn files(&self, s: &mut String, t: &Totals) -> std::fmt::Result {
        write!(
            s,
            "<section id=\"files\"><h2>Files with the most errors</h2><p class=\"lead\">The first {} of {} with findings ({} checked).</p>",
            self.top.len().min(TOP_FILES),
            plural(self.files_with_findings as u64, "file", "files"),
            num(t.files as u64),
        )?;
        if self.top.is_empty() {
            s.push_str("<p>No file has a finding.</p></section>\n");
            return Ok(());
        }
        s.push_str("<table class=\"files\"><thead><tr><th>File</th><th class=\"r\">Errors</th><th class=\"r\">Warnings</th><th class=\"r\">Infos</th><th class=\"r\">Requests</th></tr></thead><tbody>");
        for f in self.top.iter().take(TOP_FILES) {
            write!(
                s,
                "<tr data-path=\"{p}\"><td><code>{p}</code></td><td class=\"r{}\">{}</td><td class=\"r\">{}</td><td class=\"r\">{}</td><td class=\"r\">{}</td></tr>",
                if f.errors > 0 { " err" } else { "" },
                num(f.errors as u64),
                num(f.warnings as u64),
                num(f.infos as u64),
                num(f.requests as u64),
                p = esc(&f.path),
            )?;
        }
        s.push_str("</tbody></table></section>\n");
        Ok(())
    }

    fn calendar(&self, s: &mut String) -> std::fmt::Result {
        let c = &self.calendar;
        let v = c.view(self.zone);
        let days = (v.end - v.start).num_days();
        write!(
            s,
            "<section id=\"calendar\"><h2>Fleet schedule calendar</h2><p class=\"lead\">Every request with a <code>Frequency</code> (the API runs it as a scheduled task), expanded into its firings over the {days} days from {} to {} UTC.</p>",
            v.start.format("%Y-%m-%d %H:%M"),
            v.end.format("%Y-%m-%d %H:%M"),
        )?;
        write!(
            s,
            "<div class=\"cards\"><div class=\"card\"><span class=\"n\" id=\"cal-scheduled\">{}</span><span class=\"k\">scheduled requests</span></div><div class=\"card\"><span class=\"n\" id=\"cal-exprs\">{}</span><span class=\"k\">distinct schedules drawn</span></div><div class=\"card\"><span class=\"n\" id=\"cal-starts\">{}</span><span class=\"k\">task starts</span></div><div class=\"card\"><span class=\"n\" id=\"cal-runs\">{}</span><span class=\"k\">runs on known instances</span></div></div>",
            num(c.scheduled),
            num(v.drawn as u64),
            num(v.starts),
            num(v.runs),
        )?;
        if c.scheduled == 0 {
            s.push_str("<p>No request is scheduled.</p></section>\n");
            return Ok(());
        }
        heat_map(s, &v.utc, "utc")?;
        if let Some(local) = &v.local {
            heat_map(s, local, "local")?;
        }
        self.busiest(s, &v)?;
        s.push_str("<h3>Notes</h3><ul class=\"notes\">");
        if v.implicit_zone > 0 {
            write!(
                s,
                "<li>{} a cron expression without a time zone: it runs in each instance's system zone, which a file does not say; drawn as UTC.</li>",
                plural(v.implicit_zone, "request has", "requests have")
            )?;
        }
        s.push_str("<li><code>rate</code> schedules are counted from the start of the window in the heat maps (the service starts the first run about 5 minutes after the task is created) and left out of the busiest minutes.</li>");
        s.push_str("<li>Instance runs count the instance IDs given; requests that select instances by <code>ResourceTag</code> (or by a template expression) are counted as task starts only.</li>");
        if c.invalid > 0 {
            write!(
                s,
                "<li>{} a <code>Frequency</code> the API rejects (see the findings: <code>InvalidParam.Frequency</code>) and {} not drawn: such a request never runs.</li>",
                plural(c.invalid, "request has", "requests have"),
                if c.invalid == 1 { "is" } else { "are" }
            )?;
        }
        if v.truncated > 0 {
            write!(
                s,
                "<li>{} fire more than {} times in the window (or reached the total of {}): drawn up to that many firings.</li>",
                plural(v.truncated as u64, "schedule", "schedules"),
                num(calendar::MAX_FIRINGS_PER_EXPRESSION as u64),
                num(calendar::MAX_FIRINGS as u64),
            )?;
        }
        if c.not_drawn > 0 {
            write!(
                s,
                "<li>{} not drawn: the calendar expands at most {} distinct schedules and {} firings in all.</li>",
                plural(
                    c.not_drawn,
                    "scheduled request is",
                    "scheduled requests are"
                ),
                num(calendar::MAX_EXPRESSIONS as u64),
                num(calendar::MAX_FIRINGS as u64),
            )?;
        }
        s.push_str("</ul></section>\n");
        Ok(())
    }

    fn busiest(&self, s: &mut String, v: &calendar::View<'_>) -> std::fmt::Result {
        write!(
            s,
            "<h3>Busiest minutes</h3><p class=\"lead\">The {} minutes with the most task starts of cron and <code>at</code> schedules, with the schedules and requests firing in them (a <code>rate</code> has no minute of its own: it counts from when its task was created).</p>",
            v.busiest.len()
        )?;
        if v.busiest.is_empty() {
            s.push_str("<p>No firing in the window.</p>");
            return Ok(());
        }
        let local = v.local.as_ref().map(|m| m.zone);
        write!(
            s,
            "<table class=\"busy\"><thead><tr><th>Minute (UTC)</th>{}<th class=\"r\">Task starts</th><th class=\"r\">Instance runs</th><th>Schedules firing</th></tr></thead><tbody>",
            local.map_or(String::new(), |z| format!(
                "<th>{}</th>",
                esc(&z.to_string())
            ))
        )?;
        for b in &v.busiest {
            write!(
                s,
                "<tr><td class=\"when\"><code>{}</code></td>",
                b.at.format("%a %Y-%m-%d %H:%M")
            )?;
            if let Some(z) = local {
                write!(
                    s,
                    "<td class=\"when\"><code>{}</code></td>",
                    z.localize(b.at).format("%a %H:%M")
                )?;
            }
            let by_tag = if b.unknown > 0 {
                format!(
                    "<br><small>+ {} by tag</small>",
                    plural(b.unknown, "start", "starts")
                )
            } else {
                String::new()
            };
            write!(
                s,
                "<td class=\"r\">{}</td><td class=\"r\">{}{by_tag}</td><td><ul class=\"exprs\">",
                num(b.starts),
                num(b.runs)
            )?;
            for (e, k) in b.exprs.iter().take(FIRING_EXPRS) {
                let times = if *k > 1 {
                    format!(" ×{k} in the minute")
                } else {
                    String::new()
                };
                let zone_note = if e.zone_implicit() {
                    "; the instance's zone, drawn as UTC"
                } else {
                    ""
                };
                let meaning = e.meaning().map_or(String::new(), |m| {
                    format!(" <small>{}{zone_note}</small>", esc(m))
                });
                write!(
                    s,
                    "<li><code>{}</code>{meaning}{times} · {}<div class=\"reqs\">",
                    esc(&e.shown),
                    plural(e.requests, "request", "requests")
                )?;
                let listed: Vec<String> = e
                    .samples
                    .iter()
                    .map(|smp| {
                        let targets = match (smp.instances, smp.by_tag) {
                            (Some(n), _) => plural(n as u64, "instance", "instances"),
                            (None, true) => "by tag".to_owned(),
                            (None, false) => "instances not known".to_owned(),
                        };
                        format!("<code>{}:{}</code> ({targets})", esc(&smp.path), smp.line)
                    })
                    .collect();
                s.push_str(&listed.join(", "));
                let more = e.requests.saturating_sub(listed.len() as u64);
                if more > 0 {
                    write!(s, " and {} more", num(more))?;
                }
                s.push_str("</div></li>");
            }
            if b.exprs.len() > FIRING_EXPRS {
                write!(
                    s,
                    "<li>and {} more</li>",
                    plural(
                        (b.exprs.len() - FIRING_EXPRS) as u64,
                        "schedule",
                        "schedules"
                    )
                )?;
            }
            s.push_str("</ul></td></tr>");
        }
        s.push_str("</tbody></table>");
        Ok(())
    }
}

/// One heat map: a row per date of the map's zone, a cell per hour (hatched outside the window),
/// shaded in four steps of the busiest hour's task starts.
fn heat_map(s: &mut String, m: &HeatMap, id: &str) -> std::fmt::Result {
    let zone = m.zone.to_string();
    write!(
        s,
        "<h3>Task starts per hour, {}</h3>",
        if m.zone == Zone::Utc {
            "UTC".to_owned()
        } else {
            esc(&zone)
        }
    )?;
    match m.busiest() {
        Some((date, hour, n)) => write!(
            s,
            "<p class=\"busiest\" id=\"busiest-{id}\">Busiest hour: <strong>{} {hour:02}:00–{:02}:00</strong> ({}), {}.</p>",
            calendar::day_label(date),
            (hour + 1) % 24,
            esc(&zone),
            plural(n, "task start", "task starts"),
        )?,
        None => write!(
            s,
            "<p class=\"busiest\" id=\"busiest-{id}\">No firing in the window.</p>"
        )?,
    }
    let max = m.max().max(1) as f64;
    write!(
        s,
        "<div class=\"heat-wrap\"><table class=\"heat\" id=\"heat-{id}\"><thead><tr><th scope=\"col\">{}</th>",
        esc(&zone)
    )?;
    for h in 0..24 {
        write!(s, "<th scope=\"col\">{h:02}</th>")?;
    }
    s.push_str("</tr></thead><tbody>");
    for row in &m.rows {
        let label = calendar::day_label(row.date);
        write!(s, "<tr><th scope=\"row\">{label}</th>")?;
        for (h, cell) in row.hours.iter().enumerate() {
            match cell {
                None => s.push_str("<td class=\"out\" title=\"outside the window\"></td>"),
                Some(n) => {
                    let level = if *n == 0 {
                        0
                    } else {
                        1 + (*n as f64 / max * 3.999) as u8
                    };
                    write!(
                        s,
                        "<td class=\"h{level}\" data-n=\"{n}\" data-hour=\"{h:02}\" title=\"{label} {h:02}:00 {z}: {t}\">{v}</td>",
                        z = esc(&zone),
                        t = plural(*n, "task start", "task starts"),
                        v = if *n == 0 { String::new() } else { compact(*n) },
                    )?;
                }
            }
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table></div>");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use runcommand_document::Format;
    use runcommand_rules::{Engine, Settings, Source};

    fn now() -> DateTime<Utc> {
        "2026-11-26T10:17:42Z".parse().unwrap()
    }

    fn check(path: &str, text: &str) -> FileReport {
        Engine::new(Settings {
            now: Some(now()),
            ..Settings::default()
        })
        .collecting_schedules(true)
        .check(
            Source::Bytes {
                path,
                format: if path.ends_with(".json") {
                    Format::Json
                } else {
                    Format::Yaml
                },
                bytes: text.as_bytes(),
            },
            None,
        )
    }

    fn render(reports: &[FileReport], zone: Option<&str>) -> String {
        let mut html = Html::new(&Options {
            color: false,
            now: now(),
            calendar_days: 7,
            calendar_zone: zone.map(|z| z.parse().unwrap()),
            paths: vec!["requests/".into()],
        });
        let mut totals = Totals::default();
        let mut out = Vec::new();
        html.begin(&mut out).unwrap();
        for r in reports {
            totals.files += 1;
            totals.add(r);
            html.file(&mut out, r).unwrap();
        }
        html.finish(&mut out, &totals, Duration::from_millis(1234))
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escapes_every_special_character() {
        assert_eq!(
            esc(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }

    #[test]
    fn values_from_request_files_cannot_become_markup() {
        let hostile = "RegionId: cn-hangzhou\nType: RunShellscript\nName: '\"><img src=x onerror=alert(1)>'\nCommandContent: \"<script>alert(1)</script>\"\nInstanceId: [i-bp185dy2o3o6neg1234]\nFrequency: '<script>alert(2)</script>'\nNmae<b>: x\n";
        let page = render(&[check("a/<script>x</script>\"'.yaml", hostile)], None);
        // The only script element is the page's own, and no request text opened a tag.
        assert_eq!(page.matches("<script").count(), 1, "{page}");
        assert!(!page.contains("<img"), "{page}");
        assert!(!page.contains("<b>:"), "{page}");
        assert!(page.contains("a/&lt;script&gt;x&lt;/script&gt;&quot;&#39;.yaml"));
        assert!(page.contains("&lt;script&gt;alert(2)&lt;/script&gt;"));
        // Every attribute value is quoted and escaped: no raw quote from the path.
        assert!(!page.contains("x</script>\"'"));
    }

    #[test]
    fn snippets_mask_credentials_as_the_human_format_does() {
        let text = "RegionId: cn-hangzhou\nType: RunShellScript\nCommandContent: |\n  export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY\n  echo ok\nInstanceId: [i-bp185dy2o3o6neg1234]\n";
        let r = check("s.yaml", text);
        assert!(!r.redactions.is_empty(), "{:?}", r.diagnostics);
        let page = render(std::slice::from_ref(&r), None);
        assert!(
            !page.contains("wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY"),
            "{page}"
        );
        assert!(page.contains("AWS_SECRET_ACCESS_KEY="));
        // The same masked text as the human format's snippet.
        let mut human = Vec::new();
        let d = r.diagnostics.iter().find(|d| d.secret.is_some()).unwrap();
        snippet(&mut human, &r, d, &Style { color: false }, gutter(&r, d)).unwrap();
        let human = String::from_utf8(human).unwrap();
        let masked = human.lines().find(|l| l.contains("AWS_SECRET")).unwrap();
        assert!(page.contains(&esc(masked)), "{masked}");
    }

    #[test]
    fn occurrences_are_capped_per_code_with_a_count() {
        let reports: Vec<FileReport> = (0..MAX_OCCURRENCES + 7)
            .map(|i| {
                check(
                    &format!("f{i:03}.yaml"),
                    "RegionId: cn-hangzhou\nType: RunShellscript\nCommandContent: echo\nInstanceId: [i-bp185dy2o3o6neg1234]\n",
                )
            })
            .collect();
        let page = render(&reports, None);
        let occs = page
            .matches("data-code=\"InvalidCmdType.NotFound\" data-path=")
            .count();
        assert_eq!(occs, MAX_OCCURRENCES);
        assert!(page.contains("and 7 more not listed"), "{page}");
        assert!(page.contains("<span class=\"n\" id=\"count-errors\">57</span>"));
        // The ranking lists TOP_FILES files, in path order among equals.
        assert_eq!(page.matches("<tr data-path=").count(), TOP_FILES);
        assert!(page.contains("<tr data-path=\"f000.yaml\">"));
        assert!(!page.contains("<tr data-path=\"f025.yaml\">"));
    }

    #[test]
    fn the_calendar_draws_the_schedules_in_utc_and_the_chosen_zone() {
        let a = "RegionId: cn-hangzhou\nType: RunShellScript\nCommandContent: echo\nTimeout: 30\nRepeatMode: Period\nFrequency: 0 30 2 * * ? Asia/Shanghai\nInstanceId: [i-bp185dy2o3o6neg1234, i-bp185dy2o3o6neg5678]\n";
        // A rate under a minute: the API rejects the request, which never runs.
        let rejected = a.replace("0 30 2 * * ? Asia/Shanghai", "rate(30s)");
        let reports = vec![
            check("a.yaml", a),
            check("b.yaml", a),
            check("c.yaml", &rejected),
        ];
        let page = render(&reports, Some("Asia/Tokyo"));
        assert!(page.contains("<span class=\"n\" id=\"cal-scheduled\">3</span>"));
        assert!(page.contains("1 request has a <code>Frequency</code> the API rejects"));
        assert!(!page.contains("rate(30s)</code> <small>"));
        // 18:30 UTC is 03:30 in Tokyo.
        assert!(page.contains("id=\"busiest-utc\">Busiest hour: <strong>Thu 2026-11-26 18:00–19:00</strong> (UTC), 2 task starts."), "{page}");
        assert!(page.contains("id=\"busiest-local\">Busiest hour: <strong>Fri 2026-11-27 03:00–04:00</strong> (Asia/Tokyo)"), "{page}");
        assert!(page.contains("<span class=\"n\" id=\"cal-starts\">14</span>"));
        assert!(page.contains("<span class=\"n\" id=\"cal-runs\">28</span>"));
        assert!(
            page.contains("<code>a.yaml:6</code> (2 instances)"),
            "{page}"
        );
        assert!(
            page.contains(
                "<td class=\"when\"><code>Thu 2026-11-26 18:30</code></td><td class=\"when\"><code>Fri 03:30</code></td>"
            )
        );
    }
}
