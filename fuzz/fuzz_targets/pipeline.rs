//! The whole engine, through its one entry point: bytes (as YAML, as JSON, and as a JSON Lines
//! request log streamed through the run's cross-request index) → diagnostics, every span and
//! every fix inside its text, positions computable for every diagnostic, and `Engine::fix`
//! never producing a text that does not parse.
#![no_main]

use libfuzzer_sys::fuzz_target;
use runcommand_document::Format;
use runcommand_rules::{Content, CrossIndex, Engine, FileReport, Source};

fn check_report(r: &FileReport) {
    for d in &r.diagnostics {
        assert!(d.span.start <= d.span.end && d.span.end <= r.text.len());
        let _ = r.position(d.span.start);
        let _ = r.position(d.span.end);
        assert!(runcommand_catalog::code(d.code.as_str()).is_some());
        for f in d.fix.iter().chain(&d.alternatives) {
            assert!(r.text.get(f.span.clone()).is_some());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let engine = Engine::default();
    let content = Content::Bytes(data.to_vec());
    for (path, format) in [("fuzz.yaml", Format::Yaml), ("fuzz.json", Format::Json)] {
        let source = Source::File {
            path,
            format,
            content: &content,
        };
        check_report(&engine.check(source, None));
        if let Some(text) = engine.fix(path, format, data, None, true).text {
            let r = engine.check(
                Source::Bytes {
                    path,
                    format,
                    bytes: text.as_bytes(),
                },
                None,
            );
            assert!(!r.diagnostics.iter().any(|d| d.code == "Lint.Syntax"));
        }
    }
    let mut index = CrossIndex::new();
    for (i, line) in data.split(|&b| b == b'\n').enumerate() {
        let mut r = engine.check_source(
            Source::Line {
                path: "fuzz.jsonl",
                bytes: line,
                number: i + 1,
            },
            None,
        );
        engine.finish(&mut r, &mut index, None);
        assert!(r.client_tokens.is_empty() && r.saved_commands.is_empty());
        check_report(&r);
        for d in &r.diagnostics {
            assert!(r.position(d.span.start).line as usize > i);
        }
    }
});
