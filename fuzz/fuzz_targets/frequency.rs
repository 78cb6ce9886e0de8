//! The Frequency parser and evaluator: no panic, no hang, error spans inside the input, firings
//! strictly increasing.
#![no_main]

use chrono::{DateTime, Utc};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(expr) = std::str::from_utf8(data) else {
        return;
    };
    let from: DateTime<Utc> = DateTime::from_timestamp(1_795_000_000, 0).unwrap_or_default();
    match runcommand_frequency::parse(expr) {
        Ok(f) => {
            let v = f.next_firings(from, 5);
            assert!(v.windows(2).all(|w| w[0] < w[1]));
            let _ = f.min_gap(from);
            let _ = f.describe();
            let _ = f.day_conflict();
            let _ = f.has_future_firing(from);
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in errors {
                assert!(e.span.end <= expr.len() && e.span.start <= e.span.end);
                assert!(expr.is_char_boundary(e.span.start) && expr.is_char_boundary(e.span.end));
            }
        }
    }
});
