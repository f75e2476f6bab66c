//! An Outrig tool plugin in Rust: `greet` says hello. Build with `outrig plugin build`, try
//! with `outrig plugin call {{name}}.wasm greet '{"name":"Ada"}'`.

wit_bindgen::generate!({ path: "wit", world: "plugin", generate_all });

use exports::outrig::tool::tool::Guest;
use outrig::tool::types::{Content, Hints, ToolError, ToolSpec};

struct Plugin;

impl Guest for Plugin {
    fn describe() -> Vec<ToolSpec> {
        vec![ToolSpec {
            name: "greet".into(),
            description: "Greets someone by name.".into(),
            input_schema: serde_json::json!({
                "type": "object",
                "properties": {"name": {"type": "string", "minLength": 1}},
                "required": ["name"],
                "additionalProperties": false
            })
            .to_string(),
            output_schema: None,
            hints: Hints {
                read_only: true,
                destructive: false,
                idempotent: true,
            },
        }]
    }

    fn call(tool: String, input: String) -> Result<Vec<Content>, ToolError> {
        // The host has already checked `input` against the schema above.
        let input: serde_json::Value = serde_json::from_str(&input)
            .map_err(|e| ToolError::InvalidInput(format!("input is not JSON: {e}")))?;
        match tool.as_str() {
            "greet" => Ok(vec![Content::Text(format!(
                "Hello, {}!",
                input["name"].as_str().unwrap_or_default()
            ))]),
            other => Err(ToolError::InvalidInput(format!("no tool named `{other}`"))),
        }
    }

    fn origins() -> Vec<String> {
        Vec::new()
    }
}

export!(Plugin);
