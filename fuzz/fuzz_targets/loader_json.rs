//! The JSON reader: any bytes load without a panic, and every span lies inside the text on
//! character boundaries.
#![no_main]

#[path = "common/loader.rs"]
mod loader;

use libfuzzer_sys::fuzz_target;
use runcommand_document::Format;

fuzz_target!(|data: &[u8]| loader::load_and_check(data, Format::Json));
