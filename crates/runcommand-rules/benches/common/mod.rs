//! What the benches of this crate read.

use runcommand_document::Format;

/// The valid fixtures, or the first 2,000 files (in name order) of the directory tree named by
/// `RUNCOMMAND_LINT_BENCH_CORPUS` (e.g. `target/bench/corpus/files` from `bench/audit.sh`; a
/// relative path is taken from the workspace root, since cargo runs benches in the crate's
/// directory). Stops the bench when there is no file to read: timing an empty loop would say
/// nothing.
pub fn files() -> Vec<(String, Vec<u8>, Format)> {
    let workspace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = match std::env::var_os("RUNCOMMAND_LINT_BENCH_CORPUS") {
        Some(dir) => workspace.join(dir),
        None => workspace.join("fixtures/valid"),
    };
    let mut out = Vec::new();
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
