//! Container ID / name checks and the `#!` finder: no panic; spans on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = runcommand_container::check_container_id(s) {
        assert!(s.get(e.span.clone()).is_some());
    }
    if let Err(e) = runcommand_container::check_container_name(s) {
        assert!(s.get(e.span.clone()).is_some());
    }
    if let Some(r) = runcommand_container::shebang(s) {
        assert!(s.get(r).is_some());
    }
});
