#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! Templates, Parameters, OSS delivery, containers, secrets, Base64 detection and ClientToken
//! reuse: each finding's code and the exact text it underlines.

use runcommand_document::Format;
use runcommand_rules::{Content, CrossIndex, Engine, FileReport, Source, check_bytes};

const HEAD: &str =
    "RegionId: cn-hangzhou\nType: RunShellScript\nInstanceId: [i-bp185dy2o3o6neg1234]\n";

/// (code, underlined text) of every finding.
fn found(src: &str, format: Format) -> Vec<(&'static str, String)> {
    let r = check_bytes("t", src.as_bytes(), format);
    r.diagnostics
        .iter()
        .map(|d| (d.code.as_str(), r.text[d.span.clone()].to_owned()))
        .collect()
}

fn yaml(body: &str) -> Vec<(&'static str, String)> {
    found(&format!("{HEAD}{body}"), Format::Yaml)
}

fn pairs(v: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    v.iter().map(|(c, t)| (*c, (*t).to_owned())).collect()
}

#[test]
fn template_problems_are_underlined_exactly() {
    let got = yaml(
        "EnableParameter: true\nCommandContent: \"echo {{ .State.Running }} {{}} {{acs::InstanceId}} {{ACS::Foo}} {{oos:a//b}} {{ACS::ScriptFileName}} {{ok}} {{\"\n",
    );
    assert_eq!(
        got,
        pairs(&[
            ("CmdParam.InvalidParamName", ".State.Running"),
            ("CmdParam.EmptyKey", "{{}}"),
            ("CmdParam.InvalidParamName", "acs::InstanceId"),
            ("CmdParam.InvalidParamName", "Foo"),
            ("ParameterStore.InvalidParameters", "a//b"),
            ("CmdParam.InvalidParamName", "ScriptFileName"),
            ("Lint.ParameterNotProvided", "ok"),
            ("Lint.UnterminatedTemplate", "{{"),
        ])
    );
}

#[test]
fn templates_in_block_and_escaped_scalars() {
    let got = yaml("EnableParameter: true\nCommandContent: |\n  echo \"a\"\n  echo {{ who }}\n");
    assert_eq!(got, pairs(&[("Lint.ParameterNotProvided", "who")]));
    let got = yaml("EnableParameter: true\nCommandContent: \"say \\\"\\u00e9\\\" {{ .x }}\"\n");
    assert_eq!(got, pairs(&[("CmdParam.InvalidParamName", ".x")]));
    // A folded block joins the lines (Lint.FoldedScript); positions inside it still map.
    let got = yaml("EnableParameter: true\nCommandContent: >\n  echo it''s\n  {{a.b}}\n");
    assert_eq!(
        got,
        pairs(&[
            ("Lint.FoldedScript", "echo it''s\n  {{a.b}}\n"),
            ("CmdParam.InvalidParamName", "a.b")
        ])
    );
}

#[test]
fn name_too_long_is_not_also_not_provided() {
    let long = "n".repeat(65);
    let got = yaml(&format!(
        "EnableParameter: true\nCommandContent: 'echo {{{{{long}}}}} {{{{{long}}}}}'\n"
    ));
    assert_eq!(
        got,
        vec![
            ("CmdParamName.ExceedLimit", long.clone()),
            ("CmdParamName.ExceedLimit", long)
        ]
    );
}

#[test]
fn count_limit_fires_once_and_holds_back_not_provided() {
    let names: Vec<String> = (1..=22).map(|i| format!("{{{{p{i}}}}}")).collect();
    let got = yaml(&format!(
        "EnableParameter: true\nCommandContent: 'echo {} {{{{P1}}}} {{{{ACS::InstanceId}}}} {{{{oos:x}}}}'\n",
        names.join(" ")
    ));
    assert_eq!(got, pairs(&[("CmdParamCount.ExceedLimit", "p21")]));
}

#[test]
fn without_enable_parameter_one_warning_at_the_first_valid_placeholder() {
    let got =
        yaml("CommandContent: 'docker inspect {{.State.Running}} {{ACS::InstanceId}} {{x}}'\n");
    assert_eq!(
        got,
        pairs(&[("Lint.TemplateNotEnabled", "{{ACS::InstanceId}}")])
    );
    assert!(yaml("CommandContent: 'docker inspect {{.State.Running}} {{}} {{'\n").is_empty());
    // Launcher is not scanned.
    assert!(
        yaml("CommandContent: echo\nLauncher: 'python3 {{ACS::ScriptFileName|Ext(\".py\")}}'\n")
            .is_empty()
    );
}

#[test]
fn base64_content_is_scanned_decoded_and_reported_at_the_value() {
    // "echo {{.x}}"
    let got =
        yaml("EnableParameter: true\nContentEncoding: Base64\nCommandContent: ZWNobyB7ey54fX0=\n");
    assert_eq!(
        got,
        pairs(&[("CmdParam.InvalidParamName", "ZWNobyB7ey54fX0=")])
    );
}

#[test]
fn parameters_as_a_json_string_are_mapped_into_the_file() {
    let got = yaml(
        "EnableParameter: true\nCommandContent: 'echo {{a}}'\nParameters: '{\"a\": \"1\", \"b\": [1], \"A\": \"x\", \"\": 2}'\n",
    );
    assert_eq!(
        got,
        pairs(&[
            ("Parameter.NotMatched", "\"b\""),
            ("ParameterType.NotSupported", "[1]"),
            ("ParameterKey.Duplicate", "\"A\""),
            ("CmdParam.EmptyKey", "\"\""),
        ])
    );
    let got =
        yaml("EnableParameter: true\nCommandContent: 'echo {{a}}'\nParameters: '{\"a\": 1,}'\n");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "Lint.TypeMismatch");
    let got = yaml("EnableParameter: true\nCommandContent: 'echo {{a}}'\nParameters: '[1]'\n");
    assert_eq!(got, pairs(&[("Lint.TypeMismatch", "[1]"),]));
    // `{}` and the empty string count as absent.
    assert!(yaml("CommandContent: echo\nParameters: '{}'\n").is_empty());
    assert!(yaml("CommandContent: echo\nParameters: {}\n").is_empty());
    assert!(yaml("CommandContent: echo\nParameters: ''\n").is_empty());
}

#[test]
fn parameters_mapping_checks() {
    let long = "k".repeat(66);
    let got = yaml(&format!(
        "CommandContent: echo\nParameters:\n  a: 1\n  {long}: 2\n  c: ~\n  d: {{x: 1}}\n"
    ));
    assert_eq!(
        got,
        pairs(&[
            ("Parameter.Disabled", "Parameters"),
            ("ParameterKey.ExceedLimit", "kk"),
            ("ParameterType.NotSupported", "~"),
            ("ParameterType.NotSupported", "{x: 1}"),
        ])
    );
    let many: Vec<String> = (1..=11).map(|i| format!("p{i}: v")).collect();
    let uses: Vec<String> = (1..=11).map(|i| format!("{{{{p{i}}}}}")).collect();
    let got = yaml(&format!(
        "EnableParameter: true\nCommandContent: 'echo {}'\nParameters: {{{}}}\n",
        uses.join(" "),
        many.join(", ")
    ));
    assert_eq!(got, pairs(&[("ParameterCount.ExceedLimit", "p11")]));
}

#[test]
fn content_size_counts_parameters() {
    // 18432 / 4 * 3 = 13824 bytes of content are exactly at the KeepCommand limit.
    let content = "x".repeat(13824);
    let ok = yaml(&format!(
        "KeepCommand: true\nEnableParameter: true\nCommandContent: '{content}'\n"
    ));
    assert!(ok.is_empty(), "{ok:?}");
    let content = format!("{{{{a}}}}{}", "x".repeat(13824 - 5));
    let over = yaml(&format!(
        "KeepCommand: true\nEnableParameter: true\nCommandContent: '{content}'\nParameters: {{a: b}}\n"
    ));
    assert_eq!(over.len(), 1);
    assert_eq!(over[0].0, "CmdContent.ExceedLimit");
}

#[test]
fn oss_and_containers() {
    let got = yaml("CommandContent: echo\nOssOutputDelivery: \"OSS://Bad_B/\\\\x\"\n");
    assert_eq!(
        got,
        pairs(&[
            ("InvalidParameter.OssOutputDelivery", "OSS://"),
            ("InvalidParameter.OssOutputDelivery", "Bad_B"),
            ("InvalidOssOutputDelivery.KeyPrefixMalformed", "\\\\"),
        ])
    );
    let src = "RegionId: cn-hangzhou\nType: RunBatScript\nInstanceId: [i-bp185dy2o3o6neg1234]\nContainerId: 'docker://ABC'\nContainerName: _web\nUsername: System\nWorkingDir: /srv\nCommandContent: |\n  #!/usr/bin/python3\n  print(1)\n";
    assert_eq!(
        found(src, Format::Yaml),
        pairs(&[
            ("Lint.ContainerRequiresShell", "RunBatScript"),
            ("InvalidContainerId.Malformed", "A"),
            ("InvalidContainerName.Malformed", "_"),
            ("Lint.IgnoredInContainer", "Username"),
            ("Lint.IgnoredInContainer", "WorkingDir"),
            ("Lint.ContainerShebangIgnored", "#!/usr/bin/python3"),
        ])
    );
}

#[test]
fn looks_base64_encoded_with_fixes() {
    let fix = |src: &str, format| {
        let r = check_bytes("t", src.as_bytes(), format);
        let d = r
            .diagnostics
            .iter()
            .find(|d| d.code == "Lint.LooksBase64Encoded")
            .unwrap_or_else(|| panic!("{:?}", r.diagnostics));
        let f = d.fix.clone().unwrap();
        assert!(!f.safe);
        let mut out = src.to_owned();
        out.replace_range(f.span, &f.replacement);
        out
    };
    let src = format!("{HEAD}CommandContent: ZWNobyBoZWxsbw==\n");
    assert_eq!(
        fix(&src, Format::Yaml),
        format!("{HEAD}ContentEncoding: Base64\nCommandContent: ZWNobyBoZWxsbw==\n")
    );
    let src = "- RegionId: cn-hangzhou\n  CommandContent: ZWNobyBoZWxsbw==\n";
    assert_eq!(
        fix(src, Format::Yaml),
        "- RegionId: cn-hangzhou\n  ContentEncoding: Base64\n  CommandContent: ZWNobyBoZWxsbw==\n"
    );
    let src = "- CommandContent: ZWNobyBoZWxsbw==\n";
    assert_eq!(
        fix(src, Format::Yaml),
        "- ContentEncoding: Base64\n  CommandContent: ZWNobyBoZWxsbw==\n"
    );
    let src = r#"{"RegionId": "cn-hangzhou", "CommandContent": "ZWNobyBoZWxsbw=="}"#;
    assert_eq!(
        fix(src, Format::Json),
        r#"{"RegionId": "cn-hangzhou", "ContentEncoding": "Base64", "CommandContent": "ZWNobyBoZWxsbw=="}"#
    );
    let src = "{RegionId: cn-hangzhou, CommandContent: ZWNobyBoZWxsbw==}\n";
    assert_eq!(
        fix(src, Format::Yaml),
        "{RegionId: cn-hangzhou, ContentEncoding: Base64, CommandContent: ZWNobyBoZWxsbw==}\n"
    );
    let src = format!("{HEAD}ContentEncoding: \"plaintext\"\nCommandContent: ZWNobyBoZWxsbw==\n");
    assert_eq!(
        fix(&src, Format::Yaml),
        format!("{HEAD}ContentEncoding: \"Base64\"\nCommandContent: ZWNobyBoZWxsbw==\n")
    );
    // Not readable text, too short, or not Base64: nothing.
    for content in ["testtest", "ZWNo", "echo hello", "AAAAAAAA"] {
        let got = yaml(&format!("CommandContent: {content}\n"));
        assert!(got.is_empty(), "{content}: {got:?}");
    }
}

#[test]
fn secrets_are_found_and_redacted_and_never_quoted() {
    let src = format!(
        "{HEAD}EnableParameter: true\nCommandContent: |\n  export DB_PASSWORD=hunter2hunter2\n  git clone https://bob:s3cretpass@example.com/r.git\n  aliyun --ak LTAI5tFakeExampleKey0000 {{{{user}}}} {{{{oos-secret:pw}}}}\nParameters:\n  user: alice\n  token: \"tok-123456\"\n  pw: '{{{{oos-secret:db}}}}'\n"
    );
    let r = check_bytes("t", src.as_bytes(), Format::Yaml);
    let secrets: Vec<&str> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "Lint.PlaintextSecret")
        .map(|d| &r.text[d.span.clone()])
        .collect();
    assert_eq!(
        secrets,
        vec![
            "hunter2hunter2",
            "s3cretpass",
            "LTAI5tFakeExampleKey0000",
            "tok-123456"
        ]
    );
    let redacted: Vec<&str> = r.redactions.iter().map(|x| &r.text[x.clone()]).collect();
    assert_eq!(redacted, secrets);
    for d in &r.diagnostics {
        for s in &secrets {
            assert!(!d.message.contains(s), "{}", d.message);
            assert!(!d.help.as_deref().unwrap_or("").contains(s));
        }
    }
}

#[test]
fn secrets_in_a_json_string_and_in_base64_content() {
    let r = check_bytes(
        "t",
        format!(
            "{HEAD}EnableParameter: true\nCommandContent: 'run {{{{p}}}}'\nParameters: '{{\"p\": \"x\", \"apiKey\": \"k-\\\\u0041bc\"}}'\n"
        )
        .as_bytes(),
        Format::Yaml,
    );
    let d: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "Lint.PlaintextSecret")
        .collect();
    assert_eq!(d.len(), 1, "{:?}", r.diagnostics);
    assert_eq!(&r.text[d[0].span.clone()], "k-\\\\u0041bc");
    // "pw=LTAI5tFakeExampleKey0000"
    let r = check_bytes(
        "t",
        format!(
            "{HEAD}ContentEncoding: Base64\nCommandContent: cHc9TFRBSTV0RmFrZUV4YW1wbGVLZXkwMDAw\n"
        )
        .as_bytes(),
        Format::Yaml,
    );
    assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
    assert_eq!(r.diagnostics[0].code, "Lint.PlaintextSecret");
    assert_eq!(
        r.redactions,
        vec![r.diagnostics[0].span.clone()],
        "the whole value is masked"
    );
}

const REQ_A: &str = "RegionId: cn-hangzhou\nType: RunShellScript\nCommandContent: echo hello\nInstanceId: [i-bp185dy2o3o6neg1234]\nClientToken: tok-1\n";
const REQ_A_SAME: &str = "RegionId: cn-hangzhou\nType: RunShellScript\nCommandContent: echo hello\nInstanceId.1: i-bp185dy2o3o6neg1234\nClientToken: \"tok-1\"\n";
const REQ_B: &str = "RegionId: cn-hangzhou\nType: RunShellScript\nCommandContent: echo bye\nInstanceId: [i-bp185dy2o3o6neg1234]\nClientToken: tok-1\n";

/// A streaming run as the CLI makes one: each file checked on its own, then finished in path
/// order with the run's cross-request index.
fn run_in_path_order(files: &[(&str, &str)]) -> Vec<FileReport> {
    let engine = Engine::default();
    let mut sorted = files.to_vec();
    sorted.sort();
    let mut index = CrossIndex::default();
    sorted
        .iter()
        .map(|(path, src)| {
            let content = Content::Bytes(src.as_bytes().to_vec());
            let source = Source::File {
                path,
                format: Format::Yaml,
                content: &content,
            };
            let mut r = engine.check_source(source, None);
            engine.finish(&mut r, &mut index, None);
            r
        })
        .collect()
}

#[test]
fn client_token_reuse_within_a_file() {
    let same = format!("{REQ_A}---\n{REQ_A_SAME}");
    assert!(
        check_bytes("t", same.as_bytes(), Format::Yaml)
            .diagnostics
            .is_empty()
    );
    let src = format!("{REQ_A}---\n{REQ_B}---\n{REQ_B}");
    let r = check_bytes("t", src.as_bytes(), Format::Yaml);
    let d: Vec<_> = r
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.document))
        .collect();
    assert_eq!(
        d,
        vec![
            ("IdempotentParameterMismatch", 1),
            ("IdempotentParameterMismatch", 2)
        ]
    );
    let rel = &r.diagnostics[0].related[0];
    assert_eq!(rel.path, None);
    assert_eq!(&r.text[rel.span.clone()], "tok-1");
    assert_eq!(rel.span.start, REQ_A.find("tok-1").unwrap());
    // The per-file part leaves the index; finishing consumes it (twice reports nothing twice).
    let engine = Engine::default();
    let content = Content::Bytes(src.as_bytes().to_vec());
    let source = Source::File {
        path: "t",
        format: Format::Yaml,
        content: &content,
    };
    let mut single = engine.check_source(source, None);
    assert!(single.diagnostics.is_empty());
    assert_eq!(single.client_tokens.len(), 3);
    let mut index = CrossIndex::default();
    engine.finish(&mut single, &mut index, None);
    engine.finish(&mut single, &mut index, None);
    assert_eq!(single.diagnostics.len(), 2);
}

#[test]
fn client_token_reuse_across_files_in_path_order() {
    let reports =
        run_in_path_order(&[("b.yaml", REQ_B), ("a.yaml", REQ_A), ("c.yaml", REQ_A_SAME)]);
    let paths: Vec<&str> = reports.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths, vec!["a.yaml", "b.yaml", "c.yaml"]);
    assert!(reports[0].diagnostics.is_empty());
    assert!(reports[2].diagnostics.is_empty());
    let d = &reports[1].diagnostics;
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, "IdempotentParameterMismatch");
    let rel = &d[0].related[0];
    assert_eq!(rel.path.as_deref(), Some("a.yaml"));
    assert_eq!(rel.position, Some((5, 14)));
}

#[test]
fn many_secrets_and_placeholders_stay_linear() {
    let mut content = String::new();
    for i in 0..20_000 {
        content.push_str(&format!("PASSWORD=pw{i:06} {{{{p{i}}}}} "));
    }
    let src = format!("{HEAD}EnableParameter: true\nCommandContent: '{content}'\n");
    let started = std::time::Instant::now();
    let r = check_bytes("t", src.as_bytes(), Format::Yaml);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    let secrets = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "Lint.PlaintextSecret")
        .count();
    assert_eq!(secrets, 20_000);
    assert_eq!(r.redactions.len(), 20_000);
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.code == "CmdParamCount.ExceedLimit")
    );
}

#[test]
fn many_parameters_in_a_json_string_stay_linear() {
    let pairs: Vec<String> = (0..20_000)
        .map(|i| format!("\\\"k{i}\\\": \\\"password=pw{i:06}\\\""))
        .collect();
    let src = format!(
        "{HEAD}EnableParameter: true\nCommandContent: 'echo {{{{k0}}}}'\nParameters: \"{{{}}}\"\n",
        pairs.join(", ")
    );
    let started = std::time::Instant::now();
    let r = check_bytes("t", src.as_bytes(), Format::Yaml);
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    let count = |code| r.diagnostics.iter().filter(|d| d.code == code).count();
    assert_eq!(count("ParameterCount.ExceedLimit"), 1);
    assert_eq!(count("Parameter.NotMatched"), 19_999);
    assert_eq!(count("Lint.PlaintextSecret"), 20_000);
    let last = r
        .diagnostics
        .iter()
        .rfind(|d| d.code == "Lint.PlaintextSecret")
        .unwrap();
    assert_eq!(&r.text[last.span.clone()], "pw019999");
}
