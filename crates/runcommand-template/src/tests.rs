use super::*;

fn kinds(s: &Scan) -> Vec<ProblemKind> {
    s.problems.iter().map(|p| p.kind.clone()).collect()
}

fn custom(name: &str, span: Range<usize>) -> PlaceholderKind {
    PlaceholderKind::Custom {
        name: name.to_string(),
        name_span: span,
    }
}

#[test]
fn no_placeholders() {
    for t in [
        "", "echo hi", "{", "}", "}}", "a}}b", "{a}", "{ {a} }", "${HOME}",
    ] {
        let s = scan(t);
        assert!(s.placeholders.is_empty(), "{t:?}");
        assert!(s.problems.is_empty(), "{t:?}");
    }
}

#[test]
fn simple_custom() {
    let t = "echo {{name}}";
    let s = scan(t);
    assert_eq!(s.placeholders.len(), 1);
    let p = &s.placeholders[0];
    assert_eq!(p.span, 5..13);
    assert_eq!(p.inner, 7..11);
    assert_eq!(p.kind, custom("name", 7..11));
    assert!(s.problems.is_empty());
}

#[test]
fn whitespace_and_newlines_around_name() {
    let t = "x{{\n name \r\n}}y";
    let s = scan(t);
    let p = &s.placeholders[0];
    assert_eq!(p.span, 1..14);
    assert_eq!(p.inner, 3..12);
    assert_eq!(p.kind, custom("name", 5..9));
    let t = "{{\tA_b-9\x0c}}";
    assert_eq!(scan(t).placeholders[0].kind, custom("A_b-9", 3..8));
}

#[test]
fn adjacent_placeholders() {
    let t = "{{a}}{{b}}";
    let s = scan(t);
    let spans: Vec<_> = s.placeholders.iter().map(|p| p.span.clone()).collect();
    assert_eq!(spans, vec![0..5, 5..10]);
    assert_eq!(s.placeholders[1].kind, custom("b", 7..8));
}

#[test]
fn triple_braces() {
    let t = "{{{a}}}";
    let s = scan(t);
    assert_eq!(s.placeholders.len(), 1);
    assert_eq!(s.placeholders[0].span, 1..6);
    assert_eq!(s.placeholders[0].kind, custom("a", 3..4));
    assert!(s.problems.is_empty());

    let t = r#"echo '{"k":{{v}}}'"#;
    let s = scan(t);
    assert_eq!(s.placeholders[0].span, 11..16);
    assert!(s.problems.is_empty());

    let t = "{{{{a}}}}";
    let s = scan(t);
    assert_eq!(s.placeholders.len(), 1);
    assert_eq!(s.placeholders[0].span, 2..7);
}

#[test]
fn reopened_before_close() {
    let t = "{{a {{b}}";
    let s = scan(t);
    assert_eq!(s.placeholders.len(), 1);
    assert_eq!(s.placeholders[0].span, 4..9);
    assert_eq!(s.problems.len(), 1);
    assert_eq!(s.problems[0].kind, ProblemKind::Unterminated);
    assert_eq!(s.problems[0].span, 0..2);
    assert_eq!(s.problems[0].placeholder, None);
}

#[test]
fn unterminated() {
    let t = "echo {{name";
    let s = scan(t);
    assert!(s.placeholders.is_empty());
    assert_eq!(kinds(&s), vec![ProblemKind::Unterminated]);
    assert_eq!(s.problems[0].span, 5..7);
    assert_eq!(
        s.problems[0].message,
        "`{{` is never closed by `}}`; it is plain text to the API"
    );
    let s = scan("{{a} }");
    assert_eq!(kinds(&s), vec![ProblemKind::Unterminated]);
    let s = scan("{{");
    assert_eq!(s.problems[0].span, 0..2);
}

#[test]
fn empty_key() {
    for (t, span) in [("{{}}", 0..4), ("a{{  }}", 1..7), ("{{\n\t}}", 0..6)] {
        let s = scan(t);
        assert_eq!(s.placeholders[0].kind, PlaceholderKind::Invalid, "{t:?}");
        assert_eq!(kinds(&s), vec![ProblemKind::EmptyKey]);
        assert_eq!(s.problems[0].span, span);
        assert_eq!(s.problems[0].placeholder, Some(0));
    }
    // `{{}}}`: the first `}}` closes.
    let s = scan("{{}}}");
    assert_eq!(s.placeholders[0].span, 0..4);
}

#[test]
fn go_template_is_invalid_name() {
    let t = "docker inspect -f '{{.State.Running}}' c";
    let s = scan(t);
    let p = &s.placeholders[0];
    assert_eq!(p.span, 19..37);
    assert_eq!(p.kind, PlaceholderKind::Invalid);
    assert_eq!(s.problems.len(), 1);
    let pr = &s.problems[0];
    assert_eq!(
        pr.kind,
        ProblemKind::InvalidName(NameIssue::BadCharacter {
            ch: '.',
            span: 21..22
        })
    );
    assert_eq!(pr.span, 21..35);
    assert_eq!(&t[pr.span.clone()], ".State.Running");
    assert!(pr.message.contains("Go template"), "{}", pr.message);
}

#[test]
fn invalid_characters() {
    let s = scan("{{a b}}");
    assert_eq!(
        s.problems[0].kind,
        ProblemKind::InvalidName(NameIssue::BadCharacter {
            ch: ' ',
            span: 3..4
        })
    );
    assert_eq!(
        s.problems[0].message,
        "invalid character U+0020 in parameter name `a b`: names may contain only letters, digits, `_` and `-`"
    );
    let t = "{{nämé}}";
    let s = scan(t);
    assert_eq!(
        s.problems[0].kind,
        ProblemKind::InvalidName(NameIssue::BadCharacter {
            ch: 'ä',
            span: 3..5
        })
    );
    assert_eq!(s.problems[0].span, 2..8);
    let s = scan("{{a}{b}}");
    assert_eq!(s.placeholders[0].span, 0..8);
    assert!(matches!(
        s.problems[0].kind,
        ProblemKind::InvalidName(NameIssue::BadCharacter { ch: '}', .. })
    ));
    // A single colon is not a Parameter Store reference.
    let s = scan("{{OOS:x}}");
    assert!(matches!(
        s.problems[0].kind,
        ProblemKind::InvalidName(NameIssue::BadCharacter { ch: ':', .. })
    ));
}

#[test]
fn name_length_in_bytes() {
    let n64 = "a".repeat(64);
    let s = scan(&format!("{{{{{n64}}}}}"));
    assert!(s.problems.is_empty());
    let n65 = "a".repeat(65);
    let t = format!("{{{{ {n65} }}}}");
    let s = scan(&t);
    assert_eq!(s.placeholders[0].kind, custom(&n65, 3..68));
    assert_eq!(kinds(&s), vec![ProblemKind::NameTooLong { bytes: 65 }]);
    assert_eq!(s.problems[0].span, 3..68);
    assert_eq!(
        s.problems[0].message,
        "parameter name is 65 bytes long; at most 64 are allowed"
    );
    assert_eq!(s.distinct_custom_count(), 1);
}

#[test]
fn builtins() {
    for b in BuiltIn::ALL {
        let t = format!("x {{{{{b}}}}} y");
        let s = scan(&t);
        assert!(s.problems.is_empty(), "{t}");
        match &s.placeholders[0].kind {
            PlaceholderKind::BuiltIn {
                builtin,
                name,
                name_span,
                filters,
            } => {
                assert_eq!(*builtin, b);
                assert_eq!(name, b.name());
                assert_eq!(&t[name_span.clone()], b.name());
                assert_eq!(name_span.start, 9);
                assert!(filters.is_empty());
            }
            k => panic!("{k:?}"),
        }
    }
    // Whitespace around the name and around `::`, as the agent allows.
    let t = "{{ ACS :: InstanceId\n}}";
    let s = scan(t);
    assert!(s.problems.is_empty());
    assert!(matches!(
        &s.placeholders[0].kind,
        PlaceholderKind::BuiltIn { builtin: BuiltIn::InstanceId, name_span, .. } if *name_span == (10..20)
    ));
    assert_eq!(s.distinct_custom_count(), 0);
}

#[test]
fn builtin_placement() {
    assert!(BuiltIn::InstanceId.allowed_in(Field::CommandContent));
    assert!(!BuiltIn::InstanceId.allowed_in(Field::Launcher));
    assert!(BuiltIn::ScriptFileName.allowed_in(Field::Launcher));
    assert!(!BuiltIn::ScriptFileName.allowed_in(Field::CommandContent));
    assert_eq!(BuiltIn::from_name("instanceid"), None);
    assert_eq!(BuiltIn::InvokeId.to_string(), "ACS::InvokeId");
}

#[test]
fn reserved_prefix() {
    let t = "{{acs::InstanceId}}";
    let s = scan(t);
    assert_eq!(s.placeholders[0].kind, PlaceholderKind::Invalid);
    assert_eq!(
        kinds(&s),
        vec![ProblemKind::InvalidName(NameIssue::ReservedPrefix)]
    );
    assert_eq!(s.problems[0].span, 2..17);
    assert_eq!(
        s.problems[0].message,
        "`acs::` is a reserved prefix; built-in parameters are spelled `ACS::` (case-sensitive); did you mean `{{ACS::InstanceId}}`?"
    );
    let s = scan("{{ Acs::whatever }}");
    assert_eq!(
        kinds(&s),
        vec![ProblemKind::InvalidName(NameIssue::ReservedPrefix)]
    );
    assert!(!s.problems[0].message.contains("did you mean"));
    // Names that merely start with "acs" are ordinary custom names.
    let s = scan("{{acs}} {{acs_x}} {{ACSX}}");
    assert!(s.problems.is_empty());
    assert_eq!(s.distinct_custom_count(), 3);
}

#[test]
fn unknown_builtin() {
    let t = "{{ACS::Nope}}";
    let s = scan(t);
    assert_eq!(s.placeholders[0].kind, PlaceholderKind::Invalid);
    assert_eq!(
        kinds(&s),
        vec![ProblemKind::InvalidName(NameIssue::UnknownBuiltIn)]
    );
    assert_eq!(s.problems[0].span, 7..11);
    assert!(
        s.problems[0]
            .message
            .starts_with("unknown built-in parameter `ACS::Nope`; known: ACS::RegionId, ")
    );
    let s = scan("{{ACS::instanceId}}");
    assert_eq!(
        s.problems[0].message,
        "unknown built-in parameter `ACS::instanceId`; did you mean `ACS::InstanceId`? (names are case-sensitive)"
    );
    let s = scan("{{ACS::}}");
    assert_eq!(s.problems[0].span, 0..9);
    assert!(
        s.problems[0]
            .message
            .starts_with("missing built-in parameter name")
    );
}

#[test]
fn script_file_name_filter() {
    let t = r#"python3 -u {{ACS::ScriptFileName|Ext(".py")}}"#;
    let s = scan(t);
    assert!(s.problems.is_empty(), "{:?}", s.problems);
    match &s.placeholders[0].kind {
        PlaceholderKind::BuiltIn {
            builtin: BuiltIn::ScriptFileName,
            name_span,
            filters,
            ..
        } => {
            assert_eq!(name_span, &(18..32));
            assert_eq!(filters.len(), 1);
            let f = &filters[0];
            assert_eq!(f.name, "Ext");
            assert_eq!(f.name_span, 33..36);
            assert_eq!(f.span, 32..43);
            assert_eq!(&t[f.span.clone()], r#"|Ext(".py")"#);
            assert_eq!(f.args.len(), 1);
            assert_eq!(f.args[0].value, ".py");
            assert_eq!(f.args[0].value_span, 38..41);
            assert_eq!(f.args[0].span, 37..42);
        }
        k => panic!("{k:?}"),
    }
    // Whitespace inside the filter.
    let t = r#"{{ ACS::ScriptFileName | Ext ( ".sh" ) }}"#;
    let s = scan(t);
    assert!(s.problems.is_empty(), "{:?}", s.problems);
}

#[test]
fn filter_problems() {
    let s = scan(r#"{{ACS::ScriptFileName|Foo("x")}}"#);
    assert_eq!(
        kinds(&s),
        vec![ProblemKind::InvalidFilter(FilterIssue::Unknown)]
    );
    assert_eq!(s.problems[0].span, 22..25);
    assert!(matches!(
        s.placeholders[0].kind,
        PlaceholderKind::BuiltIn { .. }
    ));

    let t = r#"{{ACS::InstanceId|Ext(".py")}}"#;
    let s = scan(t);
    assert_eq!(
        kinds(&s),
        vec![ProblemKind::InvalidFilter(FilterIssue::NotApplicable)]
    );
    assert_eq!(&t[s.problems[0].span.clone()], r#"|Ext(".py")"#);

    for (t, n) in [
        (r#"{{ACS::ScriptFileName|Ext()}}"#, 0),
        (r#"{{ACS::ScriptFileName|Ext(".a", ".b")}}"#, 2),
    ] {
        let s = scan(t);
        assert_eq!(
            kinds(&s),
            vec![ProblemKind::InvalidFilter(FilterIssue::WrongArguments)],
            "{t}"
        );
        assert!(s.problems[0].message.ends_with(&format!("found {n}")));
    }

    for t in [
        "{{ACS::ScriptFileName|Ext}}",
        "{{ACS::ScriptFileName|}}",
        "{{ACS::ScriptFileName|Ext(.py)}}",
        r#"{{ACS::ScriptFileName|Ext(".py}}"#,
        r#"{{ACS::ScriptFileName|Ext(".py" x)}}"#,
        r#"{{ACS::ScriptFileName|Ext(".py"}}"#,
        r#"{{ACS::ScriptFileName|Ext(".py") x}}"#,
        "{{ACS::ScriptFileName|1Ext()}}",
    ] {
        let s = scan(t);
        assert_eq!(
            kinds(&s),
            vec![ProblemKind::InvalidFilter(FilterIssue::Syntax)],
            "{t}"
        );
        let sp = &s.problems[0].span;
        assert!(
            t[sp.clone()].starts_with('|') || t[sp.clone()].starts_with('x'),
            "{t} {sp:?}"
        );
        assert_eq!(sp.end, t.len() - 2, "{t}");
    }
    // Several filters; the second is unknown.
    let t = r#"{{ACS::ScriptFileName|Ext(".py")|Up()}}"#;
    let s = scan(t);
    assert_eq!(
        kinds(&s),
        vec![ProblemKind::InvalidFilter(FilterIssue::Unknown)]
    );
    match &s.placeholders[0].kind {
        PlaceholderKind::BuiltIn { filters, .. } => assert_eq!(filters.len(), 2),
        k => panic!("{k:?}"),
    }
}

#[test]
fn oos_references() {
    let t = "echo '{{oos-secret:password}}' | passwd '{{ oos : user.name-1 }}' --stdin";
    let s = scan(t);
    assert!(s.problems.is_empty(), "{:?}", s.problems);
    assert_eq!(
        s.placeholders[0].kind,
        PlaceholderKind::OosParam {
            secret: true,
            name: "password".to_string(),
            name_span: 19..27
        }
    );
    assert_eq!(
        s.placeholders[1].kind,
        PlaceholderKind::OosParam {
            secret: false,
            name: "user.name-1".to_string(),
            name_span: 50..61
        }
    );
    assert_eq!(s.distinct_custom_count(), 0);
    let s = scan("{{oos:/prod/db/pw}} {{oos:a/b_c}}");
    assert!(s.problems.is_empty(), "{:?}", s.problems);
    // `oos` and `oos-secret` alone are custom names.
    let s = scan("{{oos}} {{oos-secret}}");
    assert!(s.problems.is_empty());
    assert_eq!(s.distinct_custom_count(), 2);
}

#[test]
fn oos_problems() {
    let s = scan("{{oos:}}");
    assert_eq!(kinds(&s), vec![ProblemKind::InvalidOosName]);
    assert_eq!(s.problems[0].span, 0..8);
    assert_eq!(
        s.problems[0].message,
        "empty Parameter Store name in `{{oos:}}`"
    );
    let s = scan("{{ oos-secret :  }}");
    assert_eq!(s.problems[0].span, 0..19);
    for (t, span) in [
        ("{{oos:a b}}", 6..9),
        ("{{oos:a//b}}", 6..10),
        ("{{oos:a/}}", 6..8),
        ("{{oos:/}}", 6..7),
        ("{{oos:pä}}", 6..9),
        ("{{oos-secret:a:b}}", 13..16),
    ] {
        let s = scan(t);
        assert_eq!(kinds(&s), vec![ProblemKind::InvalidOosName], "{t}");
        assert_eq!(s.problems[0].span, span, "{t}");
        assert_eq!(s.placeholders[0].kind, PlaceholderKind::Invalid);
    }
}

#[test]
fn multibyte_around_and_inside() {
    let t = "日本{{ 名前 }}é{{name}}ü";
    let s = scan(t);
    assert_eq!(s.placeholders.len(), 2);
    assert_eq!(s.placeholders[0].span, 6..18);
    assert_eq!(s.problems[0].span, 9..15);
    assert_eq!(&t[s.problems[0].span.clone()], "名前");
    assert_eq!(s.placeholders[1].kind, custom("name", 22..26));
    assert_eq!(&t[22..26], "name");
}

#[test]
fn distinct_names_case_insensitive() {
    let t = "{{Name}} {{name}} {{NAME}} {{other}} {{ACS::InstanceId}} {{oos:x}} {{bad name}}";
    let s = scan(t);
    let names = s.distinct_custom_names();
    assert_eq!(names.len(), 2);
    assert_eq!(names[0].key, "name");
    assert_eq!(names[0].name, "Name");
    assert_eq!(names[0].spans, vec![2..6, 11..15, 20..24]);
    assert_eq!(names[1].name, "other");
    assert_eq!(s.distinct_custom_count(), 2);
    assert!(s.uses_custom_name("NAME"));
    assert!(s.uses_custom_name("Other"));
    assert!(!s.uses_custom_name("InstanceId"));
    assert!(!s.uses_custom_name("x"));
}

#[test]
fn twenty_one_distinct() {
    let t: String = (0..21)
        .map(|i| format!("{{{{p{i}}}}} {{{{P{i}}}}}"))
        .collect();
    assert_eq!(scan(&t).distinct_custom_count(), 21);
}

#[test]
fn masking() {
    let t = "pw={{oos-secret:pw}} x={{\n a \n}} {{ bad";
    let m = mask_placeholders(t);
    assert_eq!(m, format!("pw={} x=__\n___\n__ {{{{ bad", "_".repeat(17)));
    assert_eq!(m.len(), t.len());
    let t = "a{{ 名前 }}b";
    let m = mask_placeholders(t);
    assert_eq!(m.len(), t.len());
    assert_eq!(m, format!("a{}b", "_".repeat(12)));
    assert_eq!(mask_placeholders_with("{{a}}", b' '), "     ");
    assert_eq!(mask_placeholders_with("{{a}}", b'{'), "_____");
    assert_eq!(mask_placeholders_with("{{a}}", 0xff), "_____");
    assert_eq!(mask_placeholders("no templates"), "no templates");
}

mod props {
    use super::super::*;
    use proptest::prelude::*;

    /// Strings built from template-ish pieces, so that the interesting paths are hit often.
    fn template_like() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("{{"),
            Just("}}"),
            Just("{"),
            Just("}"),
            Just(" "),
            Just("\n"),
            Just("\r\n"),
            Just("ACS::"),
            Just("acs::"),
            Just("::"),
            Just("InstanceId"),
            Just("ScriptFileName"),
            Just("|Ext(\".py\")"),
            Just("|"),
            Just("("),
            Just(")"),
            Just("\""),
            Just(","),
            Just("oos:"),
            Just("oos-secret:"),
            Just("/"),
            Just("name"),
            Just("a_b-1"),
            Just("."),
            Just("é"),
            Just("日本"),
            Just("😀"),
        ];
        proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    fn check_span(s: &str, r: &Range<usize>) {
        assert!(r.start <= r.end && r.end <= s.len(), "{r:?} in {s:?}");
        assert!(
            s.is_char_boundary(r.start) && s.is_char_boundary(r.end),
            "{r:?} in {s:?}"
        );
    }

    fn check(s: &str) {
        let sc = scan(s);
        let mut last_end = 0;
        for p in &sc.placeholders {
            check_span(s, &p.span);
            check_span(s, &p.inner);
            assert!(p.span.start >= last_end);
            last_end = p.span.end;
            assert!(s[p.span.clone()].starts_with("{{") && s[p.span.clone()].ends_with("}}"));
            assert_eq!(p.inner, p.span.start + 2..p.span.end - 2);
            match &p.kind {
                PlaceholderKind::Custom { name, name_span }
                | PlaceholderKind::OosParam {
                    name, name_span, ..
                } => {
                    check_span(s, name_span);
                    assert_eq!(&s[name_span.clone()], name.as_str());
                    assert!(name_span.start >= p.inner.start && name_span.end <= p.inner.end);
                }
                PlaceholderKind::BuiltIn {
                    builtin,
                    name,
                    name_span,
                    filters,
                } => {
                    check_span(s, name_span);
                    assert_eq!(&s[name_span.clone()], name.as_str());
                    assert_eq!(builtin.name(), name.as_str());
                    for f in filters {
                        check_span(s, &f.span);
                        check_span(s, &f.name_span);
                        assert_eq!(&s[f.name_span.clone()], f.name.as_str());
                        for a in &f.args {
                            check_span(s, &a.span);
                            assert_eq!(&s[a.value_span.clone()], a.value.as_str());
                        }
                    }
                }
                PlaceholderKind::Invalid => {
                    assert!(sc.problems.iter().any(|pr| pr.placeholder
                        == sc.placeholders.iter().position(|q| q == p)));
                }
            }
        }
        for pr in &sc.problems {
            check_span(s, &pr.span);
            assert!(!pr.message.is_empty());
            if let ProblemKind::InvalidName(NameIssue::BadCharacter { ch, span }) = &pr.kind {
                check_span(s, span);
                assert_eq!(s[span.clone()].chars().next(), Some(*ch));
            }
            match pr.placeholder {
                Some(i) => {
                    let p = &sc.placeholders[i];
                    assert!(pr.span.start >= p.span.start && pr.span.end <= p.span.end);
                }
                None => assert_eq!(&s[pr.span.clone()], "{{"),
            }
        }
        let starts: Vec<_> = sc.problems.iter().map(|p| p.span.start).collect();
        assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{starts:?}");
        let m = mask_placeholders(s);
        assert_eq!(m.len(), s.len());
        assert_eq!(m.lines().count(), s.lines().count());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]
        #[test]
        fn arbitrary_strings(s in any::<String>()) {
            check(&s);
        }

        #[test]
        fn template_strings(s in template_like()) {
            check(&s);
        }
    }
}
