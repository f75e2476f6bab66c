//! A plugin whose `describe()` breaks the contract, one way per cargo feature:
//! `bad-name` (a name with spaces), `duplicate` (two tools with one name),
//! `array-schema` (an input schema that is not an object schema), `many-tools` (200,000
//! tools), `bad-schema` (a schema that is not a JSON Schema), `slow-describe` (sleeps for an
//! hour), `spin-describe` (loops forever). The host must refuse to load each, within its
//! load deadline.

wit_bindgen::generate!({ path: "../../wit/0.1.0", world: "plugin" });

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
        } else if cfg!(feature = "many-tools") {
            (0..200_000).map(|n| spec(&format!("t{n}"), object)).collect()
        } else if cfg!(feature = "bad-schema") {
            vec![spec("typo", r#"{"type":"object","properties":{"x":{"type":"strnig"}}}"#)]
        } else if cfg!(feature = "slow-describe") {
            std::thread::sleep(std::time::Duration::from_secs(3600));
            vec![spec("late", object)]
        } else if cfg!(feature = "spin-describe") {
            let mut n: u64 = 0;
            loop {
                n = std::hint::black_box(n.wrapping_add(1));
            }
        } else {
            vec![spec("listy", r#"{"type":"array"}"#)]
        }
    }

    fn call(_name: String, _input: String) -> Result<Vec<Content>, ToolError> {
        Err(ToolError::Failed("never called".into()))
    }
}

export!(Liar);
