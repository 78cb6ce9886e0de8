#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! A credential found in a request is never printed, in any output format (the formats are read
//! from `check --help`, so a new one is covered when it is added).

mod common;

use common::run_in;

/// Every secret in [`DOCUMENT`], as written in the file.
const SECRETS: &[&str] = &[
    "hunter2hunter2",
    "s3cretpass",
    "LTAI5tFakeExampleKey0000",
    "MIIEowIBAAKCAQEA7xyz",
    "tok-123456",
    "rootpw99",
    "apiKeyValue42",
    // Base64 of `pw=LTAI5tFakeExampleKey0001`.
    "cHc9TFRBSTV0RmFrZUV4YW1wbGVLZXkwMDAx",
    "LTAI5tFakeExampleKey0001",
];

const DOCUMENT: &str = r#"RegionId: cn-hangzhou
Type: RunShellScript
InstanceId: [i-bp185dy2o3o6neg1234]
EnableParameter: true
CommandContent: |
  export DB_PASSWORD=hunter2hunter2
  git clone https://bob:s3cretpass@example.com/r.git
  aliyun --ak LTAI5tFakeExampleKey0000 {{user}} {{token}} {{note}}
  cat > /root/k <<EOK
  -----BEGIN RSA PRIVATE KEY-----
  MIIEowIBAAKCAQEA7xyz
  -----END RSA PRIVATE KEY-----
  EOK
Parameters:
  user: alice
  token: "tok-123456"
  note: "see mysql://root:rootpw99@db/x"
---
RegionId: cn-hangzhou
Type: RunShellScript
InstanceId: [i-bp185dy2o3o6neg1234]
EnableParameter: true
CommandContent: 'run {{k}}'
Parameters: '{"k": "x", "apiKey": "apiKeyValue42"}'
---
RegionId: cn-hangzhou
Type: RunShellScript
InstanceId: [i-bp185dy2o3o6neg1234]
ContentEncoding: Base64
CommandContent: cHc9TFRBSTV0RmFrZUV4YW1wbGVLZXkwMDAx
"#;

/// The `--format` values `check --help` lists.
fn formats(dir: &std::path::Path) -> Vec<String> {
    let help = run_in(dir, &["check", "--help"], None);
    let help = String::from_utf8(help.stdout).unwrap();
    let mut lines = help
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("--format"));
    lines.next();
    let mut out = Vec::new();
    for l in lines {
        let t = l.trim();
        if let Some(values) = t
            .strip_prefix("[possible values: ")
            .and_then(|v| v.strip_suffix(']'))
        {
            out.extend(values.split(", ").map(str::to_owned));
            break;
        }
        if let Some(item) = t.strip_prefix("- ") {
            out.push(item.split(':').next().unwrap().trim().to_owned());
        } else if t.starts_with("[default") || t.starts_with("--") {
            break;
        }
    }
    out
}

#[test]
fn no_output_format_prints_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("req.yaml"), DOCUMENT).unwrap();
    let formats = formats(dir.path());
    assert!(
        formats.iter().any(|f| f == "human") && formats.iter().any(|f| f == "json"),
        "{formats:?}"
    );
    for format in &formats {
        for extra in [&[][..], &["--color", "always", "--statistics"][..]] {
            let mut args = vec!["check", "--format", format, "req.yaml"];
            args.extend_from_slice(extra);
            let out = run_in(dir.path(), &args, None);
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                stdout.contains("PlaintextSecret"),
                "{format}: the findings are not shown:\n{stdout}\n{stderr}"
            );
            for secret in SECRETS {
                assert!(
                    !stdout.contains(secret) && !stderr.contains(secret),
                    "{format} {extra:?} prints {secret}:\n{stdout}\n{stderr}"
                );
            }
        }
    }
}

#[test]
fn human_output_masks_secrets_keeping_columns() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("req.yaml"), DOCUMENT).unwrap();
    let out = run_in(
        dir.path(),
        &["check", "--format", "human", "--color", "never", "req.yaml"],
        None,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("6 |   export DB_PASSWORD=**************\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  |                      ^^^^^^^^^^^^^^\n"),
        "{stdout}"
    );
    assert!(stdout.contains("11 |   ********************\n"), "{stdout}");
}
