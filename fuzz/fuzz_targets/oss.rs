//! The OssOutputDelivery parser: no panic; spans on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(uri) = std::str::from_utf8(data) else {
        return;
    };
    match runcommand_oss::parse(uri) {
        Ok(u) => {
            assert!(uri.get(u.bucket_span.clone()).is_some());
            assert!(uri.get(u.prefix_span.clone()).is_some());
        }
        Err(errors) => {
            for e in errors {
                assert!(uri.get(e.span.clone()).is_some());
            }
        }
    }
});
