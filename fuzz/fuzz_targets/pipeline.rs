//! The whole engine: bytes (as YAML, as JSON, and as a JSON Lines request log streamed through
//! the cross-request index) → diagnostics, every span inside its text, and positions computable
//! for every diagnostic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use runcommand_document::Format;
use runcommand_rules::{CrossIndex, FileReport, Options};

fn check_report(r: &FileReport) {
    for d in &r.diagnostics {
        assert!(d.span.start <= d.span.end && d.span.end <= r.text.len());
        let _ = r.position(d.span.start);
        let _ = r.position(d.span.end);
        assert!(runcommand_catalog::code(d.code).is_some());
    }
}

fuzz_target!(|data: &[u8]| {
    for format in [Format::Yaml, Format::Json] {
        check_report(&runcommand_rules::check_bytes("fuzz", data, format));
    }
    let options = Options::default();
    let mut index = CrossIndex::new();
    for (i, line) in data.split(|&b| b == b'\n').enumerate() {
        let mut r = runcommand_rules::records::check_line("fuzz.jsonl", line, i + 1, &options);
        index.check(&mut r);
        assert!(r.client_tokens.is_empty() && r.saved_commands.is_empty());
        check_report(&r);
        for d in &r.diagnostics {
            assert!(r.position(d.span.start).line as usize > i);
        }
    }
});
