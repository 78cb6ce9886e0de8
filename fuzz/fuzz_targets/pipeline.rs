//! The whole engine: bytes (as YAML and as JSON) → diagnostics, every span inside the file, and
//! positions computable for every diagnostic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use runcommand_document::Format;

fuzz_target!(|data: &[u8]| {
    for format in [Format::Yaml, Format::Json] {
        let r = runcommand_rules::check_bytes("fuzz", data, format);
        for d in &r.diagnostics {
            assert!(d.span.start <= d.span.end && d.span.end <= r.text.len());
            let _ = r.position(d.span.start);
            let _ = r.position(d.span.end);
            assert!(runcommand_catalog::code(d.code).is_some());
        }
    }
});
