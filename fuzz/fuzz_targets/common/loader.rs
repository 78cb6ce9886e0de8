//! Shared by the two loader targets: load `data` and check every span and source map.

use runcommand_document::{Format, LoadOptions, Node, Value, load};

/// Loads `data` as `format`; asserts every span and source map stays in bounds.
pub fn load_and_check(data: &[u8], format: Format) {
    let f = load(data, format, LoadOptions::default());
    for d in &f.documents {
        if let Some(root) = &d.root {
            check_spans(&f.text, root);
        }
    }
    if let Some(e) = &f.error {
        let _ = f.line_index.line_col(&f.text, e.span.start);
    }
}

fn check_spans(text: &str, node: &Node) {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        assert!(n.span.start <= n.span.end && n.span.end <= text.len(), "span out of bounds");
        assert!(text.is_char_boundary(n.span.start) && text.is_char_boundary(n.span.end));
        match &n.value {
            Value::Seq(items) => stack.extend(items),
            Value::Map(entries) => {
                for e in entries {
                    stack.push(&e.key);
                    stack.push(&e.value);
                }
            }
            Value::Scalar(s) => {
                // The source map never points outside the node.
                let r = runcommand_document::source_map::map_range(text, n, 0..s.text.len());
                assert!(r.start >= n.span.start && r.end <= n.span.end);
            }
            Value::Alias => {}
        }
    }
}

