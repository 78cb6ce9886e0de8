//! The `{{...}}` scanner: no panic; spans on character boundaries; masking keeps the length.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let scan = runcommand_template::scan(text);
    for p in &scan.placeholders {
        assert!(text.get(p.span.clone()).is_some());
    }
    for p in &scan.problems {
        assert!(text.get(p.span.clone()).is_some());
    }
    let _ = scan.distinct_custom_count();
    assert_eq!(runcommand_template::mask_placeholders(text).len(), text.len());
});
