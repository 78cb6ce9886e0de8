//! The language server: arbitrary bytes as its whole input stream (framing, JSON-RPC, any
//! method) never panic the server, and the editor features never panic on any text at any
//! offset.
#![no_main]

use libfuzzer_sys::fuzz_target;
use runcommand_document::Format;

fuzz_target!(|data: &[u8]| {
    let mut out = Vec::new();
    let _ = runcommand_lsp::run(std::io::Cursor::new(data.to_vec()), &mut out);
    if let Ok(text) = std::str::from_utf8(data) {
        let report = runcommand_rules::check_bytes("f.yaml", data, Format::Yaml);
        for offset in [0, text.len() / 2, text.len()] {
            let mut o = offset;
            while !text.is_char_boundary(o) {
                o -= 1;
            }
            let _ = runcommand_lsp::completion::complete(text, o, Format::Yaml);
            let _ = runcommand_lsp::hover::hover(text, o, &report.diagnostics);
        }
    }
});
