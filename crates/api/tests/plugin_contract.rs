//! The plugin contract's refusals are typed: each rule gives its own variant (the native
//! host and the edge runner show their messages; tools match on the variants).

use outrig_api::plugin::{
    check_declarations, convert_result, ContractLimits, DeclarationError, Declared, PluginContent,
    ResultError, Which,
};

fn tool(name: &str) -> Declared {
    Declared {
        name: name.into(),
        description: "Looks a thing up.".into(),
        input_schema: r#"{"type":"object"}"#.into(),
        ..Declared::default()
    }
}

fn check(declared: &[Declared], limits: &ContractLimits) -> Result<(), DeclarationError> {
    check_declarations(declared, "", limits, |_| Ok::<(), String>(())).map(|_| ())
}

#[test]
fn each_declaration_rule_has_its_variant() {
    let limits = ContractLimits::DEFAULT;
    assert_eq!(check(&[], &limits), Err(DeclarationError::NoTools));
    assert!(matches!(
        check(
            &[tool("a"), tool("b")],
            &ContractLimits {
                max_tools: 1,
                ..limits
            }
        ),
        Err(DeclarationError::TooManyTools { count: 2, limit: 1 })
    ));
    assert!(matches!(
        check(&[tool("no spaces")], &limits),
        Err(DeclarationError::BadName(_))
    ));
    assert!(matches!(
        check(&[tool(&"x".repeat(65))], &limits),
        Err(DeclarationError::BadName(_))
    ));
    assert!(matches!(
        check(&[tool("a"), tool("a")], &limits),
        Err(DeclarationError::Duplicate(_))
    ));
    let long = Declared {
        description: "é".repeat(3000),
        ..tool("a")
    };
    assert!(matches!(
        check(
            &[long],
            &ContractLimits {
                max_description_bytes: 4096,
                ..limits
            }
        ),
        Err(DeclarationError::DescriptionTooLong { bytes: 6000, .. })
    ));
    let string_input = Declared {
        input_schema: r#"{"type":"string"}"#.into(),
        ..tool("a")
    };
    assert!(matches!(
        check(&[string_input], &limits),
        Err(DeclarationError::InputNotObject(_))
    ));
    let broken = Declared {
        output_schema: Some("{".into()),
        ..tool("a")
    };
    assert!(matches!(
        check(&[broken], &limits),
        Err(DeclarationError::SchemaNotJson {
            which: Which::Output,
            ..
        })
    ));
    let refused = check_declarations(&[tool("a")], "", &limits, |_| {
        Err::<(), _>("is not a valid JSON Schema".to_string())
    });
    assert!(matches!(
        refused,
        Err(DeclarationError::InvalidSchema {
            which: Which::Input,
            ..
        })
    ));
}

#[test]
fn a_prefix_counts_towards_the_name() {
    let limits = ContractLimits::DEFAULT;
    let (tools, _) =
        check_declarations(&[tool("lookup")], "crm_", &limits, |_| Ok::<(), String>(())).unwrap();
    assert_eq!(
        (tools[0].name.as_str(), tools[0].plugin_name.as_str()),
        ("crm_lookup", "lookup")
    );
}

#[test]
fn results_are_capped_and_checked() {
    let limits = ContractLimits {
        output_blocks: 2,
        output_bytes: 10,
        ..ContractLimits::DEFAULT
    };
    let ok = |_: &serde_json::Value| Ok(());
    let three = vec![PluginContent::Text("a".into()); 3];
    assert!(matches!(
        convert_result(three, &limits, ok),
        Err(ResultError::TooManyBlocks { count: 3, limit: 2 })
    ));
    // An image counts as its base64 text: 9 bytes are 12 characters.
    let image = vec![PluginContent::Image {
        media_type: "image/png".into(),
        data: vec![0; 9],
    }];
    assert!(matches!(
        convert_result(image, &limits, ok),
        Err(ResultError::TooLarge { bytes: 12, .. })
    ));
    let json = vec![PluginContent::Json("{x".into())];
    assert!(matches!(
        convert_result(json, &limits, ok),
        Err(ResultError::NotJson(_))
    ));
    let off = vec![PluginContent::Json("{}".into())];
    let refuse = |_: &serde_json::Value| Err("/: \"total\" is a required property".to_string());
    assert!(matches!(
        convert_result(off, &limits, refuse),
        Err(ResultError::OffSchema(_))
    ));
}
