//! JSON Schema checks of tool input and output: each schema a plugin declares is compiled
//! once at load (an invalid schema, or one that refers to documents outside itself, is
//! refused there), then every input is checked before the plugin runs and every JSON
//! result of a tool with an output schema after it returns.

use serde_json::Value;

/// Errors reported for one document, at most.
const MAX_ERRORS: usize = 3;
/// Characters of one error's text, at most (it quotes the offending value).
const MAX_ERROR_CHARS: usize = 200;

/// A compiled schema.
pub struct Schema {
    validator: jsonschema::Validator,
}

impl Schema {
    /// Compiles `schema`, or says why it is not a usable JSON Schema.
    pub fn compile(schema: &Value) -> Result<Self, String> {
        jsonschema::validator_for(schema)
            .map(|validator| Schema { validator })
            .map_err(|e| format!("is not a valid JSON Schema: {e}"))
    }

    /// `Ok` when `document` matches; otherwise `<path>: <reason>` for the first few errors,
    /// joined by `; `.
    pub fn check(&self, document: &Value) -> Result<(), String> {
        let errors: Vec<String> = self
            .validator
            .iter_errors(document)
            .take(MAX_ERRORS)
            .map(|error| {
                let path = error.instance_path().as_str();
                let path = if path.is_empty() { "/" } else { path };
                let reason: String = error.to_string().chars().take(MAX_ERROR_CHARS).collect();
                format!("{path}: {reason}")
            })
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.join("; "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Schema;
    use serde_json::json;

    #[test]
    fn errors_name_the_path_and_the_reason() {
        let schema = Schema::compile(&json!({
            "type": "object",
            "properties": {"value": {"type": "number"}, "tags": {"type": "array", "items": {"type": "string"}}},
            "required": ["value"]
        }))
        .unwrap();
        assert!(schema.check(&json!({"value": 1})).is_ok());
        assert_eq!(
            schema.check(&json!({"value": "x"})).unwrap_err(),
            r#"/value: "x" is not of type "number""#
        );
        assert!(schema
            .check(&json!({"tags": [1]}))
            .unwrap_err()
            .contains("/: \"value\" is a required property"));
        assert!(schema
            .check(&json!({"value": 1, "tags": ["a", 2]}))
            .unwrap_err()
            .starts_with("/tags/1: 2 is not of type \"string\""));
    }

    #[test]
    fn invalid_schemas_and_outside_references_are_refused() {
        assert!(Schema::compile(&json!({"type": "objekt"})).is_err());
        assert!(Schema::compile(&json!({"$ref": "https://example.com/schema.json"})).is_err());
    }
}
