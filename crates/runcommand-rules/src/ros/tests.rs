#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use runcommand_document::Format;

use crate::check_bytes;

/// (code, the text the finding points at, its request index)
fn run_as(src: &str, format: Format) -> Vec<(&'static str, String, usize)> {
    let r = check_bytes("t.yaml", src.as_bytes(), format);
    r.diagnostics
        .iter()
        .map(|d| {
            (
                d.code.as_str(),
                r.text[d.span.clone()].to_owned(),
                d.document,
            )
        })
        .collect()
}

fn run(src: &str) -> Vec<(&'static str, String, usize)> {
    run_as(src, Format::Yaml)
}

fn codes(src: &str) -> Vec<&'static str> {
    run(src).into_iter().map(|(c, _, _)| c).collect()
}

const HEAD: &str = "ROSTemplateFormatVersion: '2015-09-01'\nParameters:\n  Ids:\n    Type: CommaDelimitedList\n    Default: i-bp185dy2o3o6neg1234, i-bp185dy2o3o6neg1235\n  AppDir:\n    Type: String\n    Default: /opt/app\n  Wait:\n    Type: Number\n    Default: 5\n  DbPassword:\n    Type: String\n  ApiToken:\n    Type: String\n    NoEcho: true\nResources:\n  Server:\n    Type: ALIYUN::ECS::Instance\n    Properties: {}\n";

fn resource(props: &str) -> String {
    format!("{HEAD}  Run:\n    Type: ALIYUN::ECS::RunCommand\n    Properties:\n{props}")
}

const BASE: &str = "      Type: RunShellScript\n      InstanceIds: [i-bp185dy2o3o6neg1234]\n";

#[test]
fn a_correct_resource_is_one_clean_request() {
    let src = resource(&format!(
        "{BASE}      Sync: true\n      RunAgainOn: [Update]\n      Tags: [{{Key: team, Value: ops}}]\n      CommandContent:\n        Fn::Sub: |\n          cd ${{AppDir}} && echo ${{!HOME}} ${{ALIYUN::Region}} ${{Server.PrivateIp}}\n"
    ));
    assert_eq!(run(&src), vec![]);
    let r = check_bytes("t.yaml", src.as_bytes(), Format::Yaml);
    assert!(r.looks_like_request);
    assert_eq!(r.requests, 1);
}

#[test]
fn a_template_without_run_command_resources_is_no_request_file() {
    let src = format!("{HEAD}  Other:\n    Type: ALIYUN::VPC::Vpc\n");
    let r = check_bytes("t.yaml", src.as_bytes(), Format::Yaml);
    assert!(!r.looks_like_request);
    assert_eq!(r.requests, 0);
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    // Without the version key, a `Resources` mapping of ALIYUN:: types is a template too.
    let bare = "Parameters: {}\nResources:\n  V:\n    Type: ALIYUN::VPC::Vpc\n";
    let r = check_bytes("t.yaml", bare.as_bytes(), Format::Yaml);
    assert!(!r.looks_like_request);
    assert!(r.diagnostics.is_empty());
}

#[test]
fn findings_in_a_sub_script_point_into_the_template() {
    let src = resource(&format!(
        "{BASE}      CommandContent:\n        Fn::Sub: |\n          cd ${{AppDir}}\n          echo ${{Appdir}} {{{{name}}}}\n          PASSWORD=hunter2secret\n"
    ));
    let found = run(&src);
    assert!(
        found.contains(&("Lint.RosUnknownReference", "Appdir".into(), 0)),
        "{found:?}"
    );
    assert!(
        found.contains(&("Lint.TemplateNotEnabled", "{{name}}".into(), 0)),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(c, t, _)| *c == "Lint.PlaintextSecret" && t == "hunter2secret"),
        "{found:?}"
    );
}

#[test]
fn escapes_and_stand_ins_are_not_secrets_or_templates() {
    // `${!PASS}` reaches the script as `${PASS}`; `${DbPassword}` is unknown text.
    let src = resource(&format!(
        "{BASE}      CommandContent:\n        Fn::Sub: 'export PASSWORD=${{!PASS}}; export TOKEN=${{AppDir}}; echo {{{{ computenest::file::setup }}}}'\n"
    ));
    assert_eq!(run(&src), vec![]);
}

#[test]
fn join_replace_and_if_are_reconstructed() {
    let src = resource(&format!(
        "{BASE}      CommandContent:\n        Fn::Join:\n          - \"\\n\"\n          - - '#!/bin/bash'\n            - Ref: AppDir\n            - Fn::If: [C, 'echo {{{{one}}}}', 'echo {{{{two}}}}']\n"
    ));
    let found = run(&src);
    let texts: Vec<&str> = found
        .iter()
        .filter(|(c, _, _)| *c == "Lint.TemplateNotEnabled")
        .map(|(_, t, _)| t.as_str())
        .collect();
    // Both branches of Fn::If are read; each finding is at its place.
    assert!(texts.contains(&"{{one}}"), "{found:?}");
    assert!(texts.contains(&"{{two}}"), "{found:?}");
    // Fn::Replace: kept text maps to its place, a replacement to where it is written (so a
    // secret in it is redacted there).
    let src = resource(&format!(
        "{BASE}      CommandContent:\n        Fn::Replace: [{{'@P@': 'PASSWORD=hunter2secret', '@X@': y}}, 'echo @X@ {{{{three}}}}; @P@']\n"
    ));
    let found = run(&src);
    assert!(
        found.contains(&("Lint.TemplateNotEnabled", "{{three}}".into(), 0)),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(c, t, _)| *c == "Lint.PlaintextSecret" && t == "hunter2secret"),
        "{found:?}"
    );
}

#[test]
fn ref_defaults_are_checked_at_the_default() {
    let src = resource(
        "      Type: RunShellScript\n      InstanceIds:\n        Ref: Ids\n      CommandContent: echo\n      Timeout:\n        Ref: Wait\n",
    );
    assert_eq!(run(&src), vec![("Lint.TimeoutTooShort", "5".into(), 0)]);
    let r = check_bytes("t.yaml", src.as_bytes(), Format::Yaml);
    let d = &r.diagnostics[0];
    assert!(
        d.message.contains("`Default` of template parameter `Wait`"),
        "{}",
        d.message
    );
    assert_eq!(d.related.len(), 1);
}

#[test]
fn comma_delimited_defaults_are_lists_with_items_at_their_place() {
    let src = "ROSTemplateFormatVersion: '2015-09-01'\nParameters:\n  Ids:\n    Type: CommaDelimitedList\n    Default: i-bp185dy2o3o6neg1234,bad id\nResources:\n  Run:\n    Type: ALIYUN::ECS::RunCommand\n    Properties:\n      Type: RunShellScript\n      CommandContent: echo\n      InstanceIds:\n        Ref: Ids\n";
    let found = run(src);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, "bad id");
}

#[test]
fn unknown_values_are_never_guessed() {
    let src = resource(
        "      Type:\n        Ref: Kind\n      InstanceIds:\n        - Fn::GetAtt: [Server, InstanceId]\n      CommandContent:\n        Fn::Sub: '${AppDir}'\n      EnableParameter:\n        Fn::If: [C, true, {Ref: ALIYUN::NoValue}]\n",
    );
    // `Kind` is no parameter: the only finding.
    assert_eq!(
        run(&src),
        vec![("Lint.RosUnknownReference", "Kind".into(), 0)]
    );
}

#[test]
fn missing_required_properties_are_reported_at_the_type() {
    let src = resource("      Sync: true\n");
    let found = codes(&src);
    assert!(found.contains(&"MissingParam.InstanceId"), "{found:?}");
    assert!(found.contains(&"Lint.MissingParameter"), "{found:?}");
    // RegionId is the stack's region.
    let r = check_bytes("t.yaml", src.as_bytes(), Format::Yaml);
    assert!(
        r.diagnostics
            .iter()
            .all(|d| d.parameter.as_deref() != Some("RegionId"))
    );
    for d in &r.diagnostics {
        assert_eq!(&r.text[d.span.clone()], "ALIYUN::ECS::RunCommand");
    }
    let help = r
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "MissingParam.InstanceId")
        .and_then(|d| d.help.clone())
        .unwrap();
    assert!(help.contains("InstanceIds"), "{help}");
}

#[test]
fn unknown_properties_suggest_the_resource_names() {
    let src = resource(
        "      Type: RunShellScript\n      InstanceId: [i-bp185dy2o3o6neg1234]\n      CommandContent: echo\n      ResourceTag: [{Key: a, Value: b}]\n      TerminationMode: Process\n",
    );
    let r = check_bytes("t.yaml", src.as_bytes(), Format::Yaml);
    let unknown: Vec<(&str, Option<&str>)> = r
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() == "Lint.UnknownParameter")
        .map(|d| {
            (
                &r.text[d.span.clone()],
                d.fix.as_ref().map(|f| f.replacement.as_str()),
            )
        })
        .collect();
    assert_eq!(
        unknown,
        vec![
            ("InstanceId", Some("InstanceIds")),
            ("ResourceTag", None),
            ("TerminationMode", None)
        ]
    );
}

#[test]
fn the_resource_limits_apply() {
    let ids: Vec<String> = (0..51)
        .map(|i| format!("i-bp185dy2o3o6neg{i:04}"))
        .collect();
    let src = resource(&format!(
        "      Type: RunShellScript\n      CommandContent: echo\n      InstanceIds: [{}]\n",
        ids.join(", ")
    ));
    let found = run(&src);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "InstanceIds.ExceedLimit");
    assert_eq!(found[0].1, "i-bp185dy2o3o6neg0050");
    // 13 000 bytes of script: within the API's 18/24 KB, over ROS's 16 KB once encoded.
    let script = "x".repeat(13_000);
    let src = resource(&format!("{BASE}      CommandContent: {script}\n"));
    assert_eq!(codes(&src), vec!["CmdContent.ExceedLimit"]);
    let src = resource(&format!(
        "{BASE}      CommandContent: echo\n      RepeatMode: DryRun\n"
    ));
    assert_eq!(codes(&src), vec!["Lint.RosUnsupportedValue"]);
}

#[test]
fn base64_encoded_content_is_checked_as_its_script() {
    let src = resource(&format!(
        "{BASE}      ContentEncoding: Base64\n      CommandContent:\n        Fn::Base64Encode:\n          Fn::Sub: 'cd ${{AppDir}}; echo {{{{x}}}}'\n"
    ));
    assert_eq!(
        run(&src),
        vec![("Lint.TemplateNotEnabled", "{{x}}".into(), 0)]
    );
}

#[test]
fn plaintext_credential_parameters_warn_once() {
    let src = resource(&format!(
        "{BASE}      CommandContent:\n        Fn::Sub: 'a ${{DbPassword}} b ${{DbPassword}} c ${{ApiToken}}'\n"
    ));
    assert_eq!(
        run(&src),
        vec![("Lint.RosSecretWithoutNoEcho", "DbPassword".into(), 0)]
    );
}

#[test]
fn references_are_checked_everywhere_with_pseudo_parameters_warning() {
    let src = resource(&format!(
        "{BASE}      CommandContent:\n        Fn::Join: ['', [{{'Fn::GetAtt': [Sever, PrivateIp]}}, {{Ref: ALIYUN::Regin}}]]\n      WorkingDir:\n        Fn::Sub: '${{Server.Dir}}/${{Missing.Dir}}'\n"
    ));
    let r = check_bytes("t.yaml", src.as_bytes(), Format::Yaml);
    let got: Vec<(&str, &str, &str)> = r
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.code.as_str(),
                &r.text[d.span.clone()],
                d.severity.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("Lint.RosUnknownReference", "Sever", "error"),
            ("Lint.RosUnknownReference", "ALIYUN::Regin", "warning"),
            ("Lint.RosUnknownReference", "Missing.Dir", "error"),
        ]
    );
    let fix = r.diagnostics[0].fix.as_ref().unwrap();
    assert_eq!(fix.replacement, "Server");
}

#[test]
fn nested_stacks_and_several_resources_are_requests_in_file_order() {
    let src = format!(
        "ROSTemplateFormatVersion: '2015-09-01'\nResources:\n  A:\n    Type: ALIYUN::ECS::RunCommand\n    Properties:\n{BASE}      CommandContent: echo a\n  Child:\n    Type: ALIYUN::ROS::Stack\n    Properties:\n      TemplateBody:\n        ROSTemplateFormatVersion: '2015-09-01'\n        Parameters:\n          Dir: {{Type: String, Default: /tmp}}\n        Resources:\n          B:\n            Type: ALIYUN::ECS::RunCommand\n            Properties:\n              Type: RunShellScript\n              InstanceIds: [i-bp185dy2o3o6neg1234]\n              CommandContent: {{'Fn::Sub': 'cd ${{Dir}} ${{Nope}}'}}\n  C:\n    Type: ALIYUN::ECS::RunCommand\n    Properties:\n{BASE}      CommandContent: echo c\n      Timeout: 3\n"
    );
    let r = check_bytes("t.yaml", src.as_bytes(), Format::Yaml);
    assert_eq!(r.requests, 3);
    assert_eq!(
        run(&src),
        vec![
            ("Lint.RosUnknownReference", "Nope".into(), 2),
            ("Lint.TimeoutTooShort", "3".into(), 1),
        ]
    );
}

#[test]
fn json_templates_map_positions_through_escapes() {
    let src = r##"{
  "ROSTemplateFormatVersion": "2015-09-01",
  "Resources": {
    "Run": {
      "Type": "ALIYUN::ECS::RunCommand",
      "Properties": {
        "Type": "RunShellScript",
        "InstanceIds": ["i-bp185dy2o3o6neg1234"],
        "CommandContent": {"Fn::Sub": "#!/bin/bash\necho \"${Nope}\"\necho {{x}}"}
      }
    }
  }
}"##;
    let found = run_as(src, Format::Json);
    assert_eq!(
        found,
        vec![
            ("Lint.RosUnknownReference", "Nope".into(), 0),
            ("Lint.TemplateNotEnabled", "{{x}}".into(), 0),
        ]
    );
}

#[test]
fn hostile_functions_stay_bounded() {
    // Deeply nested joins, huge replace maps and functions of the wrong shape give no panic.
    let mut v = String::from("x");
    for _ in 0..60 {
        v = format!("{{'Fn::Join': ['', [{v}, y]]}}");
    }
    let pairs: Vec<String> = (0..200).map(|i| format!("'k{i}': v")).collect();
    let src = resource(&format!(
        "{BASE}      CommandContent: {v}\n      WorkingDir: {{'Fn::Replace': [{{{}}}, abc]}}\n      Name: {{'Fn::Join': 3}}\n      Description: {{'Fn::Sub': []}}\n",
        pairs.join(", ")
    ));
    let r = check_bytes("t.yaml", src.as_bytes(), Format::Yaml);
    assert_eq!(r.requests, 1);
}

#[test]
fn unclosed_and_nested_placeholders_stay_linear_and_consistent() {
    // `${a ${Nope}`: the inner `${Nope}` is a reference both when composing and when checking.
    let src = resource(&format!(
        "{BASE}      CommandContent:\n        Fn::Sub: 'echo ${{a ${{Nope}}'\n"
    ));
    assert_eq!(
        run(&src),
        vec![("Lint.RosUnknownReference", "Nope".into(), 0)]
    );
    // 200 000 `${` without a closing brace: checked quickly (a quadratic scan would take minutes).
    let long = "${".repeat(200_000);
    let src = resource(&format!(
        "{BASE}      CommandContent:\n        Fn::Sub: '{long}'\n"
    ));
    let r = check_bytes("t.yaml", src.as_bytes(), Format::Yaml);
    assert_eq!(r.requests, 1);
}

#[test]
fn joins_that_would_grow_past_the_file_are_unknown() {
    // 300 items joined by a 10 KB delimiter would be 3 MB of script: unknown, not checked.
    let delim = "y".repeat(10_000);
    let items = vec!["x"; 300].join(", ");
    let src = resource(&format!(
        "{BASE}      CommandContent:\n        Fn::Join: ['{delim}', [{items}]]\n"
    ));
    assert_eq!(run(&src), vec![]);
}

const PAIR: &str = "ROSTemplateFormatVersion: '2015-09-01'\nParameters:\n  Dir: {Type: String, Default: /opt}\nResources:\n  Cmd:\n    Type: ALIYUN::ECS::Command\n    Properties:\n      Type: RunShellScript\n      Timeout: 120\n      CommandContent:\n        Fn::Sub: 'cd ${Dir} && echo {{name}}'\n";

#[test]
fn an_invocation_of_a_template_command_is_one_request() {
    let src = format!(
        "{PAIR}      EnableParameter: true\n  Run:\n    Type: ALIYUN::ECS::Invocation\n    Properties:\n      CommandId:\n        Fn::GetAtt: [Cmd, CommandId]\n      InstanceIds: [i-bp185dy2o3o6neg1234]\n      Parameters: {{name: x}}\n      Timeout: 5\n      Sync: true\n"
    );
    let r = check_bytes("t.yaml", src.as_bytes(), Format::Yaml);
    assert!(r.looks_like_request);
    assert_eq!(r.requests, 1);
    // The invocation's Timeout wins over the command's; the script is the command's.
    assert_eq!(run(&src), vec![("Lint.TimeoutTooShort", "5".into(), 0)]);
    // Parameters of the invocation meet the command's placeholders.
    let src = format!(
        "{PAIR}      EnableParameter: true\n  Run:\n    Type: ALIYUN::ECS::Invocation\n    Properties:\n      CommandId: {{Ref: Cmd}}\n      InstanceIds: [i-bp185dy2o3o6neg1234]\n"
    );
    assert_eq!(codes(&src), vec!["Lint.ParameterNotProvided"]);
}

#[test]
fn a_pair_reports_each_property_on_its_own_resource() {
    let src = format!(
        "{PAIR}      Frequency: rate(5m)\n  Run:\n    Type: ALIYUN::ECS::Invocation\n    Properties:\n      CommandId: Cmd.CommandId\n      Frequncy: rate(5m)\n"
    );
    // A literal CommandId names no resource: no request.
    let r = check_bytes("t.yaml", src.as_bytes(), Format::Yaml);
    assert_eq!(r.requests, 0);
    assert!(!r.looks_like_request);
    let src = format!(
        "{PAIR}      Frequency: rate(5m)\n  Run:\n    Type: ALIYUN::ECS::Invocation\n    Properties:\n      CommandId: {{'Fn::GetAtt': Cmd.CommandId}}\n      Frequncy: rate(5m)\n"
    );
    let r = check_bytes("t.yaml", src.as_bytes(), Format::Yaml);
    let got: Vec<(&str, &str)> = r
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), &r.text[d.span.clone()]))
        .collect();
    assert_eq!(
        got,
        vec![
            ("Lint.TemplateNotEnabled", "{{name}}"),
            // `Frequency` is the invocation's, not the command's.
            ("Lint.UnknownParameter", "Frequency"),
            // No InstanceIds: at the invocation's Type.
            ("MissingParam.InstanceId", "ALIYUN::ECS::Invocation"),
            ("Lint.UnknownParameter", "Frequncy"),
        ]
    );
    let fix = r.diagnostics[3].fix.as_ref().unwrap();
    assert_eq!(fix.replacement, "Frequency");
}

#[test]
fn locals_are_names_and_go_template_keywords_are_no_placeholders() {
    let src = format!(
        "ROSTemplateFormatVersion: '2015-09-01'\nLocals:\n  Stamp:\n    Type: Eval\n    Value: {{'Fn::FormatTime': ['%Y', Asia/Shanghai]}}\nResources:\n  Run:\n    Type: ALIYUN::ECS::RunCommand\n    Properties:\n{BASE}      CommandContent:\n        Fn::Sub: |\n          echo ${{Stamp}}\n          docker inspect --format '{{{{.State.Status}}}} {{{{if .State.Health}}}}ok{{{{else}}}}none{{{{end}}}}' app\n"
    );
    assert_eq!(run(&src), vec![]);
    // Without a Go template action, `{{else}}` is a forgotten parameter as any other name.
    let src = resource(&format!("{BASE}      CommandContent: echo {{{{else}}}}\n"));
    assert_eq!(codes(&src), vec!["Lint.TemplateNotEnabled"]);
}

#[test]
fn short_form_functions_are_read() {
    let src = resource(
        "      Type: RunShellScript\n      InstanceIds: !Ref Ids\n      Timeout: !Ref Wait\n      CommandContent: !Sub |\n        cd ${AppDir} && echo ${Nope}\n",
    );
    assert_eq!(
        run(&src),
        vec![
            ("Lint.TimeoutTooShort", "5".into(), 0),
            ("Lint.RosUnknownReference", "Nope".into(), 0),
        ]
    );
}

#[test]
fn a_forgotten_sub_warns_at_the_parameter() {
    let src = resource(&format!(
        "{BASE}      CommandContent: |\n        cd ${{AppDir}} && echo ${{HOME}} ${{Server.Ip}}\n"
    ));
    assert_eq!(
        run(&src),
        vec![
            ("Lint.RosMissingSub", "AppDir".into(), 0),
            ("Lint.RosMissingSub", "Server.Ip".into(), 0),
        ]
    );
    // Inside Fn::Sub the names are substituted: no warning.
    let src = resource(&format!(
        "{BASE}      CommandContent: {{'Fn::Join': ['', [{{'Fn::Sub': 'cd ${{AppDir}}'}}, ' && echo ${{HOME}}']]}}\n"
    ));
    assert_eq!(run(&src), vec![]);
}
