//! A plugin whose `describe()` breaks the contract, one way per cargo feature:
//! `bad-name` (a name with spaces), `duplicate` (two tools with one name),
//! `array-schema` (an input schema that is not an object schema). The host must refuse
//! to load each.

wit_bindgen::generate!({ path: "../../wit", world: "plugin" });

use exports::outrig::tool::tool::Guest;
use outrig::tool::types::{Content, Hints, ToolError, ToolSpec};

struct Liar;

fn spec(name: &str, schema: &str) -> ToolSpec {
    ToolSpec {
        name: name.into(),
        description: "lies".into(),
        input_schema: schema.into(),
        output_schema: None,
        hints: Hints {
            read_only: true,
            destructive: false,
            idempotent: true,
        },
    }
}

impl Guest for Liar {
    fn describe() -> Vec<ToolSpec> {
        let object = r#"{"type":"object"}"#;
        if cfg!(feature = "bad-name") {
            vec![spec("drop tables; --", object)]
        } else if cfg!(feature = "duplicate") {
            vec![spec("twin", object), spec("twin", object)]
        } else {
            vec![spec("listy", r#"{"type":"array"}"#)]
        }
    }

    fn call(_name: String, _input: String) -> Result<Vec<Content>, ToolError> {
        Err(ToolError::Failed("never called".into()))
    }
}

export!(Liar);
