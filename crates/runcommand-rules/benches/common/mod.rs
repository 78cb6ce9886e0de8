//! What the benches of this crate read.

use runcommand_document::Format;

/// The valid fixtures, or the first 2,000 files (in name order) of the directory tree named by
/// `RUNCOMMAND_LINT_BENCH_CORPUS` (e.g. `target/bench/corpus/files` from `bench/audit.sh`; a
/// relative path is taken from the workspace root, since cargo runs benches in the crate's
/// directory). A request log in the tree (`.jsonl`) gives one JSON "file" per record, as a
/// check reads it: an audit record's `requestParameters` (its exact text), another API's record
/// skipped; so `RUNCOMMAND_LINT_BENCH_CORPUS=target/bench/corpus-trail/trail` costs a trail's
/// requests rule by rule. Stops the bench when there is no file to read: timing an empty loop
/// would say nothing.
pub fn files() -> Vec<(String, Vec<u8>, Format)> {
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = match std::env::var_os("RUNCOMMAND_LINT_BENCH_CORPUS") {
        Some(dir) => workspace.join(dir),
        None => workspace.join("fixtures/valid"),
    };
    let mut out = Vec::new();
    // A log named directly.
    if root.is_file()
        && let Ok(bytes) = std::fs::read(&root)
    {
        records(&root.display().to_string(), &bytes, &mut out);
    }
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(bytes) = std::fs::read(&p) {
                let name = p.display().to_string();
                if name.ends_with(".jsonl") {
                    records(&name, &bytes, &mut out);
                    continue;
                }
                let format = Format::from_path(&name);
                out.push((name, bytes, format));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.truncate(2000);
    assert!(
        !out.is_empty(),
        "no request file under {} (RUNCOMMAND_LINT_BENCH_CORPUS)",
        root.display()
    );
    out
}

/// The first 2,000 requests of a request log, each as its own JSON text named `path:line`.
fn records(path: &str, bytes: &[u8], out: &mut Vec<(String, Vec<u8>, Format)>) {
    use runcommand_document::LoadOptions;
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate().take(2000) {
        let loaded = runcommand_document::load(line, Format::Json, LoadOptions { max_depth: 256 });
        let Some(root) = loaded.documents.first().and_then(|d| d.root.as_ref()) else {
            continue;
        };
        let Some(request) = runcommand_rules::records::request_of(root) else {
            continue;
        };
        if let Some(text) = loaded.text.get(request.span.clone()) {
            out.push((
                format!("{path}:{:07}", i + 1),
                text.as_bytes().to_vec(),
                Format::Json,
            ));
        }
    }
}
